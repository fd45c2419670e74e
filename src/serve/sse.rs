//! Live-reload state and event stream for `kyozai serve`.
//!
//! [`LiveState`] is shared by the watcher, which reports finished builds with
//! [`LiveState::reload`] and failed ones with [`LiveState::set_error`], and by the
//! HTTP server in `http.rs`, which streams those changes to every open page as
//! Server-Sent Events on `/__kyozai/events`. This module also writes what the
//! server adds to HTML pages: the client script tags and, while a build error is
//! set, the error overlay, so that a page opened during the error shows it at once.

use std::io::{self, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How often an idle event stream gets a comment line, so dead clients are noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often an event stream checks the stop flag while it waits for events.
const POLL: Duration = Duration::from_millis(200);
/// What the server adds before `</head>` of every HTML page.
const HEAD_TAGS: &str = "<link rel=\"stylesheet\" href=\"/__kyozai/live.css\" data-kyozai>\
<script src=\"/__kyozai/live.js\" defer></script>";

/// A build error as the overlay shows it: where it is, what is wrong, and the text around it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorReport {
    /// The file the error is in, as the author knows it (relative to the course).
    pub path: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column (in characters) of the error.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// Source lines around the error, each with its 1-based line number.
    pub snippet: Vec<(usize, String)>,
}

impl ErrorReport {
    /// The report as a JSON object, the data of the `error` event.
    pub fn to_json(&self) -> String {
        let help = self
            .help
            .as_deref()
            .map_or_else(|| "null".to_owned(), json_string);
        let snippet: Vec<String> = self
            .snippet
            .iter()
            .map(|(n, text)| format!("[{n},{}]", json_string(text)))
            .collect();
        format!(
            "{{\"path\":{},\"line\":{},\"column\":{},\"message\":{},\"help\":{help},\"snippet\":[{}]}}",
            json_string(&self.path),
            self.line,
            self.column,
            json_string(&self.message),
            snippet.join(",")
        )
    }
}

/// What the server and the watcher share: the folder being served, the current
/// build error, and the browsers listening for changes.
pub struct LiveState {
    inner: Mutex<Inner>,
}

struct Inner {
    root: PathBuf,
    error: Option<ErrorReport>,
    clients: Vec<(u64, Sender<String>)>,
    next_id: u64,
}

impl LiveState {
    /// State serving `root`, the output folder of the build, with no error set.
    #[must_use]
    pub fn new(root: PathBuf) -> Arc<LiveState> {
        Arc::new(LiveState {
            inner: Mutex::new(Inner {
                root,
                error: None,
                clients: Vec::new(),
                next_id: 0,
            }),
        })
    }

    /// Serve `root` from now on (the build may write a new folder and swap it in).
    pub fn set_root(&self, root: PathBuf) {
        self.lock().root = root;
    }

    /// The folder being served.
    pub fn root(&self) -> PathBuf {
        self.lock().root.clone()
    }

    /// Tell every connected browser to reload the page, or only to refetch its
    /// stylesheets when `css_only` is true.
    pub fn reload(&self, css_only: bool) {
        let mut inner = self.lock();
        inner.broadcast(&frame("reload", &format!("{{\"css_only\":{css_only}}}")));
    }

    /// Show `err` in every connected browser, or remove the overlay with `None`.
    pub fn set_error(&self, err: Option<ErrorReport>) {
        let mut inner = self.lock();
        let message = match &err {
            Some(report) => frame("error", &report.to_json()),
            None if inner.error.is_none() => return,
            None => frame("ok", "{}"),
        };
        inner.error = err;
        inner.broadcast(&message);
    }

    /// The current build error, if any.
    pub fn error(&self) -> Option<ErrorReport> {
        self.lock().error.clone()
    }

    /// How many browsers are connected to the event stream. One that went away
    /// is counted until the next event or heartbeat fails to reach it.
    pub fn clients(&self) -> usize {
        self.lock().clients.len()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Register a listener; returns its id, its queue and the event describing the
    /// current state, taken under the same lock so no change falls in between.
    fn subscribe(&self) -> (u64, Receiver<String>, String) {
        let mut inner = self.lock();
        let (tx, rx) = mpsc::channel();
        let id = inner.next_id;
        inner.next_id += 1;
        inner.clients.push((id, tx));
        let first = match &inner.error {
            Some(report) => frame("error", &report.to_json()),
            None => frame("ok", "{}"),
        };
        (id, rx, first)
    }

    fn unsubscribe(&self, id: u64) {
        self.lock().clients.retain(|(client, _)| *client != id);
    }
}

impl Inner {
    fn broadcast(&mut self, message: &str) {
        self.clients
            .retain(|(_, tx)| tx.send(message.to_owned()).is_ok());
    }
}

/// One Server-Sent Events message. `data` never holds a newline (it is JSON).
fn frame(event: &str, data: &str) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Answer `GET /__kyozai/events`: send the current state, then every change,
/// until the client goes away or `stop` is set. `head_only` answers a HEAD request.
pub(crate) fn serve_events(
    state: &LiveState,
    stream: &mut TcpStream,
    head_only: bool,
    stop: &AtomicBool,
) -> io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          X-Content-Type-Options: nosniff\r\nX-Accel-Buffering: no\r\n\r\n",
    )?;
    if head_only {
        return Ok(());
    }
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let (id, rx, first) = state.subscribe();
    let result = pump(stream, &rx, &first, stop);
    state.unsubscribe(id);
    result
}

