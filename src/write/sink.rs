//! The sink a build writes through: each rendered file goes straight into the staging folder,
//! or, when the previous output holds the very same file, is hard-linked from it (see
//! [`DirSink`]), and the output's manifest records what was written.

use std::path::{Path, PathBuf};

use super::MARKER;
use crate::error::{Error, Result};
use crate::render::OutputFile;

/// A render sink that writes each file into a folder as it arrives.
///
/// Given the previous output, it reuses the files that did not change: a file whose bytes hash
/// to what the previous build's manifest recorded for the same path, and which is still the file
/// that build wrote (same size and modification time), is hard-linked from the previous output
/// instead of written again. A rebuild after a small edit then writes only what the edit changed,
/// and removing the previous output only drops names. The manifest ([`MANIFEST`]) is written into
/// the new output by [`DirSink::finish`].
pub struct DirSink {
    dir: PathBuf,
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    count: std::sync::atomic::AtomicUsize,
    /// The previous output and its manifest.
    previous: Option<(PathBuf, std::collections::HashMap<String, Entry>)>,
    entries: std::sync::Mutex<Vec<(String, Entry)>>,
    reused: std::sync::atomic::AtomicUsize,
}

/// The manifest of an output folder: per file, the hash of its bytes, its size and the
/// modification time it had when written.
pub const MANIFEST: &str = ".kyozai-manifest";

/// One line of the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    hash: u64,
    len: u64,
    mtime: u128,
}

fn mtime(m: &std::fs::Metadata) -> u128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Reads the manifest of `out`; empty when there is none or it is unreadable.
fn read_manifest(out: &Path) -> std::collections::HashMap<String, Entry> {
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let mut it = l.splitn(4, ' ');
            let hash = u64::from_str_radix(it.next()?, 16).ok()?;
            let len = it.next()?.parse().ok()?;
            let mtime = it.next()?.parse().ok()?;
            Some((it.next()?.to_string(), Entry { hash, len, mtime }))
        })
        .collect()
}

impl DirSink {
    /// A sink writing into `dir` (which exists).
    pub fn new(dir: &Path) -> DirSink {
        DirSink {
            dir: dir.to_path_buf(),
            made: Default::default(),
            count: Default::default(),
            previous: None,
            entries: Default::default(),
            reused: Default::default(),
        }
    }

    /// A sink writing into `dir` that reuses the unchanged files of the previous output `out`.
    pub fn reusing(dir: &Path, out: &Path) -> DirSink {
        let manifest = if out.join(MARKER).is_file() {
            read_manifest(out)
        } else {
            Default::default()
        };
        DirSink {
            previous: (!manifest.is_empty()).then(|| (out.to_path_buf(), manifest)),
            ..DirSink::new(dir)
        }
    }

    /// Files written so far.
    pub fn count(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Files taken unchanged from the previous output so far.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Writes the manifest of what was written.
    pub fn finish(&self) -> Result<()> {
        use std::fmt::Write as _;
        let mut entries = self
            .entries
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::with_capacity(entries.len() * 64);
        for (path, e) in entries {
            let _ = writeln!(text, "{:016x} {} {} {path}", e.hash, e.len, e.mtime);
        }
        let m = self.dir.join(MANIFEST);
        std::fs::write(&m, text).map_err(|e| Error::io("write", &m, e))
    }

    /// Hard-links `rel` from the previous output when it holds exactly these bytes.
    fn reuse(&self, rel: &str, to: &Path, hash: u64, len: u64) -> Option<Entry> {
        let (old_dir, manifest) = self.previous.as_ref()?;
        let e = manifest.get(rel)?;
        if e.hash != hash || e.len != len {
            return None;
        }
        let old = old_dir.join(rel);
        let m = std::fs::symlink_metadata(&old).ok()?;
        if !m.is_file() || m.len() != len || mtime(&m) != e.mtime {
            return None;
        }
        std::fs::hard_link(&old, to).ok()?;
        Some(*e)
    }
}

impl DirSink {
    /// Where `path` goes in the folder, its parent folder made.
    fn target(&self, path: &str) -> Result<PathBuf> {
        let rel = Path::new(path);
        if path.is_empty()
            || !rel
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Error::Usage(format!("internal error: refusing to write `{path}`, which is not a path inside the output folder")));
        }
        let p = self.dir.join(rel);
        if let Some(parent) = p.parent() {
            let known = self
                .made
                .lock()
                .map(|m| m.contains(parent))
                .unwrap_or(false);
            if !known {
                std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(parent.to_path_buf());
                }
            }
        }
        Ok(p)
    }

    /// Notes a file of the output for the manifest; `reused` when taken from the previous one.
    fn record(&self, path: String, entry: Entry, reused: bool) {
        if let Ok(mut e) = self.entries.lock() {
            e.push((path, entry));
        }
        self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if reused {
            self.reused
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// Hashes and counts what goes through it.
struct Hashing<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl crate::render::Sink for DirSink {
    fn put_stream(
        &self,
        path: String,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        use std::io::Write as _;
        let p = self.target(&path)?;
        let file = std::fs::File::create(&p).map_err(|e| Error::io("write", &p, e))?;
        let mut w = Hashing {
            inner: std::io::BufWriter::with_capacity(1 << 18, file),
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            len: 0,
        };
        fill(&mut w)
            .and_then(|_| w.flush())
            .map_err(|e| Error::io("write", &p, e))?;
        let m = w
            .inner
            .get_ref()
            .metadata()
            .map_err(|e| Error::io("write", &p, e))?;
        let (hash, len) = (w.hasher.digest(), w.len);
        drop(w);
        // The same bytes as the previous output's file: keep that file (and its modification
        // time), linked in under a temporary name and renamed over the one just written.
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let link = p.with_file_name(format!(".{name}.kyozai-link"));
        match self.reuse(&path, &link, hash, len) {
            Some(e) if std::fs::rename(&link, &p).is_ok() => self.record(path, e, true),
            _ => {
                let _ = std::fs::remove_file(&link);
                let mtime = mtime(&m);
                self.record(path, Entry { hash, len, mtime }, false);
            }
        }
        Ok(())
    }

    fn put(&self, f: OutputFile) -> Result<()> {
        let p = self.target(&f.path)?;
        let hash = xxhash_rust::xxh3::xxh3_64(&f.bytes);
        let len = f.bytes.len() as u64;
        match self.reuse(&f.path, &p, hash, len) {
            Some(e) => self.record(f.path, e, true),
            None => {
                use std::io::Write as _;
                let mut file = std::fs::File::create(&p).map_err(|e| Error::io("write", &p, e))?;
                file.write_all(&f.bytes)
                    .map_err(|e| Error::io("write", &p, e))?;
                let mtime = mtime(&file.metadata().map_err(|e| Error::io("write", &p, e))?);
                self.record(f.path, Entry { hash, len, mtime }, false);
            }
        }
        Ok(())
    }
}
