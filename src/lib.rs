//! kyozai: a static site generator for bilingual training courses.
//!
//! The pipeline is four named stages: [`load`] reads the course folder, [`site::Site`] is the
//! checked course model, [`render`] turns it into files (paths and bytes, no I/O) and [`write`]
//! puts them on disk atomically. The commands in [`cmd`] are thin drivers over these stages.

pub mod build;
pub mod check;
pub mod cmd;
pub mod config;
pub mod error;
pub mod kind;
pub mod load;
pub mod markdown;
pub mod pdf;
pub mod render;
pub mod report;
pub mod scorm;
pub mod search;
pub mod serve;
pub mod site;
pub mod text;
pub mod write;

pub use error::{Diagnostic, Error, Result};
