//! The event stream of `kyozai serve`: `GET /__kyozai/events` as Server-Sent Events, the current
//! state first, then every change [`LiveState`] broadcasts, with a heartbeat so that dead
//! clients are noticed.

use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::live::LiveState;

/// How often an idle event stream gets a comment line, so dead clients are noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often an event stream checks the stop flag while it waits for events.
const POLL: Duration = Duration::from_millis(200);

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

#[cfg(test)]
mod tests {
    use super::super::http::tests::Site;
    use super::super::live::tests::report;
    use std::io::Read;
    use std::net::TcpStream;
    use std::thread;
    use std::time::Duration;

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
        // A page opened now carries it too, for the client to show as it loads.
        let page = site.get("/").text();
        let open = "<script type=\"application/json\" id=\"kyozai-live-error\">";
        let data = &page[page.find(open).expect("the error in the page") + open.len()..];
        let data = &data[..data.find("</script>").expect("the element ends")];
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(data).unwrap(),
            serde_json::from_str::<serde_json::Value>(&report.to_json()).unwrap()
        );
        assert!(
            page[page.find(open).unwrap()..].contains("</head>"),
            "{page}"
        );
        assert!(!page.contains("<script>alert") && !page.contains("kyozai-overlay"));
        assert_eq!(site.get("/a.css").text(), "p{}");

        site.state.set_error(None);
        assert_eq!(events.next(), named("ok", "{}"));
        assert_eq!(late.next(), named("ok", "{}"));
        let page = site.get("/").text();
        assert!(!page.contains("kyozai-live-error") && page.contains("/__kyozai/live.js"));
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
