// The self-assessment checklist in the browser: answers kept in localStorage (mouse and
// keyboard), the summary's figures, CSV and JSON export, JSON import (good and corrupt files),
// version migration, clearing, storage that cannot be used, printing, JavaScript switched off,
// and the same page opened over file://. Every test also checks that the page logged no error and
// made no failed or outside request.
//
// Run from tests/browser after `cargo build`: node --test checklist.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { buildSite, serve, fileUrl, launch, openPage, kyozai } from "./lib.mjs";

const ID = "self-assessment";
const KEY = `kyozai:checklist:${ID}:v1`;
const JA = `ja/checklists/${ID}/index.html`;
const EN = `en/checklists/${ID}/index.html`;
const EMBED = "ja/budget/checklist-items/index.html";
const ITEMS = [
  "org-corrective", "org-detective", "org-preventive-rules", "org-preventive-vendors",
  "system-corrective", "system-detective", "system-preventive-risks", "system-preventive-intrusion",
  "staff-corrective", "staff-detective", "staff-preventive-documents", "staff-preventive-human-error",
];
const DATE_NAME = (ext) => new RegExp(`^${ID}-v1-\\d{4}-\\d{2}-\\d{2}\\.${ext}$`);

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

const radio = (item, status) => `input[type=radio][name="${ID}--${item}"][value="${status}"]`;
const note = (item) => `textarea[name="${ID}--${item}--note"]`;

/** Chooses a status by clicking its label, as a mouse user does. */
async function choose(page, item, status) {
  await page.locator(`label.status-option:has(${radio(item, status)})`).click();
}

/** The answers the form shows: { item: { status, note } } for every item. */
function formState(page) {
  return page.evaluate((id) => {
    const out = {};
    for (const it of document.querySelectorAll(`section.checklist[data-checklist="${id}"] .item[data-item]`)) {
      const checked = it.querySelector("input[type=radio]:checked");
      out[it.getAttribute("data-item")] = { status: checked ? checked.value : null, note: it.querySelector("textarea").value };
    }
    return out;
  }, ID);
}

function stored(page, key = KEY) {
  return page.evaluate((k) => window.localStorage.getItem(k), key);
}

async function message(page) {
  const m = page.locator(".checklist-message");
  return { text: (await m.textContent()).trim(), kind: await m.getAttribute("data-kind") };
}

/** Clicks a button and returns the download it starts: its file name and contents. */
async function downloadFrom(page, action) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(`[data-action="${action}"]`)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, line breaks inside quotes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; }
    else field += c;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/**
 * A known set of answers and what the summary must show for it (max score 2; N/A left out):
 *   ① org-corrective in place                         → 2/2 = 100 %, level 3
 *   ② org-detective considering                       → 1/2 = 50 %, level 1
 *   ③ rules in place, vendors not started             → 2/4 = 50 %, level 1
 *   ④ system-corrective not applicable                → no score
 *   ⑤ system-detective not started                    → 0 %, level 0
 *   ⑥ risks in place, intrusion considering           → 3/4 = 75 %, level 2
 *   ⑦ staff-corrective considering                    → 50 %, level 1
 *   ⑧ staff-detective in place                        → 100 %, level 3
 *   ⑨ documents unanswered, human error in place      → 100 %, level 3, 1 of 2 answered
 * Groups (mean of their scored domains): organisational ⑦⑧⑨ 83 %, human ①②③⑦ 63 %,
 * technical ④⑤⑥ 38 % (the weakest), physical ④⑤⑦⑧ 50 %.
 */
