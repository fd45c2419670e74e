//! Live-reload latency benchmark of `kyozai serve`: for the bundled course and a synthetic course
//! of N pages in all (N/2 per language, default N = 10,000, as the build benchmark), starts the release binary on a copy of the course,
//! listens to the event stream as a browser does, and times three kinds of edit from the moment
//! the file is written:
//!
//! * a one-page Markdown body edit, alone and 200 ms after the reload of an earlier save of the
//!   same page (`md again`: the search indexes of the first save are still being written),
//! * a data-file edit (a case study of the bundled course; a small list embedded in one page of
//!   the synthetic one),
//! * a template edit (a course override of `themes/default/templates/page.html`, its comment
//!   changed);
//!
//! each until (a) the `reload` event reaches the client and (b) a request made after that event
//! gets the page with the new content; for Markdown edits also until (c) the search index has the
//! new text (it is written after the reload event). Each edit is repeated REPS times (default 15)
//! with a different text each time, after one unmeasured warm-up; the report gives the median and
//! the 90th percentile, the rebuild time the server prints, and a full `kyozai build` of the same
//! course for comparison.
//!
//! Run with `cargo bench --bench serve -- [N] [REPS]`. `KYOZAI_BENCH_ONLY=bundled` or `=synthetic`
//! runs one course; `KYOZAI_BENCH_BIN=PATH` times another binary instead of building the release
//! one; `KYOZAI_BENCH_PERF=DIR` attaches `perf record -g` to the server during each kind of edit and
//! writes `DIR/COURSE-KIND.data` (build the binary with debug info and frame pointers for it).

mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for one edit to show.
const WAIT: Duration = Duration::from_secs(120);

/// Ctrl-C to a child process.
fn interrupt(child: &Child) {
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).expect("signal the child");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type().expect("file type").is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// `GET target`; returns the status and the body.
fn get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(s, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A running `kyozai serve`; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    stdout: Arc<Mutex<Vec<String>>>,
    startup: Duration,
}

impl Server {
    fn start(bin: &Path, dir: &Path) -> Server {
        let start = Instant::now();
        let mut child = Command::new(bin)
            .arg("serve")
            .arg(dir)
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kyozai serve");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stdout);
        let pipe = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                sink.lock().expect("lock").push(line);
            }
        });
        let addr = loop {
            let found = stdout.lock().expect("lock").iter().find_map(|l| {
                l.strip_prefix("serving the course at http://")
                    .and_then(|r| r.split('/').next())
                    .and_then(|a| a.parse::<SocketAddr>().ok())
            });
            if let Some(a) = found {
                break a;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("kyozai serve exited: {status}");
            }
            assert!(start.elapsed() < WAIT, "kyozai serve printed no URL");
            std::thread::sleep(Duration::from_millis(5));
        };
        Server {
            child,
            addr,
            stdout,
            startup: start.elapsed(),
        }
    }

    /// The folder the server writes the site into.
    fn out(&self) -> PathBuf {
        kyozai::serve::output_dir(self.child.id())
    }

    fn lines(&self) -> usize {
        self.stdout.lock().expect("lock").len()
    }

    /// Waits for a rebuild line printed after the first `from` lines; returns (ms, incremental).
    fn rebuild_line(&self, from: usize) -> (f64, bool) {
        let start = Instant::now();
        loop {
            let found = self
                .stdout
                .lock()
                .expect("lock")
                .iter()
                .skip(from)
                .find(|l| l.contains(" changed: "))
                .cloned();
            if let Some(l) = found {
                let millis = l
                    .split(" written in ")
                    .nth(1)
                    .and_then(|r| r.split(' ').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(f64::NAN);
                return (millis, l.ends_with("(incremental)"));
            }
            assert!(start.elapsed() < WAIT, "no rebuild line");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Waits until the server has printed nothing for `quiet`.
    fn settle(&self, quiet: Duration) {
        let mut n = self.lines();
        let mut since = Instant::now();
        while since.elapsed() < quiet {
            std::thread::sleep(Duration::from_millis(10));
            if self.lines() != n {
                n = self.lines();
                since = Instant::now();
            }
        }
    }

    /// Ctrl-C; returns how long the server took to exit.
    fn stop(mut self) -> Duration {
        let start = Instant::now();
        interrupt(&self.child);
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "kyozai serve: {status}");
        start.elapsed()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The event stream, each event stamped with the moment it was read.
fn events(addr: SocketAddr) -> Receiver<(Instant, String, String)> {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET /__kyozai/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .expect("send");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let (mut event, mut data) = (String::new(), String::new());
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if line.is_empty() {
                if !event.is_empty()
                    && tx
                        .send((
                            Instant::now(),
                            std::mem::take(&mut event),
                            std::mem::take(&mut data),
                        ))
                        .is_err()
                {
                    return;
                }
            } else if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_owned();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_owned();
            }
        }
    });
    let first = rx.recv_timeout(WAIT).expect("first event");
    assert_eq!(first.1, "ok", "the course does not build: {}", first.2);
    rx
}

