// Every generated HTML file (and, since it costs nothing more, every SVG image) passes the Nu
// HTML Checker. One JVM runs over all the files: it is slow to start. Stylesheets are left out:
// the checker's CSS rules lag behind browsers (it rejects field-sizing, for one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { buildSite } from "./lib.mjs";
import { listFiles } from "./site-lib.mjs";

const vnu = fileURLToPath(new URL("node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url));

test("the Nu HTML Checker finds no error in any generated file", () => {
  const out = buildSite();
  const html = listFiles(out, ".html");
  assert.ok(html.length > 50, `only ${html.length} HTML files were built`);
  const files = [...html, ...listFiles(out, ".svg")].map((f) => join(out, f));
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", "--also-check-svg", ...files], {
    encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.error, undefined, `could not run java: ${run.error?.message}`);
  let report;
  try {
    report = JSON.parse(run.stderr);
  } catch {
    assert.fail(`the checker did not answer in JSON (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  const errors = report.messages
    .filter((m) => m.type === "error" || m.subType === "fatal" || m.type === "non-document-error")
    .map((m) => {
      const file = m.url ? fileURLToPath(m.url.replace(/^file:(?!\/\/)/, "file://")).slice(out.length + 1) : "(no file)";
      return `${file}:${m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}: ${m.message}${m.extract ? `\n    ${m.extract.replace(/\n/g, "⏎")}` : ""}`;
    });
  assert.ok(errors.length === 0, `${errors.length} error(s) in ${files.length} checked files:\n${errors.join("\n")}`);
  assert.equal(run.status, 0, `the checker exited with ${run.status}`);
});
