//! health (being written)
