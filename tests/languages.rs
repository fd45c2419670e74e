//! A course in any number of languages: `tests/fixtures/trilingual/` is written in English and
//! translated into Japanese and Vietnamese, whose UI strings only the course's theme has
//! (`themes/default/i18n/vi.toml`). It builds, every page exists in every language, a copy of it
//! in English and Vietnamese only carries no Japanese anywhere in its output, and the Vietnamese
//! forms (chapter numbers, numbers, the language's name) come from `vi.toml`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trilingual")
}

/// Takes every `ja` key out of a TOML value, at any depth.
fn drop_ja(v: &mut toml::Value) {
    match v {
        toml::Value::Table(t) => {
            t.remove("ja");
            t.iter_mut().for_each(|(_, v)| drop_ja(v));
        }
        toml::Value::Array(a) => a.iter_mut().for_each(drop_ja),
        _ => {}
    }
}

/// A copy of the fixture in English and Vietnamese only: `languages = ["en", "vi"]`, the Japanese
/// pages removed and the Japanese texts taken out of `kyozai.toml` and the data files.
fn english_and_vietnamese() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(), dir.path());
    for e in walkdir::WalkDir::new(dir.path()).into_iter().flatten() {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".ja.md") {
            std::fs::remove_file(p).unwrap();
        } else if name.ends_with(".toml") && !p.components().any(|c| c.as_os_str() == "i18n") {
            let mut v: toml::Value = toml::from_str(&std::fs::read_to_string(p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            drop_ja(&mut v);
            if name == "kyozai.toml" {
                v["languages"] = toml::Value::Array(vec!["en".into(), "vi".into()]);
            }
            std::fs::write(p, toml::to_string(&v).unwrap()).unwrap();
        }
    }
    dir
}

/// Whether `c` is a character of Japanese writing: kana, a CJK ideograph, or CJK or full-width
/// punctuation.
fn japanese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30FF}'   // CJK punctuation, hiragana, katakana
        | '\u{31F0}'..='\u{31FF}' // katakana extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
    )
}

