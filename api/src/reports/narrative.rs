//! The assistant's narrative beside a report's commentary: a few sentences the model writes
//! from the report's facts, checked sentence by sentence against them
//! ([`crm_ai::narrate::gate`]), streamed as they pass, and cached in the report (a job's result
//! or a saved report's snapshot, and so in their exports).
//!
//! The template commentary ([`super::summary`]) always stands: it states the figures. The
//! narrative only adds words where the model's language allows (SmolLM2 writes English only),
//! never as the sole source of a fact. The model reads a compact fact sheet
//! ([`crm_ai::narrate::sheet`]), never raw tables.

use async_graphql::{Enum, SimpleObject};
use chrono::{DateTime, Utc};
use crm_ai::llm::{LlmError, Sampling};
use crm_ai::narrate::check::Checked;
use crm_ai::narrate::gate::Gate;
use crm_ai::narrate::sheet::{self, FactSheet};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::general::GeneralReport;
use super::recommendations::{ActionKind, RecommendationsReport};
use super::summary::{Lang, segment_name};
use super::trends::TrendsReport;
use super::{Granularity, Report, ReportBody, ReportParameters, total_minor};
use crate::app::App;
use crate::assistant::{Assistant, AssistantError, ModelPhase};
use crate::db;
use crate::domain::money::Money;
use crate::error::{ApiError, ApiResult};

/// Most tokens a narrative may take. SmolLM2-135M runs on past the two or three sentences it
/// is asked for; at 120 tokens three of four seeds of a general report left too little after
/// the check, at 160 one of four (bench-llm shows one such run).
pub const MAX_TOKENS: usize = 160;

/// The language a narrative is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Enum)]
pub enum Language {
    En,
    Ru,
}

/// The assistant's words on a report, as checked and stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct Narrative {
    pub language: Language,
    /// The sentences that passed the check, as written; empty when `withheld`.
    pub text: String,
    /// True when too little passed the check to be worth showing: only the template
    /// commentary stands.
    pub withheld: bool,
    /// Sentences dropped for stating a number, date or name the report does not hold.
    pub dropped_sentences: i32,
    /// The model that wrote it (file name, or the remote model's name).
    pub model: String,
    pub written_at: DateTime<Utc>,
}

/// Why no narrative can be written now; the template commentary stands alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Enum)]
pub enum NarrativeUnavailable {
    /// No model is configured (`CRM_MODEL=off`).
    ModelOff,
    /// The model is still downloading or loading, or failed to.
    ModelNotReady,
    /// The model does not write this language (SmolLM2 writes English only).
    LanguageNotSupported,
    /// The model is answering other requests and its queue is full: try again shortly.
    Busy,
    /// The model failed while writing.
    Failed,
}

/// One step of a narrative being written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, SimpleObject)]
pub struct NarrativeEvent {
    /// Checked text to append to what was shown (whole sentences).
    pub delta: String,
    /// On the last event: the narrative as stored. When it is `withheld`, withdraw what was
    /// shown.
    pub narrative: Option<Narrative>,
    /// On the only event when none can be written now.
    pub unavailable: Option<NarrativeUnavailable>,
}

impl NarrativeEvent {
    fn cannot(why: NarrativeUnavailable) -> Self {
        Self {
            delta: String::new(),
            narrative: None,
            unavailable: Some(why),
        }
    }

    fn done(narrative: Narrative) -> Self {
        Self {
            delta: String::new(),
            narrative: Some(narrative),
            unavailable: None,
        }
    }
}

/// Where a report is kept, so its narrative can be cached there.
#[derive(Clone, Copy, Debug)]
pub enum Stored {
    Job { company_id: i64, id: i64 },
    Saved { company_id: i64, id: i64 },
}

/// The narrative of `report` in `language`: the cached one at once, else written now and
/// streamed (the channel closes after the last event). Dropping the receiver stops the model.
pub fn stream(
    app: &std::sync::Arc<App>,
    report: Report,
    stored: Stored,
    language: Language,
) -> mpsc::Receiver<NarrativeEvent> {
    let (tx, rx) = mpsc::channel(16);
    if let Some(cached) = report.narratives.iter().find(|n| n.language == language) {
        // A fresh channel has room for one event.
        let _ = tx.try_send(NarrativeEvent::done(cached.clone()));
        return rx;
    }
    let assistant = &app.assistant;
    if let Err(why) = can_write(assistant, language) {
        let _ = tx.try_send(NarrativeEvent::cannot(why));
        return rx;
    }
    let sheet = fact_sheet(&report);
    let messages = sheet.messages(match language {
        Language::En => sheet::Language::En,
        Language::Ru => sheet::Language::Ru,
    });
    let mut pieces = match assistant.generate(messages, MAX_TOKENS, Sampling::default()) {
        Ok(pieces) => pieces,
        Err(e) => {
            let _ = tx.try_send(NarrativeEvent::cannot(unavailable(&e)));
            return rx;
        }
    };
    let model = assistant.state().model;
    let app = app.clone();
    tokio::spawn(async move {
        let mut gate = Gate::new(sheet.facts().clone());
        while let Some(piece) = pieces.next().await {
            let piece = match piece {
                Ok(piece) => piece,
                Err(e) => {
                    tracing::warn!(error = %e, "the report narrative failed");
                    let _ = tx.send(NarrativeEvent::cannot(unavailable(&e))).await;
                    return;
                }
            };
            let delta = gate.push(&piece);
            if !delta.is_empty()
                && tx
                    .send(NarrativeEvent {
                        delta,
                        narrative: None,
                        unavailable: None,
                    })
                    .await
                    .is_err()
            {
                return; // the reader left: dropping `pieces` stops the model
            }
        }
        let written = narrative(language, &gate.finish(), model);
        // The narrative that stands: another writer's when it was stored first.
        let standing = match store(&app, stored, written.clone()).await {
            Ok(standing) => standing,
            Err(e) => {
                tracing::warn!(error = %e.message(), "could not cache a report narrative");
                written
            }
        };
        let _ = tx.send(NarrativeEvent::done(standing)).await;
    });
    rx
}

