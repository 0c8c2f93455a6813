import AxeBuilder from "@axe-core/playwright";
import { test, expect, Page, APIRequestContext, Browser } from "@playwright/test";
import { DEMO, hydrated, linkIn, shot, signIn, uniqueEmail, waitForMail } from "./helpers";

const BASE = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000";

async function noSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

function slugFor(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}`;
}

/** Creates a published event through the organisers' server function (signed in on `page`). */
async function createEvent(page: Page, slug: string, capacity: number, waitingList: boolean): Promise<number> {
  const editions = await page.request.post("/api/list_editions", { headers: { Origin: BASE } });
  expect(editions.ok()).toBeTruthy();
  const editionId = (await editions.json())[0].id;
  const form: Record<string, string> = {
    edition_id: String(editionId),
    slug,
    "input[title_ja]": `テストフォーラム ${slug}`,
    "input[title_en]": `Test forum ${slug}`,
    "input[starts_at]": "2027-03-06T13:00",
    "input[ends_at]": "2027-03-06T16:00",
    "input[venue_name]": "大宮ソニックシティ",
    "input[room]": "905",
    "input[capacity]": String(capacity),
    "input[online]": "on",
    "input[online_link]": "https://example.jp/live/forum",
    "input[retention_days]": "90",
    "input[published]": "on",
  };
  if (waitingList) form["input[waiting_list]"] = "on";
  const res = await page.request.post("/api/create_event", { headers: { Origin: BASE }, form });
  expect(res.ok(), await res.text()).toBeTruthy();
  return Number(await res.json());
}

async function registerByPost(request: APIRequestContext, slug: string, email: string, attendance: string) {
  const res = await request.post("/api/register_for_event", {
    headers: { Origin: BASE },
    form: {
      slug,
      "input[name]": "参加 太郎",
      "input[furigana]": "さんか たろう",
      "input[phone]": "048-123-4567",
      "input[email]": email,
      "input[municipality]": "川越市",
      "input[affiliation]": "support",
      "input[attendance]": attendance,
      "input[rules_ack]": "on",
      "input[privacy_ack]": "on",
    },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  return ((await res.json()).status as string).toLowerCase();
}

async function fillForm(page: Page, email: string, furigana = "さいたま はなこ") {
  await page.getByLabel("お名前").fill("埼玉 花子");
  await page.getByLabel("ふりがな").fill(furigana);
  await page.getByLabel("電話番号").fill("048-123-4567");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("お住まいの市町村").selectOption("川越市");
  await page.getByLabel("支援機関").check();
  await page.getByLabel("対話ルールを読み、当日もこれに沿って参加します。").check();
  await page.getByLabel(/個人情報の取り扱い\(事務局のみ/).check();
}

test("register for the venue in Japanese; when it fills, the next person is offered online only", async ({ page, browser, request }) => {
  await signIn(page, DEMO.organiser.email, DEMO.organiser.password);
  // The organiser creates the event through the form.
  await page.goto("/organise/events");
  await hydrated(page);
  await page.getByText("催しを作る").click();
  const slug = slugFor("venue");
  await page.getByLabel("アドレス(英小文字・数字・ハイフン)").fill(slug);
  await page.getByLabel("名称(日本語)").fill("難病と就労フォーラム 試験回");
  await page.getByLabel("開始(日本時間)").fill("2027-03-06T13:00");
  await page.getByLabel("終了(日本時間)").fill("2027-03-06T16:00");
  await page.getByLabel("会場名").fill("大宮ソニックシティ");
  await page.getByLabel("会場の定員(0 ならオンラインのみ)").fill("50");
  await page.getByLabel("公開する").check();
  await page.getByRole("button", { name: "作る" }).click();
  await expect(page).toHaveURL(/\/organise\/events\/\d+/);

  // Forty-nine people register first.
  for (let i = 0; i < 49; i++) {
    expect(await registerByPost(request, slug, `crowd${i}.${slug}@example.jp`, "venue")).toBe("venue");
  }

  // The fiftieth, in Japanese, on the form.
  const anon = await browser.newContext();
  const p = await anon.newPage();
  await p.goto(`/events/${slug}`);
  await expect(p.getByTestId("availability")).toContainText("残席 1 席");
  await p.getByRole("link", { name: "参加を申し込む" }).click();
  await hydrated(p);
  const email = uniqueEmail("hanako");
  await fillForm(p, email);
  await p.getByLabel(/会場で参加する/).check();
  await shot(p, "forum-form-ja");
  await p.getByRole("button", { name: "申し込む" }).click();
  await expect(p.getByTestId("registered")).toContainText("会場参加で受け付けました");
  const mail = await waitForMail(email, "event_registration");
  expect(mail.subject).toContain("お申し込み受付");
  expect(linkIn(mail, "/events/cancel/")).toBeTruthy();

  // The fifty-first sees that the venue is full and is offered online only.
  await p.goto(`/events/${slug}`);
  await expect(p.getByTestId("availability")).toContainText("満席");
  await expect(p.getByTestId("availability")).toContainText("オンライン参加のみ");
  await p.getByRole("link", { name: "参加を申し込む" }).click();
  await hydrated(p);
  await expect(p.getByLabel(/会場\(満席\)/)).toBeDisabled();
  const late = uniqueEmail("late");
  await fillForm(p, late);
  await p.getByLabel(/オンラインで参加する/).check();
  await p.getByRole("button", { name: "申し込む" }).click();
  await expect(p.getByTestId("registered")).toContainText("オンライン参加で受け付けました");
  await anon.close();

  // The organiser's counts.
  await page.goto(`/organise/events/${page.url().match(/events\/(\d+)/)![1]}/registrations`);
  await expect(page.getByTestId("counts")).toContainText("50");
});

test("cancel through the mailed link gives the seat to the waiting list; the online link goes out; a question reaches the moderator", async ({ page, browser, request }) => {
  await signIn(page, DEMO.organiser.email, DEMO.organiser.password);
  const slug = slugFor("wait");
  const id = await createEvent(page, slug, 1, true);
  const first = uniqueEmail("first");
  const second = uniqueEmail("second");
  const watcher = uniqueEmail("online");
  expect(await registerByPost(request, slug, first, "venue")).toBe("venue");
  expect(await registerByPost(request, slug, second, "venue")).toBe("waiting");
  expect(await registerByPost(request, slug, watcher, "online")).toBe("online");

  // The first registrant cancels from their mail, without an account.
  const anon = await browser.newContext();
  const p = await anon.newPage();
  await p.goto(linkIn(await waitForMail(first, "event_registration"), "/events/cancel/"));
  await hydrated(p);
  await expect(p.getByTestId("registration-status")).toHaveText("会場参加");
  await p.getByRole("button", { name: "申し込みをキャンセルする" }).click();
  await expect(p.getByRole("status")).toContainText("キャンセルを受け付けました");
  await expect(p.getByTestId("registration-status")).toHaveText("キャンセル");

  // The first in line is told and now holds the seat.
  const offered = await waitForMail(second, "event_seat_offered");
  expect(offered.subject).toContain("会場のお席をご用意しました");
  const secondLink = linkIn(await waitForMail(second, "event_registration"), "/events/cancel/");
  await p.goto(secondLink);
  await hydrated(p);
  await expect(p.getByTestId("registration-status")).toHaveText("会場参加");

  // They send a question in advance.
  await p.getByRole("textbox", { name: "質問", exact: true }).fill("通院と両立しながら働くために、職場に最初に伝えたことは何ですか。");
  await p.getByLabel("対話ルールを読み、これに沿って書きました。").check();
  await p.getByRole("button", { name: "質問を送る" }).click();
  await expect(p.getByRole("status")).toContainText("質問を受け付けました");
  await anon.close();

  // The organiser sends the online link, once.
  await page.goto(`/organise/events/${id}`);
  await hydrated(page);
  await page.getByRole("button", { name: "オンラインのリンクを送る" }).click();
  await expect(page.getByRole("status").filter({ hasText: "名に送りました" })).toContainText("1 名に送りました");
  const link = await waitForMail(watcher, "event_online_link");
  expect(link.body).toContain("https://example.jp/live/forum");

  // The organiser accepts the question; the moderator view shows it.
  await page.goto(`/organise/events/${id}/questions`);
  await hydrated(page);
  await expect(page.getByText("通院と両立しながら")).toBeVisible();
  await page.getByRole("button", { name: "採用" }).first().click();
  await expect(page.locator(".question").first()).toContainText("採用");
  await page.goto(`/organise/events/${id}/moderator`);
  await expect(page.getByText("通院と両立しながら働くために")).toBeVisible();
  await shot(page, "forum-moderator-ja");
  await switchToEnglish(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await shot(page, "forum-moderator-en");
  await switchToJapanese(page);
});

async function switchToEnglish(page: Page) {
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
}

async function switchToJapanese(page: Page) {
  await page.getByRole("button", { name: "日本語に切り替える" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
}

test("the registration form works without JavaScript and keeps what was typed", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/events/saitama-2027/register");
  const email = uniqueEmail("nojs");
  await fillForm(page, email, "Saitama Hanako");
  await page.getByLabel(/会場で参加する/).check();
  await page.getByLabel("配慮の希望(任意)").fill("入口に近い席を希望します。");
  await page.getByRole("button", { name: "申し込む" }).click();
  await expect(page.getByRole("alert")).toContainText("ひらがなまたはカタカナで入力してください");
  // Nothing typed is lost.
  await expect(page.getByLabel("お名前")).toHaveValue("埼玉 花子");
  await expect(page.getByLabel("メールアドレス")).toHaveValue(email);
  await expect(page.getByLabel("配慮の希望(任意)")).toHaveValue("入口に近い席を希望します。");
  await expect(page.getByLabel("お住まいの市町村")).toHaveValue("川越市");
  await shot(page, "forum-form-error-nojs");
  await page.getByLabel("ふりがな").fill("さいたま はなこ");
  await page.getByLabel("対話ルールを読み、当日もこれに沿って参加します。").check();
  await page.getByLabel(/個人情報の取り扱い\(事務局のみ/).check();
  await page.getByRole("button", { name: "申し込む" }).click();
  await expect(page.getByTestId("registered")).toContainText("会場参加で受け付けました");
  await context.close();
});

test("the demo shows a past and an upcoming forum, in both languages", async ({ browser }) => {
  for (const [locale, lang] of [["ja-JP", "ja"], ["en-US", "en"]] as const) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto("/");
    const events = page.locator("#events");
    await expect(events.getByRole("link", { name: /SAITAMA 2027/ })).toBeVisible();
    await expect(events.getByRole("link", { name: /SAITAMA 2026/ })).toBeVisible();
    await page.goto("/events/saitama-2026");
    await expect(page.getByTestId("availability")).toContainText(lang === "ja" ? "終了しました" : "has ended");
    await expect(page.getByRole("heading", { name: lang === "ja" ? "プログラム" : "Programme" })).toBeVisible();
    await expect(page.getByText("朝日 雅也")).toBeVisible();
    await expect(page.locator(".session.kind-panel .speakers li")).toHaveCount(9);
    await shot(page, `forum-past-${lang}`);
    await page.goto("/events/saitama-2027");
    await expect(page.getByTestId("availability")).toContainText(lang === "ja" ? "受付中" : "Registration is open");
    await noSeriousViolations(page, `event page ${lang}`);
    await shot(page, `forum-event-${lang}`);
    await page.goto("/events/saitama-2027/register");
    await noSeriousViolations(page, `registration form ${lang}`);
    await shot(page, `forum-form-${lang}`);
    await page.goto("/events/registered?event=saitama-2027&status=venue");
    await noSeriousViolations(page, `confirmation ${lang}`);
    const ics = await page.request.get("/events/saitama-2027/event.ics");
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    expect(await ics.text()).toContain("BEGIN:VEVENT");
    await context.close();
  }
});

test("the event page and the form fit a 360 px screen", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const path of ["/events/saitama-2026", "/events/saitama-2027/register"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await page.goto("/events/saitama-2026");
  await shot(page, "forum-past-360");
  await context.close();
});

export type { Browser };
