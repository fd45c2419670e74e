//! One validator per kind of data file: categories, case studies, checklists, lists, glossary
//! terms (quizzes have their own module, [`crate::site::quiz`]), each adding what it accepts to
//! [`Data`], and the checks across files (term texts unique, case categories defined).

use std::collections::HashMap;

use super::checks::{valid_id, Checker};
use super::{countries, Checklist, Data, Sourced};
use crate::error::{did_you_mean, suggest};
use crate::kind::Kind;
use crate::load::data::{CaseData, ChecklistData, DataFile, Labelled, ListData, TermData};

/// Categories of case studies.
pub(super) fn categories(c: &mut Checker, f: &DataFile, cats: &[Labelled], d: &mut Data) {
    for cat in cats {
        if !c.duplicate("category", &cat.id, f) {
            c.text(f, &cat.id, "label", &cat.text(), true);
            d.categories.push(cat.clone());
        }
    }
}

/// Case studies (their categories are checked once every file is read: [`case_categories`]).
pub(super) fn cases(c: &mut Checker, f: &DataFile, cases: &[CaseData], d: &mut Data) {
    for case in cases {
        if c.duplicate("case", &case.id, f) {
            continue;
        }
        for (field, t, req) in [
            ("title", &case.title, true),
            ("organisation", &case.organisation, true),
            ("summary", &case.summary, true),
        ] {
            c.text(f, &case.id, field, t, req);
        }
        if let Some(i) = &case.impact {
            c.text(f, &case.id, "impact", i, false);
        }
        for cause in &case.causes {
            c.text(f, &case.id, "causes", &cause.text, true);
        }
        for l in &case.lessons {
            c.text(f, &case.id, "lessons", l, true);
        }
        if !countries::is_known(&case.country) {
            let help = match suggest(&case.country.to_ascii_uppercase(), countries::codes()) {
                Some(s) => format!("use an ISO 3166-1 alpha-2 code, e.g. `{s}`"),
                None => "use an ISO 3166-1 alpha-2 code such as JP, US, GB or AU".into(),
            };
            c.diags.push(
                f.locate(
                    Kind::UnknownId,
                    Some(&case.id),
                    &case.country,
                    format!("unknown country `{}` in case `{}`", case.country, case.id),
                )
                .help(help),
            );
        }
        d.cases.push(Sourced {
            value: case.clone(),
            file: f.path.clone(),
        });
    }
}

/// Lists (and flows).
pub(super) fn lists(c: &mut Checker, f: &DataFile, lists: &[ListData], d: &mut Data) {
    for l in lists {
        if c.duplicate("list", &l.id, f) {
            continue;
        }
        if let Some(t) = &l.title {
            c.text(f, &l.id, "title", t, false);
        }
        for it in &l.items {
            c.text(f, &l.id, "text", &it.text, true);
            for (n, t) in [("detail", &it.detail), ("label", &it.label), ("by", &it.by)] {
                if let Some(t) = t {
                    c.text(f, &l.id, n, t, false);
                }
            }
        }
        d.lists.insert(
            l.id.clone(),
            Sourced {
                value: l.clone(),
                file: f.path.clone(),
            },
        );
    }
}

/// Glossary terms: one table per language, the source language's required.
pub(super) fn glossary(c: &mut Checker, f: &DataFile, terms: &[TermData], d: &mut Data) {
    let (langs, src) = (c.langs, c.src);
    for t in terms {
        if c.duplicate("glossary term", &t.id, f) {
            continue;
        }
        for l in t.langs.keys() {
            if !langs.contains(l) {
                c.diags.push(
                    f.locate(
                        Kind::InvalidSource,
                        Some(&t.id),
                        l,
                        format!("unknown field or language `{l}` in term `{}`", t.id),
                    )
                    .help(format!(
                        "a term has `id` and one table per language ({})",
                        langs.join(", ")
                    )),
                );
            }
        }
        if !t.langs.contains_key(src) {
            c.diags.push(
                f.locate(
                    Kind::MissingTranslation,
                    None,
                    &t.id,
                    format!("term `{}` has no {src} entry", t.id),
                )
                .help(format!(
                    "add {src} = {{ term = \"…\", definition = \"…\" }}"
                )),
            );
        }
        for l in langs {
            if !t.langs.contains_key(l) && l != src {
                c.warnings.push(
                    f.locate(
                        Kind::MissingTranslation,
                        None,
                        &t.id,
                        format!("term `{}` has no {l} entry", t.id),
                    )
                    .help(format!("add {l} = {{ term = \"…\", definition = \"…\" }}")),
                );
            }
        }
        d.glossary.push(Sourced {
            value: t.clone(),
            file: f.path.clone(),
        });
    }
}

