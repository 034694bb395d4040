//! A report as headed tables, in English or Russian. The first table is the report's main one
//! (what a CSV export holds); the others become further sheets of an XLSX export.

use super::{Cell, Lang, Table};
use crate::currency;
use crate::domain::SaleStatus;
use crate::domain::money::Money;
use crate::reports::general::{GeneralReport, RfmSegment, SegmentFigures};
use crate::reports::recommendations::{
    ActionKind, ClientScore, EvidenceKind, RecommendationsReport,
};
use crate::reports::trends::TrendsReport;
use crate::reports::{Report, ReportBody};

fn money(m: &Money) -> Cell {
    Cell::Money {
        minor: m.amount_minor,
        digits: currency::minor_units(&m.currency).unwrap_or(2),
    }
}

fn opt_money(m: Option<&Money>) -> Cell {
    m.map_or(Cell::Empty, money)
}

fn opt_float(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Float)
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn headings(lang: Lang, pairs: &[(&'static str, &'static str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(en, ru)| lang.pick(en, ru).to_owned())
        .collect()
}

fn table(
    title: (&'static str, &'static str),
    lang: Lang,
    columns: &[(&'static str, &'static str)],
    rows: Vec<Vec<Cell>>,
) -> Table {
    Table {
        title: lang.pick(title.0, title.1).to_owned(),
        headings: headings(lang, columns),
        rows,
        chart: None,
    }
}

/// The report's tables, main one first.
pub fn tables(report: &Report, lang: Lang) -> Vec<Table> {
    match &report.body {
        ReportBody::General(g) => general(g, lang),
        ReportBody::Trends(t) => trends(t, lang),
        ReportBody::Recommendations(r) => recommendations(r, lang),
    }
}

fn status_name(s: SaleStatus, lang: Lang) -> &'static str {
    match s {
        SaleStatus::Completed => lang.pick("completed", "завершена"),
        SaleStatus::Pending => lang.pick("pending", "ожидает"),
        SaleStatus::Cancelled => lang.pick("cancelled", "отменена"),
        SaleStatus::Refunded => lang.pick("refunded", "возврат"),
    }
}

fn yes(v: bool, lang: Lang) -> Cell {
    text(if v {
        lang.pick("yes", "да")
    } else {
        lang.pick("no", "нет")
    })
}

pub fn segment_name(s: RfmSegment, lang: Lang) -> &'static str {
    match s {
        RfmSegment::Champions => lang.pick("Champions", "Чемпионы"),
        RfmSegment::Loyal => lang.pick("Loyal", "Лояльные"),
        RfmSegment::PotentialLoyalists => lang.pick("Potential loyalists", "Потенциально лояльные"),
        RfmSegment::NewCustomers => lang.pick("New customers", "Новые"),
        RfmSegment::Promising => lang.pick("Promising", "Перспективные"),
        RfmSegment::NeedAttention => lang.pick("Need attention", "Требуют внимания"),
        RfmSegment::AboutToSleep => lang.pick("About to sleep", "Засыпающие"),
        RfmSegment::AtRisk => lang.pick("At risk", "Под угрозой ухода"),
        RfmSegment::CantLose => lang.pick("Can't lose", "Нельзя потерять"),
        RfmSegment::Hibernating => lang.pick("Hibernating", "Спящие"),
    }
}

fn segments(list: &[SegmentFigures], lang: Lang) -> Table {
    let rows = list
        .iter()
        .map(|s| {
            vec![
                text(segment_name(s.segment, lang)),
                Cell::Int(s.clients),
                opt_money(s.revenue_in_base.as_ref()),
            ]
        })
        .collect();
    table(
        ("Segments", "Сегменты"),
        lang,
        &[
            ("Segment", "Сегмент"),
            ("Clients", "Клиенты"),
            ("Revenue", "Выручка"),
        ],
        rows,
    )
}

