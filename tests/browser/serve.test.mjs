// `kyozai serve` in a real browser: a small course in a temporary folder is served by the dev
// server; editing a page's Markdown reloads the open page by itself with the new text and the
// reader's scroll position kept; editing only a stylesheet applies the new style without a reload;
// a syntax error shows the error overlay (an alertdialog naming the file, line and column) over the
// last good page, and fixing it removes the overlay; a page opened while the error lasts builds the
// overlay from the error the server put in it, in the page's language, under the strict CSP; editing a section reloads its chapter's open
// slide deck on the slide it was showing. Any console error, page error or failed
// request (other than the event stream cut by a reload) fails the test that caused it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { kyozai, repo, launch, openPage } from "./lib.mjs";

const WAIT = 20_000;

/** A long English page (so that there is somewhere to scroll to) with `marker` near the top. */
function longPage(marker) {
  const paragraphs = Array.from({ length: 80 }, (_, i) => `Paragraph ${i + 1} of the long section, about backups and degraded operation.`);
  return `+++\ntitle = "Long section"\n+++\n## Overview\n\n${marker}\n\n${paragraphs.join("\n\n")}\n\n## End\n\nThe end.\n`;
}

const COURSE = {
  "kyozai.toml": "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"テスト講座\"\nen = \"Test course\"\n",
  "content/_index.ja.md": "+++\ntitle = \"ホーム\"\n+++\nようこそ。\n",
  "content/_index.en.md": "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
  "content/01-intro/_index.ja.md": "+++\ntitle = \"はじめに\"\n+++\n章の本文。\n",
  "content/01-intro/_index.en.md": "+++\ntitle = \"Introduction\"\n+++\nChapter body.\n",
  "content/01-intro/01-long.ja.md": "+++\ntitle = \"長い節\"\n+++\n## 概要\n\n本文。\n",
  "content/01-intro/01-long.en.md": longPage("First version of the text."),
};

let dir;
let server;
let browser;

