// The slide decks: every slide of every deck of the bundled course, in both languages, fits its
// 16:9 box at 1280×720 and 1920×1080 with text of at least 24 px at 1280×720, and ends neither
// with a heading nor with a paragraph introducing what follows, nor leaves a callout's or a list's
// title alone; the keys, the URL,
// the overview, full screen and the presenter view (a second window driving the audience window,
// or a notes pane in the same window when no second window may open) work from file:// and over
// HTTP under the site's Content-Security-Policy; a knowledge check is a slide per question with its
// answer in the notes; axe finds nothing; no console error, no outside request.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { buildSite, launch, openPage, fileUrl } from "./lib.mjs";
import { LANGS, serveSite, listFiles } from "./site-lib.mjs";

const axeSource = readFileSync(new URL("node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const SIZES = [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }];

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

function decks(lang) {
  return listFiles(join(out, lang)).filter((p) => /^slides\/[^/]+\/index\.html$/.test(p)).map((p) => `${lang}/${p}`);
}

/** Measures every slide of the deck open in `page`: [{ n, title, over, small }]. */
async function measure(page, checkText) {
  return page.evaluate(async (checkText) => {
    const slides = [...document.querySelectorAll("#deck .slide")];
    const found = [];
    for (let i = 0; i < slides.length; i++) {
      location.hash = `#${i + 1}`;
      await new Promise((r) => setTimeout(r, 0));
      const s = document.querySelector("#deck .slide.current");
      const box = s.getBoundingClientRect();
      const body = s.querySelector(".slide-body");
      const over = [];
      if (s.scrollHeight > s.clientHeight + 1) over.push(`height ${s.scrollHeight} > ${s.clientHeight}`);
      if (s.scrollWidth > s.clientWidth + 1) over.push(`width ${s.scrollWidth} > ${s.clientWidth}`);
      if (body && body.scrollHeight > body.clientHeight + 1) over.push(`body height ${body.scrollHeight} > ${body.clientHeight}`);
      if (body && body.scrollWidth > body.clientWidth + 1) over.push(`body width ${body.scrollWidth} > ${body.clientWidth}`);
      // Everything drawn inside the slide's box on screen.
      for (const e of s.querySelectorAll("*")) {
        if (e.closest("svg") || e.closest(".slide-notes")) continue;
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.top < box.top - 1) {
          over.push(`${e.tagName.toLowerCase()}.${e.className} sticks out`);
          break;
        }
      }
      // Nothing that introduces what follows ends a slide, and no title is left alone.
      const lastBlock = body && body.lastElementChild;
      if (lastBlock && /^H\d$/.test(lastBlock.tagName)) over.push(`ends with the heading “${lastBlock.textContent}”`);
      if (lastBlock && lastBlock.tagName === "P" && /[:：]\s*$/.test(lastBlock.textContent)) over.push(`ends with “${lastBlock.textContent.slice(-40)}”`);
      for (const c of s.querySelectorAll(".callout, .data-list")) {
        if ([...c.children].every((k) => k.matches(".callout-title, .data-list-title, h3, h4"))) over.push(`${c.className} with its title alone`);
      }
      const small = [];
      if (checkText) {
        const scale = box.width / s.offsetWidth;
        const walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
          const el = t.parentElement;
          if (!t.textContent.trim() || el.closest("svg") || el.closest(".slide-notes")) continue;
          const px = parseFloat(getComputedStyle(el).fontSize) * scale;
          if (px < 24 - 0.01) small.push(`${px.toFixed(1)}px “${t.textContent.trim().slice(0, 30)}”`);
        }
      }
      found.push({ n: i + 1, title: (s.querySelector("h1, h2") || {}).textContent, over, small });
    }
    return found;
  }, checkText);
}

describe("every slide fits", () => {
  for (const lang of LANGS) {
    for (const size of SIZES) {
      test(`${lang} at ${size.width}×${size.height}`, async () => {
        const list = decks(lang);
        assert.equal(list.length, 3, `decks: ${list}`);
        const counts = {};
        for (const path of list) {
          const { context, page, problems } = await openPage(browser, { viewport: size });
          await page.goto(server.url + path);
          const slides = await measure(page, size.width === 1280);
          assert.ok(slides.length > 10, `${path}: only ${slides.length} slides`);
          const bad = slides.filter((s) => s.over.length || s.small.length);
          assert.deepEqual(bad.map((s) => `${path}#${s.n} ${s.title}: ${[...s.over, ...s.small].join("; ")}`), []);
          counts[path] = slides.length;
          assert.deepEqual(problems, []);
          await context.close();
        }
        // The same slides at every size: the canvas is scaled, not laid out again.
        if (size.width === 1920) {
          const { context, page } = await openPage(browser, { viewport: SIZES[0] });
          for (const path of list) {
            await page.goto(server.url + path);
            assert.equal(await page.locator("#deck .slide").count(), counts[path], `${path}: slide count differs between sizes`);
          }
          await context.close();
        }
      });
    }
  }
});

