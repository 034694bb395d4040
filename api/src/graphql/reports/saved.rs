//! Saved reports, sharing and read-only links: thin adapters over `crate::reports::saved`.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::ReportInput;
use crate::db::saved_reports::{ReportLink, SavedReport};
use crate::error::ApiError;
use crate::graphql::paging::{self, Edge, PageInfo};
use crate::graphql::values::{parse_id, to_utc};
use crate::graphql::{app, principal};
use crate::reports::saved::{self, Viewer};
use crate::reports::{Report, ReportKind, ReportParameters};

/// A saved report: its parameters and the snapshot of its result taken when it was saved.
pub struct SavedReportNode {
    row: SavedReport,
    /// Whether the asking user may rename, share, link and delete it.
    may_change: bool,
}

#[Object(name = "SavedReport")]
impl SavedReportNode {
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.row.name
    }
    async fn kind(&self) -> ReportKind {
        self.row.kind
    }
    #[allow(clippy::unused_async)] // async-graphql resolvers are async
    async fn parameters(&self) -> async_graphql::Result<ReportParameters> {
        Ok(saved::parameters(&self.row)?)
    }
    /// The result as it was when saved.
    #[allow(clippy::unused_async)] // async-graphql resolvers are async
    async fn report(&self) -> async_graphql::Result<Report> {
        Ok(saved::snapshot(&self.row)?)
    }
    /// The author's user id; empty once the author's account is gone.
    async fn author_id(&self) -> Option<ID> {
        self.row.author_id.map(|id| ID(id.to_string()))
    }
    /// The author's display name; empty once the author's account is gone.
    async fn author_name(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(id) = self.row.author_id else {
            return Ok(None);
        };
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let user = crate::db::users::by_id(&mut conn, id)
            .await
            .map_err(ApiError::from)?;
        Ok(user.map(|u| u.display_name))
    }
    /// Whether every member of the company sees it.
    async fn shared_with_members(&self) -> bool {
        self.row.shared_with_members
    }
    /// Whether you may rename, share, link and delete it.
    async fn can_change(&self) -> bool {
        self.may_change
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.row.created_at)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        to_utc(self.row.updated_at)
    }
    /// Its read-only links, newest first; only for those who may change it.
    async fn links(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ReportLinkNode>> {
        if !self.may_change {
            return Ok(Vec::new());
        }
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let rows = crate::db::saved_reports::links(&mut conn, self.row.company_id, self.row.id)
            .await
            .map_err(ApiError::from)?;
        Ok(rows.into_iter().map(ReportLinkNode).collect())
    }
}

/// A read-only link to a saved report. Its token is shown only when it is created.
pub struct ReportLinkNode(ReportLink);

#[Object(name = "ReportLink")]
impl ReportLinkNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        to_utc(self.0.created_at)
    }
    async fn expires_at(&self) -> DateTime<Utc> {
        to_utc(self.0.expires_at)
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at.map(to_utc)
    }
    /// Not revoked and not expired.
    async fn live(&self) -> bool {
        saved::is_live(&self.0, Utc::now().naive_utc())
    }
}

/// A new link with its token: the link's address is `/shared/<token>`. Shown only now.
#[derive(SimpleObject)]
pub struct CreatedReportLink {
    pub link: ReportLinkNode,
    pub token: String,
}

#[derive(SimpleObject)]
pub struct SavedReportConnection {
    pub edges: Vec<Edge<SavedReportNode>>,
    pub page_info: PageInfo,
    /// Saved reports you can see.
    pub total_count: i64,
}

/// What a read-only link shows: the report's name and snapshot, nothing else.
#[derive(SimpleObject)]
pub struct SharedReport {
    pub name: String,
    pub report: Report,
}

fn viewer(ctx: &Context<'_>) -> async_graphql::Result<Viewer> {
    Ok(Viewer::of(principal(ctx))?)
}

fn node(viewer: &Viewer, row: SavedReport) -> SavedReportNode {
    SavedReportNode {
        may_change: viewer.may_change(&row),
        row,
    }
}

const SORT: &str = "updated";

#[derive(Default)]
pub struct SavedReportQuery;

