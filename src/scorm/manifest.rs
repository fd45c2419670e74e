//! The package's `imsmanifest.xml`, as the ADL SCORM 1.2 Content Aggregation Model describes it:
//! the IMS Content Packaging 1.1.2 root with ADL's `adlcp` extension, `metadata` naming the schema
//! "ADL SCORM" version "1.2", one organization holding one item, and that item's one resource, a
//! SCO launched at the launch page, listing every file of the package.

use crate::text::escape_html;

/// What the manifest says about the course.
pub struct Manifest<'a> {
    /// The course id (`kyozai.toml` `id`).
    pub course_id: &'a str,
    /// The course edition, the manifest's version.
    pub edition: &'a str,
    /// The package language.
    pub lang: &'a str,
    /// The course title in the package language.
    pub title: &'a str,
    /// The launch page, relative to the package root.
    pub launch: &'a str,
    /// Every file of the package but the manifest, `/`-separated, relative to its root.
    pub files: Vec<&'a str>,
}

/// An XML `ID` (an NCName) made of `text`: letters, digits, `-`, `_` and `.` kept, anything else
/// turned into `_`, and `_` put first unless it starts with a letter.
pub fn xml_id(text: &str) -> String {
    let mut id: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert(0, '_');
    }
    id
}

/// A package path as a URI reference: every byte but unreserved characters and `/` is
/// percent-encoded (file names with spaces or non-ASCII letters stay valid `href`s).
pub fn href(path: &str) -> String {
    crate::percent::encode_path(path)
}

impl Manifest<'_> {
    /// The manifest's XML text.
    pub fn to_xml(&self) -> String {
        let base = xml_id(&format!("kyozai-{}-{}", self.course_id, self.lang));
        let org = format!("{base}-org");
        let item = format!("{base}-item");
        let res = format!("{base}-sco");
        // IMS CP's titleType allows at most 200 characters.
        let title = escape_html(&self.title.chars().take(200).collect::<String>());
        let mut x = String::with_capacity(200 + self.files.len() * 48);
        x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.push_str(&format!(
            "<manifest identifier=\"{base}\" version=\"{}\"\n  \
             xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n  \
             xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"\n  \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n  \
             xsi:schemaLocation=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd \
             http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd\">\n",
            escape_html(self.edition)
        ));
        x.push_str(
            "  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n  </metadata>\n",
        );
        x.push_str(&format!(
            "  <organizations default=\"{org}\">\n    <organization identifier=\"{org}\">\n      \
             <title>{title}</title>\n      <item identifier=\"{item}\" identifierref=\"{res}\" isvisible=\"true\">\n        \
             <title>{title}</title>\n      </item>\n    </organization>\n  </organizations>\n"
        ));
        x.push_str(&format!(
            "  <resources>\n    <resource identifier=\"{res}\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"{}\">\n",
            href(self.launch)
        ));
        for f in &self.files {
            x.push_str(&format!("      <file href=\"{}\"/>\n", href(f)));
        }
        x.push_str("    </resource>\n  </resources>\n</manifest>\n");
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ncnames() {
        assert_eq!(xml_id("kyozai-a b/c"), "kyozai-a_b_c");
        assert_eq!(xml_id("1course"), "_1course");
        assert_eq!(xml_id("コース"), "____");
    }

    #[test]
    fn titles_fit_the_schema() {
        let long = "長".repeat(250);
        let m = Manifest {
            course_id: "c",
            edition: "e",
            lang: "ja",
            title: &long,
            launch: "scorm.html",
            files: vec!["scorm.html"],
        };
        let xml = m.to_xml();
        let title = xml
            .split("<title>")
            .nth(1)
            .unwrap()
            .split("</title>")
            .next()
            .unwrap();
        assert_eq!(title.chars().count(), 200);
    }

    #[test]
    fn hrefs_are_percent_encoded() {
        assert_eq!(href("media/a b/図.png"), "media/a%20b/%E5%9B%B3.png");
        assert_eq!(href("en/index.html"), "en/index.html");
    }
}
