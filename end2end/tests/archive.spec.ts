import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { DEMO, hydrated, linkIn, shot, signIn, uniqueEmail, waitForMail } from "./helpers";

const SERVER_BIN = process.env.E2E_SERVER_BIN ?? path.resolve(__dirname, "../../target/debug/server");
const BASE = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000";

async function noSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a certified practice with consent is prepared, signed off, found, and disappears when consent is withdrawn", async ({ page, browser, request }) => {
  test.setTimeout(180_000);
  const slug = `rec-${Date.now()}`;
  const seeded = JSON.parse(execFileSync(SERVER_BIN, ["seed-demo", "--recognised-edition", slug], { env: { ...process.env, RUST_LOG: "warn" } }).toString().trim().split("\n").pop()!);
  const target = seeded.nominations.find((n: { title: string }) => n.title.includes("就労相談カード"));
  expect(target).toBeTruthy();

  // Consent: the nominator asks, the featured person gives it, names included.
  await signIn(page, DEMO.nominator.email, DEMO.nominator.password);
  await page.goto(`/nominations/${target.id}`);
  await hydrated(page);
  const featured = uniqueEmail("archive-featured");
  await page.locator("#consent").getByLabel("ご本人(または団体のご担当者)のメールアドレス").fill(featured);
  await page.getByRole("button", { name: "同意の依頼を送る" }).click();
  await expect(page.getByTestId("consent-status")).toHaveText("依頼中(回答待ち)");
  const guest = await browser.newContext();
  const gp = await guest.newPage();
  await gp.goto(linkIn(await waitForMail(featured, "consent_request"), "/consent/"));
  await hydrated(gp);
  await gp.getByLabel("お名前を含めて公開してよい").check();
  await gp.getByRole("button", { name: "同意する" }).click();
  await expect(gp.getByRole("status")).toContainText("ご同意を記録しました");

  // An organiser prepares the public version; a second person signs it off.
  const org = await browser.newContext();
  const op = await org.newPage();
  await signIn(op, DEMO.organiser.email, DEMO.organiser.password);
  await op.goto("/organise/archive");
  await hydrated(op);
  const row = op.getByRole("row").filter({ hasText: target.title }).filter({ hasText: "CONFERENCE テスト" });
  await row.getByRole("button", { name: "公開版をつくる" }).click();
  await expect(op).toHaveURL(/\/organise\/archive\/\d+$/);
  await hydrated(op);
  await op.getByLabel("キーワード(読点かカンマ区切り)").fill("受診, 就労相談カード");
  await op.getByRole("textbox", { name: "公開する文章: 背景" }).fill("難病のある方から「主治医に仕事の話をする時間がない」という声が多く寄せられていました。");
  await op.getByRole("button", { name: "公開版を保存" }).click();
  await expect(op.getByRole("status").filter({ hasText: "保存しました" })).toBeVisible();
  await expect(op.getByRole("button", { name: "確認して公開する" })).toBeDisabled();
  await shot(op, "public-version-ja");
  const editUrl = op.url();
  await org.close();

  const admin = await browser.newContext();
  const ap = await admin.newPage();
  await signIn(ap, DEMO.admin.email, DEMO.admin.password);
  await ap.goto(editUrl);
  await hydrated(ap);
  await ap.getByRole("button", { name: "確認して公開する" }).click();
  await expect(ap.getByTestId("practice-status")).toHaveText("公開中");
  const publicPath = await ap.getByRole("link", { name: /^\/practices\// }).getAttribute("href");
  expect(publicPath).toBeTruthy();
  const practiceId = publicPath!.split("/")[2].split("-")[0];

  // Visible: the page, a two-character search, the API, the feed and the sitemap.
  const visitor = await browser.newContext();
  const vp = await visitor.newPage();
  await vp.goto(publicPath!);
  await expect(vp.getByRole("heading", { level: 1 })).toContainText("就労相談カード");
  await expect(vp.getByText("地域就労支援センターみらい")).toBeVisible();
  await expect(vp.locator('meta[property="og:title"]')).toHaveAttribute("content", /就労相談カード/);
  await shot(vp, "record-ja");
  await vp.goto("/archive?q=" + encodeURIComponent("就労"));
  await expect(vp.getByRole("link", { name: target.title })).toBeVisible();
  await expect(vp.locator("mark").first()).toHaveText("就労");
  await shot(vp, "archive-search-ja");
  const api = await request.get(`/api/v1/practices?q=${encodeURIComponent("就労")}&per_page=100`);
  expect(api.status()).toBe(200);
  expect(api.headers()["access-control-allow-origin"]).toBe("*");
  expect(api.headers()["etag"]).toBeTruthy();
  expect((await api.json()).items.map((i: { id: number }) => i.id)).toContain(Number(practiceId));
  expect((await request.get(`/api/v1/practices/${practiceId}`)).status()).toBe(200);
  expect(await (await request.get("/feed.atom")).text()).toContain(publicPath!);
  expect(await (await request.get("/sitemaps/1.xml")).text()).toContain(publicPath!);

  // Consent withdrawn by the featured person: gone from every public surface at once.
  const confirmation = await waitForMail(featured, "consent_confirmation");
  await gp.goto(linkIn(confirmation, "/consent/"));
  await hydrated(gp);
  await gp.getByRole("button", { name: "同意を取り下げる" }).click();
  await expect(gp.getByRole("status")).toContainText("同意の取り下げを記録しました");
  await guest.close();

  const gone = await vp.goto(publicPath!);
  expect(gone?.status()).toBe(410);
  await expect(vp.getByRole("heading", { name: "この実践の紹介は終了しました" })).toBeVisible();
  await shot(vp, "gone-ja");
  await vp.goto("/archive?q=" + encodeURIComponent("就労"));
  await expect(vp.getByRole("link", { name: target.title })).toHaveCount(0);
  const after = await request.get(`/api/v1/practices?q=${encodeURIComponent("就労")}&per_page=100`);
  expect((await after.json()).items.map((i: { id: number }) => i.id)).not.toContain(Number(practiceId));
  expect((await request.get(`/api/v1/practices/${practiceId}`)).status()).toBe(410);
  expect(await (await request.get("/feed.atom")).text()).not.toContain(publicPath!);
  expect(await (await request.get("/sitemaps/1.xml")).text()).not.toContain(publicPath!);
  await visitor.close();
  await admin.close();
});

