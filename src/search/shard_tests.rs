//! Unit tests of the sharded index: the shards a query loads, and that searching them gives the
//! hits of the whole index.

use super::index::{ChunkRef, SearchIndex};
use super::normalize::Folding;
use super::shards::{ShardWriter, Sharded, BITS, SHARD_BATCH};
use super::terms::parse_query;
use super::{DocKind, SearchDoc};

const JA: Folding = Folding { kana: true };

/// A course of `n` pages, each with a heading chunk; page `k` mentions `固有語{k}` once.
fn course(n: usize) -> SearchIndex {
    let mut docs = Vec::new();
    for k in 0..n {
        let title = format!("{}-{} 第{k}節 情報セキュリティ", k / 10 + 1, k % 10 + 1);
        docs.push(SearchDoc {
            url: format!("ja/c{}/p{k}/", k / 10),
            title: title.clone(),
            heading: None,
            kind: DocKind::Page,
            text: format!(
                "医療機関のIT化が進みました。ランサムウェアに注意。Backups keep care going {k}."
            ),
        });
        docs.push(SearchDoc {
            url: format!("ja/c{}/p{k}/#h{k}", k / 10),
            title,
            heading: Some(if k % 7 == 0 {
                "標的型攻撃".into()
            } else {
                "概要".into()
            }),
            kind: if k % 5 == 0 {
                DocKind::Case
            } else {
                DocKind::Page
            },
            text: format!("固有語{k}を含む段落。USBメモリの持ち出し。hospitals depend on IT."),
        });
    }
    SearchIndex::build("ja", &docs)
}

const QUERIES: &[&str] = &[
    "ランサム",
    "らんさむ",
    "標的型",
    "固有語17",
    "固有語1",
    "第3節",
    "情",
    "USBメモリ",
    "ｕｓｂ",
    "hospital",
    "backup care",
    "depend",
    "存在しない",
    "IT 概要",
    "x",
    "",
];

#[test]
fn the_shards_give_the_hits_of_the_whole_index() {
    let index = course(120);
    for limit in [1, 500, 3000, 1 << 30] {
        let mut sharded = Sharded::split(&index, limit);
        if limit == 1 {
            assert_eq!(sharded.shards.len(), index.len(), "one chunk a shard");
        }
        if limit == 1 << 30 {
            assert_eq!(sharded.shards.len(), 1);
        }
        assert_eq!(sharded.chunks(), index.len());
        // All the shards a query needs in one batch: the ranking of the whole index.
        sharded.batch = 0;
        for q in QUERIES {
            assert_eq!(
                sharded.search(q),
                index.search(q),
                "{q:?} in shards of {limit} bytes"
            );
        }
    }
}

/// Checks the batches of `q` against the whole index: each batch holds the whole index's hits in
/// its shards' chunks, ranked as the whole index ranks them; the batches, in order, are what
/// `search` gives; together they hold every chunk the whole index finds, once. Returns the number
/// of batches.
fn check_batches(sharded: &Sharded, index: &SearchIndex, q: &str) -> usize {
    let whole = index.search(q);
    let batches = sharded.batches(q);
    let mut all = Vec::new();
    let mut docs = Vec::new();
    for (k, shards) in batches.iter().enumerate() {
        assert!(!shards.is_empty() && shards.len() <= sharded.batch, "{q:?}");
        let in_batch = |doc: usize| {
            shards.iter().any(|&s| {
                doc >= sharded.first[s] && doc < sharded.first[s] + sharded.shards[s].len()
            })
        };
        let hits = sharded.search_batch(q, k);
        let want: Vec<_> = whole.iter().filter(|h| in_batch(h.doc)).cloned().collect();
        assert_eq!(hits, want, "{q:?}, batch {k} of {}", batches.len());
        docs.extend(hits.iter().map(|h| h.doc));
        all.extend(hits);
    }
    assert!(sharded.search_batch(q, batches.len()).is_empty());
    assert_eq!(sharded.search(q), all, "{q:?}: the batches in order");
    docs.sort_unstable();
    let mut want: Vec<usize> = whole.iter().map(|h| h.doc).collect();
    want.sort_unstable();
    assert_eq!(docs, want, "{q:?}: every chunk the whole index finds, once");
    batches.len()
}

