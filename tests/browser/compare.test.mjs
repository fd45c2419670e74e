// The checklist compare page (LANG/checklists/ID/compare/) in Chromium: dozens of generated JSON
// and CSV exports picked at once, every figure on the page checked against a computation in the
// test (compare-fixtures.mjs), bad files named with their reason while the others are still shown,
// renaming a respondent, the combined CSV, printing to A4, file://, the strict CSP (the test
// server sends it) and axe. A course whose checklist is at version 2 checks the migration of a
// version-1 export.
//
// Run from tests/browser after `cargo build`: node --test compare.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync, mkdtempSync, cpSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { buildSite, serve, fileUrl, launch, openPage, kyozai, repo } from "./lib.mjs";
import { ID, ITEMS, generate, badFiles, expected, record, toJson } from "./compare-fixtures.mjs";

const EN = `en/checklists/${ID}/compare/index.html`;
const JA = `ja/checklists/${ID}/compare/index.html`;
const pct = (x) => `${Math.round(x * 100)}%`;

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

const asFiles = (list) => list.map((f) => ({ name: f.name, mimeType: f.name.endsWith(".csv") ? "text/csv" : "application/json", buffer: Buffer.from(f.body) }));

async function open(url) {
  const o = await openPage(browser);
  await o.page.goto(url);
  await o.page.waitForSelector("section.compare.is-enhanced");
  return o;
}

async function pick(page, files) {
  const before = await page.evaluate(() => window.kyozaiCompare.state.files.length);
  await page.setInputFiles("input[data-action='pick']", asFiles(files));
  await page.waitForFunction((n) => window.kyozaiCompare.state.files.length === n, before + files.length);
}

/** Everything the page shows, read from the DOM. */
function shown(page) {
  return page.evaluate(() => {
    const q = (s) => [...document.querySelectorAll(s)];
    const txt = (e) => e.textContent.trim();
    const heat = {};
    const names = q(".compare-heat thead th.respondent .name").map(txt);
    for (const row of q(".compare-heat tr.domain-row, .compare-heat tr.item-row")) {
      const key = row.getAttribute("data-domain") ? "d" + row.getAttribute("data-domain") : row.getAttribute("data-item");
      heat[key] = [...row.querySelectorAll("td")].map((td) => ({ text: txt(td), status: td.getAttribute("data-status"), level: td.getAttribute("data-level") }));
    }
    return {
      names,
      heat,
      ranking: q(".compare-ranking li").map((li) => ({ domain: Number(li.getAttribute("data-domain")), text: txt(li), weakest: li.getAttribute("data-weakest") === "true" })),
      groups: Object.fromEntries(q(".compare-groups li").map((li) => [li.getAttribute("data-group"), { text: txt(li.querySelector(".score")), weakest: li.getAttribute("data-weakest") === "true" }])),
      disagree: q(".compare-disagree tbody tr").map((tr) => ({ item: tr.getAttribute("data-item"), sd: txt(tr.querySelector(".sd")), range: txt(tr.querySelector(".range")), n: txt(tr.querySelector(".n")) })),
      changes: q(".compare-change").map((d) => ({ name: d.getAttribute("data-respondent"), items: [...d.querySelectorAll(".item-changes li")].map((li) => li.getAttribute("data-item")) })),
      files: q(".compare-file-list tbody tr").map((tr) => ({ name: tr.getAttribute("data-file"), state: txt(tr.querySelector(".file-state")), refused: tr.classList.contains("is-refused"), duplicate: tr.classList.contains("is-duplicate"), respondent: tr.querySelector("input")?.value ?? null })),
      count: txt(document.querySelector(".compare-count")),
    };
  });
}

