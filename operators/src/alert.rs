//! alert (being written)
