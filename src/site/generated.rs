//! Pages kyozai makes when their file is missing, so a course needs no boilerplate to build: the
//! course home, from `kyozai.toml`'s title and description (the home template adds the list of
//! chapters with their summaries), and a chapter page, titled after its folder's name.

use std::path::{Path, PathBuf};

use super::{Page, PageKind, Variant};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::kind::Kind;
use crate::load::frontmatter::FrontMatter;
use crate::text::strip_order_prefix;

/// The course home made from the configuration, and the note saying so.
pub fn home(config: &Config) -> Result<(Page, Diagnostic), Diagnostic> {
    let src = &config.source_language;
    let page = page(config, PageKind::Home, Path::new(""), |lang| {
        (
            config.title.or(lang, src).to_string(),
            config.description.or(lang, src).to_string(),
        )
    })?;
    let note = Diagnostic::file(
        Kind::GeneratedPage,
        format!("content/_index.{src}.md"),
        "the course has no home page: kyozai makes it from the title and description in kyozai.toml and the list of chapters",
    )
    .help(format!(
        "to write the home page yourself, create content/_index.{src}.md with `title = \"…\"` in its front matter"
    ));
    Ok((page, note))
}

/// The page of the chapter in `dir` (relative to `content/`), titled after the folder, and the
/// warning saying so.
pub fn chapter(config: &Config, dir: &Path) -> Result<(Page, Diagnostic), Diagnostic> {
    let src = &config.source_language;
    let title = folder_title(
        &dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    let page = page(config, PageKind::Chapter, dir, |_| {
        (title.clone(), String::new())
    })?;
    let file = Path::new("content")
        .join(dir)
        .join(format!("_index.{src}.md"));
    let warning = Diagnostic::file(
        Kind::GeneratedPage,
        &file,
        format!(
            "the chapter {} has no page: its title \"{title}\" is made from the folder's name",
            dir.display()
        ),
    )
    .help(format!(
        "create {} with `title = \"…\"` (and a summary) in its front matter, and one per language",
        file.display()
    ));
    Ok((page, warning))
}

/// A title from a folder name: the order prefix dropped, dashes and underscores made spaces,
/// the first letter capitalised (`02-incident_response` → `Incident response`).
pub fn folder_title(name: &str) -> String {
    let words = strip_order_prefix(name).replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// A page of `kind` with the key `dir/_index`, in every language of the course, with the title
/// and Markdown body `text` gives for each.
fn page(
    config: &Config,
    kind: PageKind,
    dir: &Path,
    text: impl Fn(&str) -> (String, String),
) -> Result<Page, Diagnostic> {
    let mut variants = super::Variants::default();
    for lang in &config.languages {
        let (title, body) = text(lang);
        let file: PathBuf = Path::new("content")
            .join(dir)
            .join(format!("_index.{lang}.md"));
        let body: std::sync::Arc<str> = body.into();
        let doc = crate::markdown::parse::parse_shared(&file, &body, 0, &[])?;
        variants.insert(
            lang.clone(),
            Variant {
                file,
                text: body,
                front: FrontMatter {
                    title,
                    ..FrontMatter::default()
                },
                doc,
                body_offset: 0,
            },
        );
    }
    Ok(Page {
        kind,
        key: dir.join("_index"),
        slug_path: String::new(),
        number: None,
        chapter: None,
        sections: vec![],
        variants,
    })
}

#[cfg(test)]
mod tests {
    use super::folder_title;

    #[test]
    fn titles_from_folder_names() {
        assert_eq!(folder_title("02-incident_response"), "Incident response");
        assert_eq!(folder_title("basics"), "Basics");
        assert_eq!(folder_title("03-研修"), "研修");
    }
}
