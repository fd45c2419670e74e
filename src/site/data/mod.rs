//! The course's structured data, checked: case studies with their categories, checklists with
//! their derived domains, lists, the glossary and quizzes. Every reference between them is resolved here.

use crate::kind::Kind;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::config::Config;
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::load::data::{
    CaseData, ChecklistData, DataContents, DataFile, DataKind, Labelled, ListData, ListStyle,
    TermData,
};
use crate::markdown::parse::Directive;
use crate::text::Localized;

pub use super::countries;

/// A record and the file it came from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub file: PathBuf,
}

/// A checklist with its domains numbered.
#[derive(Debug, Clone)]
pub struct Checklist {
    pub data: ChecklistData,
    pub file: PathBuf,
}

impl Checklist {
    /// Domain number of a (subject, control) cell. Subjects are the matrix's columns and controls
    /// its rows; domains are numbered down each column: ① to ③ for the first subject, and so on.
    pub fn domain(&self, subject: &str, control: &str) -> Option<u32> {
        let s = self.data.subjects.iter().position(|x| x.id == subject)?;
        let c = self.data.controls.iter().position(|x| x.id == control)?;
        Some((s * self.data.controls.len() + c + 1) as u32)
    }
    /// Number of domains.
    pub fn domain_count(&self) -> u32 {
        (self.data.subjects.len() * self.data.controls.len()) as u32
    }
}

/// All the data of the course.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub files: Vec<DataFile>,
    pub cases: Vec<Sourced<CaseData>>,
    pub categories: Vec<Labelled>,
    pub checklists: Vec<Checklist>,
    pub lists: BTreeMap<String, Sourced<ListData>>,
    pub glossary: Vec<Sourced<TermData>>,
    pub quizzes: Vec<super::quiz::Quiz>,
}