function write(rel, text) {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** Starts `kyozai serve DIR --port 0`; resolves to { url, child, out, err } once it prints its URL. */
function startServer(course) {
  // With TMPDIR set, the server writes into it, where this test looks (see `output_dir`).
  const child = spawn(kyozai, ["serve", course, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TMPDIR: tmpdir() } });
  const state = { child, out: "", err: "" };
  child.stderr.on("data", (d) => { state.err += d; });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no URL within ${WAIT} ms: ${state.out} ${state.err}`)), WAIT);
    child.on("exit", (code) => fail(new Error(`kyozai serve exited (${code}): ${state.err}`)));
    child.stdout.on("data", (d) => {
      state.out += d;
      const m = state.out.match(/serving the course at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m && !state.url) {
        state.url = m[1];
        clearTimeout(timer);
        ok(state);
      }
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kyozai-serve-browser-"));
  for (const [rel, text] of Object.entries(COURSE)) write(rel, text);
  server = await startServer(dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) {
    const exited = new Promise((ok) => server.child.on("exit", ok));
    server.child.kill("SIGINT");
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
    if (server.child.exitCode === null) server.child.kill("SIGKILL");
    assert.equal(server.child.exitCode, 0, `kyozai serve did not stop cleanly: ${server.err}`);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens `path` on the dev server and waits until its live-reload client is listening. */
async function open(path) {
  const opened = await openPage(browser);
  const listening = opened.page.waitForResponse((r) => r.url().endsWith("/__kyozai/events"), { timeout: WAIT });
  await opened.page.goto(server.url + path, { waitUntil: "load" });
  await listening;
  return opened;
}

/** The problems recorded on a page, without the event stream that a reload cuts off. */
function problemsOf(problems) {
  return problems.filter((p) => !(p.startsWith("request failed:") && p.includes("/__kyozai/events")));
}

test("editing the Markdown reloads the page with the new text and keeps the scroll position", async () => {
  const { context, page, problems } = await open("en/intro/long/");
  try {
    assert.ok(await page.getByText("First version of the text.").isVisible());
    await page.evaluate(() => window.scrollTo(0, 1500));
    await page.waitForFunction(() => Math.abs(window.scrollY - 1500) < 2);
    const y = await page.evaluate(() => window.scrollY);
    await page.evaluate(() => { window.kyozaiTestMarker = "before the edit"; });
    const reloaded = page.waitForEvent("load", { timeout: WAIT });
    write("content/01-intro/01-long.en.md", longPage("Second version of the text, written while the page was open."));
    await reloaded;
    await page.waitForFunction(() => document.body.textContent.includes("Second version of the text"), null, { timeout: WAIT });
    assert.equal(await page.evaluate(() => window.kyozaiTestMarker), undefined, "the page was not reloaded");
    assert.ok(!(await page.content()).includes("First version of the text."));
    // The client puts the reader back where they were once the page has loaded.
    await page.waitForFunction((want) => Math.abs(window.scrollY - want) < 2, y, { timeout: 5000 })
      .catch(async () => assert.fail(`scroll position ${await page.evaluate(() => window.scrollY)}, expected ${y}`));
    assert.deepEqual(problemsOf(problems), []);
  } finally {
    await context.close();
  }
});

test("editing only a stylesheet applies it without reloading the page", async () => {
  const { context, page, problems } = await open("en/intro/long/");
  try {
    const heading = page.locator("main h1");
    const before = await heading.evaluate((h) => getComputedStyle(h).color);
    assert.notEqual(before, "rgb(1, 2, 3)");
    await page.evaluate(() => { window.kyozaiTestMarker = "kept"; });
    const builtin = readFileSync(join(repo, "themes/default/static/style.css"), "utf8");
    for (const color of ["rgb(1, 2, 3)", "rgb(4, 5, 6)"]) {
      write("themes/default/static/style.css", `${builtin}\nmain h1 { color: ${color}; }\n`);
      await page.waitForFunction((c) => getComputedStyle(document.querySelector("main h1")).color === c, color, { timeout: WAIT });
      assert.equal(await page.evaluate(() => window.kyozaiTestMarker), "kept", "the page was reloaded for a stylesheet");
    }
    // The old stylesheet is gone once the new one has loaded: one theme stylesheet, not a pile.
    await page.waitForFunction(() => document.querySelectorAll("link[rel=stylesheet][href*='static/style.css']").length === 1, null, { timeout: WAIT });
    assert.deepEqual(problemsOf(problems), []);
  } finally {
    rmSync(join(dir, "themes"), { recursive: true, force: true });
    await context.close();
  }
});

test("a syntax error shows the overlay over the last good page, and fixing it removes the overlay", async () => {
  const { context, page, problems } = await open("en/intro/long/");
  try {
    await page.waitForFunction(() => !document.getElementById("kyozai-overlay"));
    const good = readFileSync(join(dir, "content/01-intro/01-long.en.md"), "utf8");
    const text = await page.locator("main .content").textContent();
    write("content/01-intro/01-long.en.md", "+++\ntitle = \"Long section\"\n\n## Overview\n\nThe front matter is never closed.\n");
    const overlay = page.getByRole("alertdialog");
    await overlay.waitFor({ state: "visible", timeout: WAIT });
    assert.match(await overlay.textContent(), /content\/01-intro\/01-long\.en\.md:1:1/);
    assert.match(await overlay.textContent(), /never closed/);
    assert.equal(await overlay.locator("h2").textContent(), "Build error", "the English page's words");
    assert.equal(await page.locator("main .content").textContent(), text, "the last good page stays underneath");
    // A page opened while the error lasts shows it at once.
    const other = await open("en/");
    try {
      await other.page.getByRole("alertdialog").waitFor({ state: "visible", timeout: WAIT });
    } finally {
      await other.context.close();
    }
    write("content/01-intro/01-long.en.md", good);
    await overlay.waitFor({ state: "detached", timeout: WAIT });
    assert.deepEqual(problemsOf(problems), []);
  } finally {
    await context.close();
  }
});

/** Resolves once the server serves `path` with (or, with `broken` false, without) a build error in it. */
async function servedError(path, broken) {
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    const html = await (await fetch(server.url + path)).text();
    if (html.includes('id="kyozai-live-error"') === broken) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  assert.fail(`${path} ${broken ? "never carried" : "still carries"} the build error`);
}

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

test("a page opened while the course does not build shows the overlay in its language, under the strict CSP, until the fix", async () => {
  const good = readFileSync(join(dir, "content/01-intro/01-long.ja.md"), "utf8");
  write("content/01-intro/01-long.ja.md", "+++\ntitle = \"長い節\"\n+++\n## 概要\n\n本文。[どこへも](#nowhere)\n");
  await servedError("ja/", true);
  const { context, page, problems } = await openPage(browser);
  try {
    // Every response gets the Content-Security-Policy a published site has; the event stream is
    // held back until the overlay has been checked, so the page shows what it carried itself.
    let held = null;
    let release = false;
    await context.route(() => true, async (route) => {
      if (route.request().url().endsWith("/__kyozai/events")) {
        if (release) await route.continue();
        else held = route;
        return;
      }
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": CSP } });
    });
    await page.goto(server.url + "ja/intro/long/", { waitUntil: "load" });
    const overlay = page.getByRole("alertdialog");
    await overlay.waitFor({ state: "visible", timeout: WAIT });
    assert.equal(held !== null, true, "the event stream was asked for");
    assert.equal(await overlay.locator("h2").textContent(), "ビルドエラー");
    assert.equal(await overlay.getByRole("button").getAttribute("aria-label"), "閉じる");
    assert.match(await overlay.locator(".kyozai-overlay-loc").textContent(), /^content\/01-intro\/01-long\.ja\.md:6:\d+$/);
    assert.match(await overlay.locator(".kyozai-overlay-message").textContent(), /nowhere/);
    assert.match(await overlay.locator(".kyozai-line-error").textContent(), /^>6 \| 本文。/);
    assert.equal(await page.locator("#kyozai-overlay [style], #kyozai-overlay[style]").count(), 0, "no inline style");
    // The event stream's first event repeats the error: the overlay stays, built once.
    release = true;
    const listening = page.waitForResponse((r) => r.url().endsWith("/__kyozai/events"), { timeout: WAIT });
    await held.continue();
    await listening;
    await page.evaluate(() => { document.getElementById("kyozai-overlay").dataset.testMark = "first"; });
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => document.getElementById("kyozai-overlay")?.dataset.testMark), "first");
    write("content/01-intro/01-long.ja.md", good);
    await overlay.waitFor({ state: "detached", timeout: WAIT });
    await servedError("ja/", false);
    assert.deepEqual(problemsOf(problems), []);
  } finally {
    await context.close();
  }
});

test("editing a section reloads its chapter's open deck on the same slide", async () => {
  const { context, page, problems } = await open("en/slides/intro/index.html");
  try {
    const total = await page.locator("#deck .slide").count();
    assert.ok(total > 6, `${total} slides`);
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => location.hash === "#6");
    await page.evaluate(() => { window.kyozaiTestMarker = "before the edit"; });
    const reloaded = page.waitForEvent("load", { timeout: WAIT });
    write("content/01-intro/01-long.en.md", longPage("Third version of the text, written while the deck was open."));
    await reloaded;
    await page.waitForFunction(() => document.querySelector("#deck").textContent.includes("Third version of the text"), null, { timeout: WAIT });
    assert.equal(await page.evaluate(() => window.kyozaiTestMarker), undefined, "the deck was not reloaded");
    assert.deepEqual(await page.evaluate(() => [location.hash, document.querySelector("#deck .slide.current")?.dataset.slide]), ["#6", "6"]);
    assert.match(await page.locator(".deck-position").textContent(), new RegExp(`^6 / ${total}$`));
    assert.deepEqual(problemsOf(problems), []);
  } finally {
    await context.close();
  }
});

test("the dev server's folder goes when it stops", async () => {
  const out = join(tmpdir(), `kyozai-serve-${server.child.pid}`);
  assert.ok(existsSync(out), out);
  const exited = new Promise((ok) => server.child.on("exit", (code) => ok(code)));
  server.child.kill("SIGINT");
  assert.equal(await exited, 0, server.err);
  assert.ok(!existsSync(out), `${out} was left behind`);
});
