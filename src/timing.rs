//! Stage timing: with `KYOZAI_TIMING` set, how long the process has run and its memory after each
//! stage, handed to the reporter the binary installs (the library prints nothing itself).

use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Instant> = OnceLock::new();
static REPORTER: OnceLock<fn(&str)> = OnceLock::new();

/// Whether `KYOZAI_TIMING` asks for timing lines.
pub fn wanted() -> bool {
    std::env::var_os("KYOZAI_TIMING").is_some()
}

/// Starts the clock and has every later [`lap`] line handed to `report` (the binary passes one
/// that prints to standard error). Only the first call counts.
pub fn report_to(report: fn(&str)) {
    START.get_or_init(Instant::now);
    let _ = REPORTER.set(report);
}

/// After the stage `what`: with a reporter installed, hands it how long the process has run and
/// its memory so far (`load: 120 ms, rss 40 MB, peak 52 MB`).
pub fn lap(what: &str) {
    let Some(report) = REPORTER.get() else {
        return;
    };
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    report(&format!(
        "{what}: {} ms, rss {}, peak {}",
        START.get_or_init(Instant::now).elapsed().as_millis(),
        field("VmRSS:"),
        field("VmHWM:")
    ));
}
