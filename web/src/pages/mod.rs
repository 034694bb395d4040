//! One module per screen.

pub mod api_keys;
pub mod client;
pub mod clients;
pub mod home;
pub mod login;
pub mod not_found;
pub mod reports;
pub mod sale;
pub mod sales;
pub mod saved_reports;
