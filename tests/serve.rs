//! `kyozai serve` end to end: the real binary serves a small course on a free port while the test
//! edits the course the ways authors and their editors do (plain writes, atomic saves, renames,
//! deletions, new folders, data, theme and configuration files, syntax errors), listens to the
//! event stream as a browser would, and checks what is served over plain HTTP. A burst of 500
//! edits must end in exactly the files a fresh `kyozai build --drafts` writes, and Ctrl-C must stop
//! the server cleanly.
//!
//! `KYOZAI_SERVE_SEED` changes the order of the burst's edits (the seed is printed on failure).

mod common;

use nix::sys::signal::Signal;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the server adds before `</head>` of every HTML page it serves.
const HEAD_TAGS: &str = "<link rel=\"stylesheet\" href=\"/__kyozai/live.css\" data-kyozai><script src=\"/__kyozai/live.js\" defer></script>";
/// The start of the element right after them, with the error overlay's words.
const WORDS_DATA: &str = "<script type=\"application/json\" id=\"kyozai-live-words\">";
/// Longest wait for anything the server should do by itself.
const WAIT: Duration = Duration::from_secs(20);

/// The shared base course plus data files, a glossary term, a page embedding a case and a third
/// section that nothing links to (so it can be renamed and deleted).
const EXTRA: &[(&str, &str)] = &[
    ("content/data/kinds.categories.toml", "[[category]]\nid = \"attack\"\nja = \"攻撃\"\nen = \"Attack\"\n"),
    (
        "content/data/incidents.cases.toml",
        "[[case]]\nid = \"case-a\"\ncategory = \"attack\"\ncountry = \"JP\"\ndate = \"2020-05\"\ntitle = { ja = \"事例A\", en = \"Case A\" }\norganisation = { ja = \"A病院\", en = \"A Hospital\" }\nsummary = { ja = \"要約。\", en = \"Summary.\" }\n\n\
         [[case]]\nid = \"case-b\"\ncategory = \"attack\"\ncountry = \"GB\"\ntitle = { ja = \"事例B\", en = \"Case B\" }\norganisation = { ja = \"B病院\", en = \"B Hospital\" }\nsummary = { ja = \"要約B。\", en = \"Summary B.\" }\n",
    ),
    ("content/data/terms.glossary.toml", "[[term]]\nid = \"ransomware\"\nja = { term = \"ランサムウェア\", definition = \"身代金を要求する不正プログラム。\" }\nen = { term = \"ransomware\", definition = \"Malware that demands a ransom.\" }\n"),
    ("content/01-intro/01-first.ja.md", "+++\ntitle = \"最初の節\"\nsummary = \"要約\"\n+++\n## 明示の例\n\n本文です。ランサムウェアに注意します。[次へ](02-second.md#詳細)\n\n```{cases}\nids = [\"case-a\"]\n```\n"),
    ("content/01-intro/01-first.en.md", "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody. Beware of ransomware. [Next](02-second.md#details)\n\n```{cases}\nids = [\"case-a\"]\n```\n"),
    ("content/01-intro/03-third.ja.md", "+++\ntitle = \"三番目の節\"\n+++\n三番目の本文。\n"),
    ("content/01-intro/03-third.en.md", "+++\ntitle = \"Third section\"\n+++\nThird body.\n"),
];

fn course() -> tempfile::TempDir {
    let dir = common::course(common::BASE);
    common::write_files(dir.path(), EXTRA);
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The first section's English text with `body` as its paragraph.
fn first_en(body: &str) -> String {
    format!("+++\ntitle = \"First section\"\n+++\n## Examples\n\n{body} [Next](02-second.md#details)\n\n```{{cases}}\nids = [\"case-a\"]\n```\n")
}

/// A parsed HTTP response.
struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(": ")?;
            key.eq_ignore_ascii_case(name).then_some(value)
        })
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect to the server");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no response head for {target}: {:?}",
                String::from_utf8_lossy(&raw)
            )
        });
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line for {target}: {head}"));
    Reply {
        status,
        head,
        body: raw[end + 4..].to_vec(),
    }
}

