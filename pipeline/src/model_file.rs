//! Model files on disk: loading (with a clear error), saving, and watching a
//! file so a newly trained model is hot-swapped into a running pipeline.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use operators::prognostics::model::FORMAT;
use operators::prognostics::{Model, ModelSlot};

/// Why a model file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    /// The file could not be read or written.
    #[error("model file {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a model.
    #[error("model file {path} is not a CarVrooom model")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the JSON reader said.
        #[source]
        source: serde_json::Error,
    },
    /// The file has a layout this build does not read.
    #[error("model file {path} has format {found}; this build reads format {FORMAT}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The format found.
        found: u32,
    },
    /// A component model's parts do not fit together.
    #[error("model file {path}: {component} has {features} features but {scale} scale entries")]
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// The component.
        component: String,
        /// Features its spec reads.
        features: usize,
        /// Scale entries it has.
        scale: usize,
    },
}

/// Reads and checks a model file.
pub fn load(path: &Path) -> Result<Model, ModelFileError> {
    let text = std::fs::read(path).map_err(|source| ModelFileError::Io { path: path.into(), source })?;
    let model: Model =
        serde_json::from_slice(&text).map_err(|source| ModelFileError::Parse { path: path.into(), source })?;
    if model.format != FORMAT {
        return Err(ModelFileError::Format { path: path.into(), found: model.format });
    }
    for c in &model.components {
        let features = c.spec.names().len();
        if features != c.scale.len() {
            return Err(ModelFileError::Inconsistent {
                path: path.into(),
                component: c.component.to_string(),
                features,
                scale: c.scale.len(),
            });
        }
    }
    Ok(model)
}

/// Writes a model file (pretty JSON), replacing it atomically so a watching
/// pipeline never reads half a file.
pub fn save(path: &Path, model: &Model) -> Result<(), ModelFileError> {
    let io = |source| ModelFileError::Io { path: path.into(), source };
    let text = serde_json::to_vec_pretty(model).map_err(|e| io(std::io::Error::other(e)))?;
    let partial = path.with_extension("partial");
    std::fs::write(&partial, text).map_err(io)?;
    std::fs::rename(&partial, path).map_err(io)
}

/// Watches `path` every `every` on a named thread: when its modification time
/// changes, the new model is loaded and swapped into `slot`. A file that
/// fails to load is logged and the running model kept.
pub fn watch(path: PathBuf, slot: ModelSlot, every: Duration) -> std::io::Result<()> {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let mut seen: Option<SystemTime> = modified(&path);
    std::thread::Builder::new().name("model-watch".into()).spawn(move || {
        loop {
            std::thread::sleep(every);
            let now = modified(&path);
            if now.is_none() || now == seen {
                continue;
            }
            seen = now;
            match load(&path) {
                Ok(model) => {
                    let version = model.version.clone();
                    let before = slot.swap(Some(model)).map(|m| m.version.clone());
                    tracing::info!(path = %path.display(), %version, before = ?before, "model swapped in");
                }
                Err(e) => tracing::warn!(error = %e, "new model file rejected; keeping the running model"),
            }
        }
    })?;
    Ok(())
}
