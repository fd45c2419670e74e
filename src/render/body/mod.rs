//! A page's body in one language: the parsed Markdown turned into HTML with the course model and
//! the theme ([`html`]: links resolved to output pages, figures, tables), directives expanded
//! through the theme's templates ([`directives`], quizzes in [`quiz`], flow figures in
//! [`figures`]) and glossary terms marked ([`glossary`]).

pub mod directives;
pub mod figures;
pub mod glossary;
pub mod html;
pub mod quiz;
