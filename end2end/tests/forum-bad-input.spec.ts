// Bad input on the registration form, as a hostile or hurried person sends it: empty, huge,
// wrong type, hostile HTML, and a double submit — a clear message, nothing typed lost, one registration.
import { test, expect } from "@playwright/test";
import * as fs from "node:fs";
import { MAIL_DIR as MAIL, hydrated, shot } from "./helpers";

function mailsTo(to: string) {
  if (!fs.existsSync(MAIL)) return 0;
  return fs.readdirSync(MAIL).filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(`${MAIL}/${f}`, "utf8")))
    .filter((m) => m.to === to && m.kind === "event_registration").length;
}

for (const [locale, lang] of [["ja-JP", "ja"], ["en-US", "en"]] as const) {
  test(`bad input on the registration form (${lang})`, async ({ browser }) => {
    const ctx = await browser.newContext({ locale });
    const page = await ctx.newPage();
    let dialogs = 0;
    page.on("dialog", async (d) => { dialogs++; await d.dismiss(); });
    await page.goto("/events/saitama-2027/register");
    await hydrated(page);
    // Empty: the browser's own checks removed, the server names every field.
    // (The form is a plain post, so each refusal is a new page: the checks are removed again.)
    const noBrowserChecks = () => page.evaluate(() => { document.querySelectorAll("[required],[maxlength]").forEach((e) => { e.removeAttribute("required"); e.removeAttribute("maxlength"); }); document.querySelectorAll("form").forEach((f) => f.setAttribute("novalidate", "")); });
    await noBrowserChecks();
    await page.locator("form button[type=submit]").last().click();
    await expect(page.getByRole("alert")).toBeVisible();
    await shot(page, `forum-form-empty-${lang}`);
    // Huge, wrong type, hostile HTML.
    await noBrowserChecks();
    await page.locator("#f-name").fill("<script>alert(1)</script>" + "長".repeat(1000));
    await page.locator("#f-furigana").fill("Hanako<img src=x onerror=alert(2)>");
    await page.locator("#f-phone").fill("abc");
    await page.locator("#f-email").fill("not-an-email");
    await page.evaluate(() => { const s = document.querySelector("#f-municipality") as HTMLSelectElement; const o = document.createElement("option"); o.value = "渋谷区"; o.text = "x"; s.add(o); s.value = "渋谷区"; });
    await page.locator("#f-needs").fill("</textarea><script>alert(3)</script>");
    await page.locator("form button[type=submit]").last().click();
    const alert = page.getByRole("alert");
    await expect(alert).toContainText(lang === "ja" ? "60文字以内" : "60 characters");
    await expect(page.locator("#f-needs")).toHaveValue("</textarea><script>alert(3)</script>");
    await shot(page, `forum-form-bad-${lang}`);
    // Fixed, with a hostile but valid name; submitted twice in a row.
    const email = `double.${lang}.${Date.now()}@example.jp`;
    await page.locator("#f-name").fill("<b>太郎</b><script>alert(4)</script>");
    await page.locator("#f-furigana").fill("たろう");
    await page.locator("#f-phone").fill("048-123-4567");
    await page.locator("#f-email").fill(email);
    await page.locator("#f-municipality").selectOption("川越市");
    await page.locator("#f-affiliation-family").check();
    await page.locator("#f-attendance-online").check();
    await page.locator("#f-rules_ack-box").check();
    await page.locator("#f-privacy_ack-box").check();
    const button = page.locator("form button[type=submit]").last();
    await Promise.all([button.click(), button.click({ force: true }).catch(() => {})]);
    await expect(page.getByTestId("registered")).toBeVisible();
    await shot(page, `forum-form-double-${lang}`);
    await expect.poll(() => mailsTo(email), { timeout: 15000 }).toBe(1);
    await page.waitForTimeout(1500);
    expect(mailsTo(email)).toBe(1);
    expect(dialogs).toBe(0);
    await ctx.close();
  });
}
