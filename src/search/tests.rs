//! Unit tests of the search module: normalisation, terms, matching, ranking, output.

use super::normalize::{display, fold, Folding};
use super::terms::parse_query;

const JA: Folding = Folding { kana: true };

fn normalize(s: &str) -> String {
    super::normalize(s, JA)
}
use super::*;

fn doc(url: &str, title: &str, heading: Option<&str>, text: &str) -> SearchDoc {
    SearchDoc {
        url: url.to_string(),
        title: title.to_string(),
        heading: heading.map(str::to_string),
        kind: DocKind::Page,
        text: text.to_string(),
    }
}

fn urls(index: &SearchIndex, q: &str) -> Vec<String> {
    index.search(q).into_iter().map(|h| h.url).collect()
}

#[test]
fn normalize_folds_width_kana_and_case() {
    assert_eq!(normalize("ＵＳＢ"), "usb");
    assert_eq!(normalize("ＵＳＢ"), normalize("USB"));
    assert_eq!(normalize("ｅｍｏｔｅｔ"), "emotet");
    assert_eq!(normalize("ＥＭＯＴＥＴ"), normalize("Emotet"));
    assert_eq!(normalize("ｶﾅ"), normalize("カナ"));
    assert_eq!(normalize("ﾊﾟ"), "パ");
    assert_eq!(normalize("ｶﾞｲﾄﾞﾗｲﾝ"), normalize("ガイドライン"));
    assert_eq!(normalize("ひらがな"), normalize("ヒラガナ"));
    assert_eq!(normalize("ひらがな"), "ヒラガナ");
    assert_eq!(normalize("ﾊﾞｯｸｱｯﾌﾟ"), "バックアップ");
    assert_eq!(normalize("ｳﾞｨ"), "ヴィ");
    assert_eq!(normalize("は\u{309a}"), "パ"); // combining semi-voiced mark
    assert_eq!(normalize("  Ａ\u{3000}\n b\t "), "a b");
    assert_eq!(normalize("ÉCOLE Ωμέγα"), "ecole ωμέγα");
    assert_eq!(normalize("１－４"), "1-4");
}

#[test]
fn fold_keeps_the_length() {
    let s = "ＵＳＢメモリとひらがなÀÉ İstanbul 𠮷野家 ＡＢＣ";
    assert_eq!(fold(s, JA).encode_utf16().count(), s.encode_utf16().count());
    // İ lower-cases to two characters, but loses its dot: one unit still.
    assert_eq!(fold("İ", JA), "i");
}

#[test]
fn display_keeps_case_and_hiragana() {
    assert_eq!(display(" ﾗﾝｻﾑｳｪｱの\n\n被害 "), "ランサムウェアの 被害");
    assert_eq!(display("ＵＳＢ"), "ＵＳＢ");
    assert_eq!(display("a\u{1e}b\u{1f}c"), "a b c");
}

#[test]
fn stemming() {
    assert_eq!(stem("vendors"), "vendor");
    assert_eq!(stem("ransomware"), "ransomware");
    assert_eq!(stem("policies"), "policy");
    assert_eq!(stem("boxes"), "box");
    assert_eq!(stem("training"), "train");
    assert_eq!(stem("encrypted"), "encrypt");
    assert_eq!(stem("quickly"), "quick");
    assert_eq!(stem("access"), "access");
    assert_eq!(stem("virus"), "virus");
    assert_eq!(stem("analysis"), "analysis");
    assert_eq!(stem("this"), "this");
    assert_eq!(stem("thing"), "thing");
    assert_eq!(stem("making"), "mak"); // meets "make" through the forms without a final e
    assert_eq!(stem("need"), "need");
    assert_eq!(stem("only"), "only");
}

#[test]
fn query_terms() {
    let t = parse_query("ＵＳＢメモリ、Vendors 「ランサム」 1-4.", JA);
    let texts: Vec<String> = t
        .iter()
        .map(|t| String::from_utf16_lossy(&t.text))
        .collect();
    assert_eq!(texts, ["usbメモリ", "vendors", "ランサム", "1-4"]);
    assert_eq!(
        t.iter().map(|t| t.word).collect::<Vec<_>>(),
        [false, true, false, false]
    );
    assert!(parse_query("a", JA).is_empty());
    assert!(parse_query("「」…", JA).is_empty());
    assert_eq!(parse_query("鍵", JA).len(), 1);
    let p = parse_query("vendor", JA);
    assert!(p[0].prefix);
    assert!(!parse_query("vendor ", JA)[0].prefix);
    assert_eq!(
        String::from_utf16_lossy(&parse_query("policies", JA)[0].key),
        "polic"
    );
}

