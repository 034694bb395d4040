use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use super::{ClientConnection, ClientNode, ClientStatus};
use crate::db::{self, clients::ClientSort, clients::SortKey};
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::Loaders;
use crate::graphql::paging;
use crate::graphql::sales::SortDirection;
use crate::graphql::values::parse_id;
use crate::graphql::{app, principal};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ClientSortField {
    Name,
    /// Completed sales in the company's base currency.
    TotalSpent,
    LastPurchase,
    LastInteraction,
    CreatedAt,
}

#[derive(InputObject)]
pub struct ClientSortInput {
    #[graphql(default_with = "ClientSortField::Name")]
    pub field: ClientSortField,
    #[graphql(default_with = "SortDirection::Asc")]
    pub direction: SortDirection,
}

#[derive(InputObject, Default)]
pub struct ClientFilterInput {
    /// Part of the name, e-mail or phone, in any case and with `ё` or `е`. A phone number
    /// finds its client however either was written (`79123456789`, `8 912 345-67-89` and
    /// `+7 (912) 345 67 89` are one number; numbers without a country code are read in the
    /// company's `phoneRegion`).
    pub search: Option<String>,
    pub status: Option<ClientStatus>,
    /// `false` (the default) hides archived clients, `true` shows only them.
    pub archived: Option<bool>,
    /// Clients whose last interaction is at or after this moment.
    pub last_interaction_from: Option<DateTime<Utc>>,
    /// Clients whose last interaction is before this moment.
    pub last_interaction_to: Option<DateTime<Utc>>,
    /// `true`: clients with at least one completed sale; `false`: clients with none.
    pub has_purchases: Option<bool>,
}

#[derive(Default)]
pub struct ClientQuery;

#[Object]
impl ClientQuery {
    /// Clients of the active company, one page at a time.
    #[graphql(complexity = "paging::complexity(first, child_complexity)")]
    async fn clients(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ClientFilterInput>,
        sort: Option<ClientSortInput>,
    ) -> async_graphql::Result<ClientConnection> {
        Ok(page(ctx, first, after, filter.unwrap_or_default(), sort).await?)
    }

    /// One client; NOT_FOUND when it does not exist in the active company.
    async fn client(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ClientNode> {
        let company_id = principal(ctx).company()?;
        let id = parse_id(&id)?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let client = db::clients::get(&mut conn, company_id, id)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        Ok(ClientNode(client))
    }
}

/// The order a cursor belongs to. Name cursors hold the name's sort key (`name_key`), not the
/// name as cursors before it did, so they have a name of their own: an old cursor is refused
/// rather than compared with the wrong value.
fn sort_name(sort: ClientSort, desc: bool) -> String {
    let order = match sort {
        ClientSort::Name => "NameKey".to_owned(),
        other => format!("{other:?}"),
    };
    format!("{order}{}", if desc { "-" } else { "+" })
}

async fn page(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    filter: ClientFilterInput,
    sort: Option<ClientSortInput>,
) -> ApiResult<ClientConnection> {
    let company_id = principal(ctx).company()?;
    let limit = paging::page_size(first)?;
    let search = match filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) if s.chars().count() > 200 => {
            return Err(ApiError::bad_input(
                "filter.search",
                "may have at most 200 characters",
            ));
        }
        Some(s) => {
            crate::domain::validate::controls(
                "filter.search",
                s,
                crate::domain::validate::Lines::One,
            )?;
            Some(s)
        }
        None => None,
    };
    let mut conn = app(ctx).db.read().await?;
    let search = match search {
        Some(typed) => {
            let region = db::companies::phone_region(&mut conn, company_id).await?;
            Some(db::clients::search_term(typed, region))
        }
        None => None,
    };
    let filter = db::clients::ClientFilter {
        search,
        status: filter.status,
        archived: Some(filter.archived.unwrap_or(false)),
        last_interaction_from: filter.last_interaction_from.map(|t| t.naive_utc()),
        last_interaction_to: filter.last_interaction_to.map(|t| t.naive_utc()),
        has_purchases: filter.has_purchases,
    };
    let (sort, desc) = match sort {
        Some(s) => (
            match s.field {
                ClientSortField::Name => ClientSort::Name,
                ClientSortField::TotalSpent => ClientSort::TotalSpent,
                ClientSortField::LastPurchase => ClientSort::LastPurchase,
                ClientSortField::LastInteraction => ClientSort::LastInteraction,
                ClientSortField::CreatedAt => ClientSort::Created,
            },
            s.direction == SortDirection::Desc,
        ),
        None => (ClientSort::Name, false),
    };
    let key = sort_name(sort, desc);
    let after_key = after
        .as_deref()
        .map(|cursor| paging::decode::<SortKey>(&key, cursor))
        .transpose()?;
    let rows = db::clients::page(
        &mut conn,
        company_id,
        &filter,
        sort,
        desc,
        after_key,
        limit + 1,
    )
    .await
    .map_err(|e| ApiError::bad_input("after", e.to_string()))??;
    drop(conn);
    prefetch(ctx, paging::shown(&rows, limit)).await?;
    let (edges, page_info) = paging::connect(
        rows,
        limit,
        after.is_some(),
        |c| paging::encode(&key, db::clients::sort_key(c, sort), c.id),
        ClientNode,
    );
    Ok(ClientConnection {
        page_info,
        edges,
        filter,
    })
}

/// Loads, one query each, what the rows of the page will ask for, so the page costs the same
/// number of queries for 5 rows or 100 however the resolvers are scheduled.
async fn prefetch(ctx: &Context<'_>, rows: &[db::clients::Client]) -> ApiResult<()> {
    let look = ctx.look_ahead();
    let (edge_node, node) = (look.field("edges").field("node"), look.field("nodes"));
    let wants = |f: &str| edge_node.field(f).exists() || node.field(f).exists();
    let loaders = ctx.data_unchecked::<Loaders>();
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let failed = crate::graphql::loaders::from_loader;
    if wants("totals") {
        loaders
            .totals
            .load_many(ids.iter().copied())
            .await
            .map_err(failed)?;
    }
    if wants("lastSale") {
        let sales = loaders
            .last_sales
            .load_many(ids.iter().copied())
            .await
            .map_err(failed)?;
        let client_wanted = edge_node.field("lastSale").field("client").exists()
            || node.field("lastSale").field("client").exists();
        if client_wanted {
            loaders
                .clients
                .feed_many(rows.iter().map(|c| (c.id, c.clone())))
                .await;
            let others: Vec<i64> = sales
                .values()
                .map(|s| s.client_id)
                .filter(|id| !ids.contains(id))
                .collect();
            loaders.clients.load_many(others).await.map_err(failed)?;
        }
    }
    if wants("totalSpent")
        && let Some(first) = rows.first()
    {
        loaders
            .companies
            .load_one(first.company_id)
            .await
            .map_err(failed)?;
    }
    Ok(())
}
