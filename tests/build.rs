//! Integration tests of `kyozai build` on fixture courses: structure, language pairing, link
//! rewriting, escaping and the output guarantees.

mod common;

use common::*;

#[test]
fn builds_every_page_in_both_languages() {
    let dir = course(BASE);
    let files = build_files(dir.path());
    for p in [
        "index.html",
        "ja/index.html",
        "en/index.html",
        "ja/intro/index.html",
        "en/intro/first/index.html",
        "ja/intro/second/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(
            files.contains_key(p),
            "missing {p}; have {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
    let first = &files["ja/intro/first/index.html"];
    assert!(first.contains("<html lang=\"ja\""));
    assert!(
        first.contains("<span class=\"number\">1-1</span> 最初の節"),
        "numbered title"
    );
    assert!(first.contains("第1章 はじめに"), "chapter in navigation");
    assert!(
        first.contains("hreflang=\"en\" href=\"../../../en/intro/first/index.html\""),
        "alternate link"
    );
    // The link to 02-second.md#詳細 is rewritten to the same language's page.
    assert!(
        first.contains("href=\"../../../ja/intro/second/index.html#詳細\""),
        "{first}"
    );
    let en = &files["en/intro/first/index.html"];
    assert!(en.contains("<html lang=\"en\""));
    assert!(en.contains("href=\"../../../en/intro/second/index.html#details\""));
    assert!(en.contains("Chapter 1 Introduction"));
}

#[test]
fn output_is_relative_and_inline_free() {
    let dir = course(BASE);
    for (path, html) in build_files(dir.path()) {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        for attr in [
            "href=\"/",
            "src=\"/",
            "href=\"http",
            "src=\"http",
            "style=\"",
            " onclick=",
            "<script>",
        ] {
            assert!(!html.contains(attr), "{path} contains {attr}");
        }
        assert!(
            !html.contains("<style"),
            "{path} has an inline style element"
        );
    }
}

#[test]
fn missing_translation_shows_source_under_notice() {
    let dir = base_with(&[
        ("content/01-intro/02-second.en.md", ""),
        (
            "content/01-intro/01-first.en.md",
            "+++\ntitle = \"First\"\n+++\n[Next](02-second.md)\n",
        ),
    ]);
    let built = kyozai::build::build(dir.path(), &Default::default()).unwrap();
    let page = built
        .output
        .files
        .iter()
        .find(|f| f.path == "en/intro/second/index.html")
        .expect("page exists in en");
    let html = String::from_utf8_lossy(&page.bytes);
    assert!(html.contains("This part has not been translated yet."));
    assert!(html.contains("二番目の節"), "shows the Japanese text");
    assert!(html.contains("<html lang=\"en\""));
    assert!(
        html.contains("<div class=\"content\" lang=\"ja\">"),
        "marks the source language on the content"
    );
    assert!(
        built
            .site
            .warnings
            .iter()
            .any(|w| w.message.contains("no en translation")),
        "reported"
    );
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let dir = base_with(&[(
        "content/01-intro/03-draft.ja.md",
        "+++\ntitle = \"下書き\"\ndraft = true\n+++\n本文\n",
    )]);
    assert!(!build_files(dir.path()).contains_key("ja/intro/draft/index.html"));
    let built = kyozai::build::build(
        dir.path(),
        &kyozai::build::Options {
            drafts: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(built
        .output
        .files
        .iter()
        .any(|f| f.path == "ja/intro/draft/index.html"));
}

#[test]
fn order_by_weight_then_name() {
    let dir = base_with(&[
        (
            "content/01-intro/01-first.ja.md",
            "+++\ntitle = \"最初の節\"\nweight = 2\n+++\n本文\n",
        ),
        (
            "content/01-intro/02-second.ja.md",
            "+++\ntitle = \"二番目の節\"\nweight = 1\n+++\n## 詳細\n",
        ),
        (
            "content/01-intro/01-first.en.md",
            "+++\ntitle = \"First\"\n+++\nBody\n",
        ),
    ]);
    let files = build_files(dir.path());
    assert!(files["ja/intro/second/index.html"].contains("<span class=\"number\">1-1</span>"));
    assert!(files["ja/intro/first/index.html"].contains("<span class=\"number\">1-2</span>"));
}

#[test]
fn heading_ids_follow_github_and_are_unique() {
    let dir = base_with(&[(
        "content/01-intro/02-second.ja.md",
        "+++\ntitle = \"二\"\n+++\n## 詳細\n\n## Hello, World!\n\n## Hello, World!\n",
    )]);
    let html = &build_files(dir.path())["ja/intro/second/index.html"];
    assert!(html.contains("id=\"詳細\""));
    assert!(html.contains("id=\"hello-world\""));
    assert!(html.contains("id=\"hello-world-1\""));
}

#[test]
fn callouts_render_markdown_inside() {
    let dir = base_with(&[(
        "content/01-intro/02-second.ja.md",
        "+++\ntitle = \"二\"\n+++\n## 詳細\n\n```{warning} 要注意\n**太字**です\n```\n",
    )]);
    let html = &build_files(dir.path())["ja/intro/second/index.html"];
    assert!(
        html.contains("<aside class=\"callout callout-warning\" aria-label=\"要注意\">"),
        "{html}"
    );
    assert!(html.contains("<strong>太字</strong>"));
}

#[test]
fn data_fields_are_escaped() {
    let dir = base_with(&[
        ("content/data/c.categories.toml", "[[category]]\nid = \"x\"\nja = \"<b>分類</b>\"\nen = \"Cat\"\n"),
        (
            "content/data/c.cases.toml",
            "[[case]]\nid = \"evil\"\ncategory = \"x\"\ncountry = \"JP\"\ntitle = { ja = \"<script>alert(1)</script>\", en = \"T\" }\norganisation = { ja = \"*病院*\", en = \"O\" }\nsummary = { ja = \"[x](javascript:alert(1)) <img src=x onerror=alert(1)>\", en = \"S\" }\n",
        ),
        ("content/01-intro/02-second.ja.md", "+++\ntitle = \"二\"\n+++\n## 詳細\n\n```{cases}\nids = [\"evil\"]\n```\n"),
    ]);
    let files = build_files(dir.path());
    for p in [
        "ja/intro/second/index.html",
        "ja/cases/index.html",
        "ja/cases/evil/index.html",
    ] {
        let html = &files[p];
        assert!(!html.contains("<script>alert"), "{p} has a live script");
        assert!(!html.contains("<img src=x"), "{p} has a live img");
        assert!(!html.contains("javascript:"), "{p} has a javascript: link");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{p} shows the script as text"
        );
    }
    assert!(
        files["ja/cases/index.html"].contains("<em>病院</em>"),
        "inline Markdown rendered"
    );
}

#[test]
fn new_scaffold_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("course");
    let (code, out, err) = run(&["new", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&["build", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("built "), "{out}");
    assert!(err.is_empty(), "no warnings expected: {err}");
    for p in [
        "public/ja/basics/first/index.html",
        "public/en/basics/second/index.html",
        "public/ja/cases/sample-usb/index.html",
        "public/en/checklists/starter/index.html",
    ] {
        assert!(dir.join(p).exists(), "{p}");
    }
    let html = std::fs::read_to_string(dir.join("public/en/basics/second/index.html")).unwrap();
    assert!(html.contains("data-checklist=\"starter\""));
    // The scaffold's .gitignore leaves out the output and the spare a rebuild keeps beside it.
    assert_eq!(run(&["build", dir.to_str().unwrap()]).0, 0);
    assert!(dir.join(".public.kyozai-spare").is_dir());
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(args)
            .output()
            .map(|o| o.status.success())
    };
    if git(&["init", "-q"]).unwrap_or(false) {
        for ignored in ["public", ".public.kyozai-spare"] {
            assert_eq!(
                git(&["check-ignore", "-q", ignored]).ok(),
                Some(true),
                "{ignored}"
            );
        }
        assert_eq!(git(&["check-ignore", "-q", "content"]).ok(), Some(false));
    }
}

#[test]
fn build_prints_one_summary_line() {
    let dir = course(BASE);
    let (code, out, _) = run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("ja") && out.contains("en") && out.contains(" ms"),
        "{out}"
    );
    assert!(!out.contains("changed"), "a first build: {out}");
    // A rebuild says how many files it changed: none, then those one edit changes.
    let (_, out, _) = run(&["build", dir.path().to_str().unwrap()]);
    assert!(out.contains(" files (0 changed) into "), "{out}");
    write_files(
        dir.path(),
        &[(
            "content/01-intro/02-second.en.md",
            "+++\ntitle = \"Second section\"\n+++\n## Details\n\nAnother body.\n",
        )],
    );
    let (_, out, _) = run(&["build", dir.path().to_str().unwrap()]);
    let changed: usize = out
        .split_once(" files (")
        .and_then(|(_, rest)| rest.split_once(" changed)"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert!((1..10).contains(&changed), "{out}");
    let (code, out, _) = run(&["build", "-q", dir.path().to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn refuses_dangerous_output_folders() {
    let dir = course(BASE);
    let d = dir.path().to_str().unwrap();
    for o in [
        format!("{d}/content"),
        d.to_string(),
        format!("{d}/.."),
        std::env::var("HOME").unwrap_or_else(|_| "/root".into()),
    ] {
        let (code, _, err) = run(&["build", d, "-o", &o]);
        assert_eq!(code, 2, "-o {o}: {err}");
        assert!(err.contains("refusing to write the site"), "{err}");
    }
    // A non-empty folder that kyozai did not write is refused too.
    std::fs::create_dir_all(dir.path().join("other")).unwrap();
    std::fs::write(dir.path().join("other/notes.txt"), "mine").unwrap();
    let (code, _, err) = run(&["build", d, "-o", &format!("{d}/other")]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("other/notes.txt")).unwrap(),
        "mine"
    );
    assert!(dir.path().join("content/_index.ja.md").exists());
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let dir = course(BASE);
    let d = dir.path().to_str().unwrap();
    assert_eq!(run(&["build", d]).0, 0);
    let before =
        std::fs::read_to_string(dir.path().join("public/ja/intro/first/index.html")).unwrap();
    write_files(
        dir.path(),
        &[("content/01-intro/01-first.ja.md", "+++\ntitle = 3\n+++\n")],
    );
    let (code, _, err) = run(&["build", d]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("public/ja/intro/first/index.html")).unwrap(),
        before
    );
    let leftovers = hidden_folders(dir.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn base_path_goes_into_sitemap_and_404() {
    let dir = course(BASE);
    let built = kyozai::build::build(
        dir.path(),
        &kyozai::build::Options {
            base_path: Some("/training/".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let get = |p: &str| {
        String::from_utf8_lossy(
            &built
                .output
                .files
                .iter()
                .find(|f| f.path == p)
                .unwrap()
                .bytes,
        )
        .into_owned()
    };
    assert!(get("sitemap.xml").contains("<loc>/training/ja/intro/first/index.html</loc>"));
    assert!(get("404.html").contains("href=\"/training/static/style.css\""));
}

#[test]
fn course_theme_overrides_file_by_file() {
    let dir = base_with(&[("themes/default/static/style.css", "body { color: red }")]);
    let files = build_files(dir.path());
    assert_eq!(files["static/style.css"], "body { color: red }");
    assert!(
        files["static/search.js"].len() > 100,
        "other theme files still come from the built-in theme"
    );
}

#[test]
fn same_case_from_toml_yaml_and_csv() {
    let toml = "[[case]]\nid = \"usb\"\ncategory = \"media\"\ncountry = \"JP\"\ndate = \"2019-04\"\nrecords = 13000\ntitle = { ja = \"紛失\", en = \"Lost\" }\norganisation = { ja = \"A病院\", en = \"Hospital A\" }\nsummary = { ja = \"要約\", en = \"Summary\" }\ncauses = [ { type = \"human\", text = { ja = \"規則\", en = \"Rules\" } } ]\nlessons = [ { ja = \"禁止\", en = \"Ban\" } ]\n";
    let yaml = "case:\n  - id: usb\n    category: media\n    country: JP\n    date: \"2019-04\"\n    records: 13000\n    title: { ja: 紛失, en: Lost }\n    organisation: { ja: A病院, en: Hospital A }\n    summary: { ja: 要約, en: Summary }\n    causes:\n      - type: human\n        text: { ja: 規則, en: Rules }\n    lessons:\n      - { ja: 禁止, en: Ban }\n";
    let csv = "id,category,country,date,records,title_ja,title_en,organisation_ja,organisation_en,summary_ja,summary_en,cause_types,causes_ja,causes_en,lessons_ja,lessons_en\nusb,media,JP,2019-04,13000,紛失,Lost,A病院,Hospital A,要約,Summary,human,規則,Rules,禁止,Ban\n";
    let cat = "[[category]]\nid = \"media\"\nja = \"外部媒体\"\nen = \"Media\"\n";
    let mut models = Vec::new();
    for (name, text) in [
        ("content/data/x.cases.toml", toml),
        ("content/data/x.cases.yaml", yaml),
        ("content/data/x.cases.csv", csv),
    ] {
        let dir = base_with(&[(name, text), ("content/data/c.categories.toml", cat)]);
        let built = kyozai::build::build(dir.path(), &Default::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        models.push(built.site.data.cases[0].value.clone());
    }
    assert_eq!(models[0], models[1], "TOML and YAML");
    assert_eq!(models[0], models[2], "TOML and CSV");
    assert_eq!(models[0].records, Some(13000));
}

#[test]
fn cases_directive_filters_and_links_back() {
    let cat = "[[category]]\nid = \"a\"\nja = \"A\"\nen = \"A\"\n[[category]]\nid = \"b\"\nja = \"B\"\nen = \"B\"\n";
    let mut cases = String::new();
    for (id, c, k) in [("one", "a", "JP"), ("two", "b", "US"), ("three", "a", "US")] {
        cases.push_str(&format!("[[case]]\nid = \"{id}\"\ncategory = \"{c}\"\ncountry = \"{k}\"\ntitle = {{ ja = \"事例{id}\", en = \"Case {id}\" }}\norganisation = \"Org\"\nsummary = \"S\"\n\n"));
    }
    let dir = base_with(&[
        ("content/data/c.categories.toml", cat),
        ("content/data/c.cases.toml", &cases),
        ("content/01-intro/02-second.ja.md", "+++\ntitle = \"二\"\n+++\n## 詳細\n\n```{cases}\ncategory = \"a\"\n```\n\n```{cases}\ncountry = \"US\"\ncolumns = [\"title\", \"country\"]\n```\n"),
    ]);
    let files = build_files(dir.path());
    let html = &files["ja/intro/second/index.html"];
    let tables: Vec<&str> = html
        .split("<table class=\"cases-table\">")
        .skip(1)
        .collect();
    assert_eq!(tables.len(), 2);
    assert!(
        tables[0].contains("事例one")
            && tables[0].contains("事例three")
            && !tables[0].contains("事例two")
    );
    assert!(
        tables[1].contains("事例two")
            && tables[1].contains("米国")
            && !tables[1].contains("事例one")
    );
    assert!(
        files["ja/cases/one/index.html"].contains("../../../ja/intro/second/index.html"),
        "cited-by link"
    );
    assert!(files["en/cases/two/index.html"].contains("United States"));
}

/// What a build of the course at `course` into an empty folder writes, as [`tree`] gives it.
fn fresh_tree(course: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("site");
    assert_eq!(run(&["build", course, "-o", out.to_str().unwrap()]).0, 0);
    tree(&out)
}

/// The names in `dir` of kyozai's hidden folders (staging, spare).
fn hidden_folders(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kyozai-"))
        .collect()
}

/// Every file under `dir` (but the manifest), by path.
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != ".kyozai-manifest")
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_rebuild_reuses_unchanged_files_and_writes_the_rest() {
    use std::os::unix::fs::MetadataExt;
    let dir = course(BASE);
    let d = dir.path().to_str().unwrap();
    let public = dir.path().join("public");
    assert_eq!(run(&["build", d]).0, 0);
    let ino = |rel: &str| std::fs::metadata(public.join(rel)).unwrap().ino();
    let (second, first) = (
        ino("ja/intro/second/index.html"),
        ino("ja/intro/first/index.html"),
    );
    // An output file changed by hand (same size, new bytes) is not taken for the built one.
    let css = public.join("static/style.css");
    let built_css = std::fs::read(&css).unwrap();
    let mut tampered = built_css.clone();
    tampered[0] = if tampered[0] == b'x' { b'y' } else { b'x' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&css, &tampered).unwrap();

    write_files(
        dir.path(),
        &[(
            "content/01-intro/01-first.ja.md",
            "+++\ntitle = \"最初の節\"\n+++\n## 明示の例\n\n書き換えた本文。\n",
        )],
    );
    assert_eq!(run(&["build", d]).0, 0);
    assert_eq!(
        ino("ja/intro/second/index.html"),
        second,
        "an unchanged page is reused"
    );
    assert_ne!(
        ino("ja/intro/first/index.html"),
        first,
        "the edited page is written"
    );
    assert!(
        std::fs::read_to_string(public.join("ja/intro/first/index.html"))
            .unwrap()
            .contains("書き換えた本文。")
    );
    assert_eq!(
        std::fs::read(&css).unwrap(),
        built_css,
        "the hand-edited file is rewritten"
    );

    // Whatever was reused, the output is what a build into an empty folder writes.
    assert!(
        tree(&public) == fresh_tree(d),
        "the rebuilt output differs from a fresh build"
    );
}

#[cfg(unix)]
#[test]
fn rebuilds_update_the_spare_in_place_and_match_a_fresh_build() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = course(BASE);
    let d = dir.path().to_str().unwrap();
    let public = dir.path().join("public");
    let spare = dir.path().join(".public.kyozai-spare");
    let fresh = || fresh_tree(d);
    let ino = |rel: &str| std::fs::metadata(public.join(rel)).unwrap().ino();
    let edit = |text: &str| {
        write_files(
            dir.path(),
            &[(
                "content/01-intro/01-first.ja.md",
                &format!("+++\ntitle = \"最初の節\"\n+++\n## 明示の例\n\n{text}\n"),
            )],
        )
    };

    assert_eq!(run(&["build", d]).0, 0);
    assert!(!spare.exists(), "a first build has no output to keep");
    edit("一度目の変更。");
    assert_eq!(run(&["build", d]).0, 0);
    assert!(
        spare.join(".kyozai-manifest").is_file(),
        "the replaced output is kept"
    );
    // Files put into the output by hand, which a fresh build would not write.
    write_files(
        &public,
        &[("robots.txt", "hand-made"), ("hand/made.html", "x")],
    );

    // Updates the spare (the first output): the edit of the first rebuild and a second one.
    edit("二度目の変更。");
    let second = ino("ja/intro/second/index.html");
    assert_eq!(run(&["build", d]).0, 0);
    assert!(
        tree(&public) == fresh(),
        "the updated spare differs from a fresh build"
    );
    assert_eq!(
        ino("ja/intro/second/index.html"),
        second,
        "an unchanged page keeps its inode"
    );
    let manifest = std::fs::read(public.join(".kyozai-manifest")).unwrap();

    // Updates the output that had files added by hand: they are gone; with nothing changed,
    // every file (and so the manifest) is the same as before.
    assert_eq!(run(&["build", d]).0, 0);
    assert!(!public.join("robots.txt").exists() && !public.join("hand").exists());
    assert!(
        tree(&public) == fresh(),
        "the updated spare differs from a fresh build"
    );
    assert_eq!(
        std::fs::read(public.join(".kyozai-manifest")).unwrap(),
        manifest
    );

    // A page removed: its folder goes from the updated spare.
    std::fs::remove_file(dir.path().join("content/01-intro/02-second.ja.md")).unwrap();
    std::fs::remove_file(dir.path().join("content/01-intro/02-second.en.md")).unwrap();
    write_files(
        dir.path(),
        &[(
            "content/01-intro/01-first.en.md",
            "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody.\n",
        )],
    );
    edit("三度目の変更。");
    assert_eq!(run(&["build", d]).0, 0);
    assert!(!public.join("ja/intro/second").exists());
    assert!(
        tree(&public) == fresh(),
        "the updated spare differs from a fresh build"
    );

    // A file of an earlier output where this build has a folder, and the other way round.
    write_files(dir.path(), &[("content/01-intro/fig.png", "a file")]);
    assert_eq!(run(&["build", d]).0, 0);
    assert_eq!(run(&["build", d]).0, 0);
    std::fs::remove_file(dir.path().join("content/01-intro/fig.png")).unwrap();
    write_files(
        dir.path(),
        &[("content/01-intro/fig.png/inner.png", "now a folder")],
    );
    for _ in 0..2 {
        let (code, _, err) = run(&["build", d]);
        assert_eq!(code, 0, "{err}");
        assert!(
            tree(&public) == fresh(),
            "the updated spare differs from a fresh build"
        );
    }
    std::fs::remove_dir_all(dir.path().join("content/01-intro/fig.png")).unwrap();
    write_files(dir.path(), &[("content/01-intro/fig.png", "a file again")]);
    let (code, _, err) = run(&["build", d]);
    assert_eq!(code, 0, "{err}");
    assert!(
        tree(&public) == fresh(),
        "the updated spare differs from a fresh build"
    );

    // A build failing half way through rendering into the spare (pages before the first
    // section are written) leaves the output as it was, and the spare fit for the next build.
    let before = tree(&public);
    write_files(
        dir.path(),
        &[(
            "themes/default/templates/page.html",
            "{% if kind == \"section\" %}{{ no_such_value.field }}{% endif %}<p>{{ title }}</p>",
        )],
    );
    let (code, _, err) = run(&["build", d]);
    assert_eq!(code, 1, "{err}");
    assert!(tree(&public) == before, "a failed build changed the output");
    assert!(
        spare.join(".kyozai-manifest").is_file(),
        "the spare is kept"
    );
    std::fs::remove_dir_all(dir.path().join("themes")).unwrap();
    assert_eq!(run(&["build", d]).0, 0);
    assert!(
        tree(&public) == fresh(),
        "the build after a failed one differs"
    );
    assert_eq!(run(&["build", d]).0, 0);
    assert!(
        tree(&public) == fresh(),
        "the output after a failed build differs"
    );

    // A read-only folder in the spare is reported, with the way out.
    let folder = spare.join("ja/intro");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = tree(&public);
    let (code, _, err) = run(&["build", d]);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(".public.kyozai-spare") && err.contains("chmod -R u+w"),
        "{err}"
    );
    assert!(tree(&public) == before);
    let leftovers = hidden_folders(dir.path());
    assert!(
        leftovers.iter().all(|n| n.ends_with("kyozai-spare")),
        "{leftovers:?}"
    );
}

#[test]
fn no_spare_keeps_nothing_beside_the_output() {
    let dir = course(BASE);
    let d = dir.path().to_str().unwrap();
    let spare = dir.path().join(".public.kyozai-spare");
    for _ in 0..2 {
        assert_eq!(run(&["build", "--no-spare", d]).0, 0);
        assert!(!spare.exists());
    }
    assert_eq!(run(&["build", d]).0, 0);
    assert!(spare.is_dir());
    // Asked again, the spare a build without it left is removed.
    write_files(
        dir.path(),
        &[(
            "content/01-intro/01-first.ja.md",
            "+++\ntitle = \"最初の節\"\n+++\n## 明示の例\n\n変更。\n",
        )],
    );
    assert_eq!(run(&["build", "--no-spare", d]).0, 0);
    assert!(!spare.exists());
    assert!(tree(&dir.path().join("public")) == fresh_tree(d));
    let left = hidden_folders(dir.path());
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_sitemap_with_more_urls_than_a_file_holds_is_split_under_a_sitemap_index() {
    use kyozai::render::sitemap::render_split;
    let dir = course(BASE);
    let (site, theme) =
        kyozai::build::load_and_check(dir.path(), &Default::default()).expect("loads");
    let langs = kyozai::render::lang_states(&site, &theme);
    let draw = |urls: usize| {
        let sink = kyozai::output::Collect::default();
        render_split(&site, &theme, &langs, &langs[0].strings, &sink, urls).expect("renders");
        let files = sink.0.into_inner().unwrap();
        files
            .into_iter()
            .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let locs = |xml: &str| -> Vec<String> {
        xml.split("<url><loc>")
            .skip(1)
            .map(|s| s[..s.find("</loc>").unwrap()].to_string())
            .collect()
    };
    let whole = draw(usize::MAX);
    assert_eq!(whole.keys().collect::<Vec<_>>(), ["sitemap.xml"]);
    let all = locs(&whole["sitemap.xml"]);
    assert!(all.len() >= 8, "{all:?}");
    // Four URLs a file: two pages in two languages.
    let split = draw(4);
    let index = &split["sitemap.xml"];
    assert!(index.contains("<sitemapindex"), "{index}");
    let parts: Vec<String> = index
        .split("<sitemap><loc>")
        .skip(1)
        .map(|s| s[..s.find("</loc>").unwrap()].to_string())
        .collect();
    assert_eq!(parts.len(), all.len().div_ceil(4));
    assert_eq!(split.len(), parts.len() + 1, "the index and its parts");
    let mut found = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        assert_eq!(p, &format!("/sitemap-{}.xml", k + 1));
        let xml = &split[&p[1..]];
        assert!(xml.starts_with("<?xml") && xml.contains("<urlset"), "{xml}");
        let here = locs(xml);
        assert!(!here.is_empty() && here.len() <= 4, "{p}: {here:?}");
        // A page's language versions stay together, alternates included.
        assert_eq!(xml.matches("hreflang=").count(), here.len() * 2, "{xml}");
        found.extend(here);
    }
    assert_eq!(found, all, "the parts list every URL once, in order");
}

/// A deck's slides are drawn in one pass and put in place by marks made of U+0001; a text that
/// holds that character takes the plain way, and the deck and its notes come out the same.
#[test]
fn slides_holding_the_marks_character_are_drawn_like_the_others() {
    let page = |gap: &str| {
        format!(
            "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody{gap}one.\n\n---\n\n\
             Second slide{gap}text.\n\n```{{notes}}\nSay it{gap}twice.\n```\n"
        )
    };
    let plain = common::base_with(&[("content/01-intro/01-first.en.md", &page(" "))]);
    let marked = common::base_with(&[("content/01-intro/01-first.en.md", &page("\u{1}"))]);
    let (plain, marked) = (
        common::build_files(plain.path()),
        common::build_files(marked.path()),
    );
    for file in ["en/slides/intro/index.html", "en/slides/intro/notes.html"] {
        let p = &plain[file];
        assert!(p.contains("Second slide text."), "{file}: {p}");
        assert!(p.contains("Say it twice."), "{file}: {p}");
        assert_eq!(marked[file].replace('\u{1}', " "), *p, "{file}");
    }
}

/// The home page of a course of more than 40 chapters marks its course map long, which the
/// stylesheet lays out only near the screen; a shorter course's map stays as it was.
#[test]
fn a_long_course_map_is_marked_for_the_stylesheet() {
    let mut files: Vec<(String, String)> = BASE
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let short = course(BASE);
    for n in 2..=41 {
        for (lang, title) in [("ja", "章"), ("en", "Chapter")] {
            files.push((
                format!("content/{n:02}-c{n}/_index.{lang}.md"),
                format!("+++\ntitle = \"{title} {n}\"\n+++\nText.\n"),
            ));
        }
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (&p[..], &t[..])).collect();
    let long = course(&files);
    let home = |dir: &std::path::Path| build_files(dir)["ja/index.html"].clone();
    assert!(home(long.path()).contains("class=\"course-map course-map-long\""));
    assert!(home(short.path()).contains("class=\"course-map\""));
    let css = std::fs::read_to_string("themes/default/static/style.css").unwrap();
    assert!(css.contains(".course-map-long .cards > li { content-visibility: auto;"));
}
