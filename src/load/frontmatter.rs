//! Front matter: finds the `+++` TOML or `---` YAML block at the top of a Markdown file and reads
//! it into [`FrontMatter`], with positions in the file's own lines.

use crate::kind::Kind;
use std::path::Path;

use serde::Deserialize;

use crate::error::Diagnostic;

/// The fields a page's front matter may hold.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title, without the chapter or section number.
    pub title: String,
    /// One or two sentences for navigation, the course home and handouts.
    #[serde(default)]
    pub summary: Option<String>,
    /// The page's key points.
    #[serde(default)]
    pub key_points: Vec<String>,
    /// Order among siblings.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Left out unless building with drafts.
    #[serde(default)]
    pub draft: bool,
    /// URL segment instead of the file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// For translations: the hash of the source text this was translated from.
    #[serde(default)]
    pub source_hash: Option<String>,
}

/// Front matter and where the Markdown body starts.
#[derive(Debug)]
pub struct Split<'a> {
    /// The parsed fields.
    pub front: FrontMatter,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits and parses the front matter of `text` (already decoded, LF line endings).
pub fn split<'a>(rel: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let fence = if text.starts_with("+++\n") || text == "+++" {
        "+++"
    } else if text.starts_with("---\n") || text == "---" {
        "---"
    } else {
        let help = "start the file with a +++ line, then title = \"…\", then a closing +++ line";
        return Err(
            Diagnostic::at(Kind::FrontMatter, rel, text, 0, "missing front matter").help(help),
        );
    };
    let start = fence.len() + 1;
    let mut pos = start.min(text.len());
    let mut close = None;
    for line in text[pos..].split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((pos, pos + line.len()));
            break;
        }
        pos += line.len();
    }
    let Some((end, body_offset)) = close else {
        return Err(Diagnostic::at(
            Kind::FrontMatter,
            rel,
            text,
            0,
            format!("front matter opened with `{fence}` is never closed"),
        )
        .help(format!(
            "add a line with only `{fence}` after the last front matter field"
        )));
    };
    let inner = &text[start.min(end)..end];
    let front: FrontMatter = if fence == "+++" {
        crate::text::toml_from_str(rel, text, start, inner, &[])?
    } else {
        if inner.trim().is_empty() {
            return Err(
                Diagnostic::at(Kind::InvalidSource, rel, text, 0, "missing field `title`")
                    .help("add `title: …`"),
            );
        }
        crate::text::yaml_from_str(rel, text, start, inner)?
    };
    if front.title.trim().is_empty() {
        let off = text[..end].find("title").unwrap_or(start);
        return Err(
            Diagnostic::at(Kind::InvalidSource, rel, text, off, "the title is empty")
                .help("write the page title"),
        );
    }
    if let Some(slug) = &front.slug {
        if slug.is_empty()
            || slug.contains(['/', '\\', '?', '#', ' '])
            || slug == "."
            || slug == ".."
        {
            let off = text[..end].find("slug").unwrap_or(start);
            return Err(Diagnostic::at(
                Kind::InvalidSource,
                rel,
                text,
                off,
                format!("`{slug}` is not a valid slug"),
            )
            .help("use letters, digits and dashes, e.g. slug = \"vendors\""));
        }
    }
    Ok(Split {
        front,
        body: &text[body_offset..],
        body_offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("c/a.ja.md")
    }

    #[test]
    fn toml_and_yaml() {
        let s = split(p(), "+++\ntitle = \"T\"\nweight = 2\n+++\nbody").unwrap();
        assert_eq!(s.front.title, "T");
        assert_eq!(s.front.weight, Some(2));
        assert_eq!(s.body, "body");
        let s = split(p(), "---\ntitle: T\nkey_points: [a, b]\n---\nbody\n").unwrap();
        assert_eq!(s.front.key_points, ["a", "b"]);
        assert_eq!(
            s.body_offset,
            "---\ntitle: T\nkey_points: [a, b]\n---\n".len()
        );
    }

    #[test]
    fn unterminated() {
        let e = split(p(), "+++\ntitle = \"T\"\nbody").unwrap_err();
        assert!(e.message.contains("never closed"));
        assert_eq!(e.line, 1);
    }

    #[test]
    fn wrong_type_points_at_value() {
        let e = split(p(), "+++\ntitle = \"T\"\nweight = \"x\"\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("invalid type"), "{e}");
    }

    #[test]
    fn unknown_field_suggests() {
        let e = split(p(), "+++\ntitle = \"T\"\nsumary = \"x\"\n+++\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1), "{e}");
        assert_eq!(e.help.as_deref(), Some("did you mean `summary`?"));
        let e = split(p(), "---\ntitle: T\nwieght: 3\n---\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert_eq!(e.help.as_deref(), Some("did you mean `weight`?"), "{e}");
    }
}
