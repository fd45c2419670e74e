// The case library's filters (static/cases.js): choosing a category, a country or a kind of cause
// shows exactly the matching cases and says how many; with JavaScript off every case is listed
// and the filter form stays hidden. What "matching" means is read from the pages themselves: the
// category and country labels on each card, and the kinds of cause listed on each case's page.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, launch, openPage, serve } from "./lib.mjs";
import { LANGS, listFiles, assertClean, fileOf, existsIn, squash } from "./site-lib.mjs";

let out;
let browser;
let server;

before(async () => {
  out = buildSite();
  browser = await launch();
  server = await serve(out);
});
after(async () => {
  await server?.close();
  await browser?.close();
});

/** The kinds of cause listed on a built case page. */
function causesOnCasePage(file) {
  const html = readFileSync(join(out, file), "utf8");
  return new Set([...html.matchAll(/class="cause-type cause-([a-z-]+)"/g)].map((m) => m[1]));
}

/** What every card shows: its case page, category label, country label and visibility. */
async function cards(page) {
  return page.$$eval(".case-list .case-card", (cs) => cs.map((c) => ({
    href: c.querySelector("h2 a").href,
    category: c.querySelector(".case-meta span:nth-child(1)").textContent.trim(),
    country: c.querySelector(".case-meta span:nth-child(2)").textContent.trim(),
    visible: !c.hidden && c.getBoundingClientRect().height > 0,
  })));
}

/** The options of one filter, without "all": [{ value, label }]. */
async function options(page, name) {
  return page.locator(`#case-filters select[name='${name}']`).locator("option")
    .evaluateAll((os) => os.filter((o) => o.value).map((o) => ({ value: o.value, label: o.textContent.trim() })));
}

for (const lang of LANGS) {
  describe(`the ${lang} case library`, () => {
    const path = `${lang}/cases/index.html`;
    const casePages = () => listFiles(join(out, lang, "cases")).filter((p) => p !== "index.html").map((p) => `${lang}/cases/${p}`);

    test("lists every case with JavaScript off, and hides the filter form", async () => {
      const { context, page, problems } = await openPage(browser, { javaScriptEnabled: false });
      try {
        await page.goto(server.url + path, { waitUntil: "load" });
        assert.equal(await page.locator("#case-filters").isVisible(), false, "the filter form shows without JavaScript");
        const all = await cards(page);
        assert.equal(all.length, casePages().length, "one card per case page");
        assert.ok(all.every((c) => c.visible), "every card is visible");
        assert.deepEqual(all.map((c) => fileOf(server.url, c.href)).sort(), casePages().sort(), "the cards link to the case pages");
        assertClean(problems, `${path} without JavaScript`);
      } finally {
        await context.close();
      }
    });

    test("filters by category, country and kind of cause, and counts what it shows", async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        await page.goto(server.url + path, { waitUntil: "load" });
        const form = page.locator("#case-filters");
        assert.ok(await form.isVisible(), "the filter form shows with JavaScript on");
        const count = form.locator(".case-count");
        assert.equal(await count.getAttribute("role"), "status", "the count is announced");
        const template = await count.getAttribute("data-template");
        assert.ok(template.includes("{n}"), `count template ${template}`);
        const one = await count.getAttribute("data-template-one");
        const say = (n) => (n === 1 && one ? one : template).replace("{n}", String(n));
        const all = await cards(page);
        assert.ok(all.length > 5, "the library has its cases");
        assert.equal(squash(await count.textContent()), say(all.length), "the count before filtering");
        const causes = new Map(all.map((c) => [c.href, causesOnCasePage(fileOf(server.url, c.href))]));

        const check = async (what, want) => {
          const now = await cards(page);
          const shown = now.filter((c) => c.visible).map((c) => c.href);
          const expected = now.filter(want).map((c) => c.href);
          assert.deepEqual(shown, expected, `cards shown for ${what}`);
          assert.equal(squash(await count.textContent()), say(expected.length), `count for ${what}`);
          return expected.length;
        };
        const choose = (name, value) => form.locator(`select[name='${name}']`).selectOption(value);

        for (const o of await options(page, "category")) {
          await choose("category", o.value);
          assert.ok(await check(`category ${o.label}`, (c) => c.category === o.label) > 0, `no case in category ${o.label}`);
        }
        await choose("category", "");
        for (const o of await options(page, "country")) {
          await choose("country", o.value);
          assert.ok(await check(`country ${o.label}`, (c) => c.country === o.label) > 0, `no case in ${o.label}`);
        }
        await choose("country", "");
        for (const o of await options(page, "cause")) {
          await choose("cause", o.value);
          await check(`cause ${o.label}`, (c) => causes.get(c.href).has(o.value));
        }
        // Filters combine.
        const [country] = await options(page, "country");
        for (const o of await options(page, "cause")) {
          await choose("country", country.value);
          await choose("cause", o.value);
          await check(`${country.label} and ${o.label}`, (c) => c.country === country.label && causes.get(c.href).has(o.value));
        }
        // A combination nothing matches shows no card and a count of 0.
        const categories = await options(page, "category");
        const countries = await options(page, "country");
        let empty = null;
        for (const cat of categories) {
          for (const ctry of countries) {
            if (!all.some((c) => c.category === cat.label && c.country === ctry.label)) { empty = [cat, ctry]; break; }
          }
          if (empty) break;
        }
        if (empty) {
          await choose("cause", "");
          await choose("category", empty[0].value);
          await choose("country", empty[1].value);
          assert.equal(await check(`${empty[0].label} in ${empty[1].label}`, () => false), 0);
        }
        // Back to everything.
        for (const name of ["category", "country", "cause"]) await choose(name, "");
        assert.equal(await check("no filter", () => true), all.length);
        assertClean(problems, `${path} filtering`);
      } finally {
        await context.close();
      }
    });

    test("every card leads to its case page, whose kinds of cause are known filter values", async () => {
      const { context, page, problems } = await openPage(browser, { javaScriptEnabled: false });
      try {
        await page.goto(server.url + path, { waitUntil: "load" });
        const values = new Set((await page.locator("#case-filters select[name='cause'] option").evaluateAll((os) => os.map((o) => o.value))).filter(Boolean));
        for (const c of await cards(page)) {
          const file = fileOf(server.url, c.href);
          assert.ok(existsIn(out, file), `${file} exists`);
          for (const k of causesOnCasePage(file)) assert.ok(values.has(k), `${file}: kind of cause ${k} is not a filter option`);
        }
        assertClean(problems, path);
      } finally {
        await context.close();
      }
    });
  });
}
