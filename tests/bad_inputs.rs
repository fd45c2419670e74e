//! Bad input never breaks a site. Each case of `tests/bad-inputs/cases/` starts from the course
//! in `tests/bad-inputs/base/`, builds it into OUT, applies the bad input (files written or
//! removed, or made at test time by a generator below: huge, binary and invalid files, symbolic
//! links, read-only folders, a full disk), and builds again into OUT. Then:
//!
//! * the build exits with the documented status, and on failure names the file, line, column and
//!   message (`docs/bad-inputs.md` lists every case);
//! * nothing panics, in `kyozai build` or in `kyozai check`;
//! * when the build fails, OUT is byte for byte what the good build wrote, and no staging folder
//!   is left beside it;
//! * when it succeeds, the output is right (and, for HTML in data, escaped).

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::Duration;

use serde::Deserialize;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad-inputs/cases");
const BASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad-inputs/base");
const NOBODY: u32 = 65534;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    #[serde(default)]
    generate: Option<String>,
    #[serde(default)]
    write: Vec<WriteFile>,
    #[serde(default)]
    remove: Vec<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WriteFile {
    path: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: i32,
    #[serde(default)]
    check_status: Option<i32>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    column: Option<usize>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    safe_html: bool,
    #[serde(default)]
    output: Vec<OutputExpect>,
    #[serde(default)]
    check_file: Option<String>,
    #[serde(default)]
    check_line: Option<usize>,
    #[serde(default)]
    check_column: Option<usize>,
    #[serde(default)]
    check_message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutputExpect {
    path: String,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    lacks: Vec<String>,
}

/// How the second build is run.
enum Runner {
    Normal,
    /// As an unprivileged user, so file permissions apply even when the tests run as root.
    Nobody,
    /// Under a file size limit (KiB) with SIGXFSZ ignored: writes fail with "File too large".
    FileSizeLimit(u64),
}

/// A mounted tmpfs, unmounted when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg(&self.0).status();
    }
}

/// A check of the output a generated case runs after the build.
type AfterCheck = Box<dyn Fn(&Path) -> Result<(), String>>;

/// What a generator leaves behind: how to run the build, a mount to keep, a check of the output.
struct Generated {
    runner: Runner,
    _mount: Option<Mount>,
    after: Option<AfterCheck>,
}

impl Generated {
    fn normal() -> Generated {
        Generated {
            runner: Runner::Normal,
            _mount: None,
            after: None,
        }
    }
}

/// A fixed pseudo-random byte stream (no new dependencies for random data).
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn front(title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n")
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

fn chown_tree(dir: &Path, uid: u32) {
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        let _ = std::os::unix::fs::lchown(e.path(), Some(uid), Some(uid));
    }
}

