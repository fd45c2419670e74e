//! What `kyozai serve` adds to every HTML page it serves: the live-reload client's tags, the words
//! of the error overlay and, while a build error is set, the error itself, as JSON the client
//! (`live.js`) reads when the page loads, so that a page opened during the error shows it at once.
//! The overlay is built by the client alone.

use super::live::ErrorReport;

/// What the server adds before `</head>` of every HTML page.
const HEAD_TAGS: &str = "<link rel=\"stylesheet\" href=\"/__kyozai/live.css\" data-kyozai>\
<script src=\"/__kyozai/live.js\" defer></script>";

/// The id of the element holding the overlay's words (see [`super::live::words`]).
const WORDS_ID: &str = "kyozai-live-words";
/// The id of the element holding the current build error (an [`ErrorReport`]).
const ERROR_ID: &str = "kyozai-live-error";

/// `html` with the live-reload tags, the overlay's `words` (JSON) and, when `error` is set, the
/// error's JSON, before `</head>` (or after `<body…>`, or at the end).
pub(crate) fn inject(html: &[u8], error: Option<&ErrorReport>, words: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + 4096);
    let at = find_tag(html, b"</head")
        .or_else(|| body_content_start(html))
        .unwrap_or(html.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(HEAD_TAGS.as_bytes());
    let mut data = |id: &str, json: &str| {
        out.extend_from_slice(b"<script type=\"application/json\" id=\"");
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(b"\">");
        out.extend_from_slice(crate::text::script_json(json).as_bytes());
        out.extend_from_slice(b"</script>");
    };
    data(WORDS_ID, words);
    if let Some(report) = error {
        data(ERROR_ID, &report.to_json());
    }
    out.extend_from_slice(&html[at..]);
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

#[cfg(test)]
mod tests {
    use super::super::live::tests::report;
    use super::*;

    const WORDS: &str = "{\"en\":{\"serve_close\":\"</script><b>\"}}";

    /// The JSON of the `<script type="application/json" id=ID>` element of `html`, parsed.
    fn data(html: &str, id: &str) -> Option<serde_json::Value> {
        let open = format!("<script type=\"application/json\" id=\"{id}\">");
        let rest = &html[html.find(&open)? + open.len()..];
        let json = &rest[..rest.find("</script>")?];
        Some(serde_json::from_str(json).expect("valid JSON"))
    }

    #[test]
    fn the_client_its_words_and_the_error_go_before_head_end() {
        let html = b"<!DOCTYPE html><HTML><Head><title>t</title></HEAD>\n<body class=\"a>b\">text</body></html>";
        let out = String::from_utf8(inject(html, Some(&report()), WORDS)).unwrap();
        let tags = out.find(HEAD_TAGS).unwrap();
        let head_end = out.find("</HEAD>").unwrap();
        assert!(tags < head_end && out[tags..head_end].matches("<script").count() == 3);
        assert!(out[head_end..].starts_with("</HEAD>\n<body class=\"a>b\">text</body>"));
        // The JSON is the event's, and nothing in it ends its element.
        let error = data(&out, ERROR_ID).unwrap();
        assert_eq!(
            error,
            serde_json::from_str::<serde_json::Value>(&report().to_json()).unwrap()
        );
        assert_eq!(error["message"], "unknown directive \"<script>\"\n& more");
        assert_eq!(
            data(&out, WORDS_ID).unwrap()["en"]["serve_close"],
            "</script><b>"
        );
        assert_eq!(out.matches("</script>").count(), 3, "{out}");
        assert!(!out.contains("<b>") && !out.contains("<script>\""), "{out}");
        // The overlay itself is the client's to build.
        assert!(!out.contains("kyozai-overlay"));
        let out = String::from_utf8(inject(html, None, WORDS)).unwrap();
        assert!(data(&out, ERROR_ID).is_none() && data(&out, WORDS_ID).is_some());
    }

    #[test]
    fn tags_without_head_go_after_body_or_at_the_end() {
        let words = format!("<script type=\"application/json\" id=\"{WORDS_ID}\">{{}}</script>");
        let out = inject(b"<body><p>x</p>", None, "{}");
        assert_eq!(
            out,
            format!("<body>{HEAD_TAGS}{words}<p>x</p>").into_bytes()
        );
        let out = String::from_utf8(inject(b"<p>x</p>", Some(&report()), "{}")).unwrap();
        assert!(out.starts_with(&format!("<p>x</p>{HEAD_TAGS}{words}<script")));
        assert!(data(&out, ERROR_ID).is_some());
        // `<bodyguard>` and `</header>` are not `<body>` and `</head>`.
        let out = inject(b"<header></header><bodyguard>", None, "{}");
        assert_eq!(
            out,
            format!("<header></header><bodyguard>{HEAD_TAGS}{words}").into_bytes()
        );
    }
}
