//! Knowledge-check quizzes, checked: pass mark, question and option ids, right answers that fit
//! the kind of question, every text in every language, and the section each question sends a
//! learner back to (resolved to a page of the course like a Markdown link).

use std::path::{Path, PathBuf};

use super::links::{resolve_file, Target};
use super::Site;
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::kind::Kind;
use crate::load::data::DataFile;
use crate::load::quiz::{QuestionKind, QuizData};
use crate::text::Localized;

/// A checked quiz and the file it came from.
#[derive(Debug, Clone)]
pub struct Quiz {
    /// The quiz as read.
    pub data: QuizData,
    /// The data file it was read from (relative to the course).
    pub file: PathBuf,
}

/// Checks one quiz file's contents (everything but the review links, which need the pages).
pub fn check(f: &DataFile, q: &QuizData, langs: &[String], diags: &mut Diagnostics) {
    let id = q.id.as_str();
    if !(0..=100).contains(&q.pass_mark) {
        diags.push(
            f.locate(
                Kind::InvalidSource,
                None,
                "pass_mark",
                format!(
                    "the pass mark of quiz `{id}` is {}, but it is a percentage",
                    q.pass_mark
                ),
            )
            .help("give a whole number from 0 to 100, e.g. pass_mark = 70"),
        );
    }
    let text = |what: String, t: &Localized, after: &str, field: &str, d: &mut Diagnostics| {
        for l in t.unknown_languages(langs) {
            d.push(
                f.locate(
                    Kind::InvalidSource,
                    Some(after),
                    l,
                    format!("`{l}` in {what} is not a language of this course"),
                )
                .help(format!("use one of {}", langs.join(", "))),
            );
        }
        for l in langs {
            if t.get(l).is_none() {
                d.push(
                    f.locate(
                        Kind::MissingTranslation,
                        Some(after),
                        field,
                        format!("{what} has no {l} text"),
                    )
                    .help(format!(
                        "add {l} = \"…\": a quiz is shown whole in every language"
                    )),
                );
            }
        }
    };
    text(
        format!("the title of quiz `{id}`"),
        &q.title,
        id,
        "title",
        diags,
    );
    if let Some(d) = &q.description {
        text(
            format!("the description of quiz `{id}`"),
            d,
            id,
            "description",
            diags,
        );
    }
    if q.questions.is_empty() {
        diags.push(
            f.locate(
                Kind::InvalidSource,
                None,
                id,
                format!("quiz `{id}` has no questions"),
            )
            .help("add [[question]] tables with id, kind, text and [[question.option]]"),
        );
    }
    let mut qids: Vec<&str> = Vec::new();
    for qu in &q.questions {
        let qid = qu.id.as_str();
        if !valid_id(qid) {
            diags.push(
                f.locate(
                    Kind::InvalidSource,
                    None,
                    qid,
                    format!("`{qid}` is not a valid question id"),
                )
                .help("use letters, digits, dashes and underscores only"),
            );
        }
        if qids.contains(&qid) {
            let n = qids.iter().filter(|x| **x == qid).count();
            diags.push(
                f.locate_nth(
                    Kind::Duplicate,
                    &format!("\"{qid}\""),
                    n,
                    format!("the question id `{qid}` is used twice in quiz `{id}`"),
                )
                .help("give each question a different id"),
            );
        }
        qids.push(qid);
        let at = |kind: Kind, needle: &str, msg: String| f.locate(kind, Some(qid), needle, msg);
        text(
            format!("the text of question `{qid}`"),
            &qu.text,
            qid,
            "text",
            diags,
        );
        if let Some(e) = &qu.explanation {
            text(
                format!("the explanation of question `{qid}`"),
                e,
                qid,
                "explanation",
                diags,
            );
        }
        let mut oids: Vec<&str> = Vec::new();
        for o in &qu.options {
            if !valid_id(&o.id) {
                diags.push(
                    at(
                        Kind::InvalidSource,
                        &o.id,
                        format!("`{}` is not a valid option id", o.id),
                    )
                    .help("use letters, digits, dashes and underscores only"),
                );
            }
            if oids.contains(&o.id.as_str()) {
                let n = oids.iter().filter(|x| **x == o.id).count();
                diags.push(
                    nth_after(
                        Kind::Duplicate,
                        f,
                        qid,
                        &o.id,
                        n,
                        format!("the option id `{}` is used twice in question `{qid}`", o.id),
                    )
                    .help("give each option of a question a different id"),
                );
            }
            oids.push(&o.id);
            text(
                format!("option `{}` of question `{qid}`", o.id),
                &o.text,
                qid,
                &o.id,
                diags,
            );
            if let Some(fb) = &o.feedback {
                text(
                    format!("the feedback of option `{}` of question `{qid}`", o.id),
                    fb,
                    qid,
                    "feedback",
                    diags,
                );
            }
        }
        let wanted = match qu.kind {
            QuestionKind::TrueFalse => Some(2),
            _ => None,
        };
        if qu.options.len() < 2 || wanted.is_some_and(|n| n != qu.options.len()) {
            diags.push(
                at(
                    Kind::InvalidSource,
                    qid,
                    format!(
                        "question `{qid}` has {} option{}",
                        qu.options.len(),
                        if qu.options.len() == 1 { "" } else { "s" }
                    ),
                )
                .help(if qu.kind == QuestionKind::TrueFalse {
                    "a true-false question has exactly two options, one of them correct"
                } else {
                    "give at least two [[question.option]] tables"
                }),
            );
        }
        if let Some(ans) = &qu.answer {
            if qu.options.iter().any(|o| o.correct) {
                diags.push(
                    at(
                        Kind::InvalidSource,
                        "answer",
                        format!("question `{qid}` gives its answer twice: as `answer` and as `correct = true` on options"),
                    )
                    .help("keep one of the two"),
                );
            }
            for a in ans.ids() {
                if !oids.contains(&a) {
                    let known = format!("its options: {}", oids.join(", "));
                    let help = match suggest(a, oids.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? {known}"),
                        None => known,
                    };
                    diags.push(
                        at(
                            Kind::UnknownId,
                            a,
                            format!(
                                "the answer `{a}` of question `{qid}` is not one of its options"
                            ),
                        )
                        .help(help),
                    );
                }
            }
        }
        let right = qu.correct_ids();
        if right.is_empty() {
            diags.push(
                at(
                    Kind::InvalidSource,
                    qid,
                    format!("question `{qid}` has no correct answer"),
                )
                .help("mark the right option with correct = true"),
            );
        } else if right.len() > 1 && qu.kind != QuestionKind::Multiple {
            diags.push(
                at(
                    Kind::InvalidSource,
                    qid,
                    format!(
                        "question `{qid}` is {} but has {} correct answers",
                        if qu.kind == QuestionKind::Single {
                            "single choice"
                        } else {
                            "true-false"
                        },
                        right.len()
                    ),
                )
                .help(if qu.kind == QuestionKind::Single {
                    "mark only one option correct, or make it kind = \"multiple\""
                } else {
                    "a true-false question has exactly one correct option"
                }),
            );
        }
    }
}

