//! Markdown, as a library that knows nothing of the course model or the theme: parsing a page
//! once at load time ([`parse`]) into a compact document ([`doc`]), splitting a parsed page into
//! slides ([`slides`]), and inline Markdown from data fields ([`inline`]). Turning a page into
//! HTML with the course and the theme is the render stage's job (`render::body`).

pub mod doc;
pub mod inline;
pub mod parse;
pub mod slides;
