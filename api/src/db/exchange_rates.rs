//! A company's exchange rates to its base currency, each in effect from its date until the next
//! rate of the same currency.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::exchange_rates;
use crate::with_conn;

/// The most rates one company may hold (a daily rate of 20 currencies for about four years).
pub const MAX_RATES: i64 = 30_000;

#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = exchange_rates)]
pub struct ExchangeRate {
    pub id: i64,
    pub company_id: i64,
    pub currency: String,
    pub valid_on: NaiveDate,
    /// Units of the base currency per unit of `currency`, times 10⁹.
    pub rate_nanos: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = exchange_rates)]
pub struct NewExchangeRate<'a> {
    pub company_id: i64,
    pub currency: &'a str,
    pub valid_on: NaiveDate,
    pub rate_nanos: i64,
    pub created_at: NaiveDateTime,
}

/// All rates of a company, by currency then date.
pub async fn all(conn: &mut DbConn, company_id: i64) -> QueryResult<Vec<ExchangeRate>> {
    with_conn!(conn, c => {
        exchange_rates::table
            .filter(exchange_rates::company_id.eq(company_id))
            .order((exchange_rates::currency.asc(), exchange_rates::valid_on.asc()))
            .select(ExchangeRate::as_select())
            .load(c)
            .await
    })
}

pub async fn count(conn: &mut DbConn, company_id: i64) -> QueryResult<i64> {
    with_conn!(conn, c => {
        exchange_rates::table.filter(exchange_rates::company_id.eq(company_id)).count().get_result(c).await
    })
}

/// Sets the rate of `currency` from `valid_on`, replacing one set for the same day.
pub async fn upsert(conn: &mut DbConn, new: &NewExchangeRate<'_>) -> QueryResult<ExchangeRate> {
    with_conn!(conn, c => {
        diesel::insert_into(exchange_rates::table)
            .values(new)
            .on_conflict((exchange_rates::company_id, exchange_rates::currency, exchange_rates::valid_on))
            .do_update()
            .set((exchange_rates::rate_nanos.eq(new.rate_nanos), exchange_rates::created_at.eq(new.created_at)))
            .returning(ExchangeRate::as_returning())
            .get_result(c)
            .await
    })
}

/// Deletes one rate of the company; false when it has no such rate.
pub async fn delete(conn: &mut DbConn, company_id: i64, id: i64) -> QueryResult<bool> {
    with_conn!(conn, c => {
        diesel::delete(
            exchange_rates::table.filter(exchange_rates::company_id.eq(company_id)).filter(exchange_rates::id.eq(id)),
        )
        .execute(c)
        .await
        .map(|n| n > 0)
    })
}
