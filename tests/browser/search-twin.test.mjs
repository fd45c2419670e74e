// The twin test of the site search: static/search-core.js (run here under node, no browser) and
// the Rust search (src/search/, through the dev-only example `search_twin`) answer thousands of
// generated queries on the same built indexes — the bundled course, a synthetic course of many
// shards, and the synthetic course's index split again into small shards searched in small
// batches, so that common terms span many batches — and must give the same ranked results: the
// same number of batches, the same first batch and the same hits of every batch in order (the same
// chunks, URLs, titles, headings, kinds, scores and snippets, in the same order). The queries mix Japanese and English, hiragana and
// katakana, full-width ASCII and half-width katakana, upper and lower case, several terms, terms
// found nowhere, one-character terms and punctuation, and Vietnamese with and without its marks
// (an index in Vietnamese too). The two also fold every UTF-16 unit alike in each language.
//
// Run from tests/browser: node --test search-twin.test.mjs (it builds the example with cargo).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { buildSite, kyozai, repo } from "./lib.mjs";
// A seeded generator (mulberry32), so that a failure can be replayed.
import { random as rng } from "./compare-fixtures.mjs";

const require = createRequire(import.meta.url);
const core = require(join(repo, "themes/default/static/search-core.js"));
const twin = process.env.KYOZAI_SEARCH_TWIN || join(repo, "target/debug/examples/search_twin");

/** A course with several shards and text in every form the search folds. */
function course() {
  const dir = mkdtempSync(join(tmpdir(), "kyozai-twin-"));
  const put = (p, t) => {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), t);
  };
  const JA = [
    "医療機関のIT化が進んだ現在では、情報セキュリティ事故は事業継続に影響する経営課題です。",
    "ＵＳＢメモリ等の外部媒体は、ウイルス感染の経路にもなります。ﾊﾞｯｸｱｯﾌﾟを取りましょう。",
    "らんさむうぇあに感染すると、端末のファイルが暗号化され、診療が止まるおそれがあります。",
    "標的型攻撃では、実在の組織を装ったメールの添付ファイルからEmotetに感染します。",
    "ｶﾞｲﾄﾞﾗｲﾝ（第６版）を参照し、パスワードは１２文字以上にします。Wi-Fiの設定も確認。",
  ];
  const EN = [
    "Ransomware encrypts the files on a terminal and can bring clinical work to a halt.",
    "Backups and a plan for degraded operation keep care going while systems are down.",
    "Executives are responsible for securing a budget and people, and for directing the work.",
    "Vendors' policies: USB sticks, Wi-Fi passwords and the ÉCOLE café résumé of 1-4 boxes.",
    "Training staff quickly matters; encrypted e-mail (S/MIME) is shared between hospitals.",
  ];
  const VI = [
    "Bệnh viện đa khoa tỉnh: điều dưỡng chăm sóc bệnh nhân, bênh vực quyền lợi người bệnh.",
    "Mã độc tống tiền (ransomware) mã hóa tệp; má, mà, mả, mã, mạ và ma là sáu từ khác nhau.",
    "ĐĂNG NHẬP bằng mật khẩu mạnh, Ｗｉ－Ｆｉ riêng cho khách, và sao lưu dữ liệu hằng ngày.",
    "Nhân viên y tế không mở tệp đính kèm lạ; báo cáo sự cố cho bộ phận CNTT ngay lập tức.",
    "Thiết bị USB cá nhân bị cấm. Dùng ｶﾀｶﾅ và ひらがな chỉ trong ví dụ: ランサムウェア.",
  ];
  put("kyozai.toml", 'source_language = "ja"\nlanguages = ["ja", "en", "vi"]\n[title]\nja = "双子"\nen = "Twins"\nvi = "Song sinh"\n');
  // Vietnamese has no built-in UI strings: the course brings them, as a real one would.
  put("themes/default/i18n/vi.toml", readFileSync(join(repo, "tests/fixtures/trilingual/themes/default/i18n/vi.toml"), "utf8"));
  put("content/_index.ja.md", '+++\ntitle = "ホーム"\n+++\nようこそ。\n');
  put("content/_index.en.md", '+++\ntitle = "Home"\n+++\nWelcome.\n');
  put("content/_index.vi.md", '+++\ntitle = "Trang chủ"\n+++\nChào mừng.\n');
  for (let c = 1; c <= 12; c++) {
    const ch = `content/${String(c).padStart(2, "0")}-c${c}`;
    put(`${ch}/_index.ja.md`, `+++\ntitle = "章${c} ｾｷｭﾘﾃｨ"\n+++\n${JA[c % JA.length]}\n`);
    put(`${ch}/_index.en.md`, `+++\ntitle = "Chapter ${c} Security"\n+++\n${EN[c % EN.length]}\n`);
    put(`${ch}/_index.vi.md`, `+++\ntitle = "Chương ${c} An toàn thông tin"\n+++\n${VI[c % VI.length]}\n`);
    for (let s = 1; s <= 40; s++) {
      const k = c * 100 + s;
      const ja = [0, 1, 2, 3].map((j) => JA[(k + j) % JA.length]).join("");
      const en = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => EN[(k + j) % EN.length]).join(" ");
      const name = `${ch}/${String(s).padStart(2, "0")}-s${s}`;
      put(`${name}.ja.md`, `+++\ntitle = "節${k} ${JA[k % JA.length].slice(0, 6)}"\n+++\n${ja}\n\n## 詳細${k % 3}\n\n${ja}（固有語${k}）\n\n## まとめ\n\n${JA[(k * 7) % JA.length]}\n`);
      const vi = [0, 1, 2, 3, 4, 5].map((j) => VI[(k + j) % VI.length]).join(" ");
      put(`${name}.vi.md`, `+++\ntitle = "Mục ${k} ${VI[k % VI.length].split(" ").slice(0, 2).join(" ")}"\n+++\n${vi}\n\n## Chi tiết ${k % 3}\n\n${vi} Mã${k}.\n\n## Tóm tắt\n\n${VI[(k * 7) % VI.length]}\n`);
      put(`${name}.en.md`, `+++\ntitle = "Section ${k} ${EN[k % EN.length].split(" ")[0]}"\n+++\n${en}\n\n## Details ${k % 3}\n\n${en} Token${k}.\n\n## Summary\n\n${EN[(k * 7) % EN.length]}\n`);
    }
  }
  return dir;
}

