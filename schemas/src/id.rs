//! Shared identifiers.

use std::sync::Arc;

/// A fleet, vehicle or model-version identifier, shared rather than copied:
/// every reading, window and health row of a vehicle carries its ids, so a
/// clone is a reference-count increment instead of a heap copy of the text.
/// Serializes as a plain string.
pub type Id = Arc<str>;
