//! `kyozai scorm`: the zip it writes, checked against the rules of SCORM 1.2 (the ADL SCORM 1.2
//! Content Aggregation Model, on the IMS Content Packaging 1.1.2 manifest), its files against the
//! site, and its failures (a bad --lang, a broken course, a folder as -o) against the last good
//! package, which they leave as it was.
//!
//! The rules checked on every manifest (see `check_manifest`):
//!  1. `imsmanifest.xml` is at the root of the archive, and no entry is absolute, climbs out with
//!     `..` or uses `\`.
//!  2. It is well-formed XML (every element closed in order, attributes quoted, one root), declared
//!     UTF-8.
//!  3. The root is `manifest` in the IMS CP namespace `http://www.imsproject.org/xsd/imscp_rootv1p1p2`
//!     (the default namespace), with the ADL namespace `http://www.adlnet.org/xsd/adlcp_rootv1p2`
//!     bound to `adlcp`, and `xsi:schemaLocation` pairing both with their schema files.
//!  4. `manifest` has an `identifier` (xs:ID) and a `version` of at most 20 characters.
//!  5. Its children are, in order, `metadata`, `organizations`, `resources` (imscp manifestType).
//!  6. `metadata` holds `schema` = "ADL SCORM" then `schemaversion` = "1.2" (adlcp's enumerations).
//!  7. `organizations` has `default`, the identifier of its one `organization`.
//!  8. The organization has a `title` (at most 200 characters) and one `item` with an
//!     `identifier`, an `identifierref` naming a resource, `isvisible` a boolean, and a `title`.
//!  9. Every `identifier` is an NCName and unique in the manifest (xs:ID).
//! 10. `resources` holds one `resource`: an `identifier`, `type="webcontent"`,
//!     `adlcp:scormtype="sco"` (one of adlcp's "sco" and "asset"), and `href`, the launch page.
//! 11. The resource's children are `file` elements, each with an `href` (xs:anyURI, at most 2,000
//!     characters): relative, no scheme, no leading `/`, no `..`, characters outside the URI
//!     unreserved set percent-encoded.
//! 12. Every file it lists (percent-decoded) is in the archive, once; every entry of the archive but
//!     the manifest is listed; the launch page is listed.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use common::*;

const IMSCP: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
const ADLCP: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";

// ---- A small strict XML reader, enough for a manifest --------------------------------------

#[derive(Debug)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<El>,
    text: String,
}

impl El {
    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }
    fn child_names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }
    fn only(&self, name: &str) -> &El {
        let found: Vec<&El> = self.children.iter().filter(|c| c.name == name).collect();
        assert_eq!(found.len(), 1, "<{}> has one <{name}>", self.name);
        found[0]
    }
    fn walk<'a>(&'a self, out: &mut Vec<&'a El>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }
}

fn unescape(s: &str) -> String {
    assert!(
        !s.contains('<'),
        "a `<` in text or an attribute value: {s:?}"
    );
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').expect("an entity ends with ;") + i;
        out.push_str(match &rest[i + 1..end] {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" | "#39" => "'",
            e => panic!("unknown entity &{e};"),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Parses `xml` (after its declaration) into its root element; panics on anything ill-formed.
fn parse(xml: &str) -> El {
    let decl_end = xml.find("?>").expect("an XML declaration");
    let decl = &xml[..decl_end];
    assert!(decl.starts_with("<?xml version=\"1.0\""), "{decl}");
    assert!(decl.contains("encoding=\"UTF-8\""), "{decl}");
    let mut s = &xml[decl_end + 2..];
    let mut stack: Vec<El> = Vec::new();
    let mut root = None;
    loop {
        let Some(lt) = s.find('<') else {
            assert!(s.trim().is_empty(), "text after the root: {s:?}");
            break;
        };
        let text = &s[..lt];
        match stack.last_mut() {
            Some(top) => top.text.push_str(&unescape(text)),
            None => assert!(text.trim().is_empty(), "text outside the root: {text:?}"),
        }
        s = &s[lt..];
        if let Some(r) = s.strip_prefix("<!--") {
            s = &r[r.find("-->").expect("a comment ends") + 3..];
            continue;
        }
        let gt = s.find('>').expect("a tag ends");
        let tag = &s[1..gt];
        s = &s[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let el = stack.pop().expect("a closing tag closes an open element");
            assert_eq!(el.name, name.trim(), "closing tags in order");
            match stack.last_mut() {
                Some(parent) => parent.children.push(el),
                None => {
                    assert!(root.is_none(), "one root element");
                    root = Some(el);
                }
            }
            continue;
        }
        let empty = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut rest) = tag
            .split_once(char::is_whitespace)
            .map_or((tag, ""), |(n, r)| (n, r));
        let mut attrs = BTreeMap::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let eq = rest.find('=').expect("an attribute has a value");
            let key = rest[..eq].trim().to_string();
            let after = rest[eq + 1..].trim_start();
            assert!(after.starts_with('"'), "attribute {key} is quoted");
            let close = after[1..].find('"').expect("the quote closes") + 1;
            let value = unescape(&after[1..close]);
            assert!(
                attrs.insert(key.clone(), value).is_none(),
                "attribute {key} once"
            );
            rest = &after[close + 1..];
        }
        let el = El {
            name: name.to_string(),
            attrs,
            children: Vec::new(),
            text: String::new(),
        };
        if empty {
            match stack.last_mut() {
                Some(parent) => parent.children.push(el),
                None => panic!("the root is not empty"),
            }
        } else {
            stack.push(el);
        }
    }
    assert!(stack.is_empty(), "every element is closed");
    root.expect("a root element")
}

// ---- The package --------------------------------------------------------------------------

/// The entries of the zip at `path`, by name.
fn entries(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).expect("open the zip");
    let mut zip = zip::ZipArchive::new(file).expect("a zip archive");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("a UTF-8 name").to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read entry");
        assert!(out.insert(name, bytes).is_none(), "one entry per name");
    }
    out
}

