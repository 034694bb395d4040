//! The sales recommendations report: RFM segments, the customer-base models (BG/NBD and
//! Gamma-Gamma, fitted on the company's buyers), at-risk and likely-to-buy clients, and actions
//! with the numbers behind them.
//!
//! Time is in days; a purchase day is a UTC day with at least one counted sale (same-day sales
//! are one transaction, as in the BG/NBD papers). The spend model uses each buyer's mean sale
//! value in the base currency over all their purchases (the papers use repeat purchases only:
//! with one purchase's value per client we would lose it for every first-time buyer).

use std::collections::HashMap;

use async_graphql::{Enum, SimpleObject};
use chrono::{Days, NaiveDate, NaiveDateTime};
use crm_ai::customers::{self, BgNbd, Customer, GammaGamma, Spender};
use crm_ai::recommend::{self, ActionKind as AiActionKind, ClientFacts, Evidence as AiEvidence};
use serde::{Deserialize, Serialize};

use super::general::{
    Buyer, RfmSegment, SegmentFigures, bad_range, client_names, client_ref, revenue_by_client,
    rfm_segments,
};
use super::periods;
use super::{ClientRef, Run, days_between, f64_to_minor, minor_to_f64, money};
use crate::db::DbConn;
use crate::db::figures::Bounds;
use crate::domain::money::Money;
use crate::error::{ApiError, ApiResult};

/// Clients listed per list and actions per kind.
pub const LISTED: usize = 10;

