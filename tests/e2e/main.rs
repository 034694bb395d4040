//! End-to-end: the real `crm` binary on a free port, driven over HTTP and WebSocket as an
//! integrator and a user would, on SQLite and on PostgreSQL.

// Tests fail loudly on purpose; amounts are written as roubles_kopecks (100_00).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::inconsistent_digit_grouping,
    clippy::indexing_slicing
)]

// Shared with the in-process tests: fresh databases per test, and the WebSocket client.
#[allow(dead_code)]
#[path = "../../api/tests/it/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../../api/tests/it/ws.rs"]
mod ws;

mod server;

mod config;
mod faults;
mod flow;
