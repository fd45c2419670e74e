//! The `write` stage: puts the rendered files on disk atomically. Everything is written into a
//! staging folder beside the output; only when all of it is written is it swapped in, so a failed
//! or killed build leaves the previous output untouched. The output replaced is kept as the spare
//! the next build updates ([`spare`]). kyozai only ever replaces a folder that is its own earlier
//! output.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::output::OutputFile;

mod sink;
pub mod spare;

pub use sink::{DirSink, MANIFEST};

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

/// The hidden folder `.NAME.kyozai-WHAT` beside the output `out` (`NAME`).
fn beside(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.kyozai-{what}"))
}

/// This process's folder `tag` beside the output `out`.
fn sibling(out: &Path, tag: &str) -> PathBuf {
    beside(out, &format!("{tag}-{}", std::process::id()))
}

/// Whether process `pid` still runs (always false where `/proc` is missing).
pub(crate) fn pid_alive(pid: u32) -> bool {
    Path::new("/proc").is_dir() && Path::new(&format!("/proc/{pid}")).exists()
}

/// Deals with the staging and old folders left by builds that were killed: restores the output
/// if a build died between its two renames; keeps as the spare a folder that has its manifest
/// (a spare being updated, or a whole output), which the next build can update like any spare;
/// removes the others.
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
        if tag == "spare" || pid == std::process::id() || (pid != 0 && pid_alive(pid)) {
            continue;
        }
        if tag == "old" && !out.exists() {
            let _ = std::fs::rename(e.path(), out);
        } else if !spare::keep(&e.path(), out) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Writes `files` to `out` atomically; with `keep_spare`, the output it replaces is kept as the
/// spare (see [`spare`]).
pub fn write(out: &Path, files: &[OutputFile], keep_spare: bool) -> Result<Written> {
    use crate::output::Sink as _;
    write_streaming(out, Precheck::start(out, keep_spare), |sink| {
        files.iter().try_for_each(|f| sink.put(f.clone()))
    })
}

/// The checks that the previous output can be replaced (no read-only folder in it) and that its
/// spare can be updated ([`spare::scan`]), run on a thread of their own while the course is
/// loaded and rendered.
pub struct Precheck {
    check: std::thread::JoinHandle<Result<Option<spare::Spare>>>,
    /// Whether the output a build replaces is kept as the spare.
    keep: bool,
}

impl Precheck {
    /// Starts checking `out`. Without `keep_spare`, the spare is not used, and is removed.
    pub fn start(out: &Path, keep_spare: bool) -> Precheck {
        recover(out);
        let out = out.to_path_buf();
        let check = std::thread::spawn(move || {
            let spare = if keep_spare {
                spare::scan(&out)?
            } else {
                spare::discard(&out);
                None
            };
            if spare.is_none() {
                refuse_read_only(&out)?;
            }
            Ok(spare)
        });
        Precheck {
            check,
            keep: keep_spare,
        }
    }

    fn finish(self) -> Result<Option<spare::Spare>> {
        self.check
            .join()
            .unwrap_or_else(|_| Err(Error::Internal("the output check stopped".into())))
    }
}

/// What [`write_streaming`] put in the output.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    /// Files in the output.
    pub files: usize,
    /// Of them, files an earlier output already held.
    pub reused: usize,
}

/// Writes a new output at `out`: `fill` puts the files into a [`DirSink`] on the staging folder
/// as they are made, and the staging folder is swapped in only if it succeeds. The staging folder
/// is the spare when there is one (updated in place), else a new folder that hard-links the
/// unchanged files of the current output. `precheck` was started on `out`.
pub fn write_streaming(
    out: &Path,
    precheck: Precheck,
    fill: impl FnOnce(&DirSink) -> Result<()>,
) -> Result<Written> {
    let keep = precheck.keep;
    let spare = precheck.finish()?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    let staging = sibling(out, "staging");
    let _ = std::fs::remove_dir_all(&staging);
    let sink = match spare.and_then(|s| spare::claim(s, out, &staging)) {
        Some(sink) => sink,
        None => std::fs::create_dir(&staging)
            .map(|_| DirSink::reusing(&staging, out))
            .map_err(|e| Error::io("create the staging folder", &staging, e))?,
    };
    let result = fill(&sink).and_then(|_| {
        sink.finish()?;
        let m = staging.join(MARKER);
        if !m.is_file() {
            std::fs::write(
                &m,
                "This folder is written by kyozai and replaced on every build.\n",
            )
            .map_err(|e| Error::io("write", &m, e))?;
        }
        swap(&staging, out, keep)?;
        Ok(Written {
            files: sink.count(),
            reused: sink.reused(),
        })
    });
    // A spare the failed build had begun to update is kept for the next one, with a manifest
    // of what it now holds; any other staging folder goes.
    if result.is_err() && !(keep && sink.salvage() && spare::keep(&staging, out)) {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// The output a build replaces becomes the spare the next build updates in place (or, where it
/// cannot be kept, is removed after the swap): a read-only folder in it would leave a build half
/// done, so a read-only output is refused before anything is written.
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

fn swap(staging: &Path, out: &Path, keep_spare: bool) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out)
            .map_err(|e| Error::io("move the new output into place", out, e));
    }
    // Where the previous output ends up before it is kept as the spare (or removed).
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
    if keep_spare && spare::keep(&old, out) {
        return Ok(());
    }
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
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}
