//! Inline Markdown from data fields (case studies, checklists, quizzes, lists): rendered safely to
//! HTML, or read as plain text for search and attributes.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Renders inline Markdown from a data field safely: raw HTML is shown as text and only web,
/// mail and relative links are kept.
pub fn inline_md(text: &str) -> String {
    let mut events = Vec::new();
    let mut skip_link = 0usize;
    for ev in Parser::new_ext(text, pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::Start(Tag::Link { ref dest_url, .. }) if !safe_url(dest_url) => skip_link += 1,
            Event::End(TagEnd::Link) if skip_link > 0 => skip_link -= 1,
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_)) => {}
            other => events.push(other),
        }
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out.trim_end().to_string()
}

fn safe_url(u: &str) -> bool {
    let l = u.trim().to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("mailto:")
        || l.starts_with('#')
        || !l.contains(':')
}

/// Plain text of inline Markdown (for search and attributes).
pub fn plain(text: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new(text) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_is_safe() {
        assert_eq!(
            inline_md("*a* <script>x</script>"),
            "<em>a</em> &lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(inline_md("[x](javascript:alert(1))"), "x");
        assert_eq!(
            inline_md("[x](https://e.org)"),
            "<a href=\"https://e.org\">x</a>"
        );
    }
}
