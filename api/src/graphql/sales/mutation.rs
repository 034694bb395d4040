use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, Utc};

use super::{SaleItemInput, SaleNode, SaleStatus, items_json};
use crate::db::{self, sales::NewSale, sales::SaleChanges};
use crate::domain::{money::MinorUnits, validate};
use crate::error::ApiError;
use crate::events::{ChangeKind, Entity, Event};
use crate::graphql::values::parse_id;
use crate::graphql::{app, principal};
use crate::transaction;

pub const NOTE_MAX: usize = 2000;

#[derive(InputObject)]
pub struct SaleInput {
    pub client_id: ID,
    /// Your system's id for the sale; unique in the company.
    pub external_id: Option<String>,
    /// Minor units (kopecks, cents); not negative.
    pub amount_minor: MinorUnits,
    /// ISO 4217 code.
    pub currency: String,
    /// Defaults to now.
    pub sold_at: Option<DateTime<Utc>>,
    #[graphql(default_with = "SaleStatus::Completed")]
    pub status: SaleStatus,
    #[graphql(default)]
    pub items: Vec<SaleItemInput>,
    pub note: Option<String>,
}

/// Fields to change; absent fields stay as they are.
#[derive(InputObject)]
pub struct SaleUpdateInput {
    pub client_id: Option<ID>,
    pub amount_minor: Option<MinorUnits>,
    pub currency: Option<String>,
    pub sold_at: Option<DateTime<Utc>>,
    pub status: Option<SaleStatus>,
    pub items: Option<Vec<SaleItemInput>>,
    pub note: MaybeUndefined<String>,
}

#[derive(Default)]
pub struct SaleMutation;

#[Object]
impl SaleMutation {
    async fn create_sale(
        &self,
        ctx: &Context<'_>,
        input: SaleInput,
    ) -> async_graphql::Result<SaleNode> {
        let company_id = principal(ctx).writable_company()?;
        let client_id = parse_id(&input.client_id)?;
        let external_id = validate::optional_text("externalId", input.external_id.as_deref(), 200)?;
        let amount_minor = validate::amount("amountMinor", input.amount_minor.0)?;
        let currency = validate::currency_code("currency", &input.currency)?;
        let now = Utc::now().naive_utc();
        let sold_at = match input.sold_at {
            Some(t) => validate::check_year("soldAt", t.naive_utc())?,
            None => now,
        };
        let items = items_json("items", &input.items)?;
        let note = validate::optional_multiline_text("note", input.note.as_deref(), NOTE_MAX)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let sale = transaction!(conn, ApiError, {
            // Another company's client is as unknown as one that never existed.
            if db::clients::get(&mut conn, company_id, client_id)
                .await?
                .is_none()
            {
                return Err(ApiError::NotFound);
            }
            if let Some(ext) = &external_id
                && !db::sales::by_external_ids(&mut conn, company_id, &[ext.as_str()])
                    .await?
                    .is_empty()
            {
                return Err(ApiError::bad_input(
                    "externalId",
                    "another sale already has this external id",
                ));
            }
            let sale = db::sales::insert(
                &mut conn,
                &NewSale {
                    company_id,
                    client_id,
                    external_id,
                    amount_minor,
                    currency,
                    sold_at,
                    status: input.status,
                    items,
                    note,
                    created_at: now,
                    updated_at: now,
                },
            )
            .await?;
            db::clients::refresh_aggregates(&mut conn, company_id, &[client_id]).await?;
            db::companies::bump_data_version(&mut conn, company_id).await?;
            Ok(sale)
        })?;
        drop(conn);
        publish(
            ctx,
            company_id,
            ChangeKind::Created,
            sale.id,
            sale.client_id,
        )
        .await;
        Ok(SaleNode(sale))
    }

    async fn update_sale(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: SaleUpdateInput,
    ) -> async_graphql::Result<SaleNode> {
        let company_id = principal(ctx).writable_company()?;
        let id = parse_id(&id)?;
        let client_id = input.client_id.as_ref().map(parse_id).transpose()?;
        let changes = SaleChanges {
            client_id,
            amount_minor: input
                .amount_minor
                .map(|a| validate::amount("amountMinor", a.0))
                .transpose()?,
            currency: input
                .currency
                .as_deref()
                .map(|c| validate::currency_code("currency", c))
                .transpose()?,
            sold_at: input
                .sold_at
                .map(|t| validate::check_year("soldAt", t.naive_utc()))
                .transpose()?,
            status: input.status,
            items: input
                .items
                .as_deref()
                .map(|i| items_json("items", i))
                .transpose()?,
            note: match &input.note {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(validate::optional_multiline_text(
                    "note",
                    Some(v),
                    NOTE_MAX,
                )?),
            },
            updated_at: Some(Utc::now().naive_utc()),
        };
        let sale = write(ctx, company_id, id, changes).await?;
        Ok(SaleNode(sale))
    }

    /// Marks a sale cancelled: it stays in the history but leaves totals and analytics.
    async fn cancel_sale(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<SaleNode> {
        let company_id = principal(ctx).writable_company()?;
        let id = parse_id(&id)?;
        let changes = SaleChanges {
            status: Some(SaleStatus::Cancelled),
            updated_at: Some(Utc::now().naive_utc()),
            ..Default::default()
        };
        Ok(SaleNode(write(ctx, company_id, id, changes).await?))
    }
}

/// Applies `changes` to a sale and refreshes the aggregates of the clients it touches.
async fn write(
    ctx: &Context<'_>,
    company_id: i64,
    id: i64,
    changes: SaleChanges,
) -> Result<db::sales::Sale, ApiError> {
    let mut conn = app(ctx).db.write().await?;
    let sale = transaction!(conn, ApiError, {
        let before = db::sales::get(&mut conn, company_id, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        if let Some(client_id) = changes.client_id
            && db::clients::get(&mut conn, company_id, client_id)
                .await?
                .is_none()
        {
            return Err(ApiError::NotFound);
        }
        let sale = db::sales::update(&mut conn, company_id, id, &changes)
            .await?
            .ok_or(ApiError::NotFound)?;
        let mut touched = vec![sale.client_id];
        if before.client_id != sale.client_id {
            touched.push(before.client_id);
        }
        db::clients::refresh_aggregates(&mut conn, company_id, &touched).await?;
        db::companies::bump_data_version(&mut conn, company_id).await?;
        Ok(sale)
    })?;
    drop(conn);
    publish(
        ctx,
        company_id,
        ChangeKind::Updated,
        sale.id,
        sale.client_id,
    )
    .await;
    Ok(sale)
}

/// A sale changed, and with it its client's totals.
async fn publish(
    ctx: &Context<'_>,
    company_id: i64,
    kind: ChangeKind,
    sale_id: i64,
    client_id: i64,
) {
    app(ctx)
        .events
        .publish(vec![
            Event {
                company_id,
                entity: Entity::Sale,
                kind,
                ids: vec![sale_id],
            },
            Event {
                company_id,
                entity: Entity::Client,
                kind: ChangeKind::Updated,
                ids: vec![client_id],
            },
        ])
        .await;
}
