//! The sink a build writes through: each rendered file goes into the staging folder as it is made,
//! unless an earlier output already holds the very same file (see [`DirSink`]), and the output's
//! manifest records what was written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::output::OutputFile;

/// A render sink that writes each file into the staging folder as it arrives.
///
/// It reuses the files an earlier output holds unchanged: a file whose bytes hash to what that
/// output's manifest recorded for the same path, and which is still the file that build wrote
/// (same size and modification time), is kept. How depends on what the staging folder is:
///
/// * [`DirSink::reusing`]: a new, empty folder. An unchanged file is hard-linked from the
///   previous output, so that removing or keeping that output only drops names.
/// * [`DirSink::recycling`]: the spare, an earlier output updated in place (see
///   [`super::spare`]). A file the live output holds unchanged is hard-linked from it, unless the
///   spare's file is already that file; else a file the spare holds unchanged stays where it is;
///   any other file is replaced by a new one (never written into, since its inode may be shared
///   with the live output). [`DirSink::finish`] removes what this build no longer makes. Either
///   way an unchanged file keeps its inode and modification time from one output to the next.
///
/// The manifest ([`MANIFEST`]) is written into the new output by [`DirSink::finish`].
pub struct DirSink {
    dir: PathBuf,
    made: Mutex<std::collections::HashSet<PathBuf>>,
    from: From,
    entries: Mutex<Vec<(String, Entry)>>,
    reused: AtomicUsize,
}

/// Where unchanged files come from.
enum From {
    Nothing,
    /// The previous output, at this path, with its manifest.
    Link(PathBuf, Manifest),
    /// The staging folder itself, an earlier output with this manifest (`own`), or else the
    /// live output at `live_dir` with its manifest `live`.
    InPlace {
        own: Manifest,
        live_dir: PathBuf,
        live: Manifest,
    },
}

/// The manifest of an output folder: per file, the hash of its bytes, its size and the
/// modification time it had when written.
pub const MANIFEST: &str = ".kyozai-manifest";

/// A manifest read back: entries by path.
pub type Manifest = HashMap<String, Entry>;

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
pub fn read_manifest(out: &Path) -> Manifest {
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

/// The manifest of `out` when it is kyozai's output (it has the marker); else empty.
pub fn output_manifest(out: &Path) -> Manifest {
    if out.join(super::MARKER).is_file() {
        read_manifest(out)
    } else {
        Manifest::default()
    }
}

/// Writes the manifest of the folder `dir`.
fn write_manifest<'a>(
    dir: &Path,
    entries: impl Iterator<Item = (&'a String, &'a Entry)>,
) -> Result<()> {
    use std::fmt::Write as _;
    let mut text = String::new();
    for (path, e) in entries {
        let _ = writeln!(text, "{:016x} {} {} {path}", e.hash, e.len, e.mtime);
    }
    // Replaced whole, never written into: a build killed meanwhile leaves the old one.
    let m = dir.join(MANIFEST);
    let tmp = dir.join(".kyozai-manifest.new");
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, &m))
        .map_err(|e| Error::io("write", &m, e))
}

/// The temporary name beside `p` that a file bound for `p` has while it is `what`.
fn temporary(p: &Path, what: &str) -> PathBuf {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    p.with_file_name(format!(".{name}.kyozai-{what}"))
}

/// Whether `path` (relative, `/`-separated) stays inside the folder it is joined to.
fn inside(path: &str) -> Result<&Path> {
    let rel = Path::new(path);
    if path.is_empty()
        || !rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Err(Error::Internal(format!(
            "refusing to write `{path}`, which is not a path inside the output folder"
        )));
    }
    Ok(rel)
}

impl DirSink {
    fn with(dir: &Path, from: From) -> DirSink {
        DirSink {
            dir: dir.to_path_buf(),
            made: Default::default(),
            from,
            entries: Default::default(),
            reused: Default::default(),
        }
    }

    /// A sink writing into the empty folder `dir`.
    pub fn new(dir: &Path) -> DirSink {
        DirSink::with(dir, From::Nothing)
    }

