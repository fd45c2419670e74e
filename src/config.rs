//! The site configuration, `kyozai.toml`: languages, titles, theme and base path, read strictly so
//! that a misspelt key is an error that names the nearest valid one.

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::text::Localized;

/// The keys `kyozai.toml` accepts at the top level.
pub const CONFIG_KEYS: &[&str] = &[
    "source_language",
    "languages",
    "theme",
    "base_path",
    "title",
    "description",
    "case_columns",
    "copyright",
];

/// `kyozai.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
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

/// Languages kyozai ships UI strings for.
pub const KNOWN_LANGUAGES: &[&str] = &["ja", "en"];

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
        let cfg: Config = crate::text::toml_from_str(rel, text, 0, text, CONFIG_KEYS)?;
        cfg.check(text)?;
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
            if !l.chars().all(|c| c.is_ascii_lowercase() || c == '-') || l.is_empty() {
                return Err(at(l, format!("`{l}` is not a language code"))
                    .help("use a lower-case code such as ja or en")
                    .into());
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
        Ok(())
    }

    /// The base path with exactly one trailing slash.
    pub fn base(&self) -> String {
        let mut b = self.base_path.trim_end_matches('/').to_string();
        b.push('/');
        b
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
    fn source_language_must_be_listed() {
        let err =
            Config::parse(&OK.replace("source_language = \"ja\"", "source_language = \"fr\""))
                .unwrap_err();
        assert!(err.to_string().contains("not one of languages"));
    }
}
