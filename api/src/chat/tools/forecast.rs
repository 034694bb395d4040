//! Tools that forecast or show a whole report.

use super::*;

/// History a forecast is fitted on, and its granularity, for a horizon.
pub(super) fn forecast_parameters(h: Horizon, today: NaiveDate) -> ReportParameters {
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

pub(super) async fn forecast(
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

pub(super) fn whole_report(report: Report, l: Lang) -> Reply {
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
