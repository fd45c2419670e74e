// The SCORM 1.2 package in an LMS: `kyozai scorm` writes the zip, the test unzips it beside a
// host page that puts scorm-again's SCORM 1.2 API on window.API (the runtime LMS players embed)
// and opens the package's launch page in a frame, all served from one origin. The learner takes
// quizzes, moves between pages and answers the checklist; the test asserts what the LMS holds
// (every call the package made, and scorm-again's data model): one LMSInitialize, lesson_status
// incomplete → failed → passed by the completion rule, the score, session_time in the SCORM 1.2
// format, lesson_location, suspend_data within 4,096 characters, LMSFinish on unload. Then it
// resumes as an LMS does (a new API instance loaded with the kept data model, entry "resume") in a
// browser with empty storage, and checks that the progress came back from the LMS. Without an LMS
// the package is the plain site, over http and file://, with no console error.
//
// Run from tests/browser after `cargo build`: node --test scorm.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, mkdirSync, copyFileSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve, launch, openPage, fileUrl, kyozai, repo } from "./lib.mjs";

const COURSE = "hospital-security-executives";
const CHECKLIST = "self-assessment";
const TIMESPAN = /^\d{4}:\d{2}:\d{2}\.\d{2}$/;
const axeSource = readFileSync(new URL("node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

let dir;
let server;
let browser;

/** Writes the package of `course` in `lang` and unzips it under `host/pkg-NAME/` beside the host page. */
function packageInto(host, lang, course = repo, name = lang) {
  const zip = join(dir, `course-${name}.zip`);
  execFileSync(kyozai, ["scorm", course, "-o", zip, "--lang", lang, "-q"], { stdio: "inherit" });
  const pkg = join(host, `pkg-${name}`);
  mkdirSync(pkg, { recursive: true });
  execFileSync("unzip", ["-q", zip, "-d", pkg]);
  return pkg;
}

before(async () => {
  assert.ok(existsSync(kyozai), `${kyozai} is missing: run cargo build first`);
  dir = mkdtempSync(join(tmpdir(), "kyozai-scorm-"));
  const host = join(dir, "host");
  mkdirSync(host);
  for (const f of ["index.html", "host.js", "host.css"]) copyFileSync(new URL(`scorm-host/${f}`, import.meta.url), join(host, f));
  copyFileSync(new URL("node_modules/scorm-again/dist/scorm12.js", import.meta.url), join(host, "scorm12.js"));
  packageInto(host, "en");
  packageInto(host, "ja");
  // A course without a [completion] rule: the bare fixture.
  packageInto(host, "en", join(repo, "tests/fixtures/bare"), "bare");
  server = await serve(host);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// ---- Helpers ------------------------------------------------------------------------------

/** Opens the host LMS on the package in `lang`; `resume` is the data model kept from the last session. */
async function openLms(lang, resume = null) {
  const { context, page, problems } = await openPage(browser);
  if (resume) await context.addInitScript((d) => { window.lmsResume = d; }, resume);
  await page.goto(`${server.url}index.html?pkg=pkg-${lang}`);
  await page.waitForFunction(() => window.lmsCalls && window.lmsCalls.some((c) => c.fn === "LMSCommit"));
  return { context, page, problems };
}

/** The course pages' frame inside the launch page. */
function course(page) {
  const f = page.frames().find((x) => x.parentFrame() && /\/scorm\.html$/.test(x.parentFrame().url()) && x.url() !== "about:blank");
  assert.ok(f, "the launch page shows a course page in its frame");
  return f;
}

/** Waits until the frame shows `path` (below the package) with its scripts started. */
async function shows(page, path) {
  await page.waitForFunction((p) => {
    const sco = document.getElementById("sco").contentWindow;
    const inner = sco.document.getElementById("scorm-frame");
    return inner && inner.contentWindow.location.pathname.endsWith("/" + p) && inner.contentDocument.readyState === "complete";
  }, path);
  return course(page);
}

/** Opens `path` (below the package) in the frame, as a link of the course would. */
async function visit(page, path) {
  await course(page).goto(new URL(path, new URL("./", course(page).parentFrame().url())).href);
  return shows(page, path);
}

/** Follows a link in the frame, as the learner does, and waits for its page. */
async function follow(page, selector, path) {
  await course(page).click(selector);
  return shows(page, path);
}

const calls = (page) => page.evaluate(() => window.lmsCalls);
const lms = (page) => page.evaluate(() => window.API.renderCMIToJSONObject().cmi);

/** Waits until the LMS's committed value of `element` (a path below cmi) satisfies `ok`. */
async function until(page, what, ok) {
  const deadline = Date.now() + 5000;
  let last;
  while (Date.now() < deadline) {
    last = await lms(page);
    if (ok(last)) return last;
    await page.waitForTimeout(50);
  }
  assert.fail(`the LMS never got ${what}; it holds ${JSON.stringify(last)}`);
}

/** Takes quiz `id` in the frame, answering every question right (or every one wrong). */
async function takeQuiz(page, lang, id, right) {
  const frame = await visit(page, `${lang}/quizzes/${id}/index.html`);
  const qs = await frame.evaluate((id) => [...document.querySelectorAll(`section.quiz[data-quiz="${id}"] fieldset.quiz-question`)].map((fs) => ({
    id: fs.getAttribute("data-question"),
    options: [...fs.querySelectorAll(".quiz-option")].map((li) => li.getAttribute("data-option")),
    right: [...fs.querySelectorAll(".quiz-option")].filter((li) => li.querySelector(".quiz-mark-correct")).map((li) => li.getAttribute("data-option")),
  })), id);
  assert.ok(qs.length >= 6, `quiz ${id} has its questions`);
  for (const q of qs) {
    const want = right ? q.right : [q.options.find((o) => !q.right.includes(o))];
    for (const o of q.options) {
      const input = frame.locator(`fieldset[data-question="${q.id}"] input[value="${o}"]`);
      if ((await input.isChecked()) !== want.includes(o)) await frame.locator(`label[for="${await input.getAttribute("id")}"]`).click();
    }
  }
  await frame.click(".quiz-submit");
  await frame.waitForSelector(".quiz-summary:not(:empty)");
}

/** Answers every checklist item in the frame, with `note(i)` as each note. */
async function answerChecklist(page, lang, note) {
  const frame = await visit(page, `${lang}/checklists/${CHECKLIST}/index.html`);
  const items = await frame.evaluate(() => [...document.querySelectorAll("[data-item]")].map((it) => ({
    id: it.getAttribute("data-item"),
    statuses: [...it.querySelectorAll("input[type=radio]")].map((r) => r.value),
  })).filter((it) => it.statuses.length));
  assert.equal(items.length, 12);
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const status = it.statuses[i % it.statuses.length];
    await frame.locator(`label.status-option:has(input[type=radio][name="${CHECKLIST}--${it.id}"][value="${status}"])`).click();
    if (note) await frame.fill(`textarea[name="${CHECKLIST}--${it.id}--note"]`, note(i));
  }
  // checklist.js saves a note when it changes; leave the last field so it is saved.
  await frame.locator(`label.status-option:has(input[type=radio][name="${CHECKLIST}--${items[0].id}"][value="${items[0].statuses[0]}"])`).click();
  return items;
}

/** Leaves the course as the learner closing the LMS's player does: the launch page unloads. */
async function leave(page) {
  await page.evaluate(() => { document.getElementById("sco").src = "about:blank"; });
  await page.waitForFunction(() => window.lmsCalls.some((c) => c.fn === "LMSFinish"));
}

/** The data model an LMS keeps after the session and hands back on resume ("suspend" → entry "resume"). */
function kept(cmi) {
  const d = JSON.parse(JSON.stringify(cmi));
  assert.equal(d.core.exit, "suspend");
  delete d.core.exit;
  delete d.core.session_time;
  d.core.entry = "resume";
  return d;
}

function set(callList, element) {
  return callList.filter((c) => c.fn === "LMSSetValue" && c.args[0] === element).map((c) => c.args[1]);
}

function stored(frame, key) {
  return frame.evaluate((k) => JSON.parse(localStorage.getItem(k)), key);
}

// ---- Tests ----------------------------------------------------------------------------------

test("one LMS session across pages: status, score, location, session time, suspend data; resumed from the LMS alone", async () => {
  const lang = "en";
  // ---- First session.
  const first = await openLms(lang);
  let { page, problems } = first;
  let frame = await shows(page, `${lang}/index.html`);
  let cmi = await until(page, "lesson_location on the home page", (c) => c.core.lesson_location === `${lang}/index.html`);
  assert.equal(cmi.core.lesson_status, "incomplete");
  assert.equal(cmi.core.score.raw, "", "no score before a quiz is taken");

  // Moving between pages: the next-page link, then a chapter's section.
  frame = await follow(page, "a[rel=next]", await course(page).evaluate(() => new URL(document.querySelector("a[rel=next]").href).pathname.replace(/^.*?\/pkg-[a-z]+\//, "")));
  const second = await course(page).evaluate(() => window.location.pathname.replace(/^.*?\/pkg-[a-z]+\//, ""));
  await until(page, `lesson_location ${second}`, (c) => c.core.lesson_location === second);

  await takeQuiz(page, lang, "awareness", true);
  cmi = await until(page, "a score", (c) => c.core.score.raw === "33");
  assert.equal(cmi.core.score.min, "0");
  assert.equal(cmi.core.score.max, "100");
  assert.equal(cmi.core.lesson_status, "incomplete", "two quizzes and the checklist are still to do");
  await takeQuiz(page, lang, "survey", false);
  await until(page, "the survey quiz in suspend_data", (c) => (JSON.parse(c.suspend_data).q || {}).survey);
  await visit(page, `${lang}/survey/index.html`);
  cmi = await until(page, "lesson_location on the survey chapter", (c) => c.core.lesson_location === `${lang}/survey/index.html`);
  assert.equal(cmi.core.lesson_status, "incomplete");
  assert.equal(cmi.core.score.raw, "33", "mean of the best scores: 100, 0 and an untaken 0");

  const sd = JSON.parse(cmi.suspend_data);
  assert.ok(cmi.suspend_data.length <= 4096);
  assert.deepEqual(Object.keys(sd.q).sort(), ["awareness", "survey"]);
  assert.equal(sd.q.awareness[0], 100);
  assert.equal(sd.q.survey[0], 0);

  await leave(page);
  let all = await calls(page);
  assert.equal(all.filter((c) => c.fn === "LMSInitialize").length, 1, "LMSInitialize once for the whole visit");
  assert.equal(all.filter((c) => c.fn === "LMSFinish").length, 1);
  assert.equal(all[all.length - 1].fn, "LMSFinish", "nothing after LMSFinish");
  assert.deepEqual(all.filter((c) => c.fn !== "LMSGetValue" && c.result !== "true"), [], "the LMS accepted every call");
  const times = set(all, "cmi.core.session_time");
  assert.ok(times.length >= 2);
  for (const t of times) assert.match(t, TIMESPAN);
  assert.ok(all.filter((c) => c.fn === "LMSCommit").length >= 3, "a commit after the changes");
  const read = JSON.parse(set(all, "cmi.suspend_data").pop());
  assert.equal(read.v, 1);
  cmi = await lms(page);
  assert.equal(cmi.core.exit, "suspend");
  const resume = kept(cmi);
  assert.deepEqual(problems, []);
  await first.context.close();

  // ---- Resumed, in a browser that holds nothing of the course: everything comes from the LMS.
  const again = await openLms(lang, resume);
  ({ page, problems } = again);
  frame = await shows(page, `${lang}/survey/index.html`);
  const aw = await stored(frame, "kyozai:quiz:awareness");
  assert.equal(aw.best, 100);
  assert.equal(aw.passed, true);
  assert.equal((await stored(frame, "kyozai:quiz:survey")).best, 0);
  assert.equal(await stored(frame, "kyozai:quiz:budget"), null);
  const progress = await stored(frame, `kyozai:progress:${COURSE}`);
  for (const p of ["", second.replace(/^en\//, "").replace(/\/?index\.html$/, ""), "survey"]) assert.ok(progress.read.includes(p), `page "${p}" read`);
  const learner = await stored(frame, `kyozai:learner:${COURSE}`);
  assert.deepEqual([learner.name, learner.staff_id], ["Hanako Sato", "A-1024"], "the learner as the LMS names them");
  // The progress page shows it.
  frame = await visit(page, `${lang}/progress/index.html`);
  assert.equal(await frame.locator('tr[data-quiz="awareness"] [data-field="best"]').innerText(), "100%");
  assert.equal(await frame.locator('tr[data-quiz="survey"] [data-field="best"]').innerText(), "0%");

  // Every quiz taken and the checklist answered, one quiz below its pass mark: failed.
  await takeQuiz(page, lang, "budget", true);
  await answerChecklist(page, lang, null);
  cmi = await until(page, "lesson_status failed", (c) => c.core.lesson_status === "failed");
  assert.equal(cmi.core.score.raw, "67");
  // A retry that passes: passed.
  await takeQuiz(page, lang, "survey", true);
  cmi = await until(page, "lesson_status passed", (c) => c.core.lesson_status === "passed");
  assert.equal(cmi.core.score.raw, "100");
  assert.ok(cmi.suspend_data.length <= 4096);
  await leave(page);
  all = await calls(page);
  assert.equal(all.filter((c) => c.fn === "LMSInitialize").length, 1);
  assert.equal(all.find((c) => c.fn === "LMSGetValue" && c.args[0] === "cmi.core.entry").result, "resume");
  for (const t of set(all, "cmi.core.session_time")) assert.match(t, TIMESPAN);
  const resumeAgain = kept(await lms(page));
  assert.deepEqual(problems, []);
  await again.context.close();

  // ---- A third session: passed stays passed, even after the browser's progress is reset.
  const third = await openLms(lang, resumeAgain);
  ({ page, problems } = third);
  frame = await shows(page, `${lang}/quizzes/survey/index.html`);
  assert.equal((await stored(frame, "kyozai:quiz:survey")).best, 100);
  await frame.evaluate(() => { localStorage.removeItem("kyozai:quiz:survey"); });
  await page.waitForTimeout(400);
  assert.equal((await lms(page)).core.lesson_status, "passed", "a passed course is never taken back");
  assert.deepEqual(problems, []);
  await third.context.close();
});

test("suspend_data stays within 4,096 characters with every quiz, the checklist and long notes", async () => {
  const { context, page, problems } = await openLms("ja");
  try {
    await shows(page, "ja/index.html");
    for (const q of ["awareness", "survey", "budget"]) await takeQuiz(page, "ja", q, true);
    // Notes of 600 characters each, Japanese and English: 7,200 characters of notes in all.
    const items = await answerChecklist(page, "ja", (i) => (i % 2 ? "院内のネットワーク分離を確認する。" : "Check the backups offline. ").repeat(40).slice(0, 600));
    const cmi = await until(page, "lesson_status passed", (c) => c.core.lesson_status === "passed");
    assert.ok(cmi.suspend_data.length <= 4096, `suspend_data is ${cmi.suspend_data.length} characters`);
    assert.ok(cmi.suspend_data.length > 3500, "the notes fill the room there is");
    const sd = JSON.parse(cmi.suspend_data);
    assert.deepEqual(Object.keys(sd.q).sort(), ["awareness", "budget", "survey"]);
    for (const q of Object.values(sd.q)) assert.equal(q[0], 100);
    assert.deepEqual(Object.keys(sd.c.a).sort(), items.map((i) => i.id).sort(), "every item's status is kept");
    const stored = JSON.parse(await course(page).evaluate((k) => localStorage.getItem(k), `kyozai:checklist:${CHECKLIST}:v1`));
    for (const it of items) assert.equal(sd.c.a[it.id][0], stored.answers[it.id].status);
    // The notes are cut from their ends, never rewritten.
    for (const it of items) if (sd.c.a[it.id][1]) assert.ok(stored.answers[it.id].note.startsWith(sd.c.a[it.id][1]));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("without an LMS the package is the plain site, over http and file://", async () => {
  // file:// both as the other tests open it and as a browser does by default, where every file is
  // an origin of its own and the launch page cannot reach into its frame.
  const strict = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
  try {
    for (const lang of ["en", "ja"]) {
      for (const [how, b] of [["http", browser], ["file", browser], ["file, files apart", strict]]) {
        const { context, page, problems } = await openPage(b);
        try {
          const url = how === "http" ? `${server.url}pkg-${lang}/scorm.html` : fileUrl(join(dir, "host", `pkg-${lang}`), "scorm.html");
          await page.goto(url);
          await page.waitForFunction(() => !document.getElementById("scorm-frame").hidden);
          await page.waitForFunction(() => window.frames.length === 1);
          const inner = () => page.frames().find((f) => f !== page.mainFrame());
          await inner().waitForSelector(".toc-progress-count");
          assert.match(inner().url(), new RegExp(`/${lang}/index\\.html$`), `${how}: the ${lang} home page`);
          assert.equal(await page.evaluate(() => window.kyozaiScorm.connected()), false);
          assert.equal(await page.locator("#scorm-status").innerText(), "", `${how}: no LMS message`);
          if (how === "http") {
            await page.evaluate(axeSource);
            const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }));
            assert.deepEqual(r.violations.map((v) => v.id), [], "axe on the launch page");
          }
          // The course works in the frame: its progress script runs and links lead on.
          const next = new URL(await inner().getAttribute("a[rel=next]", "href"), inner().url()).href;
          await inner().click("a[rel=next]");
          await inner().waitForURL(next);
          await inner().waitForSelector(".toc-progress-count");
          assert.deepEqual(problems, [], `${how} ${lang}`);
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await strict.close();
  }
});

test("an LMS that refuses the session: the course is still shown, with a message, and no further calls", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await context.addInitScript(() => { window.lmsRefuse = true; });
    await page.goto(`${server.url}index.html?pkg=pkg-en`);
    await page.waitForFunction(() => window.lmsCalls && window.lmsCalls.length > 0);
    const frame = await shows(page, "en/index.html");
    const status = await page.evaluate(() => document.getElementById("sco").contentDocument.getElementById("scorm-status").textContent);
    assert.match(status, /did not accept the connection/);
    await frame.waitForSelector(".toc-progress-count");
    await page.waitForTimeout(300);
    assert.deepEqual((await calls(page)).map((c) => c.fn), ["LMSInitialize"]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a course without a completion rule is completed once every page was read", async () => {
  const { context, page, problems } = await openLms("bare");
  try {
    await shows(page, "en/index.html");
    await until(page, "lesson_status incomplete", (c) => c.core.lesson_status === "incomplete");
    // The launch page loads the list of the pages (the course pages do not).
    const launch = page.frames().find((x) => /\/scorm\.html$/.test(x.url()));
    assert.ok(launch, "the launch page is open");
    const pages = await launch.evaluate(() => window.kyozaiCoursePages.map((p) => p.url));
    assert.equal(await course(page).evaluate(() => window.kyozaiCoursePages), undefined);
    assert.ok(pages.length >= 3);
    for (const url of pages.slice(0, -1)) await visit(page, url);
    let cmi = await lms(page);
    assert.equal(cmi.core.lesson_status, "incomplete", "one page is still unread");
    await visit(page, pages[pages.length - 1]);
    cmi = await until(page, "lesson_status completed", (c) => c.core.lesson_status === "completed");
    assert.equal(cmi.core.score.raw, "", "no quiz, no score");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
