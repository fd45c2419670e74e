//! The build never writes a link that leads nowhere. Every course under `tests/fixtures/` (each
//! folder with a `kyozai.toml`), the bundled course and the course `kyozai new` makes are built
//! to disk; then every file of each output is read (every language, the handouts and the
//! handbook, the case library, the glossary and checklist pages, the top-level pages) and every
//! `href` and `src` that stays inside the site must name a file of the output, and its
//! `#fragment` an id of that file.
//!
//! The walk is written here independently of `kyozai check`'s own link checker, so a mistake
//! shared by both cannot hide a broken link.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every course the invariant is checked on.
fn courses() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = vec![root.to_path_buf()];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("tests/fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("kyozai.toml").is_file())
        .collect();
    fixtures.sort();
    assert!(
        !fixtures.is_empty(),
        "no fixture course under tests/fixtures/"
    );
    v.extend(fixtures);
    v
}

/// Reads every file below `dir` (paths relative to it, `/`-separated), skipping kyozai's
/// hidden bookkeeping.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read output folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".kyozai"))
            {
                let rel = p.strip_prefix(dir).expect("inside").to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Decodes the character references kyozai and pulldown-cmark write in attribute values.
fn unescape(v: &str) -> String {
    v.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The values of every attribute named `name` (double- or single-quoted) in `html`.
fn attrs(html: &str, name: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let pat = format!(" {name}={quote}");
        let mut from = 0;
        while let Some(at) = html[from..].find(&pat) {
            let start = from + at + pat.len();
            let end = html[start..]
                .find(quote)
                .map(|e| start + e)
                .unwrap_or(html.len());
            out.push((start, unescape(&html[start..end])));
            from = end;
        }
    }
    out
}

/// Whether `url` leaves the site (a scheme such as `https:`, `mailto:`, `data:`, or `//host`).
fn leaves_site(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(s, _)| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The output file `url` (found in `page`) leads to and its fragment, or why it leads nowhere.
fn target(
    page: &str,
    url: &str,
    base: &str,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<(String, Option<String>), String> {
    let (path, frag) = match url.split_once('#') {
        Some((p, f)) => (p, Some(decode(f))),
        None => (url, None),
    };
    let path = decode(path.split('?').next().unwrap_or(""));
    if path.is_empty() {
        return Ok((page.to_string(), frag));
    }
    let joined = match path.strip_prefix(base) {
        Some(rest) if path.starts_with('/') => rest.to_string(),
        None if path.starts_with('/') => return Err(format!("outside the base path {base}")),
        _ => match page.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{path}"),
            None => path.clone(),
        },
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("above the site's root".into());
                }
            }
            s => parts.push(s),
        }
    }
    let file = parts.join("/");
    for candidate in [
        file.clone(),
        format!("{file}/index.html")
            .trim_start_matches('/')
            .to_string(),
    ] {
        if files.contains_key(&candidate) && !(joined.ends_with('/') && candidate == file) {
            return Ok((candidate, frag));
        }
    }
    Err(format!("no file {file}"))
}

/// Every link of `files` (a built site with base path `base`) that leads nowhere.
fn broken_links(files: &BTreeMap<String, Vec<u8>>, base: &str) -> Vec<String> {
    let html: BTreeMap<&str, String> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), String::from_utf8_lossy(b).into_owned()))
        .collect();
    let ids: BTreeMap<&str, BTreeSet<String>> = html
        .iter()
        .map(|(p, t)| {
            let mut s: BTreeSet<String> = attrs(t, "id").into_iter().map(|(_, v)| v).collect();
            s.extend(attrs(t, "name").into_iter().map(|(_, v)| v));
            (*p, s)
        })
        .collect();
    let mut broken = Vec::new();
    for (page, text) in &html {
        let mut links = attrs(text, "href");
        links.extend(attrs(text, "src"));
        for (at, url) in links {
            let url = url.trim();
            if url.is_empty() || leaves_site(url) {
                continue;
            }
            let line = text[..at].matches('\n').count() + 1;
            match target(page, url, base, files) {
                Err(why) => broken.push(format!("{page}:{line}: `{url}` leads nowhere ({why})")),
                Ok((t, Some(f))) if !f.is_empty() && t.ends_with(".html") => {
                    if !ids.get(t.as_str()).is_some_and(|s| s.contains(&f)) {
                        broken.push(format!("{page}:{line}: `{url}`: {t} has no id `{f}`"));
                    }
                }
                Ok(_) => {}
            }
        }
    }
    broken
}

