//! Tools about clients: one client by name, and the clients the recommendations list (at risk,
//! likely to buy).

use super::*;

pub(super) async fn client(
    app: &Arc<App>,
    company: &Company,
    typed: &str,
    l: Lang,
) -> ApiResult<Reply> {
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
pub(super) enum Listing {
    AtRisk,
    LikelyBuyers,
}

fn evidence(a: &Action, kind: EvidenceKind) -> Option<f64> {
    a.evidence.iter().find(|e| e.kind == kind).map(|e| e.value)
}

pub(super) fn listed(actions: &[Action], which: Listing, n: u32, l: Lang) -> Reply {
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
