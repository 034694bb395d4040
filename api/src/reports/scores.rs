//! Per-client model scores for the whole company, computed in one pass and cached in the
//! database (`client_scores`, `score_runs`).
//!
//! The pass is the sales recommendations report's ([`recommendations::pass`]) over every
//! completed sale of the company, observed up to now: RFM segment, BG/NBD P(alive) and expected
//! purchases, Gamma-Gamma expected order value, 12-month CLV, and each client's most valuable
//! recommended action. The client screen, the start screen and the assistant read the cache;
//! a read recomputes it only when it is stale:
//! - the company's sales or exchange rates changed since (`companies.data_version`, bumped in
//!   the same transaction as each change), or
//! - the scores are of an earlier day in the company's time zone (ages and recencies moved).
//!
//! One recomputation runs at a time in a process, and a request that waited for another's
//! re-checks before computing again, so a burst of page views after an import costs one pass.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_graphql::SimpleObject;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use crm_ai::recommend;
use serde::{Deserialize, Serialize};

use super::general::{RfmSegment, client_names, client_ref};
use super::recommendations::{self, Action, ClientScore, CustomerModel, LISTED, Pass, Scored};
use super::{
    Company, Filters, Granularity, ReportKind, ReportParameters, Run, f64_to_minor, jobs, money,
    rates,
};
use crate::db::client_scores::{ClientScoreRow, ScoreRun};
use crate::db::{self, Db};
use crate::error::{ApiError, ApiResult};
use crate::transaction;

/// Most actions [`top_actions`] returns.
pub const MAX_ACTIONS: usize = 50;

/// Serialises recomputations within this process (each is CPU-bound and reads every sale).
static RECOMPUTE: LazyLock<tokio::sync::Mutex<()>> = LazyLock::new(|| tokio::sync::Mutex::new(()));

/// One client's scores from the cache, with when and as of which day they were computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct ClientAnalytics {
    /// The day, in the company's time zone, the scores are as of.
    pub as_of: NaiveDate,
    pub computed_at: DateTime<Utc>,
    pub score: ClientScore,
    /// The most valuable recommended action for this client, with its evidence; none when no
    /// rule applies.
    pub action: Option<Action>,
    /// A few sentences on the client from the scores: still buying or not (with the
    /// probability), expected purchases and value, the next step; English and Russian.
    pub note: super::LocalizedText,
    /// The company's customer models the scores come from: on how many buyers, how far to
    /// trust them.
    pub model: CustomerModel,
}

/// The cached scores of `client_id`, recomputing the company's cache first when it is stale.
/// `None` when the client has no counted purchase or the purchase model could not be fitted.
///
/// # Errors
/// NOT_FOUND when the company is gone; UNAVAILABLE or INTERNAL from the database.
pub async fn client(
    db: &Db,
    company_id: i64,
    client_id: i64,
) -> ApiResult<Option<ClientAnalytics>> {
    let (company, run) = fresh_run(db, company_id).await?;
    let mut conn = db.read().await?;
    let Some(row) = db::client_scores::get(&mut conn, company_id, client_id).await? else {
        return Ok(None);
    };
    let names = client_names(&mut conn, company_id, &[client_id]).await?;
    let action = row
        .action
        .as_deref()
        .map(serde_json::from_str::<Action>)
        .transpose()
        .map_err(|e| ApiError::Internal(e.into()))?
        .map(|a| renamed(a, &names));
    let last_purchase = row.last_purchase_at;
    let as_of_end = run.computed_at;
    let minor = |v: Option<i64>| money(v, &company.base_currency);
    let score = ClientScore {
        client: client_ref(client_id, &names),
        segment: segment_from_text(&row.segment)?,
        purchases: row.purchases,
        last_purchase: last_purchase.date(),
        days_since_last_purchase: i32::try_from((as_of_end - last_purchase).num_days())
            .unwrap_or(i32::MAX),
        p_alive: row.p_alive,
        expected_purchases_30_days: row.expected_purchases_30,
        expected_purchases_90_days: row.expected_purchases_90,
        expected_order_value: minor(row.expected_order_value_minor),
        clv_12_months: minor(row.clv_minor),
    };
    let model: CustomerModel =
        serde_json::from_str(&run.model).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Some(ClientAnalytics {
        model,
        as_of: run.as_of,
        computed_at: run.computed_at.and_utc(),
        note: super::summary::client_note(&score, action.as_ref()),
        score,
        action,
    }))
}

/// The company's `first` most valuable recommended actions (at most [`MAX_ACTIONS`]), across
/// kinds, from the cache (recomputed first when stale). Client names are read now, so a renamed
/// client shows its new name.
///
/// # Errors
/// BAD_USER_INPUT when `first` is out of range; NOT_FOUND when the company is gone.
pub async fn top_actions(db: &Db, company_id: i64, first: usize) -> ApiResult<Vec<Action>> {
    if !(1..=MAX_ACTIONS).contains(&first) {
        return Err(ApiError::bad_input(
            "first",
            format!("choose 1 to {MAX_ACTIONS} actions"),
        ));
    }
    let (_, run) = fresh_run(db, company_id).await?;
    let mut actions: Vec<Action> =
        serde_json::from_str(&run.actions).map_err(|e| ApiError::Internal(e.into()))?;
    actions.sort_by(|a, b| {
        b.value_at_stake
            .amount_minor
            .cmp(&a.value_at_stake.amount_minor)
    });
    actions.truncate(first);
    let ids: Vec<i64> = actions
        .iter()
        .filter_map(|a| a.client.as_ref())
        .filter_map(|c| c.id.parse().ok())
        .collect();
    let mut conn = db.read().await?;
    let names = client_names(&mut conn, company_id, &ids).await?;
    Ok(actions.into_iter().map(|a| renamed(a, &names)).collect())
}

