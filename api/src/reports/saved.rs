//! Saved reports: a name, the parameters and a snapshot of the result, kept so a report reads
//! the same tomorrow; shared with the company's members or through read-only links.
//!
//! Rights: members, admins and owners save reports; viewers run and export them but save
//! nothing. The author, or an admin or owner, renames, shares, links and deletes. A saved
//! report is visible to its author, to admins and owners (who may have to revoke its links),
//! and to every member once shared; API keys see the shared ones. A link shows its report's snapshot to anyone holding it until it expires or is
//! revoked, and nothing else of the company. Another company's report or link is NOT_FOUND.

use chrono::{NaiveDateTime, TimeDelta, Utc};

use super::{Report, ReportParameters};
use crate::auth::{Principal, Role, random_token, secret_hash};
use crate::db::saved_reports::{
    self as rows, MAX_LINKS, MAX_PER_COMPANY, NewReportLink, NewSavedReport, ReportLink,
    SavedReport, Visibility,
};
use crate::db::{Db, DbConn};
use crate::domain::validate;
use crate::error::{ApiError, ApiResult};

/// Longest report name, in characters.
pub const NAME_MAX: usize = 200;
/// Longest life of a link, in days.
pub const MAX_LINK_DAYS: i32 = 365;
/// What every link token starts with, so a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "crm_share_";

/// Who is asking, as far as saved reports care.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub company_id: i64,
    /// The signed-in user; `None` for an API key.
    pub user_id: Option<i64>,
    pub role: Option<Role>,
}

impl Viewer {
    /// # Errors
    /// UNAUTHENTICATED for an anonymous request.
    pub fn of(principal: &Principal) -> ApiResult<Viewer> {
        match principal {
            Principal::Anonymous => Err(ApiError::Unauthenticated),
            Principal::User {
                company_id,
                user_id,
                role,
                ..
            } => Ok(Viewer {
                company_id: *company_id,
                user_id: Some(*user_id),
                role: Some(*role),
            }),
            Principal::ApiKey { company_id, .. } => Ok(Viewer {
                company_id: *company_id,
                user_id: None,
                role: None,
            }),
        }
    }

    /// Which reports this viewer sees.
    pub fn visibility(&self) -> Visibility {
        match (self.role, self.user_id) {
            (Some(role), _) if role >= Role::Admin => Visibility::All,
            (_, Some(user)) => Visibility::OwnOrShared(user),
            _ => Visibility::Shared,
        }
    }

    /// Whether this viewer may rename, share, link and delete `report`.
    pub fn may_change(&self, report: &SavedReport) -> bool {
        match (self.role, self.user_id) {
            (Some(role), _) if role >= Role::Admin => true,
            (Some(role), Some(user)) => role >= Role::Member && report.author_id == Some(user),
            _ => false,
        }
    }

    fn may_save(&self) -> ApiResult<i64> {
        match (self.role, self.user_id) {
            (Some(role), Some(user)) if role >= Role::Member => Ok(user),
            (Some(_), Some(_)) => Err(ApiError::Forbidden(
                "viewers may run and export reports, not save them",
            )),
            _ => Err(ApiError::Forbidden(
                "sign in to save reports; API keys only read them",
            )),
        }
    }
}

/// The stored snapshot as a report.
///
/// # Errors
/// INTERNAL when the stored JSON no longer reads (a bug, not bad input).
pub fn snapshot(row: &SavedReport) -> ApiResult<Report> {
    serde_json::from_str(&row.snapshot)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("saved report {}: {e}", row.id)))
}

pub fn parameters(row: &SavedReport) -> ApiResult<ReportParameters> {
    serde_json::from_str(&row.parameters)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("saved report {}: {e}", row.id)))
}

/// Runs the report and saves it with its snapshot.
///
/// # Errors
/// FORBIDDEN for viewers and API keys; BAD_USER_INPUT for a bad name or parameters, or when
/// the company already keeps [`MAX_PER_COMPANY`] reports.
pub async fn save(
    db: &Db,
    viewer: Viewer,
    name: &str,
    parameters: ReportParameters,
) -> ApiResult<SavedReport> {
    let author = viewer.may_save()?;
    let name = validate::text("name", name, NAME_MAX)?;
    let report = super::run(db, viewer.company_id, parameters).await?;
    let parameters_json = to_json(&report.parameters)?;
    let snapshot_json = to_json(&report)?;
    let mut conn = db.write().await?;
    if rows::count(&mut conn, viewer.company_id).await? >= MAX_PER_COMPANY {
        return Err(ApiError::bad_input(
            "name",
            format!(
                "a company keeps at most {MAX_PER_COMPANY} saved reports; delete old ones first"
            ),
        ));
    }
    let now = Utc::now().naive_utc();
    Ok(rows::insert(
        &mut conn,
        &NewSavedReport {
            company_id: viewer.company_id,
            author_id: Some(author),
            name: &name,
            kind: report.parameters.kind,
            parameters: &parameters_json,
            snapshot: &snapshot_json,
            shared_with_members: false,
            created_at: now,
            updated_at: now,
        },
    )
    .await?)
}