/// Across the glossary: a term's text (or alias) is defined once per language.
pub(super) fn unique_terms(c: &mut Checker, files: &[DataFile], d: &Data) {
    for l in c.langs {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for t in &d.glossary {
            let Some(tt) = t.value.langs.get(l) else {
                continue;
            };
            for s in std::iter::once(&tt.term).chain(tt.aliases.iter()) {
                if let Some(other) = seen.insert(s.to_lowercase(), &t.value.id) {
                    if other != t.value.id {
                        let f = files.iter().find(|f| f.path == t.file).expect("term file");
                        c.diags.push(
                            f.locate(
                                Kind::Duplicate,
                                Some(&t.value.id),
                                s,
                                format!(
                                    "the {l} term `{s}` is defined twice: by `{other}` and `{}`",
                                    t.value.id
                                ),
                            )
                            .help(
                                "keep one definition and remove the other, or make it an alias of one term only",
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Across the case studies: every case's category is defined.
pub(super) fn case_categories(c: &mut Checker, files: &[DataFile], d: &Data) {
    let known: Vec<&str> = d.categories.iter().map(|k| k.id.as_str()).collect();
    for case in &d.cases {
        if known.contains(&case.value.category.as_str()) {
            continue;
        }
        let f = files
            .iter()
            .find(|f| f.path == case.file)
            .expect("case file");
        let help = did_you_mean(
            &case.value.category,
            &known,
            Some("define categories in a NAME.categories.toml file".to_string()),
            "known categories: ",
        );
        c.diags.push(
            f.locate(
                Kind::UnknownId,
                Some(&case.value.id),
                &case.value.category,
                format!(
                    "unknown category `{}` in case `{}`",
                    case.value.category, case.value.id
                ),
            )
            .help(help),
        );
    }
}

/// A checklist: its subjects, controls, statuses and groups, its items and its domains.
pub(super) fn checklist(c: &mut Checker, f: &DataFile, cl: &ChecklistData, d: &mut Data) {
    if c.duplicate("checklist", &cl.id, f) {
        return;
    }
    let (id, src) = (cl.id.as_str(), c.src);
    for (what, v) in [
        ("subject", &cl.subjects),
        ("control", &cl.controls),
        ("status", &cl.statuses),
        ("group", &cl.groups),
    ] {
        if v.is_empty() && what != "group" {
            c.diags.push(
                f.locate(
                    Kind::InvalidSource,
                    None,
                    id,
                    format!("checklist `{id}` has no {what}s"),
                )
                .help(format!("add {what}s = [ {{ id = \"…\", {src} = \"…\" }} ]")),
            );
        }
        let mut seen = Vec::new();
        for l in v {
            if !valid_id(&l.id) {
                c.diags.push(
                    f.locate(
                        Kind::InvalidSource,
                        None,
                        &l.id,
                        format!("`{}` is not a valid {what} id", l.id),
                    )
                    .help("use letters, digits, dashes and underscores only"),
                );
            }
            if seen.contains(&&l.id) {
                let n = seen.iter().filter(|x| **x == &l.id).count();
                c.diags.push(
                    f.locate_nth(
                        Kind::Duplicate,
                        &format!("id = \"{}\"", l.id),
                        n,
                        format!("the {what} id `{}` is used twice", l.id),
                    )
                    .help("give each a different id"),
                );
            }
            seen.push(&l.id);
            c.labels(f, what, l);
        }
    }
    let n = (cl.subjects.len() * cl.controls.len()) as u32;
    for g in &cl.groups {
        for dn in &g.domains {
            if *dn == 0 || *dn > n {
                c.diags.push(
                    f.locate(
                        Kind::UnknownId,
                        Some(&g.id),
                        &dn.to_string(),
                        format!(
                            "group `{}` names domain {dn}, but the checklist has domains 1 to {n}",
                            g.id
                        ),
                    )
                    .help(
                        "domains are numbered down each column of the subjects × controls matrix",
                    ),
                );
            }
        }
    }
    let subjects: Vec<&str> = cl.subjects.iter().map(|s| s.id.as_str()).collect();
    let controls: Vec<&str> = cl.controls.iter().map(|s| s.id.as_str()).collect();
    let mut item_ids = Vec::new();
    for it in &cl.items {
        if !valid_id(&it.id) {
            c.diags.push(
                f.locate(
                    Kind::InvalidSource,
                    None,
                    &it.id,
                    format!("`{}` is not a valid item id", it.id),
                )
                .help("use letters, digits, dashes and underscores only"),
            );
        }
        if item_ids.contains(&&it.id) {
            let n = item_ids.iter().filter(|x| **x == &it.id).count();
            c.diags.push(
                f.locate_nth(
                    Kind::Duplicate,
                    &format!("id = \"{}\"", it.id),
                    n,
                    format!("the item id `{}` is used twice", it.id),
                )
                .help("give each item a different id"),
            );
        }
        item_ids.push(&it.id);
        for (what, value, known) in [
            ("subject", &it.subject, &subjects),
            ("control", &it.control, &controls),
        ] {
            if !known.contains(&value.as_str()) {
                c.diags.push(
                    f.locate(
                        Kind::UnknownId,
                        Some(&it.id),
                        value,
                        format!(
                            "item `{}` is in {what} `{value}`, which the checklist does not define",
                            it.id
                        ),
                    )
                    .help(did_you_mean(
                        value,
                        known,
                        None,
                        &format!("known {what}s: "),
                    )),
                );
            }
        }
        for (field, t) in [
            ("question", &it.question),
            ("countermeasure", &it.countermeasure),
        ] {
            c.item_text(f, &it.id, field, t);
        }
    }
    for dn in &cl.domains {
        if dn.number == 0 || dn.number > n {
            c.diags.push(
                f.locate(
                    Kind::UnknownId,
                    None,
                    &format!("number = {}", dn.number),
                    format!("domain {} does not exist (1 to {n})", dn.number),
                )
                .help("number domains down each column of the matrix"),
            );
        }
    }
    d.checklists.push(Checklist {
        data: cl.clone(),
        file: f.path.clone(),
    });
}