/// Lines a child writes, collected by a thread.
fn collect_lines(pipe: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

/// A running `kyozai serve`, killed when dropped so that a failing test leaks no process.
struct Server {
    child: Child,
    addr: SocketAddr,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kyozai"))
            .arg("serve")
            .arg(dir)
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kyozai serve");
        let stdout = collect_lines(child.stdout.take().unwrap());
        let stderr = collect_lines(child.stderr.take().unwrap());
        let start = Instant::now();
        let addr = loop {
            let found = stdout.lock().unwrap().iter().find_map(|l| {
                let rest = l.strip_prefix("serving the course at http://")?;
                let (addr, tail) = rest.split_once('/')?;
                assert_eq!(tail, "  (Ctrl-C to stop)", "{l}");
                addr.parse::<SocketAddr>().ok()
            });
            if let Some(addr) = found {
                break addr;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "kyozai serve exited with {status}: {:?}",
                    stderr.lock().unwrap()
                );
            }
            assert!(
                start.elapsed() < WAIT,
                "no URL printed; stdout {:?}, stderr {:?}",
                stdout.lock().unwrap(),
                stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        assert!(addr.ip().is_loopback(), "{addr}");
        Server {
            child,
            addr,
            stdout,
            stderr,
        }
    }

    /// The folder the server writes the site into.
    fn out(&self) -> PathBuf {
        kyozai::serve::output_dir(self.child.id())
    }

    fn get(&self, target: &str) -> Reply {
        get(self.addr, target)
    }

    /// The page at `target`, which must be served (200) as HTML.
    fn page(&self, target: &str) -> String {
        let r = self.get(target);
        assert_eq!(r.status, 200, "{target}: {}", r.text());
        assert_eq!(
            r.header("Content-Type"),
            Some("text/html; charset=utf-8"),
            "{target}"
        );
        r.text()
    }

    fn events(&self) -> Events {
        Events::connect(self.addr)
    }

    fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    fn lines(&self) -> usize {
        self.stdout.lock().unwrap().len() + self.stderr.lock().unwrap().len()
    }

    /// Waits until the server has printed nothing for `quiet` (the last rebuild and its search
    /// indexes are done).
    fn settle(&self, quiet: Duration) {
        let start = Instant::now();
        let mut count = self.lines();
        let mut since = Instant::now();
        while since.elapsed() < quiet {
            std::thread::sleep(Duration::from_millis(10));
            let now = self.lines();
            if now != count {
                count = now;
                since = Instant::now();
            }
            assert!(
                start.elapsed() < WAIT * 2,
                "the server never went quiet: {:?}",
                self.stdout()
            );
        }
    }

    /// Waits until stdout has a line after the first `from` that contains `text`; returns it.
    fn wait_line(&self, from: usize, text: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(l) = self
                .stdout
                .lock()
                .unwrap()
                .iter()
                .skip(from)
                .find(|l| l.contains(text))
            {
                return l.clone();
            }
            assert!(
                start.elapsed() < WAIT,
                "no line with {text:?}; stdout {:?}, stderr {:?}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
            let _ = std::fs::remove_dir_all(self.out());
        }
    }
}

/// A client of `/__kyozai/events`: a thread parses the stream into (event, data) pairs.
struct Events {
    rx: Receiver<(String, String)>,
    stream: TcpStream,
    /// The first event, which tells the state at the time of connecting.
    first: (String, String),
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect to the event stream");
        write!(
            stream,
            "GET /__kyozai/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let reader = stream.try_clone().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(reader).lines();
            let status = lines.next().and_then(Result::ok).unwrap_or_default();
            assert!(status.starts_with("HTTP/1.1 200"), "{status}");
            let mut text_event_stream = false;
            for line in lines.by_ref() {
                let Ok(line) = line else { return };
                if line.is_empty() {
                    break;
                }
                text_event_stream |= line.eq_ignore_ascii_case("Content-Type: text/event-stream");
            }
            assert!(
                text_event_stream,
                "the event stream is not text/event-stream"
            );
            let (mut event, mut data) = (String::new(), String::new());
            for line in lines {
                let Ok(line) = line else { return };
                if line.is_empty() {
                    if !event.is_empty()
                        && tx
                            .send((std::mem::take(&mut event), std::mem::take(&mut data)))
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
        // The stream starts with the current state.
        let first = rx.recv_timeout(WAIT).expect("a first event");
        assert!(
            first.0 == "ok" || first.0 == "error",
            "first event {first:?}"
        );
        Events { rx, stream, first }
    }

    fn next(&self, timeout: Duration) -> Option<(String, String)> {
        match self.rx.recv_timeout(timeout) {
            Ok(e) => Some(e),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Waits for an event named `want`, failing on any event not in `tolerate`; returns its data.
    fn expect(&self, want: &str, tolerate: &[&str], what: &str) -> String {
        let start = Instant::now();
        let mut seen = Vec::new();
        loop {
            let left = WAIT.saturating_sub(start.elapsed());
            match self.next(left) {
                Some((e, d)) if e == want => return d,
                Some((e, d)) if tolerate.contains(&e.as_str()) => seen.push((e, d)),
                Some((e, d)) => panic!("{what}: expected `{want}`, got `{e}` {d} (after {seen:?})"),
                None => panic!("{what}: no `{want}` event within {WAIT:?} (saw {seen:?})"),
            }
        }
    }

    /// Discards the events already received.
    fn drain(&self) -> Vec<(String, String)> {
        let mut v = Vec::new();
        while let Some(e) = self.next(Duration::ZERO) {
            v.push(e);
        }
        v
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

impl Events {
    /// Whether the server closed the stream within `timeout` (events before the end are skipped).
    fn closed_within(&self, timeout: Duration) -> bool {
        let start = Instant::now();
        loop {
            match self
                .rx
                .recv_timeout(timeout.saturating_sub(start.elapsed()))
            {
                Ok(_) => continue,
                Err(RecvTimeoutError::Disconnected) => return true,
                Err(RecvTimeoutError::Timeout) => return false,
            }
        }
    }
}

/// Lets the rebuilds of one step finish and returns the events they sent, none of which may be
/// an error.
fn settle(server: &Server, events: &Events, what: &str) -> Vec<(String, String)> {
    server.settle(Duration::from_millis(150));
    let rest = events.drain();
    assert!(
        !rest.iter().any(|(e, _)| e == "error"),
        "{what}: unexpected error {rest:?}; stderr {:?}",
        server.stderr()
    );
    rest
}

/// Checks a rebuild line: `<file> changed: N files written in X ms[ (incremental)]`.
fn check_line(line: &str, file: &str, incremental: bool) {
    let rest = line
        .strip_prefix(&format!("{file} changed: "))
        .unwrap_or_else(|| panic!("{line}"));
    let words: Vec<&str> = rest.split(' ').collect();
    assert!(
        words.len() >= 6
            && words[0].parse::<usize>().is_ok()
            && words[1..4] == ["files", "written", "in"]
            && words[4].parse::<f64>().is_ok()
            && words[5] == "ms",
        "{line}"
    );
    assert_eq!(
        words.get(6) == Some(&"(incremental)"),
        incremental,
        "{line}"
    );
}

/// Polls `cond` until it holds (up to [`WAIT`]).
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < WAIT, "{what}: not within {WAIT:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every file under `dir` by `/`-separated relative path.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Folders under `dir` that hold no file at any depth.
fn empty_folders(dir: &Path) -> Vec<String> {
    fn walk(d: &Path, root: &Path, out: &mut Vec<String>) -> bool {
        let mut has_file = false;
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            has_file |= if p.is_dir() {
                walk(&p, root, out)
            } else {
                true
            };
        }
        if !has_file && d != root {
            out.push(d.strip_prefix(root).unwrap().to_string_lossy().into_owned());
        }
        has_file
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn url_path(rel: &str) -> String {
    let mut s = String::from("/");
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// A small deterministic random number generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) % n
    }
}

/// The start of the element in which the server gives a page the current build error, for the
/// client to show it in the error overlay.
const ERROR_DATA: &str = "<script type=\"application/json\" id=\"kyozai-live-error\">";

/// The build error a served page carries (see [`ERROR_DATA`]), parsed.
fn page_error(html: &str) -> Option<serde_json::Value> {
    let data = &html[html.find(ERROR_DATA)? + ERROR_DATA.len()..];
    let json = &data[..data.find("</script>").expect("the element ends")];
    Some(serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}")))
}

#[test]
fn every_kind_of_edit_reaches_the_browser() {
    let dir = course();
    let root = dir.path();
    let c = root.join("content");
    let server = Server::start(root);
    assert!(
        server.stdout()[0].starts_with("built ") && server.stdout()[0].ends_with(" files"),
        "{:?}",
        server.stdout()
    );
    let events = server.events();
    assert_eq!(events.first.0, "ok");
    assert!(
        server.page("/en/intro/first/").contains(HEAD_TAGS),
        "the live-reload client is injected"
    );

    // A page's body: only that page (and its handouts) is rendered again.
    let before = server.stdout().len();
    write(
        &c.join("01-intro/01-first.en.md"),
        &first_en("Body edited once."),
    );
    assert_eq!(
        events.expect("reload", &[], "body edit"),
        "{\"css_only\":false}"
    );
    assert!(server
        .page("/en/intro/first/")
        .contains("Body edited once."));
    check_line(
        &server.wait_line(before, " changed: "),
        "content/01-intro/01-first.en.md",
        true,
    );
    settle(&server, &events, "body edit");

    // Atomic saves: a temporary file renamed over the page.
    // gedit and GLib: a hidden temporary file.
    let tmp = c.join("01-intro/.goutputstream-K2X4Q1");
    write(&tmp, &first_en("Saved through a hidden temporary file."));
    std::fs::rename(&tmp, c.join("01-intro/01-first.en.md")).unwrap();
    events.expect("reload", &[], "atomic save (hidden temporary)");
    assert!(server
        .page("/en/intro/first/")
        .contains("Saved through a hidden temporary file."));
    settle(&server, &events, "atomic save (hidden temporary)");
    // JetBrains IDEs: a temporary file kyozai does not ignore by name.
    let before = server.stdout().len();
    let tmp = c.join("01-intro/01-first.en.md___jb_tmp___");
    write(&tmp, &first_en("Saved through a visible temporary file."));
    std::fs::rename(&tmp, c.join("01-intro/01-first.en.md")).unwrap();
    events.expect("reload", &[], "atomic save (visible temporary)");
    assert!(server
        .page("/en/intro/first/")
        .contains("Saved through a visible temporary file."));
    settle(&server, &events, "atomic save (visible temporary)");
    assert_eq!(
        server
            .get("/media/01-intro/01-first.en.md___jb_tmp___")
            .status,
        404,
        "the temporary file was published"
    );
    assert!(
        server.stdout()[before..]
            .iter()
            .any(|l| l.ends_with("(incremental)")),
        "an atomic save of a body edit is incremental: {:?}",
        &server.stdout()[before..]
    );
    // Vim: probe file 4913, the page renamed to a backup, the new text written, the backup removed.
    write(&c.join("01-intro/4913"), "");
    std::fs::remove_file(c.join("01-intro/4913")).unwrap();
    std::fs::rename(
        c.join("01-intro/01-first.en.md"),
        c.join("01-intro/01-first.en.md~"),
    )
    .unwrap();
    write(
        &c.join("01-intro/01-first.en.md"),
        &first_en("Saved the way Vim saves."),
    );
    std::fs::remove_file(c.join("01-intro/01-first.en.md~")).unwrap();
    events.expect("reload", &["error", "ok"], "Vim save");
    eventually("Vim save served", || {
        server
            .page("/en/intro/first/")
            .contains("Saved the way Vim saves.")
    });
    settle(&server, &events, "Vim save");
    assert_eq!(server.get("/media/01-intro/4913").status, 404);

    // Renaming a page (both languages) moves it.
    for lang in ["ja", "en"] {
        std::fs::rename(
            c.join(format!("01-intro/03-third.{lang}.md")),
            c.join(format!("01-intro/04-fourth.{lang}.md")),
        )
        .unwrap();
    }
    events.expect("reload", &["error", "ok"], "rename");
    eventually("renamed page served", || {
        server.get("/en/intro/fourth/").status == 200
    });
    settle(&server, &events, "rename");
    assert!(server.page("/en/intro/fourth/").contains("Third body."));
    assert_eq!(server.get("/en/intro/third/").status, 404);
    assert!(
        server
            .page("/ja/intro/")
            .contains("intro/fourth/index.html"),
        "the chapter lists the renamed section"
    );

    // Deleting it.
    for lang in ["ja", "en"] {
        std::fs::remove_file(c.join(format!("01-intro/04-fourth.{lang}.md"))).unwrap();
    }
    events.expect("reload", &["error", "ok"], "delete");
    eventually("deleted page gone", || {
        server.get("/en/intro/fourth/").status == 404
    });
    settle(&server, &events, "delete");
    assert!(!server.page("/en/intro/").contains("fourth"));
    assert!(!server.get("/sitemap.xml").text().contains("fourth"));

    // A new page in a new chapter folder, made in place.
    write(
        &c.join("02-more/_index.ja.md"),
        "+++\ntitle = \"続きの章\"\n+++\n続き。\n",
    );
    write(
        &c.join("02-more/_index.en.md"),
        "+++\ntitle = \"More chapter\"\n+++\nMore.\n",
    );
    write(
        &c.join("02-more/01-new.ja.md"),
        "+++\ntitle = \"新しい節\"\n+++\n新しい本文。\n",
    );
    write(
        &c.join("02-more/01-new.en.md"),
        "+++\ntitle = \"New section\"\n+++\nA brand new page.\n",
    );
    events.expect("reload", &["error", "ok"], "new chapter");
    eventually("new page served", || {
        server.get("/en/more/new/").status == 200 && server.get("/ja/more/new/").status == 200
    });
    settle(&server, &events, "new chapter");
    assert!(server.page("/en/more/new/").contains("A brand new page."));
    assert!(
        server.page("/en/").contains("More chapter"),
        "the home lists the new chapter"
    );
    // A chapter folder made elsewhere and moved in whole, then edited inside.
    let staging = tempfile::Builder::new()
        .prefix("kyozai-staging-")
        .tempdir_in(root.parent().unwrap())
        .unwrap();
    let moved = staging.path().join("03-moved");
    write(
        &moved.join("_index.ja.md"),
        "+++\ntitle = \"移した章\"\n+++\n移した。\n",
    );
    write(
        &moved.join("_index.en.md"),
        "+++\ntitle = \"Moved chapter\"\n+++\nMoved in whole.\n",
    );
    write(
        &moved.join("01-inside.ja.md"),
        "+++\ntitle = \"中の節\"\n+++\n中の本文。\n",
    );
    write(
        &moved.join("01-inside.en.md"),
        "+++\ntitle = \"Inside section\"\n+++\nInside, first version.\n",
    );
    std::fs::rename(&moved, c.join("03-moved")).unwrap();
    events.expect("reload", &[], "chapter folder moved in");
    assert!(server
        .page("/en/moved/inside/")
        .contains("Inside, first version."));
    settle(&server, &events, "chapter folder moved in");
    write(
        &c.join("03-moved/01-inside.en.md"),
        "+++\ntitle = \"Inside section\"\n+++\nInside, second version.\n",
    );
    events.expect("reload", &[], "edit inside the moved folder");
    assert!(
        server
            .page("/en/moved/inside/")
            .contains("Inside, second version."),
        "the moved-in folder is watched"
    );
    settle(&server, &events, "edit inside the moved folder");

    // A data file: the page that embeds the case and the case's own page change.
    let cases = c.join("data/incidents.cases.toml");
    let text = std::fs::read_to_string(&cases).unwrap();
    write(
        &cases,
        &text.replace("en = \"Case A\"", "en = \"Case A revised\""),
    );
    events.expect("reload", &[], "data edit");
    assert!(server.page("/en/intro/first/").contains("Case A revised"));
    assert!(server.page("/en/cases/case-a/").contains("Case A revised"));
    settle(&server, &events, "data edit");

    // A theme stylesheet (a course override of the built-in one): stylesheets only.
    let builtin_css = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css"),
    )
    .unwrap();
    for n in 1..=2 {
        let css = format!("{builtin_css}\n:root {{ --kyozai-test-marker: {n}; }}\n");
        write(&root.join("themes/default/static/style.css"), &css);
        assert_eq!(
            events.expect("reload", &[], "stylesheet edit"),
            "{\"css_only\":true}",
            "stylesheet edit {n}"
        );
        let r = server.get("/static/style.css");
        assert_eq!(
            (r.status, r.header("Content-Type")),
            (200, Some("text/css; charset=utf-8"))
        );
        assert_eq!(r.text(), css, "stylesheet edit {n}");
        settle(&server, &events, "stylesheet edit");
    }
    // A theme template: every page changes.
    let builtin_page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .unwrap();
    assert!(builtin_page.contains("<article class=\"page\">"));
    write(
        &root.join("themes/default/templates/page.html"),
        &builtin_page.replace(
            "<article class=\"page\">",
            "<!-- template marker --><article class=\"page\">",
        ),
    );
    assert_eq!(
        events.expect("reload", &[], "template edit"),
        "{\"css_only\":false}"
    );
    assert!(server
        .page("/ja/intro/second/")
        .contains("<!-- template marker -->"));
    settle(&server, &events, "template edit");

    // The theme's UI strings, then the whole override folder removed: back to the built-in theme.
    write(
        &root.join("themes/default/i18n/en.toml"),
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n/en.toml"),
        )
        .unwrap()
        .replace("\"Previous\"", "\"Back\""),
    );
    events.expect("reload", &[], "UI strings edit");
    assert!(server
        .page("/en/intro/second/")
        .contains("<span class=\"dir\">Back</span>"));
    settle(&server, &events, "UI strings edit");
    std::fs::remove_dir_all(root.join("themes")).unwrap();
    events.expect("reload", &[], "theme folder removed");
    assert_eq!(server.get("/static/style.css").text(), builtin_css);
    assert!(!server
        .page("/ja/intro/second/")
        .contains("<!-- template marker -->"));
    settle(&server, &events, "theme folder removed");

    // A figure: added, then changed.
    for (n, svg) in [
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>",
    ]
    .iter()
    .enumerate()
    {
        write(&c.join("01-intro/figures/shape.svg"), svg);
        events.expect("reload", &[], "figure");
        let r = server.get("/media/01-intro/figures/shape.svg");
        assert_eq!(
            (r.status, r.text().as_str()),
            (200, *svg),
            "figure version {n}"
        );
        settle(&server, &events, "figure");
    }

    // kyozai.toml.
    let config = root.join("kyozai.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    write(
        &config,
        &text.replace("en = \"Test course\"", "en = \"Test course renamed\""),
    );
    events.expect("reload", &[], "configuration edit");
    assert!(server.page("/en/").contains("Test course renamed"));
    settle(&server, &events, "configuration edit");

    // A syntax error: the error event, the overlay on every page, the old text underneath.
    let second = c.join("01-intro/02-second.en.md");
    let good = std::fs::read_to_string(&second).unwrap();
    write(
        &second,
        "+++\ntitle = \"Second section\"\n## Details\n\nThe front matter never ends.\n",
    );
    let json = events.expect("error", &[], "unterminated front matter");
    let report: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(report["path"], "content/01-intro/02-second.en.md", "{json}");
    assert_eq!(
        (report["line"].as_u64(), report["column"].as_u64()),
        (Some(1), Some(1)),
        "{json}"
    );
    let message = report["message"].as_str().unwrap();
    assert!(message.contains("never closed"), "{json}");
    assert!(
        report["snippet"].as_array().is_some_and(|s| !s.is_empty()
            && s.iter()
                .all(|l| l["line"].is_u64() && l["text"].is_string())),
        "{json}"
    );
    eventually("the error printed", || {
        server.stderr().iter().any(|l| l.contains("never closed"))
    });
    let pages: Vec<String> = files_under(&server.out())
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert!(pages.len() > 20, "{pages:?}");
    for p in &pages {
        let html = server.get(&url_path(p)).text();
        assert_eq!(
            page_error(&html).as_ref(),
            Some(&report),
            "{p} lacks the error"
        );
        assert_eq!(html.matches("id=\"kyozai-live-error\"").count(), 1, "{p}");
    }
    let missing = server.get("/no/such/page/");
    assert!(
        missing.status == 404 && page_error(&missing.text()).as_ref() == Some(&report),
        "the 404 page shows the error too"
    );
    assert!(!server
        .get("/static/style.css")
        .text()
        .contains("kyozai-live-error"));
    let old = server.page("/en/intro/second/");
    assert!(
        old.contains("Second section") && old.contains("Body."),
        "the last good page stays underneath"
    );
    let late = server.events();
    assert_eq!(
        late.first,
        ("error".to_owned(), json.clone()),
        "a page opened during the error gets it at once"
    );
    drop(late);
    settle(
        &server,
        &events,
        "unterminated front matter (no second error)",
    );
    write(&second, &good);
    events.expect("ok", &["reload"], "fixed front matter");
    settle(&server, &events, "fixed front matter");
    for p in &pages {
        assert!(
            page_error(&server.get(&url_path(p)).text()).is_none(),
            "{p} still shows the error"
        );
    }
    assert_eq!(server.events().first.0, "ok");

    // An error found while re-rendering one page (a link to a missing heading), then fixed.
    let first = c.join("01-intro/01-first.en.md");
    write(&first, "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody.\n\nSee [nowhere](02-second.md#nowhere).\n");
    let json = events.expect("error", &[], "broken anchor");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["path"], "content/01-intro/01-first.en.md", "{json}");
    assert_eq!(report["line"].as_u64(), Some(8), "{json}");
    assert!(
        report["message"].as_str().unwrap().contains("nowhere"),
        "{json}"
    );
    assert!(page_error(&server.page("/en/intro/first/")).is_some_and(|e| e["line"] == 8));
    assert!(
        server
            .page("/en/intro/first/")
            .contains("Saved the way Vim saves."),
        "the last good text stays underneath"
    );
    write(&first, &first_en("Fixed again."));
    events.expect("ok", &[], "fixed anchor");
    events.expect("reload", &[], "fixed anchor");
    let html = server.page("/en/intro/first/");
    assert!(html.contains("Fixed again.") && page_error(&html).is_none());
    settle(&server, &events, "fixed anchor");

    // Ways out of the served folder are refused, whatever the spelling.
    let course_name = root.file_name().unwrap().to_string_lossy().into_owned();
    let attempts = [
        "/../kyozai.toml".to_owned(),
        "/%2e%2e/%2e%2e/etc/passwd".to_owned(),
        "/..%2f..%2fetc/passwd".to_owned(),
        "//etc/passwd".to_owned(),
        format!("/../{course_name}/kyozai.toml"),
        format!("/%2e%2e/{course_name}/kyozai.toml"),
        format!("/..%2f{course_name}%2fkyozai.toml"),
        format!("/en/../../{course_name}/kyozai.toml"),
        "/..\\..\\etc\\passwd".to_owned(),
        "/%252e%252e/%252e%252e/etc/passwd".to_owned(),
        "/static/../../../../etc/passwd".to_owned(),
    ];
    for target in &attempts {
        let r = server.get(target);
        assert!(matches!(r.status, 403 | 404), "{target}: {}", r.status);
        let text = r.text();
        assert!(
            !text.contains("root:") && !text.contains("source_language"),
            "{target} leaked a file"
        );
    }
    assert!(
        !server.stderr().iter().any(|l| l.contains("panicked")),
        "{:?}",
        server.stderr()
    );
}

#[test]
fn a_burst_of_edits_ends_in_what_a_fresh_build_writes() {
    let dir = course();
    let root = dir.path();
    let c = root.join("content");
    let server = Server::start(root);
    let events = server.events();
    let seed: u64 = std::env::var("KYOZAI_SERVE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let mut rng = Rng(seed | 1);
    let mut third = "03-third";
    let mut extra = false;
    let config = std::fs::read_to_string(root.join("kyozai.toml")).unwrap();
    let cases = std::fs::read_to_string(c.join("data/incidents.cases.toml")).unwrap();
    let glossary = std::fs::read_to_string(c.join("data/terms.glossary.toml")).unwrap();
    let start = Instant::now();
    for i in 0..500 {
        match rng.below(12) {
            0 | 1 => write(&c.join("01-intro/01-first.en.md"), &first_en(&format!("Edit {i}.{}", if i % 3 == 0 { " Beware of ransomware." } else { "" }))),
            2 => write(&c.join("01-intro/01-first.ja.md"), &format!("+++\ntitle = \"最初の節\"\nsummary = \"要約\"\n+++\n## 明示の例\n\n編集{i}。{}[次へ](02-second.md#詳細)\n\n```{{cases}}\nids = [\"case-{}\"]\n```\n", if i % 2 == 0 { "ランサムウェア。" } else { "" }, if i % 4 == 0 { "b" } else { "a" })),
            // Sometimes renames the heading the first section links to: a broken link until the
            // next edit of this file.
            3 => write(&c.join("01-intro/02-second.en.md"), &format!("+++\ntitle = \"Second section\"\n+++\n## {}\n\nBody {i}.\n", if i % 5 == 0 { format!("Details {i}") } else { "Details".to_owned() })),
            4 => write(&c.join("data/incidents.cases.toml"), &cases.replace("en = \"Case A\"", &format!("en = \"Case A, version {i}\""))),
            5 => {
                let next = if third == "03-third" { "03-renamed" } else { "03-third" };
                for lang in ["ja", "en"] {
                    std::fs::rename(c.join(format!("01-intro/{third}.{lang}.md")), c.join(format!("01-intro/{next}.{lang}.md"))).unwrap();
                }
                third = next;
            }
            6 => {
                let tmp = c.join(format!("01-intro/.02-second.ja.md.{i}"));
                write(&tmp, &format!("+++\ntitle = \"二番目の節\"\n+++\n## 詳細\n\n本文{i}。\n"));
                std::fs::rename(&tmp, c.join("01-intro/02-second.ja.md")).unwrap();
            }
            7 => write(&c.join(format!("01-intro/{third}.en.md")), &format!("+++\ntitle = \"Third section, take {i}\"\n+++\nThird body {i}.\n")),
            8 => {
                for lang in ["ja", "en"] {
                    let p = c.join(format!("01-intro/05-extra.{lang}.md"));
                    if extra {
                        std::fs::remove_file(p).unwrap();
                    } else {
                        write(&p, &format!("+++\ntitle = \"Extra {lang} {i}\"\n+++\nExtra page {i}.\n"));
                    }
                }
                extra = !extra;
            }
            9 => write(&root.join("kyozai.toml"), &config.replace("Test course", &format!("Test course {i}"))),
            10 => write(&c.join("data/terms.glossary.toml"), &glossary.replace("Malware that demands a ransom.", &format!("Malware that demands a ransom ({i})."))),
            _ => {
                let dir = c.join("02-burst");
                if dir.exists() {
                    std::fs::remove_dir_all(&dir).unwrap();
                } else {
                    write(&dir.join("_index.ja.md"), &format!("+++\ntitle = \"一時の章{i}\"\n+++\n本文。\n"));
                    write(&dir.join("_index.en.md"), &format!("+++\ntitle = \"Passing chapter {i}\"\n+++\nBody.\n"));
                }
            }
        }
        // Mostly back to back; now and then a pause longer than the debounce, so that rebuilds
        // start while edits are still arriving.
        if rng.below(20) == 0 {
            std::thread::sleep(Duration::from_millis(25 + rng.below(40)));
        } else if rng.below(3) == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    // End in a valid course: restore the heading the first section links to, then a last edit.
    write(
        &c.join("01-intro/02-second.en.md"),
        "+++\ntitle = \"Second section\"\n+++\n## Details\n\nFinal body.\n",
    );
    write(
        &c.join("01-intro/01-first.en.md"),
        &first_en("The last edit of the burst."),
    );
    let burst = start.elapsed();
    eventually("the last edit served", || {
        server
            .get("/en/intro/first/")
            .text()
            .contains("The last edit of the burst.")
    });
    server.settle(Duration::from_millis(700));
    assert!(
        events.drain().iter().any(|(e, _)| e == "reload"),
        "seed {seed}: no reload"
    );
    assert_eq!(
        server.events().first.0,
        "ok",
        "seed {seed}: the course ends valid, so no error may remain; stderr {:?}",
        server.stderr()
    );
    let rebuilds = server
        .stdout()
        .iter()
        .filter(|l| l.contains(" changed: "))
        .count();
    assert!(rebuilds >= 2, "seed {seed}: {:?}", server.stdout());
    eprintln!(
        "500 edits in {burst:?}; {rebuilds} rebuilds:\n{}",
        server.stdout().join("\n")
    );

    assert_same_as_fresh_build(&server, root, &format!("seed {seed}"));
}

/// The served folder, and every file over HTTP, are exactly what `kyozai build --drafts` writes.
fn assert_same_as_fresh_build(server: &Server, root: &Path, what: &str) {
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh_out = fresh_dir.path().join("site");
    let (code, _, err) = common::run(&[
        "build",
        "--drafts",
        &root.to_string_lossy(),
        "-o",
        &fresh_out.to_string_lossy(),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut fresh = files_under(&fresh_out);
    fresh.remove(".kyozai-output");
    fresh.remove(".kyozai-manifest");
    let served = files_under(&server.out());
    let only_fresh: Vec<&String> = fresh.keys().filter(|k| !served.contains_key(*k)).collect();
    let only_served: Vec<&String> = served.keys().filter(|k| !fresh.contains_key(*k)).collect();
    assert!(
        only_fresh.is_empty() && only_served.is_empty(),
        "{what}: missing from the served folder {only_fresh:?}; extra in it {only_served:?}"
    );
    let differ: Vec<&String> = fresh
        .iter()
        .filter(|(k, v)| served[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: differ from a fresh build: {differ:?}"
    );
    // And the same over HTTP (HTML pages with the live-reload client taken out).
    for (path, bytes) in &fresh {
        let r = server.get(&url_path(path));
        assert_eq!(r.status, 200, "{path}");
        let body = if path.ends_with(".html") {
            let text = r.text();
            assert_eq!(text.matches(HEAD_TAGS).count(), 1, "{path}");
            // The client's tags and the overlay's words right after them.
            let at = text.find(HEAD_TAGS).unwrap();
            let words = &text[at + HEAD_TAGS.len()..];
            assert!(words.starts_with(WORDS_DATA), "{path}");
            let end = words.find("</script>").unwrap() + "</script>".len();
            format!("{}{}", &text[..at], &words[end..]).into_bytes()
        } else {
            r.body
        };
        assert!(
            body == *bytes,
            "{what}: {path} is served differently from a fresh build"
        );
    }
}

#[test]
fn removed_pages_leave_no_empty_folders() {
    let dir = course();
    let c = dir.path().join("content");
    let server = Server::start(dir.path());
    let events = server.events();
    for lang in ["ja", "en"] {
        std::fs::rename(
            c.join(format!("01-intro/03-third.{lang}.md")),
            c.join(format!("01-intro/04-fourth.{lang}.md")),
        )
        .unwrap();
    }
    events.expect("reload", &["error", "ok"], "rename");
    eventually("renamed page served", || {
        server.get("/en/intro/fourth/").status == 200
    });
    server.settle(Duration::from_millis(150));
    // The old address answers like any missing page: a 404, not a redirect to an empty folder.
    assert_eq!(server.get("/en/intro/third").status, 404);
    assert_eq!(
        empty_folders(&server.out()),
        Vec::<String>::new(),
        "folders of removed pages are left in the served folder"
    );
}

#[test]
fn ctrl_c_stops_cleanly() {
    let dir = course();
    // Ctrl-C, also during a rebuild, and the signal service managers and `kill` send.
    for (signal, during_rebuild) in [
        (Signal::SIGINT, false),
        (Signal::SIGINT, true),
        (Signal::SIGTERM, false),
    ] {
        let mut server = Server::start(dir.path());
        let out = server.out();
        assert!(out.join("index.html").is_file(), "{}", out.display());
        let events = server.events();
        if during_rebuild {
            write(
                &dir.path().join("kyozai.toml"),
                &std::fs::read_to_string(dir.path().join("kyozai.toml"))
                    .unwrap()
                    .replace("Test course", "Test course again"),
            );
            std::thread::sleep(Duration::from_millis(30));
        }
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(server.child.id() as i32), signal)
            .expect("signal the server");
        let start = Instant::now();
        let status = loop {
            if let Some(s) = server.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "still running 10 s after Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        assert_eq!(
            status.code(),
            Some(0),
            "{status}; stderr {:?}",
            server.stderr()
        );
        assert!(
            events.closed_within(Duration::from_secs(5)),
            "the event stream was left open"
        );
        assert!(!out.exists(), "{} was left behind", out.display());
        eventually("the last line", || {
            server.stdout().last().is_some_and(|l| l == "stopped")
        });
        assert!(server.stderr().is_empty(), "{:?}", server.stderr());
    }
}

#[test]
fn folders_of_servers_killed_outright_are_removed() {
    // The pid of a process that has ended: a server with it was killed without cleaning up.
    let mut gone = Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let left = kyozai::serve::output_dir(gone.id());
    write(&left.join("index.html"), "left behind");
    let dir = course();
    let server = Server::start(dir.path());
    assert!(server.out().join("index.html").is_file());
    assert!(!left.exists(), "{} was left", left.display());
}

#[test]
fn a_course_broken_at_start_is_served_once_fixed() {
    let dir = course();
    let second = dir.path().join("content/01-intro/02-second.en.md");
    let good = std::fs::read_to_string(&second).unwrap();
    write(&second, "+++\ntitle = \"Second section\"\n");
    let server = Server::start(dir.path());
    let events = server.events();
    assert_eq!(events.first.0, "error");
    assert!(
        events
            .first
            .1
            .contains("\"path\":\"content/01-intro/02-second.en.md\""),
        "{}",
        events.first.1
    );
    let home = server.page("/");
    assert!(
        page_error(&home).is_some_and(|e| e["message"]
            .as_str()
            .is_some_and(|m| m.contains("never closed"))),
        "{home}"
    );
    write(&second, &good);
    events.expect("ok", &[], "fixed");
    events.expect("reload", &[], "fixed");
    let page = server.page("/en/intro/second/");
    assert!(page.contains("Second section") && page_error(&page).is_none());
}

// After a failed rebuild the next one must not start from the last good state as if nothing had
// been edited since: the edits that failed are still on disk.

#[test]
fn a_page_that_failed_to_rebuild_is_rendered_once_the_course_is_valid() {
    let dir = course();
    let c = dir.path().join("content");
    let server = Server::start(dir.path());
    let events = server.events();
    // A page links to a heading its target does not have yet: an error. Adding the heading to the
    // target makes the course valid, and the first page must show its new text.
    write(
        &c.join("01-intro/01-first.en.md"),
        &first_en("See [later](02-second.md#later)."),
    );
    events.expect("error", &[], "link to a missing heading");
    write(
        &c.join("01-intro/02-second.en.md"),
        "+++\ntitle = \"Second section\"\n+++\n## Details\n\nBody.\n\n## Later\n\nAdded.\n",
    );
    events.expect("ok", &["reload"], "heading added");
    settle(&server, &events, "heading added");
    let html = server.page("/en/intro/first/");
    let content = html
        .split("<div class=\"content\">")
        .nth(1)
        .unwrap_or("")
        .split("</div>")
        .next()
        .unwrap_or("");
    assert!(
        content.contains("See <a href=\"../../../en/intro/second/index.html#later\">later</a>."),
        "the first page still shows the text from before the error: {content}"
    );
}

#[test]
fn an_unreadable_page_stays_an_error_while_another_page_is_edited() {
    let dir = course();
    let c = dir.path().join("content");
    let server = Server::start(dir.path());
    let events = server.events();
    let second_ja = c.join("01-intro/02-second.ja.md");
    let good = std::fs::read_to_string(&second_ja).unwrap();
    write(&second_ja, "+++\ntitle = \"二番目の節\"\n");
    events.expect("error", &[], "unterminated front matter");
    write(
        &c.join("01-intro/01-first.en.md"),
        &first_en("Edited while another page is broken."),
    );
    server.settle(Duration::from_millis(300));
    let rest = events.drain();
    assert!(
        !rest.iter().any(|(e, _)| e == "ok"),
        "the overlay was removed while 02-second.ja.md is still broken: {rest:?}"
    );
    assert!(
        page_error(&server.page("/en/intro/first/")).is_some(),
        "the overlay was removed while 02-second.ja.md is still broken"
    );
    write(&second_ja, &good);
    events.expect("ok", &["reload", "error"], "fixed");
    settle(&server, &events, "fixed");
    assert!(server
        .page("/en/intro/first/")
        .contains("Edited while another page is broken."));
}

#[test]
fn a_broken_data_file_stays_an_error_while_a_page_is_edited() {
    let dir = course();
    let c = dir.path().join("content");
    let server = Server::start(dir.path());
    let events = server.events();
    let cases = c.join("data/incidents.cases.toml");
    let good = std::fs::read_to_string(&cases).unwrap();
    write(
        &cases,
        &good
            .replace("en = \"Case A\"", "en = \"Case A, half edited\"")
            .replace("id = \"case-b\"", "id = "),
    );
    events.expect("error", &[], "broken data file");
    write(
        &c.join("01-intro/01-first.en.md"),
        &first_en("Edited while the data file is broken."),
    );
    server.settle(Duration::from_millis(300));
    let rest = events.drain();
    assert!(
        !rest.iter().any(|(e, _)| e == "ok"),
        "the overlay was removed while the data file is still broken: {rest:?}"
    );
    write(
        &cases,
        &good.replace("en = \"Case A\"", "en = \"Case A, fixed\""),
    );
    events.expect("ok", &["reload", "error"], "fixed");
    settle(&server, &events, "fixed");
    let html = server.page("/en/intro/first/");
    assert!(
        html.contains("Edited while the data file is broken.") && html.contains("Case A, fixed")
    );
}

#[test]
fn edits_made_during_the_first_build_are_not_lost() {
    let dir = course();
    let page = dir.path().join("content/01-intro/01-first.en.md");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyozai"))
        .arg("serve")
        .arg(dir.path())
        .args(["--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kyozai serve");
    let out = kyozai::serve::output_dir(child.id());
    // Keep editing the page until the first build writes its files: the last edit comes after
    // the build has read the page.
    let start = Instant::now();
    let mut n = 0;
    while !out.join("index.html").exists() {
        n += 1;
        write(
            &page,
            &first_en(&format!("Edited during the first build, version {n}.")),
        );
        std::thread::sleep(Duration::from_millis(1));
        if start.elapsed() > WAIT {
            let _ = child.kill();
            panic!("the first build wrote nothing");
        }
    }
    let stdout = collect_lines(child.stdout.take().unwrap());
    let stderr = collect_lines(child.stderr.take().unwrap());
    let server = Server {
        child,
        addr: "127.0.0.1:1".parse().unwrap(),
        stdout,
        stderr,
    };
    let addr = {
        let start = Instant::now();
        loop {
            let found = server.stdout().iter().find_map(|l| {
                l.strip_prefix("serving the course at http://")?
                    .split('/')
                    .next()?
                    .parse::<SocketAddr>()
                    .ok()
            });
            if let Some(a) = found {
                break a;
            }
            assert!(start.elapsed() < WAIT, "no URL: {:?}", server.stderr());
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    let want = format!("Edited during the first build, version {n}.");
    let start = Instant::now();
    loop {
        let html = get(addr, "/en/intro/first/").text();
        if html.contains(&want) {
            break;
        }
        let shown = html
            .find("Edited during the first build")
            .map(|at| html[at..].split('.').next().unwrap_or("").to_owned());
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the last edit made during the first build ({want}) is never served; the page shows {shown:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_data_edit_renders_what_embeds_it_and_ends_as_a_fresh_build() {
    let dir = course();
    let root = dir.path();
    let cases = root.join("content/data/incidents.cases.toml");
    let server = Server::start(root);
    let events = server.events();
    let text = std::fs::read_to_string(&cases).unwrap();

    // A case's title: the page that embeds it, its own page and the library, incrementally.
    let before = server.stdout().len();
    write(
        &cases,
        &text.replace("en = \"Case A\"", "en = \"Case A retitled\""),
    );
    events.expect("reload", &[], "data edit");
    check_line(
        &server.wait_line(before, " changed: "),
        "content/data/incidents.cases.toml",
        true,
    );
    for page in ["/en/intro/first/", "/en/cases/case-a/", "/en/cases/"] {
        assert!(server.page(page).contains("Case A retitled"), "{page}");
    }
    settle(&server, &events, "data edit");
    eventually("the search index has the new title", || {
        server
            .get("/search/en/0.js")
            .text()
            .contains("Case A retitled")
    });
    assert_same_as_fresh_build(&server, root, "after an incremental data edit");

    // A new case: a page appears, so everything is built again.
    let before = server.stdout().len();
    let added = format!(
        "{text}\n[[case]]\nid = \"case-c\"\ncategory = \"attack\"\ncountry = \"JP\"\n\
         title = {{ ja = \"事例C\", en = \"Case C\" }}\norganisation = {{ ja = \"C病院\", en = \"C Hospital\" }}\n\
         summary = {{ ja = \"要約C。\", en = \"Summary C.\" }}\n"
    );
    write(&cases, &added);
    events.expect("reload", &[], "new case");
    check_line(
        &server.wait_line(before, " changed: "),
        "content/data/incidents.cases.toml",
        false,
    );
    assert!(server.page("/en/cases/case-c/").contains("Case C"));
    settle(&server, &events, "new case");
    assert_same_as_fresh_build(&server, root, "after a case was added");
}

#[test]
fn a_section_edit_renders_its_chapters_deck_again() {
    let dir = course();
    let root = dir.path();
    let server = Server::start(root);
    let events = server.events();
    assert!(server
        .page("/en/slides/intro/")
        .contains("Beware of ransomware."));
    let before = server.stdout().len();
    write(
        &root.join("content/01-intro/01-first.en.md"),
        &first_en("Edited for the slides."),
    );
    events.expect("reload", &[], "body edit");
    // Rendered again on the quick path, with the other pages of the chapter left alone.
    check_line(
        &server.wait_line(before, " changed: "),
        "content/01-intro/01-first.en.md",
        true,
    );
    let deck = server.page("/en/slides/intro/");
    assert!(
        deck.contains("Edited for the slides."),
        "the deck shows the edit"
    );
    assert!(!deck.contains("Beware of ransomware."));
    assert!(server
        .page("/en/slides/intro/notes.html")
        .contains("Edited for the slides."));
    settle(&server, &events, "body edit");
}

#[test]
fn text_edits_one_after_another_end_as_a_fresh_build() {
    // The progress data keeps all but the edition between page-text edits: after several, and
    // after a data edit between them, it is what a fresh build writes.
    let dir = course();
    let root = dir.path();
    let server = Server::start(root);
    let events = server.events();
    let edition = |server: &Server| {
        let js = server.get("/en/progress/data.js").text();
        let at = js.find("\"edition\":\"").expect("an edition") + 11;
        js[at..at + 16].to_string()
    };
    let cases = root.join("content/data/incidents.cases.toml");
    let text = std::fs::read_to_string(&cases).unwrap();
    let mut seen = vec![edition(&server)];
    for i in 0..5 {
        let before = server.stdout().len();
        if i == 2 {
            write(
                &cases,
                &text.replace("en = \"Case A\"", "en = \"Case A again\""),
            );
        } else {
            write(
                &root.join("content/01-intro/01-first.en.md"),
                &first_en(&format!("Text edit {i}.")),
            );
        }
        events.expect("reload", &[], "text edit");
        let line = server.wait_line(before, " changed: ");
        assert!(line.contains("(incremental)"), "{line}");
        settle(&server, &events, "text edit");
        let now = edition(&server);
        assert!(!seen.contains(&now), "edit {i} gave a new edition");
        seen.push(now);
        assert_same_as_fresh_build(&server, root, &format!("after text edit {i}"));
    }
}