/// Checks that every question's `review` names a page (and heading) of the course in every
/// language.
pub fn check_reviews(site: &Site, diags: &mut Diagnostics) {
    for q in &site.data.quizzes {
        let Some(f) = site.data.files.iter().find(|f| f.path == q.file) else {
            continue;
        };
        for qu in &q.data.questions {
            let Some(r) = &qu.review else { continue };
            for lang in site.languages() {
                if let Err((kind, msg, help)) = review_target(site, lang, r) {
                    diags.push(
                        f.locate(
                            kind,
                            Some(&qu.id),
                            r,
                            format!("the review of question `{}`: {msg}", qu.id),
                        )
                        .help(help),
                    );
                    break;
                }
            }
        }
    }
}

/// The page (and heading) a `review` path leads to in `lang`. Paths are read from `content/`.
pub fn review_target(
    site: &Site,
    lang: &str,
    review: &str,
) -> Result<(usize, Option<String>), (Kind, String, String)> {
    let (path, anchor) = match review.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (review, None),
    };
    if path.is_empty() {
        return Err((
            Kind::BrokenLink,
            "no page is named".into(),
            "name the section's source file, e.g. review = \"01-awareness/04-vendors.md\"".into(),
        ));
    }
    let found = resolve_file(site, Path::new(""), lang, path, anchor).map_err(|(kind, msg, help)| {
        if msg.ends_with("is not a page of the course") || msg.ends_with("does not exist") {
            let help = "name the section's source file as seen from content/, e.g. review = \"01-awareness/04-vendors.md\"";
            (kind, msg, help.to_string())
        } else if msg.contains("has no heading") {
            (kind, msg, format!("{help}; the heading must be in every language's version, or name the page alone"))
        } else {
            (kind, msg, help)
        }
    })?;
    match found {
        Target::Page { page, anchor } => Ok((page, anchor)),
        _ => Err((
            Kind::BrokenLink,
            format!("`{path}` is not a page of the course"),
            "name the section's Markdown file, e.g. 01-awareness/04-vendors.md".into(),
        )),
    }
}

