//! The sidebar of a course with many chapters: a page lists at most `SIDEBAR_ENTRIES` top-level
//! entries around its own, with a link to the full contents on the home page, so that its size
//! does not grow with the course; and following sidebar links still reaches every page.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use kyozai::render::nav::SIDEBAR_ENTRIES;

/// A course of `chapters` chapters of three sections each, in Japanese and English.
fn many_chapters(chapters: usize) -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = common::BASE
        .iter()
        .filter(|(p, _)| !p.starts_with("content/01-intro"))
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    for c in 1..=chapters {
        for (lang, ch, sec) in [("ja", "章", "節"), ("en", "Chapter", "Section")] {
            files.push((
                format!("content/{c:02}-c{c}/_index.{lang}.md"),
                format!("+++\ntitle = \"{ch} {c}\"\n+++\n{ch} {c}.\n"),
            ));
            for s in 1..=3 {
                files.push((
                    format!("content/{c:02}-c{c}/{s:02}-s{s}.{lang}.md"),
                    format!("+++\ntitle = \"{sec} {c}-{s}\"\n+++\n{sec} {c}-{s}.\n"),
                ));
            }
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    common::course(&refs)
}

/// The `<aside class="sidebar">` of a page.
fn sidebar(html: &str) -> &str {
    let start = html.find("<aside class=\"sidebar\">").expect("a sidebar");
    let end = start + html[start..].find("</aside>").expect("its end");
    &html[start..end]
}

/// The targets of the sidebar's links on page `path` (paths from the site root).
fn links(path: &str, html: &str) -> Vec<String> {
    let dir: Vec<&str> = path.split('/').collect();
    let dir = &dir[..dir.len() - 1];
    let side = sidebar(html);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = side[from..].find("href=\"") {
        let start = from + at + 6;
        let end = start + side[start..].find('"').unwrap();
        let href = side[start..end].split('#').next().unwrap();
        let mut parts: Vec<&str> = dir.to_vec();
        for seg in href.split('/') {
            match seg {
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        out.push(parts.join("/"));
        from = end;
    }
    out
}

#[test]
fn a_large_course_lists_the_chapters_around_the_page_and_links_to_all() {
    let dir = many_chapters(40);
    let files = common::build_files(dir.path());
    let page = &files["ja/c20/s2/index.html"];
    let side = sidebar(page);
    let chapters = side.matches("class=\"toc-chapter").count();
    assert_eq!(chapters, SIDEBAR_ENTRIES, "{side}");
    // Its own chapter, open, with its sections, the page marked current.
    assert!(side.contains("toc-chapter open\"><a data-p=") && side.contains(" 章 20</a><ol>"));
    assert_eq!(side.matches("aria-current=\"page\"").count(), 1);
    assert!(side
        .contains("aria-current=\"page\" href=\"../../../ja/c20/s2/index.html\">20-2 節 20-2</a>"));
    // Chapters 13 to 27: seven before and seven after.
    assert!(side.contains(" 章 13</a>") && side.contains(" 章 27</a>"));
    assert!(!side.contains(" 章 12</a>") && !side.contains(" 章 28</a>"));
    assert!(side.contains(
        "<li class=\"toc-all\"><a data-x=\"contents\" href=\"../../../ja/index.html#course-map-title\">すべての章</a></li>"
    ));
    // At the ends the window keeps its size.
    let first = sidebar(&files["ja/c1/index.html"]);
    assert!(
        first.contains(" 章 1</a>")
            && first.contains(" 章 15</a>")
            && !first.contains(" 章 16</a>")
    );
    let last = sidebar(&files["en/c40/s3/index.html"]);
    assert!(
        last.contains(" Chapter 26</a>")
            && last.contains(" Chapter 40</a>")
            && !last.contains(" Chapter 25</a>")
    );
    assert!(last.contains(">All chapters</a>"));
    // The home page lists every chapter.
    let home = &files["ja/index.html"];
    assert!(home.contains("id=\"course-map-title\""));
    for c in 1..=40 {
        assert!(
            home.contains(&format!("href=\"../ja/c{c}/index.html\"")),
            "chapter {c} on the home page"
        );
    }
}

#[test]
fn a_page_of_a_larger_course_is_no_larger() {
    let size = |chapters: usize, path: &str| {
        let dir = many_chapters(chapters);
        common::build_files(dir.path())[path].len()
    };
    let (small, large) = (
        size(20, "ja/c10/s2/index.html"),
        size(80, "ja/c10/s2/index.html"),
    );
    // Only the chapter numbers in the links are longer (two digits either way here).
    assert_eq!(
        small, large,
        "a page of 20 chapters, {small} bytes; of 80, {large}"
    );
}

#[test]
fn every_page_is_reached_by_following_sidebar_links() {
    let dir = many_chapters(40);
    let files = common::build_files(dir.path());
    for lang in ["ja", "en"] {
        let start = format!("{lang}/index.html");
        let mut seen = BTreeSet::from([start.clone()]);
        let mut todo = vec![start];
        while let Some(p) = todo.pop() {
            for l in links(&p, &files[&p]) {
                if files.contains_key(&l) && seen.insert(l.clone()) {
                    todo.push(l);
                }
            }
        }
        // Chapter pages (ja/c7/index.html) and section pages (ja/c7/s2/index.html).
        let pages: BTreeMap<&String, ()> = files
            .keys()
            .filter(|p| {
                let parts: Vec<&str> = p.split('/').collect();
                parts[0] == lang
                    && parts.len() > 2
                    && parts[1]
                        .strip_prefix('c')
                        .is_some_and(|n| n.parse::<u32>().is_ok())
            })
            .map(|p| (p, ()))
            .collect();
        assert_eq!(pages.len(), 160);
        for p in pages.keys() {
            assert!(seen.contains(*p), "{p} is not reached from the sidebar");
        }
    }
}
