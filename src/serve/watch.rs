//! Watches `content/`, `themes/` and `kyozai.toml` with notify and turns the file-system events
//! into debounced batches of classified changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};

/// What kind of source a changed file is; decides how much is rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A page's Markdown.
    Markdown,
    /// A data file (cases, checklists, lists, glossary).
    Data,
    /// Any other file under `content/` (figures).
    Asset,
    /// A template, stylesheet, script or UI string file of the theme.
    Theme,
    /// `kyozai.toml`.
    Config,
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of source changed.
    pub kind: ChangeKind,
    /// Path relative to the course folder.
    pub rel: PathBuf,
}

/// Classifies a path (relative to the course folder); `None` for files kyozai does not read.
pub fn classify(rel: &Path) -> Option<ChangeKind> {
    let name = rel.file_name()?.to_string_lossy();
    if crate::load::is_ignored(&name) {
        return None;
    }
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_string_lossy().into_owned();
    match first.as_str() {
        "kyozai.toml" if rel.components().count() == 1 => Some(ChangeKind::Config),
        "themes" => Some(ChangeKind::Theme),
        "content" => {
            let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            Some(match ext.as_str() {
                "md" | "markdown" => ChangeKind::Markdown,
                "toml" | "yaml" | "yml" | "csv" => ChangeKind::Data,
                _ => ChangeKind::Asset,
            })
        }
        _ => None,
    }
}

/// The file-system watcher of one course.
pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    themes_watched: bool,
}

impl Watcher {
    /// Starts watching the course in `root`.
    pub fn new(root: &Path) -> Result<Watcher> {
        let root = root
            .canonicalize()
            .map_err(|e| Error::io("read", root, e))?;
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })
        .map_err(|e| Error::io("watch", &root, std::io::Error::other(e)))?;
        let w = |wt: &mut RecommendedWatcher, p: &Path, mode| {
            wt.watch(p, mode)
                .map_err(|e| Error::io("watch", p, std::io::Error::other(e)))
        };
        w(&mut watcher, &root, RecursiveMode::NonRecursive)?;
        w(
            &mut watcher,
            &root.join("content"),
            RecursiveMode::Recursive,
        )?;
        let themes_watched = root.join("themes").is_dir()
            && w(&mut watcher, &root.join("themes"), RecursiveMode::Recursive).is_ok();
        Ok(Watcher {
            root,
            watcher,
            rx,
            themes_watched,
        })
    }

    /// Waits for changes and returns them once the files have been quiet for `quiet` (editors
    /// write, rename and touch in bursts; a `git checkout` writes hundreds of files). Returns
    /// `None` when `stop` is set.
    pub fn next_batch(&mut self, stop: &AtomicBool, quiet: Duration) -> Option<Vec<Change>> {
        let mut changed: BTreeMap<PathBuf, ChangeKind> = BTreeMap::new();
        let mut first: Option<Instant> = None;
        loop {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            let wait = if first.is_some() {
                quiet
            } else {
                Duration::from_millis(100)
            };
            match self.rx.recv_timeout(wait) {
                Ok(Ok(ev)) => {
                    if matches!(ev.kind, notify::EventKind::Access(_)) {
                        continue;
                    }
                    for p in ev.paths {
                        let rel = p
                            .strip_prefix(&self.root)
                            .map(Path::to_path_buf)
                            .unwrap_or(p.clone());
                        if rel == Path::new("themes") && !self.themes_watched && p.is_dir() {
                            self.themes_watched =
                                self.watcher.watch(&p, RecursiveMode::Recursive).is_ok();
                            changed.insert(rel.join("."), ChangeKind::Theme);
                        }
                        if let Some(kind) = classify(&rel) {
                            changed.insert(rel, kind);
                            first.get_or_insert_with(Instant::now);
                        } else if p.is_dir() && rel.starts_with("content") {
                            // A new or renamed folder: its pages come with it.
                            changed.insert(rel, ChangeKind::Asset);
                            first.get_or_insert_with(Instant::now);
                        }
                    }
                    // A long burst still gets rebuilt every second.
                    if first.is_some_and(|f| f.elapsed() > Duration::from_secs(1)) {
                        break;
                    }
                }
                Ok(Err(_)) => {}
                Err(RecvTimeoutError::Timeout) => {
                    if first.is_some() {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        Some(
            changed
                .into_iter()
                .map(|(rel, kind)| Change { kind, rel })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert_eq!(
            classify(Path::new("content/01-a/02-b.ja.md")),
            Some(ChangeKind::Markdown)
        );
        assert_eq!(
            classify(Path::new("content/data/x.cases.toml")),
            Some(ChangeKind::Data)
        );
        assert_eq!(
            classify(Path::new("content/01-a/figures/f.svg")),
            Some(ChangeKind::Asset)
        );
        assert_eq!(
            classify(Path::new("themes/default/static/style.css")),
            Some(ChangeKind::Theme)
        );
        assert_eq!(classify(Path::new("kyozai.toml")), Some(ChangeKind::Config));
        assert_eq!(classify(Path::new("content/01-a/.02-b.ja.md.swp")), None);
        assert_eq!(classify(Path::new("content/01-a/02-b.ja.md~")), None);
        assert_eq!(classify(Path::new("public/index.html")), None);
    }
}
