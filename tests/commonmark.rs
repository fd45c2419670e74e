//! kyozai renders standard CommonMark as pulldown-cmark does. Every example of the CommonMark
//! specification (`tests/commonmark/spec.json`, see the README there) is rendered by kyozai's
//! own pipeline (its parse, with heading ids, and its HTML pass, with links resolved and
//! figures made) and by pulldown-cmark's `push_html` with the same extensions, and the two must
//! be equal once kyozai's deliberate additions are taken out:
//!
//! * heading ids (`<h2 id="…">`),
//! * `class="external"` on links to other sites,
//! * links and images to the site's own files, which kyozai rewrites (their `href`/`src` is
//!   compared as a placeholder; links to other sites are compared exactly),
//! * an image alone in its paragraph, which becomes a `<figure>` (those examples are counted, and
//!   the figure is checked to hold the same image).

use std::collections::HashMap;
use std::path::PathBuf;

use kyozai::config::Config;
use kyozai::markdown::parse::{options, parse};
use kyozai::render::body::glossary::{Marker, Terms};
use kyozai::render::body::html::{render, Ctx};
use kyozai::render::theme::Strings;
use kyozai::site::{Data, Page, PageKind, Site, Variant, Variants};

#[derive(serde::Deserialize)]
struct Example {
    example: usize,
    markdown: String,
}

/// A course of one page whose body is `markdown`.
fn site_of(markdown: &str) -> Site {
    let config = Config::parse(
        "source_language = \"en\"\nlanguages = [\"en\"]\n[title]\nen = \"CommonMark\"\n",
    )
    .expect("config");
    let file = PathBuf::from("content/_index.en.md");
    let text: std::sync::Arc<str> = markdown.into();
    let doc = parse(&file, &text, 0, &text).expect("every example parses");
    let page = Page {
        kind: PageKind::Home,
        key: PathBuf::from("_index"),
        slug_path: String::new(),
        number: None,
        chapter: None,
        sections: vec![],
        variants: Variants::from_iter([(
            "en".to_string(),
            Variant {
                file,
                text,
                front: Default::default(),
                doc,
                body_offset: 0,
            },
        )]),
    };
    Site {
        root: PathBuf::from("."),
        config,
        pages: vec![page],
        data: Data::default(),
        assets: vec![],
        warnings: vec![],
        notes: vec![],
        drafts: false,
        keys: HashMap::from([(PathBuf::from("_index"), 0)]),
        course_id: "commonmark".into(),
        edition: String::new(),
        sources: Default::default(),
        completion: None,
        forms: Default::default(),
    }
}

fn kyozai_html(markdown: &str) -> String {
    let site = site_of(markdown);
    let strings = Strings::default();
    static THEME: std::sync::OnceLock<kyozai::render::theme::Theme> = std::sync::OnceLock::new();
    let theme = THEME.get_or_init(|| {
        kyozai::render::theme::Theme::load(std::path::Path::new("/nonexistent"), "default")
            .expect("the default theme")
    });
    let ctx = Ctx {
        site: &site,
        page: 0,
        lang: "en",
        root: "../",
        strings: &strings,
        theme,
    };
    let terms = Terms::new(&site, "en");
    let mut marker = Marker::new(&terms);
    render(&ctx, &site.pages[0].variants["en"].doc, &mut marker).html
}

fn pulldown_html(markdown: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(
        &mut out,
        pulldown_cmark::Parser::new_ext(markdown, options()),
    );
    out
}

/// Whether an attribute value (as written in HTML) leads to another site.
fn outside(v: &str) -> bool {
    v.starts_with("//")
        || v.split_once(':').is_some_and(|(s, _)| {
            s.len() > 1
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Takes kyozai's deliberate additions out of `html` (see the module's doc).
fn normalize(html: &str) -> String {
    let mut s = html.replace(" class=\"external\"", "");
    // Heading ids.
    for level in 1..=6 {
        let open = format!("<h{level} id=\"");
        while let Some(at) = s.find(&open) {
            let start = at + open.len();
            let Some(len) = s[start..].find('"') else {
                break;
            };
            let end = start + len;
            s.replace_range(at + 3..end + 1, "");
        }
    }
    // The site's own link targets.
    for attr in [" href=\"", " src=\""] {
        let mut from = 0;
        while let Some(at) = s[from..].find(attr) {
            let start = from + at + attr.len();
            let Some(len) = s[start..].find('"') else {
                break;
            };
            let end = start + len;
            if !outside(&s[start..end]) {
                s.replace_range(start..end, "(site)");
                from = start + "(site)".len();
            } else {
                from = end;
            }
        }
    }
    // `<img … />` and `<img …>` are the same element.
    s.replace(" />", ">")
}

#[test]
fn commonmark_examples_render_as_pulldown_cmark_renders_them() {
    let examples: Vec<Example> =
        serde_json::from_str(include_str!("commonmark/spec.json")).expect("spec.json parses");
    assert_eq!(examples.len(), 652, "CommonMark 0.31.2 has 652 examples");
    let mut differ = Vec::new();
    let mut figures = 0;
    for ex in &examples {
        let ours = normalize(&kyozai_html(&ex.markdown));
        let theirs = normalize(&pulldown_html(&ex.markdown));
        if ours == theirs {
            continue;
        }
        if ours.contains("<figure class=\"figure\">") {
            // An image alone in its paragraph: the same image, in a figure instead of a `<p>`.
            let img = |h: &str| {
                h.find("<img")
                    .map(|i| h[i..].split('>').next().unwrap_or("").to_string())
            };
            let a = img(&ours).map(|i| i.replace(" title=\"", " x=\""));
            let b = img(&theirs);
            if a.is_some()
                && b.as_deref()
                    .map(|b| b.split(" title=\"").next().unwrap_or(b).to_string())
                    == a.as_deref()
                        .map(|a| a.split(" x=\"").next().unwrap_or(a).to_string())
            {
                figures += 1;
                continue;
            }
        }
        differ.push(format!(
            "example {}:\n{}\nkyozai:\n{ours}\npulldown-cmark:\n{theirs}",
            ex.example, ex.markdown
        ));
    }
    assert!(
        differ.is_empty(),
        "{} of {} examples differ:\n\n{}",
        differ.len(),
        examples.len(),
        differ.join("\n---\n")
    );
    assert!(figures < 40, "{figures} examples became figures");
}

/// The example the percent-encoding rule comes from.
#[test]
fn outside_autolink_is_percent_encoded() {
    assert_eq!(
        kyozai_html("<https://example.com/\\[\\>\n"),
        "<p><a href=\"https://example.com/%5C%5B%5C\" class=\"external\">https://example.com/\\[\\</a></p>\n"
    );
}
