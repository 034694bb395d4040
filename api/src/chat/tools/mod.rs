//! The assistant's tools: each intent `crm_ai::intent` recognises, answered from
//! `crate::reports` for the asker's company, as a template answer in the question's language
//! with the [`Facts`] it used and the fact sheet the model may speak from.
//!
//! Every tool reads through the same functions GraphQL uses, with the company id taken from
//! the asker's principal: another company's clients and sales are never read.

use std::sync::Arc;

use async_graphql::ID;
use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use crm_ai::intent::names::{ClientMatch, match_client};
use crm_ai::intent::{self, Horizon, Intent, Period, Recognised, ReportType, Unit};
use crm_ai::narrate::sheet::FactSheet;

use super::{FactPeriod, Facts, Figure, Table, Tool};
use crate::app::App;
use crate::domain::money::{MinorUnits, Money};
use crate::error::{ApiError, ApiResult};
use crate::reports::general::GeneralReport;
use crate::reports::recommendations::{Action, ActionKind, EvidenceKind};
use crate::reports::summary::{self, Lang};
use crate::reports::{
    self, ClientRef, Company, Filters, Granularity, Report, ReportBody, ReportKind,
    ReportParameters, narrative, scores,
};

mod clients;
mod figures;
mod forecast;

use clients::{Listing, client, listed};
use figures::{compare, figures, in_language, key_figures, top_clients};
#[cfg(test)]
use forecast::forecast_parameters;
use forecast::{forecast, whole_report};

/// Most clients a typed name is matched against (the company's first, by id).
pub const MAX_NAMES: i64 = 100_000;

/// A tool's answer.
pub(crate) struct Reply {
    pub tool: Tool,
    /// The template answer, in the question's language.
    pub text: String,
    pub facts: Facts,
    /// What the model may speak from; `None` when the answer needs no narrative.
    pub sheet: Option<FactSheet>,
}

fn lang(r: &Recognised) -> Lang {
    match r.language {
        intent::Language::En => Lang::En,
        intent::Language::Ru => Lang::Ru,
    }
}

fn t(lang: Lang, en: &str, ru: &str) -> String {
    match lang {
        Lang::En => en.to_owned(),
        Lang::Ru => ru.to_owned(),
    }
}

/// Three questions the assistant answers, in `lang`.
pub(crate) fn examples(lang: Lang) -> Vec<String> {
    match lang {
        Lang::En => vec![
            "How much did we sell last month?".to_owned(),
            "Top 5 clients this year".to_owned(),
            "Which clients are at risk of leaving?".to_owned(),
        ],
        Lang::Ru => vec![
            "Сколько мы продали в прошлом месяце?".to_owned(),
            "Топ-5 клиентов с начала года".to_owned(),
            "Какие клиенты могут уйти?".to_owned(),
        ],
    }
}

/// Runs the tool `recognised` names for `company`, whose local date is `today`.
///
/// # Errors
/// What the reports return: UNAVAILABLE or INTERNAL from the database, BAD_USER_INPUT for a
/// range the reports refuse (too many periods).
pub(crate) async fn run(
    app: &Arc<App>,
    company: &Company,
    recognised: &Recognised,
    today: NaiveDate,
) -> ApiResult<Reply> {
    let l = lang(recognised);
    match &recognised.intent {
        Intent::Help => Ok(help(l)),
        Intent::OutOfScope => Ok(out_of_scope(l)),
        Intent::Figures { period, filters } => {
            let filters = match resolve(app, company, filters, l).await? {
                Ok(f) => f,
                Err(reply) => return Ok(reply),
            };
            let report = general(app, company, *period, filters).await?;
            Ok(figures(&report, l))
        }
        Intent::Compare {
            period,
            against,
            filters,
        } => {
            let filters = match resolve(app, company, filters, l).await? {
                Ok(f) => f,
                Err(reply) => return Ok(reply),
            };
            let now = general(app, company, *period, filters.clone()).await?;
            let against = match against {
                Some(p) => *p,
                None => {
                    let (from, to) = reports::periods::previous(period.from, period.to)
                        .ok_or_else(|| ApiError::bad_input("question", "no earlier period"))?;
                    Period { from, to }
                }
            };
            let before = general(app, company, against, filters).await?;
            Ok(compare(&now, &before, l))
        }
        Intent::TopClients { period, n, filters } => {
            let filters = match resolve(app, company, filters, l).await? {
                Ok(f) => f,
                Err(reply) => return Ok(reply),
            };
            let report = general(app, company, *period, filters).await?;
            Ok(top_clients(&report, *n, l))
        }
        Intent::Client { name } => client(app, company, name, l).await,
        Intent::AtRisk { n } => {
            let actions = scores::top_actions(&app.db, company.id, scores::MAX_ACTIONS).await?;
            Ok(listed(&actions, Listing::AtRisk, *n, l))
        }
        Intent::LikelyBuyers { n } => {
            let actions = scores::top_actions(&app.db, company.id, scores::MAX_ACTIONS).await?;
            Ok(listed(&actions, Listing::LikelyBuyers, *n, l))
        }
        Intent::Forecast { horizon } => forecast(app, company, *horizon, today, l).await,
        Intent::Report { kind, period } => {
            let kind = match kind {
                ReportType::General => ReportKind::General,
                ReportType::Trends => ReportKind::Trends,
                ReportType::Recommendations => ReportKind::Recommendations,
            };
            let report = reports::run(&app.db, company.id, parameters(kind, *period, 3)).await?;
            Ok(whole_report(report, l))
        }
    }
}

