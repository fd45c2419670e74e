// The search index in shards, on a course large enough to need several (and, in Japanese, several
// batches of them): under node, a query on the shards gives the very hits of the whole index (the
// shards joined back into one) when its shards fit in one batch, else each batch holds the whole
// index's hits in its shards, ranked as the whole index ranks them, and the batches together find
// every chunk that contains a two-character Japanese substring; in Chromium from file://, a rare
// term loads only the shards that can hold it, and a term on every page loads the first batch's
// shards, then one batch more at each press of "More results" until every match is listed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { buildSite, fileUrl, launch, openPage, repo } from "./lib.mjs";

const axeSource = readFileSync(new URL("node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

const JA = [
  "医療機関のIT化が進んだ現在では、情報セキュリティ事故は事業継続に影響する経営課題です。",
  "外部委託先に任せきりにせず、責任範囲と実施すべき対策を契約で明示することが重要です。",
  "USBメモリ等の外部媒体は、情報持ち出しのリスクだけでなくウイルス感染の経路にもなります。",
  "ランサムウェアに感染すると、端末のファイルが暗号化され、診療が止まるおそれがあります。",
  "標的型攻撃では、実在の組織を装ったメールの添付ファイルからマルウェアに感染します。",
];
const EN = [
  "Ransomware encrypts the files on a terminal and can bring clinical work to a halt.",
  "Backups and a plan for degraded operation keep care going while systems are down.",
  "Executives are responsible for securing a budget and people, and for directing the work.",
];
const CHAPTERS = 12;
const SECTIONS = 40;
// Sentences of a Japanese page, twice: long enough for more than two batches of shards.
const JA_SENTENCES = 24;

function course() {
  const dir = mkdtempSync(join(tmpdir(), "kyozai-shards-"));
  const put = (p, t) => {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), t);
  };
  put("kyozai.toml", 'source_language = "ja"\nlanguages = ["ja", "en"]\n[title]\nja = "分割索引"\nen = "Sharded index"\n');
  put("content/_index.ja.md", '+++\ntitle = "ホーム"\n+++\nようこそ。\n');
  put("content/_index.en.md", '+++\ntitle = "Home"\n+++\nWelcome.\n');
  for (let c = 1; c <= CHAPTERS; c++) {
    put(`content/${String(c).padStart(2, "0")}-c${c}/_index.ja.md`, `+++\ntitle = "章${c}"\n+++\n${JA[c % JA.length]}\n`);
    put(`content/${String(c).padStart(2, "0")}-c${c}/_index.en.md`, `+++\ntitle = "Chapter ${c}"\n+++\n${EN[c % EN.length]}\n`);
    for (let s = 1; s <= SECTIONS; s++) {
      const k = c * 100 + s;
      const ja = Array.from({ length: JA_SENTENCES }, (_, j) => JA[(k + j) % JA.length]).join("");
      const en = [0, 1, 2, 3, 4, 5].map((j) => EN[(k + j) % EN.length]).join(" ");
      const name = `content/${String(c).padStart(2, "0")}-c${c}/${String(s).padStart(2, "0")}-s${s}`;
      put(`${name}.ja.md`, `+++\ntitle = "節${k}"\n+++\n${ja}\n\n## 詳細\n\n${ja}（固有語${k}）${k === 517 ? "珍しい語句" : ""}\n`);
      put(`${name}.en.md`, `+++\ntitle = "Section ${k}"\n+++\n${en}\n\n## Details\n\n${en} Token${k}.\n`);
    }
  }
  return dir;
}

