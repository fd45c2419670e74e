//! The search index: building it from chunks, and writing it as JSON.
//!
//! Layout (of a whole index, and of each shard the site holds, see [`super::shards`]):
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

use super::normalize::{display, fold_units, Folding};
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
    fn new(s: &str, f: Folding) -> Field {
        let display: Vec<u16> = s.encode_utf16().collect();
        let folded = fold_units(&display, f);
        Field { display, folded }
    }
}

impl SearchIndex {
    /// Build the index of one language from its chunks (in the order given; a
    /// [`Hit::doc`](super::Hit::doc) is an index into `docs`).
    pub fn build(lang: &str, docs: &[SearchDoc]) -> SearchIndex {
        let mut b = Builder::new(lang);
        for doc in docs {
            let (path, frag) = match doc.url.find('#') {
                Some(at) => doc.url.split_at(at),
                None => (doc.url.as_str(), ""),
            };
            b.push(
                path,
                frag,
                &doc.title,
                doc.heading.as_deref(),
                doc.kind,
                &doc.text,
            );
        }
        b.finish()
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
        let mut out = Vec::new();
        self.write_json(&mut out);
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        let mut ser = serde_json::Serializer::with_formatter(out, ScriptSafe);
        self.serialize(&mut ser)
            .expect("the search index serialises");
    }

    /// JavaScript source that registers the index:
    /// `window.kyozaiSearch = window.kyozaiSearch || {}; window.kyozaiSearch["ja"] = {…};`
    pub fn to_js(&self) -> String {
        let mut js = script_head(&self.lang).into_bytes();
        js.reserve(self.text.len() + self.text.len() / 8 + 64 * self.page.len());
        self.write_json(&mut js);
        js.extend_from_slice(b";\n");
        String::from_utf8(js).expect("JavaScript source is UTF-8")
    }

    /// How the index's language is folded.
    pub fn folding(&self) -> Folding {
        Folding::for_lang(&self.lang)
    }

    /// The index unpacked for searching (computed on first use).
    pub(crate) fn prepared(&self) -> &Prepared {
        self.prepared.get_or_init(|| {
            let f = self.folding();
            let mut p = Prepared {
                titles: self.pages.iter().map(|(_, t)| Field::new(t, f)).collect(),
                ..Prepared::default()
            };
            if !self.page.is_empty() {
                for rec in self.text.split(DOC_SEP) {
                    let (h, b) = rec.split_once(FIELD_SEP).unwrap_or(("", rec));
                    p.headings.push(Field::new(h, f));
                    p.bodies.push(Field::new(b, f));
                }
            }
            p.kinds = self.kind.chars().map(DocKind::from_code).collect();
            p
        })
    }
}

/// Writes JSON with `<`, U+2028 and U+2029 escaped in strings.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut from = 0;
        for (at, c) in fragment.match_indices(['<', '\u{2028}', '\u{2029}']) {
            w.write_all(&fragment.as_bytes()[from..at])?;
            w.write_all(match c {
                "<" => b"\\u003c",
                "\u{2028}" => b"\\u2028",
                _ => b"\\u2029",
            })?;
            from = at + c.len();
        }
        w.write_all(&fragment.as_bytes()[from..])
    }
}

/// The start of an index script, up to the index itself: `window.kyozaiSearch["ja"] = `.
fn script_head(lang: &str) -> String {
    let lang = crate::text::script_json(&serde_json::to_string(lang).expect("a string serialises"));
    format!("window.kyozaiSearch = window.kyozaiSearch || {{}};\nwindow.kyozaiSearch[{lang}] = ")
}

/// Builds a [`SearchIndex`] chunk by chunk.
pub struct Builder {
    index: SearchIndex,
    page_ids: HashMap<(String, String), u32>,
    /// The page path and title of the last chunk, and its page id.
    last: Option<(String, String, u32)>,
}

impl Builder {
    /// An empty index of language `lang`.
    pub fn new(lang: &str) -> Builder {
        Builder {
            index: SearchIndex {
                v: VERSION,
                lang: lang.to_string(),
                ..SearchIndex::default()
            },
            page_ids: HashMap::new(),
            last: None,
        }
    }

    /// Adds a chunk: its page's path and title, the URL fragment (`#id` or `""`), its heading,
    /// kind and text (both put in display form).
    pub fn push(
        &mut self,
        path: &str,
        frag: &str,
        title: &str,
        heading: Option<&str>,
        kind: DocKind,
        text: &str,
    ) {
        if !self.index.page.is_empty() {
            self.index.text.push(DOC_SEP);
        }
        self.push_meta(path, frag, title, kind);
        let idx = &mut self.index;
        if let Some(h) = heading {
            idx.text.push_str(&display(h));
        }
        idx.text.push(FIELD_SEP);
        idx.text.push_str(&display(text));
    }

    /// Adds a chunk whose heading (`""` for none) and text are in display form already.
    pub fn push_display(
        &mut self,
        path: &str,
        frag: &str,
        title: &str,
        kind: DocKind,
        heading: &str,
        text: &str,
    ) {
        if !self.index.page.is_empty() {
            self.index.text.push(DOC_SEP);
        }
        self.push_meta(path, frag, title, kind);
        let idx = &mut self.index;
        idx.text.push_str(heading);
        idx.text.push(FIELD_SEP);
        idx.text.push_str(text);
    }

    /// Adds a chunk's page, fragment and kind, but not its text (which the caller writes).
    pub fn push_meta(&mut self, path: &str, frag: &str, title: &str, kind: DocKind) {
        let idx = &mut self.index;
        let id = match &self.last {
            Some((p, t, id)) if p == path && t == title => *id,
            _ => {
                let key = (path.to_string(), display(title));
                let id = *self.page_ids.entry(key.clone()).or_insert_with(|| {
                    idx.pages.push(key);
                    (idx.pages.len() - 1) as u32
                });
                self.last = Some((path.to_string(), title.to_string(), id));
                id
            }
        };
        idx.page.push(id);
        idx.anchor.push(frag.to_string());
        idx.kind.push(kind.code());
    }

    /// The finished index.
    pub fn finish(self) -> SearchIndex {
        self.index
    }
}

/// One chunk as [`Builder`]s and shard writers take it.
pub struct ChunkRef<'a> {
    pub path: &'a str,
    pub frag: &'a str,
    pub title: &'a str,
    pub heading: Option<&'a str>,
    pub kind: DocKind,
    pub text: &'a str,
}