/// Serialising our own report types cannot fail; the error path exists for the type system.
fn to_json<T: serde::Serialize>(value: &T) -> ApiResult<String> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))
}

/// A saved report this viewer may see; NOT_FOUND otherwise.
pub async fn get(conn: &mut DbConn, viewer: Viewer, id: i64) -> ApiResult<SavedReport> {
    rows::get(conn, viewer.company_id, viewer.visibility(), id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A saved report this viewer may change: NOT_FOUND when they cannot see it, FORBIDDEN when
/// they can see it but not change it.
async fn changeable(conn: &mut DbConn, viewer: Viewer, id: i64) -> ApiResult<SavedReport> {
    let row = get(conn, viewer, id).await?;
    if !viewer.may_change(&row) {
        return Err(ApiError::Forbidden(
            "only the author, an admin or an owner may change this report",
        ));
    }
    Ok(row)
}

pub async fn rename(db: &Db, viewer: Viewer, id: i64, name: &str) -> ApiResult<SavedReport> {
    let name = validate::text("name", name, NAME_MAX)?;
    let mut conn = db.write().await?;
    changeable(&mut conn, viewer, id).await?;
    Ok(rows::rename(
        &mut conn,
        viewer.company_id,
        id,
        &name,
        Utc::now().naive_utc(),
    )
    .await?)
}

pub async fn share_with_members(
    db: &Db,
    viewer: Viewer,
    id: i64,
    shared: bool,
) -> ApiResult<SavedReport> {
    let mut conn = db.write().await?;
    changeable(&mut conn, viewer, id).await?;
    Ok(rows::set_shared(
        &mut conn,
        viewer.company_id,
        id,
        shared,
        Utc::now().naive_utc(),
    )
    .await?)
}

pub async fn delete(db: &Db, viewer: Viewer, id: i64) -> ApiResult<()> {
    let mut conn = db.write().await?;
    changeable(&mut conn, viewer, id).await?;
    rows::delete(&mut conn, viewer.company_id, id).await?;
    Ok(())
}

/// Creates a read-only link; returns it with its token, which is shown this once.
///
/// # Errors
/// As for changing the report; BAD_USER_INPUT for a life outside 1..=[`MAX_LINK_DAYS`] days or
/// more than [`MAX_LINKS`] live links.
pub async fn create_link(
    db: &Db,
    viewer: Viewer,
    id: i64,
    days: i32,
) -> ApiResult<(ReportLink, String)> {
    if !(1..=MAX_LINK_DAYS).contains(&days) {
        return Err(ApiError::bad_input(
            "expiresInDays",
            format!("a link lives 1 to {MAX_LINK_DAYS} days"),
        ));
    }
    let mut conn = db.write().await?;
    changeable(&mut conn, viewer, id).await?;
    let now = Utc::now().naive_utc();
    if rows::live_links(&mut conn, viewer.company_id, id, now).await? >= MAX_LINKS {
        return Err(ApiError::bad_input(
            "id",
            format!("a report has at most {MAX_LINKS} live links; revoke one first"),
        ));
    }
    let token = format!("{TOKEN_PREFIX}{}", random_token(32));
    let link = rows::insert_link(
        &mut conn,
        &NewReportLink {
            company_id: viewer.company_id,
            saved_report_id: id,
            token_hash: &secret_hash(&token),
            created_by: viewer.user_id,
            created_at: now,
            expires_at: now + TimeDelta::days(i64::from(days)),
        },
    )
    .await?;
    Ok((link, token))
}

/// Revokes a link of a report the viewer may change.
pub async fn revoke_link(db: &Db, viewer: Viewer, link_id: i64) -> ApiResult<ReportLink> {
    let mut conn = db.write().await?;
    let link = rows::link(&mut conn, viewer.company_id, link_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    changeable(&mut conn, viewer, link.saved_report_id).await?;
    match rows::revoke_link(
        &mut conn,
        viewer.company_id,
        link_id,
        Utc::now().naive_utc(),
    )
    .await?
    {
        Some(revoked) => Ok(revoked),
        // Revoking twice is harmless.
        None => Ok(link),
    }
}

/// The saved report a live link shows; NOT_FOUND for an unknown, expired or revoked token.
pub async fn open_link(db: &Db, token: &str) -> ApiResult<SavedReport> {
    let token = token.trim();
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 100 {
        return Err(ApiError::NotFound);
    }
    let mut conn = db.read().await?;
    rows::by_link(&mut conn, &secret_hash(token), Utc::now().naive_utc())
        .await?
        .ok_or(ApiError::NotFound)
}

/// Whether a link is live at `now`.
pub fn is_live(link: &ReportLink, now: NaiveDateTime) -> bool {
    link.revoked_at.is_none() && link.expires_at > now
}