#[Object]
impl SavedReportQuery {
    /// Saved reports you can see (yours and the shared ones), most recently changed first.
    #[graphql(complexity = "paging::complexity(first, child_complexity)")]
    async fn saved_reports(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<SavedReportConnection> {
        let v = viewer(ctx)?;
        let limit = paging::page_size(first)?;
        let after_key = after
            .as_deref()
            .map(|c| paging::decode::<NaiveDateTime>(SORT, c))
            .transpose()?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let rows = crate::db::saved_reports::page(
            &mut conn,
            v.company_id,
            v.visibility(),
            limit,
            after_key,
        )
        .await
        .map_err(ApiError::from)?;
        let total_count =
            crate::db::saved_reports::count_visible(&mut conn, v.company_id, v.visibility())
                .await
                .map_err(ApiError::from)?;
        let (edges, page_info) = paging::connect(
            rows,
            limit,
            after.is_some(),
            |r| paging::encode(SORT, r.updated_at, r.id),
            |r| node(&v, r),
        );
        Ok(SavedReportConnection {
            edges,
            page_info,
            total_count,
        })
    }

    /// One saved report you can see.
    async fn saved_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<SavedReportNode> {
        let v = viewer(ctx)?;
        let mut conn = app(ctx).db.read().await.map_err(ApiError::from)?;
        let row = saved::get(&mut conn, v, parse_id(&id)?).await?;
        Ok(node(&v, row))
    }

    /// The report a read-only link shows; no sign-in needed. NOT_FOUND once the link has
    /// expired or been revoked.
    async fn shared_report(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> async_graphql::Result<SharedReport> {
        let row = saved::open_link(&app(ctx).db, &token).await?;
        Ok(SharedReport {
            report: saved::snapshot(&row)?,
            name: row.name,
        })
    }
}

#[derive(Default)]
pub struct SavedReportMutation;

#[Object]
impl SavedReportMutation {
    /// Runs a report and saves it under `name` with a snapshot of its result (members, admins
    /// and owners; viewers and API keys only run reports).
    async fn save_report(
        &self,
        ctx: &Context<'_>,
        name: String,
        input: ReportInput,
    ) -> async_graphql::Result<SavedReportNode> {
        let v = viewer(ctx)?;
        let row = saved::save(&app(ctx).db, v, &name, input.into()).await?;
        Ok(node(&v, row))
    }

    /// Renames a saved report (its author, admins and owners).
    async fn rename_saved_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        name: String,
    ) -> async_graphql::Result<SavedReportNode> {
        let v = viewer(ctx)?;
        let row = saved::rename(&app(ctx).db, v, parse_id(&id)?, &name).await?;
        Ok(node(&v, row))
    }

    /// Shares a saved report with every member of the company, or stops sharing it.
    async fn share_saved_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        with_members: bool,
    ) -> async_graphql::Result<SavedReportNode> {
        let v = viewer(ctx)?;
        let row = saved::share_with_members(&app(ctx).db, v, parse_id(&id)?, with_members).await?;
        Ok(node(&v, row))
    }

    /// Deletes a saved report and its links (its author, admins and owners).
    async fn delete_saved_report(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        saved::delete(&app(ctx).db, viewer(ctx)?, parse_id(&id)?).await?;
        Ok(true)
    }

    /// Creates a read-only link to a saved report, alive for `expiresInDays` (1 to 365).
    async fn create_report_link(
        &self,
        ctx: &Context<'_>,
        saved_report_id: ID,
        #[graphql(default = 7)] expires_in_days: i32,
    ) -> async_graphql::Result<CreatedReportLink> {
        let (link, token) = saved::create_link(
            &app(ctx).db,
            viewer(ctx)?,
            parse_id(&saved_report_id)?,
            expires_in_days,
        )
        .await?;
        Ok(CreatedReportLink {
            link: ReportLinkNode(link),
            token,
        })
    }

    /// Revokes a read-only link; it shows nothing from now on. Revoking twice is harmless.
    async fn revoke_report_link(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<ReportLinkNode> {
        let link = saved::revoke_link(&app(ctx).db, viewer(ctx)?, parse_id(&id)?).await?;
        Ok(ReportLinkNode(link))
    }
}
