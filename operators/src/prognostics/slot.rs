//! The model a running dataflow uses, swappable while it runs.

use std::sync::{Arc, RwLock};

use super::model::Model;

/// A shared, hot-swappable reference to the current model (`None`: rules only).
///
/// Clones share the slot: the pipeline keeps one to [`ModelSlot::swap`] in a
/// newly trained model, the `degrade` walk reads the current one at each
/// step. Rows already written keep the version that produced them; a window
/// re-walked after a swap is retracted and re-emitted under the new version.
#[derive(Clone, Debug, Default)]
pub struct ModelSlot(Arc<RwLock<Option<Arc<Model>>>>);

impl ModelSlot {
    /// A slot holding `model`.
    pub fn new(model: Option<Model>) -> Self {
        ModelSlot(Arc::new(RwLock::new(model.map(Arc::new))))
    }

    /// The current model.
    pub fn current(&self) -> Option<Arc<Model>> {
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the current model, returning the previous one.
    pub fn swap(&self, model: Option<Model>) -> Option<Arc<Model>> {
        let mut guard = match self.0.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        std::mem::replace(&mut *guard, model.map(Arc::new))
    }
}
