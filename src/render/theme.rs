//! The theme: Tera templates, static files and UI strings per language. The default theme is
//! compiled into the binary; a course's own `themes/NAME/` replaces its files one by one.

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::site::forms::Forms;
use crate::text::NumberFormat;

include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

/// UI strings of one language (`i18n/LANG.toml`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Strings(pub BTreeMap<String, String>);

impl Strings {
    /// The string for `key`, or the key itself when the theme lacks it.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The name of the country with ISO code `code` (`country_CODE`), or the code itself.
    pub fn country<'a>(&'a self, code: &'a str) -> &'a str {
        self.0
            .get(&crate::site::countries::key(code))
            .map(String::as_str)
            .unwrap_or(code)
    }

    /// `n` written as this language writes whole numbers (`number_group`, `number_units`,
    /// `number_round_unit`).
    pub fn format_number(&self, n: u64) -> String {
        let key = |k: &str| self.0.get(k).map(String::as_str).unwrap_or("");
        NumberFormat::parse(
            key("number_group"),
            key("number_units"),
            key("number_round_unit"),
        )
        .format(n)
    }

    /// Chapter `n`'s number (`chapter_number`): `第1章`, `Chapter 1`.
    pub fn chapter_number(&self, n: &str) -> String {
        crate::site::forms::chapter_number(self.0.get("chapter_number").map(String::as_str), n)
    }
}

/// The template that draws every slide of a deck, each followed by U+0001: kyozai's own, not a
/// theme file.
pub const SLIDES: &str = "kyozai/slides.html";

/// A loaded theme.
pub struct Theme {
    pub tera: Tera,
    /// Static files (`static/…`), path → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Language → UI strings.
    pub strings: BTreeMap<String, Strings>,
    /// The files a course overrides (for dependency tracking), relative to the course.
    pub overrides: Vec<std::path::PathBuf>,
    /// Whether a template of the course differs from the built-in one of that name (or has
    /// none): a copy made by `kyozai theme eject` that is left unchanged is not one.
    pub own_templates: bool,
    /// For each template a directive or figure renders with (`directives/…`, `figures/…`) and
    /// for the sidebar (`sidebar.html`, rendered once per list of entries): the UI
    /// strings it and the templates it includes name as `t.KEY`, per language, ready for Tera;
    /// none for a template that looks strings up by a computed key (`t[…]`), which gets them all.
    fragment_strings: std::collections::HashMap<String, BTreeMap<String, tera::Value>>,
}

/// The files of the default theme, for `kyozai new` and tests.
pub fn default_files() -> &'static [(&'static str, &'static [u8])] {
    DEFAULT_THEME
}

impl Theme {
    /// Whether every template is the default theme's own (the course overrides none).
    pub fn builtin_templates(&self) -> bool {
        !self.own_templates
    }

