//! The `load` stage: walks `content/`, reads every Markdown file (front matter + parsed body) and
//! data file, and lists the other files as assets. Nothing here decides what the course means;
//! that is [`crate::site`]'s job.

pub mod csv;
pub mod data;
pub mod frontmatter;
pub mod quiz;

use crate::kind::Kind;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::markdown::parse::Doc;
use data::{DataFile, DataKind};
use frontmatter::FrontMatter;

/// Text files larger than this are refused (they are certainly not hand-written course text).
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// One Markdown file, read and parsed.
#[derive(Debug, Clone)]
pub struct MdFile {
    /// Path relative to the course folder (`content/01-x/02-y.ja.md`).
    pub rel: PathBuf,
    /// Folder relative to `content/` (`01-x`), empty at the top.
    pub dir: PathBuf,
    /// File name without language and extension (`02-y`, `_index`).
    pub stem: String,
    /// Language code from the file name.
    pub lang: String,
    /// The decoded text (shared with the parsed body, whose text it borrows).
    pub text: std::sync::Arc<str>,
    /// The front matter.
    pub front: FrontMatter,
    /// The parsed body.
    pub doc: Doc,
    /// Byte offset where the body starts.
    pub body_offset: usize,
}

/// A file copied as it is (figures, PDFs).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/`.
    pub rel: PathBuf,
    /// Where it is on disk.
    pub abs: PathBuf,
}

/// Everything read from a course folder.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The course folder.
    pub root: PathBuf,
    /// `kyozai.toml`.
    pub config: Config,
    /// Every Markdown file of `content/`.
    pub pages: Vec<MdFile>,
    /// Every data file.
    pub data: Vec<DataFile>,
    /// Images and other files, copied as they are.
    pub assets: Vec<Asset>,
    /// The directives of the course's own theme (see [`own_directives`]).
    pub directives: Vec<String>,
}

include!(concat!(env!("OUT_DIR"), "/theme_names.rs"));

/// The directives a course adds with its theme: each `themes/THEME/templates/directives/NAME.html`
/// whose NAME is neither a built-in directive nor a built-in template, sorted.
pub fn own_directives(root: &Path, theme: &str) -> Vec<String> {
    let dir = root
        .join("themes")
        .join(theme)
        .join("templates")
        .join("directives");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".html")?.to_string();
            let builtin = crate::markdown::parse::DIRECTIVES.contains(&stem.as_str())
                || BUILTIN_DIRECTIVE_TEMPLATES.contains(&stem.as_str());
            (!builtin && !stem.is_empty() && !is_ignored(&name)).then_some(stem)
        })
        .collect();
    names.sort();
    names
}

enum Entry {
    Md {
        rel: PathBuf,
        abs: PathBuf,
        dir: PathBuf,
        stem: String,
        lang: String,
    },
    Data {
        rel: PathBuf,
        abs: PathBuf,
        kind: DataKind,
        ext: String,
    },
    Asset(Asset),
}

/// Reads the course in `root`.
pub fn load(root: &Path) -> Result<Loaded> {
    let (loaded, problems) = load_partial(root)?;
    Diagnostics(problems).finish()?;
    Ok(loaded)
}

