//! `kyozai build --pdf` and `kyozai pdf` with a stand-in for Chromium: the PDFs and the links to
//! them reach the output through the write stage, so the live output's files, which a rebuild
//! shares (hard links) with the hidden spare, are never written into.

mod common;

use std::collections::HashMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use common::*;

/// A stand-in for Chromium that writes a small PDF where `--print-to-pdf=PATH` says.
fn fake_chromium(dir: &Path) -> PathBuf {
    let fake = dir.join("fake-chromium");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a in \"$@\"; do\n  case \"$a\" in\n    --print-to-pdf=*) printf '%%PDF-1.4\\n%% stand-in\\n' > \"${a#--print-to-pdf=}\" ;;\n  esac\ndone\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    fake
}

/// Every file under the folders `dirs`: by inode, its path and bytes.
fn by_inode(dirs: &[&Path]) -> HashMap<(u64, u64), (PathBuf, Vec<u8>)> {
    let mut files = HashMap::new();
    for dir in dirs {
        for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if e.file_type().is_file() {
                let m = e.metadata().unwrap();
                let bytes = std::fs::read(e.path()).unwrap();
                files.insert((m.dev(), m.ino()), (e.path().to_path_buf(), bytes));
            }
        }
    }
    files
}

/// Runs `kyozai ARGS` with `KYOZAI_CHROMIUM` set to `chromium`; returns (exit code, stderr).
fn run_with_chromium(args: &[&str], chromium: &Path) -> (i32, String) {
    let out = std::process::Command::new(bin())
        .args(args)
        .env("KYOZAI_CHROMIUM", chromium)
        .output()
        .expect("run kyozai");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn build_pdf_never_writes_into_files_shared_with_the_spare() {
    let dir = base_with(&[]);
    let tools = tempfile::tempdir().unwrap();
    let chromium = fake_chromium(tools.path());
    let course = dir.path().to_str().unwrap();
    let out = dir.path().join("public");
    let spare = dir.path().join(".public.kyozai-spare");
    // Two builds: the second keeps the first output as the spare, sharing every unchanged file
    // with the live output.
    for _ in 0..2 {
        assert_eq!(run(&["build", course, "-q"]).0, 0);
    }
    assert!(spare.is_dir(), "a rebuild keeps the spare");
    let before = by_inode(&[&out, &spare]);
    // Every file seen now is held by a link of its own until the end of the test, so that its
    // inode cannot be freed and given to a new file: a file found later under a known inode is
    // then the very file seen before.
    let hold = dir.path().join("held");
    std::fs::create_dir(&hold).unwrap();
    for (n, (path, _)) in before.values().enumerate() {
        std::fs::hard_link(path, hold.join(n.to_string())).unwrap();
    }
    let page = out.join("ja/intro/first/index.html");
    assert_eq!(
        std::fs::metadata(&page).unwrap().ino(),
        std::fs::metadata(spare.join("ja/intro/first/index.html"))
            .unwrap()
            .ino(),
        "the page is one file, linked from the output and the spare"
    );

    let (code, err) = run_with_chromium(&["build", course, "-q", "--pdf"], &chromium);
    assert_eq!(code, 0, "{err}");

    // The PDFs are in the output, and the pages link to them.
    let handbook = out.join("ja/handouts/handbook.pdf");
    assert!(
        std::fs::read(&handbook).unwrap().starts_with(b"%PDF-"),
        "{}",
        handbook.display()
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("class=\"pdf-link\" href=\"../../../ja/handouts/intro.pdf\""),
        "the section page links to its chapter's PDF: {html}"
    );
    // No file of the output or the spare that existed before was changed in place: a file with
    // an inode seen before holds the bytes it held then.
    for (inode, (path, bytes)) in by_inode(&[&out, &spare]) {
        if let Some((was, old)) = before.get(&inode) {
            assert!(
                old == &bytes,
                "{} (the file that was {}) was written into in place",
                path.display(),
                was.display()
            );
        }
    }

    // The next plain build updates the spare as usual: no PDF and no link to one remain.
    assert_eq!(run(&["build", course, "-q"]).0, 0);
    assert!(!handbook.exists());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("class=\"pdf-link\" href="), "{html}");
}
