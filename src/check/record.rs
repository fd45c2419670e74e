//! Records translations as up to date with their source (what `kyozai translated` does): writes
//! the source hash into a translated page's front matter or into the data records, keeps a
//! snapshot of the source text, and removes snapshots no translation refers to any more.

use crate::kind::Kind;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::slash;
use super::tracking::{data_source_text, page_hash, set_source_hash, Store, DATA_RECORDS};
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::load::data::DataKind;
use crate::load::frontmatter::{split, FrontMatter};

/// What recording one translation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The translation (a page, or a data file and language), relative to the course.
    pub translation: String,
    /// The source it was recorded against.
    pub source: String,
    /// The hash of the source recorded.
    pub hash: String,
    /// False when the translation already recorded this version.
    pub changed: bool,
}

/// What a path given to `kyozai translated` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Translated pages (relative to the course) and their source page.
    Pages {
        /// The source page.
        source: PathBuf,
        /// Its translations named.
        translations: Vec<PathBuf>,
    },
    /// A data file (relative to the course).
    Data {
        /// The file.
        file: PathBuf,
        /// Its kind of data.
        kind: DataKind,
        /// Its format's extension (`toml`, `yaml`, `csv`).
        ext: String,
    },
}

/// The course folder holding `path`: the nearest folder above it with a `kyozai.toml` and the
/// path inside its `content/`.
pub fn course_of(path: &Path) -> Result<(PathBuf, PathBuf)> {
    let abs = path
        .canonicalize()
        .map_err(|e| Error::io("read", path, e))?;
    for dir in abs.ancestors().skip(1) {
        if dir.join("kyozai.toml").is_file() {
            return match abs.strip_prefix(dir) {
                Ok(rel) if rel.starts_with("content") => Ok((dir.to_path_buf(), rel.to_path_buf())),
                _ => Err(Error::Usage(format!(
                    "{} is not inside the course's content/ folder",
                    path.display()
                ))),
            };
        }
    }
    Err(Error::Usage(format!(
        "{} is not inside a course folder (no kyozai.toml above it)",
        path.display()
    )))
}

/// Works out what `rel` (a file of the course in `root`) names.
pub fn target(root: &Path, config: &Config, rel: &Path) -> Result<Target> {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    let ext = parts.last().copied().unwrap_or("").to_ascii_lowercase();
    let src = config.source_language.as_str();
    if ext == "md" || ext == "markdown" {
        let lang = if parts.len() >= 3 {
            parts[parts.len() - 2]
        } else {
            ""
        };
        if !config.languages.iter().any(|l| l == lang) {
            return Err(Error::Usage(format!(
                "{} does not name its language (NAME.LANG.md)",
                rel.display()
            )));
        }
        let stem = parts[..parts.len() - 2].join(".");
        let sibling =
            |l: &str| rel.with_file_name(format!("{stem}.{l}.{}", parts[parts.len() - 1]));
        let source = sibling(src);
        if lang == src {
            let translations: Vec<PathBuf> = config
                .languages
                .iter()
                .filter(|l| *l != src)
                .map(|l| sibling(l))
                .filter(|p| root.join(p).is_file())
                .collect();
            if translations.is_empty() {
                return Err(Error::Usage(format!(
                    "{} has no translations yet",
                    rel.display()
                )));
            }
            return Ok(Target::Pages {
                source,
                translations,
            });
        }
        if !root.join(&source).is_file() {
            return Err(Error::Usage(format!(
                "{} has no source: {} does not exist",
                rel.display(),
                source.display()
            )));
        }
        return Ok(Target::Pages {
            source,
            translations: vec![rel.to_path_buf()],
        });
    }
    let kind = if parts.len() >= 3 {
        DataKind::ALL
            .iter()
            .find(|(n, _)| *n == parts[parts.len() - 2])
            .map(|(_, k)| *k)
    } else {
        None
    };
    match kind {
        Some(kind) if matches!(ext.as_str(), "toml" | "yaml" | "yml" | "csv") => Ok(Target::Data {
            file: rel.to_path_buf(),
            kind,
            ext,
        }),
        _ => Err(Error::Usage(format!(
            "{} is neither a page (NAME.LANG.md) nor a data file (NAME.KIND.EXT)",
            rel.display()
        ))),
    }
}

fn read_text(root: &Path, rel: &Path) -> Result<String> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| Error::io("read", &root.join(rel), e))?;
    Ok(crate::text::decode(rel, &bytes)?)
}

/// Writes `bytes` to `path` through a temporary file beside it, so it is never half written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.kyozai-tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io("write", &tmp, e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("replace", path, e)
    })
}

