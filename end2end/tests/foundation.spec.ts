import { expect, test } from "@playwright/test";
import { DEMO, hydrated, linkIn, shot, signIn, signOut, signUp, uniqueEmail, waitForMail } from "./helpers";

test("sign up, sign in, see the navigation of your role, switch language and back, sign out", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));

  await page.goto("/");
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await shot(page, "home-ja");

  const email = uniqueEmail("journey");
  await signUp(page, email, "山田 花子");
  await expect(page.getByRole("heading", { name: "アカウント" })).toBeVisible();
  await expect(page.getByTestId("role")).toHaveText("推薦者");
  const nav = page.getByRole("navigation", { name: "メインメニュー" });
  await expect(nav.getByRole("link", { name: "実践アーカイブ" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "管理" })).toHaveCount(0);

  const welcome = await waitForMail(email, "welcome");
  expect(welcome.subject).toContain("登録");

  await signOut(page);
  await signIn(page, email, "yuragi-to-taiwa");
  await expect(page).toHaveURL(/\/account$/);

  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByTestId("role")).toHaveText("Nominator");
  await hydrated(page);
  await shot(page, "account-en");

  await page.getByRole("button", { name: "日本語に切り替える" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("heading", { name: "アカウント" })).toBeVisible();

  await signOut(page);
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "ログインしてください" })).toBeVisible();
  // The sign-in prompt is answered with 401 on purpose; Chrome logs any non-2xx page load.
  const unexpected = errors.filter((e) => !e.includes("status of 401"));
  expect(unexpected, unexpected.join("\n")).toEqual([]);
});

test("an admin sees the admin page and gives a nominator the reviewer role", async ({ page, browser }) => {
  const email = uniqueEmail("promote");
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, email, "審査 予定");

  await signIn(page, DEMO.admin.email, DEMO.admin.password);
  const nav = page.getByRole("navigation", { name: "メインメニュー" });
  await nav.getByRole("link", { name: "管理" }).click();
  await expect(page.getByRole("heading", { name: "管理: アカウントと役割" })).toBeVisible();
  await hydrated(page);
  const row = page.getByRole("row").filter({ hasText: email });
  await row.getByRole("combobox").selectOption("reviewer");
  await row.getByRole("button", { name: "変更" }).click();
  await expect(page.getByRole("row").filter({ hasText: email }).getByRole("combobox")).toHaveValue("reviewer");
  await shot(page, "admin-ja");

  await otherPage.reload();
  await expect(otherPage.getByTestId("role")).toHaveText("審査員");
  await other.close();
});

test("the sign-in form works with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/sign-in?next=%2Faccount");
  await page.getByLabel("メールアドレス").fill(DEMO.nominator.email);
  await page.getByRole("textbox", { name: "パスワード", exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page.getByRole("alert")).toContainText("メールアドレスまたはパスワードが正しくありません");
  await shot(page, "sign-in-error-nojs");

  await page.getByLabel("メールアドレス").fill(DEMO.nominator.email);
  await page.getByRole("textbox", { name: "パスワード", exact: true }).fill(DEMO.nominator.password);
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("role")).toHaveText("推薦者");
  await context.close();
});

test("a forgotten password is reset through the mailed single-use link", async ({ page }) => {
  const email = uniqueEmail("reset");
  await signUp(page, email, "忘れ 太郎");
  await signOut(page);

  await page.goto("/forgot-password");
  await hydrated(page);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByRole("button", { name: "リンクを送る" }).click();
  await expect(page.getByRole("status")).toContainText("再設定用のリンク");

  const mail = await waitForMail(email, "password_reset");
  const link = linkIn(mail, "/reset-password");
  await page.goto(link);
  await hydrated(page);
  await page.getByRole("textbox", { name: "パスワード", exact: true }).fill("a-brand-new-password");
  await page.getByRole("textbox", { name: "パスワード(確認)" }).fill("a-brand-new-password");
  await page.getByRole("button", { name: "パスワードを変更する" }).click();
  await expect(page.getByRole("status")).toContainText("パスワードを変更しました");

  await signIn(page, email, "a-brand-new-password");
  await expect(page).toHaveURL(/\/account$/);

  // The link is spent.
  await page.goto(link);
  await hydrated(page);
  await page.getByRole("textbox", { name: "パスワード", exact: true }).fill("yet-another-password");
  await page.getByRole("textbox", { name: "パスワード(確認)" }).fill("yet-another-password");
  await page.getByRole("button", { name: "パスワードを変更する" }).click();
  await expect(page.getByRole("alert")).toContainText("期限切れか、すでに使用されています");
});

test("unknown pages answer 404 with a kind page in both languages", async ({ page, context }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
  await context.addCookies([{ name: "gp_lang", value: "en", url: page.url() }]);
  const en = await page.goto("/no-such-page");
  expect(en?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("the header reads well on a 360 px phone", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto("/");
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, "home-360");
  await context.close();
});
