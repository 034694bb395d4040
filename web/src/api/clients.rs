//! Clients: the list (search, filters, sort, pages), creating a client (with a warning when its
//! e-mail or phone is already a client's), one client with its latest purchases and
//! interactions, editing, archiving and restoring a client, recording an interaction.

use dioxus::prelude::*;

use serde::{Deserialize, Serialize};

use crate::gql::{ClientAnalytics, ClientDetail, ClientPage, ClientRow};
use crate::routes::ListView;

#[cfg(feature = "server")]
use {
    super::PAGE_SIZE,
    crate::api::ErrorCode,
    crate::forms::{day_moment, day_start, not_a_choice, one_of, optional},
    crate::gql::{self, Id},
    crate::server::executor::error,
    cynic::{MutationBuilder, QueryBuilder},
};

/// Sales shown on the client screen (the rest are one link away, in the sales list filtered
/// to the client), and interactions shown there per page.
#[cfg(feature = "server")]
const CLIENT_SALES: i32 = 20;
#[cfg(feature = "server")]
const CLIENT_INTERACTIONS: i32 = 20;

/// The clients list's view, as its address carries it (`/clients?search=…&sort=…`): every
/// field a form value, empty meaning "not chosen".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientQuery {
    /// Part of a name, e-mail or phone.
    pub search: String,
    /// `name` (the default), `total`, `last_purchase`, `last_interaction` or `created`.
    pub sort: String,
    /// `asc` or `desc`; empty: A to Z for names, biggest or latest first otherwise.
    pub dir: String,
    /// `ACTIVE` or `INACTIVE`.
    pub status: String,
    /// `yes`: clients with a completed sale; `no`: clients without one.
    pub purchases: String,
    /// The last interaction within these days of the company (YYYY-MM-DD, both inclusive).
    pub since: String,
    pub until: String,
    /// `1`: archived clients only.
    pub archived: String,
    /// The cursor this page starts after, and the earlier pages' (`routes::Trail`).
    pub after: String,
    pub trail: String,
}

impl ListView for ClientQuery {
    fn fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("search", &self.search),
            ("sort", &self.sort),
            ("dir", &self.dir),
            ("status", &self.status),
            ("purchases", &self.purchases),
            ("since", &self.since),
            ("until", &self.until),
            ("archived", &self.archived),
            ("after", &self.after),
            ("trail", &self.trail),
        ]
    }

    fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "search" => &mut self.search,
            "sort" => &mut self.sort,
            "dir" => &mut self.dir,
            "status" => &mut self.status,
            "purchases" => &mut self.purchases,
            "since" => &mut self.since,
            "until" => &mut self.until,
            "archived" => &mut self.archived,
            "after" => &mut self.after,
            "trail" => &mut self.trail,
            _ => return None,
        })
    }
}

impl ClientQuery {
    /// The sort field's form value, `name` when none was chosen.
    pub fn sort_or_default(&self) -> &str {
        if self.sort.is_empty() {
            "name"
        } else {
            &self.sort
        }
    }

    /// Whether the list runs A to Z / oldest first.
    pub fn ascending(&self) -> bool {
        match self.dir.as_str() {
            "asc" => true,
            "desc" => false,
            _ => self.sort_or_default() == "name",
        }
    }
}

impl From<&str> for ClientQuery {
    fn from(query: &str) -> ClientQuery {
        ClientQuery::parse(query)
    }
}

impl std::fmt::Display for ClientQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write(f)
    }
}

