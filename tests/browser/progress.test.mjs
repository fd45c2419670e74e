// Progress, completion record and certificate in the browser: pages read in the sidebar and on
// the progress page, quiz results read from the keys quiz.js writes, the completion rule, the
// record exported as JSON and CSV with a SHA-256 digest the test verifies itself, the printed A4
// certificate, the same over file://, and axe-core on the new pages. Also SHA-256 in plain JS
// against the standard's test vectors and Node's own implementation.
//
// Run from tests/browser after `cargo build`: node --test progress.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { buildSite, serve, fileUrl, launch, openPage, kyozai, repo } from "./lib.mjs";

const COURSE = "hospital-security-executives";
const QUIZZES = ["awareness", "survey", "budget"];
const CHECKLIST_KEY = "kyozai:checklist:self-assessment:v1";
const ITEMS = [
  "org-corrective", "org-detective", "org-preventive-rules", "org-preventive-vendors",
  "system-corrective", "system-detective", "system-preventive-risks", "system-preventive-intrusion",
  "staff-corrective", "staff-detective", "staff-preventive-documents", "staff-preventive-human-error",
];
const HEADER = "format,version,course_id,course_edition,course_title,lang,name,staff_id,department,started,completed,quiz_scores,checklist_answered,checklist_items,digest";
const axeSource = readFileSync(new URL("node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

let site;
let server;
let browser;

before(async () => {
  assert.ok(existsSync(kyozai), `${kyozai} is missing: run cargo build first`);
  site = buildSite();
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A quiz result as the contract has quiz.js store it. */
export function quizResult(best, pass = 70, attempts = 1) {
  return JSON.stringify({ v: 1, best, last: best, passed: best >= pass, pass, attempts, first: "2026-01-05T09:00:00Z", updated: "2026-01-05T09:30:00Z" });
}

/** Checklist answers as checklist.js stores them, every item answered. */
export function checklistAnswers() {
  const answers = {};
  ITEMS.forEach((id, i) => { answers[id] = { status: ["not-started", "considering", "in-place", "na"][i % 4], note: "" }; });
  return JSON.stringify({ checklist: "self-assessment", version: 1, saved: "2026-01-05T10:00:00Z", answers });
}

async function seed(page, entries) {
  await page.evaluate((e) => { for (const [k, v] of Object.entries(e)) localStorage.setItem(k, v); }, entries);
}

function allDone() {
  const e = { [CHECKLIST_KEY]: checklistAnswers() };
  QUIZZES.forEach((q, i) => { e[`kyozai:quiz:${q}`] = quizResult(80 + i * 5, 70, i + 1); });
  return e;
}

async function axe(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }));
  assert.ok(r.passes.length > 0, "axe ran no rule");
  assert.deepEqual(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
}

/** Verifies a record the way the contract says a verifier does, with Node's SHA-256. */
function verify(text) {
  const rec = JSON.parse(text);
  const { digest, ...rest } = rec;
  assert.deepEqual(Object.keys(rec), ["format", "version", "course", "lang", "learner", "started", "completed", "quizzes", "checklist", "digest"]);
  assert.equal(createHash("sha256").update(JSON.stringify(rest), "utf8").digest("hex"), digest);
  return rec;
}

/** Fills in the record form and returns the stored record. */
async function makeRecord(page, learner) {
  await page.fill("#record-name", learner.name);
  await page.fill("#record-staff-id", learner.staff_id);
  await page.fill("#record-department", learner.department);
  await page.click("#record-form button[type=submit]");
  await page.waitForSelector("#record-result:not([hidden])");
  return page.evaluate((k) => localStorage.getItem(k), `kyozai:record:${COURSE}`);
}

test("pages read are marked in the sidebar and counted on the progress page", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + "ja/index.html");
  await page.goto(server.url + "ja/awareness/index.html");
  // Reading a page in English counts for the same page in Japanese.
  await page.goto(server.url + "en/awareness/impact/index.html");
  await page.goto(server.url + "ja/progress/index.html");
  const total = await page.locator(".progress-pages li").count();
  assert.ok(total > 20, `the progress page lists every page (${total})`);
  assert.equal(await page.textContent("#progress-pages-count"), `${total}ページ中3ページを読みました`);
  assert.equal(await page.locator(".progress-pages li.is-read").count(), 3);
  assert.equal(await page.locator("#progress-pages-bar").evaluate((e) => e.value), 3);
  assert.deepEqual(await page.locator(".sidebar a.is-read").evaluateAll((as) => as.map((a) => a.getAttribute("href"))), ["../../ja/index.html", "../../ja/awareness/index.html"]);
  assert.match(await page.textContent(".sidebar .toc-progress"), /3ページを読みました.*確認テスト3件中0件に合格/);
  const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), `kyozai:progress:${COURSE}`));
  assert.deepEqual(stored.read, ["", "awareness", "awareness/impact"]);
  assert.match(stored.started, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(await page.textContent("#completion-status"), "まだ修了していません。");
  assert.ok(await page.locator("#record-form").isHidden(), "no record before completion");
  assert.deepEqual(problems, []);
  await context.close();
});