const KNOWN = {
  "org-corrective": "in-place",
  "org-detective": "considering",
  "org-preventive-rules": "in-place",
  "org-preventive-vendors": "not-started",
  "system-corrective": "na",
  "system-detective": "not-started",
  "system-preventive-risks": "in-place",
  "system-preventive-intrusion": "considering",
  "staff-corrective": "considering",
  "staff-detective": "in-place",
  "staff-preventive-human-error": "in-place",
};
const KNOWN_DOMAINS = {
  1: { level: "3", ja: "100%（十分）", en: "100% (Strong)" },
  2: { level: "1", ja: "50%（不十分）", en: "50% (Weak)" },
  3: { level: "1", ja: "50%（不十分）", en: "50% (Weak)" },
  4: { level: null, ja: "該当なし", en: "Not applicable" },
  5: { level: "0", ja: "0%（要対策）", en: "0% (Action needed)" },
  6: { level: "2", ja: "75%（概ね実施）", en: "75% (Mostly in place)" },
  7: { level: "1", ja: "50%（不十分）", en: "50% (Weak)" },
  8: { level: "3", ja: "100%（十分）", en: "100% (Strong)" },
  9: { level: "3", ja: "100%（十分） · 2項目中1項目回答", en: "100% (Strong) · 1 of 2 answered" },
};
const KNOWN_GROUPS = { organisational: "63%", human: "83%", technical: "38%", physical: "50%" };
const KNOWN_NEXT = ["system-detective", "org-detective", "org-preventive-vendors", "staff-corrective", "system-preventive-intrusion"];

async function answerKnown(page) {
  for (const [item, status] of Object.entries(KNOWN)) await choose(page, item, status);
}

async function summaryFigures(page) {
  return page.evaluate(() => {
    const box = document.querySelector(".checklist-summary");
    const cells = {};
    for (const td of box.querySelectorAll("table.matrix-heat td[data-domain]")) {
      cells[td.getAttribute("data-domain")] = { level: td.getAttribute("data-level"), text: td.querySelector(".domain-score").textContent };
    }
    const groups = {};
    for (const li of box.querySelectorAll(".group-scores li[data-group]")) {
      groups[li.getAttribute("data-group")] = { score: li.querySelector(".group-score").textContent, weakest: li.classList.contains("weakest"), text: li.textContent };
    }
    const p = box.querySelector("progress");
    return {
      progress: { value: p.value, max: p.max, text: box.querySelector(".progress-text").textContent },
      cells,
      groups,
      next: [...box.querySelectorAll(".next-steps li[data-item]")].map((li) => li.getAttribute("data-item")),
      nextText: box.querySelector(".next-steps").textContent,
      headings: [...box.querySelectorAll("h2, h3")].map((h) => h.tagName + " " + h.textContent),
    };
  });
}

// ---- Tests --------------------------------------------------------------------------------