fn general(g: &GeneralReport, lang: Lang) -> Vec<Table> {
    let periods = g
        .periods
        .iter()
        .map(|p| {
            let f = &p.figures;
            vec![
                Cell::Date(p.start),
                Cell::Int(f.sales_count),
                opt_money(f.revenue_in_base.as_ref()),
                Cell::Int(f.buyers),
                Cell::Int(f.new_buyers),
                Cell::Int(f.returning_buyers),
                opt_money(f.average_order_value.as_ref()),
            ]
        })
        .collect();
    let mut main = table(
        ("Periods", "Периоды"),
        lang,
        &[
            ("Period", "Период"),
            ("Sales", "Продажи"),
            ("Revenue", "Выручка"),
            ("Buyers", "Покупатели"),
            ("New buyers", "Новые покупатели"),
            ("Returning buyers", "Повторные покупатели"),
            ("Average order value", "Средний чек"),
        ],
        periods,
    );
    main.chart = Some(vec![2]);

    let top = g
        .top_clients
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.client.name.clone()),
                Cell::Int(c.sales_count),
                opt_money(c.revenue_in_base.as_ref()),
            ]
        })
        .collect();
    let top = table(
        ("Top clients", "Лучшие клиенты"),
        lang,
        &[
            ("Client", "Клиент"),
            ("Sales", "Продажи"),
            ("Revenue", "Выручка"),
        ],
        top,
    );

    let mut by_status = Vec::new();
    for s in &g.by_status {
        for amount in &s.amounts {
            by_status.push(vec![
                text(status_name(s.status, lang)),
                Cell::Int(s.sales_count),
                text(&amount.currency),
                money(amount),
                yes(s.counted, lang),
            ]);
        }
    }
    let by_status = table(
        ("By status", "По статусам"),
        lang,
        &[
            ("Status", "Статус"),
            ("Sales", "Продажи"),
            ("Currency", "Валюта"),
            ("Amount", "Сумма"),
            ("Counted", "Учитывается"),
        ],
        by_status,
    );

    let by_currency = g
        .by_currency
        .iter()
        .map(|c| {
            vec![
                text(&c.currency),
                Cell::Int(c.sales_count),
                money(&c.revenue),
                opt_money(c.revenue_in_base.as_ref()),
                c.share_percent.map_or(Cell::Empty, Cell::Percent),
            ]
        })
        .collect();
    let by_currency = table(
        ("By currency", "По валютам"),
        lang,
        &[
            ("Currency", "Валюта"),
            ("Sales", "Продажи"),
            ("Revenue", "Выручка"),
            ("In base currency", "В базовой валюте"),
            ("Share", "Доля"),
        ],
        by_currency,
    );

    let longest = g
        .cohorts
        .iter()
        .map(|c| c.retention.len())
        .max()
        .unwrap_or(0);
    let mut cohort_headings = vec![
        lang.pick("Cohort", "Когорта").to_owned(),
        lang.pick("Clients", "Клиенты").to_owned(),
    ];
    cohort_headings.extend((0..longest).map(|k| format!("{} {k}", lang.pick("Month", "Месяц"))));
    let cohort_rows = g
        .cohorts
        .iter()
        .map(|c| {
            let mut row = vec![Cell::Date(c.month), Cell::Int(c.clients)];
            row.extend(c.retention.iter().map(|r| Cell::Percent(r * 100.0)));
            row
        })
        .collect();
    let cohorts = Table {
        title: lang.pick("Cohorts", "Когорты").to_owned(),
        headings: cohort_headings,
        rows: cohort_rows,
        chart: None,
    };

    vec![
        main,
        top,
        by_status,
        by_currency,
        segments(&g.segments, lang),
        cohorts,
    ]
}

