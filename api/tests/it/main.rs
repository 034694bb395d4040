//! In-process tests of the GraphQL platform: the real router on real SQLite and PostgreSQL
//! databases. End-to-end tests with the spawned binary are in the top-level `tests/` folder.

// Tests fail loudly on purpose; amounts are written as roubles_kopecks (100_00).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::inconsistent_digit_grouping,
    clippy::indexing_slicing
)]

mod accounts;
mod assistant;
mod bad_input;
mod batches;
mod chat;
mod client_scores;
mod clients;
mod concurrency;
mod contacts;
mod exports;
mod faults;
mod harness;
mod http;
mod limits;
mod live;
mod loaders;
mod money;
mod narrative;
mod pg_tls;
mod report_jobs;
mod reports;
mod saved_reports;
mod schema_files;
mod snapshots;
mod subscriptions;
mod tenancy;
mod tool_calls;
mod ws;
