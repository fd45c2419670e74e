//! A page's language versions: a small map from language code to [`Variant`], kept as a sorted
//! vector. A course has a handful of languages, and a `BTreeMap` node is sized for eleven entries,
//! so at 100,000 pages the map alone would hold hundreds of megabytes it never uses.

use std::ops::Index;

use super::Variant;

/// Language code → the version of a page written in it, in code order (as a `BTreeMap` would
/// give them).
#[derive(Debug, Clone, Default)]
pub struct Variants(Vec<(String, Variant)>);

impl Variants {
    fn find(&self, lang: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(l, _)| l.as_str().cmp(lang))
    }

    /// The version in `lang`.
    pub fn get(&self, lang: &str) -> Option<&Variant> {
        self.find(lang).ok().map(|i| &self.0[i].1)
    }

    /// Whether the page is written in `lang`.
    pub fn contains_key(&self, lang: &str) -> bool {
        self.find(lang).is_ok()
    }

    /// Puts `v` in as the version in `lang`, giving back the one it replaces.
    pub fn insert(&mut self, lang: String, v: Variant) -> Option<Variant> {
        match self.find(&lang) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.0.insert(i, (lang, v));
                None
            }
        }
    }

    /// The versions in code order.
    pub fn values(&self) -> impl Iterator<Item = &Variant> {
        self.0.iter().map(|(_, v)| v)
    }

    /// (code, version) in code order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Variant)> {
        self.0.iter().map(|(l, v)| (l, v))
    }

    /// How many languages the page is written in.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the page is written in no language.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, Variant)> for Variants {
    fn from_iter<I: IntoIterator<Item = (String, Variant)>>(iter: I) -> Self {
        let mut out = Variants::default();
        for (l, v) in iter {
            out.insert(l, v);
        }
        out.0.shrink_to_fit();
        out
    }
}

impl<'a> IntoIterator for &'a Variants {
    type Item = (&'a String, &'a Variant);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Variant)>,
        fn(&'a (String, Variant)) -> (&'a String, &'a Variant),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(l, v)| (l, v))
    }
}

impl Index<&str> for Variants {
    type Output = Variant;
    /// The version in `lang`; panics when there is none, as a map's index does (callers index
    /// the source language, which every page has).
    fn index(&self, lang: &str) -> &Variant {
        self.get(lang)
            .unwrap_or_else(|| panic!("no version of the page in {lang}"))
    }
}

impl Index<&String> for Variants {
    type Output = Variant;
    fn index(&self, lang: &String) -> &Variant {
        &self[lang.as_str()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(file: &str) -> Variant {
        Variant {
            file: file.into(),
            text: "".into(),
            front: Default::default(),
            doc: Default::default(),
            body_offset: 0,
        }
    }

    #[test]
    fn keeps_languages_in_code_order_and_replaces_by_code() {
        let mut vs: Variants = [("ja", "a.ja.md"), ("en", "a.en.md")]
            .into_iter()
            .map(|(l, f)| (l.to_string(), variant(f)))
            .collect();
        assert_eq!(
            vs.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
            ["en", "ja"]
        );
        assert_eq!(vs["ja"].file, std::path::Path::new("a.ja.md"));
        assert!(vs.get("vi").is_none() && !vs.contains_key("vi"));
        let old = vs.insert("ja".into(), variant("b.ja.md"));
        assert_eq!(old.map(|v| v.file), Some("a.ja.md".into()));
        assert!(vs.insert("vi".into(), variant("a.vi.md")).is_none());
        assert_eq!(
            vs.values()
                .map(|v| v.file.to_str().unwrap())
                .collect::<Vec<_>>(),
            ["a.en.md", "b.ja.md", "a.vi.md"]
        );
        assert_eq!(vs.len(), 3);
    }
}