pub(crate) fn can_write(
    assistant: &Assistant,
    language: Language,
) -> Result<(), NarrativeUnavailable> {
    match assistant.state().phase {
        ModelPhase::Off => Err(NarrativeUnavailable::ModelOff),
        ModelPhase::Ready => {
            if language == Language::Ru && !assistant.writes_russian() {
                Err(NarrativeUnavailable::LanguageNotSupported)
            } else {
                Ok(())
            }
        }
        ModelPhase::Downloading | ModelPhase::Loading | ModelPhase::Failed => {
            Err(NarrativeUnavailable::ModelNotReady)
        }
    }
}

pub(crate) fn unavailable(e: &AssistantError) -> NarrativeUnavailable {
    match e {
        AssistantError::NotReady(_) => NarrativeUnavailable::ModelNotReady,
        AssistantError::Local(LlmError::Busy { .. }) => NarrativeUnavailable::Busy,
        AssistantError::Local(_) | AssistantError::Remote(_) => NarrativeUnavailable::Failed,
    }
}

/// The narrative as stored, from the final check.
pub fn narrative(language: Language, checked: &Checked, model: String) -> Narrative {
    let withheld = !checked.usable(Checked::MIN_SENTENCES);
    Narrative {
        language,
        text: if withheld {
            String::new()
        } else {
            checked.kept.clone()
        },
        withheld,
        dropped_sentences: i32::try_from(checked.dropped.len()).unwrap_or(i32::MAX),
        model,
        written_at: Utc::now(),
    }
}

/// Adds `narrative` to the stored report, unless one in its language got there first, and
/// returns the one that stands. Two writers never lose each other's narrative (compare and
/// swap, a few rounds).
async fn store(app: &App, stored: Stored, narrative: Narrative) -> ApiResult<Narrative> {
    for _ in 0..4 {
        let mut conn = app.db.write().await?;
        let old = match stored {
            Stored::Job { company_id, id } => db::report_jobs::get(&mut conn, company_id, id)
                .await?
                .and_then(|job| job.result),
            Stored::Saved { company_id, id } => db::saved_reports::get(
                &mut conn,
                company_id,
                db::saved_reports::Visibility::All,
                id,
            )
            .await?
            .map(|row| row.snapshot),
        };
        let Some(old) = old else {
            return Ok(narrative); // deleted meanwhile
        };
        let mut report: Report =
            serde_json::from_str(&old).map_err(|e| ApiError::Internal(e.into()))?;
        if let Some(first) = report
            .narratives
            .iter()
            .find(|n| n.language == narrative.language)
        {
            return Ok(first.clone());
        }
        report.narratives.push(narrative.clone());
        let new = serde_json::to_string(&report).map_err(|e| ApiError::Internal(e.into()))?;
        let replaced = match stored {
            Stored::Job { company_id, id } => {
                db::report_jobs::replace_result(&mut conn, company_id, id, &old, &new).await?
            }
            Stored::Saved { company_id, id } => {
                db::saved_reports::replace_snapshot(&mut conn, company_id, id, &old, &new).await?
            }
        };
        if replaced {
            return Ok(narrative);
        }
    }
    Err(ApiError::Unavailable(anyhow::anyhow!(
        "the report kept changing while its narrative was stored"
    )))
}

/// A money amount in major units.
fn major(m: &Money) -> Option<f64> {
    m.amount.parse().ok()
}

pub(crate) fn add_money(sheet: &mut FactSheet, label: &str, m: &Money) {
    if let Some(v) = major(m) {
        sheet.money(label, v, &m.currency);
    }
}

fn unit(g: Granularity) -> &'static str {
    match g {
        Granularity::Day => "day",
        Granularity::Week => "week",
        Granularity::Month => "month",
    }
}

