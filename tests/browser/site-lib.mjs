// Helpers shared by the whole-site browser tests: list the built files, serve a site the way a
// static host does (with a 404 page), map page URLs back to output files, find one page of each
// kind, and collect every URL a page refers to.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join, extname, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "./lib.mjs";

export const LANGS = ["ja", "en"];
export const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Every file under `root` whose name ends with `ext`, as sorted '/'-separated relative paths. */
export function listFiles(root, ext = ".html") {
  const found = [];
  (function walk(dir) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) found.push(relative(root, p).split(sep).join("/"));
    }
  })(root);
  return found.sort();
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml", ".png": "image/png", ".pdf": "application/pdf",
};

/**
 * Serves `root` under `prefix` like a static host: directories answer with their index.html and
 * a missing file answers 404 with the site's 404.html. `csp: false` leaves out the CSP header.
 * Resolves to { url, close }.
 */
export function serveSite(root, { prefix = "/", csp = true } = {}) {
  const headers = (file) => ({
    "Content-Type": TYPES[extname(file)] || "application/octet-stream",
    ...(csp ? { "Content-Security-Policy": CSP } : {}),
  });
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const notFound = async () => {
      const page = join(root, "404.html");
      const body = await readFile(page).catch(() => null);
      if (body) res.writeHead(404, headers(page)).end(body);
      else res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    };
    if (!path.startsWith(prefix) || path.includes("..")) return notFound();
    let file = join(root, path.slice(prefix.length));
    const s = await stat(file).catch(() => null);
    if (s && s.isDirectory()) file = join(file, "index.html");
    const body = await readFile(file).catch(() => null);
    if (!body) return notFound();
    res.writeHead(200, headers(file)).end(body);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => {
    ok({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => new Promise((d) => server.close(d)) });
  }));
}

/**
 * The three ways the site is opened: from a server at the root, from a server under a
 * sub-path, and straight from the disk. Each has a name and start(out) resolving to
 * { base, close } where base is the URL of the site's root folder (ending in '/').
 */
export const TRANSPORTS = [
  { name: "http", start: async (out) => { const s = await serve(out); return { base: s.url, close: s.close }; } },
  { name: "http under /training/", start: async (out) => { const s = await serve(out, "/training/"); return { base: s.url, close: s.close }; } },
  { name: "file://", start: async (out) => ({ base: pathToFileURL(out + "/").href, close: async () => {} }) },
];

/**
 * Maps a URL inside the site back to the output file it names ('/'-separated, relative to the
 * output folder), or null when the URL lies outside the site. Directories map to index.html.
 */
export function fileOf(base, url) {
  const u = new URL(url);
  u.hash = "";
  u.search = "";
  const s = u.href;
  if (!s.startsWith(base)) return null;
  let rest = decodeURIComponent(s.slice(base.length));
  if (rest === "" || rest.endsWith("/")) rest += "index.html";
  return rest;
}

/** True when `rel` (as returned by fileOf) is a file in the output folder. */
export function existsIn(out, rel) {
  if (rel == null) return false;
  const p = join(out, rel);
  return existsSync(p) && statSync(p).isFile();
}

/**
 * Takes the problems recorded so far, leaving out requests that the test itself cancelled by
 * navigating on (net::ERR_ABORTED, typically the favicon): a missing file shows up as
 * net::ERR_FILE_NOT_FOUND or an HTTP error instead.
 */
export function takeProblems(problems) {
  return problems.splice(0).filter((p) => !/^request failed: .* net::ERR_ABORTED$/.test(p));
}

/**
 * Removes from `problems` what loading the 404 page at `url` is expected to record (its own 404
 * status and Chromium's console note about it); returns whether the 404 status was there.
 */
export function dropExpected404(problems, url) {
  const expected = [`HTTP 404: ${url}`, "console: Failed to load resource: the server responded with a status of 404 (Not Found)"];
  const had = problems.includes(expected[0]);
  for (let i = problems.length - 1; i >= 0; i--) if (expected.includes(problems[i])) problems.splice(i, 1);
  return had;
}

