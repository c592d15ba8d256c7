//! diagnose (being written)
