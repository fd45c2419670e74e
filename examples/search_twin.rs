//! The Rust side of the search twin test (`tests/browser/search-twin.test.mjs`): answers queries on
//! a built site's sharded index with [`Sharded::search`] (every batch, in order) and
//! [`Sharded::search_batch`] (the first), so that the test can require the very results of
//! `themes/default/static/search-core.js` on the same files; and writes a site's index again in
//! other shards and batches, so that common terms span several batches on a small course. A
//! development tool, not part of `kyozai`.
//!
//! ```text
//! search_twin search SITE LANG < queries.json   # ["ランサム", …] → [{batches,first,all:[hit…]}, …]
//!                                               # first: the first batch's hits, null for one batch
//!                                               # hit: {doc,url,title,heading,kind,score,snippet}
//! search_twin split SITE LANG TEXT BATCH OUT    # SITE's index of LANG in shards of TEXT bytes,
//!                                               # BATCH a batch, written to OUT/search/
//! search_twin fold LANG                         # the fold of every UTF-16 unit: [u0, u1, …, u65535]
//! ```

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use kyozai::search::index::{ChunkRef, SearchIndex, DOC_SEP, FIELD_SEP};
use kyozai::search::normalize::{fold_units, Folding};
use kyozai::search::shards::{ShardWriter, Sharded, BITS};
use kyozai::search::{DocKind, Hit};
use serde::Serialize;

/// One hit as the test compares it.
#[derive(Serialize)]
struct Out {
    doc: usize,
    url: String,
    title: String,
    heading: Option<String>,
    kind: String,
    score: u32,
    snippet: String,
}

/// One query's answer: the number of batches, the first batch's hits when there are several
/// (else they are all the hits) and every batch's hits.
#[derive(Serialize)]
struct Answer {
    batches: usize,
    first: Option<Vec<Out>>,
    all: Vec<Out>,
}

impl From<Hit> for Out {
    fn from(h: Hit) -> Out {
        Out {
            doc: h.doc,
            url: h.url,
            title: h.title,
            heading: h.heading,
            kind: h.kind.code().to_string(),
            score: h.score as u32,
            snippet: h.snippet,
        }
    }
}

/// The JSON after `] = ` in one of the index's scripts.
fn script_json(path: &Path) -> Result<String, String> {
    let js = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    js.split_once("] = ")
        .and_then(|(_, j)| j.trim_end().strip_suffix(';'))
        .map(str::to_string)
        .ok_or_else(|| format!("{}: not an index script", path.display()))
}

/// The sharded index of `lang` in the built site `site`, read back from its files.
fn read(site: &Path, lang: &str) -> Result<Sharded, String> {
    let dir = site.join("search");
    let m: serde_json::Value = serde_json::from_str(&script_json(&dir.join(format!("{lang}.js")))?)
        .map_err(|e| e.to_string())?;
    let count = |k: &str| m[k].as_u64().map(|n| n as usize).ok_or(format!("no {k}"));
    let (shards, grams) = (count("shards")?, count("grams")?);
    let mut out = Sharded {
        lang: lang.to_string(),
        // Before version 3, no batches: every shard a query needs at once.
        batch: count("batch").unwrap_or(0),
        ..Sharded::default()
    };
    for k in 0..shards {
        let json = script_json(&dir.join(lang).join(format!("{k}.js")))?;
        let first: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
        out.first
            .push(first["first"].as_u64().ok_or("no first")? as usize);
        let shard: SearchIndex = serde_json::from_str(&json).map_err(|e| e.to_string())?;
        out.shards.push(shard);
    }
    for g in 0..grams {
        let json = script_json(&dir.join(lang).join(format!("g{g}.js")))?;
        let map: HashMap<u32, String> = serde_json::from_str(&json).map_err(|e| e.to_string())?;
        for (gram, bits) in map {
            let mut set = Vec::new();
            for (j, c) in bits.bytes().enumerate() {
                let d = BITS.iter().position(|&b| b == c).ok_or("a bad bitmap")?;
                set.extend((0..6).filter(|b| d >> b & 1 == 1).map(|b| 6 * j + b));
            }
            out.grams.insert(gram, set);
        }
    }
    Ok(out)
}

/// The files of `index`'s chunks written again in shards of `text` bytes, `batch` a batch.
fn split(index: &Sharded, text: usize, batch: usize) -> Vec<(String, String)> {
    let mut w = ShardWriter::new(&index.lang)
        .with_limit(text)
        .with_batch(batch);
    for shard in &index.shards {
        let records = shard.text.split(DOC_SEP).filter(|_| !shard.page.is_empty());
        for ((doc, rec), kind) in records.enumerate().zip(shard.kind.chars()) {
            let (path, title) = &shard.pages[shard.page[doc] as usize];
            let (heading, body) = rec.split_once(FIELD_SEP).unwrap_or(("", rec));
            w.chunk(&ChunkRef {
                path,
                frag: &shard.anchor[doc],
                title,
                heading: (!heading.is_empty()).then_some(heading),
                kind: DocKind::from_code(kind),
                text: body,
            });
        }
    }
    w.into_sharded().files()
}

fn run(args: &[String]) -> Result<String, String> {
    match args {
        [cmd, site, lang] if cmd == "search" => {
            let index = read(Path::new(site), lang)?;
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| e.to_string())?;
            let queries: Vec<String> = serde_json::from_str(&input).map_err(|e| e.to_string())?;
            let answers: Vec<Answer> = queries
                .iter()
                .map(|q| {
                    let batches = index.batches(q).len();
                    let hits = |h: Vec<Hit>| h.into_iter().map(Out::from).collect();
                    Answer {
                        batches,
                        first: (batches > 1).then(|| hits(index.search_batch(q, 0))),
                        all: hits(index.search(q)),
                    }
                })
                .collect();
            serde_json::to_string(&answers).map_err(|e| e.to_string())
        }
        [cmd, site, lang, text, batch, out] if cmd == "split" => {
            let number = |s: &str| s.parse::<usize>().map_err(|e| format!("{s}: {e}"));
            let index = read(Path::new(site), lang)?;
            let files = split(&index, number(text)?, number(batch)?);
            let out = Path::new(out);
            let _ = std::fs::remove_dir_all(out.join("search").join(lang));
            for (path, js) in &files {
                let path = out.join(path);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                }
                std::fs::write(&path, js).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Ok(format!("{}", files.len()))
        }
        [cmd, lang] if cmd == "fold" => {
            let units: Vec<u16> = (0..=u16::MAX).collect();
            serde_json::to_string(&fold_units(&units, Folding::for_lang(lang)))
                .map_err(|e| e.to_string())
        }
        _ => {
            Err("usage: search_twin search SITE LANG < queries.json | search_twin split SITE LANG TEXT BATCH OUT | search_twin fold LANG".into())
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("search_twin: {e}");
            ExitCode::FAILURE
        }
    }
}
