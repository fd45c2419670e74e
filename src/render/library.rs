//! Generated pages that do not come from a Markdown file: the case library and one page per case,
//! the glossary, a self-assessment page per checklist, and the site-wide files (language chooser,
//! 404 page, sitemap, which lists the quiz pages of [`super::quizzes`] too).

use std::collections::BTreeMap;

use serde::Serialize;

use super::nav::{self, Alternate, Link, NavCache};
use super::theme::{Strings, Theme};
use super::url;
use super::{render_bytes, LangState, OutputFile, Searchable};
use crate::error::{Error, Result};
use crate::markdown::inline::{inline_md, plain};
use crate::markdown::parse::Directive;
use crate::render::body::directives::checklist_form;
use crate::render::body::html::{Chunk, Ctx};
use crate::search::DocKind;
use crate::site::links::numbered_title;
use crate::site::Site;

/// Files and search entries of one language's generated pages.
pub struct Library {
    pub files: Vec<OutputFile>,
    pub search: Vec<Searchable>,
}

#[derive(Serialize)]
pub(crate) struct Frame<'a> {
    pub(crate) lang: &'a str,
    pub(crate) root: &'a str,
    pub(crate) site_title: &'a str,
    pub(crate) title: String,
    pub(crate) nav: String,
    pub(crate) breadcrumbs: Vec<Link>,
    pub(crate) alternates: Vec<Alternate>,
    pub(crate) t: &'a Strings,
    pub(crate) scripts: Vec<String>,
    pub(crate) description: &'a str,
}

#[derive(Serialize)]
struct CaseView {
    id: String,
    url: String,
    title: String,
    organisation: String,
    summary: String,
    impact: Option<String>,
    category: String,
    category_id: String,
    country: String,
    country_code: String,
    date: Option<String>,
    records: Option<String>,
    causes: Vec<(String, String, String)>,
    cause_types: String,
    lessons: Vec<String>,
    sources: Vec<(String, Option<String>)>,
    cited_by: Vec<Link>,
}

#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
}

/// Pages (by index) that cite each case, from the `{cases}` directives of their source version.
pub fn citations(site: &Site) -> BTreeMap<String, Vec<usize>> {
    let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        let v = &p.variants[site.source_lang()];
        for (d, _) in v.doc.directives() {
            if let Directive::Cases(a) = d {
                for c in site.data.select_cases(a) {
                    let e = map.entry(c.value.id.clone()).or_default();
                    if !e.contains(&i) {
                        e.push(i);
                    }
                }
            }
        }
    }
    map
}

pub(crate) fn frame<'a>(
    site: &'a Site,
    nav: &NavCache,
    ls: &'a LangState,
    rest: &str,
    root: &'a str,
    title: String,
    current: &str,
) -> Result<Frame<'a>> {
    let lang = ls.lang;
    let depth = root.matches("../").count();
    let current = match current {
        "" => nav::Current::None,
        id => nav::Current::Library(id),
    };
    Ok(Frame {
        lang,
        root,
        site_title: site.config.title.or(lang, site.source_lang()),
        title,
        nav: nav.sidebar(site, ls, None, depth, current)?.to_string(),
        breadcrumbs: vec![Link {
            title: ls.strings.get("home").into(),
            url: format!("{root}{}", url::home_path(lang)),
        }],
        alternates: nav::alternates(site, lang, rest, root),
        t: &ls.strings,
        scripts: vec![],
        description: site.config.description.or(lang, site.source_lang()),
    })
}

pub(crate) fn to_ctx<T: Serialize>(v: &T) -> Result<tera::Context> {
    tera::Context::from_serialize(v).map_err(|e| Error::Internal(format!("view: {e}")))
}

