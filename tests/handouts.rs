//! The printable handouts of the bundled course, built in memory: one per chapter, the handbook,
//! the checklist worksheets and the incident card, in both languages.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use kyozai::build::{build, Built, Options};
use kyozai::load::data::ListStyle;
use kyozai::markdown::inline::plain;
use kyozai::render::handouts;
use kyozai::site::links::numbered_title;
use kyozai::site::PageKind;

fn built() -> (Built, BTreeMap<String, String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let b = build(root, &Options::default()).expect("the bundled course builds");
    let files = b
        .output
        .files
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    (b, files)
}

/// The text of an HTML fragment: tags dropped, entities decoded, white space collapsed.
fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(String::from)
        .collect()
}

fn count(h: &str, pat: &str) -> usize {
    h.matches(pat).count()
}

#[test]
fn every_handout_exists_in_every_language_with_unique_ids() {
    let (b, files) = built();
    let list = handouts::list(&b.site);
    let names: Vec<&str> = list.iter().map(|h| h.name.as_str()).collect();
    assert!(
        names.contains(&"handbook")
            && names.contains(&"incident-card")
            && names.contains(&"checklist-self-assessment"),
        "{names:?}"
    );
    for lang in b.site.languages() {
        let index = &files[&format!("{lang}/handouts/index.html")];
        assert!(files.contains_key(&format!("{lang}/handouts/running.css")));
        for h in &list {
            let path = format!("{lang}/handouts/{}/index.html", h.name);
            let html = files.get(&path).unwrap_or_else(|| panic!("missing {path}"));
            assert!(
                index.contains(&format!("href=\"{}/index.html\"", h.name)),
                "the index links to {path}"
            );
            assert!(
                html.contains(&format!("<html lang=\"{lang}\"")),
                "{path}: lang"
            );
            assert!(
                html.contains("http-equiv=\"Content-Security-Policy\""),
                "{path}: CSP"
            );
            assert!(
                html.contains("hreflang=\"ja\"") && html.contains("hreflang=\"en\""),
                "{path}: alternates"
            );
            assert!(
                html.contains(&format!("{lang}/handouts/running.css")),
                "{path}: running headers"
            );
            assert!(
                !html.contains("<style") && !html.contains("style=\"") && !html.contains("<script"),
                "{path}: inline style or script"
            );
            let mut seen = HashSet::new();
            for id in ids(html) {
                assert!(seen.insert(id.clone()), "{path}: duplicate id `{id}`");
            }
            // Every in-page link leads to an id of the page.
            for target in html
                .split("href=\"#")
                .skip(1)
                .filter_map(|r| r.split('"').next())
            {
                assert!(
                    target.is_empty() || seen.contains(target) || target == "main",
                    "{path}: link to missing #{target}"
                );
            }
            // Without a PDF run, the PDF links stay off: no link to a PDF that does not exist.
            assert!(
                html.contains(&format!("data-pdf-href=\"../{}.pdf\"", h.name)),
                "{path}: PDF slot"
            );
            for href in html
                .split(" href=\"")
                .skip(1)
                .filter_map(|r| r.split('"').next())
            {
                assert!(
                    !href.ends_with(".pdf"),
                    "{path}: links to {href} before it exists"
                );
            }
        }
        assert!(
            !index.contains(" href=\"handbook.pdf\""),
            "the index links to a PDF that was not made"
        );
    }
}

