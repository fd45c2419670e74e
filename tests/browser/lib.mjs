// Shared helpers for the browser tests: build a course with kyozai, serve the output on a
// loopback port, and open pages in Debian's Chromium with every console error and failed
// request recorded.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const kyozai = process.env.KYOZAI_BIN || join(repo, "target/debug/kyozai");

/** Builds the course in `dir` (default: the bundled course) into a fresh temp folder. */
export function buildSite(dir = repo, extra = []) {
  const out = join(mkdtempSync(join(tmpdir(), "kyozai-browser-")), "site");
  execFileSync(kyozai, ["build", dir, "-o", out, "-q", ...extra], { stdio: "inherit" });
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml", ".png": "image/png", ".pdf": "application/pdf",
};

/** Serves `root` on 127.0.0.1 under `prefix` (a sub-path such as /training/). Resolves to { url, close }. */
export function serve(root, prefix = "/") {
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (!path.startsWith(prefix)) { res.writeHead(404).end("outside prefix"); return; }
      path = path.slice(prefix.length);
      if (path.includes("..")) { res.writeHead(403).end(); return; }
      let file = join(root, path);
      const s = await stat(file).catch(() => null);
      if (s && s.isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "Content-Type": TYPES[extname(file)] || "application/octet-stream",
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => {
    ok({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => new Promise((d) => server.close(d)) });
  }));
}

/** The file:// URL of a path inside a built site. */
export function fileUrl(root, path = "index.html") {
  return pathToFileURL(join(root, path)).href;
}

/** Launches Debian's Chromium headless, with no network beyond what the page itself asks for. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"],
  });
}

/**
 * Opens a new page that records problems: console errors, page errors, failed requests and any
 * request that leaves the site (anything not http://127.0.0.1 or file://).
 */
export async function openPage(browser, opts = {}) {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // A request the browser itself cancels because the page navigated away (a favicon still loading
  // when a result link is followed) is not a broken resource: a missing one fails otherwise.
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText ?? "";
    if (why !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} ${why}`);
  });
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith("http://127.0.0.1") && !u.startsWith("file://") && !u.startsWith("data:") && !u.startsWith("blob:")) problems.push(`request left the site: ${u}`);
  });
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("favicon.ico")) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return { context, page, problems };
}
