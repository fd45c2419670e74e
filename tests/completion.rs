//! The course id and the `[completion]` rule of `kyozai.toml`: mistakes are errors at their line,
//! and a course that has them gets its progress pages and the course data they read.

mod common;

use common::*;

const CONFIG: &str = "id = \"test-course\"\nsource_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"テスト講座\"\nen = \"Test course\"\n";

const CHECKLIST: &str = r#"id = "self-check"
version = 2
title = { ja = "自己点検", en = "Self-check" }
subjects = [ { id = "org", ja = "組織", en = "Organisation" } ]
controls = [ { id = "prev", ja = "予防", en = "Preventive" } ]
statuses = [ { id = "no", score = 0, ja = "いいえ", en = "No" }, { id = "yes", score = 2, ja = "はい", en = "Yes" } ]

[[item]]
id = "one"
subject = "org"
control = "prev"
question = { ja = "問1", en = "Q1" }
countermeasure = { ja = "対策1", en = "Measure 1" }
"#;

fn error_at(config: &str, line: usize, message: &str, help: &str) {
    let dir = base_with(&[
        ("kyozai.toml", config),
        ("content/data/self-check.checklist.toml", CHECKLIST),
    ]);
    let d = build_error(dir.path());
    assert_eq!(d.path, std::path::PathBuf::from("kyozai.toml"), "{d}");
    assert_eq!(d.line, line, "{d}");
    assert!(d.message.contains(message), "{d}");
    assert!(d.help.as_deref().unwrap_or("").contains(help), "{d}");
    let (code, _, err) = run(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("kyozai.toml:{line}")), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unknown_key_in_completion_suggests_the_nearest() {
    error_at(
        &format!("{CONFIG}[completion]\nquizes = \"all\"\n"),
        8,
        "unknown field `quizes`",
        "did you mean `quizzes`?",
    );
}

#[test]
fn unknown_checklist_names_the_known_ones() {
    error_at(
        &format!("{CONFIG}[completion]\nchecklist = \"self-chek\"\n"),
        8,
        "checklist `self-chek`",
        "did you mean `self-check`?",
    );
}

#[test]
fn quizzes_takes_all_or_a_list() {
    error_at(
        &format!("{CONFIG}[completion]\nquizzes = \"every\"\n"),
        8,
        "quizzes = \"every\" is not a rule",
        "quizzes = \"all\"",
    );
}

#[test]
fn an_empty_rule_and_a_bad_id_are_errors() {
    error_at(
        &format!("{CONFIG}[completion]\n"),
        7,
        "says nothing completes the course",
        "checklist",
    );
    error_at(
        &CONFIG.replace("test-course", "Test Course"),
        1,
        "`Test Course` is not a course id",
        "lower-case",
    );
}

#[test]
fn progress_pages_and_course_data_are_built() {
    let dir = base_with(&[
        (
            "kyozai.toml",
            &format!("{CONFIG}[completion]\nchecklist = \"self-check\"\n"),
        ),
        ("content/data/self-check.checklist.toml", CHECKLIST),
    ]);
    let files = build_files(dir.path());
    for lang in ["ja", "en"] {
        assert!(files.contains_key(&format!("{lang}/progress/index.html")));
        assert!(files.contains_key(&format!("{lang}/progress/certificate/index.html")));
        let js = &files[&format!("{lang}/progress/data.js")];
        let json = js
            .strip_prefix("window.kyozaiCourse = ")
            .and_then(|j| j.trim_end().strip_suffix(';'))
            .expect("data.js assigns one object");
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["id"], "test-course");
        assert_eq!(v["lang"], lang);
        assert_eq!(v["rule"], true);
        assert_eq!(v["checklist"]["id"], "self-check");
        assert_eq!(v["checklist"]["version"], 2);
        assert_eq!(v["checklist"]["items"], 1);
        // The list of pages is in a script of its own, which ordinary pages do not load.
        assert_eq!(v["page_count"], 4);
        assert!(v.get("pages").is_none(), "data.js does not list the pages");
        let list = files[&format!("{lang}/progress/pages.js")]
            .strip_prefix("window.kyozaiCoursePages = ")
            .and_then(|j| j.trim_end().strip_suffix(';'))
            .expect("pages.js assigns one array")
            .to_string();
        let pages: serde_json::Value = serde_json::from_str(&list).unwrap();
        assert_eq!(pages.as_array().unwrap().len(), 4);
        assert_eq!(pages[2]["path"], "intro/first");
        assert_eq!(pages[2]["url"], format!("{lang}/intro/first/index.html"));
        assert!(v["t"]["progress_pages_count"]
            .as_str()
            .unwrap()
            .contains("{n}"));
        let page = &files[&format!("{lang}/intro/first/index.html")];
        assert!(page.contains(&format!("src=\"../../../{lang}/progress/data.js\"")));
        // A page names its own path and does not load the list; the progress page does.
        assert!(page.contains(" data-page=\"intro/first\""));
        assert!(!page.contains("progress/pages.js"));
        assert!(files[&format!("{lang}/progress/index.html")]
            .contains(&format!("src=\"../../{lang}/progress/pages.js\"")));
        assert!(page.contains(&format!("href=\"../../../{lang}/progress/index.html\"")));
    }
    assert!(files["ja/progress/index.html"]
        .contains("チェックリスト「自己点検」のすべての項目に回答すること"));
    // The edition is the same for both languages and changes with any text.
    let edition = |files: &std::collections::BTreeMap<String, String>| {
        let js = &files["en/progress/data.js"];
        let at = js.find("\"edition\":\"").unwrap() + 11;
        js[at..at + 16].to_string()
    };
    let before = edition(&files);
    assert!(files["ja/progress/data.js"].contains(&before));
    write_files(
        dir.path(),
        &[(
            "content/01-intro/02-second.en.md",
            "+++\ntitle = \"Second section\"\n+++\n## Details\n\nBody, edited.\n",
        )],
    );
    assert_ne!(edition(&build_files(dir.path())), before);
}

#[test]
fn progress_is_a_reserved_name() {
    let dir = base_with(&[
        (
            "content/progress.ja.md",
            "+++\ntitle = \"進捗\"\n+++\n本文\n",
        ),
        (
            "content/progress.en.md",
            "+++\ntitle = \"Progress\"\n+++\nBody\n",
        ),
    ]);
    let d = build_error(dir.path());
    assert!(d.message.contains("reserved"), "{d}");
}
