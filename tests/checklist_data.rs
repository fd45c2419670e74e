//! Checks of checklist data files (`*.checklist.toml`): every mistake in a checklist stops the
//! build with the file, the line it is on, what is wrong and how to fix it; a missing
//! translation is only a warning.

mod common;

use common::*;
use kyozai::Diagnostic;

const PATH: &str = "content/data/test.checklist.toml";

/// A valid checklist of 2 subjects × 2 controls (domains 1 to 4), before its items.
const HEAD: &str = r#"id = "test"
version = 1
title = { ja = "点検表", en = "Check sheet" }
description = { ja = "説明", en = "About this sheet" }
subjects = [
  { id = "org", ja = "組織", en = "Organisation" },
  { id = "staff", ja = "職員", en = "Staff" },
]
controls = [
  { id = "detective", ja = "発見的", en = "Detective" },
  { id = "preventive", ja = "予防的", en = "Preventive" },
]
statuses = [
  { id = "not-started", score = 0, ja = "実施前", en = "Not started" },
  { id = "in-place", score = 2, ja = "実施中", en = "In place" },
  { id = "na", na = true, ja = "該当なし", en = "Not applicable" },
]
groups = [
  { id = "organisational", domains = [1, 2], ja = "組織的対策", en = "Organisational measures" },
  { id = "human", domains = [3, 4], ja = "人的対策", en = "Human measures" },
]
"#;

/// One `[[item]]` table.
fn item(id: &str, subject: &str, control: &str, question: &str) -> String {
    format!(
        "\n[[item]]\nid = \"{id}\"\nsubject = \"{subject}\"\ncontrol = \"{control}\"\nquestion = {question}\ncountermeasure = {{ ja = \"{id}の対策\", en = \"Countermeasure for {id}\" }}\n"
    )
}

fn q(ja: &str, en: &str) -> String {
    format!("{{ ja = \"{ja}\", en = \"{en}\" }}")
}

/// The base course with this checklist file.
fn course_with(checklist: &str) -> tempfile::TempDir {
    base_with(&[(PATH, checklist)])
}

/// 1-based number of the line holding the `nth` (0-based) occurrence of `needle`.
fn line_of(text: &str, needle: &str, nth: usize) -> usize {
    let (at, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in the checklist"));
    text[..at].matches('\n').count() + 1
}

/// Every error of a build that must fail.
fn errors(dir: &tempfile::TempDir) -> Vec<Diagnostic> {
    match kyozai::build::build(dir.path(), &kyozai::build::Options::default()) {
        Ok(_) => panic!("the build should have failed"),
        Err(e) => {
            let d = e.diagnostics().to_vec();
            assert!(!d.is_empty(), "not a source error: {e}");
            d
        }
    }
}

/// The one error whose message contains `message`: in the checklist file, on `line`, with a
/// hint containing `help`; the command line prints it with its place and exits with status 1.
fn expect(dir: &tempfile::TempDir, line: usize, message: &str, help: &str) -> Diagnostic {
    let all = errors(dir);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.message.contains(message)).collect();
    assert_eq!(
        found.len(),
        1,
        "one error saying {message:?}; got:\n{}",
        all.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let d = found[0].clone();
    assert_eq!(d.path, std::path::PathBuf::from(PATH), "{d}");
    assert_eq!(d.line, line, "{d}");
    assert!(d.column > 0, "{d}");
    let h = d.help.as_deref().unwrap_or("");
    assert!(h.contains(help), "help {h:?} lacks {help:?}\n{d}");
    let (code, _, err) = run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("{PATH}:{line}:")), "{err}");
    assert!(err.contains(message), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    d
}

fn valid_items() -> String {
    [
        item(
            "rules",
            "org",
            "preventive",
            &q("規則はあるか", "Are there rules?"),
        ),
        item(
            "report",
            "staff",
            "detective",
            &q("報告先を知っているか", "Do staff know whom to tell?"),
        ),
    ]
    .concat()
}