/// The runs of Japanese characters in `text`, each with a little context, at most `max`.
fn japanese_runs(text: &str, max: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() && out.len() < max {
        if japanese(chars[i]) {
            let mut j = i;
            while j < chars.len() && (japanese(chars[j]) || chars[j].is_ascii_alphanumeric()) {
                j += 1;
            }
            let from = i.saturating_sub(20);
            out.push(chars[from..j.min(chars.len())].iter().collect());
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn every_page_exists_in_every_language() {
    let files = common::build_files(&fixture());
    let pages = |lang: &str| -> BTreeSet<String> {
        files
            .keys()
            .filter_map(|p| p.strip_prefix(&format!("{lang}/")))
            .filter(|p| p.ends_with(".html"))
            .map(str::to_string)
            .collect()
    };
    let en = pages("en");
    for must in [
        "index.html",
        "basics/index.html",
        "basics/passwords/index.html",
        "basics/self-check/index.html",
        "basics/knowledge-check/index.html",
        "cases/clinic-phishing/index.html",
        "glossary/index.html",
        "checklists/basics/index.html",
        "quizzes/basics/index.html",
    ] {
        assert!(en.contains(must), "en/{must} missing: {en:?}");
    }
    for lang in ["ja", "vi"] {
        assert_eq!(pages(lang), en, "the {lang} pages differ from the en ones");
        for data in ["checklists/basics/data.js", "quizzes/basics/data.js"] {
            assert!(
                files.contains_key(&format!("{lang}/{data}")),
                "{lang}/{data}"
            );
        }
    }
    // Each page is in its own language: the chapter page's title and <html lang>.
    for (lang, title) in [
        ("en", "The basics"),
        ("ja", "基本"),
        ("vi", "Những điều cơ bản"),
    ] {
        let html = &files[&format!("{lang}/basics/index.html")];
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
        assert!(html.contains(title), "{lang}: no {title}");
    }
}

/// Paths of the output that may hold Japanese characters in a course without Japanese, and why.
const NOT_WORDS: &[(&str, &str)] = &[
    // The kyozai mark (教, of 教材), a picture rather than a word; a course replaces it with its
    // own static/favicon.svg.
    ("static/favicon.svg", "the kyozai mark"),
    // The sentence ends of CJK writing (。！？」：) in the rules that cut a long block between
    // sentences, the same rules as src/markdown/slides.rs, for text in any language.
    ("static/slides.js", "CJK sentence punctuation"),
];

fn envi_output() -> BTreeMap<String, String> {
    let dir = english_and_vietnamese();
    let files = common::build_files(dir.path());
    assert!(files.contains_key("vi/index.html") && !files.contains_key("ja/index.html"));
    files
}

#[test]
fn english_and_vietnamese_course_has_no_japanese() {
    let files = envi_output();
    // Every file: pages, data scripts, the search script and indexes, the theme's static files.
    let mut found = Vec::new();
    for (path, text) in &files {
        let runs = japanese_runs(text, 5);
        if runs.is_empty() {
            continue;
        }
        match NOT_WORDS.iter().find(|(p, _)| p == path) {
            // Allowed only as far as it goes: no kana, so no Japanese word.
            Some(_) => {
                let words: Vec<&String> = runs
                    .iter()
                    .filter(|r| {
                        r.chars()
                            .any(|c| ('\u{3040}'..='\u{30FF}').contains(&c) && c != '\u{30FC}')
                    })
                    .collect();
                if !words.is_empty() {
                    found.push(format!("{path}: {words:?}"));
                }
            }
            None => found.push(format!("{path}: {runs:?}")),
        }
    }
    assert!(
        found.is_empty(),
        "Japanese in the output of a course in English and Vietnamese:\n{}",
        found.join("\n")
    );
    // The checked output holds what was to be checked.
    for p in [
        "vi/checklists/basics/data.js",
        "vi/quizzes/basics/data.js",
        "static/checklist.js",
        "static/quiz.js",
        "static/scorm.js",
        "vi/cases/clinic-phishing/index.html",
        "static/search.js",
        "search/vi.js",
    ] {
        assert!(files.contains_key(p), "{p} not in the output");
    }
}

#[test]
fn vietnamese_forms_come_from_vi_toml() {
    let files = common::build_files(&fixture());
    let chapter = |lang: &str| files[&format!("{lang}/basics/index.html")].clone();
    assert!(chapter("vi").contains("<span class=\"number\">Chương 1</span>"));
    assert!(chapter("ja").contains("<span class=\"number\">第1章</span>"));
    assert!(chapter("en").contains("<span class=\"number\">Chapter 1</span>"));
    // The case study's 13,000 records, in each language's number format.
    let case = |lang: &str| files[&format!("{lang}/cases/clinic-phishing/index.html")].clone();
    assert!(case("vi").contains("13.000"), "vi number format");
    assert!(case("ja").contains("1万3千"), "ja number format");
    assert!(case("en").contains("13,000"), "en number format");
    // Every language's switcher names each language in its own words.
    for lang in ["en", "ja", "vi"] {
        let html = chapter(lang);
        for name in ["English", "日本語", "Tiếng Việt"] {
            assert!(html.contains(name), "{lang}: the switcher lacks {name}");
        }
    }
    // The sidebar, the slides and the handouts number the chapter the same way.
    assert!(files["vi/slides/basics/index.html"].contains("Chương 1"));
    assert!(files["vi/handouts/basics/index.html"].contains("Chương 1"));
    assert!(files["vi/index.html"].contains("Chương 1 Những điều cơ bản"));

    // Other forms in vi.toml give other output.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(), dir.path());
    let vi = dir.path().join("themes/default/i18n/vi.toml");
    let text = std::fs::read_to_string(&vi).unwrap();
    assert!(
        text.contains("chapter_number = \"Chương {n}\"") && text.contains("number_group = \".\"")
    );
    std::fs::write(
        &vi,
        text.replace(
            "chapter_number = \"Chương {n}\"",
            "chapter_number = \"Phần {n}\"",
        )
        .replace("number_group = \".\"", "number_group = \" \"")
        .replace(
            "language_name = \"Tiếng Việt\"",
            "language_name = \"Việt ngữ\"",
        ),
    )
    .unwrap();
    let changed = common::build_files(dir.path());
    let html = &changed["vi/basics/index.html"];
    assert!(html.contains("<span class=\"number\">Phần 1</span>") && !html.contains("Chương 1"));
    assert!(changed["vi/cases/clinic-phishing/index.html"].contains("13 000"));
    assert!(changed["en/basics/index.html"].contains("Việt ngữ"));
    assert!(changed["en/cases/clinic-phishing/index.html"].contains("13,000"));
}

#[test]
fn the_checklist_script_gets_its_words_from_the_language() {
    let files = common::build_files(&fixture());
    let data = |lang: &str| files[&format!("{lang}/checklists/basics/data.js")].clone();
    let vi = data("vi");
    assert!(vi.contains("\"strings\":{"), "{vi}");
    assert!(vi.contains("\"checklist_weakest\":\"yếu nhất\""), "{vi}");
    assert!(data("ja").contains("\"checklist_weakest\":\"最も弱い分類\""));
    assert!(data("en").contains("\"checklist_weakest\":\"weakest\""));
    let script = &files["static/checklist.js"];
    for word in [
        "Not answered",
        "Action needed",
        "Every item is answered",
        "最も弱い",
        "未回答",
    ] {
        assert!(
            !script.contains(word),
            "checklist.js carries the word {word:?}"
        );
    }
}

/// The keys of an i18n file, without the plural-category forms of a key (`KEY_one`, `KEY_few`,
/// … beside `KEY`), which only the languages that have those categories write.
fn keys(path: &Path) -> BTreeSet<String> {
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let plural = ["_zero", "_one", "_two", "_few", "_many"];
    t.keys()
        .filter(|k| {
            !plural
                .iter()
                .any(|p| k.strip_suffix(p).is_some_and(|base| t.contains_key(base)))
        })
        .cloned()
        .collect()
}

#[test]
fn every_ui_string_has_its_japanese_and_vietnamese_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let en = keys(&root.join("themes/default/i18n/en.toml"));
    let ja = keys(&root.join("themes/default/i18n/ja.toml"));
    let vi = keys(&fixture().join("themes/default/i18n/vi.toml"));
    assert_eq!(
        ja.symmetric_difference(&en).collect::<Vec<_>>(),
        Vec::<&String>::new()
    );
    assert_eq!(
        vi.symmetric_difference(&en).collect::<Vec<_>>(),
        Vec::<&String>::new()
    );
    // Every country a case study may name has a name in each language.
    for code in ["JP", "VN", "US", "GB"] {
        let key = format!("country_{code}");
        assert!(
            en.contains(&key) && ja.contains(&key) && vi.contains(&key),
            "{key}"
        );
    }
}