function checkFigures(s, want) {
  assert.deepEqual(s.names, want.respondents.map((r) => r.name), "one column per respondent, in file order");
  want.respondents.forEach((r, col) => {
    for (let n = 1; n <= 9; n++) {
      const cell = s.heat["d" + n][col];
      assert.equal(cell.text, r.domains[n] === null ? "–" : pct(r.domains[n]), `${r.name}, domain ${n}`);
    }
    for (const [id] of ITEMS) {
      const st = r.latest.answers[id] || null;
      assert.equal(s.heat[id][col].status, st, `${r.name}, ${id}`);
      if (st && st !== "na") assert.equal(s.heat[id][col].text, pct({ "not-started": 0, considering: 0.5, "in-place": 1 }[st]));
    }
  });
  const ranked = Object.entries(want.hospital).filter(([, v]) => v).sort((a, b) => a[1].score - b[1].score || a[0] - b[0]);
  assert.deepEqual(s.ranking.map((r) => r.domain), ranked.map(([n]) => Number(n)), "domains, weakest first");
  const min = ranked[0][1].score;
  for (const r of s.ranking) {
    const h = want.hospital[r.domain];
    assert.ok(r.text.includes(pct(h.score)), `${r.text} shows ${pct(h.score)}`);
    assert.ok(r.text.includes(`${h.n} respondents`) || r.text.includes(`回答者${h.n}人`), r.text);
    assert.equal(r.weakest, Math.abs(h.score - min) < 1e-9 && min < 1, `domain ${r.domain} weakest`);
  }
  const gmin = Math.min(...Object.values(want.groups).filter((x) => x !== null));
  for (const [g, v] of Object.entries(want.groups)) {
    assert.ok(s.groups[g].text.startsWith(pct(v)), `${g}: ${s.groups[g].text} vs ${pct(v)}`);
    assert.equal(s.groups[g].weakest, Math.abs(v - gmin) < 1e-9 && gmin < 1, `${g} weakest`);
  }
  const top = want.disagreement.filter((d) => d.sd > 0).slice(0, 5);
  assert.deepEqual(s.disagree.map((d) => d.item), top.map((d) => d.id), "the five largest spreads");
  top.forEach((d, i) => {
    assert.equal(s.disagree[i].sd, d.sd.toFixed(2));
    assert.equal(s.disagree[i].range, `${pct(d.min)}–${pct(d.max)}`);
    assert.equal(s.disagree[i].n, String(d.n));
  });
  assert.deepEqual(s.changes, want.changes.map((c) => ({ name: c.name, items: c.items })), "what changed per respondent");
}

test("dozens of exports, JSON and CSV, give the figures computed here, and bad files are named", async () => {
  const { files, records } = generate();
  const bad = badFiles(files[1]);
  const { context, page, problems } = await open(server.url + EN);
  assert.match(await page.textContent(".compare-files"), /No exports yet/);
  // Good and bad files mixed, in one pick and then a second one.
  await pick(page, [...files.slice(0, 20), ...bad.slice(0, 4)]);
  await pick(page, [...files.slice(20), ...bad.slice(4)]);
  const s = await shown(page);
  checkFigures(s, expected(records));
  const want = expected(records);
  assert.equal(s.names.length, 36);
  assert.ok(want.changes.length >= 7, "several respondents with an earlier export");

  // Every bad file is listed with its reason.
  const reasons = {
    checklist: /another checklist \(other-list\)/, newer: /version 7 .*newer than this site's version 1/, json: /Not valid JSON/,
    csv: /Not a CSV export|wrong number of fields/, status: /status “done” of item “org-detective”/, empty: /empty/, format: /Not an export/,
    duplicate: new RegExp(`same export as ${files[1].name.replace(/\./g, "\\.")}`),
  };
  for (const b of bad) {
    const row = s.files.find((f) => f.name === b.name);
    assert.ok(row, `${b.name} is listed`);
    assert.match(row.state, reasons[b.code], b.name);
    assert.equal(b.code === "duplicate" ? row.duplicate : row.refused, true, b.name);
  }
  assert.equal(s.files.filter((f) => !f.refused && !f.duplicate).length, files.length);
  assert.match(s.count, new RegExp(`${files.length} exports from 36 respondents; ${bad.length} files not used`));
  // A respondent from a CSV file keeps its name (the formula guard undone).
  assert.ok(s.names.includes("=Ward 3"));

  // Renaming one respondent as another merges them: the later export becomes that column.
  const first = s.files.find((f) => f.respondent === "Department 02");
  await page.fill(`.compare-file-list tr[data-file="${first.name}"] input`, "Department 03");
  await page.press(`.compare-file-list tr[data-file="${first.name}"] input`, "Enter");
  await page.waitForFunction(() => document.querySelectorAll(".compare-heat thead th.respondent").length === 35);
  const renamed = records.map((r) => r.respondent === "Department 02" ? { ...r, respondent: "Department 03" } : r);
  checkFigures(await shown(page), expected(renamed));

  // The combined CSV: a byte order mark, every kept export, twelve rows each.
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click("[data-action='export-csv']")]);
  const bytes = readFileSync(await dl.path());
  assert.equal(dl.suggestedFilename(), `${ID}-v1-compare.csv`);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").split("\r\n").filter((l) => l && !l.startsWith("and a second line"));
  assert.equal(lines[0], '"Respondent","Date","File","Latest","Item ID","Domain","Question","Status ID","Status","Score","Notes"');
  assert.equal(lines.length - 1, files.length * ITEMS.length);
  assert.ok(lines.some((l) => l.startsWith(`"'=Ward 3","2026-04-01"`)), "a respondent that looks like a formula is defused");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Japanese page reads the same files with Japanese words", async () => {
  const { files, records } = generate(12, 7);
  const { context, page, problems } = await open(server.url + JA);
  await pick(page, [...files, { name: "broken.json", body: "{\"format\":" }]);
  const s = await shown(page);
  checkFigures(s, expected(records));
  assert.match(s.files.find((f) => f.name === "broken.json").state, /JSONとして正しくありません/);
  assert.match(await page.textContent("h1"), /回答の比較/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the page prints as an A4 report with the figures and without the controls", async () => {
  const { files } = generate(12, 3);
  const { context, page, problems } = await open(server.url + EN);
  await pick(page, files);
  // The figures are drawn once the files are read: wait for them rather than race them.
  await page.waitForSelector(".compare-heat", { state: "visible" });
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("input[data-action='pick']"), false);
  assert.equal(await page.isVisible(".compare-heat"), true);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const out = join(mkdtempSync(join(tmpdir(), "kyozai-compare-")), "report.pdf");
  writeFileSync(out, pdf);
  // A4 landscape: 842 × 595 points.
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString("latin1"));
  assert.ok(box, "the PDF has a page box");
  assert.ok(Math.abs(Number(box[1]) - 842) < 2 && Math.abs(Number(box[2]) - 595) < 2, `page is ${box[1]} × ${box[2]}`);
  if (process.env.KYOZAI_KEEP_PDF) writeFileSync(process.env.KYOZAI_KEEP_PDF, pdf);
  assert.deepEqual(problems, []);
  await context.close();
});