fn ncname(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .expect("UTF-8")
        .into_owned()
}

/// Checks the rules listed at the top of this file; returns the manifest's root.
fn check_manifest(files: &BTreeMap<String, Vec<u8>>) -> El {
    // 1.
    let xml = String::from_utf8(
        files
            .get("imsmanifest.xml")
            .expect("imsmanifest.xml at the root")
            .clone(),
    )
    .expect("UTF-8");
    for name in files.keys() {
        assert!(
            !name.starts_with('/') && !name.contains('\\') && !name.split('/').any(|p| p == ".."),
            "entry {name}"
        );
    }
    // 2.
    let m = parse(&xml);
    // 3.
    assert_eq!(m.name, "manifest");
    assert_eq!(m.attr("xmlns"), IMSCP);
    assert_eq!(m.attr("xmlns:adlcp"), ADLCP);
    let loc: Vec<&str> = m.attr("xsi:schemaLocation").split_whitespace().collect();
    assert_eq!(
        m.attr("xmlns:xsi"),
        "http://www.w3.org/2001/XMLSchema-instance"
    );
    let pairs: BTreeMap<&str, &str> = loc.chunks(2).map(|p| (p[0], p[1])).collect();
    assert_eq!(pairs.get(IMSCP), Some(&"imscp_rootv1p1p2.xsd"));
    assert_eq!(pairs.get(ADLCP), Some(&"adlcp_rootv1p2.xsd"));
    // 4.
    assert!(ncname(m.attr("identifier")));
    assert!(m.attr("version").chars().count() <= 20);
    // 5.
    assert_eq!(m.child_names(), ["metadata", "organizations", "resources"]);
    // 6.
    let meta = m.only("metadata");
    assert_eq!(meta.child_names(), ["schema", "schemaversion"]);
    assert_eq!(meta.only("schema").text, "ADL SCORM");
    assert_eq!(meta.only("schemaversion").text, "1.2");
    // 7.
    let orgs = m.only("organizations");
    let org = orgs.only("organization");
    assert_eq!(orgs.attr("default"), org.attr("identifier"));
    // 8.
    assert_eq!(org.child_names(), ["title", "item"]);
    let title = &org.only("title").text;
    assert!(!title.is_empty() && title.chars().count() <= 200);
    let item = org.only("item");
    assert!(matches!(item.attr("isvisible"), "true" | "false"));
    assert!(!item.only("title").text.is_empty());
    // 9.
    let mut all = Vec::new();
    m.walk(&mut all);
    let ids: Vec<&str> = all
        .iter()
        .filter_map(|e| e.attrs.get("identifier").map(String::as_str))
        .collect();
    assert!(ids.iter().all(|i| ncname(i)), "{ids:?}");
    assert_eq!(
        ids.len(),
        ids.iter().collect::<BTreeSet<_>>().len(),
        "unique identifiers"
    );
    // 10.
    let res = m.only("resources").only("resource");
    assert_eq!(item.attr("identifierref"), res.attr("identifier"));
    assert_eq!(res.attr("type"), "webcontent");
    assert_eq!(res.attr("adlcp:scormtype"), "sco");
    let launch = res.attr("href");
    assert_eq!(launch, "scorm.html");
    // 11.
    assert!(res.children.iter().all(|c| c.name == "file"));
    let mut listed = BTreeSet::new();
    for f in &res.children {
        let href = f.attr("href");
        assert!(href.len() <= 2000);
        assert!(
            !href.starts_with('/') && !href.contains("://") && !href.contains(':'),
            "{href} is relative"
        );
        assert!(
            href.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.~/%".contains(&b)),
            "{href} is percent-encoded"
        );
        let path = percent_decode(href);
        assert!(!path.split('/').any(|p| p == ".."), "{href}");
        // 12.
        assert!(
            files.contains_key(&path),
            "{path} is listed but not in the zip"
        );
        assert!(listed.insert(path), "{href} listed once");
    }
    let in_zip: BTreeSet<String> = files
        .keys()
        .filter(|k| *k != "imsmanifest.xml")
        .cloned()
        .collect();
    assert_eq!(listed, in_zip, "the manifest lists every file of the zip");
    assert!(listed.contains(launch));
    m
}

