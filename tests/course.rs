//! The bundled course: every page of the curriculum in both languages, fully translated, with its
//! case studies, checklist, figures and glossary in place and nothing broken.

use std::collections::BTreeMap;
use std::path::Path;

fn built() -> (kyozai::build::Built, BTreeMap<String, String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = kyozai::build::build(root, &kyozai::build::Options::default())
        .expect("the bundled course builds");
    let files = built
        .output
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            (
                f.path.clone(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    (built, files)
}

const PAGES: &[&str] = &[
    "index.html",
    "opening/index.html",
    "awareness/index.html",
    "awareness/impact/index.html",
    "awareness/classes/index.html",
    "awareness/growth/index.html",
    "awareness/vendors/index.html",
    "awareness/removable-media/index.html",
    "awareness/insider/index.html",
    "awareness/attacks-japan-1/index.html",
    "awareness/attacks-japan-2/index.html",
    "awareness/attacks-abroad-1/index.html",
    "awareness/attacks-abroad-2/index.html",
    "awareness/targeted-attacks/index.html",
    "survey/index.html",
    "survey/staff-rules/index.html",
    "survey/systems/index.html",
    "survey/hospital-incidents/index.html",
    "survey/information-sources/index.html",
    "survey/safety-management/index.html",
    "survey/security-measures/index.html",
    "budget/index.html",
    "budget/executive-actions/index.html",
    "budget/checklist-matrix/index.html",
    "budget/checklist-items/index.html",
    "budget/incident-response/index.html",
    "closing/index.html",
];

#[test]
fn every_page_in_both_languages_fully_translated() {
    let (built, files) = built();
    for lang in ["ja", "en"] {
        for p in PAGES {
            let path = format!("{lang}/{p}");
            let html = files.get(&path).unwrap_or_else(|| panic!("missing {path}"));
            assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{path}");
            assert!(
                !html.contains("class=\"untranslated\""),
                "{path} shows the not-yet-translated notice"
            );
        }
    }
    let gaps: Vec<String> = built.site.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        gaps.is_empty(),
        "the bundled course has warnings:\n{}",
        gaps.join("\n")
    );
    // Chapters and sections are numbered as in the curriculum.
    assert!(files["ja/awareness/targeted-attacks/index.html"]
        .contains("<span class=\"number\">1-11</span>"));
    assert!(files["en/budget/incident-response/index.html"]
        .contains("<span class=\"number\">3-4</span>"));
    assert!(files["ja/survey/index.html"].contains("第2章"));
    for p in &built.site.pages {
        if p.kind != kyozai::site::PageKind::Home {
            for v in p.variants.values() {
                assert!(
                    v.front.summary.is_some(),
                    "{} has no summary",
                    v.file.display()
                );
                if p.kind == kyozai::site::PageKind::Section {
                    assert!(
                        !v.front.key_points.is_empty(),
                        "{} has no key points",
                        v.file.display()
                    );
                }
            }
        }
    }
}

#[test]
fn cases_are_cited_where_the_source_discusses_them() {
    let (built, files) = built();
    assert_eq!(
        built.site.data.cases.len(),
        14,
        "the fourteen incidents of the source material"
    );
    let cited = [
        ("awareness/vendors", &["s-hospital", "my-health-record"][..]),
        (
            "awareness/removable-media",
            &[
                "a-medical-school-usb",
                "b-city-hospital-usb",
                "c-medical-university-usb",
            ],
        ),
        ("awareness/insider", &["j-memorial-hospital"]),
        (
            "awareness/attacks-japan-1",
            &["d-university-ransomware", "e-university-malware"],
        ),
        ("awareness/attacks-japan-2", &["b-hospital-emotet"]),
        (
            "awareness/attacks-abroad-1",
            &[
                "anthem",
                "community-health-systems",
                "advocate-medical-group",
                "nhs-wannacry",
                "royal-melbourne",
            ],
        ),
    ];
    for lang in ["ja", "en"] {
        for (page, ids) in cited {
            let html = &files[&format!("{lang}/{page}/index.html")];
            for id in ids {
                assert!(
                    html.contains(&format!("<tr id=\"case-{id}\">")),
                    "{lang}/{page} does not cite {id}"
                );
                assert!(
                    files.contains_key(&format!("{lang}/cases/{id}/index.html")),
                    "no page for {id}"
                );
            }
        }
        for c in &built.site.data.cases {
            let page = &files[&format!("{lang}/cases/{}/index.html", c.value.id)];
            assert!(page.contains("class=\"case-facts\""), "{}", c.value.id);
        }
    }
    // Corrections noted for the source: Advocate Medical Group is American.
    let advocate = built.site.data.case("advocate-medical-group").unwrap();
    assert_eq!(advocate.value.country, "US");
    assert!(files["en/cases/a-medical-school-usb/index.html"].contains("13,000"));
    assert!(files["ja/cases/a-medical-school-usb/index.html"].contains("1万3千"));
}

#[test]
fn checklist_matrix_and_flow_are_embedded() {
    let (built, files) = built();
    let c = built
        .site
        .data
        .checklist("self-assessment")
        .expect("the self-assessment checklist");
    assert_eq!(c.data.items.len(), 12, "twelve detailed items");
    assert_eq!(c.domain_count(), 9);
    assert_eq!(c.data.groups.len(), 4, "four kinds of measures");
    for lang in ["ja", "en"] {
        let items = &files[&format!("{lang}/budget/checklist-items/index.html")];
        assert_eq!(
            items.matches("<div class=\"item\" data-item=").count(),
            12,
            "{lang}: the checklist form"
        );
        let matrix = &files[&format!("{lang}/budget/checklist-matrix/index.html")];
        assert!(
            matrix.contains("<table class=\"matrix\""),
            "{lang}: the 3×3 matrix"
        );
        assert!(
            matrix.contains("class=\"groups-table\""),
            "{lang}: the four kinds of measures"
        );
        let response = &files[&format!("{lang}/budget/incident-response/index.html")];
        assert!(
            response.contains("<figure class=\"figure flow\"><svg"),
            "{lang}: the response flow is drawn"
        );
        assert!(files.contains_key(&format!("{lang}/checklists/self-assessment/index.html")));
    }
}

#[test]
fn figures_have_text_alternatives_and_glossary_terms_resolve() {
    let (built, files) = built();
    for (path, html) in &files {
        for img in html.split("<img ").skip(1) {
            let tag = &img[..img.find('>').unwrap_or(img.len())];
            let alt = tag
                .split("alt=\"")
                .nth(1)
                .map(|a| &a[..a.find('"').unwrap_or(0)])
                .unwrap_or("");
            assert!(
                !alt.trim().is_empty(),
                "{path}: an image without alternative text: {tag}"
            );
        }
        for svg in html.split("<svg ").skip(1) {
            let tag = &svg[..svg.find('>').unwrap_or(svg.len())];
            assert!(
                tag.contains("role=\"img\"") || tag.contains("aria-hidden"),
                "{path}: an inline svg without a role: {tag}"
            );
        }
        // Every marked term points at an entry of the glossary.
        for part in html.split("glossary/index.html#term-").skip(1) {
            let id = &part[..part.find('"').unwrap_or(0)];
            assert!(
                built.site.data.glossary.iter().any(|t| t.value.id == id),
                "{path}: term {id} is not defined"
            );
        }
    }
    for figure in ["fraud-triangle", "attack-stages"] {
        for lang in ["ja", "en"] {
            assert!(
                built
                    .output
                    .files
                    .iter()
                    .any(|f| f.path == format!("media/01-awareness/figures/{figure}.{lang}.svg")),
                "{figure}.{lang}.svg"
            );
        }
    }
    assert!(
        built.site.data.glossary.len() >= 40,
        "a glossary of the terms a learner meets"
    );
    let ja = &files["ja/awareness/attacks-japan-1/index.html"];
    assert!(
        ja.contains("#term-ransomware"),
        "the first use of ランサムウェア is marked"
    );
}