    /// Loads theme `name`: the built-in files, then the course's `themes/NAME/` over them.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut files: BTreeMap<String, (Vec<u8>, Option<std::path::PathBuf>)> = DEFAULT_THEME
            .iter()
            .map(|(p, b)| (p.to_string(), (b.to_vec(), None)))
            .collect();
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            return Err(Diagnostic::file(
                Kind::InvalidSource,
                "kyozai.toml",
                format!("theme `{name}` not found: there is no themes/{name}/ folder"),
            )
            .help("create the folder or set theme = \"default\"")
            .into());
        }
        let mut overrides = Vec::new();
        let mut own_templates = false;
        if dir.is_dir() {
            for e in walkdir::WalkDir::new(&dir).follow_links(false) {
                let e = e.map_err(|e| Error::io("read", &dir, std::io::Error::other(e)))?;
                if !e.file_type().is_file()
                    || crate::load::is_ignored(&e.file_name().to_string_lossy())
                {
                    continue;
                }
                let rel = e
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes =
                    std::fs::read(e.path()).map_err(|err| Error::io("read", e.path(), err))?;
                let course_rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf();
                overrides.push(course_rel.clone());
                if rel.starts_with("templates/")
                    && files.get(&rel).map(|(b, _)| b != &bytes).unwrap_or(true)
                {
                    own_templates = true;
                }
                files.insert(rel, (bytes, Some(course_rel)));
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default escaper also escapes `/`, which turns every relative URL into entities.
        tera.set_escape_fn(crate::text::escape_html);
        tera.register_filter("css_string", css_string_filter);
        let mut templates = Vec::new();
        let mut statics = BTreeMap::new();
        let mut strings = BTreeMap::new();
        for (rel, (bytes, origin)) in &files {
            let shown = origin
                .clone()
                .unwrap_or_else(|| Path::new("themes").join(name).join(rel));
            if let Some(t) = rel.strip_prefix("templates/") {
                let text = crate::text::decode(&shown, bytes)?;
                templates.push((t.to_string(), text, shown));
            } else if let Some(s) = rel.strip_prefix("static/") {
                statics.insert(s.to_string(), bytes.clone());
            } else if let Some(l) = rel
                .strip_prefix("i18n/")
                .and_then(|f| f.strip_suffix(".toml"))
            {
                let text = crate::text::decode(&shown, bytes)?;
                let map: BTreeMap<String, String> =
                    crate::text::toml_from_str(&shown, &text, 0, &text, &[])?;
                // A course's strings of a language the built-in theme has are laid over the
                // built-in ones key by key, so a course adds or changes only the words it needs.
                let mut all = BTreeMap::new();
                if origin.is_some() {
                    if let Some((_, b)) = DEFAULT_THEME.iter().find(|(p, _)| *p == rel.as_str()) {
                        let builtin = String::from_utf8_lossy(b);
                        all = crate::text::toml_from_str(&shown, &builtin, 0, &builtin, &[])?;
                    }
                }
                all.extend(map);
                strings.insert(l.to_string(), Strings(all));
            }
        }
        for (name, text, shown) in &templates {
            if let Err(e) = tera.add_raw_template(name, text) {
                return Err(template_error(shown, text, &e).into());
            }
        }
        // Every slide of a deck in one pass (see `render::slides`), each followed by U+0001.
        if let Err(e) = tera.add_raw_template(
            SLIDES,
            "{% for s in slides %}{% include \"slides-_slide.html\" %}\u{1}{% endfor %}",
        ) {
            return Err(Error::Internal(format!("slides template: {e}")));
        }
        if let Err(e) = tera.build_inheritance_chains() {
            return Err(Diagnostic::file(
                Kind::Template,
                overrides.first().cloned().unwrap_or_default(),
                format!("template error: {}", chain(&e)),
            )
            .help("check the templates' {% extends %} and {% block %} tags")
            .into());
        }
        let mut theme = Theme {
            tera,
            statics,
            strings,
            overrides,
            own_templates,
            fragment_strings: Default::default(),
        };
        theme.fragment_strings = fragment_strings(&theme, &templates);
        let words = theme
            .strings
            .keys()
            .map(|l| (l.clone(), super::search_words::json(&theme.strings(l).0)))
            .collect();
        theme
            .tera
            .register_function("search_words", super::search_words::function(words));
        Ok(theme)
    }

    /// Checks that the theme has UI strings (`i18n/LANG.toml`, the course's or built in) for every
    /// language of `config`: a language without them is an error at its place in `kyozai.toml`
    /// that names the file to add.
    pub fn check_languages(&self, config: &Config) -> Result<()> {
        let mut diags = Vec::new();
        for l in &config.languages {
            if self.strings.contains_key(l) {
                continue;
            }
            let file = format!("themes/{}/i18n/{l}.toml", config.theme);
            diags.push(
                config
                    .locate_language(
                        Kind::UnknownLanguage,
                        l,
                        format!("the theme has no UI strings for `{l}`: there is no i18n/{l}.toml"),
                    )
                    .help(format!(
                        "add {file} with the theme's words in this language (copy \
                         themes/default/i18n/en.toml from `kyozai theme eject` and translate it), \
                         or take `{l}` out of `languages`"
                    )),
            );
        }
        if diags.is_empty() {
            Ok(())
        } else {
            Err(Error::Source(diags))
        }
    }

    /// The forms (own name, chapter number) of each of `langs`, from their UI strings. A
    /// language's name is the one its own file gives (`language_name`), never the English one.
    pub fn forms(&self, langs: &[&str]) -> BTreeMap<String, Forms> {
        langs
            .iter()
            .map(|l| {
                let own = self.strings.get(*l);
                let all = self.strings(l);
                let forms = Forms {
                    name: own
                        .and_then(|s| s.0.get("language_name"))
                        .cloned()
                        .unwrap_or_default(),
                    chapter_number: all.get("chapter_number").to_string(),
                };
                (l.to_string(), forms)
            })
            .collect()
    }

    /// The words that make a paragraph lead into what follows it on a slide (`slides_lead_words`,
    /// `|` between them) in any of `langs`, each once, in order.
    pub fn lead_words(&self, langs: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in langs {
            let words = self.strings(l);
            for w in words.get("slides_lead_words").split('|') {
                if !w.is_empty() && w != "slides_lead_words" && !out.iter().any(|x| x == w) {
                    out.push(w.to_string());
                }
            }
        }
        out
    }

    /// The UI strings that `template` (a directive's, a figure's or the sidebar's) uses, in
    /// `lang`; `None` when it
    /// needs them all (see [`Theme::strings`]).
    pub fn template_strings(&self, template: &str, lang: &str) -> Option<&tera::Value> {
        let per_lang = self.fragment_strings.get(template)?;
        per_lang.get(lang).or_else(|| per_lang.get("en"))
    }

    /// UI strings for `lang`, English strings filling gaps, then keys.
    pub fn strings(&self, lang: &str) -> Strings {
        let mut s = self.strings.get("en").cloned().unwrap_or_default();
        if let Some(own) = self.strings.get(lang) {
            s.0.extend(own.0.clone());
        }
        s
    }

    /// The UI strings a content page's templates need: those that the default `base.html`,
    /// `page.html` and `home.html` name as `t.KEY` (every page serialises its strings, so fewer is
    /// faster), or all of them when the course has templates of its own.
    pub fn page_strings(&self, lang: &str) -> Strings {
        let all = self.strings(lang);
        if !self.builtin_templates() {
            return all;
        }
        let mut used = std::collections::BTreeSet::new();
        for (path, bytes) in DEFAULT_THEME {
            let page_template = ["base.html", "page.html", "home.html"]
                .iter()
                .any(|n| path.strip_prefix("templates/") == Some(n));
            if page_template {
                used.extend(string_keys(&String::from_utf8_lossy(bytes)));
            }
        }
        Strings(
            all.0
                .into_iter()
                .filter(|(k, _)| used.contains(k))
                .collect(),
        )
    }
}

