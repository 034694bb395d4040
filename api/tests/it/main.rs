//! In-process tests of the GraphQL platform: the real router on real SQLite and PostgreSQL
//! databases. End-to-end tests with the spawned binary are in the top-level `tests/` folder.

mod accounts;
mod bad_input;
mod batches;
mod faults;
mod harness;
mod loaders;
mod schema_files;
mod subscriptions;
mod tenancy;
mod ws;