/// The facts of `report` the model may speak about: its headline figures, not its tables.
pub fn fact_sheet(report: &Report) -> FactSheet {
    let p = &report.parameters;
    match &report.body {
        ReportBody::General(r) => general(p, r),
        ReportBody::Trends(r) => trends(p, r),
        ReportBody::Recommendations(r) => recommendations(p, r),
    }
}

fn general(p: &ReportParameters, r: &GeneralReport) -> FactSheet {
    let mut s = FactSheet::new("general sales report");
    s.period("Period", p.from, p.to);
    let t = &r.totals;
    s.count("Sales", t.sales_count);
    if let Some(m) = &t.revenue_in_base {
        add_money(&mut s, "Revenue", m);
    }
    if let Some(c) = r.change.revenue_percent {
        s.percent("Revenue change on the previous period", c);
    }
    if let Some(c) = r.change.sales_count_percent {
        s.percent("Sales count change on the previous period", c);
    }
    s.count("Buyers", t.buyers);
    s.count("New buyers", t.new_buyers);
    s.count("Returning buyers", t.returning_buyers);
    if let Some(m) = &t.average_order_value {
        add_money(&mut s, "Average order value", m);
    }
    for (i, top) in r.top_clients.iter().take(3).enumerate() {
        let rank = ["Top client", "Second client", "Third client"]
            .get(i)
            .copied()
            .unwrap_or("Client");
        s.name(rank, &top.client.name);
        if let Some(m) = &top.revenue_in_base {
            add_money(&mut s, &format!("{rank} revenue"), m);
        }
    }
    s
}

fn trends(p: &ReportParameters, r: &TrendsReport) -> FactSheet {
    let mut s = FactSheet::new("sales trends report");
    s.period("Period", p.from, p.to);
    let u = unit(p.granularity);
    let full: Vec<_> = r.series.iter().filter(|x| !x.partial).collect();
    s.count(
        &format!("Full {u}s of history"),
        i64::try_from(full.len()).unwrap_or(0),
    );
    if let Some(last) = full.last() {
        s.date(&format!("Last full {u} starts"), last.start);
        if let Some(m) = &last.revenue_in_base {
            add_money(&mut s, &format!("Revenue of the last full {u}"), m);
        }
        if let Some(g) = last.growth_percent {
            s.percent(&format!("Change on the {u} before"), g);
        }
        if let Some(g) = last.growth_on_season_percent {
            s.percent("Change on the same period a season earlier", g);
        }
    }
    if let Some(g) = r.growth_over_range_percent {
        s.percent("Change from the first to the last full period", g);
    }
    let f = &r.forecast;
    if let Some(next) = f.points.first() {
        s.count(
            &format!("Forecast horizon, {u}s"),
            i64::try_from(f.points.len()).unwrap_or(0),
        );
        add_money(&mut s, &format!("Forecast for the next {u}"), &next.value);
        add_money(&mut s, "Its 80% interval, low", &next.lower80);
        add_money(&mut s, "Its 80% interval, high", &next.upper80);
        if let Some(total) = total_minor(f.points.iter().map(|x| x.value.amount_minor)) {
            add_money(
                &mut s,
                "Forecast total over the horizon",
                &Money::new(total, &next.value.currency),
            );
        }
    }
    if let Some(mase) = f.accuracy.as_ref().and_then(|a| a.mase) {
        s.decimal("Forecast error against the naive forecast (MASE)", mase, 2);
    }
    if let Some(strength) = r.seasonal_strength
        && strength >= 0.6
    {
        s.note("Revenue follows a clear season");
    }
    s
}

fn recommendations(p: &ReportParameters, r: &RecommendationsReport) -> FactSheet {
    let mut s = FactSheet::new("sales recommendations report");
    s.period("Period", p.from, p.to);
    s.count("Buyers", r.model.clients);
    s.count("Repeat buyers", r.model.repeat_buyers);
    let at_risk: Vec<_> = r.actions_of(ActionKind::CallAtRisk).collect();
    if let Some(top) = at_risk.first() {
        s.count(
            "Valuable clients at risk of leaving",
            i64::try_from(at_risk.len()).unwrap_or(0),
        );
        if let Some(total) = total_minor(at_risk.iter().map(|a| a.value_at_stake.amount_minor)) {
            add_money(
                &mut s,
                "Value at stake with them",
                &Money::new(total, &top.value_at_stake.currency),
            );
        }
        if let Some(c) = &top.client {
            s.name("Client to call first", &c.name);
        }
        add_money(
            &mut s,
            "Value at stake with that client",
            &top.value_at_stake,
        );
    }
    let likely = r.actions_of(ActionKind::OfferLikelyToBuy).count();
    if likely > 0 {
        s.count(
            "Clients likely to buy in the next 30 days",
            i64::try_from(likely).unwrap_or(0),
        );
    }
    if let Some(focus) = r.actions_of(ActionKind::FocusSegment).next() {
        s.note(&format!(
            "Segment with the most at stake: {}",
            segment_name(focus.segment, Lang::En)
        ));
        add_money(
            &mut s,
            "Value at stake in that segment",
            &focus.value_at_stake,
        );
    }
    s
}
