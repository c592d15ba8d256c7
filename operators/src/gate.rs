//! gate (being written)
