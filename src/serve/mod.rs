//! `kyozai serve`: the dev server ([`http`], [`sse`]) that shows the course while an author edits it.

pub mod http;
pub mod sse;
