//! Search over the bundled course's real indexes: what a Japanese or English reader types finds
//! the pages and cases that contain it, and every result link resolves.

use std::collections::BTreeMap;
use std::path::Path;

use kyozai::search::shards::Sharded;
use kyozai::search::SearchIndex;

fn indexes() -> (BTreeMap<String, SearchIndex>, BTreeMap<String, String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = kyozai::build::build(root, &kyozai::build::Options::default()).expect("build");
    let idx = kyozai::render::searchindex::indexes(&built.output.search);
    let files = built
        .output
        .files
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    (idx, files)
}

fn urls(idx: &SearchIndex, q: &str) -> Vec<String> {
    idx.search(q).into_iter().map(|h| h.url).collect()
}

fn has(urls: &[String], part: &str) -> bool {
    urls.iter().any(|u| u.contains(part))
}

#[test]
fn japanese_queries_find_what_contains_them() {
    let (idx, _) = indexes();
    let ja = &idx["ja"];
    let r = urls(ja, "ランサム");
    assert!(
        has(&r, "ja/awareness/attacks-japan-1/"),
        "ransomware section: {r:?}"
    );
    assert!(
        has(&r, "ja/cases/nhs-wannacry/"),
        "the WannaCry / NHS case: {r:?}"
    );
    let r = urls(ja, "USBメモリ");
    assert!(has(&r, "ja/awareness/removable-media/"), "1-5: {r:?}");
    for c in [
        "a-medical-school-usb",
        "b-city-hospital-usb",
        "c-medical-university-usb",
    ] {
        assert!(has(&r, &format!("ja/cases/{c}/")), "{c}: {r:?}");
    }
    assert_eq!(
        urls(ja, "ＵＳＢメモリ"),
        r,
        "full-width letters are the same query"
    );
    let r = urls(ja, "標的型");
    assert!(has(&r, "ja/awareness/targeted-attacks/"), "1-11: {r:?}");
    let r = urls(ja, "ｅｍｏｔｅｔ");
    assert!(
        has(&r, "ja/cases/b-hospital-emotet/"),
        "the Emotet case from a full-width query: {r:?}"
    );
    assert!(
        urls(ja, "らんさむうぇあ").len() == urls(ja, "ランサムウェア").len(),
        "hiragana finds katakana"
    );
    assert!(urls(ja, "存在しない語句ですよ").is_empty());
}

#[test]
fn english_queries_find_english_pages() {
    let (idx, _) = indexes();
    let en = &idx["en"];
    let r = urls(en, "ransomware");
    assert!(has(&r, "en/awareness/attacks-japan-1/"), "{r:?}");
    assert!(
        r.iter().all(|u| u.starts_with("en/")),
        "only English pages: {r:?}"
    );
    let r = urls(en, "vendor");
    assert!(has(&r, "en/awareness/vendors/"), "{r:?}");
    assert_eq!(
        urls(en, "Vendors").len(),
        r.len(),
        "case folding and stemming"
    );
    assert!(urls(en, "xylophonic").is_empty(), "no match");
    // Titles rank first.
    let hits = en.search("vendor");
    assert!(
        hits[0].title.to_lowercase().contains("vendor")
            || hits[0]
                .heading
                .as_deref()
                .unwrap_or("")
                .to_lowercase()
                .contains("vendor"),
        "{:?}",
        hits[0]
    );
}

#[test]
fn every_result_link_resolves() {
    let (idx, files) = indexes();
    for (lang, q) in [
        ("ja", "情報"),
        ("ja", "対策"),
        ("en", "security"),
        ("en", "hospital"),
    ] {
        let hits = idx[lang].search(q);
        assert!(!hits.is_empty(), "{q}");
        for h in hits {
            let (path, anchor) = h
                .url
                .split_once('#')
                .map(|(p, a)| (p.to_string(), Some(a.to_string())))
                .unwrap_or((h.url.clone(), None));
            let html = files
                .get(&path)
                .unwrap_or_else(|| panic!("{q}: result {} is not a page", h.url));
            if let Some(a) = anchor {
                assert!(
                    html.contains(&format!("id=\"{a}\"")),
                    "{q}: {path} has no #{a}"
                );
            }
        }
    }
}

#[test]
fn the_index_scripts_written_shard_by_shard_hold_the_built_indexes() {
    let (idx, files) = indexes();
    assert_eq!(idx.len(), 2);
    for (lang, built) in &idx {
        assert!(built.len() > 100, "{lang}: {} chunks", built.len());
        // What the build wrote while the pages rendered is what splitting the whole index gives.
        let sharded = Sharded::split(built, kyozai::search::shards::SHARD_TEXT);
        for (path, js) in sharded.files() {
            let written = files
                .get(&path)
                .unwrap_or_else(|| panic!("{path} was not written"));
            assert!(*written == js, "{path} differs from the split index");
            assert!(
                !js.contains('<') && !js.contains('\u{2028}'),
                "{path}: unescaped"
            );
        }
        let written = files
            .keys()
            .filter(|p| p.starts_with(&format!("search/{lang}/")))
            .count();
        assert_eq!(
            written + 1,
            sharded.files().len(),
            "{lang}: no other index file"
        );
    }
}

#[test]
fn shards_find_what_the_whole_index_finds() {
    let (idx, _) = indexes();
    for (lang, built) in &idx {
        // Small shards, so that a query needs some and not others.
        let mut sharded = Sharded::split(built, 8 * 1024);
        assert!(
            sharded.shards.len() > 10,
            "{lang}: {} shards",
            sharded.shards.len()
        );
        // Every shard a query needs in one batch, and in batches of 3.
        let mut batched = sharded.clone();
        batched.batch = 3;
        sharded.batch = 0;
        for q in [
            "ランサム",
            "USBメモリ",
            "標的型",
            "ｅｍｏｔｅｔ",
            "委託",
            "情",
            "バックアップ 訓練",
            "ransomware",
            "vendor",
            "hospital",
            "backup plan",
            "e",
            "存在しない語句",
            "NHS",
        ] {
            let (a, b) = (sharded.search(q), built.search(q));
            assert!(
                a == b,
                "{lang} {q:?}: {} hits in shards, {} in the whole index",
                a.len(),
                b.len()
            );
            // The batches, each ranked within itself, find the same chunks.
            let mut got: Vec<usize> = batched.search(q).iter().map(|h| h.doc).collect();
            let mut want: Vec<usize> = b.iter().map(|h| h.doc).collect();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{lang} {q:?} in batches");
        }
    }
}
