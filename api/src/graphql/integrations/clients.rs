use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, Json, MaybeUndefined, Object};
use chrono::Utc;

use super::{
    ATTEMPTS, BatchResult, RowError, RowResult, RowStatus, check_size, duplicates,
    is_unique_violation,
};
use crate::db::{self, DbConn, clients::ClientChanges, clients::NewClient, clients::search_text};
use crate::error::ApiError;
use crate::events::{ChangeKind, Entity, Event};
use crate::graphql::clients::ClientStatus;
use crate::graphql::clients::mutation_limits::{EXTERNAL_ID_MAX, NAME_MAX, PHONE_MAX};
use crate::graphql::values;
use crate::graphql::{app, principal};
use crate::transaction;

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

/// A row that passed validation.
struct Valid {
    index: usize,
    external_id: String,
    name: String,
    email: MaybeUndefined<String>,
    phone: MaybeUndefined<String>,
    status: Option<String>,
    attributes: Option<String>,
}

fn validate(index: usize, row: &ClientUpsertInput) -> Result<Valid, ApiError> {
    let keep = |v: &MaybeUndefined<String>,
                f: &dyn Fn(&str) -> Result<Option<String>, ApiError>|
     -> Result<MaybeUndefined<String>, ApiError> {
        Ok(match v {
            MaybeUndefined::Undefined => MaybeUndefined::Undefined,
            MaybeUndefined::Null => MaybeUndefined::Null,
            MaybeUndefined::Value(s) => match f(s)? {
                Some(s) => MaybeUndefined::Value(s),
                None => MaybeUndefined::Null,
            },
        })
    };
    Ok(Valid {
        index,
        external_id: values::text("externalId", &row.external_id, EXTERNAL_ID_MAX)?,
        name: values::text("name", &row.name, NAME_MAX)?,
        email: keep(&row.email, &|s| values::optional_email("email", Some(s)))?,
        phone: keep(&row.phone, &|s| {
            values::optional_text("phone", Some(s), PHONE_MAX)
        })?,
        status: row.status.map(|s| s.as_str().to_owned()),
        attributes: row
            .attributes
            .as_ref()
            .map(|a| values::attributes("attributes", a))
            .transpose()?,
    })
}

fn merge(v: &MaybeUndefined<String>, current: &Option<String>) -> Option<String> {
    match v {
        MaybeUndefined::Undefined => current.clone(),
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(s) => Some(s.clone()),
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
        check_size("clients", clients.len())?;
        let dup = duplicates(clients.iter().map(|c| c.external_id.as_str()));
        let mut results: Vec<Option<RowResult>> = vec![None; clients.len()];
        let mut valid = Vec::with_capacity(clients.len());
        for (i, row) in clients.iter().enumerate() {
            let outcome = match dup[i] {
                Some(first) => Err(RowError::new(
                    "DUPLICATE_IN_BATCH",
                    "externalId",
                    format!("the same externalId is already at index {first} of this batch"),
                )),
                None => validate(i, row).map_err(RowError::from_api),
            };
            match outcome {
                Ok(v) => valid.push(v),
                Err(error) => {
                    results[i] = Some(RowResult {
                        index: i as i32,
                        external_id: row.external_id.clone(),
                        status: RowStatus::Rejected,
                        id: None,
                        error: Some(error),
                    })
                }
            }
        }
        let app = app(ctx);
        let mut conn = app.db.write().await.map_err(ApiError::from)?;
        let mut attempt = 0;
        let written = loop {
            attempt += 1;
            match write(&mut conn, company_id, &valid, app.config.fault_batch_pause).await {
                Err(e) if attempt < ATTEMPTS && is_unique_violation(&e) => continue,
                other => break other.map_err(ApiError::from)?,
            }
        };
        drop(conn);
        let mut created = Vec::new();
        let mut updated = Vec::new();
        for (index, status, id) in written {
            match status {
                RowStatus::Created => created.push(id),
                RowStatus::Updated => updated.push(id),
                _ => {}
            }
            results[index] = Some(RowResult {
                index: index as i32,
                external_id: clients[index].external_id.trim().to_owned(),
                status,
                id: Some(ID(id.to_string())),
                error: None,
            });
        }
        app.events
            .publish(vec![
                Event {
                    company_id,
                    entity: Entity::Client,
                    kind: ChangeKind::Created,
                    ids: created,
                },
                Event {
                    company_id,
                    entity: Entity::Client,
                    kind: ChangeKind::Updated,
                    ids: updated,
                },
            ])
            .await;
        Ok(BatchResult::from_rows(
            results.into_iter().flatten().collect(),
        ))
    }
}

