use std::collections::{HashMap, HashSet};

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{NaiveDateTime, Utc};

use super::{
    ATTEMPTS, BatchResult, RowError, RowResult, RowStatus, check_size, duplicates,
    is_unique_violation,
};
use crate::db::{self, DbConn, sales::NewSale, sales::SaleChanges};
use crate::error::ApiError;
use crate::events::{ChangeKind, Entity, Event};
use crate::graphql::sales::{SaleItemInput, SaleStatus, items_json};
use crate::graphql::values::{self, parse_id};
use crate::graphql::{app, principal};
use crate::transaction;

#[derive(InputObject)]
pub struct SaleUpsertInput {
    /// Your system's id for the sale; the key of the upsert.
    pub external_id: String,
    /// The client, by your system's id (as sent to `upsertClients`) ...
    pub client_external_id: Option<String>,
    /// ... or by our id. Exactly one of the two.
    pub client_id: Option<ID>,
    /// Minor units (kopecks, cents); not negative.
    pub amount_minor: i64,
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

enum ClientRef {
    External(String),
    Id(i64),
}

struct Valid {
    index: usize,
    external_id: String,
    client: ClientRef,
    amount_minor: i64,
    currency: String,
    sold_at: NaiveDateTime,
    status: Option<String>,
    items: Option<String>,
    note: Option<String>,
}

fn validate(index: usize, row: &SaleUpsertInput) -> Result<Valid, ApiError> {
    let client = match (&row.client_external_id, &row.client_id) {
        (Some(ext), None) => ClientRef::External(values::text("clientExternalId", ext, 200)?),
        (None, Some(id)) => ClientRef::Id(
            parse_id(id).map_err(|_| ApiError::bad_input("clientId", "no such client"))?,
        ),
        _ => {
            return Err(ApiError::bad_input(
                "clientExternalId",
                "give exactly one of clientExternalId and clientId",
            ));
        }
    };
    Ok(Valid {
        index,
        external_id: values::text("externalId", &row.external_id, 200)?,
        client,
        amount_minor: values::amount("amountMinor", row.amount_minor)?,
        currency: values::currency_code("currency", &row.currency)?,
        sold_at: values::datetime("soldAt", &row.sold_at)?,
        status: row.status.map(|s| s.as_str().to_owned()),
        items: row
            .items
            .as_deref()
            .map(|i| items_json("items", i))
            .transpose()?,
        note: row
            .note
            .as_deref()
            .map(|n| values::optional_text("note", Some(n), 2000))
            .transpose()?
            .flatten(),
    })
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
        check_size("sales", sales.len())?;
        let started = std::time::Instant::now();
        let dup = duplicates(sales.iter().map(|s| s.external_id.as_str()));
        let mut results: Vec<Option<RowResult>> = vec![None; sales.len()];
        let reject = |results: &mut Vec<Option<RowResult>>, i: usize, error: RowError| {
            results[i] = Some(RowResult {
                index: i as i32,
                external_id: sales[i].external_id.clone(),
                status: RowStatus::Rejected,
                id: None,
                error: Some(error),
            });
        };
        let mut valid = Vec::with_capacity(sales.len());
        for (i, row) in sales.iter().enumerate() {
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
                Err(error) => reject(&mut results, i, error),
            }
        }
        let validated = started.elapsed();
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
        let mut clients = HashSet::new();
        for outcome in written {
            match outcome {
                Outcome::Written {
                    index,
                    status,
                    id,
                    client_ids,
                } => {
                    match status {
                        RowStatus::Created => created.push(id),
                        RowStatus::Updated => updated.push(id),
                        _ => {}
                    }
                    if status != RowStatus::Unchanged {
                        clients.extend(client_ids);
                    }
                    results[index] = Some(RowResult {
                        index: index as i32,
                        external_id: sales[index].external_id.trim().to_owned(),
                        status,
                        id: Some(ID(id.to_string())),
                        error: None,
                    });
                }
                Outcome::UnknownClient { index, field } => reject(
                    &mut results,
                    index,
                    RowError::new(
                        "UNKNOWN_CLIENT",
                        field,
                        "no client with this id; send the client first",
                    ),
                ),
            }
        }
        app.events
            .publish(vec![
                Event {
                    company_id,
                    entity: Entity::Sale,
                    kind: ChangeKind::Created,
                    ids: created,
                },
                Event {
                    company_id,
                    entity: Entity::Sale,
                    kind: ChangeKind::Updated,
                    ids: updated,
                },
                Event {
                    company_id,
                    entity: Entity::Client,
                    kind: ChangeKind::Updated,
                    ids: clients.into_iter().collect(),
                },
            ])
            .await;
        tracing::debug!(
            validated_ms = validated.as_millis() as u64,
            total_ms = started.elapsed().as_millis() as u64,
            "sales batch done"
        );
        Ok(BatchResult::from_rows(
            results.into_iter().flatten().collect(),
        ))
    }
}