fn pump(
    stream: &mut TcpStream,
    rx: &Receiver<String>,
    first: &str,
    stop: &AtomicBool,
) -> io::Result<()> {
    stream.write_all(format!("retry: 1000\n\n{first}").as_bytes())?;
    stream.flush()?;
    let mut last_write = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(POLL) {
            Ok(message) => stream.write_all(message.as_bytes())?,
            Err(RecvTimeoutError::Timeout) if last_write.elapsed() >= HEARTBEAT => {
                stream.write_all(b": heartbeat\n\n")?;
            }
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        }
        stream.flush()?;
        last_write = Instant::now();
    }
    Ok(())
}

/// `html` with the live-reload tags before `</head>` (or after `<body…>`, or at the
/// end) and, when `error` is set, the overlay right after `<body…>` (or at the end).
pub(crate) fn inject(html: &[u8], error: Option<&ErrorReport>) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + 4096);
    let body = body_content_start(html);
    let (tags_at, overlay_at) = match find_tag(html, b"</head") {
        Some(head_end) => (head_end, body.unwrap_or(html.len()).max(head_end)),
        None => {
            let at = body.unwrap_or(html.len());
            (at, at)
        }
    };
    out.extend_from_slice(&html[..tags_at]);
    out.extend_from_slice(HEAD_TAGS.as_bytes());
    out.extend_from_slice(&html[tags_at..overlay_at]);
    if let Some(report) = error {
        out.extend_from_slice(overlay_html(report).as_bytes());
    }
    out.extend_from_slice(&html[overlay_at..]);
    out
}

