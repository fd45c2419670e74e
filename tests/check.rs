//! `kyozai check` and `kyozai translated` through the real binary: every kind of finding with its
//! place, the exit statuses, the JSON document, and the stale-translation round trip.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const BASE: &[(&str, &str)] = &[
    ("kyozai.toml", "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"テスト講座\"\nen = \"Test course\"\n"),
    ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\nようこそ。\n"),
    ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n"),
    ("content/01-intro/_index.ja.md", "+++\ntitle = \"はじめに\"\n+++\n章の本文。\n"),
    ("content/01-intro/_index.en.md", "+++\ntitle = \"Introduction\"\n+++\nChapter body.\n"),
    ("content/01-intro/01-first.ja.md", "+++\ntitle = \"最初の節\"\n+++\n## 明示の例\n\n本文です。[次へ](02-second.md#詳細)\n"),
    ("content/01-intro/01-first.en.md", "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody. [Next](02-second.md#details)\n"),
    ("content/01-intro/02-second.ja.md", "+++\ntitle = \"二番目の節\"\n+++\n## 詳細\n\n本文。\n"),
    ("content/01-intro/02-second.en.md", "+++\ntitle = \"Second section\"\n+++\n## Details\n\nBody.\n"),
];

fn course(changes: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (p, t) in BASE.iter().chain(changes) {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if t.is_empty() {
            let _ = std::fs::remove_file(&path);
        } else {
            std::fs::write(&path, t).unwrap();
        }
    }
    dir
}

/// Runs `kyozai ARGS` and returns (status, stdout, stderr), asserting it did not panic.
fn kyozai(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("kyozai")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!e.contains("panicked"), "{e}");
    (out.status.code().unwrap_or(-1), o, e)
}

/// `kyozai check --format json DIR`: (status, document).
fn check_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json", dir.to_str().unwrap()];
    args.extend(extra);
    let (code, out, err) = kyozai(&args);
    let v: Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, v)
}

fn findings<'a>(v: &'a Value, code: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