/// Renders the generated pages of one language.
pub fn render(site: &Site, theme: &Theme, nav: &NavCache, ls: &LangState) -> Result<Library> {
    let lang = ls.lang;
    let src = site.source_lang();
    let s = &ls.strings;
    let mut files = Vec::new();
    let mut search = Vec::new();
    let cites = citations(site);
    let l = |t: &crate::text::Localized| inline_md(t.or(lang, src));

    // Case pages and the library.
    if !site.data.cases.is_empty() {
        let case_view = |c: &crate::load::data::CaseData, root: &str| CaseView {
            id: c.id.clone(),
            url: format!("{root}{lang}/cases/{}/index.html", c.id),
            title: l(&c.title),
            organisation: l(&c.organisation),
            summary: l(&c.summary),
            impact: c.impact.as_ref().map(l),
            category: site
                .data
                .category(&c.category)
                .map(|k| k.text().or(lang, src).to_string())
                .unwrap_or_default(),
            category_id: c.category.clone(),
            country: s.country(&c.country).to_string(),
            country_code: c.country.clone(),
            date: c.date.as_ref().map(|d| d.0.clone()),
            records: c.records.map(|r| s.format_number(r)),
            causes: c
                .causes
                .iter()
                .map(|x| {
                    (
                        x.kind.id().to_string(),
                        s.get(&format!("cause_{}", x.kind.id())).to_string(),
                        l(&x.text),
                    )
                })
                .collect(),
            cause_types: {
                let mut v: Vec<&str> = c.causes.iter().map(|x| x.kind.id()).collect();
                v.sort();
                v.dedup();
                v.join(" ")
            },
            lessons: c.lessons.iter().map(l).collect(),
            sources: c
                .sources
                .iter()
                .map(|x| (plain(x.title.or(lang, src)), x.url.clone()))
                .collect(),
            cited_by: cites
                .get(&c.id)
                .map(|v| {
                    v.iter()
                        .map(|&i| Link {
                            title: numbered_title(site, &site.pages[i], lang),
                            url: format!("{root}{}", super::url::page_path(site, i, lang)),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        let root = "../../../";
        for c in &site.data.cases {
            let c = &c.value;
            let rest = format!("cases/{}/index.html", c.id);
            let mut f = frame(site, nav, ls, &rest, root, plain(c.title.or(lang, src)), "")?;
            f.breadcrumbs.push(Link {
                title: s.get("cases_library").into(),
                url: format!("{root}{lang}/cases/index.html"),
            });
            let mut ctx = to_ctx(&f)?;
            ctx.insert("case", &case_view(c, root));
            files.push(OutputFile {
                path: format!("{lang}/{rest}"),
                bytes: render_bytes(theme, "case.html", &ctx)?,
            });
            let text = [
                c.organisation.or(lang, src),
                c.summary.or(lang, src),
                c.impact.as_ref().map(|x| x.or(lang, src)).unwrap_or(""),
            ]
            .iter()
            .map(|x| plain(x))
            .chain(c.causes.iter().map(|x| plain(x.text.or(lang, src))))
            .chain(c.lessons.iter().map(|x| plain(x.or(lang, src))))
            .collect::<Vec<_>>()
            .join(" ");
            search.push(Searchable {
                lang: lang.into(),
                url: format!("{lang}/{rest}"),
                title: plain(c.title.or(lang, src)),
                kind: DocKind::Case,
                chunks: vec![Chunk {
                    fragment: None,
                    heading: None,
                    text,
                }],
            });
        }
        let root = "../../";
        let rest = "cases/index.html";
        let f = frame(
            site,
            nav,
            ls,
            rest,
            root,
            s.get("cases_library").into(),
            "cases",
        )?;
        let mut f = f;
        f.scripts.push(format!("{root}static/cases.js"));
        let mut ctx = to_ctx(&f)?;
        let views: Vec<CaseView> = site
            .data
            .cases
            .iter()
            .map(|c| case_view(&c.value, root))
            .collect();
        ctx.insert("cases", &views);
        let cats: Vec<Opt> = site
            .data
            .categories
            .iter()
            .map(|k| Opt {
                value: k.id.clone(),
                label: k.text().or(lang, src).into(),
            })
            .collect();
        let mut countries_used: Vec<Opt> = Vec::new();
        for c in &site.data.cases {
            if !countries_used.iter().any(|o| o.value == c.value.country) {
                countries_used.push(Opt {
                    value: c.value.country.clone(),
                    label: s.country(&c.value.country).into(),
                });
            }
        }
        let causes: Vec<Opt> = crate::load::data::CauseType::ALL
            .iter()
            .map(|t| Opt {
                value: t.id().into(),
                label: s.get(&format!("cause_{}", t.id())).into(),
            })
            .collect();
        ctx.insert("categories", &cats);
        ctx.insert("countries", &countries_used);
        ctx.insert("cause_types", &causes);
        files.push(OutputFile {
            path: format!("{lang}/{rest}"),
            bytes: render_bytes(theme, "cases.html", &ctx)?,
        });
    }

    // Glossary.
    if !site.data.glossary.is_empty() {
        let root = "../../";
        let rest = "glossary/index.html";
        let f = frame(
            site,
            nav,
            ls,
            rest,
            root,
            s.get("glossary").into(),
            "glossary",
        )?;
        let mut ctx = to_ctx(&f)?;
        let mut terms: Vec<(String, String, String)> = ls.terms.entries().to_vec();
        terms.sort_by_key(|t| t.1.to_lowercase());
        for (id, term, def) in &terms {
            search.push(Searchable {
                lang: lang.into(),
                url: format!("{lang}/{rest}#term-{id}"),
                title: term.clone(),
                kind: DocKind::Glossary,
                chunks: vec![Chunk {
                    fragment: None,
                    heading: None,
                    text: def.clone(),
                }],
            });
        }
        ctx.insert("terms", &terms);
        files.push(OutputFile {
            path: format!("{lang}/{rest}"),
            bytes: render_bytes(theme, "glossary.html", &ctx)?,
        });
    }

    // Checklist pages and their data scripts.
    for c in &site.data.checklists {
        let d = &c.data;
        let root = "../../../";
        let rest = format!("checklists/{}/index.html", d.id);
        let mut f = frame(
            site,
            nav,
            ls,
            &rest,
            root,
            d.title.or(lang, src).into(),
            &format!("checklist-{}", d.id),
        )?;
        f.scripts
            .push(format!("{root}{lang}/checklists/{}/data.js", d.id));
        let mut ctx = to_ctx(&f)?;
        let pctx = Ctx {
            site,
            page: 0,
            lang,
            root,
            strings: s,
            theme,
        };
        ctx.insert("description", &inline_md(d.description.or(lang, src)));
        ctx.insert("form", &checklist_form(&pctx, c)?);
        files.push(OutputFile {
            path: format!("{lang}/{rest}"),
            bytes: render_bytes(theme, "checklist.html", &ctx)?,
        });
        files.push(OutputFile {
            path: format!("{lang}/checklists/{}/data.js", d.id),
            bytes: checklist_data_js(site, c, lang, s).into_bytes(),
        });
        // The page that brings several exports of this checklist together.
        let root = "../../../../";
        let rest = format!("checklists/{}/compare/index.html", d.id);
        let title = s
            .get("compare_title")
            .replace("{title}", d.title.or(lang, src));
        let mut f = frame(site, nav, ls, &rest, root, title, "")?;
        f.breadcrumbs.push(Link {
            title: d.title.or(lang, src).into(),
            url: format!("{root}{lang}/checklists/{}/index.html", d.id),
        });
        f.scripts
            .push(format!("{root}{lang}/checklists/{}/data.js", d.id));
        f.scripts.push(format!("{root}static/compare-core.js"));
        f.scripts.push(format!("{root}static/compare.js"));
        let mut ctx = to_ctx(&f)?;
        ctx.insert("checklist_id", &d.id);
        ctx.insert("checklist_version", &d.version);
        ctx.insert("compare_strings", &strings_json(s, "compare_"));
        files.push(OutputFile {
            path: format!("{lang}/{rest}"),
            bytes: render_bytes(theme, "compare.html", &ctx)?,
        });
        for it in &d.items {
            search.push(Searchable {
                lang: lang.into(),
                url: format!("{lang}/{rest}"),
                title: plain(d.title.or(lang, src)),
                kind: DocKind::ChecklistItem,
                chunks: vec![Chunk {
                    fragment: None,
                    heading: Some(plain(it.question.or(lang, src))),
                    text: plain(it.countermeasure.or(lang, src)),
                }],
            });
        }
    }
    // The roster of completion records.
    {
        let root = "../../";
        let rest = "roster/index.html";
        let mut f = frame(
            site,
            nav,
            ls,
            rest,
            root,
            s.get("roster_title").into(),
            "roster",
        )?;
        for js in ["roster-core.js", "roster.js"] {
            f.scripts.push(format!("{root}static/{js}"));
        }
        let mut ctx = to_ctx(&f)?;
        ctx.insert("roster_strings", &strings_json(s, "roster_"));
        files.push(OutputFile {
            path: format!("{lang}/{rest}"),
            bytes: render_bytes(theme, "roster.html", &ctx)?,
        });
    }
    Ok(Library { files, search })
}

/// The UI strings whose keys start with `prefix`, as JSON for a `<script type="application/json">`
/// block (`<` escaped so that the block cannot be closed early).
pub fn strings_json(s: &Strings, prefix: &str) -> String {
    let map: BTreeMap<&str, &str> =
        s.0.iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
    crate::text::script_json(&serde_json::to_string(&map).unwrap_or_else(|_| "{}".into()))
}

/// The checklist's data for the browser script, in one language, with the script's words (the
/// `checklist_` UI strings) as `strings`.
pub fn checklist_data_js(
    site: &Site,
    c: &crate::site::data::Checklist,
    lang: &str,
    s: &Strings,
) -> String {
    let mut data = checklist_data(site, c, lang);
    let words: BTreeMap<&str, &str> =
        s.0.iter()
            .filter(|(k, _)| k.starts_with("checklist_"))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
    data["strings"] = serde_json::json!(words);
    let json =
        crate::text::script_json(&serde_json::to_string(&data).unwrap_or_else(|_| "{}".into()));
    format!("window.kyozaiChecklists = window.kyozaiChecklists || {{}};\nwindow.kyozaiChecklists[{}] = {json};\n", serde_json::to_string(&c.data.id).unwrap_or_default())
}

/// The checklist's data in one language, as the browser scripts and `kyozai report` get it.
pub fn checklist_data(
    site: &Site,
    c: &crate::site::data::Checklist,
    lang: &str,
) -> serde_json::Value {
    let src = site.source_lang();
    let d = &c.data;
    let lab = |x: &crate::load::data::Labelled| serde_json::json!({ "id": x.id, "label": x.text().or(lang, src) });
    let mut domains = Vec::new();
    for s in &d.subjects {
        for k in &d.controls {
            let n = c.domain(&s.id, &k.id).unwrap_or(0);
            domains.push(serde_json::json!({
                "number": n, "subject": s.id, "control": k.id,
                "note": d.domains.iter().find(|x| x.number == n).map(|x| plain(x.text.or(lang, src))),
            }));
        }
    }
    serde_json::json!({
        "id": d.id,
        "version": d.version,
        "lang": lang,
        "title": d.title.or(lang, src),
        "subjects": d.subjects.iter().map(lab).collect::<Vec<_>>(),
        "controls": d.controls.iter().map(lab).collect::<Vec<_>>(),
        "statuses": d.statuses.iter().map(|x| serde_json::json!({ "id": x.id, "label": x.text().or(lang, src), "score": x.score, "na": x.na })).collect::<Vec<_>>(),
        "groups": d.groups.iter().map(|x| serde_json::json!({ "id": x.id, "label": x.text().or(lang, src), "domains": x.domains })).collect::<Vec<_>>(),
        "domains": domains,
        "items": d.items.iter().map(|it| serde_json::json!({
            "id": it.id, "subject": it.subject, "control": it.control,
            "domain": c.domain(&it.subject, &it.control),
            "question": plain(it.question.or(lang, src)),
            "countermeasure": plain(it.countermeasure.or(lang, src)),
        })).collect::<Vec<_>>(),
    })
}

/// The language chooser, the 404 page and the sitemap, handed to `sink`.
pub fn site_files(
    site: &Site,
    theme: &Theme,
    langs: &[LangState],
    sink: &dyn crate::output::Sink,
) -> Result<()> {
    let src = site.source_lang();
    #[derive(Serialize)]
    struct Choice<'a> {
        lang: &'a str,
        name: String,
        title: &'a str,
        description: &'a str,
        url: String,
        enter: &'a str,
    }
    let choices: Vec<Choice> = langs
        .iter()
        .map(|ls| Choice {
            lang: ls.lang,
            name: site.language_name(ls.lang),
            title: site.config.title.or(ls.lang, src),
            description: site.config.description.or(ls.lang, src),
            url: url::home_path(ls.lang),
            enter: ls.strings.get("enter_course"),
        })
        .collect();
    let src_strings = langs
        .iter()
        .find(|l| l.lang == src)
        .map(|l| &l.strings)
        .unwrap_or(&langs[0].strings);
    let mut ctx = tera::Context::new();
    ctx.insert("choices", &choices);
    ctx.insert("lang", src);
    ctx.insert("root", "");
    ctx.insert("site_title", site.config.title.or(src, src));
    ctx.insert("t", src_strings);
    sink.put(OutputFile {
        path: "index.html".into(),
        bytes: render_bytes(theme, "root.html", &ctx)?,
    })?;
    // The 404 page is served from any folder, so it links through the base path.
    let mut ctx = tera::Context::new();
    ctx.insert("choices", &choices);
    ctx.insert("lang", src);
    ctx.insert("root", &site.config.base());
    ctx.insert("site_title", site.config.title.or(src, src));
    ctx.insert("t", src_strings);
    sink.put(OutputFile {
        path: "404.html".into(),
        bytes: render_bytes(theme, "404.html", &ctx)?,
    })?;
    super::sitemap::render(site, theme, langs, src_strings, sink)
}
