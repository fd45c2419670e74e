//! Structured data files (`NAME.KIND.EXT` under `content/`): the schemas of case studies,
//! categories, checklists, lists, glossary terms and quizzes, read from TOML, YAML or CSV.

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;
use crate::text::Localized;

/// What a data file holds, from the middle part of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataKind {
    /// Case studies (`NAME.cases.toml`).
    Cases,
    /// Categories of case studies (`NAME.categories.toml`).
    Categories,
    /// A self-assessment checklist (`NAME.checklist.toml`).
    Checklist,
    /// Lists and flows (`NAME.lists.toml`).
    Lists,
    /// Glossary terms (`NAME.glossary.toml`).
    Glossary,
    /// A knowledge check (`NAME.quiz.toml`).
    Quiz,
}

impl DataKind {
    /// Every kind with the name used in file names.
    pub const ALL: &'static [(&'static str, DataKind)] = &[
        ("cases", DataKind::Cases),
        ("categories", DataKind::Categories),
        ("checklist", DataKind::Checklist),
        ("lists", DataKind::Lists),
        ("glossary", DataKind::Glossary),
        ("quiz", DataKind::Quiz),
    ];
}

/// A case study's date: a year, or `YYYY-MM` / `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDate(pub String);

impl<'de> Deserialize<'de> for CaseDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Year(i64),
            Text(String),
        }
        let s = match Repr::deserialize(d)? {
            Repr::Year(y) => y.to_string(),
            Repr::Text(s) => s,
        };
        let ok = {
            let parts: Vec<&str> = s.split('-').collect();
            !parts.is_empty()
                && parts.len() <= 3
                && parts[0].len() == 4
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                && parts
                    .get(1)
                    .is_none_or(|m| matches!(m.parse::<u8>(), Ok(1..=12)))
                && parts
                    .get(2)
                    .is_none_or(|d| matches!(d.parse::<u8>(), Ok(1..=31)))
        };
        if ok {
            Ok(CaseDate(s))
        } else {
            Err(serde::de::Error::custom(format!(
                "`{s}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
            )))
        }
    }
}

/// Kinds of cause, as the course's four kinds of measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum CauseType {
    /// Rules, roles and oversight.
    Organisational,
    /// People: mistakes, misuse, training.
    Human,
    /// Systems and networks.
    Technical,
    /// Premises, devices and media.
    Physical,
}

impl CauseType {
    /// All kinds in display order.
    pub const ALL: [CauseType; 4] = [
        CauseType::Organisational,
        CauseType::Human,
        CauseType::Technical,
        CauseType::Physical,
    ];
    /// The identifier used in data and in the browser's filters.
    pub fn id(self) -> &'static str {
        match self {
            CauseType::Organisational => "organisational",
            CauseType::Human => "human",
            CauseType::Technical => "technical",
            CauseType::Physical => "physical",
        }
    }
}

/// One cause of an incident.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    #[serde(rename = "type")]
    /// The kind of cause.
    pub kind: CauseType,
    /// What went wrong.
    pub text: Localized,
}

/// A cited source: the URL is shown as text, never fetched.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The source's title.
    pub title: Localized,
    #[serde(default)]
    /// Where to read it, if it is online.
    pub url: Option<String>,
}

/// One case study as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CaseData {
    /// Stable and unique: names the case's page and is what directives refer to.
    pub id: String,
    /// The id of its category.
    pub category: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    #[serde(default)]
    /// When it happened, as precisely as known.
    pub date: Option<CaseDate>,
    #[serde(default)]
    /// How many records were affected, when known.
    pub records: Option<u64>,
    /// Its title.
    pub title: Localized,
    /// The organisation it happened to.
    pub organisation: Localized,
    /// What happened.
    pub summary: Localized,
    #[serde(default)]
    /// What it cost or caused, when known.
    pub impact: Option<Localized>,
    #[serde(default)]
    /// Why it happened.
    pub causes: Vec<Cause>,
    #[serde(default)]
    /// What to learn from it.
    pub lessons: Vec<Localized>,
    #[serde(default)]
    /// Where it is reported.
    pub sources: Vec<SourceRef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CasesFile {
    #[serde(default)]
    case: Vec<CaseData>,
}

