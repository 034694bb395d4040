//! Every screen of the app, one variant each.

use dioxus::prelude::*;

use crate::api::reports::ReportQuery;
use crate::components::layout::{Root, Shell};
use crate::pages::api_keys::ApiKeys;
use crate::pages::client::ClientPage;
use crate::pages::clients::Clients;
use crate::pages::home::Home;
use crate::pages::login::{Login, Register};
use crate::pages::not_found::NotFound;
use crate::pages::reports::ReportBuilder;
use crate::pages::sale::SalePage;
use crate::pages::sales::Sales;
use crate::pages::saved_reports::{SavedReport, SavedReports, SharedReport};

#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Root)]
        #[route("/login")]
        Login {},
        #[route("/register")]
        Register {},
        #[route("/shared/:token")]
        SharedReport { token: String },
        #[layout(Shell)]
            #[route("/")]
            Home {},
            #[route("/clients?:search&:sort&:after")]
            Clients { search: String, sort: String, after: String },
            #[route("/clients/:id?:more")]
            ClientPage { id: String, more: String },
            #[route("/sales?:from&:to&:status&:currency&:client&:after")]
            Sales { from: String, to: String, status: String, currency: String, client: String, after: String },
            #[route("/sales/:id")]
            SalePage { id: String },
            #[route("/reports?:after")]
            SavedReports { after: String },
            #[route("/reports/saved/:id")]
            SavedReport { id: String },
            #[route("/reports/new?:kind&:from&:to&:granularity&:status&:currency&:client&:min&:max&:horizon")]
            ReportBuilder { kind: String, from: String, to: String, granularity: String, status: String, currency: String, client: String, min: String, max: String, horizon: String },
            #[route("/api-keys")]
            ApiKeys {},
        #[end_layout]
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}

impl Route {
    /// The clients list as it first opens.
    pub fn clients() -> Route {
        Route::Clients {
            search: String::new(),
            sort: String::new(),
            after: String::new(),
        }
    }

    /// The sales list, unfiltered.
    pub fn sales() -> Route {
        Route::sales_of(String::new())
    }

    /// The sales list of one client (every client when `client` is empty).
    pub fn sales_of(client: String) -> Route {
        Route::Sales {
            from: String::new(),
            to: String::new(),
            status: String::new(),
            currency: String::new(),
            client,
            after: String::new(),
        }
    }

    /// The report builder with nothing chosen yet.
    pub fn new_report() -> Route {
        Route::report(ReportQuery::default())
    }

    /// The report builder with these parameters (and the report, when they are complete).
    pub fn report(q: ReportQuery) -> Route {
        let ReportQuery {
            kind,
            from,
            to,
            granularity,
            status,
            currency,
            client,
            min,
            max,
            horizon,
        } = q;
        Route::ReportBuilder {
            kind,
            from,
            to,
            granularity,
            status,
            currency,
            client,
            min,
            max,
            horizon,
        }
    }

    pub fn client(id: String) -> Route {
        Route::ClientPage {
            id,
            more: String::new(),
        }
    }
}

/// A free-text query parameter as a plain GET form sent it: HTML form encoding writes a space as
/// `+`, and the router percent-decodes the query before it splits it, so `+` is read as a space
/// here (a `+` typed into the field arrives as `+` too, and is read the same way).
pub fn form_text(value: &str) -> String {
    value.replace('+', " ")
}
