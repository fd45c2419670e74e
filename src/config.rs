//! The site configuration, `kyozai.toml`: course id, languages, titles, theme, base path and what
//! completes the course, read strictly so that a misspelt key is an error that names the nearest
//! valid one.

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::text::Localized;

/// The keys `kyozai.toml` accepts at the top level.
pub const CONFIG_KEYS: &[&str] = &[
    "id",
    "source_language",
    "languages",
    "theme",
    "base_path",
    "title",
    "description",
    "case_columns",
    "copyright",
    "completion",
];

/// `kyozai.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The course's stable id: names its completion records and the browser storage of its
    /// progress. Defaults to a slug of the source-language title, which changes with the title.
    #[serde(default)]
    pub id: Option<String>,
    /// The language authors write first; translations are made from it.
    pub source_language: String,
    /// Every language of the site, the source language among them.
    pub languages: Vec<String>,
    /// Name of the theme folder; `default` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Where the site will be hosted. Output URLs are relative, so this only feeds `sitemap.xml`.
    #[serde(default = "default_base")]
    pub base_path: String,
    /// Course title per language.
    pub title: Localized,
    /// Course description per language.
    #[serde(default)]
    pub description: Localized,
    /// Columns of case-study tables embedded with `{cases}` unless the directive names its own.
    #[serde(default = "default_case_columns")]
    pub case_columns: Vec<String>,
    /// A copyright or licence line for the page footer, per language.
    #[serde(default)]
    pub copyright: Localized,
    /// What completes the course: `[completion]`.
    #[serde(default)]
    pub completion: Option<Completion>,
    /// The text of `kyozai.toml` as read (for the course edition and for positions in errors).
    #[serde(skip)]
    pub text: String,
}

/// `[completion]`: which quizzes must be passed and which checklist answered.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Completion {
    /// `"all"` or a list of quiz ids.
    #[serde(default)]
    pub quizzes: Option<QuizRule>,
    /// The id of a checklist every applicable item of which must be answered.
    #[serde(default)]
    pub checklist: Option<String>,
}

/// The quizzes a completion rule requires.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum QuizRule {
    /// A list of quiz ids.
    List(Vec<String>),
    /// A word: only `all` (every quiz of the course) is valid, checked after parsing.
    Word(String),
}

impl QuizRule {
    /// The required quiz ids, given every quiz id of the course in order.
    pub fn ids<'a>(&'a self, all: &'a [String]) -> &'a [String] {
        match self {
            QuizRule::List(l) => l,
            QuizRule::Word(_) => all,
        }
    }
}

fn default_theme() -> String {
    "default".into()
}
fn default_base() -> String {
    "/".into()
}
fn default_case_columns() -> Vec<String> {
    vec![
        "title".into(),
        "country".into(),
        "organisation".into(),
        "summary".into(),
    ]
}

/// Whether `s` is an id: lower-case ASCII letters, digits, `-` and `_`, not empty.
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A diagnostic at the line where `key = ` is set (the first such line), else at the start.
fn at_value(kind: Kind, text: &str, key: &str, msg: String) -> Diagnostic {
    Diagnostic::at(kind, "kyozai.toml", text, key_offset(text, key), msg)
}

/// Where the first line that sets `key = ` starts (after its indentation), else 0.
fn key_offset(text: &str, key: &str) -> usize {
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='))
        {
            return off + (line.len() - t.len());
        }
        off += line.len();
    }
    0
}

/// Whether `tag` is a BCP 47 language tag (RFC 5646) whose subtags are in the IANA registry, as
/// `language-tags` checks it; the reason when it is not.
fn check_language(tag: &str) -> std::result::Result<(), String> {
    let parsed = language_tags::LanguageTag::parse(tag).map_err(|e| e.to_string())?;
    parsed.validate().map_err(|e| e.to_string())
}

/// A diagnostic of `kind` at language `lang` in the `languages = [...]` list of `kyozai.toml`
/// (the first quoted `lang` after the key), else at the key, else at the start.
fn language_at(kind: Kind, text: &str, lang: &str, msg: String) -> Diagnostic {
    let start = key_offset(text, "languages");
    let rest = &text[start..];
    let end = rest.find(']').map_or(rest.len(), |e| e + 1);
    let found = ['"', '\'']
        .iter()
        .filter_map(|q| rest[..end].find(&format!("{q}{lang}{q}")))
        .min()
        .map_or(start, |at| start + at + 1);
    Diagnostic::at(kind, "kyozai.toml", text, found, msg)
}

fn self_language(text: &str, lang: &str, msg: String) -> Diagnostic {
    language_at(Kind::UnknownLanguage, text, lang, msg)
}