/** Asserts that a page recorded no problems (console errors, failed or outside requests). */
export function assertClean(problems, where) {
  assert.deepEqual(takeProblems(problems), [], `problems on ${where}`);
}

/** Normalises whitespace in visible text. */
export const squash = (s) => String(s ?? "").replace(/\s+/g, " ").trim();

/**
 * One built page of each kind in language `lang`, as paths relative to the output folder.
 * Kinds are found from the pages themselves so that renaming a section does not break the tests.
 */
export function pagesByKind(out, lang) {
  const html = listFiles(join(out, lang)).map((p) => `${lang}/${p}`);
  const text = new Map(html.map((p) => [p, readFileSync(join(out, p), "utf8")]));
  const body = (p) => /<body class="kind-([a-z0-9-]+)"/.exec(text.get(p))?.[1];
  const first = (what, pred) => {
    const p = html.find(pred);
    assert.ok(p, `no ${what} page in ${lang}`);
    return p;
  };
  const sections = html.filter((p) => body(p) === "section");
  return {
    home: first("home", (p) => p === `${lang}/index.html`),
    chapter: first("chapter", (p) => body(p) === "chapter"),
    section: sections[0],
    "section with a case table": first("case table", (p) => sections.includes(p) && /<table class="cases-table"/.test(text.get(p))),
    "section with callouts and figures": first("figure", (p) => sections.includes(p) && /<figure/.test(text.get(p)) && /class="callout /.test(text.get(p))),
    "section with the checklist": first("checklist section", (p) => sections.includes(p) && /<section class="checklist"/.test(text.get(p))),
    "case library": first("case library", (p) => p === `${lang}/cases/index.html`),
    "case page": first("case", (p) => /^[a-z]+\/cases\/[^/]+\/index\.html$/.test(p)),
    glossary: first("glossary", (p) => p === `${lang}/glossary/index.html`),
    "checklist page": first("checklist", (p) => /^[a-z]+\/checklists\/[^/]+\/index\.html$/.test(p)),
    "section with a quiz": first("quiz section", (p) => sections.includes(p) && /<section class="quiz"/.test(text.get(p))),
    "quiz page": first("quiz", (p) => /^[a-z]+\/quizzes\/[^/]+\/index\.html$/.test(p)),
    "quiz list": first("quiz list", (p) => p === `${lang}/quizzes/index.html`),
  };
}

/** The counterpart of a page path in another language. */
export const counterpart = (path, lang) => path.replace(/^[a-z]{2}(?=\/)/, lang);

/**
 * Parses `html` with the browser's own HTML parser (DOMParser, in `page`: no script runs and
 * nothing loads) and collects every URL it refers to (a/link href, script/img/source/iframe
 * src, srcset, form action, poster, object data, SVG href), resolved against `url`, and every
 * id and name that a fragment could point at.
 */
export async function collectRefs(page, html, url) {
  return page.evaluate(({ html, url }) => {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const refs = [];
    const add = (el, attr, value) => refs.push({
      tag: el.localName, attr, value, rel: el.getAttribute("rel") || "", cls: el.getAttribute("class") || "", resolved: new URL(value, url).href,
    });
    for (const el of doc.querySelectorAll("[href]")) add(el, "href", el.getAttribute("href"));
    for (const el of doc.querySelectorAll("[src]")) add(el, "src", el.getAttribute("src"));
    for (const el of doc.querySelectorAll("[srcset]")) {
      for (const part of el.getAttribute("srcset").split(",")) { const u = part.trim().split(/\s+/)[0]; if (u) add(el, "srcset", u); }
    }
    for (const el of doc.querySelectorAll("form[action], [poster], object[data]")) {
      const attr = el.hasAttribute("action") ? "action" : el.hasAttribute("poster") ? "poster" : "data";
      add(el, attr, el.getAttribute(attr));
    }
    const ids = [...doc.querySelectorAll("[id]")].map((e) => e.id)
      .concat([...doc.querySelectorAll("a[name]")].map((e) => e.getAttribute("name")));
    return { refs, ids };
  }, { html, url });
}