/** The index of `lang` in `site`: its manifest and parts, run as the page runs them. */
function load(site, lang) {
  const ctx = { window: {} };
  vm.createContext(ctx);
  vm.runInContext(readFileSync(join(site, `search/${lang}.js`), "utf8"), ctx);
  for (const f of readdirSync(join(site, "search", lang))) {
    vm.runInContext(readFileSync(join(site, "search", lang, f), "utf8"), ctx);
  }
  const M = ctx.window.kyozaiSearch[lang];
  const parts = ctx.window.kyozaiSearchParts || {};
  return { M, part: (n) => parts[`${lang}/${n}`] };
}

/** search-core.js's answers, in the form the Rust example prints: {batches, first, all}, first
 * (the first batch's hits) null when there is one batch (its hits are all). */
function jsAnswers(ix, queries) {
  const cache = {};
  const out = (r) => r.hits.map((h) => ({
    doc: h.doc, url: h.url, title: h.title, heading: h.heading, kind: h.kind, score: h.score,
    snippet: core.markedSnippet(h.P, h.local, r.terms),
  }));
  return queries.map((q) => {
    const all = core.searchSharded(ix.M, ix.part, q, cache);
    assert.ok(!all.missing, `${JSON.stringify(q)}: every part is loaded`);
    if (all.batches <= 1) return { batches: all.batches, first: null, all: out(all) };
    const first = core.searchBatch(ix.M, ix.part, q, 0, cache);
    assert.equal(first.batches, all.batches);
    return { batches: all.batches, first: out(first), all: out(all) };
  });
}

/** The index of `lang` in `site` split again into shards of `text` bytes, `batch` a batch: the
 * folder holding its search/. */
