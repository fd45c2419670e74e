//! Live-reload state of `kyozai serve`: the folder being served, the current build error and the
//! browsers listening for changes, shared by the watcher, which reports finished builds with
//! [`LiveState::reload`] and failed ones with [`LiveState::set_error`], and the event stream
//! (`sse.rs`), which passes them on to every open page. The events' data is JSON (serde_json).

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A build error as the overlay shows it: where it is, what is wrong, and the text around it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
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
    /// The report as a JSON object on one line, the data of the `error` event.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
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
        inner.broadcast(&frame(
            "reload",
            &serde_json::json!({ "css_only": css_only }).to_string(),
        ));
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
    pub(crate) fn subscribe(&self) -> (u64, Receiver<String>, String) {
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

    pub(crate) fn unsubscribe(&self, id: u64) {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn report() -> ErrorReport {
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
        let odd = ErrorReport {
            message: "a\u{1}b\u{2028}\r".into(),
            ..ErrorReport::default()
        }
        .to_json();
        assert!(odd.contains("\"a\\u0001b\u{2028}\\r\""), "{odd}");
        assert!(
            !odd.contains(['\n', '\r']),
            "an SSE data line holds no line break"
        );
        let none = ErrorReport {
            help: None,
            ..ErrorReport::default()
        }
        .to_json();
        assert!(none.contains("\"help\":null"), "{none}");
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
}
