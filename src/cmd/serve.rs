//! `kyozai serve`: build, serve on localhost and rebuild live while the author edits.

use std::net::IpAddr;
use std::path::PathBuf;

use super::{dir_or_cwd, Verbosity};
use crate::serve::Notice;

/// Options of `kyozai serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The course folder (holding kyozai.toml).
    pub dir: Option<PathBuf>,
    /// Port to listen on; the next free one is used if it is taken.
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Anything but 127.0.0.1 or ::1 shows the course, drafts included, to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the course in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Runs the server.
pub fn run(a: Args, v: Verbosity) -> crate::Result<()> {
    let tell = |notice: Notice| match notice {
        Notice::Status(line) if v != Verbosity::Quiet => println!("{line}"),
        Notice::Status(_) => {}
        Notice::Problem(text) => eprintln!("{text}"),
    };
    crate::serve::run(
        crate::serve::Options {
            root: dir_or_cwd(a.dir),
            bind: a.bind,
            port: a.port,
            open: a.open,
            drafts: true,
        },
        &tell,
    )
}
