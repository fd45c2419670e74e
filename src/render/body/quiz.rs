//! A quiz as the theme shows it: the view handed to `directives/quiz.html` and the printed
//! handouts (texts in one language, review links resolved to pages), and the answer key with the
//! UI strings that `quiz.js` reads from the quiz's `data.js`.

use serde::Serialize;

use super::html::Ctx;
use crate::error::Result;
use crate::load::quiz::QuestionKind;
use crate::markdown::inline::{inline_md, plain};
use crate::render::theme::Strings;
use crate::render::url;
use crate::site::links::numbered_title;
use crate::site::quiz::{review_target, Quiz};
use crate::site::Site;
use crate::text::Localized;

/// One quiz in one language.
#[derive(Debug, Serialize)]
pub struct QuizView {
    pub id: String,
    /// Inline HTML.
    pub title: String,
    pub plain_title: String,
    pub description: Option<String>,
    pub pass: i64,
    /// The pass mark as text, for the templates' `replace` filter.
    pub pass_text: String,
    pub count: usize,
    pub count_text: String,
    pub shuffle: bool,
    /// Whether the quiz shows its title as a heading (not on its own page, whose title it is).
    pub heading: bool,
    /// The quiz's own page, relative to the page showing it.
    pub url: String,
    pub questions: Vec<QuestionView>,
}

/// One question in one language.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub number: usize,
    pub number_text: String,
    pub kind: &'static str,
    pub multiple: bool,
    pub text: String,
    pub options: Vec<OptionView>,
    pub explanation: Option<String>,
    pub review: Option<ReviewView>,
}

/// One option in one language.
#[derive(Debug, Serialize)]
pub struct OptionView {
    pub id: String,
    pub text: String,
    pub correct: bool,
    pub feedback: Option<String>,
}

/// The section to review: its URL (relative to the page) and numbered title.
#[derive(Debug, Serialize)]
pub struct ReviewView {
    pub url: String,
    pub title: String,
}

/// The view of `quiz` for a page whose root is `root`.
pub fn view(site: &Site, quiz: &Quiz, lang: &str, root: &str, heading: bool) -> QuizView {
    let src = site.source_lang();
    let l = |t: &Localized| inline_md(t.or(lang, src));
    let q = &quiz.data;
    QuizView {
        id: q.id.clone(),
        title: l(&q.title),
        plain_title: plain(q.title.or(lang, src)),
        description: q.description.as_ref().map(l),
        pass: q.pass_mark,
        pass_text: q.pass_mark.to_string(),
        count: q.questions.len(),
        count_text: q.questions.len().to_string(),
        shuffle: q.shuffle,
        heading,
        url: format!("{root}{lang}/quizzes/{}/index.html", q.id),
        questions: q
            .questions
            .iter()
            .enumerate()
            .map(|(n, qu)| QuestionView {
                id: qu.id.clone(),
                number: n + 1,
                number_text: (n + 1).to_string(),
                kind: qu.kind.name(),
                multiple: qu.kind == QuestionKind::Multiple,
                text: l(&qu.text),
                options: qu
                    .options
                    .iter()
                    .map(|o| OptionView {
                        id: o.id.clone(),
                        text: l(&o.text),
                        correct: qu.is_correct(&o.id),
                        feedback: o.feedback.as_ref().map(l),
                    })
                    .collect(),
                explanation: qu.explanation.as_ref().map(l),
                review: qu
                    .review
                    .as_deref()
                    .and_then(|r| review_target(site, lang, r).ok())
                    .map(|(page, anchor)| ReviewView {
                        url: format!(
                            "{root}{}{}",
                            url::page_path(site, page, lang),
                            anchor.map(|a| format!("#{a}")).unwrap_or_default()
                        ),
                        title: numbered_title(site, &site.pages[page], lang),
                    }),
            })
            .collect(),
    }
}

/// The quiz's markup from the theme's `directives/quiz.html`.
pub fn html(ctx: &Ctx, quiz: &Quiz, heading: bool) -> Result<String> {
    let mut t = tera::Context::new();
    t.insert("quiz", &view(ctx.site, quiz, ctx.lang, ctx.root, heading));
    t.insert("t", ctx.strings);
    t.insert("lang", ctx.lang);
    t.insert("root", ctx.root);
    crate::render::render_template(ctx.theme, "directives/quiz.html", &t)
}

/// The plain text of the questions and options, for the search index.
pub fn search_text(site: &Site, quiz: &Quiz, lang: &str) -> String {
    let src = site.source_lang();
    let mut out = Vec::new();
    for qu in &quiz.data.questions {
        out.push(plain(qu.text.or(lang, src)));
        for o in &qu.options {
            out.push(plain(o.text.or(lang, src)));
        }
    }
    out.join(" ")
}

/// The theme's UI strings `quiz.js` shows (their `{name}` placeholders filled in by the script).
pub const SCRIPT_STRINGS: &[&str] = &[
    "quiz_question",
    "quiz_right",
    "quiz_wrong",
    "quiz_score",
    "quiz_passed",
    "quiz_failed",
    "quiz_wrong_list",
    "quiz_unanswered",
    "quiz_previous",
    "quiz_list_separator",
];

/// `data.js` of a quiz in one language: what `quiz.js` scores with (the right option ids per
/// question, the pass mark, whether to shuffle) and the UI strings it shows.
pub fn data_js(quiz: &Quiz, strings: &Strings, lang: &str) -> String {
    let q = &quiz.data;
    let ui: serde_json::Map<String, serde_json::Value> = SCRIPT_STRINGS
        .iter()
        .map(|k| {
            (
                k.to_string(),
                serde_json::Value::String(strings.get(k).into()),
            )
        })
        .collect();
    let v = serde_json::json!({
        "id": q.id,
        "lang": lang,
        "pass": q.pass_mark,
        "shuffle": q.shuffle,
        "questions": q.questions.iter().map(|qu| serde_json::json!({
            "id": qu.id,
            "kind": qu.kind.name(),
            "correct": qu.correct_ids(),
        })).collect::<Vec<_>>(),
        "strings": ui,
    });
    let json = crate::text::script_json(&serde_json::to_string(&v).unwrap_or_else(|_| "{}".into()));
    format!(
        "window.kyozaiQuizzes = window.kyozaiQuizzes || {{}};\nwindow.kyozaiQuizzes[{}] = {json};\n",
        serde_json::to_string(&q.id).unwrap_or_default()
    )
}