/// Builds `course` to a new folder and returns the output's files.
fn build(course: &Path, extra: &[&str]) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let mut args = vec![
        "build",
        course.to_str().expect("utf-8 path"),
        "-o",
        site.to_str().expect("utf-8 path"),
        "--no-spare",
        "-q",
    ];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = common::run(&args);
    assert_eq!(
        code,
        0,
        "{} did not build:\n{stdout}{stderr}",
        course.display()
    );
    let files = read_tree(&site);
    (out, files)
}

/// What every output must hold for the walk to mean something: pages in each language, handouts
/// and the top-level pages.
fn assert_complete(course: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let text = std::fs::read_to_string(course.join("kyozai.toml")).expect("config");
    let config: toml::Table = toml::from_str(&text).expect("config is TOML");
    for lang in config["languages"].as_array().expect("languages") {
        let lang = lang.as_str().expect("language");
        for p in [
            format!("{lang}/index.html"),
            format!("{lang}/handouts/index.html"),
        ] {
            assert!(files.contains_key(&p), "{}: no {p}", course.display());
        }
    }
    for p in ["index.html", "404.html"] {
        assert!(files.contains_key(p), "{}: no {p}", course.display());
    }
}

#[test]
fn no_output_link_leads_nowhere() {
    let mut all = Vec::new();
    let scaffold = tempfile::tempdir().expect("tempdir");
    let new = scaffold.path().join("new-course");
    let (code, _, stderr) = common::run(&["new", new.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    let mut list = courses();
    list.push(new);
    for course in &list {
        for (extra, base) in [
            (&[][..], "/"),
            (&["--base-path", "/sub/dir/"][..], "/sub/dir/"),
        ] {
            let (_keep, files) = build(course, extra);
            assert_complete(course, &files);
            all.extend(
                broken_links(&files, base)
                    .into_iter()
                    .map(|b| format!("{} {extra:?}: {b}", course.display())),
            );
        }
    }
    assert!(
        all.is_empty(),
        "{} broken links:\n{}",
        all.len(),
        all.join("\n")
    );
}

/// The walker itself finds what it must: a missing file, a missing id, a link above the root.
#[test]
fn the_walk_finds_broken_links() {
    let files: BTreeMap<String, Vec<u8>> = [
        ("en/index.html", "<a href=\"a/\">a</a><h2 id=\"x\">x</h2><a href=\"#x\">x</a>"),
        ("en/a/index.html", "<a href=\"../index.html#x\">ok</a><a href=\"../index.html#y\">bad id</a><img src=\"../../../up.png\"><a href=\"../b/\">no</a><a href=\"https://e.org/\">out</a><a href='/sub/en/'>abs</a>"),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
    .collect();
    let mut b = broken_links(&files, "/sub/");
    b.sort();
    assert_eq!(
        b,
        vec![
            "en/a/index.html:1: `../../../up.png` leads nowhere (above the site's root)",
            "en/a/index.html:1: `../b/` leads nowhere (no file en/b)",
            "en/a/index.html:1: `../index.html#y`: en/index.html has no id `y`",
        ]
    );
}

/// A page shown in a language it has no translation for links to the reader's pages, with the
/// anchors those pages have in that language.
#[test]
fn untranslated_pages_link_to_the_readers_pages() {
    let course = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/en-source");
    let (_keep, files) = build(&course, &[]);
    let page = String::from_utf8_lossy(&files["ja/basics/untranslated/index.html"]).into_owned();
    let hrefs: Vec<String> = attrs(&page, "href").into_iter().map(|(_, v)| v).collect();
    for want in [
        // The second "Example" is the second "例" of the Japanese version.
        "../../../ja/basics/terms/index.html#例-1",
        "../../../ja/basics/terms/index.html#概要",
        // The outlines differ, so the English page, which has the heading.
        "../../../en/basics/outline/index.html#later",
        "#details",
        // The drill has no Japanese version: its Japanese page shows the English headings.
        "../../../ja/practice/drill/index.html#steps",
        "../../../ja/index.html",
    ] {
        assert!(
            hrefs.iter().any(|h| h == want),
            "no link {want} in {hrefs:?}"
        );
    }
    assert!(!page.contains(".md"), "a source file name reached the page");
    let handout = String::from_utf8_lossy(&files["ja/handouts/basics/index.html"]).into_owned();
    assert!(
        !handout.contains(".md#"),
        "a source link reached the handout"
    );
}

/// Links to other sites are written as pulldown-cmark writes them, percent-encoded.
#[test]
fn outside_links_are_percent_encoded() {
    let course = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/en-source");
    let (_keep, files) = build(&course, &[]);
    let home = String::from_utf8_lossy(&files["en/index.html"]).into_owned();
    assert!(
        home.contains("href=\"https://example.com/%5C%5B%5C\" class=\"external\""),
        "{home}"
    );
    assert!(home.contains("href=\"mailto:help@example.com\""), "{home}");
}
