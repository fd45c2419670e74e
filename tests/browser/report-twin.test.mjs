// The twin test: the compare page's rules (static/compare-core.js, run here under node) and the
// Rust ones of `kyozai report` (src/report/) on the same files (dozens of generated respondents,
// JSON and CSV, and every kind of bad file) must give the same result: the same exports, the same
// refusals with the same details, the same combined figures and the same combined CSV bytes.
// Also checks the command's report page, its exit status and its messages.
//
// Run from tests/browser after `cargo build`: node --test report-twin.test.mjs
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync, mkdtempSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import vm from "node:vm";
import { buildSite, kyozai, repo } from "./lib.mjs";
import { ID, generate, badFiles, expected } from "./compare-fixtures.mjs";

const require = createRequire(import.meta.url);
const core = require(join(repo, "themes/default/static/compare-core.js"));

let site;
before(() => {
  assert.ok(existsSync(kyozai), `${kyozai} is missing: run cargo build first`);
  site = buildSite();
});

/** The checklist data and the compare strings of one language, from the built site. */
function pageData(lang) {
  const ctx = { window: {} };
  vm.runInNewContext(readFileSync(join(site, lang, "checklists", ID, "data.js"), "utf8"), ctx);
  const html = readFileSync(join(site, lang, "checklists", ID, "compare/index.html"), "utf8");
  const strings = JSON.parse(/<script type="application\/json" id="kyozai-compare-strings">([^<]*)<\/script>/.exec(html)[1]);
  return { data: ctx.window.kyozaiChecklists[ID], strings };
}

/** What the compare page computes for `files`, as `kyozai report` writes it to report.json. */
function jsReport(files, lang) {
  const { data, strings } = pageData(lang);
  const m = core.model(data);
  const exports = [];
  const refused = [];
  for (const f of files) {
    const bytes = Buffer.from(f.body);
    const r = bytes.length > core.MAX_BYTES ? { error: { code: "too-big", limit: core.MAX_BYTES / 1024 } } : core.parse(m, f.name, bytes.toString("utf8"));
    if (r.error) refused.push({ ...r.error, file: f.name });
    else exports.push(r.export);
  }
  const combined = core.combine(m, exports);
  const question = Object.fromEntries(data.items.map((i) => [i.id, i.question]));
  const status = Object.fromEntries(data.statuses.map((s) => [s.id, s.label]));
  const csv = core.toCsv(m, exports, combined, { header: strings.compare_csv_header.split("|"), yes: strings.compare_yes, questions: question, statuses: status });
  return { json: JSON.parse(JSON.stringify({ exports, refused, combined })), csv };
}

function runReport(files, args = []) {
  const dir = mkdtempSync(join(tmpdir(), "kyozai-report-"));
  const inDir = join(dir, "in");
  mkdirSync(inDir);
  const paths = files.map((f) => { const p = join(inDir, f.name); writeFileSync(p, f.body); return p; });
  const out = join(dir, "out");
  const run = spawnSync(kyozai, ["report", ...paths, "-o", out, "--course", repo, ...args], { encoding: "utf8" });
  return { run, out };
}

const bigFile = { name: "huge.json", body: JSON.stringify({ format: "kyozai-checklist", pad: "x".repeat(1024 * 1024 + 1) }) };

for (const lang of ["en", "ja"]) {
  test(`${lang}: the Rust and the JavaScript rules give the same result on the same files`, () => {
    const { files } = generate(48, lang === "en" ? 11 : 12);
    const all = [...files, ...badFiles(files[2]), bigFile];
    const { run, out } = runReport(all, ["--lang", lang]);
    assert.equal(run.status, 0, run.stderr);
    const rust = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    const js = jsReport(all, lang);
    assert.equal(rust.exports.length, files.length + 1, "every good file and the duplicate are read");
    assert.deepEqual(rust.refused, js.json.refused);
    assert.deepEqual(rust.exports, js.json.exports);
    assert.deepEqual(rust.combined, js.json.combined);
    assert.equal(readFileSync(join(out, "report.csv"), "utf8"), js.csv, "the same combined CSV");
    assert.ok(rust.combined.duplicates.length === 1 && rust.combined.changes.length > 5 && rust.combined.disagreement.length === 12);
  });
}

