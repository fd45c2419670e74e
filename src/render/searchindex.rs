//! Hands the rendered pages' text to the search index builder and writes each language's index in
//! shards (`search/LANG.js` and `search/LANG/*.js`, see [`crate::search::shards`]), loaded with
//! plain script elements so that they work from file://.

use super::{OutputFile, Searchable, Sink};
use std::borrow::Borrow;
use std::collections::BTreeMap;

use crate::error::Result;
use crate::search::index::{Builder, ChunkRef};
use crate::search::shards::ShardWriter;
use crate::search::SearchIndex;

/// The languages of `search`, sorted.
fn languages<S: Borrow<Searchable>>(search: &[S]) -> Vec<&str> {
    let mut langs: Vec<&str> = search.iter().map(|s| s.borrow().lang.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    langs
}

/// Every chunk of language `lang`, in order.
fn chunks<'a, S: Borrow<Searchable>>(
    search: &'a [S],
    lang: &'a str,
) -> impl Iterator<Item = ChunkRef<'a>> {
    search
        .iter()
        .map(Borrow::borrow)
        .filter(move |s: &&Searchable| s.lang == lang)
        .flat_map(chunks_of)
}

/// The chunks of one page.
fn chunks_of(s: &Searchable) -> impl Iterator<Item = ChunkRef<'_>> {
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
}

/// The search index of every language, built from the pages' texts (held directly or shared,
/// as `Arc<Searchable>`).
pub fn indexes<S: Borrow<Searchable> + Sync>(search: &[S]) -> BTreeMap<String, SearchIndex> {
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

/// Hands a script of the index to `sink`.
fn put(sink: &dyn Sink, (path, js): (String, String)) -> Result<()> {
    sink.put(OutputFile {
        path,
        bytes: js.into_bytes(),
    })
}

/// Writes every language's index files to `sink`, each shard as soon as it is full; stops at the
/// first file `sink` refuses. Each language is written by a thread of its own rather than on
/// rayon's pool, so that a write running in the background of `kyozai serve` never keeps the
/// parallel work of the next rebuild waiting.
pub fn write_indexes<S: Borrow<Searchable> + Sync>(search: &[S], sink: &dyn Sink) -> Result<()> {
    let langs = languages(search);
    std::thread::scope(|scope| {
        let writers: Vec<_> = langs
            .iter()
            .map(|&lang| scope.spawn(move || write_language(search, lang, sink)))
            .collect();
        let done: Vec<Result<()>> = writers
            .into_iter()
            .map(|w| {
                w.join().unwrap_or_else(|_| {
                    Err(crate::error::Error::Internal(
                        "the search index writer stopped".into(),
                    ))
                })
            })
            .collect();
        done.into_iter().collect()
    })
}

/// Writes language `lang`'s index files to `sink`.
fn write_language<S: Borrow<Searchable>>(search: &[S], lang: &str, sink: &dyn Sink) -> Result<()> {
    let mut w = ShardWriter::streaming(lang);
    for c in chunks(search, lang) {
        if let Some(f) = w.chunk(&c) {
            put(sink, f)?;
        }
    }
    w.finish().into_iter().try_for_each(|f| put(sink, f))
}

/// Every language's index files, in memory.
pub fn render_indexes<S: Borrow<Searchable> + Sync>(search: &[S]) -> Vec<OutputFile> {
    let sink = super::Collect::default();
    // Writing into memory cannot fail.
    let _ = write_indexes(search, &sink);
    sink.0.into_inner().unwrap_or_default()
}

/// The index scripts written while the pages render, so that the pages' texts are never all held
/// in memory and the index costs no time of its own at the end. Each language's shards are written
/// by a thread of its own as they fill; pages are handed over in jobs numbered in
/// page order, which may finish in any order and are written in order.
pub struct Streaming<'s> {
    langs: Vec<Lane>,
    writers: Vec<std::thread::ScopedJoinHandle<'s, Result<Vec<Searchable>>>>,
}

/// One language's hand-over: the next job to write, and those that finished before it.
struct Lane {
    lang: String,
    order: std::sync::Mutex<(usize, BTreeMap<usize, Vec<Searchable>>)>,
    tx: std::sync::mpsc::Sender<Vec<Searchable>>,
}

impl<'s> Streaming<'s> {
    /// Starts one writer per language of `langs` on `scope`, writing into `sink`. With `keep`,
    /// the pages handed over are given back by [`Streaming::finish`] (for live reload).
    pub fn start<'e>(
        scope: &'s std::thread::Scope<'s, 'e>,
        langs: &[&str],
        sink: &'s dyn Sink,
        keep: bool,
    ) -> Streaming<'s> {
        let mut lanes = Vec::new();
        let mut writers = Vec::new();
        for lang in langs {
            let (tx, rx) = std::sync::mpsc::channel::<Vec<Searchable>>();
            let code = lang.to_string();
            writers.push(scope.spawn(move || {
                let mut kept = Vec::new();
                let mut w = ShardWriter::streaming(&code);
                for pages in rx.iter() {
                    for c in pages.iter().flat_map(chunks_of) {
                        if let Some(f) = w.chunk(&c) {
                            put(sink, f)?;
                        }
                    }
                    if keep {
                        kept.extend(pages);
                    }
                }
                w.finish().into_iter().try_for_each(|f| put(sink, f))?;
                Ok(kept)
            }));
            lanes.push(Lane {
                lang: lang.to_string(),
                order: Default::default(),
                tx,
            });
        }
        Streaming {
            langs: lanes,
            writers,
        }
    }

    /// Hands over the pages of job `job` (numbered from 0 within language `lang`).
    pub fn job(&self, lang: &str, job: usize, pages: Vec<Searchable>) {
        let Some(lane) = self.langs.iter().find(|l| l.lang == lang) else {
            return;
        };
        let Ok(mut order) = lane.order.lock() else {
            return;
        };
        let (next, waiting) = &mut *order;
        waiting.insert(job, pages);
        while let Some(pages) = waiting.remove(next) {
            // A writer that stopped reports its error when joined.
            let _ = lane.tx.send(pages);
            *next += 1;
        }
    }

    /// Hands over pages that follow every job of their language (call after the last job).
    pub fn after_jobs(&self, lang: &str, pages: Vec<Searchable>) {
        if let Some(lane) = self.langs.iter().find(|l| l.lang == lang) {
            let _ = lane.tx.send(pages);
        }
    }

    /// Ends the scripts and waits for them to be written; returns the pages handed over when
    /// kept, in order, language by language.
    pub fn finish(self) -> Result<Vec<Searchable>> {
        drop(self.langs);
        let mut all = Vec::new();
        for w in self.writers {
            let kept = w.join().unwrap_or_else(|_| {
                Err(crate::error::Error::Internal(
                    "the search index writer stopped".into(),
                ))
            })?;
            all.extend(kept);
        }
        Ok(all)
    }
}