/// One kind of edit: the file written, the page that shows it, and the text of version `n`
/// (always different from version `n - 1`) with the marker the page shows for it.
struct Edit {
    kind: &'static str,
    /// Whether the measured save follows an earlier save of the same file by this long (after
    /// that save's reload event), as when an author saves twice in a row.
    again: Option<Duration>,
    file: PathBuf,
    page: String,
    /// The folder of the search index's shards (inside the served folder), one of which gets the
    /// new text.
    search: Option<String>,
    text: Box<dyn Fn(usize) -> (String, String)>,
}

#[derive(Default)]
struct Samples {
    event: Vec<f64>,
    served: Vec<f64>,
    search: Vec<f64>,
    rebuild: Vec<f64>,
    incremental: usize,
}

/// Waits for the next `reload` event; returns when it was read.
fn wait_reload(rx: &Receiver<(Instant, String, String)>, t0: Instant, kind: &str) -> Instant {
    loop {
        match rx.recv_timeout(WAIT.saturating_sub(t0.elapsed())) {
            Ok((at, e, _)) if e == "reload" => return at,
            Ok((_, e, d)) if e == "error" => panic!("{kind}: build error {d}"),
            Ok(_) => continue,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                panic!("{kind}: no reload event")
            }
        }
    }
}

/// Polls `target` until its body contains `marker`; returns the time from `t0`. Polls gently, so
/// as not to take the CPU from the server.
fn wait_served(addr: SocketAddr, target: &str, marker: &str, t0: Instant, kind: &str) -> Duration {
    loop {
        let (status, body) = get(addr, target);
        if status == 200 && body.contains(marker) {
            return t0.elapsed();
        }
        assert!(
            t0.elapsed() < WAIT,
            "{kind}: {target} never showed the edit"
        );
        std::thread::sleep(if t0.elapsed() < Duration::from_millis(300) {
            Duration::from_millis(2)
        } else {
            Duration::from_millis(20)
        });
    }
}