#[test]
fn every_chapter_has_a_handout_with_its_sections_and_key_messages() {
    let (b, files) = built();
    let site = &b.site;
    let chapters: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].kind == PageKind::Chapter)
        .collect();
    assert!(chapters.len() >= 3);
    for lang in site.languages() {
        for &c in &chapters {
            let p = &site.pages[c];
            let path = format!("{lang}/handouts/{}/index.html", p.slug_path);
            let html = files
                .get(&path)
                .unwrap_or_else(|| panic!("no handout for chapter {}", p.slug_path));
            let t = text(html);
            let (v, _) = site.variant(p, lang);
            assert!(t.contains(&squash(&v.front.title)), "{path}: chapter title");
            assert!(html.contains("class=\"cover\""), "{path}: cover block");
            assert!(
                html.contains("class=\"notes\"") && count(html, "class=\"rule\"") >= 20,
                "{path}: ruled notes area"
            );
            for &s in &p.sections {
                let (sv, _) = site.variant(&site.pages[s], lang);
                assert!(
                    t.contains(&squash(&sv.front.title)),
                    "{path}: section {}",
                    sv.front.title
                );
                if let Some(sum) = &sv.front.summary {
                    assert!(
                        t.contains(&squash(sum)),
                        "{path}: summary of {}",
                        sv.front.title
                    );
                }
                for k in &sv.front.key_points {
                    assert!(t.contains(&squash(k)), "{path}: key point {k}");
                }
                let number = site.pages[s].number.as_deref().unwrap();
                assert!(
                    html.contains(&format!(
                        "<section class=\"part part-section\" id=\"s{number}\">"
                    )),
                    "{path}: section {number}"
                );
            }
            // Section headings move one level down, under the section's title.
            assert!(!html.contains("<h1 id=\"s"), "{path}");
        }
    }
    // The case-study tables come with the sections that cite them.
    let aw = &files["ja/handouts/awareness/index.html"];
    assert!(
        aw.contains("class=\"cases-table\""),
        "chapter 1 cites cases"
    );
    assert!(
        aw.contains("id=\"s1-5-case-"),
        "case rows get the section's prefix"
    );
}

#[test]
fn the_handbook_holds_every_chapter_and_the_glossary() {
    let (b, files) = built();
    let site = &b.site;
    for lang in site.languages() {
        let html = &files[&format!("{lang}/handouts/handbook/index.html")];
        let t = text(html);
        assert!(html.contains("class=\"hb-cover kz-cover\""), "cover page");
        assert!(
            html.contains("class=\"hb-toc kz-toc\""),
            "table of contents"
        );
        let mut last = 0;
        for (i, p) in site.pages.iter().enumerate() {
            if p.kind == PageKind::Home {
                continue;
            }
            let title = numbered_title(site, p, lang);
            let (v, _) = site.variant(p, lang);
            assert!(
                t.contains(&squash(&v.front.title)),
                "{lang} handbook: {title}"
            );
            let anchor = match (p.kind, p.number.as_deref()) {
                (PageKind::Chapter, Some(n)) => format!("ch{n}"),
                (PageKind::Section, Some(n)) => format!("s{n}"),
                _ => format!("p-{}", p.slug_path),
            };
            let at = html
                .find(&format!(" id=\"{anchor}\""))
                .unwrap_or_else(|| panic!("{lang} handbook: no part #{anchor} ({i})"));
            assert!(
                at > last,
                "{lang} handbook: #{anchor} is out of reading order"
            );
            last = at;
            assert!(
                html.contains(&format!("href=\"#{anchor}\"")),
                "{lang} handbook: the contents link to #{anchor}"
            );
            if p.kind == PageKind::Chapter {
                assert!(
                    html.contains(&format!(
                        "<section class=\"hb-part hb-chapter kz-run-{i}\" id=\"{anchor}\">"
                    )),
                    "{lang}: chapter {anchor} starts a part"
                );
            }
        }
        // The glossary, after the chapters, with every term.
        let g = html.find("id=\"glossary\"").expect("glossary");
        assert!(g > last);
        for term in &site.data.glossary {
            let tt = term
                .value
                .langs
                .get(lang)
                .or_else(|| term.value.langs.get(site.source_lang()))
                .unwrap();
            assert!(
                html.contains(&format!("id=\"term-{}\"", term.value.id)),
                "{lang}: term {}",
                term.value.id
            );
            assert!(
                t.contains(&squash(&tt.term)),
                "{lang}: term text {}",
                tt.term
            );
        }
        // Links between pages of the course become links inside the handbook.
        assert!(
            !html.contains(&format!("href=\"../../../{lang}/awareness/")),
            "{lang}: a link still leaves the handbook"
        );
        // The running headers name every chapter.
        let css = &files[&format!("{lang}/handouts/running.css")];
        for p in site.pages.iter().filter(|p| p.kind == PageKind::Chapter) {
            assert!(
                css.contains(&format!("\"{}\"", numbered_title(site, p, lang))),
                "{lang}: running header of {}",
                p.slug_path
            );
        }
    }
}