enum Outcome {
    Written {
        index: usize,
        status: RowStatus,
        id: i64,
        client_ids: Vec<i64>,
    },
    UnknownClient {
        index: usize,
        field: &'static str,
    },
}

async fn write(
    conn: &mut DbConn,
    company_id: i64,
    rows: &[Valid],
    fault_pause: Option<std::time::Duration>,
) -> Result<Vec<Outcome>, diesel::result::Error> {
    let now = Utc::now().naive_utc();
    let started = std::time::Instant::now();
    transaction!(conn, diesel::result::Error, {
        // Lookups by key go through the unique indexes, whatever the statistics say.
        let guarded = conn.prefer_indexes_if_stale(&["clients", "sales"]).await?;
        // Resolve the clients the batch names, in the company only.
        let ext_keys: Vec<&str> = rows
            .iter()
            .filter_map(|r| match &r.client {
                ClientRef::External(e) => Some(e.as_str()),
                ClientRef::Id(_) => None,
            })
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let by_ext: HashMap<String, i64> =
            db::clients::ids_by_external_ids(conn, company_id, &ext_keys)
                .await?
                .into_iter()
                .map(|(id, e)| (e, id))
                .collect();
        let id_keys: Vec<i64> = rows
            .iter()
            .filter_map(|r| match r.client {
                ClientRef::Id(id) => Some(id),
                ClientRef::External(_) => None,
            })
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut known_ids = HashSet::new();
        for chunk in id_keys.chunks(db::clients::CHUNK) {
            known_ids.extend(
                db::clients::by_ids(conn, company_id, chunk)
                    .await?
                    .into_iter()
                    .map(|c| c.id),
            );
        }
        let keys: Vec<&str> = rows.iter().map(|r| r.external_id.as_str()).collect();
        let existing: HashMap<String, db::sales::Sale> =
            db::sales::by_external_ids(conn, company_id, &keys)
                .await?
                .into_iter()
                .filter_map(|s| s.external_id.clone().map(|e| (e, s)))
                .collect();
        if guarded {
            conn.plan_normally().await?;
        }

        let mut out = Vec::with_capacity(rows.len());
        let mut inserts = Vec::new();
        let mut insert_index = Vec::new();
        let mut recount = HashSet::new();
        for row in rows {
            let client_id = match &row.client {
                ClientRef::External(e) => by_ext.get(e).copied(),
                ClientRef::Id(id) => known_ids.contains(id).then_some(*id),
            };
            let Some(client_id) = client_id else {
                let field = match row.client {
                    ClientRef::External(_) => "clientExternalId",
                    ClientRef::Id(_) => "clientId",
                };
                out.push(Outcome::UnknownClient {
                    index: row.index,
                    field,
                });
                continue;
            };
            match existing.get(&row.external_id) {
                Some(current) => {
                    let status = row.status.clone().unwrap_or_else(|| current.status.clone());
                    let items = row.items.clone().unwrap_or_else(|| current.items.clone());
                    let note = row.note.clone().or_else(|| current.note.clone());
                    let same = client_id == current.client_id
                        && row.amount_minor == current.amount_minor
                        && row.currency == current.currency
                        && row.sold_at == current.sold_at
                        && status == current.status
                        && items == current.items
                        && note == current.note;
                    if same {
                        out.push(Outcome::Written {
                            index: row.index,
                            status: RowStatus::Unchanged,
                            id: current.id,
                            client_ids: vec![],
                        });
                        continue;
                    }
                    let changes = SaleChanges {
                        client_id: Some(client_id),
                        amount_minor: Some(row.amount_minor),
                        currency: Some(row.currency.clone()),
                        sold_at: Some(row.sold_at),
                        status: Some(status),
                        items: Some(items),
                        note: Some(note),
                        updated_at: Some(now),
                    };
                    db::sales::update(conn, company_id, current.id, &changes).await?;
                    recount.insert(client_id);
                    recount.insert(current.client_id);
                    out.push(Outcome::Written {
                        index: row.index,
                        status: RowStatus::Updated,
                        id: current.id,
                        client_ids: vec![client_id, current.client_id],
                    });
                }
                None => {
                    insert_index.push((row.index, client_id));
                    inserts.push(NewSale {
                        company_id,
                        client_id,
                        external_id: Some(row.external_id.clone()),
                        amount_minor: row.amount_minor,
                        currency: row.currency.clone(),
                        sold_at: row.sold_at,
                        status: row
                            .status
                            .clone()
                            .unwrap_or_else(|| SaleStatus::Completed.as_str().to_owned()),
                        items: row.items.clone().unwrap_or_else(|| "[]".to_owned()),
                        note: row.note.clone(),
                        created_at: now,
                        updated_at: now,
                    });
                }
            }
        }
        let looked_up = started.elapsed();
        let ids = db::sales::insert_many(conn, &inserts).await?;
        let inserted = started.elapsed();
        let by_ext_id: HashMap<String, i64> = ids
            .into_iter()
            .filter_map(|(id, e)| e.map(|e| (e, id)))
            .collect();
        for ((index, client_id), new) in insert_index.into_iter().zip(&inserts) {
            let id = new
                .external_id
                .as_ref()
                .and_then(|e| by_ext_id.get(e))
                .copied()
                .unwrap_or_default();
            out.push(Outcome::Written {
                index,
                status: RowStatus::Created,
                id,
                client_ids: vec![client_id],
            });
        }
        if let Some(pause) = fault_pause {
            tokio::time::sleep(pause).await;
        }
        // New sales only add to their clients' figures; changed ones need a recount.
        let base = db::companies::by_id(conn, company_id)
            .await?
            .map(|c| c.base_currency)
            .unwrap_or_default();
        let mut deltas: HashMap<i64, db::clients::AggregateDelta> = HashMap::new();
        for new in inserts
            .iter()
            .filter(|n| n.status == SaleStatus::Completed.as_str())
        {
            let d = deltas
                .entry(new.client_id)
                .or_insert(db::clients::AggregateDelta {
                    client_id: new.client_id,
                    count: 0,
                    base_total: 0,
                    last: new.sold_at,
                });
            d.count += 1;
            if new.currency == base {
                d.base_total += new.amount_minor;
            }
            d.last = d.last.max(new.sold_at);
        }
        let deltas: Vec<_> = deltas.into_values().collect();
        db::clients::add_to_aggregates(conn, company_id, &deltas).await?;
        let recount: Vec<i64> = recount.into_iter().collect();
        db::clients::refresh_aggregates(conn, company_id, &recount).await?;
        tracing::debug!(
            rows = rows.len(),
            looked_up_ms = looked_up.as_millis() as u64,
            inserted_ms = (inserted - looked_up).as_millis() as u64,
            aggregates_ms = (started.elapsed() - inserted).as_millis() as u64,
            "sales batch written"
        );
        Ok(out)
    })
}
