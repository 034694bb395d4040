//! Sales in a batch: keyed by external id; each names its client by the integrator's id or
//! ours. New completed sales add to their clients' aggregates; changed sales recount them.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::{RowError, Upsert};
use crate::db::{self, DbConn, sales::NewSale, sales::Sale, sales::SaleChanges};
use crate::domain::{self, EXTERNAL_ID_MAX, NOTE_MAX, SaleItem, SaleStatus, validate};
use crate::error::{ApiError, ApiResult};
use crate::events::Entity;

/// A sale as an integrator sends it.
#[derive(Clone, Debug, Default)]
pub struct SaleRow {
    /// The integrator's id; the key of the upsert.
    pub external_id: String,
    /// The client by the integrator's id (as sent in a client batch) ...
    pub client_external_id: Option<String>,
    /// ... or by our id. Exactly one of the two.
    pub client_id: Option<String>,
    /// Minor units; not negative.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// RFC 3339 date-time or a date (midnight UTC).
    pub sold_at: String,
    /// `None`: COMPLETED for a new sale, kept for an existing one.
    pub status: Option<SaleStatus>,
    /// `None`: kept (empty for a new sale).
    pub items: Option<Vec<SaleItem>>,
    /// `None`: kept.
    pub note: Option<String>,
}

enum ClientRef {
    External(String),
    Id(i64),
}

pub struct Valid {
    external_id: String,
    client: ClientRef,
    amount_minor: i64,
    currency: String,
    sold_at: NaiveDateTime,
    status: Option<SaleStatus>,
    /// Stored JSON text.
    items: Option<String>,
    note: Option<String>,
}

/// The clients a batch names, found in the company.
pub struct Refs {
    by_external_id: HashMap<String, i64>,
    ids: HashSet<i64>,
}

/// The sale batch: see [`super::run`].
pub struct Sales;

impl Upsert for Sales {
    type Row = SaleRow;
    type Valid = Valid;
    type Refs = Refs;
    /// The client's id.
    type Target = i64;
    type Stored = Sale;
    type New = NewSale;
    type Changes = SaleChanges;

