//! `kyozai serve` (being written).

use std::path::PathBuf;

use super::Verbosity;

/// Options of `kyozai serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The course folder.
    pub dir: Option<PathBuf>,
}

/// Runs the command.
pub fn run(_a: Args, _v: Verbosity) -> crate::Result<()> {
    Err(crate::Error::Usage("`kyozai serve` is not available yet".into()))
}
