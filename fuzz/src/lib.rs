//! The bodies of kyozai's fuzz targets, shared by the `fuzz_targets/` binaries (run with
//! `cargo +nightly fuzz run TARGET`). Each takes arbitrary bytes and must never panic, loop
//! forever or exhaust memory, whatever the bytes are.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kyozai::load::data::DataKind;
use kyozai::site::Site;

/// Bytes as text the way kyozai reads files: UTF-8 with BOM dropped and line endings
/// normalized. Returns None for bytes kyozai refuses (that refusal is tested elsewhere).
fn text(data: &[u8]) -> Option<String> {
    kyozai::text::decode(Path::new("f.ja.md"), data).ok()
}

/// Front matter: `load::frontmatter::split`, and the `source_hash` edit of
/// `kyozai translated`, which must read back with the new hash whenever it claims success on
/// front matter that parsed before.
pub fn frontmatter(data: &[u8]) {
    let rel = Path::new("content/a.en.md");
    if let Some(t) = text(data) {
        let before = kyozai::load::frontmatter::split(rel, &t);
        if let Ok(edited) = kyozai::check::tracking::set_source_hash(&t, "0123456789abcdef") {
            if let (Ok(before), Ok(after_text)) =
                (before, kyozai::text::decode(rel, edited.as_bytes()))
            {
                // A front matter that parsed must still parse after the edit, or the edit is
                // refused by `kyozai translated` (which re-reads it); it must never panic.
                let _ = kyozai::load::frontmatter::split(rel, &after_text)
                    .map(|s| (s.front, before.front));
            }
        }
    }
    // Raw bytes too: the editor works on undecoded text (CR line endings, BOM).
    if let Ok(raw) = std::str::from_utf8(data) {
        let _ = kyozai::check::tracking::set_source_hash(raw, "0123456789abcdef");
    }
}

/// Markdown and directives: `markdown::parse::parse` on the whole text, and on the body after
/// the front matter the way `load` calls it; then everything the checks walk.
pub fn markdown(data: &[u8]) {
    let rel = Path::new("content/01-x/02-y.ja.md");
    let Some(t) = text(data) else { return };
    let docs = [
        kyozai::markdown::parse::parse(rel, &t, 0, &t).ok(),
        kyozai::load::frontmatter::split(rel, &t)
            .ok()
            .and_then(|s| kyozai::markdown::parse::parse(rel, &t, s.body_offset, s.body).ok()),
    ];
    for doc in docs.into_iter().flatten() {
        let _ = doc.directives();
        for l in doc.all_links() {
            let _ = kyozai::site::links::is_external(&l.dest);
        }
    }
}

/// Data files: `load::data::parse` for every kind and format, chosen by the first byte; then the
/// source-text listing `kyozai translated` and `check` make of it.
pub fn data(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let kinds = DataKind::ALL;
    let (name, kind) = kinds[(sel as usize) % kinds.len()];
    let exts = ["toml", "yaml", "yml", "csv"];
    let ext = exts[(sel as usize / kinds.len()) % exts.len()];
    let path = PathBuf::from(format!("content/data/f.{name}.{ext}"));
    let Ok(t) = kyozai::text::decode(&path, rest) else {
        return;
    };
    if let Ok(f) = kyozai::load::data::parse(&path, t, kind, ext) {
        let langs = ["ja".to_string(), "en".to_string()];
        let _ = kyozai::check::tracking::data_source_text(&f.contents, "ja", &langs);
        let _ = f.locate(kyozai::error::Kind::InvalidSource, Some("id"), "x", "probe");
    }
}

const SITE: &[(&str, &str)] = &[
    (
        "content/_index.ja.md",
        "+++\ntitle = \"ホーム\"\n+++\n## 見出し\n\n[章](01-ch/_index.md)\n",
    ),
    (
        "content/_index.en.md",
        "+++\ntitle = \"Home\"\n+++\n## Heading\n",
    ),
    (
        "content/01-ch/_index.ja.md",
        "+++\ntitle = \"章\"\n+++\n## 明示の例\n",
    ),
    (
        "content/01-ch/01-sec.ja.md",
        "+++\ntitle = \"節\"\n+++\n## 詳細\n\n## 詳細\n",
    ),
    (
        "content/01-ch/01-sec.en.md",
        "+++\ntitle = \"Section\"\n+++\n## Details\n",
    ),
];

