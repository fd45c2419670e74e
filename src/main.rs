//! The `kyozai` binary: parses the command line and maps errors to exit codes.

use clap::Parser;

/// A build allocates and frees many small strings from several threads at once; mimalloc does
/// that faster than the system allocator. It is built without transparent huge pages, which
/// would make the build faster still but hold far more memory than it uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    kyozai::build::lap("start");
    let cli = match kyozai::cmd::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    if let Err(e) = kyozai::cmd::run(cli) {
        eprintln!("{e}");
        std::process::exit(e.exit_code());
    }
}
