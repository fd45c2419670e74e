// A learner's whole journey through the bundled course, with nothing seeded: every knowledge
// check answered through its form, every checklist item chosen by its label, the progress page
// saying the course is complete, the completion record made and exported as JSON and CSV, the
// certificate showing it, and the training office's roster reading the exported files back
// (the JSON record's digest matching, the CSV one counted once as the same record). It ties the
// quiz, checklist, progress and roster scripts together through the real storage keys and files
// rather than through the contract's examples. Runs in Japanese over http and in English over
// file://.
//
// Run from tests/browser after `cargo build`: node --test journey.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { buildSite, serve, fileUrl, launch, openPage, kyozai } from "./lib.mjs";
import { questions, answer } from "./quiz-lib.mjs";

const QUIZZES = ["awareness", "survey", "budget"];
const CHECKLIST = "self-assessment";

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

/** Answers every question of the quiz on the page right (the right options read from the marks
 *  the build printed for the worksheet) and submits. */
async function passQuiz(page, id) {
  const qs = await questions(page, id);
  assert.ok(qs.length >= 6, `${id} has its questions (${qs.length})`);
  for (const q of qs) {
    assert.ok(q.right.length > 0, `${id}/${q.id} has a right answer`);
    await answer(page, q, q.right);
  }
  await page.click(`section.quiz[data-quiz="${id}"] .quiz-submit`);
  await page.waitForSelector(`section.quiz[data-quiz="${id}"] .quiz-summary:not(:empty)`);
}

/** Chooses a status for every checklist item by clicking its label. */
async function answerChecklist(page) {
  const items = await page.evaluate((id) => [...new Set([...document.querySelectorAll(`input[type=radio][name^="${id}--"]`)].map((r) => r.name))], CHECKLIST);
  assert.ok(items.length >= 10, `the checklist has its items (${items.length})`);
  for (const [i, name] of items.entries()) {
    const value = ["not-started", "considering", "in-place"][i % 3];
    await page.locator(`label.status-option:has(input[type=radio][name="${name}"][value="${value}"])`).click();
  }
  return items.length;
}

async function journey(base, lang, words) {
  const { context, page, problems } = await openPage(browser, { acceptDownloads: true });
  const go = (rest) => page.goto(base + `${lang}/${rest}`);
  await go("index.html");
  for (const id of QUIZZES) {
    await go(`quizzes/${id}/index.html`);
    await passQuiz(page, id);
  }
  await go(`checklists/${CHECKLIST}/index.html`);
  const items = await answerChecklist(page);

  await go("progress/index.html");
  await page.waitForFunction((t) => document.getElementById("completion-status").textContent === t, words.complete);
  for (const id of QUIZZES) {
    assert.equal(await page.textContent(`tr[data-quiz="${id}"] [data-field="best"]`), "100%", id);
  }
  await page.fill("#record-name", words.name);
  await page.fill("#record-staff-id", "N-0042");
  await page.fill("#record-department", words.department);
  await page.click("#record-form button[type=submit]");
  await page.waitForSelector("#record-result:not([hidden])");
  const [json] = await Promise.all([page.waitForEvent("download"), page.click("#record-export-json")]);
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#record-export-csv")]);
  const rec = JSON.parse(readFileSync(await json.path(), "utf8"));
  assert.equal(rec.lang, lang);
  assert.deepEqual(rec.learner, { name: words.name, staff_id: "N-0042", department: words.department });
  assert.deepEqual(rec.quizzes.map((q) => [q.id, q.best, q.passed, q.attempts]), QUIZZES.map((id) => [id, 100, true, 1]));
  assert.deepEqual(rec.checklist, { id: CHECKLIST, answered: items, items });

  await page.click("#record-certificate");
  await page.waitForSelector("#certificate:not([hidden])");
  const cert = (await page.textContent("#certificate")).replace(/\s+/g, " ");
  assert.ok(cert.includes(words.name), `the certificate names the learner: ${cert.slice(0, 200)}`);
  assert.ok(cert.includes(words.certificate), cert.slice(0, 200));

  // The training office reads both exported files back on the roster page.
  await go("roster/index.html");
  await page.waitForSelector("section.roster.is-enhanced");
  const files = [json, csv].map(async (d) => ({ name: d.suggestedFilename(), mimeType: "application/octet-stream", buffer: readFileSync(await d.path()) }));
  await page.setInputFiles("input[data-action='pick']", await Promise.all(files));
  await page.waitForFunction(() => window.kyozaiRoster.state.files.length === 2);
  const rows = await page.evaluate(() => [...document.querySelectorAll(".roster-learners tbody tr")].map((tr) => ({
    file: tr.getAttribute("data-file"), check: tr.getAttribute("data-check"), name: tr.querySelector("th").textContent.trim(),
    cells: [...tr.querySelectorAll("td")].map((td) => td.textContent.trim()),
  })));
  assert.equal(rows.length, 1, `one learner, the CSV being the same record: ${JSON.stringify(rows)}`);
  assert.equal(rows[0].name, words.name);
  assert.equal(rows[0].file, json.suggestedFilename());
  assert.equal(rows[0].check, "ok", "the JSON record's digest matches");
  assert.deepEqual(rows[0].cells.slice(0, 2), ["N-0042", words.department]);
  assert.equal(rows[0].cells[3], rec.quizzes.map((q) => `${q.title} 100/${q.pass}`).join(", "), "each quiz by its title");
  assert.equal(rows[0].cells[5], `${items}/${items}`);
  assert.equal(basename(rows[0].file), rows[0].file);
  assert.deepEqual(problems, []);
  await context.close();
}

test("in Japanese over http: quizzes, checklist, record, certificate and roster", async () => {
  await journey(server.url, "ja", { complete: "この教材を修了しました。", name: "山田 花子", department: "看護部", certificate: "修了証" });
});

test("in English over file://: the same journey", async () => {
  await journey(fileUrl(site, "") + "/", "en", { complete: "You have completed the course.", name: "Hanako Yamada", department: "Nursing", certificate: "Certificate" });
});
