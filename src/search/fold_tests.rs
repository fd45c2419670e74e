//! Unit tests of folding per language: kana only in Japanese, case and marks everywhere, and
//! marks folded one way (an unmarked query letter finds any marks, a marked one only itself).

use super::normalize::{normalize, Folding};
use super::shards::Sharded;
use super::terms::parse_query;
use super::{DocKind, SearchDoc, SearchIndex};

fn doc(url: &str, title: &str, text: &str) -> SearchDoc {
    SearchDoc {
        url: url.to_string(),
        title: title.to_string(),
        heading: None,
        kind: DocKind::Page,
        text: text.to_string(),
    }
}

fn urls(index: &SearchIndex, q: &str) -> Vec<String> {
    index.search(q).into_iter().map(|h| h.url).collect()
}

#[test]
fn kana_fold_only_in_japanese() {
    for code in ["ja", "ja-JP", "JA", "ja_jp"] {
        assert!(Folding::for_lang(code).kana, "{code}");
    }
    for code in ["en", "vi", "jv", "jam", "zh-Hant", ""] {
        assert!(!Folding::for_lang(code).kana, "{code}");
    }
    let (ja, vi) = (Folding::for_lang("ja"), Folding::for_lang("vi"));
    assert_eq!(normalize("ひらがな", ja), "ヒラガナ");
    assert_eq!(normalize("ひらがな", vi), "ひらがな");
    // Half-width katakana is composed in every language (display form), width and case too.
    assert_eq!(normalize("ｶﾞｲﾄﾞ ＵＳＢ", vi), "ガイド usb");
    assert_eq!(normalize("BỆNH VIỆN Đa Khoa", vi), "benh vien da khoa");
    assert_eq!(normalize("BỆNH VIỆN Đa Khoa", ja), "benh vien da khoa");
    assert_eq!(normalize("Ωμέγα ÆØ ß", vi), "ωμέγα æø ß");
}

#[test]
fn query_terms_keep_their_marks() {
    let vi = Folding::for_lang("vi");
    let t = parse_query("Bệnh viện benh", vi);
    assert_eq!(t.len(), 3, "bệnh and benh are two terms");
    assert!(t[0].exact && t[1].exact && !t[2].exact);
    assert_eq!(String::from_utf16_lossy(&t[0].text), "benh");
    assert_eq!(String::from_utf16_lossy(&t[0].marked), "bệnh");
    // One marked letter is a query; one plain ASCII letter is not.
    assert_eq!(parse_query("ở", vi).len(), 1);
    assert!(parse_query("o", vi).is_empty());
}

fn vietnamese() -> SearchIndex {
    SearchIndex::build(
        "vi",
        &[
            doc(
                "vi/a/",
                "Bệnh viện đa khoa",
                "Điều dưỡng chăm sóc bệnh nhân tại bệnh viện.",
            ),
            doc(
                "vi/b/",
                "Quyền lợi",
                "Bênh vực quyền lợi của người lao động.",
            ),
            doc(
                "vi/c/",
                "Ma trận",
                "Mã độc tống tiền (ransomware) mã hóa tệp; má và mạ.",
            ),
            doc(
                "vi/d/",
                "Hướng dẫn",
                "Đăng nhập bằng mật khẩu mạnh. ランサムウェア, らんさむうぇあ.",
            ),
        ],
    )
}

#[test]
fn an_unmarked_query_finds_every_marked_form() {
    let index = vietnamese();
    assert_eq!(urls(&index, "benh vien"), ["vi/a/"]);
    assert_eq!(urls(&index, "dieu duong"), ["vi/a/"]);
    assert_eq!(urls(&index, "BENH VIEN DA KHOA"), ["vi/a/"]);
    assert_eq!(urls(&index, "benh"), ["vi/a/", "vi/b/"]);
    assert_eq!(urls(&index, "mat khau"), ["vi/d/"]);
    assert_eq!(urls(&index, "ma hoa"), ["vi/c/"]);
    // Every page with a word spelt m-a, whatever its marks.
    assert_eq!(urls(&index, "ma "), ["vi/c/"]);
}

#[test]
fn a_marked_query_finds_only_its_marks() {
    let index = vietnamese();
    assert_eq!(urls(&index, "bệnh"), ["vi/a/"]);
    assert_eq!(urls(&index, "BỆNH VIỆN"), ["vi/a/"]);
    assert_eq!(urls(&index, "bênh"), ["vi/b/"]);
    assert!(urls(&index, "bênh viện").is_empty());
    assert_eq!(urls(&index, "mã hóa"), ["vi/c/"]);
    assert!(urls(&index, "mà hóa").is_empty());
    // Marked and unmarked letters in one term: only the marked ones are checked.
    assert_eq!(urls(&index, "bệnh vien"), ["vi/a/"]);
    assert_eq!(urls(&index, "dưỡng"), ["vi/a/"]);
    assert!(urls(&index, "dương").is_empty());
    // The snippet shows the text's own letters, the match marked.
    let hit = &index.search("dieu duong")[0];
    assert!(hit.snippet.contains("«Điều» «dưỡng»"), "{}", hit.snippet);
}

#[test]
fn kana_stay_apart_outside_japanese() {
    let index = vietnamese();
    // Both spellings are in the text; each finds the page, by its own kana.
    assert_eq!(urls(&index, "らんさむ"), ["vi/d/"]);
    let hit = &index.search("らんさむ")[0];
    assert!(hit.snippet.contains("«らんさむ»うぇあ") && !hit.snippet.contains("«ランサム»"));
    let ja = SearchIndex::build("ja", &[doc("ja/a/", "攻撃", "ランサムウェアの被害")]);
    assert_eq!(urls(&ja, "らんさむ"), ["ja/a/"]);
    let en = SearchIndex::build("en", &[doc("en/a/", "Attacks", "ランサムウェア")]);
    assert!(urls(&en, "らんさむ").is_empty());
    assert_eq!(urls(&en, "ランサム"), ["en/a/"]);
}

#[test]
fn the_shards_give_the_same_hits_in_vietnamese() {
    let index = vietnamese();
    let mut sharded = Sharded::split(&index, 40);
    assert!(sharded.shards.len() >= 3);
    sharded.batch = 0;
    for q in [
        "benh",
        "bệnh",
        "bênh",
        "dieu duong",
        "ma ",
        "mã",
        "đa",
        "da",
        "らんさむ",
        "ランサム",
    ] {
        assert_eq!(sharded.search(q), index.search(q), "{q}");
    }
}