/// Writes the valid rows in one transaction; returns (index, status, id) per row.
async fn write(
    conn: &mut DbConn,
    company_id: i64,
    rows: &[Valid],
    fault_pause: Option<std::time::Duration>,
) -> Result<Vec<(usize, RowStatus, i64)>, diesel::result::Error> {
    let now = Utc::now().naive_utc();
    transaction!(conn, diesel::result::Error, {
        // Lookups by key go through the unique indexes, whatever the statistics say.
        let guarded = conn.prefer_indexes_if_stale(&["clients"]).await?;
        let keys: Vec<&str> = rows.iter().map(|r| r.external_id.as_str()).collect();
        let existing: HashMap<String, db::clients::Client> =
            db::clients::by_external_ids(conn, company_id, &keys)
                .await?
                .into_iter()
                .filter_map(|c| c.external_id.clone().map(|e| (e, c)))
                .collect();
        if guarded {
            conn.plan_normally().await?;
        }
        let mut out = Vec::with_capacity(rows.len());
        let mut inserts = Vec::new();
        let mut insert_index = Vec::new();
        for row in rows {
            match existing.get(&row.external_id) {
                Some(current) => {
                    let email = merge(&row.email, &current.email);
                    let phone = merge(&row.phone, &current.phone);
                    let status = row.status.clone().unwrap_or_else(|| current.status.clone());
                    let attributes = row
                        .attributes
                        .clone()
                        .unwrap_or_else(|| current.attributes.clone());
                    let same = row.name == current.name
                        && email == current.email
                        && phone == current.phone
                        && status == current.status
                        && same_json(&attributes, &current.attributes);
                    if same {
                        out.push((row.index, RowStatus::Unchanged, current.id));
                        continue;
                    }
                    let changes = ClientChanges {
                        search_text: Some(search_text(
                            &row.name,
                            email.as_deref(),
                            phone.as_deref(),
                        )),
                        name: Some(row.name.clone()),
                        email: Some(email),
                        phone: Some(phone),
                        attributes: Some(attributes),
                        status: Some(status),
                        updated_at: Some(now),
                    };
                    db::clients::update(conn, company_id, current.id, &changes).await?;
                    out.push((row.index, RowStatus::Updated, current.id));
                }
                None => {
                    let email = merge(&row.email, &None);
                    let phone = merge(&row.phone, &None);
                    insert_index.push(row.index);
                    inserts.push(NewClient {
                        company_id,
                        external_id: Some(row.external_id.clone()),
                        search_text: search_text(&row.name, email.as_deref(), phone.as_deref()),
                        name: row.name.clone(),
                        email,
                        phone,
                        attributes: row.attributes.clone().unwrap_or_else(|| "{}".to_owned()),
                        status: row
                            .status
                            .clone()
                            .unwrap_or_else(|| ClientStatus::Active.as_str().to_owned()),
                        created_at: now,
                        updated_at: now,
                    });
                }
            }
        }
        let ids = db::clients::insert_many(conn, &inserts).await?;
        if let Some(pause) = fault_pause {
            tokio::time::sleep(pause).await;
        }
        let by_ext: HashMap<String, i64> = ids
            .into_iter()
            .filter_map(|(id, e)| e.map(|e| (e, id)))
            .collect();
        for (index, new) in insert_index.into_iter().zip(&inserts) {
            let id = new
                .external_id
                .as_ref()
                .and_then(|e| by_ext.get(e))
                .copied()
                .unwrap_or_default();
            out.push((index, RowStatus::Created, id));
        }
        Ok(out)
    })
}

/// JSON texts that mean the same object (key order aside).
fn same_json(a: &str, b: &str) -> bool {
    a == b
        || serde_json::from_str::<serde_json::Value>(a).ok()
            == serde_json::from_str::<serde_json::Value>(b).ok()
}