fn measure(
    server: &Server,
    rx: &Receiver<(Instant, String, String)>,
    edit: &Edit,
    reps: usize,
) -> Samples {
    let (status, _) = get(server.addr, &edit.page);
    assert_eq!(status, 200, "{} is not served", edit.page);
    let mut s = Samples::default();
    for n in 0..=reps {
        if let Some(gap) = edit.again {
            // The same file saved once already, `gap` after that save's reload event.
            let from = server.lines();
            let t0 = Instant::now();
            std::fs::write(&edit.file, (edit.text)(1000 + n).0).expect("write the edit");
            wait_reload(rx, t0, edit.kind);
            server.rebuild_line(from);
            std::thread::sleep(gap);
        }
        let (text, marker) = (edit.text)(n + 1);
        while rx.try_recv().is_ok() {}
        let index = edit.search.as_ref().map(|rel| server.out().join(rel));
        let mut shards_before = index.as_deref().map(shards).unwrap_or_default();
        let from = server.lines();
        let t0 = Instant::now();
        std::fs::write(&edit.file, &text).expect("write the edit");
        let event = wait_reload(rx, t0, edit.kind) - t0;
        let served = wait_served(server.addr, &edit.page, &marker, t0, edit.kind);
        // The search index is tens of megabytes at 10,000 pages: rather than fetch it again and
        // again (and take the CPU from the server), watch for the server to replace its shards,
        // and read those it has replaced.
        let search = index.as_deref().map(|dir| loop {
            let now = shards(dir);
            let done = t0.elapsed();
            let got = now
                .iter()
                .filter(|(path, ino)| shards_before.get(*path) != Some(*ino))
                .any(|(path, _)| std::fs::read_to_string(path).is_ok_and(|t| t.contains(&marker)));
            if got {
                break done;
            }
            shards_before = now;
            assert!(
                t0.elapsed() < WAIT,
                "{}: the search index never got the edit",
                edit.kind
            );
            std::thread::sleep(Duration::from_millis(1));
        });
        let (rebuild, incremental) = server.rebuild_line(from);
        server.settle(Duration::from_millis(150));
        if n == 0 {
            continue; // warm-up
        }
        s.event.push(ms(event));
        s.served.push(ms(served));
        if let Some(d) = search {
            s.search.push(ms(d));
        }
        s.rebuild.push(rebuild);
        s.incremental += usize::from(incremental);
    }
    s
}

/// The inode of `path` (the server replaces files by renaming new ones over them), 0 if missing.
/// The text shards of a language's search index (`N.js` in `dir`, not the gram files `gN.js`),
/// each with its inode, which a rewrite changes.
fn shards(dir: &Path) -> std::collections::HashMap<PathBuf, u64> {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Default::default();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".js"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.ino())))
        .collect()
}

/// (median, 90th percentile by nearest rank).
fn stats(v: &[f64]) -> (f64, f64) {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let p90 = ((v.len() as f64 * 0.9).ceil() as usize).clamp(1, v.len()) - 1;
    (v[v.len() / 2], v[p90])
}

fn fmt(v: &[f64]) -> String {
    if v.is_empty() {
        return "-".into();
    }
    let (m, p) = stats(v);
    format!("{m:>7.0} {p:>7.0}")
}

/// Median wall time of `kyozai build DIR -o OUT -q` over `runs` runs after a warm-up.
fn build_time(bin: &Path, dir: &Path, out: &Path, runs: usize) -> f64 {
    let run = || {
        let start = Instant::now();
        let st = Command::new(bin)
            .arg("build")
            .arg(dir)
            .arg("-o")
            .arg(out)
            .arg("-q")
            .status()
            .expect("kyozai build");
        assert!(st.success());
        ms(start.elapsed())
    };
    run();
    let v: Vec<f64> = (0..runs).map(|_| run()).collect();
    stats(&v).0
}

/// Inserts `<!-- bench template N -->` into the built-in page template.
fn template(builtin: &str, n: usize) -> (String, String) {
    let marker = format!("<!-- bench template {n} -->");
    assert!(builtin.contains("<article class=\"page\">"));
    (
        builtin.replace(
            "<article class=\"page\">",
            &format!("{marker}<article class=\"page\">"),
        ),
        marker,
    )
}

/// A Markdown edit: the original text with a paragraph that names version `n`.
fn markdown(original: String) -> Box<dyn Fn(usize) -> (String, String)> {
    Box::new(move |n| {
        let marker = format!("livereloadedit{n}z");
        (
            format!(
                "{}\n\nA paragraph added by the benchmark: {marker}.\n",
                original.trim_end()
            ),
            marker,
        )
    })
}

struct Corpus {
    name: String,
    dir: PathBuf,
    pages: usize,
    edits: Vec<Edit>,
}

