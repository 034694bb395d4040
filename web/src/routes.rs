//! Every screen of the app, one variant each.

use dioxus::prelude::*;

use crate::components::layout::{Root, Shell};
use crate::pages::api_keys::ApiKeys;
use crate::pages::clients::Clients;
use crate::pages::home::Home;
use crate::pages::login::{Login, Register};
use crate::pages::not_found::NotFound;
use crate::pages::sales::Sales;

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
            #[route("/sales?:from&:to&:status&:currency&:after")]
            Sales { from: String, to: String, status: String, currency: String, after: String },
            #[route("/api-keys")]
            ApiKeys {},
        #[end_layout]
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}
