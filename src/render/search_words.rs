//! The search box's words, as the JSON object `static/search.js` reads from the page: made once
//! per language when the theme loads (from [`Theme::strings`](super::theme::Theme::strings)), and
//! given to templates by the function `search_words`.

use std::collections::{BTreeMap, HashMap};

/// A language's UI strings by key.
type Strings = BTreeMap<String, String>;

/// The object's keys and the UI strings they hold: `search_results_CATEGORY` and
/// `search_results_partial_CATEGORY` (a count while batches are left) per plural category.
const WORDS: [(&str, &str); 14] = [
    ("no_results", "search_no_results"),
    ("results", "search_results"),
    ("results_zero", "search_results_zero"),
    ("results_one", "search_results_one"),
    ("results_two", "search_results_two"),
    ("results_few", "search_results_few"),
    ("results_many", "search_results_many"),
    ("results_partial", "search_results_partial"),
    ("results_partial_zero", "search_results_partial_zero"),
    ("results_partial_one", "search_results_partial_one"),
    ("results_partial_two", "search_results_partial_two"),
    ("results_partial_few", "search_results_partial_few"),
    ("results_partial_many", "search_results_partial_many"),
    ("more", "search_more"),
];

/// The object for strings `s` (a missing string is empty), one key a line, safe inside a
/// `<script>` element.
pub fn json(s: &Strings) -> String {
    let lines: Vec<String> = WORDS
        .iter()
        .map(|(key, string)| {
            let text = s.get(*string).map(String::as_str).unwrap_or("");
            let text = serde_json::to_string(text).expect("a string serialises");
            format!("\"{key}\":{}", crate::text::script_json(&text))
        })
        .collect();
    format!("{{\n{}\n}}", lines.join(",\n"))
}

/// The template function `search_words(lang=LANG)`: the object of `lang`, or of English for a
/// language the theme has no strings for.
pub fn function(
    by_lang: HashMap<String, String>,
) -> impl Fn(&HashMap<String, tera::Value>) -> tera::Result<tera::Value> + Send + Sync {
    move |args| {
        let lang = args
            .get("lang")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("search_words takes lang=\"LANG\""))?;
        let words = by_lang.get(lang).or_else(|| by_lang.get("en"));
        Ok(tera::Value::String(words.cloned().unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_a_line_and_script_safe() {
        let mut s = Strings::default();
        s.insert("search_more".into(), "More <b>\"x\"</b>".into());
        s.insert("search_results_one".into(), "{n} result".into());
        let j = json(&s);
        assert!(j.starts_with("{\n\"no_results\":\"\",\n"), "{j}");
        assert!(j.contains("\n\"results_one\":\"{n} result\",\n"), "{j}");
        assert!(
            j.ends_with("\n\"more\":\"More \\u003cb>\\\"x\\\"\\u003c/b>\"\n}"),
            "{j}"
        );
        assert_eq!(j.lines().count(), WORDS.len() + 2);
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v["more"], "More <b>\"x\"</b>");
    }

    #[test]
    fn a_language_without_strings_has_the_english_words() {
        let f = function(HashMap::from([
            ("en".to_string(), "{\"more\":\"More\"}".to_string()),
            ("ja".to_string(), "{\"more\":\"さらに\"}".to_string()),
        ]));
        let call = |lang: &str| {
            let args = HashMap::from([("lang".to_string(), tera::Value::from(lang))]);
            f(&args).unwrap().as_str().unwrap().to_string()
        };
        assert_eq!(call("ja"), "{\"more\":\"さらに\"}");
        assert_eq!(call("vi"), call("en"));
        assert!(f(&HashMap::new()).is_err());
    }

    /// The theme gives each language's words laid over the English ones, as its pages see them.
    #[test]
    fn the_theme_gives_each_language_its_words_over_the_english_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes/default/i18n")).unwrap();
        std::fs::write(
            dir.path().join("themes/default/i18n/ja.toml"),
            "search_no_results = \"なし\"\n",
        )
        .unwrap();
        let theme = super::super::theme::Theme::load(dir.path(), "default").unwrap();
        let mut tera = theme.tera.clone();
        let mut ctx = tera::Context::new();
        ctx.insert("lang", "ja");
        let ja = tera
            .render_str("{{ search_words(lang=lang) | safe }}", &ctx)
            .unwrap();
        let en = theme.strings("en");
        assert!(ja.contains("\"no_results\":\"なし\""), "{ja}");
        // A string Japanese does not have (a plural category) comes from English.
        let one = serde_json::to_string(en.get("search_results_one")).unwrap();
        assert!(ja.contains(&format!("\"results_one\":{one}")), "{ja}");
        assert_eq!(ja, json(&theme.strings("ja").0));
    }
}