fn help(l: Lang) -> Reply {
    Reply {
        tool: Tool::Help,
        text: t(
            l,
            "I answer questions about your sales data: figures for a period, comparisons of two \
             periods, top clients, one client's summary, clients at risk, likely buyers, revenue \
             forecasts and whole reports. For example:",
            "Я отвечаю на вопросы о ваших продажах: показатели за период, сравнение периодов, \
             лучшие клиенты, сводка по клиенту, клиенты под угрозой ухода, вероятные покупатели, \
             прогноз выручки и отчёты целиком. Например:",
        ),
        facts: Facts {
            examples: examples(l),
            ..Facts::default()
        },
        sheet: None,
    }
}

fn out_of_scope(l: Lang) -> Reply {
    Reply {
        tool: Tool::OutOfScope,
        text: t(
            l,
            "I can only answer questions about your sales data. Try one of these:",
            "Я могу отвечать только на вопросы о ваших данных о продажах. Попробуйте так:",
        ),
        facts: Facts {
            examples: examples(l),
            ..Facts::default()
        },
        sheet: None,
    }
}

/// A day range's granularity: days up to two months, weeks up to two years, else months.
fn granularity_for(p: Period) -> Granularity {
    let days = (p.to - p.from).num_days();
    if days <= 62 {
        Granularity::Day
    } else if days <= 730 {
        Granularity::Week
    } else {
        Granularity::Month
    }
}

fn parameters(kind: ReportKind, p: Period, horizon: i32) -> ReportParameters {
    ReportParameters {
        kind,
        from: p.from,
        to: p.to,
        granularity: granularity_for(p),
        filters: Filters::default(),
        horizon,
    }
}

async fn general(
    app: &Arc<App>,
    company: &Company,
    p: Period,
    filters: Filters,
) -> ApiResult<(Report, GeneralReport)> {
    let mut params = parameters(ReportKind::General, p, 1);
    params.filters = filters;
    let report = reports::run(&app.db, company.id, params).await?;
    match &report.body {
        ReportBody::General(g) => {
            let g = g.clone();
            Ok((report, g))
        }
        _ => Err(ApiError::internal(anyhow::anyhow!(
            "a general report came back as another kind"
        ))),
    }
}

/// A typed amount (hundredths of a major unit) in minor units of `currency`.
fn minor(hundredths: i64, currency: &str) -> i64 {
    match crate::currency::minor_units(currency).unwrap_or(2) {
        0 => hundredths / 100,
        1 => hundredths / 10,
        2 => hundredths,
        3 => hundredths.saturating_mul(10),
        _ => hundredths.saturating_mul(100),
    }
}

