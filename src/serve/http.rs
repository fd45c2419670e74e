//! Static file server for `kyozai serve`: a small HTTP/1.1 server on
//! [`std::net::TcpListener`] that serves the built site from the output folder. Requests are
//! parsed by `httparse`; what is ours is containment, the 404 page and the live-reload injection.
//!
//! One thread per connection, at most [`MAX_CONNECTIONS`] at once (more get a
//! 503), one request per connection (`Connection: close`), GET and HEAD only.
//! Files are served from the root folder and nowhere else: paths with `..`,
//! encoded slashes or dots, backslashes, NUL, double encoding or `//` are
//! refused, and every file is canonicalized and checked to lie inside the root,
//! so a symlink cannot lead out of it. A folder serves its `index.html` (never a
//! listing), a miss serves the root's `404.html`. HTML pages get the live-reload
//! client injected; the client and its event stream live under `/__kyozai/`
//! (see `sse.rs`, `live.rs` and `inject.rs`).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

pub use super::live::{ErrorReport, LiveState};
use super::{inject, sse};
use crate::percent::encode_segment as percent_encode;

/// Connections served at once; one more is answered 503.
pub const MAX_CONNECTIONS: usize = 64;
/// How many ports after the asked one [`bind`] tries.
const PORT_SPAN: u16 = 100;
/// Longest request head read.
const MAX_HEAD: usize = 16 * 1024;
/// Headers of a request the parser makes room for (none is used).
const MAX_HEADERS: usize = 64;
/// Files up to this size are read whole, so a file rewritten while it is sent
/// cannot break the response; larger ones are streamed.
const READ_WHOLE: u64 = 8 * 1024 * 1024;
/// How long the accept loop sleeps when no connection is waiting.
const ACCEPT_POLL: Duration = Duration::from_millis(3);

const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");

/// Bind `addr:port`, or the next free port up to `port + 100` when it is taken.
/// Port 0 lets the system pick any free port.
///
/// # Errors
/// The last bind error when no port in the range is free, or the first error
/// that is not about the port being taken (such as an address not on this machine).
pub fn bind(addr: IpAddr, port: u16) -> io::Result<TcpListener> {
    if port == 0 {
        return TcpListener::bind((addr, 0));
    }
    let mut last_error = None;
    for candidate in port..=port.saturating_add(PORT_SPAN) {
        match TcpListener::bind((addr, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::AddrInUse | io::ErrorKind::PermissionDenied
                ) =>
            {
                last_error = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::new(io::ErrorKind::AddrInUse, "no free port")))
}

/// Serve `state`'s root on `listener` until `stop` is set (checked every 25 ms).
/// Connections already open finish on their own; event streams end within 200 ms.
///
/// # Errors
/// Only when the listener cannot be made non-blocking: failures to accept or to
/// answer one connection never stop the server.
pub fn run(listener: TcpListener, state: Arc<LiveState>, stop: Arc<AtomicBool>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let active = Arc::new(AtomicUsize::new(0));
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => dispatch(stream, &state, &stop, &active),
            // Nothing waiting, or a passing failure (a client that gave up, too many
            // open files): wait and go on, a dev server should not die of these.
            Err(_) => thread::sleep(ACCEPT_POLL),
        }
    }
    Ok(())
}

/// Decrements the count of open connections when the connection's thread ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn dispatch(
    stream: TcpStream,
    state: &Arc<LiveState>,
    stop: &Arc<AtomicBool>,
    active: &Arc<AtomicUsize>,
) {
    if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
        active.fetch_sub(1, Ordering::SeqCst);
        refuse(stream);
        return;
    }
    let slot = Slot(Arc::clone(active));
    let (state, stop) = (Arc::clone(state), Arc::clone(stop));
    // If the thread cannot start, the closure and its slot are dropped with it.
    let _ = thread::Builder::new()
        .name("kyozai-http".into())
        .spawn(move || {
            let _slot = slot;
            handle(stream, &state, &stop);
        });
}

