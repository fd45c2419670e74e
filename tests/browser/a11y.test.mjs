// Accessibility of every kind of page in both languages, at a phone and a desktop viewport:
// axe-core's WCAG 2.0/2.1 A and AA rules must find nothing. axe is injected with
// page.evaluate, which the pages' Content-Security-Policy does not apply to.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, launch, openPage } from "./lib.mjs";
import { LANGS, serveSite, pagesByKind, assertClean, dropExpected404, listFiles } from "./site-lib.mjs";

const axeSource = readFileSync(new URL("node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const VIEWPORTS = { phone: { width: 375, height: 740 }, desktop: { width: 1280, height: 800 } };

let out;
let browser;
let server;

before(async () => {
  out = buildSite();
  browser = await launch();
  server = await serveSite(out);
});
after(async () => {
  await server?.close();
  await browser?.close();
});

/** Every page to check: [label, path]. The chooser and the 404 page exist once, not per language. */
function pagesToCheck() {
  const list = [["root language chooser", "index.html"], ["404 page", "no/such/page/"]];
  for (const lang of LANGS) {
    for (const [kind, path] of Object.entries(pagesByKind(out, lang))) list.push([`${lang} ${kind}`, path]);
    // The printable handouts, when the build makes them.
    const handouts = listFiles(join(out, lang)).filter((p) => p.startsWith("handouts/"));
    if (handouts.includes("handouts/index.html")) list.push([`${lang} handouts index`, `${lang}/handouts/index.html`]);
    const chapterHandout = handouts.find((p) => /^handouts\/[^/]+\/index\.html$/.test(p));
    if (chapterHandout) list.push([`${lang} handout`, `${lang}/${chapterHandout}`]);
  }
  return list;
}

/** Runs axe in the page shown and describes every violation, one node per line. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), TAGS);
  assert.ok(result.passes.length > 0, "axe ran no rule");
  const lines = [];
  for (const v of result.violations) {
    for (const n of v.nodes) {
      lines.push(`${v.id} (${v.impact}): ${v.help}\n    at ${n.target.join(" ")}\n    ${n.html.slice(0, 300)}\n    ${(n.failureSummary || "").replace(/\n/g, "\n    ")}\n    see ${v.helpUrl}`);
    }
  }
  return lines;
}

/**
 * WCAG 1.4.10 Reflow: the page must not scroll sideways at the current width (wide tables may
 * scroll inside their own box). Names the widest elements that stick out.
 */
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const culprits = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-wrap, .visually-hidden, .skip-link"))
      .slice(0, 5).map((e) => `<${e.localName}${e.className ? ` class="${e.className}"` : ""}> right edge at ${Math.round(e.getBoundingClientRect().right)}px`);
    return [`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in a ${width}px window (WCAG 1.4.10 Reflow); ${culprits.join("; ")}`];
  });
}

test("every kind of page reflows to 320 CSS pixels without sideways scrolling", async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: 320, height: 640 } });
  try {
    const found = [];
    for (const [label, path] of pagesToCheck()) {
      await page.goto(server.url + path, { waitUntil: "load" });
      for (const o of await overflow(page)) found.push(`${label} (${path}): ${o}`);
      dropExpected404(problems, server.url + path);
      assertClean(problems, `${label} (${path})`);
    }
    assert.deepEqual(found, []);
  } finally {
    await context.close();
  }
});

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  describe(`at the ${name} viewport (${viewport.width}×${viewport.height})`, () => {
    let ctx;
    before(async () => { ctx = await openPage(browser, { viewport, locale: "fr-FR" }); });
    after(async () => { await ctx?.context.close(); });

    test("axe finds no WCAG 2.1 A/AA violation on any kind of page", async () => {
      const { page, problems } = ctx;
      const found = [];
      for (const [label, path] of pagesToCheck()) {
        const res = await page.goto(server.url + path, { waitUntil: "load" });
        for (const v of await violations(page)) found.push(`${label} (${path}):\n  ${v}`);
        for (const o of await overflow(page)) found.push(`${label} (${path}):\n  ${o}`);
        if (path.startsWith("no/such")) {
          assert.equal(res.status(), 404);
          dropExpected404(problems, server.url + path);
        }
        assertClean(problems, `${label} (${path})`);
      }
      assert.ok(found.length === 0, `${found.length} accessibility violation(s):\n\n${found.join("\n\n")}`);
    });

    test("axe finds no violation with the interactive parts open", async () => {
      const { page, problems } = ctx;
      const found = [];
      for (const lang of LANGS) {
        const kinds = pagesByKind(out, lang);
        // A glossary tooltip shown by keyboard focus.
        await page.goto(server.url + kinds.section, { waitUntil: "load" });
        const term = page.locator(".content .term-link").first();
        if (await term.count()) {
          await term.focus();
          for (const v of await violations(page)) found.push(`${lang} section with a term tooltip open:\n  ${v}`);
        }
        // The search box with results listed.
        const input = page.locator("#search-input");
        if (await input.count()) {
          await input.fill(lang === "ja" ? "ランサムウェア" : "ransomware");
          await page.locator("#search-results:not([hidden]) li").first().waitFor({ timeout: 5000 }).catch(() => {});
          assert.ok(await page.locator("#search-results li").count() > 0, `the ${lang} search lists results`);
          for (const v of await violations(page)) found.push(`${lang} search results open:\n  ${v}`);
        }
        // The case library with a filter applied.
        await page.goto(server.url + kinds["case library"], { waitUntil: "load" });
        const select = page.locator("#case-filters select[name='country']");
        const values = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
        if (values.length) await select.selectOption(values[values.length - 1]);
        for (const v of await violations(page)) found.push(`${lang} case library filtered:\n  ${v}`);
        assertClean(problems, `${lang} interactive parts`);
      }
      assert.ok(found.length === 0, `${found.length} accessibility violation(s):\n\n${found.join("\n\n")}`);
    });
  });
}

