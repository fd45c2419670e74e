//! Text helpers shared by every stage: decoding source bytes, localized strings, strict TOML and
//! YAML parsing with positions, slugs and HTML escaping.

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;

/// A text with one version per language: `{ ja = "…", en = "…" }`, or one string for all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Localized(pub BTreeMap<String, String>);

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            All(String),
            Each(BTreeMap<String, String>),
        }
        match Repr::deserialize(d)? {
            Repr::All(s) => Ok(Localized(BTreeMap::from([("*".to_string(), s)]))),
            Repr::Each(m) => Ok(Localized(m)),
        }
    }
}

impl Localized {
    /// The text in `lang`, if written.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0
            .get(lang)
            .or_else(|| self.0.get("*"))
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }
    /// The text in `lang`, else in `fallback`, else empty.
    pub fn or<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        self.get(lang).or_else(|| self.get(fallback)).unwrap_or("")
    }
    /// Whether no language has text.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|v| v.trim().is_empty())
    }
    /// Languages named that the site does not have.
    pub fn unknown_languages<'a>(
        &'a self,
        langs: &'a [String],
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .keys()
            .map(String::as_str)
            .filter(move |k| *k != "*" && !langs.iter().any(|l| l == k))
    }
}

/// Decodes a source file: UTF-8 only, a leading BOM dropped, CRLF and CR turned into LF.
pub fn decode(rel: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let s = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or_default();
            let (line, column) = crate::error::line_col(good, good.len());
            return Err(Diagnostic {
                kind: Kind::UnreadableFile,
                path: rel.to_path_buf(),
                line,
                column,
                message: format!(
                    "the file is not valid UTF-8 (byte {} is not part of a UTF-8 character)",
                    e.valid_up_to()
                ),
                help: Some(
                    "save the file as UTF-8 (in most editors: File › Save with Encoding › UTF-8)"
                        .into(),
                ),
                source_line: None,
            });
        }
    };
    if s.contains('\0') {
        let off = s.find('\0').unwrap_or(0);
        return Err(Diagnostic::at(
            Kind::UnreadableFile,
            rel,
            s,
            off,
            "the file contains a NUL byte: it looks like a binary file",
        )
        .help("move binary files out of content/ or give them a non-text extension"));
    }
    if s.contains('\r') {
        Ok(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(s.to_string())
    }
}

/// Turns a serde error message about an unknown field into a message and a suggestion.
fn explain(message: &str) -> (String, Option<String>) {
    let first = message.lines().next().unwrap_or(message).trim();
    if let Some(rest) = first.strip_prefix("unknown field `") {
        if let Some((name, tail)) = rest.split_once('`') {
            // serde lists the valid fields in backticks; some deserializers list them bare.
            let expected: Vec<&str> = if tail.contains('`') {
                tail.split('`').skip(1).step_by(2).collect()
            } else {
                tail.split_once("expected")
                    .map(|(_, l)| {
                        l.trim_start_matches(" one of")
                            .split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let help = crate::error::did_you_mean(
                name,
                &expected,
                Some("remove it".to_string()),
                "valid fields: ",
            );
            return (format!("unknown field `{name}`"), Some(help));
        }
    }
    if let Some(rest) = first.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or("");
        return (
            format!("missing field `{name}`"),
            Some(format!("add `{name}`")),
        );
    }
    if first.starts_with("invalid type") {
        return (
            first.to_string(),
            Some("check the value's type: text needs quotes, lists need [ ]".into()),
        );
    }
    (first.to_string(), None)
}

/// Parses TOML strictly. `body` is the TOML text; it starts at byte `base` of `full` (the whole
/// file), so positions are reported in the file's own lines.
pub fn toml_from_str<T: DeserializeOwned>(
    rel: &Path,
    full: &str,
    base: usize,
    body: &str,
    _keys: &[&str],
) -> Result<T, Diagnostic> {
    toml::from_str(body).map_err(|e| {
        let off = e.span().map(|s| s.start).unwrap_or(0) + base;
        let (msg, help) = explain(e.message());
        let mut d = Diagnostic::at(Kind::InvalidSource, rel, full, off, msg);
        d.help = help;
        d
    })
}

/// Parses YAML strictly, positions as for [`toml_from_str`].
pub fn yaml_from_str<T: DeserializeOwned>(
    rel: &Path,
    full: &str,
    base: usize,
    body: &str,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(body).map_err(|e| {
        let first_line = full[..base].matches('\n').count();
        let (line, column) = match e.location() {
            Some(l) => (l.line() as usize + first_line, l.column() as usize),
            None => (first_line + 1, 0),
        };
        let text = e.to_string();
        let raw = text
            .lines()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("-->"))
            .unwrap_or(&text);
        let raw = raw.trim_start_matches("error: ").trim();
        // The position is reported separately: drop a leading "line 2 column 1: ".
        let raw = match raw.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
            Some((pos, rest))
                if pos
                    .split(' ')
                    .all(|w| w == "column" || w.bytes().all(|b| b.is_ascii_digit())) =>
            {
                rest
            }
            _ => raw,
        };
        let (msg, help) = explain(raw);
        let mut d = Diagnostic::at_line(Kind::InvalidSource, rel, full, line.max(1), column, msg);
        d.help = help;
        d
    })
}