test("answers chosen by mouse and by keyboard, and notes, are kept after a reload", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + JA);
  await page.waitForSelector("section.checklist.is-enhanced");
  assert.equal(await page.locator(".progress-text").textContent(), "対象12項目中0項目に回答");

  // Mouse.
  await choose(page, "org-corrective", "in-place");
  await page.locator(note("org-corrective")).click();
  await page.keyboard.type("規程は2023年に改訂済み");

  // Keyboard: Tab from the note into the next item's radio group, Space to choose, arrows to move.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.name), `${ID}--org-detective`);
  await page.keyboard.press("Space");
  assert.ok(await page.isChecked(radio("org-detective", "not-started")));
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowLeft");
  assert.ok(await page.isChecked(radio("org-detective", "considering")));
  // The focused radio shows a clear outline.
  const focus = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.equal(focus.style, "solid");
  assert.ok(focus.width >= 2, `outline ${focus.width}px`);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.name), `${ID}--org-detective--note`);
  await page.keyboard.type("県との連絡窓口を確認する");

  assert.equal(await page.locator(".progress-text").textContent(), "対象12項目中2項目に回答");
  const saved = JSON.parse(await stored(page));
  assert.deepEqual(saved.answers["org-detective"], { status: "considering", note: "県との連絡窓口を確認する" });

  await page.reload();
  await page.waitForSelector("section.checklist.is-enhanced");
  const state = await formState(page);
  assert.deepEqual(state["org-corrective"], { status: "in-place", note: "規程は2023年に改訂済み" });
  assert.deepEqual(state["org-detective"], { status: "considering", note: "県との連絡窓口を確認する" });
  assert.deepEqual(state["org-preventive-rules"], { status: null, note: "" });
  assert.equal(await page.locator(".progress-text").textContent(), "対象12項目中2項目に回答");
  // The print copy of a note follows the textarea.
  assert.equal(await page.locator(`.item[data-item="org-corrective"] .note-print`).textContent(), "規程は2023年に改訂済み");

  // The same answers show on the English page and on the course page that embeds the checklist.
  await page.goto(server.url + EN);
  await page.waitForSelector("section.checklist.is-enhanced");
  assert.equal((await formState(page))["org-detective"].status, "considering");
  assert.equal(await page.locator(".progress-text").textContent(), "2 of 12 applicable items answered");
  await page.goto(server.url + EMBED);
  await page.waitForSelector("section.checklist.is-enhanced");
  assert.equal((await formState(page))["org-corrective"].note, "規程は2023年に改訂済み");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the summary's figures for a known set of answers", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + JA);
  await page.waitForSelector("section.checklist.is-enhanced");

  // Before any answer: every cell says so, and there is no weakest group yet.
  let f = await summaryFigures(page);
  for (const n of Object.keys(KNOWN_DOMAINS)) {
    assert.equal(f.cells[n].level, null);
    assert.equal(f.cells[n].text, "未回答");
  }
  assert.ok(Object.values(f.groups).every((g) => g.score === "未回答" && !g.weakest));
  assert.deepEqual(f.next, []);

  await answerKnown(page);
  f = await summaryFigures(page);
  assert.deepEqual(f.progress, { value: 10, max: 11, text: "対象11項目中10項目に回答（該当なし1項目を除く）" });
  for (const [n, want] of Object.entries(KNOWN_DOMAINS)) {
    assert.equal(f.cells[n].level, want.level, `level of domain ${n}`);
    assert.equal(f.cells[n].text, want.ja, `text of domain ${n}`);
  }
  for (const [g, score] of Object.entries(KNOWN_GROUPS)) assert.ok(f.groups[g].score.startsWith(score), `${g}: ${f.groups[g].score}`);
  assert.deepEqual(Object.keys(f.groups).filter((g) => f.groups[g].weakest), ["technical"]);
  assert.match(f.groups.technical.text, /最も弱い分類/);
  assert.doesNotMatch(f.groups.human.text, /最も弱い分類/);
  assert.deepEqual(f.next, KNOWN_NEXT);
  assert.match(f.nextText, /未回答の項目が1項目あります。/);
  assert.deepEqual(f.headings, ["H2 集計", "H3 対策の分類ごとのスコア", "H3 次に予算と人を振り向ける先"]);
  // The first next step names its countermeasure, its domain and the current status.
  const first = await page.locator(".next-steps li").first().textContent();
  assert.match(first, /IDS/);
  assert.match(first, /⑤/);
  assert.match(first, /現状：実施前/);

  // The change is announced politely, in one short sentence, by a status region.
  assert.equal(await page.locator(".checklist-summary").getAttribute("aria-live"), null);
  await page.waitForFunction(() => /最も弱い分類は技術的対策です/.test(document.querySelector(".summary-status").textContent));
  assert.equal(await page.locator(".summary-status").textContent(), "対象11項目中10項目に回答。最も弱い分類は技術的対策です。");

  // Notes do not change the summary (and so are not announced).
  const before = await summaryFigures(page);
  await page.fill(note("org-corrective"), "メモ");
  assert.deepEqual(await summaryFigures(page), before);

  // In English.
  await page.goto(server.url + EN);
  await page.waitForSelector("section.checklist.is-enhanced");
  f = await summaryFigures(page);
  assert.equal(f.progress.text, "10 of 11 applicable items answered (1 not applicable)");
  for (const [n, want] of Object.entries(KNOWN_DOMAINS)) assert.equal(f.cells[n].text, want.en, `text of domain ${n}`);
  assert.match(f.groups.technical.text, /Technical measures: 38% \(Weak\) — weakest/);
  assert.deepEqual(f.next, KNOWN_NEXT);
  assert.match(f.nextText, /1 item is not answered yet\./);

  // Everything in place: no weakest group, nothing to do next.
  for (const item of ITEMS) await choose(page, item, "in-place");
  f = await summaryFigures(page);
  assert.deepEqual(f.progress, { value: 12, max: 12, text: "12 of 12 applicable items answered. Every item is answered." });
  assert.ok(Object.values(f.groups).every((g) => g.score === "100% (Strong)" && !g.weakest));
  assert.deepEqual(f.next, []);
  assert.match(f.nextText, /Every answered item is “In place”\./);
  assert.deepEqual(problems, []);
  await context.close();
});

