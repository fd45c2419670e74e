//! What completes the course: the `[completion]` rule of `kyozai.toml` checked against the course's
//! quizzes and checklists.

use crate::config::{Config, QuizRule};
use crate::error::{did_you_mean, Diagnostic};
use crate::kind::Kind;

/// The checked completion rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    /// Quizzes that must be passed, in the order the rule (or the course) names them.
    pub quizzes: Vec<String>,
    /// A checklist every applicable item of which must be answered.
    pub checklist: Option<String>,
}

/// The completion rule of `config`, its ids checked against the course's checklists and, when
/// the course model knows its quizzes (`Some`), its quiz ids. `None` when `kyozai.toml` has no
/// `[completion]` table.
pub fn rule(
    config: &Config,
    checklists: &[&str],
    quizzes: Option<&[String]>,
) -> Result<Option<Rule>, Vec<Diagnostic>> {
    let Some(c) = &config.completion else {
        return Ok(None);
    };
    let mut problems = Vec::new();
    let all: Vec<String> = quizzes.map(<[String]>::to_vec).unwrap_or_default();
    let ids: Vec<String> = match &c.quizzes {
        None => vec![],
        Some(r @ QuizRule::Word(_)) => r.ids(&all).to_vec(),
        Some(QuizRule::List(list)) => {
            let mut seen = std::collections::BTreeSet::new();
            for id in list {
                if !seen.insert(id) {
                    problems.push(
                        config
                            .locate(
                                Kind::Duplicate,
                                "quizzes",
                                format!("quiz `{id}` is listed twice"),
                            )
                            .help("name each quiz once"),
                    );
                }
                if let Some(known) = quizzes {
                    if !known.contains(id) {
                        problems.push(unknown(config, "quizzes", "quiz", id, known.iter()));
                    }
                }
            }
            list.clone()
        }
    };
    if let Some(id) = &c.checklist {
        if !checklists.contains(&id.as_str()) {
            let known: Vec<String> = checklists.iter().map(|s| s.to_string()).collect();
            problems.push(unknown(config, "checklist", "checklist", id, known.iter()));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Some(Rule {
        quizzes: ids,
        checklist: c.checklist.clone(),
    }))
}

fn unknown<'a>(
    config: &Config,
    key: &str,
    what: &str,
    id: &str,
    known: impl Iterator<Item = &'a String> + Clone,
) -> Diagnostic {
    let d = config.locate(
        Kind::UnknownId,
        key,
        format!("[completion] names {what} `{id}`, which the course does not have"),
    );
    let names: Vec<&str> = known.map(String::as_str).collect();
    d.help(did_you_mean(
        id,
        &names,
        Some(format!("the course has no {what}; remove `{key}`")),
        &format!("the course's {what} ids: "),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_means_every_quiz_of_the_course() {
        let c = Config::for_tests("[completion]\nquizzes = \"all\"\n");
        let quizzes = ["a".to_string(), "b".to_string()];
        let r = rule(&c, &[], Some(&quizzes)).unwrap().unwrap();
        assert_eq!(r.quizzes, ["a", "b"]);
        assert_eq!(r.checklist, None);
    }

    #[test]
    fn unknown_ids_are_errors_at_their_line_with_a_suggestion() {
        let c = Config::for_tests("[completion]\nquizzes = [\"awarness\"]\nchecklist = \"self\"\n");
        let quizzes = ["awareness".to_string()];
        let errs = rule(&c, &["self-assessment"], Some(&quizzes)).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].line, 7);
        assert!(
            errs[0].message.contains("quiz `awarness`"),
            "{}",
            errs[0].message
        );
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `awareness`?"));
        assert_eq!(errs[1].line, 8);
        assert!(errs[1].message.contains("checklist `self`"));
        assert_eq!(
            errs[1].help.as_deref(),
            Some("the course's checklist ids: self-assessment")
        );
    }

    #[test]
    fn quiz_ids_wait_for_the_quizzes_to_be_known() {
        let c = Config::for_tests("[completion]\nquizzes = [\"x\", \"y\"]\n");
        let r = rule(&c, &[], None).unwrap().unwrap();
        assert_eq!(r.quizzes, ["x", "y"]);
        let dup = Config::for_tests("[completion]\nquizzes = [\"x\", \"x\"]\n");
        assert!(rule(&dup, &[], None).unwrap_err()[0]
            .message
            .contains("listed twice"));
    }
}
