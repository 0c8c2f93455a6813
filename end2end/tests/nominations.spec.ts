import { expect, Page, test } from "@playwright/test";
import { DEMO, hydrated, linkIn, shot, signIn, signOut, signUp, uniqueEmail, waitForMail } from "./helpers";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const EXE = Buffer.from("MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode");

async function fillRequired(page: Page) {
  await page.getByLabel("対象とあなたの関係").selectOption("employer");
  await page.getByLabel("推薦する対象の種類").selectOption("company");
  await page.getByLabel("対象の名称").fill("株式会社テスト工業");
  await page.getByRole("combobox", { name: "地域", exact: true }).selectOption("saitama");
  await page.getByLabel("業種").selectOption("manufacturing");
  await page.getByLabel("従業員規模").selectOption("50-299");
  await page.getByLabel("背景").fill("通院のたびに休暇を使い切っていた社員がいました。");
  await page.getByLabel("取り組んだこと").fill("- 在宅勤務\n- 時差出勤\n\n**月1回**の面談を始めました。");
  await page.getByLabel("体調のゆらぎへの配慮").fill("体調の波を一言で共有できるようにしました。");
  await page.getByLabel("うまくいかなかったこと・課題").fill("在宅できない工程があり、全員には広げられていません。");
  await page.getByLabel("成果・変化").fill("働き続けられています。");
  await page.getByLabel("他の人が参考にできること").fill("一人の声を丁寧に聞くこと。");
  await page.getByLabel("ご本人(または団体のご担当者)のメールアドレス").fill("hr@example.jp");
}