fn trends(t: &TrendsReport, lang: Lang) -> Vec<Table> {
    let mut rows: Vec<Vec<Cell>> = t
        .series
        .iter()
        .map(|p| {
            vec![
                Cell::Date(p.start),
                text(lang.pick("actual", "факт")),
                Cell::Int(p.sales_count),
                opt_money(p.revenue_in_base.as_ref()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                p.growth_percent.map_or(Cell::Empty, Cell::Percent),
                p.growth_on_season_percent
                    .map_or(Cell::Empty, Cell::Percent),
            ]
        })
        .collect();
    rows.extend(t.forecast.points.iter().map(|p| {
        vec![
            Cell::Date(p.start),
            text(lang.pick("forecast", "прогноз")),
            Cell::Empty,
            money(&p.value),
            money(&p.lower80),
            money(&p.upper80),
            money(&p.lower95),
            money(&p.upper95),
            Cell::Empty,
            Cell::Empty,
        ]
    }));
    let mut main = table(
        ("Revenue", "Выручка"),
        lang,
        &[
            ("Period", "Период"),
            ("Type", "Тип"),
            ("Sales", "Продажи"),
            ("Revenue", "Выручка"),
            ("Lower 80%", "Нижняя 80%"),
            ("Upper 80%", "Верхняя 80%"),
            ("Lower 95%", "Нижняя 95%"),
            ("Upper 95%", "Верхняя 95%"),
            ("Growth", "Рост"),
            ("Growth on season", "Рост к прошлому сезону"),
        ],
        rows,
    );
    main.chart = Some(vec![3, 4, 5]);
    let accuracy = t.forecast.accuracy.as_ref();
    let model = vec![
        vec![
            text(lang.pick("Method", "Метод")),
            Cell::Text(format!("{:?}", t.forecast.method)),
        ],
        vec![
            text(lang.pick("Model", "Модель")),
            t.forecast.model.as_deref().map_or(Cell::Empty, text),
        ],
        vec![text("MASE"), opt_float(accuracy.and_then(|a| a.mase))],
        vec![
            text(lang.pick("Seasonal naive MASE", "MASE сезонного наивного")),
            opt_float(accuracy.and_then(|a| a.baseline_mase)),
        ],
        vec![
            text(lang.pick("80% interval coverage", "Покрытие 80% интервала")),
            accuracy.map_or(Cell::Empty, |a| Cell::Percent(a.coverage80 * 100.0)),
        ],
        vec![
            text(lang.pick("95% interval coverage", "Покрытие 95% интервала")),
            accuracy.map_or(Cell::Empty, |a| Cell::Percent(a.coverage95 * 100.0)),
        ],
        vec![
            text(lang.pick("Season length", "Длина сезона")),
            Cell::Int(i64::from(t.season_length)),
        ],
        vec![
            text(lang.pick("Seasonal strength", "Сила сезонности")),
            opt_float(t.seasonal_strength),
        ],
    ];
    let model = table(
        ("Forecast", "Прогноз"),
        lang,
        &[("Measure", "Показатель"), ("Value", "Значение")],
        model,
    );
    vec![main, model]
}

fn action_name(k: ActionKind, lang: Lang) -> &'static str {
    match k {
        ActionKind::CallAtRisk => lang.pick(
            "Call: valuable client at risk",
            "Позвонить: ценный клиент под угрозой ухода",
        ),
        ActionKind::OfferLikelyToBuy => {
            lang.pick("Offer: likely to buy soon", "Предложить: скоро купит")
        }
        ActionKind::WinBackLapsed => {
            lang.pick("Win back: lapsed client", "Вернуть: ушедший клиент")
        }
        ActionKind::Growing => lang.pick("Growing client", "Растущий клиент"),
        ActionKind::Declining => lang.pick("Declining client", "Клиент сокращает покупки"),
        ActionKind::FocusSegment => lang.pick("Focus on segment", "Сосредоточиться на сегменте"),
    }
}

