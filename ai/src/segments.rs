//! RFM scores and segments, and cohort retention.
//!
//! RFM (recency, frequency, monetary; Hughes 1994, *Strategic Database Marketing*): each client
//! gets a 1–5 score per dimension by quintile of the company's clients (5 is best: most recent,
//! most frequent, highest value), and a named segment from the R×F grid widely used in practice
//! (champions, loyal, potential loyalists, new, promising, need attention, about to sleep,
//! at risk, can't lose, hibernating).
//!
//! Cohorts: clients grouped by the month of their first purchase; retention is the share of a
//! cohort that bought again k months later.

use serde::Serialize;

/// What RFM needs of one client. Money in minor units, time in days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RfmInput {
    pub days_since_last_purchase: u32,
    pub purchases: u32,
    pub value_minor: i64,
}

/// Scores 1..=5 and the segment they place the client in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rfm {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
    pub segment: Segment,
}

/// The R×F segment map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Segment {
    /// Bought recently and often (R 5, F 4–5).
    Champions,
    /// Buy regularly (R 3–4, F 4–5).
    Loyal,
    /// Recent, with a few purchases (R 4–5, F 2–3).
    PotentialLoyalists,
    /// First purchase very recently (R 5, F 1).
    NewCustomers,
    /// Recent first-time buyers (R 4, F 1).
    Promising,
    /// Middle of the road (R 3, F 3).
    NeedAttention,
    /// Fading, few purchases (R 3, F 1–2).
    AboutToSleep,
    /// Bought often, not lately (R 1–2, F 3–4).
    AtRisk,
    /// Best buyers, long gone quiet (R 1–2, F 5).
    CantLose,
    /// Long ago and rarely (R 1–2, F 1–2).
    Hibernating,
}

impl Segment {
    pub const ALL: [Segment; 10] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::PotentialLoyalists,
        Segment::NewCustomers,
        Segment::Promising,
        Segment::NeedAttention,
        Segment::AboutToSleep,
        Segment::AtRisk,
        Segment::CantLose,
        Segment::Hibernating,
    ];

    /// The segment of recency score `r` and frequency score `f` (both 1..=5).
    pub fn of(r: u8, f: u8) -> Segment {
        match r {
            0..=2 => match f {
                0..=2 => Segment::Hibernating,
                3..=4 => Segment::AtRisk,
                _ => Segment::CantLose,
            },
            3 => match f {
                0..=2 => Segment::AboutToSleep,
                3 => Segment::NeedAttention,
                _ => Segment::Loyal,
            },
            4 => match f {
                0..=1 => Segment::Promising,
                2..=3 => Segment::PotentialLoyalists,
                _ => Segment::Loyal,
            },
            _ => match f {
                0..=1 => Segment::NewCustomers,
                2..=3 => Segment::PotentialLoyalists,
                _ => Segment::Champions,
            },
        }
    }
}

/// RFM scores for every client, in input order. Ties get the same score, from their mid-rank
/// percentile: 1 + ⌊5·(worse + equal/2)/n⌋, so equal inputs never land in different quintiles
/// and a company where everyone bought once has them all in the middle, not at the bottom.
pub fn rfm(clients: &[RfmInput]) -> Vec<Rfm> {
    let recency = quintiles(clients, |c| -i64::from(c.days_since_last_purchase));
    let frequency = quintiles(clients, |c| i64::from(c.purchases));
    let monetary = quintiles(clients, |c| c.value_minor);
    recency
        .iter()
        .zip(&frequency)
        .zip(&monetary)
        .map(|((r, f), m)| Rfm {
            recency: *r,
            frequency: *f,
            monetary: *m,
            segment: Segment::of(*r, *f),
        })
        .collect()
}

/// Score 1..=5 per client by the share of clients with a strictly lower `key` (higher is better).
fn quintiles(clients: &[RfmInput], key: impl Fn(&RfmInput) -> i64) -> Vec<u8> {
    let mut sorted: Vec<i64> = clients.iter().map(&key).collect();
    sorted.sort_unstable();
    let n = sorted.len().max(1);
    clients
        .iter()
        .map(|c| {
            let k = key(c);
            let worse = sorted.partition_point(|v| *v < k);
            let equal = sorted.partition_point(|v| *v <= k) - worse;
            // In halves: 2·worse + equal < 2n, so the quotient is 0..=4.
            u8::try_from(1 + 5 * (2 * worse + equal) / (2 * n)).unwrap_or(5)
        })
        .collect()
}