test("the archive works without JavaScript: search, facets, pages", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/archive");
  const total = Number(await page.getByTestId("total").textContent());
  expect(total).toBeGreaterThan(0);
  await page.getByLabel("キーワードで探す").fill("在宅勤務");
  await page.getByRole("button", { name: "検索" }).click();
  await expect(page).toHaveURL(/q=/);
  const found = Number(await page.getByTestId("total").textContent());
  expect(found).toBeGreaterThan(0);
  expect(found).toBeLessThanOrEqual(total);
  await page.getByRole("region", { name: "表彰区分" }).getByRole("link").first().click();
  const narrowed = Number(await page.getByTestId("total").textContent());
  expect(narrowed).toBeLessThanOrEqual(found);
  await shot(page, "archive-nojs");
  await page.locator(".result-list a").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator(".practice-section").first()).toBeVisible();
  await context.close();
});

test("archive pages have no serious accessibility problems in either language, work by keyboard and on a phone", async ({ browser }) => {
  for (const lang of ["ja", "en"]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    await context.addCookies([{ name: "gp_lang", value: lang, url: BASE }]);
    const page = await context.newPage();
    await page.goto("/archive");
    await hydrated(page);
    await noSeriousViolations(page, `archive ${lang}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shot(page, `archive-360-${lang}`);
    // Keyboard: skip link, then the search box, type, Enter.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: lang === "ja" ? "本文へ移動" : "Skip to main content" })).toBeFocused();
    await page.getByRole("searchbox").focus();
    await page.keyboard.type(lang === "ja" ? "両立" : "telework");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/q=/);
    await page.goto("/archive");
    await page.locator(".result-list a").first().click();
    await hydrated(page);
    await noSeriousViolations(page, `record ${lang}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shot(page, `record-360-${lang}`);
    await page.goto("/");
    await hydrated(page);
    await noSeriousViolations(page, `home ${lang}`);
    await context.close();
  }
});
