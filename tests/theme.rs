//! The theme owns the markup: `kyozai theme eject` copies the built-in theme, which builds the
//! same site byte for byte (unchanged, and through the path of a course's own templates); a
//! course overrides a directive's template or adds a directive of its own.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{base_with, run, write_files};

/// The bundled course's pages and data, copied into a new folder (without its theme).
fn bundled_copy() -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(src.join("kyozai.toml"), dir.path().join("kyozai.toml")).expect("copy");
    for e in walkdir::WalkDir::new(src.join("content")) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(src).expect("inside");
        let to = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
    dir
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    kyozai::build::build(dir, &kyozai::build::Options::default())
        .expect("build")
        .output
        .files
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    for (path, bytes) in a {
        assert!(bytes == &b[path], "{what}: {path} differs");
    }
}

#[test]
fn an_ejected_theme_builds_the_same_site_byte_for_byte() {
    let course = bundled_copy();
    let before = files(course.path());
    let (code, out, err) = run(&["theme", "eject", course.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("themes/default"), "{out}");
    let theme = course.path().join("themes/default");
    for (rel, bytes) in kyozai::render::theme::default_files() {
        assert_eq!(
            &std::fs::read(theme.join(rel)).expect("ejected"),
            bytes,
            "{rel}"
        );
    }
    assert_same(&before, &files(course.path()), "ejected theme");

    // A template the course changed without changing what it prints goes through the path of a
    // course's own templates (no splicing of the bodies): still the same bytes.
    for name in [
        "base.html",
        "page.html",
        "home.html",
        "handout-base.html",
        "sidebar.html",
        "sitemap.xml",
        "handout-running.css",
    ] {
        let p = theme.join("templates").join(name);
        let mut text = std::fs::read_to_string(&p).expect("read");
        text.push_str("{# the course's own #}");
        std::fs::write(&p, text).expect("write");
    }
    assert_same(&before, &files(course.path()), "edited templates");
}

#[test]
fn eject_refuses_to_overwrite_without_force() {
    let course = base_with(&[("themes/default/static/style.css", "body { color: red }\n")]);
    let dir = course.path().to_str().unwrap();
    let (code, _, err) = run(&["theme", "eject", dir]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("themes/default/static/style.css already exists") && err.contains("--force"),
        "{err}"
    );
    assert!(
        !course.path().join("themes/default/templates").exists(),
        "nothing written"
    );
    let (code, _, err) = run(&["theme", "eject", "--force", dir]);
    assert_eq!(code, 0, "{err}");
    let css = std::fs::read(course.path().join("themes/default/static/style.css")).unwrap();
    let builtin = kyozai::render::theme::default_files()
        .iter()
        .find(|(p, _)| *p == "static/style.css")
        .unwrap()
        .1;
    assert_eq!(css, builtin);
}

#[test]
fn new_mentions_eject() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("course");
    let (code, out, err) = run(&["new", target.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kyozai theme eject"), "{out}");
}

#[test]
fn overriding_the_cases_template_changes_every_page_that_embeds_cases() {
    let course = bundled_copy();
    let before = files(course.path());
    write_files(
        course.path(),
        &[(
            "themes/default/templates/directives/cases.html",
            "<ol class=\"own-cases\">{% for case in cases %}<li data-case=\"{{ case.id }}\">{{ case.title | safe }} ({{ t.case_title }}, {{ options.ids | length }})</li>{% endfor %}</ol>\n",
        )],
    );
    let after = files(course.path());
    let embedding: Vec<&String> = before
        .iter()
        .filter(|(p, b)| {
            p.ends_with("index.html")
                && !p.contains("/handouts/")
                && !p.contains("/slides/")
                && String::from_utf8_lossy(b).contains("<table class=\"cases-table\">")
        })
        .map(|(p, _)| p)
        .collect();
    assert!(embedding.len() >= 10, "{embedding:?}");
    for p in &embedding {
        let html = String::from_utf8_lossy(&after[*p]);
        assert!(
            html.contains("<ol class=\"own-cases\"><li data-case=")
                && !html.contains("cases-table"),
            "{p}"
        );
    }
    // The template gets the page's UI strings and the directive's options.
    let ja = embedding.iter().find(|p| p.starts_with("ja/")).unwrap();
    let en = embedding.iter().find(|p| p.starts_with("en/")).unwrap();
    assert!(
        String::from_utf8_lossy(&after[*ja]).contains(" (事例, "),
        "{ja}"
    );
    assert!(
        String::from_utf8_lossy(&after[*en]).contains(" (Case, "),
        "{en}"
    );
    // Pages without cases are unchanged.
    for (p, b) in &before {
        if p.ends_with(".html") && !String::from_utf8_lossy(b).contains("cases-table") {
            assert!(after[p] == *b, "{p} changed");
        }
    }
}

/// The paths of `a` whose bytes differ in `b` (both with the same files).
fn changed(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    a.iter()
        .filter(|(p, bytes)| b[*p] != **bytes)
        .map(|(p, _)| p.clone())
        .collect()
}

#[test]
fn overriding_the_sitemap_or_the_running_headers_changes_those_files_alone() {
    let course = bundled_copy();
    let before = files(course.path());
    write_files(
        course.path(),
        &[(
            "themes/default/templates/sitemap.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{% for p in pages %}{% for v in p.versions %}{% if v.lang == \"en\" %}<url><loc>https://example.org{{ base }}{{ v.url }}</loc></url>\n{% endif %}{% endfor %}{% endfor %}</urlset>\n",
        )],
    );
    let after = files(course.path());
    assert_eq!(changed(&before, &after), ["sitemap.xml"]);
    let xml = String::from_utf8_lossy(&after["sitemap.xml"]);
    let old = String::from_utf8_lossy(&before["sitemap.xml"]);
    // One entry per English page of the old sitemap, none of its alternates.
    let en = old.matches("<url><loc>/en/").count();
    assert!(en > 20, "{old}");
    assert_eq!(
        xml.matches("<url><loc>https://example.org/en/").count(),
        en,
        "{xml}"
    );
    assert!(
        !xml.contains("/ja/") && !xml.contains("xhtml:link"),
        "{xml}"
    );

    // The running headers of the handouts likewise: their two style sheets alone.
    write_files(
        course.path(),
        &[(
            "themes/default/templates/handout-running.css",
            "@page { @top-center { content: {{ site_title | css_string }}; } }\n{% for r in runs %}.{{ r.class }} { page: auto; }\n{% endfor %}",
        )],
    );
    let again = files(course.path());
    assert_eq!(
        changed(&after, &again),
        ["en/handouts/running.css", "ja/handouts/running.css"]
    );
    let css = String::from_utf8_lossy(&again["en/handouts/running.css"]);
    assert!(
        css.starts_with("@page { @top-center { content: \"Information Security Training for Hospital Executives\"; } }\n.kz-run-")
            && !css.contains("@top-right"),
        "{css}"
    );
}

#[test]
fn overriding_the_sidebar_changes_every_page_with_a_sidebar_and_marks_each_its_own_entry() {
    let course = bundled_copy();
    let before = files(course.path());
    let with_sidebar = |files: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
        files
            .iter()
            .filter(|(_, b)| String::from_utf8_lossy(b).contains("<aside class=\"sidebar\">"))
            .map(|(p, _)| p.clone())
            .collect()
    };
    let pages = with_sidebar(&before);
    assert!(pages.len() > 100, "{}", pages.len());
    // The current entry marked on its list item with a class and words of its own.
    write_files(
        course.path(),
        &[(
            "themes/default/templates/sidebar.html",
            "<ul class=\"own-toc\">{% for e in entries %}<li{% if e.current %} class=\"here\"{% endif %}><a href=\"{{ e.url }}\">{{ e.title }}</a>{% if e.current %} ({{ t.toc }}){% endif %}{% for s in e.sections %}<li{% if s.current %} class=\"here\"{% endif %}><a href=\"{{ s.url }}\">{{ s.title }}</a>{% if s.current %} ({{ t.toc }}){% endif %}</li>{% endfor %}</li>{% endfor %}{% for l in libraries %}<li{% if l.current %} class=\"here\"{% endif %}><a href=\"{{ l.url }}\">{{ l.title }}</a>{% if l.current %} ({{ t.toc }}){% endif %}</li>{% endfor %}</ul>",
        )],
    );
    let after = files(course.path());
    let mut expected = pages.clone();
    expected.sort();
    assert_eq!(changed(&before, &after), expected);
    let marked = |html: &str| -> Option<String> {
        let at = html.find("<li class=\"here\"><a href=\"")?;
        let rest = &html[at + "<li class=\"here\"><a href=\"".len()..];
        Some(rest[..rest.find('"')?].to_string())
    };
    for p in &pages {
        let html = String::from_utf8_lossy(&after[p]);
        let old = String::from_utf8_lossy(&before[p]);
        assert!(
            html.contains("<aside class=\"sidebar\"><ul class=\"own-toc\">"),
            "{p}"
        );
        assert!(!html.contains("toc-list"), "{p}");
        // The entry the built-in sidebar marked, and only it, is marked.
        let was = old.find(" aria-current=\"page\" href=\"").map(|at| {
            let rest = &old[at + " aria-current=\"page\" href=\"".len()..];
            rest[..rest.find('"').unwrap()].to_string()
        });
        assert_eq!(marked(&html), was, "{p}");
        assert!(html.matches("class=\"here\"").count() <= 1, "{p}");
        if was.is_some() {
            let toc = if p.starts_with("ja/") {
                "(目次)"
            } else {
                "(Contents)"
            };
            assert_eq!(html.matches(toc).count(), 1, "{p}");
        }
    }
    assert!(
        marked(&String::from_utf8_lossy(&after["en/glossary/index.html"]))
            .is_some_and(|u| u == "../../en/glossary/index.html")
    );

    // A sidebar whose current entry changes more than its own item (here a line naming it) is
    // rendered for each page: the same marks.
    write_files(
        course.path(),
        &[(
            "themes/default/templates/sidebar.html",
            "{% for e in entries %}{% if e.current %}<p class=\"you-are-here\">{{ e.title }}</p>{% endif %}{% for s in e.sections %}{% if s.current %}<p class=\"you-are-here\">{{ s.title }}</p>{% endif %}{% endfor %}{% endfor %}<ul class=\"own-toc\">{% for e in entries %}<li{% if e.current %} class=\"here\"{% endif %}><a href=\"{{ e.url }}\">{{ e.title }}</a>{% for s in e.sections %}<li{% if s.current %} class=\"here\"{% endif %}><a href=\"{{ s.url }}\">{{ s.title }}</a></li>{% endfor %}</li>{% endfor %}{% for l in libraries %}<li{% if l.current %} class=\"here\"{% endif %}><a href=\"{{ l.url }}\">{{ l.title }}</a></li>{% endfor %}</ul>",
        )],
    );
    let again = files(course.path());
    for p in &pages {
        let html = String::from_utf8_lossy(&again[p]);
        assert_eq!(
            marked(&html),
            marked(&String::from_utf8_lossy(&after[p])),
            "{p}"
        );
        assert!(html.matches("you-are-here").count() <= 1, "{p}");
    }
    let section = String::from_utf8_lossy(&again["en/budget/executive-actions/index.html"]);
    assert!(
        section.contains(
            "<aside class=\"sidebar\"><p class=\"you-are-here\">3-1 What executives must do</p>"
        ),
        "{section}"
    );
}

#[test]
fn a_course_adds_a_directive_of_its_own() {
    let course = base_with(&[
        (
            "themes/default/templates/directives/exercise.html",
            "<div class=\"exercise\" lang=\"{{ lang }}\"><p class=\"exercise-title\">{{ title | default(value=t.exercise) }}</p>\n{{ body | safe }}</div>\n",
        ),
        // The course's words are laid over the built-in ones.
        ("themes/default/i18n/en.toml", "exercise = \"Exercise\"\n"),
        (
            "content/01-intro/01-first.en.md",
            "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody. [Next](02-second.md#details)\n\n```{exercise} Try it <now>\nList **three** risks. See [the next section](02-second.md).\n```\n\n```{exercise}\nNo title.\n```\n",
        ),
    ]);
    let out = common::build_files(course.path());
    let html = &out["en/intro/first/index.html"];
    assert!(
        html.contains("<div class=\"exercise\" lang=\"en\"><p class=\"exercise-title\">Try it &lt;now&gt;</p>\n<p>List <strong>three</strong> risks. See <a href=\"../../../en/intro/second/index.html\">the next section</a>.</p>\n</div>\n"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"exercise-title\">Exercise</p>\n<p>No title.</p>\n</div>")
            && html.contains("<span class=\"dir\">Next</span>"),
        "{html}"
    );

    // A misspelt name lists the course's directive among the known ones.
    write_files(
        course.path(),
        &[(
            "content/01-intro/01-first.en.md",
            "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody. [Next](02-second.md#details)\n\n```{exercize}\nx\n```\n",
        )],
    );
    let d = common::build_error(course.path());
    assert_eq!(d.message, "unknown directive `{exercize}`");
    let help = d.help.unwrap_or_default();
    assert!(
        help.starts_with("did you mean `{exercise}`?") && help.ends_with(", quiz, exercise"),
        "{help}"
    );
}

#[test]
fn a_directive_template_that_fails_is_an_error_naming_it() {
    let course = base_with(&[
        (
            "themes/default/templates/directives/point.html",
            "<aside>{{ no_such_thing }}</aside>\n",
        ),
        (
            "content/01-intro/01-first.en.md",
            "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody. [Next](02-second.md#details)\n\n```{point}\nx\n```\n",
        ),
    ]);
    let d = common::build_error(course.path());
    assert!(
        d.path
            .ends_with("themes/default/templates/directives/point.html")
            && d.message.contains("directives/point.html"),
        "{d:?}"
    );
}
