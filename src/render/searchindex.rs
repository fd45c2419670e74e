//! Hands the rendered pages' text to the search index builder and writes one index script per
//! language (`search/LANG.js`), loaded with a plain script tag so it works from file://.

use super::{OutputFile, Searchable, Sink};
use std::collections::BTreeMap;

use crate::error::Result;
use crate::search::index::{write_js, Builder, ChunkRef};
use crate::search::SearchIndex;

/// The languages of `search`, sorted.
fn languages(search: &[Searchable]) -> Vec<&str> {
    let mut langs: Vec<&str> = search.iter().map(|s| s.lang.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    langs
}

/// Every chunk of language `lang`, in order.
fn chunks<'a>(search: &'a [Searchable], lang: &'a str) -> impl Iterator<Item = ChunkRef<'a>> {
    search.iter().filter(move |s| s.lang == lang).flat_map(|s| {
        s.chunks.iter().map(move |c| ChunkRef {
            path: &s.url,
            frag: c.anchor_fragment(),
            title: &s.title,
            heading: c
                .heading
                .as_deref()
                .map(str::trim)
                .filter(|h| !h.is_empty()),
            kind: s.kind,
            text: &c.text,
        })
    })
}

/// The search index of every language, built from the pages' texts.
pub fn indexes(search: &[Searchable]) -> BTreeMap<String, SearchIndex> {
    use rayon::prelude::*;
    languages(search)
        .into_par_iter()
        .map(|lang| {
            let mut b = Builder::new(lang);
            for c in chunks(search, lang) {
                b.push(c.path, c.frag, c.title, c.heading, c.kind, c.text);
            }
            (lang.to_string(), b.finish())
        })
        .collect()
}

/// Writes every language's index file to `sink`, each streamed chunk by chunk.
pub fn write_indexes(search: &[Searchable], sink: &dyn Sink) -> Result<()> {
    use rayon::prelude::*;
    languages(search).into_par_iter().try_for_each(|lang| {
        sink.put_stream(format!("search/{lang}.js"), &mut |w| {
            write_js(lang, chunks(search, lang), w)
        })
    })
}

/// Every language's index file, in memory.
pub fn render_indexes(search: &[Searchable]) -> Vec<OutputFile> {
    let sink = super::Collect::default();
    // Writing into memory cannot fail.
    let _ = write_indexes(search, &sink);
    sink.0.into_inner().unwrap_or_default()
}