fn repo() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

#[test]
fn the_bundled_course_as_a_scorm_package() {
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("course.zip");
    let (code, stdout, err) = run(&["scorm", repo(), "-o", zip.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.starts_with("wrote the SCORM 1.2 package "),
        "{stdout}"
    );
    assert!(stdout.contains("opens in en"), "{stdout}");
    let files = entries(&zip);
    let m = check_manifest(&files);
    assert_eq!(
        m.only("organizations")
            .only("organization")
            .only("title")
            .text,
        "Information Security Training for Hospital Executives"
    );
    assert_eq!(
        m.attr("identifier"),
        "kyozai-hospital-security-executives-en"
    );

    // The package holds the site as `kyozai build` writes it, byte for byte, and the launch page.
    let site = out.path().join("site");
    let (code, _, err) = run(&["build", repo(), "-o", site.to_str().unwrap(), "-q"]);
    assert_eq!(code, 0, "{err}");
    let mut built = BTreeSet::new();
    for e in walkdir::WalkDir::new(&site) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel.starts_with(".kyozai") {
            continue;
        }
        assert_eq!(
            files.get(&rel).map(Vec::as_slice),
            Some(std::fs::read(e.path()).unwrap().as_slice()),
            "{rel} as the build writes it"
        );
        built.insert(rel);
    }
    let extra: Vec<&String> = files.keys().filter(|k| !built.contains(*k)).collect();
    assert_eq!(extra, ["imsmanifest.xml", "scorm.html"]);

    // The launch page: the package language's home page in the frame, the API script, no inline
    // script or style, the strict CSP.
    let launch = String::from_utf8(files["scorm.html"].clone()).unwrap();
    assert!(launch.contains("<html lang=\"en\""), "{launch}");
    assert!(launch.contains("data-home=\"en/index.html\""));
    assert!(launch.contains("data-name-order=\"{given} {family}\""));
    for src in [
        "en/progress/data.js",
        "en/progress/pages.js",
        "static/progress.js",
        "static/scorm.js",
        "static/sha256.js",
    ] {
        assert!(
            launch.contains(&format!("<script src=\"{src}\"></script>")),
            "{src}"
        );
        assert!(files.contains_key(src), "{src} is in the package");
    }
    assert!(files.contains_key("static/scorm.css"));
    assert_eq!(
        launch.matches("<script").count(),
        5,
        "scripts are files only"
    );
    assert!(!launch.contains("<style") && !launch.contains(" style="));
    let handler = launch.match_indices(" on").any(|(i, _)| {
        let rest = &launch[i + 3..];
        let word = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_lowercase())
                .len();
        word > 0 && rest[word..].starts_with('=')
    });
    assert!(!handler, "no inline event handler");
    assert!(launch.contains("content=\"default-src 'self';"));
    assert!(launch.contains("<noscript><p class=\"scorm-nojs\">"));
}

