use async_graphql::{Context, InputObject, Json, MaybeUndefined, Object};

use super::patch;
use crate::domain::ClientStatus;
use crate::graphql::{app, principal};
use crate::ingest::{self, BatchResult, clients::ClientRow};

#[derive(InputObject)]
pub struct ClientUpsertInput {
    /// Your system's id for the client; the key of the upsert.
    pub external_id: String,
    pub name: String,
    /// Absent: keep; null: clear.
    pub email: MaybeUndefined<String>,
    /// Absent: keep; null: clear.
    pub phone: MaybeUndefined<String>,
    /// Absent: ACTIVE for a new client, kept for an existing one.
    pub status: Option<ClientStatus>,
    /// Absent: keep. A JSON object of at most 16 KiB.
    pub attributes: Option<Json<serde_json::Value>>,
}

impl From<ClientUpsertInput> for ClientRow {
    fn from(c: ClientUpsertInput) -> ClientRow {
        ClientRow {
            email: patch(&c.email),
            phone: patch(&c.phone),
            external_id: c.external_id,
            name: c.name,
            status: c.status,
            attributes: c.attributes.map(|a| a.0),
        }
    }
}

#[derive(Default)]
pub struct ClientUpsertMutation;

#[Object]
impl ClientUpsertMutation {
    /// Creates or updates up to 10,000 clients by external id, in one transaction.
    async fn upsert_clients(
        &self,
        ctx: &Context<'_>,
        clients: Vec<ClientUpsertInput>,
    ) -> async_graphql::Result<BatchResult> {
        let company_id = principal(ctx).writable_company()?;
        let rows: Vec<ClientRow> = clients.into_iter().map(Into::into).collect();
        Ok(ingest::run::<ingest::clients::Clients>(app(ctx), company_id, &rows).await?)
    }
}
