// static/sha256.js against the FIPS 180-4 example vectors and, for texts of every length up to
// two blocks and in several scripts, against node's own SHA-256.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { repo } from "./lib.mjs";

const sha = createRequire(import.meta.url)(join(repo, "themes/default/static/sha256.js"));

test("the FIPS 180-4 example messages give their published digests", () => {
  assert.equal(sha.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(sha.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(sha.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  assert.equal(sha.hex("a".repeat(1000000)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
});

test("every length up to 130 bytes and non-ASCII text match node's SHA-256", () => {
  for (let n = 0; n <= 130; n++) {
    const s = "x".repeat(n);
    assert.equal(sha.hex(s), createHash("sha256").update(s, "utf8").digest("hex"), `length ${n}`);
  }
  for (const s of ["病院の情報セキュリティ", "Ünïcödé ✓", "😀 emoji", JSON.stringify({ a: "医療", b: [1, 2] })]) {
    assert.equal(sha.hex(s), createHash("sha256").update(s, "utf8").digest("hex"), s);
  }
  // Without TextEncoder (a bare context) the script encodes UTF-8 itself, the same way.
  const ctx = { self: {} };
  vm.runInNewContext(readFileSync(join(repo, "themes/default/static/sha256.js"), "utf8"), ctx);
  assert.equal(vm.runInNewContext("typeof TextEncoder", ctx), "undefined");
  for (const s of ["é😀 病院", "abc", "\ud800 lone"]) {
    assert.equal(ctx.self.kyozaiSha256.hex(s), createHash("sha256").update(Buffer.from(s, "utf8")).digest("hex"), s);
  }
});