/// Reads the course in `root`, keeping every file that could be read and returning the problems
/// of the others beside it (for `kyozai check`, which reports everything at once). Fails only
/// when there is no course to read (no `kyozai.toml`, no `content/`).
pub fn load_partial(root: &Path) -> Result<(Loaded, Vec<Diagnostic>)> {
    let config = Config::load(root)?;
    check_theme_name(root, &config.theme)?;
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::file(
            Kind::InvalidSource,
            "content",
            format!("no content/ folder in {}", root.display()),
        )
        .help("create content/ with an _index.<lang>.md for the course home")
        .into());
    }
    let mut diags = Diagnostics::default();
    let mut entries = Vec::new();
    let canon_root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    for item in WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
    {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| rel_to(root, p))
                    .unwrap_or_else(|| PathBuf::from("content"));
                diags.push(
                    Diagnostic::file(Kind::UnreadableFile, p, format!("cannot read: {e}"))
                        .help("check the file's permissions"),
                );
                continue;
            }
        };
        let name = item.file_name().to_string_lossy();
        if item.depth() > 0 && is_ignored(&name) {
            continue;
        }
        let abs = item.path().to_path_buf();
        let rel = rel_to(root, &abs);
        let ft = item.file_type();
        if ft.is_symlink() {
            match abs.canonicalize() {
                Ok(t) if t.starts_with(&canon_root) && t.is_file() => {}
                Ok(t) if t.starts_with(&canon_root) => {
                    diags.push(
                        Diagnostic::file(
                            Kind::InvalidSource,
                            &rel,
                            "a link to a folder inside content/ is not followed",
                        )
                        .help("move the folder instead of linking it"),
                    );
                    continue;
                }
                _ => {
                    diags.push(
                        Diagnostic::file(
                            Kind::InvalidSource,
                            &rel,
                            "this link points outside the course folder (or nowhere)",
                        )
                        .help("copy the file into the course instead of linking to it"),
                    );
                    continue;
                }
            }
        } else if ft.is_dir() {
            continue;
        }
        match classify(&config, &content, &abs, &rel) {
            Ok(Some(e)) => entries.push(e),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    let directives = own_directives(root, &config.theme);
    let results: Vec<std::result::Result<Parsed, Diagnostic>> = entries
        .into_par_iter()
        .map(|e| read_entry(e, &directives))
        .collect();
    let mut pages = Vec::new();
    let mut data = Vec::new();
    let mut assets = Vec::new();
    for r in results {
        match r {
            Ok(Parsed::Md(m)) => pages.push(*m),
            Ok(Parsed::Data(d)) => data.push(d),
            Ok(Parsed::Asset(a)) => assets.push(a),
            Err(d) => diags.push(d),
        }
    }
    Ok((
        Loaded {
            root: root.to_path_buf(),
            config,
            pages,
            data,
            assets,
            directives,
        },
        diags.0,
    ))
}

/// The theme is a folder of the course's `themes/`: its name may not lead anywhere else.
fn check_theme_name(root: &Path, name: &str) -> Result<()> {
    let plain = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\', ':']);
    if plain {
        return Ok(());
    }
    let text = std::fs::read(root.join("kyozai.toml"))
        .ok()
        .and_then(|b| crate::text::decode(Path::new("kyozai.toml"), &b).ok())
        .unwrap_or_default();
    let off = text.find("theme").unwrap_or(0);
    Err(Diagnostic::at(
        Kind::InvalidSource,
        "kyozai.toml",
        &text,
        off,
        format!("`{name}` is not a theme name: themes are folders in themes/"),
    )
    .help("write the folder's name only, e.g. theme = \"default\" for themes/default/")
    .into())
}

fn rel_to(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

/// Editor droppings and hidden files that are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "Thumbs.db"
}

fn classify(
    config: &Config,
    content: &Path,
    abs: &Path,
    rel: &Path,
) -> std::result::Result<Option<Entry>, Diagnostic> {
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let in_content = abs.strip_prefix(content).unwrap_or(abs).to_path_buf();
    let dir = in_content
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    let ext = parts.last().copied().unwrap_or("").to_ascii_lowercase();
    if ext == "md" || ext == "markdown" {
        if parts.len() < 3 || !config.languages.iter().any(|l| l == parts[parts.len() - 2]) {
            let langs = config.languages.join(", ");
            let stem = parts.first().copied().unwrap_or("page");
            return Err(Diagnostic::file(
                Kind::InvalidSource,
                rel,
                format!("`{name}` does not say its language"),
            )
            .help(format!(
                "name it NAME.LANG.md with LANG one of {langs}, e.g. {stem}.{}.md",
                config.source_language
            )));
        }
        let lang = parts[parts.len() - 2].to_string();
        let stem = parts[..parts.len() - 2].join(".");
        return Ok(Some(Entry::Md {
            rel: rel.into(),
            abs: abs.into(),
            dir,
            stem,
            lang,
        }));
    }
    if matches!(ext.as_str(), "toml" | "yaml" | "yml" | "csv") {
        let kind_name = if parts.len() >= 3 {
            parts[parts.len() - 2]
        } else {
            ""
        };
        let Some((_, kind)) = DataKind::ALL.iter().find(|(n, _)| *n == kind_name) else {
            let kinds: Vec<&str> = DataKind::ALL.iter().map(|(n, _)| *n).collect();
            let help = match crate::error::suggest(kind_name, kinds.iter().copied()) {
                Some(s) if !kind_name.is_empty() => format!("did you mean `.{s}.{ext}`?"),
                _ => format!(
                    "name data files NAME.KIND.{ext} with KIND one of {}",
                    kinds.join(", ")
                ),
            };
            return Err(Diagnostic::file(
                Kind::InvalidSource,
                rel,
                format!("`{name}` is not a known kind of data file"),
            )
            .help(help));
        };
        return Ok(Some(Entry::Data {
            rel: rel.into(),
            abs: abs.into(),
            kind: *kind,
            ext,
        }));
    }
    Ok(Some(Entry::Asset(Asset {
        rel: in_content,
        abs: abs.into(),
    })))
}

