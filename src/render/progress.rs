//! The learner's progress pages of one language: the progress page (`LANG/progress/`), the
//! printable certificate (`LANG/progress/certificate/`), the course data every page's progress
//! script reads (`LANG/progress/data.js`: the course id and edition, the number of pages, the
//! quizzes and checklist of the completion rule, and the UI words) and the list of the pages
//! (`LANG/progress/pages.js`: path, URL and title of each), which only the progress and
//! certificate pages and the SCORM launch page load, so that a page's weight does not grow with
//! the course.

use serde::Serialize;

use super::library::{frame, to_ctx};
use super::nav::NavCache;
use super::theme::Theme;
use super::{render_bytes, LangState, OutputFile};
use crate::error::Result;
use crate::site::links::numbered_title;
use crate::site::Site;

/// Prefixes of the UI strings the progress script is handed.
const STRING_PREFIXES: &[&str] = &["progress", "record_", "certificate"];

#[derive(Serialize)]
struct PageItem {
    /// The page's path below the language folder, the same in every language.
    path: String,
    url: String,
    title: String,
}

#[derive(Serialize)]
struct QuizItem {
    id: String,
    title: String,
    /// The quiz's page, when the course has it.
    url: Option<String>,
}

#[derive(Serialize)]
struct ChecklistItem {
    id: String,
    version: u32,
    title: String,
    items: usize,
    url: String,
}

#[derive(Serialize)]
struct CourseData<'a> {
    id: &'a str,
    /// In the data script only: the pages do not show it (the script does), so that a new text
    /// elsewhere in the course leaves them as they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<&'a str>,
    lang: &'a str,
    title: &'a str,
    progress_url: String,
    certificate_url: String,
    /// How many pages the course has.
    page_count: usize,
    /// In the templates only: the scripts have them in `pages.js`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pages: Option<Vec<PageItem>>,
    quizzes: Vec<QuizItem>,
    checklist: Option<ChecklistItem>,
    /// Whether the course has a completion rule.
    rule: bool,
    t: std::collections::BTreeMap<&'a str, &'a str>,
}

/// The pages of the course in one language, in reading order.
fn page_items(site: &Site, lang: &str) -> Vec<PageItem> {
    (0..site.pages.len())
        .map(|i| PageItem {
            path: site.pages[i].slug_path.clone(),
            url: super::url::page_path(site, i, lang),
            title: numbered_title(site, &site.pages[i], lang),
        })
        .collect()
}

/// The course data of `ls`'s language, without the list of pages.
fn course_data<'a>(site: &'a Site, ls: &'a LangState) -> CourseData<'a> {
    let lang = ls.lang;
    let src = site.source_lang();
    let rule = site.completion.as_ref();
    let quizzes = rule
        .map(|r| {
            r.quizzes
                .iter()
                .map(|id| {
                    let quiz = site.data.quizzes.iter().find(|q| &q.data.id == id);
                    QuizItem {
                        id: id.clone(),
                        title: quiz
                            .map_or_else(|| id.clone(), |q| q.data.title.or(lang, src).to_string()),
                        url: quiz.map(|_| format!("{lang}/quizzes/{id}/index.html")),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let checklist = rule
        .and_then(|r| r.checklist.as_deref())
        .and_then(|id| site.data.checklist(id))
        .map(|c| ChecklistItem {
            id: c.data.id.clone(),
            version: c.data.version,
            title: c.data.title.or(lang, src).to_string(),
            items: c.data.items.len(),
            url: format!("{lang}/checklists/{}/index.html", c.data.id),
        });
    let t = ls
        .strings
        .0
        .iter()
        .filter(|(k, _)| STRING_PREFIXES.iter().any(|p| k.starts_with(p)))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    CourseData {
        id: &site.course_id,
        edition: Some(&site.edition),
        lang,
        title: site.config.title.or(lang, src),
        progress_url: format!("{lang}/progress/index.html"),
        certificate_url: format!("{lang}/progress/certificate/index.html"),
        page_count: site.pages.len(),
        pages: None,
        quizzes,
        checklist,
        rule: rule.is_some(),
        t,
    }
}

/// The progress data script of one language (`LANG/progress/data.js`), which every page loads:
/// the only progress file that holds the course edition, so the only one a new text of a page
/// changes.
pub fn data_script(site: &Site, ls: &LangState) -> OutputFile {
    data_file(ls.lang, &course_data(site, ls))
}

fn data_file(lang: &str, data: &CourseData) -> OutputFile {
    script(format!("{lang}/progress/data.js"), "kyozaiCourse", data)
}

/// A script that sets `window.NAME` to `value` as JSON (`<` escaped, so that no text in it can
/// end a script element).
fn script(path: String, name: &str, value: &impl Serialize) -> OutputFile {
    let json =
        crate::text::script_json(&serde_json::to_string(value).unwrap_or_else(|_| "null".into()));
    OutputFile {
        path,
        bytes: format!("window.{name} = {json};\n").into_bytes(),
    }
}

/// The progress page, the certificate page and the progress data of one language.
pub fn render(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    ls: &LangState,
) -> Result<Vec<OutputFile>> {
    let lang = ls.lang;
    let mut data = course_data(site, ls);
    let pages = page_items(site, lang);
    let mut files = vec![
        data_file(lang, &data),
        script(
            format!("{lang}/progress/pages.js"),
            "kyozaiCoursePages",
            &pages,
        ),
    ];
    data.edition = None;
    data.pages = Some(pages);

    let root = "../../";
    let rest = "progress/index.html";
    let f = frame(
        site,
        nav,
        ls,
        rest,
        root,
        ls.strings.get("progress").into(),
        "progress",
    )?;
    let mut ctx = to_ctx(&f)?;
    ctx.insert("course", &data);
    files.push(OutputFile {
        path: format!("{lang}/{rest}"),
        bytes: render_bytes(theme, "progress.html", &ctx)?,
    });
    // The list of pages is the progress page's alone (the certificate's script has pages.js);
    // not kept while the certificate is drawn, as it is a copy of every page's title and URL.
    drop(ctx);
    data.pages = None;

    let root = "../../../";
    let rest = "progress/certificate/index.html";
    let mut f = frame(
        site,
        nav,
        ls,
        rest,
        root,
        ls.strings.get("certificate").into(),
        "",
    )?;
    f.breadcrumbs.push(super::nav::Link {
        title: ls.strings.get("progress").into(),
        url: format!("{root}{lang}/progress/index.html"),
    });
    let mut ctx = to_ctx(&f)?;
    ctx.insert("course", &data);
    files.push(OutputFile {
        path: format!("{lang}/{rest}"),
        bytes: render_bytes(theme, "certificate.html", &ctx)?,
    });
    Ok(files)
}