/// A heading id following GitHub's rules: lower case, spaces to `-`, punctuation dropped,
/// letters of every script (Japanese included) kept.
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// `json` made safe inside a `<script>` element: every `<` written as `\u003c` (the same string
/// to a JSON or JavaScript parser), so that no text in it can end the element.
pub fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

/// Appends `s` HTML-escaped to `out`, copying the runs between the characters it escapes whole
/// (they are ASCII, so every split is at a character boundary).
pub fn push_escaped(out: &mut String, s: &str) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// A file or folder name without its leading ordering number: `01-awareness` → `awareness`.
pub fn strip_order_prefix(name: &str) -> &str {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && name[digits..].starts_with(['-', '_']) && name.len() > digits + 1 {
        &name[digits + 1..]
    } else {
        name
    }
}

/// How a language writes whole numbers, from its UI strings `number_group`, `number_units` and
/// `number_round_unit` (see `themes/default/i18n/en.toml`): `13,000` in English, `1万3千` in
/// Japanese, `13.000` in Vietnamese.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberFormat {
    /// Between groups of three digits.
    pub group: String,
    /// Named units, largest first (`億` = 100,000,000, `万` = 10,000), or none.
    pub units: Vec<(String, u64)>,
    /// The unit the rest below the smallest of `units` is written in when it is a whole number of
    /// it (`千` = 1,000).
    pub round: Option<(String, u64)>,
}

impl NumberFormat {
    /// Reads the three UI strings; a unit that is not `NAME=VALUE` with a positive whole value is
    /// left out.
    pub fn parse(group: &str, units: &str, round: &str) -> NumberFormat {
        let unit = |u: &str| {
            let (name, value) = u.rsplit_once('=')?;
            let value: u64 = value.trim().parse().ok().filter(|v| *v > 0)?;
            Some((name.trim().to_string(), value))
        };
        let mut list: Vec<(String, u64)> = units.split('|').filter_map(unit).collect();
        list.sort_by_key(|u| std::cmp::Reverse(u.1));
        NumberFormat {
            group: group.to_string(),
            units: list,
            round: unit(round),
        }
    }

    /// `n` written in this format (a count of a unit without separators: `8000万`).
    pub fn format(&self, n: u64) -> String {
        let Some(smallest) = self.units.last().map(|u| u.1) else {
            return group3(n, &self.group);
        };
        if n < smallest {
            return group3(n, &self.group);
        }
        let mut out = String::new();
        let mut rest = n;
        for (name, value) in &self.units {
            let q = rest / value;
            rest %= value;
            if q > 0 {
                let _ = write!(out, "{q}{name}");
            }
        }
        if rest > 0 {
            match &self.round {
                Some((name, value)) if rest.is_multiple_of(*value) => {
                    let _ = write!(out, "{}{name}", rest / value);
                }
                _ => out.push_str(&group3(rest, &self.group)),
            }
        }
        out
    }
}

fn group3(n: u64, sep: &str) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A stable 64-bit FNV-1a hash, written as 16 hex digits (for translation tracking).
pub fn stable_hash(s: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_keeps_everything_else() {
        assert_eq!(
            escape_html("日本<b>&\"'語 ok"),
            "日本&lt;b&gt;&amp;&quot;&#39;語 ok"
        );
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(github_slug("Hello, World!"), "hello-world");
        assert_eq!(github_slug("明示の例"), "明示の例");
        assert_eq!(github_slug("1-4 外部委託先（例）"), "1-4-外部委託先例");
        assert_eq!(github_slug("IDS/IPS と FW"), "idsips-と-fw");
    }

    #[test]
    fn numbers_per_language() {
        let ja = NumberFormat::parse(",", "万=10000|億=100000000", "千=1000");
        let en = NumberFormat::parse(",", "", "");
        let vi = NumberFormat::parse(".", "", "");
        assert_eq!(ja.format(13000), "1万3千");
        assert_eq!(en.format(13000), "13,000");
        assert_eq!(vi.format(13000), "13.000");
        assert_eq!(ja.format(80_000_000), "8000万");
        assert_eq!(ja.format(4_030_000), "403万");
        assert_eq!(ja.format(3835), "3,835");
        assert_eq!(ja.format(19_000), "1万9千");
        assert_eq!(ja.format(13_500), "1万3,500");
        assert_eq!(ja.format(250_000_000), "2億5000万");
        assert_eq!(en.format(1220), "1,220");
        assert_eq!(en.format(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(
            NumberFormat::parse(",", "x=0|y=z", "").format(12345),
            "12,345"
        );
    }

    #[test]
    fn decode_rejects_bad_utf8_with_position() {
        let d = decode(Path::new("a.md"), b"ok\nab\xff").unwrap_err();
        assert_eq!((d.line, d.column), (2, 3));
        assert_eq!(
            decode(Path::new("a.md"), b"\xEF\xBB\xBFa\r\nb\rc").unwrap(),
            "a\nb\nc"
        );
    }

    #[test]
    fn order_prefix() {
        assert_eq!(strip_order_prefix("01-awareness"), "awareness");
        assert_eq!(strip_order_prefix("2024"), "2024");
        assert_eq!(strip_order_prefix("intro"), "intro");
    }
}
