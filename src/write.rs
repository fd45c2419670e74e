//! The `write` stage: puts the rendered files on disk atomically. Everything is written into a
//! staging folder beside the output; only when all of it is written is it swapped in, so a failed
//! or killed build leaves the previous output untouched. kyozai only ever replaces a folder that
//! is its own earlier output.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::OutputFile;

/// The file that marks a folder as kyozai's output.
pub const MARKER: &str = ".kyozai-output";

/// Checks that `out` is a folder kyozai may replace, for a course in `root`.
pub fn check_target(root: &Path, out: &Path) -> Result<PathBuf> {
    let root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    let abs = absolute(out)?;
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to write the site to {}: {why}",
            out.display()
        )))
    };
    if abs.parent().is_none() {
        return refuse("it is the file system's root");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if abs == home || home.starts_with(&abs) {
            return refuse("it is (or contains) your home folder");
        }
    }
    if root.starts_with(&abs) {
        return refuse(
            "it is (or contains) the course folder; use a folder inside it such as public/",
        );
    }
    for own in ["content", "themes", "static", ".git", "tests", "src"] {
        if abs.starts_with(root.join(own)) {
            return refuse(&format!(
                "it is inside the course's {own}/ folder, which holds source files"
            ));
        }
    }
    if abs.exists() {
        if !abs.is_dir() {
            return refuse("it is a file");
        }
        let empty = std::fs::read_dir(&abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !abs.join(MARKER).exists() {
            return refuse("the folder is not empty and was not written by kyozai; choose another folder or empty it");
        }
    }
    Ok(abs)
}

fn absolute(p: &Path) -> Result<PathBuf> {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io("read", Path::new("."), e))?
            .join(p)
    };
    // Resolve what exists (symlinks, `..`) and keep the rest.
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        if n == ".." {
            out.pop();
        } else if n != "." {
            out.push(n);
        }
    }
    Ok(out)
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.kyozai-{tag}-{}", std::process::id()))
}

fn pid_alive(pid: u32) -> bool {
    Path::new("/proc").is_dir() && Path::new(&format!("/proc/{pid}")).exists()
}

/// Removes staging and old folders left by builds that were killed, restoring the output if a
/// build died between its two renames.
pub fn recover(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.kyozai-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(&prefix) else {
            continue;
        };
        let (tag, pid) = rest.rsplit_once('-').unwrap_or((rest, ""));
        let pid: u32 = pid.parse().unwrap_or(0);
        if pid == std::process::id() || (pid != 0 && pid_alive(pid)) {
            continue;
        }
        if tag == "old" && !out.exists() {
            let _ = std::fs::rename(e.path(), out);
        } else {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Writes `files` to `out` atomically and returns how many files were written.
pub fn write(out: &Path, files: &[OutputFile]) -> Result<usize> {
    recover(out);
    refuse_read_only(out)?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    let staging = sibling(out, "staging");
    let _ = std::fs::remove_dir_all(&staging);
    let result = write_tree(&staging, files).and_then(|n| swap(&staging, out).map(|_| n));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// The check that the previous output can be replaced ([`refuse_read_only`]), run on a thread
/// of its own while the course is loaded and rendered.
pub struct Precheck(std::thread::JoinHandle<Result<()>>);

impl Precheck {
    /// Starts checking `out`.
    pub fn start(out: &Path) -> Precheck {
        recover(out);
        let out = out.to_path_buf();
        Precheck(std::thread::spawn(move || refuse_read_only(&out)))
    }

    fn finish(self) -> Result<()> {
        self.0
            .join()
            .unwrap_or_else(|_| Err(Error::Usage("internal: the output check stopped".into())))
    }
}

/// Like [`write`], but `fill` writes the files into the staging folder itself as they are made
/// (see [`DirSink`]); the swap happens only if it succeeds. `precheck` was started on `out`.
pub fn write_streaming(
    out: &Path,
    precheck: Precheck,
    fill: impl FnOnce(&Path) -> Result<usize>,
) -> Result<usize> {
    recover(out);
    precheck.finish()?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    let staging = sibling(out, "staging");
    let _ = std::fs::remove_dir_all(&staging);
    let result = std::fs::create_dir(&staging)
        .map_err(|e| Error::io("create the staging folder", &staging, e))
        .and_then(|_| fill(&staging))
        .and_then(|n| {
            let m = staging.join(MARKER);
            std::fs::write(
                &m,
                "This folder is written by kyozai and replaced on every build.\n",
            )
            .map_err(|e| Error::io("write", &m, e))?;
            swap(&staging, out).map(|_| n)
        });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

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

    fn record(&self, path: String, entry: Entry) {
        if let Ok(mut e) = self.entries.lock() {
            e.push((path, entry));
        }
        self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
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
        let entry = Entry {
            hash: w.hasher.digest(),
            len: w.len,
            mtime: mtime(&m),
        };
        self.record(path, entry);
        Ok(())
    }

    fn put(&self, f: OutputFile) -> Result<()> {
        let p = self.target(&f.path)?;
        let hash = xxhash_rust::xxh3::xxh3_64(&f.bytes);
        let len = f.bytes.len() as u64;
        let entry = match self.reuse(&f.path, &p, hash, len) {
            Some(e) => {
                self.reused
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                e
            }
            None => {
                use std::io::Write as _;
                let mut file = std::fs::File::create(&p).map_err(|e| Error::io("write", &p, e))?;
                file.write_all(&f.bytes)
                    .map_err(|e| Error::io("write", &p, e))?;
                let m = file.metadata().map_err(|e| Error::io("write", &p, e))?;
                Entry {
                    hash,
                    len,
                    mtime: mtime(&m),
                }
            }
        };
        self.record(f.path, entry);
        Ok(())
    }
}

/// The previous output is removed after the swap: a folder in it that cannot be emptied would
/// leave the build half done, so a read-only output is refused before anything is written.
fn refuse_read_only(out: &Path) -> Result<()> {
    if !out.is_dir() {
        return Ok(());
    }
    for e in walkdir::WalkDir::new(out)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if e.file_type().is_dir()
            && e.metadata()
                .map(|m| m.permissions().readonly())
                .unwrap_or(false)
        {
            let why = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "the folder is read-only; make the output folder writable (chmod -R u+w) or choose another one");
            return Err(Error::io(
                "replace the output folder, because of",
                e.path(),
                why,
            ));
        }
    }
    Ok(())
}

fn write_tree(dir: &Path, files: &[OutputFile]) -> Result<usize> {
    // Every file must land inside the output folder, whatever its path says.
    for f in files {
        let p = Path::new(&f.path);
        if f.path.is_empty()
            || !p
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Error::Usage(format!("internal error: refusing to write `{}`, which is not a path inside the output folder", f.path)));
        }
    }
    std::fs::create_dir(dir).map_err(|e| Error::io("create the staging folder", dir, e))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| Error::io("create", d, e))?;
    }
    files.par_iter().try_for_each(|f| {
        let p = dir.join(&f.path);
        std::fs::write(&p, &f.bytes).map_err(|e| Error::io("write", &p, e))
    })?;
    let m = dir.join(MARKER);
    std::fs::write(
        &m,
        "This folder is written by kyozai and replaced on every build.\n",
    )
    .map_err(|e| Error::io("write", &m, e))?;
    Ok(files.len())
}

