//! Companies (tenants) and memberships: which user may act in which company, with which role.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::DbConn;
use super::schema::{companies, memberships, users};
use super::users::User;
use crate::domain::Role;
use crate::domain::phone::Region;
use crate::with_conn;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub base_currency: String,
    pub created_at: NaiveDateTime,
    /// IANA time-zone name; reports cut their periods in it.
    pub time_zone: String,
    /// Bumped by [`bump_data_version`] with every change to the company's sales or rates.
    pub data_version: i64,
    /// ISO 3166-1 alpha-2 region that phone numbers without a country code are read in.
    pub phone_region: String,
}

#[derive(Insertable)]
#[diesel(table_name = companies)]
pub struct NewCompany<'a> {
    pub name: &'a str,
    pub base_currency: &'a str,
    pub created_at: NaiveDateTime,
    pub time_zone: &'a str,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub id: i64,
    pub company_id: i64,
    pub user_id: i64,
    pub role: Role,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = memberships)]
pub struct NewMembership {
    pub company_id: i64,
    pub user_id: i64,
    pub role: Role,
    pub created_at: NaiveDateTime,
}

/// The region the company's phone numbers without a country code are read in.
pub async fn phone_region(conn: &mut DbConn, company_id: i64) -> QueryResult<Region> {
    let code: String = with_conn!(conn, c => {
        companies::table
            .find(company_id)
            .select(companies::phone_region)
            .first(c)
            .await
    })?;
    Ok(Region::from_stored(&code))
}

/// [`phone_region`] for a transaction that writes clients with it: on PostgreSQL it holds a
/// share lock on the company row until the transaction ends, so a concurrent
/// [`set_phone_region`] (which updates that row, then derives every client again) waits for
/// the write to commit and sees it, or the write waits and reads the new region. SQLite's one
/// writer already orders them.
pub async fn phone_region_for_write(conn: &mut DbConn, company_id: i64) -> QueryResult<Region> {
    let code: String = match &mut conn.pooled {
        super::Pooled::Pg(c) => {
            companies::table
                .find(company_id)
                .select(companies::phone_region)
                .for_share()
                .first(&mut **c)
                .await?
        }
        super::Pooled::Sqlite(c) => {
            companies::table
                .find(company_id)
                .select(companies::phone_region)
                .first(&mut **c)
                .await?
        }
    };
    Ok(Region::from_stored(&code))
}

/// Sets the region phone numbers without a country code are read in. The caller re-derives
/// the clients' phone columns ([`super::clients::derive_all`]).
pub async fn set_phone_region(
    conn: &mut DbConn,
    company_id: i64,
    region: Region,
) -> QueryResult<()> {
    with_conn!(conn, c => {
        diesel::update(companies::table.find(company_id))
            .set(companies::phone_region.eq(region.code()))
            .execute(c)
            .await
            .map(|_| ())
    })
}

pub async fn insert(conn: &mut DbConn, new: &NewCompany<'_>) -> QueryResult<Company> {
    with_conn!(conn, c => {
        diesel::insert_into(companies::table)
            .values(new)
            .returning(Company::as_returning())
            .get_result(c)
            .await
    })
}

pub async fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<Company>> {
    with_conn!(conn, c => {
        companies::table.find(id).select(Company::as_select()).first(c).await.optional()
    })
}

/// Marks the company's sales or exchange rates as changed, so analytics cached from an earlier
/// version (`client_scores`) are recomputed on their next read. Call after the change, in its
/// transaction where there is one: a computation that read the old version then recomputes.
pub async fn bump_data_version(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    with_conn!(conn, c => {
        diesel::update(companies::table.find(id))
            .set(companies::data_version.eq(companies::data_version + 1))
            .execute(c)
            .await
            .map(|_| ())
    })
}

pub async fn rename(conn: &mut DbConn, id: i64, name: &str) -> QueryResult<Company> {
    with_conn!(conn, c => {
        diesel::update(companies::table.find(id))
            .set(companies::name.eq(name))
            .returning(Company::as_returning())
            .get_result(c)
            .await
    })
}

pub async fn set_time_zone(conn: &mut DbConn, id: i64, time_zone: &str) -> QueryResult<Company> {
    with_conn!(conn, c => {
        diesel::update(companies::table.find(id))
            .set(companies::time_zone.eq(time_zone))
            .returning(Company::as_returning())
            .get_result(c)
            .await
    })
}

pub async fn add_member(conn: &mut DbConn, new: &NewMembership) -> QueryResult<Membership> {
    with_conn!(conn, c => {
        diesel::insert_into(memberships::table)
            .values(new)
            .returning(Membership::as_returning())
            .get_result(c)
            .await
    })
}

/// The companies a user belongs to, oldest membership first.
pub async fn of_user(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<(Membership, Company)>> {
    with_conn!(conn, c => {
        memberships::table
            .inner_join(companies::table)
            .filter(memberships::user_id.eq(user_id))
            .order(memberships::id.asc())
            .select((Membership::as_select(), Company::as_select()))
            .load(c)
            .await
    })
}

pub async fn membership(
    conn: &mut DbConn,
    company_id: i64,
    user_id: i64,
) -> QueryResult<Option<Membership>> {
    with_conn!(conn, c => {
        memberships::table
            .filter(memberships::company_id.eq(company_id))
            .filter(memberships::user_id.eq(user_id))
            .select(Membership::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Members of a company with their users, in joining order.
pub async fn members(conn: &mut DbConn, company_id: i64) -> QueryResult<Vec<(Membership, User)>> {
    with_conn!(conn, c => {
        memberships::table
            .inner_join(users::table)
            .filter(memberships::company_id.eq(company_id))
            .order(memberships::id.asc())
            .select((Membership::as_select(), User::as_select()))
            .load(c)
            .await
    })
}

pub async fn set_role(
    conn: &mut DbConn,
    company_id: i64,
    membership_id: i64,
    role: Role,
) -> QueryResult<Option<Membership>> {
    with_conn!(conn, c => {
        diesel::update(
            memberships::table
                .filter(memberships::company_id.eq(company_id))
                .filter(memberships::id.eq(membership_id)),
        )
        .set(memberships::role.eq(role))
        .returning(Membership::as_returning())
        .get_result(c)
        .await
        .optional()
    })
}

pub async fn remove_member(
    conn: &mut DbConn,
    company_id: i64,
    membership_id: i64,
) -> QueryResult<usize> {
    with_conn!(conn, c => {
        diesel::delete(
            memberships::table
                .filter(memberships::company_id.eq(company_id))
                .filter(memberships::id.eq(membership_id)),
        )
        .execute(c)
        .await
    })
}

pub async fn count_owners(conn: &mut DbConn, company_id: i64) -> QueryResult<i64> {
    with_conn!(conn, c => {
        memberships::table
            .filter(memberships::company_id.eq(company_id))
            .filter(memberships::role.eq(Role::Owner))
            .count()
            .get_result(c)
            .await
    })
}

/// Holds the company's row locked until the transaction ends, so changes to who owns the
/// company run one at a time (two owners demoting each other at once cannot both pass the
/// "one owner stays" check). SQLite's writers already run one at a time.
pub async fn lock_for_owner_change(conn: &mut DbConn, company_id: i64) -> QueryResult<()> {
    let super::Pooled::Pg(c) = &mut conn.pooled else {
        return Ok(());
    };
    companies::table
        .find(company_id)
        .select(companies::id)
        .for_update()
        .first::<i64>(&mut **c)
        .await
        .map(|_| ())
}