#[test]
fn a_valid_checklist_builds_without_warnings() {
    let text = format!("{HEAD}{}", valid_items());
    let dir = course_with(&text);
    let built = kyozai::build::build(dir.path(), &kyozai::build::Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let about: Vec<_> = built
        .site
        .warnings
        .iter()
        .filter(|w| w.path == std::path::Path::new(PATH))
        .collect();
    assert!(about.is_empty(), "{about:?}");
    let files: std::collections::BTreeMap<_, _> = built
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
    let js = &files["en/checklists/test/data.js"];
    assert!(js.contains("\"id\":\"rules\""), "{js}");
    assert!(
        js.contains("\"domain\":2"),
        "rules is org × preventive, domain 2: {js}"
    );
    assert!(files["ja/checklists/test/index.html"]
        .contains("data-storage-key=\"kyozai:checklist:test:v1\""));
}

#[test]
fn item_in_an_undefined_subject() {
    let text = format!(
        "{HEAD}{}{}",
        valid_items(),
        item(
            "vendors",
            "stafff",
            "preventive",
            &q("委託先は", "Vendors?")
        )
    );
    let dir = course_with(&text);
    expect(
        &dir,
        line_of(&text, "\"stafff\"", 0),
        "item `vendors` is in subject `stafff`, which the checklist does not define",
        "did you mean `staff`?",
    );
}

#[test]
fn item_in_a_subject_unlike_any_defined() {
    let text = format!(
        "{HEAD}{}",
        item("budget", "finance", "preventive", &q("予算は", "Budget?"))
    );
    let dir = course_with(&text);
    let d = expect(
        &dir,
        line_of(&text, "\"finance\"", 0),
        "item `budget` is in subject `finance`, which the checklist does not define",
        "subject",
    );
    assert!(!d.help.unwrap_or_default().is_empty());
}

#[test]
fn item_in_an_undefined_control() {
    let text = format!(
        "{HEAD}{}{}",
        valid_items(),
        item("patches", "org", "preventative", &q("パッチは", "Patches?"))
    );
    let dir = course_with(&text);
    expect(
        &dir,
        line_of(&text, "\"preventative\"", 0),
        "item `patches` is in control `preventative`, which the checklist does not define",
        "did you mean `preventive`?",
    );
}

#[test]
fn group_naming_a_domain_the_matrix_lacks() {
    let text =
        format!("{HEAD}{}", valid_items()).replace("domains = [3, 4]", "domains = [3, 4, 7]");
    let dir = course_with(&text);
    expect(
        &dir,
        line_of(&text, "[3, 4, 7]", 0),
        "group `human` names domain 7, but the checklist has domains 1 to 4",
        "numbered down each column",
    );
}

#[test]
fn group_naming_domain_zero() {
    let text = format!("{HEAD}{}", valid_items()).replace("domains = [1, 2]", "domains = [0, 2]");
    let dir = course_with(&text);
    expect(
        &dir,
        line_of(&text, "[0, 2]", 0),
        "group `organisational` names domain 0, but the checklist has domains 1 to 4",
        "numbered down each column",
    );
}

#[test]
fn duplicate_item_ids() {
    let text = format!(
        "{HEAD}{}{}",
        valid_items(),
        item(
            "rules",
            "staff",
            "preventive",
            &q("規則を守っているか", "Are the rules followed?")
        )
    );
    let dir = course_with(&text);
    let all = errors(&dir);
    let d = all
        .iter()
        .find(|d| d.message.contains("the item id `rules` is used twice"))
        .unwrap_or_else(|| panic!("{all:?}"));
    assert_eq!(d.path, std::path::PathBuf::from(PATH));
    // Either definition is a fair place to point at; the message names the id.
    let lines = [
        line_of(&text, "id = \"rules\"", 0),
        line_of(&text, "id = \"rules\"", 1),
    ];
    assert!(
        lines.contains(&d.line),
        "line {} is not one of {lines:?}\n{d}",
        d.line
    );
    assert!(
        d.help.as_deref().unwrap_or("").contains("different id"),
        "{d}"
    );
    let (code, _, err) = run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("{PATH}:{}:", d.line)), "{err}");
}

#[test]
fn missing_source_language_question() {
    let text = format!(
        "{HEAD}{}{}",
        valid_items(),
        item("logs", "org", "detective", "{ en = \"Are logs kept?\" }")
    );
    let dir = course_with(&text);
    expect(
        &dir,
        line_of(&text, "question = { en = \"Are logs kept?\" }", 0),
        "`question` of item `logs` has no ja text",
        "add ja = ",
    );
}

#[test]
fn blank_source_language_question() {
    let text = format!(
        "{HEAD}{}{}",
        valid_items(),
        item(
            "logs",
            "org",
            "detective",
            "{ ja = \"  \", en = \"Are logs kept?\" }"
        )
    );
    let dir = course_with(&text);
    expect(
        &dir,
        line_of(&text, "question = { ja = \"  \"", 0),
        "`question` of item `logs` has no ja text",
        "add ja = ",
    );
}

#[test]
fn missing_english_question_is_a_warning() {
    let text = format!(
        "{HEAD}{}{}",
        valid_items(),
        item(
            "logs",
            "org",
            "detective",
            "{ ja = \"ログを保存しているか\" }"
        )
    );
    let dir = course_with(&text);
    let built = kyozai::build::build(dir.path(), &kyozai::build::Options::default())
        .unwrap_or_else(|e| panic!("a missing translation must not stop the build: {e}"));
    let w = built
        .site
        .warnings
        .iter()
        .find(|w| {
            w.message
                .contains("`question` of item `logs` has no en text")
        })
        .unwrap_or_else(|| {
            panic!(
                "no warning about the English question: {:?}",
                built.site.warnings
            )
        });
    assert_eq!(w.path, std::path::PathBuf::from(PATH));
    assert_eq!(
        w.line,
        line_of(&text, "question = { ja = \"ログを保存しているか\" }", 0),
        "{w}"
    );
    assert!(w.help.as_deref().unwrap_or("").contains("add en = "), "{w}");
    // The English checklist shows the Japanese question meanwhile.
    let files: std::collections::BTreeMap<_, _> = built
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
    assert!(files["en/checklists/test/index.html"].contains("ログを保存しているか"));
    // And the command line builds, exit status 0.
    let out = dir.path().join("out");
    let (code, _, err) = run(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn several_mistakes_are_all_reported() {
    let text = format!(
        "{HEAD}{}{}",
        item("a", "boss", "preventive", &q("あ", "A")),
        item("b", "org", "sideways", "{ en = \"B\" }")
    );
    let dir = course_with(&text);
    let all = errors(&dir);
    for m in [
        "subject `boss`",
        "control `sideways`",
        "`question` of item `b` has no ja text",
    ] {
        assert!(
            all.iter().any(|d| d.message.contains(m)
                && d.path == std::path::Path::new(PATH)
                && d.line > 0),
            "{m} missing from {all:?}"
        );
    }
}