test("over file:// the page reads files the same way", async () => {
  const { files, records } = generate(10, 5);
  const { context, page, problems } = await open(fileUrl(site, EN));
  await pick(page, files);
  checkFigures(await shown(page), expected(records));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a version-1 export is carried over to a version-2 checklist, and the page passes axe", async () => {
  // A copy of the bundled course whose checklist is at version 2 and has lost one item.
  const dir = mkdtempSync(join(tmpdir(), "kyozai-v2-"));
  cpSync(join(repo, "content"), join(dir, "content"), { recursive: true });
  cpSync(join(repo, "kyozai.toml"), join(dir, "kyozai.toml"));
  const data = join(dir, "content/data/self-assessment.checklist.toml");
  let toml = readFileSync(data, "utf8").replace(/^version = 1$/m, "version = 2");
  toml = toml.replace(/\[\[item\]\]\nid = "staff-preventive-human-error"[\s\S]*?(?=\n\[\[item\]\]|$)/, "");
  writeFileSync(data, toml);
  const v2 = buildSite(dir);
  const srv = await serve(v2);
  try {
    const { context, page, problems } = await open(srv.url + EN);
    const old = record("Radiology", "2025-04-01", { "org-corrective": "in-place", "staff-preventive-human-error": "not-started" });
    await pick(page, [{ name: "old.json", body: toJson(old) }, { name: "future.json", body: toJson(old, { version: 3 }) }]);
    const s = await shown(page);
    assert.match(s.files.find((f) => f.name === "old.json").state, /From version 1 of the checklist: answers carried over \(1 that no longer fit left out\)/);
    assert.match(s.files.find((f) => f.name === "future.json").state, /version 3 .*newer than this site's version 2/);
    assert.equal(s.heat["org-corrective"][0].status, "in-place");
    assert.equal(s.heat["staff-preventive-human-error"], undefined);
    assert.equal(s.heat.d1[0].text, "100%");

    const require = createRequire(import.meta.url);
    await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
    const result = await page.evaluate(() => window.axe.run(document.querySelector("main"), { resultTypes: ["violations"] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), []);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await srv.close();
  }
});
