//! A course needs no boilerplate: without `content/_index.LANG.md` kyozai makes the home page from
//! kyozai.toml's title and description and the list of chapters with their summaries, and `check`
//! notes it; a chapter folder without `_index` pages is titled after the folder, with a warning.

mod common;

use std::path::Path;

fn bare() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bare")
}

#[test]
fn the_home_page_is_made_from_the_configuration() {
    let files = common::build_files(&bare());
    let en = &files["en/index.html"];
    assert!(en.contains("<title>A bare course"), "{en}");
    assert!(en.contains("A course of sections only."), "{en}");
    // The chapter list with the sections' summaries, titles made from the folder names.
    assert!(en.contains("Chapter 1 First steps"), "{en}");
    assert!(en.contains("Chapter 2 Next"), "{en}");
    let ja = &files["ja/index.html"];
    assert!(ja.contains("見出しと節だけの講座です。"), "{ja}");
    assert!(ja.contains("第1章 First steps"), "{ja}");
    let chapter = &files["en/first-steps/index.html"];
    assert!(chapter.contains("1-1 Start"), "{chapter}");
    assert!(
        chapter.contains("The first section&#39;s summary.")
            || chapter.contains("The first section's summary."),
        "{chapter}"
    );
}

#[test]
fn the_made_home_page_lists_the_chapters_with_their_summaries() {
    let dir = common::base_with(&[
        ("content/_index.ja.md", ""),
        ("content/_index.en.md", ""),
        (
            "content/01-intro/_index.en.md",
            "+++\ntitle = \"Introduction\"\nsummary = \"Why it matters.\"\n+++\nChapter body.\n",
        ),
    ]);
    let files = common::build_files(dir.path());
    let en = &files["en/index.html"];
    assert!(
        en.contains(
            "<a href=\"../en/intro/index.html\">Chapter 1 Introduction</a><p>Why it matters.</p>"
        ),
        "{en}"
    );
}

#[test]
fn check_notes_the_made_pages() {
    let (code, out, err) = common::run(&["check", "--format", "json", bare().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let made: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "generated-page")
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        made,
        vec![
            (
                "warning".to_string(),
                "content/01-first-steps/_index.ja.md".to_string(),
                "the chapter 01-first-steps has no page: its title \"First steps\" is made from the folder's name".to_string()
            ),
            (
                "warning".to_string(),
                "content/02-next/_index.ja.md".to_string(),
                "the chapter 02-next has no page: its title \"Next\" is made from the folder's name".to_string()
            ),
            (
                "info".to_string(),
                "content/_index.ja.md".to_string(),
                "the course has no home page: kyozai makes it from the title and description in kyozai.toml and the list of chapters".to_string()
            ),
        ]
    );
}
