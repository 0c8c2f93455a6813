import { expect, Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

export const MAIL_DIR = process.env.E2E_MAIL_DIR ?? path.resolve(__dirname, "../../data/mail");
export const SCREENS = path.resolve(__dirname, "../test-results/screens");

export const DEMO = {
  admin: { email: "admin@example.jp", password: "demo-admin-2026" },
  organiser: { email: "organiser@example.jp", password: "demo-organiser-2026" },
  reviewer: { email: "reviewer@example.jp", password: "demo-reviewer-2026" },
  reviewer2: { email: "reviewer2@example.jp", password: "demo-reviewer-2026" },
  nominator: { email: "nominator@example.jp", password: "demo-nominator-2026" },
};

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}.${Date.now()}.${counter}@example.jp`;
}

/** Resolves once the page is ready to use: loaded and, if it has islands, hydrated (the island
 * loader sets `data-hydrated` on the body). A page without an island loads no wasm at all. */
export async function hydrated(page: Page) {
  await page.waitForLoadState("load");
  if ((await page.locator("leptos-island").count()) > 0) {
    await page.locator("body[data-hydrated]").waitFor({ state: "attached", timeout: 30_000 });
  }
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });
}

export interface Mail {
  id: number;
  kind: string;
  to: string;
  subject: string;
  body: string;
}

/** Waits for the newest mail to `to` (optionally of one kind) written by the mail catcher. */
export async function waitForMail(to: string, kind?: string, after = 0): Promise<Mail> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (fs.existsSync(MAIL_DIR)) {
      const mails = fs
        .readdirSync(MAIL_DIR)
        .filter((f) => f.endsWith(".json"))
        .map((f) => JSON.parse(fs.readFileSync(path.join(MAIL_DIR, f), "utf8")) as Mail)
        .filter((m) => m.to === to && (!kind || m.kind === kind) && m.id > after)
        .sort((a, b) => b.id - a.id);
      if (mails.length > 0) return mails[0];
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${kind ?? ""} mail to ${to} within 20 s (looked in ${MAIL_DIR})`);
}

export function linkIn(mail: Mail, pathPart: string): string {
  const m = mail.body.match(new RegExp(`https?://\\S*${pathPart}\\S*`));
  if (!m) throw new Error(`no link with ${pathPart} in mail: ${mail.body}`);
  return m[0];
}

export async function signUp(page: Page, email: string, name: string, password = "yuragi-to-taiwa") {
  await page.goto("/sign-up");
  await hydrated(page);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("表示名").fill(name);
  await page.getByRole("textbox", { name: "パスワード", exact: true }).fill(password);
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page).toHaveURL(/\/account$/);
}

export async function signIn(page: Page, email: string, password: string, next?: string) {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  await hydrated(page);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByRole("textbox", { name: "パスワード", exact: true }).fill(password);
  await page.getByRole("button", { name: "ログインする" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: /ログアウト|Sign out/ }).first().click();
  await expect(page.getByRole("link", { name: /ログイン|Sign in/ }).first()).toBeVisible();
}
