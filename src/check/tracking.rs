//! Translation tracking: which version of its source a translation was made from (the source
//! hash), the snapshots of earlier sources kept under `.kyozai/translations/`, and the
//! byte-preserving front-matter edit that `kyozai translated` makes.
//!
//! * A translated page records `source_hash` in its front matter: [`crate::text::stable_hash`] of
//!   the source page's Markdown body (everything after its front matter).
//! * A data file holds every language itself, so it is tracked per file and language in
//!   `.kyozai/translated.toml`: the hash of [`data_source_text`], a listing of the file's
//!   source-language texts.
//! * When a translation is recorded, the source text it was made from is kept as
//!   `.kyozai/translations/PATH.HASH.md` (pages) or `PATH.HASH.txt` (data), PATH being the source
//!   file's path inside `content/`, so `kyozai check` can show how the source changed since.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::load::data::DataContents;

/// The folder of tracking files inside a course.
pub const DIR: &str = ".kyozai";
/// The snapshots, inside [`DIR`].
pub const SNAPSHOTS: &str = ".kyozai/translations";
/// The data files' records, inside the course.
pub const DATA_RECORDS: &str = ".kyozai/translated.toml";

/// The hash a translation of a page records: of the source page's Markdown body.
pub fn page_hash(source_body: &str) -> String {
    crate::text::stable_hash(source_body)
}

/// Data records: data file path (relative to the course, `/`-separated) → language → hash.
pub type DataRecords = BTreeMap<String, BTreeMap<String, String>>;

/// Reading the tracking files of one course.
#[derive(Debug, Clone)]
pub struct Store {
    /// The course folder.
    pub root: PathBuf,
}

impl Store {
    /// The store of the course in `root`.
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
        }
    }

    /// Where the snapshot of `source` (a path relative to the course, under `content/`) at
    /// `hash` is kept; `ext` is `md` for pages and `txt` for data.
    pub fn snapshot_path(&self, source: &Path, hash: &str, ext: &str) -> PathBuf {
        let inside = source.strip_prefix("content").unwrap_or(source);
        let name = inside
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.root
            .join(SNAPSHOTS)
            .join(inside)
            .with_file_name(format!("{name}.{hash}.{ext}"))
    }

    /// The snapshot of `source` at `hash`, if one was kept (and is readable text).
    pub fn snapshot(&self, source: &Path, hash: &str, ext: &str) -> Option<String> {
        if !valid_hash(hash) {
            return None;
        }
        let bytes = std::fs::read(self.snapshot_path(source, hash, ext)).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// Every snapshot kept for `source`: (hash, path).
    pub fn snapshots_of(&self, source: &Path, ext: &str) -> Vec<(String, PathBuf)> {
        let probe = self.snapshot_path(source, "0", ext);
        let (Some(dir), Some(name)) = (probe.parent(), source.file_name()) else {
            return vec![];
        };
        let prefix = format!("{}.", name.to_string_lossy());
        let suffix = format!(".{ext}");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return vec![];
        };
        let mut out: Vec<(String, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                let hash = n.strip_prefix(&prefix)?.strip_suffix(&suffix)?;
                valid_hash(hash).then(|| (hash.to_string(), e.path()))
            })
            .collect();
        out.sort();
        out
    }

    /// The data files' records (empty when there are none or the file cannot be read).
    pub fn data_records(&self) -> DataRecords {
        std::fs::read_to_string(self.root.join(DATA_RECORDS))
            .ok()
            .and_then(|t| toml::from_str(&t).ok())
            .unwrap_or_default()
    }
}

/// Whether `h` looks like a hash kyozai wrote (16 hex digits), so it is safe in a file name.
pub fn valid_hash(h: &str) -> bool {
    h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The text of data file `contents` that translations are made from: one line per
/// source-language text, named by where it is (`case[nhs-wannacry].summary: …`). Texts given
/// once for every language count as source text. Also says whether the file holds any text in
/// another language (whether it is translated at all).
pub fn data_source_text(
    contents: &DataContents,
    source: &str,
    languages: &[String],
) -> (String, bool) {
    let value = match contents {
        DataContents::Cases(v) => serde_json::to_value(v).map(|v| ("case", v)),
        DataContents::Categories(v) => serde_json::to_value(v).map(|v| ("category", v)),
        DataContents::Checklist(v) => serde_json::to_value(v).map(|v| ("checklist", v)),
        DataContents::Lists(v) => serde_json::to_value(v).map(|v| ("list", v)),
        DataContents::Glossary(v) => serde_json::to_value(v).map(|v| ("term", v)),
        DataContents::Quiz(v) => serde_json::to_value(v).map(|v| ("quiz", v)),
    };
    let mut out = String::new();
    let mut translated = false;
    if let Ok((name, v)) = value {
        walk(&v, name, source, languages, &mut out, &mut translated);
    }
    (out, translated)
}

fn walk(
    v: &serde_json::Value,
    path: &str,
    source: &str,
    languages: &[String],
    out: &mut String,
    translated: &mut bool,
) {
    use serde_json::Value;
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = item
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| i.to_string());
                walk(
                    item,
                    &format!("{path}[{key}]"),
                    source,
                    languages,
                    out,
                    translated,
                );
            }
        }
        Value::Object(map) => {
            for (k, child) in map {
                if k == source || k == "*" {
                    emit(child, &format!("{path}.{k}"), out);
                } else if languages.iter().any(|l| l == k) {
                    *translated |= has_text(child);
                } else {
                    walk(
                        child,
                        &format!("{path}.{k}"),
                        source,
                        languages,
                        out,
                        translated,
                    );
                }
            }
        }
        _ => {}
    }
}

