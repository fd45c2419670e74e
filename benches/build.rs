//! Build benchmark: generates a synthetic bilingual course of N pages in all (N/2 in each of Japanese
//! and English, default N = 10,000)
//! and times `kyozai build` on it with the output on disk and on tmpfs, reporting wall time and
//! peak memory (maximum resident set size) of a build into an empty folder, of a rebuild with no
//! spare, and of rebuilds as authors run them (each updating the spare the one before kept).
//! Run with `cargo bench --bench build -- [N] [RUNS]`.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn run(bin: &Path, args: &[&str]) -> (f64, u64) {
    let start = Instant::now();
    let child = Command::new(bin).args(args).spawn().expect("start kyozai");
    let pid = child.id() as i32;
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64() * 1000.0;
    assert!(
        r == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "kyozai build failed"
    );
    std::mem::forget(child);
    (wall, usage.ru_maxrss as u64 / 1024)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
    v[v.len() / 2]
}

fn main() {
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
        t
    };
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
            // SAFETY: sync takes no arguments and cannot fail.
            unsafe { libc::sync() };
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
        series("cold build     ", &|| {
            clear(out);
            clear(&spare);
        });
        series("rebuild, no spare", &|| clear(&spare));
        let _ = run(&bin, &["build", &c, "-o", &o, "-q"]); // keeps a spare
        series("rebuild        ", &|| {
            // SAFETY: as above.
            unsafe { libc::sync() }
        });
    }
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