#[test]
fn the_package_language_and_default_name() {
    let dir = base_with(&[("kyozai.toml", "id = \"test-course\"\nsource_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"テスト講座 <&>\"\nen = \"Test course\"\n")]);
    let (code, stdout, err) = run(&["scorm", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let zip = dir.path().join("test-course-scorm-ja.zip");
    assert!(stdout.contains(&zip.display().to_string()), "{stdout}");
    let files = entries(&zip);
    let m = check_manifest(&files);
    // The source language by default; the title escaped, read back as written.
    assert_eq!(
        m.only("organizations")
            .only("organization")
            .only("title")
            .text,
        "テスト講座 <&>"
    );
    let launch = String::from_utf8_lossy(&files["scorm.html"]).into_owned();
    assert!(launch.contains("data-home=\"ja/index.html\""));
    // The learner's name in the order of the package language (name_order of i18n/ja.toml).
    assert!(
        launch.contains("data-name-order=\"{family} {given}\""),
        "{launch}"
    );
    // The same course gives the same bytes.
    let first = std::fs::read(&zip).unwrap();
    let (code, _, err) = run(&["scorm", dir.path().to_str().unwrap(), "-q"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(&zip).unwrap(),
        first,
        "the package is reproducible"
    );
}

#[test]
fn file_names_outside_ascii_are_percent_encoded_in_the_manifest() {
    let dir = base_with(&[
        ("content/01-intro/figures/図 1.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>\n"),
        ("content/01-intro/01-first.en.md", "+++\ntitle = \"First section\"\n+++\n## Examples\n\n![A square](figures/図%201.svg)\n\nBody. [Next](02-second.md#details)\n"),
    ]);
    let zip = dir.path().join("out.zip");
    let (code, _, err) = run(&[
        "scorm",
        dir.path().to_str().unwrap(),
        "-o",
        zip.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let files = entries(&zip);
    let media: Vec<&String> = files.keys().filter(|k| k.starts_with("media/")).collect();
    assert!(media.iter().any(|k| k.contains("図 1.svg")), "{media:?}");
    check_manifest(&files);
    let xml = String::from_utf8_lossy(&files["imsmanifest.xml"]).into_owned();
    assert!(xml.contains("%E5%9B%B3%201.svg"), "{xml}");
}

#[test]
fn failures_leave_the_last_good_package_as_it_was() {
    let dir = base_with(&[]);
    let root = dir.path().to_str().unwrap();
    let zip = dir.path().join("course.zip");
    let z = zip.to_str().unwrap();
    let (code, _, err) = run(&["scorm", root, "-o", z, "-q"]);
    assert_eq!(code, 0, "{err}");
    let good = std::fs::read(&zip).unwrap();
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp"))
            .collect()
    };

    // An unknown language: a usage error, exit 2.
    let (code, _, err) = run(&["scorm", root, "-o", z, "--lang", "fr"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "error: --lang fr: the course is written in ja and en; use one of them (e.g. --lang ja)\n"
    );
    assert_eq!(std::fs::read(&zip).unwrap(), good);

    // A folder as the output: exit 2.
    let (code, _, err) = run(&[
        "scorm",
        root,
        "-o",
        dir.path().join("content").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("it is a folder; name the zip file to write"),
        "{err}"
    );

    // A broken page: the build's error (file:line), exit 1, the package untouched.
    write_files(
        dir.path(),
        &[(
            "content/01-intro/02-second.en.md",
            "+++\ntitle = \"Second\"\nnope = 1\n+++\nBody.\n",
        )],
    );
    let (code, _, err) = run(&["scorm", root, "-o", z]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("02-second.en.md:3"), "{err}");
    assert_eq!(
        std::fs::read(&zip).unwrap(),
        good,
        "the last good package is kept"
    );
    assert_eq!(
        leftovers(),
        Vec::<String>::new(),
        "no temporary file is left"
    );

    // The temporary file of a run that was killed (its process gone) goes with the next run.
    let stale = dir.path().join(".course.zip.kyozai-999999999.tmp");
    std::fs::write(&stale, b"half a zip").unwrap();
    write_files(
        dir.path(),
        &[(
            "content/01-intro/02-second.en.md",
            "+++\ntitle = \"Second\"\n+++\n## Details\n\nBody, edited.\n",
        )],
    );
    let (code, _, err) = run(&["scorm", root, "-o", z, "-q"]);
    assert_eq!(code, 0, "{err}");
    assert!(!stale.exists(), "the stale temporary file is removed");
    assert_ne!(
        std::fs::read(&zip).unwrap(),
        good,
        "the new package replaced the old one"
    );
    check_manifest(&entries(&zip));
}
