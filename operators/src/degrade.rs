//! degrade (being written)
