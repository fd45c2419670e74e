// The completion roster page (LANG/roster/) in Chromium: dozens of generated completion records
// in the agreed format (JSON with a SHA-256 digest, and CSV), some edited after export, checked
// row by row and department by department against a computation in the test; bad files named;
// the CSV export; printing; file://; the strict CSP (the test server sends it); axe.
//
// Run from tests/browser after `cargo build`: node --test roster.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { buildSite, serve, fileUrl, launch, openPage, kyozai } from "./lib.mjs";
import { random } from "./compare-fixtures.mjs";

const EN = "en/roster/index.html";
const JA = "ja/roster/index.html";
const DEPTS = ["Nursing", "Radiology", "Pharmacy", "Administration", "IT"];

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

/** A completion record with its digest, keys in the agreed order. */
function completion(i, rnd, { tamper = false } = {}) {
  const best = () => 50 + Math.floor(rnd() * 51);
  const rec = {
    format: "kyozai-completion",
    version: 1,
    course: { id: "hospital-security-executives", edition: "ab12cd34", title: "Information security" },
    lang: "en",
    learner: { name: `Learner ${i}`, staff_id: `S${1000 + i}`, department: DEPTS[i % DEPTS.length] },
    started: `2026-03-${String(1 + (i % 20)).padStart(2, "0")}T08:00:00.000Z`,
    completed: `2026-04-${String(1 + (i % 20)).padStart(2, "0")}T09:30:00.000Z`,
    quizzes: ["awareness", "survey", "budget"].map((id) => { const b = best(); return { id, title: id, best: b, last: b, pass: 70, passed: b >= 70, attempts: 1 }; }),
    checklist: i % 4 === 0 ? null : { id: "self-assessment", answered: 12, items: 12 },
  };
  rec.digest = createHash("sha256").update(JSON.stringify(rec), "utf8").digest("hex");
  if (tamper) rec.quizzes[0].best = 100;
  return rec;
}

function asCsv(rec) {
  const q = rec.quizzes.map((x) => `${x.id}:${x.best}/${x.pass}`).join(";");
  const row = [rec.format, rec.version, rec.course.id, rec.course.edition, rec.course.title, rec.lang, rec.learner.name, rec.learner.staff_id, rec.learner.department, rec.started, rec.completed, q, rec.checklist?.answered ?? "", rec.checklist?.items ?? "", rec.digest];
  return "format,version,course_id,course_edition,course_title,lang,name,staff_id,department,started,completed,quiz_scores,checklist_answered,checklist_items,digest\r\n" + row.map((v) => `"${String(v).replace(/"/g, '""')}"`).join(",") + "\r\n";
}

function generate(n = 40) {
  const rnd = random(99);
  const files = [];
  const recs = [];
  for (let i = 0; i < n; i++) {
    const tamper = i % 9 === 4;
    const rec = completion(i, rnd, { tamper });
    const csv = i % 6 === 5;
    recs.push({ rec, tamper, csv });
    files.push({ name: `kyozai-completion-${rec.learner.staff_id}-2026-04-01.${csv ? "csv" : "json"}`, body: csv ? asCsv(rec) : JSON.stringify(rec, null, 2) });
  }
  return { files, recs };
}

const asFiles = (list) => list.map((f) => ({ name: f.name, mimeType: "application/json", buffer: Buffer.from(f.body) }));

async function open(url) {
  const o = await openPage(browser);
  await o.page.goto(url);
  await o.page.waitForSelector("section.roster.is-enhanced");
  return o;
}

async function pick(page, files) {
  const before = await page.evaluate(() => window.kyozaiRoster.state.files.length);
  await page.setInputFiles("input[data-action='pick']", asFiles(files));
  await page.waitForFunction((n) => window.kyozaiRoster.state.files.length === n, before + files.length);
}

function shown(page) {
  return page.evaluate(() => {
    const txt = (e) => (e ? e.textContent.trim() : null);
    return {
      rows: [...document.querySelectorAll(".roster-learners tbody tr")].map((tr) => ({
        file: tr.getAttribute("data-file"), check: tr.getAttribute("data-check"), name: txt(tr.querySelector("th")),
        cells: [...tr.querySelectorAll("td")].map(txt),
      })),
      deps: Object.fromEntries([...document.querySelectorAll(".roster-departments tbody tr")].map((tr) => [tr.getAttribute("data-department"), [...tr.querySelectorAll("td")].map(txt)])),
      refused: Object.fromEntries([...document.querySelectorAll(".roster-refused tbody tr")].map((tr) => [tr.getAttribute("data-file"), txt(tr.querySelector("td"))])),
      count: txt(document.querySelector(".roster-count")),
    };
  });
}