describe("keyboard use", () => {
  for (const lang of LANGS) {
    test(`${lang}: Tab reaches the skip link first, and it moves focus to the main content`, async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        await page.goto(server.url + pagesByKind(out, lang).section, { waitUntil: "load" });
        await page.keyboard.press("Tab");
        const first = await page.evaluate(() => ({
          cls: document.activeElement.className,
          href: document.activeElement.getAttribute("href"),
          visible: document.activeElement.getBoundingClientRect().top >= 0,
          outline: getComputedStyle(document.activeElement).outlineStyle,
        }));
        assert.equal(first.cls, "skip-link", "the first Tab stop");
        assert.ok(first.visible, "the focused skip link is on screen");
        assert.notEqual(first.outline, "none", "the focused skip link shows a focus outline");
        await page.keyboard.press("Enter");
        assert.equal(await page.evaluate(() => document.activeElement.id), "main", "focus after following the skip link");
        assertClean(problems, `${lang} skip link`);
      } finally {
        await context.close();
      }
    });

    test(`${lang}: a glossary tooltip shows on keyboard focus and Escape dismisses it (WCAG 1.4.13)`, async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        await page.goto(server.url + pagesByKind(out, lang).section, { waitUntil: "load" });
        const term = page.locator(".content .term-link").first();
        assert.ok(await term.count(), "the section has a glossary term");
        const tip = page.locator(`#${await term.getAttribute("aria-describedby")}`);
        assert.equal(await tip.getAttribute("role"), "tooltip");
        await term.focus();
        assert.ok(await tip.isVisible(), "the tooltip shows on focus");
        await page.keyboard.press("Escape");
        assert.ok(!(await tip.isVisible()), "Escape hides the tooltip");
        assert.equal(await page.evaluate(() => document.activeElement.className), "term-link", "Escape keeps the focus on the term");
        await page.keyboard.press("Shift+Tab");
        await page.keyboard.press("Tab");
        assert.ok(await tip.isVisible(), "the tooltip shows again when the term is focused again");
        assertClean(problems, `${lang} glossary tooltip`);
      } finally {
        await context.close();
      }
    });

    test(`${lang}: glossary tooltips stay inside a 320-pixel window, by focus and by hover`, async () => {
      const { context, page, problems } = await openPage(browser, { viewport: { width: 320, height: 640 } });
      try {
        const found = [];
        const kinds = pagesByKind(out, lang);
        for (const path of new Set([kinds.section, kinds["section with a case table"], kinds["section with callouts and figures"]])) {
          await page.goto(server.url + path, { waitUntil: "load" });
          const terms = page.locator(".content .term-link");
          const n = await terms.count();
          for (let i = 0; i < n; i++) {
            const how = i % 2 ? "hover" : "focus";
            if (how === "hover") await terms.nth(i).hover();
            else await terms.nth(i).focus();
            const r = await terms.nth(i).evaluate((a) => {
              const t = document.getElementById(a.getAttribute("aria-describedby")).getBoundingClientRect();
              return { left: Math.round(t.left), right: Math.round(t.right), width: document.documentElement.clientWidth, shown: t.width > 0 };
            });
            if (!r.shown) found.push(`${path}: term ${i + 1} shows no tooltip on ${how}`);
            else if (r.left < 0 || r.right > r.width) found.push(`${path}: term ${i + 1}'s tooltip spans ${r.left}–${r.right}px of a ${r.width}px window on ${how}`);
            await page.mouse.move(0, 0);
            await page.evaluate(() => document.activeElement?.blur());
          }
        }
        assert.deepEqual(found, []);
        assertClean(problems, `${lang} glossary tooltips`);
      } finally {
        await context.close();
      }
    });
  }
});