fn place(f: &Value) -> (String, u64, u64) {
    (
        f["file"].as_str().unwrap().to_string(),
        f["line"].as_u64().unwrap(),
        f["column"].as_u64().unwrap(),
    )
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn clean_course_exits_zero_and_writes_nothing() {
    let dir = course(&[]);
    let before = tree(dir.path());
    let (code, out, _) = kyozai(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
    assert_eq!(tree(dir.path()), before, "check must not write anything");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn json_document_has_the_documented_shape() {
    let dir = course(&[("content/01-intro/_index.en.md", "")]);
    let (code, v) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(v["format"], "kyozai-check");
    assert_eq!(v["version"], 1);
    assert_eq!(v["counts"]["warning"], 1, "{v:#}");
    for f in v["findings"].as_array().unwrap() {
        for key in [
            "severity", "code", "file", "origin", "line", "column", "message", "fix", "diff",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    let w = &findings(&v, "missing-translation")[0];
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["file"], "content/01-intro/_index.ja.md");
    // Warnings fail only with --deny-warnings.
    let (code, _) = check_json(dir.path(), &["--deny-warnings"]);
    assert_eq!(code, 1);
}

#[test]
fn reports_every_error_at_once() {
    let dir = course(&[
        ("content/01-intro/01-first.ja.md", "+++\ntitle = \"最初の節\"\n+++\n## 明示の例\n\n[壊れた](nowhere.md) と [用語](term:nothing)\n"),
        ("content/01-intro/02-second.en.md", "+++\ntitle = \"Second section\"\n+++\n## Details\n\nSee [first](01-first.md#missing).\n"),
    ]);
    let (code, v) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        place(findings(&v, "broken-link")[0]),
        ("content/01-intro/01-first.ja.md".into(), 6, 1)
    );
    assert_eq!(
        place(findings(&v, "undefined-term")[0]),
        ("content/01-intro/01-first.ja.md".into(), 6, 21)
    );
    assert_eq!(
        place(findings(&v, "broken-anchor")[0]),
        ("content/01-intro/02-second.en.md".into(), 6, 5)
    );
    assert_eq!(v["counts"]["error"], 3, "{v:#}");
    assert_eq!(findings(&v, "checks-skipped").len(), 1);
    // The text report groups by file and ends with the counts.
    let (code, out, _) = kyozai(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("\ncontent/01-intro/01-first.ja.md\n"), "{out}");
    assert!(out.contains("\n  6:1: error[broken-link]: `nowhere.md` is not a page of the course\n      | [壊れた](nowhere.md) と [用語](term:nothing)\n      fix: "), "{out}");
    assert!(
        out.trim_end()
            .ends_with("3 errors, 0 warnings, 5 infos in 5 files"),
        "{out}"
    );
}

#[test]
fn unreadable_files_do_not_hide_other_findings() {
    let dir = course(&[(
        "content/01-intro/_index.en.md",
        "+++\ntitle = \"Introduction\"\nsource_hash = \"0000000000000000\"\n+++\nChapter body.\n",
    )]);
    std::fs::write(
        dir.path().join("content/01-intro/02-second.ja.md"),
        b"+++\ntitle = \"x\"\n+++\nab\xff\n",
    )
    .unwrap();
    let (code, v) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let e = findings(&v, "unreadable-file");
    assert_eq!(
        place(e[0]),
        ("content/01-intro/02-second.ja.md".into(), 4, 3)
    );
    assert_eq!(
        place(findings(&v, "stale-translation")[0]),
        ("content/01-intro/_index.en.md".into(), 3, 1)
    );
}

#[test]
fn links_written_in_data_fields_to_the_course_are_errors() {
    let dir = course(&[
        ("content/data/c.categories.toml", "[[category]]\nid = \"k\"\nja = \"区分\"\nen = \"Kind\"\n"),
        ("content/data/c.cases.toml", "[[case]]\nid = \"x\"\ncategory = \"k\"\ncountry = \"JP\"\ntitle = { ja = \"題\", en = \"T\" }\norganisation = { ja = \"組織\", en = \"Org\" }\nsummary = { ja = \"[詳細](../missing/index.html)\", en = \"S\" }\n"),
        ("content/01-intro/02-second.ja.md", "+++\ntitle = \"二番目の節\"\n+++\n## 詳細\n\n```{cases}\nids = [\"x\"]\n```\n"),
    ]);
    let (code, v) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    let b = findings(&v, "broken-link");
    assert_eq!(b.len(), 1, "{v:#}");
    assert_eq!(place(b[0]), ("content/data/c.cases.toml".into(), 7, 24));
    assert!(b[0]["message"]
        .as_str()
        .unwrap()
        .contains("../missing/index.html"));
}

#[test]
fn uncited_cases_and_external_links() {
    let dir = course(&[
        ("content/data/c.categories.toml", "[[category]]\nid = \"k\"\nja = \"区分\"\nen = \"Kind\"\n"),
        ("content/data/c.cases.toml", "[[case]]\nid = \"lonely\"\ncategory = \"k\"\ncountry = \"JP\"\ntitle = { ja = \"題\", en = \"T\" }\norganisation = { ja = \"組織\", en = \"Org\" }\nsummary = { ja = \"要約\", en = \"S\" }\nsources = [ { title = \"Report\", url = \"https://example.org/report\" } ]\n"),
        ("content/01-intro/02-second.en.md", "+++\ntitle = \"Second section\"\n+++\n## Details\n\nSee <https://example.com/>.\n"),
    ]);
    let (code, v) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        place(findings(&v, "uncited-case")[0]),
        ("content/data/c.cases.toml".into(), 2, 6)
    );
    let ext: Vec<(String, u64, u64)> = findings(&v, "external-link")
        .into_iter()
        .map(place)
        .collect();
    assert!(
        ext.contains(&("content/01-intro/02-second.en.md".into(), 6, 5)),
        "{ext:?}"
    );
    assert!(
        ext.contains(&("content/data/c.cases.toml".into(), 8, 40)),
        "{ext:?}"
    );
    assert!(findings(&v, "external-link")
        .iter()
        .all(|f| f["severity"] == "info"));
}

#[test]
fn raw_html_the_policy_blocks() {
    let dir = course(&[(
        "content/01-intro/02-second.en.md",
        "+++\ntitle = \"Second section\"\n+++\n## Details\n\n<script>alert(1)</script>\n\nText <b onclick=\"x()\">bold</b> and <span style=\"color:red\">red</span>.\n",
    )]);
    let (code, v) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        place(findings(&v, "csp-inline-script")[0]),
        ("content/01-intro/02-second.en.md".into(), 6, 1)
    );
    assert_eq!(
        place(findings(&v, "csp-event-handler")[0]),
        ("content/01-intro/02-second.en.md".into(), 8, 9)
    );
    assert_eq!(
        place(findings(&v, "csp-inline-style")[0]),
        ("content/01-intro/02-second.en.md".into(), 8, 42)
    );
}

#[test]
fn orphan_pages_are_reported_at_their_source() {
    // A theme whose pages link nowhere: only the home is reachable (from the language chooser).
    let dir = course(&[
        (
            "themes/default/templates/base.html",
            "<!DOCTYPE html><html><body>{% block main %}{% endblock main %}</body></html>\n",
        ),
        (
            "themes/default/templates/home.html",
            "{% extends \"base.html\" %}{% block main %}{{ content | safe }}{% endblock main %}\n",
        ),
        (
            "themes/default/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}{{ content | safe }}{% endblock main %}\n",
        ),
        (
            "themes/default/templates/slides-deck.html",
            "<!DOCTYPE html><html><body>{% block deck %}{% endblock deck %}</body></html>\n",
        ),
    ]);
    let (_, v) = check_json(dir.path(), &[]);
    let orphans: Vec<String> = findings(&v, "orphan-page")
        .into_iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert!(
        orphans.contains(&"content/01-intro/_index.ja.md".to_string()),
        "{v:#}"
    );
    assert!(
        orphans.contains(&"content/01-intro/_index.en.md".to_string()),
        "{v:#}"
    );
    // Second sections are linked from the first ones.
    assert!(
        !orphans.contains(&"content/01-intro/02-second.en.md".to_string()),
        "{orphans:?}"
    );
    assert!(
        !orphans
            .iter()
            .any(|o| o.ends_with("_index.ja.md") && !o.contains("intro")),
        "the home is linked: {orphans:?}"
    );
}

#[test]
fn usage_errors_exit_two() {
    let dir = course(&[]);
    assert_eq!(
        kyozai(&["check", "--format", "xml", dir.path().to_str().unwrap()]).0,
        2
    );
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(kyozai(&["check", empty.path().to_str().unwrap()]).0, 2);
    assert_eq!(kyozai(&["check", "/nonexistent/course"]).0, 2);
    assert_eq!(kyozai(&["translated"]).0, 2);
    assert_eq!(
        kyozai(&[
            "translated",
            dir.path().join("kyozai.toml").to_str().unwrap()
        ])
        .0,
        2
    );
}

#[test]
fn stale_translation_round_trip_with_diff() {
    let dir = course(&[]);
    let d = dir.path();
    let en = d.join("content/01-intro/02-second.en.md");
    let (code, v) = check_json(d, &[]);
    assert_eq!(code, 0);
    assert!(findings(&v, "untracked-translation")
        .iter()
        .any(|f| f["file"] == "content/01-intro/02-second.en.md"));

    // Record it: only the source_hash line is added.
    let (code, out, err) = kyozai(&["translated", en.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("content/01-intro/02-second.en.md: recorded as translated from content/01-intro/02-second.ja.md"), "{out}");
    let text = std::fs::read_to_string(&en).unwrap();
    let hash = kyozai::text::stable_hash("## 詳細\n\n本文。\n");
    assert_eq!(
        text,
        format!(
            "+++\ntitle = \"Second section\"\nsource_hash = \"{hash}\"\n+++\n## Details\n\nBody.\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(d.join(format!(
            ".kyozai/translations/01-intro/02-second.ja.md.{hash}.md"
        )))
        .unwrap(),
        "## 詳細\n\n本文。\n"
    );
    let (_, v) = check_json(d, &[]);
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "content/01-intro/02-second.en.md"),
        "{v:#}"
    );

    // Change the source: the translation is stale and the diff shows the change.
    std::fs::write(
        d.join("content/01-intro/02-second.ja.md"),
        "+++\ntitle = \"二番目の節\"\n+++\n## 詳細\n\n本文を書き直しました。\n",
    )
    .unwrap();
    let (code, v) = check_json(d, &[]);
    assert_eq!(code, 0);
    let s = findings(&v, "stale-translation");
    assert_eq!(s.len(), 1, "{v:#}");
    assert_eq!(
        place(s[0]),
        ("content/01-intro/02-second.en.md".into(), 3, 1)
    );
    assert_eq!(
        s[0]["diff"],
        "@@ -1,3 +1,3 @@\n ## 詳細\n \n-本文。\n+本文を書き直しました。\n"
    );
    assert!(s[0]["fix"]
        .as_str()
        .unwrap()
        .contains("kyozai translated content/01-intro/02-second.en.md"));
    assert_eq!(check_json(d, &["--deny-warnings"]).0, 1);
    let (_, out, _) = kyozai(&["check", d.to_str().unwrap()]);
    assert!(
        out.contains("      -本文。\n      +本文を書き直しました。\n"),
        "{out}"
    );

    // Record again (through the source page): fresh, and the old snapshot is gone.
    let (code, _, err) = kyozai(&[
        "translated",
        d.join("content/01-intro/02-second.ja.md").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(findings(&check_json(d, &[]).1, "stale-translation").is_empty());
    assert!(!d
        .join(format!(
            ".kyozai/translations/01-intro/02-second.ja.md.{hash}.md"
        ))
        .exists());
    assert_eq!(
        std::fs::read_dir(d.join(".kyozai/translations/01-intro"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn translated_keeps_yaml_crlf_and_bom_byte_for_byte() {
    let dir = course(&[]);
    let en = dir.path().join("content/01-intro/01-first.en.md");
    let original = "\u{feff}---\r\ntitle: First section\r\nkey_points:\r\n  - one\r\n  - two\r\n---\r\n## Examples\r\n\r\nBody. [Next](02-second.md#details)\r\n";
    std::fs::write(&en, original).unwrap();
    let (code, _, err) = kyozai(&["translated", en.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let hash = kyozai::text::stable_hash("## 明示の例\n\n本文です。[次へ](02-second.md#詳細)\n");
    let expected = original.replace(
        "  - two\r\n---",
        &format!("  - two\r\nsource_hash: \"{hash}\"\r\n---"),
    );
    assert_eq!(std::fs::read_to_string(&en).unwrap(), expected);
    // Running it again changes nothing.
    let (_, out, _) = kyozai(&["translated", en.to_str().unwrap()]);
    assert!(out.contains("already recorded"), "{out}");
    assert_eq!(std::fs::read_to_string(&en).unwrap(), expected);
}

#[test]
fn data_translations_are_tracked_per_file() {
    let dir = course(&[(
        "content/data/l.lists.toml",
        "[[list]]\nid = \"a\"\n[[list.item]]\ntext = { ja = \"一\", en = \"one\" }\n",
    )]);
    let d = dir.path();
    let file = d.join("content/data/l.lists.toml");
    assert!(findings(&check_json(d, &[]).1, "untracked-translation")
        .iter()
        .any(|f| f["file"] == "content/data/l.lists.toml"));
    assert_eq!(kyozai(&["translated", file.to_str().unwrap()]).0, 0);
    assert!(std::fs::read_to_string(d.join(".kyozai/translated.toml"))
        .unwrap()
        .contains("[\"content/data/l.lists.toml\"]"));
    let (_, v) = check_json(d, &[]);
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "content/data/l.lists.toml"),
        "{v:#}"
    );
    // Changing the English text is not a source change; changing the Japanese is.
    std::fs::write(
        &file,
        "[[list]]\nid = \"a\"\n[[list.item]]\ntext = { ja = \"一\", en = \"One\" }\n",
    )
    .unwrap();
    assert!(findings(&check_json(d, &[]).1, "stale-translation").is_empty());
    std::fs::write(
        &file,
        "[[list]]\nid = \"a\"\n[[list.item]]\ntext = { ja = \"いち\", en = \"One\" }\n",
    )
    .unwrap();
    let (_, v) = check_json(d, &[]);
    let s = findings(&v, "stale-translation");
    assert_eq!(s.len(), 1);
    assert_eq!(
        s[0]["diff"],
        "@@ -1,1 +1,1 @@\n-list[a].item[0].text.ja: 一\n+list[a].item[0].text.ja: いち\n"
    );
}

/// A checklist's `domains` entry for a domain the checklist does not have is an unknown id (its
/// message says "does not exist", which once made it a broken link).
#[test]
fn unknown_domains_are_unknown_ids() {
    let checklist = "id = \"c\"\nversion = 1\ntitle = { ja = \"点検\", en = \"Check\" }\nsubjects = [ { id = \"org\", ja = \"組織\", en = \"Org\" } ]\ncontrols = [ { id = \"prev\", ja = \"予防\", en = \"Prevent\" } ]\nstatuses = [ { id = \"no\", score = 0, ja = \"未\", en = \"No\" }, { id = \"yes\", score = 1, ja = \"済\", en = \"Yes\" } ]\ngroups = [ { id = \"all\", domains = [1], ja = \"全\", en = \"All\" } ]\ndomains = [ { number = 7, text = { ja = \"七\", en = \"Seven\" } } ]\n\n[[item]]\nid = \"a\"\nsubject = \"org\"\ncontrol = \"prev\"\nquestion = { ja = \"問\", en = \"Q\" }\ncountermeasure = { ja = \"策\", en = \"C\" }\n";
    let dir = course(&[("content/data/c.checklist.toml", checklist)]);
    let (code, v) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    let errors: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![(
            "unknown-id".to_string(),
            "domain 7 does not exist (1 to 1)".to_string()
        )]
    );
}
