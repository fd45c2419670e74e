//! Inputs the fuzz targets in `fuzz/` found crashes with, kept as regression tests: each is run
//! through the same target body (`fuzz/src/lib.rs`) on stable Rust. The seed inputs of every
//! target run too, as a quick smoke test of the bodies.
//!
//! To add one: copy `fuzz/artifacts/TARGET/crash-…` to `tests/fuzz-regressions/TARGET/`.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod bodies;

use std::path::Path;

/// A fuzz target: its name and the function it runs on one input.
type Target = (&'static str, fn(&[u8]));

const TARGETS: &[Target] = &[
    ("frontmatter", bodies::frontmatter),
    ("markdown", bodies::markdown),
    ("data", bodies::data),
    ("links", bodies::links),
    ("check_text", bodies::check_text),
];

fn run_dir(dir: &Path, body: fn(&[u8])) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let bytes = std::fs::read(e.path()).unwrap();
        let result = std::panic::catch_unwind(|| body(&bytes));
        assert!(result.is_ok(), "{} panics", e.path().display());
        n += 1;
    }
    n
}

#[test]
fn crash_inputs_no_longer_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for (name, body) in TARGETS {
        n += run_dir(&root.join("tests/fuzz-regressions").join(name), *body);
    }
    assert!(n > 0, "no regression inputs found");
}

#[test]
fn seed_inputs_run_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, body) in TARGETS {
        assert!(
            run_dir(&root.join("fuzz/seeds").join(name), *body) > 0,
            "no seeds for {name}"
        );
    }
}