/// The strings of every `directives/` and `figures/` template and of `sidebar.html` (see
/// [`Theme::template_strings`]).
fn fragment_strings(
    theme: &Theme,
    templates: &[(String, String, std::path::PathBuf)],
) -> std::collections::HashMap<String, BTreeMap<String, tera::Value>> {
    let text = |name: &str| {
        templates
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, t, _)| t.as_str())
    };
    let mut out = std::collections::HashMap::new();
    for (name, _, _) in templates {
        if !(name.starts_with("directives/")
            || name.starts_with("figures/")
            || name == "sidebar.html")
        {
            continue;
        }
        // The template and those it includes, transitively.
        let mut seen = vec![name.clone()];
        let mut keys = std::collections::BTreeSet::new();
        let mut dynamic = false;
        let mut i = 0;
        while i < seen.len() {
            let t = text(&seen[i]).unwrap_or("");
            dynamic |= t.contains("t[");
            keys.extend(string_keys(t));
            for inc in includes(t) {
                if !seen.contains(&inc) {
                    seen.push(inc);
                }
            }
            i += 1;
        }
        if dynamic {
            continue;
        }
        let mut langs: Vec<&String> = theme.strings.keys().collect();
        let en = "en".to_string();
        if !langs.contains(&&en) {
            langs.push(&en);
        }
        let per_lang = langs
            .into_iter()
            .map(|l| {
                let all = theme.strings(l);
                let map: tera::Map<String, tera::Value> = keys
                    .iter()
                    .map(|k| (k.clone(), tera::Value::String(all.get(k).to_string())))
                    .collect();
                (l.clone(), tera::Value::Object(map))
            })
            .collect();
        out.insert(name.clone(), per_lang);
    }
    out
}

