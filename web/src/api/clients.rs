//! Clients: the list (search, sort, pages), one client with its latest purchases and
//! interactions, editing, archiving and restoring a client, recording an interaction.

use dioxus::prelude::*;

use crate::gql::{ClientAnalytics, ClientDetail, ClientPage};

#[cfg(feature = "server")]
use {
    super::PAGE_SIZE,
    crate::forms::{day_moment, one_of, optional},
    crate::gql::{self, Id},
    crate::server::executor::run_as_user,
    cynic::{MutationBuilder, QueryBuilder},
};

/// Sales shown on the client screen (the rest are one link away, in the sales list filtered
/// to the client), and interactions shown there per page.
#[cfg(feature = "server")]
const CLIENT_SALES: i32 = 20;
#[cfg(feature = "server")]
const CLIENT_INTERACTIONS: i32 = 20;

/// One page of clients. `sort` is `total`, `last_purchase` or `last_interaction` (biggest or
/// latest first), else by name; `after` is the cursor of the previous page's end.
#[get("/api/clients?search&sort&after")]
pub async fn clients(
    search: String,
    sort: String,
    after: String,
) -> Result<ClientPage, ServerFnError> {
    use gql::{ClientSortField as F, SortDirection as D};
    let (field, direction) = match sort.as_str() {
        "total" => (F::TotalSpent, D::Desc),
        "last_purchase" => (F::LastPurchase, D::Desc),
        "last_interaction" => (F::LastInteraction, D::Desc),
        _ => (F::Name, D::Asc),
    };
    let variables = gql::ClientsVariables {
        first: Some(PAGE_SIZE),
        after: optional(&after),
        filter: optional(&search).map(|search| gql::ClientFilterInput {
            search: Some(search),
        }),
        sort: Some(gql::ClientSortInput { field, direction }),
    };
    run_as_user(gql::Clients::build(variables))
        .await
        .map(|d| d.clients)
}

/// One client's model scores and recommended action, from the company's score cache (the
/// first read after new sales recomputes it for the whole company); `None` when the client
/// has no counted purchase yet.
#[get("/api/client/analytics?id")]
pub async fn client_analytics(id: String) -> Result<Option<ClientAnalytics>, ServerFnError> {
    run_as_user(gql::ClientAnalyticsQuery::build(gql::IdVariables {
        id: Id(id),
    }))
    .await
    .map(|d| d.client.analytics)
}

/// One client with its latest purchases and interactions; `more` is the cursor after which
/// older interactions are shown.
#[get("/api/client?id&more")]
pub async fn client(id: String, more: String) -> Result<ClientDetail, ServerFnError> {
    let variables = gql::ClientVariables {
        id: Id(id),
        sales: CLIENT_SALES,
        interactions: CLIENT_INTERACTIONS,
        interactions_after: optional(&more),
    };
    run_as_user(gql::Client::build(variables))
        .await
        .map(|d| d.client)
}

/// Changes a client's contact data; an empty e-mail or phone clears it.
#[post("/api/client/update")]
pub async fn update_client(
    id: String,
    name: String,
    email: String,
    phone: String,
    status: String,
) -> Result<(), ServerFnError> {
    let input = gql::ClientUpdateInput {
        name: name.trim().to_owned(),
        email: optional(&email),
        phone: optional(&phone),
        status: one_of("status", &status)?,
    };
    let variables = gql::UpdateClientVariables { id: Id(id), input };
    run_as_user(gql::UpdateClient::build(variables))
        .await
        .map(|_| ())
}

/// Archives (`archived: true`) or restores a client.
#[post("/api/client/archive")]
pub async fn archive_client(id: String, archived: bool) -> Result<(), ServerFnError> {
    let variables = gql::IdVariables { id: Id(id) };
    if archived {
        run_as_user(gql::ArchiveClient::build(variables)).await?;
    } else {
        run_as_user(gql::RestoreClient::build(variables)).await?;
    }
    Ok(())
}

/// Records a call, e-mail, meeting or note. `day` (YYYY-MM-DD) empty means now.
#[post("/api/client/interaction")]
pub async fn add_interaction(
    client_id: String,
    kind: String,
    body: String,
    day: String,
) -> Result<(), ServerFnError> {
    let input = gql::InteractionInput {
        kind: one_of("kind", &kind)?,
        body: body.trim().to_owned(),
        occurred_at: day_moment("occurredAt", &day)?,
    };
    let variables = gql::AddInteractionVariables {
        id: Id(client_id),
        input,
    };
    run_as_user(gql::AddInteraction::build(variables))
        .await
        .map(|_| ())
}