function checkRoster(s, recs, files) {
  assert.equal(s.rows.length, recs.length);
  recs.forEach(({ rec, tamper, csv }, i) => {
    const row = s.rows.find((r) => r.file === files[i].name);
    assert.ok(row, files[i].name);
    assert.equal(row.name, rec.learner.name);
    assert.equal(row.cells[0], rec.learner.staff_id);
    assert.equal(row.cells[1], rec.learner.department);
    assert.equal(row.cells[2], rec.completed.slice(0, 10));
    assert.equal(row.cells[3], rec.quizzes.map((x) => `${x.id} ${x.best}/${x.pass}`).join(", "));
    const passed = rec.quizzes.every((x) => (csv ? x.best >= x.pass : x.passed));
    assert.equal(row.cells[4], passed ? "yes" : "no", `${rec.learner.name} passed`);
    assert.equal(row.cells[5], rec.checklist ? "12/12" : "–");
    assert.equal(row.check, csv ? "unchecked" : tamper ? "mismatch" : "ok", `${files[i].name} digest`);
  });
  for (const d of DEPTS) {
    const mine = recs.filter((r) => r.rec.learner.department === d);
    const passed = mine.filter(({ rec, csv }) => rec.quizzes.every((x) => (csv ? x.best >= x.pass : x.passed))).length;
    assert.deepEqual(s.deps[d], [String(mine.length), `${passed} (${Math.round((passed / mine.length) * 100)}%)`, String(mine.filter((r) => r.tamper && !r.csv).length)], d);
  }
}

test("dozens of completion records: every row, digest check and department figure", async () => {
  const { files, recs } = generate();
  const bad = [
    { name: "truncated.json", body: files[0].body.slice(0, 40), want: /Not valid JSON/ },
    { name: "checklist-export.json", body: JSON.stringify({ format: "kyozai-checklist", items: [] }), want: /Not a kyozai completion record/ },
    { name: "future.json", body: JSON.stringify({ ...JSON.parse(files[0].body), version: 9 }), want: /unknown version \(9\)/ },
    { name: "empty.csv", body: "", want: /empty/ },
    { name: "broken.csv", body: "format,version\r\n\"x", want: /Not a CSV completion record/ },
    { name: "again.json", body: files[1].body, want: new RegExp(`same record as ${files[1].name}`) },
  ];
  const { context, page, problems } = await open(server.url + EN);
  await pick(page, [...files, ...bad]);
  const s = await shown(page);
  checkRoster(s, recs, files);
  for (const b of bad) assert.match(s.refused[b.name] ?? "", b.want, b.name);
  const mismatched = recs.filter((r) => r.tamper && !r.csv).length;
  assert.match(s.count, new RegExp(`40 learners; 5 files not used; ${mismatched} records whose digest does not match`));
  assert.ok(mismatched >= 3);

  const [dl] = await Promise.all([page.waitForEvent("download"), page.click("[data-action='export-csv']")]);
  const bytes = readFileSync(await dl.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
  assert.equal(lines[0], '"Name","Staff ID","Department","Completed","Started","Course","Edition","Quiz scores","All quizzes passed","Checklist","Digest","File"');
  assert.equal(lines.length, 41);
  assert.equal(lines.filter((l) => l.includes('"does not match"')).length, mismatched);

  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("input[data-action='pick']"), false);
  const pdf = await page.pdf({ preferCSSPageSize: true });
  assert.ok(pdf.length > 1000);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Japanese roster over file:// checks digests without crypto.subtle, and passes axe", async () => {
  const { files, recs } = generate(12);
  const { context, page, problems } = await open(fileUrl(site, JA));
  // The page must not rely on crypto.subtle (missing on plain-http hosts): take it away first.
  await page.evaluate(() => { Object.defineProperty(window.crypto, "subtle", { value: undefined }); });
  await pick(page, files);
  const s = await shown(page);
  assert.equal(s.rows.length, 12);
  recs.forEach(({ tamper, csv }, i) => assert.equal(s.rows.find((r) => r.file === files[i].name).check, csv ? "unchecked" : tamper ? "mismatch" : "ok"));
  assert.match(await page.textContent("h1"), /修了者名簿/);
  const require = createRequire(import.meta.url);
  await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const result = await page.evaluate(() => window.axe.run(document.querySelector("main"), { resultTypes: ["violations"] }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), []);
  assert.deepEqual(problems, []);
  await context.close();
});
