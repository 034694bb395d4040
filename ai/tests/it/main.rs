//! The `ai` crate against known answers: series and customers simulated from known parameters,
//! and real data shipped by Python packages with the reference packages' own results recorded
//! beside them (`tests/fixtures/make_fixtures.py` says how each file was produced).
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

mod customers;
mod fixtures;
mod forecast;
mod llm;
mod llm_model;
