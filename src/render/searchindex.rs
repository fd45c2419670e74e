//! Hands the rendered pages' text to the search index builder and writes one index script per
//! language (`search/LANG.js`), loaded with a plain script tag so it works from file://.

use super::{OutputFile, Searchable};
use std::collections::BTreeMap;

use crate::search::index::Builder;
use crate::search::SearchIndex;

/// The search index of every language, built from the pages' texts.
pub fn indexes(search: &[Searchable]) -> BTreeMap<String, SearchIndex> {
    use rayon::prelude::*;
    let mut langs: Vec<&str> = search.iter().map(|s| s.lang.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    langs
        .into_par_iter()
        .map(|lang| {
            let mut b = Builder::new(lang);
            for s in search.iter().filter(|s| s.lang == lang) {
                for c in &s.chunks {
                    let frag = c.anchor.as_ref().map(|a| format!("#{a}"));
                    let heading = c
                        .heading
                        .as_deref()
                        .map(str::trim)
                        .filter(|h| !h.is_empty());
                    b.push(
                        &s.url,
                        frag.as_deref().unwrap_or(""),
                        &s.title,
                        heading,
                        s.kind,
                        &c.text,
                    );
                }
            }
            (lang.to_string(), b.finish())
        })
        .collect()
}

/// Builds every language's index file.
pub fn render_indexes(search: &[Searchable]) -> Vec<OutputFile> {
    use rayon::prelude::*;
    indexes(search)
        .into_par_iter()
        .map(|(lang, idx)| OutputFile {
            path: format!("search/{lang}.js"),
            bytes: idx.to_js().into_bytes(),
        })
        .collect()
}