fn set_mode(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn generate(name: &str, work: &Path, course: &Path, out: &Path) -> Generated {
    let c = |rel: &str| course.join(rel);
    let write = |rel: &str, bytes: &[u8]| {
        let p = course.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    match name {
        "invalid-utf8-page" => write(
            "content/01-intro/01-first.ja.md",
            b"+++\ntitle = \"x\"\n+++\nab\xffcd\n",
        ),
        "invalid-utf8-data" => write(
            "content/data/incidents.cases.toml",
            b"[[case]]\nid = \"\xfe\"\n",
        ),
        "invalid-utf8-config" => {
            let mut b = b"# caf\xe9 in Latin-1\n".to_vec();
            b.extend(std::fs::read(c("kyozai.toml")).unwrap());
            write("kyozai.toml", &b);
        }
        "deep-lists" => write(
            "content/01-intro/03-deep.ja.md",
            format!("{}{}x\n", front("深い"), "- ".repeat(10_000)).as_bytes(),
        ),
        "deep-quotes" => write(
            "content/01-intro/03-deep.ja.md",
            format!("{}{} x\n", front("深い"), ">".repeat(10_000)).as_bytes(),
        ),
        "deep-inlines" => {
            let body = format!(
                "{}\n\n{}x{}\n\n{}x](01-first.md){}\n\n{}\n",
                "[".repeat(10_000),
                "*".repeat(10_000),
                "_".repeat(10_000),
                "[".repeat(10_000),
                "]".repeat(10_000),
                "<".repeat(10_000)
            );
            write(
                "content/01-intro/03-deep.ja.md",
                format!("{}{body}", front("深い")).as_bytes(),
            );
        }
        "deep-callouts" => {
            let n = 12;
            let mut body = String::new();
            for i in 0..n {
                body.push_str(&format!("{}{{note}}\n", "`".repeat(3 + n - i)));
            }
            body.push_str("x\n");
            for i in (0..n).rev() {
                body.push_str(&format!("{}\n", "`".repeat(3 + n - i)));
            }
            write(
                "content/01-intro/03-deep.ja.md",
                format!("{}{body}", front("深い")).as_bytes(),
            );
        }
        "fifty-megabytes" => {
            let mut b = front("大きい").into_bytes();
            let line = format!("{}\n", "x".repeat(99));
            while b.len() < 50_000_000 {
                b.extend_from_slice(line.as_bytes());
            }
            write("content/01-intro/03-big.ja.md", &b);
        }
        "long-line" => write(
            "content/01-intro/03-long.ja.md",
            format!("{}{}", front("長い行"), "x".repeat(2_000_000)).as_bytes(),
        ),
        "binary-page" => write("content/01-intro/03-noise.ja.md", &noise(100_000, 1)),
        "binary-data" => write("content/data/noise.cases.toml", &noise(100_000, 2)),
        "binary-asset" => {
            let bytes = noise(300_000, 3);
            write("content/01-intro/figures/noise.bin", &bytes);
            return Generated {
                after: Some(Box::new(move |out: &Path| {
                    let got = std::fs::read(out.join("media/01-intro/figures/noise.bin"))
                        .map_err(|e| e.to_string())?;
                    if got == bytes {
                        Ok(())
                    } else {
                        Err("the binary asset was not copied byte for byte".into())
                    }
                })),
                ..Generated::normal()
            };
        }
        "symlink-loop" => std::os::unix::fs::symlink(".", c("content/01-intro/loop")).unwrap(),
        "symlink-cycle" => {
            std::os::unix::fs::symlink("03-b.ja.md", c("content/01-intro/03-a.ja.md")).unwrap();
            std::os::unix::fs::symlink("03-a.ja.md", c("content/01-intro/03-b.ja.md")).unwrap();
        }
        "symlink-outside" => {
            let outside = work.join("outside.ja.md");
            std::fs::write(&outside, front("外")).unwrap();
            std::os::unix::fs::symlink(&outside, c("content/01-intro/03-outside.ja.md")).unwrap();
        }
        "read-only-output" => {
            // A change, so the build would write something different.
            write(
                "content/01-intro/02-second.ja.md",
                format!("{}## 詳細\n\n変更。\n", front("二番目の節")).as_bytes(),
            );
            set_mode(&out.join("ja/intro"), 0o555);
            set_mode(out, 0o555);
            return Generated {
                runner: if is_root() {
                    Runner::Nobody
                } else {
                    Runner::Normal
                },
                ..Generated::normal()
            };
        }
        "read-only-parent" => {
            write(
                "content/01-intro/02-second.ja.md",
                format!("{}## 詳細\n\n変更。\n", front("二番目の節")).as_bytes(),
            );
            set_mode(out.parent().unwrap(), 0o555);
            return Generated {
                runner: if is_root() {
                    Runner::Nobody
                } else {
                    Runner::Normal
                },
                ..Generated::normal()
            };
        }
        "full-disk" => {
            // The next output holds a 3 MB figure: more than the disk has left.
            write("content/01-intro/figures/big.bin", &noise(3_000_000, 4));
            let mount = out.parent().unwrap();
            if mount.file_name().is_some_and(|n| n == "fs") && is_mounted(mount) {
                return Generated {
                    _mount: Some(Mount(mount.to_path_buf())),
                    ..Generated::normal()
                };
            }
            return Generated {
                runner: Runner::FileSizeLimit(1024),
                ..Generated::normal()
            };
        }
        "output-not-ours" => {
            std::fs::remove_file(out.join(".kyozai-output")).unwrap();
        }
        other => panic!("no generator named {other}"),
    }
    Generated::normal()
}

fn is_mounted(dir: &Path) -> bool {
    let Ok(m) = std::fs::read_to_string("/proc/mounts") else {
        return false;
    };
    let d = dir.to_string_lossy();
    m.lines().any(|l| l.split(' ').nth(1) == Some(&*d))
}

/// Every file and folder under `dir` with its contents, for comparing trees byte for byte.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let v = if e.file_type().is_file() {
                Some(std::fs::read(e.path()).unwrap())
            } else if e.file_type().is_symlink() {
                Some(
                    std::fs::read_link(e.path())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                        .into_bytes(),
                )
            } else {
                None
            };
            (rel, v)
        })
        .collect()
}

