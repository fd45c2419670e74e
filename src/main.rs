//! The `kyozai` binary: parses the command line and maps errors to exit codes.

use clap::Parser;

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
