//! Knowledge-check quizzes through the whole build: the data read from TOML and YAML, the
//! `{quiz}` directive's markup, the quiz pages, their list, `data.js`, sitemap and search, and the
//! bundled course's three quizzes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{base_with, build_error, build_files};

const QUIZ: &str = r#"id = "intro"
title = { ja = "確認", en = "Check" }
pass_mark = 60
shuffle = true

[[question]]
id = "q1"
kind = "single"
text = { ja = "問い", en = "Which *one*?" }
explanation = { ja = "解説", en = "Because." }
review = "01-intro/02-second.md#details"
[[question.option]]
id = "a"
text = { ja = "甲", en = "A" }
correct = true
feedback = { ja = "正解", en = "Yes" }
[[question.option]]
id = "b"
text = { ja = "乙", en = "B" }
feedback = { ja = "違う", en = "No" }

[[question]]
id = "q2"
kind = "multiple"
text = { ja = "複数", en = "Several" }
answer = ["x", "z"]
[[question.option]]
id = "x"
text = { ja = "X", en = "X" }
[[question.option]]
id = "y"
text = { ja = "Y", en = "Y" }
[[question.option]]
id = "z"
text = { ja = "Z", en = "Z" }
"#;

const PAGE_JA: &str = "+++\ntitle = \"確認テスト\"\n+++\n```{quiz}\nid = \"intro\"\n```\n";
const PAGE_EN: &str = "+++\ntitle = \"Knowledge check\"\n+++\n```{quiz}\nid = \"intro\"\n```\n";

fn quiz_dir(quiz_file: (&str, &str)) -> tempfile::TempDir {
    // The anchor `#details` is English only; the Japanese page gets a heading with that id.
    base_with(&[
        quiz_file,
        ("content/01-intro/03-check.ja.md", PAGE_JA),
        ("content/01-intro/03-check.en.md", PAGE_EN),
        (
            "content/01-intro/02-second.ja.md",
            "+++\ntitle = \"二番目の節\"\n+++\n## 詳細 {#details}\n\n本文。\n",
        ),
        (
            "content/01-intro/01-first.ja.md",
            "+++\ntitle = \"最初の節\"\n+++\n## 明示の例\n\n本文です。[次へ](02-second.md#details)\n",
        ),
    ])
}

fn quiz_course(quiz_file: (&str, &str)) -> BTreeMap<String, String> {
    build_files(quiz_dir(quiz_file).path())
}

#[test]
fn the_directive_draws_every_question_with_its_options_hidden_results_and_review_link() {
    let files = quiz_course(("content/data/intro.quiz.toml", QUIZ));
    let html = &files["en/intro/check/index.html"];
    assert!(
        html.contains("<section class=\"quiz\" id=\"quiz-intro\" data-quiz=\"intro\" data-pass=\"60\" data-shuffle=\"true\""),
        "{html}"
    );
    // One fieldset and legend per question, radios for single choice, checkboxes for multiple.
    assert_eq!(html.matches("<fieldset class=\"quiz-question\"").count(), 2);
    assert_eq!(html.matches("<legend>").count(), 2);
    assert_eq!(
        html.matches("type=\"radio\" name=\"quiz-intro-q1\"")
            .count(),
        2
    );
    assert_eq!(
        html.matches("type=\"checkbox\" name=\"quiz-intro-q2\"")
            .count(),
        3
    );
    assert!(html.contains("<span class=\"quiz-text\">Which <em>one</em>?</span>"));
    // The feedback, explanation and review are in the page but hidden until scored.
    assert!(html.contains("<p class=\"quiz-feedback\" hidden>No</p>"));
    assert!(html.contains("<div class=\"quiz-result\" hidden>"));
    assert!(html.contains(
        "<a href=\"../../../en/intro/second/index.html#details\">1-2 Second section</a>"
    ));
    // The right answers are marked only where they are right.
    assert_eq!(html.matches("quiz-mark-correct").count(), 3);
    // Without the script: the notice, from the theme's strings; the buttons hidden.
    assert!(html.contains("<p class=\"quiz-nojs\">Scoring needs JavaScript"));
    assert!(html.contains(
        "<button type=\"submit\" class=\"quiz-submit\" hidden>Check my answers</button>"
    ));
    assert!(html.contains("role=\"status\" aria-live=\"polite\""));
    // The data script is loaded after quiz.js.
    let quiz_js = html.find("static/quiz.js").unwrap();
    let data_js = html.find("en/quizzes/intro/data.js").unwrap();
    assert!(quiz_js < data_js);
    let ja = &files["ja/intro/check/index.html"];
    assert!(ja.contains("採点にはJavaScriptが必要です"));
    assert!(
        ja.contains("<a href=\"../../../ja/intro/second/index.html#details\">1-2 二番目の節</a>")
    );
}

