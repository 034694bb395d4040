//! Clients in a batch: keyed by external id; contact fields, status and attributes.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::{Patch, RowError, Upsert};
use crate::db::clients::{Client, ClientChanges, Derived, NewClient};
use crate::db::{self, DbConn};
use crate::domain::phone::Region;
use crate::domain::{CLIENT_NAME_MAX, ClientStatus, EXTERNAL_ID_MAX, PHONE_MAX, validate};
use crate::error::ApiResult;
use crate::events::Entity;

/// A client as an integrator sends it.
#[derive(Clone, Debug, Default)]
pub struct ClientRow {
    /// The integrator's id; the key of the upsert.
    pub external_id: String,
    pub name: String,
    pub email: Patch<String>,
    pub phone: Patch<String>,
    /// `None`: ACTIVE for a new client, kept for an existing one.
    pub status: Option<ClientStatus>,
    /// `None`: kept. A JSON object of at most 16 KiB.
    pub attributes: Option<serde_json::Value>,
}

pub struct Valid {
    external_id: String,
    name: String,
    email: Patch<String>,
    phone: Patch<String>,
    status: Option<ClientStatus>,
    /// Stored JSON text.
    attributes: Option<String>,
}

/// Validates a set value; an empty one clears the field.
fn patch(
    v: &Patch<String>,
    check: impl Fn(&str) -> ApiResult<Option<String>>,
) -> ApiResult<Patch<String>> {
    Ok(match v {
        Patch::Keep => Patch::Keep,
        Patch::Clear => Patch::Clear,
        Patch::Set(s) => match check(s)? {
            Some(s) => Patch::Set(s),
            None => Patch::Clear,
        },
    })
}

/// JSON texts that mean the same object (key order aside).
fn same_json(a: &str, b: &str) -> bool {
    a == b
        || serde_json::from_str::<serde_json::Value>(a).ok()
            == serde_json::from_str::<serde_json::Value>(b).ok()
}

/// The client batch: see [`super::run`].
pub struct Clients;

impl Upsert for Clients {
    type Row = ClientRow;
    type Valid = Valid;
    /// The company's phone region, which phone numbers are read in.
    type Refs = Region;
    type Target = Region;
    type Stored = Client;
    type New = NewClient;
    type Changes = ClientChanges;

    const FIELD: &'static str = "clients";
    const ENTITY: Entity = Entity::Client;
    const TABLES: &'static [&'static str] = &["clients"];

    fn external_id(row: &ClientRow) -> &str {
        &row.external_id
    }

    fn validate(row: &ClientRow) -> ApiResult<Valid> {
        Ok(Valid {
            external_id: validate::text("externalId", &row.external_id, EXTERNAL_ID_MAX)?,
            name: validate::text("name", &row.name, CLIENT_NAME_MAX)?,
            email: patch(&row.email, |s| validate::optional_email("email", Some(s)))?,
            phone: patch(&row.phone, |s| {
                validate::optional_text("phone", Some(s), PHONE_MAX)
            })?,
            status: row.status,
            attributes: row
                .attributes
                .as_ref()
                .map(|a| validate::attributes("attributes", a))
                .transpose()?,
        })
    }

    fn key(row: &Valid) -> &str {
        &row.external_id
    }

    async fn resolve(conn: &mut DbConn, company_id: i64, _: &[&Valid]) -> QueryResult<Region> {
        db::companies::phone_region_for_write(conn, company_id).await
    }

    fn target(region: &Region, _: &Valid) -> Result<Region, RowError> {
        Ok(*region)
    }

    async fn existing(
        conn: &mut DbConn,
        company_id: i64,
        keys: &[&str],
    ) -> QueryResult<HashMap<String, Client>> {
        Ok(db::clients::by_external_ids(conn, company_id, keys)
            .await?
            .into_iter()
            .filter_map(|c| c.external_id.clone().map(|e| (e, c)))
            .collect())
    }

    fn id(stored: &Client) -> i64 {
        stored.id
    }

    fn diff(
        row: &Valid,
        region: Region,
        current: &Client,
        now: NaiveDateTime,
    ) -> Option<ClientChanges> {
        let email = row.email.apply(&current.email);
        let phone = row.phone.apply(&current.phone);
        let status = row.status.unwrap_or(current.status);
        let attributes = row
            .attributes
            .clone()
            .unwrap_or_else(|| current.attributes.clone());
        let same = row.name == current.name
            && email == current.email
            && phone == current.phone
            && status == current.status
            && same_json(&attributes, &current.attributes);
        (!same).then(|| ClientChanges {
            attributes: Some(attributes),
            status: Some(status),
            updated_at: Some(now),
            ..ClientChanges::contact(row.name.clone(), email, phone, region)
        })
    }

    async fn update(
        conn: &mut DbConn,
        company_id: i64,
        id: i64,
        changes: &ClientChanges,
    ) -> QueryResult<()> {
        db::clients::update(conn, company_id, id, changes)
            .await
            .map(|_| ())
    }

    fn new_row(company_id: i64, row: &Valid, region: Region, now: NaiveDateTime) -> NewClient {
        let email = row.email.apply(&None);
        let phone = row.phone.apply(&None);
        let derived = Derived::of(&row.name, email.as_deref(), phone.as_deref(), region);
        NewClient {
            company_id,
            external_id: Some(row.external_id.clone()),
            search_text: derived.search_text,
            name_key: derived.name_key,
            phone_e164: derived.phone_e164,
            name: row.name.clone(),
            email,
            phone,
            attributes: row.attributes.clone().unwrap_or_else(|| "{}".to_owned()),
            status: row.status.unwrap_or(ClientStatus::Active),
            created_at: now,
            updated_at: now,
        }
    }

    async fn insert_many(
        conn: &mut DbConn,
        rows: &[NewClient],
    ) -> QueryResult<Vec<(i64, Option<String>)>> {
        db::clients::insert_many(conn, rows).await
    }

    async fn after(
        _: &mut DbConn,
        _: i64,
        _: &[NewClient],
        _: &[(&Client, ClientChanges)],
    ) -> QueryResult<Option<(Entity, Vec<i64>)>> {
        Ok(None)
    }
}