fn leftovers(out: &Path) -> Vec<String> {
    let prefix = format!(".{}.kyozai-", out.file_name().unwrap().to_string_lossy());
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The output a build replaced is kept as the spare the next build updates.
        .filter(|n| n.starts_with(&prefix) && !n.ends_with(".kyozai-spare"))
        .collect()
}

/// Runs kyozai; returns (status, stdout, stderr).
fn kyozai(args: &[&Path], runner: &Runner) -> (i32, String, String) {
    let bin = assert_cmd::cargo::cargo_bin("kyozai");
    let mut cmd = match runner {
        Runner::FileSizeLimit(kib) => {
            let mut c = StdCommand::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -f {kib}; trap '' XFSZ; exec \"$0\" \"$@\""))
                .arg(&bin);
            c
        }
        _ => StdCommand::new(&bin),
    };
    cmd.args(args);
    if let Runner::Nobody = runner {
        use std::os::unix::process::CommandExt;
        cmd.uid(NOBODY).gid(NOBODY);
    }
    let out = assert_cmd::Command::from_std(cmd)
        .timeout(Duration::from_secs(180))
        .output()
        .expect("run kyozai");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Scans every HTML file of the output for markup that data or front matter injected.
fn unsafe_html(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let rel = e
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
        if rel.ends_with(".js") {
            if rel.contains("checklists/") && text.contains("</script") {
                problems.push(format!("{rel}: `</script` in a script"));
            }
            continue;
        }
        if !(rel.ends_with(".html") || rel.ends_with(".xml") || rel.ends_with(".svg")) {
            continue;
        }
        for t in kyozai::check::html::tags(&text) {
            // A JSON data block (`type="application/json"`) is not run, so the CSP allows it.
            if t.name == "script"
                && t.attr("src").is_none()
                && t.attr("type") != Some("application/json")
            {
                problems.push(format!("{rel}: an inline <script>"));
            }
            if matches!(t.name.as_str(), "iframe" | "object" | "embed")
                || (t.name == "img" && t.attr("src") == Some("x"))
                || (t.name == "svg" && t.attr("onload").is_some())
            {
                problems.push(format!("{rel}: an injected <{}>", t.name));
            }
            for a in &t.attrs {
                let v = a.value.as_deref().unwrap_or("").trim().to_ascii_lowercase();
                if a.name.starts_with("on") {
                    problems.push(format!("{rel}: an `{}` attribute on <{}>", a.name, t.name));
                }
                if matches!(a.name.as_str(), "href" | "src" | "action")
                    && v.starts_with("javascript:")
                {
                    problems.push(format!("{rel}: a javascript: URL in <{}>", t.name));
                }
            }
        }
    }
    problems
}

