//! Report downloads over HTTP, with the same authorization as GraphQL:
//!
//! - `GET /reports/export?kind=general&from=2026-03-01&to=2026-03-31&format=csv&lang=ru` — a
//!   live report (optional `granularity=day|week|month`, `horizon`, `currency`,
//!   `statuses=completed,refunded`, `clientIds=1,2`, `amountMin`, `amountMax`), for a session
//!   access token or an API key in `Authorization: Bearer …`;
//! - `GET /reports/saved/{id}/export?format=xlsx` — a saved report's snapshot, for whoever may
//!   see it;
//! - `GET /shared/{token}/export?format=xlsx` — the snapshot a read-only link shows, for anyone
//!   holding the link;
//! - `GET /reports/jobs/{id}/export` — a finished report job of the company (any server process
//!   on the database can serve it).
//!
//! `format` is `csv` (default), `xlsx` or `pdf`; `lang` is `en` (default) or `ru`. Errors answer with a
//! status and the GraphQL error shape: 400 BAD_USER_INPUT, 401, 403, 404, 429, 503.

use std::collections::HashMap;

use async_graphql::ID;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::{Api, bearer, error_response};
use crate::domain::SaleStatus;
use crate::domain::money::MinorUnits;
use crate::error::{ApiError, ApiResult, Code};
use crate::reports::export::{self, Format, Lang};
use crate::reports::saved::{self, Viewer};
use crate::reports::{self, Filters, Granularity, Report, ReportKind, ReportParameters};

type Params = Query<HashMap<String, String>>;

fn status_of(e: &ApiError) -> StatusCode {
    match e.code() {
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::Forbidden => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::BadUserInput => StatusCode::BAD_REQUEST,
        Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Code::OutOfRange => StatusCode::UNPROCESSABLE_ENTITY,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn answer(result: ApiResult<(Report, Format, Lang)>) -> Response {
    let (report, format, lang) = match result {
        Ok(v) => v,
        Err(e) => return error_response(status_of(&e), e),
    };
    match export::render(&report, format, lang) {
        Ok(bytes) => {
            let disposition = format!(
                "attachment; filename=\"{}\"",
                export::file_name(&report, format)
            );
            (
                [
                    (header::CONTENT_TYPE, format.content_type().to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_response(status_of(&e), e),
    }
}

fn format_and_lang(q: &HashMap<String, String>) -> ApiResult<(Format, Lang)> {
    Ok((
        Format::parse(q.get("format").map_or("csv", String::as_str))?,
        Lang::parse(q.get("lang").map_or("en", String::as_str))?,
    ))
}

fn date(q: &HashMap<String, String>, key: &'static str) -> ApiResult<NaiveDate> {
    let text = q
        .get(key)
        .ok_or_else(|| ApiError::bad_input(key, "required, as YYYY-MM-DD"))?;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad_input(key, "a date as YYYY-MM-DD"))
}

fn int(q: &HashMap<String, String>, key: &'static str) -> ApiResult<Option<i64>> {
    q.get(key)
        .map(|v| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::bad_input(key, "a whole number"))
        })
        .transpose()
}

fn list(q: &HashMap<String, String>, key: &str) -> Vec<String> {
    q.get(key)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The live report's parameters from the query string.
fn parameters(q: &HashMap<String, String>) -> ApiResult<ReportParameters> {
    let kind = q
        .get("kind")
        .and_then(|k| ReportKind::parse(k.trim()))
        .ok_or_else(|| ApiError::bad_input("kind", "general, trends or recommendations"))?;
    let granularity = match q
        .get("granularity")
        .map(|g| g.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("month") => Granularity::Month,
        Some("week") => Granularity::Week,
        Some("day") => Granularity::Day,
        Some(_) => return Err(ApiError::bad_input("granularity", "day, week or month")),
    };
    let horizon = int(q, "horizon")?.unwrap_or(3);
    let statuses = list(q, "statuses")
        .iter()
        .map(|s| {
            SaleStatus::parse(&s.to_ascii_lowercase())
                .ok_or_else(|| ApiError::bad_input("statuses", "completed, pending or refunded"))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(ReportParameters {
        kind,
        from: date(q, "from")?,
        to: date(q, "to")?,
        granularity,
        filters: Filters {
            client_ids: list(q, "clientIds").into_iter().map(ID).collect(),
            statuses,
            currency: q.get("currency").cloned(),
            amount_min: int(q, "amountMin")?.map(MinorUnits),
            amount_max: int(q, "amountMax")?.map(MinorUnits),
        },
        horizon: i32::try_from(horizon).map_err(|_| ApiError::bad_input("horizon", "1 to 36"))?,
    })
}

pub(super) async fn live(State(api): State<Api>, headers: HeaderMap, Query(q): Params) -> Response {
    answer(
        async {
            let principal = api.app.authenticate(bearer(&headers)).await?;
            let company_id = principal.company()?;
            let (format, lang) = format_and_lang(&q)?;
            let report = reports::run(&api.app.db, company_id, parameters(&q)?).await?;
            Ok((report, format, lang))
        }
        .await,
    )
}

pub(super) async fn saved_report(
    State(api): State<Api>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    answer(
        async {
            let principal = api.app.authenticate(bearer(&headers)).await?;
            let viewer = Viewer::of(&principal)?;
            let (format, lang) = format_and_lang(&q)?;
            let id = crate::domain::validate::id(&id).ok_or(ApiError::NotFound)?;
            let mut conn = api.app.db.read().await?;
            let row = saved::get(&mut conn, viewer, id).await?;
            Ok((saved::snapshot(&row)?, format, lang))
        }
        .await,
    )
}

pub(super) async fn shared(
    State(api): State<Api>,
    Path(token): Path<String>,
    Query(q): Params,
) -> Response {
    answer(
        async {
            let (format, lang) = format_and_lang(&q)?;
            let row = saved::open_link(&api.app.db, &token).await?;
            Ok((saved::snapshot(&row)?, format, lang))
        }
        .await,
    )
}

pub(super) async fn job(
    State(api): State<Api>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    answer(
        async {
            let principal = api.app.authenticate(bearer(&headers)).await?;
            let company_id = principal.company()?;
            let (format, lang) = format_and_lang(&q)?;
            let id = crate::domain::validate::id(&id).ok_or(ApiError::NotFound)?;
            let job = crate::reports::jobs::get(&api.app, company_id, id).await?;
            Ok((crate::reports::jobs::result(&job)?, format, lang))
        }
        .await,
    )
}
