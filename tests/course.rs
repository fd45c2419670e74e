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
    "awareness/knowledge-check/index.html",
    "survey/index.html",
    "survey/staff-rules/index.html",
    "survey/systems/index.html",
    "survey/hospital-incidents/index.html",
    "survey/information-sources/index.html",
    "survey/safety-management/index.html",
    "survey/security-measures/index.html",
    "survey/knowledge-check/index.html",
    "budget/index.html",
    "budget/executive-actions/index.html",
    "budget/checklist-matrix/index.html",
    "budget/checklist-items/index.html",
    "budget/incident-response/index.html",
    "budget/knowledge-check/index.html",
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
        16,
        "the fourteen incidents of the source material and two later Japanese hospital cases"
    );
    let cited = [
        (
            "awareness/vendors",
            &[
                "s-hospital",
                "my-health-record",
                "osaka-general-medical-center",
            ][..],
        ),
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
            &[
                "d-university-ransomware",
                "e-university-malware",
                "handa-hospital",
            ],
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

fn ja(t: &kyozai::text::Localized) -> &str {
    t.get("ja").unwrap_or_default()
}

#[test]
fn case_data_claims_only_what_its_sources_support() {
    let (built, files) = built();
    let data = &built.site.data;
    let category = |id: &str| data.case(id).unwrap().value.category.clone();
    // Advocate Medical Group was a burglary, and the course says that it corrects its source.
    assert_eq!(category("advocate-medical-group"), "theft");
    assert!(data.categories.iter().any(|c| c.id == "theft"));
    let advocate = &data.case("advocate-medical-group").unwrap().value;
    assert!(!advocate.sources.is_empty(), "the burglary is cited");
    assert!(!ja(&advocate.summary).contains("外部からの攻撃"));
    for lang in ["ja", "en"] {
        let page = &files[&format!("{lang}/awareness/attacks-abroad-1/index.html")];
        let note = if lang == "ja" {
            "元資料の訂正"
        } else {
            "A correction to the source material"
        };
        assert!(page.contains(note), "{lang}: the correction is said openly");
    }
    // The generic WannaCry/Emotet factors are not recorded as the causes of incidents whose
    // source gives none; the pages show them as what such attacks exploit.
    let generic = [
        "更新プログラムの適用",
        "分離の未実施",
        "教育訓練の未実施",
        "担当者の未設置",
    ];
    for c in &data.cases {
        for cause in &c.value.causes {
            for g in generic {
                assert!(
                    !ja(&cause.text).contains(g),
                    "{}: a generic factor recorded as a cause: {}",
                    c.value.id,
                    ja(&cause.text)
                );
            }
        }
    }
    for id in [
        "d-university-ransomware",
        "e-university-malware",
        "b-hospital-emotet",
    ] {
        let c = &data.case(id).unwrap().value;
        assert!(c.causes.is_empty(), "{id}: the source gives no causes");
        assert!(
            ja(c.impact.as_ref().unwrap()).contains("原因を示しておらず"),
            "{id}"
        );
    }
    assert!(files["ja/awareness/attacks-japan-1/index.html"].contains("このような攻撃が突く弱点"));
    assert!(files["en/awareness/attacks-japan-2/index.html"]
        .contains("the weaknesses such attacks exploit"));
    // Emotet is mass-mailed, not aimed at one organisation.
    let emotet = &data.case("b-hospital-emotet").unwrap().value;
    assert!(ja(&emotet.summary).contains("ばらまき型"));
    // The two later Japanese hospital ransomware cases, with dated sources and their entry points.
    for (id, cat, date, entry) in [
        ("handa-hospital", "ransomware", "2021-10", "VPN装置"),
        (
            "osaka-general-medical-center",
            "supply-chain",
            "2022-10",
            "給食",
        ),
    ] {
        let c = &data.case(id).unwrap().value;
        assert_eq!(c.category, cat, "{id}");
        assert_eq!(c.country, "JP", "{id}");
        assert_eq!(c.date.as_ref().map(|d| d.0.as_str()), Some(date), "{id}");
        assert!(
            ja(&c.summary).contains(entry),
            "{id}: how the attackers came in"
        );
        assert!(c.sources.len() >= 2, "{id}: sources");
        for s in &c.sources {
            assert!(
                s.url.as_deref().is_some_and(|u| u.starts_with("https://")),
                "{id}"
            );
            assert!(
                ja(&s.title).contains("2026年12月4日確認"),
                "{id}: the date checked"
            );
        }
        assert!(data.categories.iter().any(|k| k.id == cat), "{cat}");
    }
    // Approximate figures stay approximate: no exact record count for "about 13,000".
    for id in [
        "a-medical-school-usb",
        "b-city-hospital-usb",
        "community-health-systems",
    ] {
        assert_eq!(data.case(id).unwrap().value.records, None, "{id}");
    }
    // NHS England is not a hospital operator: the trusts in England are.
    let nhs = &data.case("nhs-wannacry").unwrap().value;
    assert!(ja(&nhs.organisation).contains("NHSトラスト"));
}

#[test]
fn sources_and_currency_notice_on_the_home_page_and_2_4() {
    let (built, files) = built();
    let notice = &built.site.data.lists["sources-currency"].value;
    let all: String = notice
        .items
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                ja(&i.text),
                i.detail.as_ref().map(ja).unwrap_or("")
            )
        })
        .collect();
    for edition in [
        "2020年版",
        "2026年版",
        "第5版",
        "第6.0版",
        "経営管理編",
        "Ver2.0",
        "Ver3.0",
        "令和7年度版",
        "国家サイバー統括室",
    ] {
        assert!(all.contains(edition), "the notice names {edition}");
    }
    for page in ["index.html", "survey/information-sources/index.html"] {
        for (lang, checked, current) in [
            ("ja", "2026年12月4日", "第6.0版"),
            ("en", "4 December 2026", "edition 6.0"),
        ] {
            let html = &files[&format!("{lang}/{page}")];
            assert!(html.contains(current), "{lang}/{page}: the current edition");
            assert!(
                html.contains(checked),
                "{lang}/{page}: the date last checked"
            );
            assert!(
                html.contains("https://www.mhlw.go.jp/stf/shingi/0000516275_00006.html"),
                "{lang}/{page}: cited"
            );
        }
    }
    // The source's separate check sheet is replaced by MHLW's checklist.
    for (lang, name) in [
        (
            "ja",
            "医療機関におけるサイバーセキュリティ対策チェックリスト",
        ),
        ("en", "Cybersecurity Checklist for Medical Institutions"),
    ] {
        assert!(files[&format!("{lang}/index.html")].contains(name));
        assert!(
            files[&format!("{lang}/budget/checklist-items/index.html")].contains(name),
            "{lang}: 3-3"
        );
    }
    assert!(!files["ja/budget/checklist-items/index.html"]
        .contains("別紙「セキュリティチェックシート」を活用"));
    // NISC's reorganisation, in the guideline table and the glossary.
    let guidelines = &built.site.data.lists["guidelines"].value;
    assert!(guidelines.items.iter().any(|i| i
        .detail
        .as_ref()
        .is_some_and(|d| ja(d).contains("国家サイバー統括室"))));
    let nco = built
        .site
        .data
        .glossary
        .iter()
        .find(|t| t.value.id == "nco")
        .expect("a glossary entry for the NCO");
    assert_eq!(nco.value.langs["ja"].term, "国家サイバー統括室");
}