fn corpus() -> SearchIndex {
    SearchIndex::build(
        "ja",
        &[
            doc(
                "ja/awareness/ransomware/",
                "1-2 ランサムウェアの脅威",
                None,
                "ランサムウェアは、データを暗号化して身代金を要求する。",
            ),
            doc(
                "ja/awareness/media/#usb",
                "1-3 外部媒体の管理",
                Some("USBメモリの持ち出し"),
                "ＵＳＢメモリを院外に持ち出すときは、許可を得ること。",
            ),
            doc(
                "ja/awareness/vendors/",
                "1-4 外部委託先管理について",
                None,
                "委託先の vendor が保守のためにリモート接続する場合の注意点。",
            ),
            doc(
                "ja/survey/",
                "2-1 現状調査",
                Some("ひらがなのけんさく"),
                "ランサムウェア対策の実施状況を調べる。バックアップの有無を確認する。",
            ),
        ],
    )
}

#[test]
fn ransam_finds_ransomware() {
    let index = corpus();
    let hits = urls(&index, "ランサム");
    assert_eq!(hits, ["ja/awareness/ransomware/", "ja/survey/"]);
    // Half-width and hiragana queries find the same.
    assert_eq!(urls(&index, "ﾗﾝｻﾑ"), hits);
    assert_eq!(urls(&index, "らんさむ"), hits);
}

#[test]
fn full_width_and_half_width_find_each_other() {
    let index = corpus();
    assert_eq!(urls(&index, "USBメモリ"), ["ja/awareness/media/#usb"]);
    assert_eq!(urls(&index, "ＵＳＢメモリ"), ["ja/awareness/media/#usb"]);
    assert_eq!(urls(&index, "usb"), ["ja/awareness/media/#usb"]);
    let hit = &index.search("USBメモリ")[0];
    assert_eq!(hit.heading.as_deref(), Some("USBメモリの持ち出し"));
    assert_eq!(
        hit.snippet,
        "«ＵＳＢメモリ»を院外に持ち出すときは、許可を得ること。"
    );
    assert_eq!(hit.title, "1-3 外部媒体の管理");
}

#[test]
fn english_words_are_stemmed() {
    let index = corpus();
    assert_eq!(urls(&index, "Vendors"), ["ja/awareness/vendors/"]);
    assert_eq!(urls(&index, "vendors "), ["ja/awareness/vendors/"]);
    assert_eq!(urls(&index, "VENDOR"), ["ja/awareness/vendors/"]);
    // As-you-type: the last word is also a prefix; an earlier one is not.
    assert_eq!(urls(&index, "vend"), ["ja/awareness/vendors/"]);
    assert!(urls(&index, "vend 委託").is_empty());
    assert!(urls(&index, "vend ").is_empty());
    // Words match at word starts only.
    assert!(urls(&index, "endor").is_empty());

    let en = SearchIndex::build(
        "en",
        &[
            doc(
                "en/a/",
                "Policies",
                None,
                "Our security policy and the sharing of files.",
            ),
            doc(
                "en/b/",
                "Cases",
                None,
                "A case of ransomware; trained staff.",
            ),
        ],
    );
    assert_eq!(urls(&en, "policy"), ["en/a/"]);
    assert_eq!(urls(&en, "policies"), ["en/a/"]);
    assert_eq!(urls(&en, "shared file"), ["en/a/"]);
    assert_eq!(urls(&en, "case ransomware"), ["en/b/"]);
    assert_eq!(urls(&en, "training"), ["en/b/"]);
    assert!(urls(&en, "police").is_empty());
}

#[test]
fn ranking_puts_title_first() {
    let index = SearchIndex::build(
        "ja",
        &[
            doc(
                "ja/a/",
                "1-1 はじめに",
                None,
                "本文に標的型攻撃の話がある。",
            ),
            doc("ja/b/#x", "1-2 概要", Some("標的型攻撃とは"), "説明。"),
            doc("ja/c/", "1-3 標的型攻撃への対策", None, "対策を述べる。"),
            doc(
                "ja/d/",
                "1-4 まとめ",
                None,
                "最後に標的型攻撃。ずっと後ろで標的型。",
            ),
        ],
    );
    let hits = index.search("標的型");
    let order: Vec<&str> = hits.iter().map(|h| h.url.as_str()).collect();
    assert_eq!(order, ["ja/c/", "ja/b/#x", "ja/a/", "ja/d/"]);
    assert!(hits[0].score > hits[1].score && hits[1].score > hits[2].score);
    assert_eq!(hits[2].score, hits[3].score);
    assert_eq!(
        hits[3].snippet,
        "最後に«標的型»攻撃。ずっと後ろで«標的型»。"
    );
}

