//! Checks the rendered site in memory: every internal link and anchor of every HTML file must lead
//! to a file and an id of the site (this covers links from data fields and from the theme's
//! templates, which the site model does not see), and every page must be linked from another.

use crate::kind::Kind;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use super::html::tags;
use super::{Finding, Origin, Severity};
use crate::error::line_col;
use crate::output::OutputFile;
use crate::percent::decode as percent_decode;
use crate::site::links::is_external;
use crate::site::Site;

/// A link that leads nowhere, as found in one rendered file.
struct Broken {
    /// The file it was found in and the byte offset there.
    page: String,
    offset: usize,
    /// As written in the HTML (entity-decoded).
    href: String,
    /// What is missing, the same for every page with this link.
    message: String,
    anchor: bool,
}

/// Checks the links and anchors of `files` and reports orphan pages.
pub fn check(site: &Site, files: &[OutputFile], out: &mut Vec<Finding>) {
    let texts: BTreeMap<&str, String> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            (
                f.path.as_str(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    let all: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let parsed: BTreeMap<&str, Vec<super::html::Tag>> =
        texts.iter().map(|(p, t)| (*p, tags(t))).collect();
    let ids: HashMap<&str, HashSet<&str>> = parsed
        .iter()
        .map(|(p, tags)| {
            let set = tags
                .iter()
                .flat_map(|t| {
                    t.attrs
                        .iter()
                        .filter(|a| a.name == "id" || (a.name == "name" && t.name == "a"))
                })
                .filter_map(|a| a.value.as_deref())
                .collect();
            (*p, set)
        })
        .collect();
    let base = site.config.base();
    let mut broken: Vec<Broken> = Vec::new();
    let mut inbound: HashMap<String, BTreeSet<&str>> = HashMap::new();
    for (page, tags) in &parsed {
        for t in tags {
            for a in t
                .attrs
                .iter()
                .filter(|a| a.name == "href" || a.name == "src")
            {
                let Some(href) = a.value.as_deref() else {
                    continue;
                };
                match resolve(page, href, &base, &all) {
                    Resolved::Skip => {}
                    Resolved::Missing(msg) => broken.push(Broken {
                        page: page.to_string(),
                        offset: a.offset,
                        href: href.to_string(),
                        message: msg,
                        anchor: false,
                    }),
                    Resolved::File(target, fragment) => {
                        // The progress page lists every page, so its links reach none.
                        let listing = page.split('/').skip(1).eq(["progress", "index.html"]);
                        if matches!(t.name.as_str(), "a" | "area") && target != *page && !listing {
                            inbound.entry(target.clone()).or_default().insert(page);
                        }
                        if let Some(frag) = fragment.filter(|f| {
                            !f.is_empty() && !f.starts_with(":~:") && target.ends_with(".html")
                        }) {
                            if !ids
                                .get(target.as_str())
                                .is_some_and(|s| s.contains(frag.as_str()))
                            {
                                broken.push(Broken {
                                    page: page.to_string(),
                                    offset: a.offset,
                                    href: href.to_string(),
                                    message: format!("`#{frag}` is not an id on {target}"),
                                    anchor: true,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    report_broken(site, &texts, broken, out);

    // Orphans: pages no other page links to (the site's entry pages aside).
    let sources = page_sources(site);
    for page in texts.keys() {
        if matches!(*page, "index.html" | "404.html") || inbound.contains_key(*page) {
            continue;
        }
        let msg = format!("the page {page} is not linked from any other page");
        let fix = "link to it from another page, or remove it";
        let f = match sources.get(*page) {
            Some(src) => Finding::file(Severity::Warning, Kind::OrphanPage, src, msg, fix),
            None => {
                let mut f = Finding::file(
                    Severity::Warning,
                    Kind::OrphanPage,
                    &PathBuf::from(*page),
                    msg,
                    fix,
                );
                f.origin = Origin::Output;
                f
            }
        };
        out.push(f);
    }
}

enum Resolved {
    /// Not a link into the site (external, `mailto:`, `data:`, empty).
    Skip,
    /// Leads to no file; the message says why.
    Missing(String),
    /// The file it leads to and the fragment, percent-decoded.
    File(String, Option<String>),
}

/// Resolves `href`, found in site file `page`, against the files of the site.
fn resolve(page: &str, href: &str, base: &str, all: &HashSet<&str>) -> Resolved {
    let href = href.trim();
    if href.is_empty() || is_external(href) {
        return Resolved::Skip;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f).into_owned())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Resolved::File(page.to_string(), fragment);
    }
    let path = percent_decode(path).into_owned();
    let joined = if let Some(abs) = path.strip_prefix('/') {
        match format!("/{abs}").strip_prefix(base) {
            Some(rest) => rest.to_string(),
            None => {
                return Resolved::Missing(format!(
                    "`{path}` is outside the site's base path {base}"
                ))
            }
        }
    } else {
        match page.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{path}"),
            None => path.clone(),
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Resolved::Missing(format!(
                        "`{path}` leads above the site's root folder"
                    ));
                }
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if target.is_empty() || joined.ends_with('/') {
        target = if target.is_empty() {
            "index.html".into()
        } else {
            format!("{target}/index.html")
        };
    }
    if all.contains(target.as_str()) {
        return Resolved::File(target, fragment);
    }
    let index = format!("{target}/index.html");
    if all.contains(index.as_str()) {
        return Resolved::File(index, fragment);
    }
    Resolved::Missing(format!("{target} is not a file of the site"))
}

/// Output path of each content page → its source file in that language.
fn page_sources(site: &Site) -> HashMap<String, PathBuf> {
    let mut map = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        for lang in site.languages() {
            let (v, _) = site.variant(p, lang);
            map.insert(crate::render::url::page_path(site, i, lang), v.file.clone());
        }
    }
    map
}

/// One finding per broken link: a link written verbatim in a source file (a data field, a
/// Markdown page's raw HTML) is reported there, once for all the pages that show it; a link made
/// by the templates is reported once per missing target, on the first rendered page showing it.
fn report_broken(
    site: &Site,
    texts: &BTreeMap<&str, String>,
    broken: Vec<Broken>,
    out: &mut Vec<Finding>,
) {
    let sources: Vec<(&std::path::Path, &str)> = site
        .data
        .files
        .iter()
        .map(|f| (f.path.as_path(), f.text.as_str()))
        .chain(
            site.pages
                .iter()
                .flat_map(|p| p.variants.values().map(|v| (v.file.as_path(), &*v.text))),
        )
        .collect();
    let mut written_at: HashMap<String, Option<(usize, usize)>> = HashMap::new();
    // Key: (source index and offset, or none) + href for written links, message for made ones.
    #[allow(clippy::type_complexity)]
    let mut groups: BTreeMap<(Option<(usize, usize)>, String, bool), Vec<Broken>> = BTreeMap::new();
    for b in broken {
        let at = *written_at.entry(b.href.clone()).or_insert_with(|| {
            sources
                .iter()
                .enumerate()
                .find_map(|(i, (_, t))| find_attr_value(t, &b.href).map(|off| (i, off)))
        });
        let key = match at {
            Some(_) => (at, b.href.clone(), b.anchor),
            None => (None, b.message.clone(), b.anchor),
        };
        groups.entry(key).or_default().push(b);
    }
    for ((at, _, anchor), list) in groups {
        let first = &list[0];
        let pages: BTreeSet<&str> = list.iter().map(|b| b.page.as_str()).collect();
        let code = if anchor {
            Kind::BrokenOutputAnchor
        } else {
            Kind::BrokenOutputLink
        };
        let on = if pages.len() == 1 {
            format!("on {}", first.page)
        } else {
            format!("on {} pages, e.g. {}", pages.len(), first.page)
        };
        let msg = format!(
            "the link `{}` leads nowhere: {} ({on})",
            first.href, first.message
        );
        let f = match at {
            Some((i, off)) => {
                let (path, text) = sources[i];
                Finding::at(Severity::Error, code, path, text, off, msg, "links in data fields and raw HTML are not rewritten, and a relative link means something else on each page that shows it: link to a web address, or cite the text from a page with a Markdown link to the source file")
            }
            None => {
                let text = &texts[first.page.as_str()];
                let (line, column) = line_col(text, first.offset);
                Finding {
                    severity: Severity::Error,
                    code,
                    file: first.page.clone(),
                    origin: Origin::Output,
                    line,
                    column,
                    message: msg,
                    fix: Some("this link is made by kyozai or the theme's templates: check the theme's templates (themes/NAME/templates/), or report it as a kyozai bug".into()),
                    diff: None,
                    source_line: text.lines().nth(line.saturating_sub(1)).map(|l| l.chars().take(200).collect()),
                }
            }
        };
        out.push(f);
    }
}

/// The offset of `href` in a source text where it appears as a link target: `](href`,
/// `="href`, `='href` or a quoted TOML/YAML value.
fn find_attr_value(text: &str, href: &str) -> Option<usize> {
    if href.len() < 2 {
        return None;
    }
    ["](", "=\"", "='", "(\"", "\""]
        .iter()
        .find_map(|pre| text.find(&format!("{pre}{href}")).map(|i| i + pre.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> HashSet<&'static str> {
        [
            "index.html",
            "en/index.html",
            "en/a/index.html",
            "static/s.css",
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn resolves_relative_absolute_and_fragments() {
        let a = all();
        assert!(
            matches!(resolve("en/a/index.html", "../../static/s.css", "/", &a), Resolved::File(t, None) if t == "static/s.css")
        );
        assert!(
            matches!(resolve("en/a/index.html", "../index.html#x%20y", "/", &a), Resolved::File(t, Some(f)) if t == "en/index.html" && f == "x y")
        );
        assert!(
            matches!(resolve("404.html", "/en/a/", "/", &a), Resolved::File(t, None) if t == "en/a/index.html")
        );
        assert!(
            matches!(resolve("404.html", "/training/en/", "/training/", &a), Resolved::File(t, None) if t == "en/index.html")
        );
        assert!(matches!(
            resolve("404.html", "/en/", "/training/", &a),
            Resolved::Missing(_)
        ));
        assert!(matches!(
            resolve("en/index.html", "../../x", "/", &a),
            Resolved::Missing(_)
        ));
        assert!(matches!(
            resolve("en/index.html", "b/index.html", "/", &a),
            Resolved::Missing(_)
        ));
        assert!(
            matches!(resolve("en/index.html", "#top", "/", &a), Resolved::File(t, Some(_)) if t == "en/index.html")
        );
        assert!(matches!(
            resolve("en/index.html", "https://x.org/", "/", &a),
            Resolved::Skip
        ));
        assert!(matches!(
            resolve("en/index.html", "mailto:a@b", "/", &a),
            Resolved::Skip
        ));
    }
}