#[test]
fn contacts_and_law_are_current_and_dated() {
    let (built, files) = built();
    let report = &built.site.data.lists["report-to"].value;
    assert!(ja(report.title.as_ref().unwrap()).contains("2026年12月4日確認"));
    let names: Vec<&str> = report.items.iter().map(|i| ja(&i.text)).collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("特定医薬品開発支援・医療情報担当参事官室")),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.contains("研究開発振興課")),
        "the office that no longer takes reports"
    );
    for body in ["個人情報保護委員会", "警察", "IPA", "保守会社"] {
        assert!(
            names.iter().any(|n| n.contains(body)),
            "{body} in {names:?}"
        );
    }
    let ppc = report
        .items
        .iter()
        .find(|i| ja(&i.text) == "個人情報保護委員会")
        .unwrap();
    let ppc = ja(ppc.detail.as_ref().unwrap());
    for deadline in ["3〜5日", "30日", "60日", "要配慮個人情報", "03-6457-9849"] {
        assert!(ppc.contains(deadline), "PPC: {deadline}");
    }
    // No step of the response flow still names the old office.
    for (id, l) in &built.site.data.lists {
        for i in &l.value.items {
            assert!(
                !ja(&i.text).contains("研究開発振興課"),
                "{id}: {}",
                ja(&i.text)
            );
        }
    }
    for lang in ["ja", "en"] {
        let page = &files[&format!("{lang}/budget/incident-response/index.html")];
        let card = &files[&format!("{lang}/handouts/incident-card/index.html")];
        for html in [page, card] {
            assert!(
                html.contains("特定医薬品開発支援・医療情報担当参事官室"),
                "{lang}: the current office"
            );
        }
        let (checked, law, ordinance) = if lang == "ja" {
            ("2026年12月4日確認", "速報", "医療法施行規則第14条第2項")
        } else {
            (
                "checked 4 December 2026",
                "preliminary report",
                "Article 14(2) of the Ordinance",
            )
        };
        assert!(
            card.contains(checked),
            "{lang}: the card says when its contacts were checked"
        );
        assert!(
            page.contains(law) && page.contains(ordinance),
            "{lang}: the law since 2020"
        );
        assert!(
            page.contains("https://www.ppc.go.jp/personalinfo/pipldial/"),
            "{lang}: cited"
        );
    }
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
    // The four kinds of measures map to the domains of the matrix's own columns: ①②③ are the
    // organisational column, ⑦⑧⑨ the staff column (the extracted source has these swapped).
    let group = |id: &str| &c.data.groups.iter().find(|g| g.id == id).unwrap().domains;
    assert_eq!(group("organisational"), &vec![1, 2, 3, 7]);
    assert_eq!(group("human"), &vec![7, 8, 9]);
    assert_eq!(group("technical"), &vec![4, 5, 6]);
    // The list on 2-6 and the figure say the same as the checklist.
    let circled = |ds: &[u32]| -> String {
        ds.iter()
            .map(|d| char::from_u32(0x245F + d).unwrap())
            .collect()
    };
    let measures = &built.site.data.lists["four-measures"].value;
    let figure = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content/02-survey/figures/four-measures.ja.svg"),
    )
    .unwrap();
    let desc = &figure[figure.find("<desc").unwrap()..figure.find("</desc>").unwrap()];
    for g in &c.data.groups {
        let label = &g.label["ja"];
        let want = circled(&g.domains);
        let item = measures
            .items
            .iter()
            .find(|i| i.label.as_ref().map(ja) == Some(label.as_str()))
            .unwrap_or_else(|| panic!("{label} in the four-measures list"));
        assert!(
            ja(item.detail.as_ref().unwrap()).ends_with(&want),
            "{label}: list says {}",
            ja(item.detail.as_ref().unwrap())
        );
        let after = &desc[desc
            .find(label.as_str())
            .unwrap_or_else(|| panic!("{label} in the figure"))..];
        let said = &after[after.find("対応する領域は").unwrap() + "対応する領域は".len()..];
        assert!(
            said.starts_with(&want),
            "{label}: the figure says {}",
            &said[..said.find('。').unwrap()]
        );
    }
    // A question reads the right way on the 実施前/検討中/実施中 scale: "in place" must mean good.
    for item in &c.data.items {
        let q = ja(&item.question);
        assert!(
            !q.ends_with("していませんか。"),
            "{}: reads backwards: {q}",
            item.id
        );
    }
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
    for id in [
        "sensitive-personal-information",
        "governance",
        "compliance",
        "human-error",
        "mass-mailing",
        "mhlw-guidelines",
        "csmg",
        "mhlw-checklist",
        "nco",
    ] {
        assert!(
            built.site.data.glossary.iter().any(|t| t.value.id == id),
            "the glossary explains {id}"
        );
        assert!(
            files["ja/glossary/index.html"].contains(&format!("id=\"term-{id}\"")),
            "{id} on the glossary page"
        );
    }
    // The hospital-systems figure shows the segmented network the course teaches.
    for (lang, words) in [
        (
            "ja",
            [
                "診療系ネットワーク",
                "情報系ネットワーク",
                "ファイアウォール",
                "VPN装置",
            ],
        ),
        (
            "en",
            [
                "clinical network",
                "office network",
                "firewall",
                "remote-maintenance gateway",
            ],
        ),
    ] {
        let svg = built
            .output
            .files
            .iter()
            .find(|f| f.path == format!("media/02-survey/figures/hospital-systems.{lang}.svg"))
            .expect("the hospital-systems figure");
        let svg = String::from_utf8_lossy(&svg.bytes);
        let desc = &svg[svg.find("<desc").unwrap()..svg.find("</desc>").unwrap()];
        for w in words {
            assert!(
                desc.contains(w),
                "{lang}: the figure's description names the {w}"
            );
        }
    }
    let ja = &files["ja/awareness/attacks-japan-1/index.html"];
    assert!(
        ja.contains("#term-ransomware"),
        "the first use of ランサムウェア is marked"
    );
}
