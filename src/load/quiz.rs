//! Knowledge-check quiz files (`NAME.quiz.toml`, `.yaml`, `.yml`): the schema of one quiz, its
//! questions and their options, as the author wrote them. [`crate::site::quiz`] checks them.

use serde::{Deserialize, Serialize};

use crate::text::Localized;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// One option is right.
    Single,
    /// Every right option must be chosen, and no other.
    Multiple,
    /// Two options (true, false), one of them right.
    TrueFalse,
}

impl QuestionKind {
    /// The name used in data files and in the page's markup.
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true-false",
        }
    }
}

/// The right answers given on the question instead of on its options: one id or a list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// One right answer.
    One(String),
    /// Several right answers.
    Many(Vec<String>),
}

impl Answer {
    /// The option ids named.
    pub fn ids(&self) -> Vec<&str> {
        match self {
            Answer::One(s) => vec![s.as_str()],
            Answer::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// One option of a question.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuizOption {
    /// Unique within its question; kept in the page so results name what was chosen.
    pub id: String,
    /// The option's text.
    pub text: Localized,
    /// Whether choosing this option is right.
    #[serde(default)]
    pub correct: bool,
    /// Shown after submitting when this option was chosen (or, if right, missed).
    #[serde(default)]
    pub feedback: Option<Localized>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique within the quiz.
    pub id: String,
    /// One or several answers.
    pub kind: QuestionKind,
    /// The question.
    pub text: Localized,
    #[serde(default, rename = "option")]
    /// The options to choose from.
    pub options: Vec<QuizOption>,
    /// The right option ids, as an alternative to `correct = true` on the options.
    #[serde(default)]
    pub answer: Option<Answer>,
    /// Why the right answer is right; shown after submitting.
    #[serde(default)]
    pub explanation: Option<Localized>,
    /// The section to review when the answer was wrong: a source path from `content/`
    /// (`01-awareness/04-vendors.md`, optionally `#anchor`).
    #[serde(default)]
    pub review: Option<String>,
}

impl Question {
    /// Ids of the right options, from `answer` when given, else from the options' `correct`.
    pub fn correct_ids(&self) -> Vec<&str> {
        match &self.answer {
            Some(a) => a.ids(),
            None => self
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.as_str())
                .collect(),
        }
    }

    /// Whether the option is right.
    pub fn is_correct(&self, option: &str) -> bool {
        self.correct_ids().contains(&option)
    }
}

/// A quiz file: one quiz.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuizData {
    /// Stable and unique: names the quiz's page, its stored results and the `{quiz}` directive.
    pub id: String,
    /// Its title.
    pub title: Localized,
    /// Shown above the questions.
    #[serde(default)]
    pub description: Option<Localized>,
    /// The score (percent of questions answered right) needed to pass, 0 to 100.
    pub pass_mark: i64,
    /// Whether the options are shown in a new order on every attempt.
    #[serde(default)]
    pub shuffle: bool,
    #[serde(default, rename = "question")]
    /// Its questions, in order.
    pub questions: Vec<Question>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIZ: &str = r#"
id = "q"
title = { ja = "確認", en = "Check" }
pass_mark = 70

[[question]]
id = "one"
kind = "true-false"
text = { ja = "問", en = "Q" }
[[question.option]]
id = "true"
text = { ja = "正しい", en = "True" }
correct = true
[[question.option]]
id = "false"
text = { ja = "誤り", en = "False" }

[[question]]
id = "two"
kind = "multiple"
text = "Q2"
answer = ["a", "c"]
[[question.option]]
id = "a"
text = "A"
[[question.option]]
id = "c"
text = "C"
"#;

    #[test]
    fn reads_options_and_answers_both_ways() {
        let q: QuizData = toml::from_str(QUIZ).unwrap();
        assert_eq!(q.pass_mark, 70);
        assert!(!q.shuffle);
        assert_eq!(q.questions[0].kind, QuestionKind::TrueFalse);
        assert_eq!(q.questions[0].correct_ids(), ["true"]);
        assert_eq!(q.questions[1].correct_ids(), ["a", "c"]);
        assert!(q.questions[1].is_correct("c") && !q.questions[0].is_correct("false"));
    }

    #[test]
    fn unknown_kind_and_fields_are_refused() {
        let bad = QUIZ.replace("\"multiple\"", "\"several\"");
        let e = toml::from_str::<QuizData>(&bad).unwrap_err().to_string();
        assert!(e.contains("several"), "{e}");
        let bad = QUIZ.replace("correct = true", "corect = true");
        assert!(toml::from_str::<QuizData>(&bad).is_err());
    }
}
