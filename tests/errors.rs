//! Every author mistake gives an error with file, line and column, what is wrong and how to fix
//! it, and exit status 1 — never a panic.

mod common;

use common::*;

fn expect(
    dir: &tempfile::TempDir,
    path: &str,
    line: usize,
    column: usize,
    message: &str,
    help: &str,
) {
    let d = build_error(dir.path());
    assert_eq!(d.path, std::path::PathBuf::from(path), "{d}");
    assert_eq!((d.line, d.column), (line, column), "{d}");
    assert!(
        d.message.contains(message),
        "message {:?} lacks {message:?}",
        d.message
    );
    assert!(
        d.help.as_deref().unwrap_or("").contains(help),
        "help {:?} lacks {help:?}",
        d.help
    );
    let (code, _, err) = run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("{path}:{line}")), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn invalid_utf8() {
    let dir = base_with(&[]);
    std::fs::write(
        dir.path().join("content/01-intro/01-first.ja.md"),
        b"+++\ntitle = \"x\"\n+++\nab\xff\n",
    )
    .unwrap();
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        4,
        3,
        "not valid UTF-8",
        "UTF-8",
    );
}

#[test]
fn unterminated_front_matter() {
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\n\n本文\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        1,
        1,
        "never closed",
        "add a line with only `+++`",
    );
}

#[test]
fn wrong_field_type() {
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\nweight = \"first\"\n+++\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        3,
        10,
        "invalid type",
        "type",
    );
}

#[test]
fn unknown_front_matter_field() {
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\nsumary = \"s\"\n+++\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        3,
        1,
        "unknown field `sumary`",
        "did you mean `summary`?",
    );
}

#[test]
fn duplicate_weights() {
    let dir = base_with(&[
        (
            "content/01-intro/01-first.ja.md",
            "+++\ntitle = \"x\"\nweight = 1\n+++\n",
        ),
        (
            "content/01-intro/02-second.ja.md",
            "+++\ntitle = \"y\"\nweight = 1\n+++\n## 詳細\n",
        ),
    ]);
    expect(
        &dir,
        "content/01-intro/02-second.ja.md",
        3,
        1,
        "weight 1 is also used by content/01-intro/01-first.ja.md",
        "different weights",
    );
}

#[test]
fn duplicate_slugs() {
    let dir = base_with(&[(
        "content/01-intro/03-other.ja.md",
        "+++\ntitle = \"z\"\nslug = \"first\"\n+++\n",
    )]);
    let d = build_error(dir.path());
    assert!(d.message.contains("same URL `intro/first/`"), "{d}");
    assert!(d.help.unwrap().contains("slug"));
}

#[test]
fn broken_link_and_anchor() {
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\n+++\n本文\n\n[a](03-missing.md) と [b](02-second.md#詳しく)\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        6,
        1,
        "`03-missing.md` is not a page of the course",
        "check the file name",
    );
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\n+++\n本文 [b](02-second.md#詳しく)\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        4,
        4,
        "no heading with the id `#詳しく`",
        "did you mean `#詳細`?",
    );
}

#[test]
fn link_escaping_the_course() {
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\n+++\n[a](../../../etc/passwd)\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        4,
        1,
        "leads outside the course's content/ folder",
        "inside content/",
    );
}

#[test]
fn unknown_directive() {
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\n+++\n本文\n\n```{pointt}\nx\n```\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        6,
        1,
        "unknown directive `{pointt}`",
        "known directives: point, note, warning, key-message, cases",
    );
}

#[test]
fn directive_referencing_unknown_data() {
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\n+++\n```{list}\nid = \"nope\"\n```\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        4,
        1,
        "unknown list `nope`",
        "no list is defined yet",
    );
}