#[test]
fn batches_together_find_every_chunk_each_ranked_within_itself() {
    let index = course(120);
    for (limit, batch) in [(1, 1), (1, 7), (500, 3), (500, SHARD_BATCH), (3000, 2)] {
        let mut sharded = Sharded::split(&index, limit);
        assert_eq!(sharded.batch, SHARD_BATCH);
        sharded.batch = batch;
        let mut most = 0;
        for q in QUERIES {
            most = most.max(check_batches(&sharded, &index, q));
        }
        assert!(
            most > 1,
            "shards of {limit} bytes, batches of {batch}: {most}"
        );
    }
}

#[test]
fn a_query_whose_shards_fit_in_one_batch_is_ranked_as_in_the_whole_index() {
    let index = course(120);
    let sharded = Sharded::split(&index, 500);
    assert!(sharded.shards.len() > 2 * SHARD_BATCH);
    for q in [
        "固有語17",
        "固有語3",
        "第3節",
        "標的型 固有語70",
        "存在しない",
    ] {
        let batches = sharded.batches(q);
        assert!(batches.len() <= 1, "{q:?}: {batches:?}");
        assert_eq!(sharded.search(q), index.search(q), "{q:?}");
        assert_eq!(sharded.search_batch(q, 0), index.search(q), "{q:?}");
    }
    // A term on every page: the first answer searches the first batch's shards alone.
    let batches = sharded.batches("ランサム");
    assert!(batches.len() > 2, "{}", batches.len());
    assert_eq!(batches[0], (0..SHARD_BATCH).collect::<Vec<_>>());
    let first = sharded.search_batch("ランサム", 0);
    let end = sharded.first[SHARD_BATCH];
    assert!(!first.is_empty() && first.iter().all(|h| h.doc < end));
    let whole = index.search("ランサム");
    assert_eq!(first.len(), whole.iter().filter(|h| h.doc < end).count());
    assert!(whole.len() > first.len());
    assert!(sharded.batches("").is_empty() && sharded.search("").is_empty());
}

#[test]
fn a_rare_term_needs_only_the_shards_that_hold_it() {
    let index = course(120);
    let sharded = Sharded::split(&index, 500);
    let n = sharded.shards.len();
    assert!(n > 20, "{n} shards");
    // Pairs are a sieve: a shard with 固有語1 and a 17 elsewhere passes too, but few do.
    let needed = sharded.needed(&parse_query("固有語17", JA));
    assert!(!needed.is_empty() && needed.len() <= 4, "{needed:?}");
    for (s, shard) in sharded.shards.iter().enumerate() {
        if shard.text.contains("固有語17") {
            assert!(needed.contains(&s), "shard {s} holds the term");
        }
    }
    assert!(sharded.needed(&parse_query("存在しない", JA)).is_empty());
    let holding: Vec<usize> = (0..n)
        .filter(|&s| sharded.shards[s].text.contains("ランサム"))
        .collect();
    assert!(holding.len() > n / 2);
    assert_eq!(sharded.needed(&parse_query("ランサム", JA)), holding);
    // A title match needs the shards of the page's chunks, though its texts lack the term.
    let needed = sharded.needed(&parse_query("第3節", JA));
    assert!(!needed.is_empty() && needed.len() < n / 4, "{needed:?}");
}

/// Decodes a bitmap of the gram files.
fn shards_of(bits: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (j, c) in bits.bytes().enumerate() {
        let d = BITS.iter().position(|&b| b == c).expect("a bitmap digit");
        for b in 0..6 {
            if d >> b & 1 == 1 {
                out.push(6 * j + b);
            }
        }
    }
    out
}

