//! Printing the handouts and slides to PDF with headless Chromium, after the site is written.
//!
//! Every handout page `LANG/handouts/NAME/index.html` of every language is printed by Chromium's
//! own command line (`--print-to-pdf`) to `LANG/handouts/NAME.pdf` beside it, every chapter's deck
//! `LANG/slides/NAME/index.html` to `LANG/slides/NAME.pdf` (one 16:9 slide per page) and its notes
//! pages `LANG/slides/NAME/notes.html` to `LANG/slides/NAME-notes.pdf`: page sizes as the print
//! styles ask, the page's `<title>` as the document title, its `lang` as the document language,
//! real text with the fonts embedded, and bookmarks from the headings. Chromium runs with a
//! throw-away profile (removed afterwards, also on error), no network (a dead proxy and a host
//! resolver that resolves nothing) and no header or footer of its own.
//!
//! Once the PDFs exist, the links to them are turned on: the handout pages carry theirs as
//! `data-pdf-href` (see [`crate::render::handouts`]), and every page that links to a chapter
//! handout (`class="handout-link"`) gets a PDF link beside it. A site built without PDFs therefore
//! never links to a missing file. Chromium prints from the written site into a temporary folder;
//! the site is then written again through the write stage with the PDFs and the links in it (the
//! pages that changed are new files, the others linked from the output), so no file of the live
//! output, which a rebuild shares with the hidden spare, is ever written into.
//!
//! Chromium is found from `--chromium PATH`, else `$KYOZAI_CHROMIUM`, else `chromium`,
//! `chromium-browser`, `google-chrome` or `google-chrome-stable` on `PATH`. Japanese text needs a
//! Japanese font installed (Debian: `fonts-noto-cjk`).

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use crate::build::Built;
use crate::error::{Error, Result};
use crate::output::{OutputFile, Sink};
use crate::render::handouts;

/// The programs looked for on `PATH`, in order.
pub const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];
/// The environment variable naming the browser.
pub const ENV: &str = "KYOZAI_CHROMIUM";
/// How long one page may take to print.
const TIMEOUT: Duration = Duration::from_secs(180);

/// One PDF written.
#[derive(Debug, Clone)]
pub struct Printed {
    /// Path inside the output folder, `/`-separated (`ja/handouts/handbook.pdf`).
    pub path: String,
    /// Size of the PDF.
    pub bytes: u64,
    /// How long Chromium took to print it.
    pub millis: u128,
}

/// What a PDF run did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The Chromium it printed with.
    pub chromium: PathBuf,
    /// Every PDF written, in the order printed.
    pub printed: Vec<Printed>,
    /// Pages whose PDF links were turned on.
    pub linked_pages: usize,
    /// How long the whole run took.
    pub millis: u128,
}

/// Chromium was not found or failed: `message` says what happened and how to fix it.
fn failed(message: String) -> Error {
    Error::Tool {
        tool: "Chromium",
        message,
    }
}

/// Finds Chromium: `explicit`, else `$KYOZAI_CHROMIUM`, else the first of [`CANDIDATES`] on `PATH`.
pub fn find_chromium(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return usable(p).ok_or_else(|| {
            failed(format!(
                "--chromium {}: no such program (give the path of a Chromium or Chrome executable)",
                p.display()
            ))
        });
    }
    if let Some(v) = std::env::var_os(ENV).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&v);
        return usable(&p).ok_or_else(|| failed(format!("{ENV}={}: no such program (set it to the path of a Chromium or Chrome executable, or unset it)", p.display())));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in CANDIDATES {
        for dir in std::env::split_paths(&path) {
            if let Some(p) = usable(&dir.join(name)) {
                return Ok(p);
            }
        }
    }
    Err(failed(format!(
        "no Chromium found to print the PDFs with: looked for {} on PATH and ${ENV}\n  install it (Debian, Ubuntu: `apt-get install chromium fonts-noto-cjk`), or give its path with --chromium PATH or {ENV}=PATH",
        CANDIDATES.join(", ")
    )))
}

