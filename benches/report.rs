//! `cargo bench --bench report [-- N RUNS]`: reads N generated exports (JSON and CSV, default 500)
//! of the bundled course's 12-item checklist and brings them together as `kyozai report` does
//! (reading, combining, the CSV and the report page), RUNS times (default 5); prints the median
//! and the fastest wall time. The browser's figure comes from tests/browser/bench-compare.mjs.

use std::path::{Path, PathBuf};
use std::time::Instant;

const ITEMS: [&str; 12] = [
    "org-corrective",
    "org-detective",
    "org-preventive-rules",
    "org-preventive-vendors",
    "system-corrective",
    "system-detective",
    "system-preventive-risks",
    "system-preventive-intrusion",
    "staff-corrective",
    "staff-detective",
    "staff-preventive-documents",
    "staff-preventive-human-error",
];
const STATUSES: [&str; 5] = ["not-started", "considering", "in-place", "na", ""];

/// Writes `n` exports into `dir`: every third one CSV, every fifth respondent twice (two dates).
fn generate(dir: &Path, n: usize) -> Vec<PathBuf> {
    let mut seed: u64 = 18;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut paths = Vec::new();
    for i in 0..n {
        let who = format!("Department {:03}", if i % 5 == 4 { i - 1 } else { i });
        let date = if i % 5 == 4 {
            "2026-04-01"
        } else {
            "2025-04-01"
        };
        let answers: Vec<&str> = ITEMS.iter().map(|_| STATUSES[next() % 5]).collect();
        let (name, body) = if i % 3 == 1 {
            let mut s = String::from("\u{feff}\"Checklist\",\"Version\",\"Date\",\"Item ID\",\"Domain\",\"Subject\",\"Control\",\"Question\",\"Countermeasure\",\"Status ID\",\"Status\",\"Notes\",\"Respondent\"\r\n");
            for (id, st) in ITEMS.iter().zip(&answers) {
                s.push_str(&format!("\"self-assessment\",\"1\",\"{date}\",\"{id}\",\"1\",\"\",\"\",\"q\",\"c\",\"{st}\",\"\",\"a note\",\"{who}\"\r\n"));
            }
            (format!("export-{i}.csv"), s)
        } else {
            let items: Vec<String> = ITEMS
                .iter()
                .zip(&answers)
                .map(|(id, st)| {
                    format!(
                        "{{\"id\":\"{id}\",\"status\":{},\"note\":\"a note\"}}",
                        if st.is_empty() {
                            "null".into()
                        } else {
                            format!("\"{st}\"")
                        }
                    )
                })
                .collect();
            (
                format!("export-{i}.json"),
                format!("{{\"format\":\"kyozai-checklist\",\"checklist\":\"self-assessment\",\"version\":1,\"respondent\":\"{who}\",\"date\":\"{date}\",\"exported\":\"{date}T09:00:00Z\",\"items\":[{}]}}", items.join(",")),
            )
        };
        let p = dir.join(name);
        std::fs::write(&p, body).expect("write an export");
        paths.push(p);
    }
    paths
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(500);
    let runs = args.get(1).copied().unwrap_or(5).max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, theme) =
        kyozai::build::load_and_check(root, &Default::default()).expect("load the bundled course");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let paths = generate(dir.path(), n);
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let r = kyozai::report::report(&site, &theme, &paths, "ja", None).expect("report");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(r.used, n, "every export is used");
    }
    times.sort_by(f64::total_cmp);
    println!(
        "report of {n} exports ({} respondents): median {:.1} ms, fastest {:.1} ms over {runs} runs",
        n - n / 5,
        times[times.len() / 2],
        times[0]
    );
}