/// One page of clients in the view `q`. Errors: BAD_USER_INPUT naming the form field (`sort`,
/// `dir`, `status`, `purchases`, `since`, `until`) for a value the form does not offer, and
/// for a stale cursor (`after`).
#[post("/api/clients", user: crate::server::CurrentUser)]
pub async fn clients(q: ClientQuery) -> Result<ClientPage, ServerFnError> {
    use gql::{ClientSortField as F, SortDirection as D};
    let user = user.signed_in()?;
    let field = match q.sort_or_default() {
        "name" => F::Name,
        "total" => F::TotalSpent,
        "last_purchase" => F::LastPurchase,
        "last_interaction" => F::LastInteraction,
        "created" => F::CreatedAt,
        _ => {
            return Err(not_a_choice("sort"));
        }
    };
    if !matches!(q.dir.as_str(), "" | "asc" | "desc") {
        return Err(not_a_choice("dir"));
    }
    let direction = if q.ascending() { D::Asc } else { D::Desc };
    let filter = gql::ClientFilterInput {
        search: optional(&q.search),
        status: match q.status.as_str() {
            "" => None,
            s => Some(one_of("status", s)?),
        },
        archived: (q.archived == "1").then_some(true),
        last_interaction_from: day_start("since", &q.since, 0, user.zone)?,
        last_interaction_to: day_start("until", &q.until, 1, user.zone)?,
        has_purchases: match q.purchases.as_str() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                return Err(not_a_choice("purchases"));
            }
        },
    };
    let variables = gql::ClientsVariables {
        first: Some(PAGE_SIZE),
        after: optional(&q.after),
        filter: Some(filter),
        sort: Some(gql::ClientSortInput { field, direction }),
    };
    user.run(gql::Clients::build(variables))
        .await
        .map(|d| d.clients)
}

/// What creating a client did: its id, or, when the e-mail or phone is already a client's
/// and the form did not confirm, nothing and those clients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Created {
    Client(String),
    Duplicates(Vec<ClientRow>),
}

/// Clients whose e-mail (in any case) or phone (in any form, compared by its last ten digits)
/// is the one given, archived ones included.
#[cfg(feature = "server")]
async fn same_contacts(
    user: &crate::server::executor::SignedIn,
    email: &str,
    phone: &str,
) -> Result<Vec<ClientRow>, ServerFnError> {
    // The national number's last ten digits (without a country code or trunk prefix).
    let tail = |p: &str| {
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        digits
            .get(digits.len().saturating_sub(10)..)
            .unwrap_or_default()
            .to_owned()
    };
    let (email, phone_tail) = (email.trim().to_lowercase(), tail(phone));
    let mut found: Vec<ClientRow> = Vec::new();
    for (term, usable) in [
        (email.clone(), email.contains('@')),
        (phone.trim().to_owned(), phone_tail.len() >= 7),
    ] {
        if !usable {
            continue;
        }
        for archived in [None, Some(true)] {
            let variables = gql::ClientsVariables {
                first: Some(DUPLICATES_SHOWN),
                after: None,
                filter: Some(gql::ClientFilterInput {
                    search: Some(term.clone()),
                    archived,
                    ..Default::default()
                }),
                sort: None,
            };
            let page = user.run(gql::Clients::build(variables)).await?.clients;
            for row in page.edges.into_iter().map(|e| e.node) {
                let same_email = row
                    .email
                    .as_deref()
                    .is_some_and(|m| m.to_lowercase() == email);
                let same_phone = phone_tail.len() >= 7
                    && row
                        .phone_e164
                        .as_deref()
                        .or(row.phone_display.as_deref())
                        .is_some_and(|p| tail(p).ends_with(&phone_tail));
                if (same_email || same_phone) && !found.iter().any(|f| f.id == row.id) {
                    found.push(row);
                }
            }
        }
    }
    Ok(found)
}

/// Clients a duplicate warning lists at most (per contact and list).
#[cfg(feature = "server")]
const DUPLICATES_SHOWN: i32 = 5;