/// One cohort: clients whose first purchase fell in the same month.
#[derive(Clone, Debug, PartialEq)]
pub struct CohortCounts {
    /// Clients in the cohort.
    pub size: u64,
    /// `active[k]`: of them, how many bought in month k after the first (k = 0 is the first
    /// month itself, so `active[0] == size`).
    pub active: Vec<u64>,
}

/// Retention per cohort and month offset, 0..=1, and the size-weighted mean per offset over the
/// cohorts old enough to have that offset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Retention {
    pub cohorts: Vec<Vec<f64>>,
    pub mean: Vec<f64>,
}

pub fn retention(cohorts: &[CohortCounts]) -> Retention {
    let rate = |active: u64, size: u64| {
        if size == 0 {
            0.0
        } else {
            active as f64 / size as f64
        }
    };
    let rates: Vec<Vec<f64>> = cohorts
        .iter()
        .map(|c| c.active.iter().map(|a| rate(*a, c.size)).collect())
        .collect();
    let longest = cohorts.iter().map(|c| c.active.len()).max().unwrap_or(0);
    let mean = (0..longest)
        .map(|k| {
            let (active, size) = cohorts
                .iter()
                .filter_map(|c| c.active.get(k).map(|a| (*a, c.size)))
                .fold((0, 0), |(a, s), (ca, cs)| (a + ca, s + cs));
            rate(active, size)
        })
        .collect();
    Retention {
        cohorts: rates,
        mean,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn every_score_pair_has_a_segment_and_the_corners_are_right() {
        assert_eq!(Segment::of(5, 5), Segment::Champions);
        assert_eq!(Segment::of(1, 5), Segment::CantLose);
        assert_eq!(Segment::of(1, 1), Segment::Hibernating);
        assert_eq!(Segment::of(5, 1), Segment::NewCustomers);
        assert_eq!(Segment::of(4, 1), Segment::Promising);
        assert_eq!(Segment::of(3, 3), Segment::NeedAttention);
        assert_eq!(Segment::of(4, 5), Segment::Loyal);
        assert_eq!(Segment::of(5, 3), Segment::PotentialLoyalists);
        assert_eq!(Segment::of(2, 4), Segment::AtRisk);
        assert_eq!(Segment::of(3, 1), Segment::AboutToSleep);
        let used: std::collections::BTreeSet<Segment> = (1..=5)
            .flat_map(|r| (1..=5).map(move |f| Segment::of(r, f)))
            .collect();
        assert_eq!(used.len(), Segment::ALL.len());
    }

    #[test]
    fn quintiles_rank_and_keep_ties_together() {
        let clients: Vec<RfmInput> = (0..10)
            .map(|i| RfmInput {
                days_since_last_purchase: i * 10,
                purchases: if i < 5 { 1 } else { 7 },
                value_minor: i64::from(i) * 100,
            })
            .collect();
        let scores = rfm(&clients);
        assert_eq!(scores[0].recency, 5, "most recent");
        assert_eq!(scores[9].recency, 1, "least recent");
        assert_eq!(scores[9].monetary, 5);
        assert!(
            scores[..5].iter().all(|s| s.frequency == 2),
            "mid-rank 2.5 of 10: 1 + ⌊1.25⌋"
        );
        assert!(
            scores[5..].iter().all(|s| s.frequency == 4),
            "mid-rank 7.5 of 10: 1 + ⌊3.75⌋"
        );
        let same = rfm(&[clients[0]; 3]);
        assert!(
            same.iter()
                .all(|s| (s.recency, s.frequency, s.monetary) == (3, 3, 3)),
            "all alike: the middle"
        );
    }

    #[test]
    fn retention_is_a_share_of_the_cohort() {
        let r = retention(&[
            CohortCounts {
                size: 10,
                active: vec![10, 5, 2],
            },
            CohortCounts {
                size: 30,
                active: vec![30, 6],
            },
        ]);
        assert_eq!(r.cohorts[0], vec![1.0, 0.5, 0.2]);
        assert_eq!(r.mean, vec![1.0, 11.0 / 40.0, 0.2]);
        assert_eq!(
            retention(&[CohortCounts {
                size: 0,
                active: vec![0]
            }])
            .mean,
            vec![0.0]
        );
    }
}