/// Answer 503 without a thread: read what has come of the request (briefly, so
/// closing does not reset the connection before the client reads the answer).
fn refuse(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = stream.set_write_timeout(Some(Duration::from_millis(500)));
    let _ = read_head(&mut stream);
    let mut answer = Answer {
        stream: &mut stream,
        head_only: false,
    };
    let _ = answer.text(
        503,
        "Too many connections; try again.\n",
        &[("Retry-After", "1")],
    );
    let _ = stream.shutdown(Shutdown::Write);
}

fn handle(mut stream: TcpStream, state: &LiveState, stop: &AtomicBool) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let _ = respond(&mut stream, state, stop);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

fn respond(stream: &mut TcpStream, state: &LiveState, stop: &AtomicBool) -> io::Result<()> {
    let Some(head) = read_head(stream)? else {
        return Ok(());
    };
    let request = parse_request_line(&head);
    let head_only = matches!(request, Some(("HEAD", _)));
    let mut answer = Answer { stream, head_only };
    let Some((method, target)) = request else {
        return answer.text(400, "Bad request.\n", &[]);
    };
    if method != "GET" && !head_only {
        return answer.text(405, "Only GET and HEAD.\n", &[("Allow", "GET, HEAD")]);
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    match path {
        "/__kyozai/events" => sse::serve_events(state, answer.stream, head_only, stop),
        "/__kyozai/live.js" => answer.send(
            200,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes(),
            &[],
        ),
        "/__kyozai/live.css" => {
            answer.send(200, "text/css; charset=utf-8", LIVE_CSS.as_bytes(), &[])
        }
        _ => serve_path(&mut answer, state, path, query),
    }
}

/// Read up to the blank line that ends the request head (or [`MAX_HEAD`] bytes), as far as the
/// `httparse` request parser needs. `None` when the client closed without sending anything.
fn read_head(stream: &mut TcpStream) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(Some(head).filter(|head| !head.is_empty()));
        }
        head.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let partial = matches!(
            httparse::Request::new(&mut headers).parse(&head),
            Ok(httparse::Status::Partial)
        );
        if !partial || head.len() > MAX_HEAD {
            return Ok(Some(head));
        }
    }
}

/// Method and target of `GET /path HTTP/1.1`, parsed by `httparse`; `None` unless the request
/// line is well formed, the method in capitals, the target free of control characters and spaces.
/// The headers are not used (every answer closes the connection).
fn parse_request_line(head: &[u8]) -> Option<(&str, &str)> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(head) {
        // The request line is read before the headers: a head cut short or with more headers
        // than we look at still has it.
        Ok(_) | Err(httparse::Error::TooManyHeaders) => {}
        Err(_) => return None,
    }
    let (method, target) = (request.method?, request.path?);
    request.version?;
    let well_formed = !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && !target.is_empty()
        && target.chars().all(|c| !c.is_control() && c != ' ');
    well_formed.then_some((method, target))
}

/// The decoded segments of a request path (a trailing slash gives no segment),
/// or `None` when the path is refused: it tries to leave the root, is not valid
/// percent-encoded UTF-8, or names something no site file can be.
fn decode_path(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    if rest.starts_with('/') || path.contains('\\') {
        return None;
    }
    let raw: Vec<&str> = rest.split('/').collect();
    let mut segments = Vec::with_capacity(raw.len());
    for (i, segment) in raw.iter().enumerate() {
        if segment.is_empty() && i + 1 == raw.len() {
            break;
        }
        let decoded = crate::percent::decode_exact(segment)?;
        if !is_plain_name(&decoded) {
            return None;
        }
        segments.push(decoded);
    }
    Some(segments)
}

/// Whether a decoded segment names one ordinary entry of its folder: not `.` or
/// `..`, no separator, no control character, nothing left to decode (double
/// encoding), and nothing the platform reads as a drive or a stream.
fn is_plain_name(name: &str) -> bool {
    let still_encoded = name
        .as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit());
    let windows_special = cfg!(windows) && (name.contains(':') || name.ends_with(['.', ' ']));
    let mut components = Path::new(name).components();
    !still_encoded
        && !windows_special
        && !name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
        && matches!(components.next(), Some(Component::Normal(n)) if n == name)
        && components.next().is_none()
}

