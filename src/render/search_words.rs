//! The search box's words, as the JSON object `static/search.js` reads from the page: made once
//! per language when the theme loads, and given to templates by the function `search_words`.

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
            format!("\"{key}\":{}", text.replace('<', "\\u003c"))
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

/// The objects of every language of `strings` (each laid over English, as pages see them).
pub fn by_lang<'a>(
    strings: impl Iterator<Item = (&'a String, &'a Strings)>,
) -> HashMap<String, String> {
    let strings: Vec<_> = strings.collect();
    let en = strings
        .iter()
        .find(|(l, _)| *l == "en")
        .map(|(_, s)| (*s).clone())
        .unwrap_or_default();
    strings
        .iter()
        .map(|(lang, own)| {
            let mut s = en.clone();
            s.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
            (lang.to_string(), json(&s))
        })
        .collect()
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
        let mut strings = BTreeMap::new();
        let mut en = Strings::default();
        en.insert("search_more".into(), "More".into());
        strings.insert("en".to_string(), en);
        let mut ja = Strings::default();
        ja.insert("search_no_results".into(), "なし".into());
        strings.insert("ja".to_string(), ja);
        let f = function(by_lang(strings.iter()));
        let call = |lang: &str| {
            let args = HashMap::from([("lang".to_string(), tera::Value::from(lang))]);
            f(&args).unwrap().as_str().unwrap().to_string()
        };
        assert!(
            call("ja").contains("\"no_results\":\"なし\"")
                && call("ja").contains("\"more\":\"More\"")
        );
        assert_eq!(call("vi"), call("en"));
        assert!(f(&HashMap::new()).is_err());
    }
}
