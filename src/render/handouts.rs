//! Printable handouts (being written).

use super::nav::NavCache;
use super::theme::Theme;
use super::{LangState, OutputFile};
use crate::error::Result;
use crate::site::Site;

/// Renders the handout pages of every language.
pub fn render(_site: &Site, _theme: &Theme, _nav: &NavCache, _langs: &[LangState]) -> Result<Vec<OutputFile>> {
    Ok(Vec::new())
}
