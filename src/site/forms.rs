//! How each language of the course writes the words that are forms around a number or a code
//! rather than text of the course: its own name and a chapter's number, taken from the theme's UI
//! strings once the theme is loaded (the course model is built before the theme).

/// One language's forms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forms {
    /// The language's own name (`language_name`): `日本語`, `English`, `Tiếng Việt`.
    pub name: String,
    /// A chapter's number, `{n}` standing for it (`chapter_number`): `第{n}章`, `Chapter {n}`.
    pub chapter_number: String,
}

/// A chapter's number with the form `template` (`Chapter {n}` when there is none).
pub fn chapter_number(template: Option<&str>, n: &str) -> String {
    template.unwrap_or("Chapter {n}").replace("{n}", n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_numbers_follow_the_form() {
        assert_eq!(chapter_number(Some("第{n}章"), "3"), "第3章");
        assert_eq!(chapter_number(Some("Chương {n}"), "3"), "Chương 3");
        assert_eq!(chapter_number(None, "3"), "Chapter 3");
    }
}