/// Buyers below which the customer models are fitted but not to be read as exact: BG/NBD and
/// Gamma-Gamma estimate four and three population parameters from the buyers' histories, and
/// with a handful of buyers one of them moves every score (Fader, Hardie & Lee 2005 fit 2,357).
pub const MIN_RELIABLE_BUYERS: i64 = 30;
/// The CLV horizon: 12 months of 30 days, discounted 1% a month.
const CLV_MONTHS: u32 = 12;
const MONTH_DAYS: f64 = 30.0;
const MONTHLY_DISCOUNT: f64 = 0.01;
/// Window of the growing / declining comparison.
const WINDOW_DAYS: u64 = 90;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct BgNbdParameters {
    pub r: f64,
    /// Scale of the purchase rate, in days.
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
    pub log_likelihood: f64,
    pub converged: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct GammaGammaParameters {
    pub p: f64,
    pub q: f64,
    /// Scale, in minor units of the base currency.
    pub gamma: f64,
    pub log_likelihood: f64,
    pub converged: bool,
    /// Repeat buyers it was fitted on.
    pub clients: i64,
}

/// The customer-base models and how far to trust them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(complex)]
pub struct CustomerModel {
    /// Buyers the purchase model was fitted on.
    pub clients: i64,
    pub repeat_buyers: i64,
    pub bg_nbd: Option<BgNbdParameters>,
    pub gamma_gamma: Option<GammaGammaParameters>,
    /// Why a model is missing, when one is.
    pub note: Option<String>,
}

#[async_graphql::ComplexObject]
impl CustomerModel {
    /// Fitted on fewer than [`MIN_RELIABLE_BUYERS`] (30) buyers: the probabilities and expected
    /// values are rough, a ranking at best.
    #[allow(clippy::unused_async)] // async-graphql resolvers are async
    async fn rough(&self) -> bool {
        self.clients < MIN_RELIABLE_BUYERS
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct ClientScore {
    pub client: ClientRef,
    pub segment: RfmSegment,
    pub purchases: i64,
    pub last_purchase: NaiveDate,
    pub days_since_last_purchase: i32,
    /// Probability the client is still buying (BG/NBD), 0..=1.
    pub p_alive: f64,
    pub expected_purchases_30_days: f64,
    pub expected_purchases_90_days: f64,
    /// Expected value of a future purchase (Gamma-Gamma), base currency.
    pub expected_order_value: Option<Money>,
    /// Customer lifetime value over 12 months, discounted 1% a month.
    pub clv_12_months: Option<Money>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[graphql(name = "RecommendedActionKind")]
pub enum ActionKind {
    /// Call a high-value client at risk of leaving.
    CallAtRisk,
    /// Make an offer to a client likely to buy soon.
    OfferLikelyToBuy,
    /// Win back a client who has most likely left.
    WinBackLapsed,
    /// A client whose purchases grow fast.
    Growing,
    /// A client whose purchases fall fast.
    Declining,
    /// The segment with the most value at stake.
    FocusSegment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Enum)]
pub enum EvidenceKind {
    PAlive,
    ExpectedPurchases30Days,
    ExpectedPurchases90Days,
    /// Money, base currency major units.
    ExpectedOrderValue,
    RepeatPurchases,
    DaysSinceLastPurchase,
    /// Money, base currency major units: revenue in the last 90 days.
    RecentRevenue,
    /// Money, base currency major units: revenue in the 90 days before.
    PreviousRevenue,
    /// The threshold the rule compared with.
    Threshold,
    /// Clients of the segment with an action.
    Clients,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "RecommendedAction")]
pub struct Action {
    pub kind: ActionKind,
    pub client: Option<ClientRef>,
    pub segment: RfmSegment,
    /// Expected value at stake, base currency.
    pub value_at_stake: Money,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
#[graphql(name = "SalesRecommendationsReport")]
pub struct RecommendationsReport {
    pub model: CustomerModel,
    pub segments: Vec<SegmentFigures>,
    /// Repeat buyers most likely gone, by value at stake.
    pub at_risk: Vec<ClientScore>,
    /// Clients with the most expected value in the next 30 days.
    pub likely_to_buy: Vec<ClientScore>,
    pub actions: Vec<Action>,
}

impl RecommendationsReport {
    /// The report's actions of one kind, most valuable first (the order of `actions`).
    pub fn actions_of(&self, kind: ActionKind) -> impl Iterator<Item = &Action> {
        self.actions.iter().filter(move |a| a.kind == kind)
    }
}

/// One buyer with the models' outputs.
pub(super) struct Scored {
    pub buyer: Buyer,
    pub customer: Customer,
    pub p_alive: f64,
    pub e30: f64,
    pub e90: f64,
    /// Minor units of the base currency.
    pub order_value: Option<f64>,
    pub clv: Option<f64>,
}

/// The customer-base pass shared by the report and the per-client score cache
/// ([`super::scores`]): RFM segments, both models fitted on the run's buyers, every buyer
/// scored, and the facts the recommendation rules read.
pub(super) struct Pass {
    /// The end of observation (UTC): ages and recencies count up to it.
    pub now: NaiveDateTime,
    pub model: CustomerModel,
    pub segments: Vec<SegmentFigures>,
    /// Every buyer, in the order of `facts`; empty when the purchase model could not be fitted.
    pub scored: Vec<Scored>,
    pub facts: Vec<ClientFacts>,
}

pub(super) async fn build(conn: &mut DbConn, run: Run<'_>) -> ApiResult<RecommendationsReport> {
    let company = run.company;
    let Pass {
        now,
        model,
        segments,
        scored,
        facts,
    } = pass(conn, run).await?;
    let actions = recommend::recommend(&facts, LISTED);

    let mut at_risk: Vec<&Scored> = scored
        .iter()
        .filter(|s| s.customer.frequency > 0 && s.p_alive < recommend::AT_RISK_P_ALIVE)
        .collect();
    at_risk.sort_by(|a, b| stake_at_risk(b).total_cmp(&stake_at_risk(a)));
    at_risk.truncate(LISTED);
    let mut likely: Vec<&Scored> = scored
        .iter()
        .filter(|s| s.p_alive >= recommend::LIKELY_P_ALIVE)
        .collect();
    likely.sort_by(|a, b| stake_soon(b).total_cmp(&stake_soon(a)));
    likely.truncate(LISTED);

    let mut ids: Vec<i64> = at_risk
        .iter()
        .chain(&likely)
        .map(|s| s.buyer.client_id)
        .collect();
    ids.extend(actions.iter().filter_map(|a| a.client));
    ids.sort_unstable();
    ids.dedup();
    let names = client_names(conn, company.id, &ids).await?;
    let base = &company.base_currency;
    let view = |s: &Scored| client_score(s, now, &names, base);
    Ok(RecommendationsReport {
        model,
        segments,
        at_risk: at_risk.into_iter().map(view).collect(),
        likely_to_buy: likely.into_iter().map(view).collect(),
        actions: actions
            .into_iter()
            .map(|a| action(a, &names, base))
            .collect(),
    })
}

/// Computes a [`Pass`] over the buyers `run` selects, observed up to the end of its range or
/// now, whichever is earlier.
pub(super) async fn pass(conn: &mut DbConn, run: Run<'_>) -> ApiResult<Pass> {
    let Run {
        company,
        parameters,
        filter,
        rates,
        missing,
        progress,
    } = run;
    let range =
        periods::range(company.time_zone, parameters.from, parameters.to).map_err(bad_range)?;
    // Observation ends now when the range reaches into the future.
    let now = range.end.min(chrono::Utc::now().naive_utc());
    progress.step(5, "segments").await?;
    let (segments, buyers) =
        rfm_segments(conn, company, now, parameters.to, filter, rates, missing).await?;
    progress.step(30, "customer models").await?;

    let customers: Vec<Customer> = buyers
        .iter()
        .map(|b| {
            let frequency = u32::try_from(b.history.purchase_days - 1).unwrap_or(0);
            let recency = if frequency == 0 {
                0.0
            } else {
                days_between(b.history.first_at, b.history.last_at)
            };
            Customer {
                frequency,
                recency,
                age: days_between(b.history.first_at, now).max(recency),
            }
        })
        .collect();
    let spenders: Vec<Spender> = buyers
        .iter()
        .zip(&customers)
        .filter_map(|(b, c)| {
            let mean =
                minor_to_f64(b.value_in_base?) / minor_to_f64(b.history.purchase_days.max(1));
            Some(Spender {
                frequency: c.frequency,
                mean_value: mean,
            })
        })
        .collect();
    let clients = i64::try_from(customers.len()).unwrap_or(i64::MAX);
    let repeat_buyers =
        i64::try_from(customers.iter().filter(|c| c.frequency > 0).count()).unwrap_or(i64::MAX);

    // Fitting and scoring are CPU work (each client's expectations sum series): off the runtime.
    let (bg, gg, scored) = tokio::task::spawn_blocking(move || {
        let bg = customers::fit_bg_nbd(&customers);
        let gg = customers::fit_gamma_gamma(&spenders);
        let scored: Option<Vec<Scored>> = bg.as_ref().ok().map(|bg| {
            let gg = gg.as_ref().ok().map(|f| &f.params);
            buyers
                .into_iter()
                .zip(customers)
                .map(|(buyer, customer)| score(buyer, customer, &bg.params, gg))
                .collect()
        });
        (bg, gg, scored)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    let mut notes = Vec::new();
    let bg = bg
        .map_err(|e| notes.push(format!("purchase model: {e}")))
        .ok();
    let gg = gg.map_err(|e| notes.push(format!("spend model: {e}"))).ok();
    if bg.as_ref().is_some_and(|f| !f.converged) {
        notes.push(
            "the purchase model did not converge (typically when every client drops out at about the same rate): \
             the scores are usable as a ranking, not as exact probabilities"
                .to_owned(),
        );
    }
    if gg.as_ref().is_some_and(|f| !f.converged) {
        notes.push("the spend model did not converge: expected order values are rough".to_owned());
    }
    let model = CustomerModel {
        clients,
        repeat_buyers,
        bg_nbd: bg.as_ref().map(|f| BgNbdParameters {
            r: f.params.r,
            alpha: f.params.alpha,
            a: f.params.a,
            b: f.params.b,
            log_likelihood: f.log_likelihood,
            converged: f.converged,
        }),
        gamma_gamma: gg.as_ref().map(|f| GammaGammaParameters {
            p: f.params.p,
            q: f.params.q,
            gamma: f.params.gamma,
            log_likelihood: f.log_likelihood,
            converged: f.converged,
            clients: i64::try_from(f.customers).unwrap_or(i64::MAX),
        }),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    };
    let Some(scored) = scored else {
        return Ok(Pass {
            now,
            model,
            segments,
            scored: Vec::new(),
            facts: Vec::new(),
        });
    };

    progress.step(70, "recent revenue").await?;
    // Revenue in the last 90 days against the 90 before, for growing and declining clients.
    let window = |back: u64| now.checked_sub_days(Days::new(back)).unwrap_or(now);
    let recent = Bounds {
        start: window(WINDOW_DAYS),
        end: now,
    };
    let previous = Bounds {
        start: window(2 * WINDOW_DAYS),
        end: window(WINDOW_DAYS),
    };
    let on = parameters.to;
    let recent = revenue_by_client(conn, company, recent, filter, rates, on, missing).await?;
    let previous = revenue_by_client(conn, company, previous, filter, rates, on, missing).await?;
    let value = |map: &HashMap<i64, super::general::ClientRevenue>, id: i64| {
        map.get(&id)
            .and_then(|r| r.in_base)
            .map_or(0.0, minor_to_f64)
    };

    let facts: Vec<ClientFacts> = scored
        .iter()
        .map(|s| ClientFacts {
            client: s.buyer.client_id,
            segment: s.buyer.rfm.segment,
            repeat_purchases: s.customer.frequency,
            days_since_last_purchase: u32::try_from((now - s.buyer.history.last_at).num_days())
                .unwrap_or(0),
            days_as_customer: u32::try_from((now - s.buyer.history.first_at).num_days())
                .unwrap_or(0),
            p_alive: s.p_alive,
            expected_purchases_30: s.e30,
            expected_purchases_90: s.e90,
            expected_order_value: s.order_value.unwrap_or(0.0),
            recent_value: value(&recent, s.buyer.client_id),
            previous_value: value(&previous, s.buyer.client_id),
            total_value: s.buyer.value_in_base.map_or(0.0, minor_to_f64),
        })
        .collect();
    Ok(Pass {
        now,
        model,
        segments,
        scored,
        facts,
    })
}

fn score(buyer: Buyer, customer: Customer, bg: &BgNbd, gg: Option<&GammaGamma>) -> Scored {
    // Per purchase day, as the purchase model counts transactions.
    let own_mean = buyer
        .value_in_base
        .map(|v| minor_to_f64(v) / minor_to_f64(buyer.history.purchase_days.max(1)));
    let order_value = match (gg, own_mean) {
        (Some(gg), Some(mean)) => gg
            .expected_order_value(customer.frequency, mean)
            .or(Some(mean)),
        (_, mean) => mean,
    };
    let clv = order_value
        .map(|v| customers::clv(bg, &customer, v, CLV_MONTHS, MONTH_DAYS, MONTHLY_DISCOUNT));
    // A model output that is not a finite number is unknown: counted as nothing, never NaN.
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    Scored {
        p_alive: finite(bg.p_alive(&customer)),
        e30: finite(bg.expected_purchases(&customer, 30.0)),
        e90: finite(bg.expected_purchases(&customer, 90.0)),
        order_value: order_value.filter(|v| v.is_finite()),
        clv: clv.filter(|v| v.is_finite()),
        buyer,
        customer,
    }
}

/// What an at-risk client would buy in 90 days if still active, times the chance they are gone.
fn stake_at_risk(s: &Scored) -> f64 {
    if s.p_alive <= 0.0 {
        return 0.0;
    }
    s.order_value.unwrap_or(0.0) * s.e90 / s.p_alive * (1.0 - s.p_alive)
}

fn stake_soon(s: &Scored) -> f64 {
    s.order_value.unwrap_or(0.0) * s.e30
}

fn client_score(
    s: &Scored,
    now: chrono::NaiveDateTime,
    names: &HashMap<i64, String>,
    base: &str,
) -> ClientScore {
    let minor = |v: Option<f64>| money(v.and_then(f64_to_minor), base);
    ClientScore {
        client: client_ref(s.buyer.client_id, names),
        segment: s.buyer.rfm.segment.into(),
        purchases: s.buyer.history.sales,
        last_purchase: s.buyer.history.last_at.date(),
        days_since_last_purchase: i32::try_from((now - s.buyer.history.last_at).num_days())
            .unwrap_or(i32::MAX),
        p_alive: s.p_alive,
        expected_purchases_30_days: s.e30,
        expected_purchases_90_days: s.e90,
        expected_order_value: minor(s.order_value),
        clv_12_months: minor(s.clv),
    }
}

pub(super) fn action(a: recommend::Action, names: &HashMap<i64, String>, base: &str) -> Action {
    // Money evidence is shown in major units; the models work in minor units.
    let scale = crate::currency::minor_units(base).map_or(100.0, |d| 10f64.powi(i32::from(d)));
    let evidence = a
        .evidence
        .iter()
        .map(|e| {
            let (kind, value) = match *e {
                AiEvidence::PAlive(v) => (EvidenceKind::PAlive, v),
                AiEvidence::ExpectedPurchases30(v) => (EvidenceKind::ExpectedPurchases30Days, v),
                AiEvidence::ExpectedPurchases90(v) => (EvidenceKind::ExpectedPurchases90Days, v),
                AiEvidence::ExpectedOrderValue(v) => (EvidenceKind::ExpectedOrderValue, v / scale),
                AiEvidence::RepeatPurchases(n) => (EvidenceKind::RepeatPurchases, f64::from(n)),
                AiEvidence::DaysSinceLastPurchase(n) => {
                    (EvidenceKind::DaysSinceLastPurchase, f64::from(n))
                }
                AiEvidence::RecentValue(v) => (EvidenceKind::RecentRevenue, v / scale),
                AiEvidence::PreviousValue(v) => (EvidenceKind::PreviousRevenue, v / scale),
                // The at-risk rule's threshold is an order value; the others are probabilities.
                AiEvidence::Threshold(v) if a.kind == AiActionKind::CallAtRisk => {
                    (EvidenceKind::Threshold, v / scale)
                }
                AiEvidence::Threshold(v) => (EvidenceKind::Threshold, v),
                AiEvidence::Clients(n) => (
                    EvidenceKind::Clients,
                    f64::from(u32::try_from(n).unwrap_or(u32::MAX)),
                ),
            };
            Evidence { kind, value }
        })
        .collect();
    Action {
        kind: match a.kind {
            AiActionKind::CallAtRisk => ActionKind::CallAtRisk,
            AiActionKind::OfferLikelyToBuy => ActionKind::OfferLikelyToBuy,
            AiActionKind::WinBackLapsed => ActionKind::WinBackLapsed,
            AiActionKind::Growing => ActionKind::Growing,
            AiActionKind::Declining => ActionKind::Declining,
            AiActionKind::FocusSegment => ActionKind::FocusSegment,
        },
        client: a.client.map(|id| client_ref(id, names)),
        segment: a.segment.into(),
        value_at_stake: Money::new(f64_to_minor(a.value_at_stake).unwrap_or(0), base),
        evidence,
    }
}
