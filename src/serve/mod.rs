//! `kyozai serve`: builds the course into a temporary folder, serves it on a local port
//! ([`http`], [`sse`], [`live`]), watches the sources ([`watch`]) and rebuilds what changed ([`session`]),
//! telling open browsers to reload or showing them the error.

pub mod http;
mod inject;
pub mod live;
pub mod session;
pub mod sse;
pub mod stage;
pub mod watch;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use http::{ErrorReport, LiveState};
use session::Session;

/// Options of a serving session.
#[derive(Debug, Clone)]
pub struct Options {
    /// The course folder.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port asked for (the next free one is taken when it is in use).
    pub port: u16,
    /// Open the course in the default browser.
    pub open: bool,
    /// Include pages marked draft.
    pub drafts: bool,
}

/// What the server tells the author while it runs; the command prints it (this module prints
/// nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice<'a> {
    /// A status line: built, serving at, a rebuild's summary, stopped (standard output).
    Status(&'a str),
    /// A build error or a warning (standard error, shown even when quiet).
    Problem(&'a str),
}

const PLACEHOLDER: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kyozai</title></head><body><main><h1>The course could not be built yet</h1><p>Fix the error shown above; this page reloads by itself.</p></main></body></html>";

/// The folder `kyozai serve` (process `pid`) writes the site into: in memory-backed storage
/// when the system has some (`$XDG_RUNTIME_DIR`, else `/dev/shm`) with room for a site of about
/// `size` bytes (see [`has_room`]), since a full rebuild rewrites thousands of files, unless
/// `TMPDIR` names the place; else in the temporary folder, on disk. The flag says whether the
/// site is in memory-backed storage.
pub fn output_dir_sized(pid: u32, size: u64) -> (PathBuf, bool) {
    let name = format!("kyozai-serve-{pid}");
    if std::env::var_os("TMPDIR").is_none() {
        if let Some(base) = memory_backed().find(|b| b.is_dir()) {
            if has_room(&base, size) {
                return (base.join(name), true);
            }
        }
    }
    (std::env::temp_dir().join(name), false)
}

/// The folder `kyozai serve` (process `pid`) writes a site into that memory-backed storage has
/// room for: [`output_dir_sized`] of a small site.
pub fn output_dir(pid: u32) -> PathBuf {
    output_dir_sized(pid, 0).0
}

/// About how many bytes the site built from the course at `root` takes: ten times its sources
/// (a page of Markdown becomes its HTML, its share of the search index and of the handouts).
pub fn expected_size(root: &Path) -> u64 {
    fn walk(p: &Path) -> u64 {
        let Ok(rd) = std::fs::read_dir(p) else {
            return 0;
        };
        rd.flatten()
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => walk(&e.path()),
                Ok(_) => e.metadata().map(|m| m.len()).unwrap_or(0),
                Err(_) => 0,
            })
            .sum()
    }
    walk(&root.join("content")).saturating_mul(10)
}

/// Whether memory-backed storage at `base` has room for a site of `size` bytes: twice that free
/// on it (a full rebuild writes beside the files it replaces), and no more than half the memory
/// the system still has available (its files are held in memory).
pub fn has_room(base: &Path, size: u64) -> bool {
    let free = free_bytes(base).unwrap_or(u64::MAX);
    let memory = memory_available().unwrap_or(u64::MAX);
    free / 2 >= size && memory / 2 >= size
}

/// Bytes free for us on the file system holding `p`, when it can be told.
#[cfg(target_os = "linux")]
fn free_bytes(p: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(p).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(not(target_os = "linux"))]
fn free_bytes(_: &Path) -> Option<u64> {
    None
}

/// The memory the system can still give (`MemAvailable` of Linux's `/proc/meminfo`).
fn memory_available() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.saturating_mul(1024))
}

/// The memory-backed places a server's folder may be in, the first existing one preferred.
fn memory_backed() -> impl Iterator<Item = PathBuf> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from);
    [runtime, Some(PathBuf::from("/dev/shm"))]
        .into_iter()
        .flatten()
        .filter(|b| b.is_absolute())
}

