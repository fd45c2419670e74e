//! The `kyozai` binary: parses the command line and maps errors (and panics) to exit statuses.

#![forbid(unsafe_code)]

use clap::Parser;

/// A build allocates and frees many small strings from several threads at once; mimalloc does
/// that faster than the system allocator. It is built without transparent huge pages, which
/// would make the build faster still but hold far more memory than it uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if kyozai::timing::wanted() {
        kyozai::timing::report_to(|line| eprintln!("{line}"));
    }
    kyozai::timing::lap("start");
    let cli = match kyozai::cmd::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    // A panic is a bug: its message is printed by the default hook, then kyozai exits with the
    // status of internal errors rather than the runtime's 101.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| kyozai::cmd::run(cli))) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(e.exit_code());
        }
        Err(_) => {
            let e = kyozai::Error::Internal("kyozai stopped on the failure above".into());
            eprintln!("{e}");
            std::process::exit(e.exit_code());
        }
    }
}