fn emit(v: &serde_json::Value, path: &str, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            out.push_str(path);
            out.push_str(": ");
            out.push_str(&s.replace('\n', "\n    "));
            out.push('\n');
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                emit(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, child) in map {
                emit(child, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

fn has_text(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => a.iter().any(has_text),
        Value::Object(m) => m.values().any(has_text),
        _ => false,
    }
}

/// Writes `source_hash = "HASH"` (TOML) or `source_hash: "HASH"` (YAML) into the front matter of
/// `raw`, the whole text of a Markdown file: an existing `source_hash` line is replaced, else the
/// line is added just before the closing fence. Every other byte is kept as it was, the file's
/// line endings and byte-order mark included.
pub fn set_source_hash(raw: &str, hash: &str) -> Result<String, String> {
    let bom = if raw.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let text = &raw[bom..];
    // Lines with their endings; files with only CR line endings are split on CR.
    let sep = if text.contains('\n') { '\n' } else { '\r' };
    let lines: Vec<&str> = text.split_inclusive(sep).collect();
    let content = |l: &str| l.trim_end_matches(['\n', '\r']).to_string();
    let first = lines.first().map(|l| content(l)).unwrap_or_default();
    let yaml = match first.trim_end() {
        "+++" => false,
        "---" => true,
        _ => return Err("the file does not start with front matter (a +++ or --- line)".into()),
    };
    let fence = if yaml { "---" } else { "+++" };
    let close = lines
        .iter()
        .skip(1)
        .position(|l| content(l).trim_end() == fence)
        .map(|i| i + 1)
        .ok_or_else(|| format!("the front matter opened with `{fence}` is never closed"))?;
    let new_line = if yaml {
        format!("source_hash: \"{hash}\"")
    } else {
        format!("source_hash = \"{hash}\"")
    };
    let is_key = |l: &str| {
        let l = content(l);
        let rest = if yaml {
            l.strip_prefix("source_hash")
        } else {
            l.trim_start().strip_prefix("source_hash")
        };
        rest.is_some_and(|r| r.trim_start().starts_with(if yaml { ':' } else { '=' }))
    };
    let mut out = String::with_capacity(raw.len() + 40);
    out.push_str(&raw[..bom]);
    let existing = (1..close).find(|&i| is_key(lines[i]));
    for (i, l) in lines.iter().enumerate() {
        if Some(i) == existing {
            out.push_str(&new_line);
            out.push_str(&l[content(l).len()..]);
            continue;
        }
        if i == close && existing.is_none() {
            let eol = &lines[0][content(lines[0]).len()..];
            out.push_str(&new_line);
            out.push_str(if eol.is_empty() { "\n" } else { eol });
        }
        out.push_str(l);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_and_replaces_in_toml() {
        let t = "+++\ntitle = \"T\"\n+++\nbody\n";
        let a = set_source_hash(t, "0123456789abcdef").unwrap();
        assert_eq!(
            a,
            "+++\ntitle = \"T\"\nsource_hash = \"0123456789abcdef\"\n+++\nbody\n"
        );
        let b = set_source_hash(&a, "fedcba9876543210").unwrap();
        assert_eq!(b, a.replace("0123456789abcdef", "fedcba9876543210"));
    }

    #[test]
    fn keeps_crlf_bom_and_yaml() {
        let t = "\u{feff}---\r\ntitle: T\r\nkey_points:\r\n  - a\r\n---\r\nbody\r\n";
        let a = set_source_hash(t, "00000000000000e1").unwrap();
        assert_eq!(a, "\u{feff}---\r\ntitle: T\r\nkey_points:\r\n  - a\r\nsource_hash: \"00000000000000e1\"\r\n---\r\nbody\r\n");
        let b = set_source_hash(
            "---\nsource_hash: old # note\ntitle: T\n---\n",
            "00000000000000e1",
        )
        .unwrap();
        assert_eq!(b, "---\nsource_hash: \"00000000000000e1\"\ntitle: T\n---\n");
    }

    #[test]
    fn refuses_files_without_front_matter() {
        assert!(set_source_hash("# just text\n", "x").is_err());
        assert!(set_source_hash("+++\ntitle = \"T\"\n", "x").is_err());
        assert!(set_source_hash("", "x").is_err());
    }

    #[test]
    fn data_text_lists_source_strings() {
        let t = "[[term]]\nid = \"ransomware\"\nja = { term = \"ランサムウェア\", definition = \"定義\" }\nen = { term = \"ransomware\", definition = \"def\" }\n";
        let f = crate::load::data::parse(
            Path::new("g.glossary.toml"),
            t.into(),
            crate::load::data::DataKind::Glossary,
            "toml",
        )
        .unwrap();
        let (text, translated) = data_source_text(&f.contents, "ja", &["ja".into(), "en".into()]);
        assert!(translated);
        assert_eq!(
            text,
            "term[ransomware].ja.definition: 定義\nterm[ransomware].ja.term: ランサムウェア\n"
        );
    }
}
