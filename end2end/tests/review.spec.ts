import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { DEMO, hydrated, linkIn, shot, signIn, uniqueEmail, waitForMail } from "./helpers";

const SERVER_BIN = process.env.E2E_SERVER_BIN ?? path.resolve(__dirname, "../../target/debug/server");

async function noSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function moveStage(page: Page, editionUrl: string, target: string, reason: string) {
  await page.goto(editionUrl);
  await hydrated(page);
  await page.getByText("段階を進める・戻す").click();
  await page.getByLabel("移る段階").selectOption(target);
  await page.getByLabel("理由").fill(reason);
  await page.getByRole("button", { name: "移る" }).click();
}

test("review journey: edition, screening, invitations, auto-assignment, scoring, ranking, decisions, results", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const stamp = Date.now();
  const slug = `e2e-${stamp}`;
  await signIn(page, DEMO.organiser.email, DEMO.organiser.password);

  // The organiser creates an edition.
  await page.goto("/organise");
  await hydrated(page);
  await page.getByText("新しい開催回をつくる").click();
  await page.getByLabel("名称(日本語)").fill(`AWARD テスト ${stamp}`);
  await page.getByLabel("名称(英語)").fill(`AWARD test ${stamp}`);
  await page.getByLabel("識別子").fill(slug);
  await page.getByLabel("形式").selectOption("conference_award");
  await page.getByLabel("開始年").fill("2027");
  await page.getByRole("button", { name: "作成する" }).click();
  await expect(page).toHaveURL(/\/organise\/editions\/\d+$/);
  const editionUrl = new URL(page.url()).pathname;
  const editionId = editionUrl.split("/").pop();

  // Nominations come in (seeded by the operator command against the same database).
  execFileSync(SERVER_BIN, ["seed-demo", "--into-edition", slug], { env: { ...process.env, RUST_LOG: "warn" } });

  // Review settings: two reviewers per entry; normalise from two sheets on.
  await page.goto(editionUrl);
  await hydrated(page);
  await page.getByLabel("1件あたりの審査員数").fill("2");
  await page.getByLabel("正規化に必要な最低採点数").fill("2");
  await page.locator("form").filter({ hasText: "ブラインド審査" }).getByRole("button", { name: "保存" }).click();
  await expect(page.getByLabel("1件あたりの審査員数")).toHaveValue("2");

  // Screening.
  await moveStage(page, editionUrl, "screening", "受付終了");
  await expect(page.getByTestId("current-stage")).toHaveText("確認(スクリーニング)");
  await page.goto(`${editionUrl}/nominations`);
  const links = await page.getByRole("table").getByRole("link").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  expect(links.length).toBe(4);
  for (const href of links) {
    await page.goto(href);
    await hydrated(page);
    await page.locator("#screening").getByLabel("審査対象").check();
    await page.getByRole("button", { name: "記録する" }).click();
    await expect(page.getByTestId("screening")).toHaveText("審査対象");
  }

  // Two reviewers are invited by e-mail and accept with new accounts.
  const reviewers = [uniqueEmail("judge-a"), uniqueEmail("judge-b")];
  const reviewerPages: Page[] = [];
  for (const email of reviewers) {
    await page.goto(`${editionUrl}/reviewers`);
    await hydrated(page);
    await page.getByLabel("メールアドレス").fill(email);
    for (const name of ["企業実践部門", "支援実践部門", "自治体活動・実践部門", "PEOPLE部門"]) {
      await page.locator("form").filter({ hasText: "担当する区分" }).getByLabel(name).check();
    }
    await page.getByRole("button", { name: "招待を送る" }).click();
    await expect(page.getByRole("status").filter({ hasText: "招待を送りました" })).toBeVisible();
    const mail = await waitForMail(email, "reviewer_invitation");
    const ctx = await browser.newContext();
    const rp = await ctx.newPage();
    await rp.goto(linkIn(mail, "/invite/"));
    await hydrated(rp);
    await rp.getByLabel("表示名").fill(email.startsWith("judge-a") ? "審査 A" : "審査 B");
    await rp.getByRole("textbox", { name: "パスワード", exact: true }).fill("judge-password-1");
    await rp.getByRole("button", { name: "引き受ける" }).click();
    await expect(rp).toHaveURL(/\/review$/);
    reviewerPages.push(rp);
  }
  await shot(page, "reviewers-ja");

  // Review round 1, automatic assignment.
  await moveStage(page, editionUrl, "review:1", "審査開始");
  await expect(page.getByTestId("current-stage")).toHaveText("審査(ラウンド 1)");
  await page.goto(`${editionUrl}/assignments`);
  await hydrated(page);
  await page.getByRole("button", { name: /自動で割り当てる/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "割り当てました" })).toBeVisible();
  await expect(page.locator("tr.gap")).toHaveCount(0);
  await shot(page, "assignments-ja");

  // Each reviewer scores every entry in the browser; A is generous, B strict.
  for (const [i, rp] of reviewerPages.entries()) {
    await rp.goto("/review");
    await expect(rp.getByTestId("progress")).toHaveText("0 / 4");
    const sheets = await rp.getByRole("link", { name: "採点する" }).evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    for (const [j, href] of sheets.entries()) {
      await rp.goto(href);
      await hydrated(rp);
      const value = i === 0 ? 5 - (j % 3) : 3 - (j % 3);
      const groups = rp.locator("fieldset.criterion");
      const n = await groups.count();
      for (let k = 0; k < n; k++) {
        await groups.nth(k).locator(`input[value="${value}"]`).check();
      }
      await rp.getByLabel("審査メモ(事務局のみ閲覧)").fill(`メモ ${j}`);
      // One note to a nominee; it reaches them only once the organisers have read it.
      if (i === 0 && j === 0) await rp.getByLabel("推薦者へのコメント(任意)").fill("職場で話し合いを重ねた様子が伝わり、ほかの職場の参考になります。");
      if (i === 0 && j === 0) await shot(rp, "score-sheet-ja");
      if (i === 0 && j === 0) {
        // The sheet with its pace box (pause / hand back) reads well to assistive technology.
        await expect(rp.getByTestId("pace")).toBeVisible();
        await noSeriousViolations(rp, "score sheet");
      }
      await rp.getByRole("button", { name: "提出する" }).click();
      await expect(rp.getByTestId("sheet-status")).toHaveText("提出済み");
    }
    await rp.goto("/review");
    await expect(rp.getByTestId("progress")).toHaveText("4 / 4");
    await rp.context().close();
  }

  // Decisions: the ranking shows raw and normalised scores side by side.
  await moveStage(page, editionUrl, "decisions", "審査完了");
  await page.goto(`${editionUrl}/ranking`);
  await hydrated(page);
  await expect(page.getByRole("columnheader", { name: "素点" }).first()).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "正規化後" }).first()).toBeVisible();
  const rows = page.locator("tr[data-testid^='rank-']");
  await expect(rows).toHaveCount(4);
  for (let k = 0; k < 4; k++) {
    await expect(rows.nth(k).getByTestId("raw")).not.toHaveText("—");
    await expect(rows.nth(k).getByTestId("normalised")).not.toHaveText("—");
  }
  await shot(page, "ranking-ja");
  const outcomes = ["certified", "grand_prize", "certified", "not_selected"];
  // Decisions are saved and shown in place: the page is never reloaded (this mark would go).
  await page.evaluate(() => ((window as any).__sameDocument = true));
  for (let k = 0; k < 4; k++) {
    const row = page.locator("tr[data-testid^='rank-']").nth(k);
    await row.getByRole("combobox").selectOption(outcomes[k]);
    // Saving brings back the ranking as the server now has it and the island puts it in place
    // (busy until then); wait for it, or the swap could reset the next row's choice.
    const fresh = page.waitForResponse((r) => r.request().method() === "GET" && r.url().includes("/ranking"));
    await row.getByRole("button", { name: "保存" }).click();
    await fresh;
    await expect(page.locator("leptos-island[aria-busy]")).toHaveCount(0);
    await expect(page.locator("tr[data-testid^='rank-']").nth(k).getByRole("combobox")).toHaveValue(outcomes[k]);
  }
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await shot(page, "ranking-decided-ja");
  // Saved, not only shown: a fresh load has the same four decisions.
  await page.reload();
  for (let k = 0; k < 4; k++) {
    await expect(page.locator("tr[data-testid^='rank-']").nth(k).getByRole("combobox")).toHaveValue(outcomes[k]);
  }
  // Calibration: each reviewer against the panel, and the export for briefing the next panel.
  await page.goto(`${editionUrl}/calibration`);
  await expect(page.getByRole("heading", { name: /審査のふりかえり/, level: 1 })).toBeVisible();
  await expect(page.getByTestId("calibration-reviewers").locator("tbody tr")).not.toHaveCount(0);
  await expect(page.getByTestId("panel")).toBeVisible();
  await shot(page, "calibration-ja");
  await noSeriousViolations(page, "calibration");
  const csv = await page.request.get(`${editionUrl}/scores.csv?kind=calibration&round=1`);
  expect(csv.status()).toBe(200);
  expect((await csv.body())[0]).toBe(0xef);
  // The organisers read the reviewers' comment to the nominee before release and pass it on.
  await page.goto(`${editionUrl}/feedback`);
  await hydrated(page);
  const item = page.getByTestId("moderation-item");
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId("moderation-state")).toHaveText("未確認");
  const feedbackUrl = await item.getByRole("link").first().evaluate((a) => (a as HTMLAnchorElement).pathname);
  await item.getByRole("button", { name: "届けない" }).click();
  await expect(page.getByRole("alert")).toContainText("理由");
  await item.getByRole("button", { name: "そのまま届ける" }).click();
  await expect(page.getByTestId("moderation-item").getByTestId("moderation-state")).toHaveText("そのまま届ける");
  await shot(page, "feedback-moderation-ja");
  await noSeriousViolations(page, "feedback moderation");
  // The organisers' preview shows what the nominee will read.
  await page.goto(feedbackUrl);
  await expect(page.getByTestId("feedback-preview")).toBeVisible();
  await expect(page.getByTestId("feedback-comments")).toContainText("ほかの職場の参考になります");
  await page.goto(`${editionUrl}/ranking`);
  await hydrated(page);
  await page.getByRole("button", { name: "結果を公開して推薦者に知らせる" }).click();
  await expect(page.getByRole("status").filter({ hasText: "結果を公開しました" })).toBeVisible();

  // The audit log has the stage changes, assignments, sheets and decisions.
  await page.goto(`${editionUrl}/audit?action=stage.`);
  await expect(page.getByRole("cell", { name: "stage.changed" })).toHaveCount(4);

  // The nominator sees the outcome, in kind words, and got an e-mail.
  const nominator = await browser.newContext();
  const np = await nominator.newPage();
  await signIn(np, DEMO.nominator.email, DEMO.nominator.password);
  await np.goto("/nominations");
  await expect(np.getByText(`AWARD テスト ${stamp}`).first()).toBeVisible();
  const statuses = await np.locator(".card").filter({ hasText: `AWARD テスト ${stamp}` }).locator(".status").allTextContents();
  expect(statuses.sort()).toEqual(
    ["実践共有認定となりました", "実践共有認定となりました", "表彰が決まりました(大賞)", "今回は選ばれませんでしたが、大切な実践をご推薦いただきありがとうございました"].sort(),
  );
  await shot(np, "outcome-ja");
  const mail = await waitForMail(DEMO.nominator.email, "results_published");
  expect(mail.subject).toContain("結果のお知らせ");
  // The nominee reads their feedback: the outcome and what it means, the comment as passed on,
  // and no steps per aspect (four entries are too few for them), in Japanese and in English.
  await np.goto(feedbackUrl.replace("/feedback", ""));
  await np.getByTestId("feedback-link").click();
  await expect(np).toHaveURL(new RegExp(`${feedbackUrl}$`));
  await expect(np.getByRole("heading", { level: 1 })).toHaveText("講評のお知らせ");
  await expect(np.getByTestId("feedback-preview")).toHaveCount(0);
  await expect(np.getByTestId("feedback-comments")).toContainText("話し合いを重ねた様子");
  await expect(np.getByTestId("feedback-no-bands")).toBeVisible();
  await expect(np.getByTestId("feedback-report")).not.toContainText("メモ");
  await shot(np, "feedback-ja");
  await noSeriousViolations(np, "feedback");
  await nominator.addCookies([{ name: "gp_lang", value: "en", url: np.url() }]);
  await np.reload();
  await expect(np.getByRole("heading", { level: 1 })).toHaveText("Your feedback");
  await expect(np.getByTestId("feedback-comments")).toContainText("話し合いを重ねた様子");
  await shot(np, "feedback-en");
  await np.emulateMedia({ media: "print" });
  await shot(np, "feedback-print-en");
  await nominator.close();
  expect(editionId).toBeTruthy();
});