/// The company and its current run, recomputed first when stale.
async fn fresh_run(db: &Db, company_id: i64) -> ApiResult<(Company, ScoreRun)> {
    if let (company, Some(run)) = current(db, company_id).await? {
        return Ok((company, run));
    }
    let _one_at_a_time = RECOMPUTE.lock().await;
    // Another request may have recomputed while this one waited.
    let (company, run) = current(db, company_id).await?;
    match run {
        Some(run) => Ok((company, run)),
        None => Ok((company, recompute(db, company_id).await?)),
    }
}

/// The company, and its stored run when that is still valid (same data version, same day).
async fn current(db: &Db, company_id: i64) -> ApiResult<(Company, Option<ScoreRun>)> {
    let mut conn = db.read().await?;
    let company = super::company(&mut conn, company_id).await?;
    let run = db::client_scores::run(&mut conn, company_id)
        .await?
        .filter(|run| run.data_version == company.data_version && run.as_of == today(&company));
    Ok((company, run))
}

fn today(company: &Company) -> NaiveDate {
    Utc::now().with_timezone(&company.time_zone).date_naive()
}

/// Scores every buyer of the company and replaces the cache.
///
/// # Errors
/// NOT_FOUND when the company is gone; UNAVAILABLE or INTERNAL from the database.
pub async fn recompute(db: &Db, company_id: i64) -> ApiResult<ScoreRun> {
    let mut conn = db.read().await?;
    // Read first, with its data version: a change committed after this point bumps the version
    // past the stored one.
    let company = super::company(&mut conn, company_id).await?;
    let data_version = company.data_version;
    let as_of = today(&company);
    let parameters = ReportParameters {
        kind: ReportKind::Recommendations,
        from: as_of,
        to: as_of,
        granularity: Granularity::Month,
        filters: Filters::default(),
        horizon: 1,
    };
    let filter = super::check(&parameters)?;
    let rates = rates::Rates::new(
        &company.base_currency,
        db::exchange_rates::all(&mut conn, company_id).await?,
    );
    let mut missing = rates::Missing::default();
    let Pass {
        model,
        scored,
        facts,
        ..
    } = recommendations::pass(
        &mut conn,
        Run {
            company: &company,
            parameters: &parameters,
            filter: &filter,
            rates: &rates,
            missing: &mut missing,
            progress: &mut jobs::Progress::none(),
        },
    )
    .await?;
    drop(conn);

    // Every client's actions, then each client's most valuable one; the company's list keeps
    // the report's number per kind.
    let every = recommend::recommend(&facts, facts.len().max(1));
    let top = recommend::recommend(&facts, LISTED);
    let base = company.base_currency.as_str();
    let no_names = HashMap::new();
    let mut best: HashMap<i64, recommend::Action> = HashMap::new();
    for a in every {
        let Some(id) = a.client else { continue };
        if best
            .get(&id)
            .is_none_or(|b| b.value_at_stake < a.value_at_stake)
        {
            best.insert(id, a);
        }
    }
    let rows = scored
        .iter()
        .map(|s| {
            let action = best
                .remove(&s.buyer.client_id)
                .map(|a| recommendations::action(a, &no_names, base));
            row(company_id, s, action)
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let actions: Vec<Action> = top
        .into_iter()
        .map(|a| recommendations::action(a, &no_names, base))
        .collect();
    let run = ScoreRun {
        company_id,
        data_version,
        as_of,
        model: to_json(&model)?,
        actions: to_json(&actions)?,
        // Microseconds, as PostgreSQL keeps them: the value read back equals this one.
        computed_at: Utc::now().naive_utc().trunc_subsecs(6),
    };
    let mut conn = db.write().await?;
    transaction!(conn, ApiError, {
        db::client_scores::replace(&mut conn, &run, &rows).await?;
        Ok(())
    })?;
    tracing::info!(company_id, clients = rows.len(), "client scores recomputed");
    Ok(run)
}

fn row(company_id: i64, s: &Scored, action: Option<Action>) -> ApiResult<ClientScoreRow> {
    let segment: RfmSegment = s.buyer.rfm.segment.into();
    Ok(ClientScoreRow {
        company_id,
        client_id: s.buyer.client_id,
        segment: segment_to_text(segment)?,
        purchases: s.buyer.history.sales,
        last_purchase_at: s.buyer.history.last_at,
        p_alive: s.p_alive,
        expected_purchases_30: s.e30,
        expected_purchases_90: s.e90,
        expected_order_value_minor: s.order_value.and_then(f64_to_minor),
        clv_minor: s.clv.and_then(f64_to_minor),
        action: action.as_ref().map(to_json).transpose()?,
    })
}

/// The action with its client's current name.
fn renamed(mut a: Action, names: &HashMap<i64, String>) -> Action {
    if let Some(c) = a.client.as_mut()
        && let Ok(id) = c.id.parse::<i64>()
    {
        *c = client_ref(id, names);
    }
    a
}

fn segment_to_text(segment: RfmSegment) -> ApiResult<String> {
    match serde_json::to_value(segment) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        other => Err(ApiError::Internal(anyhow::anyhow!(
            "segment {segment:?} serialised as {other:?}"
        ))),
    }
}

fn segment_from_text(text: &str) -> ApiResult<RfmSegment> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| ApiError::Internal(e.into()))
}

fn to_json<T: Serialize>(value: &T) -> ApiResult<String> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))
}
