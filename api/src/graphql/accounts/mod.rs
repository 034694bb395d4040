//! Accounts: registration, sessions, companies and their members.

mod members;
mod query;
mod session;

pub use query::AccountQuery;

/// The accounts' mutations: sessions first, then companies and members (the schema lists
/// their fields in this order).
#[derive(async_graphql::MergedObject, Default)]
pub struct AccountMutation(session::SessionMutation, members::CompanyMutation);

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::values::to_utc;
use crate::auth::Role;
use crate::db::{companies, users};

pub struct UserNode(pub users::User);

#[Object(name = "User")]
impl UserNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// Preferred interface language: `en` or `ru`.
    async fn locale(&self) -> &str {
        &self.0.locale
    }
}

pub struct CompanyNode(pub companies::Company);

#[Object(name = "Company")]
impl CompanyNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// ISO 4217 code that totals and sorting by total spent are counted in.
    async fn base_currency(&self) -> &str {
        &self.0.base_currency
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.0.created_at)
    }
    /// IANA time zone (e.g. Europe/Moscow) that reports cut days, weeks and months in.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
    /// ISO 3166-1 alpha-2 region (default RU) that phone numbers without a country code are
    /// read in: `8 912 345-67-89` is +79123456789 in RU.
    async fn phone_region(&self) -> &str {
        &self.0.phone_region
    }
}

/// A company the signed-in user belongs to, with their role there.
#[derive(SimpleObject)]
pub struct CompanyMembership {
    pub company: CompanyNode,
    pub role: Role,
}

/// A member of the active company.
pub struct MemberNode {
    pub membership: companies::Membership,
    pub user: users::User,
}

#[Object(name = "Member")]
impl MemberNode {
    async fn id(&self) -> ID {
        ID(self.membership.id.to_string())
    }
    async fn user(&self) -> UserNode {
        UserNode(self.user.clone())
    }
    async fn role(&self) -> Role {
        self.membership.role
    }
    async fn joined_at(&self) -> DateTime<Utc> {
        to_utc(self.membership.created_at)
    }
}

/// The signed-in user and where they act.
pub struct Viewer {
    pub user: users::User,
    pub active_company_id: i64,
    pub memberships: Vec<(companies::Membership, companies::Company)>,
}

#[Object]
impl Viewer {
    async fn user(&self) -> UserNode {
        UserNode(self.user.clone())
    }
    /// The company this session acts in.
    async fn company(&self) -> Option<CompanyNode> {
        self.memberships
            .iter()
            .find(|(_, c)| c.id == self.active_company_id)
            .map(|(_, c)| CompanyNode(c.clone()))
    }
    /// The user's role in the active company.
    async fn role(&self) -> Option<Role> {
        self.memberships
            .iter()
            .find(|(m, _)| m.company_id == self.active_company_id)
            .map(|(m, _)| m.role)
    }
    /// Every company the user belongs to.
    async fn companies(&self) -> Vec<CompanyMembership> {
        self.memberships
            .iter()
            .map(|(m, c)| CompanyMembership {
                company: CompanyNode(c.clone()),
                role: m.role,
            })
            .collect()
    }
}

/// Tokens of a new or refreshed session. The refresh token is shown only here.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Short-lived token for `Authorization: Bearer …`.
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    /// Single-use token for `refreshSession`; each use returns a new one.
    pub refresh_token: String,
    pub refresh_token_expires_at: DateTime<Utc>,
    pub viewer: Viewer,
}

/// The client's network address, put in the request data by the HTTP layer (for login limits).
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

pub(crate) fn client_addr(ctx: &Context<'_>) -> String {
    ctx.data_opt::<ClientAddr>()
        .map(|a| a.0.clone())
        .unwrap_or_default()
}

pub(crate) type GqlResult<T> = Result<T>;
