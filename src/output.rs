//! The files a build makes and where they go: an [`OutputFile`] is a path and its bytes, a
//! [`Sink`] takes each one as soon as it is made (`render` hands its files to one, `write`
//! provides the one that puts them on disk), [`Collect`] keeps them in memory.

use crate::error::{Error, Result};

/// One file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated.
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// Where rendered files go: collected in memory (tests, `serve`, `check`) or written straight
/// into the build's staging folder (`build`), so a large site is never held in memory whole.
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> Result<()>;

    /// Takes one file that `fill` writes piece by piece (a large one, never held whole).
    fn put_stream(
        &self,
        path: String,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes).map_err(|e| Error::io("write", std::path::Path::new(&path), e))?;
        self.put(OutputFile { path, bytes })
    }
}

/// A sink that keeps every file in memory.
#[derive(Default)]
pub struct Collect(pub std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.0
            .lock()
            .map_err(|_| Error::Internal("output lock poisoned".into()))?
            .push(file);
        Ok(())
    }
}
