//! The `render` stage: turns a checked [`Site`] into the files of the static site — every page in
//! every language, the library pages, assets and indexes — as paths and bytes, without touching
//! the disk. [`schedule`] decides which files are made and in which order and hands each to the
//! sink; [`page`] renders one page of the course, its body by [`body`]; [`url`] says where
//! each page of the course is. Pages render in parallel.

pub mod body;
pub mod handouts;
pub mod library;
mod marked;
pub mod nav;
pub mod page;
pub mod progress;
pub mod quizzes;
pub mod schedule;
pub mod search_words;
pub mod searchindex;
pub mod sitemap;
pub mod slides;
pub mod theme;
pub mod url;

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Diagnostic, Error, Result};
use crate::render::body::glossary::Terms;
use crate::render::body::html::Chunk;
use crate::site::Site;
use theme::{Strings, Theme};

pub use crate::output::{Collect, OutputFile, Sink};
pub use page::render_page;
pub use schedule::{render, render_into};

/// A page's searchable parts, for the search index.
#[derive(Debug, Clone)]
pub struct Searchable {
    pub lang: String,
    pub url: String,
    pub title: String,
    pub kind: crate::search::DocKind,
    pub chunks: Vec<Chunk>,
}

/// Everything a build writes.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Vec<OutputFile>,
    /// Pages per language (content and generated pages).
    pub pages: BTreeMap<String, usize>,
    /// What the search indexes were built from (kept for live reload).
    pub search: Vec<Searchable>,
}

/// The per-language states of a site.
pub fn lang_states<'a>(site: &'a Site, theme: &'a Theme) -> Vec<LangState<'a>> {
    site.languages()
        .into_iter()
        .map(|l| LangState {
            lang: l,
            strings: theme.strings(l),
            page_strings: theme.page_strings(l),
            terms: Terms::new(site, l),
            theme,
        })
        .collect()
}

/// Per-language rendering state shared by that language's pages.
pub struct LangState<'a> {
    pub lang: &'a str,
    pub strings: Strings,
    /// The strings the page templates use, the ones a page's view carries.
    pub page_strings: Strings,
    pub terms: Terms,
    pub theme: &'a Theme,
}

/// Renders a template, turning Tera's error into a diagnostic on the template file.
pub fn render_template(theme: &Theme, name: &str, ctx: &tera::Context) -> Result<String> {
    theme
        .tera
        .render(name, ctx)
        .map_err(|e| template_error(theme, name, &e))
}

/// Renders a template into the bytes of a file: as [`render_template`], without checking again
/// that what Tera wrote is UTF-8.
pub fn render_bytes(theme: &Theme, name: &str, ctx: &tera::Context) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    theme
        .tera
        .render_to(name, ctx, &mut out)
        .map_err(|e| template_error(theme, name, &e))?;
    Ok(out)
}

/// Tera's error as a diagnostic on the template file.
fn template_error(theme: &Theme, name: &str, e: &tera::Error) -> Error {
    let path = theme
        .overrides
        .iter()
        .find(|p| p.ends_with(name))
        .cloned()
        .unwrap_or_else(|| PathBuf::from(format!("themes/default/templates/{name}")));
    Error::from(
        Diagnostic::file(
            Kind::Template,
            path,
            format!(
                "template error while rendering `{name}`: {}",
                theme::chain(e)
            ),
        )
        .help("check the variables and filters the template uses (see the README's theme section)"),
    )
}

/// `html` with each mark (a name between two U+0001) replaced by its text (given in pieces);
/// `None` unless the marks occur exactly once each, in order, and U+0001 nowhere else. One pass
/// over `html`.
pub(crate) fn fill<T: AsRef<[u8]>>(html: &[u8], parts: &[(&str, &[T])]) -> Option<Vec<u8>> {
    let extra: usize = parts
        .iter()
        .flat_map(|(_, t)| t.iter())
        .map(|t| t.as_ref().len())
        .sum();
    let mut out = Vec::with_capacity(html.len() + extra);
    let mut next = parts.iter();
    let mut rest = html;
    while let Some(at) = memchr::memchr(1, rest) {
        let (mark, text) = next.next()?;
        if !rest[at..].starts_with(mark.as_bytes()) {
            return None;
        }
        out.extend_from_slice(&rest[..at]);
        text.iter().for_each(|t| out.extend_from_slice(t.as_ref()));
        rest = &rest[at + mark.len()..];
    }
    if next.next().is_some() {
        return None;
    }
    out.extend_from_slice(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::page::{CONTENT_MARK, NAV_MARK};

    #[test]
    fn marks_are_filled_only_when_each_occurs_once_in_order() {
        let parts: [(&str, &[&str]); 2] =
            [(NAV_MARK, &["<nav", ">"]), (CONTENT_MARK, &["<p>x</p>"])];
        let html = format!("a{NAV_MARK}b{CONTENT_MARK}c");
        let fill = |html: &str, parts: &[(&str, &[&str])]| {
            super::fill(html.as_bytes(), parts).map(|b| String::from_utf8(b).unwrap())
        };
        assert_eq!(fill(&html, &parts).as_deref(), Some("a<nav>b<p>x</p>c"));
        assert_eq!(fill(&format!("a{CONTENT_MARK}"), &parts), None);
        assert_eq!(
            fill(&format!("{NAV_MARK}{NAV_MARK}{CONTENT_MARK}"), &parts),
            None
        );
        assert_eq!(fill(&format!("{CONTENT_MARK}{NAV_MARK}"), &parts), None);
        assert_eq!(
            fill(&format!("{NAV_MARK}\u{1}{CONTENT_MARK}"), &parts),
            None
        );
        assert_eq!(fill("no marks", &[]).as_deref(), Some("no marks"));
    }
}