test("quiz results and the checklist decide completion; the record is exported and verifies", async () => {
  const { context, page, problems } = await openPage(browser, { acceptDownloads: true });
  await page.goto(server.url + "en/index.html");
  // One quiz failed: not complete.
  await seed(page, { ...allDone(), "kyozai:quiz:survey": quizResult(50, 70, 3) });
  await page.goto(server.url + "en/progress/index.html");
  assert.equal(await page.textContent('tr[data-quiz="survey"] [data-field="status"]'), "Not passed yet");
  assert.equal(await page.textContent('tr[data-quiz="survey"] [data-field="best"]'), "50%");
  assert.equal(await page.textContent('tr[data-quiz="survey"] [data-field="attempts"]'), "3");
  assert.equal(await page.textContent("#progress-checklist-count"), "12 of 12 items answered");
  assert.equal(await page.textContent("#completion-status"), "Not complete yet.");
  assert.ok(await page.locator("#record-form").isHidden());
  // Passing it in another tab completes the course here too.
  const other = await context.newPage();
  await other.goto(server.url + "en/index.html");
  await seed(other, { "kyozai:quiz:survey": quizResult(90, 70, 4) });
  await page.waitForFunction(() => document.getElementById("completion-status").textContent === "You have completed the course.");
  await other.close();
  assert.ok(await page.locator("#record-form").isVisible());
  // The name and staff ID are required.
  await page.click("#record-form button[type=submit]");
  assert.equal(await page.textContent("#record-message"), "Enter your name and staff ID.");
  const learner = { name: "Hanako Sato, RN", staff_id: "A-1024", department: "=Nursing \"East\"" };
  const stored = await makeRecord(page, learner);
  const rec = verify(stored);
  assert.equal(rec.format, "kyozai-completion");
  assert.equal(rec.version, 1);
  assert.deepEqual(rec.course, { id: COURSE, edition: rec.course.edition, title: "Information Security Training for Hospital Executives" });
  assert.match(rec.course.edition, /^[0-9a-f]{16}$/);
  assert.equal(rec.lang, "en");
  assert.deepEqual(rec.learner, learner);
  assert.equal(rec.started, "2026-01-05T09:00:00Z", "the earliest quiz attempt");
  assert.match(rec.completed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(rec.quizzes.map((q) => [q.id, q.best, q.last, q.pass, q.passed, q.attempts]), [["awareness", 80, 80, 70, true, 1], ["survey", 90, 90, 70, true, 4], ["budget", 90, 90, 70, true, 3]]);
  assert.deepEqual(rec.checklist, { id: "self-assessment", answered: 12, items: 12 });
  assert.equal(await page.textContent("#record-digest"), rec.digest);

  const [json] = await Promise.all([page.waitForEvent("download"), page.click("#record-export-json")]);
  assert.equal(json.suggestedFilename(), `kyozai-completion-A-1024-${rec.completed.slice(0, 10)}.json`);
  const exported = verify(readFileSync(await json.path(), "utf8"));
  assert.deepEqual(exported, rec);
  // A tampered file no longer verifies.
  const tampered = JSON.parse(stored);
  tampered.quizzes[1].best = 100;
  assert.throws(() => verify(JSON.stringify(tampered)));

  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#record-export-csv")]);
  assert.equal(csv.suggestedFilename(), `kyozai-completion-A-1024-${rec.completed.slice(0, 10)}.csv`);
  const lines = readFileSync(await csv.path(), "utf8").split("\r\n");
  assert.equal(lines[0], HEADER);
  assert.equal(lines[1], `kyozai-completion,1,${COURSE},${rec.course.edition},Information Security Training for Hospital Executives,en,"Hanako Sato, RN",A-1024,"'=Nursing ""East""",${rec.started},${rec.completed},awareness:80/70;survey:90/70;budget:90/70,12,12,${rec.digest}`);
  assert.equal(lines[2], "");
  assert.match(await page.textContent("#record-status"), /kyozai-completion-A-1024-.*\.csv exported\./);
  await axe(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the certificate shows the record in the reader's language and prints on one A4 page", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + "ja/progress/certificate/index.html");
  assert.ok(await page.locator("#certificate-none").isVisible(), "no record yet");
  assert.ok(await page.locator("#certificate").isHidden());
  await seed(page, allDone());
  await page.goto(server.url + "ja/progress/index.html");
  await makeRecord(page, { name: "佐藤 花子", staff_id: "N-77", department: "看護部" });
  await page.click("#record-certificate");
  await page.waitForURL(/certificate/);
  assert.equal(await page.textContent(".certificate-heading"), "修了証");
  assert.equal(await page.textContent('[data-field="name"]'), "佐藤 花子");
  assert.equal(await page.textContent('[data-field="staff"]'), "職員番号　N-77");
  assert.equal(await page.textContent(".certificate-course"), "情報セキュリティ研修教材（経営層向け）");
  assert.match(await page.textContent('[data-field="date"]'), /^修了日　\d{4}年\d{1,2}月\d{1,2}日$/);
  assert.equal(await page.locator('[data-field="scores"] tr').count(), 3);
  await axe(page);
  const pdf = join(site, "..", "certificate.pdf");
  writeFileSync(pdf, await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true }));
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  assert.match(info, /Pages:\s+1\n/);
  assert.match(info, /Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" });
  assert.match(text, /修了証/);
  assert.match(text, /佐藤 花子/);
  assert.doesNotMatch(text, /修了証を印刷する|学習の進み具合に戻る/, "the controls do not print");
  assert.doesNotMatch(text, /1 \/ 1/, "no running page number on the certificate");
  execFileSync("pdftoppm", ["-png", "-r", "50", "-singlefile", pdf, join(site, "..", "certificate")]);
  // A record edited by hand is refused.
  await page.evaluate((k) => { const r = JSON.parse(localStorage.getItem(k)); r.learner.name = "someone else"; localStorage.setItem(k, JSON.stringify(r)); }, `kyozai:record:${COURSE}`);
  await page.reload();
  assert.ok(await page.locator("#certificate-none").isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});

test("over file:// the same progress, record and certificate work", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(fileUrl(site, "en/awareness/index.html"));
  await seed(page, allDone());
  await page.goto(fileUrl(site, "en/progress/index.html"));
  assert.equal(await page.locator(".progress-pages li.is-read").count(), 1);
  assert.equal(await page.textContent("#completion-status"), "You have completed the course.");
  const rec = verify(await makeRecord(page, { name: "Ken Ito", staff_id: "7", department: "" }));
  assert.equal(rec.learner.department, "");
  await page.goto(fileUrl(site, "en/progress/certificate/index.html"));
  assert.equal(await page.textContent(".certificate-heading"), "Certificate of Completion");
  assert.equal(await page.textContent('[data-field="name"]'), "Ken Ito");
  // Clearing the progress removes the pages read, the quiz results and the record.
  await page.goto(fileUrl(site, "en/progress/index.html"));
  page.once("dialog", (d) => d.accept());
  await page.click("#progress-reset");
  assert.equal(await page.textContent("#completion-status"), "Not complete yet.");
  // No page is shown as read any more, by its class or by the words screen readers hear.
  assert.equal(await page.locator(".progress-pages li.is-read").count(), 0);
  assert.equal(await page.locator(".progress-pages .read-mark").count(), 0);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("kyozai:quiz:") || k.startsWith("kyozai:record:")).length), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
