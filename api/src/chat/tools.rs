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

fn key_figures(g: &GeneralReport, l: Lang) -> Vec<Figure> {
    let tot = &g.totals;
    let mut out = vec![
        Figure {
            label: t(l, "Revenue", "Выручка"),
            value: money_text(tot.revenue_in_base.as_ref(), l),
        },
        Figure {
            label: t(l, "Sales", "Продажи"),
            value: summary::int(tot.sales_count, l),
        },
        Figure {
            label: t(l, "Average order value", "Средний чек"),
            value: money_text(tot.average_order_value.as_ref(), l),
        },
        Figure {
            label: t(l, "Buyers", "Покупатели"),
            value: summary::int(tot.buyers, l),
        },
        Figure {
            label: t(l, "New buyers", "Новые покупатели"),
            value: summary::int(tot.new_buyers, l),
        },
    ];
    if let Some(c) = g.change.revenue_percent {
        out.push(Figure {
            label: t(
                l,
                "Revenue change on the previous period",
                "Изменение выручки к предыдущему периоду",
            ),
            value: summary::percent(c, l),
        });
    }
    out
}

fn in_language(text: &reports::LocalizedText, l: Lang) -> String {
    match l {
        Lang::En => text.en.clone(),
        Lang::Ru => text.ru.clone(),
    }
}

fn figures((report, g): &(Report, GeneralReport), l: Lang) -> Reply {
    let mut clients = Vec::new();
    if let Some(top) = g.top_clients.first() {
        clients.push(top.client.clone());
    }
    let has_sales = g.totals.sales_count > 0;
    Reply {
        tool: Tool::Figures,
        text: in_language(&report.summary, l),
        facts: Facts {
            period: Some(period_of(&report.parameters)),
            figures: key_figures(g, l),
            clients,
            report: Some(report.parameters.clone()),
            ..Facts::default()
        },
        sheet: has_sales.then(|| narrative::fact_sheet(report)),
    }
}

fn compare(
    (now, g): &(Report, GeneralReport),
    (before, b): &(Report, GeneralReport),
    l: Lang,
) -> Reply {
    let (p, q) = (&now.parameters, &before.parameters);
    let range =
        |x: &ReportParameters| format!("{} – {}", summary::date(x.from, l), summary::date(x.to, l));
    let revenue = |r: &GeneralReport| {
        r.totals
            .revenue_in_base
            .as_ref()
            .map(|m| reports::minor_to_f64(m.amount_minor))
    };
    let change = match (revenue(g), revenue(b)) {
        (Some(a), Some(c)) => reports::change_percent(a, c),
        _ => None,
    };
    let mut text = match l {
        Lang::En => format!(
            "Revenue {}: {} from {} sales; {}: {} from {} sales",
            range(p),
            money_text(g.totals.revenue_in_base.as_ref(), l),
            summary::int(g.totals.sales_count, l),
            range(q),
            money_text(b.totals.revenue_in_base.as_ref(), l),
            summary::int(b.totals.sales_count, l),
        ),
        Lang::Ru => format!(
            "Выручка {}: {}, продаж — {}; {}: {}, продаж — {}",
            range(p),
            money_text(g.totals.revenue_in_base.as_ref(), l),
            summary::int(g.totals.sales_count, l),
            range(q),
            money_text(b.totals.revenue_in_base.as_ref(), l),
            summary::int(b.totals.sales_count, l),
        ),
    };
    match change {
        Some(c) => {
            text.push_str(&format!(
                " ({}).",
                summary::change(c, l, ("the earlier period", "в более раннем периоде"))
            ));
        }
        None => text.push('.'),
    }
    let row = |label: String, a: String, c: String| vec![label, a, c];
    let table = Table {
        columns: vec![t(l, "Figure", "Показатель"), range(p), range(q)],
        rows: vec![
            row(
                t(l, "Revenue", "Выручка"),
                money_text(g.totals.revenue_in_base.as_ref(), l),
                money_text(b.totals.revenue_in_base.as_ref(), l),
            ),
            row(
                t(l, "Sales", "Продажи"),
                summary::int(g.totals.sales_count, l),
                summary::int(b.totals.sales_count, l),
            ),
            row(
                t(l, "Average order value", "Средний чек"),
                money_text(g.totals.average_order_value.as_ref(), l),
                money_text(b.totals.average_order_value.as_ref(), l),
            ),
            row(
                t(l, "Buyers", "Покупатели"),
                summary::int(g.totals.buyers, l),
                summary::int(b.totals.buyers, l),
            ),
        ],
        client_ids: Vec::new(),
    };
    let mut sheet = FactSheet::new("comparison of two periods");
    sheet.period("Period", p.from, p.to);
    sheet.count("Sales in the period", g.totals.sales_count);
    if let Some(m) = &g.totals.revenue_in_base {
        narrative::add_money(&mut sheet, "Revenue in the period", m);
    }
    sheet.period("Earlier period", q.from, q.to);
    sheet.count("Sales in the earlier period", b.totals.sales_count);
    if let Some(m) = &b.totals.revenue_in_base {
        narrative::add_money(&mut sheet, "Revenue in the earlier period", m);
    }
    if let Some(c) = change {
        sheet.percent("Revenue change", c);
    }
    let any = g.totals.sales_count + b.totals.sales_count > 0;
    Reply {
        tool: Tool::Compare,
        text,
        facts: Facts {
            period: Some(period_of(p)),
            compared_with: Some(period_of(q)),
            figures: Vec::new(),
            table: Some(table),
            ..Facts::default()
        },
        sheet: any.then_some(sheet),
    }
}

