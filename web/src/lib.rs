//! The CRM's web UI: a Dioxus fullstack app. The server renders every page (SSR) and mounts
//! the GraphQL API beside it; the browser hydrates the page from WASM when built with dx.
//! Pages get their data from server functions (`api`, one module per domain) that run the
//! GraphQL schema in-process as the signed-in user (see `gql` for the typed operations and
//! `server` for how they run); `forms` checks what forms send before anything runs.
//!
//! The binary (`src/main.rs`) only starts what this library builds, so tests boot the same
//! router the binary serves.

use dioxus::prelude::*;

mod api;
mod components;
#[cfg(feature = "server")]
mod forms;
pub mod gql;
mod i18n;
mod pages;
mod routes;
#[cfg(feature = "server")]
pub mod server;

pub use routes::Route;

/// The whole app: the router, with the stylesheet inlined so the page looks right even
/// without the browser bundle.
#[component]
pub fn App() -> Element {
    rsx! {
        document::Title { "CRM" }
        document::Meta { name: "viewport", content: "width=device-width, initial-scale=1" }
        document::Style { {include_str!("../assets/main.css")} }
        Router::<Route> {}
    }
}
