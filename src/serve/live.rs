//! Live-reload state of `kyozai serve`: the folder being served, the current build error and the
//! browsers listening for changes, shared by the watcher, which reports finished builds with
//! [`LiveState::reload`] and failed ones with [`LiveState::set_error`], and the event stream
//! (`sse.rs`), which passes them on to every open page. The events' data is JSON (serde_json).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::error::Error;
use crate::render::theme::{default_files, Theme};

/// A build error as the overlay shows it: where it is, what is wrong, and the text around it. The
/// server sends it as JSON (the `error` event, and in every page it serves while the error lasts);
/// the client, `live.js`, builds the overlay from it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ErrorReport {
    /// The file the error is in, as the author knows it (relative to the course); empty when the
    /// error is in no file of the course.
    pub path: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column (in characters) of the error.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// How many more problems the build found (the terminal lists them all).
    pub more: usize,
    /// Source lines around the error.
    pub snippet: Vec<SourceLine>,
}

/// One line of the source shown around an error.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceLine {
    /// Its 1-based number.
    pub line: usize,
    /// Its text.
    pub text: String,
}

impl ErrorReport {
    /// The report of a failed build of the course in `root`: its first problem, with the lines
    /// around it read from the file.
    pub fn new(root: &Path, e: &Error) -> ErrorReport {
        let Some(d) = e.diagnostics().first() else {
            return ErrorReport {
                message: e.to_string(),
                ..ErrorReport::default()
            };
        };
        let text = std::fs::read_to_string(root.join(&d.path)).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from = d.line.saturating_sub(3).max(1);
        let to = (d.line + 2).min(lines.len());
        ErrorReport {
            path: d.path.display().to_string(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
            more: e.diagnostics().len() - 1,
            snippet: (from..=to)
                .filter_map(|n| {
                    lines.get(n - 1).map(|l| SourceLine {
                        line: n,
                        text: (*l).to_owned(),
                    })
                })
                .collect(),
        }
    }

    /// The report as a JSON object on one line, the data of the `error` event.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// The overlay's words, the theme's `serve_` UI strings, per language (each filled from English
/// where the language lacks one), as JSON for `live.js`: with `None` (no build has loaded the
/// course's theme yet), the built-in theme's.
pub fn words(theme: Option<&Theme>) -> String {
    let ours = |strings: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        strings
            .iter()
            .filter(|(k, _)| k.starts_with(WORDS_PREFIX))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let all: BTreeMap<String, BTreeMap<String, String>> = match theme {
        Some(t) => t
            .strings
            .iter()
            .map(|(l, s)| (l.clone(), ours(&s.0)))
            .collect(),
        None => default_files()
            .iter()
            .filter_map(|(path, bytes)| {
                let lang = path.strip_prefix("i18n/")?.strip_suffix(".toml")?;
                let strings = toml::from_str(std::str::from_utf8(bytes).ok()?).ok()?;
                Some((lang.to_owned(), ours(&strings)))
            })
            .collect(),
    };
    let english = all.get("en").cloned().unwrap_or_default();
    let filled: BTreeMap<&String, BTreeMap<String, String>> = all
        .iter()
        .map(|(lang, own)| {
            let mut words = english.clone();
            words.extend(own.clone());
            (lang, words)
        })
        .collect();
    serde_json::to_string(&filled).unwrap_or_else(|_| "{}".to_owned())
}

/// The UI strings `live.js` is given start with this.
const WORDS_PREFIX: &str = "serve_";

/// What the server and the watcher share: the folder being served, the current
/// build error, and the browsers listening for changes.
pub struct LiveState {
    inner: Mutex<Inner>,
}

struct Inner {
    root: PathBuf,
    error: Option<ErrorReport>,
    words: Arc<str>,
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
                words: words(None).into(),
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

    /// Give the overlay these words from now on (see [`words`]).
    pub fn set_words(&self, words: String) {
        self.lock().words = words.into();
    }

    /// The overlay's words, as JSON (see [`words`]).
    pub fn words(&self) -> Arc<str> {
        self.lock().words.clone()
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
            more: 2,
            snippet: vec![
                SourceLine {
                    line: 2,
                    text: "前の行".into(),
                },
                SourceLine {
                    line: 3,
                    text: "x<y>".into(),
                },
            ],
        }
    }

    #[test]
    fn json_escapes_everything_that_needs_it() {
        let json = report().to_json();
        assert_eq!(
            json,
            "{\"path\":\"content/01-a<b>.md\",\"line\":3,\"column\":2,\
             \"message\":\"unknown directive \\\"<script>\\\"\\n& more\",\
             \"help\":\"did you mean `:::note`?\",\"more\":2,\
             \"snippet\":[{\"line\":2,\"text\":\"前の行\"},{\"line\":3,\"text\":\"x<y>\"}]}"
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
    fn the_report_is_the_first_problem_with_the_lines_around_it() {
        let dir = tempfile::tempdir().unwrap();
        let text: String = (1..=9).map(|n| format!("line {n}\n")).collect();
        std::fs::write(dir.path().join("page.md"), text).unwrap();
        let at = |line, column, message: &str| crate::Diagnostic {
            line,
            column,
            help: Some("fix it".into()),
            ..crate::Diagnostic::file(crate::kind::Kind::InvalidSource, "page.md", message)
        };
        let e = Error::Source(vec![at(5, 3, "first"), at(8, 1, "second")]);
        let r = ErrorReport::new(dir.path(), &e);
        assert_eq!(
            (r.path.as_str(), r.line, r.column, r.message.as_str()),
            ("page.md", 5, 3, "first")
        );
        assert_eq!((r.help.as_deref(), r.more), (Some("fix it"), 1));
        let numbers: Vec<usize> = r.snippet.iter().map(|l| l.line).collect();
        assert_eq!(numbers, [2, 3, 4, 5, 6, 7]);
        assert_eq!(r.snippet[3].text, "line 5");
        // Near the end of the file, and an error in no file.
        let r = ErrorReport::new(dir.path(), &Error::Source(vec![at(9, 1, "last")]));
        assert_eq!(r.snippet.last().map(|l| l.line), Some(9));
        assert_eq!(r.more, 0);
        let r = ErrorReport::new(dir.path(), &Error::Internal("broken".into()));
        assert!(r.path.is_empty() && r.snippet.is_empty() && r.message.contains("broken"));
    }

    #[test]
    fn the_overlay_gets_every_word_it_uses_in_every_language() {
        let words: serde_json::Value = serde_json::from_str(&words(None)).unwrap();
        let js = include_str!("live.js");
        // The keys live.js looks up: `word('serve_…'`.
        let used: std::collections::BTreeSet<&str> = js
            .match_indices("word('")
            .map(|(at, _)| {
                let key = &js[at + 6..];
                &key[..key.find('\'').unwrap()]
            })
            .collect();
        assert!(used.len() >= 4, "{used:?}");
        for lang in ["en", "ja"] {
            let given: std::collections::BTreeSet<&str> = words[lang]
                .as_object()
                .unwrap_or_else(|| panic!("no {lang} words: {words}"))
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(given, used, "{lang}");
        }
        assert_eq!(words["en"]["serve_error_title"], "Build error");
        assert_ne!(words["ja"]["serve_error_title"], "Build error");
        // A course's theme lays its own words over the built-in ones.
        let dir = tempfile::tempdir().unwrap();
        let i18n = dir.path().join("themes/default/i18n");
        std::fs::create_dir_all(&i18n).unwrap();
        std::fs::write(i18n.join("en.toml"), "serve_close = \"Dismiss\"\n").unwrap();
        std::fs::write(i18n.join("fr.toml"), "serve_close = \"Fermer\"\n").unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        let own: serde_json::Value = serde_json::from_str(&super::words(Some(&theme))).unwrap();
        assert_eq!(own["en"]["serve_close"], "Dismiss");
        assert_eq!(own["en"]["serve_error_title"], "Build error");
        assert_eq!(own["fr"]["serve_close"], "Fermer");
        assert_eq!(
            own["fr"]["serve_error_title"], "Build error",
            "English fills gaps"
        );
        assert_eq!(own["ja"], words["ja"]);
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
        assert_eq!(
            *state.words(),
            *words(None),
            "the built-in words until a build"
        );
        state.set_words("{\"en\":{}}".into());
        assert_eq!(&*state.words(), "{\"en\":{}}");
        state.set_root(PathBuf::from("/other"));
        assert_eq!(state.root(), PathBuf::from("/other"));
    }
}