#[test]
fn data_js_holds_the_answer_key_and_the_script_strings() {
    let files = quiz_course(("content/data/intro.quiz.toml", QUIZ));
    let js = &files["ja/quizzes/intro/data.js"];
    let json = js
        .split_once("window.kyozaiQuizzes[\"intro\"] = ")
        .map(|(_, j)| j.trim().trim_end_matches(';'))
        .expect("data.js assigns the quiz");
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["pass"], 60);
    assert_eq!(v["shuffle"], true);
    assert_eq!(v["questions"][0]["correct"], serde_json::json!(["a"]));
    assert_eq!(v["questions"][1]["correct"], serde_json::json!(["x", "z"]));
    assert_eq!(v["questions"][1]["kind"], "multiple");
    assert_eq!(
        v["strings"]["quiz_score"],
        "得点：{score}%（{total}問中{right}問正解）"
    );
    for k in kyozai::render::body::quiz::SCRIPT_STRINGS {
        assert!(v["strings"][*k].is_string(), "{k}");
        assert_ne!(v["strings"][*k], *k, "{k} is missing from the theme");
    }
}

#[test]
fn each_quiz_has_a_page_and_a_list_linked_from_the_sidebar_sitemap_and_search() {
    let files = quiz_course(("content/data/intro.quiz.toml", QUIZ));
    for lang in ["ja", "en"] {
        let page = &files[&format!("{lang}/quizzes/intro/index.html")];
        assert!(page.contains("data-quiz=\"intro\""));
        assert!(page.contains(&format!("../../../{lang}/quizzes/intro/data.js")));
        // On its own page the quiz's title is the page's heading, not a second one.
        assert!(!page.contains("<h2 class=\"quiz-title\">"));
        assert!(page.contains(&format!("href=\"../../../{lang}/intro/index.html\"")));
        let list = &files[&format!("{lang}/quizzes/index.html")];
        assert!(list.contains(&format!(
            "<a href=\"../../{lang}/quizzes/intro/index.html\">"
        )));
        assert!(list.contains(&format!("href=\"../../{lang}/intro/index.html\"")));
        assert!(list.contains("<td>2</td><td>60%</td>"));
        assert!(files[&format!("{lang}/index.html")].contains(&format!(
            "<a data-x=\"quizzes\" href=\"../{lang}/quizzes/index.html\">"
        )));
        assert!(files[&format!("search/{lang}/0.js")]
            .contains(&format!("{lang}/quizzes/intro/index.html")));
    }
    let sitemap = &files["sitemap.xml"];
    assert!(sitemap.contains("<loc>/en/quizzes/intro/index.html</loc>"));
    assert!(sitemap.contains("<loc>/ja/quizzes/index.html</loc>"));
}

#[test]
fn yaml_quizzes_read_the_same() {
    let yaml = "id: intro\ntitle: { ja: 確認, en: Check }\npass_mark: 60\nshuffle: true\nquestion:\n  - id: q1\n    kind: single\n    text: { ja: 問い, en: \"Which *one*?\" }\n    explanation: { ja: 解説, en: Because. }\n    review: \"01-intro/02-second.md#details\"\n    option:\n      - { id: a, text: { ja: 甲, en: A }, correct: true, feedback: { ja: 正解, en: \"Yes\" } }\n      - { id: b, text: { ja: 乙, en: B }, feedback: { ja: 違う, en: \"No\" } }\n  - id: q2\n    kind: multiple\n    text: { ja: 複数, en: Several }\n    answer: [x, z]\n    option:\n      - { id: x, text: \"X\" }\n      - { id: y, text: \"Y\" }\n      - { id: z, text: \"Z\" }\n";
    let from_yaml = quiz_course(("content/data/intro.quiz.yml", yaml));
    let from_toml = quiz_course(("content/data/intro.quiz.toml", QUIZ));
    for p in ["en/intro/check/index.html", "ja/quizzes/intro/data.js"] {
        assert_eq!(from_yaml[p], from_toml[p], "{p}");
    }
}

