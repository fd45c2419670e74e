//! Killing a build at any moment never damages the site. A generated course of 3,002 pages is
//! built once; then, again and again, the course is changed, `kyozai build` is started and killed
//! with SIGKILL at a random moment (while reading, rendering, writing the staging folder or
//! swapping it in). After every kill the output folder must be a complete site, byte for byte
//! either the previous one or (when the kill came after the swap) the new one, and whatever the
//! killed build left behind must not break the next build, which succeeds and cleans up. Most
//! rebuilds update the spare (the output before last) in place, so kills land in that path too.
//!
//! `KYOZAI_KILL_ROUNDS` sets the number of kills (default 8).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHAPTERS: usize = 30;
const SECTIONS: usize = 49;

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A course of 1 + 30 + 30 × 49 = 1,501 pages in each of two languages, with links between
/// sections, and one cases file.
fn generate(root: &Path) {
    write(&root.join("kyozai.toml"), "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"大きな講座\"\nen = \"A large course\"\n");
    home(root, 0);
    let c = root.join("content");
    write(
        &c.join("data/k.categories.toml"),
        "[[category]]\nid = \"attack\"\nja = \"攻撃\"\nen = \"Attack\"\n",
    );
    let mut cases = String::new();
    for i in 0..50 {
        cases.push_str(&format!("[[case]]\nid = \"case-{i}\"\ncategory = \"attack\"\ncountry = \"JP\"\ntitle = {{ ja = \"事例{i}\", en = \"Case {i}\" }}\norganisation = {{ ja = \"病院{i}\", en = \"Hospital {i}\" }}\nsummary = {{ ja = \"要約{i}。\", en = \"Summary {i}.\" }}\n\n"));
    }
    write(&c.join("data/c.cases.toml"), &cases);
    for ch in 1..=CHAPTERS {
        let d = c.join(format!("{ch:02}-chapter-{ch}"));
        write(&d.join("_index.ja.md"), &format!("+++\ntitle = \"第{ch}章の題\"\n+++\n章{ch}の本文。\n\n```{{cases}}\nids = [\"case-{}\"]\n```\n", ch % 50));
        write(&d.join("_index.en.md"), &format!("+++\ntitle = \"Chapter {ch} title\"\n+++\nBody of chapter {ch}.\n\n```{{cases}}\nids = [\"case-{}\"]\n```\n", ch % 50));
        for s in 1..=SECTIONS {
            let prev_ja = if s > 1 {
                format!("[前へ]({:02}-section-{}.md#見出し-{})", s - 1, s - 1, s - 1)
            } else {
                String::new()
            };
            let prev_en = if s > 1 {
                format!(
                    "[Previous]({:02}-section-{}.md#heading-{})",
                    s - 1,
                    s - 1,
                    s - 1
                )
            } else {
                String::new()
            };
            let ja = format!("+++\ntitle = \"節{ch}-{s}\"\nsummary = \"要約{ch}-{s}\"\n+++\n## 見出し {s}\n\n{}\n\n{prev_ja}\n", "本文の段落です。情報セキュリティは経営課題です。".repeat(4));
            let en = format!("+++\ntitle = \"Section {ch}-{s}\"\nsummary = \"Summary {ch}-{s}\"\n+++\n## Heading {s}\n\n{}\n\n{prev_en}\n", "This paragraph is about information security. ".repeat(4));
            write(&d.join(format!("{s:02}-section-{s}.ja.md")), &ja);
            write(&d.join(format!("{s:02}-section-{s}.en.md")), &en);
        }
    }
}

/// The home pages at version `v`: changing them changes the output of the next build.
fn home(root: &Path, v: usize) {
    write(
        &root.join("content/_index.ja.md"),
        &format!("+++\ntitle = \"ホーム\"\n+++\nようこそ。版{v}。\n"),
    );
    write(
        &root.join("content/_index.en.md"),
        &format!("+++\ntitle = \"Home\"\n+++\nWelcome. Version {v}.\n"),
    );
}

/// Every file under `dir` (path → hash of its bytes, and length); None when `dir` is missing.
fn tree(dir: &Path) -> Option<BTreeMap<String, (u64, usize)>> {
    if !dir.is_dir() {
        return None;
    }
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).follow_links(false) {
        let e = e.expect("walk the output");
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            m.insert(rel, (h.finish(), bytes.len()));
        } else {
            m.insert(rel, (0, usize::MAX));
        }
    }
    Some(m)
}

fn leftovers(out: &Path) -> Vec<String> {
    let prefix = format!(".{}.kyozai-", out.file_name().unwrap().to_string_lossy());
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The output a build replaced is kept as the spare the next build updates.
        .filter(|n| n.starts_with(&prefix) && !n.ends_with(".kyozai-spare"))
        .collect()
}

fn build(course: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kyozai"));
    c.args(["-q", "build"])
        .arg(course)
        .arg("-o")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn build_to_end(course: &Path, out: &Path) -> Duration {
    let start = Instant::now();
    let o = build(course, out).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "the build failed: {err}");
    assert!(!err.contains("panicked"), "{err}");
    start.elapsed()
}

