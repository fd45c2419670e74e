//! The helpers every data validator shares: ids (well formed, unique across every data file),
//! localized text (only the course's languages, the source language present, the other languages
//! reported when missing) and per-language labels.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::{Diagnostic, Diagnostics};
use crate::kind::Kind;
use crate::load::data::{DataFile, Labelled};
use crate::text::Localized;

/// What the validators report into, and what they check against.
pub(super) struct Checker<'a> {
    /// The course's languages.
    pub langs: &'a [String],
    /// Its source language, which every text must have.
    pub src: &'a str,
    /// Errors.
    pub diags: &'a mut Diagnostics,
    /// Warnings (missing translations).
    pub warnings: &'a mut Vec<Diagnostic>,
    /// Every id seen so far, by kind, and the file that defined it.
    ids: HashMap<(&'static str, String), PathBuf>,
}

/// Whether `id` can be part of a URL, a file name and an HTML attribute.
pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl<'a> Checker<'a> {
    pub(super) fn new(
        langs: &'a [String],
        src: &'a str,
        diags: &'a mut Diagnostics,
        warnings: &'a mut Vec<Diagnostic>,
    ) -> Checker<'a> {
        Checker {
            langs,
            src,
            diags,
            warnings,
            ids: HashMap::new(),
        }
    }

    /// Records the `kind` id `id` of file `f`, reporting it when it is not a valid id; true when
    /// another file (or record) already defined it, which is reported too.
    pub(super) fn duplicate(&mut self, kind: &'static str, id: &str, f: &DataFile) -> bool {
        // Ids become parts of URLs, file names and HTML attributes.
        if !valid_id(id) {
            self.diags.push(
                f.locate(
                    Kind::InvalidSource,
                    None,
                    id,
                    format!("`{id}` is not a valid id"),
                )
                .help("use letters, digits, dashes and underscores only"),
            );
        }
        if let Some(other) = self.ids.insert((kind, id.to_string()), f.path.clone()) {
            self.diags.push(
                f.locate(
                    Kind::Duplicate,
                    None,
                    id,
                    format!(
                        "the {kind} id `{id}` is also defined in {}",
                        other.display()
                    ),
                )
                .help("ids must be unique across every data file: rename one"),
            );
            true
        } else {
            false
        }
    }

    /// Checks the text `t` of `field` of record `id`: languages of the course only, the source
    /// language present (when `required`, or when any text is given), the others warned about.
    pub(super) fn text(
        &mut self,
        f: &DataFile,
        id: &str,
        field: &str,
        t: &Localized,
        required: bool,
    ) {
        let (src, owner) = (self.src, format!("`{id}`"));
        self.languages(f, id, field, &owner, t);
        if t.get(src).is_none() {
            if required || !t.is_empty() {
                self.missing_source(f, id, field, &owner);
            }
            return;
        }
        for l in self.langs {
            if t.get(l).is_none() {
                self.warnings.push(
                    f.locate(
                        Kind::MissingTranslation,
                        Some(id),
                        field,
                        format!("`{field}` of {owner} has no {l} text; the {src} text is shown"),
                    )
                    .help(format!("add {l} = \"…\"")),
                );
            }
        }
    }

    /// Checks the required text `t` of `field` of a checklist's item `id`.
    pub(super) fn item_text(&mut self, f: &DataFile, id: &str, field: &str, t: &Localized) {
        let (src, owner) = (self.src, format!("item `{id}`"));
        self.languages(f, id, field, &owner, t);
        if t.get(src).is_none() {
            self.missing_source(f, id, field, &owner);
        }
        for l in self.langs {
            if t.get(l).is_none() && l != src {
                self.warnings.push(
                    f.locate(
                        Kind::MissingTranslation,
                        Some(id),
                        field,
                        format!("`{field}` of {owner} has no {l} text"),
                    )
                    .help(format!("add {l} = \"…\"")),
                );
            }
        }
    }

    /// Reports each language of `t` that the course does not have.
    fn languages(&mut self, f: &DataFile, id: &str, field: &str, owner: &str, t: &Localized) {
        for l in t.unknown_languages(self.langs) {
            self.diags.push(
                f.locate(
                    Kind::InvalidSource,
                    Some(id),
                    l,
                    format!("`{l}` in `{field}` of {owner} is not a language of this course"),
                )
                .help(format!("use one of {}", self.langs.join(", "))),
            );
        }
    }

    fn missing_source(&mut self, f: &DataFile, id: &str, field: &str, owner: &str) {
        let src = self.src;
        self.diags.push(
            f.locate(
                Kind::MissingTranslation,
                Some(id),
                field,
                format!("`{field}` of {owner} has no {src} text"),
            )
            .help(format!("add {src} = \"…\"")),
        );
    }

    /// Checks the labels of `l`, a checklist's `what` (subject, control, status or group): one
    /// per language of the course, the source language's required, no other field.
    pub(super) fn labels(&mut self, f: &DataFile, what: &str, l: &Labelled) {
        let (langs, src) = (self.langs, self.src);
        for k in l.label.keys() {
            if !langs.contains(k) {
                let fields = match what {
                    "status" => "id, score, na",
                    "group" => "id, domains",
                    _ => "id",
                };
                self.diags.push(
                    f.locate(
                        Kind::InvalidSource,
                        Some(&l.id),
                        k,
                        format!("unknown field `{k}` in {what} `{}`", l.id),
                    )
                    .help(format!(
                        "a {what} has {fields} and one label per language ({})",
                        langs.join(", ")
                    )),
                );
            }
        }
        if !l.label.contains_key(src) {
            self.diags.push(
                f.locate(
                    Kind::MissingTranslation,
                    None,
                    &l.id,
                    format!("{what} `{}` has no {src} label", l.id),
                )
                .help(format!("add {src} = \"…\"")),
            );
        }
        for lang in langs {
            if !l.label.contains_key(lang) && lang != src {
                self.warnings.push(
                    f.locate(
                        Kind::MissingTranslation,
                        None,
                        &l.id,
                        format!("{what} `{}` has no {lang} label", l.id),
                    )
                    .help(format!("add {lang} = \"…\"")),
                );
            }
        }
    }
}