/// Runs one case; returns what went wrong.
fn run_case(name: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(Path::new(CASES).join(format!("{name}.toml"))).expect("case file");
    let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}.toml: {e}"));
    let mut fails = Vec::new();
    let mut fail = |m: String| fails.push(format!("{name} ({}): {m}", case.description));
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    let course = work.join("course");
    common::copy_dir(Path::new(BASE), &course);
    // The output: on a small tmpfs for the full-disk case when mounting is allowed.
    let mut out = work.join("site").join("out");
    if case.generate.as_deref() == Some("full-disk") {
        let fs = work.join("fs");
        std::fs::create_dir(&fs).unwrap();
        // KYOZAI_TEST_NO_MOUNT=1 tries the fallback where mounting would work.
        let mounted = std::env::var_os("KYOZAI_TEST_NO_MOUNT").is_none()
            && StdCommand::new("mount")
                .args(["-t", "tmpfs", "-o", "size=1536k", "tmpfs"])
                .arg(&fs)
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        if mounted {
            out = fs.join("out");
        } else {
            eprintln!("{name}: cannot mount a tmpfs here; simulating the full disk with a file size limit");
        }
    }
    let unprivileged = matches!(
        case.generate.as_deref(),
        Some("read-only-output" | "read-only-parent")
    ) && is_root();
    if unprivileged {
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        chown_tree(work, NOBODY);
        set_mode(work, 0o755);
    }
    let first_runner = if unprivileged {
        Runner::Nobody
    } else {
        Runner::Normal
    };

    let (code, _, err) = kyozai(
        &[Path::new("build"), &course, Path::new("-o"), &out],
        &first_runner,
    );
    assert_eq!(code, 0, "{name}: the good build failed: {err}");
    for p in &case.remove {
        std::fs::remove_file(course.join(p)).unwrap_or_else(|e| panic!("{name}: remove {p}: {e}"));
    }
    for w in &case.write {
        let p = course.join(&w.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, &w.text).unwrap();
    }
    let generated = case
        .generate
        .as_deref()
        .map(|g| generate(g, work, &course, &out))
        .unwrap_or_else(Generated::normal);
    if unprivileged {
        chown_tree(&course, NOBODY);
    }
    let before = tree(&out);

    let (code, stdout, stderr) = kyozai(
        &[Path::new("build"), &course, Path::new("-o"), &out],
        &generated.runner,
    );
    let e = &case.expect;
    if stderr.contains("panicked") || stdout.contains("panicked") {
        fail(format!("kyozai build panicked: {stderr}"));
    }
    // The whole message, exactly (`tests/snapshots/`; review changes with `cargo insta review`).
    insta::assert_snapshot!(
        format!("build-{name}"),
        format!("status: {code}\n{}", normalize(&stderr, work, &out)),
        &case.description
    );
    if code != e.status {
        fail(format!(
            "kyozai build exited with {code}, expected {}: {stderr}",
            e.status
        ));
    }
    if code != 0 {
        if let Some(file) = &e.file {
            let loc = match (e.line, e.column) {
                (None, _) | (Some(0), _) => format!("--> {file}"),
                (Some(l), None | Some(0)) => format!("--> {file}:{l}"),
                (Some(l), Some(c)) => format!("--> {file}:{l}:{c}\n"),
            };
            if !stderr.contains(&loc) {
                fail(format!("the error does not point at `{loc}`: {stderr}"));
            }
        }
        for m in e.message.iter().chain(&e.help) {
            if !stderr.contains(m.as_str()) {
                fail(format!("the error does not say `{m}`: {stderr}"));
            }
        }
        let after = tree(&out);
        if after != before {
            let changed: Vec<&String> = before
                .keys()
                .chain(after.keys())
                .filter(|k| before.get(*k) != after.get(*k))
                .collect();
            fail(format!("the previous output changed: {changed:?}"));
        }
    } else {
        for o in &e.output {
            match std::fs::read(out.join(&o.path)) {
                Err(err) => fail(format!("{} was not written: {err}", o.path)),
                Ok(bytes) => {
                    let t = String::from_utf8_lossy(&bytes);
                    for s in &o.contains {
                        if !t.contains(s.as_str()) {
                            fail(format!("{} lacks `{s}`", o.path));
                        }
                    }
                    for s in &o.lacks {
                        if t.contains(s.as_str()) {
                            fail(format!("{} contains `{s}`", o.path));
                        }
                    }
                }
            }
        }
        if e.safe_html {
            for p in unsafe_html(&out) {
                fail(p);
            }
        }
    }
    let left = leftovers(&out);
    if !left.is_empty() {
        fail(format!("left behind beside the output: {left:?}"));
    }
    if let Some(after) = &generated.after {
        if let Err(m) = after(&out) {
            fail(m);
        }
    }

    // `kyozai check` reads the same input: it must not panic either, and agree with the build.
    let (code, stdout, stderr) = kyozai(
        &[
            Path::new("check"),
            Path::new("--format"),
            Path::new("json"),
            &course,
        ],
        &Runner::Normal,
    );
    if stderr.contains("panicked") {
        fail(format!("kyozai check panicked: {stderr}"));
    }
    let want = e.check_status.unwrap_or(e.status);
    if code != want {
        fail(format!(
            "kyozai check exited with {code}, expected {want}: {stdout}{stderr}"
        ));
    }
    let place = match (&e.check_file, e.status) {
        (Some(f), _) => Some((f, e.check_line, e.check_column, e.check_message.as_ref())),
        (None, 1) if code == 1 => e
            .file
            .as_ref()
            .map(|f| (f, e.line, e.column, e.message.as_ref())),
        _ => None,
    };
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    // What check reports as errors, with their codes, exactly.
    let errors: Vec<String> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            format!(
                "{} {}:{}:{}: {}",
                f["code"].as_str().unwrap_or(""),
                f["file"].as_str().unwrap_or(""),
                f["line"],
                f["column"],
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    insta::assert_snapshot!(
        format!("check-{name}"),
        format!(
            "status: {code}\n{}{}",
            errors.join("\n"),
            normalize(&stderr, work, &out)
        ),
        &case.description
    );
    if let Some((file, line, column, message)) = place {
        let found = v["findings"].as_array().into_iter().flatten().any(|f| {
            f["file"] == file.as_str()
                && line.is_none_or(|l| f["line"] == l)
                && column.is_none_or(|c| c == 0 || f["column"] == c)
                && message.is_none_or(|m| f["message"].as_str().unwrap_or("").contains(m.as_str()))
        });
        if !found {
            fail(format!("kyozai check has no finding at {file}:{line:?}:{column:?} saying {message:?}: {stdout}"));
        }
    }
    // Make everything removable again.
    for e in walkdir::WalkDir::new(work).into_iter().flatten() {
        if e.file_type().is_dir() {
            let _ = std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o755));
        }
    }
    drop(generated);
    fails
}

