//! Turns the build's own diagnostics (errors of loading and of the site model, the site's
//! warnings) into findings, giving each the code of the kind of problem it reports.

use super::{Finding, Severity};
use crate::error::Diagnostic;

/// An error of the load or site stage.
pub fn error(d: &Diagnostic) -> Finding {
    Finding::from_diagnostic(Severity::Error, code(&d.message), d)
}

/// A warning of the site stage.
pub fn warning(d: &Diagnostic) -> Finding {
    Finding::from_diagnostic(Severity::Warning, code(&d.message), d)
}

/// The code for a diagnostic message of the load and site stages. The patterns follow the
/// messages written in `src/load`, `src/site` and `src/text.rs`; anything else is `invalid-source`.
pub fn code(message: &str) -> &'static str {
    let m = message;
    let has = |s: &str| m.contains(s);
    if has("the glossary term `") && has("is not defined") {
        "undefined-term"
    } else if has("no heading with the id") {
        "broken-anchor"
    } else if has("does not exist")
        || has("is not a page of the course")
        || has("leads outside the course")
        || has("is an absolute path")
        || has("the link has no destination")
        || has("in a data field leads nowhere")
    {
        "broken-link"
    } else if has("no text alternative") {
        "image-alt"
    } else if m.starts_with("unknown case")
        || m.starts_with("unknown category")
        || m.starts_with("unknown checklist")
        || m.starts_with("unknown list")
        || m.starts_with("unknown country")
        || m.starts_with("unknown column")
        || has("which the checklist does not define")
        || has("is not a flow")
        || has("names domain")
        || (has("domain") && has("does not exist"))
    {
        "unknown-id"
    } else if has("is also defined in")
        || has("is used twice")
        || has("is defined twice")
        || has("is also used by")
        || has("same URL")
    {
        "duplicate"
    } else if (m.starts_with("no ") && has(" translation"))
        || has("text; the")
        || (has(" has no ") && (has(" text") || has(" entry") || has(" label")))
        || (has(" page has no ") && has(" source"))
    {
        "missing-translation"
    } else if has("not valid UTF-8") || has("NUL byte") || has("text files larger than") {
        "unreadable-file"
    } else if has("front matter") {
        "front-matter"
    } else if m.starts_with("unknown directive")
        || has("takes its options in the block")
        || has("nested more than")
        || has("selects nothing")
    {
        "directive"
    } else if m.starts_with("template error") {
        "template"
    } else {
        "invalid-source"
    }
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn codes_of_known_messages() {
        assert_eq!(
            code("the glossary term `x` is not defined"),
            "undefined-term"
        );
        assert_eq!(code("`a.md` is not a page of the course"), "broken-link");
        assert_eq!(
            code("`a.md` has no heading with the id `#x` in its en version"),
            "broken-anchor"
        );
        assert_eq!(code("unknown category `x` in case `y`"), "unknown-id");
        assert_eq!(
            code("the case id `x` is also defined in a.toml"),
            "duplicate"
        );
        assert_eq!(
            code("no en translation: the en page shows the ja text under a notice"),
            "missing-translation"
        );
        assert_eq!(
            code("`title` of `x` has no en text; the ja text is shown"),
            "missing-translation"
        );
        assert_eq!(code("this image has no text alternative"), "image-alt");
        assert_eq!(code("this en page has no ja source"), "missing-translation");
        assert_eq!(
            code("front matter opened with `+++` is never closed"),
            "front-matter"
        );
        assert_eq!(code("unknown field `sumary`"), "invalid-source");
    }
}
