//! Site search: the types the renderer hands in and gets back, and the module map.
//!
//! The renderer turns every page (and every case, checklist item and glossary entry)
//! into [`SearchDoc`]s and writes each language's index in shards ([`shards`]):
//! `search/<lang>.js` and `search/<lang>/*.js`, which the page loads with plain script
//! elements (they work from `file://` and under `default-src 'self'`).
//! `themes/default/static/search-core.js` runs the same query algorithm in the browser;
//! [`SearchIndex::search`] is its Rust twin, used by tests.
//!
//! Design: the index stores each chunk's text once, already in display form
//! ([`normalize::display`]), and no inverted index. A query is answered by scanning
//! the folded text with `indexOf`, which is exact for any substring (Japanese has no
//! spaces, so any two characters must find every page containing them) and fast
//! enough within a shard; a query searches only the shards that hold every pair of
//! units of its terms, a batch of them at a time ([`shards::SHARD_BATCH`]). Folding
//! ([`normalize::fold`]) maps one UTF-16 unit to one UTF-16 unit, so a match position
//! in the folded text is also its position in the display text, which is what
//! snippets show.

pub mod index;
pub mod normalize;
pub mod query;
pub mod shards;
pub mod terms;

#[cfg(test)]
mod fold_tests;
#[cfg(test)]
mod shard_tests;
#[cfg(test)]
mod tests;

pub use index::SearchIndex;
pub use normalize::normalize;
pub use terms::stem;

use serde::{Deserialize, Serialize};

/// One searchable chunk of the site: a page, or a section of it under a heading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Relative to the site root, for example `ja/awareness/impact/#anchor`.
    pub url: String,
    /// The page title including its number, for example `1-4 外部委託先管理について`.
    pub title: String,
    /// The heading this chunk sits under, when `url` has an anchor.
    pub heading: Option<String>,
    /// What kind of content the chunk is.
    pub kind: DocKind,
    /// Plain text of the chunk.
    pub text: String,
}

/// What kind of content a [`SearchDoc`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A page, or a section of one.
    Page,
    /// A case study.
    Case,
    /// One item of a checklist.
    ChecklistItem,
    /// A glossary entry.
    Glossary,
}

impl DocKind {
    /// The one-letter code the index stores (`p`, `c`, `i`, `g`).
    pub fn code(self) -> char {
        match self {
            DocKind::Page => 'p',
            DocKind::Case => 'c',
            DocKind::ChecklistItem => 'i',
            DocKind::Glossary => 'g',
        }
    }

    /// The kind for a one-letter code; unknown codes read as [`DocKind::Page`].
    pub fn from_code(c: char) -> DocKind {
        match c {
            'c' => DocKind::Case,
            'i' => DocKind::ChecklistItem,
            'g' => DocKind::Glossary,
            _ => DocKind::Page,
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// Index of the chunk in the `docs` given to [`SearchIndex::build`].
    pub doc: usize,
    /// The chunk's URL, relative to the site root.
    pub url: String,
    /// The page title.
    pub title: String,
    /// The heading the chunk sits under, if any.
    pub heading: Option<String>,
    /// What kind of content the chunk is.
    pub kind: DocKind,
    /// Higher is better; hits come sorted by it (ties broken as documented in [`query`]).
    pub score: f32,
    /// About 80 characters of the chunk's text around the first match, each match
    /// wrapped in `«` and `»`; `…` marks a cut.
    pub snippet: String,
}