/// Checks that `site` holds what a build of `course` into an empty folder writes (the manifest,
/// which records modification times, aside).
fn assert_fresh(course: &Path, site: &BTreeMap<String, (u64, usize)>, round: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let fresh = tmp.path().join("fresh");
    build_to_end(course, &fresh);
    let without = |t: &BTreeMap<String, (u64, usize)>| {
        let mut t = t.clone();
        t.remove(".kyozai-manifest");
        t
    };
    assert!(
        without(site) == without(&tree(&fresh).unwrap()),
        "round {round}: the output differs from a fresh build"
    );
}

/// Waits until the build `child` has created its staging folder beside `out` (or has ended);
/// returns when it appeared.
fn wait_for_staging(out: &Path, child: &mut std::process::Child) -> Option<Instant> {
    let name = format!(
        ".{}.kyozai-staging-{}",
        out.file_name().unwrap().to_string_lossy(),
        child.id()
    );
    let path = out.with_file_name(name);
    loop {
        if path.exists() {
            return Some(Instant::now());
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A small xorshift generator, seeded from the clock (printed, so a failure can be replayed
/// with KYOZAI_KILL_SEED).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn killed_builds_never_damage_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let course = tmp.path().join("course");
    let out: PathBuf = tmp.path().join("site").join("public");
    generate(&course);
    let pages = walkdir::WalkDir::new(course.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert_eq!(pages, 2 * (1 + CHAPTERS + CHAPTERS * SECTIONS));

    // Two builds, so that a spare is kept; then a third, watched: how long a rebuild that
    // updates the spare takes, and how long its write phase (from the staging folder's
    // appearance to the end) takes.
    build_to_end(&course, &out);
    home(&course, 1000);
    build_to_end(&course, &out);
    home(&course, 1001);
    let start = Instant::now();
    let mut child = build(&course, &out).spawn().unwrap();
    let staged = wait_for_staging(&out, &mut child);
    let status = child.wait().unwrap();
    assert!(status.success(), "the first build failed");
    let full = start.elapsed();
    let writing = staged
        .map(|t| full.saturating_sub(t - start))
        .unwrap_or(full / 4);
    let mut prev = tree(&out).expect("the first build wrote the site");
    let rounds: usize = std::env::var("KYOZAI_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let seed: u64 = std::env::var("KYOZAI_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("{pages} pages, {} files and folders; a full build takes {full:?}, writing {writing:?}; {rounds} kills, KYOZAI_KILL_SEED={seed}", prev.len());
    let mut rng = Rng(seed);
    let (mut before_swap, mut after_swap) = (0, 0);
    let mut killed = Vec::new();
    for round in 1..=rounds {
        home(&course, round);
        let mut child = build(&course, &out).spawn().unwrap();
        let started = Instant::now();
        if round % 2 == 1 {
            // Anywhere in the build, a little past its usual end included.
            std::thread::sleep(full.mul_f64(0.02 + 1.1 * rng.unit()));
        } else {
            // While it writes and swaps: from the staging folder's appearance to a little past
            // the usual end of the write phase.
            wait_for_staging(&out, &mut child);
            std::thread::sleep(writing.mul_f64(1.2 * rng.unit()));
        }
        let delay = started.elapsed();
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        let state = tree(&out);
        // A build killed while writing leaves its staging folder; the next build that gets as far
        // as writing removes it. Nothing else may appear.
        killed.push(child.id());
        for l in leftovers(&out) {
            let pid: u32 = l
                .rsplit('-')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            assert!(
                killed.contains(&pid),
                "round {round}: {l} was not left by a killed build"
            );
        }
        match state {
            Some(s) if s == prev => {
                before_swap += 1;
                eprintln!(
                    "round {round}: killed after {delay:?}{}: previous output intact",
                    if finished { " (already finished)" } else { "" }
                );
                if round % 4 < 2 {
                    // A build to the end now and then, so that the next one has a spare to
                    // update again (after the others, it recovers from the kill instead). What
                    // it made of the kill's leftovers must be what a fresh build writes.
                    build_to_end(&course, &out);
                    prev = tree(&out).unwrap();
                    assert_fresh(&course, &prev, round);
                }
            }
            Some(s) => {
                // The kill came after the swap: the site must be exactly what this version builds.
                build_to_end(&course, &out);
                let new = tree(&out).unwrap();
                assert!(s == new, "round {round}: killed after {delay:?}, the output is neither the previous site nor the new one");
                after_swap += 1;
                eprintln!("round {round}: killed after {delay:?}: new output complete");
                prev = new;
            }
            None => panic!("round {round}: killed after {delay:?}, the output folder is missing"),
        }
    }
    // The next build recovers from whatever the last kill left, succeeds and leaves nothing behind.
    build_to_end(&course, &out);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    let last = tree(&out).unwrap();
    assert!(last.keys().any(|k| k == "ja/index.html"));
    assert_fresh(&course, &last, rounds + 1);
    eprintln!("{before_swap} kills left the previous output, {after_swap} the new one");
}
