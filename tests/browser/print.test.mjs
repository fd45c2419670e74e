// Printing, in Debian's Chromium: every handout prints to A4 within its expected number of pages
// (the incident card on exactly one), nothing on any page of the course is wider than the
// printable width, the handbook starts every chapter on a new page, and `kyozai pdf` writes real
// PDFs (A4, titled, with the chapters' titles as text) and links them. PDFs are read with
// poppler-utils (pdfinfo, pdftotext, pdffonts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, launch, openPage, fileUrl, kyozai, repo } from "./lib.mjs";
import { LANGS, listFiles, assertClean } from "./site-lib.mjs";

// A4 less the side margins of print.css (16 mm each), in CSS pixels.
const PRINTABLE_WIDTH = Math.floor(((210 - 2 * 16) / 25.4) * 96);
const POPPLER = spawnSync("pdfinfo", ["-v"]).error ? "poppler-utils is not installed (apt-get install poppler-utils)" : false;

let out;
let browser;

before(async () => {
  out = buildSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Handout folder names of a built site, from the handouts index of `lang`. */
function handouts(root, lang) {
  const index = readFileSync(join(root, lang, "handouts/index.html"), "utf8");
  return [...index.matchAll(/<a href="([^"/]+)\/index\.html">/g)].map((m) => m[1]);
}

/** The expected number of pages of a handout of the bundled course. */
function pageRange(name) {
  if (name === "incident-card") return [1, 1];
  if (name === "handbook") return [35, 100];
  if (name.startsWith("checklist-")) return [2, 4];
  if (name.startsWith("quiz-")) return [1, 5];
  return [4, 40];
}

/** Pages of a PDF held in memory (Chromium writes one /Type /Page object per page). */
const pdfPages = (buf) => (buf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
const mediaBoxes = (buf) => [...buf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
const isA4 = ([w, h]) => Math.abs(w - 595.28) < 1.5 && Math.abs(h - 841.89) < 1.5;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  assert.equal(r.error, undefined, `${cmd}: ${r.error?.message}`);
  return r;
}

test("the bundled course has the handouts it should", () => {
  for (const lang of LANGS) {
    const names = handouts(out, lang);
    for (const n of ["handbook", "awareness", "survey", "budget", "checklist-self-assessment", "incident-card", "quiz-awareness", "quiz-awareness-answers", "quiz-survey", "quiz-survey-answers", "quiz-budget", "quiz-budget-answers"]) {
      assert.ok(names.includes(n), `${lang}: no ${n} handout in ${names}`);
    }
  }
});

test("every handout prints to A4 within its expected number of pages", async () => {
  const { context, page, problems } = await openPage(browser);
  const report = [];
  try {
    for (const lang of LANGS) {
      for (const name of handouts(out, lang)) {
        const where = `${lang}/handouts/${name}`;
        await page.goto(fileUrl(out, `${where}/index.html`), { waitUntil: "load" });
        const buf = await page.pdf({ format: "A4", preferCSSPageSize: true });
        const pages = pdfPages(buf);
        const [lo, hi] = pageRange(name);
        report.push(`${where}: ${pages}`);
        assert.ok(pages >= lo && pages <= hi, `${where} printed on ${pages} pages, expected ${lo}–${hi}`);
        const boxes = mediaBoxes(buf);
        assert.equal(boxes.length, pages, `${where}: a media box per page`);
        for (const b of boxes) assert.ok(isA4(b), `${where}: page size ${b} is not A4`);
        assertClean(problems, where);
      }
    }
  } finally {
    await context.close();
  }
  console.log(`# pages: ${report.join(", ")}`);
});

test("nothing on any page is wider than the printable width", async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: PRINTABLE_WIDTH, height: 1000 } });
  const errors = [];
  try {
    await page.emulateMedia({ media: "print" });
    // Every page but 404.html, which links through the site's base path and is never opened from
    // the disk, and the slide decks, which print on 16:9 pages of their own (see slides.test.mjs).
    const files = listFiles(out).filter((f) => f !== "404.html" && !/\/slides\/[^/]+\/index\.html$/.test(f));
    assert.ok(files.length > 80, `only ${files.length} pages`);
    for (const file of files) {
      await page.goto(fileUrl(out, file), { waitUntil: "load" });
      const found = await page.evaluate(() => {
        const bad = [];
        const width = document.documentElement.clientWidth;
        const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""}`;
        if (document.documentElement.scrollWidth > width + 1) bad.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
        const main = document.querySelector("main");
        if (main && main.scrollWidth > main.clientWidth + 1) bad.push(`main is ${main.scrollWidth}px wide in ${main.clientWidth}px`);
        for (const el of document.querySelectorAll("main table, main figure, main pre, main img, main svg, main .table-wrap, main .callout, main .ws-form, main .card-flow")) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 && r.height === 0) continue;
          if (r.right > width + 1 || r.left < -1) bad.push(`${name(el)} spans ${Math.round(r.left)}–${Math.round(r.right)} of ${width}px`);
          if (!(el instanceof SVGElement) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) bad.push(`${name(el)} holds ${el.scrollWidth}px in ${el.clientWidth}px`);
        }
        return bad;
      });
      for (const b of found) errors.push(`${file}: ${b}`);
      assertClean(problems, file);
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});

test("the handbook starts the contents, every chapter and the glossary on a new page", async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.emulateMedia({ media: "print" });
    for (const lang of LANGS) {
      await page.goto(fileUrl(out, `${lang}/handouts/handbook/index.html`), { waitUntil: "load" });
      const parts = await page.$$eval(".hb-toc, .hb-part, .hb-glossary", (els) => els.map((e) => ({
        id: e.id || e.className, chapter: e.classList.contains("hb-chapter"), breakBefore: getComputedStyle(e).breakBefore,
        title: (e.querySelector("h1")?.textContent || "").trim(),
      })));
      assert.ok(parts.filter((p) => p.chapter).length >= 3, `${lang}: chapters in the handbook`);
      for (const p of parts) assert.equal(p.breakBefore, "page", `${lang} handbook: ${p.id} does not start a new page`);
      // In the printed handbook, every chapter's title is at the top of a page.
      if (!POPPLER) {
        const buf = await page.pdf({ format: "A4", preferCSSPageSize: true });
        const dir = mkdtempSync(join(tmpdir(), "kyozai-print-"));
        writeFileSync(join(dir, "h.pdf"), buf);
        const pages = run("pdftotext", ["-layout", join(dir, "h.pdf"), "-"]).stdout.split("\f");
        // Line 1 is the running header; the chapter's own title follows it.
        const tops = pages.map((p) => p.split("\n").map((l) => l.trim()).filter(Boolean).slice(1, 5).join("").replace(/\s+/g, ""));
        for (const p of parts.filter((x) => x.chapter)) {
          const title = p.title.replace(/\s+/g, "");
          assert.ok(tops.some((t) => t.startsWith(title)), `${lang}: "${p.title}" does not open a page`);
        }
      }
      assertClean(problems, `${lang} handbook`);
    }
  } finally {
    await context.close();
  }
});

test("ordinary pages print without navigation, with outside addresses shown", async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: PRINTABLE_WIDTH, height: 1000 } });
  try {
    await page.emulateMedia({ media: "print" });
    // The first section that links outside the course.
    const file = listFiles(out).find((f) => /^ja\/[^/]+\/[^/]+\/index\.html$/.test(f) && /<a href="https?:[^"]*" class="external"/.test(readFileSync(join(out, f), "utf8")));
    assert.ok(file, "no section links outside the course");
    await page.goto(fileUrl(out, file), { waitUntil: "load" });
    const f = await page.evaluate(() => ({
      hidden: [".sidebar", ".search", ".lang-switch", ".prev-next", ".site-footer", ".page-tools"].map((s) => [s, document.querySelector(s) ? getComputedStyle(document.querySelector(s)).display : "none"]),
      header: getComputedStyle(document.querySelector(".site-header")).position,
      external: [...document.querySelectorAll("main a[href^='http']")].map((a) => getComputedStyle(a, "::after").content),
    }));
    for (const [s, d] of f.hidden) assert.equal(d, "none", `${s} prints`);
    assert.equal(f.header, "fixed", "the course title runs on every page");
    assert.ok(f.external.length > 0, `${file}: no outside link`);
    for (const c of f.external) assert.match(c, /http/, "a link leaving the course prints its address");
    assertClean(problems, "printing a section");
  } finally {
    await context.close();
  }
});

test("kyozai pdf prints every handout to an A4 PDF and links it", { skip: POPPLER }, () => {
  const site = join(mkdtempSync(join(tmpdir(), "kyozai-pdf-")), "site");
  const profilesBefore = readdirSync(tmpdir()).filter((n) => n.startsWith("kyozai-chromium-")).length;
  const started = Date.now();
  const r = run(kyozai, ["pdf", repo, "-o", site, "--chromium", process.env.CHROMIUM || "/usr/bin/chromium"], { timeout: 900_000 });
  assert.equal(r.status, 0, `kyozai pdf failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /printed \d+ PDFs/);
  const seconds = (Date.now() - started) / 1000;
  const profilesAfter = readdirSync(tmpdir()).filter((n) => n.startsWith("kyozai-chromium-")).length;
  assert.ok(profilesAfter <= profilesBefore, "the temporary browser profile was left behind");
  const sizes = [];
  for (const lang of LANGS) {
    const chapters = [...readFileSync(join(site, lang, "handouts/handbook/index.html"), "utf8").matchAll(/<section class="hb-part hb-chapter[^>]*>\s*<h1[^>]*>([\s\S]*?)<\/h1>/g)]
      .map((m) => m[1].replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim());
    assert.ok(chapters.length >= 3, `${lang}: chapter titles`);
    for (const name of handouts(site, lang)) {
      const pdf = join(site, lang, "handouts", `${name}.pdf`);
      assert.ok(existsSync(pdf), `${pdf} was not written`);
      const info = run("pdfinfo", [pdf]);
      assert.equal(info.status, 0, `pdfinfo cannot open ${pdf}: ${info.stderr}`);
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1]);
      const [lo, hi] = pageRange(name);
      assert.ok(pages >= lo && pages <= hi, `${lang}/${name}.pdf has ${pages} pages, expected ${lo}–${hi}`);
      const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info.stdout);
      assert.ok(size && isA4([Number(size[1]), Number(size[2])]), `${lang}/${name}.pdf is not A4: ${size?.[0]}`);
      assert.match(size[1], /^59[45]\./);
      assert.match(size[2], /^84[12]\./);
      const html = readFileSync(join(site, lang, "handouts", name, "index.html"), "utf8");
      const title = /<title>([^<]*)<\/title>/.exec(html)[1].replace(/&amp;/g, "&").replace(/&#x2F;/g, "/").replace(/&#x27;/g, "'").replace(/&quot;/g, "\"");
      assert.equal(/^Title:\s+(.*)$/m.exec(info.stdout)?.[1], title, `${lang}/${name}.pdf: document title`);
      const raw = readFileSync(pdf).toString("latin1");
      assert.ok(raw.includes(`/Lang (${lang})`), `${lang}/${name}.pdf: document language`);
      // Text compared without white space: a title may wrap, and Japanese wraps between characters.
      const text = run("pdftotext", [pdf, "-"]).stdout.replace(/\s+/g, "");
      const fontLines = run("pdffonts", [pdf]).stdout.split("\n");
      const emb = fontLines[0].indexOf("emb");
      const fonts = fontLines.slice(2).filter(Boolean);
      assert.ok(fonts.length > 0 && fonts.every((l) => l.slice(emb, emb + 3) === "yes"), `${lang}/${name}.pdf: fonts not embedded:\n${fontLines.join("\n")}`);
      if (name === "handbook") {
        for (const c of chapters) assert.ok(text.includes(c.replace(/\s+/g, "")), `${lang} handbook.pdf lacks "${c}" as text`);
        assert.ok(raw.includes("/Outlines"), `${lang} handbook.pdf has no bookmarks`);
      } else if (!name.startsWith("checklist-") && name !== "incident-card") {
        const own = /<h1(?: class="cover-title")?>([\s\S]*?)<\/h1>/.exec(html)[1].replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
        assert.ok(text.includes(own.replace(/\s+/g, "")), `${lang}/${name}.pdf lacks its title "${own}" as text`);
      }
      // The links to the PDF are on now.
      assert.match(html, new RegExp(`<a class="pdf-link" href="\\.\\./${name}\\.pdf" type="application/pdf"`), `${lang}/${name}: PDF link`);
      sizes.push(`${lang}/${name}.pdf ${pages}p ${Math.round(readFileSync(pdf).length / 1000)} kB`);
    }
    // The slides: one 16:9 slide per page, and the notes pages on A4, both with text and bookmarks.
    const decks = listFiles(join(site, lang)).filter((p) => /^slides\/[^/]+\/index\.html$/.test(p)).map((p) => p.split("/")[1]);
    assert.equal(decks.length, chapters.length, `${lang}: one deck per chapter`);
    for (const name of decks) {
      const info = (f) => run("pdfinfo", [join(site, lang, "slides", f)]).stdout;
      const slides = info(`${name}.pdf`), notes = info(`${name}-notes.pdf`);
      const pages = (i) => Number(/^Pages:\s+(\d+)/m.exec(i)?.[1]);
      assert.ok(pages(slides) > 10, `${lang}/slides/${name}.pdf: ${pages(slides)} pages`);
      assert.match(slides, /^Page size:\s+960 x 540 pts/m, `${lang}/slides/${name}.pdf: 16:9 pages`);
      assert.ok(pages(notes) >= pages(slides), `${lang}/slides/${name}-notes.pdf: a page for every slide`);
      assert.match(notes, /^Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts/m, `${lang}/slides/${name}-notes.pdf: A4 portrait`);
      const html = readFileSync(join(site, lang, "slides", name, "index.html"), "utf8");
      const own = /<h1>([\s\S]*?)<\/h1>/.exec(html)[1].replace(/<[^>]+>/g, "").replace(/\s+/g, "");
      for (const f of [`${name}.pdf`, `${name}-notes.pdf`]) {
        const text = run("pdftotext", [join(site, lang, "slides", f), "-"]).stdout.replace(/\s+/g, "");
        assert.ok(text.includes(own), `${lang}/slides/${f} lacks its title as text`);
        assert.ok(readFileSync(join(site, lang, "slides", f)).toString("latin1").includes("/Outlines"), `${lang}/slides/${f} has no bookmarks`);
      }
      assert.match(html, new RegExp(`<a class="pdf-link" href="\\.\\./${name}\\.pdf" type="application/pdf"`), `${lang}/slides/${name}: PDF link`);
      sizes.push(`${lang}/slides/${name}.pdf ${pages(slides)}p, notes ${pages(notes)}p`);
    }
    const index = readFileSync(join(site, lang, "handouts/index.html"), "utf8");
    assert.ok(!index.includes("data-pdf-href"), `${lang}: a PDF link in the index stayed off`);
    const section = readFileSync(join(site, lang, "awareness/vendors/index.html"), "utf8");
    assert.match(section, /class="handout-link" href="[^"]*handouts\/awareness\/index\.html">[^<]*<\/a> <a class="pdf-link" href="[^"]*handouts\/awareness\.pdf"/, `${lang}: the section links to its chapter's PDF`);
  }
  console.log(`# kyozai pdf: ${seconds.toFixed(1)} s; ${sizes.join(", ")}`);
});

test("kyozai pdf without Chromium says how to install it and fails", () => {
  const site = join(mkdtempSync(join(tmpdir(), "kyozai-pdf-")), "site");
  const env = { ...process.env, PATH: "/nonexistent", KYOZAI_CHROMIUM: "" };
  const r = run(kyozai, ["pdf", repo, "-o", site], { env });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no Chromium found/);
  assert.match(r.stderr, /apt-get install chromium/);
  assert.ok(!existsSync(site), "nothing is built without a browser");
  const r2 = run(kyozai, ["pdf", repo, "-o", site, "--chromium", "/nonexistent/chromium"], { env });
  assert.notEqual(r2.status, 0);
  assert.match(r2.stderr, /--chromium/);
});
