use async_graphql::{Context, ID, InputObject, Json, MaybeUndefined, Object};
use chrono::Utc;

use super::{ClientNode, ClientStatus};
use crate::db::{self, clients::ClientChanges, clients::Derived, clients::NewClient};
use crate::domain::validate;
use crate::error::ApiError;
use crate::events::{ChangeKind, Entity, Event};
use crate::graphql::values::parse_id;
use crate::graphql::{app, principal};
use crate::transaction;

use crate::domain::{CLIENT_NAME_MAX as NAME_MAX, EXTERNAL_ID_MAX, PHONE_MAX};

#[derive(InputObject)]
pub struct ClientInput {
    /// Your system's id for the client; unique in the company.
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[graphql(default_with = "ClientStatus::Active")]
    pub status: ClientStatus,
    /// Free-form data (a JSON object, at most 16 KiB).
    pub attributes: Option<Json<serde_json::Value>>,
}

/// Fields to change; absent fields stay as they are, `null` clears e-mail or phone.
#[derive(InputObject)]
pub struct ClientUpdateInput {
    pub name: Option<String>,
    pub email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub status: Option<ClientStatus>,
    pub attributes: Option<Json<serde_json::Value>>,
}

#[derive(Default)]
pub struct ClientMutation;

#[Object]
impl ClientMutation {
    async fn create_client(
        &self,
        ctx: &Context<'_>,
        input: ClientInput,
    ) -> async_graphql::Result<ClientNode> {
        let company_id = principal(ctx).writable_company()?;
        let external_id =
            validate::optional_text("externalId", input.external_id.as_deref(), EXTERNAL_ID_MAX)?;
        let name = validate::text("name", &input.name, NAME_MAX)?;
        let email = validate::optional_email("email", input.email.as_deref())?;
        let phone = validate::optional_text("phone", input.phone.as_deref(), PHONE_MAX)?;
        let attributes = match &input.attributes {
            Some(a) => validate::attributes("attributes", &a.0)?,
            None => "{}".to_owned(),
        };
        let now = Utc::now().naive_utc();
        let app = app(ctx);
        let mut conn = app.db.write().await.map_err(ApiError::from)?;
        if let Some(ext) = &external_id
            && !db::clients::by_external_ids(&mut conn, company_id, &[ext.as_str()])
                .await
                .map_err(ApiError::from)?
                .is_empty()
        {
            return Err(ApiError::bad_input(
                "externalId",
                "another client already has this external id",
            )
            .into());
        }
        let client = transaction!(conn, ApiError, {
            let region = db::companies::phone_region_for_write(&mut conn, company_id).await?;
            let derived = Derived::of(&name, email.as_deref(), phone.as_deref(), region);
            let new = NewClient {
                company_id,
                external_id,
                search_text: derived.search_text,
                name_key: derived.name_key,
                phone_e164: derived.phone_e164,
                name,
                email,
                phone,
                attributes,
                status: input.status,
                created_at: now,
                updated_at: now,
            };
            Ok(db::clients::insert(&mut conn, &new).await?)
        })?;
        drop(conn);
        publish(ctx, company_id, ChangeKind::Created, client.id).await;
        Ok(ClientNode(client))
    }

    async fn update_client(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ClientUpdateInput,
    ) -> async_graphql::Result<ClientNode> {
        let company_id = principal(ctx).writable_company()?;
        let id = parse_id(&id)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let current = db::clients::get(&mut conn, company_id, id)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        let name = match &input.name {
            Some(n) => validate::text("name", n, NAME_MAX)?,
            None => current.name.clone(),
        };
        let email = match &input.email {
            MaybeUndefined::Undefined => current.email.clone(),
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(v) => validate::optional_email("email", Some(v))?,
        };
        let phone = match &input.phone {
            MaybeUndefined::Undefined => current.phone.clone(),
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(v) => validate::optional_text("phone", Some(v), PHONE_MAX)?,
        };
        let attributes = input
            .attributes
            .as_ref()
            .map(|a| validate::attributes("attributes", &a.0))
            .transpose()?;
        let client = transaction!(conn, ApiError, {
            let region = db::companies::phone_region_for_write(&mut conn, company_id).await?;
            let changes = ClientChanges {
                attributes,
                status: input.status,
                updated_at: Some(Utc::now().naive_utc()),
                ..ClientChanges::contact(name, email, phone, region)
            };
            db::clients::update(&mut conn, company_id, id, &changes)
                .await?
                .ok_or(ApiError::NotFound)
        })?;
        drop(conn);
        publish(ctx, company_id, ChangeKind::Updated, client.id).await;
        Ok(ClientNode(client))
    }

    /// Hides a client from the default list; its sales and history are kept.
    async fn archive_client(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ClientNode> {
        set_archived(ctx, id, true).await
    }

    /// Brings an archived client back to the list.
    async fn restore_client(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ClientNode> {
        set_archived(ctx, id, false).await
    }
}

async fn set_archived(
    ctx: &Context<'_>,
    id: ID,
    archived: bool,
) -> async_graphql::Result<ClientNode> {
    let company_id = principal(ctx).writable_company()?;
    let id = parse_id(&id)?;
    let now = Utc::now().naive_utc();
    let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
    let current = db::clients::get(&mut conn, company_id, id)
        .await
        .map_err(ApiError::from)?
        .ok_or(ApiError::NotFound)?;
    if current.archived_at.is_some() == archived {
        return Ok(ClientNode(current));
    }
    let client = db::clients::set_archived(&mut conn, company_id, id, archived.then_some(now), now)
        .await
        .map_err(ApiError::from)?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    publish(ctx, company_id, ChangeKind::Updated, client.id).await;
    Ok(ClientNode(client))
}

async fn publish(ctx: &Context<'_>, company_id: i64, kind: ChangeKind, id: i64) {
    app(ctx)
        .events
        .publish(vec![Event {
            company_id,
            entity: Entity::Client,
            kind,
            ids: vec![id],
        }])
        .await;
}
