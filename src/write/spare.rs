//! The spare: the output a build replaces is kept beside the new one (`.NAME.kyozai-spare`), and
//! the next build takes it as its staging folder and updates it in place — writing only the
//! files that changed and removing only those that went — before swapping it in. A rebuild then
//! never makes a whole new tree nor deletes an old one, which on a large site costs the kernel
//! more than rendering does.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::sink::{output_manifest, read_manifest, Manifest, MANIFEST};
use super::{DirSink, MARKER};
use crate::error::{Error, Result};

/// A spare found usable: the manifest it was written with, and what it holds besides (files
/// added to the output by hand before it became the spare), to be removed when it is claimed.
pub struct Spare {
    manifest: Manifest,
    /// Relative to the spare.
    extras: Vec<PathBuf>,
    /// The manifest of the live output.
    live: Manifest,
}

/// Where the spare of `out` is kept.
pub fn path(out: &Path) -> PathBuf {
    super::beside(out, "spare")
}

/// What an error about the spare says of it.
const KEPT: &str = "kyozai keeps the previous output there to update it into the next one";

/// Looks the spare of `out` over, without changing it. `None` when there is none or it cannot
/// be updated (no marker, or no manifest: that one is removed); an error when a folder in it is
/// read-only, since it could be neither updated nor removed.
pub fn scan(out: &Path) -> Result<Option<Spare>> {
    let spare = path(out);
    if !spare.join(MARKER).is_file() {
        return Ok(None);
    }
    let manifest = read_manifest(&spare);
    if manifest.is_empty() {
        let _ = std::fs::remove_dir_all(&spare);
        return Ok(None);
    }
    // Every folder that holds a file of the manifest, by path relative to the spare.
    let mut folders: HashSet<&str> = HashSet::new();
    for k in manifest.keys() {
        let mut k = k.as_str();
        while let Some((parent, _)) = k.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            k = parent;
        }
    }
    let mut extras = Vec::new();
    let mut walk = walkdir::WalkDir::new(&spare)
        .min_depth(1)
        .follow_links(false)
        .into_iter();
    while let Some(e) = walk.next() {
        let e = e.map_err(|e| {
            let at = e.path().unwrap_or(&spare).to_path_buf();
            let why = std::io::Error::other(format!("{e}; {KEPT}: make it readable or delete it"));
            Error::io("read", &at, why)
        })?;
        let path = e.path().strip_prefix(&spare).unwrap_or(e.path());
        let Some(rel) = path.to_str() else {
            extras.push(path.to_path_buf());
            continue;
        };
        if e.file_type().is_dir() {
            if !folders.contains(rel) {
                extras.push(path.to_path_buf());
                walk.skip_current_dir();
            } else if e
                .metadata()
                .map(|m| m.permissions().readonly())
                .unwrap_or(false)
            {
                let why = std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!("the folder is read-only; {KEPT}: make it writable (chmod -R u+w) or delete it"),
                );
                return Err(Error::io("update", e.path(), why));
            }
        } else if !(manifest.contains_key(rel) || rel == MARKER || rel == MANIFEST) {
            extras.push(path.to_path_buf());
        }
    }
    Ok(Some(Spare {
        manifest,
        extras,
        live: output_manifest(out),
    }))
}

/// Moves the spare of `out` to `staging` and removes what it holds besides its manifest's
/// files; returns a sink that updates it. `None` when it could not be claimed (`staging` then
/// does not exist).
pub fn claim(spare: Spare, out: &Path, staging: &Path) -> Option<DirSink> {
    std::fs::rename(path(out), staging).ok()?;
    let cleaned = spare.extras.iter().map(|rel| staging.join(rel)).all(|p| {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&p),
            Ok(_) => std::fs::remove_file(&p),
            Err(_) => Ok(()),
        }
        .is_ok()
    });
    // The manifest stays: should this build be killed, it still tells which files are the ones
    // it lists (a file this build replaces has another modification time), and the folder can
    // be the spare again.
    if !cleaned {
        let _ = std::fs::remove_dir_all(staging);
        return None;
    }
    Some(DirSink::recycling(staging, spare.manifest, out, spare.live))
}

/// Removes the spare of `out`, if it is one (it has the marker).
pub fn discard(out: &Path) {
    let spare = path(out);
    if spare.join(MARKER).is_file() {
        let _ = std::fs::remove_dir_all(&spare);
    }
}

/// Keeps `old`, an output (or a spare) with its marker and manifest, as the spare of `out`.
/// False when that is not possible (no manifest, or something else already has the spare's
/// name); the caller then removes `old`.
pub fn keep(old: &Path, out: &Path) -> bool {
    let spare = path(out);
    if std::fs::symlink_metadata(&spare).is_ok() {
        return false;
    }
    old.join(MARKER).is_file()
        && old.join(MANIFEST).is_file()
        && std::fs::rename(old, &spare).is_ok()
}