impl Data {
    /// Validates every data file.
    pub fn new(
        config: &Config,
        files: Vec<DataFile>,
        diags: &mut Diagnostics,
        warnings: &mut Vec<Diagnostic>,
    ) -> Data {
        let mut d = Data::default();
        let langs = &config.languages;
        let src = config.source_language.as_str();
        let mut ids: HashMap<(&'static str, String), PathBuf> = HashMap::new();
        let mut dup = |kind: &'static str, id: &str, f: &DataFile, diags: &mut Diagnostics| {
            // Ids become parts of URLs, file names and HTML attributes.
            if !valid_id(id) {
                diags.push(
                    f.locate(
                        Kind::InvalidSource,
                        None,
                        id,
                        format!("`{id}` is not a valid id"),
                    )
                    .help("use letters, digits, dashes and underscores only"),
                );
            }
            if let Some(other) = ids.insert((kind, id.to_string()), f.path.clone()) {
                diags.push(
                    f.locate(
                        Kind::Duplicate,
                        None,
                        id,
                        format!(
                            "the {kind} id `{id}` is also defined in {}",
                            other.display()
                        ),
                    )
                    .help("ids must be unique across every data file: rename one"),
                );
                true
            } else {
                false
            }
        };
        // Text checks: source language required, others reported.
        let check_text = |f: &DataFile,
                          id: &str,
                          field: &str,
                          t: &Localized,
                          required: bool,
                          diags: &mut Diagnostics,
                          warnings: &mut Vec<Diagnostic>| {
            for l in t.unknown_languages(langs) {
                diags.push(
                    f.locate(
                        Kind::InvalidSource,
                        Some(id),
                        l,
                        format!("`{l}` in `{field}` of `{id}` is not a language of this course"),
                    )
                    .help(format!("use one of {}", langs.join(", "))),
                );
            }
            if t.get(src).is_none() {
                if required || !t.is_empty() {
                    diags.push(
                        f.locate(
                            Kind::MissingTranslation,
                            Some(id),
                            field,
                            format!("`{field}` of `{id}` has no {src} text"),
                        )
                        .help(format!("add {src} = \"…\"")),
                    );
                }
                return;
            }
            for l in langs {
                if t.get(l).is_none() {
                    warnings.push(
                        f.locate(
                            Kind::MissingTranslation,
                            Some(id),
                            field,
                            format!("`{field}` of `{id}` has no {l} text; the {src} text is shown"),
                        )
                        .help(format!("add {l} = \"…\"")),
                    );
                }
            }
        };
        for f in &files {
            super::data_links::check(f, diags);
            match &f.contents {
                DataContents::Categories(cats) => {
                    for c in cats {
                        if !dup("category", &c.id, f, diags) {
                            check_text(f, &c.id, "label", &c.text(), true, diags, warnings);
                            d.categories.push(c.clone());
                        }
                    }
                }
                DataContents::Cases(cases) => {
                    for c in cases {
                        if dup("case", &c.id, f, diags) {
                            continue;
                        }
                        for (field, t, req) in [
                            ("title", &c.title, true),
                            ("organisation", &c.organisation, true),
                            ("summary", &c.summary, true),
                        ] {
                            check_text(f, &c.id, field, t, req, diags, warnings);
                        }
                        if let Some(i) = &c.impact {
                            check_text(f, &c.id, "impact", i, false, diags, warnings);
                        }
                        for cause in &c.causes {
                            check_text(f, &c.id, "causes", &cause.text, true, diags, warnings);
                        }
                        for l in &c.lessons {
                            check_text(f, &c.id, "lessons", l, true, diags, warnings);
                        }
                        if countries::name(&c.country, "en").is_none() {
                            let help = match suggest(
                                &c.country.to_ascii_uppercase(),
                                countries::codes(),
                            ) {
                                Some(s) => format!("use an ISO 3166-1 alpha-2 code, e.g. `{s}`"),
                                None => {
                                    "use an ISO 3166-1 alpha-2 code such as JP, US, GB or AU".into()
                                }
                            };
                            diags.push(
                                f.locate(
                                    Kind::UnknownId,
                                    Some(&c.id),
                                    &c.country,
                                    format!("unknown country `{}` in case `{}`", c.country, c.id),
                                )
                                .help(help),
                            );
                        }
                        d.cases.push(Sourced {
                            value: c.clone(),
                            file: f.path.clone(),
                        });
                    }
                }
                DataContents::Checklist(cl) => {
                    if !dup("checklist", &cl.id, f, diags) {
                        check_checklist(f, cl, langs, src, diags, warnings);
                        d.checklists.push(Checklist {
                            data: (**cl).clone(),
                            file: f.path.clone(),
                        });
                    }
                }
                DataContents::Lists(lists) => {
                    for l in lists {
                        if dup("list", &l.id, f, diags) {
                            continue;
                        }
                        if let Some(t) = &l.title {
                            check_text(f, &l.id, "title", t, false, diags, warnings);
                        }
                        for it in &l.items {
                            check_text(f, &l.id, "text", &it.text, true, diags, warnings);
                            for (n, t) in
                                [("detail", &it.detail), ("label", &it.label), ("by", &it.by)]
                            {
                                if let Some(t) = t {
                                    check_text(f, &l.id, n, t, false, diags, warnings);
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
                DataContents::Quiz(q) => {
                    if !dup("quiz", &q.id, f, diags) {
                        super::quiz::check(f, q, langs, diags);
                        d.quizzes.push(super::quiz::Quiz {
                            data: (**q).clone(),
                            file: f.path.clone(),
                        });
                    }
                }
                DataContents::Glossary(terms) => {
                    for t in terms {
                        if dup("glossary term", &t.id, f, diags) {
                            continue;
                        }
                        for l in t.langs.keys() {
                            if !langs.contains(l) {
                                diags.push(
                                    f.locate(
                                        Kind::InvalidSource,
                                        Some(&t.id),
                                        l,
                                        format!(
                                            "unknown field or language `{l}` in term `{}`",
                                            t.id
                                        ),
                                    )
                                    .help(format!(
                                        "a term has `id` and one table per language ({})",
                                        langs.join(", ")
                                    )),
                                );
                            }
                        }
                        if !t.langs.contains_key(src) {
                            diags.push(
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
                                warnings.push(
                                    f.locate(
                                        Kind::MissingTranslation,
                                        None,
                                        &t.id,
                                        format!("term `{}` has no {l} entry", t.id),
                                    )
                                    .help(format!(
                                        "add {l} = {{ term = \"…\", definition = \"…\" }}"
                                    )),
                                );
                            }
                        }
                        d.glossary.push(Sourced {
                            value: t.clone(),
                            file: f.path.clone(),
                        });
                    }
                }
            }
        }
        // Term texts must be unique per language.
        for l in langs {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for t in &d.glossary {
                if let Some(tt) = t.value.langs.get(l) {
                    for s in std::iter::once(&tt.term).chain(tt.aliases.iter()) {
                        if let Some(other) = seen.insert(s.to_lowercase(), &t.value.id) {
                            if other != t.value.id {
                                let f = files.iter().find(|f| f.path == t.file).expect("term file");
                                diags.push(f.locate(Kind::Duplicate, Some(&t.value.id), s, format!("the {l} term `{s}` is defined twice: by `{other}` and `{}`", t.value.id)).help("keep one definition and remove the other, or make it an alias of one term only"));
                            }
                        }
                    }
                }
            }
        }
        // Cases: categories exist.
        for c in &d.cases {
            if !d.categories.iter().any(|k| k.id == c.value.category) {
                let f = files.iter().find(|f| f.path == c.file).expect("case file");
                let help = match suggest(
                    &c.value.category,
                    d.categories.iter().map(|k| k.id.as_str()),
                ) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if d.categories.is_empty() => {
                        "define categories in a NAME.categories.toml file".to_string()
                    }
                    None => format!(
                        "known categories: {}",
                        d.categories
                            .iter()
                            .map(|k| k.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                diags.push(
                    f.locate(
                        Kind::UnknownId,
                        Some(&c.value.id),
                        &c.value.category,
                        format!(
                            "unknown category `{}` in case `{}`",
                            c.value.category, c.value.id
                        ),
                    )
                    .help(help),
                );
            }
        }
        d.files = files;
        d
    }

    /// Checklist by id.
    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.data.id == id)
    }

    /// Quiz by id.
    pub fn quiz(&self, id: &str) -> Option<&super::quiz::Quiz> {
        self.quizzes.iter().find(|q| q.data.id == id)
    }

    /// Case by id.
    pub fn case(&self, id: &str) -> Option<&Sourced<CaseData>> {
        self.cases.iter().find(|c| c.value.id == id)
    }

    /// Category label.
    pub fn category(&self, id: &str) -> Option<&Labelled> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// Paths of every data file of a kind.
    pub fn files_of_kind(&self, kind: DataKind) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|f| {
                matches!(
                    (&f.contents, kind),
                    (DataContents::Cases(_), DataKind::Cases)
                        | (DataContents::Categories(_), DataKind::Categories)
                        | (DataContents::Glossary(_), DataKind::Glossary)
                        | (DataContents::Lists(_), DataKind::Lists)
                        | (DataContents::Checklist(_), DataKind::Checklist)
                        | (DataContents::Quiz(_), DataKind::Quiz)
                )
            })
            .map(|f| f.path.clone())
            .collect()
    }

    /// The cases a `{cases}` directive selects, in data order.
    pub fn select_cases(
        &self,
        args: &crate::markdown::parse::CasesArgs,
    ) -> Vec<&Sourced<CaseData>> {
        if !args.ids.is_empty() {
            return args.ids.iter().filter_map(|id| self.case(id)).collect();
        }
        self.cases
            .iter()
            .filter(|c| {
                args.category
                    .as_ref()
                    .is_none_or(|k| &c.value.category == k)
            })
            .filter(|c| {
                args.country
                    .as_ref()
                    .is_none_or(|k| c.value.country.eq_ignore_ascii_case(k))
            })
            .collect()
    }

    /// Checks a directive's references; on failure, the kind of problem, the message and a hint.
    pub fn check_directive(&self, d: &Directive) -> Result<(), (Kind, String, String)> {
        let unknown = |what: &str, id: &str, known: Vec<&str>| {
            let help = match suggest(id, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => format!("no {what} is defined yet"),
                None => format!("known: {}", known.join(", ")),
            };
            Err((Kind::UnknownId, format!("unknown {what} `{id}`"), help))
        };
        match d {
            Directive::Cases(a) => {
                for id in &a.ids {
                    if self.case(id).is_none() {
                        return unknown(
                            "case",
                            id,
                            self.cases.iter().map(|c| c.value.id.as_str()).collect(),
                        );
                    }
                }
                if let Some(k) = &a.category {
                    if self.category(k).is_none() {
                        return unknown(
                            "category",
                            k,
                            self.categories.iter().map(|c| c.id.as_str()).collect(),
                        );
                    }
                }
                if let Some(k) = &a.country {
                    if countries::name(&k.to_ascii_uppercase(), "en").is_none() {
                        return unknown("country", k, vec![]);
                    }
                }
                if let Some(cols) = &a.columns {
                    for c in cols {
                        if !CASE_COLUMNS.contains(&c.as_str()) {
                            return unknown("column", c, CASE_COLUMNS.to_vec());
                        }
                    }
                }
                if a.ids.is_empty() && a.category.is_none() && a.country.is_none() {
                    return Err((
                        Kind::Directive,
                        "`{cases}` selects nothing".into(),
                        "give ids = [..], category = \"..\" or country = \"..\"".into(),
                    ));
                }
                Ok(())
            }
            Directive::Checklist(id) | Directive::Matrix(id) | Directive::Groups(id) => {
                match self.checklist(id) {
                    Some(_) => Ok(()),
                    None => unknown(
                        "checklist",
                        id,
                        self.checklists.iter().map(|c| c.data.id.as_str()).collect(),
                    ),
                }
            }
            Directive::List(id) => match self.lists.get(id) {
                Some(_) => Ok(()),
                None => unknown("list", id, self.lists.keys().map(String::as_str).collect()),
            },
            Directive::Flow(id) => match self.lists.get(id) {
                Some(l) if l.value.style == ListStyle::Flow => Ok(()),
                Some(_) => Err((
                    Kind::UnknownId,
                    format!("list `{id}` is not a flow"),
                    "set style = \"flow\" on the list, or embed it with {list}".into(),
                )),
                None => unknown("list", id, self.lists.keys().map(String::as_str).collect()),
            },
            Directive::Quiz(id) => match self.quiz(id) {
                Some(_) => Ok(()),
                None => unknown(
                    "quiz",
                    id,
                    self.quizzes.iter().map(|q| q.data.id.as_str()).collect(),
                ),
            },
            Directive::Callout { .. } | Directive::Block { .. } => Ok(()),
        }
    }
}

/// Columns a `{cases}` table can show.
pub const CASE_COLUMNS: &[&str] = &[
    "title",
    "category",
    "country",
    "organisation",
    "date",
    "records",
    "summary",
    "impact",
];

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn check_checklist(
    f: &DataFile,
    cl: &ChecklistData,
    langs: &[String],
    src: &str,
    diags: &mut Diagnostics,
    warnings: &mut Vec<Diagnostic>,
) {
    let id = cl.id.as_str();
    let label_check =
        |what: &str, l: &Labelled, diags: &mut Diagnostics, warnings: &mut Vec<Diagnostic>| {
            for k in l.label.keys() {
                if !langs.contains(k) {
                    let fields = if what == "status" {
                        "id, score, na"
                    } else if what == "group" {
                        "id, domains"
                    } else {
                        "id"
                    };
                    diags.push(
                        f.locate(
                            Kind::InvalidSource,
                            Some(&l.id),
                            k,
                            format!("unknown field `{k}` in {what} `{}`", l.id),
                        )
                        .help(format!(
                            "a {what} has {fields} and one label per language ({})",
                            langs.join(", ")
                        )),
                    );
                }
            }
            if !l.label.contains_key(src) {
                diags.push(
                    f.locate(
                        Kind::MissingTranslation,
                        None,
                        &l.id,
                        format!("{what} `{}` has no {src} label", l.id),
                    )
                    .help(format!("add {src} = \"…\"")),
                );
            }
            for lang in langs {
                if !l.label.contains_key(lang) && lang != src {
                    warnings.push(
                        f.locate(
                            Kind::MissingTranslation,
                            None,
                            &l.id,
                            format!("{what} `{}` has no {lang} label", l.id),
                        )
                        .help(format!("add {lang} = \"…\"")),
                    );
                }
            }
        };
    for (what, v) in [
        ("subject", &cl.subjects),
        ("control", &cl.controls),
        ("status", &cl.statuses),
        ("group", &cl.groups),
    ] {
        if v.is_empty() && what != "group" {
            diags.push(
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
                diags.push(
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
                diags.push(
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
            label_check(what, l, diags, warnings);
        }
    }
    let n = (cl.subjects.len() * cl.controls.len()) as u32;
    for g in &cl.groups {
        for dn in &g.domains {
            if *dn == 0 || *dn > n {
                diags.push(
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
    let mut item_ids = Vec::new();
    for it in &cl.items {
        if !valid_id(&it.id) {
            diags.push(
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
            diags.push(
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
        if !cl.subjects.iter().any(|s| s.id == it.subject) {
            let help = suggest(&it.subject, cl.subjects.iter().map(|s| s.id.as_str()))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "known subjects: {}",
                        cl.subjects
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            diags.push(
                f.locate(
                    Kind::UnknownId,
                    Some(&it.id),
                    &it.subject,
                    format!(
                        "item `{}` is in subject `{}`, which the checklist does not define",
                        it.id, it.subject
                    ),
                )
                .help(help),
            );
        }
        if !cl.controls.iter().any(|s| s.id == it.control) {
            let help = suggest(&it.control, cl.controls.iter().map(|s| s.id.as_str()))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "known controls: {}",
                        cl.controls
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            diags.push(
                f.locate(
                    Kind::UnknownId,
                    Some(&it.id),
                    &it.control,
                    format!(
                        "item `{}` is in control `{}`, which the checklist does not define",
                        it.id, it.control
                    ),
                )
                .help(help),
            );
        }
        for (field, t) in [
            ("question", &it.question),
            ("countermeasure", &it.countermeasure),
        ] {
            for l in t.unknown_languages(langs) {
                diags.push(
                    f.locate(
                        Kind::InvalidSource,
                        Some(&it.id),
                        l,
                        format!(
                            "`{l}` in `{field}` of item `{}` is not a language of this course",
                            it.id
                        ),
                    )
                    .help(format!("use one of {}", langs.join(", "))),
                );
            }
            if t.get(src).is_none() {
                diags.push(
                    f.locate(
                        Kind::MissingTranslation,
                        Some(&it.id),
                        field,
                        format!("`{field}` of item `{}` has no {src} text", it.id),
                    )
                    .help(format!("add {src} = \"…\"")),
                );
            }
            for l in langs {
                if t.get(l).is_none() && l != src {
                    warnings.push(
                        f.locate(
                            Kind::MissingTranslation,
                            Some(&it.id),
                            field,
                            format!("`{field}` of item `{}` has no {l} text", it.id),
                        )
                        .help(format!("add {l} = \"…\"")),
                    );
                }
            }
        }
    }
    for dn in &cl.domains {
        if dn.number == 0 || dn.number > n {
            diags.push(
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
}