/// `p` if it is a file we may run (an executable, or found on PATH when it has no folder part).
fn usable(p: &Path) -> Option<PathBuf> {
    if p.components().count() == 1 && !p.exists() {
        let path = std::env::var_os("PATH").unwrap_or_default();
        return std::env::split_paths(&path).find_map(|d| usable(&d.join(p)));
    }
    let meta = std::fs::metadata(p).ok()?;
    if !meta.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o111 == 0 {
            return None;
        }
    }
    Some(p.to_path_buf())
}

/// A temporary Chromium profile, removed when dropped.
struct Profile(tempfile::TempDir);

impl Profile {
    fn new() -> Result<Profile> {
        tempfile::Builder::new()
            .prefix("kyozai-chromium-")
            .tempdir()
            .map(Profile)
            .map_err(|e| {
                Error::io(
                    "create the temporary browser profile",
                    &std::env::temp_dir(),
                    e,
                )
            })
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        // Chromium's helpers may still be closing their files for a moment.
        for _ in 0..20 {
            if std::fs::remove_dir_all(self.path()).is_ok() || !self.path().exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The command line that prints `url` to `pdf` with the profile `profile`.
pub fn command(chromium: &Path, profile: &Path, url: &str, pdf: &Path) -> Command {
    let mut c = Command::new(chromium);
    c.arg("--headless")
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg("--disable-dev-shm-usage")
        .arg("--disable-background-networking")
        .arg("--disable-component-update")
        .arg("--disable-sync")
        .arg("--disable-extensions")
        .arg("--disable-default-apps")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--mute-audio")
        .arg("--proxy-server=127.0.0.1:9")
        .arg("--host-resolver-rules=MAP * ~NOTFOUND")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg("--no-pdf-header-footer")
        // The same for Chromium before version 112, which ignores the name above (and the other way round).
        .arg("--print-to-pdf-no-header")
        .arg("--generate-pdf-document-outline")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Prints one HTML file to a PDF file.
pub fn print_page(chromium: &Path, profile: &Path, html: &Path, pdf: &Path) -> Result<()> {
    let url = crate::percent::file_url(html);
    let tmp = pdf.with_extension("pdf.part");
    let _ = std::fs::remove_file(&tmp);
    let mut child = command(chromium, profile, &url, &tmp)
        .spawn()
        .map_err(|e| failed(format!("cannot run {}: {e}", chromium.display())))?;
    // Drain the output in the background so Chromium never blocks on a full pipe.
    let drain = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut r) = r {
                let _ = r.read_to_string(&mut s);
            }
            s
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let status = match child.wait_timeout(TIMEOUT) {
        Ok(Some(s)) => Some(s),
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
        Err(e) => return Err(failed(format!("waiting for {}: {e}", chromium.display()))),
    };
    let log = format!(
        "{}{}",
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default()
    );
    let written = std::fs::metadata(&tmp).map(|m| m.len()).unwrap_or(0);
    let ok = status.is_some_and(|s| s.success()) && written > 0 && starts_with_pdf(&tmp);
    if !ok {
        let _ = std::fs::remove_file(&tmp);
        let why = match status {
            None => format!("it did not finish within {} s", TIMEOUT.as_secs()),
            Some(s) if !s.success() => format!("it exited with {s}"),
            _ => "it wrote no PDF".to_string(),
        };
        let detail: Vec<&str> = log
            .lines()
            .filter(|l| !l.contains("dbus") && !l.trim().is_empty())
            .take(8)
            .collect();
        return Err(failed(format!(
            "Chromium could not print {}: {why}{}{}",
            html.display(),
            if detail.is_empty() { "" } else { "\n  " },
            detail.join("\n  ")
        )));
    }
    std::fs::rename(&tmp, pdf).map_err(|e| Error::io("move the PDF into place", pdf, e))
}

fn starts_with_pdf(p: &Path) -> bool {
    let mut head = [0u8; 5];
    std::fs::File::open(p)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"%PDF-"
}

/// Prints every handout and deck of the site `built`, written to `out`, then writes the site
/// again with the PDFs and the links to them, through the write stage (with `keep_spare`, the
/// output it replaces is kept as the spare); returns what was printed, for the command to report
/// (this module prints nothing).
pub fn print_site(built: &Built, out: &Path, chromium: &Path, keep_spare: bool) -> Result<Report> {
    let start = Instant::now();
    let site = &built.site;
    let list = handouts::list(site);
    let profile = Profile::new()?;
    let mut printed = Vec::new();
    // Every handout, then every chapter's slides (one slide per page) and notes pages.
    let mut jobs: Vec<(String, String)> = Vec::new();
    for lang in site.languages() {
        for h in &list {
            jobs.push((
                format!("{lang}/handouts/{}/index.html", h.name),
                format!("{lang}/handouts/{}.pdf", h.name),
            ));
        }
        for c in crate::render::slides::chapters(site) {
            let name = &site.pages[c].slug_path;
            jobs.push((
                format!("{lang}/slides/{name}/index.html"),
                format!("{lang}/slides/{name}.pdf"),
            ));
            jobs.push((
                format!("{lang}/slides/{name}/notes.html"),
                format!("{lang}/slides/{name}-notes.pdf"),
            ));
        }
    }
    // The PDFs are printed here, and reach the output with the second write.
    let printing = tempfile::Builder::new()
        .prefix("kyozai-pdf-")
        .tempdir()
        .map_err(|e| Error::io("create a temporary folder", &std::env::temp_dir(), e))?;
    for (page, rel) in jobs {
        let html = out.join(&page);
        if !html.is_file() {
            continue;
        }
        let pdf = printing.path().join(&rel);
        if let Some(parent) = pdf.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        let t = Instant::now();
        print_page(chromium, profile.path(), &html, &pdf)?;
        let bytes = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
        printed.push(Printed {
            path: rel,
            bytes,
            millis: t.elapsed().as_millis(),
        });
    }
    drop(profile);
    let mut linked_pages = 0;
    crate::write::write_streaming(
        out,
        crate::write::Precheck::start(out, keep_spare),
        |sink| {
            linked_pages = put_linked(built, &printed, sink)?;
            for p in &printed {
                let from = printing.path().join(&p.path);
                let mut file =
                    std::fs::File::open(&from).map_err(|e| Error::io("read", &from, e))?;
                sink.put_stream(p.path.clone(), &mut |w| {
                    std::io::copy(&mut file, w).map(|_| ())
                })?;
            }
            Ok(())
        },
    )?;
    Ok(Report {
        chromium: chromium.to_path_buf(),
        printed,
        linked_pages,
        millis: start.elapsed().as_millis(),
    })
}

/// One line describing a PDF run.
pub fn summary(r: &Report, out: &Path) -> String {
    let total: u64 = r.printed.iter().map(|p| p.bytes).sum();
    format!(
        "printed {} PDFs ({}) into {} with {} in {} ms",
        r.printed.len(),
        human_size(total),
        out.display(),
        r.chromium.display(),
        r.millis
    )
}

/// `1.4 MB`, `820 kB`.
pub fn human_size(b: u64) -> String {
    if b >= 1_000_000 {
        format!("{:.1} MB", b as f64 / 1_000_000.0)
    } else {
        format!("{} kB", b.div_ceil(1000))
    }
}

/// Hands every file of `built` to `sink`, the pages of each language with their links to the
/// `printed` PDFs turned on. Returns how many pages changed.
fn put_linked(built: &Built, printed: &[Printed], sink: &dyn Sink) -> Result<usize> {
    let files: HashSet<&str> = built
        .output
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(printed.iter().map(|p| p.path.as_str()))
        .collect();
    let labels: HashMap<&str, String> = built
        .site
        .languages()
        .into_iter()
        .map(|l| (l, built.theme.strings(l).get("handout_pdf").to_string()))
        .collect();
    let mut changed = 0;
    for f in &built.output.files {
        let (folder, _) = f.path.rsplit_once('/').unwrap_or(("", &f.path));
        let label = f
            .path
            .split_once('/')
            .and_then(|(lang, _)| labels.get(lang))
            .filter(|_| f.path.ends_with(".html"));
        let linked = label.and_then(|label| {
            let html = std::str::from_utf8(&f.bytes).ok()?;
            if !html.contains("data-pdf-href=\"") && !html.contains("class=\"handout-link\"") {
                return None;
            }
            let new = link_pdfs(
                html,
                |href| files.contains(joined(folder, href).as_str()),
                label,
            );
            (new != html).then_some(new)
        });
        match linked {
            Some(new) => {
                changed += 1;
                sink.put(OutputFile {
                    path: f.path.clone(),
                    bytes: new.into_bytes(),
                })?
            }
            None => sink.put(f.clone())?,
        }
    }
    Ok(changed)
}

/// The path inside the output of `href`, a relative link from a page in `folder`.
fn joined(folder: &str, href: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `html` with its PDF links on, for the PDFs that exist: `exists` says whether a relative link
/// from the page leads to a file of the output.
pub fn link_pdfs(html: &str, exists: impl Fn(&str) -> bool, label: &str) -> String {
    let exists = |href: &str| !href.contains("://") && !href.starts_with('/') && exists(href);
    // The handouts' own slots: <a class="pdf-link" data-pdf-href="X" … hidden>.
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    const SLOT: &str = "data-pdf-href=\"";
    while let Some(at) = rest.find(SLOT) {
        let start = at + SLOT.len();
        let Some(end) = rest[start..].find('"').map(|e| start + e) else {
            break;
        };
        let href = &rest[start..end];
        let tag_end = rest[end..].find('>').map(|e| end + e).unwrap_or(rest.len());
        if exists(href) {
            out.push_str(&rest[..at]);
            out.push_str("href=\"");
            out.push_str(href);
            out.push_str("\" type=\"application/pdf\"");
            out.push_str(&rest[end + 1..tag_end].replace(" hidden", ""));
            rest = &rest[tag_end..];
        } else {
            out.push_str(&rest[..tag_end]);
            rest = &rest[tag_end..];
        }
    }
    out.push_str(rest);
    // Pages that link to their chapter handout: add the PDF beside the link.
    const LINK: &str = "class=\"handout-link\" href=\"";
    let html = out;
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html.as_str();
    while let Some(at) = rest.find(LINK) {
        let start = at + LINK.len();
        let Some(end) = rest[start..].find('"').map(|e| start + e) else {
            break;
        };
        let href = &rest[start..end];
        let Some(close) = rest[end..].find("</a>").map(|e| end + e + 4) else {
            break;
        };
        out.push_str(&rest[..close]);
        let pdf = href.strip_suffix("/index.html").map(|b| format!("{b}.pdf"));
        match pdf {
            Some(pdf)
                if exists(&pdf)
                    && !rest[close..]
                        .trim_start()
                        .starts_with("<a class=\"pdf-link") =>
            {
                out.push_str(&format!(
                    " <a class=\"pdf-link\" href=\"{pdf}\" type=\"application/pdf\">{}</a>",
                    crate::text::escape_html(label)
                ));
            }
            _ => {}
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::percent::file_url;

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/日.html")),
            "file:///tmp/a%20b/%E6%97%A5.html"
        );
    }

    #[test]
    fn only_existing_pdfs_are_linked() {
        let dir = std::env::temp_dir().join(format!("kyozai-pdf-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("h")).unwrap();
        std::fs::write(dir.join("a.pdf"), b"%PDF-1.4").unwrap();
        let html = "<a class=\"pdf-link\" data-pdf-href=\"a.pdf\" hidden>PDF</a><a class=\"pdf-link\" data-pdf-href=\"b.pdf\" hidden>PDF</a>\
                    <a class=\"handout-link\" href=\"a/index.html\">H</a><a class=\"handout-link\" href=\"b/index.html\">H</a>";
        let got = link_pdfs(html, |href| dir.join(href).is_file(), "PDF");
        assert!(
            got.starts_with(
                "<a class=\"pdf-link\" href=\"a.pdf\" type=\"application/pdf\">PDF</a>"
            ),
            "{got}"
        );
        assert!(got.contains("data-pdf-href=\"b.pdf\" hidden"), "{got}");
        assert!(
            got.contains("href=\"a/index.html\">H</a> <a class=\"pdf-link\" href=\"a.pdf\""),
            "{got}"
        );
        assert!(got.ends_with("href=\"b/index.html\">H</a>"), "{got}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_chromium_says_how_to_install() {
        let e = find_chromium(Some(Path::new("/nonexistent/chromium")))
            .unwrap_err()
            .to_string();
        assert!(e.contains("--chromium"), "{e}");
    }
}
