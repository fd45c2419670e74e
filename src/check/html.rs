//! A small HTML scanner: the tags and attributes of rendered pages and of raw HTML in Markdown.
//!
//! It is not a full HTML parser: it finds start tags, their attributes (entity-decoded) and where
//! they are, skips comments, declarations and the raw text of `<script>` and `<style>` elements,
//! which is all the checks need.

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Lower-case name.
    pub name: String,
    /// Entity-decoded value; `None` for an attribute written without `=`.
    pub value: Option<String>,
    /// Byte offset of the attribute's name in the scanned text.
    pub offset: usize,
}

/// One start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lower-case element name.
    pub name: String,
    /// Its attributes, in document order.
    pub attrs: Vec<Attr>,
    /// Byte offset of the `<`.
    pub offset: usize,
    /// Whether the element's content (for `script` and `style`) holds anything but white space.
    pub has_body: bool,
}

impl Tag {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_deref().unwrap_or(""))
    }
}

/// Every start tag of `html`, in order.
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        if html[i..].starts_with("<!--") {
            i = html[i + 4..]
                .find("-->")
                .map(|j| i + 4 + j + 3)
                .unwrap_or(b.len());
            continue;
        }
        match b.get(i + 1) {
            Some(b'!' | b'?') => {
                i = html[i..].find('>').map(|j| i + j + 1).unwrap_or(b.len());
                continue;
            }
            Some(b'/') => {
                i = html[i..].find('>').map(|j| i + j + 1).unwrap_or(b.len());
                continue;
            }
            Some(c) if c.is_ascii_alphabetic() => {}
            _ => {
                i += 1;
                continue;
            }
        }
        i += 1;
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let a_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let a_name = html[a_start..i].to_ascii_lowercase();
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = None;
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let v_start = j + 1;
                    let end = b[v_start..]
                        .iter()
                        .position(|&c| c == q)
                        .map(|k| v_start + k)
                        .unwrap_or(b.len());
                    value = Some(decode_entities(&html[v_start..end]));
                    i = (end + 1).min(b.len());
                } else {
                    let v_start = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = Some(decode_entities(&html[v_start..j]));
                    i = j;
                }
            }
            if a_name.is_empty() {
                // A stray `=` (with or without a value): step over it, never into a character.
                if i == a_start {
                    i += 1;
                }
                continue;
            }
            attrs.push(Attr {
                name: a_name,
                value,
                offset: a_start,
            });
        }
        let mut has_body = false;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            let rest = &html[i.min(html.len())..];
            let end = find_ci(rest, &close).unwrap_or(rest.len());
            has_body = !rest[..end].trim().is_empty();
            i += end;
        }
        out.push(Tag {
            name,
            attrs,
            offset: start,
            has_body,
        });
    }
    out
}

/// Finds `needle` (ASCII) in `hay` ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes the character references an attribute value may hold (`&amp;`, `&#39;`, `&#x27;`).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let n = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(n)
                }
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::percent::decode as percent_decode;

    #[test]
    fn finds_tags_and_attributes() {
        let t = tags("<p class=x>a</p><!-- <a href=no> --><a href=\"x/index.html#%E3%81%82\" title='a &amp; b'>x</a><br/>");
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "a", "br"]);
        assert_eq!(t[1].attr("href"), Some("x/index.html#%E3%81%82"));
        assert_eq!(t[1].attr("title"), Some("a & b"));
        assert_eq!(percent_decode("x#%E3%81%82"), "x#あ");
    }

    #[test]
    fn skips_script_bodies() {
        let t = tags(
            "<script>if (a<b) { x = '<a href=\"q\">' }</script><img src=a.png onerror=alert(1)>",
        );
        assert_eq!(t.len(), 2);
        assert!(t[0].has_body);
        assert_eq!(t[1].attr("onerror"), Some("alert(1)"));
        let t = tags("<script src=\"a.js\"></script>");
        assert!(!t[0].has_body);
    }

    #[test]
    fn survives_truncated_input() {
        for s in [
            "<",
            "<a",
            "<a href",
            "<a href=",
            "<a href=\"x",
            "<!--",
            "<script>",
            "&#xFFFFFFFF;",
            "&#;",
            "%",
            "%4",
        ] {
            let _ = tags(s);
            let _ = decode_entities(s);
            let _ = percent_decode(s);
        }
        assert_eq!(decode_entities("&#x110000;&amp"), "&#x110000;&amp");
        // Found by fuzzing: a value with no attribute name, followed by a multi-byte character.
        let t = tags("<a =\"x\"\u{fffd}b>");
        assert_eq!(t[0].attrs.len(), 1);
        assert_eq!(t[0].attrs[0].name, "\u{fffd}b");
    }
}