test("nominate in Japanese: draft, leave, return, attach, preview, acknowledge, submit, edit, read-only after the deadline", async ({ page, browser }) => {
  const email = uniqueEmail("nominator");
  await signUp(page, email, "推薦 太郎");

  await page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "推薦・応募" }).click();
  await expect(page.getByRole("heading", { name: "実践を推薦する", level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel(/企業実践部門/).check();
  await shot(page, "nominate-ja");
  await page.getByRole("button", { name: "この区分で書きはじめる" }).click();
  await expect(page).toHaveURL(/\/nominations\/\d+\/edit$/);
  const id = page.url().match(/nominations\/(\d+)/)![1];
  await hydrated(page);

  // A first draft, then leave.
  await page.getByLabel("推薦の題名").fill("体調に合わせて選べる働き方");
  await page.getByLabel("概要").fill("在宅勤務と時差出勤を全社員が選べる制度にしました。");
  await expect(page.getByText("残り 107 / 120")).toBeVisible();
  await page.getByRole("button", { name: "下書きを保存" }).click();
  await expect(page.getByRole("status").filter({ hasText: "保存しました" })).toBeVisible();
  await page.goto("/");

  // Return through the dashboard; the draft is there.
  await page.goto("/nominations");
  await expect(page.getByText("下書き")).toBeVisible();
  await page.getByRole("link", { name: "体調に合わせて選べる働き方" }).click();
  await page.getByRole("link", { name: "編集する" }).click();
  await hydrated(page);
  await expect(page.getByLabel("推薦の題名")).toHaveValue("体調に合わせて選べる働き方");
  await expect(page.getByRole("region", { name: "提出までに必要な項目" })).toContainText("背景");
  await fillRequired(page);
  await expect(page.getByRole("region", { name: "提出までに必要な項目" })).toContainText("提出に必要な項目はそろっています");
  await shot(page, "edit-ja");
  // Autosave: what was typed is saved by itself within seconds, without a click, and a fresh
  // load of the form shows it.
  await expect(page.getByRole("status").filter({ hasText: "自動保存しました" })).toBeVisible({ timeout: 20_000 });
  await shot(page, "edit-autosaved-ja");
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("背景")).toHaveValue("通院のたびに休暇を使い切っていた社員がいました。");
  await expect(page.getByLabel("他の人が参考にできること")).toHaveValue("一人の声を丁寧に聞くこと。");
  // A refused autosave (a title past the box's own limit) says where the reason is, shows it
  // at the top, and keeps what was typed; the next autosave clears it.
  const title = page.getByLabel("推薦の題名");
  const tooLong = "長".repeat(130);
  await title.evaluate((el) => el.removeAttribute("maxlength"));
  await title.fill(tooLong);
  await expect(page.getByRole("status").filter({ hasText: "理由をページ上部に表示しています" })).toBeVisible({ timeout: 20_000 });
  await expect(page.locator("#form-errors")).toContainText("120文字以内");
  await expect(title).toHaveValue(tooLong);
  await title.fill("体調に合わせて選べる働き方");
  await expect(page.getByRole("status").filter({ hasText: "自動保存しました" })).toBeVisible({ timeout: 20_000 });
  await expect(page.locator("#form-errors")).not.toContainText("120文字以内");
  await page.getByRole("button", { name: "保存してプレビュー" }).click();
  await expect(page).toHaveURL(new RegExp(`/nominations/${id}$`));
  await expect(page.locator(".prose strong").filter({ hasText: "月1回" })).toBeVisible();

  // Attach a PDF; a renamed .exe is refused with a clear message.
  await page.locator("#file").setInputFiles({ name: "報告書.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "添付する" }).click();
  await expect(page.getByRole("status").filter({ hasText: "添付しました" })).toBeVisible();
  await expect(page.getByRole("link", { name: "報告書.pdf" })).toBeVisible();
  await page.locator("#file").setInputFiles({ name: "report.pdf", mimeType: "application/pdf", buffer: EXE });
  await page.getByRole("button", { name: "添付する" }).click();
  await expect(page.getByRole("alert")).toContainText("PDF・PNG・JPEGのファイルのみ");
  const download = await page.request.get(await page.getByRole("link", { name: "報告書.pdf" }).getAttribute("href") ?? "");
  expect(download.status()).toBe(200);
  expect((await download.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // Submit: the dialogue rules must be acknowledged.
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "対話ルール" })).toBeVisible();
  await page.getByLabel("対話ルールを読み、これに沿って書きました。").check();
  await shot(page, "preview-ja");
  await page.getByRole("button", { name: "提出する" }).click();
  await expect(page.getByRole("status").filter({ hasText: "提出しました" })).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("受け付けました");
  const mail = await waitForMail(email, "nomination_submitted");
  expect(mail.subject).toContain("体調に合わせて選べる働き方");

  // Edit before the deadline.
  await page.getByRole("link", { name: "編集する" }).click();
  await hydrated(page);
  await page.getByLabel("推薦の題名").fill("体調に合わせて選べる働き方(改訂)");
  await page.getByRole("button", { name: "保存してプレビュー" }).click();
  await expect(page.getByRole("heading", { name: "体調に合わせて選べる働き方(改訂)", level: 1 })).toBeVisible();

  // After the deadline: read-only, with the status in kind words.
  const organiser = await browser.newContext();
  const op = await organiser.newPage();
  await signIn(op, DEMO.organiser.email, DEMO.organiser.password);
  await op.goto("/organise");
  // The demo edition that is taking nominations (other journeys may have added editions).
  await op
    .locator("li.card")
    .filter({ has: op.getByRole("heading", { name: "CONFERENCE + AWARD 2026–2027", exact: true }) })
    .getByRole("link", { name: "設定" })
    .click();
  await hydrated(op);
  // The settings form with the deadline (the stage timetable has a save button per row too).
  const deadlineForm = op.locator("form").filter({ has: op.getByLabel("締切") });
  const opens = await op.getByLabel("受付開始").inputValue();
  const closes = await op.getByLabel("締切").inputValue();
  try {
    await op.getByLabel("締切").fill("2026-10-02T00:00");
    await deadlineForm.getByRole("button", { name: "保存" }).click();
    await expect(op.getByLabel("締切")).toHaveValue("2026-10-02T00:00");

    await page.goto(`/nominations/${id}`);
    await expect(page.getByText("締切を過ぎたため、内容は変更できません。")).toBeVisible();
    await expect(page.getByRole("link", { name: "編集する" })).toHaveCount(0);
    await expect(page.getByTestId("status")).toHaveText("受け付けました");
    await shot(page, "after-deadline-ja");
    await page.goto(`/nominations/${id}/edit`);
    await expect(page.getByText("締切を過ぎたため、内容は変更できません。")).toBeVisible();
  } finally {
    await op.getByLabel("受付開始").fill(opens);
    await op.getByLabel("締切").fill(closes);
    await deadlineForm.getByRole("button", { name: "保存" }).click();
    await expect(op.getByLabel("締切")).toHaveValue(closes);
    await organiser.close();
  }
});

test("nominate in English", async ({ page, context }) => {
  await context.addCookies([{ name: "gp_lang", value: "en", url: process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000" }]);
  const email = uniqueEmail("english");
  await page.goto("/sign-up");
  await hydrated(page);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Display name").fill("Alex Smith");
  await page.getByRole("textbox", { name: "Password", exact: true }).fill("yuragi-to-taiwa");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);

  await page.goto("/nominate");
  await hydrated(page);
  await page.getByLabel(/Support practice/).check();
  await page.getByRole("button", { name: "Start in this category" }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await hydrated(page);
  await page.getByLabel("Title").fill("A shared sheet for hospital visits");
  await page.getByLabel("Summary").fill("People write what they want their doctor to know about work.");
  await page.getByLabel("Your relationship to the nominee").selectOption("support_worker");
  await page.getByLabel("Who is being nominated").selectOption("support_organisation");
  await page.getByLabel("Name of the person or organisation").fill("Mirai Support Centre");
  await page.getByRole("combobox", { name: "Region", exact: true }).selectOption("nationwide");
  for (const [label, text] of [
    ["Background", "People had no time to talk about work with their doctor."],
    ["What was done", "A one-page sheet filled in with a support worker."],
    ["How fluctuating health was accommodated", "Write on good days; blank boxes are fine."],
    ["Challenges and what did not work", "Some clinics did not read it."],
    ["Outcomes", "Forty people used it in a year."],
    ["What others can learn", "Give people a tool to speak in their own words."],
  ]) {
    await page.getByLabel(label).fill(text);
  }
  await expect(page.getByRole("region", { name: "Still needed before you can submit" })).toContainText("Everything needed to submit is filled in");
  await shot(page, "edit-en");
  await page.getByRole("button", { name: "Save and preview" }).click();
  await expect(page.getByRole("heading", { name: "A shared sheet for hospital visits", level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("I have read the dialogue rules and written in their spirit.").check();
  await page.getByRole("button", { name: "Submit", exact: true }).click();
  await expect(page.getByTestId("status")).toHaveText("Received");
  const mail = await waitForMail(email, "nomination_submitted");
  expect(mail.subject).toContain("Nomination received");
  await shot(page, "submitted-en");
});

test("nominate with JavaScript disabled", async ({ browser }) => {
  const js = await browser.newContext();
  const email = uniqueEmail("nojs");
  await signUp(await js.newPage(), email, "ノージェーエス");
  const state = await js.storageState();
  await js.close();

  const context = await browser.newContext({ javaScriptEnabled: false, storageState: state });
  const page = await context.newPage();
  await page.goto("/nominate");
  await page.getByLabel(/自治体活動・実践部門/).check();
  await page.getByRole("button", { name: "この区分で書きはじめる" }).click();
  await expect(page).toHaveURL(/\/edit$/);
  // An over-long title is refused by the server with the field named (the browser's own
  // maxlength would stop a person; a hostile client is stopped here).
  await page.getByLabel("推薦の題名").evaluate((el) => el.removeAttribute("maxlength"));
  await page.getByLabel("推薦の題名").fill("長".repeat(121));
  await page.getByRole("button", { name: "下書きを保存" }).click();
  await expect(page.getByRole("alert")).toContainText("推薦の題名: 120文字以内で入力してください。");

  await page.getByLabel("推薦の題名").fill("窓口での働く相談");
  await page.getByLabel("概要").fill("医療費助成の窓口で就労相談を案内しています。");
  await page.getByLabel("対象とあなたの関係").selectOption("municipality");
  await page.getByLabel("推薦する対象の種類").selectOption("municipality");
  await page.getByLabel("対象の名称").fill("さいたま市");
  await page.getByRole("combobox", { name: "地域", exact: true }).selectOption("saitama");
  await page.getByLabel("背景").fill("窓口に来る方の多くが仕事の悩みを抱えていました。");
  await page.getByLabel("取り組んだこと").fill("相談先の案内を手渡しています。");
  await page.getByLabel("体調のゆらぎへの配慮").fill("急がず案内だけを渡します。");
  await page.getByLabel("うまくいかなかったこと・課題").fill("混む時期は形だけになりがちです。");
  await page.getByLabel("成果・変化").fill("30件が相談につながりました。");
  await page.getByLabel("他の人が参考にできること").fill("人が来る場所に入口を置くこと。");
  await page.getByRole("button", { name: "保存してプレビュー" }).click();
  await expect(page.getByRole("heading", { name: "窓口での働く相談", level: 1 })).toBeVisible();

  // Submitting without the acknowledgement is refused with a clear message.
  await page.getByLabel("対話ルールを読み、これに沿って書きました。").evaluate((el) => el.removeAttribute("required"));
  await page.getByRole("button", { name: "提出する" }).click();
  await expect(page.getByRole("alert")).toContainText("確認のうえ、チェックを入れてください");
  await page.getByLabel("対話ルールを読み、これに沿って書きました。").check();
  await page.getByRole("button", { name: "提出する" }).click();
  await expect(page.getByTestId("status")).toHaveText("受け付けました");
  await shot(page, "submitted-nojs");
  await context.close();
});

test("consent: request by e-mail, the featured person gives it with a scope, then withdraws it", async ({ page, browser }) => {
  await signIn(page, DEMO.nominator.email, DEMO.nominator.password);
  await page.goto("/nominations");
  // The demo nomination in the open edition (the archive journey may have seeded a namesake
  // into a past edition): the oldest link with this title.
  const hrefs = await page
    .getByRole("link", { name: "ハローワークと医療機関をつなぐ「就労相談カード」" })
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  const first = hrefs.sort((a, b) => Number(a.split("/").pop()) - Number(b.split("/").pop()))[0];
  await page.locator(`a[href="${first}"]`).first().click();
  await hydrated(page);
  const featured = uniqueEmail("featured");
  await page.locator("#consent").getByLabel("ご本人(または団体のご担当者)のメールアドレス").fill(featured);
  await page.getByRole("button", { name: "同意の依頼を送る" }).click();
  await expect(page.getByTestId("consent-status")).toHaveText("依頼中(回答待ち)");
  const request = await waitForMail(featured, "consent_request");
  const link = linkIn(request, "/consent/");

  const guest = await browser.newContext();
  const gp = await guest.newPage();
  await gp.goto(link);
  await hydrated(gp);
  await expect(gp.getByRole("heading", { name: "ハローワークと医療機関をつなぐ「就労相談カード」" })).toBeVisible();
  await gp.getByLabel("お名前を伏せて公開してよい").check();
  await shot(gp, "consent-ja");
  await gp.getByRole("button", { name: "同意する" }).click();
  await expect(gp.getByRole("status")).toContainText("ご同意を記録しました");

  // The link was single-use.
  await gp.goto(link);
  await expect(gp.getByRole("alert")).toContainText("期限切れか、すでに使用されています");

  await page.reload();
  await expect(page.getByTestId("consent-status")).toHaveText("同意あり");
  await expect(page.locator("#consent")).toContainText("お名前を伏せて公開してよい");

  const confirmation = await waitForMail(featured, "consent_confirmation");
  await gp.goto(linkIn(confirmation, "/consent/"));
  await hydrated(gp);
  await gp.getByRole("button", { name: "同意を取り下げる" }).click();
  await expect(gp.getByRole("status")).toContainText("同意の取り下げを記録しました");
  await guest.close();

  await page.reload();
  await expect(page.getByTestId("consent-status")).toHaveText("取り下げられました");
  await signOut(page);
});