/// A labelled thing with an id: `{ id = "org", ja = "…", en = "…" }`, plus optional numbers.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Labelled {
    /// Stable and unique within its list.
    pub id: String,
    #[serde(default)]
    /// A status's score (none for a status that is not scored).
    pub score: Option<f64>,
    #[serde(default)]
    /// Whether a status means "not applicable".
    pub na: bool,
    #[serde(default)]
    /// The domains a group brings together.
    pub domains: Vec<u32>,
    /// Language code → label; anything else here is an unknown field.
    #[serde(flatten)]
    pub label: BTreeMap<String, String>,
}

impl Labelled {
    /// The label as a [`Localized`].
    pub fn text(&self) -> Localized {
        Localized(self.label.clone())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoriesFile {
    #[serde(default)]
    category: Vec<Labelled>,
}

/// One checklist item.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Stable and unique within the checklist.
    pub id: String,
    /// The id of its subject (the matrix's column).
    pub subject: String,
    /// The id of its control (the matrix's row).
    pub control: String,
    /// The question asked.
    pub question: Localized,
    /// What to do about it.
    pub countermeasure: Localized,
}

/// A self-assessment checklist.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChecklistData {
    /// Stable and unique: names the checklist's page and its stored answers.
    pub id: String,
    /// Its version; answers stored for another version are carried over or left out.
    pub version: u32,
    /// Its title.
    pub title: Localized,
    #[serde(default)]
    /// Shown above the items.
    pub description: Localized,
    /// The matrix's columns.
    pub subjects: Vec<Labelled>,
    /// The matrix's rows.
    pub controls: Vec<Labelled>,
    /// The answers an item can have.
    pub statuses: Vec<Labelled>,
    #[serde(default)]
    /// Kinds of measure, each a set of domains.
    pub groups: Vec<Labelled>,
    /// Optional description of each domain (the matrix cell), keyed by domain number.
    #[serde(default)]
    pub domains: Vec<DomainNote>,
    #[serde(default, rename = "item")]
    /// The items, in order.
    pub items: Vec<ChecklistItem>,
}

/// What a domain (matrix cell) asks, by number.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DomainNote {
    /// The domain's number.
    pub number: u32,
    /// Its description.
    pub text: Localized,
}

/// How a list is drawn.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ListStyle {
    #[default]
    /// A numbered list.
    Numbered,
    /// A bulleted list.
    Bullets,
    /// Numbered steps.
    Steps,
    /// A flow of steps (`{flow}`).
    Flow,
    /// A table.
    Table,
}

/// One entry of a list.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ListItem {
    /// The item's text.
    pub text: Localized,
    #[serde(default)]
    /// More about it.
    pub detail: Option<Localized>,
    #[serde(default)]
    /// A marker shown before the text (`Action 1`).
    pub label: Option<Localized>,
    #[serde(default)]
    /// Who published it, or its source.
    pub by: Option<Localized>,
    #[serde(default)]
    /// In a flow: drawn beside the main line.
    pub parallel: bool,
}

/// A structured list embedded with `{list}` or `{flow}`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ListData {
    /// Stable and unique: what `{list}` and `{flow}` refer to.
    pub id: String,
    #[serde(default)]
    /// How it is drawn.
    pub style: ListStyle,
    #[serde(default)]
    /// Its title, if any.
    pub title: Option<Localized>,
    #[serde(default, rename = "item")]
    /// Its items, in order.
    pub items: Vec<ListItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListsFile {
    #[serde(default)]
    list: Vec<ListData>,
}

/// A glossary entry in one language.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TermText {
    /// The term.
    pub term: String,
    /// What it means.
    pub definition: String,
    #[serde(default)]
    /// Other words for it, linked to it too.
    pub aliases: Vec<String>,
}

/// A glossary entry.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct TermData {
    /// Stable and unique: what `term:ID` links refer to.
    pub id: String,
    #[serde(flatten)]
    /// The term in each language.
    pub langs: BTreeMap<String, TermText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    term: Vec<TermData>,
}

/// The parsed contents of one data file.
#[derive(Debug, Clone)]
pub enum DataContents {
    /// Case studies.
    Cases(Vec<CaseData>),
    /// Categories of case studies.
    Categories(Vec<Labelled>),
    /// A checklist.
    Checklist(Box<ChecklistData>),
    /// Lists.
    Lists(Vec<ListData>),
    /// Glossary terms.
    Glossary(Vec<TermData>),
    /// A knowledge check.
    Quiz(Box<crate::load::quiz::QuizData>),
}