/// Removes a folder tree, deleting the files of its subfolders in parallel: on large sites the
/// kernel's work of unlinking thousands of files costs as much as rendering them.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let mut subdirs = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            subdirs.push(e.path());
        } else {
            std::fs::remove_file(e.path())?;
        }
    }
    subdirs.par_iter().try_for_each(|d| remove_tree(d))?;
    std::fs::remove_dir(dir)
}

fn swap(staging: &Path, out: &Path) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out)
            .map_err(|e| Error::io("move the new output into place", out, e));
    }
    // Where the previous output ends up before it is removed.
    let old = if exchange(staging, out) {
        // One atomic step: the new site is the output, the previous one is at the staging path,
        // so there is no moment without an output (a killed build leaves the old one to
        // `recover`).
        staging.to_path_buf()
    } else {
        let old = sibling(out, "old");
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old)
            .map_err(|e| Error::io("move the previous output aside", out, e))?;
        if let Err(e) = std::fs::rename(staging, out) {
            let _ = std::fs::rename(&old, out);
            return Err(Error::io("move the new output into place", out, e));
        }
        old
    };
    if let Err(e) = remove_tree(&old) {
        // Put the previous output back rather than leave a build that is half done.
        if old == staging {
            if exchange(staging, out) {
                let _ = std::fs::remove_dir_all(staging);
            }
        } else if std::fs::rename(out, staging).is_ok() && std::fs::rename(&old, out).is_ok() {
            let _ = std::fs::remove_dir_all(staging);
        }
        return Err(Error::io("remove the previous output", &old, e));
    }
    Ok(())
}

/// Swaps two folders atomically (Linux `renameat2` with `RENAME_EXCHANGE`); false where that is
/// not available (other systems, file systems without it), and the caller renames twice instead.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::{c_char, c_int, c_uint, CString};
    use std::os::unix::ffi::OsStrExt;
    extern "C" {
        fn renameat2(
            olddirfd: c_int,
            oldpath: *const c_char,
            newdirfd: c_int,
            newpath: *const c_char,
            flags: c_uint,
        ) -> c_int;
    }
    const AT_FDCWD: c_int = -100;
    const RENAME_EXCHANGE: c_uint = 2;
    let (Ok(a), Ok(b)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both arguments are NUL-terminated paths that outlive the call; renameat2 only reads them.
    unsafe { renameat2(AT_FDCWD, a.as_ptr(), AT_FDCWD, b.as_ptr(), RENAME_EXCHANGE) == 0 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}