test("CSV and JSON exports hold every item, then the JSON imports into a fresh browser", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + JA);
  await page.waitForSelector("section.checklist.is-enhanced");
  await answerKnown(page);
  const tricky = 'He said "yes", then\nleft; 費用は100万円';
  await page.fill(note("org-detective"), tricky);
  await page.fill(note("staff-corrective"), "=HYPERLINK(\"x\")");
  await page.fill(`input[name="${ID}--respondent"]`, "  医療情報部 ");

  const csv = await downloadFrom(page, "export-csv");
  assert.match(csv.name, DATE_NAME("csv"));
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte order mark");
  const csvText = csv.bytes.subarray(3).toString("utf8");
  assert.ok(csvText.endsWith("\r\n"));
  const rows = parseCsv(csvText);
  assert.deepEqual(rows[0], ["チェックリスト", "版", "日付", "項目ID", "領域", "主体", "コントロール", "質問", "対策例", "状況ID", "状況", "メモ", "回答者"]);
  assert.equal(rows.length, 1 + ITEMS.length);
  assert.deepEqual(rows.slice(1).map((r) => r[3]), ITEMS);
  for (const r of rows.slice(1)) {
    assert.equal(r.length, 13);
    assert.equal(r[12], "医療情報部", "the respondent, trimmed, on every row");
    assert.equal(r[0], ID);
    assert.equal(r[1], "1");
    assert.match(r[2], /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(r[9], KNOWN[r[3]] || "");
  }
  const byId = Object.fromEntries(rows.slice(1).map((r) => [r[3], r]));
  assert.equal(byId["org-detective"][10], "検討中");
  assert.equal(byId["org-detective"][11], tricky);
  assert.equal(byId["org-detective"][4], "2");
  assert.equal(byId["org-detective"][5], "組織的（経営層）");
  assert.equal(byId["org-detective"][7], "国や県といった外部機関との連携は十分ですか。");
  assert.equal(byId["staff-corrective"][11], "'=HYPERLINK(\"x\")", "a formula is not run by a spreadsheet");
  assert.equal(byId["staff-preventive-documents"][9], "");
  // Every field is quoted.
  assert.ok(csvText.split("\r\n")[1].startsWith('"self-assessment","1","'));

  const json = await downloadFrom(page, "export-json");
  assert.match(json.name, DATE_NAME("json"));
  const rec = JSON.parse(json.bytes.toString("utf8"));
  assert.equal(rec.format, "kyozai-checklist");
  assert.equal(rec.checklist, ID);
  assert.equal(rec.version, 1);
  assert.equal(rec.respondent, "医療情報部");
  assert.match(rec.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(!Number.isNaN(Date.parse(rec.exported)));
  assert.deepEqual(rec.items.map((i) => i.id), ITEMS);
  for (const it of rec.items) {
    assert.equal(it.status, KNOWN[it.id] || null);
    assert.equal(typeof it.question, "string");
    assert.ok(it.domain >= 1 && it.domain <= 9);
  }
  assert.equal(rec.items.find((i) => i.id === "org-detective").note, tricky);
  assert.equal(rec.items.find((i) => i.id === "system-corrective").statusLabel, "該当なし");
  assert.deepEqual(problems, []);
  const filled = await formState(page);
  await context.close();

  // A fresh browser (no stored answers) imports the file and shows the same answers.
  const fresh = await openPage(browser);
  await fresh.page.goto(server.url + JA);
  await fresh.page.waitForSelector("section.checklist.is-enhanced");
  assert.equal(await stored(fresh.page), null);
  await fresh.page.setInputFiles('[data-action="import"]', { name: json.name, mimeType: "application/json", buffer: json.bytes });
  await fresh.page.waitForFunction(() => document.querySelector(".checklist-message").getAttribute("data-kind") === "ok");
  assert.match((await message(fresh.page)).text, /11項目の回答を読み込みました/);
  assert.deepEqual(await formState(fresh.page), filled);
  assert.deepEqual((await summaryFigures(fresh.page)).next, KNOWN_NEXT);
  const who = () => fresh.page.inputValue(`input[name="${ID}--respondent"]`);
  assert.equal(await who(), "医療情報部", "the respondent comes back with the answers");
  await fresh.page.reload();
  await fresh.page.waitForSelector("section.checklist.is-enhanced");
  assert.deepEqual(await formState(fresh.page), filled);
  assert.equal(await who(), "医療情報部", "the respondent is kept in the browser");

  // An export made before the respondent field still imports, with an empty respondent.
  const old = { ...rec };
  delete old.respondent;
  fresh.page.once("dialog", (d) => d.accept());
  await fresh.page.evaluate(() => { document.querySelector(".checklist-message").removeAttribute("data-kind"); });
  await fresh.page.setInputFiles('[data-action="import"]', { name: "old.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(old)) });
  await fresh.page.waitForFunction(() => document.querySelector(".checklist-message").getAttribute("data-kind") === "ok");
  assert.deepEqual(await formState(fresh.page), filled);
  assert.equal(await who(), "");
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();
});

test("a corrupt import is refused with a message and the answers stay as they were", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + JA);
  await page.waitForSelector("section.checklist.is-enhanced");
  await choose(page, "org-corrective", "in-place");
  await page.fill(note("org-corrective"), "元のメモ");
  const state = await formState(page);
  const saved = await stored(page);

  const good = (items) => JSON.stringify({ format: "kyozai-checklist", checklist: ID, version: 1, items });
  const cases = [
    ["bad JSON", "{ not json", /JSONとして正しくありません/],
    ["not an export", "[1, 2, 3]", /書き出したJSONファイルではありません/],
    ["another format", JSON.stringify({ format: "other", checklist: ID, items: [] }), /書き出したJSONファイルではありません/],
    ["wrong checklist", JSON.stringify({ format: "kyozai-checklist", checklist: "other-list", version: 1, items: [{ id: "org-corrective", status: "na" }] }), /別のチェックリスト（other-list）/],
    ["bad version", JSON.stringify({ format: "kyozai-checklist", checklist: ID, version: "one", items: [] }), /版（version）が正しくありません/],
    ["no items", JSON.stringify({ format: "kyozai-checklist", checklist: ID, version: 1 }), /項目（items）の一覧がありません/],
    ["bad status", good([{ id: "org-corrective", status: "done" }]), /項目「org-corrective」の状況「done」は、このチェックリストにありません/],
    ["status not text", good([{ id: "org-corrective", status: 2 }]), /状況「2」/],
    ["note not text", good([{ id: "org-corrective", status: "na", note: { x: 1 } }]), /メモが文字列ではないか、長すぎます/],
    ["note too long", good([{ id: "org-corrective", status: "na", note: "x".repeat(20001) }]), /長すぎます/],
    ["duplicate item", good([{ id: "org-corrective", status: "na" }, { id: "org-corrective", status: "in-place" }]), /2回出てきます/],
    ["item without id", good([{ status: "na" }]), /1番目の項目が正しくありません/],
    ["only unknown items", good([{ id: "nothing-like-this", status: "na" }]), /一つも含まれていません/],
    ["too large", JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }), /大きすぎます/],
  ];
  for (const [what, body, want] of cases) {
    await page.evaluate(() => { const m = document.querySelector(".checklist-message"); m.textContent = ""; m.removeAttribute("data-kind"); });
    await page.setInputFiles('[data-action="import"]', { name: "answers.json", mimeType: "application/json", buffer: Buffer.from(body) });
    await page.waitForFunction(() => document.querySelector(".checklist-message").getAttribute("data-kind") === "error");
    const m = await message(page);
    assert.match(m.text, want, what);
    assert.match(m.text, /今の回答は変わっていません/, what);
    assert.deepEqual(await formState(page), state, what);
    assert.equal(await stored(page), saved, what);
  }
  // The message region is a status region, so the refusal is announced.
  assert.equal(await page.locator(".checklist-message").getAttribute("role"), "status");

  // Unknown items are ignored and counted; a confirmation guards the current answers.
  const mixed = good([{ id: "org-detective", status: "considering", note: "新" }, { id: "retired-item", status: "whatever" }]);
  page.once("dialog", (d) => d.dismiss());
  await page.setInputFiles('[data-action="import"]', { name: "a.json", mimeType: "application/json", buffer: Buffer.from(mixed) });
  await page.waitForTimeout(300);
  assert.deepEqual(await formState(page), state, "import cancelled");
  page.once("dialog", (d) => d.accept());
  await page.setInputFiles('[data-action="import"]', { name: "a.json", mimeType: "application/json", buffer: Buffer.from(mixed) });
  await page.waitForFunction(() => document.querySelector(".checklist-message").getAttribute("data-kind") === "ok");
  assert.match((await message(page)).text, /1項目の回答を読み込みました。このチェックリストにない1項目は無視しました。/);
  const now = await formState(page);
  assert.deepEqual(now["org-detective"], { status: "considering", note: "新" });
  assert.deepEqual(now["org-corrective"], { status: null, note: "" }, "an import replaces the answers");
  assert.deepEqual(problems, []);
  await context.close();
});