/// A data file: where it is, its text (for positions) and what it holds.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Path relative to the course folder.
    pub path: PathBuf,
    /// The decoded text.
    pub text: String,
    /// What it holds.
    pub contents: DataContents,
}

impl DataFile {
    /// Position of the first occurrence of `needle` after `after` (e.g. a record's id), for
    /// diagnostics about a value inside a record.
    pub fn locate(
        &self,
        kind: Kind,
        after: Option<&str>,
        needle: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let start = after
            .and_then(|a| find_value(&self.text, a, 0))
            .unwrap_or(0);
        let off = find_value(&self.text, needle, start)
            .or_else(|| find_value(&self.text, needle, 0))
            .unwrap_or(start);
        Diagnostic::at(kind, &self.path, &self.text, off, message)
    }
}

impl DataFile {
    /// Position of the `n`th (0-based) occurrence of `needle`, e.g. a duplicate id's second definition.
    pub fn locate_nth(
        &self,
        kind: Kind,
        needle: &str,
        n: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut off = 0;
        let mut found = None;
        for _ in 0..=n {
            match find_value(&self.text, needle, off) {
                Some(i) => {
                    found = Some(i);
                    off = i + needle.len().max(1);
                }
                None => break,
            }
        }
        Diagnostic::at(kind, &self.path, &self.text, found.unwrap_or(0), message)
    }
}

fn find_value(text: &str, needle: &str, from: usize) -> Option<usize> {
    if needle.is_empty() || from > text.len() {
        return None;
    }
    for q in ["\"", "'", ""] {
        let pat = format!("{q}{needle}{q}");
        if let Some(i) = text[from..].find(&pat) {
            return Some(from + i);
        }
    }
    None
}

/// Reads one data file of a known kind and format.
pub fn parse(path: &Path, text: String, kind: DataKind, ext: &str) -> Result<DataFile, Diagnostic> {
    macro_rules! read {
        ($t:ty) => {{
            let v: $t = match ext {
                "toml" => crate::text::toml_from_str(path, &text, 0, &text, &[])?,
                "yaml" | "yml" => crate::text::yaml_from_str(path, &text, 0, &text)?,
                _ => return Err(unsupported(path, kind, ext)),
            };
            v
        }};
    }
    let contents = match kind {
        DataKind::Cases if ext == "csv" => {
            DataContents::Cases(crate::load::csv::read_cases(path, &text)?)
        }
        DataKind::Cases => DataContents::Cases(read!(CasesFile).case),
        DataKind::Categories => DataContents::Categories(read!(CategoriesFile).category),
        DataKind::Checklist => DataContents::Checklist(Box::new(read!(ChecklistData))),
        DataKind::Lists => DataContents::Lists(read!(ListsFile).list),
        DataKind::Glossary => DataContents::Glossary(read!(GlossaryFile).term),
        DataKind::Quiz => DataContents::Quiz(Box::new(read!(crate::load::quiz::QuizData))),
    };
    Ok(DataFile {
        path: path.to_path_buf(),
        text,
        contents,
    })
}

fn unsupported(path: &Path, kind: DataKind, ext: &str) -> Diagnostic {
    let name = DataKind::ALL
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(n, _)| *n)
        .unwrap_or("data");
    Diagnostic::file(
        Kind::InvalidSource,
        path,
        format!("{name} files cannot be written as .{ext}"),
    )
    .help(if kind == DataKind::Cases {
        "use .toml, .yaml or .csv"
    } else {
        "use .toml or .yaml"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_date_forms() {
        #[derive(Deserialize)]
        struct W {
            d: CaseDate,
        }
        assert_eq!(toml::from_str::<W>("d = 2017").unwrap().d.0, "2017");
        assert_eq!(
            toml::from_str::<W>("d = \"2017-05\"").unwrap().d.0,
            "2017-05"
        );
        assert!(toml::from_str::<W>("d = \"2017-13\"").is_err());
        assert!(toml::from_str::<W>("d = \"May 2017\"").is_err());
    }

    #[test]
    fn records_must_be_a_number() {
        let t = "[[case]]\nid = \"x\"\ncategory = \"c\"\ncountry = \"JP\"\nrecords = \"many\"\ntitle = \"t\"\norganisation = \"o\"\nsummary = \"s\"\n";
        let e = parse(Path::new("a.cases.toml"), t.into(), DataKind::Cases, "toml").unwrap_err();
        assert_eq!(e.line, 5, "{e}");
    }
}