/// Creates a client from the "New client" form: a name (required), an optional e-mail and
/// phone, and a note recorded as the client's first interaction. Unless `confirmed`, a client
/// with the same e-mail or phone stops it (see [`Created`]).
#[post("/api/client/create", user: crate::server::CurrentUser)]
pub async fn create_client(
    name: String,
    email: String,
    phone: String,
    note: String,
    confirmed: bool,
) -> Result<Created, ServerFnError> {
    let user = user.signed_in()?;
    if name.trim().is_empty() {
        return Err(error(ErrorCode::BadUserInput, Some("name"), "required"));
    }
    if !confirmed {
        let duplicates = same_contacts(user, &email, &phone).await?;
        if !duplicates.is_empty() {
            return Ok(Created::Duplicates(duplicates));
        }
    }
    let input = gql::ClientInput {
        name: name.trim().to_owned(),
        email: optional(&email),
        phone: optional(&phone),
        status: gql::ClientStatus::Active,
    };
    let id = user
        .run(gql::CreateClient::build(gql::CreateClientVariables {
            input,
        }))
        .await?
        .create_client
        .id;
    if let Some(body) = optional(&note) {
        let input = gql::InteractionInput {
            kind: gql::InteractionKind::Note,
            body,
            occurred_at: None,
        };
        let variables = gql::AddInteractionVariables {
            id: id.clone(),
            input,
        };
        // The client exists either way: a note that fails must not make the form create it
        // again. The client's screen shows no note, and one can be added there.
        if let Err(e) = user.run(gql::AddInteraction::build(variables)).await {
            tracing::warn!("the new client's note was not recorded: {e}");
        }
    }
    Ok(Created::Client(id.0))
}

/// One client's model scores and recommended action, from the company's score cache (the
/// first read after new sales recomputes it for the whole company); `None` when the client
/// has no counted purchase yet.
#[get("/api/client/analytics?id", user: crate::server::CurrentUser)]
pub async fn client_analytics(id: String) -> Result<Option<ClientAnalytics>, ServerFnError> {
    user.signed_in()?
        .run(gql::ClientAnalyticsQuery::build(gql::IdVariables {
            id: Id(id),
        }))
        .await
        .map(|d| d.client.analytics)
}

/// One client with its latest purchases and interactions; `more` is the cursor after which
/// older interactions are shown.
#[get("/api/client?id&more", user: crate::server::CurrentUser)]
pub async fn client(id: String, more: String) -> Result<ClientDetail, ServerFnError> {
    let variables = gql::ClientVariables {
        id: Id(id),
        sales: CLIENT_SALES,
        interactions: CLIENT_INTERACTIONS,
        interactions_after: optional(&more),
    };
    user.signed_in()?
        .run(gql::Client::build(variables))
        .await
        .map(|d| d.client)
}

/// Changes a client's contact data; an empty e-mail or phone clears it.
#[post("/api/client/update", user: crate::server::CurrentUser)]
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
    user.signed_in()?
        .run(gql::UpdateClient::build(variables))
        .await
        .map(|_| ())
}

/// Archives (`archived: true`) or restores a client.
#[post("/api/client/archive", user: crate::server::CurrentUser)]
pub async fn archive_client(id: String, archived: bool) -> Result<(), ServerFnError> {
    let variables = gql::IdVariables { id: Id(id) };
    if archived {
        user.signed_in()?
            .run(gql::ArchiveClient::build(variables))
            .await?;
    } else {
        user.signed_in()?
            .run(gql::RestoreClient::build(variables))
            .await?;
    }
    Ok(())
}

/// Records a call, e-mail, meeting or note. `day` (YYYY-MM-DD) empty means now.
#[post("/api/client/interaction", user: crate::server::CurrentUser)]
pub async fn add_interaction(
    client_id: String,
    kind: String,
    body: String,
    day: String,
) -> Result<(), ServerFnError> {
    let user = user.signed_in()?;
    let input = gql::InteractionInput {
        kind: one_of("kind", &kind)?,
        body: body.trim().to_owned(),
        occurred_at: day_moment("occurredAt", &day, user.zone)?,
    };
    let variables = gql::AddInteractionVariables {
        id: Id(client_id),
        input,
    };
    user.run(gql::AddInteraction::build(variables))
        .await
        .map(|_| ())
}
