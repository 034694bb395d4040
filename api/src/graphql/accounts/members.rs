//! Companies and their members: create, rename, time zone and phone region; invite, change
//! roles, remove (the last owner always stays).

use async_graphql::{Context, ID, Object};
use chrono::Utc;

use super::{CompanyNode, GqlResult, MemberNode};
use crate::auth::Role;
use crate::db::{self, DbConn, companies::NewCompany, companies::NewMembership};
use crate::domain::phone::Region;
use crate::domain::validate;
use crate::error::{ApiError, ApiResult};
use crate::graphql::values::parse_id;
use crate::graphql::{app, principal};
use crate::transaction;

use super::session::NAME_MAX;

#[derive(Default)]
pub struct CompanyMutation;

fn role_input(role: Role, acting: Role) -> ApiResult<Role> {
    if role == Role::Owner && acting != Role::Owner {
        return Err(ApiError::Forbidden("only owners can make someone an owner"));
    }
    Ok(role)
}

#[Object]
impl CompanyMutation {
    /// Creates another company owned by the signed-in user (the active one does not change).
    async fn create_company(
        &self,
        ctx: &Context<'_>,
        name: String,
        base_currency: String,
        #[graphql(
            default = "Europe/Moscow",
            desc = "IANA time zone; reports cut periods in it."
        )]
        time_zone: String,
    ) -> GqlResult<CompanyNode> {
        let (user_id, _) = principal(ctx).user()?;
        let name = validate::text("name", &name, NAME_MAX)?;
        let currency = validate::currency_code("baseCurrency", &base_currency)?;
        let time_zone = validate::time_zone("timeZone", &time_zone)?;
        let now = Utc::now().naive_utc();
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let company = transaction!(conn, ApiError, {
            let company = db::companies::insert(
                &mut conn,
                &NewCompany {
                    name: &name,
                    base_currency: &currency,
                    created_at: now,
                    time_zone: time_zone.name(),
                },
            )
            .await?;
            db::companies::add_member(
                &mut conn,
                &NewMembership {
                    company_id: company.id,
                    user_id,
                    role: Role::Owner,
                    created_at: now,
                },
            )
            .await?;
            Ok(company)
        })?;
        Ok(CompanyNode(company))
    }

    /// Renames the active company (owners and admins).
    async fn rename_company(&self, ctx: &Context<'_>, name: String) -> GqlResult<CompanyNode> {
        let (company_id, _, _) = principal(ctx).managed_company()?;
        let name = validate::text("name", &name, NAME_MAX)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        Ok(CompanyNode(
            db::companies::rename(&mut conn, company_id, &name)
                .await
                .map_err(ApiError::from)?,
        ))
    }

    /// Sets the active company's IANA time zone (owners and admins). Reports cut their days,
    /// weeks and months in it from then on; stored sales do not change.
    async fn set_company_time_zone(
        &self,
        ctx: &Context<'_>,
        time_zone: String,
    ) -> GqlResult<CompanyNode> {
        let (company_id, _, _) = principal(ctx).managed_company()?;
        let time_zone = validate::time_zone("timeZone", &time_zone)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        Ok(CompanyNode(
            db::companies::set_time_zone(&mut conn, company_id, time_zone.name())
                .await
                .map_err(ApiError::from)?,
        ))
    }

    /// Sets the region (ISO 3166-1 alpha-2, e.g. RU, KZ, DE) the active company's phone numbers
    /// without a country code are read in (owners and admins), and reads every client's phone
    /// again in it. Errors: BAD_USER_INPUT for a code without phone-number metadata.
    async fn set_company_phone_region(
        &self,
        ctx: &Context<'_>,
        region: String,
    ) -> GqlResult<CompanyNode> {
        let (company_id, _, _) = principal(ctx).managed_company()?;
        let region = Region::parse(&region).ok_or_else(|| {
            ApiError::bad_input(
                "region",
                "not a region code with phone numbers (expected ISO 3166-1 alpha-2, e.g. RU)",
            )
        })?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let company = transaction!(conn, ApiError, {
            db::companies::set_phone_region(&mut conn, company_id, region).await?;
            db::clients::derive_all(&mut conn, company_id).await?;
            db::companies::by_id(&mut conn, company_id)
                .await?
                .ok_or(ApiError::NotFound)
        })?;
        Ok(CompanyNode(company))
    }

    /// Adds an existing user, found by e-mail, to the active company (owners and admins).
    async fn invite_member(
        &self,
        ctx: &Context<'_>,
        email: String,
        role: Role,
    ) -> GqlResult<MemberNode> {
        let (company_id, _, acting) = principal(ctx).managed_company()?;
        let role = role_input(role, acting)?;
        let email = validate::email("email", &email)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let user = db::users::by_email(&mut conn, &email)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| {
                ApiError::bad_input("email", "nobody has registered with this e-mail yet")
            })?;
        if db::companies::membership(&mut conn, company_id, user.id)
            .await
            .map_err(ApiError::from)?
            .is_some()
        {
            return Err(ApiError::bad_input("email", "this user is already a member").into());
        }
        let membership = db::companies::add_member(
            &mut conn,
            &NewMembership {
                company_id,
                user_id: user.id,
                role,
                created_at: Utc::now().naive_utc(),
            },
        )
        .await
        .map_err(ApiError::from)?;
        Ok(MemberNode { membership, user })
    }

    /// Changes a member's role. Admins cannot touch owners; the last owner stays an owner.
    async fn update_member_role(
        &self,
        ctx: &Context<'_>,
        member_id: ID,
        role: Role,
    ) -> GqlResult<MemberNode> {
        let (company_id, acting_user, acting) = principal(ctx).managed_company()?;
        role_input(role, acting)?;
        let member_id = parse_id(&member_id)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let (membership, user) = transaction!(conn, ApiError, {
            let acting = lock_for_owner_change(&mut conn, company_id, acting_user).await?;
            let new_role = role_input(role, acting)?;
            let (current, user) = member(&mut conn, company_id, member_id).await?;
            guard_owner_change(&mut conn, company_id, &current, acting, role != Role::Owner)
                .await?;
            if let Some(pause) = app(ctx).config.fault_role_change_pause {
                tokio::time::sleep(pause).await;
            }
            let membership = db::companies::set_role(&mut conn, company_id, member_id, new_role)
                .await?
                .ok_or(ApiError::NotFound)?;
            Ok((membership, user))
        })?;
        Ok(MemberNode { membership, user })
    }

    /// Removes a member from the active company. Admins cannot remove owners; the last owner stays.
    async fn remove_member(&self, ctx: &Context<'_>, member_id: ID) -> GqlResult<bool> {
        let (company_id, acting_user, _) = principal(ctx).managed_company()?;
        let member_id = parse_id(&member_id)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        transaction!(conn, ApiError, {
            let acting = lock_for_owner_change(&mut conn, company_id, acting_user).await?;
            let (current, _) = member(&mut conn, company_id, member_id).await?;
            guard_owner_change(&mut conn, company_id, &current, acting, true).await?;
            db::companies::remove_member(&mut conn, company_id, member_id).await?;
            Ok(())
        })?;
        Ok(true)
    }
}