#[test]
fn worksheets_have_a_box_per_status_per_item_and_the_fields() {
    let (b, files) = built();
    for c in &b.site.data.checklists {
        let d = &c.data;
        for lang in b.site.languages() {
            let path = format!("{lang}/handouts/checklist-{}/index.html", d.id);
            let html = &files[&path];
            for field in ["hospital", "department", "name", "date"] {
                assert!(
                    html.contains(&format!("data-field=\"{field}\"")),
                    "{path}: field {field}"
                );
            }
            assert_eq!(
                count(html, "class=\"ws-item\""),
                d.items.len(),
                "{path}: one row per item"
            );
            for it in &d.items {
                let start = html
                    .find(&format!("data-item=\"{}\"", it.id))
                    .unwrap_or_else(|| panic!("{path}: item {}", it.id));
                let row = &html[start..start + html[start..].find("</tr>").unwrap()];
                for st in &d.statuses {
                    assert_eq!(
                        count(row, &format!("class=\"ws-box\" data-status=\"{}\"", st.id)),
                        1,
                        "{path}: item {} status {}",
                        it.id,
                        st.id
                    );
                }
                assert_eq!(count(row, "class=\"ws-box\""), d.statuses.len());
                assert!(
                    row.contains("class=\"ws-note\""),
                    "{path}: notes cell for {}",
                    it.id
                );
                assert!(
                    text(row).contains(&squash(&plain(it.question.or(lang, b.site.source_lang())))),
                    "{path}: question of {}",
                    it.id
                );
            }
            // A column heading per status, in this language.
            for st in &d.statuses {
                assert!(
                    html.contains(&format!(
                        "<th scope=\"col\" class=\"ws-status\">{}</th>",
                        st.text().or(lang, b.site.source_lang())
                    )),
                    "{path}: status heading {}",
                    st.id
                );
            }
            // The summary sheet: the subjects × controls matrix with a blank score per domain.
            let summary = &html[html.find("class=\"ws-summary\"").expect("summary sheet")..];
            assert_eq!(
                count(summary, "data-score=\"got\"") - d.groups.len(),
                d.subjects.len() * d.controls.len(),
                "{path}: a score cell per domain"
            );
        }
    }
}

#[test]
fn the_incident_card_has_the_flow_and_where_to_report() {
    let (b, files) = built();
    let site = &b.site;
    let (flow, reports) = handouts::card_lists(site);
    let flow = flow.expect("the course has a flow list");
    assert_eq!(flow.style, ListStyle::Flow);
    assert_eq!(
        flow.id, "response-flow",
        "the first flow list in data-file order"
    );
    assert!(reports.iter().any(|l| l.id == "report-to"));
    for lang in site.languages() {
        let html = &files[&format!("{lang}/handouts/incident-card/index.html")];
        let t = text(html);
        assert!(html.contains("class=\"card kz-card\""));
        let main: Vec<_> = flow.items.iter().filter(|i| !i.parallel).collect();
        assert_eq!(
            count(html, "class=\"card-step\""),
            main.len(),
            "{lang}: a step per item of the main line"
        );
        for it in &flow.items {
            assert!(
                t.contains(&squash(&plain(it.text.or(lang, site.source_lang())))),
                "{lang}: step {:?}",
                it.text
            );
        }
        for l in &reports {
            for it in &l.items {
                assert!(
                    t.contains(&squash(&plain(it.text.or(lang, site.source_lang())))),
                    "{lang}: report to {:?}",
                    it.text
                );
            }
        }
        assert!(
            count(html, "class=\"ws-blank\"") >= 6,
            "{lang}: blank contact fields"
        );
    }
}

#[test]
fn chapter_and_section_pages_link_to_their_chapter_handout() {
    let (b, files) = built();
    let site = &b.site;
    for lang in site.languages() {
        for p in &site.pages {
            let chapter = match p.kind {
                PageKind::Chapter => p,
                PageKind::Section => &site.pages[p.chapter.unwrap()],
                _ => continue,
            };
            let path = format!("{lang}/{}/index.html", p.slug_path);
            let depth = path.matches('/').count();
            let want = format!(
                "href=\"{}{lang}/handouts/{}/index.html\"",
                "../".repeat(depth),
                chapter.slug_path
            );
            assert!(
                files[&path].contains(&want),
                "{path} links to its handout ({want})"
            );
            assert!(
                files.contains_key(&format!("{lang}/handouts/{}/index.html", chapter.slug_path))
            );
        }
    }
}
