//! The CRM's web binary: with the `server` feature the whole process (pages, server functions,
//! GraphQL API); built by dx with `web` only, the browser side that hydrates the pages.
//! Everything else is in the library (`src/lib.rs`).

/// The server allocates as the API's binary does (see `api/src/main.rs`).
#[cfg(feature = "server")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    #[cfg(feature = "server")]
    crm_web::server::main();
    #[cfg(not(feature = "server"))]
    dioxus::launch(crm_web::App);
}