/// The templates a template includes (`{% include "NAME" %}`).
fn includes(template: &str) -> Vec<String> {
    template
        .split("include")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start();
            let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let rest = &rest[1..];
            Some(rest[..rest.find(q)?].to_string())
        })
        .collect()
}

/// The keys a template names as `t.KEY`.
fn string_keys(template: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find("t.") {
        let before = template.len() - rest.len() + at;
        let starts_word = before == 0
            || !template.as_bytes()[before - 1].is_ascii_alphanumeric()
                && template.as_bytes()[before - 1] != b'_'
                && template.as_bytes()[before - 1] != b'.';
        rest = &rest[at + 2..];
        let key: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if starts_word && !key.is_empty() {
            keys.push(key);
        }
    }
    keys
}

/// A CSS string literal of `s`: quoted, `"` and `\\` escaped, line breaks as spaces and `<` as
/// `\3C ` (so that the text cannot close a `<style>` element).
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("\\3C "),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The template filter `css_string` (see [`css_string`]).
fn css_string_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    match value.as_str() {
        Some(s) => Ok(tera::Value::String(css_string(s))),
        None => Err(tera::Error::msg("the css_string filter takes a string")),
    }
}

/// Every message of an error chain on one line.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// A template syntax error with the line and column Tera reports.
fn template_error(path: &Path, text: &str, e: &tera::Error) -> Diagnostic {
    let full = chain(e);
    // Tera's parse errors contain " --> LINE:COL".
    let pos = full.split("--> ").nth(1).and_then(|r| {
        let mut it = r
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        Some((
            it.next()?.parse::<usize>().ok()?,
            it.next()?.parse::<usize>().ok()?,
        ))
    });
    let message = full
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let (line, col) = pos.unwrap_or((1, 0));
    Diagnostic::at_line(
        Kind::Template,
        path,
        text,
        line,
        col,
        format!("template error: {message}"),
    )
    .help("fix the template syntax; see the Tera documentation for tags and filters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_are_escaped() {
        assert_eq!(
            css_string("a \"b\" \\ <c>\n"),
            "\"a \\\"b\\\" \\\\ \\3C c> \""
        );
    }

    #[test]
    fn page_strings_are_the_ones_page_templates_name() {
        assert_eq!(
            string_keys("{{ t.a }} {{ x.t.b }} {{t.c_1}} at.d"),
            ["a", "c_1"]
        );
        let theme = Theme::load(Path::new("/nonexistent"), "default").unwrap();
        let s = theme.page_strings("ja");
        assert!(s.0.contains_key("skip_to_content") && s.0.contains_key("next"));
        assert!(
            !s.0.contains_key("handout_label"),
            "not used on content pages"
        );
        assert!(s.0.len() < theme.strings("ja").0.len());
    }

    #[test]
    fn every_known_country_and_the_language_forms_have_built_in_words() {
        let theme = Theme::load(Path::new("/nonexistent"), "default").unwrap();
        for lang in ["ja", "en"] {
            let s = &theme.strings[lang];
            for code in crate::site::countries::codes() {
                assert!(
                    s.0.contains_key(&crate::site::countries::key(code)),
                    "{lang}: no name for {code}"
                );
            }
        }
        let (ja, en) = (theme.strings("ja"), theme.strings("en"));
        assert_eq!((ja.country("JP"), en.country("JP")), ("日本", "Japan"));
        assert_eq!(en.country("XX"), "XX");
        assert_eq!(
            (ja.format_number(13000), en.format_number(13000)),
            ("1万3千".into(), "13,000".into())
        );
        assert_eq!(
            (ja.chapter_number("2"), en.chapter_number("2")),
            ("第2章".into(), "Chapter 2".into())
        );
        let forms = theme.forms(&["ja", "en", "fr"]);
        assert_eq!(
            (forms["ja"].name.as_str(), forms["en"].name.as_str()),
            ("日本語", "English")
        );
        assert_eq!(forms["fr"].name, "", "not the English name");
        assert_eq!(
            theme.lead_words(&["en", "ja"]),
            ["次の", "次に", "以下の", "以下に"]
        );
        assert!(theme.lead_words(&["en"]).is_empty());
    }
}