fn top_clients((report, g): &(Report, GeneralReport), n: u32, l: Lang) -> Reply {
    let p = &report.parameters;
    let n = usize::try_from(n).unwrap_or(usize::MAX).max(1);
    let shown: Vec<_> = g.top_clients.iter().take(n).collect();
    let range = format!("{} – {}", summary::date(p.from, l), summary::date(p.to, l));
    let mut text = if shown.is_empty() {
        match l {
            Lang::En => format!("No client bought anything {range}."),
            Lang::Ru => format!("{range}: покупок не было."),
        }
    } else {
        let list = shown
            .iter()
            .enumerate()
            .map(|(i, c)| {
                format!(
                    "{}. {} — {}",
                    i + 1,
                    c.client.name,
                    money_text(c.revenue_in_base.as_ref(), l)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        match l {
            Lang::En => format!("Top clients by revenue, {range}: {list}."),
            Lang::Ru => format!("Лучшие клиенты по выручке, {range}: {list}."),
        }
    };
    if n > crate::reports::general::TOP_CLIENTS
        && shown.len() == crate::reports::general::TOP_CLIENTS
    {
        text.push_str(&match l {
            Lang::En => format!(
                " (I list at most {}.)",
                crate::reports::general::TOP_CLIENTS
            ),
            Lang::Ru => format!(
                " (Я показываю не больше {}.)",
                crate::reports::general::TOP_CLIENTS
            ),
        });
    }
    let table = Table {
        columns: vec![
            t(l, "Client", "Клиент"),
            t(l, "Revenue", "Выручка"),
            t(l, "Sales", "Продажи"),
        ],
        rows: shown
            .iter()
            .map(|c| {
                vec![
                    c.client.name.clone(),
                    money_text(c.revenue_in_base.as_ref(), l),
                    summary::int(c.sales_count, l),
                ]
            })
            .collect(),
        client_ids: shown.iter().map(|c| c.client.id.clone()).collect(),
    };
    let mut sheet = FactSheet::new("top clients");
    sheet.period("Period", p.from, p.to);
    for (i, c) in shown.iter().take(5).enumerate() {
        let label = format!("Client {}", i + 1);
        sheet.name(&label, &c.client.name);
        if let Some(m) = &c.revenue_in_base {
            narrative::add_money(&mut sheet, &format!("{label} revenue"), m);
        }
        sheet.count(&format!("{label} sales"), c.sales_count);
    }
    Reply {
        tool: Tool::TopClients,
        text,
        facts: Facts {
            period: Some(period_of(p)),
            table: Some(table),
            clients: shown.iter().map(|c| c.client.clone()).collect(),
            report: Some(p.clone()),
            ..Facts::default()
        },
        sheet: (!shown.is_empty()).then_some(sheet),
    }
}

async fn client(app: &Arc<App>, company: &Company, typed: &str, l: Lang) -> ApiResult<Reply> {
    let (id, found) = match find_client(app, company, typed, l).await? {
        Ok(found) => found,
        Err(reply) => return Ok(reply),
    };
    let Some(analytics) = scores::client(&app.db, company.id, id).await? else {
        return unscored(app, company, id, found, l).await;
    };
    let s = &analytics.score;
    let figures = vec![
        Figure {
            label: t(l, "Purchases", "Покупки"),
            value: summary::int(s.purchases, l),
        },
        Figure {
            label: t(l, "Last purchase", "Последняя покупка"),
            value: summary::date(s.last_purchase, l),
        },
        Figure {
            label: t(
                l,
                "Chance of still buying",
                "Вероятность, что клиент активен",
            ),
            value: summary::percent(s.p_alive * 100.0, l),
        },
        Figure {
            label: t(
                l,
                "Expected purchases, 90 days",
                "Ожидаемые покупки, 90 дней",
            ),
            value: summary::decimal(s.expected_purchases_90_days, 1, l),
        },
        Figure {
            label: t(
                l,
                "Value over 12 months (CLV)",
                "Ценность на 12 месяцев (CLV)",
            ),
            value: money_text(s.clv_12_months.as_ref(), l),
        },
    ];
    let mut sheet = FactSheet::new("client summary");
    sheet.name("Client", &s.client.name);
    sheet.count("Purchases", s.purchases);
    sheet.date("Last purchase", s.last_purchase);
    sheet.share("Chance of still buying", s.p_alive);
    sheet.decimal(
        "Expected purchases in 90 days",
        s.expected_purchases_90_days,
        1,
    );
    if let Some(m) = &s.clv_12_months {
        narrative::add_money(&mut sheet, "Value over the next 12 months", m);
    }
    Ok(Reply {
        tool: Tool::Client,
        text: in_language(&analytics.note, l),
        facts: Facts {
            figures,
            clients: vec![s.client.clone()],
            ..Facts::default()
        },
        sheet: Some(sheet),
    })
}

/// A client the customer models give no scores for: none of its purchases count yet, or the
/// company has too little history to fit the models. Its purchases and the last one, then.
async fn unscored(
    app: &Arc<App>,
    company: &Company,
    id: i64,
    found: ClientRef,
    l: Lang,
) -> ApiResult<Reply> {
    let mut conn = app.db.read().await?;
    let row = crate::db::clients::get(&mut conn, company.id, id).await?;
    drop(conn);
    let purchases = row.as_ref().map_or(0, |c| c.sales_count);
    let last = row
        .as_ref()
        .and_then(|c| c.last_purchase_at)
        .map(|at| at.and_utc().with_timezone(&company.time_zone).date_naive());
    let name = &found.name;
    let (text, figures, sheet) = match last {
        Some(last) if purchases > 0 => {
            let count = match l {
                Lang::En => summary::en_plural(purchases, "purchase", "purchases"),
                Lang::Ru => summary::ru_plural(purchases, ["покупка", "покупки", "покупок"]),
            };
            let day = summary::date(last, l);
            let text = match l {
                Lang::En => format!(
                    "{name}: {count}, the last on {day}. The purchase model has too little \
                     history yet to say whether they will buy again."
                ),
                Lang::Ru => format!(
                    "{name}: всего {count}, последняя — {day}. Истории покупок пока мало, \
                     чтобы оценить, купит ли клиент снова."
                ),
            };
            let figures = vec![
                Figure {
                    label: t(l, "Purchases", "Покупки"),
                    value: summary::int(purchases, l),
                },
                Figure {
                    label: t(l, "Last purchase", "Последняя покупка"),
                    value: day,
                },
            ];
            let mut sheet = FactSheet::new("client summary");
            sheet.name("Client", name);
            sheet.count("Purchases", purchases);
            sheet.date("Last purchase", last);
            (text, figures, Some(sheet))
        }
        _ => (
            match l {
                Lang::En => format!("{name} has no completed purchase yet."),
                Lang::Ru => format!("У клиента {name} пока нет завершённых покупок."),
            },
            Vec::new(),
            None,
        ),
    };
    Ok(Reply {
        tool: Tool::Client,
        text,
        facts: Facts {
            figures,
            clients: vec![found],
            ..Facts::default()
        },
        sheet,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Listing {
    AtRisk,
    LikelyBuyers,
}

fn evidence(a: &Action, kind: EvidenceKind) -> Option<f64> {
    a.evidence.iter().find(|e| e.kind == kind).map(|e| e.value)
}

fn listed(actions: &[Action], which: Listing, n: u32, l: Lang) -> Reply {
    let kinds: &[ActionKind] = match which {
        Listing::AtRisk => &[ActionKind::CallAtRisk, ActionKind::WinBackLapsed],
        Listing::LikelyBuyers => &[ActionKind::OfferLikelyToBuy],
    };
    let n = usize::try_from(n).unwrap_or(usize::MAX).max(1);
    let chosen: Vec<(&Action, &ClientRef)> = actions
        .iter()
        .filter(|a| kinds.contains(&a.kind))
        .filter_map(|a| a.client.as_ref().map(|c| (a, c)))
        .take(n)
        .collect();
    let (tool, heading, none) = match which {
        Listing::AtRisk => (
            Tool::AtRisk,
            t(
                l,
                "Clients at risk of leaving, by value at stake",
                "Клиенты под угрозой ухода, по сумме под риском",
            ),
            t(
                l,
                "No valuable client looks at risk of leaving now.",
                "Сейчас ни один ценный клиент не выглядит уходящим.",
            ),
        ),
        Listing::LikelyBuyers => (
            Tool::LikelyBuyers,
            t(
                l,
                "Clients likely to buy soon, by expected value",
                "Клиенты, которые, вероятно, скоро купят, по ожидаемой сумме",
            ),
            t(
                l,
                "No client stands out as likely to buy soon.",
                "Сейчас нет клиентов, которые явно скоро купят.",
            ),
        ),
    };
    let detail = |a: &Action| match which {
        Listing::AtRisk => evidence(a, EvidenceKind::PAlive).map(|p| match l {
            Lang::En => format!("{} chance of still buying", summary::percent(p * 100.0, l)),
            Lang::Ru => format!("вероятность активности {}", summary::percent(p * 100.0, l)),
        }),
        Listing::LikelyBuyers => {
            evidence(a, EvidenceKind::ExpectedPurchases30Days).map(|e| match l {
                Lang::En => format!(
                    "{} purchases expected in 30 days",
                    summary::decimal(e, 1, l)
                ),
                Lang::Ru => format!(
                    "ожидается покупок за 30 дней: {}",
                    summary::decimal(e, 1, l)
                ),
            })
        }
    };
    let text = if chosen.is_empty() {
        none
    } else {
        let list = chosen
            .iter()
            .enumerate()
            .map(|(i, (a, c))| {
                let mut item = format!(
                    "{}. {} — {}",
                    i + 1,
                    c.name,
                    summary::money(&a.value_at_stake, l)
                );
                if let Some(d) = detail(a) {
                    item.push_str(&format!(" ({d})"));
                }
                item
            })
            .collect::<Vec<_>>()
            .join("; ");
        format!("{heading}: {list}.")
    };
    let table = Table {
        columns: vec![
            t(l, "Client", "Клиент"),
            t(l, "Value at stake", "Сумма под риском"),
            match which {
                Listing::AtRisk => t(l, "Chance of still buying", "Вероятность активности"),
                Listing::LikelyBuyers => t(
                    l,
                    "Expected purchases, 30 days",
                    "Ожидаемые покупки, 30 дней",
                ),
            },
        ],
        rows: chosen
            .iter()
            .map(|(a, c)| {
                vec![
                    c.name.clone(),
                    summary::money(&a.value_at_stake, l),
                    match which {
                        Listing::AtRisk => evidence(a, EvidenceKind::PAlive)
                            .map(|p| summary::percent(p * 100.0, l)),
                        Listing::LikelyBuyers => evidence(a, EvidenceKind::ExpectedPurchases30Days)
                            .map(|e| summary::decimal(e, 1, l)),
                    }
                    .unwrap_or_else(|| "—".to_owned()),
                ]
            })
            .collect(),
        client_ids: chosen.iter().map(|(_, c)| c.id.clone()).collect(),
    };
    let mut sheet = FactSheet::new(match which {
        Listing::AtRisk => "clients at risk of leaving",
        Listing::LikelyBuyers => "clients likely to buy soon",
    });
    for (i, (a, c)) in chosen.iter().take(5).enumerate() {
        let label = format!("Client {}", i + 1);
        sheet.name(&label, &c.name);
        narrative::add_money(
            &mut sheet,
            &format!("{label} value at stake"),
            &a.value_at_stake,
        );
        if let Some(p) = evidence(a, EvidenceKind::PAlive) {
            sheet.share(&format!("{label} chance of still buying"), p);
        }
    }
    Reply {
        tool,
        text,
        facts: Facts {
            table: (!chosen.is_empty()).then_some(table),
            clients: chosen.iter().map(|(_, c)| (*c).clone()).collect(),
            ..Facts::default()
        },
        sheet: (!chosen.is_empty()).then_some(sheet),
    }
}

/// History a forecast is fitted on, and its granularity, for a horizon.
fn forecast_parameters(h: Horizon, today: NaiveDate) -> ReportParameters {
    let (granularity, count, from) = match h.unit {
        // Beyond the longest horizon in days, weeks.
        Unit::Day if h.count > 36 => (
            Granularity::Week,
            h.count.div_ceil(7),
            today - TimeDelta::weeks(104),
        ),
        Unit::Day => (Granularity::Day, h.count, today - TimeDelta::days(182)),
        Unit::Week => (Granularity::Week, h.count, today - TimeDelta::weeks(104)),
        Unit::Month => (
            Granularity::Month,
            h.count,
            today
                .with_day(1)
                .and_then(|d| d.checked_sub_months(Months::new(36)))
                .unwrap_or(today),
        ),
    };
    let horizon = i32::try_from(count)
        .unwrap_or(reports::MAX_HORIZON)
        .clamp(1, reports::MAX_HORIZON);
    ReportParameters {
        kind: ReportKind::Trends,
        from,
        to: today,
        granularity,
        filters: Filters::default(),
        horizon,
    }
}

async fn forecast(
    app: &Arc<App>,
    company: &Company,
    h: Horizon,
    today: NaiveDate,
    l: Lang,
) -> ApiResult<Reply> {
    let report = reports::run(&app.db, company.id, forecast_parameters(h, today)).await?;
    let ReportBody::Trends(trends) = &report.body else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "a trends report came back as another kind"
        )));
    };
    let points = &trends.forecast.points;
    let table = Table {
        columns: vec![
            t(l, "Period from", "Период с"),
            t(l, "Forecast", "Прогноз"),
            t(l, "80% interval", "Интервал 80%"),
        ],
        rows: points
            .iter()
            .map(|p| {
                vec![
                    summary::date(p.start, l),
                    summary::money(&p.value, l),
                    format!(
                        "{} – {}",
                        summary::money(&p.lower80, l),
                        summary::money(&p.upper80, l)
                    ),
                ]
            })
            .collect(),
        client_ids: Vec::new(),
    };
    let mut figures = Vec::new();
    if let Some(acc) = &trends.forecast.accuracy
        && let Some(mase) = acc.mase
    {
        figures.push(Figure {
            label: t(
                l,
                "Backtest MASE (below 1 beats naive)",
                "MASE на истории (меньше 1 — лучше наивного)",
            ),
            value: summary::decimal(mase, 2, l),
        });
    }
    let has_forecast = !points.is_empty();
    Ok(Reply {
        tool: Tool::Forecast,
        text: in_language(&report.summary, l),
        facts: Facts {
            period: Some(period_of(&report.parameters)),
            figures,
            table: has_forecast.then_some(table),
            report: Some(report.parameters.clone()),
            ..Facts::default()
        },
        sheet: has_forecast.then(|| narrative::fact_sheet(&report)),
    })
}

fn whole_report(report: Report, l: Lang) -> Reply {
    let (figures, clients) = match &report.body {
        ReportBody::General(g) => (
            key_figures(g, l),
            g.top_clients
                .iter()
                .take(3)
                .map(|c| c.client.clone())
                .collect(),
        ),
        ReportBody::Trends(_) => (Vec::new(), Vec::new()),
        ReportBody::Recommendations(r) => (
            Vec::new(),
            r.actions
                .iter()
                .filter_map(|a| a.client.clone())
                .take(5)
                .collect(),
        ),
    };
    Reply {
        tool: Tool::Report,
        text: in_language(&report.summary, l),
        facts: Facts {
            period: Some(period_of(&report.parameters)),
            figures,
            clients,
            report: Some(report.parameters.clone()),
            ..Facts::default()
        },
        sheet: Some(narrative::fact_sheet(&report)),
    }
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