#[test]
fn the_files_hold_the_shards_and_where_each_gram_is() {
    let index = course(60);
    let sharded = Sharded::split(&index, 700);
    let files: std::collections::BTreeMap<String, String> = sharded.files().into_iter().collect();
    let manifest = &files["search/ja.js"];
    let json = manifest
        .strip_prefix(
            "window.kyozaiSearch = window.kyozaiSearch || {};\nwindow.kyozaiSearch[\"ja\"] = ",
        )
        .and_then(|j| j.strip_suffix(";\n"))
        .expect("a manifest script");
    let m: serde_json::Value = serde_json::from_str(json).unwrap();
    let (shards, grams) = (
        m["shards"].as_u64().unwrap() as usize,
        m["grams"].as_u64().unwrap() as usize,
    );
    assert_eq!(m["v"], 3);
    assert_eq!(m["batch"].as_u64().unwrap() as usize, SHARD_BATCH);
    assert_eq!(shards, sharded.shards.len());
    assert_eq!(m["chunks"].as_u64().unwrap() as usize, index.len());
    assert_eq!(files.len(), 1 + shards + grams);
    for k in 0..shards {
        let js = &files[&format!("search/ja/{k}.js")];
        let head = format!("window.kyozaiSearchParts = window.kyozaiSearchParts || {{}};\nwindow.kyozaiSearchParts[\"ja/{k}\"] = ");
        let json = js
            .strip_prefix(&head)
            .and_then(|j| j.strip_suffix(";\n"))
            .expect("a shard script");
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["first"].as_u64().unwrap() as usize, sharded.first[k]);
        let read: SearchIndex = serde_json::from_str(json).unwrap();
        assert_eq!(read.text, sharded.shards[k].text);
        assert_eq!(read.pages, sharded.shards[k].pages);
    }
    let mut seen = 0;
    for g in 0..grams {
        let js = &files[&format!("search/ja/g{g}.js")];
        let json = js
            .split_once("] = ")
            .unwrap()
            .1
            .strip_suffix(";\n")
            .unwrap();
        let map: std::collections::BTreeMap<u32, String> = serde_json::from_str(json).unwrap();
        for (gram, bits) in map {
            assert_eq!(gram as usize % grams, g, "gram {gram} in the wrong file");
            let mut want = sharded.grams[&gram].clone();
            want.sort_unstable();
            assert_eq!(shards_of(&bits), want, "gram {gram}");
            seen += 1;
        }
    }
    assert_eq!(seen, sharded.grams.len());
    // "ラン" is in every shard, "固有語5" only where page 5 is.
    let ra = (('ラ' as u32) << 16) | 'ン' as u32;
    assert_eq!(sharded.grams[&ra].len(), shards);
}

#[test]
fn the_streamed_shards_are_the_split_ones() {
    let index = course(50);
    let sharded = Sharded::split(&index, 900);
    let mut w = ShardWriter::streaming("ja").with_limit(900);
    let p = index.prepared();
    let mut streamed = Vec::new();
    for doc in 0..index.len() {
        let (path, title) = &index.pages[index.page[doc] as usize];
        let heading = String::from_utf16_lossy(&p.headings[doc].display);
        let text = String::from_utf16_lossy(&p.bodies[doc].display);
        streamed.extend(w.chunk(&ChunkRef {
            path,
            frag: &index.anchor[doc],
            title,
            heading: (!heading.is_empty()).then_some(heading.as_str()),
            kind: p.kinds[doc],
            text: &text,
        }));
    }
    streamed.extend(w.finish());
    let mut a: Vec<(String, String)> = sharded.files();
    a.sort();
    streamed.sort();
    assert_eq!(a.len(), streamed.len());
    for (x, y) in a.iter().zip(&streamed) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs", x.0);
    }
}