/// `text` with what differs from run to run replaced: the case's temporary folders, and the
/// operating system's words for a full disk (a tmpfs says "no space", a file size limit "too
/// large").
fn normalize(text: &str, work: &Path, out: &Path) -> String {
    // The folder holding the output differs where the full-disk case cannot mount a tmpfs.
    let beside = out
        .parent()
        .expect("the output has a parent")
        .display()
        .to_string();
    let mut t = text
        .replace(&beside, "[OUTPUT-PARENT]")
        .replace(&work.display().to_string(), "[WORK]");
    // Staging folders are named after the process.
    let mark = "kyozai-staging-";
    let mut at = 0;
    while let Some(i) = t[at..].find(mark) {
        let start = at + i + mark.len();
        let end = start + t[start..].bytes().take_while(u8::is_ascii_digit).count();
        t.replace_range(start..end, "[PID]");
        at = start;
    }
    for full in [
        "No space left on device (os error 28)",
        "File too large (os error 27)",
    ] {
        t = t.replace(full, "[disk full]");
    }
    t
}

fn check(name: &str) {
    let fails = run_case(name);
    assert!(fails.is_empty(), "\n{}", fails.join("\n"));
}

macro_rules! cases {
    ($($f:ident => $name:literal),* $(,)?) => {
        $(#[test] fn $f() { check($name); })*
        const LISTED: &[&str] = &[$($name),*];
    };
}

cases! {
    invalid_utf8_page => "01-invalid-utf8-page",
    invalid_utf8_data => "02-invalid-utf8-data",
    invalid_utf8_config => "03-invalid-utf8-config",
    nul_byte => "04-nul-byte",
    bom_page => "05-bom-page",
    bom_data_and_config => "06-bom-data-and-config",
    crlf_page => "07-crlf-page",
    crlf_error_position => "08-crlf-error-position",
    mixed_line_endings => "09-mixed-line-endings",
    empty_page => "10-empty-page",
    empty_data_file => "11-empty-data-file",
    empty_checklist => "12-empty-checklist",
    empty_config => "13-empty-config",
    unterminated_toml_front_matter => "14-unterminated-toml-front-matter",
    unterminated_yaml_front_matter => "15-unterminated-yaml-front-matter",
    unterminated_callout_fence => "16-unterminated-callout-fence",
    unterminated_data_directive_fence => "17-unterminated-data-directive-fence",
    unterminated_code_fence => "18-unterminated-code-fence",
    wrong_type_weight => "19-wrong-type-weight",
    wrong_type_title => "20-wrong-type-title",
    wrong_type_key_points => "21-wrong-type-key-points",
    wrong_type_yaml => "22-wrong-type-yaml",
    wrong_type_data => "23-wrong-type-data",
    wrong_type_directive_option => "24-wrong-type-directive-option",
    duplicate_case_id => "25-duplicate-case-id",
    duplicate_slug => "26-duplicate-slug",
    duplicate_weight => "27-duplicate-weight",
    duplicate_term => "28-duplicate-term",
    duplicate_headings => "29-duplicate-headings",
    unknown_directive => "30-unknown-directive",
    unknown_front_matter_field => "31-unknown-front-matter-field",
    unknown_data_field => "32-unknown-data-field",
    unknown_config_key => "33-unknown-config-key",
    unknown_directive_option => "34-unknown-directive-option",
    unknown_reference => "35-unknown-reference",
    deep_nested_lists => "36-deep-nested-lists",
    deep_nested_quotes => "37-deep-nested-quotes",
    deep_nested_inlines => "38-deep-nested-inlines",
    deep_nested_callouts => "39-deep-nested-callouts",
    fifty_megabytes => "40-fifty-megabytes",
    long_line => "41-long-line",
    binary_page => "42-binary-page",
    binary_data => "43-binary-data",
    binary_asset => "44-binary-asset",
    symlink_loop => "45-symlink-loop",
    symlink_cycle => "46-symlink-cycle",
    symlink_outside => "47-symlink-outside",
    link_escaping => "48-link-escaping",
    image_escaping => "49-image-escaping",
    absolute_link => "50-absolute-link",
    theme_escaping => "51-theme-escaping",
    id_escaping => "52-id-escaping",
    slug_escaping => "53-slug-escaping",
    missing_home => "54-missing-home",
    translation_without_source => "55-translation-without-source",
    page_too_deep => "56-page-too-deep",
    file_without_language => "57-file-without-language",
    unknown_data_kind => "58-unknown-data-kind",
    yaml_aliases => "59-yaml-aliases",
    toml_syntax_error => "60-toml-syntax-error",
    csv_bad_quotes => "61-csv-bad-quotes",
    control_characters => "62-control-characters",
    extreme_numbers => "63-extreme-numbers",
    missing_config => "64-missing-config",
    html_in_case_fields => "65-html-in-case-fields",
    html_in_checklist_fields => "66-html-in-checklist-fields",
    html_in_list_and_glossary_fields => "67-html-in-list-and-glossary-fields",
    html_in_front_matter_and_config => "68-html-in-front-matter-and-config",
    raw_html_in_markdown => "69-raw-html-in-markdown",
    file_name_with_spaces => "70-file-name-with-spaces",
    file_name_japanese => "71-file-name-japanese",
    read_only_output => "72-read-only-output",
    read_only_parent => "73-read-only-parent",
    full_disk => "74-full-disk",
    output_not_ours => "75-output-not-ours",
    relative_link_in_data => "76-relative-link-in-data",
    chapter_without_index => "77-chapter-without-index",
    empty_link_destination => "78-empty-link-destination",
    language_without_strings => "79-language-without-strings",
    language_not_a_tag => "80-language-not-a-tag",
    quiz_unknown_field => "quiz-01-unknown-field",
    quiz_no_correct_answer => "quiz-02-no-correct-answer",
    quiz_single_two_correct => "quiz-03-single-two-correct",
    quiz_true_false_two_correct => "quiz-04-true-false-two-correct",
    quiz_answer_not_an_option => "quiz-05-answer-not-an-option",
    quiz_pass_mark_out_of_range => "quiz-06-pass-mark-out-of-range",
    quiz_missing_translation => "quiz-07-missing-translation",
    quiz_duplicate_quiz_id => "quiz-08-duplicate-quiz-id",
    quiz_duplicate_option_id => "quiz-09-duplicate-option-id",
    quiz_duplicate_question_id => "quiz-10-duplicate-question-id",
    quiz_review_missing_page => "quiz-11-review-missing-page",
    quiz_review_missing_anchor => "quiz-12-review-missing-anchor",
    quiz_unknown_quiz => "quiz-13-unknown-quiz",
    quiz_yaml_unknown_kind => "quiz-14-yaml-unknown-kind",
    quiz_html_in_quiz_fields => "quiz-15-html-in-quiz-fields",
}

/// Every case file is run, and documented in docs/bad-inputs.md.
#[test]
fn every_case_is_listed_and_documented() {
    let mut files: Vec<String> = std::fs::read_dir(CASES)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".toml")
                .map(str::to_string)
        })
        .collect();
    files.sort();
    let mut listed: Vec<String> = LISTED.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(files, listed, "add new case files to the cases! list");
    assert!(files.len() >= 40);
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/bad-inputs.md"))
        .unwrap();
    for f in &files {
        assert!(
            doc.contains(&format!("`{f}`")),
            "docs/bad-inputs.md does not list {f}"
        );
    }
}

/// The base course itself builds cleanly (so every failure above comes from the case).
#[test]
fn base_course_is_clean() {
    let (code, out, err) = kyozai(&[Path::new("check"), Path::new(BASE)], &Runner::Normal);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
}
