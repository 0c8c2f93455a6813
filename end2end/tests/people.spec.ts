import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import * as fs from "node:fs";
import { DEMO, hydrated, shot, signIn, signUp, uniqueEmail, waitForMail } from "./helpers";

async function noSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function startDraft(page: Page, title: string): Promise<string> {
  await page.goto("/nominate");
  await hydrated(page);
  await page.getByLabel(/企業実践部門/).check();
  await page.getByRole("button", { name: "この区分で書きはじめる" }).click();
  await expect(page).toHaveURL(/\/nominations\/\d+\/edit$/);
  const id = page.url().match(/nominations\/(\d+)/)![1];
  await hydrated(page);
  await page.getByLabel("推薦の題名").fill(title);
  await page.getByRole("button", { name: "下書きを保存" }).click();
  await expect(page.getByRole("status").filter({ hasText: "保存しました" })).toBeVisible();
  return id;
}

test("a nominator asks for more time, the organiser reads the reason and grants it, and the entry stays editable past the deadline", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const email = uniqueEmail("pace");
  await signUp(page, email, "ゆらぎ 花子");
  const title = `延長のお願い ${Date.now()}`;
  const id = await startDraft(page, title);

  await page.goto(`/nominations/${id}`);
  await hydrated(page);
  const section = page.locator("#extension");
  await section.getByText("締切の延長をお願いする").click();
  await section.getByLabel("延長してほしい日数").selectOption("7");
  await section.getByLabel("理由").fill("通院が続き、体調の波があるため");
  await section.getByRole("button", { name: "延長をお願いする" }).click();
  await expect(page.getByTestId("extension-status")).toContainText("延長のお願いを受け付けました");
  await shot(page, "extension-asked-ja");
  await noSeriousViolations(page, "nomination with extension");

  // The organiser sees it waiting in the edition, reads the reason, and grants it.
  const organiser = await browser.newContext({ locale: "ja-JP" });
  const op = await organiser.newPage();
  await signIn(op, DEMO.organiser.email, DEMO.organiser.password, "/organise");
  await op
    .locator("li.card")
    .filter({ has: op.getByRole("heading", { name: "CONFERENCE + AWARD 2026–2027", exact: true }) })
    .getByRole("link", { name: "設定" })
    .click();
  await hydrated(op);
  const editionUrl = op.url();
  await op.goto(`${editionUrl}/nominations`);
  await expect(op.getByTestId("pending-extensions")).toContainText(title);
  await op.getByTestId("pending-extensions").getByRole("link", { name: title }).click();
  await expect(op).toHaveURL(new RegExp(`/nominations/${id}`));
  await hydrated(op);
  await expect(op.getByTestId("extension-reason")).toHaveText("通院が続き、体調の波があるため");
  await shot(op, "extension-organiser-ja");
  await op.locator("#extension").getByRole("button", { name: "延長を認める" }).click();
  await expect(op.getByTestId("extension-status")).toContainText("締切が延長されています");
  const mail = await waitForMail(email, "extension_decided");
  expect(mail.subject).toContain("締切を延長しました");

  // The deadline passes for everyone else; this entry can still be edited until its own date.
  await op.goto(editionUrl);
  await hydrated(op);
  const deadlineForm = op.locator("form").filter({ has: op.getByLabel("締切") });
  const opens = await op.getByLabel("受付開始").inputValue();
  const closes = await op.getByLabel("締切").inputValue();
  try {
    await op.getByLabel("締切").fill("2026-10-02T00:00");
    await deadlineForm.getByRole("button", { name: "保存" }).click();
    await expect(op.getByLabel("締切")).toHaveValue("2026-10-02T00:00");
    await page.goto(`/nominations/${id}`);
    await expect(page.getByTestId("extension-status")).toContainText("締切が延長されています");
    await expect(page.getByRole("link", { name: "編集する" })).toBeVisible();
    await page.getByRole("link", { name: "編集する" }).click();
    await hydrated(page);
    await page.getByLabel("概要").fill("延長の間に書き足しました。");
    await page.getByRole("button", { name: "下書きを保存" }).click();
    await expect(page.getByRole("status").filter({ hasText: "保存しました" })).toBeVisible();
    await shot(page, "extension-editable-ja");
  } finally {
    await op.getByLabel("受付開始").fill(opens);
    await op.getByLabel("締切").fill(closes);
    await deadlineForm.getByRole("button", { name: "保存" }).click();
    await expect(op.getByLabel("締切")).toHaveValue(closes);
    await organiser.close();
  }
});