/// A small fixed site, built once.
fn site() -> &'static Site {
    static SITE_CELL: OnceLock<Site> = OnceLock::new();
    SITE_CELL.get_or_init(|| {
        let config = kyozai::config::Config::parse(
            "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"講座\"\n",
        )
        .expect("config");
        let pages = SITE
            .iter()
            .map(|(rel, text)| {
                let rel = PathBuf::from(rel);
                let inner = rel.strip_prefix("content").unwrap().to_path_buf();
                let name = inner.file_name().unwrap().to_string_lossy().into_owned();
                let parts: Vec<&str> = name.split('.').collect();
                let split = kyozai::load::frontmatter::split(&rel, text).expect("front matter");
                let doc = kyozai::markdown::parse::parse(&rel, text, split.body_offset, split.body)
                    .expect("markdown");
                kyozai::load::MdFile {
                    dir: inner.parent().unwrap().to_path_buf(),
                    stem: parts[0].to_string(),
                    lang: parts[1].to_string(),
                    text: (*text).into(),
                    front: split.front,
                    body_offset: split.body_offset,
                    doc,
                    rel,
                }
            })
            .collect();
        let assets = vec![kyozai::load::Asset {
            rel: PathBuf::from("01-ch/figures/a b.svg"),
            abs: PathBuf::from("/nonexistent/a b.svg"),
        }];
        let loaded = kyozai::load::Loaded {
            root: PathBuf::from("/nonexistent"),
            config,
            pages,
            data: vec![],
            assets,
            directives: vec![],
        };
        Site::new(loaded, false).expect("the fixed site is valid")
    })
}

/// Link rewriting: `site::links::is_external`, `normalize` and `resolve` over the fixed site,
/// from every page and language.
pub fn links(data: &[u8]) {
    let Ok(dest) = std::str::from_utf8(data) else {
        return;
    };
    let _ = kyozai::site::links::is_external(dest);
    let _ = kyozai::site::links::normalize(Path::new(dest));
    let _ = kyozai::site::links::normalize(&Path::new("01-ch").join(dest));
    let site = site();
    for page in 0..site.pages.len() {
        for lang in ["ja", "en"] {
            if let Ok(kyozai::site::links::Target::Page { page: p, .. }) =
                kyozai::site::links::resolve(site, page, lang, dest)
            {
                assert!(p < site.pages.len());
            }
        }
    }
}

/// The text helpers of `kyozai check`: the HTML scanner, entity and percent decoding, the line
/// diff (two texts split at the first NUL), and heading slugs.
pub fn check_text(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    for t in kyozai::check::html::tags(&s) {
        assert!(t.offset < s.len());
        for a in &t.attrs {
            assert!(a.offset < s.len());
        }
    }
    let _ = kyozai::check::html::decode_entities(&s);
    let _ = kyozai::percent::decode(&s);
    let _ = kyozai::text::github_slug(&s);
    let (a, b) = s.split_once('\0').unwrap_or((&s, ""));
    let d = kyozai::check::diff::unified(a, b, 2);
    if a == b {
        assert!(d.is_empty());
    }
    let lines = kyozai::check::diff::diff(a, b);
    let old: Vec<&str> = lines
        .iter()
        .filter_map(|l| match l {
            kyozai::check::diff::Line::Same(t) | kyozai::check::diff::Line::Removed(t) => Some(*t),
            _ => None,
        })
        .collect();
    assert_eq!(
        old,
        a.lines().collect::<Vec<_>>(),
        "the diff must keep every old line in order"
    );
    let new: Vec<&str> = lines
        .iter()
        .filter_map(|l| match l {
            kyozai::check::diff::Line::Same(t) | kyozai::check::diff::Line::Added(t) => Some(*t),
            _ => None,
        })
        .collect();
    assert_eq!(
        new,
        b.lines().collect::<Vec<_>>(),
        "the diff must keep every new line in order"
    );
}