/// Index just after the `<body …>` start tag, if there is one.
fn body_content_start(html: &[u8]) -> Option<usize> {
    let start = find_tag(html, b"<body")?;
    let mut quote = None;
    for (i, &b) in html.iter().enumerate().skip(start + 5) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// First `name` (ASCII, lowercase) in `html`, matched without case and
/// followed by the end of the tag name.
fn find_tag(html: &[u8], name: &[u8]) -> Option<usize> {
    (0..html.len().saturating_sub(name.len() - 1)).find(|&i| {
        html[i..i + name.len()].eq_ignore_ascii_case(name)
            && html
                .get(i + name.len())
                .is_none_or(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
    })
}

/// The overlay as HTML, with the same structure `live.js` builds.
fn overlay_html(report: &ErrorReport) -> String {
    let mut html = String::from(
        "<div id=\"kyozai-overlay\" role=\"alertdialog\" aria-modal=\"true\" aria-live=\"assertive\" \
         aria-labelledby=\"kyozai-overlay-title\" aria-describedby=\"kyozai-overlay-message\">\
         <div class=\"kyozai-overlay-box\"><div class=\"kyozai-overlay-head\">\
         <h2 id=\"kyozai-overlay-title\">Build error</h2>\
         <button type=\"button\" class=\"kyozai-overlay-close\" aria-label=\"Close\">\u{d7}</button></div>",
    );
    html.push_str(&format!(
        "<p class=\"kyozai-overlay-loc\">{}:{}:{}</p><p id=\"kyozai-overlay-message\" class=\"kyozai-overlay-message\">{}</p>",
        escape(&report.path),
        report.line,
        report.column,
        escape(&report.message)
    ));
    if let Some(help) = &report.help {
        html.push_str(&format!(
            "<p class=\"kyozai-overlay-help\">help: {}</p>",
            escape(help)
        ));
    }
    if !report.snippet.is_empty() {
        let width = report
            .snippet
            .iter()
            .map(|(n, _)| n.to_string().len())
            .max()
            .unwrap_or(1);
        html.push_str("<pre class=\"kyozai-overlay-snippet\">");
        for (n, text) in &report.snippet {
            let is_error = *n == report.line;
            let (class, mark) = if is_error {
                (" kyozai-line-error", "&gt;")
            } else {
                ("", " ")
            };
            html.push_str(&format!(
                "<span class=\"kyozai-line{class}\"><span class=\"kyozai-ln\">{mark}{n:>width$} | </span>"
            ));
            let chars: Vec<char> = text.chars().collect();
            match report
                .column
                .checked_sub(1)
                .filter(|&c| is_error && c < chars.len())
            {
                Some(c) => {
                    let before: String = chars[..c].iter().collect();
                    let after: String = chars[c + 1..].iter().collect();
                    html.push_str(&format!(
                        "{}<mark>{}</mark>{}",
                        escape(&before),
                        escape(&chars[c].to_string()),
                        escape(&after)
                    ));
                }
                None => html.push_str(&escape(text)),
            }
            html.push_str("</span>\n");
        }
        html.push_str("</pre>");
    }
    html.push_str("</div></div>");
    html
}

/// `text` safe to put in HTML text or a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::http::tests::Site;
    use super::*;
    use std::io::Read;
    use std::thread;

    fn report() -> ErrorReport {
        ErrorReport {
            path: "content/01-a<b>.md".into(),
            line: 3,
            column: 2,
            message: "unknown directive \"<script>\"\n& more".into(),
            help: Some("did you mean `:::note`?".into()),
            snippet: vec![(2, "前の行".into()), (3, "x<y>".into())],
        }
    }

    #[test]
    fn json_escapes_everything_that_needs_it() {
        let json = report().to_json();
        assert_eq!(
            json,
            "{\"path\":\"content/01-a<b>.md\",\"line\":3,\"column\":2,\
             \"message\":\"unknown directive \\\"<script>\\\"\\n& more\",\
             \"help\":\"did you mean `:::note`?\",\"snippet\":[[2,\"前の行\"],[3,\"x<y>\"]]}"
        );
        assert!(!json.contains('\n'));
        assert_eq!(json_string("a\u{1}b\u{2028}"), "\"a\\u0001b\\u2028\"");
        let none = ErrorReport {
            help: None,
            ..ErrorReport::default()
        }
        .to_json();
        assert!(none.contains("\"help\":null"), "{none}");
    }

    #[test]
    fn tags_go_before_head_end_and_overlay_after_body() {
        let html = b"<!DOCTYPE html><HTML><Head><title>t</title></HEAD>\n<body class=\"a>b\">text</body></html>";
        let out = String::from_utf8(inject(html, Some(&report()))).unwrap();
        let tags = out.find(HEAD_TAGS).unwrap();
        assert_eq!(&out[tags + HEAD_TAGS.len()..][..7], "</HEAD>");
        let overlay = out.find("<div id=\"kyozai-overlay\"").unwrap();
        assert!(out[..overlay].ends_with("<body class=\"a>b\">"), "{out}");
        assert!(out.contains("unknown directive &quot;&lt;script&gt;&quot;\n&amp; more"));
        assert!(out.contains("content/01-a&lt;b&gt;.md:3:2"));
        assert!(out.contains(
            "<span class=\"kyozai-line kyozai-line-error\"><span class=\"kyozai-ln\">&gt;3 | </span>x<mark>&lt;</mark>y&gt;</span>"
        ));
        assert!(out.contains(
            "<span class=\"kyozai-line\"><span class=\"kyozai-ln\"> 2 | </span>前の行</span>"
        ));
        assert!(!out.contains("<script>"));
    }

    #[test]
    fn tags_without_head_go_after_body_or_at_the_end() {
        let out = inject(b"<body><p>x</p>", None);
        assert_eq!(out, format!("<body>{HEAD_TAGS}<p>x</p>").into_bytes());
        let out = inject(b"<p>x</p>", Some(&report()));
        assert!(
            out.starts_with(format!("<p>x</p>{HEAD_TAGS}<div id=\"kyozai-overlay\"").as_bytes())
        );
        // `<bodyguard>` and `</header>` are not `<body>` and `</head>`.
        let out = inject(b"<header></header><bodyguard>", None);
        assert_eq!(
            out,
            format!("<header></header><bodyguard>{HEAD_TAGS}").into_bytes()
        );
    }

    #[test]
    fn state_tracks_errors_and_listeners() {
        let state = LiveState::new(PathBuf::from("/site"));
        let (id, rx, first) = state.subscribe();
        assert_eq!(first, "event: ok\ndata: {}\n\n");
        assert_eq!(state.clients(), 1);
        state.set_error(None); // nothing to clear: no event
        state.reload(true);
        assert_eq!(
            rx.try_recv().unwrap(),
            "event: reload\ndata: {\"css_only\":true}\n\n"
        );
        state.set_error(Some(report()));
        assert_eq!(rx.try_recv().unwrap(), frame("error", &report().to_json()));
        assert_eq!(state.subscribe().2, frame("error", &report().to_json()));
        state.set_error(None);
        assert_eq!(rx.try_recv().unwrap(), "event: ok\ndata: {}\n\n");
        // The second listener's queue is gone: the last event dropped it.
        assert_eq!(state.clients(), 1);
        state.unsubscribe(id);
        assert_eq!(state.clients(), 0);
        state.set_root(PathBuf::from("/other"));
        assert_eq!(state.root(), PathBuf::from("/other"));
    }

    /// An open `/__kyozai/events` stream of a test server.
    struct Events {
        stream: TcpStream,
        buffer: Vec<u8>,
    }

    impl Events {
        fn open(site: &Site) -> Events {
            let mut events = Events {
                stream: site.connect("GET", "/__kyozai/events"),
                buffer: Vec::new(),
            };
            let head = events.until(b"\r\n\r\n");
            assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
            assert!(
                head.contains("Content-Type: text/event-stream\r\n"),
                "{head}"
            );
            events
        }

        fn until(&mut self, end: &[u8]) -> String {
            loop {
                if let Some(at) = self.buffer.windows(end.len()).position(|w| w == end) {
                    let taken: Vec<u8> = self.buffer.drain(..at + end.len()).collect();
                    return String::from_utf8(taken).unwrap();
                }
                let mut chunk = [0u8; 4096];
                let n = self.stream.read(&mut chunk).unwrap();
                assert!(n > 0, "stream closed");
                self.buffer.extend_from_slice(&chunk[..n]);
            }
        }

        /// The next named event as (event, data), skipping `retry:` and comments.
        fn next(&mut self) -> (String, String) {
            loop {
                let message = self.until(b"\n\n");
                let field = |name: &str| {
                    message
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(str::to_owned)
                };
                if let (Some(event), Some(data)) = (field("event: "), field("data: ")) {
                    return (event, data);
                }
            }
        }
    }

    fn named(event: &str, data: &str) -> (String, String) {
        (event.to_owned(), data.to_owned())
    }

    #[test]
    fn browsers_hear_reloads_errors_and_recovery() {
        let site = Site::new(&[
            (
                "index.html",
                "<html><head></head><body><p>page</p></body></html>",
            ),
            ("a.css", "p{}"),
        ]);
        let mut events = Events::open(&site);
        assert_eq!(events.next(), named("ok", "{}"));
        assert_eq!(site.state.clients(), 1);
        site.state.reload(false);
        assert_eq!(events.next(), named("reload", "{\"css_only\":false}"));
        site.state.reload(true);
        assert_eq!(events.next(), named("reload", "{\"css_only\":true}"));

        let mut report = report();
        report.message = "bad <script>alert(1)</script> & \"quotes\"".into();
        site.state.set_error(Some(report.clone()));
        assert_eq!(events.next(), named("error", &report.to_json()));
        // A browser connecting now hears the error first.
        let mut late = Events::open(&site);
        assert_eq!(late.next(), named("error", &report.to_json()));
        let page = site.get("/").text();
        let overlay = page
            .find("<div id=\"kyozai-overlay\" role=\"alertdialog\"")
            .expect("overlay");
        assert!(page[..overlay].ends_with("<body>"), "{page}");
        assert!(page.contains("bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
        assert!(
            page.contains("content/01-a&lt;b&gt;.md:3:2")
                && page.contains("did you mean `:::note`?")
        );
        assert!(!page.contains("<script>alert"));
        assert_eq!(site.get("/a.css").text(), "p{}");

        site.state.set_error(None);
        assert_eq!(events.next(), named("ok", "{}"));
        assert_eq!(late.next(), named("ok", "{}"));
        let page = site.get("/").text();
        assert!(!page.contains("kyozai-overlay") && page.contains("/__kyozai/live.js"));
        drop(late);
        // A closed stream is dropped when a write to it fails (the first may not).
        let dropped = (0..100).any(|_| {
            site.state.reload(true);
            thread::sleep(Duration::from_millis(20));
            site.state.clients() == 1
        });
        assert!(dropped);
        assert_eq!(events.next().0, "reload");
    }

    #[test]
    fn head_of_the_event_stream_is_only_headers() {
        let site = Site::new(&[]);
        let reply = site.request("HEAD", "/__kyozai/events");
        assert_eq!(
            (reply.status, reply.header("Content-Type")),
            (200, Some("text/event-stream"))
        );
        assert!(reply.body.is_empty());
        assert_eq!(site.state.clients(), 0);
    }
}
