//! The one way files get into (and out of) the served folder: each file whose bytes changed is
//! written beside its target under a temporary name as soon as it is rendered, and all of them are
//! renamed into place together once the whole rebuild succeeded ([`Stage`]); files a build no
//! longer makes are taken out with [`remove`]. A rebuild that fails half way leaves every served
//! file as it was, a browser never reads half a file, and a large site is never held in memory
//! whole. Full and incremental rebuilds, the search indexes written after the reload and the page
//! shown before the first good build all go through here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::render::{OutputFile, Sink};

/// The digest kept of each file on disk, to know which ones a rebuild changes.
pub fn digest(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// One file of a rebuild: its path in the output, its digest, and the temporary file holding its
/// new bytes when they differ from what is on disk.
pub struct Staged {
    /// Path inside the output, `/`-separated.
    pub path: String,
    /// Digest of its new bytes.
    pub digest: u64,
    tmp: Option<PathBuf>,
}

impl Staged {
    /// Whether the file was written (its bytes changed).
    pub fn written(&self) -> bool {
        self.tmp.is_some()
    }
}

/// A [`Sink`] that stages the changed files of a rebuild.
pub struct Stage<'a> {
    out: &'a Path,
    /// Digests of the files on disk.
    known: &'a HashMap<String, u64>,
    staged: Mutex<Vec<Staged>>,
}

/// Numbers the temporary files, so that a file rendered twice in one rebuild (a handout holding
/// two edited pages), or by two stages at once (the search indexes written in the background while
/// the next edit is rebuilt), is staged twice without a clash.
static TEMPORARY: AtomicUsize = AtomicUsize::new(0);

impl<'a> Stage<'a> {
    /// A stage for the folder `out`, whose files have the digests `known`.
    pub fn new(out: &'a Path, known: &'a HashMap<String, u64>) -> Stage<'a> {
        Stage {
            out,
            known,
            staged: Mutex::new(Vec::new()),
        }
    }

    /// Writes `files` into `out` now, each put in place whole, all of them together.
    pub fn write_now(
        out: &Path,
        files: impl IntoIterator<Item = OutputFile>,
    ) -> Result<Vec<Staged>> {
        let unknown = HashMap::new();
        let stage = Stage::new(out, &unknown);
        for f in files {
            stage.put(f)?;
        }
        stage.commit()
    }

    /// Puts every staged file in place and returns them all (unchanged ones too), in the order
    /// they were rendered; of a file rendered more than once, the last rendering counts.
    pub fn commit(self) -> Result<Vec<Staged>> {
        let mut staged = self.take();
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (k, s) in staged.iter().enumerate() {
            last.insert(&s.path, k);
        }
        let keep: Vec<bool> = (0..staged.len())
            .map(|k| last.get(staged[k].path.as_str()) == Some(&k))
            .collect();
        let mut k = 0;
        staged.retain(|s| {
            let kept = keep[k];
            k += 1;
            if !kept {
                if let Some(tmp) = &s.tmp {
                    let _ = std::fs::remove_file(tmp);
                }
            }
            kept
        });
        for s in &staged {
            if let Some(tmp) = &s.tmp {
                let p = self.out.join(&s.path);
                std::fs::rename(tmp, &p).map_err(|e| Error::io("write", &p, e))?;
            }
        }
        Ok(staged)
    }

    fn take(&self) -> Vec<Staged> {
        self.staged
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }
}

impl Drop for Stage<'_> {
    /// A rebuild that did not get to [`Stage::commit`] leaves no temporary file behind.
    fn drop(&mut self) {
        for s in self.take() {
            if let Some(tmp) = s.tmp {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}

/// Removes the served file `path` (`/`-separated, inside `out`) and the folders its removal leaves
/// empty.
pub fn remove(out: &Path, path: &str) {
    let path = out.join(path);
    let _ = std::fs::remove_file(&path);
    let mut dir = path.parent();
    // remove_dir fails on a folder that is not empty.
    while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

impl Sink for Stage<'_> {
    fn put(&self, f: OutputFile) -> Result<()> {
        let digest = digest(&f.bytes);
        let tmp = if self.known.get(&f.path) == Some(&digest) {
            None
        } else {
            let p = self.out.join(&f.path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
            }
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let n = TEMPORARY.fetch_add(1, Ordering::Relaxed);
            let tmp = p.with_file_name(format!(".{name}.{n}.kyozai-tmp"));
            std::fs::write(&tmp, &f.bytes).map_err(|e| Error::io("write", &tmp, e))?;
            Some(tmp)
        };
        self.staged
            .lock()
            .map_err(|_| Error::Internal("the rebuild's file list is poisoned".into()))?
            .push(Staged {
                path: f.path,
                digest,
                tmp,
            });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_changed_files_are_written_and_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("same.html"), "same").unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        let known = HashMap::from([
            ("same.html".to_string(), digest(b"same")),
            ("old.html".to_string(), digest(b"old")),
        ]);
        let stage = Stage::new(out, &known);
        for f in [
            file("same.html", "same"),
            file("old.html", "newer"),
            file("a/b.html", "b"),
            file("old.html", "new"),
        ] {
            stage.put(f).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("old.html")).unwrap(),
            "old"
        );
        let done = stage.commit().unwrap();
        let written: Vec<&str> = done
            .iter()
            .filter(|s| s.written())
            .map(|s| s.path.as_str())
            .collect();
        assert_eq!(
            written,
            ["a/b.html", "old.html"],
            "the last rendering counts"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("old.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_to_string(out.join("a/b.html")).unwrap(), "b");
        let left: Vec<_> = walkdir::WalkDir::new(out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".kyozai-tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn an_abandoned_rebuild_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("page.html"), "good").unwrap();
        let known = HashMap::from([("page.html".to_string(), digest(b"good"))]);
        {
            let stage = Stage::new(out, &known);
            stage.put(file("page.html", "half done")).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("page.html")).unwrap(),
            "good"
        );
        let names: Vec<String> = std::fs::read_dir(out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["page.html"]);
    }

    #[test]
    fn files_written_now_and_removed_leave_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("index.html"), "old").unwrap();
        let done = Stage::write_now(
            out,
            [
                file("index.html", "placeholder"),
                file("search/ja/0.js", "x"),
            ],
        )
        .unwrap();
        assert!(done.iter().all(Staged::written));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "placeholder"
        );
        remove(out, "search/ja/0.js");
        assert!(!out.join("search").exists(), "the emptied folders go too");
        remove(out, "index.html");
        assert_eq!(std::fs::read_dir(out).unwrap().count(), 0);
        assert!(out.is_dir(), "the served folder itself stays");
    }
}
