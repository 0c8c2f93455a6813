import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO, hydrated, signIn } from "./helpers";

const SERVER_BIN = process.env.E2E_SERVER_BIN ?? path.resolve(__dirname, "../../target/debug/server");

// Stored text that tries to become script, in every field an import can fill.
const VECTORS = [
  "</title><script>alert('title')</script>",
  "<img src=x onerror=alert('img')>",
  "\"><svg onload=alert('svg')>",
  "</script><script>alert('script')</script>",
  "[x](javascript:alert('md'))",
  "<iframe src=\"javascript:alert('iframe')\"></iframe>",
  "' onmouseover='alert(1)",
  "<details open ontoggle=alert('toggle')>",
];

test("stored text never runs as script: record pages, search and a nomination, cached and uncached", async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const lines = VECTORS.map((v, i) =>
    JSON.stringify({
      title: `${v} 攻撃${stamp}-${i}`,
      category: "support",
      region: "saitama",
      edition: `過去回 ${v}`.slice(0, 60),
      year: 2024,
      summary: `${v} 要約`,
      practice: `${v}\n\n- ${v}`,
      lessons: v,
      tags: [v.slice(0, 40)],
      consent_scope: "archive_named",
      nominee_name: v.slice(0, 100),
    }),
  );
  const file = path.join(os.tmpdir(), `hostile-${stamp}.jsonl`);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  execFileSync(SERVER_BIN, ["import-practices", file], { env: { ...process.env, RUST_LOG: "warn" } });

  const dialogs: string[] = [];
  const anon = await browser.newContext();
  const signedIn = await browser.newContext();
  for (const ctx of [anon, signedIn]) ctx.on("page", (p) => p.on("dialog", (d) => { dialogs.push(`${p.url()}: ${d.message()}`); d.dismiss(); }));
  const ap = await anon.newPage();
  ap.on("dialog", (d) => { dialogs.push(`${ap.url()}: ${d.message()}`); d.dismiss(); });
  const sp = await signedIn.newPage();
  sp.on("dialog", (d) => { dialogs.push(`${sp.url()}: ${d.message()}`); d.dismiss(); });
  await signIn(sp, DEMO.nominator.email, DEMO.nominator.password);

  // Find the imported records through the archive's own search.
  await ap.goto(`/archive?q=${encodeURIComponent(`攻撃${stamp}`)}`);
  const hrefs = await ap.locator("a[href^='/practices/']").evaluateAll((as) => [...new Set(as.map((a) => (a as HTMLAnchorElement).pathname))]);
  expect(hrefs.length).toBeGreaterThanOrEqual(VECTORS.length);
  for (const href of hrefs) {
    // Anonymous twice (rendered, then from the page cache), and signed in (rendered every time).
    for (const p of [ap, ap, sp]) {
      await p.goto(href);
      await hydrated(p);
      await p.mouse.move(200, 200);
      await expect(p.getByRole("heading", { level: 1 })).toContainText(`攻撃${stamp}`);
    }
  }
  for (const v of VECTORS) {
    for (const p of [ap, ap, sp]) {
      await p.goto(`/archive?q=${encodeURIComponent(v)}`);
      await hydrated(p);
    }
  }

  // A nomination whose title and summary are vectors, seen by its nominator.
  await sp.goto("/nominate");
  await hydrated(sp);
  await sp.getByLabel(/企業実践部門/).check();
  await sp.getByRole("button", { name: "この区分で書きはじめる" }).click();
  await expect(sp).toHaveURL(/\/nominations\/\d+\/edit$/);
  await hydrated(sp);
  await sp.getByLabel("推薦の題名").fill(VECTORS[0]);
  await sp.getByRole("button", { name: "下書きを保存" }).click();
  await expect(sp.getByRole("status").filter({ hasText: "保存しました" })).toBeVisible();
  const editUrl = sp.url();
  await sp.goto(editUrl.replace(/\/edit.*$/, ""));
  await hydrated(sp);
  await expect(sp.getByRole("heading", { level: 1 })).toContainText("</title><script>");
  await sp.goto("/nominations");
  await hydrated(sp);

  expect(dialogs).toEqual([]);
  await anon.close();
  await signedIn.close();
});
