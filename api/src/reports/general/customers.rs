//! The general report's customer parts: RFM scores and segments of every buyer, and monthly
//! cohort retention.

use super::*;

/// Before any sale the API accepts (`validate::check_year`).
const BEGINNING: NaiveDateTime = NaiveDateTime::new(
    match NaiveDate::from_ymd_opt(1900, 1, 1) {
        Some(d) => d,
        None => NaiveDate::MIN,
    },
    chrono::NaiveTime::MIN,
);

/// One buyer's history up to the report's end, with their RFM scores.
pub(in crate::reports) struct Buyer {
    pub client_id: i64,
    pub history: figures::ClientHistory,
    pub value_in_base: Option<i64>,
    pub rfm: segments::Rfm,
}

/// RFM scores of every buyer up to `until`, and the per-segment figures.
pub(in crate::reports) async fn rfm_segments(
    conn: &mut DbConn,
    company: &Company,
    until: NaiveDateTime,
    on: NaiveDate,
    filter: &Filter,
    rates: &Rates,
    missing: &mut Missing,
) -> ApiResult<(Vec<SegmentFigures>, Vec<Buyer>)> {
    let histories = figures::client_histories(conn, company.id, until, filter).await?;
    let all_time = Bounds {
        start: BEGINNING,
        end: until,
    };
    let values = revenue_by_client(conn, company, all_time, filter, rates, on, missing).await?;
    let inputs: Vec<RfmInput> = histories
        .iter()
        .map(|h| RfmInput {
            days_since_last_purchase: u32::try_from((until - h.last_at).num_days()).unwrap_or(0),
            purchases: u32::try_from(h.sales).unwrap_or(u32::MAX),
            value_minor: values
                .get(&h.client_id)
                .and_then(|v| v.in_base)
                .unwrap_or(0),
        })
        .collect();
    let scores = segments::rfm(&inputs);
    let buyers: Vec<Buyer> = histories
        .into_iter()
        .zip(scores)
        .map(|(history, rfm)| Buyer {
            client_id: history.client_id,
            value_in_base: values.get(&history.client_id).and_then(|v| v.in_base),
            history,
            rfm,
        })
        .collect();
    let mut by_segment: BTreeMap<RfmSegment, (i64, Option<i64>)> = BTreeMap::new();
    for b in &buyers {
        let entry = by_segment
            .entry(b.rfm.segment.into())
            .or_insert((0, Some(0)));
        entry.0 += 1;
        entry.1 = match (entry.1, b.value_in_base) {
            (Some(a), Some(v)) => a.checked_add(v),
            _ => None,
        };
    }
    let figures = by_segment
        .into_iter()
        .map(|(segment, (clients, value))| SegmentFigures {
            segment,
            clients,
            revenue_in_base: money(value, &company.base_currency),
        })
        .collect();
    Ok((figures, buyers))
}

pub(super) async fn cohorts(
    conn: &mut DbConn,
    company: &Company,
    from: NaiveDate,
    to: NaiveDate,
    filter: &Filter,
) -> ApiResult<(Vec<Cohort>, Vec<f64>)> {
    let months =
        periods::cut(company.time_zone, from, to, Granularity::Month).map_err(bad_range)?;
    let bounds: Vec<Bounds> = months.iter().map(|p| p.bounds).collect();
    let cells = figures::cohorts(conn, company.id, &bounds, filter).await?;
    let mut counts: Vec<CohortCounts> = Vec::new();
    let mut starts: Vec<NaiveDate> = Vec::new();
    for (c, month) in months.iter().enumerate() {
        let c = i64::try_from(c).unwrap_or(i64::MAX);
        let row: Vec<&figures::CohortCell> = cells.iter().filter(|cell| cell.cohort == c).collect();
        let Some(size) = row
            .iter()
            .find(|cell| cell.idx == c)
            .map(|cell| cell.buyers)
        else {
            continue;
        };
        let offsets = i64::try_from(months.len()).unwrap_or(0) - c;
        let active = (0..offsets)
            .map(|k| {
                row.iter()
                    .find(|cell| cell.idx == c + k)
                    .map_or(0, |cell| u64::try_from(cell.buyers).unwrap_or(0))
            })
            .collect();
        counts.push(CohortCounts {
            size: u64::try_from(size).unwrap_or(0),
            active,
        });
        starts.push(month.start);
    }
    let retention = segments::retention(&counts);
    let cohorts = starts
        .into_iter()
        .zip(&counts)
        .zip(retention.cohorts)
        .map(|((month, c), retention)| Cohort {
            month,
            clients: i64::try_from(c.size).unwrap_or(i64::MAX),
            retention,
        })
        .collect();
    Ok((cohorts, retention.mean))
}
