// Times the site search in Chromium on a built site, opened from file:// (as a reader who
// downloaded it would): for each query, the bytes of index the first query loads (every search
// script the page asked for) and the time from the end of the typing to the answer shown, on a
// fresh page (first query) and again on the same page (index parts loaded). The box is focused
// 300 ms before; a query with non-ASCII characters arrives as an input method's commit, any other
// as keystrokes (answered after the box's 30 ms wait for more typing). Not part of `npm test`.
//
// Run from tests/browser after `cargo build` (or on a benchmark's output):
//   [SEARCH_FROM=PATH] node bench-search.mjs [SITE] [LANG] [RUNS] [QUERY…]
// SITE defaults to the bundled course, built here; for the build benchmark's synthetic course of
// N pages, its output is target/bench-out-N/2 (disk) or /dev/shm/kyozai-bench-out-N/2.
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSite, fileUrl, launch } from "./lib.mjs";

const site = process.argv[2] || buildSite();
const lang = process.argv[3] || "ja";
const runs = Number(process.argv[4] || 5);
const queries = process.argv.slice(5);
if (!queries.length) {
  queries.push(...(lang === "ja" ? ["ランサムウェア", "外部媒体", "第3章", "情報セキュリティ 経営"] : ["ransomware", "backups", "hospital vendor"]));
}
// The page the query is typed in: the language's home page unless SEARCH_FROM names another
// (a path below the site, e.g. ja/c001/s001/index.html).
const from = process.env.SEARCH_FROM || `${lang}/index.html`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await launch();
const total = (names) => names.reduce((n, u) => n + statSync(fileURLToPath(u)).size, 0);
console.log(`site: ${site} (${lang}), typed in ${from}`);
for (const q of queries) {
  const first = [];
  const again = [];
  let bytes = 0;
  let status = "";
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage();
    await page.goto(fileUrl(site, from), { waitUntil: "load" });
    // The reader focuses the box, then types: the clock starts at the end of the typing (the
    // last keystroke, or an input method's commit for a query with non-ASCII characters).
    const ask = (query) => page.evaluate((query) => new Promise((done) => {
      const input = document.getElementById("search-input");
      const st = document.getElementById("search-status");
      st.textContent = "";
      input.focus();
      setTimeout(() => {
        const t = performance.now();
        const seen = new MutationObserver(() => {
          if (st.textContent.trim() === "") return;
          seen.disconnect();
          done({ ms: performance.now() - t, status: st.textContent });
        });
        seen.observe(st, { childList: true, characterData: true, subtree: true });
        input.value = query;
        if (/[^\x00-\x7f]/.test(query)) {
          input.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true }));
          input.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: query }));
        } else {
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }, 300);
    }), query);
    const a = await ask(q);
    first.push(a.ms);
    status = a.status;
    // The same query once more, on a new query string so that it is answered again.
    const b = await ask(q + " ");
    again.push(b.ms);
    const scripts = await page.$$eval("script[src]", (ss) => ss.map((s) => s.src).filter((u) => /\/search\//.test(u)));
    bytes = total(scripts);
    await page.close();
  }
  // For a typed (ASCII) query, the 30 ms the box waits for more typing is part of both figures.
  console.log(`${JSON.stringify(q)}: ${status}; first query ${median(first).toFixed(0)} ms (loads ${(bytes / 1e6).toFixed(2)} MB of index), again ${median(again).toFixed(0)} ms; medians over ${runs} runs`);
}
await browser.close();
