// Knowledge checks in the browser: a quiz answered wrong then right (score, pass or fail, which
// questions were wrong, per-option feedback, explanation, the link to the section to review),
// partial scores, unanswered questions, retry with the options reshuffled, keyboard only, the
// result announced in a live region, the results stored in localStorage and the
// `kyozai:quiz-result` event as the shared contract says, storage that cannot be used,
// JavaScript switched off, axe-core, and the same pages opened over file://. Every test checks
// that the page logged no error and made no failed or outside request.
//
// Run from tests/browser after `cargo build`: node --test quiz.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { buildSite, serve, fileUrl, launch, openPage, kyozai } from "./lib.mjs";
import { questions, answer } from "./quiz-lib.mjs";

const axeSource = readFileSync(new URL("node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const QUIZZES = { awareness: "awareness", survey: "survey", budget: "budget" };
const SECTION = (lang, chapter) => `${lang}/${chapter}/knowledge-check/index.html`;
const KEY = (id) => `kyozai:quiz:${id}`;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

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

// ---- Helpers ------------------------------------------------------------------------------

/** A wrong answer: the first option that is not right (for multiple: only that one). */
const wrongOf = (q) => [q.options.find((o) => !q.right.includes(o))];

/** Answers every question, right where `rightWhere(index)` says so, else wrong. */
async function answerAll(page, qs, rightWhere) {
  for (let i = 0; i < qs.length; i++) await answer(page, qs[i], rightWhere(i) ? qs[i].right : wrongOf(qs[i]));
}

function stored(page, id = "awareness") {
  return page.evaluate((k) => JSON.parse(window.localStorage.getItem(k)), KEY(id));
}

/** Records every kyozai:quiz-result event in window.__quizEvents. */
function listen(page) {
  return page.evaluate(() => {
    window.__quizEvents = [];
    document.addEventListener("kyozai:quiz-result", (e) => window.__quizEvents.push(e.detail));
  });
}

const events = (page) => page.evaluate(() => window.__quizEvents);
const summary = (page) => page.locator(".quiz-summary").innerText().then((s) => s.replace(/\s+/g, " ").trim());

async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }));
  return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} at ${n.target.join(" ")}`));
}

// ---- Tests ----------------------------------------------------------------------------------

test("answered wrong, then right: score, fail and pass, feedback, explanation, review link, storage and event", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(server.url + SECTION("en", "awareness"));
    const section = page.locator("section.quiz");
    assert.equal(await section.getAttribute("data-quiz"), "awareness");
    assert.equal(await section.getAttribute("data-pass"), "70");
    assert.ok(await section.evaluate((s) => s.classList.contains("is-enhanced")), "the script started");
    assert.ok(!(await page.locator(".quiz-nojs").isVisible()), "the no-script notice is hidden");
    await listen(page);
    const qs = await questions(page);
    assert.equal(qs.length, 9);
    for (const q of qs) assert.equal(q.right.length >= 1, true, `${q.id} has a right answer`);

    // Every answer wrong.
    await answerAll(page, qs, () => false);
    await page.click(".quiz-submit");
    assert.equal(await summary(page), "Your score: 0% (0 of 9 questions right). Not passed yet: the pass mark is 70%. Read the explanations, review the sections and try again. Questions to look at again: Question 1, Question 2, Question 3, Question 4, Question 5, Question 6, Question 7, Question 8, Question 9");
    for (const q of qs) {
      const fs = page.locator(`fieldset[data-question="${q.id}"]`);
      assert.equal(await fs.getAttribute("data-result"), "wrong");
      assert.equal((await fs.locator(".quiz-verdict").innerText()).trim(), "Not right.");
      // The chosen option is marked as the learner's; the right ones as right.
      const chosen = fs.locator(`.quiz-option[data-option="${wrongOf(q)[0]}"]`);
      assert.ok(await chosen.locator(".quiz-mark-chosen").isVisible(), `${q.id}: the choice is marked`);
      for (const r of q.right) assert.ok(await fs.locator(`.quiz-option[data-option="${r}"] .quiz-mark-correct`).isVisible(), `${q.id}: ${r} marked right`);
      // Its feedback, where it has some, is shown.
      const fb = chosen.locator(".quiz-feedback");
      if (await fb.count()) assert.ok(await fb.isVisible(), `${q.id}: feedback of the choice`);
      // Options neither chosen nor right keep their feedback hidden.
      for (const o of q.options.filter((o) => o !== wrongOf(q)[0] && !q.right.includes(o))) {
        const other = fs.locator(`.quiz-option[data-option="${o}"] .quiz-feedback`);
        if (await other.count()) assert.ok(!(await other.isVisible()), `${q.id}: ${o}'s feedback stays hidden`);
      }
      assert.ok(await fs.locator(".quiz-explanation").isVisible(), `${q.id}: explanation`);
      assert.ok(await fs.locator(".quiz-review a").isVisible(), `${q.id}: review link`);
      // Answers are locked until Try again.
      assert.ok(await fs.locator("input").first().isDisabled());
    }
    let v = await stored(page);
    assert.deepEqual(Object.keys(v), ["v", "best", "last", "passed", "pass", "attempts", "first", "updated"]);
    assert.deepEqual({ ...v, first: 0, updated: 0 }, { v: 1, best: 0, last: 0, passed: false, pass: 70, attempts: 1, first: 0, updated: 0 });
    assert.match(v.first, ISO);
    assert.deepEqual(await events(page), [{ id: "awareness", score: 0, passed: false, pass: 70, best: 0, attempts: 1 }]);
    assert.ok(await page.locator(".quiz-retry").isVisible());
    assert.ok(!(await page.locator(".quiz-submit").isVisible()));

    // Try again, every answer right.
    await page.click(".quiz-retry");
    assert.equal(await summary(page), "");
    assert.equal(await page.locator("fieldset.quiz-question input:checked").count(), 0, "retry clears the answers");
    assert.equal(await page.locator(".quiz-result:visible, .quiz-feedback:visible, .quiz-mark:visible").count(), 0, "and the results");
    const again = await questions(page);
    await answerAll(page, again, () => true);
    await page.click(".quiz-submit");
    assert.equal(await summary(page), "Your score: 100% (9 of 9 questions right). Passed: the pass mark is 70%.");
    assert.equal(await page.locator('fieldset[data-result="right"]').count(), 9);
    assert.equal(await page.locator(".quiz-review:visible").count(), 0, "no review link for a right answer");
    assert.equal(await page.locator(".quiz-explanation:visible").count(), 9, "explanations are shown for right answers too");
    assert.equal((await page.locator(".quiz-verdict").first().innerText()).trim(), "Right.");
    v = await stored(page);
    assert.equal(v.best, 100);
    assert.equal(v.last, 100);
    assert.equal(v.passed, true);
    assert.equal(v.attempts, 2);
    assert.ok(v.updated >= v.first);
    assert.deepEqual((await events(page))[1], { id: "awareness", score: 100, passed: true, pass: 70, best: 100, attempts: 2 });
    assert.equal((await page.locator(".quiz-previous").innerText()).trim(), "Your best so far: 100% after 2 attempt(s).");

    // A worse third attempt keeps the best and the pass.
    await page.click(".quiz-retry");
    await answerAll(page, await questions(page), (i) => i < 5);
    await page.click(".quiz-submit");
    assert.match(await summary(page), /^Your score: 56% \(5 of 9 questions right\)\. Not passed yet/);
    v = await stored(page);
    assert.deepEqual([v.best, v.last, v.passed, v.attempts], [100, 56, true, 3]);
    assert.deepEqual((await events(page))[2], { id: "awareness", score: 56, passed: true, pass: 70, best: 100, attempts: 3 });

    // The review link leads to the section that explains the answer.
    const link = page.locator('fieldset[data-result="wrong"] .quiz-review a').first();
    const title = (await link.innerText()).trim();
    await link.click();
    await page.waitForLoadState("load");
    assert.ok((await page.locator("h1").innerText()).replace(/\s+/g, " ").includes(title.replace(/^[\d-]+ /, "")), `the review link leads to ${title}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a score just reaching the pass mark passes; one question short fails", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(server.url + SECTION("en", "survey"));
    const qs = await questions(page, "survey");
    assert.equal(qs.length, 8);
    // 6 of 8 = 75 % (pass mark 70), 5 of 8 = 63 %.
    await answerAll(page, qs, (i) => i < 5);
    await page.click(".quiz-submit");
    assert.match(await summary(page), /^Your score: 63% \(5 of 8 questions right\)\. Not passed yet/);
    await page.click(".quiz-retry");
    await answerAll(page, await questions(page, "survey"), (i) => i !== 0 && i !== 7);
    await page.click(".quiz-submit");
    assert.match(await summary(page), /^Your score: 75% \(6 of 8 questions right\)\. Passed/);
    const wrongLinks = await page.locator(".quiz-wrong-list a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
    assert.deepEqual(wrongLinks.map((w) => w[0]), ["Question 1", "Question 8"]);
    for (const [, href] of wrongLinks) assert.equal(await page.locator(href).getAttribute("data-result"), "wrong");
    // A multiple-choice question with only some of the right options is wrong.
    await page.click(".quiz-retry");
    const m = (await questions(page, "survey")).find((q) => q.kind === "multiple" && q.right.length > 1);
    await answerAll(page, await questions(page, "survey"), () => true);
    await answer(page, m, m.right.slice(1));
    await page.click(".quiz-submit");
    assert.equal(await page.locator(`fieldset[data-question="${m.id}"]`).getAttribute("data-result"), "wrong");
    assert.match(await summary(page), /^Your score: 88% \(7 of 8/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("unanswered questions are named and nothing is scored or stored", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(server.url + SECTION("ja", "budget"));
    const qs = await questions(page, "budget");
    await answer(page, qs[0], qs[0].right);
    await page.click(".quiz-submit");
    assert.equal(await summary(page), `すべての問題に答えてから採点してください（未回答 ${qs.length - 1}問）。`);
    assert.equal(await page.evaluate(() => document.activeElement.name), `quiz-budget-${qs[1].id}`, "focus goes to the first unanswered question");
    assert.equal(await stored(page, "budget"), null);
    assert.equal(await page.locator("fieldset[data-result]").count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("retry shuffles the options when the quiz asks for it, but keeps true and false in order", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(server.url + SECTION("en", "awareness"));
    assert.equal(await page.locator("section.quiz").getAttribute("data-shuffle"), "true");
    const orders = new Set();
    const source = (await questions(page)).map((q) => q.options);
    for (let round = 0; round < 4; round++) {
      const qs = await questions(page);
      orders.add(JSON.stringify(qs.map((q) => q.options)));
      for (let i = 0; i < qs.length; i++) {
        assert.deepEqual([...qs[i].options].sort(), [...source[i]].sort(), "the same options");
        if (qs[i].kind === "true-false") assert.deepEqual(qs[i].options, ["true", "false"]);
      }
      await answerAll(page, qs, () => true);
      await page.click(".quiz-submit");
      assert.match(await summary(page), /^Your score: 100%/, "scoring follows the options wherever they are");
      await page.click(".quiz-retry");
    }
    assert.ok(orders.size > 1, "the order of the options changed between attempts");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("keyboard only: answer, submit, the result announced in a live region, and retry", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(server.url + SECTION("en", "budget"));
    const live = page.locator(".quiz-summary");
    assert.equal(await live.getAttribute("role"), "status");
    assert.equal(await live.getAttribute("aria-live"), "polite");
    assert.equal(await live.innerText(), "", "the live region is there, empty, before scoring");
    // Tab from the top of the page until the first answer has focus.
    const active = () => page.evaluate(() => ({ type: document.activeElement.type, cls: document.activeElement.className, name: document.activeElement.name }));
    let a;
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press("Tab");
      a = await active();
      if (a.name && a.name.startsWith("quiz-budget-")) break;
    }
    assert.ok(a.name.startsWith("quiz-budget-"), "Tab reaches the quiz");
    // Space picks the focused option (the first of each radio group, every checkbox); Tab moves on.
    for (let i = 0; i < 100; i++) {
      a = await active();
      if (a.cls === "quiz-submit") break;
      if (a.type === "radio" || a.type === "checkbox") await page.keyboard.press("Space");
      await page.keyboard.press("Tab");
    }
    assert.equal(a.cls, "quiz-submit", "Tab reaches the submit button");
    assert.equal(await page.locator("fieldset.quiz-question:not(:has(input:checked))").count(), 0, "every question answered by keyboard");
    await page.keyboard.press("Enter");
    assert.match(await live.innerText(), /^Your score: \d+% \(\d of 8 questions right\)\./);
    assert.equal((await active()).cls, "quiz-retry", "focus moves to Try again");
    assert.equal(await page.locator("fieldset[data-result]").count(), 8);
    await page.keyboard.press("Enter");
    assert.equal((await active()).name?.startsWith("quiz-budget-"), true, "Try again puts focus on the first question");
    assert.equal(await page.locator("input:checked").count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("without storage the quiz still scores and sends its event", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await context.addInitScript(() => {
      Object.defineProperty(window, "localStorage", { get() { throw new Error("storage is off"); } });
    });
    await page.goto(server.url + SECTION("en", "awareness"));
    await listen(page);
    await answerAll(page, await questions(page), () => true);
    await page.click(".quiz-submit");
    assert.match(await summary(page), /^Your score: 100%/);
    assert.deepEqual(await events(page), [{ id: "awareness", score: 100, passed: true, pass: 70, best: 100, attempts: 1 }]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("without JavaScript every question reads in full and a notice says scoring needs it", async () => {
  const { context, page, problems } = await openPage(browser, { javaScriptEnabled: false });
  try {
    for (const [lang, notice] of [["ja", "採点にはJavaScriptが必要です"], ["en", "Scoring needs JavaScript"]]) {
      for (const chapter of Object.keys(QUIZZES)) {
        await page.goto(server.url + SECTION(lang, chapter));
        assert.ok((await page.locator(".quiz-nojs").innerText()).startsWith(notice), `${lang} ${chapter}: notice`);
        const n = await page.locator("fieldset.quiz-question").count();
        assert.ok(n >= 6 && n <= 10, `${lang} ${chapter}: ${n} questions`);
        for (const fs of await page.locator("fieldset.quiz-question").all()) {
          assert.ok((await fs.locator("legend .quiz-text").innerText()).trim().length > 5, "the question is shown");
          assert.ok(await fs.locator(".quiz-option label").count() >= 2);
          for (const l of await fs.locator(".quiz-option label").all()) assert.ok(await l.isVisible());
        }
        assert.equal(await page.locator(".quiz-result:visible, .quiz-feedback:visible, .quiz-mark:visible, .quiz-submit:visible").count(), 0, "answers stay hidden");
      }
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("over file:// the quiz pages score in both languages and store their results", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    for (const [lang, text] of [["ja", "得点：100%（"], ["en", "Your score: 100% ("]]) {
      for (const id of Object.keys(QUIZZES)) {
        await page.goto(fileUrl(site, `${lang}/quizzes/${id}/index.html`));
        const qs = await questions(page, id);
        await answerAll(page, qs, () => true);
        await page.click(".quiz-submit");
        assert.ok((await summary(page)).startsWith(text), `${lang} ${id}: ${await summary(page)}`);
        const v = await stored(page, id);
        assert.equal(v.best, 100);
      }
      // The section's link goes back to the chapter; the list links every quiz.
      await page.goto(fileUrl(site, `${lang}/quizzes/index.html`));
      assert.equal(await page.locator(".quizzes-table tbody tr").count(), 3);
      await page.locator(".quizzes-table tbody tr a").first().click();
      await page.waitForLoadState("load");
      assert.equal(await page.locator("section.quiz").getAttribute("data-quiz"), "awareness");
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("axe finds no violation before and after scoring, in both languages", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    const found = [];
    for (const lang of ["ja", "en"]) {
      for (const path of [SECTION(lang, "awareness"), `${lang}/quizzes/survey/index.html`, `${lang}/quizzes/index.html`]) {
        await page.goto(server.url + path);
        for (const v of await violations(page)) found.push(`${path} (before): ${v}`);
        if (await page.locator(".quiz-submit").count()) {
          const id = await page.locator("section.quiz").getAttribute("data-quiz");
          await answerAll(page, await questions(page, id), (i) => i % 2 === 0);
          await page.click(".quiz-submit");
          for (const v of await violations(page)) found.push(`${path} (scored): ${v}`);
          // An unanswered submission's message, too.
          await page.click(".quiz-retry");
          await page.click(".quiz-submit");
          for (const v of await violations(page)) found.push(`${path} (unanswered): ${v}`);
        }
      }
    }
    assert.deepEqual(found, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
