//! Figures drawn from data as SVG: the layout of the flow of a `style = "flow"` list (main steps
//! top to bottom, parallel work beside them), which the theme's `figures/flow.html` draws with a
//! title and description for assistive technology.

use serde::Serialize;

use super::html::Ctx;
use crate::load::data::ListData;
use crate::markdown::inline::plain;

/// Breaks `text` into lines of about `width` units (a CJK character counts 2, others 1).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    let wide = |c: char| (c as u32) >= 0x2E80;
    for word in split_keep(text) {
        let w: usize = word.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
        // A trailing space may hang past the end of the line.
        let fit = w - word.chars().rev().take_while(|c| *c == ' ').count();
        if cur_w + fit > width && !cur.is_empty() {
            lines.push(cur.trim().to_string());
            cur.clear();
            cur_w = 0;
        }
        if w > width {
            for c in word.chars() {
                let cw = if wide(c) { 2 } else { 1 };
                if cur_w + cw > width {
                    lines.push(cur.trim().to_string());
                    cur.clear();
                    cur_w = 0;
                }
                cur.push(c);
                cur_w += cw;
            }
        } else {
            cur.push_str(&word);
            cur_w += w;
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim().to_string());
    }
    lines
}

/// Splits into breakable units: Latin words with their trailing space, single CJK characters.
fn split_keep(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if (c as u32) >= 0x2E80 {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            // Keep closing punctuation with the previous character.
            if "、。）」』・ー".contains(c) {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                    continue;
                }
            }
            out.push(c.to_string());
        } else {
            word.push(c);
            if c == ' ' {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A figure's shapes for the theme's `figures/flow.html`, in drawing order; coordinates are
/// SVG user units, written as numbers.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Shape {
    /// A main step's box.
    Step {
        x: String,
        y: String,
        width: String,
        height: String,
    },
    /// The disc behind a step's number.
    Badge { cx: String, cy: String, r: String },
    /// Lines of text; `role` is `badge` (a step's number), `step`, `parallel` or
    /// `parallel-detail`.
    Text {
        role: &'static str,
        x: String,
        y: String,
        size: String,
        anchor: &'static str,
        weight: &'static str,
        lines: Vec<Line>,
    },
    /// The arrow from one main step down to the next.
    Arrow { x: String, y1: String, y2: String },
    /// The box of the work done in parallel.
    Parallel {
        x: String,
        y: String,
        width: String,
        height: String,
    },
    /// The dashed line from the main steps to the parallel box.
    Link { x1: String, x2: String, y: String },
}

/// One line of a text shape and its offset from the line before.
#[derive(Debug, Serialize)]
pub struct Line {
    pub dy: String,
    pub text: String,
}

/// The flow chart of a list, for `figures/flow.html`.
#[derive(Debug, Serialize)]
pub struct FlowView {
    pub id: String,
    pub width: String,
    pub height: String,
    /// Plain text: the list's title, the main steps, the parallel work.
    pub title: String,
    pub steps: Vec<String>,
    pub parallel: Vec<String>,
    pub shapes: Vec<Shape>,
}

fn num(v: f32) -> String {
    v.to_string()
}

fn text(
    role: &'static str,
    x: f32,
    y: f32,
    lines: &[String],
    size: f32,
    anchor: &'static str,
    weight: &'static str,
) -> Shape {
    Shape::Text {
        role,
        x: num(x),
        y: num(y),
        size: num(size),
        anchor,
        weight,
        lines: lines
            .iter()
            .enumerate()
            .map(|(i, l)| Line {
                dy: num(if i == 0 { 0.0 } else { size * 1.3 }),
                text: l.clone(),
            })
            .collect(),
    }
}

/// The layout of a list's flow chart: main steps top to bottom, parallel work beside them.
pub fn flow_view(ctx: &Ctx, list: &ListData) -> FlowView {
    let lang_src = ctx.site.source_lang();
    let main: Vec<_> = list.items.iter().filter(|i| !i.parallel).collect();
    let side: Vec<_> = list.items.iter().filter(|i| i.parallel).collect();
    let box_w = 400.0;
    let x0 = 20.0;
    let side_w = if side.is_empty() { 0.0 } else { 200.0 };
    let width = x0 * 2.0 + box_w + if side.is_empty() { 0.0 } else { 40.0 + side_w };
    let mut y = 20.0;
    let mut shapes = Vec::new();
    for (i, it) in main.iter().enumerate() {
        let label = it
            .label
            .as_ref()
            .map(|l| plain(l.or(ctx.lang, lang_src)))
            .unwrap_or_else(|| format!("{}", i + 1));
        let lines = wrap(&plain(it.text.or(ctx.lang, lang_src)), 34);
        let h = 24.0 + lines.len() as f32 * 20.8 + 8.0;
        shapes.push(Shape::Step {
            x: num(x0),
            y: num(y),
            width: num(box_w),
            height: num(h),
        });
        shapes.push(Shape::Badge {
            cx: num(x0 + 24.0),
            cy: num(y + h / 2.0),
            r: num(14.0),
        });
        shapes.push(text(
            "badge",
            x0 + 24.0,
            y + h / 2.0 + 5.0,
            &[label.chars().take(3).collect()],
            14.0,
            "middle",
            "bold",
        ));
        shapes.push(text(
            "step",
            x0 + 50.0,
            y + (h - (lines.len() as f32 - 1.0) * 20.8) / 2.0 + 6.0,
            &lines,
            16.0,
            "start",
            "bold",
        ));
        y += h;
        if i + 1 < main.len() {
            let cx = x0 + box_w / 2.0;
            shapes.push(Shape::Arrow {
                x: num(cx),
                y1: num(y + 2.0),
                y2: num(y + 26.0),
            });
            y += 30.0;
        }
    }
    let total = y + 20.0;
    if !side.is_empty() {
        let sx = x0 + box_w + 40.0;
        let sh = total - 40.0;
        shapes.push(Shape::Parallel {
            x: num(sx),
            y: num(20.0),
            width: num(side_w),
            height: num(sh),
        });
        let mut sy = 50.0;
        for it in &side {
            let lines = wrap(&plain(it.text.or(ctx.lang, lang_src)), 16);
            shapes.push(text(
                "parallel",
                sx + side_w / 2.0,
                sy,
                &lines,
                16.0,
                "middle",
                "bold",
            ));
            sy += lines.len() as f32 * 21.0 + 10.0;
            if let Some(d) = &it.detail {
                let dl = wrap(&plain(d.or(ctx.lang, lang_src)), 18);
                shapes.push(text(
                    "parallel-detail",
                    sx + side_w / 2.0,
                    sy,
                    &dl,
                    13.0,
                    "middle",
                    "normal",
                ));
                sy += dl.len() as f32 * 17.0 + 14.0;
            }
        }
        shapes.push(Shape::Link {
            x1: num(x0 + box_w + 2.0),
            x2: num(sx - 2.0),
            y: num(total / 2.0),
        });
    }
    let texts = |items: &[&crate::load::data::ListItem]| {
        items
            .iter()
            .map(|i| plain(i.text.or(ctx.lang, lang_src)))
            .collect()
    };
    FlowView {
        id: list.id.clone(),
        width: num(width),
        height: num(total),
        title: list
            .title
            .as_ref()
            .map(|t| plain(t.or(ctx.lang, lang_src)))
            .unwrap_or_default(),
        steps: texts(&main),
        parallel: texts(&side),
        shapes,
    }
}

/// The flow chart of a list drawn by the theme's `figures/flow.html` (for the slides; a theme
/// whose template fails draws nothing here, and the pages with the same flow report the error).
pub fn flow(ctx: &Ctx, list: &ListData) -> String {
    let view = flow_view(ctx, list);
    super::directives::draw(ctx, "figures/flow.html", |c| c.insert("flow", &view))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_japanese_and_english() {
        assert_eq!(wrap("検知・初動対応", 8), vec!["検知・初", "動対応"]);
        assert!(
            wrap("報告、体制構築", 4)
                .iter()
                .all(|l| !l.starts_with('、')),
            "no line starts with a comma"
        );
        assert_eq!(wrap("report and set up", 10), vec!["report and", "set up"]);
    }
}