/// A copy of the bundled course.
fn bundled(repo: &Path, work: &Path) -> Corpus {
    let dir = work.join("bundled");
    for part in ["content", "themes"] {
        copy_tree(&repo.join(part), &dir.join(part));
    }
    std::fs::copy(repo.join("kyozai.toml"), dir.join("kyozai.toml")).expect("copy kyozai.toml");
    let builtin = std::fs::read_to_string(repo.join("themes/default/templates/page.html"))
        .expect("page.html");
    let md = dir.join("content/01-awareness/01-impact.en.md");
    let original = std::fs::read_to_string(&md).expect("page");
    let cases = dir.join("content/data/cases.cases.toml");
    let cases_text = std::fs::read_to_string(&cases).expect("cases");
    let id = cases_text
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|r| r.split('"').next())
        .expect("a case id")
        .to_owned();
    let title_line = cases_text
        .lines()
        .find(|l| l.starts_with("title = {") && l.contains(" en = \""))
        .expect("a case title")
        .to_owned();
    let pages = count_pages(&dir.join("content"), ".en.md");
    let edits = vec![
        Edit {
            kind: "markdown",
            again: None,
            file: md.clone(),
            page: "/en/awareness/impact/".into(),
            search: Some("search/en".into()),
            text: markdown(original.clone()),
        },
        Edit {
            kind: "md again",
            again: Some(Duration::from_millis(200)),
            file: md,
            page: "/en/awareness/impact/".into(),
            search: Some("search/en".into()),
            text: markdown(original),
        },
        Edit {
            kind: "data",
            again: None,
            file: cases,
            page: format!("/en/cases/{id}/"),
            search: None,
            text: Box::new(move |n| {
                let marker = format!("Edited {n}: ");
                let line = title_line.replacen(" en = \"", &format!(" en = \"{marker}"), 1);
                (cases_text.replacen(&title_line, &line, 1), marker)
            }),
        },
        Edit {
            kind: "template",
            again: None,
            file: dir.join("themes/default/templates/page.html"),
            page: "/en/awareness/impact/".into(),
            search: None,
            text: Box::new(move |n| template(&builtin, n)),
        },
    ];
    Corpus {
        name: "bundled".into(),
        dir,
        pages,
        edits,
    }
}

/// A synthetic course of `pages` pages per language, with a list data file, a page embedding it
/// and a template override.
fn synthetic(repo: &Path, work: &Path, pages: usize) -> Corpus {
    let dir = work.join(format!("synthetic-{pages}"));
    corpus::generate(&dir, pages).expect("generate the corpus");
    let list = |n: usize| {
        format!("[[list]]\nid = \"bench\"\nstyle = \"bullets\"\ntitle = {{ ja = \"ベンチ\", en = \"Bench\" }}\n[[list.item]]\ntext = {{ ja = \"項目{n}\", en = \"Benchmark item {n} end\" }}\n")
    };
    write(&dir.join("content/data/x.lists.toml"), &list(0));
    for (lang, title) in [("ja", "ベンチの節"), ("en", "Benchmark section")] {
        write(
            &dir.join(format!("content/c001/t-bench.{lang}.md")),
            &format!("+++\ntitle = \"{title}\"\n+++\n```{{list}}\nid = \"bench\"\n```\n"),
        );
    }
    let builtin = std::fs::read_to_string(repo.join("themes/default/templates/page.html"))
        .expect("page.html");
    let page_html = dir.join("themes/default/templates/page.html");
    write(&page_html, &template(&builtin, 0).0);
    let chapter = (pages / 51 / 2).max(1);
    let md = dir.join(format!("content/c{chapter:03}/s025.en.md"));
    let md = if md.exists() {
        md
    } else {
        dir.join("content/c001/s001.en.md")
    };
    let page = format!(
        "/en/{}/",
        md.strip_prefix(dir.join("content"))
            .expect("inside")
            .with_extension("")
            .with_extension("")
            .to_string_lossy()
    );
    let original = std::fs::read_to_string(&md).expect("page");
    let edits = vec![
        Edit {
            kind: "markdown",
            again: None,
            file: md.clone(),
            page: page.clone(),
            search: Some("search/en".into()),
            text: markdown(original.clone()),
        },
        Edit {
            kind: "md again",
            again: Some(Duration::from_millis(200)),
            file: md,
            page: page.clone(),
            search: Some("search/en".into()),
            text: markdown(original),
        },
        Edit {
            kind: "data",
            again: None,
            file: dir.join("content/data/x.lists.toml"),
            page: "/en/c001/t-bench/".into(),
            search: None,
            text: Box::new(move |n| (list(n), format!("Benchmark item {n} end"))),
        },
        Edit {
            kind: "template",
            again: None,
            file: page_html,
            page,
            search: None,
            text: Box::new(move |n| template(&builtin, n)),
        },
    ];
    let pages = count_pages(&dir.join("content"), ".en.md");
    Corpus {
        name: "synthetic".into(),
        dir,
        pages,
        edits,
    }
}