#[test]
fn template_error_in_course_theme() {
    let dir = base_with(&[("themes/default/templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ title | nosuchfilter }\n{% endblock main %}\n")]);
    let d = build_error(dir.path());
    assert_eq!(
        d.path,
        std::path::PathBuf::from("themes/default/templates/page.html"),
        "{d}"
    );
    assert_eq!(d.line, 3, "{d}");
    assert!(d.message.contains("template error"), "{d}");
    let (code, _, err) = run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn missing_config() {
    let dir = base_with(&[("kyozai.toml", "")]);
    let d = build_error(dir.path());
    assert_eq!(d.path, std::path::PathBuf::from("kyozai.toml"));
    assert!(d.message.contains("no kyozai.toml"), "{d}");
    assert!(d.help.unwrap().contains("kyozai new"));
    let (code, _, err) = run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn unknown_config_key_suggests() {
    let dir = base_with(&[("kyozai.toml", "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\ntheem = \"x\"\n[title]\nja = \"t\"\n")]);
    expect(
        &dir,
        "kyozai.toml",
        3,
        1,
        "unknown field `theem`",
        "did you mean `theme`?",
    );
}

#[test]
fn page_without_language_suffix() {
    let dir = base_with(&[("content/01-intro/notes.md", "+++\ntitle = \"x\"\n+++\n")]);
    let d = build_error(dir.path());
    assert!(d.message.contains("does not say its language"), "{d}");
    assert!(d.help.unwrap().contains("notes.ja.md"));
}

#[test]
fn case_validation_errors() {
    let cat = (
        "content/data/c.categories.toml",
        "[[category]]\nid = \"a\"\nja = \"A\"\nen = \"A\"\n",
    );
    let case = |extra: &str| {
        format!("[[case]]\nid = \"x\"\ncategory = \"a\"\ncountry = \"JP\"\ntitle = {{ ja = \"t\", en = \"t\" }}\norganisation = \"o\"\nsummary = {{ ja = \"s\", en = \"s\" }}\n{extra}")
    };
    // Unknown category.
    let dir = base_with(&[
        cat,
        (
            "content/data/c.cases.toml",
            &case("").replace("category = \"a\"", "category = \"aa\""),
        ),
    ]);
    expect(
        &dir,
        "content/data/c.cases.toml",
        3,
        12,
        "unknown category `aa`",
        "did you mean `a`?",
    );
    // Unknown country.
    let dir = base_with(&[
        cat,
        ("content/data/c.cases.toml", &case("").replace("JP", "XX")),
    ]);
    expect(
        &dir,
        "content/data/c.cases.toml",
        4,
        11,
        "unknown country `XX`",
        "ISO 3166-1",
    );
    // A number that is not a number.
    let dir = base_with(&[
        cat,
        ("content/data/c.cases.toml", &case("records = \"many\"\n")),
    ]);
    expect(
        &dir,
        "content/data/c.cases.toml",
        8,
        11,
        "invalid type",
        "type",
    );
    // Unknown field.
    let dir = base_with(&[
        cat,
        ("content/data/c.cases.toml", &case("impcat = \"x\"\n")),
    ]);
    expect(
        &dir,
        "content/data/c.cases.toml",
        8,
        1,
        "unknown field `impcat`",
        "did you mean `impact`?",
    );
    // Missing source-language text is an error; missing English is a reported gap.
    let dir = base_with(&[
        cat,
        (
            "content/data/c.cases.toml",
            &case("").replace(
                "summary = { ja = \"s\", en = \"s\" }",
                "summary = { en = \"s\" }",
            ),
        ),
    ]);
    expect(
        &dir,
        "content/data/c.cases.toml",
        7,
        1,
        "`summary` of `x` has no ja text",
        "add ja",
    );
    let dir = base_with(&[
        cat,
        (
            "content/data/c.cases.toml",
            &case("").replace(
                "summary = { ja = \"s\", en = \"s\" }",
                "summary = { ja = \"s\" }",
            ),
        ),
    ]);
    let built = kyozai::build::build(dir.path(), &Default::default()).unwrap();
    assert!(built
        .site
        .warnings
        .iter()
        .any(|w| w.message.contains("`summary` of `x` has no en text")));
    // Duplicate ids across files.
    let dir = base_with(&[
        cat,
        ("content/data/c.cases.toml", &case("")),
        ("content/data/d.cases.toml", &case("")),
    ]);
    let d = build_error(dir.path());
    assert!(
        d.message
            .contains("the case id `x` is also defined in content/data/c.cases.toml"),
        "{d}"
    );
    assert_eq!(
        d.path,
        std::path::PathBuf::from("content/data/d.cases.toml")
    );
    // CSV: row and column name.
    let dir = base_with(&[
        cat,
        (
            "content/data/e.cases.csv",
            "id,category,country,records,title_ja,organisation_ja,summary_ja\nx,a,JP,lots,t,o,s\n",
        ),
    ]);
    let d = build_error(dir.path());
    assert_eq!((d.line, d.column), (2, 21), "{d}");
    assert!(
        d.message
            .contains("row 2, column `records`: `lots` is not a whole number"),
        "{d}"
    );
}

#[test]
fn glossary_defined_twice_and_undefined_term() {
    let g = "[[term]]\nid = \"rw\"\nja = { term = \"ランサムウェア\", definition = \"d\" }\nen = { term = \"ransomware\", definition = \"d\" }\n\n[[term]]\nid = \"rw2\"\nja = { term = \"ランサムウェア\", definition = \"d2\" }\n";
    let dir = base_with(&[("content/data/g.glossary.toml", g)]);
    let d = build_error(dir.path());
    assert!(
        d.message
            .contains("the ja term `ランサムウェア` is defined twice"),
        "{d}"
    );
    let dir = base_with(&[(
        "content/01-intro/01-first.ja.md",
        "+++\ntitle = \"x\"\n+++\n[身代金](term:ransom)\n",
    )]);
    expect(
        &dir,
        "content/01-intro/01-first.ja.md",
        4,
        1,
        "the glossary term `ransom` is not defined",
        "glossary",
    );
}
