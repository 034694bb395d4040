use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::SaleStatus;
use crate::domain::money::MinorUnits;
use crate::graphql::sales::SaleItemInput;
use crate::graphql::{app, principal};
use crate::ingest::{self, BatchResult, sales::SaleRow};

#[derive(InputObject)]
pub struct SaleUpsertInput {
    /// Your system's id for the sale; the key of the upsert.
    pub external_id: String,
    /// The client, by your system's id (as sent to `upsertClients`) ...
    pub client_external_id: Option<String>,
    /// ... or by our id. Exactly one of the two.
    pub client_id: Option<ID>,
    /// Minor units (kopecks, cents); not negative.
    pub amount_minor: MinorUnits,
    /// ISO 4217 code.
    pub currency: String,
    /// RFC 3339 date-time (`2026-11-22T10:15:00+03:00`) or a date (`2026-11-22`, midnight UTC).
    pub sold_at: String,
    /// Absent: COMPLETED for a new sale, kept for an existing one.
    pub status: Option<SaleStatus>,
    /// Absent: kept (empty for a new sale).
    pub items: Option<Vec<SaleItemInput>>,
    /// Absent: kept.
    pub note: Option<String>,
}

impl From<SaleUpsertInput> for SaleRow {
    fn from(s: SaleUpsertInput) -> SaleRow {
        SaleRow {
            external_id: s.external_id,
            client_external_id: s.client_external_id,
            client_id: s.client_id.map(|id| id.0),
            amount_minor: s.amount_minor.0,
            currency: s.currency,
            sold_at: s.sold_at,
            status: s.status,
            items: s.items.map(|i| i.iter().map(Into::into).collect()),
            note: s.note,
        }
    }
}

#[derive(Default)]
pub struct SaleUpsertMutation;

#[Object]
impl SaleUpsertMutation {
    /// Creates or updates up to 10,000 sales by external id, in one transaction. A sale naming
    /// a client that does not exist is rejected; send the clients first.
    async fn upsert_sales(
        &self,
        ctx: &Context<'_>,
        sales: Vec<SaleUpsertInput>,
    ) -> async_graphql::Result<BatchResult> {
        let company_id = principal(ctx).writable_company()?;
        let rows: Vec<SaleRow> = sales.into_iter().map(Into::into).collect();
        Ok(ingest::run::<ingest::sales::Sales>(app(ctx), company_id, &rows).await?)
    }
}
