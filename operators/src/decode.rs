//! decode (being written)
