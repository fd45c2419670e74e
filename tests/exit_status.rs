//! kyozai's exit statuses: 0 done, 1 problems in the course (or the operating system refused a
//! file), 2 a bad command line only, 3 a program kyozai runs (Chromium) missing or failing, 4 an
//! internal error. Each status is checked with the whole message the user sees.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

#[test]
fn bad_command_lines_exit_2() {
    let (code, _, err) = run(&["build", "--no-such-option"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("error: unexpected argument '--no-such-option' found"),
        "{err}"
    );
    let dir = base_with(&[]);
    let (code, _, err) = run(&["build", dir.path().to_str().unwrap(), "--base-path", "sub/"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "error: --base-path `sub/` must start with /, e.g. /training/\n"
    );
}

#[test]
fn problems_in_the_course_exit_1() {
    let dir = base_with(&[(
        "content/01-intro/02-second.en.md",
        "+++\ntitle = \"Second\"\n+++\n## Details\n\n[x](nowhere.md)\n",
    )]);
    let (code, _, err) = run(&["build", dir.path().to_str().unwrap(), "-q"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err,
        "error: `nowhere.md` is not a page of the course\n  --> content/01-intro/02-second.en.md:6:1\n  |\n6 | [x](nowhere.md)\n  | ^\n  = help: check the file name; links name the source file, e.g. ../01-awareness/04-vendors.ja.md\nthe previous output was left untouched\n"
    );
}

#[test]
fn a_missing_chromium_exits_3() {
    let dir = base_with(&[]);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, _, err) = run(&[
        "pdf",
        dir.path().to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--chromium",
        "/nonexistent/chromium",
    ]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(
        err,
        "error: --chromium /nonexistent/chromium: no such program (give the path of a Chromium or Chrome executable)\n"
    );
}

#[test]
fn a_failing_chromium_exits_3() {
    let dir = base_with(&[]);
    let out = tempfile::tempdir().unwrap();
    let fake = out.path().join("fake-chromium");
    std::fs::write(&fake, "#!/bin/sh\necho 'it broke' >&2\nexit 7\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let site = out.path().join("site");
    let (code, _, err) = run(&[
        "pdf",
        dir.path().to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--chromium",
        fake.to_str().unwrap(),
    ]);
    assert_eq!(code, 3, "{err}");
    let first = err.lines().find(|l| l.starts_with("error:")).unwrap_or("");
    assert!(
        first.starts_with("error: Chromium could not print "),
        "{err}"
    );
    assert!(first.ends_with(": it exited with exit status: 7"), "{err}");
    assert!(err.contains("\n  it broke"), "{err}");
}

#[test]
fn internal_errors_exit_4_and_say_they_are_bugs() {
    let e = kyozai::Error::Internal("the output check stopped".into());
    assert_eq!(e.exit_code(), 4);
    assert_eq!(
        e.to_string(),
        "error: internal error: the output check stopped\n  this is a bug in kyozai: please report it with the command that caused it"
    );
    let t = kyozai::Error::Tool {
        tool: "Chromium",
        message: "x".into(),
    };
    assert_eq!(t.exit_code(), 3);
    assert_eq!(kyozai::Error::Usage("x".into()).exit_code(), 2);
}
