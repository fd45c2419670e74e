// The twin test of the checklist's summary box: what static/checklist.js shows a respondent (each
// domain's score and its heat-map level, each kind of measure's score, the weakest kind) and what
// `kyozai report` (src/report/) computes for the same answers must be equal, on generated answer
// sets and on hand-made ones whose figures are known. No browser: checklist.js runs under node.
//
// Run from tests/browser after `cargo build`: node --test checklist-twin.test.mjs
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync, mkdtempSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import vm from "node:vm";
import { buildSite, kyozai, repo } from "./lib.mjs";
import { ID, ITEMS, GROUPS, SCORE, random, record, toJson } from "./compare-fixtures.mjs";

let site;
let lib;
before(() => {
  assert.ok(existsSync(kyozai), `${kyozai} is missing: run cargo build first`);
  site = buildSite();
  // checklist.js as a page loads it, in a context with no checklist on it: only its pure parts
  // (window.kyozaiChecklistLib) are used.
  const ctx = { window: {}, document: { readyState: "loading", addEventListener() {} } };
  ctx.window.addEventListener = () => {};
  vm.runInNewContext(readFileSync(join(repo, "themes/default/static/checklist.js"), "utf8"), ctx);
  lib = ctx.window.kyozaiChecklistLib;
  assert.ok(lib && typeof lib.summarize === "function", "checklist.js exposes its summary");
});

/** The model checklist.js builds from the checklist's data (LANG/checklists/ID/data.js). */
function model(lang) {
  const ctx = { window: {} };
  vm.runInNewContext(readFileSync(join(site, lang, "checklists", ID, "data.js"), "utf8"), ctx);
  const data = ctx.window.kyozaiChecklists[ID];
  const statuses = data.statuses.map((s) => ({ id: String(s.id), label: String(s.label), score: typeof s.score === "number" ? s.score : null, na: !!s.na }));
  const statusById = Object.fromEntries(statuses.map((s) => [s.id, s]));
  const max = Math.max(0, ...statuses.filter((s) => !s.na && s.score !== null).map((s) => s.score));
  const items = data.items.map((it, index) => ({ id: it.id, index, domain: Number(it.domain) }));
  const domains = {};
  for (const d of data.domains) domains[d.number] = { number: d.number, label: String(d.number) };
  return {
    items, statuses, statusById, max, domains,
    inPlace: statuses.find((s) => !s.na && s.score === max),
    groups: data.groups.map((g) => ({ id: String(g.id), label: String(g.label), domains: g.domains.map(Number) })),
  };
}

/** What the summary box shows for `answers` ({ item: status }): per domain, per group, weakest. */
function jsSummary(m, answers) {
  const a = Object.fromEntries(Object.entries(answers).map(([k, s]) => [k, { status: s, note: "" }]));
  const sum = lib.summarize(m, a);
  const domains = {};
  for (const n of Object.keys(sum.domains)) {
    const s = sum.domains[n].score;
    domains[n] = { score: s, level: s === null ? null : lib.level(s) };
  }
  // Plain values of this realm (checklist.js ran in a context of its own).
  return JSON.parse(JSON.stringify({
    domains,
    groups: sum.groups.map((g) => ({ id: g.id, score: g.score, weakest: g.weakest })),
    weakest: sum.weakest.map((g) => g.id),
  }));
}