describe("navigation", () => {
  test("keys, the URL, the overview and touch, from file://", async () => {
    const { context, page, problems } = await openPage(browser, { viewport: SIZES[0], hasTouch: true });
    const url = fileUrl(out, "en/slides/awareness/index.html");
    await page.goto(url);
    const at = () => page.evaluate(() => [location.hash, document.querySelector("#deck .slide.current")?.dataset.slide]);
    assert.deepEqual(await at(), ["#1", "1"]);
    await page.keyboard.press("ArrowRight");
    assert.deepEqual(await at(), ["#2", "2"]);
    await page.keyboard.press("Space");
    assert.deepEqual(await at(), ["#3", "3"]);
    await page.keyboard.press("PageDown");
    await page.keyboard.press("ArrowDown");
    assert.deepEqual(await at(), ["#5", "5"]);
    await page.keyboard.press("PageUp");
    await page.keyboard.press("ArrowLeft");
    assert.deepEqual(await at(), ["#3", "3"]);
    await page.keyboard.press("End");
    const total = await page.locator("#deck .slide").count();
    assert.deepEqual(await at(), [`#${total}`, String(total)]);
    await page.keyboard.press("ArrowRight");
    assert.deepEqual(await at(), [`#${total}`, String(total)], "stays on the last slide");
    await page.keyboard.press("Home");
    assert.deepEqual(await at(), ["#1", "1"]);
    // A reload, and a link with a slide number, land on that slide.
    await page.goto(url + "#7");
    assert.deepEqual(await at(), ["#7", "7"]);
    await page.reload();
    assert.deepEqual(await at(), ["#7", "7"]);
    assert.match(await page.locator(".deck-position").textContent(), new RegExp(`^7 / ${total}$`));
    // Swipe left for the next slide, right for the previous one.
    const swipe = (from, to) => page.evaluate(([from, to]) => {
      const touch = (x) => new Touch({ identifier: 1, target: document.body, clientX: x, clientY: 300 });
      document.dispatchEvent(new TouchEvent("touchstart", { touches: [touch(from)], changedTouches: [touch(from)], bubbles: true }));
      document.dispatchEvent(new TouchEvent("touchend", { touches: [], changedTouches: [touch(to)], bubbles: true }));
    }, [from, to]);
    await swipe(900, 300);
    assert.deepEqual(await at(), ["#8", "8"]);
    await swipe(300, 900);
    assert.deepEqual(await at(), ["#7", "7"]);
    // The overview shows every slide; choosing one goes there.
    await page.keyboard.press("o");
    assert.ok(await page.evaluate(() => document.body.classList.contains("overview")));
    const shown = await page.evaluate(() => [...document.querySelectorAll("#deck .slide")].filter((s) => getComputedStyle(s).display !== "none").length);
    assert.equal(shown, total);
    await page.locator("#deck .slide").nth(11).click();
    assert.ok(!(await page.evaluate(() => document.body.classList.contains("overview"))));
    assert.deepEqual(await at(), ["#12", "12"]);
    // The controls work with the mouse too.
    await page.mouse.move(600, 300);
    await page.locator('[data-action="next"]').click();
    assert.deepEqual(await at(), ["#13", "13"]);
    // Full screen, and back; the slide keeps its 16:9 box inside the screen.
    await page.keyboard.press("f");
    await page.waitForFunction(() => document.fullscreenElement === document.documentElement);
    const r = await page.locator("#deck .slide.current").boundingBox();
    assert.ok(Math.abs(r.width / r.height - 16 / 9) < 0.01 && r.width <= 1280 + 1 && r.height <= 720 + 1, `${r.width}×${r.height}`);
    await page.keyboard.press("f");
    await page.waitForFunction(() => document.fullscreenElement === null);
    assert.deepEqual(await at(), ["#13", "13"]);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

/** The questions of a quiz file of the bundled course: [{ text, right: [option texts] }] in `lang`. */
function quizQuestions(file, lang) {
  const toml = readFileSync(new URL(`../../content/${file}`, import.meta.url), "utf8");
  const said = (block) => {
    const m = block.match(new RegExp(`^text = \\{.*?\\b${lang} = "((?:[^"\\\\]|\\\\.)*)"`, "m"));
    return m ? JSON.parse(`"${m[1]}"`) : null;
  };
  return toml.split(/^\[\[question\]\]$/m).slice(1).map((q) => {
    const [head, ...options] = q.split(/^\[\[question\.option\]\]$/m);
    return { text: said(head), right: options.filter((o) => /^correct = true$/m.test(o)).map(said) };
  });
}

describe("knowledge checks", () => {
  test("a quiz is a slide per question with its options, and its answers in the notes", async () => {
    const { context, page, problems } = await openPage(browser, { viewport: SIZES[0] });
    for (const lang of LANGS) {
      const want = quizQuestions("01-awareness/awareness.quiz.toml", lang);
      assert.ok(want.length >= 5 && want.every((q) => q.text && q.right.length), JSON.stringify(want));
      await page.goto(server.url + `${lang}/slides/awareness/index.html`);
      const got = await page.evaluate(() => [...document.querySelectorAll("#deck .slide")].filter((s) => s.querySelector(".slide-quiz")).map((s) => ({
        title: s.querySelector(".slide-title").textContent,
        text: s.querySelector(".slide-quiz-text").textContent,
        options: s.querySelectorAll(".slide-quiz-options li").length,
        notes: s.querySelector(".slide-notes")?.textContent ?? "",
        controls: s.querySelectorAll("input, button, form").length,
      })));
      assert.equal(got.length, want.length, `${lang}: one slide per question`);
      // The author's notes on the quiz go with its first question, before the answer.
      assert.match(got[0].notes, lang === "ja" ? /^各問を会場に投げかけ/ : /^Put each question to the room/);
      assert.ok(got.slice(1).every((g) => !/show of hands|挙手/.test(g.notes)));
      got.forEach((g, i) => {
        assert.equal(g.text, want[i].text);
        assert.match(g.title, new RegExp(`${i + 1}.*${want.length}`));
        assert.ok(g.options >= 2, `${lang} question ${i + 1}: ${g.options} options`);
        assert.equal(g.controls, 0, "no form on a slide");
        for (const r of want[i].right) assert.ok(g.notes.includes(r), `${lang} question ${i + 1}: the notes name the answer “${r}”`);
      });
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe("presenter view", () => {
  for (const via of ["file", "http"]) {
    test(`a second window drives the audience window (${via})`, async () => {
      const { context, page, problems } = await openPage(browser, { viewport: SIZES[0] });
      const url = via === "file" ? fileUrl(out, "en/slides/awareness/index.html") : server.url + "en/slides/awareness/index.html";
      await page.goto(url + "#3");
      // Every request of both windows (the second one's first requests included) stays on the site.
      const left = [];
      context.on("request", (r) => { if (!/^(file:|http:\/\/127\.0\.0\.1[:/]|data:)/.test(r.url())) left.push(r.url()); });
      context.on("requestfailed", (r) => left.push(`failed: ${r.url()}`));
      const popupP = context.waitForEvent("page");
      await page.keyboard.press("p");
      const popup = await popupP;
      const popupProblems = [];
      popup.on("pageerror", (e) => popupProblems.push(e.message));
      popup.on("console", (m) => { if (m.type() === "error") popupProblems.push(m.text()); });

      await popup.waitForLoadState("load");
      await popup.waitForFunction(() => document.body.classList.contains("presenting"));
      const state = () => popup.evaluate(() => ({
        hash: location.hash,
        current: document.querySelector("#deck .slide.current")?.dataset.slide,
        next: document.querySelector(".presenter-next-slide .slide")?.dataset.slide,
        notes: document.querySelector(".presenter-notes-text").textContent.trim(),
        elapsed: document.querySelector(".presenter-elapsed").textContent,
        clock: document.querySelector(".presenter-clock").textContent,
      }));
      let s = await state();
      assert.equal(s.current, "3");
      assert.equal(s.next, "4");
      assert.match(s.elapsed, /^0:0\d$/);
      assert.match(s.clock, /\d/);
      // The presenter moves on: the audience follows.
      await popup.keyboard.press("ArrowRight");
      await page.waitForFunction(() => location.hash === "#4");
      // The slide with the notes written for it shows them.
      const withNotes = await popup.evaluate(() => [...document.querySelectorAll("#deck .slide")].findIndex((x) => x.querySelector(".slide-notes")) + 1);
      assert.ok(withNotes > 0, "the course has speaker notes");
      await popup.evaluate((n) => { location.hash = `#${n}`; }, withNotes);
      await page.waitForFunction((n) => location.hash === `#${n}`, withNotes);
      s = await state();
      assert.match(s.notes, /Ask the room/);
      // The audience window moves: the presenter follows.
      await page.keyboard.press("ArrowRight");
      await popup.waitForFunction((n) => location.hash === `#${n + 1}`, withNotes);
      // The notes are not shown to the audience.
      assert.ok(!(await page.locator(".slide.current .slide-notes").isVisible().catch(() => false)));
      assert.deepEqual([...problems, ...popupProblems, ...left], []);
      await context.close();
    });
  }

  test("where no second window may open, the notes are shown in the same window", async () => {
    const { context, page, problems } = await openPage(browser, { viewport: SIZES[0] });
    await context.addInitScript(() => { window.open = () => null; });
    await page.goto(fileUrl(out, "ja/slides/awareness/index.html") + "#2");
    await page.keyboard.press("p");
    assert.ok(await page.evaluate(() => document.body.classList.contains("presenting")));
    assert.ok(await page.locator(".presenter").isVisible());
    assert.ok((await page.locator(".presenter-status").textContent()).length > 0);
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.querySelector(".presenter-next-slide .slide")?.dataset.slide), "4");
    // The current slide stays inside its pane and keeps its 16:9 shape.
    const r = await page.locator("#deck .slide.current").boundingBox();
    assert.ok(Math.abs(r.width / r.height - 16 / 9) < 0.01, `${r.width}×${r.height}`);
    assert.ok(r.x + r.width <= 1280 * 0.62 + 1);
    await page.keyboard.press("p");
    assert.ok(!(await page.evaluate(() => document.body.classList.contains("presenting"))));
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe("pages around the decks", () => {
  test("the notes pages show every slide with its notes; the slides index and chapter pages link the decks", async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(server.url + "en/slides/awareness/notes.html");
    const n = await page.locator(".notes-page").count();
    assert.ok(n > 10);
    assert.equal(await page.locator(".notes-page .slide").count(), n, "one slide per notes page");
    assert.match(await page.locator(".notes-text").allTextContents().then((t) => t.join(" ")), /Ask the room/);
    await page.goto(server.url + "en/slides/index.html");
    assert.equal(await page.locator(".slides-index a[href$='/index.html']").count(), 3);
    await page.goto(server.url + "en/awareness/impact/index.html");
    await page.locator("a.slides-link").click();
    await page.waitForURL(/en\/slides\/awareness\/index\.html/);
    await page.goto(server.url + "en/handouts/index.html");
    assert.equal(await page.locator("a[href^='../slides/'][href$='/index.html']").count(), 3);
    // Speaker notes are not on the site or in the handouts.
    await page.goto(server.url + "en/awareness/impact/index.html");
    assert.doesNotMatch(await page.locator("main").textContent(), /Ask the room/);
    await page.goto(server.url + "en/handouts/awareness/index.html");
    assert.doesNotMatch(await page.locator("main, body").first().textContent(), /Ask the room/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test("axe finds nothing on the decks (every slide, in the overview), the presenter view, the notes pages and the slides index", async () => {
    const run = async (page) => {
      if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
      const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }));
      return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} ${n.html.slice(0, 160)}`));
    };
    const { context, page, problems } = await openPage(browser, { viewport: SIZES[0] });
    for (const lang of LANGS) {
      for (const path of decks(lang)) {
        await page.goto(server.url + path + "#2");
        assert.deepEqual(await run(page), [], path);
        // Every slide at once, in the overview.
        await page.keyboard.press("o");
        assert.deepEqual(await run(page), [], `${path} overview`);
      }
      await page.goto(server.url + `${lang}/slides/awareness/index.html#2`);
      await context.addInitScript(() => { window.open = () => null; });
      await page.reload();
      await page.keyboard.press("p");
      assert.deepEqual(await run(page), [], `${lang} presenter view`);
      await page.goto(server.url + `${lang}/slides/awareness/notes.html`);
      assert.deepEqual(await run(page), [], `${lang} notes pages`);
      await page.goto(server.url + `${lang}/slides/index.html`);
      assert.deepEqual(await run(page), [], `${lang} slides index`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });

  test("the decks name no file that is not there", () => {
    for (const lang of LANGS) {
      for (const path of decks(lang)) {
        const html = readFileSync(join(out, path), "utf8");
        for (const m of html.matchAll(/\s(?:src|href)="([^"#?]+)"/g)) {
          if (/^[a-z]+:/.test(m[1])) continue;
          assert.ok(existsSync(join(out, path, "..", m[1])), `${path}: ${m[1]}`);
        }
        assert.doesNotMatch(html, /<script(?![^>]*(?:src=|type="application\/json"))[^>]*>/, "no inline script");
        assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/, "no inline style or handler");
      }
    }
  });
});
