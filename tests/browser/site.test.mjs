// The bundled course as a whole, in a real browser: the language chooser, every kind of page, the
// sidebar through every page, previous/next from first to last, the language switcher, the 404
// page, and every link and resource in every built file. Over http at the root, over http under
// a sub-path and straight from the disk (file://). Any console error, page error, failed request
// or request leaving the site fails the test that caused it.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSite, launch, openPage, repo } from "./lib.mjs";
import {
  LANGS, TRANSPORTS, listFiles, serveSite, fileOf, existsIn, assertClean, dropExpected404, squash, pagesByKind, counterpart, collectRefs,
} from "./site-lib.mjs";

let out;
let outSub;
let browser;

before(async () => {
  out = buildSite();
  outSub = buildSite(repo, ["--base-path", "/training/"]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const other = (lang) => LANGS.find((l) => l !== lang);

/** The course pages of `lang` in reading order, from the sidebar's data-p numbers on every page. */
function courseOrder(lang) {
  const byP = new Map();
  for (const rel of listFiles(join(out, lang))) {
    const file = `${lang}/${rel}`;
    const html = readFileSync(join(out, file), "utf8");
    for (const m of html.matchAll(/<a data-p="(\d+)"[^>]*?href="([^"]+)"/g)) {
      const target = posix.normalize(posix.join(posix.dirname(file), m[2].replace(/&#x2F;/g, "/")));
      const known = byP.get(Number(m[1]));
      assert.ok(!known || known === target, `sidebar number ${m[1]} names both ${known} and ${target}`);
      byP.set(Number(m[1]), target);
    }
  }
  return [...byP.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
}

/** Reads what a test needs to know about the page currently shown. */
async function pageFacts(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelector("h1")?.textContent ?? null,
    h1Count: document.querySelectorAll("h1").length,
    bodyClass: document.body.className,
    // style.css sets body { margin: 0 }: a margin of 8px means the stylesheet did not apply.
    styled: getComputedStyle(document.body).marginTop === "0px",
    current: [...document.querySelectorAll(".sidebar [aria-current='page']")].map((a) => a.href),
    alternates: [...document.querySelectorAll("link[rel='alternate'][hreflang]")].map((l) => ({ lang: l.hreflang, href: l.href })),
  }));
}

/** Clicks `locator` and waits until the page shows `url`. */
async function clickTo(page, locator, url) {
  await Promise.all([page.waitForURL(url, { waitUntil: "load" }), locator.click()]);
}

// Walking through every page is the slow part (some 45 page loads per language and walk). By
// default each language is walked once by sidebar and once by previous/next, spread over the
// two ways of opening the site most likely to break (a sub-path, and file://); set
// KYOZAI_FULL_WALK=1 to do every walk in every language over all three.
const WALKS = {
  sidebar: { "http under /training/": "ja", "file://": "en" },
  "previous/next": { "http under /training/": "en", "file://": "ja" },
};
const walkSkip = (walk, T, lang) =>
  process.env.KYOZAI_FULL_WALK === "1" || WALKS[walk][T.name] === lang ? false : "walked over another transport; set KYOZAI_FULL_WALK=1";

describe("the course", () => {
for (const T of TRANSPORTS) {
  describe(`over ${T.name}`, () => {
    let base;
    let close;
    before(async () => ({ base, close } = await T.start(out)));
    after(() => close());

    test("the language chooser sends a Japanese browser to ja/index.html, once per session", async () => {
      const { context, page, problems } = await openPage(browser, { locale: "ja-JP" });
      try {
        await page.goto(base + "index.html");
        await page.waitForURL(base + "ja/index.html", { waitUntil: "load" });
        assert.equal((await pageFacts(page)).lang, "ja");
        // A second visit in the same session stays on the chooser.
        await page.goto(base + "index.html", { waitUntil: "load" });
        await page.waitForTimeout(300);
        assert.equal(page.url(), base + "index.html", "the chooser redirected twice in one session");
        assert.equal(await page.locator("a.enter").count(), 2);
        assertClean(problems, "the language chooser");
      } finally {
        await context.close();
      }
    });

    test("the language chooser sends an English browser to en/index.html and leaves others on the chooser", async () => {
      for (const [locale, want] of [["en-GB", "en/index.html"], ["fr-FR", "index.html"]]) {
        const { context, page, problems } = await openPage(browser, { locale });
        try {
          await page.goto(base + "index.html", { waitUntil: "load" });
          if (want !== "index.html") await page.waitForURL(base + want, { waitUntil: "load" });
          else await page.waitForTimeout(300);
          assert.equal(page.url(), base + want, `a ${locale} browser`);
          assertClean(problems, `the language chooser in ${locale}`);
        } finally {
          await context.close();
        }
      }
    });

    test("without JavaScript the language chooser lists both languages and each link works", async () => {
      const { context, page, problems } = await openPage(browser, { javaScriptEnabled: false, locale: "ja-JP" });
      try {
        for (const lang of LANGS) {
          await page.goto(base + "index.html", { waitUntil: "load" });
          assert.equal(page.url(), base + "index.html");
          const facts = await pageFacts(page);
          assert.ok(facts.styled, "the chooser's stylesheet did not apply");
          assert.deepEqual(facts.alternates.map((a) => a.lang).sort(), [...LANGS].sort());
          for (const a of facts.alternates) assert.ok(existsIn(out, fileOf(base, a.href)), `alternate ${a.href}`);
          const links = page.locator("a.enter");
          assert.equal(await links.count(), LANGS.length);
          const link = page.locator(`a.enter[hreflang="${lang}"]`);
          assert.ok(await link.isVisible(), `the ${lang} link is not visible`);
          await clickTo(page, link, base + `${lang}/index.html`);
          assert.equal((await pageFacts(page)).lang, lang);
        }
        assertClean(problems, "the language chooser without JavaScript");
      } finally {
        await context.close();
      }
    });

    test("every kind of page opens cleanly in both languages, and its language switcher leads to the counterpart and back", async () => {
      const { context, page, problems } = await openPage(browser);
      /** Checks the page shown is `path`, a sound page in `lang` that names both language versions. */
      const check = async (path, lang, where) => {
        const f = await pageFacts(page);
        assert.equal(f.lang, lang, `<html lang> on ${where}`);
        assert.equal(f.h1Count, 1, `one h1 on ${where}`);
        assert.ok(squash(f.h1), `an h1 with text on ${where}`);
        assert.ok(squash(f.title), `a title on ${where}`);
        assert.ok(f.styled, `the stylesheet applied on ${where}`);
        const alt = Object.fromEntries(f.alternates.map((a) => [a.lang, a.href]));
        assert.deepEqual(Object.keys(alt).sort(), [...LANGS].sort(), `<link rel=alternate hreflang> on ${where}`);
        for (const l of LANGS) assert.equal(alt[l], base + counterpart(path, l), `the ${l} alternate on ${where}`);
        for (const href of Object.values(alt)) assert.ok(existsIn(out, fileOf(base, href)), `alternate ${href} on ${where}`);
        assert.equal(await page.locator(".lang-switch [aria-current]").getAttribute("lang"), lang, `the switcher marks ${lang} on ${where}`);
        if (/case library/.test(where)) {
          assert.equal(await page.locator("#case-filters").isVisible(), true, "the case filters show with JavaScript on");
        }
        assertClean(problems, where);
      };
      try {
        const [from, to] = LANGS;
        for (const [kind, path] of Object.entries(pagesByKind(out, from))) {
          const there = counterpart(path, to);
          await page.goto(base + path, { waitUntil: "load" });
          await check(path, from, `${from} ${kind} (${path})`);
          await clickTo(page, page.locator(`.lang-switch a[hreflang="${to}"]`), base + there);
          await check(there, to, `${to} ${kind} (${there}), reached by the language switcher`);
          await clickTo(page, page.locator(`.lang-switch a[hreflang="${from}"]`), base + path);
          await check(path, from, `${from} ${kind} (${path}), reached back by the language switcher`);
        }
        // Each kind of page exists in the other language too (the switcher's target was checked
        // above; this catches a kind found only in one language).
        assert.deepEqual(Object.keys(pagesByKind(out, to)), Object.keys(pagesByKind(out, from)));
      } finally {
        await context.close();
      }
    });

    for (const lang of LANGS) {
      test(`the sidebar leads to every ${lang} page, each with its h1 and aria-current`, { skip: walkSkip("sidebar", T, lang) }, async () => {
        const { context, page, problems } = await openPage(browser);
        const errors = [];
        try {
          await page.goto(base + `${lang}/index.html`, { waitUntil: "load" });
          const visited = new Set([fileOf(base, page.url())]);
          const seenOn = new Map();
          for (;;) {
            const links = await page.$$eval(".sidebar a[href]", (as) => as.map((a) => ({
              href: a.href, text: a.textContent, home: !!a.closest(".toc-home"),
            })));
            assert.ok(links.length > 0, `no sidebar on ${page.url()}`);
            for (const l of links) if (!seenOn.has(fileOf(base, l.href))) seenOn.set(fileOf(base, l.href), page.url());
            const i = links.findIndex((l) => !visited.has(fileOf(base, l.href)));
            if (i < 0) {
              const pending = [...seenOn.keys()].find((f) => !visited.has(f));
              if (!pending) break;
              await page.goto(seenOn.get(pending), { waitUntil: "load" });
              continue;
            }
            const link = links[i];
            const file = fileOf(base, link.href);
            visited.add(file);
            if (!existsIn(out, file)) {
              errors.push(`the sidebar links to ${file}, which was not built (link "${squash(link.text)}" on ${fileOf(base, page.url())})`);
              continue;
            }
            const target = link.href.replace(/#.*$/, "");
            await clickTo(page, page.locator(".sidebar a[href]").nth(i), target);
            const f = await pageFacts(page);
            if (f.lang !== lang) errors.push(`${file}: <html lang="${f.lang}">`);
            if (link.home) {
              if (!/\bkind-home\b/.test(f.bodyClass)) errors.push(`${file}: the home link did not lead to the home page`);
            } else if (squash(f.h1) !== squash(link.text)) {
              errors.push(`${file}: h1 "${squash(f.h1)}" differs from its sidebar link "${squash(link.text)}"`);
            }
            if (f.current.length !== 1 || f.current[0] !== target) {
              errors.push(`${file}: aria-current="page" marks ${JSON.stringify(f.current)} in the sidebar, not this page`);
            }
          }
          const expected = listFiles(join(out, lang)).map((p) => `${lang}/${p}`)
            // Case pages, handouts and slide decks are listed on their library pages, quiz pages on
            // their list, a checklist's compare page is linked from the checklist page, the
            // certificate from the progress page.
            .filter((p) => !/\/(cases|handouts|slides|quizzes|progress)\/[^/]+\//.test(p) && !/\/checklists\/[^/]+\/compare\//.test(p));
          for (const p of expected) if (!visited.has(p)) errors.push(`${p} cannot be reached from the sidebar`);
          assert.deepEqual(errors, []);
          assertClean(problems, `the ${lang} sidebar walk`);
        } finally {
          await context.close();
        }
      });

      test(`previous and next lead through the ${lang} course from its home to the last page`, { skip: walkSkip("previous/next", T, lang) }, async () => {
        const order = courseOrder(lang);
        assert.equal(order[0], `${lang}/index.html`, "the sidebar starts at the course home");
        assert.ok(order.length > 10, "the course has its pages");
        const { context, page, problems } = await openPage(browser);
        try {
          const prevOf = async () => {
            const a = page.locator(".prev-next a[rel='prev']");
            return (await a.count()) ? new URL(await a.getAttribute("href"), page.url()).href : null;
          };
          await page.goto(base + order[0], { waitUntil: "load" });
          assert.equal(await prevOf(), null, "the course home has no previous link");
          for (let i = 1; i < order.length; i++) {
            await clickTo(page, page.locator(".prev-next a[rel='next']"), base + order[i]);
            assert.ok(squash((await pageFacts(page)).h1), `${order[i]} has an h1`);
            assert.equal(await prevOf(), base + order[i - 1], `the previous link on ${order[i]}`);
          }
          assert.equal(await page.locator("a[rel='next']").count(), 0, "the last page has no next link");
          // Then a few steps back by clicking previous: every previous link was checked above.
          for (let i = order.length - 2; i >= order.length - 4; i--) {
            await clickTo(page, page.locator(".prev-next a[rel='prev']"), base + order[i]);
          }
          assertClean(problems, `previous/next through the ${lang} course`);
        } finally {
          await context.close();
        }
      });
    }
  });
}
});

describe("the 404 page", () => {
  for (const prefix of ["/", "/training/"]) {
    test(`is served for a missing URL under ${prefix} with its styles and working links`, async () => {
      const site = prefix === "/" ? out : outSub;
      const server = await serveSite(site, { prefix });
      const { context, page, problems } = await openPage(browser);
      try {
        for (const lang of LANGS) {
          const missing = server.url + "no/such/page/";
          const res = await page.goto(missing, { waitUntil: "load" });
          assert.equal(res.status(), 404);
          // The 404 status of the page itself is expected, and nothing else may fail.
          await page.waitForTimeout(100);
          assert.ok(dropExpected404(problems, missing), "the missing page answered 404");
          const f = await pageFacts(page);
          assert.ok(squash(f.h1), "the 404 page has an h1");
          assert.ok(f.styled, `the 404 page's stylesheet applies under ${prefix}`);
          await clickTo(page, page.locator(`main li[lang="${lang}"] a`), server.url + `${lang}/index.html`);
          assert.equal((await pageFacts(page)).lang, lang);
        }
        assertClean(problems, `the 404 page under ${prefix}`);
      } finally {
        await context.close();
        await server.close();
      }
    });
  }
});

describe("every built file", () => {
  test("every link, image, script and stylesheet in every page resolves inside the site", async () => {
    const { context, page } = await openPage(browser, { javaScriptEnabled: false });
    const base = pathToFileURL(out + "/").href;
    const errors = [];
    const idsOf = new Map();
    const fragments = [];
    try {
      const pages = listFiles(out).filter((p) => p !== "404.html");
      for (const file of pages) {
        const { refs, ids } = await collectRefs(page, readFileSync(join(out, file), "utf8"), base + file);
        idsOf.set(file, new Set(ids));
        const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
        if (dupes.length) errors.push(`${file}: duplicate ids ${[...new Set(dupes)].join(", ")}`);
        for (const r of refs) {
          const what = `${file}: <${r.tag} ${r.attr}="${r.value}">`;
          if (/^[a-z][a-z0-9+.-]*:/i.test(r.value) || r.value.startsWith("//")) {
            // A link the reader may follow to a cited source is not a request the page makes;
            // kyozai marks those class="external". Anything the page loads must be relative.
            const cited = r.tag === "a" && /^https?:\/\//.test(r.value) && r.cls.split(/\s+/).includes("external");
            if (!cited) errors.push(`${what} is not a relative URL`);
            continue;
          }
          if (r.value.startsWith("/")) { errors.push(`${what} is root-relative, not relative`); continue; }
          const target = fileOf(base, r.resolved);
          if (target == null) { errors.push(`${what} points outside the site`); continue; }
          if (!existsIn(out, target)) { errors.push(`${what}: ${target} does not exist`); continue; }
          const hash = new URL(r.resolved).hash.slice(1);
          if (hash && target.endsWith(".html")) fragments.push({ what, target, id: decodeURIComponent(hash) });
        }
      }
      for (const { what, target, id } of fragments) {
        if (!idsOf.get(target)?.has(id)) errors.push(`${what}: no element with id "${id}" in ${target}`);
      }
      // The 404 page is served at any depth, so it alone uses root-relative URLs under the base path.
      const notFound = readFileSync(join(out, "404.html"), "utf8");
      for (const m of notFound.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        const v = m[1].replace(/&#x2F;/g, "/");
        if (!v.startsWith("/")) errors.push(`404.html: "${v}" must start with the base path /`);
        else if (!existsIn(out, fileOf("http://x/", new URL(v, "http://x/a/b/")))) errors.push(`404.html: "${v}" does not exist`);
      }
      // Stylesheets: every url() they use is in the site.
      for (const css of listFiles(out, ".css")) {
        for (const m of readFileSync(join(out, css), "utf8").matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
          if (m[1].startsWith("data:")) continue;
          if (!existsIn(out, posix.normalize(posix.join(posix.dirname(css), m[1].replace(/[#?].*$/, ""))))) errors.push(`${css}: url(${m[1]}) does not exist`);
        }
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("only the 404 page and the sitemap depend on the base path", () => {
    const sub = outSub;
    // The manifest records when each file was written: kyozai's bookkeeping, not the site.
    const a = listFiles(out, "").filter((f) => f !== ".kyozai-manifest");
    assert.deepEqual(listFiles(sub, "").filter((f) => f !== ".kyozai-manifest"), a);
    const differ = a.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(sub, f))));
    assert.deepEqual(differ.filter((f) => !["404.html", "sitemap.xml"].includes(f)), [], "files that change with the base path");
    for (const m of readFileSync(join(sub, "sitemap.xml"), "utf8").matchAll(/<loc>([^<]*)<\/loc>/g)) {
      assert.ok(m[1].startsWith("/training/"), `sitemap entry ${m[1]} under the base path`);
      assert.ok(existsIn(sub, fileOf("http://x/training/", new URL(m[1], "http://x/"))), `sitemap entry ${m[1]} exists`);
    }
  });
});