    const FIELD: &'static str = "sales";
    const ENTITY: Entity = Entity::Sale;
    const TABLES: &'static [&'static str] = &["clients", "sales"];

    fn external_id(row: &SaleRow) -> &str {
        &row.external_id
    }

    fn validate(row: &SaleRow) -> ApiResult<Valid> {
        let client = match (&row.client_external_id, &row.client_id) {
            (Some(ext), None) => {
                ClientRef::External(validate::text("clientExternalId", ext, EXTERNAL_ID_MAX)?)
            }
            (None, Some(id)) => ClientRef::Id(
                validate::id(id)
                    .ok_or_else(|| ApiError::bad_input("clientId", "no such client"))?,
            ),
            _ => {
                return Err(ApiError::bad_input(
                    "clientExternalId",
                    "give exactly one of clientExternalId and clientId",
                ));
            }
        };
        Ok(Valid {
            external_id: validate::text("externalId", &row.external_id, EXTERNAL_ID_MAX)?,
            client,
            amount_minor: validate::amount("amountMinor", row.amount_minor)?,
            currency: validate::currency_code("currency", &row.currency)?,
            sold_at: validate::datetime("soldAt", &row.sold_at)?,
            status: row.status,
            items: row
                .items
                .as_deref()
                .map(|i| domain::items_json("items", i))
                .transpose()?,
            note: row
                .note
                .as_deref()
                .map(|n| validate::optional_multiline_text("note", Some(n), NOTE_MAX))
                .transpose()?
                .flatten(),
        })
    }

    fn key(row: &Valid) -> &str {
        &row.external_id
    }

    async fn resolve(conn: &mut DbConn, company_id: i64, rows: &[&Valid]) -> QueryResult<Refs> {
        let ext_keys: Vec<&str> = rows
            .iter()
            .filter_map(|r| match &r.client {
                ClientRef::External(e) => Some(e.as_str()),
                ClientRef::Id(_) => None,
            })
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let by_external_id = db::clients::ids_by_external_ids(conn, company_id, &ext_keys)
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
        let mut ids = HashSet::new();
        for chunk in id_keys.chunks(db::clients::CHUNK) {
            ids.extend(
                db::clients::by_ids(conn, company_id, chunk)
                    .await?
                    .into_iter()
                    .map(|c| c.id),
            );
        }
        Ok(Refs {
            by_external_id,
            ids,
        })
    }

    fn target(refs: &Refs, row: &Valid) -> Result<i64, RowError> {
        let (found, field) = match &row.client {
            ClientRef::External(e) => (refs.by_external_id.get(e).copied(), "clientExternalId"),
            ClientRef::Id(id) => (refs.ids.contains(id).then_some(*id), "clientId"),
        };
        found.ok_or_else(|| {
            RowError::new(
                "UNKNOWN_CLIENT",
                field,
                "no client with this id; send the client first",
            )
        })
    }

    async fn existing(
        conn: &mut DbConn,
        company_id: i64,
        keys: &[&str],
    ) -> QueryResult<HashMap<String, Sale>> {
        Ok(db::sales::by_external_ids(conn, company_id, keys)
            .await?
            .into_iter()
            .filter_map(|s| s.external_id.clone().map(|e| (e, s)))
            .collect())
    }

    fn id(stored: &Sale) -> i64 {
        stored.id
    }

    fn diff(
        row: &Valid,
        client_id: i64,
        current: &Sale,
        now: NaiveDateTime,
    ) -> Option<SaleChanges> {
        let status = row.status.unwrap_or(current.status);
        let items = row.items.clone().unwrap_or_else(|| current.items.clone());
        let note = row.note.clone().or_else(|| current.note.clone());
        let same = client_id == current.client_id
            && row.amount_minor == current.amount_minor
            && row.currency == current.currency
            && row.sold_at == current.sold_at
            && status == current.status
            && items == current.items
            && note == current.note;
        (!same).then(|| SaleChanges {
            client_id: Some(client_id),
            amount_minor: Some(row.amount_minor),
            currency: Some(row.currency.clone()),
            sold_at: Some(row.sold_at),
            status: Some(status),
            items: Some(items),
            note: Some(note),
            updated_at: Some(now),
        })
    }

    async fn update(
        conn: &mut DbConn,
        company_id: i64,
        id: i64,
        changes: &SaleChanges,
    ) -> QueryResult<()> {
        db::sales::update(conn, company_id, id, changes)
            .await
            .map(|_| ())
    }

    fn new_row(company_id: i64, row: &Valid, client_id: i64, now: NaiveDateTime) -> NewSale {
        NewSale {
            company_id,
            client_id,
            external_id: Some(row.external_id.clone()),
            amount_minor: row.amount_minor,
            currency: row.currency.clone(),
            sold_at: row.sold_at,
            status: row.status.unwrap_or(SaleStatus::Completed),
            items: row.items.clone().unwrap_or_else(|| "[]".to_owned()),
            note: row.note.clone(),
            created_at: now,
            updated_at: now,
        }
    }

    async fn insert_many(
        conn: &mut DbConn,
        rows: &[NewSale],
    ) -> QueryResult<Vec<(i64, Option<String>)>> {
        db::sales::insert_many(conn, rows).await
    }

    /// New completed sales only add to their clients' figures; changed ones need a recount
    /// of the clients they left and joined.
    async fn after(
        conn: &mut DbConn,
        company_id: i64,
        inserted: &[NewSale],
        updated: &[(&Sale, SaleChanges)],
    ) -> QueryResult<Option<(Entity, Vec<i64>)>> {
        let base = db::companies::by_id(conn, company_id)
            .await?
            .map(|c| c.base_currency)
            .unwrap_or_default();
        let mut deltas: HashMap<i64, db::clients::AggregateDelta> = HashMap::new();
        for new in inserted
            .iter()
            .filter(|n| n.status == SaleStatus::Completed)
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
        let recount: Vec<i64> = updated
            .iter()
            .flat_map(|(current, changes)| [Some(current.client_id), changes.client_id])
            .flatten()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        // Every figure row this batch changes is locked first, in one order for all batches
        // (no deadlock), and the statements after the lock read a snapshot taken after it (a
        // recount sees what the batch it waited for committed).
        let mut touched: Vec<i64> = deltas.iter().map(|d| d.client_id).collect();
        touched.extend(&recount);
        db::clients::lock_aggregates(conn, company_id, &touched).await?;
        db::clients::add_to_aggregates(conn, company_id, &deltas).await?;
        db::clients::refresh_aggregates(conn, company_id, &recount).await?;
        if !inserted.is_empty() || !updated.is_empty() {
            db::companies::bump_data_version(conn, company_id).await?;
        }
        let mut touched: HashSet<i64> = recount.into_iter().collect();
        touched.extend(inserted.iter().map(|n| n.client_id));
        Ok(Some((Entity::Client, touched.into_iter().collect())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(client_id: &str) -> SaleRow {
        SaleRow {
            external_id: "s1".into(),
            client_id: Some(client_id.into()),
            amount_minor: 100,
            currency: "RUB".into(),
            sold_at: "2026-11-22".into(),
            ..SaleRow::default()
        }
    }

    #[test]
    fn a_client_id_is_exactly_digits_as_everywhere_in_the_api() {
        assert!(Sales::validate(&row("42")).is_ok());
        for bad in [" 42 ", "0", "-1", "x"] {
            let err = Sales::validate(&row(bad)).err();
            assert!(
                matches!(&err, Some(ApiError::BadInput { field: Some(f), .. }) if f == "clientId"),
                "{bad:?}: {err:?}"
            );
        }
    }
}
