//! Where the course's pages are in the output, the one place that knows their URL scheme: each
//! page is the `index.html` of a folder of its language, `LANG/SLUG-PATH/index.html`, the home
//! `LANG/index.html`. A page's file, the links to it (sidebar, breadcrumbs, cards, links between
//! pages, quiz reviews) and its URL in the search index are all made from these.

use crate::site::Site;

/// The path of a page below its language's folder, from its slug path: `SLUG-PATH/index.html`,
/// `index.html` for the home (whose slug path is empty).
pub fn in_lang(slug_path: &str) -> String {
    if slug_path.is_empty() {
        "index.html".to_string()
    } else {
        format!("{slug_path}/index.html")
    }
}

/// The path of page `i` of `site` in `lang`, from the output's root.
pub fn page_path(site: &Site, i: usize, lang: &str) -> String {
    path(lang, &site.pages[i].slug_path)
}

/// The path of the home page of `lang`, from the output's root.
pub fn home_path(lang: &str) -> String {
    path(lang, "")
}

/// The path of the page with slug path `slug_path` in `lang`, from the output's root.
fn path(lang: &str, slug_path: &str) -> String {
    format!("{lang}/{}", in_lang(slug_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_folders_of_their_language() {
        assert_eq!(in_lang(""), "index.html");
        assert_eq!(
            in_lang("01-intro/02-second"),
            "01-intro/02-second/index.html"
        );
        assert_eq!(path("ja", "01-intro"), "ja/01-intro/index.html");
        assert_eq!(home_path("en"), "en/index.html");
    }
}
