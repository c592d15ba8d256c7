//! latest (being written)
