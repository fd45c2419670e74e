// Search in Chromium over http and file://: the index loads as a script, Japanese and English
// queries find the right pages, the keyboard works, and every result link opens a page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { buildSite, serve, fileUrl, launch, openPage, repo } from "./lib.mjs";

let site, server, browser;
before(async () => {
  site = buildSite();
  server = await serve(site, "/training/");
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function search(page, q) {
  // Clear the status first so the wait below sees this query's answer, not the previous one.
  await page.evaluate(() => { document.getElementById("search-status").textContent = ""; });
  await page.fill("#search-input", q);
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status");
    return s && s.textContent.trim().length > 0;
  });
  return page.$$eval("#search-results li.search-result a", (as) => as.map((a) => ({ href: a.getAttribute("href"), text: a.textContent })));
}

for (const mode of ["http", "file"]) {
  const url = (p) => (mode === "http" ? server.url + p : fileUrl(site, p));

  test(`Japanese queries over ${mode}`, async () => {
    const { context, page, problems } = await openPage(browser);
    await page.goto(url("ja/index.html"));
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement.id), "search-input", "/ focuses the search box");
    let r = await search(page, "ランサム");
    assert.ok(r.some((x) => x.href.includes("ja/awareness/attacks-japan-1/")), JSON.stringify(r));
    r = await search(page, "USBメモリ");
    assert.ok(r.some((x) => x.href.includes("ja/awareness/removable-media/")), JSON.stringify(r));
    r = await search(page, "標的型");
    assert.ok(r.some((x) => x.href.includes("ja/awareness/targeted-attacks/")));
    r = await search(page, "ｅｍｏｔｅｔ");
    assert.ok(r.some((x) => x.href.includes("ja/cases/b-hospital-emotet/")), JSON.stringify(r));
    assert.ok(await page.$("#search-results mark"), "matches are highlighted");
    r = await search(page, "該当しない検索語句ですね");
    assert.equal(r.length, 0);
    assert.match(await page.textContent("#search-status"), /一致するページはありません/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`English queries, keyboard and result links over ${mode}`, async () => {
    const { context, page, problems } = await openPage(browser);
    await page.goto(url("en/awareness/index.html"));
    let r = await search(page, "ransomware");
    assert.ok(r.length > 0 && r.every((x) => x.href.includes("/en/") || x.href.startsWith("../")), JSON.stringify(r));
    r = await search(page, "vendor");
    assert.ok(r.some((x) => x.href.includes("en/awareness/vendors/")), JSON.stringify(r));
    await page.keyboard.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement.closest("#search-results") !== null);
    assert.ok(focused, "ArrowDown moves into the results");
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    assert.match(page.url(), /index\.html/);
    assert.ok((await page.textContent("h1")).length > 0);
    // Every result link of a broad query opens a page.
    await page.goto(url("en/index.html"));
    r = await search(page, "hospital");
    for (const x of r.slice(0, 8)) {
      const target = new URL(x.href, page.url()).href;
      const p2 = await context.newPage();
      const resp = await p2.goto(target);
      if (mode === "http") assert.equal(resp.status(), 200, target);
      assert.ok((await p2.textContent("h1")).length > 0, target);
      await p2.close();
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

/** The theme's words of one language (themes/default/i18n/LANG.toml), as `key = "value"` lines. */
function themeWords(lang) {
  const words = {};
  for (const m of readFileSync(join(repo, `themes/default/i18n/${lang}.toml`), "utf8").matchAll(/^(search_\w+) = "(.*)"$/gm)) words[m[1]] = m[2];
  return words;
}

test("the search box's words come from the theme, counts by plural category; more results on demand", async () => {
  const en = themeWords("en");
  const ja = themeWords("ja");
  // No words and no choice of words by language in the scripts.
  for (const f of ["search.js", "search-core.js"]) {
    let src = readFileSync(join(repo, "themes/default/static", f), "utf8");
    // The one language the core names is the one whose kana it folds (not a choice of words).
    if (f === "search-core.js") src = src.replace(/function folding\(lang\) \{[^}]*\}/, "");
    assert.doesNotMatch(src, /["'](ja|en)["']/, `${f} names no language`);
    for (const w of [...Object.values(en), ...Object.values(ja)]) {
      const plain = w.replace(/\{\w+\}/g, "").trim();
      if (/\s|[^\x00-\x7f]/.test(plain)) assert.ok(!src.includes(plain), `${f} does not hold the words "${plain}"`);
    }
  }
  // A query with exactly one hit, found with the core on the built index.
  const ctx = { window: {} };
  ctx.self = ctx.window;
  vm.createContext(ctx);
  vm.runInContext(readFileSync(join(repo, "themes/default/static/search-core.js"), "utf8"), ctx);
  vm.runInContext(readFileSync(join(site, "search/en.js"), "utf8"), ctx);
  for (const f of readdirSync(join(site, "search/en"))) vm.runInContext(readFileSync(join(site, "search/en", f), "utf8"), ctx);
  const core = ctx.window.kyozaiSearchCore;
  const M = ctx.window.kyozaiSearch.en;
  const part = (n) => ctx.window.kyozaiSearchParts[`en/${n}`];
  const count = (q) => core.searchSharded(M, part, q, {}).hits.length;
  const words = [...new Set(part("0").text.toLowerCase().match(/[a-z]{6,}/g))];
  const single = words.find((w) => count(w + " ") === 1);
  assert.ok(single, "some word is found once");
  const many = count("ransomware");
  assert.ok(many > 20, `${many} hits`);

  const { context, page, problems } = await openPage(browser);
  await page.goto(fileUrl(site, "en/index.html"));
  assert.equal(await page.getAttribute("#search-input", "placeholder"), en.search_placeholder);
  await search(page, single + " ");
  assert.equal(await page.textContent("#search-status"), en.search_results_one.replace("{n}", "1"));
  let r = await search(page, "ransomware");
  assert.equal(r.length, 20, "the first 20 results");
  assert.equal(await page.textContent("#search-status"), en.search_results.replace("{n}", String(many)));
  assert.equal(await page.textContent("#search-results .search-more button"), en.search_more);
  await page.click("#search-results .search-more button");
  r = await page.$$eval("#search-results li.search-result a", (as) => as.length);
  assert.equal(r, Math.min(40, many));
  assert.equal(await page.evaluate(() => document.activeElement.closest("li").className), "search-result", "the first new result has the focus");
  while (await page.$("#search-results .search-more button")) await page.click("#search-results .search-more button");
  assert.equal(await page.$$eval("#search-results li.search-result a", (as) => as.length), many, "every hit can be reached");
  await page.goto(fileUrl(site, "ja/index.html"));
  await search(page, "ランサム");
  assert.match(await page.textContent("#search-status"), new RegExp("^\\d+" + ja.search_results.replace("{n}", "").replace(/[()]/g, "\\$&") + "$"));
  assert.equal(await page.textContent("#search-results .search-more button"), ja.search_more);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an input method's composition is not searched until it is committed, then at once", async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(fileUrl(site, "ja/index.html"));
  await page.focus("#search-input");
  await page.evaluate(() => {
    const input = document.getElementById("search-input");
    input.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true }));
    input.value = "らんさむ";
    input.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true }));
  });
  // Longer than the box's wait for more typing: a search would have answered by now.
  await page.waitForTimeout(400);
  assert.equal((await page.textContent("#search-status")).trim(), "", "nothing searched while composing");
  assert.equal(await page.$$eval("#search-results li.search-result", (l) => l.length), 0);
  await page.evaluate(() => {
    const input = document.getElementById("search-input");
    input.value = "ランサム";
    input.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true }));
    input.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "ランサム" }));
  });
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
  const hrefs = await page.$$eval("#search-results li.search-result a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.some((h) => h.includes("awareness/attacks-japan-1/")), JSON.stringify(hrefs));
  assert.deepEqual(problems, []);
  await context.close();
});
