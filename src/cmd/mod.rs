//! The command line: one file per subcommand, each a thin driver over the library's stages.

pub mod build;
pub mod check;
pub mod new;
pub mod pdf;
pub mod report;
pub mod scorm;
pub mod serve;
pub mod theme;
pub mod translated;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// kyozai builds bilingual training courses into static sites.
#[derive(Debug, Parser)]
#[command(
    name = "kyozai",
    version,
    about = "A static site generator for bilingual training courses",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every warning and each stage's timing.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[allow(missing_docs)] // clap would print a doc comment as help.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the course in DIR into a static site.
    Build(build::Args),
    /// Create a new two-language course in DIR.
    New(new::Args),
    /// Build the course, serve it on localhost and rebuild it live while you edit.
    Serve(serve::Args),
    /// Report everything wrong with the course without writing the site.
    Check(check::Args),
    /// Print the handouts to PDF with headless Chromium.
    Pdf(pdf::Args),
    /// Record that a translation is up to date with its source.
    Translated(translated::Args),
    /// Bring checklist exports together into a CSV table and a static report.
    Report(report::Args),
    /// Write the course as a SCORM 1.2 package (one zip) for an LMS such as Moodle.
    Scorm(scorm::Args),
    /// Work with the course's theme: `kyozai theme eject` copies the built-in one to change.
    Theme(theme::Args),
    /// Show help for kyozai or one of its commands.
    Help {
        /// The command to explain.
        command: Option<String>,
    },
}

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// `-q`: only errors.
    Quiet,
    /// The summary lines and the first warnings.
    Normal,
    /// `-v`: every warning and each PDF printed.
    Verbose,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> crate::Result<()> {
    let v = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    match cli.command {
        Command::Build(a) => build::run(a, v),
        Command::New(a) => new::run(a, v),
        Command::Serve(a) => serve::run(a, v),
        Command::Check(a) => check::run(a, v),
        Command::Pdf(a) => pdf::run(a, v),
        Command::Translated(a) => translated::run(a, v),
        Command::Report(a) => report::run(a, v),
        Command::Scorm(a) => scorm::run(a, v),
        Command::Theme(a) => theme::run(a, v),
        Command::Help { command } => {
            use clap::CommandFactory;
            let mut c = Cli::command();
            match command.as_deref().and_then(|n| c.find_subcommand_mut(n)) {
                Some(sub) => sub.print_long_help().ok(),
                None => c.print_long_help().ok(),
            };
            Ok(())
        }
    }
}

/// The course folder argument, defaulting to the current folder.
pub fn dir_or_cwd(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| PathBuf::from("."))
}

/// Prints warnings according to verbosity: all of them with -v, else a count and the first few.
pub fn print_warnings(warnings: &[crate::Diagnostic], v: Verbosity) {
    if v == Verbosity::Quiet || warnings.is_empty() {
        return;
    }
    let shown = if v == Verbosity::Verbose {
        warnings.len()
    } else {
        warnings.len().min(5)
    };
    for w in &warnings[..shown] {
        eprintln!("{}", w.to_string().replacen("error:", "warning:", 1));
    }
    if shown < warnings.len() {
        eprintln!(
            "… and {} more warnings (run with -v to see all, or `kyozai check`)",
            warnings.len() - shown
        );
    }
}