/// What a request path names inside the root.
enum Entry {
    File(PathBuf),
    Folder,
    Missing,
    Outside,
}

/// Look `relative` up inside `root` (canonical), following symlinks only as far
/// as the root: anything that resolves outside it is [`Entry::Outside`].
fn lookup(root: &Path, relative: &Path) -> Entry {
    let Ok(real) = root.join(relative).canonicalize() else {
        return Entry::Missing;
    };
    if !real.starts_with(root) {
        return Entry::Outside;
    }
    match fs::metadata(&real) {
        Ok(meta) if meta.is_file() => Entry::File(real),
        Ok(meta) if meta.is_dir() => Entry::Folder,
        _ => Entry::Missing,
    }
}

fn serve_path(
    answer: &mut Answer,
    state: &LiveState,
    path: &str,
    query: Option<&str>,
) -> io::Result<()> {
    let Some(segments) = decode_path(path) else {
        return answer.text(403, "Forbidden.\n", &[]);
    };
    let Ok(root) = state.root().canonicalize() else {
        return answer.text(404, "Not found: the site is not built yet.\n", &[]);
    };
    let relative: PathBuf = segments.iter().collect();
    match lookup(&root, &relative) {
        Entry::File(file) if !path.ends_with('/') => send_file(answer, state, &file, 200),
        Entry::Folder if !path.ends_with('/') => {
            let mut location = String::from("/");
            for segment in &segments {
                location.push_str(&percent_encode(segment));
                location.push('/');
            }
            if let Some(query) = query {
                location.push('?');
                location.push_str(query);
            }
            answer.text(
                301,
                &format!("Moved to {location}\n"),
                &[("Location", &location)],
            )
        }
        Entry::Folder => match lookup(&root, &relative.join("index.html")) {
            Entry::File(index) => send_file(answer, state, &index, 200),
            _ => not_found(answer, state, &root),
        },
        Entry::Outside => answer.text(403, "Forbidden.\n", &[]),
        Entry::File(_) | Entry::Missing => not_found(answer, state, &root),
    }
}

/// The root's `404.html` with status 404, or a line of text when it has none.
fn not_found(answer: &mut Answer, state: &LiveState, root: &Path) -> io::Result<()> {
    match lookup(root, Path::new("404.html")) {
        Entry::File(page) => send_file(answer, state, &page, 404),
        _ => answer.text(404, "Not found.\n", &[]),
    }
}

/// Send `file`; HTML gets the live-reload client (and the build error, as data) added.
fn send_file(answer: &mut Answer, state: &LiveState, file: &Path, status: u16) -> io::Result<()> {
    let content_type = content_type(file);
    let Ok(mut handle) = File::open(file) else {
        return answer.text(404, "Not found.\n", &[]);
    };
    let len = handle.metadata()?.len();
    if len > READ_WHOLE && !content_type.starts_with("text/html") {
        answer.head(status, content_type, len, &[])?;
        if !answer.head_only {
            io::copy(&mut handle.take(len), answer.stream)?;
        }
        return Ok(());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    handle.read_to_end(&mut bytes)?;
    if content_type.starts_with("text/html") {
        bytes = inject::inject(&bytes, state.error().as_ref(), &state.words());
    }
    answer.send(status, content_type, &bytes, &[])
}

/// The Content-Type for a file, from its extension.
fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// Where one request's answer goes, and whether it is to a HEAD request
/// (headers only). Every answer closes the connection.
struct Answer<'a> {
    stream: &'a mut TcpStream,
    head_only: bool,
}

