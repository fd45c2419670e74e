//! Writes the package's files into a zip archive, atomically: the archive is written to a hidden
//! temporary file beside the target and renamed over it only when it is complete, so a failed or
//! killed run leaves the previous package as it was (the next run removes the temporary file a
//! killed one left). Entries are stored in path order with a
//! fixed date (1980-01-01), so the same course always gives the same bytes.

use std::io::Write;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};
use crate::output::OutputFile;

/// The temporary file a run writes before renaming it to `out`.
fn temp_of(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "package.zip".into());
    out.with_file_name(format!(".{name}.kyozai-{}.tmp", std::process::id()))
}

/// Removes the temporary files beside `out` of runs that were killed (their process is gone).
fn remove_stale(out: &Path) {
    let (Some(name), Some(parent)) = (out.file_name(), out.parent()) else {
        return;
    };
    let prefix = format!(".{}.kyozai-", name.to_string_lossy());
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let pid = n
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(".tmp"))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !crate::write::pid_alive(pid) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Writes `files` (sorted by path here) into the zip archive `out`, replacing it atomically.
/// Returns the archive's size in bytes.
pub fn write_zip(out: &Path, files: &mut [OutputFile]) -> Result<u64> {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    remove_stale(out);
    let tmp = temp_of(out);
    let result = fill(&tmp, files).and_then(|size| {
        std::fs::rename(&tmp, out)
            .map_err(|e| Error::io("move the new package into place", out, e))?;
        Ok(size)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn fill(tmp: &Path, files: &[OutputFile]) -> Result<u64> {
    let file = std::fs::File::create(tmp).map_err(|e| Error::io("create", tmp, e))?;
    let zip_err = |e: zip::result::ZipError| Error::io("write", tmp, std::io::Error::other(e));
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for f in files {
        // Images and fonts are compressed already; deflating them again only costs time.
        let stored = [
            ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff2", ".pdf", ".zip",
        ]
        .iter()
        .any(|ext| f.path.ends_with(ext));
        let method = if stored {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(f.path.as_str(), options.compression_method(method))
            .map_err(zip_err)?;
        zip.write_all(&f.bytes)
            .map_err(|e| Error::io("write", tmp, e))?;
    }
    let mut inner = zip.finish().map_err(zip_err)?;
    inner.flush().map_err(|e| Error::io("write", tmp, e))?;
    let file = inner
        .into_inner()
        .map_err(|e| Error::io("write", tmp, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io("write", tmp, e))?;
    file.metadata()
        .map(|m| m.len())
        .map_err(|e| Error::io("read", tmp, e))
}