function resplit(site, langs, text, batch) {
  const out = mkdtempSync(join(tmpdir(), "kyozai-batches-"));
  for (const lang of langs) {
    const run = spawnSync(twin, ["split", site, lang, String(text), String(batch), out], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
  }
  return out;
}

/** The Rust search's answers, from the example. */
function rustAnswers(site, lang, queries) {
  const run = spawnSync(twin, ["search", site, lang], { input: JSON.stringify(queries), encoding: "utf8", maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

// ---- Generated queries -----------------------------------------------------------------------

// Full-width katakana (and voiced ones) → half-width, from NFKC of every half-width form.
const HALF = new Map();
for (let c = 0xff66; c <= 0xff9d; c++) {
  const h = String.fromCharCode(c);
  HALF.set(h.normalize("NFKC"), h);
  for (const m of ["\uff9e", "\uff9f"]) {
    const composed = (h + m).normalize("NFKC");
    if (composed.length === 1) HALF.set(composed, h + m);
  }
}

const TRANSFORMS = {
  toKatakana: (s) => s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60)),
  toHiragana: (s) => s.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60)),
  fullWidth: (s) => s.replace(/[\u0021-\u007e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  halfWidth: (s) => Array.from(s, (c) => HALF.get(c) ?? c).join(""),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  title: (s) => s.replace(/\b\w/g, (c) => c.toUpperCase()),
  same: (s) => s,
  // As typed on a keyboard without marks: "bệnh viện" → "benh vien", "đa" → "da".
  noMarks: (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D")),
};
const PUNCT = ["、", "。", "「", "」", "・", "…", "-", ".", ",", "!", "?", "(", ")", "“", "”", "　", " ", "  ", "/", "'", "#"];
const ABSENT = ["存在しない語句", "zqxjv", "ぬぬぬぬ", "Qwerty123", "ﾍﾟﾍﾟ", "ｚｚｚ", "§±", "é", "𠮷野家", "bênh viện", "mà hóa", "Ừ"];

/** Every text of an index (titles, headings, chunk texts), in display form. */
function texts(ix) {
  const out = [];
  for (let k = 0; k < ix.M.shards; k++) {
    const s = ix.part(String(k));
    for (const [, title] of s.pages) out.push(title);
    for (const rec of s.text.split("\u001e")) for (const f of rec.split("\u001f")) if (f) out.push(f);
  }
  return out;
}

/** `n` queries drawn from the texts `pool`. */
function queries(pool, n, seed) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const words = pool.flatMap((t) => t.split(/[\s、。「」（）()]+/)).filter((w) => w.length > 0);
  let src = pool[0];
  const piece = () => {
    const t = r() < 0.8 ? src : pick(pool);
    const len = 1 + Math.floor(r() * Math.min(8, t.length));
    let at = Math.floor(r() * (t.length - len + 1));
    // Mostly from the start of a word: an English term matches only there.
    if (r() < 0.7) at = t.lastIndexOf(" ", at) + 1;
    return t.slice(at, at + len);
  };
  const term = () => {
    const x = r();
    if (x < 0.4) return piece();
    if (x < 0.75) {
      const own = src.split(/[\s、。「」（）()]+/).filter((w) => w.length > 0);
      const w = r() < 0.7 && own.length ? pick(own) : pick(words);
      return r() < 0.3 ? w.slice(0, 1 + Math.floor(r() * w.length)) : w;
    }
    if (x < 0.85) return pick(ABSENT);
    if (x < 0.93) return pick(piece()) ?? "";
    return String(Math.floor(r() * 1000));
  };
  const names = Object.keys(TRANSFORMS);
  const out = ["", " ", "a", "1", "。", "ランサム", "らんさむ", "ﾗﾝｻﾑ", "ＲＡＮＳＯＭＷＡＲＥ", "ransomware ", "usbメモリ", "1-4", "token101", "ｶﾞｲﾄﾞﾗｲﾝ", "がいどらいん",
    "benh vien", "bệnh viện", "BỆNH VIỆN", "bênh", "dieu duong", "điều dưỡng", "ma ", "mã", "đa khoa", "da khoa", "ở", "café", "cafe", "ÉCOLE"];
  while (out.length < n) {
    src = pick(pool);
    const count = 1 + Math.floor(r() * r() * 4);
    let q = "";
    for (let i = 0; i < count; i++) {
      if (i > 0 || r() < 0.1) q += pick(PUNCT);
      q += TRANSFORMS[pick(names)](term());
    }
    if (r() < 0.2) q += pick(PUNCT);
    out.push(q);
  }
  return out;
}

// ---- The tests ------------------------------------------------------------------------------

// The batched index: shards of 8 KB of text, three a batch.
const BATCHED_TEXT = 8 * 1024;
const BATCHED_BATCH = 3;

let sites;
before(() => {
  assert.ok(existsSync(kyozai), `${kyozai} is missing: run cargo build first`);
  if (!process.env.KYOZAI_SEARCH_TWIN) {
    execFileSync("cargo", ["build", "--quiet", "--example", "search_twin"], { cwd: repo, stdio: "inherit" });
  }
  sites = { bundled: buildSite(), synthetic: buildSite(course()) };
  sites.batched = resplit(sites.synthetic, ["ja", "en", "vi"], BATCHED_TEXT, BATCHED_BATCH);
});

function sameAnswers(site, lang, qs) {
  const ix = load(site, lang);
  const js = jsAnswers(ix, qs);
  const rust = rustAnswers(site, lang, qs);
  assert.equal(rust.length, qs.length);
  let hits = 0;
  let found = 0;
  let batched = 0;
  for (let i = 0; i < qs.length; i++) {
    assert.deepEqual(js[i], rust[i], `query ${JSON.stringify(qs[i])} (${i})`);
    hits += js[i].all.length;
    if (js[i].all.length) found++;
    if (js[i].batches > 1) batched++;
    // Several batches: the first batch's hits come first.
    if (js[i].batches > 1) assert.deepEqual(js[i].first, js[i].all.slice(0, js[i].first.length));
  }
  return { ix, hits, found, batched };
}

for (const [name, langs] of [["bundled", ["ja", "en"]], ["synthetic", ["ja", "en", "vi"]], ["batched", ["ja", "en", "vi"]]]) {
  for (const lang of langs) {
    test(`${name} course, ${lang}: search-core.js and the Rust search give the same ranked results`, () => {
      const ix = load(sites[name], lang);
      if (name === "synthetic") assert.ok(ix.M.shards >= 4, `${ix.M.shards} shards`);
      if (name === "batched") assert.ok(ix.M.batch === BATCHED_BATCH && ix.M.shards >= 6 * BATCHED_BATCH, `${ix.M.shards} shards, ${ix.M.batch} a batch`);
      // Fewer on the batched index: its texts are the synthetic course's.
      const qs = queries(texts(ix), name === "batched" ? 800 : 1500, name.length * 31 + lang.charCodeAt(0));
      const { hits, found, batched } = sameAnswers(sites[name], lang, qs);
      // The batched index: many queries span several batches.
      if (name === "batched") assert.ok(batched > qs.length / 10, `${batched} of ${qs.length} queries span several batches`);
      // The queries are not all trivial: many find something, and some find nothing.
      assert.ok(found > qs.length / 3 && found < qs.length, `${found} of ${qs.length} queries find something`);
      assert.ok(hits > qs.length * 3, `${hits} hits`);
    });
  }
}

test("the two fold every UTF-16 unit alike", () => {
  for (const lang of ["ja", "en", "vi"]) {
    const run = spawnSync(twin, ["fold", lang], { encoding: "utf8", maxBuffer: 1 << 26 });
    assert.equal(run.status, 0, run.stderr);
    const rust = JSON.parse(run.stdout);
    // Unit by unit: a lone surrogate is a string of its own here (the index never holds one).
    const f = core.folding(lang);
    const js = (c) => core.fold(String.fromCharCode(c), f).charCodeAt(0);
    for (let c = 0; c < 65536; c++) {
      if (js(c) !== rust[c]) assert.fail(`${lang}: U+${c.toString(16)} folds to U+${js(c).toString(16)} in JS, U+${rust[c].toString(16)} in Rust`);
    }
  }
});