    /// A sink writing into the empty folder `dir` that hard-links the unchanged files of the
    /// previous output `out`.
    pub fn reusing(dir: &Path, out: &Path) -> DirSink {
        let manifest = output_manifest(out);
        if manifest.is_empty() {
            return DirSink::new(dir);
        }
        DirSink::with(dir, From::Link(out.to_path_buf(), manifest))
    }

    /// A sink updating `dir`, an earlier output whose manifest was `own`, in place; `out` is
    /// the live output and `live` its manifest.
    pub fn recycling(dir: &Path, own: Manifest, out: &Path, live: Manifest) -> DirSink {
        DirSink::with(
            dir,
            From::InPlace {
                own,
                live_dir: out.to_path_buf(),
                live,
            },
        )
    }

    /// Files in the output so far.
    pub fn count(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    /// Files taken unchanged from an earlier output so far.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::SeqCst)
    }

    /// Removes what an updated spare holds and this build did not make, then writes the
    /// manifest of what was written.
    pub fn finish(&self) -> Result<()> {
        let mut entries = self
            .entries
            .lock()
            .map_err(|_| Error::Internal("output list lock poisoned".into()))?;
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if let From::InPlace { own: old, .. } = &self.from {
            let gone = old.keys().filter(|k| {
                entries
                    .binary_search_by(|(p, _)| p.as_str().cmp(k.as_str()))
                    .is_err()
            });
            for rel in gone {
                let p = self.dir.join(inside(rel)?);
                // Gone, or now a folder of this build's files.
                match std::fs::symlink_metadata(&p) {
                    Ok(m) if !m.is_dir() => {
                        std::fs::remove_file(&p).map_err(|e| Error::io("remove", &p, e))?
                    }
                    _ => continue,
                }
                // Folders it leaves empty go too (removing one that is not empty fails).
                let mut d = p.parent();
                while let Some(dir) = d.filter(|d| *d != self.dir) {
                    if std::fs::remove_dir(dir).is_err() {
                        break;
                    }
                    d = dir.parent();
                }
            }
        }
        write_manifest(&self.dir, entries.iter().map(|(p, e)| (p, e)))
    }

    /// After a failed build, makes a spare being updated fit to be updated again: writes the
    /// manifest of what it holds now (the files this build wrote, and the spare's others as
    /// they were). False when the folder is not a spare, or the manifest cannot be written.
    pub fn salvage(&self) -> bool {
        let From::InPlace { own, .. } = &self.from else {
            return false;
        };
        let mut now = own.clone();
        if let Ok(entries) = self.entries.lock() {
            now.extend(entries.iter().cloned());
        }
        write_manifest(&self.dir, now.iter()).is_ok()
    }

    /// Keeps an earlier output's `rel` when it holds exactly these bytes, putting it at `to`
    /// (linked from the live output, or left in place in a recycled folder).
    fn reuse(&self, rel: &str, to: &Path, hash: u64, len: u64) -> Option<Entry> {
        let matching = |m: &Manifest| {
            m.get(rel)
                .copied()
                .filter(|e| e.hash == hash && e.len == len)
        };
        // Still the file that build wrote.
        let intact = |p: &Path, e: &Entry| {
            std::fs::symlink_metadata(p)
                .is_ok_and(|m| m.is_file() && m.len() == e.len && mtime(&m) == e.mtime)
        };
        match &self.from {
            From::Nothing => None,
            From::Link(dir, manifest) => {
                let e = matching(manifest)?;
                let old = dir.join(rel);
                if !intact(&old, &e) {
                    return None;
                }
                self.parent_of(to).ok()?;
                // `to` may hold the bytes just written (see `put_stream`): link over them.
                (std::fs::hard_link(&old, to).is_ok() || self.link_over(&old, to)).then_some(e)
            }
            From::InPlace {
                own,
                live_dir,
                live,
            } => {
                let (own, live) = (matching(own), matching(live));
                if let Some(l) = live {
                    if own == Some(l) && intact(to, &l) {
                        return Some(l);
                    }
                    let old = live_dir.join(rel);
                    if intact(&old, &l) && self.link_over(&old, to) {
                        return Some(l);
                    }
                }
                own.filter(|o| intact(to, o))
            }
        }
    }