describe("in the dark colour scheme", () => {
  let ctx;
  before(async () => { ctx = await openPage(browser, { viewport: VIEWPORTS.desktop, colorScheme: "dark" }); });
  after(async () => { await ctx?.context.close(); });

  test("axe finds no WCAG 2.1 A/AA violation on any kind of page, and the pages are dark", async () => {
    const { page, problems } = ctx;
    const found = [];
    for (const [label, path] of pagesToCheck()) {
      await page.goto(server.url + path, { waitUntil: "load" });
      // The handouts are made for print: they stay light on screen too.
      const handout = path.includes("/handouts/") && !path.endsWith("handouts/index.html");
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      if (!handout) assert.equal(bg, "rgb(22, 24, 28)", `${label} (${path}) has the dark background`);
      for (const v of await violations(page)) found.push(`${label} (${path}):\n  ${v}`);
      if (path.startsWith("no/such")) dropExpected404(problems, server.url + path);
      assertClean(problems, `${label} (${path})`);
    }
    assert.ok(found.length === 0, `${found.length} accessibility violation(s):\n\n${found.join("\n\n")}`);
  });

  test("the checklist's heat map, answered, passes axe in the dark", async () => {
    const { page, problems } = ctx;
    const kinds = pagesByKind(out, "en");
    await page.goto(server.url + kinds["checklist page"], { waitUntil: "load" });
    const radios = page.locator(".checklist .item input[type=radio]");
    const n = Math.min(await radios.count(), 40);
    for (let i = 0; i < n; i += 4) await radios.nth(i).check();
    await page.locator(".matrix-heat td[data-level]").first().waitFor({ timeout: 5000 });
    const found = await violations(page);
    assertClean(problems, "checklist in the dark");
    assert.deepEqual(found, []);
  });

  test("print is light whatever the screen's scheme", async () => {
    const { page } = ctx;
    const kinds = pagesByKind(out, "en");
    await page.goto(server.url + kinds.section, { waitUntil: "load" });
    await page.emulateMedia({ media: "print", colorScheme: "dark" });
    try {
      const [bg, fg] = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
      assert.equal(bg, "rgb(255, 255, 255)");
      assert.equal(fg, "rgb(0, 0, 0)");
    } finally {
      await page.emulateMedia({ media: "screen", colorScheme: "dark" });
    }
  });
});

test("the header switch chooses light or dark and every page remembers it", async () => {
  const { context, page, problems } = await openPage(browser, { viewport: VIEWPORTS.desktop, colorScheme: "light" });
  try {
    const kinds = pagesByKind(out, "ja");
    await page.goto(server.url + kinds.section, { waitUntil: "load" });
    const button = page.locator("[data-scheme-switch]");
    assert.equal(await button.isVisible(), true, "the script shows the switch");
    assert.equal(await button.getAttribute("aria-pressed"), "false");
    assert.equal(await button.textContent(), "ダークモード");
    await button.click();
    assert.equal(await button.getAttribute("aria-pressed"), "true");
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await bg(), "rgb(22, 24, 28)");
    // Another page is dark from its first paint: the attribute is set before the body exists.
    await page.goto(server.url + kinds.home, { waitUntil: "commit" });
    await page.waitForFunction(() => document.body !== null);
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-color-scheme")), "dark");
    await page.waitForLoadState("load");
    assert.equal(await bg(), "rgb(22, 24, 28)");
    assert.equal(await page.evaluate(() => localStorage.getItem("kyozai:color-scheme")), "dark");
    // And back: the choice of light is kept too.
    await page.locator("[data-scheme-switch]").click();
    assert.equal(await bg(), "rgb(255, 255, 255)");
    assert.equal(await page.evaluate(() => localStorage.getItem("kyozai:color-scheme")), "light");
    assertClean(problems, "colour scheme switch");
  } finally {
    await context.close();
  }
});
