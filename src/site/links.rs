//! Resolving the links authors write between source files (`../02-x.ja.md#anchor`), to assets and
//! to glossary terms, and checking that every one of them leads somewhere.

use std::path::{Component, Path, PathBuf};

use super::{Page, Site};
use crate::error::{Diagnostic, Diagnostics, Kind};

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Outside the course: kept as written.
    External(String),
    /// Another page (or this one), optionally at a heading.
    Page {
        /// Index of the page in [`crate::site::Site::pages`].
        page: usize,
        /// The heading's anchor, if any.
        anchor: Option<String>,
    },
    /// A heading of the same page.
    Anchor(String),
    /// A file under `content/`, copied to `media/`.
    Asset(PathBuf),
    /// A glossary term by id.
    Term(String),
}

/// Whether a destination leaves the site (has a URL scheme or is protocol-relative).
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && scheme != "term"
                && scheme.len() > 1
        }
        None => false,
    }
}

/// Resolves `dest`, written in `page`'s file for language `lang`.
pub fn resolve(
    site: &Site,
    page: usize,
    lang: &str,
    dest: &str,
) -> Result<Target, (Kind, String, String)> {
    if let Some(id) = dest.strip_prefix("term:") {
        return if site.data.glossary.iter().any(|t| t.value.id == id) {
            Ok(Target::Term(id.to_string()))
        } else {
            let help = match crate::error::suggest(
                id,
                site.data.glossary.iter().map(|t| t.value.id.as_str()),
            ) {
                Some(s) => format!("did you mean `term:{s}`?"),
                None => "define the term in a NAME.glossary.toml file".into(),
            };
            Err((
                Kind::UndefinedTerm,
                format!("the glossary term `{id}` is not defined"),
                help,
            ))
        };
    }
    if is_external(dest) {
        return Ok(Target::External(dest.to_string()));
    }
    if dest.is_empty() {
        return Err((
            Kind::BrokenLink,
            "the link has no destination".into(),
            "write the file to link to between the parentheses, e.g. [text](04-vendors.md), a heading of this page, e.g. [text](#details), or a web address; or remove the brackets to keep the text alone".into(),
        ));
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(crate::percent::decode(a).into_owned())),
        None => (dest, None),
    };
    let p = &site.pages[page];
    if path.is_empty() {
        let a = anchor.unwrap_or_default();
        let (v, _) = site.variant(p, lang);
        return if v.doc.headings.iter().any(|h| h.id == a) || a.is_empty() {
            Ok(Target::Anchor(a))
        } else {
            Err((
                Kind::BrokenAnchor,
                format!("no heading with the id `#{a}` on this page"),
                hint_anchor(&v.doc.headings, &a),
            ))
        };
    }
    let base = p.key.parent().unwrap_or(Path::new(""));
    resolve_file(site, base, lang, path, anchor)
}

/// Resolves `path` (with its `#anchor`, percent-decoded) written in folder `base` of `content/`
/// for language `lang`: a page, a heading of one, or an asset.
pub fn resolve_file(
    site: &Site,
    base: &Path,
    lang: &str,
    path: &str,
    anchor: Option<String>,
) -> Result<Target, (Kind, String, String)> {
    if path.starts_with('/') || path.contains('\\') {
        return Err((
            Kind::BrokenLink,
            format!("`{path}` is an absolute path"),
            "link to the source file relative to this one, e.g. ../02-survey/01-staff-rules.md"
                .into(),
        ));
    }
    let Some(target) = normalize(&base.join(&*crate::percent::decode(path))) else {
        return Err((
            Kind::BrokenLink,
            format!("`{path}` leads outside the course's content/ folder"),
            "link only to files inside content/".into(),
        ));
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let md = name.ends_with(".md");
    if md || path.ends_with('/') || site.page_by_key(&target.join("_index")).is_some() {
        let key = if md {
            let stem = name.trim_end_matches(".md");
            let stem = match stem.rsplit_once('.') {
                Some((s, l)) if site.config.languages.iter().any(|x| x == l) => s,
                _ => stem,
            };
            target.with_file_name(stem)
        } else {
            target.join("_index")
        };
        let Some(idx) = site.page_by_key(&key) else {
            return Err((Kind::BrokenLink, format!("`{path}` is not a page of the course"), "check the file name; links name the source file, e.g. ../01-awareness/04-vendors.ja.md".into()));
        };
        if let Some(a) = &anchor {
            let (v, _) = site.variant(&site.pages[idx], lang);
            if !v.doc.headings.iter().any(|h| &h.id == a) {
                return Err((
                    Kind::BrokenAnchor,
                    format!("`{path}` has no heading with the id `#{a}` in its {lang} version"),
                    hint_anchor(&v.doc.headings, a),
                ));
            }
        }
        return Ok(Target::Page { page: idx, anchor });
    }
    if site.assets.iter().any(|a| a.rel == target) {
        return Ok(Target::Asset(target));
    }
    Err((
        Kind::BrokenLink,
        format!("`{path}` does not exist"),
        "check the path: it is relative to this file's folder".into(),
    ))
}

fn hint_anchor(headings: &[crate::markdown::parse::Heading], a: &str) -> String {
    match crate::error::suggest(a, headings.iter().map(|h| h.id.as_str())) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if headings.is_empty() => "the page has no headings".into(),
        None => format!(
            "its headings: {}",
            headings
                .iter()
                .map(|h| format!("#{}", h.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Removes `.` and `..`; `None` when the path climbs above its start.
pub fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(n) => out.push(n),
            _ => return None,
        }
    }
    Some(out)
}

/// Checks every link of every page in every language.
pub fn check(site: &Site, diags: &mut Diagnostics, _warnings: &mut Vec<Diagnostic>) {
    check_pages(site, 0..site.pages.len(), diags);
}

/// Checks every link of the given pages in every language.
pub fn check_pages(site: &Site, pages: impl IntoIterator<Item = usize>, diags: &mut Diagnostics) {
    for i in pages {
        let p = &site.pages[i];
        for (lang, v) in &p.variants {
            for l in v.doc.all_links() {
                if let Err((kind, msg, help)) = resolve(site, i, lang, &l.dest) {
                    diags.push(
                        Diagnostic::at_line(kind, &v.file, &v.text, l.pos.line, l.pos.column, msg)
                            .help(help),
                    );
                }
            }
        }
    }
}

/// Reports images without alternative text.
pub fn check_images(site: &Site, warnings: &mut Vec<Diagnostic>) {
    for p in &site.pages {
        for v in p.variants.values() {
            for l in v.doc.all_links() {
                if l.image && l.alt.trim().is_empty() {
                    warnings.push(
                        Diagnostic::at_line(
                            Kind::ImageAlt,
                            &v.file,
                            &v.text,
                            l.pos.line,
                            l.pos.column,
                            "this image has no text alternative",
                        )
                        .help(
                            "describe the picture between the brackets: ![what it shows](file.svg)",
                        ),
                    );
                }
            }
        }
    }
}

/// The page's title in `lang` with its number: `1-4 外部委託先管理について`, `第1章 …`, `Chapter 1 …`.
pub fn numbered_title(site: &Site, p: &Page, lang: &str) -> String {
    let (v, _) = site.variant(p, lang);
    match (&p.number, p.kind) {
        (Some(n), super::PageKind::Chapter) => {
            format!("{} {}", site.chapter_number(lang, n), v.front.title)
        }
        (Some(n), _) => format!("{n} {}", v.front.title),
        (None, _) => v.front.title.clone(),
    }
}
