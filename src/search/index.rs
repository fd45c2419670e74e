//! The search index: building it from chunks, and writing it as a JavaScript file.
//!
//! Layout (also the JSON object assigned to `window.kyozaiSearch[lang]`):
//!
//! ```text
//! { "v": 1, "lang": "ja",
//!   "pages":  [["ja/awareness/impact/", "1-4 外部委託先管理について"], …],  // path, title
//!   "page":   [0, 0, 1, …],          // per chunk: its page
//!   "anchor": ["", "#anchor", …],    // per chunk: the URL's fragment, "" for none
//!   "kind":   "ppcig…",              // per chunk: p page, c case, i checklist item, g glossary
//!   "text":   "heading\u001ftext\u001eheading\u001ftext…" }
//! ```
//!
//! Titles are stored once per page; each chunk's heading and text once, in display
//! form, separated by U+001F and the chunks by U+001E (control characters never
//! survive [`display`], so the separators are unambiguous). There is no inverted
//! index: the browser folds `text` once and scans it with `indexOf`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::normalize::{display, fold_units};
use super::{DocKind, SearchDoc};

/// Format version, `v` in the serialised index.
pub const VERSION: u32 = 1;
/// Separates a chunk's heading from its text.
pub const FIELD_SEP: char = '\u{1f}';
/// Separates chunks.
pub const DOC_SEP: char = '\u{1e}';

/// The search index of one language; see the module documentation for its layout.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SearchIndex {
    /// Format version ([`VERSION`]).
    pub v: u32,
    /// Language code, the key under `window.kyozaiSearch`.
    pub lang: String,
    /// Per page: its path relative to the site root (without fragment) and its title.
    pub pages: Vec<(String, String)>,
    /// Per chunk: index into `pages`.
    pub page: Vec<u32>,
    /// Per chunk: the fragment of its URL including `#`, or `""`.
    pub anchor: Vec<String>,
    /// Per chunk: one letter, [`DocKind::code`].
    pub kind: String,
    /// Per chunk `heading U+001F text`, chunks joined by U+001E, all in display form.
    pub text: String,
    #[serde(skip)]
    prepared: OnceLock<Prepared>,
}

/// The index unpacked for searching, in UTF-16 units (as search.js holds it).
#[derive(Clone, Debug, Default)]
pub(crate) struct Prepared {
    pub titles: Vec<Field>,
    pub headings: Vec<Field>,
    pub bodies: Vec<Field>,
    pub kinds: Vec<DocKind>,
}

/// A text in display form and folded, same length.
#[derive(Clone, Debug, Default)]
pub(crate) struct Field {
    pub display: Vec<u16>,
    pub folded: Vec<u16>,
}

impl Field {
    fn new(s: &str) -> Field {
        let display: Vec<u16> = s.encode_utf16().collect();
        let folded = fold_units(&display);
        Field { display, folded }
    }
}

impl SearchIndex {
    /// Build the index of one language from its chunks (in the order given; a
    /// [`Hit::doc`](super::Hit::doc) is an index into `docs`).
    pub fn build(lang: &str, docs: &[SearchDoc]) -> SearchIndex {
        let mut pages: Vec<(String, String)> = Vec::new();
        let mut page_ids: HashMap<(String, String), u32> = HashMap::new();
        let mut page = Vec::with_capacity(docs.len());
        let mut anchor = Vec::with_capacity(docs.len());
        let mut kind = String::with_capacity(docs.len());
        let mut text = String::with_capacity(docs.iter().map(|d| d.text.len() + 8).sum());
        // Consecutive chunks usually belong to the same page: look its id up once.
        let mut last: Option<(&str, &str, u32)> = None;
        for (i, doc) in docs.iter().enumerate() {
            let (path, frag) = match doc.url.find('#') {
                Some(at) => doc.url.split_at(at),
                None => (doc.url.as_str(), ""),
            };
            let id = match last {
                Some((p, t, id)) if p == path && t == doc.title => id,
                _ => {
                    let key = (path.to_string(), display(&doc.title));
                    let id = *page_ids.entry(key.clone()).or_insert_with(|| {
                        pages.push(key);
                        (pages.len() - 1) as u32
                    });
                    last = Some((path, &doc.title, id));
                    id
                }
            };
            page.push(id);
            anchor.push(frag.to_string());
            kind.push(doc.kind.code());
            if i > 0 {
                text.push(DOC_SEP);
            }
            if let Some(h) = &doc.heading {
                text.push_str(&display(h));
            }
            text.push(FIELD_SEP);
            text.push_str(&display(&doc.text));
        }
        SearchIndex {
            v: VERSION,
            lang: lang.to_string(),
            pages,
            page,
            anchor,
            kind,
            text,
            prepared: OnceLock::new(),
        }
    }

    /// Number of chunks in the index.
    pub fn len(&self) -> usize {
        self.page.len()
    }

    /// Whether the index holds no chunk.
    pub fn is_empty(&self) -> bool {
        self.page.is_empty()
    }

    /// The chunk's URL relative to the site root.
    pub fn url(&self, doc: usize) -> String {
        let path = &self.pages[self.page[doc] as usize].0;
        format!("{}{}", path, self.anchor[doc])
    }

    /// The chunk's page title.
    pub fn title(&self, doc: usize) -> &str {
        &self.pages[self.page[doc] as usize].1
    }

    /// The index as JSON (with `<`, U+2028 and U+2029 escaped, so that it is also safe
    /// inside HTML and as JavaScript source).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.push_json(&mut out);
        out
    }

    fn push_json(&self, out: &mut String) {
        let json = serde_json::to_string(self).expect("the search index serialises");
        out.reserve(json.len() + 64);
        // `<` is one byte and U+2028/U+2029 start with 0xE2: copy the runs between them whole.
        let mut from = 0;
        for (at, &b) in json.as_bytes().iter().enumerate() {
            if b != b'<' && b != 0xE2 {
                continue;
            }
            let escaped = match &json[at..] {
                r if r.starts_with('<') => "\\u003c",
                r if r.starts_with('\u{2028}') => "\\u2028",
                r if r.starts_with('\u{2029}') => "\\u2029",
                _ => continue,
            };
            out.push_str(&json[from..at]);
            out.push_str(escaped);
            from = at + if b == b'<' { 1 } else { 3 };
        }
        out.push_str(&json[from..]);
    }

    /// JavaScript source that registers the index:
    /// `window.kyozaiSearch = window.kyozaiSearch || {}; window.kyozaiSearch["ja"] = {…};`
    pub fn to_js(&self) -> String {
        let lang = serde_json::to_string(&self.lang)
            .expect("a string serialises")
            .replace('<', "\\u003c");
        let mut js = format!(
            "window.kyozaiSearch = window.kyozaiSearch || {{}};\nwindow.kyozaiSearch[{lang}] = "
        );
        self.push_json(&mut js);
        js.push_str(";\n");
        js
    }

    /// The index unpacked for searching (computed on first use).
    pub(crate) fn prepared(&self) -> &Prepared {
        self.prepared.get_or_init(|| {
            let mut p = Prepared {
                titles: self.pages.iter().map(|(_, t)| Field::new(t)).collect(),
                ..Prepared::default()
            };
            if !self.page.is_empty() {
                for rec in self.text.split(DOC_SEP) {
                    let (h, b) = rec.split_once(FIELD_SEP).unwrap_or(("", rec));
                    p.headings.push(Field::new(h));
                    p.bodies.push(Field::new(b));
                }
            }
            p.kinds = self.kind.chars().map(DocKind::from_code).collect();
            p
        })
    }
}