/** The same figures from `kyozai report` on one export per answer set (respondents in order). */
function rustSummaries(sets, lang) {
  const dir = mkdtempSync(join(tmpdir(), "kyozai-checklist-twin-"));
  mkdirSync(join(dir, "in"));
  const paths = sets.map((answers, i) => {
    const p = join(dir, "in", `${ID}-${i}.json`);
    writeFileSync(p, toJson(record(`Respondent ${String(i).padStart(3, "0")}`, "2026-04-01", answers)));
    return p;
  });
  const out = join(dir, "out");
  const run = spawnSync(kyozai, ["report", ...paths, "-o", out, "--course", repo, "--lang", lang], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
  const respondents = report.combined.respondents;
  assert.equal(respondents.length, sets.length, "one respondent per answer set");
  // The heat map's domain rows: one cell per respondent, with its level when it has a score.
  const html = readFileSync(join(out, "index.html"), "utf8");
  const rows = [...html.matchAll(/<tr class="domain-row"><th scope="row">[^<]*<\/th>(.*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<td( data-level="(\d)")?[^>]*>/g)].map((c) => (c[2] === undefined ? null : Number(c[2]))));
  const numbers = Object.keys(respondents[0].domains).map(Number).sort((a, b) => a - b);
  assert.equal(rows.length, numbers.length, "a heat-map row per domain");
  return respondents.map((r, i) => {
    assert.equal(r.name, `Respondent ${String(i).padStart(3, "0")}`);
    const domains = {};
    numbers.forEach((n, row) => { domains[n] = { score: r.domains[n], level: rows[row][i] }; });
    return {
      domains,
      groups: r.groups.map((g) => ({ id: g.id, score: g.score, weakest: g.weakest })),
      weakest: r.groups.filter((g) => g.weakest).map((g) => g.id),
    };
  });
}

const all = (status) => Object.fromEntries(ITEMS.map(([id]) => [id, status]));

/** Hand-made answer sets and the figures they must give (domain scores by number, weakest kinds). */
const KNOWN = [
  { name: "nothing answered", answers: {}, domains: {}, weakest: [] },
  { name: "everything in place", answers: all("in-place"), domains: Object.fromEntries(ITEMS.map(([, d]) => [d, 1])), weakest: [] },
  { name: "nothing started", answers: all("not-started"), domains: Object.fromEntries(ITEMS.map(([, d]) => [d, 0])), weakest: Object.keys(GROUPS) },
  { name: "everything not applicable", answers: all("na"), domains: {}, weakest: [] },
  {
    name: "two weak domains, the human kind the weakest",
    answers: { ...all("in-place"), "org-detective": "considering", "staff-preventive-documents": "not-started", "staff-preventive-human-error": "considering" },
    // ② is half in place; ⑨ has one item not started and one considering: (0 + 1) / (2 × 2).
    domains: { ...Object.fromEntries(ITEMS.map(([, d]) => [d, 1])), 2: 0.5, 9: 0.25 },
    weakest: ["human"],
  },
];

function expectedFor(k) {
  const domains = {};
  for (const [, d] of ITEMS) {
    const s = d in k.domains ? k.domains[d] : null;
    domains[d] = { score: s, level: s === null ? null : s >= 1 ? 3 : s >= 2 / 3 - 1e-9 ? 2 : s >= 1 / 3 - 1e-9 ? 1 : 0 };
  }
  return domains;
}

function generated(count, seed) {
  const rnd = random(seed);
  const choices = [...Object.keys(SCORE), ""];
  return Array.from({ length: count }, (_, i) => {
    const answers = {};
    // Some sets lean to one status, so that ties, full marks and empty domains all occur.
    const lean = choices[i % choices.length];
    for (const [id] of ITEMS) {
      const s = rnd() < 0.4 ? lean : choices[Math.floor(rnd() * choices.length)];
      if (s) answers[id] = s;
    }
    return answers;
  });
}

for (const lang of ["ja", "en"]) {
  test(`${lang}: known answer sets give the known scores, heat-map levels and weakest kind`, () => {
    const m = model(lang);
    const rust = rustSummaries(KNOWN.map((k) => k.answers), lang);
    KNOWN.forEach((k, i) => {
      const js = jsSummary(m, k.answers);
      assert.deepEqual(js.domains, expectedFor(k), `${k.name}: checklist.js`);
      assert.deepEqual([...js.weakest].sort(), [...k.weakest].sort(), `${k.name}: weakest kind (checklist.js)`);
      assert.deepEqual(rust[i], js, `${k.name}: kyozai report gives what checklist.js shows`);
    });
  });

  test(`${lang}: checklist.js and kyozai report agree on hundreds of generated answer sets`, () => {
    const m = model(lang);
    const sets = generated(300, lang === "ja" ? 20 : 21);
    const rust = rustSummaries(sets, lang);
    let weakestSeen = 0;
    sets.forEach((answers, i) => {
      const js = jsSummary(m, answers);
      assert.deepEqual(rust[i], js, `answer set ${i}: ${JSON.stringify(answers)}`);
      if (js.weakest.length) weakestSeen++;
    });
    assert.ok(weakestSeen > 100 && weakestSeen < sets.length, `sets with and without a weakest kind (${weakestSeen})`);
  });
}