/// Starts a change of roles: locks the company's memberships against other such changes
/// (see `db::companies::lock_for_owner_change`) and returns the acting user's role as it is
/// now, which a change that committed meanwhile may have lowered.
async fn lock_for_owner_change(
    conn: &mut DbConn,
    company_id: i64,
    acting_user: i64,
) -> ApiResult<Role> {
    db::companies::lock_for_owner_change(conn, company_id).await?;
    let role = db::companies::membership(conn, company_id, acting_user)
        .await?
        .map(|m| m.role)
        .ok_or(ApiError::Unauthenticated)?;
    if role < Role::Admin {
        return Err(ApiError::Forbidden("only owners and admins can do this"));
    }
    Ok(role)
}

async fn member(
    conn: &mut DbConn,
    company_id: i64,
    member_id: i64,
) -> ApiResult<(db::companies::Membership, db::users::User)> {
    db::companies::members(conn, company_id)
        .await?
        .into_iter()
        .find(|(m, _)| m.id == member_id)
        .ok_or(ApiError::NotFound)
}

/// Owners are changed only by owners, and a company never loses its last owner.
async fn guard_owner_change(
    conn: &mut DbConn,
    company_id: i64,
    target: &db::companies::Membership,
    acting: Role,
    removes_owner: bool,
) -> ApiResult<()> {
    if target.role == Role::Owner {
        if acting != Role::Owner {
            return Err(ApiError::Forbidden(
                "only owners can change or remove an owner",
            ));
        }
        if removes_owner && db::companies::count_owners(conn, company_id).await? <= 1 {
            return Err(ApiError::bad_input(
                "memberId",
                "a company needs at least one owner",
            ));
        }
    }
    Ok(())
}
