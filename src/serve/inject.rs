//! What `kyozai serve` adds to every HTML page it serves: the live-reload client's tags and, while
//! a build error is set, the error overlay, so that a page opened during the error shows it at once.

use super::live::ErrorReport;

/// What the server adds before `</head>` of every HTML page.
const HEAD_TAGS: &str = "<link rel=\"stylesheet\" href=\"/__kyozai/live.css\" data-kyozai>\
<script src=\"/__kyozai/live.js\" defer></script>";

/// `html` with the live-reload tags before `</head>` (or after `<body…>`, or at the
/// end) and, when `error` is set, the overlay right after `<body…>` (or at the end).
pub(crate) fn inject(html: &[u8], error: Option<&ErrorReport>) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + 4096);
    let body = body_content_start(html);
    let (tags_at, overlay_at) = match find_tag(html, b"</head") {
        Some(head_end) => (head_end, body.unwrap_or(html.len()).max(head_end)),
        None => {
            let at = body.unwrap_or(html.len());
            (at, at)
        }
    };
    out.extend_from_slice(&html[..tags_at]);
    out.extend_from_slice(HEAD_TAGS.as_bytes());
    out.extend_from_slice(&html[tags_at..overlay_at]);
    if let Some(report) = error {
        out.extend_from_slice(overlay_html(report).as_bytes());
    }
    out.extend_from_slice(&html[overlay_at..]);
    out
}

/// Index just after the `<body …>` start tag, if there is one.
fn body_content_start(html: &[u8]) -> Option<usize> {
    let start = find_tag(html, b"<body")?;
    let mut quote = None;
    for (i, &b) in html.iter().enumerate().skip(start + 5) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// First `name` (ASCII, lowercase) in `html`, matched without case and
/// followed by the end of the tag name.
fn find_tag(html: &[u8], name: &[u8]) -> Option<usize> {
    (0..html.len().saturating_sub(name.len() - 1)).find(|&i| {
        html[i..i + name.len()].eq_ignore_ascii_case(name)
            && html
                .get(i + name.len())
                .is_none_or(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
    })
}

/// The overlay as HTML, with the same structure `live.js` builds.
fn overlay_html(report: &ErrorReport) -> String {
    let mut html = String::from(
        "<div id=\"kyozai-overlay\" role=\"alertdialog\" aria-modal=\"true\" aria-live=\"assertive\" \
         aria-labelledby=\"kyozai-overlay-title\" aria-describedby=\"kyozai-overlay-message\">\
         <div class=\"kyozai-overlay-box\"><div class=\"kyozai-overlay-head\">\
         <h2 id=\"kyozai-overlay-title\">Build error</h2>\
         <button type=\"button\" class=\"kyozai-overlay-close\" aria-label=\"Close\">\u{d7}</button></div>",
    );
    html.push_str(&format!(
        "<p class=\"kyozai-overlay-loc\">{}:{}:{}</p><p id=\"kyozai-overlay-message\" class=\"kyozai-overlay-message\">{}</p>",
        escape(&report.path),
        report.line,
        report.column,
        escape(&report.message)
    ));
    if let Some(help) = &report.help {
        html.push_str(&format!(
            "<p class=\"kyozai-overlay-help\">help: {}</p>",
            escape(help)
        ));
    }
    if !report.snippet.is_empty() {
        let width = report
            .snippet
            .iter()
            .map(|(n, _)| n.to_string().len())
            .max()
            .unwrap_or(1);
        html.push_str("<pre class=\"kyozai-overlay-snippet\">");
        for (n, text) in &report.snippet {
            let is_error = *n == report.line;
            let (class, mark) = if is_error {
                (" kyozai-line-error", "&gt;")
            } else {
                ("", " ")
            };
            html.push_str(&format!(
                "<span class=\"kyozai-line{class}\"><span class=\"kyozai-ln\">{mark}{n:>width$} | </span>"
            ));
            let chars: Vec<char> = text.chars().collect();
            match report
                .column
                .checked_sub(1)
                .filter(|&c| is_error && c < chars.len())
            {
                Some(c) => {
                    let before: String = chars[..c].iter().collect();
                    let after: String = chars[c + 1..].iter().collect();
                    html.push_str(&format!(
                        "{}<mark>{}</mark>{}",
                        escape(&before),
                        escape(&chars[c].to_string()),
                        escape(&after)
                    ));
                }
                None => html.push_str(&escape(text)),
            }
            html.push_str("</span>\n");
        }
        html.push_str("</pre>");
    }
    html.push_str("</div></div>");
    html
}

/// `text` safe to put in HTML text or a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::live::tests::report;
    use super::*;

    #[test]
    fn tags_go_before_head_end_and_overlay_after_body() {
        let html = b"<!DOCTYPE html><HTML><Head><title>t</title></HEAD>\n<body class=\"a>b\">text</body></html>";
        let out = String::from_utf8(inject(html, Some(&report()))).unwrap();
        let tags = out.find(HEAD_TAGS).unwrap();
        assert_eq!(&out[tags + HEAD_TAGS.len()..][..7], "</HEAD>");
        let overlay = out.find("<div id=\"kyozai-overlay\"").unwrap();
        assert!(out[..overlay].ends_with("<body class=\"a>b\">"), "{out}");
        assert!(out.contains("unknown directive &quot;&lt;script&gt;&quot;\n&amp; more"));
        assert!(out.contains("content/01-a&lt;b&gt;.md:3:2"));
        assert!(out.contains(
            "<span class=\"kyozai-line kyozai-line-error\"><span class=\"kyozai-ln\">&gt;3 | </span>x<mark>&lt;</mark>y&gt;</span>"
        ));
        assert!(out.contains(
            "<span class=\"kyozai-line\"><span class=\"kyozai-ln\"> 2 | </span>前の行</span>"
        ));
        assert!(!out.contains("<script>"));
    }

    #[test]
    fn tags_without_head_go_after_body_or_at_the_end() {
        let out = inject(b"<body><p>x</p>", None);
        assert_eq!(out, format!("<body>{HEAD_TAGS}<p>x</p>").into_bytes());
        let out = inject(b"<p>x</p>", Some(&report()));
        assert!(
            out.starts_with(format!("<p>x</p>{HEAD_TAGS}<div id=\"kyozai-overlay\"").as_bytes())
        );
        // `<bodyguard>` and `</header>` are not `<body>` and `</head>`.
        let out = inject(b"<header></header><bodyguard>", None);
        assert_eq!(
            out,
            format!("<header></header><bodyguard>{HEAD_TAGS}").into_bytes()
        );
    }
}