#[test]
fn no_match_returns_empty() {
    let index = corpus();
    assert!(index.search("存在しない語").is_empty());
    assert!(index.search("").is_empty());
    assert!(index.search("   ").is_empty());
    assert!(index.search("x").is_empty());
    // All terms must match.
    assert!(index.search("ランサム vendor").is_empty());
    assert!(SearchIndex::build("ja", &[]).search("ランサム").is_empty());
}

#[test]
fn single_kanji_and_exact_substring() {
    let index = corpus();
    assert_eq!(urls(&index, "鍵"), Vec::<String>::new());
    assert_eq!(urls(&index, "金"), ["ja/awareness/ransomware/"]);
    // Bigrams of the query present but not the query itself: no match.
    assert!(urls(&index, "ランサムデータ").is_empty());
}

#[test]
fn snippet_is_cut_around_the_match() {
    let long = format!("{}ランサムウェア{}", "あ".repeat(100), "い".repeat(100));
    let index = SearchIndex::build("ja", &[doc("ja/x/", "t", None, &long)]);
    let s = &index.search("ランサム")[0].snippet;
    let expected = format!("…{}«ランサム»ウェア{}…", "あ".repeat(30), "い".repeat(43));
    assert_eq!(s, &expected);
    // A match at the very end: the window shifts back to stay 80 long.
    let index = SearchIndex::build(
        "ja",
        &[doc(
            "ja/x/",
            "t",
            None,
            &format!("{}終わり", "あ".repeat(100)),
        )],
    );
    let s = &index.search("終わり")[0].snippet;
    assert_eq!(s, &format!("…{}«終わり»", "あ".repeat(77)));
}

#[test]
fn js_output_escapes_script_end() {
    let index = SearchIndex::build(
        "ja",
        &[doc(
            "ja/x/",
            "</script><script>alert(1)</script>",
            None,
            "a </script> b <!-- c \u{2028}",
        )],
    );
    let js = index.to_js();
    assert!(js.starts_with(
        "window.kyozaiSearch = window.kyozaiSearch || {};\nwindow.kyozaiSearch[\"ja\"] = {"
    ));
    assert!(js.trim_end().ends_with("};"));
    assert!(!js.contains('<'));
    assert!(!js.contains('\u{2028}'));
    assert!(js.contains("\\u003c/script>"));
    // The JSON part reads back to the same index.
    let json = js
        .trim_end()
        .trim_start_matches(
            "window.kyozaiSearch = window.kyozaiSearch || {};\nwindow.kyozaiSearch[\"ja\"] = ",
        )
        .trim_end_matches(';');
    let back: SearchIndex = serde_json::from_str(json).unwrap();
    assert_eq!(back.text, index.text);
    assert_eq!(back.search("script").len(), 1);
}

#[test]
fn index_layout() {
    let index = corpus();
    assert_eq!(index.len(), 4);
    assert_eq!(index.pages.len(), 4);
    assert_eq!(index.kind, "pppp");
    assert_eq!(index.url(1), "ja/awareness/media/#usb");
    assert_eq!(index.anchor[1], "#usb");
    assert!(index.text.contains("USBメモリの持ち出し\u{1f}ＵＳＢメモリ"));
    assert_eq!(index.text.matches('\u{1e}').count(), 3);
    // Chunks of one page share its title entry.
    let shared = SearchIndex::build(
        "en",
        &[
            doc("en/p/#a", "T", Some("A"), "x"),
            doc("en/p/#b", "T", Some("B"), "y"),
        ],
    );
    assert_eq!(shared.pages.len(), 1);
    assert_eq!(shared.page, [0, 0]);
}

#[test]
fn display_on_chars_matches_display_on_utf16_units() {
    let alphabet: Vec<char> =
        "aZ \t\n\u{3000}\u{a0}\u{200b}ｶﾞﾊﾟﾟﾞかはﾞ\u{3099}\u{309a}う\u{3099}ウﾞヲﾞ😀、。Ａ\u{1}—“¡\u{85}\u{2028}\u{205f}\u{feff}ｱ漢\u{1680}\u{7f}"
            .chars()
            .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..20000 {
        let len = (seed >> 59) as usize;
        let mut s = String::new();
        for _ in 0..len {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
        }
        let units: Vec<u16> = s.encode_utf16().collect();
        let want = String::from_utf16_lossy(&super::normalize::display_units(&units));
        assert_eq!(super::normalize::display(&s), want, "{s:?}");
    }
}