fn evidence_name(k: EvidenceKind, lang: Lang) -> &'static str {
    match k {
        EvidenceKind::PAlive => lang.pick("P(alive)", "P(активен)"),
        EvidenceKind::ExpectedPurchases30Days => {
            lang.pick("purchases in 30 days", "покупок за 30 дней")
        }
        EvidenceKind::ExpectedPurchases90Days => {
            lang.pick("purchases in 90 days", "покупок за 90 дней")
        }
        EvidenceKind::ExpectedOrderValue => lang.pick("expected order value", "ожидаемый чек"),
        EvidenceKind::RepeatPurchases => lang.pick("repeat purchases", "повторных покупок"),
        EvidenceKind::DaysSinceLastPurchase => {
            lang.pick("days since last purchase", "дней с последней покупки")
        }
        EvidenceKind::RecentRevenue => lang.pick("revenue, last 90 days", "выручка за 90 дней"),
        EvidenceKind::PreviousRevenue => {
            lang.pick("revenue, 90 days before", "выручка за предыдущие 90 дней")
        }
        EvidenceKind::Threshold => lang.pick("threshold", "порог"),
        EvidenceKind::Clients => lang.pick("clients", "клиентов"),
    }
}

/// A count without decimals, anything else with three, in the language's decimal sign.
fn number(v: f64, lang: Lang) -> String {
    let text = if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    };
    if lang == Lang::Ru {
        text.replace('.', ",")
    } else {
        text
    }
}

fn scores(title: (&'static str, &'static str), list: &[ClientScore], lang: Lang) -> Table {
    let rows = list
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.client.name.clone()),
                text(segment_name(c.segment, lang)),
                Cell::Int(c.purchases),
                Cell::Date(c.last_purchase),
                Cell::Int(i64::from(c.days_since_last_purchase)),
                Cell::Percent(c.p_alive * 100.0),
                Cell::Float(c.expected_purchases_30_days),
                Cell::Float(c.expected_purchases_90_days),
                opt_money(c.expected_order_value.as_ref()),
                opt_money(c.clv_12_months.as_ref()),
            ]
        })
        .collect();
    table(
        title,
        lang,
        &[
            ("Client", "Клиент"),
            ("Segment", "Сегмент"),
            ("Purchases", "Покупки"),
            ("Last purchase", "Последняя покупка"),
            ("Days since", "Дней прошло"),
            ("P(alive)", "P(активен)"),
            ("Expected purchases, 30 days", "Ожидаемые покупки, 30 дней"),
            ("Expected purchases, 90 days", "Ожидаемые покупки, 90 дней"),
            ("Expected order value", "Ожидаемый чек"),
            ("CLV, 12 months", "CLV, 12 месяцев"),
        ],
        rows,
    )
}

fn recommendations(r: &RecommendationsReport, lang: Lang) -> Vec<Table> {
    let actions = r
        .actions
        .iter()
        .map(|a| {
            let evidence: Vec<String> = a
                .evidence
                .iter()
                .map(|e| format!("{} {}", evidence_name(e.kind, lang), number(e.value, lang)))
                .collect();
            vec![
                text(action_name(a.kind, lang)),
                a.client
                    .as_ref()
                    .map_or(Cell::Empty, |c| Cell::Text(c.name.clone())),
                text(segment_name(a.segment, lang)),
                money(&a.value_at_stake),
                Cell::Text(evidence.join("; ")),
            ]
        })
        .collect();
    let actions = table(
        ("Actions", "Действия"),
        lang,
        &[
            ("Action", "Действие"),
            ("Client", "Клиент"),
            ("Segment", "Сегмент"),
            ("Value at stake", "На кону"),
            ("Evidence", "Основания"),
        ],
        actions,
    );
    let mut segment_table = segments(&r.segments, lang);
    segment_table.chart = Some(vec![1]);
    vec![
        actions,
        scores(("At risk", "Под угрозой ухода"), &r.at_risk, lang),
        scores(("Likely to buy", "Скоро купят"), &r.likely_to_buy, lang),
        segment_table,
    ]
}