fn count_pages(dir: &Path, suffix: &str) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            n += count_pages(&p, suffix);
        } else if p.to_string_lossy().ends_with(suffix) {
            n += 1;
        }
    }
    n
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let total: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let pages = total.div_ceil(2);
    let reps: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(15);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = match std::env::var_os("KYOZAI_BENCH_BIN") {
        Some(b) => PathBuf::from(b),
        None => {
            let status = Command::new("cargo")
                .args(["build", "--release", "--quiet"])
                .current_dir(&repo)
                .status()
                .expect("cargo build");
            assert!(status.success());
            repo.join("target/release/kyozai")
        }
    };
    let only = std::env::var("KYOZAI_BENCH_ONLY").ok();
    let perf = std::env::var_os("KYOZAI_BENCH_PERF").map(PathBuf::from);
    let work = repo.join("target/bench-serve");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("mkdir");
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("kyozai serve live-reload latency: {reps} edits of each kind after one warm-up, {cpus} CPUs; times in ms from the file write");
    println!("(a) reload event at the client, (b) new page served, (c) new text in the search index; rebuild: what the server prints\n");
    for name in ["bundled", "synthetic"] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let corpus = match name {
            "bundled" => bundled(&repo, &work),
            _ => synthetic(&repo, &work, pages),
        };
        let build = build_time(&bin, &corpus.dir, &work.join("build-out"), 3);
        let server = Server::start(&bin, &corpus.dir);
        let rx = events(server.addr);
        println!("{} ({} pages per language): full `kyozai build` {build:.0} ms; serve ready after {:.0} ms", corpus.name, corpus.pages, ms(server.startup));
        println!(
            "  {:<9} {:>15} {:>15} {:>15} {:>15}  incremental",
            "edit", "(a) med   p90", "(b) med   p90", "(c) med   p90", "rebuild med p90"
        );
        for edit in &corpus.edits {
            let recorder = perf.as_ref().map(|dir| {
                std::fs::create_dir_all(dir).expect("mkdir");
                let out = dir.join(format!("{name}-{}.data", edit.kind));
                let child = Command::new("perf")
                    .args(["record", "-g", "-F", "2000", "-o"])
                    .arg(&out)
                    .args(["-p", &server.child.id().to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("start perf");
                std::thread::sleep(Duration::from_millis(500));
                child
            });
            let s = measure(&server, &rx, edit, reps);
            if let Some(mut child) = recorder {
                interrupt(&child);
                let _ = child.wait();
            }
            println!(
                "  {:<9} {:>15} {:>15} {:>15} {:>15}  {}/{}",
                edit.kind,
                fmt(&s.event),
                fmt(&s.served),
                fmt(&s.search),
                fmt(&s.rebuild),
                s.incremental,
                s.event.len()
            );
        }
        let stop = server.stop();
        println!("  Ctrl-C to exit: {:.0} ms\n", ms(stop));
        let _ = std::fs::remove_dir_all(&corpus.dir);
    }
    let _ = std::fs::remove_dir_all(&work);
}
