//! Tools over a general report: the key figures of a period, two periods compared, the top
//! clients.

use super::*;

pub(super) fn key_figures(g: &GeneralReport, l: Lang) -> Vec<Figure> {
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

pub(super) fn in_language(text: &reports::LocalizedText, l: Lang) -> String {
    match l {
        Lang::En => text.en.clone(),
        Lang::Ru => text.ru.clone(),
    }
}

pub(super) fn figures((report, g): &(Report, GeneralReport), l: Lang) -> Reply {
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

pub(super) fn compare(
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

pub(super) fn top_clients((report, g): &(Report, GeneralReport), n: u32, l: Lang) -> Reply {
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
