//! Percent-encoding of URL paths: the one decoder and the encoders used by the link checks, the
//! development server and the PDF printer, over the `percent-encoding` crate.

use std::borrow::Cow;
use std::path::Path;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a path segment keeps as it is: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// What a whole path keeps: the unreserved characters and `/`.
const PATH: &AsciiSet = &SEGMENT.remove(b'/');

/// `text` with its `%XX` escapes decoded; a `%` not followed by two hex digits stays as it is and
/// bytes that are not UTF-8 become U+FFFD (for link targets, which are checked, not served).
pub fn decode(text: &str) -> Cow<'_, str> {
    percent_decode_str(text).decode_utf8_lossy()
}

/// `text` decoded only when it is well formed: every `%` followed by two hex digits and the
/// result UTF-8 (for request paths, which are refused otherwise).
pub fn decode_exact(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

/// `segment` percent-encoded for one segment of a URL path (unreserved characters kept).
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// `path` percent-encoded as a URL path: every byte but the unreserved characters and `/`.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// The `file://` URL of a local file (absolute path, percent-encoded where needed).
pub fn file_url(p: &Path) -> String {
    format!("file://{}", encode_path(&p.to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_keeps_stray_percents() {
        assert_eq!(decode("x#%E3%81%82"), "x#あ");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%zz%41"), "%zzA");
        assert_eq!(decode("%FF"), "\u{fffd}");
    }

    #[test]
    fn exact_decoding_refuses_what_is_not_well_formed() {
        assert_eq!(decode_exact("%E3%81%82%20b").as_deref(), Some("あ b"));
        assert_eq!(decode_exact("%2541").as_deref(), Some("%41"));
        assert_eq!(decode_exact("100%"), None);
        assert_eq!(decode_exact("%4g"), None);
        assert_eq!(decode_exact("%C0%AE"), None);
    }

    #[test]
    fn encodes_segments_and_file_urls() {
        assert_eq!(encode_segment("資料 a/b~"), "%E8%B3%87%E6%96%99%20a%2Fb~");
        assert_eq!(
            file_url(Path::new("/tmp/a b/日.html")),
            "file:///tmp/a%20b/%E6%97%A5.html"
        );
    }
}