impl Answer<'_> {
    fn head(
        &mut self,
        status: u16,
        content_type: &str,
        len: u64,
        extra: &[(&str, &str)],
    ) -> io::Result<()> {
        let reason = match status {
            200 => "OK",
            301 => "Moved Permanently",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            _ => "Service Unavailable",
        };
        let mut head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n"
        );
        for (name, value) in extra {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        self.stream.write_all(head.as_bytes())
    }

    fn send(
        &mut self,
        status: u16,
        content_type: &str,
        body: &[u8],
        extra: &[(&str, &str)],
    ) -> io::Result<()> {
        self.head(status, content_type, body.len() as u64, extra)?;
        if !self.head_only {
            self.stream.write_all(body)?;
        }
        Ok(())
    }

    fn text(&mut self, status: u16, text: &str, extra: &[(&str, &str)]) -> io::Result<()> {
        self.send(status, "text/plain; charset=utf-8", text.as_bytes(), extra)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::net::{Ipv4Addr, SocketAddr};
    use std::sync::atomic::AtomicU32;
    use std::thread::JoinHandle;

    const SECRET: &str = "outside the root: never served";
    static NEXT_SITE: AtomicU32 = AtomicU32::new(0);

    /// A site in a fresh temporary folder (`dir/site`, with `dir/secret.txt` beside
    /// it), served on a free port until dropped.
    pub(crate) struct Site {
        pub(crate) dir: PathBuf,
        pub(crate) root: PathBuf,
        pub(crate) addr: SocketAddr,
        pub(crate) state: Arc<LiveState>,
        pub(crate) stop: Arc<AtomicBool>,
        server: Option<JoinHandle<io::Result<()>>>,
    }

    impl Site {
        pub(crate) fn new(files: &[(&str, &str)]) -> Site {
            let n = NEXT_SITE.fetch_add(1, Ordering::SeqCst);
            let dir = std::env::temp_dir().join(format!("kyozai-http-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            let root = dir.join("site");
            fs::create_dir_all(&root).unwrap();
            for (path, text) in files {
                let path = root.join(path);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, text).unwrap();
            }
            fs::write(dir.join("secret.txt"), SECRET).unwrap();
            let listener = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).unwrap();
            let addr = listener.local_addr().unwrap();
            let state = LiveState::new(root.clone());
            let stop = Arc::new(AtomicBool::new(false));
            let (s, st) = (Arc::clone(&state), Arc::clone(&stop));
            let server = Some(thread::spawn(move || run(listener, s, st)));
            Site {
                dir,
                root,
                addr,
                state,
                stop,
                server,
            }
        }

        pub(crate) fn connect(&self, method: &str, target: &str) -> TcpStream {
            let mut stream = TcpStream::connect(self.addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            write!(
                stream,
                "{method} {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"
            )
            .unwrap();
            stream
        }

        pub(crate) fn request(&self, method: &str, target: &str) -> Reply {
            let mut raw = Vec::new();
            self.connect(method, target).read_to_end(&mut raw).unwrap();
            Reply::parse(&raw)
        }

        pub(crate) fn get(&self, target: &str) -> Reply {
            self.request("GET", target)
        }
    }

    impl Drop for Site {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            if let Some(server) = self.server.take() {
                server.join().unwrap().unwrap();
            }
            let _ = fs::remove_dir_all(&self.dir);
        }
    }

    /// A parsed HTTP response.
    pub(crate) struct Reply {
        pub(crate) status: u16,
        pub(crate) head: String,
        pub(crate) body: Vec<u8>,
    }

    impl Reply {
        pub(crate) fn parse(raw: &[u8]) -> Reply {
            let end = raw
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("a response head");
            let head = String::from_utf8(raw[..end].to_vec()).unwrap();
            let status = head[9..12].parse().unwrap();
            Reply {
                status,
                head,
                body: raw[end + 4..].to_vec(),
            }
        }

        pub(crate) fn header(&self, name: &str) -> Option<&str> {
            self.head.lines().skip(1).find_map(|line| {
                let (key, value) = line.split_once(": ")?;
                key.eq_ignore_ascii_case(name).then_some(value)
            })
        }

        pub(crate) fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }
    }

    const PAGE: &str =
        "<!doctype html><html><head><title>t</title></head><body><p>home</p></body></html>";

    #[test]
    fn files_are_served_with_their_types() {
        let files = [
            (
                "style.css",
                "body { color: red }",
                "text/css; charset=utf-8",
            ),
            ("app.js", "let a = 1;", "text/javascript; charset=utf-8"),
            ("data.json", "{\"a\":1}", "application/json; charset=utf-8"),
            ("pic.svg", "<svg/>", "image/svg+xml; charset=utf-8"),
            ("feed.xml", "<feed/>", "application/xml; charset=utf-8"),
            ("notes.txt", "notes", "text/plain; charset=utf-8"),
            ("table.csv", "a,b", "text/csv; charset=utf-8"),
            ("doc.pdf", "%PDF-1.7", "application/pdf"),
            ("img.PNG", "png", "image/png"),
            ("photo.jpg", "jpg", "image/jpeg"),
            ("anim.gif", "gif", "image/gif"),
            ("pic.webp", "webp", "image/webp"),
            ("favicon.ico", "ico", "image/x-icon"),
            ("font.woff2", "woff2", "font/woff2"),
            ("mod.wasm", "wasm", "application/wasm"),
            ("blob.bin", "bin", "application/octet-stream"),
            ("資料/こんにちは.txt", "日本語", "text/plain; charset=utf-8"),
        ];
        let site = Site::new(&files.map(|(path, text, _)| (path, text)));
        for (path, text, content_type) in files {
            let reply = site.get(&format!(
                "/{}",
                path.split('/')
                    .map(percent_encode)
                    .collect::<Vec<_>>()
                    .join("/")
            ));
            assert_eq!(reply.status, 200, "{path}");
            assert_eq!(reply.header("Content-Type"), Some(content_type), "{path}");
            assert_eq!(reply.header("Cache-Control"), Some("no-store"));
            assert_eq!(reply.body, text.as_bytes(), "{path}");
        }
        // The same file, spelled as browsers send it, and with a query.
        let reply =
            site.get("/%E8%B3%87%E6%96%99/%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF.txt?v=2");
        assert_eq!(reply.text(), "日本語");
        let reply = site.request("HEAD", "/style.css");
        assert_eq!(
            (reply.status, reply.header("Content-Length")),
            (200, Some("19"))
        );
        assert!(reply.body.is_empty());
    }

    #[test]
    fn folders_serve_their_index_and_never_a_listing() {
        let site = Site::new(&[
            ("index.html", PAGE),
            ("sub/index.html", "<p>sub</p>"),
            ("資料/index.html", "<p>資料</p>"),
            ("empty/file.txt", "x"),
            ("404.html", "<p>missing</p>"),
        ]);
        assert!(site.get("/").text().contains("<p>home</p>"));
        assert!(site.get("/sub/").text().contains("<p>sub</p>"));
        assert!(site
            .get("/%E8%B3%87%E6%96%99/")
            .text()
            .contains("<p>資料</p>"));
        let redirects = [
            ("/sub", "/sub/"),
            ("/sub?lang=en", "/sub/?lang=en"),
            ("/%E8%B3%87%E6%96%99", "/%E8%B3%87%E6%96%99/"),
        ];
        for (from, to) in redirects {
            let reply = site.get(from);
            assert_eq!(
                (reply.status, reply.header("Location")),
                (301, Some(to)),
                "{from}"
            );
        }
        let listing = site.get("/empty/");
        assert_eq!(listing.status, 404);
        assert!(listing.text().contains("<p>missing</p>") && !listing.text().contains("file.txt"));
        assert_eq!(site.get("/sub/index.html/").status, 404);
    }

    #[test]
    fn misses_get_the_404_page_or_plain_text() {
        let site = Site::new(&[("404.html", "<html><head></head><body>gone</body></html>")]);
        let reply = site.get("/nope.html");
        assert_eq!(reply.status, 404);
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert!(reply.text().contains("gone") && reply.text().contains("/__kyozai/live.js"));
        fs::remove_file(site.root.join("404.html")).unwrap();
        let reply = site.get("/nope.html");
        assert_eq!((reply.status, reply.text().as_str()), (404, "Not found.\n"));
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/plain; charset=utf-8")
        );
        site.state.set_root(site.dir.join("not-built-yet"));
        assert_eq!(site.get("/").status, 404);
    }

    #[test]
    fn the_root_can_be_swapped() {
        let site = Site::new(&[("a.txt", "old"), ("next/a.txt", "new")]);
        assert_eq!(site.get("/a.txt").text(), "old");
        site.state.set_root(site.root.join("next"));
        assert_eq!(site.get("/a.txt").text(), "new");
    }

    #[test]
    fn every_way_out_of_the_root_is_refused() {
        let site = Site::new(&[("a/b.txt", "b"), ("style.css", "css")]);
        let absolute = site
            .dir
            .join("secret.txt")
            .to_string_lossy()
            .replace('\\', "/");
        let attempts = [
            "/../secret.txt".to_owned(),
            "/a/../../secret.txt".to_owned(),
            "/%2e%2e/secret.txt".to_owned(),
            "/%2E%2E%2Fsecret.txt".to_owned(),
            "/..%2fsecret.txt".to_owned(),
            "/..%2Fsecret.txt".to_owned(),
            "/.%2e/secret.txt".to_owned(),
            "/%252e%252e/secret.txt".to_owned(),
            "/%252e%252e%252fsecret.txt".to_owned(),
            "/a/..\\..\\secret.txt".to_owned(),
            "/..%5c..%5csecret.txt".to_owned(),
            "/%5c../secret.txt".to_owned(),
            "/%C0%AE%C0%AE/secret.txt".to_owned(),
            "//etc/passwd".to_owned(),
            format!("/{}", absolute.trim_start_matches('/')).replacen('/', "//", 1),
            format!("/{}", percent_encode(&absolute)),
            "/%00".to_owned(),
            "/style.css%00.html".to_owned(),
            "/a/./b.txt".to_owned(),
            "/a//b.txt".to_owned(),
            "/%".to_owned(),
            "/%zz".to_owned(),
            "secret.txt".to_owned(),
        ];
        for target in &attempts {
            let reply = site.get(target);
            assert!(
                matches!(reply.status, 403 | 404),
                "{target}: {}",
                reply.status
            );
            assert!(!reply.text().contains(SECRET), "{target}");
        }
        assert_eq!(site.get("/a/b.txt").text(), "b");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_may_not_lead_out_of_the_root() {
        use std::os::unix::fs::symlink;
        let site = Site::new(&[("style.css", "css")]);
        symlink(site.dir.join("secret.txt"), site.root.join("leak.txt")).unwrap();
        symlink(&site.dir, site.root.join("up")).unwrap();
        symlink(site.root.join("style.css"), site.root.join("alias.css")).unwrap();
        for target in ["/leak.txt", "/up/secret.txt", "/up/", "/up"] {
            let reply = site.get(target);
            assert_eq!(reply.status, 403, "{target}");
            assert!(!reply.text().contains(SECRET), "{target}");
        }
        assert_eq!(site.get("/alias.css").text(), "css");
    }

    #[test]
    fn html_gets_the_client_and_nothing_else_does() {
        let site = Site::new(&[("index.html", PAGE), ("style.css", "</head><body>")]);
        let html = site.get("/index.html").text();
        let script = "<script src=\"/__kyozai/live.js\" defer></script>";
        let words = "<script type=\"application/json\" id=\"kyozai-live-words\">";
        assert!(html.contains(&format!("{script}{words}")), "{html}");
        assert!(
            html[html.find(words).unwrap()..].contains("</script></head>"),
            "{html}"
        );
        assert_eq!(site.get("/style.css").text(), "</head><body>");
        let js = site.get("/__kyozai/live.js");
        assert_eq!(
            js.header("Content-Type"),
            Some("text/javascript; charset=utf-8")
        );
        assert!(js.text().contains("new EventSource(EVENTS)") && !js.text().contains("innerHTML"));
        let css = site.get("/__kyozai/live.css");
        assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
        assert!(css.text().contains("#kyozai-overlay"));
        assert_eq!(site.get("/__kyozai/other").status, 404);
    }

    #[test]
    fn only_get_and_head_are_served() {
        let site = Site::new(&[("index.html", PAGE)]);
        for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
            let reply = site.request(method, "/");
            assert_eq!(
                (reply.status, reply.header("Allow")),
                (405, Some("GET, HEAD")),
                "{method}"
            );
        }
        let reply = site.request("HEAD", "/");
        assert_eq!(reply.status, 200);
        assert!(reply.body.is_empty() && reply.header("Content-Length").unwrap() != "0");
        let mut raw = Vec::new();
        let mut stream = TcpStream::connect(site.addr).unwrap();
        stream.write_all(b"nonsense\r\n\r\n").unwrap();
        stream.read_to_end(&mut raw).unwrap();
        assert_eq!(Reply::parse(&raw).status, 400);
    }

    #[test]
    fn request_lines_are_parsed_and_checked() {
        fn line(head: &str) -> Option<(&str, &str)> {
            parse_request_line(head.as_bytes())
        }
        assert_eq!(
            line("GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n"),
            Some(("GET", "/a?b=1"))
        );
        assert_eq!(line("HEAD / HTTP/1.0\n\n"), Some(("HEAD", "/")));
        // Cut short after the request line, or with more headers than are looked at.
        assert_eq!(line("GET /x HTTP/1.1\r\nHost: x"), Some(("GET", "/x")));
        let many = format!(
            "GET /y HTTP/1.1\r\n{}\r\n",
            "A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(line(&many), Some(("GET", "/y")));
        for bad in [
            "get / HTTP/1.1\r\n\r\n",
            "GET / HTTP/2\r\n\r\n",
            "GET /a b HTTP/1.1\r\n\r\n",
            "GET\r\n\r\n",
            "GET / HTTP/1.1 extra\r\n\r\n",
            "",
        ] {
            assert_eq!(line(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn connections_past_the_limit_are_refused_politely() {
        let site = Site::new(&[("index.html", PAGE)]);
        // Event streams hold their connection open.
        let mut streams: Vec<TcpStream> = (0..MAX_CONNECTIONS)
            .map(|_| {
                let mut stream = site.connect("GET", "/__kyozai/events");
                let mut byte = [0u8; 1];
                stream.read_exact(&mut byte).unwrap();
                stream
            })
            .collect();
        let reply = site.get("/");
        assert_eq!(
            (reply.status, reply.header("Retry-After")),
            (503, Some("1"))
        );
        streams.clear();
        // The server sees the streams closed when it next writes to them.
        let served = (0..100).any(|_| {
            site.state.reload(false);
            thread::sleep(Duration::from_millis(50));
            site.get("/").status == 200
        });
        assert!(served);
    }

    #[test]
    fn bind_moves_to_the_next_free_port() {
        let taken = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).unwrap();
        let port = taken.local_addr().unwrap().port();
        if port > u16::MAX - PORT_SPAN {
            return;
        }
        let next = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), port).unwrap();
        let got = next.local_addr().unwrap().port();
        assert!(got > port && got <= port + PORT_SPAN, "{port} -> {got}");
    }

    #[test]
    fn run_returns_when_stopped_and_ends_event_streams() {
        let site = Site::new(&[]);
        let mut events = site.connect("GET", "/__kyozai/events");
        let mut byte = [0u8; 1];
        events.read_exact(&mut byte).unwrap();
        drop(site); // sets stop and joins run()
        let mut rest = Vec::new();
        events.read_to_end(&mut rest).unwrap();
        assert!(String::from_utf8_lossy(&rest).contains("event: ok"));
    }

    #[test]
    fn paths_decode_to_plain_segments() {
        let segments = |path| decode_path(path);
        assert_eq!(segments("/"), Some(vec![]));
        assert_eq!(
            segments("/a/b/"),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(
            segments("/%E3%81%82%20b.html"),
            Some(vec!["あ b.html".to_owned()])
        );
        assert_eq!(
            segments("/.well-known/x"),
            Some(vec![".well-known".to_owned(), "x".to_owned()])
        );
        for refused in [
            "", "a", "//a", "/a//b", "/..", "/.", "/%2e", "/a%2fb", "/a%5cb", "/%ff", "/%+1",
            "/%2541",
        ] {
            assert_eq!(segments(refused), None, "{refused}");
        }
    }
}
