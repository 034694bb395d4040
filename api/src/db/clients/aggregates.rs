//! A client's sales figures (`client_stats`): locked in id order, recounted, or moved by the
//! deltas of a sales batch.

use super::*;

/// Locks the figure rows of `ids` (`client_stats`) until the transaction ends, in client id
/// order, so concurrent batches wait for each other instead of deadlocking. On PostgreSQL
/// (READ COMMITTED) the statements that follow see every batch committed before the lock was
/// granted. SQLite needs nothing: its writers run one at a time.
pub async fn lock_aggregates(conn: &mut DbConn, company_id: i64, ids: &[i64]) -> QueryResult<()> {
    let Pooled::Pg(c) = &mut conn.pooled else {
        return Ok(());
    };
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    use diesel::sql_types::{Array, BigInt};
    diesel::sql_query(
        "SELECT client_id FROM client_stats WHERE company_id = $1 AND client_id = ANY($2) \
         ORDER BY client_id FOR UPDATE",
    )
    .bind::<BigInt, _>(company_id)
    .bind::<Array<BigInt>, _>(ids)
    .execute(&mut **c)
    .await
    .map(|_| ())
}

/// Recomputes the sales aggregates of the given clients from their completed sales: count,
/// total in the company's base currency, and date of the last purchase.
pub async fn refresh_aggregates(
    conn: &mut DbConn,
    company_id: i64,
    ids: &[i64],
) -> QueryResult<()> {
    // A recount under the rows' locks counts what every earlier batch committed.
    lock_aggregates(conn, company_id, ids).await?;
    for chunk in ids.chunks(CHUNK) {
        // Ids are integers formatted by us, so inlining them cannot inject SQL; it keeps one
        // statement text for both backends' placeholder styles. Each subquery is an index
        // range scan of one client's sales (sales_client_sold).
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let completed = SaleStatus::Completed.as_str();
        let sql = format!(
            "UPDATE client_stats SET \
               sales_count = (SELECT COUNT(*) FROM sales s WHERE s.client_id = client_stats.client_id AND s.status = '{completed}'), \
               total_spent_minor = (SELECT COALESCE(SUM(s.amount_minor), 0) FROM sales s \
                   WHERE s.client_id = client_stats.client_id AND s.status = '{completed}' \
                   AND s.currency = (SELECT base_currency FROM companies WHERE companies.id = client_stats.company_id)), \
               last_purchase_at = (SELECT MAX(s.sold_at) FROM sales s WHERE s.client_id = client_stats.client_id AND s.status = '{completed}') \
             WHERE company_id = {company_id} AND client_id IN ({list})"
        );
        conn.execute_sql(&sql).await?;
    }
    Ok(())
}

/// What new completed sales add to one client's aggregates.
#[derive(Clone, Debug, PartialEq)]
pub struct AggregateDelta {
    pub client_id: i64,
    pub count: i64,
    /// Sum of the new sales in the company's base currency.
    pub base_total: i64,
    pub last: NaiveDateTime,
}

/// Adds new completed sales to their clients' aggregates without reading the sales again:
/// what keeps a 10,000-row batch's cost independent of how many sales are already stored.
pub async fn add_to_aggregates(
    conn: &mut DbConn,
    company_id: i64,
    deltas: &[AggregateDelta],
) -> QueryResult<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    match &mut conn.pooled {
        Pooled::Pg(c) => {
            use diesel::sql_types::{Array, BigInt, Timestamp};
            diesel::sql_query(
                "UPDATE client_stats s SET sales_count = s.sales_count + d.n, \
                   total_spent_minor = s.total_spent_minor + d.total, \
                   last_purchase_at = GREATEST(s.last_purchase_at, d.last) \
                 FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::timestamp[]) AS d(id, n, total, last) \
                 WHERE s.client_id = d.id AND s.company_id = $5",
            )
            .bind::<Array<BigInt>, _>(deltas.iter().map(|d| d.client_id).collect::<Vec<_>>())
            .bind::<Array<BigInt>, _>(deltas.iter().map(|d| d.count).collect::<Vec<_>>())
            .bind::<Array<BigInt>, _>(deltas.iter().map(|d| d.base_total).collect::<Vec<_>>())
            .bind::<Array<Timestamp>, _>(deltas.iter().map(|d| d.last).collect::<Vec<_>>())
            .bind::<BigInt, _>(company_id)
            .execute(&mut **c)
            .await
            .map(|_| ())
        }
        // SQLite has no network round trip: plain statements on the connection's thread.
        Pooled::Sqlite(c) => {
            let deltas = deltas.to_vec();
            c.spawn_blocking(move |inner| {
                for d in &deltas {
                    let row = client_stats::table
                        .filter(client_stats::company_id.eq(company_id))
                        .filter(client_stats::client_id.eq(d.client_id));
                    // SQLite turns an overflowing integer addition into a float, which would
                    // be stored and read back as a wrong total: the row is only updated while
                    // the sum fits, and a row left alone is an overflow (PostgreSQL raises
                    // "bigint out of range" by itself).
                    let fits = client_stats::total_spent_minor.le(i64::MAX - d.base_total);
                    let changed = diesel::RunQueryDsl::execute(
                        diesel::update(row.filter(fits)).set((
                            client_stats::sales_count.eq(client_stats::sales_count + d.count),
                            client_stats::total_spent_minor
                                .eq(client_stats::total_spent_minor + d.base_total),
                        )),
                        inner,
                    )?;
                    if changed == 0
                        && diesel::RunQueryDsl::get_result::<bool>(
                            diesel::select(diesel::dsl::exists(row)),
                            inner,
                        )?
                    {
                        return Err(crate::db::integer_overflow());
                    }
                    diesel::RunQueryDsl::execute(
                        diesel::update(
                            row.filter(
                                client_stats::last_purchase_at
                                    .is_null()
                                    .or(client_stats::last_purchase_at.lt(d.last)),
                            ),
                        )
                        .set(client_stats::last_purchase_at.eq(d.last)),
                        inner,
                    )?;
                }
                Ok(())
            })
            .await
        }
    }
}
