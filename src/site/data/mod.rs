//! The course's structured data, checked: case studies with their categories, checklists with
//! their derived domains, lists, the glossary and quizzes. Every reference between them is resolved here.

mod checks;
mod kinds;

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::error::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::data::{
    CaseData, ChecklistData, DataContents, DataFile, DataKind, Labelled, ListData, ListStyle,
    TermData,
};
use crate::markdown::parse::Directive;
use checks::Checker;

pub use super::countries;

/// A record and the file it came from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    /// The record.
    pub value: T,
    /// The data file it was read from (relative to the course).
    pub file: PathBuf,
}

/// A checklist with its domains numbered.
#[derive(Debug, Clone)]
pub struct Checklist {
    /// The checklist as read.
    pub data: ChecklistData,
    /// The data file it was read from (relative to the course).
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
    /// Every data file, as read.
    pub files: Vec<DataFile>,
    /// Case studies, in file order.
    pub cases: Vec<Sourced<CaseData>>,
    /// Categories of case studies.
    pub categories: Vec<Labelled>,
    /// Self-assessment checklists.
    pub checklists: Vec<Checklist>,
    /// Lists and flows by id.
    pub lists: BTreeMap<String, Sourced<ListData>>,
    /// Glossary terms.
    pub glossary: Vec<Sourced<TermData>>,
    /// Knowledge checks.
    pub quizzes: Vec<super::quiz::Quiz>,
}

impl Data {
    /// Validates every data file, one validator per kind (see `kinds.rs`), then the references
    /// across files.
    pub fn new(
        config: &Config,
        files: Vec<DataFile>,
        diags: &mut Diagnostics,
        warnings: &mut Vec<Diagnostic>,
    ) -> Data {
        let mut d = Data::default();
        let langs = &config.languages;
        let mut c = Checker::new(langs, &config.source_language, diags, warnings);
        for f in &files {
            super::data_links::check(f, c.diags);
            match &f.contents {
                DataContents::Categories(cats) => kinds::categories(&mut c, f, cats, &mut d),
                DataContents::Cases(cases) => kinds::cases(&mut c, f, cases, &mut d),
                DataContents::Checklist(cl) => kinds::checklist(&mut c, f, cl, &mut d),
                DataContents::Lists(lists) => kinds::lists(&mut c, f, lists, &mut d),
                DataContents::Quiz(q) => {
                    if !c.duplicate("quiz", &q.id, f) {
                        super::quiz::check(f, q, langs, c.diags);
                        d.quizzes.push(super::quiz::Quiz {
                            data: (**q).clone(),
                            file: f.path.clone(),
                        });
                    }
                }
                DataContents::Glossary(terms) => kinds::glossary(&mut c, f, terms, &mut d),
            }
        }
        kinds::unique_terms(&mut c, &files, &d);
        kinds::case_categories(&mut c, &files, &d);
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
            let help = did_you_mean(
                id,
                &known,
                Some(format!("no {what} is defined yet")),
                "known: ",
            );
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
                    if !countries::is_known(&k.to_ascii_uppercase()) {
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
            Directive::Callout { .. } | Directive::Block { .. } | Directive::Custom { .. } => {
                Ok(())
            }
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
