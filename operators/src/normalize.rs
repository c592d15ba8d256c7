//! normalize (being written)
