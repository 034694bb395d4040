//! Interactions with clients (calls, e-mails, meetings, notes); adding one moves the
//! client's last interaction forward.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use super::accounts::UserNode;
use super::loaders::Loaders;
use super::paging::{self, Edge, PageInfo};
use super::values::{parse_id, to_utc};
use super::{app, principal};
use crate::db::{self, interactions::Interaction, interactions::NewInteraction};
use crate::domain::validate;
use crate::error::{ApiError, ApiResult};
use crate::events::{ChangeKind, Entity, Event};
use crate::transaction;

pub use crate::domain::InteractionKind;

pub struct InteractionNode(pub Interaction);

#[Object(name = "Interaction")]
impl InteractionNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn client_id(&self) -> ID {
        ID(self.0.client_id.to_string())
    }
    async fn kind(&self) -> InteractionKind {
        self.0.kind
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        to_utc(self.0.occurred_at)
    }
    /// Who recorded it; empty when it came through an API key or the user left.
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserNode>> {
        let Some(author) = self.0.author_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .users
            .load_one(author)
            .await?
            .map(UserNode))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.0.created_at)
    }
}

#[derive(async_graphql::SimpleObject)]
pub struct InteractionConnection {
    pub edges: Vec<Edge<InteractionNode>>,
    pub page_info: PageInfo,
}

const SORT: &str = "occurredAt-";

pub(crate) async fn page(
    ctx: &Context<'_>,
    client_id: i64,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<InteractionConnection> {
    let company_id = principal(ctx).company()?;
    let limit = paging::page_size(first)?;
    let after_key = after
        .as_deref()
        .map(|c| paging::decode::<chrono::NaiveDateTime>(SORT, c))
        .transpose()?;
    let mut conn = app(ctx).db.read().await?;
    let rows =
        db::interactions::page(&mut conn, company_id, client_id, after_key, limit + 1).await?;
    let (edges, page_info) = paging::connect(
        rows,
        limit,
        after.is_some(),
        |i| paging::encode(SORT, i.occurred_at, i.id),
        InteractionNode,
    );
    Ok(InteractionConnection { edges, page_info })
}

#[derive(InputObject)]
pub struct InteractionInput {
    pub kind: InteractionKind,
    /// What was said or done (at most 10,000 characters).
    pub body: String,
    /// Defaults to now.
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct InteractionQuery;

#[Object]
impl InteractionQuery {
    /// A client's interactions, newest first.
    #[graphql(complexity = "paging::complexity(first, child_complexity)")]
    async fn interactions(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InteractionConnection> {
        let company_id = principal(ctx).company()?;
        let client_id = parse_id(&client_id)?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        db::clients::get(&mut conn, company_id, client_id)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        drop(conn);
        Ok(page(ctx, client_id, first, after).await?)
    }
}

#[derive(Default)]
pub struct InteractionMutation;

#[Object]
impl InteractionMutation {
    /// Records a call, e-mail, meeting or note with a client.
    async fn add_interaction(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        input: InteractionInput,
    ) -> async_graphql::Result<InteractionNode> {
        let company_id = principal(ctx).writable_company()?;
        let client_id = parse_id(&client_id)?;
        let body = validate::multiline_text("body", &input.body, 10_000)?;
        let now = Utc::now().naive_utc();
        let occurred_at = match input.occurred_at {
            Some(t) => validate::check_year("occurredAt", t.naive_utc())?,
            None => now,
        };
        let author_id = principal(ctx).user_id();
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let interaction = transaction!(conn, ApiError, {
            db::clients::get(&mut conn, company_id, client_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            let row = db::interactions::insert(
                &mut conn,
                &NewInteraction {
                    company_id,
                    client_id,
                    kind: input.kind,
                    body: &body,
                    occurred_at,
                    author_id,
                    created_at: now,
                },
            )
            .await?;
            db::clients::touch_interaction(&mut conn, company_id, client_id, occurred_at).await?;
            Ok(row)
        })?;
        drop(conn);
        app(ctx)
            .events
            .publish(vec![Event {
                company_id,
                entity: Entity::Client,
                kind: ChangeKind::Updated,
                ids: vec![client_id],
            }])
            .await;
        Ok(InteractionNode(interaction))
    }
}