enum Parsed {
    Md(Box<MdFile>),
    Data(DataFile),
    Asset(Asset),
}

fn read_text(rel: &Path, abs: &Path) -> std::result::Result<String, Diagnostic> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| {
        Diagnostic::file(Kind::UnreadableFile, rel, format!("cannot read: {e}"))
            .help("check the file's permissions")
    };
    let mut file = std::fs::File::open(abs).map_err(cannot)?;
    let meta = file
        .metadata()
        .map_err(|e| Diagnostic::file(Kind::UnreadableFile, rel, format!("cannot read: {e}")))?;
    if meta.len() > MAX_TEXT_BYTES {
        return Err(Diagnostic::file(
            Kind::UnreadableFile,
            rel,
            format!(
                "the file is {} MB; text files larger than {} MB are refused",
                meta.len() / 1_000_000,
                MAX_TEXT_BYTES / 1024 / 1024
            ),
        )
        .help("split it into several pages or data files"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.read_to_end(&mut bytes).map_err(cannot)?;
    // The common case (plain UTF-8, LF line endings) keeps the bytes without a copy.
    if !bytes.starts_with(b"\xEF\xBB\xBF") && !bytes.contains(&b'\r') && !bytes.contains(&0) {
        return match String::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(e) => crate::text::decode(rel, e.as_bytes()),
        };
    }
    crate::text::decode(rel, &bytes)
}

fn read_entry(e: Entry, directives: &[String]) -> std::result::Result<Parsed, Diagnostic> {
    match e {
        Entry::Md {
            rel,
            abs,
            dir,
            stem,
            lang,
        } => {
            let text: std::sync::Arc<str> = read_text(&rel, &abs)?.into();
            let split = frontmatter::split(&rel, &text)?;
            let (front, body_offset) = (split.front, split.body_offset);
            let doc = crate::markdown::parse::parse_shared(&rel, &text, body_offset, directives)?;
            Ok(Parsed::Md(Box::new(MdFile {
                rel,
                dir,
                stem,
                lang,
                text,
                front,
                doc,
                body_offset,
            })))
        }
        Entry::Data {
            rel,
            abs,
            kind,
            ext,
        } => {
            let text = read_text(&rel, &abs)?;
            Ok(Parsed::Data(data::parse(&rel, text, kind, &ext)?))
        }
        Entry::Asset(a) => Ok(Parsed::Asset(a)),
    }
}

/// Reads one Markdown file of the course again (for live reload), as [`load`] would.
pub fn read_markdown(
    root: &Path,
    config: &Config,
    rel: &Path,
) -> std::result::Result<MdFile, Diagnostic> {
    let content = root.join("content");
    let abs = root.join(rel);
    match classify(config, &content, &abs, rel)? {
        Some(e @ Entry::Md { .. }) => match read_entry(e, &own_directives(root, &config.theme))? {
            Parsed::Md(m) => Ok(*m),
            _ => Err(Diagnostic::file(
                Kind::InvalidSource,
                rel,
                "not a Markdown page",
            )),
        },
        _ => Err(Diagnostic::file(
            Kind::InvalidSource,
            rel,
            "not a Markdown page",
        )),
    }
}

/// Reads one data file of the course again (for live reload), as [`load`] would.
pub fn read_data(
    root: &Path,
    config: &Config,
    rel: &Path,
) -> std::result::Result<DataFile, Diagnostic> {
    let content = root.join("content");
    let abs = root.join(rel);
    match classify(config, &content, &abs, rel)? {
        Some(e @ Entry::Data { .. }) => match read_entry(e, &[])? {
            Parsed::Data(d) => Ok(d),
            _ => Err(Diagnostic::file(
                Kind::InvalidSource,
                rel,
                "not a data file",
            )),
        },
        _ => Err(Diagnostic::file(
            Kind::InvalidSource,
            rel,
            "not a data file",
        )),
    }
}
