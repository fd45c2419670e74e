//! Markdown: parsing at load time ([`parse`]) into compact documents ([`doc`]), turning parsed pages into HTML at render time
//! ([`html`]), expanding directives ([`directives`], quizzes in [`quiz`]), marking glossary terms
//! ([`glossary`]) and splitting pages into slides ([`slides`]).

pub mod directives;
pub mod doc;
pub mod figures;
pub mod glossary;
pub mod html;
pub mod parse;
pub mod quiz;
pub mod slides;
