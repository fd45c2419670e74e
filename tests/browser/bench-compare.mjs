// Times the compare page's rules on 500 exports of the bundled 12-item checklist (JSON and CSV,
// from compare-fixtures.mjs): under node (reading and combining), and in Chromium (the page's own
// add(): reading the files, combining and drawing every table). Not part of `npm test`.
//
// Run from tests/browser after `cargo build`: node bench-compare.mjs [N] [RUNS]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import vm from "node:vm";
import { buildSite, serve, launch, repo } from "./lib.mjs";
import { ID, generate } from "./compare-fixtures.mjs";

const n = Number(process.argv[2] || 500);
const runs = Number(process.argv[3] || 5);
const require = createRequire(import.meta.url);
const core = require(join(repo, "themes/default/static/compare-core.js"));
const site = buildSite();
const { files } = generate(n, 18);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const ctx = { window: {} };
vm.runInNewContext(readFileSync(join(site, "en/checklists", ID, "data.js"), "utf8"), ctx);
const m = core.model(ctx.window.kyozaiChecklists[ID]);
const node = [];
for (let r = 0; r < runs; r++) {
  const t = performance.now();
  const exports = files.map((f) => core.parse(m, f.name, f.body).export);
  core.combine(m, exports);
  node.push(performance.now() - t);
}
console.log(`node: ${n} exports read and combined, median ${median(node).toFixed(1)} ms over ${runs} runs`);

const server = await serve(site);
const browser = await launch();
const page = await browser.newPage();
const inPage = [];
for (let r = 0; r < runs; r++) {
  await page.goto(`${server.url}en/checklists/${ID}/compare/index.html`);
  await page.waitForSelector("section.compare.is-enhanced");
  inPage.push(await page.evaluate(async (list) => {
    const fs = list.map((f) => new File([f.body], f.name, { type: "application/json" }));
    const t = performance.now();
    await window.kyozaiCompare.add(fs);
    return performance.now() - t;
  }, files));
}
console.log(`Chromium: ${n} exports read, combined and drawn, median ${median(inPage).toFixed(1)} ms over ${runs} runs`);
await browser.close();
await server.close();
