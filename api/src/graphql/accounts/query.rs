use async_graphql::{Context, Object};

use super::{CompanyNode, GqlResult, MemberNode, Viewer};
use crate::db;
use crate::error::ApiError;
use crate::graphql::{app, principal};

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in user, their companies and the active one.
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<Viewer> {
        let (user_id, _) = principal(ctx).user()?;
        let company_id = principal(ctx).company()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let user = db::users::by_id(&mut conn, user_id)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::Unauthenticated)?;
        let memberships = db::companies::of_user(&mut conn, user_id)
            .await
            .map_err(ApiError::from)?;
        Ok(Viewer {
            user,
            active_company_id: company_id,
            memberships,
        })
    }

    /// The company this request acts in (for users and API keys alike).
    async fn company(&self, ctx: &Context<'_>) -> GqlResult<CompanyNode> {
        let company_id = principal(ctx).company()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let company = db::companies::by_id(&mut conn, company_id)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound)?;
        Ok(CompanyNode(company))
    }

    /// Members of the active company. Signed-in users only: it lists e-mail addresses.
    async fn members(&self, ctx: &Context<'_>) -> GqlResult<Vec<MemberNode>> {
        principal(ctx).user()?;
        let company_id = principal(ctx).company()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let rows = db::companies::members(&mut conn, company_id)
            .await
            .map_err(ApiError::from)?;
        Ok(rows
            .into_iter()
            .map(|(membership, user)| MemberNode { membership, user })
            .collect())
    }
}
