//! Finds translations made from an older version of their source (with a diff of how the source
//! changed, when a snapshot of the older version was kept) and translations that record no source
//! version at all.

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::tracking::{data_source_text, page_hash, Store};
use super::{diff, slash, Finding, Severity};
use crate::load::{Loaded, MdFile};

/// Lines of context around each change in the diffs.
const CONTEXT: usize = 2;

/// Checks every translated page against its source page.
pub fn check_pages(loaded: &Loaded, store: &Store, out: &mut Vec<Finding>) {
    let src = loaded.config.source_language.as_str();
    let mut groups: BTreeMap<(PathBuf, &str), Vec<&MdFile>> = BTreeMap::new();
    for f in &loaded.pages {
        groups
            .entry((f.dir.clone(), f.stem.as_str()))
            .or_default()
            .push(f);
    }
    for files in groups.values() {
        let Some(source) = files.iter().find(|f| f.lang == src) else {
            continue;
        };
        let body = &source.text[source.body_offset..];
        let current = page_hash(body);
        for t in files.iter().filter(|f| f.lang != src) {
            let cmd = format!("kyozai translated {}", slash(&t.rel));
            match t.front.source_hash.as_deref() {
                None => out.push(Finding::file(
                    Severity::Info,
                    Kind::UntrackedTranslation,
                    &t.rel,
                    format!(
                        "this translation does not record which version of {} it was made from",
                        slash(&source.rel)
                    ),
                    format!("check it against the source, then run `{cmd}`"),
                )),
                Some(h) if h == current => {}
                Some(h) => {
                    let off = t.text[..t.body_offset].find("source_hash").unwrap_or(0);
                    let old = store.snapshot(&source.rel, h, "md");
                    let mut f = Finding::at(
                        Severity::Warning,
                        Kind::StaleTranslation,
                        &t.rel,
                        &t.text,
                        off,
                        stale_message(&source.rel, old.is_some(), h),
                        format!(
                            "bring this translation up to date with the change, then run `{cmd}`"
                        ),
                    );
                    f.diff = old
                        .map(|o| diff::unified(&o, body, CONTEXT))
                        .filter(|d| !d.is_empty());
                    out.push(f);
                }
            }
        }
    }
}

fn stale_message(source: &Path, have_snapshot: bool, hash: &str) -> String {
    let s = slash(source);
    if have_snapshot {
        format!("{s} has changed since this translation was made; the change is shown below")
    } else {
        format!("{s} has changed since this translation was made (from version {hash}, of which no snapshot was kept in .kyozai/translations/, so the change cannot be shown)")
    }
}

/// Checks every data file that holds translations against its recorded source version.
pub fn check_data(loaded: &Loaded, store: &Store, out: &mut Vec<Finding>) {
    let src = loaded.config.source_language.as_str();
    let langs = &loaded.config.languages;
    let records = store.data_records();
    for f in &loaded.data {
        let (text, translated) = data_source_text(&f.contents, src, langs);
        if !translated {
            continue;
        }
        let current = crate::text::stable_hash(&text);
        let key = slash(&f.path);
        for lang in langs.iter().filter(|l| *l != src) {
            let cmd = format!("kyozai translated {key}");
            match records.get(&key).and_then(|r| r.get(lang)) {
                None => out.push(Finding::file(
                    Severity::Info,
                    Kind::UntrackedTranslation,
                    &f.path,
                    format!("the {lang} texts of this file do not record which version of the {src} texts they were made from"),
                    format!("check them against the {src} texts, then run `{cmd}`"),
                )),
                Some(h) if *h == current => {}
                Some(h) => {
                    let old = store.snapshot(&f.path, h, "txt");
                    let mut finding = Finding::file(
                        Severity::Warning,
                        Kind::StaleTranslation,
                        &f.path,
                        if old.is_some() {
                            format!("the {src} texts of this file have changed since the {lang} texts were translated; the change is shown below")
                        } else {
                            format!("the {src} texts of this file have changed since the {lang} texts were translated (from version {h}, of which no snapshot was kept, so the change cannot be shown)")
                        },
                        format!("bring the {lang} texts up to date with the change, then run `{cmd}`"),
                    );
                    finding.diff = old.map(|o| diff::unified(&o, &text, CONTEXT)).filter(|d| !d.is_empty());
                    out.push(finding);
                }
            }
        }
    }
}