#[test]
fn a_quiz_error_names_the_place_and_the_fix() {
    let bad = QUIZ.replace("answer = [\"x\", \"z\"]", "answer = [\"x\", \"w\"]");
    let dir = quiz_dir(("content/data/intro.quiz.toml", &bad));
    let e = build_error(dir.path());
    assert_eq!(e.path, Path::new("content/data/intro.quiz.toml"));
    assert_eq!((e.line, e.column), (26, 16));
    assert_eq!(
        e.message,
        "the answer `w` of question `q2` is not one of its options"
    );
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `x`? its options: x, y, z")
    );
}

fn bundled() -> BTreeMap<String, String> {
    build_files(Path::new(env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn the_bundled_course_has_a_knowledge_check_at_the_end_of_each_chapter() {
    let files = bundled();
    for (chapter, id, section) in [
        ("awareness", "awareness", "knowledge-check"),
        ("survey", "survey", "knowledge-check"),
        ("budget", "budget", "knowledge-check"),
    ] {
        for lang in ["ja", "en"] {
            let path = format!("{lang}/{chapter}/{section}/index.html");
            let html = files.get(&path).unwrap_or_else(|| panic!("{path} missing"));
            assert!(html.contains(&format!("data-quiz=\"{id}\"")), "{path}");
            let n = html.matches("<fieldset class=\"quiz-question\"").count();
            assert!((6..=10).contains(&n), "{path} has {n} questions");
            // Every question sends a learner back to a section of the course that exists.
            assert_eq!(
                html.matches("<p class=\"quiz-review\">").count(),
                n,
                "{path}"
            );
            for href in html
                .split("<p class=\"quiz-review\">")
                .skip(1)
                .filter_map(|s| s.split("href=\"").nth(1)?.split('"').next())
            {
                let target = href.trim_start_matches("../../../");
                let target = target.split('#').next().unwrap();
                assert!(files.contains_key(target), "{path} links to {href}");
                assert!(target.starts_with(&format!("{lang}/")), "{href}");
            }
            // The chapter page lists it.
            let ch = &files[&format!("{lang}/{chapter}/index.html")];
            let main = &ch[ch.find("<main").unwrap()..];
            assert!(
                main.contains(&format!("{chapter}/{section}/index.html")),
                "{lang}/{chapter} does not link its knowledge check"
            );
        }
    }
    for lang in ["ja", "en"] {
        let list = &files[&format!("{lang}/quizzes/index.html")];
        for id in ["awareness", "survey", "budget"] {
            assert!(
                list.contains(&format!("{lang}/quizzes/{id}/index.html")),
                "{lang}: {id}"
            );
        }
    }
}

#[test]
fn each_quiz_prints_as_a_worksheet_and_an_answer_key_listed_with_the_handouts() {
    let files = quiz_course(("content/data/intro.quiz.toml", QUIZ));
    for lang in ["ja", "en"] {
        let sheet = &files[&format!("{lang}/handouts/quiz-intro/index.html")];
        assert_eq!(sheet.matches("<li class=\"qs-question\"").count(), 2);
        assert_eq!(
            sheet.matches("<span class=\"ws-box\"").count(),
            5,
            "a box per option"
        );
        // The worksheet gives nothing away.
        for secret in [
            "qs-correct",
            "quiz-mark-correct",
            "Because.",
            "解説",
            "Yes",
            "正解</",
        ] {
            assert!(!sheet.contains(secret), "{lang} worksheet shows {secret}");
        }
        let key = &files[&format!("{lang}/handouts/quiz-intro-answers/index.html")];
        assert_eq!(key.matches("class=\"qs-correct\"").count(), 3, "a, x and z");
        assert!(key.contains("data-option=\"a\" class=\"qs-correct\""));
        assert!(key.contains(&format!(
            "href=\"../../../{lang}/intro/second/index.html#details\""
        )));
        let index = &files[&format!("{lang}/handouts/index.html")];
        assert!(index.contains("<a href=\"quiz-intro/index.html\">"));
        assert!(index.contains("<a href=\"quiz-intro-answers/index.html\">"));
        assert!(files[&format!("{lang}/handouts/running.css")].contains("@page kz-quiz-intro"));
    }
    let en = &files["en/handouts/quiz-intro-answers/index.html"];
    assert!(en.contains("<strong>Explanation:</strong> Because."));
    assert!(en.contains("<span class=\"qs-feedback\">No</span>"));
}

#[test]
fn a_chapter_may_not_take_the_name_of_a_quiz_handout() {
    let dir = base_with(&[(
        "content/01-intro/_index.ja.md",
        "+++\ntitle = \"はじめに\"\nslug = \"quiz-intro\"\n+++\n本文。\n",
    )]);
    let e = build_error(dir.path());
    assert!(e.message.contains("is also the name of a handout"), "{e}");
}