impl Config {
    /// Reads and checks `DIR/kyozai.toml`.
    pub fn load(dir: &Path) -> Result<Config> {
        let path = dir.join("kyozai.toml");
        let text = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::file(
                    Kind::InvalidSource,
                    "kyozai.toml",
                    format!("no kyozai.toml in {}", dir.display()),
                )
                .help("run kyozai in a course folder, or create one with `kyozai new DIR`")
                .into())
            }
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        let text = crate::text::decode("kyozai.toml".as_ref(), &text)?;
        Self::parse(&text)
    }

    /// Parses the text of `kyozai.toml`.
    pub fn parse(text: &str) -> Result<Config> {
        let rel = Path::new("kyozai.toml");
        let mut cfg: Config = crate::text::toml_from_str(rel, text, 0, text, CONFIG_KEYS)?;
        cfg.check(text)?;
        cfg.text = text.to_string();
        Ok(cfg)
    }

    fn check(&self, text: &str) -> Result<()> {
        let at = |key: &str, msg: String| {
            let off = text.find(key).unwrap_or(0);
            Diagnostic::at(Kind::InvalidSource, "kyozai.toml", text, off, msg)
        };
        if self.languages.is_empty() {
            return Err(at("languages", "`languages` is empty".into())
                .help("list at least one language, e.g. languages = [\"ja\", \"en\"]")
                .into());
        }
        if !self.languages.contains(&self.source_language) {
            return Err(at(
                "source_language",
                format!(
                    "source_language `{}` is not one of languages {:?}",
                    self.source_language, self.languages
                ),
            )
            .help("add it to `languages` or pick one of them")
            .into());
        }
        for l in &self.languages {
            if let Err(why) = check_language(l) {
                return Err(
                    self_language(text, l, format!("`{l}` is not a language tag: {why}"))
                        .help("write a BCP 47 language tag, such as ja, en, vi or pt-BR")
                        .into(),
                );
            }
        }
        let mut seen = BTreeMap::new();
        for l in &self.languages {
            if seen.insert(l, ()).is_some() {
                return Err(at("languages", format!("language `{l}` is listed twice")).into());
            }
        }
        if self.title.get(&self.source_language).is_none() {
            return Err(at(
                "title",
                format!("the course title has no `{}` text", self.source_language),
            )
            .help(format!("write [title] {} = \"…\"", self.source_language))
            .into());
        }
        if !self.base_path.starts_with('/') {
            return Err(at("base_path", "base_path must start with /".into())
                .help("for example base_path = \"/training/\"")
                .into());
        }
        if let Some(id) = &self.id {
            if !is_id(id) {
                return Err(at_value(
                    Kind::InvalidSource,
                    text,
                    "id",
                    format!("`{id}` is not a course id"),
                )
                .help("use lower-case letters, digits and dashes, e.g. id = \"hospital-security\"")
                .into());
            }
        }
        if let Some(c) = &self.completion {
            if let Some(QuizRule::Word(w)) = &c.quizzes {
                if w != "all" {
                    return Err(at_value(Kind::InvalidSource, text, "quizzes", format!("quizzes = \"{w}\" is not a rule"))
                        .help("write quizzes = \"all\" or a list of quiz ids, e.g. quizzes = [\"awareness\"]")
                        .into());
                }
            }
            if c.quizzes.is_none() && c.checklist.is_none() {
                return Err(at(
                    "[completion]",
                    "[completion] says nothing completes the course".into(),
                )
                .help("add quizzes = \"all\" (or a list of quiz ids) and/or checklist = \"ID\"")
                .into());
            }
        }
        Ok(())
    }

    /// The course id: `id`, else a slug of the source-language title.
    pub fn course_id(&self) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => crate::text::github_slug(self.title.or(&self.source_language, "")),
        }
    }

    /// Where language `lang` is listed in `kyozai.toml`'s `languages`, for errors about a language
    /// found after parsing (such as a language the theme has no UI strings for).
    pub fn locate_language(&self, kind: Kind, lang: &str, msg: String) -> Diagnostic {
        language_at(kind, &self.text, lang, msg)
    }

    /// Where `key = …` starts in `kyozai.toml` (line start), for errors found after parsing.
    pub fn locate(&self, kind: Kind, key: &str, msg: String) -> Diagnostic {
        at_value(kind, &self.text, key, msg)
    }

    /// The base path with exactly one trailing slash.
    pub fn base(&self) -> String {
        let mut b = self.base_path.trim_end_matches('/').to_string();
        b.push('/');
        b
    }
}

#[cfg(test)]
impl Config {
    /// The configuration of a one-language course (`en`, id `course`) with `extra` after it, for
    /// the unit tests of the modules that read one.
    pub(crate) fn for_tests(extra: &str) -> Config {
        Config::parse(&format!(
            "id = \"course\"\nsource_language = \"en\"\nlanguages = [\"en\"]\n[title]\nen = \"C\"\n{extra}"
        ))
        .expect("a valid configuration")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"教材\"\nen = \"Course\"\n";

    #[test]
    fn parses_minimal() {
        let c = Config::parse(OK).unwrap();
        assert_eq!(c.languages, ["ja", "en"]);
        assert_eq!(c.theme, "default");
        assert_eq!(c.base(), "/");
    }

    #[test]
    fn unknown_key_suggests() {
        let err = Config::parse(&format!("langauges = []\n{OK}")).unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!((d.line, d.column), (1, 1));
        assert!(d.message.contains("langauges"), "{}", d.message);
        assert_eq!(d.help.as_deref(), Some("did you mean `languages`?"));
    }

    #[test]
    fn languages_are_bcp47_tags_pointed_at_where_listed() {
        let three = OK.replace("[\"ja\", \"en\"]", "[\"ja\", \"en\", \"vi\", \"pt-BR\"]");
        assert_eq!(Config::parse(&three).unwrap().languages.len(), 4);
        for (bad, col) in [("en_US", 27), ("english", 27), ("", 27)] {
            let text = OK.replace("[\"ja\", \"en\"]", &format!("[\"ja\", \"en\", \"{bad}\"]"));
            let err = Config::parse(&text).unwrap_err();
            let d = &err.diagnostics()[0];
            assert_eq!(d.kind, Kind::UnknownLanguage, "{bad}");
            assert_eq!((d.line, d.column), (2, col), "{bad}: {}", d.message);
            assert!(d.message.contains("is not a language tag"), "{}", d.message);
        }
        let c = Config::parse(&three).unwrap();
        let d = c.locate_language(Kind::UnknownLanguage, "vi", "x".into());
        assert_eq!((d.line, d.column), (2, 27));
    }

    #[test]
    fn source_language_must_be_listed() {
        let err =
            Config::parse(&OK.replace("source_language = \"ja\"", "source_language = \"fr\""))
                .unwrap_err();
        assert!(err.to_string().contains("not one of languages"));
    }
}
