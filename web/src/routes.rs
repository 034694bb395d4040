//! Every screen of the app, one variant each.

use dioxus::prelude::*;

use crate::components::layout::{Root, Shell};
use crate::pages::api_keys::ApiKeys;
use crate::pages::clients::Clients;
use crate::pages::home::Home;
use crate::pages::login::{Login, Register};
use crate::pages::not_found::NotFound;

#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Root)]
        #[route("/login")]
        Login {},
        #[route("/register")]
        Register {},
        #[layout(Shell)]
            #[route("/")]
            Home {},
            #[route("/clients?:search&:sort&:after")]
            Clients { search: String, sort: String, after: String },
            #[route("/api-keys")]
            ApiKeys {},
        #[end_layout]
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}
