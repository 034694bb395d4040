//! Reports and analytics (home of the analytics work; nothing here yet).
//!
//! This module will own, as plain Rust callable from GraphQL, the export routes and the
//! assistant's tools alike: the report types and their parameters, gathering figures through
//! `db` (aggregated in SQL, periods cut in the company's time zone), calling the `ai` crate for
//! forecasts and customer models, and the report values those callers render. It must not
//! depend on `graphql` or `http`.

// Money and counts here never change type silently: no `as` conversions.
#![deny(clippy::as_conversions)]
