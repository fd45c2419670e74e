//! Hands the rendered pages' text to the search index builder and writes one index script per
//! language (`search/LANG.js`), loaded with a plain script tag so it works from file://.

use std::collections::BTreeMap;

use super::{OutputFile, Searchable};
use crate::search::{SearchDoc, SearchIndex};

/// The search documents of every language, one per chunk (a page's part under a heading).
pub fn docs(search: &[Searchable]) -> BTreeMap<String, Vec<SearchDoc>> {
    let mut by_lang: BTreeMap<String, Vec<SearchDoc>> = BTreeMap::new();
    for s in search {
        let docs = by_lang.entry(s.lang.clone()).or_default();
        for c in &s.chunks {
            let url = match &c.anchor {
                Some(a) => format!("{}#{a}", s.url),
                None => s.url.clone(),
            };
            let heading = c
                .heading
                .as_ref()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty());
            docs.push(SearchDoc {
                url,
                title: s.title.clone(),
                heading,
                kind: s.kind,
                // The index stores it in display form, whitespace collapsed.
                text: c.text.clone(),
            });
        }
    }
    by_lang
}

/// Builds every language's index file.
pub fn render_indexes(search: &[Searchable]) -> Vec<OutputFile> {
    use rayon::prelude::*;
    docs(search)
        .into_par_iter()
        .map(|(lang, docs)| {
            let idx = SearchIndex::build(&lang, &docs);
            OutputFile {
                path: format!("search/{lang}.js"),
                bytes: idx.to_js().into_bytes(),
            }
        })
        .collect()
}