let site, browser;
before(async () => {
  site = buildSite(course());
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The search core and every index script of `lang`, run in a context of their own. */
function load(lang) {
  const ctx = { window: {} };
  ctx.globalThis = ctx.window;
  ctx.self = ctx.window;
  vm.createContext(ctx);
  vm.runInContext(readFileSync(join(repo, "themes/default/static/search-core.js"), "utf8"), ctx);
  vm.runInContext(readFileSync(join(site, `search/${lang}.js`), "utf8"), ctx);
  for (const f of readdirSync(join(site, "search", lang))) {
    vm.runInContext(readFileSync(join(site, "search", lang, f), "utf8"), ctx);
  }
  const lib = ctx.window.kyozaiSearchCore;
  const M = ctx.window.kyozaiSearch[lang];
  const parts = ctx.window.kyozaiSearchParts;
  return { lib, M, part: (n) => parts[`${lang}/${n}`] };
}

/** The shards joined back into one index of version 1. */
function whole(M, part) {
  const idx = { v: 1, lang: M.lang, pages: [], page: [], anchor: [], kind: "", text: "" };
  const ids = new Map();
  const texts = [];
  for (let k = 0; k < M.shards; k++) {
    const s = part(String(k));
    assert.equal(s.first, idx.page.length, `shard ${k} starts where the one before ended`);
    for (let d = 0; d < s.page.length; d++) {
      const [path, title] = s.pages[s.page[d]];
      const key = path + "\u0000" + title;
      if (!ids.has(key)) {
        ids.set(key, idx.pages.length);
        idx.pages.push([path, title]);
      }
      idx.page.push(ids.get(key));
      idx.anchor.push(s.anchor[d]);
    }
    idx.kind += s.kind;
    texts.push(s.text);
  }
  idx.text = texts.join("\u001e");
  return idx;
}

const plain = (hits) => Array.from(hits, (h) => ({ doc: h.doc, url: h.url, title: h.title, heading: h.heading, kind: h.kind, score: h.score }));

/**
 * Checks query `q`'s batches against the whole index `P`: with one batch, the very hits of the
 * whole index; else each batch's hits are the whole index's hits in its shards' chunks, in the
 * whole index's order, and searchSharded gives the batches in order. Returns the number of batches.
 */
function checkBatches(lib, M, part, P, q) {
  const whole = plain(lib.search(P, q));
  const all = lib.searchSharded(M, part, q, {});
  assert.ok(!all.missing, `${q}: every part is loaded`);
  if (all.batches <= 1) {
    assert.deepEqual(plain(all.hits), whole, q);
    return all.batches;
  }
  let joined = [];
  for (let k = 0; k < all.batches; k++) {
    const b = lib.searchBatch(M, part, q, k, {});
    assert.equal(b.batches, all.batches);
    assert.ok(b.shards.length > 0 && b.shards.length <= M.batch, `${q}: batch ${k} of ${b.shards.length} shards`);
    const inBatch = (doc) => b.shards.some((s) => doc >= part(String(s)).first && doc < part(String(s)).first + part(String(s)).page.length);
    assert.deepEqual(plain(b.hits), whole.filter((h) => inBatch(h.doc)), `${q}, batch ${k}`);
    joined = joined.concat(plain(b.hits));
  }
  assert.equal(lib.searchBatch(M, part, q, all.batches, {}).hits.length, 0, `${q}: nothing past the last batch`);
  assert.deepEqual(plain(all.hits), joined, `${q}: the batches in order`);
  const docs = (hits) => hits.map((h) => h.doc).sort((a, b) => a - b);
  assert.deepEqual(docs(joined), docs(whole), `${q}: every chunk the whole index finds, once`);
  return all.batches;
}

for (const lang of ["ja", "en"]) {
  test(`${lang}: a query on the shards gives the hits of the whole index, batch by batch`, () => {
    const { lib, M, part } = load(lang);
    assert.equal(M.v, 3);
    assert.ok(M.batch > 1, `batches of ${M.batch} shards`);
    assert.ok(M.shards >= (lang === "ja" ? 2 * M.batch + 1 : 3), `${M.shards} shards`);
    const P = lib.prepare(whole(M, part));
    assert.equal(P.index.page.length, M.chunks);
    const queries = lang === "ja"
      ? ["ランサム", "らんさむ", "固有語517", "固有語5", "珍しい語句", "節1203", "情", "ＵＳＢ", "詳細 経営", "存在しない", "IT"]
      : ["ransomware", "backup care", "token517", "section 1203", "details", "directing", "nothing-here", "e"];
    let most = 0;
    for (const q of queries) most = Math.max(most, checkBatches(lib, M, part, P, q));
    if (lang === "ja") assert.ok(most >= 3, `the most batches of a query: ${most}`);
    const rare = lib.searchSharded(M, part, lang === "ja" ? "珍しい語句" : "token517", {});
    assert.ok(rare.hits.length > 0 && rare.shards.length * 2 <= M.shards, `a rare term needs ${rare.shards.length} of ${M.shards} shards`);
    assert.equal(rare.batches, 1);
  });
}

test("a manifest without batch (version 2) searches every shard a query needs at once", () => {
  const { lib, M, part } = load("ja");
  const old = { v: 2, lang: M.lang, shards: M.shards, grams: M.grams, chunks: M.chunks };
  const P = lib.prepare(whole(M, part));
  for (const q of ["ランサム", "固有語5"]) {
    const r = lib.searchSharded(old, part, q, {});
    assert.equal(r.batches, 1);
    assert.deepEqual(plain(r.hits), plain(lib.search(P, q)), q);
    assert.deepEqual(plain(lib.searchBatch(old, part, q, 0, {}).hits), plain(r.hits), q);
  }
});

test("every chunk containing a two-character Japanese substring is found", () => {
  const { lib, M, part } = load("ja");
  const idx = whole(M, part);
  const P = lib.prepare(idx);
  for (const q of ["委託", "暗号", "語5", "節7", "詳細", "機関"]) {
    const key = lib.normalize(q);
    const want = [];
    for (let d = 0; d < idx.page.length; d++) {
      if (P.titles[idx.page[d]].includes(key) || P.headings[d].includes(key) || P.bodies[d].includes(key)) want.push(d);
    }
    const got = Array.from(lib.searchSharded(M, part, q, {}).hits, (h) => h.doc).sort((a, b) => a - b);
    assert.ok(want.length > 0, q);
    assert.deepEqual(got, want, q);
  }
});

test("from file://, a rare term loads only the shards that can hold it", async () => {
  const { M } = load("ja");
  const { context, page, problems } = await openPage(browser);
  await page.goto(fileUrl(site, "ja/c3/s7/index.html"));
  await page.fill("#search-input", "珍しい語句");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
  const hrefs = await page.$$eval("#search-results li.search-result a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.length > 0 && hrefs.every((h) => h.endsWith("index.html") || h.includes("index.html#")), JSON.stringify(hrefs));
  assert.ok(await page.$("#search-results mark"), "matches are highlighted");
  const shards = await page.$$eval("script[src]", (ss) => ss.map((s) => s.getAttribute("src")).filter((s) => /search\/ja\/\d+\.js$/.test(s)));
  assert.ok(shards.length > 0 && shards.length * 2 <= M.shards, `${shards.length} of ${M.shards} shards loaded`);
  // A common term then loads the rest, and the result links open pages.
  await page.evaluate(() => { document.getElementById("search-status").textContent = ""; });
  await page.fill("#search-input", "ランサム");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
  const first = await page.$eval("#search-results li.search-result a", (a) => a.href);
  await page.goto(first);
  assert.ok((await page.textContent("h1")).length > 0);
  assert.deepEqual(problems, []);
  await context.close();
});

/** The theme's search words of `lang` (themes/default/i18n/LANG.toml). */
function themeWords(lang) {
  const words = {};
  for (const m of readFileSync(join(repo, `themes/default/i18n/${lang}.toml`), "utf8").matchAll(/^(search_\w+) = "(.*)"$/gm)) words[m[1]] = m[2];
  return words;
}

test("from file://, a term on every page loads one batch of shards at a time until every match is listed", async () => {
  const { lib, M, part } = load("ja");
  const ja = themeWords("ja");
  const q = "ランサム";
  const all = lib.searchSharded(M, part, q, {});
  assert.ok(all.batches >= 3, `${all.batches} batches`);
  // Arrays of this realm (the core ran in a context of its own).
  const batches = Array.from({ length: all.batches }, (_, k) => {
    const b = lib.searchBatch(M, part, q, k, {});
    return { shards: [...b.shards], hits: [...b.hits] };
  });
  assert.ok(batches[0].hits.length > 20, `${batches[0].hits.length} hits in the first batch`);
  const number = (n) => new Intl.NumberFormat("ja").format(n);

  const { context, page, problems } = await openPage(browser);
  await page.goto(fileUrl(site, "ja/c3/s7/index.html"));
  const root = await page.evaluate(() => document.documentElement.getAttribute("data-root"));
  // What the page links to for a hit's URL (folders open their index.html from file://).
  const href = (url) => root + url.replace(/(^|\/)(#|$)/, "$1index.html$2");
  const shardsLoaded = () => page.$$eval("script[src]", (ss) => ss.map((s) => s.getAttribute("src")).filter((s) => /search\/ja\/\d+\.js$/.test(s)).map((s) => Number(s.match(/(\d+)\.js$/)[1])).sort((a, b) => a - b));
  const partsLoaded = () => page.evaluate(() => Object.keys(window.kyozaiSearchParts || {}).filter((k) => /^ja\/\d+$/.test(k)).length);
  const links = () => page.$$eval("#search-results li.search-result a", (as) => as.map((a) => a.getAttribute("href")));

  await page.fill("#search-input", q);
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
  // The first answer: the first batch's shards alone, its best 20 hits, a count so far.
  assert.deepEqual(await shardsLoaded(), batches[0].shards, "only the first batch's shards are loaded");
  assert.equal(await partsLoaded(), batches[0].shards.length);
  assert.deepEqual(await links(), batches[0].hits.slice(0, 20).map((h) => href(h.url)));
  const partial = ja.search_results_partial.replace("{n}", number(batches[0].hits.length));
  assert.equal(await page.textContent("#search-status"), partial);
  assert.equal(await page.getAttribute("#search-status", "role"), "status");
  assert.equal(await page.textContent("#search-results .search-partial"), partial, "the list says there may be more");
  assert.equal(await page.textContent("#search-results .search-more button"), ja.search_more);
  // The partial answer, its note and its button pass axe.
  await page.evaluate(axeSource);
  const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }));
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);

  // More results: first the rest of the first batch, then one batch more at a time.
  let batch = 0;
  let expected = [...batches[0].hits];
  while (await page.$("#search-results .search-more button")) {
    const before = (await links()).length;
    await page.click("#search-results .search-more button");
    await page.waitForFunction((n) => document.querySelectorAll("#search-results li.search-result").length > n, before);
    const now = await links();
    if (before === expected.length) {
      // Every hit found so far was shown: the press searched the next batch.
      batch++;
      expected = expected.concat(batches[batch].hits);
      assert.deepEqual(await shardsLoaded(), batches.slice(0, batch + 1).flatMap((b) => b.shards), `batch ${batch}: its shards are loaded`);
      assert.equal(await page.evaluate(() => document.activeElement.closest("li").className), "search-result", "the first new result has the focus");
    }
    assert.deepEqual(now, expected.slice(0, Math.min(expected.length, before + 20)).map((h) => href(h.url)));
    const last = batch + 1 === all.batches;
    const words = last ? ja.search_results : ja.search_results_partial;
    assert.equal(await page.textContent("#search-status"), words.replace("{n}", number(expected.length)), `after batch ${batch}`);
    assert.equal(!!(await page.$("#search-results .search-partial")), !last);
  }
  assert.equal(batch + 1, all.batches, "every batch was searched");
  // Every match is listed, once, and the count is the final one.
  const listed = await links();
  assert.deepEqual(listed, Array.from(all.hits, (h) => href(h.url)));
  assert.equal(new Set(listed).size, listed.length);
  assert.equal(await page.textContent("#search-status"), ja.search_results.replace("{n}", number(all.hits.length)));
  assert.deepEqual(await shardsLoaded(), [...all.shards]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("from file://, a query whose first batch holds no match loads that batch alone, and each press one batch more", async () => {
  const { lib, M, part } = load("ja");
  const ja = themeWords("ja");
  // A term whose pairs are in many shards but which is written only late in the course.
  let q = null;
  let batches = null;
  const candidates = [];
  for (let k = CHAPTERS * 100 + SECTIONS; k > 100; k--) candidates.push(`固有語${k}`, `ランサム 固有語${k}`, `外部 ${k}`);
  for (const c of candidates) {
    const all = lib.searchSharded(M, part, c, {});
    if (all.batches < 2 || !all.hits.length) continue;
    const bs = Array.from({ length: all.batches }, (_, b) => {
      const r = lib.searchBatch(M, part, c, b, {});
      return { shards: [...r.shards], hits: [...r.hits] };
    });
    if (!bs[0].hits.length) {
      q = c;
      batches = bs;
      break;
    }
  }
  assert.ok(q, "the course has a term whose first batch holds no match");
  const found = batches.findIndex((b) => b.hits.length > 0);
  const { context, page, problems } = await openPage(browser);
  await page.goto(fileUrl(site, "ja/c3/s7/index.html"));
  const shardsLoaded = () => page.$$eval("script[src]", (ss) => ss.filter((s) => /search\/ja\/\d+\.js$/.test(s.getAttribute("src"))).length);
  await page.fill("#search-input", q);
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
  const names = await page.$$eval("script[src]", (ss) => ss.map((s) => s.getAttribute("src")).filter((s) => /search\/ja\/\d+\.js$/.test(s)));
  assert.equal(await shardsLoaded(), batches[0].shards.length, `the first answer loads one batch: ${q} ${JSON.stringify(names)} ${JSON.stringify(batches.map((b) => b.shards))}`);
  assert.equal(await page.textContent("#search-status"), ja.search_results_partial.replace("{n}", "0"));
  assert.equal(await page.$("#search-results .search-none"), null, "not said to match nothing");
  for (let b = 1; b <= found; b++) {
    await page.click("#search-results .search-more button");
    const want = batches.slice(0, b + 1).reduce((n, x) => n + x.shards.length, 0);
    await page.waitForFunction(
      (n) => Array.from(document.querySelectorAll("script[src]")).filter((s) => /search\/ja\/\d+\.js$/.test(s.getAttribute("src"))).length === n && !!window.kyozaiSearchParts,
      want,
    );
    await page.waitForFunction((n) => document.querySelectorAll("#search-results li.search-result").length === n, b === found ? Math.min(20, batches[found].hits.length) : 0);
    assert.equal(await shardsLoaded(), want, `press ${b} loads one batch more`);
  }
  const root = await page.evaluate(() => document.documentElement.getAttribute("data-root"));
  const href = (url) => root + url.replace(/(^|\/)(#|$)/, "$1index.html$2");
  const hrefs = await page.$$eval("#search-results li.search-result a", (as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(hrefs, batches[found].hits.slice(0, 20).map((h) => href(h.url)), "the batch's hits, best first");
  assert.deepEqual(problems, []);
  await context.close();
});
