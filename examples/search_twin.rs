//! The Rust side of the search twin test (`tests/browser/search-twin.test.mjs`): answers queries on
//! a built site's sharded index with [`Sharded::search`], so that the test can require the very
//! results of `themes/default/static/search-core.js` on the same files. A development tool, not
//! part of `kyozai`.
//!
//! ```text
//! search_twin search SITE LANG < queries.json   # ["ランサム", …] → [[{doc,url,title,heading,kind,score,snippet}, …], …]
//! search_twin fold LANG                         # the fold of every UTF-16 unit: [u0, u1, …, u65535]
//! ```

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use kyozai::search::index::SearchIndex;
use kyozai::search::normalize::{fold_units, Folding};
use kyozai::search::shards::{Sharded, BITS};
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

fn run(args: &[String]) -> Result<String, String> {
    match args {
        [cmd, site, lang] if cmd == "search" => {
            let index = read(Path::new(site), lang)?;
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| e.to_string())?;
            let queries: Vec<String> = serde_json::from_str(&input).map_err(|e| e.to_string())?;
            let answers: Vec<Vec<Out>> = queries
                .iter()
                .map(|q| {
                    index
                        .search(q)
                        .into_iter()
                        .map(|h| Out {
                            doc: h.doc,
                            url: h.url,
                            title: h.title,
                            heading: h.heading,
                            kind: h.kind.code().to_string(),
                            score: h.score as u32,
                            snippet: h.snippet,
                        })
                        .collect()
                })
                .collect();
            serde_json::to_string(&answers).map_err(|e| e.to_string())
        }
        [cmd, lang] if cmd == "fold" => {
            let units: Vec<u16> = (0..=u16::MAX).collect();
            serde_json::to_string(&fold_units(&units, Folding::for_lang(lang)))
                .map_err(|e| e.to_string())
        }
        _ => {
            Err("usage: search_twin search SITE LANG < queries.json | search_twin fold LANG".into())
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
