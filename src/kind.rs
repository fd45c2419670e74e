//! The kinds of problem kyozai reports. Every diagnostic and every finding of `kyozai check` is
//! given its kind where it is made; the stable code of `kyozai check`'s output (`broken-link`,
//! `unknown-id`, …) is derived from the kind, never from the message.
//!
//! To add a kind: add one line to the [`kinds!`] list below (doc comment, variant, code), give it
//! to the diagnostics or findings that report it, and add its row to the table of codes in
//! `docs/check.md` (a test checks that the table lists exactly these codes).

macro_rules! kinds {
    ($( $(#[doc = $doc:literal])+ $name:ident = $code:literal, )+) => {
        /// What kind of problem a diagnostic or finding reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $( $(#[doc = $doc])+ $name, )+
        }

        impl Kind {
            /// Every kind, in the order of the list.
            pub const ALL: &'static [Kind] = &[$(Kind::$name),+];

            /// The stable code `kyozai check` prints for this kind.
            pub fn code(self) -> &'static str {
                match self {
                    $(Kind::$name => $code,)+
                }
            }
        }
    };
}

kinds! {
    /// A link to a file or page that does not exist, is outside `content/`, is absolute or has
    /// no destination; a data field's link to the course.
    BrokenLink = "broken-link",
    /// A link to a heading id the target page does not have.
    BrokenAnchor = "broken-anchor",
    /// A `term:ID` link to a glossary term that is not defined.
    UndefinedTerm = "undefined-term",
    /// A reference to a case, category, checklist, list, subject, control, domain, country or
    /// column that does not exist.
    UnknownId = "unknown-id",
    /// An id, term, weight or URL used twice.
    Duplicate = "duplicate",
    /// Front matter missing, never closed, or not valid.
    FrontMatter = "front-matter",
    /// A file that is not UTF-8 text, is binary or is too large.
    UnreadableFile = "unreadable-file",
    /// An unknown directive or bad directive options.
    Directive = "directive",
    /// A theme template that does not compile or render.
    Template = "template",
    /// A language of `kyozai.toml` that is not a BCP 47 tag, or that the theme has no UI strings
    /// (`i18n/LANG.toml`) for.
    UnknownLanguage = "unknown-language",
    /// Any other problem with a source file: wrong type, unknown field, bad value, bad layout.
    InvalidSource = "invalid-source",
    /// A link in the rendered site that leads to no file of the site.
    BrokenOutputLink = "broken-output-link",
    /// A fragment in the rendered site that is not an id of the target page.
    BrokenOutputAnchor = "broken-output-anchor",
    /// Raw HTML with an inline `<script>`.
    CspInlineScript = "csp-inline-script",
    /// Raw HTML with an `on…=` event handler attribute.
    CspEventHandler = "csp-event-handler",
    /// A `javascript:` link or attribute.
    CspJavascriptUrl = "csp-javascript-url",
    /// A `style=` attribute or `<style>` element.
    CspInlineStyle = "csp-inline-style",
    /// A resource loaded from another site, or an `<object>`/`<embed>`.
    CspExternalResource = "csp-external-resource",
    /// A page or data text with no version in a language.
    MissingTranslation = "missing-translation",
    /// An image without a text alternative.
    ImageAlt = "image-alt",
    /// A translation made from an older version of its source.
    StaleTranslation = "stale-translation",
    /// A translation that does not record which version of its source it was made from.
    UntrackedTranslation = "untracked-translation",
    /// A page of the rendered site that no other page links to.
    OrphanPage = "orphan-page",
    /// A case study that no page's `{cases}` table selects.
    UncitedCase = "uncited-case",
    /// A link to another site, listed for a person to look at.
    ExternalLink = "external-link",
    /// Checks that could not run because of other errors.
    ChecksSkipped = "checks-skipped",
    /// A page kyozai made because its file is missing: the course home (from `kyozai.toml`),
    /// a chapter page (titled after its folder).
    GeneratedPage = "generated-page",
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    /// The codes in the table of `docs/check.md`'s "What is checked", in order.
    fn documented() -> Vec<String> {
        let doc = include_str!("../docs/check.md");
        let table = doc
            .split("## What is checked")
            .nth(1)
            .expect("docs/check.md has a section \"What is checked\"");
        table
            .lines()
            .skip_while(|l| !l.starts_with("| code "))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cell = l.split('|').nth(1).expect("a first cell").trim();
                cell.trim_matches('`').to_string()
            })
            .collect()
    }

    #[test]
    fn docs_list_exactly_the_codes() {
        let mut doc = documented();
        let mut codes: Vec<String> = Kind::ALL.iter().map(|k| k.code().to_string()).collect();
        doc.sort();
        codes.sort();
        assert_eq!(doc, codes, "docs/check.md's table of codes and Kind differ");
    }

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for k in Kind::ALL {
            let c = k.code();
            assert!(seen.insert(c), "{c} twice");
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{c}"
            );
        }
    }
}
