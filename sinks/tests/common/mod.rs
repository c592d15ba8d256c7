//! Shared fixtures and the store conformance suite both stores run.

#![allow(dead_code)]

pub mod fixtures;
pub mod suite;