/// Records translated pages as made from the current version of `source`.
pub fn record_pages(root: &Path, source: &Path, translations: &[PathBuf]) -> Result<Vec<Recorded>> {
    let store = Store::new(root);
    let text = read_text(root, source)?;
    let body = split(source, &text)?.body.to_string();
    let hash = page_hash(&body);
    let snapshot = store.snapshot_path(source, &hash, "md");
    let mut out = Vec::new();
    for t in translations {
        let path = root.join(t);
        let decoded = read_text(root, t)?;
        let before = split(t, &decoded)?.front;
        let changed = before.source_hash.as_deref() != Some(hash.as_str());
        if changed {
            let raw = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
            let raw = String::from_utf8(raw).map_err(|_| {
                Error::from(Diagnostic::file(
                    Kind::UnreadableFile,
                    t,
                    "the file is not valid UTF-8",
                ))
            })?;
            let edited = set_source_hash(&raw, &hash)
                .map_err(|m| Error::from(Diagnostic::file(Kind::InvalidSource, t, m)))?;
            verify(t, &before, &edited, &hash)?;
            if !snapshot.exists() {
                write_atomic(&snapshot, body.as_bytes())?;
            }
            write_atomic(&path, edited.as_bytes())?;
        } else if !snapshot.exists() {
            write_atomic(&snapshot, body.as_bytes())?;
        }
        out.push(Recorded {
            translation: slash(t),
            source: slash(source),
            hash: hash.clone(),
            changed,
        });
    }
    prune_page_snapshots(root, &store, source);
    Ok(out)
}

/// Checks that the edited file reads back with the new hash and every other field unchanged.
fn verify(rel: &Path, before: &FrontMatter, edited: &str, hash: &str) -> Result<()> {
    let decoded = crate::text::decode(rel, edited.as_bytes())?;
    let after = split(rel, &decoded)
        .map_err(|d| Error::from(Diagnostic::file(Kind::FrontMatter, rel, format!("adding source_hash would break the front matter ({}); add `source_hash = \"{hash}\"` by hand", d.message))))?
        .front;
    let mut a = after.clone();
    let mut b = before.clone();
    a.source_hash = None;
    b.source_hash = None;
    if after.source_hash.as_deref() != Some(hash) || a != b {
        return Err(Diagnostic::file(Kind::FrontMatter, rel, format!("could not add source_hash without changing other fields; add `source_hash = \"{hash}\"` to the front matter by hand")).into());
    }
    Ok(())
}

/// Removes the snapshots of `source` that no translation's front matter refers to.
fn prune_page_snapshots(root: &Path, store: &Store, source: &Path) {
    let Some(name) = source.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Some(stem) = name.rsplitn(3, '.').nth(2).map(str::to_string) else {
        return;
    };
    let ext = name.rsplit('.').next().unwrap_or("md");
    let Ok(config) = Config::load(root) else {
        return;
    };
    let mut keep = BTreeSet::new();
    for l in config
        .languages
        .iter()
        .filter(|l| **l != config.source_language)
    {
        let t = source.with_file_name(format!("{stem}.{l}.{ext}"));
        if !root.join(&t).exists() {
            continue;
        }
        // A translation that cannot be read might refer to any snapshot: keep them all.
        let Ok(text) = read_text(root, &t) else {
            return;
        };
        let Ok(s) = split(&t, &text) else { return };
        keep.extend(s.front.source_hash);
    }
    for (h, p) in store.snapshots_of(source, "md") {
        if !keep.contains(&h) {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Records the translations of data file `file` (every language but the source) as made from
/// its current source-language texts.
pub fn record_data(
    root: &Path,
    config: &Config,
    file: &Path,
    kind: DataKind,
    ext: &str,
) -> Result<Vec<Recorded>> {
    let store = Store::new(root);
    let text = read_text(root, file)?;
    let data = crate::load::data::parse(file, text, kind, ext)?;
    let (listing, _) = data_source_text(&data.contents, &config.source_language, &config.languages);
    let hash = crate::text::stable_hash(&listing);
    let snapshot = store.snapshot_path(file, &hash, "txt");
    if !snapshot.exists() {
        write_atomic(&snapshot, listing.as_bytes())?;
    }
    let mut records = store.data_records();
    let key = slash(file);
    let mut out = Vec::new();
    let entry = records.entry(key.clone()).or_default();
    for l in config
        .languages
        .iter()
        .filter(|l| **l != config.source_language)
    {
        let changed = entry.get(l) != Some(&hash);
        entry.insert(l.clone(), hash.clone());
        out.push(Recorded {
            translation: format!("{key} ({l})"),
            source: format!("{key} ({})", config.source_language),
            hash: hash.clone(),
            changed,
        });
    }
    let keep: BTreeSet<String> = entry.values().cloned().collect();
    if out.iter().any(|r| r.changed) {
        let body = toml::to_string(&records)
            .map_err(|e| Error::Internal(format!("cannot write {DATA_RECORDS}: {e}")))?;
        let text = format!("# Which version of each data file's source-language texts its translations were made from.\n# Written by `kyozai translated`; commit it with the course, with .kyozai/translations/.\n\n{body}");
        write_atomic(&root.join(DATA_RECORDS), text.as_bytes())?;
    }
    for (h, p) in store.snapshots_of(file, "txt") {
        if !keep.contains(&h) {
            let _ = std::fs::remove_file(p);
        }
    }
    Ok(out)
}
