//! The web server as a browser without scripts sees it: server-rendered pages with real data,
//! on SQLite and PostgreSQL, the server functions the forms call, and the checks that keep the
//! session safe; plus every GraphQL operation of the UI against the schema the server runs.
//! All in-process, through the router the binary serves (`crm_web::server::build`). The same
//! app in a real browser is the `browser` test.

// Tests fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod analytics;
mod client_and_sale;
mod harness;
mod lists;
mod operations;
mod pages;
mod sessions;