/// Removes the folders that servers which did not stop cleanly (killed outright, or the
/// machine's power cut) left where [`output_dir`] puts them: in memory-backed storage they
/// would hold memory until the next reboot.
fn sweep_dead_servers() {
    for base in memory_backed().chain(
        [std::env::temp_dir()]
            .into_iter()
            .filter(|b| b.is_absolute()),
    ) {
        let Ok(entries) = std::fs::read_dir(&base) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(pid) = name
                .to_str()
                .and_then(|n| n.strip_prefix("kyozai-serve-"))
                .and_then(|p| p.parse::<u32>().ok())
            else {
                continue;
            };
            let ours = e.file_type().is_ok_and(|t| t.is_dir()) && owned_by_us(&e.path());
            if ours && pid != std::process::id() && !crate::write::pid_alive(pid) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

#[cfg(unix)]
fn owned_by_us(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // `/proc/self` belongs to the user the process runs as.
    let (Ok(me), Ok(m)) = (
        std::fs::metadata("/proc/self"),
        std::fs::symlink_metadata(p),
    ) else {
        return false;
    };
    m.uid() == me.uid()
}

#[cfg(not(unix))]
fn owned_by_us(_: &Path) -> bool {
    false
}

/// Runs the server until Ctrl-C, telling `tell` what happens.
pub fn run(opts: Options, tell: &dyn Fn(Notice)) -> Result<()> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io("read", &opts.root, e))?;
    if !root.join("kyozai.toml").is_file() {
        crate::config::Config::load(&root)?;
    }
    sweep_dead_servers();
    let size = expected_size(&root);
    let (mut out, in_memory) = output_dir_sized(std::process::id(), size);
    if !in_memory && std::env::var_os("TMPDIR").is_none() && memory_backed().any(|b| b.is_dir()) {
        tell(Notice::Status(&format!(
            "memory-backed storage has too little room for this course's site (about {} MB): serving it from {}",
            size / 1_000_000,
            out.display()
        )));
    }
    let _ = std::fs::remove_dir_all(&out);
    if std::fs::create_dir_all(&out).is_err() {
        out = std::env::temp_dir().join(out.file_name().unwrap_or_default());
        std::fs::create_dir_all(&out).map_err(|e| Error::io("create", &out, e))?;
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let result = serve(&root, &out, &opts, &stop, tell);
    let _ = std::fs::remove_dir_all(&out);
    result
}

fn serve(
    root: &Path,
    out: &Path,
    opts: &Options,
    stop: &Arc<AtomicBool>,
    tell: &dyn Fn(Notice),
) -> Result<()> {
    let say = |msg: &str| tell(Notice::Status(msg));
    let complain = |msg: &str| tell(Notice::Problem(msg));
    let mut session = Session::new(
        root,
        crate::build::Options {
            drafts: opts.drafts,
            base_path: None,
        },
        out,
    );
    let live = LiveState::new(out.to_path_buf());
    // Watch before the first build, so that edits made while it runs are not missed.
    let mut watcher = watch::Watcher::new(root)?;
    match session.full() {
        Ok(r) => {
            live.set_words(live::words(session.theme()));
            say(&format!("built {} files", r.written));
        }
        Err(e) => {
            complain(&e.to_string());
            live.set_words(live::words(first_theme(root).as_ref()));
            let _ = stage::Stage::write_now(
                out,
                [crate::render::OutputFile {
                    path: "index.html".into(),
                    bytes: PLACEHOLDER.as_bytes().to_vec(),
                }],
            );
            live.set_error(Some(ErrorReport::new(root, &e)));
        }
    }
    let listener = http::bind(opts.bind, opts.port)
        .map_err(|e| Error::Usage(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Internal(format!("the server has no address: {e}")))?;
    let host = if addr.ip().is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    let url = format!("http://{host}:{}/", addr.port());
    if !opts.bind.is_loopback() {
        complain(&format!(
            "warning: serving on {} makes the course, drafts included, visible to the network",
            opts.bind
        ));
    }
    say(&format!("serving the course at {url}  (Ctrl-C to stop)"));
    if opts.open {
        let _ = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    let server = {
        let live = live.clone();
        let stop = stop.clone();
        std::thread::spawn(move || http::run(listener, live, stop))
    };
    while let Some(batch) = watcher.next_batch(stop, Duration::from_millis(20)) {
        match session.rebuild(&batch) {
            Ok(r) => {
                if !r.incremental {
                    live.set_words(live::words(session.theme()));
                }
                if live.error().is_some() {
                    live.set_error(None);
                }
                if r.written + r.removed > 0 {
                    live.reload(r.css_only);
                }
                say(&format!(
                    "{} changed: {} files written in {:.0} ms{}",
                    describe(&batch),
                    r.written,
                    r.millis,
                    if r.incremental { " (incremental)" } else { "" }
                ));
                if let Err(e) = session.finish() {
                    complain(&e.to_string());
                }
            }
            Err(e) => {
                complain(&e.to_string());
                live.set_error(Some(ErrorReport::new(root, &e)));
            }
        }
    }
    let _ = server.join();
    say("stopped");
    Ok(())
}

/// The course's theme when the first build failed, if it loads (else the overlay speaks with the
/// built-in theme's words).
fn first_theme(root: &Path) -> Option<crate::render::theme::Theme> {
    let name = crate::config::Config::load(root)
        .map(|c| c.theme)
        .unwrap_or_else(|_| "default".to_owned());
    crate::render::theme::Theme::load(root, &name).ok()
}

fn describe(batch: &[watch::Change]) -> String {
    match batch {
        [one] => one.rel.display().to_string(),
        many => format!("{} files", many.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_too_large_for_memory_goes_to_the_disk() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(has_room(dir.path(), 1));
        assert!(!has_room(dir.path(), u64::MAX / 2));
        let (out, in_memory) = output_dir_sized(7, u64::MAX / 2);
        assert!(!in_memory);
        assert_eq!(out, std::env::temp_dir().join("kyozai-serve-7"));
        let (out, in_memory) = output_dir_sized(7, 1);
        if in_memory {
            assert!(memory_backed().any(|b| out == b.join("kyozai-serve-7")));
        }
        assert_eq!(output_dir(7), output_dir_sized(7, 0).0);
    }

    #[test]
    fn the_expected_size_is_ten_times_the_sources() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("content/a")).unwrap();
        std::fs::write(dir.path().join("content/a/x.md"), "12345").unwrap();
        std::fs::write(dir.path().join("content/y.md"), "123").unwrap();
        std::fs::write(dir.path().join("kyozai.toml"), "not counted").unwrap();
        assert_eq!(expected_size(dir.path()), 80);
    }
}
