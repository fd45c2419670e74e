//! Build benchmark: generates a synthetic bilingual course of N pages in all (N/2 in each of Japanese
//! and English, default N = 10,000)
//! and times `kyozai build` on it with the output on disk and on tmpfs, reporting wall time and
//! peak memory (maximum resident set size) of a build into an empty folder, of a rebuild with no
//! spare, and of rebuilds as authors run them (each updating the spare the one before kept).
//! Run with `cargo bench --bench build -- [N] [RUNS]`.
//!
//! Side by side in the same run it times the floor (`../shared/bench-floor`, built here when its
//! sources are there: reading the files, pulldown-cmark, writing HTML, on all cores) on the same
//! Markdown, and reports the output's size and bytes per page. `KYOZAI_BENCH_OUT=disk` (or
//! `tmpfs`) limits the run to one target, `KYOZAI_BENCH_SERIES=cold` to cold builds (and keeps
//! the output, for the search benchmark).
//! `KYOZAI_BENCH_BEFORE=PATH` also times another kyozai binary (an earlier build) in the same
//! run, alternating with this one, and reports its output's size: before/after ratios.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Set in the environment of this benchmark run again as a wrapper around one command.
const WRAP: &str = "KYOZAI_BENCH_WRAPPER";

/// Runs `bin` with `args`; returns its wall time (ms) and peak memory (MB). The time is taken
/// around a copy of this benchmark that runs the command and prints the peak of its only child
/// (the largest resident set of the children it waited for).
fn run(bin: &Path, args: &[&str]) -> (f64, u64) {
    let start = Instant::now();
    let out = Command::new(std::env::current_exe().expect("the benchmark's path"))
        .env(WRAP, "1")
        .arg(bin)
        .args(args)
        .stdout(Stdio::piped())
        .output()
        .expect("start the wrapper");
    let wall = start.elapsed().as_secs_f64() * 1000.0;
    assert!(out.status.success(), "kyozai build failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let kb: u64 = text
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("peak-kb "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the wrapper prints the peak");
    (wall, kb / 1024)
}

/// The wrapper: runs the command in its arguments, prints `peak-kb N`, exits as it did.
fn wrapper() -> ! {
    let mut args = std::env::args_os().skip(1);
    let bin = args.next().expect("a command");
    let status = Command::new(bin)
        .args(args)
        .status()
        .expect("start the command");
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    // Linux gives kilobytes.
    println!("peak-kb {}", usage.max_rss());
    std::process::exit(status.code().unwrap_or(1));
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
    v[v.len() / 2]
}

fn main() {
    if std::env::var_os(WRAP).is_some() {
        wrapper();
    }
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let total: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let pages = total.div_ceil(2);
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .current_dir(&root)
        .status()
        .expect("cargo build");
    assert!(status.success());
    let bin = root.join("target/release/kyozai");
    let floor = floor_binary(&root);
    let before = std::env::var_os("KYOZAI_BENCH_BEFORE").map(PathBuf::from);
    let corpus = root.join(format!("target/bench-corpus-{pages}-per-language"));
    if !corpus.join("kyozai.toml").exists() {
        corpus::generate(&corpus, pages).expect("generate corpus");
    }
    let size: u64 = walkdir(&corpus.join("content"));
    println!(
        "corpus: {} ({total} pages: {pages} per language, {:.1} MB of Markdown)",
        corpus.display(),
        size as f64 / 1e6
    );
    let shm = PathBuf::from("/dev/shm");
    let targets: Vec<(&str, PathBuf)> = {
        let mut t = vec![("disk", root.join(format!("target/bench-out-{pages}")))];
        if shm.is_dir() {
            t.push(("tmpfs", shm.join(format!("kyozai-bench-out-{pages}"))));
        }
        if let Ok(only) = std::env::var("KYOZAI_BENCH_OUT") {
            t.retain(|(n, _)| *n == only);
        }
        t
    };
    let cold_only = std::env::var("KYOZAI_BENCH_SERIES").is_ok_and(|s| s == "cold");
    for (name, out) in &targets {
        let c = corpus.to_string_lossy().into_owned();
        let o = out.to_string_lossy().into_owned();
        let spare = out.with_file_name(format!(
            ".{}.kyozai-spare",
            out.file_name().expect("a name").to_string_lossy()
        ));
        // What a run removes is flushed before the next one starts, so that no run is timed
        // while the disk still writes back the one before.
        let clear = |what: &Path| {
            let _ = std::fs::remove_dir_all(what);
            nix::unistd::sync();
        };
        let report = |what: &str, walls: &[f64], peak: u64| {
            println!(
                "{what} to {name:5}: median {:.0} ms (min {:.0}, max {:.0}) over {} runs; peak memory {peak} MB",
                median(walls.to_vec()),
                walls.iter().cloned().fold(f64::MAX, f64::min),
                walls.iter().cloned().fold(0.0, f64::max),
                walls.len()
            )
        };
        // Into an empty folder; then a rebuild that has no spare yet (it makes a new tree,
        // hard-linking the unchanged files); then rebuilds as authors run them, each updating
        // the spare the one before kept.
        let series = |what: &str, before: &dyn Fn()| {
            let (mut walls, mut peak) = (Vec::new(), 0);
            for _ in 0..runs {
                before();
                let (w, m) = run(&bin, &["build", &c, "-o", &o, "-q"]);
                walls.push(w);
                peak = peak.max(m);
            }
            report(what, &walls, peak);
        };
        if let Some(floor) = &floor {
            let content = corpus.join("content").to_string_lossy().into_owned();
            let fo = out.with_file_name(format!("floor-out-{pages}"));
            let fo_s = fo.to_string_lossy().into_owned();
            let (mut fw, mut kw, mut fpeak, mut kpeak) = (Vec::new(), Vec::new(), 0, 0);
            let (mut bw, mut bpeak) = (Vec::new(), 0);
            // Alternating, so that all see the same load on the machine.
            for _ in 0..runs {
                if let Some(before) = &before {
                    let bo = out.with_file_name(format!("before-out-{pages}"));
                    clear(&bo);
                    let (w, m) = run(before, &["build", &c, "-o", &bo.to_string_lossy(), "-q"]);
                    bw.push(w);
                    bpeak = bpeak.max(m);
                    let (bytes, files) = du(&bo);
                    println!(
                        "before: output to {name}: {:.1} MB in {files} files, {:.1} KB per page",
                        bytes as f64 / 1e6,
                        bytes as f64 / 1e3 / total as f64
                    );
                    clear(&bo);
                    clear(&bo.with_file_name(format!(".before-out-{pages}.kyozai-spare")));
                }
                clear(&fo);
                let (w, m) = run(floor, &[&content, &fo_s]);
                fw.push(w);
                fpeak = fpeak.max(m);
                clear(out);
                clear(&spare);
                let (w, m) = run(&bin, &["build", &c, "-o", &o, "-q"]);
                kw.push(w);
                kpeak = kpeak.max(m);
            }
            clear(&fo);
            report("floor          ", &fw, fpeak);
            report("cold build     ", &kw, kpeak);
            if !bw.is_empty() {
                report("before: cold   ", &bw, bpeak);
                println!(
                    "cold build / before, {name}: {:.2} (medians); peak memory {:.2}",
                    median(kw.clone()) / median(bw.clone()),
                    kpeak as f64 / bpeak.max(1) as f64
                );
            }
            println!(
                "cold build / floor, {name}: {:.2} (medians)",
                median(kw.clone()) / median(fw.clone())
            );
        } else {
            series("cold build     ", &|| {
                clear(out);
                clear(&spare);
            });
        }
        let (bytes, files) = du(out);
        println!(
            "output to {name}: {:.1} MB in {files} files, {:.1} KB per page",
            bytes as f64 / 1e6,
            bytes as f64 / 1e3 / total as f64
        );
        if cold_only {
            // Kept for the search benchmark (tests/browser/bench-search.mjs); delete it after.
            println!("output kept in {}", out.display());
            continue;
        }
        series("rebuild, no spare", &|| clear(&spare));
        let _ = run(&bin, &["build", &c, "-o", &o, "-q"]); // keeps a spare
        series("rebuild        ", &nix::unistd::sync);
    }
}

/// The floor's binary, built in release into `target/bench-floor` when its sources are there.
fn floor_binary(root: &Path) -> Option<PathBuf> {
    let manifest = root.join("../shared/bench-floor/Cargo.toml");
    let manifest = if manifest.exists() {
        manifest
    } else {
        root.join("../../shared/bench-floor/Cargo.toml")
    };
    if !manifest.exists() {
        println!("floor: no ../shared/bench-floor here, not timed");
        return None;
    }
    let dir = root.join("target/bench-floor");
    let ok = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&dir)
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| dir.join("release/bench-floor"))
}

/// Bytes on disk (apparent size) and number of files under `p`.
fn du(p: &Path) -> (u64, u64) {
    let (mut bytes, mut files) = (0, 0);
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let path = e.path();
            if path.is_dir() {
                let (b, f) = du(&path);
                bytes += b;
                files += f;
            } else if let Ok(m) = e.metadata() {
                bytes += m.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}

fn walkdir(p: &Path) -> u64 {
    let mut total = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let path = e.path();
            if path.is_dir() {
                total += walkdir(&path);
            } else if let Ok(m) = e.metadata() {
                total += m.len();
            }
        }
    }
    total
}