/// The question's filters in the reports' form; `Err(reply)` when its client name matched
/// none or several clients (the reply says so).
async fn resolve(
    app: &Arc<App>,
    company: &Company,
    f: &intent::Filters,
    l: Lang,
) -> ApiResult<Result<Filters, Reply>> {
    let mut out = Filters {
        currency: f.currency.clone(),
        ..Filters::default()
    };
    let currency = f.currency.as_deref().unwrap_or(&company.base_currency);
    out.amount_min = f.amount_min.map(|a| MinorUnits(minor(a, currency)));
    out.amount_max = f.amount_max.map(|a| MinorUnits(minor(a, currency)));
    if let Some(name) = &f.client {
        match find_client(app, company, name, l).await? {
            Ok((_, c)) => out.client_ids.push(c.id),
            Err(reply) => return Ok(Err(reply)),
        }
    }
    Ok(Ok(out))
}

/// The one client `typed` names (its id and reference), or the reply that lists the candidates or says none matched.
async fn find_client(
    app: &Arc<App>,
    company: &Company,
    typed: &str,
    l: Lang,
) -> ApiResult<Result<(i64, ClientRef), Reply>> {
    let mut conn = app.db.read().await?;
    let clients = crate::db::clients::names(&mut conn, company.id, MAX_NAMES).await?;
    drop(conn);
    let names: Vec<&str> = clients.iter().map(|(_, n)| n.as_str()).collect();
    let refs = |i: &usize| {
        clients.get(*i).map(|(id, name)| ClientRef {
            id: ID(id.to_string()),
            name: name.clone(),
        })
    };
    match match_client(typed, &names) {
        ClientMatch::One(i) => match clients.get(i).zip(refs(&i)) {
            Some(((id, _), c)) => Ok(Ok((*id, c))),
            None => Ok(Err(no_client(typed, l))),
        },
        ClientMatch::Ambiguous(found) => {
            let candidates: Vec<ClientRef> = found.iter().filter_map(refs).collect();
            Ok(Err(Reply {
                tool: Tool::ChooseClient,
                text: match l {
                    Lang::En => format!("Several clients match “{typed}”. Which one do you mean?"),
                    Lang::Ru => {
                        format!("Под «{typed}» подходят несколько клиентов. Кого вы имеете в виду?")
                    }
                },
                facts: Facts {
                    candidates,
                    ..Facts::default()
                },
                sheet: None,
            }))
        }
        ClientMatch::None => Ok(Err(no_client(typed, l))),
    }
}

fn no_client(typed: &str, l: Lang) -> Reply {
    Reply {
        tool: Tool::ChooseClient,
        text: match l {
            Lang::En => format!("I found no client named “{typed}”."),
            Lang::Ru => format!("Клиента «{typed}» я не нашёл."),
        },
        facts: Facts {
            examples: examples(l),
            ..Facts::default()
        },
        sheet: None,
    }
}

fn period_of(p: &ReportParameters) -> FactPeriod {
    FactPeriod {
        from: p.from,
        to: p.to,
    }
}

fn money_text(m: Option<&Money>, l: Lang) -> String {
    m.map_or_else(|| "—".to_owned(), |m| summary::money(m, l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn granularity_grows_with_the_range() {
        let p = |a, b| Period { from: a, to: b };
        assert_eq!(
            granularity_for(p(day(2026, 11, 1), day(2026, 11, 30))),
            Granularity::Day
        );
        assert_eq!(
            granularity_for(p(day(2026, 1, 1), day(2026, 11, 30))),
            Granularity::Week
        );
        assert_eq!(
            granularity_for(p(day(2023, 1, 1), day(2026, 11, 30))),
            Granularity::Month
        );
    }

    #[test]
    fn typed_amounts_follow_the_currency_exponent() {
        assert_eq!(minor(100_000, "EUR"), 100_000);
        assert_eq!(minor(100_000, "JPY"), 1_000);
        assert_eq!(minor(100_000, "KWD"), 1_000_000);
    }

    #[test]
    fn long_day_horizons_become_weeks() {
        let today = day(2026, 11, 30);
        let p = forecast_parameters(
            Horizon {
                count: 90,
                unit: Unit::Day,
            },
            today,
        );
        assert_eq!((p.granularity, p.horizon), (Granularity::Week, 13));
        let p = forecast_parameters(
            Horizon {
                count: 3,
                unit: Unit::Month,
            },
            today,
        );
        assert_eq!(
            (p.granularity, p.horizon, p.from),
            (Granularity::Month, 3, day(2023, 11, 1))
        );
    }
}
