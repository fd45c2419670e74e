//! Watches `content/`, `themes/` and `kyozai.toml` with notify and turns the file-system events
//! into debounced batches of classified changes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

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

    /// Waits for changes and returns them once the files have been quiet (editors write, rename
    /// and touch in bursts; a `git checkout` writes hundreds of files). A burst whose every
    /// written file has been closed (or renamed into place, or removed) is complete and waits only
    /// [`SETTLED`] for a sibling; one with a file still open for writing, or on a platform that
    /// reports no closes, waits `quiet`. Returns `None` when `stop` is set.
    pub fn next_batch(&mut self, stop: &AtomicBool, quiet: Duration) -> Option<Vec<Change>> {
        let mut burst = Burst::default();
        loop {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            match self.rx.recv_timeout(burst.wait(quiet)) {
                Ok(Ok(ev)) => {
                    let paths: Vec<PathBuf> = ev.paths.iter().map(|p| self.relative(p)).collect();
                    if !self.themes_watched && paths.iter().any(|r| r == Path::new("themes")) {
                        let themes = self.root.join("themes");
                        if themes.is_dir() {
                            self.themes_watched = self
                                .watcher
                                .watch(&themes, RecursiveMode::Recursive)
                                .is_ok();
                            burst
                                .changed
                                .insert(PathBuf::from("themes/."), ChangeKind::Theme);
                        }
                    }
                    burst.add(&ev.kind, &paths, |rel| self.root.join(rel).is_dir());
                    // A long burst still gets rebuilt every second.
                    if burst
                        .first
                        .is_some_and(|f| f.elapsed() > Duration::from_secs(1))
                    {
                        break;
                    }
                }
                Ok(Err(_)) => {}
                Err(RecvTimeoutError::Timeout) => {
                    if burst.first.is_some() {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        Some(
            burst
                .changed
                .into_iter()
                .map(|(rel, kind)| Change { kind, rel })
                .collect(),
        )
    }

    fn relative(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// How long a complete burst waits for a sibling change before it is rebuilt.
pub const SETTLED: Duration = Duration::from_millis(2);

/// The changes gathered since the first event of a burst, and which files are still being
/// written.
#[derive(Default)]
struct Burst {
    changed: BTreeMap<PathBuf, ChangeKind>,
    /// Files written and not yet closed.
    open: BTreeSet<PathBuf>,
    first: Option<Instant>,
}

impl Burst {
    /// Adds one event on `paths` (relative to the course folder).
    fn add(&mut self, kind: &EventKind, paths: &[PathBuf], is_dir: impl Fn(&Path) -> bool) {
        use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
        for rel in paths {
            match kind {
                EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                    self.open.remove(rel);
                    continue;
                }
                EventKind::Access(_) => continue,
                EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => {
                    self.open.remove(rel);
                }
                EventKind::Create(CreateKind::File | CreateKind::Any)
                | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any)
                    if !is_dir(rel) =>
                {
                    self.open.insert(rel.clone());
                }
                _ => {}
            }
            if let Some(kind) = classify(rel) {
                self.changed.insert(rel.clone(), kind);
                self.first.get_or_insert_with(Instant::now);
            } else if rel.starts_with("content") && is_dir(rel) {
                // A new or renamed folder: its pages come with it.
                self.changed.insert(rel.clone(), ChangeKind::Asset);
                self.first.get_or_insert_with(Instant::now);
            }
        }
        // Files kyozai does not read (an editor's swap file) do not hold the burst open.
        self.open.retain(|p| classify(p).is_some());
    }

    /// How long to wait for the next event.
    fn wait(&self, quiet: Duration) -> Duration {
        match self.first {
            None => Duration::from_millis(100),
            Some(_) if self.open.is_empty() => SETTLED,
            Some(_) => quiet,
        }
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

    fn events() -> (EventKind, EventKind, EventKind, EventKind) {
        use notify::event::{AccessKind, AccessMode, DataChange, ModifyKind, RenameMode};
        (
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
        )
    }

    #[test]
    fn a_burst_waits_quiet_while_a_file_is_open_and_settles_once_it_is_closed() {
        let (write, close, rename, open) = events();
        let quiet = Duration::from_millis(20);
        let page = PathBuf::from("content/01-a/02-b.ja.md");
        let mut burst = Burst::default();
        assert_eq!(burst.wait(quiet), Duration::from_millis(100));
        burst.add(&open, std::slice::from_ref(&page), |_| false);
        assert!(burst.first.is_none(), "opening a file changes nothing");
        burst.add(&write, std::slice::from_ref(&page), |_| false);
        assert_eq!(burst.wait(quiet), quiet, "still being written");
        burst.add(&close, std::slice::from_ref(&page), |_| false);
        assert_eq!(burst.wait(quiet), SETTLED);
        // A second file written after the first is closed holds the burst open again.
        let data = PathBuf::from("content/data/x.cases.toml");
        burst.add(&write, std::slice::from_ref(&data), |_| false);
        assert_eq!(burst.wait(quiet), quiet);
        // Saved by renaming a temporary file into place: complete at once.
        burst.add(&rename, std::slice::from_ref(&data), |_| false);
        assert_eq!(burst.wait(quiet), SETTLED);
        let kinds: Vec<_> = burst.changed.into_iter().collect();
        assert_eq!(
            kinds,
            vec![(page, ChangeKind::Markdown), (data, ChangeKind::Data)]
        );
    }

    #[test]
    fn files_kyozai_does_not_read_and_folders_do_not_hold_a_burst_open() {
        let (write, ..) = events();
        let quiet = Duration::from_millis(20);
        let mut burst = Burst::default();
        let swap = PathBuf::from("content/01-a/.02-b.ja.md.swp");
        burst.add(&write, &[swap], |_| false);
        assert!(burst.first.is_none(), "a swap file is no change");
        let folder = PathBuf::from("content/02-new");
        burst.add(
            &EventKind::Create(notify::event::CreateKind::Folder),
            std::slice::from_ref(&folder),
            |_| true,
        );
        assert_eq!(burst.changed.get(&folder), Some(&ChangeKind::Asset));
        assert_eq!(burst.wait(quiet), SETTLED);
    }
}