    /// Hard-links `old` to `to`, replacing what is there.
    fn link_over(&self, old: &Path, to: &Path) -> bool {
        let link = temporary(to, "link");
        let _ = std::fs::remove_file(&link);
        let linked = std::fs::hard_link(old, &link).is_ok()
            || (self.parent_of(to).is_ok() && std::fs::hard_link(old, &link).is_ok());
        if linked && std::fs::rename(&link, to).is_ok() {
            return true;
        }
        let _ = std::fs::remove_file(&link);
        false
    }

    /// Makes the folder `p` goes in, once per folder.
    fn parent_of(&self, p: &Path) -> Result<()> {
        let Some(parent) = p.parent() else {
            return Ok(());
        };
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
        Ok(())
    }

    /// Creates `p` as a new file. In a recycled folder, whatever is at `p` is removed first
    /// (its inode may be the live output's), and folders are made only when missing.
    fn create(&self, p: &Path) -> Result<std::fs::File> {
        if let From::InPlace { .. } = self.from {
            match std::fs::remove_file(p) {
                Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
                    std::fs::remove_dir_all(p).map_err(|e| Error::io("remove", p, e))?
                }
                _ => {}
            }
            match std::fs::File::create(p) {
                Ok(f) => return Ok(f),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                // A file where this build has a folder.
                Err(_) => self.clear_way(p),
            }
        }
        self.parent_of(p)?;
        std::fs::File::create(p).map_err(|e| Error::io("write", p, e))
    }

    /// Removes the files that stand where the folders holding `p` go.
    fn clear_way(&self, p: &Path) {
        let Ok(rel) = p.strip_prefix(&self.dir) else {
            return;
        };
        let mut at = self.dir.clone();
        for c in rel.parent().into_iter().flat_map(Path::components) {
            at.push(c);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    let _ = std::fs::remove_file(&at);
                    return;
                }
                Err(_) => return,
            }
        }
    }

    /// Notes a file of the output for the manifest; `reused` when taken from an earlier one.
    fn record(&self, path: String, entry: Entry, reused: bool) {
        if let Ok(mut e) = self.entries.lock() {
            e.push((path, entry));
        }
        if reused {
            self.reused.fetch_add(1, Ordering::SeqCst);
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

impl crate::output::Sink for DirSink {
    fn put_stream(
        &self,
        path: String,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        use std::io::Write as _;
        let p = self.dir.join(inside(&path)?);
        let in_place = matches!(self.from, From::InPlace { .. });
        // Only once the file's hash is known can it be told whether the earlier output's file
        // may stay: in a recycled folder the new bytes go under a temporary name until then.
        let new = if in_place {
            temporary(&p, "new")
        } else {
            p.clone()
        };
        let file = self.create(&new)?;
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
        let written = Entry {
            hash,
            len,
            mtime: mtime(&m),
        };
        // The same bytes as an earlier output's file: that file (and its modification time)
        // takes the place of the one just written.
        match self.reuse(&path, &p, hash, len) {
            Some(e) => {
                if in_place {
                    std::fs::remove_file(&new).map_err(|e| Error::io("remove", &new, e))?;
                }
                self.record(path, e, true);
            }
            None => {
                if in_place {
                    std::fs::rename(&new, &p).map_err(|e| Error::io("write", &p, e))?;
                }
                self.record(path, written, false);
            }
        }
        Ok(())
    }

    fn put(&self, f: OutputFile) -> Result<()> {
        use std::io::Write as _;
        let p = self.dir.join(inside(&f.path)?);
        let hash = xxhash_rust::xxh3::xxh3_64(&f.bytes);
        let len = f.bytes.len() as u64;
        match self.reuse(&f.path, &p, hash, len) {
            Some(e) => self.record(f.path, e, true),
            None => {
                let mut file = self.create(&p)?;
                file.write_all(&f.bytes)
                    .map_err(|e| Error::io("write", &p, e))?;
                let mtime = mtime(&file.metadata().map_err(|e| Error::io("write", &p, e))?);
                self.record(f.path, Entry { hash, len, mtime }, false);
            }
        }
        Ok(())
    }
}