test("an account changes its name and language, downloads its data and deletes itself", async ({ page }) => {
  const email = uniqueEmail("leaving");
  const password = "yuragi-to-taiwa";
  await signUp(page, email, "退会 予定");
  await startDraft(page, "消える下書き");

  await page.goto("/account");
  await hydrated(page);
  await noSeriousViolations(page, "account");
  await page.locator("#f-display_name").fill("Leaving Person");
  await page.locator("#f-locale").selectOption("en");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByTestId("account-saved")).toHaveText("Saved.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
  await shot(page, "account-en");

  // Everything held, in one zip.
  const downloading = page.waitForEvent("download");
  await page.getByTestId("export").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^my-data-\d{8}\.zip$/);
  const file = await download.path();
  const bytes = fs.readFileSync(file!);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.includes(Buffer.from("account.json"))).toBe(true);

  // What goes and what stays is said before; the password and the checkbox are asked.
  await page.getByTestId("delete-link").click();
  await hydrated(page);
  await expect(page.getByTestId("erased")).toContainText("消える下書き");
  await expect(page.getByTestId("kept")).toContainText("Nothing stays.");
  await noSeriousViolations(page, "delete account");
  await shot(page, "delete-account-en");
  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel("I have read this and want to delete my account").check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await page.getByLabel("Current password").fill(password);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/account\/deleted$/);
  await expect(page.getByRole("status")).toContainText("Your account was deleted");
  await shot(page, "account-deleted-en");
  const farewell = await waitForMail(email, "account_deleted");
  expect(farewell.subject).toBe("Your account was deleted");
  expect(farewell.body).toContain("All your nominations were erased.");

  // The account is gone: signed out, and it cannot sign in again.
  await page.goto("/account");
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
});

test("without JavaScript: ask for more time (a refusal keeps the page), rename, and delete", async ({ browser }) => {
  const js = await browser.newContext();
  const email = uniqueEmail("pace-nojs");
  const first = await js.newPage();
  await signUp(first, email, "ノージェーエス 延長");
  const id = await startDraft(first, "JSなしの延長");
  const state = await js.storageState();
  await js.close();

  const context = await browser.newContext({ javaScriptEnabled: false, storageState: state });
  const page = await context.newPage();
  await page.goto(`/nominations/${id}`);
  const section = page.locator("#extension");
  await section.getByText("締切の延長をお願いする").click();
  // An empty reason (the browser's own check removed, as a hostile client would) is refused
  // with the field named, and nothing is saved.
  await section.getByLabel("理由").evaluate((el) => el.removeAttribute("required"));
  await section.getByRole("button", { name: "延長をお願いする" }).click();
  await expect(page.getByRole("alert")).toContainText("理由");
  await expect(page.getByTestId("extension-status")).toHaveCount(0);
  // The form stays open beside its message.
  await page.locator("#extension").getByLabel("理由").fill("入院の予定があるため");
  await page.locator("#extension").getByRole("button", { name: "延長をお願いする" }).click();
  await expect(page.getByTestId("extension-status")).toContainText("延長のお願いを受け付けました");

  await page.goto("/account");
  await page.locator("#f-display_name").fill("名前を変えました");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByTestId("account-saved")).toHaveText("保存しました。");
  await expect(page.locator("#f-display_name")).toHaveValue("名前を変えました");

  await page.goto("/account/delete");
  await page.getByLabel("現在のパスワード").fill("yuragi-to-taiwa");
  await page.getByLabel("内容を確認し、アカウントを削除します").check();
  await page.getByRole("button", { name: "アカウントを削除する" }).click();
  await expect(page).toHaveURL(/\/account\/deleted$/);
  await expect(page.getByRole("status")).toContainText("アカウントを削除しました");
  await context.close();
});