/// The `n`th (0-based) occurrence of the value `needle` after the first occurrence of `after`
/// (a question's id), e.g. an option id given twice in one question.
fn nth_after(
    kind: Kind,
    f: &DataFile,
    after: &str,
    needle: &str,
    n: usize,
    message: String,
) -> Diagnostic {
    let quoted = |s: &str| [format!("\"{s}\""), format!("'{s}'"), format!(": {s}")];
    let start = quoted(after)
        .iter()
        .filter_map(|p| f.text.find(p.as_str()))
        .min()
        .unwrap_or(0);
    let mut off = start;
    let mut found = None;
    for _ in 0..=n {
        let next = quoted(needle)
            .iter()
            .filter_map(|p| f.text[off..].find(p.as_str()).map(|i| off + i))
            .min();
        match next {
            Some(i) => {
                found = Some(i);
                off = i + 1;
            }
            None => break,
        }
    }
    Diagnostic::at(kind, &f.path, &f.text, found.unwrap_or(start), message)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::data::{parse, DataContents, DataKind};

    /// Every problem `check` finds in `text`, as `line:column message`.
    fn problems(text: &str) -> Vec<String> {
        let f = parse(
            Path::new("q.quiz.toml"),
            text.to_string(),
            DataKind::Quiz,
            "toml",
        )
        .unwrap();
        let DataContents::Quiz(q) = &f.contents else {
            panic!("not a quiz")
        };
        let mut d = Diagnostics::default();
        check(&f, q, &["ja".into(), "en".into()], &mut d);
        d.0.iter()
            .map(|x| format!("{}:{} {}", x.line, x.column, x.message))
            .collect()
    }

    #[test]
    fn a_good_quiz_has_no_problem() {
        let good = "id = \"q\"\ntitle = { ja = \"題\", en = \"T\" }\npass_mark = 100\n[[question]]\nid = \"one\"\nkind = \"multiple\"\ntext = \"?\"\n[[question.option]]\nid = \"a\"\ntext = \"A\"\ncorrect = true\n[[question.option]]\nid = \"b\"\ntext = \"B\"\ncorrect = true\n";
        assert_eq!(problems(good), Vec::<String>::new());
    }

    #[test]
    fn every_problem_is_reported_at_its_place() {
        let bad = "id = \"q\"\ntitle = { ja = \"題\" }\npass_mark = -1\n\
[[question]]\nid = \"one\"\nkind = \"single\"\ntext = { ja = \"問\", en = \"Q\", fr = \"Q\" }\n\
[[question.option]]\nid = \"a\"\ntext = \"A\"\n\
[[question]]\nid = \"two\"\nkind = \"true-false\"\ntext = \"?\"\n\
[[question.option]]\nid = \"t\"\ntext = \"T\"\ncorrect = true\n\
[[question.option]]\nid = \"f\"\ntext = \"F\"\ncorrect = true\n\
[[question.option]]\nid = \"x y\"\ntext = \"X\"\n\
[[question]]\nid = \"one\"\nkind = \"multiple\"\ntext = \"?\"\nanswer = [\"a\"]\n\
[[question.option]]\nid = \"a\"\ntext = \"A\"\ncorrect = true\n";
        assert_eq!(
            problems(bad),
            [
                "3:1 the pass mark of quiz `q` is -1, but it is a percentage",
                "2:1 the title of quiz `q` has no en text",
                "7:30 `fr` in the text of question `one` is not a language of this course",
                "5:6 question `one` has 1 option",
                "5:6 question `one` has no correct answer",
                "24:6 `x y` is not a valid option id",
                "12:6 question `two` has 3 options",
                "12:6 question `two` is true-false but has 2 correct answers",
                "27:6 the question id `one` is used twice in quiz `q`",
                "5:6 question `one` has 1 option",
                "30:1 question `one` gives its answer twice: as `answer` and as `correct = true` on options",
            ]
        );
    }
}
