// Search in Chromium over http and file://: the index loads as a script, Japanese and English
// queries find the right pages, the keyboard works, and every result link opens a page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, fileUrl, launch, openPage } from "./lib.mjs";

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