test("the report names every bad file with its reason and still reports the others", () => {
  const { files, records } = generate(30, 4);
  const bad = badFiles(files[0]);
  const { run, out } = runReport([...files, ...bad, bigFile], ["--lang", "en"]);
  assert.equal(run.status, 0, run.stderr);
  for (const b of [...bad.filter((x) => x.code !== "duplicate"), bigFile]) assert.ok(run.stderr.includes(b.name), `${b.name} is named:\n${run.stderr}`);
  assert.match(run.stderr, /another checklist \(other-list\)/);
  assert.match(run.stderr, /Not valid JSON/);
  assert.match(run.stderr, /Too large/);
  assert.match(run.stdout, new RegExp(`reported ${files.length} exports from 30 respondents`));
  const html = readFileSync(join(out, "index.html"), "utf8");
  const want = expected(records);
  // The report shows each respondent and the hospital's weakest domain.
  for (const r of want.respondents) assert.ok(html.includes(`<span class="name">${r.name}</span>`), r.name);
  const weakest = Object.entries(want.hospital).filter(([, v]) => v).sort((a, b) => a[1].score - b[1].score)[0];
  assert.match(html, new RegExp(`<ol class="compare-ranking"><li data-level="\\d"><span class="label">[^<]*</span> <span class="score">${Math.round(weakest[1].score * 100)}%`));
  assert.ok(existsSync(join(out, "compare.css")) && existsSync(join(out, "style.css")));
  const csv = readFileSync(join(out, "report.csv"));
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
});

test("with no usable file the command fails and names each file", () => {
  const bad = badFiles({ name: "x.json", body: "{" }).filter((b) => b.code !== "duplicate");
  const { run } = runReport(bad);
  assert.equal(run.status, 1);
  for (const b of bad) assert.ok(run.stderr.includes(b.name), b.name);
  const unknown = spawnSync(kyozai, ["report", "x.json", "--course", repo, "--lang", "fr"], { encoding: "utf8" });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--lang fr: the course is in/);
});

test("the report page of each language passes the Nu HTML Checker and axe, loads nothing from outside and prints on A4 landscape", async () => {
  const { launch, openPage, fileUrl } = await import("./lib.mjs");
  const vnu = new URL("node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url).pathname;
  const axeSource = readFileSync(new URL("node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
  const { files } = generate(24, 7);
  const browser = await launch();
  try {
    for (const lang of ["ja", "en"]) {
      const { run, out } = runReport(files, ["--lang", lang]);
      assert.equal(run.status, 0, run.stderr);
      const html = readFileSync(join(out, "index.html"), "utf8");
      assert.match(html, new RegExp(`<html lang="${lang}"`));
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=/, "no inline script, style or handler");
      const check = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", join(out, "index.html")], { encoding: "utf8" });
      const errors = JSON.parse(check.stderr).messages.filter((m) => m.type === "error" || m.subType === "fatal");
      assert.deepEqual(errors.map((m) => `${m.lastLine}: ${m.message}`), [], `${lang}: Nu HTML Checker`);
      const { context, page, problems } = await openPage(browser);
      await page.goto(fileUrl(out));
      await page.evaluate(axeSource);
      const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }));
      assert.ok(r.passes.length > 0, "axe ran");
      assert.deepEqual(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `${lang}: axe`);
      const pdf = await page.pdf({ preferCSSPageSize: true });
      const size = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString("latin1"));
      assert.ok(size, "the PDF has a page size");
      const [w, h] = [Number(size[1]), Number(size[2])];
      assert.ok(Math.abs(w - 841.9) < 2 && Math.abs(h - 595.3) < 2, `${lang}: A4 landscape, not ${w}×${h}`);
      assert.deepEqual(problems, [], `${lang}: no error and no outside request`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