test("clearing asks first, and answers of an older version are carried over once", async () => {
  // A copy of the checklist page as version 2 of the same checklist.
  const from = join(site, `ja/checklists/${ID}`);
  const to = join(site, `ja/checklists/${ID}-v2`);
  mkdirSync(to, { recursive: true });
  const html = readFileSync(join(from, "index.html"), "utf8");
  const v2 = html
    .replace(`data-version="1"`, `data-version="2"`)
    .replace(`data-storage-key="${KEY}"`, `data-storage-key="kyozai:checklist:${ID}:v2"`)
    .replace(/checklists(\/|&#x2F;)self-assessment(\/|&#x2F;)data\.js/, `checklists$1${ID}-v2$2data.js`);
  assert.equal((v2.match(/data-version="2"|:v2"|-v2(\/|&#x2F;)data\.js/g) || []).length, 3, "the page copy was made");
  writeFileSync(join(to, "index.html"), v2);
  const data = readFileSync(join(from, "data.js"), "utf8");
  assert.ok(data.includes(`"version":1`));
  writeFileSync(join(to, "data.js"), data.replace(`"version":1`, `"version":2`));

  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + JA);
  await page.waitForSelector("section.checklist.is-enhanced");
  await choose(page, "org-corrective", "in-place");
  await choose(page, "staff-detective", "considering");
  await page.fill(note("staff-detective"), "研修を計画中");

  // Clearing: cancel keeps everything, accept clears the form, the summary and the storage.
  page.once("dialog", (d) => { assert.equal(d.type(), "confirm"); d.dismiss(); });
  await page.click('[data-action="reset"]');
  assert.equal((await formState(page))["org-corrective"].status, "in-place");
  // An item that version 2 no longer has, and a status it does not know, are left behind.
  await page.evaluate((k) => {
    const r = JSON.parse(localStorage.getItem(k));
    r.answers["retired-item"] = { status: "in-place", note: "" };
    r.answers["org-detective"] = { status: "retired-status", note: "" };
    localStorage.setItem(k, JSON.stringify(r));
  }, KEY);

  await page.goto(server.url + `ja/checklists/${ID}-v2/index.html`);
  await page.waitForSelector("section.checklist.is-enhanced");
  const m = await message(page);
  assert.equal(m.kind, "ok");
  assert.match(m.text, /前の版（第1版）の回答を2項目引き継ぎました。今の版にない1項目は引き継いでいません。/);
  const state = await formState(page);
  assert.deepEqual(state["org-corrective"], { status: "in-place", note: "" });
  assert.deepEqual(state["staff-detective"], { status: "considering", note: "研修を計画中" });
  assert.deepEqual(state["org-detective"], { status: null, note: "" });
  assert.equal(await stored(page, KEY), null, "the old version's answers are moved, not copied");
  assert.ok(JSON.parse(await stored(page, `kyozai:checklist:${ID}:v2`)).answers["org-corrective"]);
  // The group scores still show: the page's own data script is used.
  assert.equal(await page.locator(".group-scores li").count(), 4);

  page.once("dialog", (d) => d.accept());
  await page.click('[data-action="reset"]');
  assert.ok(Object.values(await formState(page)).every((a) => a.status === null && a.note === ""));
  assert.equal((await message(page)).text, "回答を消去しました。");
  assert.equal(await page.locator(".progress-text").textContent(), "対象12項目中0項目に回答");
  await page.reload();
  await page.waitForSelector("section.checklist.is-enhanced");
  assert.ok(Object.values(await formState(page)).every((a) => a.status === null), "nothing comes back after clearing");
  assert.equal((await message(page)).text, "");
  assert.deepEqual(problems, []);
  await context.close();
});

test("without usable storage the checklist still totals, and says the answers are not kept", async () => {
  const { context, page, problems } = await openPage(browser);
  await context.addInitScript(() => {
    Object.defineProperty(window, "localStorage", { configurable: true, get() { throw new DOMException("blocked", "SecurityError"); } });
  });
  await page.goto(server.url + EN);
  await page.waitForSelector("section.checklist.is-enhanced");
  const m = await message(page);
  assert.equal(m.kind, "error");
  assert.match(m.text, /cannot store your answers/);
  await choose(page, "org-corrective", "considering");
  assert.equal(await page.locator(`td[data-domain="1"] .domain-score`).textContent(), "50% (Weak)");
  const json = await downloadFrom(page, "export-json");
  assert.equal(JSON.parse(json.bytes.toString("utf8")).items[0].status, "considering");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the filled checklist prints its answers, notes and summary, without the buttons", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + JA);
  await page.waitForSelector("section.checklist.is-enhanced");
  await answerKnown(page);
  const long = Array.from({ length: 8 }, (_, i) => `${i + 1}行目のメモ`).join("\n");
  await page.fill(note("org-corrective"), long);
  await page.emulateMedia({ media: "print" });
  const shown = await page.evaluate(() => {
    const vis = (e) => !!e && getComputedStyle(e).display !== "none" && e.getClientRects().length > 0;
    const item = document.querySelector('.item[data-item="org-corrective"]');
    return {
      textarea: vis(item.querySelector("textarea")),
      copy: vis(item.querySelector(".note-print")),
      copyText: item.querySelector(".note-print").textContent,
      copyHeight: item.querySelector(".note-print").getBoundingClientRect().height,
      actions: vis(document.querySelector(".checklist-actions")),
      summary: vis(document.querySelector(".checklist-summary")),
      heat: vis(document.querySelector(".matrix-heat")),
      next: vis(document.querySelector(".next-steps ol")),
      date: vis(document.querySelector(".print-date")),
      checked: vis(document.querySelector('input[name="self-assessment--org-corrective"][value="in-place"]')),
    };
  });
  assert.equal(shown.textarea, false);
  assert.equal(shown.copy, true);
  assert.equal(shown.copyText, long);
  assert.ok(shown.copyHeight > 100, "all eight lines of the note are printed");
  assert.equal(shown.actions, false);
  assert.ok(shown.summary && shown.heat && shown.next && shown.date && shown.checked);
  const pdf = await page.pdf({ format: "A4" });
  assert.equal(pdf.subarray(0, 4).toString(), "%PDF");
  assert.deepEqual(problems, []);
  await context.close();
});

test("with JavaScript off the checklist reads fully and explains the empty summary", async () => {
  const { context, page, problems } = await openPage(browser, { javaScriptEnabled: false });
  await page.goto(server.url + JA);
  assert.equal(await page.locator(".item[data-item]").count(), ITEMS.length);
  for (const item of ITEMS) assert.ok(await page.locator(`.item[data-item="${item}"] .question`).isVisible());
  assert.ok(await page.locator(".countermeasure").first().isVisible());
  assert.ok(await page.locator("table.matrix-heat").isVisible());
  assert.equal(await page.locator(".checklist-actions").isVisible(), false, "buttons that need the script are left out");
  assert.equal(await page.locator(".checklist-summary .progress").isVisible(), false);
  const explain = page.locator(".checklist-summary .summary-nojs");
  assert.ok(await explain.isVisible(), "the summary explains why it is empty");
  assert.match(await explain.textContent(), /JavaScript/);
  // The form itself still works.
  await choose(page, "org-corrective", "in-place");
  assert.ok(await page.isChecked(radio("org-corrective", "in-place")));
  assert.deepEqual(problems, []);
  await context.close();
});

test("the checklist page opened over file:// works the same", async () => {
  const { context, page, problems } = await openPage(browser);
  const url = fileUrl(site, JA);
  await page.goto(url);
  await page.waitForSelector("section.checklist.is-enhanced");
  assert.equal((await message(page)).text, "", "storage works from file://");
  await answerKnown(page);
  await page.fill(note("org-detective"), "ファイルから開いたページのメモ");
  let f = await summaryFigures(page);
  assert.deepEqual(f.progress, { value: 10, max: 11, text: "対象11項目中10項目に回答（該当なし1項目を除く）" });
  assert.deepEqual(Object.keys(f.groups).filter((g) => f.groups[g].weakest), ["technical"]);
  assert.deepEqual(f.next, KNOWN_NEXT);
  await page.reload();
  await page.waitForSelector("section.checklist.is-enhanced");
  const state = await formState(page);
  assert.equal(state["org-detective"].note, "ファイルから開いたページのメモ");
  assert.equal(state["system-corrective"].status, "na");
  f = await summaryFigures(page);
  for (const [n, want] of Object.entries(KNOWN_DOMAINS)) assert.equal(f.cells[n].text, want.ja);

  const csv = await downloadFrom(page, "export-csv");
  assert.match(csv.name, DATE_NAME("csv"));
  assert.equal(parseCsv(csv.bytes.subarray(3).toString("utf8")).length, 1 + ITEMS.length);
  const json = await downloadFrom(page, "export-json");
  page.once("dialog", (d) => d.accept());
  await page.click('[data-action="reset"]');
  assert.equal(await page.locator(".progress-text").textContent(), "対象12項目中0項目に回答");
  await page.setInputFiles('[data-action="import"]', { name: json.name, mimeType: "application/json", buffer: json.bytes });
  await page.waitForFunction(() => document.querySelector(".checklist-message").getAttribute("data-kind") === "ok");
  assert.deepEqual(await formState(page), state);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the filled checklist passes axe's accessibility rules", async () => {
  const require = createRequire(import.meta.url);
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const { context, page, problems } = await openPage(browser);
  await page.goto(server.url + JA);
  await page.waitForSelector("section.checklist.is-enhanced");
  await answerKnown(page);
  await page.fill(note("org-detective"), "メモ");
  // Evaluated through the debugging protocol, which the page's CSP does not govern.
  await page.evaluate(axe);
  const result = await page.evaluate(() => window.axe.run(document.querySelector("section.checklist"), { resultTypes: ["violations"] }));
  const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});
