// scratch: screenshots of the ranking overview with 1,000 entries (deleted before commit)
const { chromium } = require("@playwright/test");
(async () => {
  const base = process.env.BASE;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  for (const lang of ["ja", "en"]) {
    const ctx = await browser.newContext({ locale: lang === "ja" ? "ja-JP" : "en-GB", viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(base + "/sign-in");
    await page.fill('input[name="email"]', "organiser@example.jp");
    await page.fill('input[name="password"]', "demo-organiser-2026");
    await Promise.all([page.waitForNavigation(), page.click('form[action*="sign_in"] button[type="submit"]')]);
    await page.goto(base + "/organise/editions/4/ranking");
    await page.locator("table.ranking").first().waitFor();
    await page.screenshot({ path: `/tmp/shots/ranking-overview-${lang}.png`, clip: { x: 0, y: 0, width: 1280, height: 1400 }, fullPage: true });
    const link = page.locator("section p.muted a").first();
    console.log(lang, "link:", await link.textContent(), await link.getAttribute("href"));
    await link.click();
    await page.waitForURL(/category=/);
    await page.locator("table.ranking").first().waitFor();
    console.log(lang, "rows in full:", await page.locator("table.ranking tbody tr").count());
    await page.screenshot({ path: `/tmp/shots/ranking-full-${lang}.png`, clip: { x: 0, y: 0, width: 1280, height: 900 }, fullPage: true });
    await ctx.close();
  }
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
