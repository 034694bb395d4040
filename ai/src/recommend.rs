//! Concrete actions for a sales team, each with the numbers that produced it, ranked by the
//! expected value at stake.
//!
//! The rules read the customer models ([`crate::customers`]) and recent revenue per client:
//! - **Call** a high-value client at risk: P(alive) < 0.5, a repeat buyer whose expected order
//!   value is in the top quarter. At stake: what they would buy in the next 90 days if still
//!   active, times the probability they are gone: v·E[Y(90)]/P(alive)·(1 − P(alive)).
//! - **Offer** to a client likely to buy soon: P(alive) ≥ 0.7 and E[Y(30)] ≥ 0.3. At stake:
//!   v·E[Y(30)].
//! - **Win back** a lapsed client: P(alive) < 0.2 and a repeat buyer. At stake: what they used to
//!   spend per 90 days.
//! - **Growing** / **declining** clients: revenue in the latest window at least 1.5× / at most
//!   half that of the window before, which must hold some revenue (a new client is neither).
//!   At stake: the absolute change.
//! - **Focus** on the RFM segment with the most value at stake in the actions above.
//!
//! v is the Gamma-Gamma expected order value. Thresholds are constants here, stated in each
//! action's evidence, so a reader can check them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::segments::Segment;

/// Everything the rules read about one client. Money in the same unit throughout (the reports
/// pass major units), time in days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClientFacts {
    /// The caller's id, returned in the actions.
    pub client: i64,
    pub segment: Segment,
    /// Repeat purchases (BG/NBD x).
    pub repeat_purchases: u32,
    pub days_since_last_purchase: u32,
    /// Days since the first purchase (BG/NBD T).
    pub days_as_customer: u32,
    pub p_alive: f64,
    pub expected_purchases_30: f64,
    pub expected_purchases_90: f64,
    pub expected_order_value: f64,
    /// Revenue in the latest window and in the window of the same length before it.
    pub recent_value: f64,
    pub previous_value: f64,
    /// Revenue over the client's whole history.
    pub total_value: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ActionKind {
    CallAtRisk,
    OfferLikelyToBuy,
    WinBackLapsed,
    Growing,
    Declining,
    FocusSegment,
}

/// A number behind an action.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Evidence {
    PAlive(f64),
    ExpectedPurchases30(f64),
    ExpectedPurchases90(f64),
    ExpectedOrderValue(f64),
    RepeatPurchases(u32),
    DaysSinceLastPurchase(u32),
    RecentValue(f64),
    PreviousValue(f64),
    /// The rule's threshold that this client passed, e.g. the top-quarter order value.
    Threshold(f64),
    /// For a segment: clients in it with an action, and their total value at stake.
    Clients(usize),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Action {
    pub kind: ActionKind,
    /// The client, for client actions.
    pub client: Option<i64>,
    pub segment: Segment,
    /// Expected value at stake, in the input's money unit.
    pub value_at_stake: f64,
    pub evidence: Vec<Evidence>,
}

pub const AT_RISK_P_ALIVE: f64 = 0.5;
pub const LIKELY_P_ALIVE: f64 = 0.7;
pub const LIKELY_PURCHASES_30: f64 = 0.3;
pub const LAPSED_P_ALIVE: f64 = 0.2;
pub const GROWTH_RATIO: f64 = 1.5;
pub const DECLINE_RATIO: f64 = 0.5;

/// Actions for `clients`, at most `per_kind` of each kind, highest value at stake first.
pub fn recommend(clients: &[ClientFacts], per_kind: usize) -> Vec<Action> {
    let high_value = upper_quartile(
        clients
            .iter()
            .filter(|c| c.repeat_purchases > 0)
            .map(|c| c.expected_order_value),
    );
    let mut actions: Vec<Action> = Vec::new();
    for c in clients {
        let action = |kind, value_at_stake: f64, evidence: Vec<Evidence>| Action {
            kind,
            client: Some(c.client),
            segment: c.segment,
            value_at_stake,
            evidence,
        };
        let v = c.expected_order_value;
        let repeat = c.repeat_purchases > 0;
        if repeat && c.p_alive < LAPSED_P_ALIVE {
            let per_90_days = c.total_value / f64::from(c.days_as_customer.max(90)) * 90.0;
            actions.push(action(
                ActionKind::WinBackLapsed,
                per_90_days,
                vec![
                    Evidence::PAlive(c.p_alive),
                    Evidence::DaysSinceLastPurchase(c.days_since_last_purchase),
                    Evidence::RepeatPurchases(c.repeat_purchases),
                    Evidence::Threshold(LAPSED_P_ALIVE),
                ],
            ));
        } else if repeat
            && c.p_alive < AT_RISK_P_ALIVE
            && high_value.is_some_and(|q| v >= q)
            && c.p_alive > 0.0
        {
            let if_active = v * c.expected_purchases_90 / c.p_alive;
            actions.push(action(
                ActionKind::CallAtRisk,
                if_active * (1.0 - c.p_alive),
                vec![
                    Evidence::PAlive(c.p_alive),
                    Evidence::ExpectedOrderValue(v),
                    Evidence::DaysSinceLastPurchase(c.days_since_last_purchase),
                    Evidence::Threshold(high_value.unwrap_or(0.0)),
                ],
            ));
        }
        if c.p_alive >= LIKELY_P_ALIVE && c.expected_purchases_30 >= LIKELY_PURCHASES_30 {
            actions.push(action(
                ActionKind::OfferLikelyToBuy,
                v * c.expected_purchases_30,
                vec![
                    Evidence::PAlive(c.p_alive),
                    Evidence::ExpectedPurchases30(c.expected_purchases_30),
                    Evidence::ExpectedOrderValue(v),
                ],
            ));
        }
        let change = c.recent_value - c.previous_value;
        let windows = vec![
            Evidence::RecentValue(c.recent_value),
            Evidence::PreviousValue(c.previous_value),
        ];
        // Growth needs something to grow from: a new client is not a growing one.
        if c.previous_value > 0.0 && c.recent_value >= GROWTH_RATIO * c.previous_value {
            actions.push(action(ActionKind::Growing, change, windows));
        } else if c.previous_value > 0.0 && c.recent_value <= DECLINE_RATIO * c.previous_value {
            actions.push(action(ActionKind::Declining, -change, windows));
        }
    }

    // The segment whose at-risk and lapsed clients hold the most value.
    let mut by_segment: BTreeMap<Segment, (usize, f64)> = BTreeMap::new();
    for a in actions.iter().filter(|a| {
        matches!(
            a.kind,
            ActionKind::CallAtRisk | ActionKind::WinBackLapsed | ActionKind::Declining
        )
    }) {
        let entry = by_segment.entry(a.segment).or_default();
        entry.0 += 1;
        entry.1 += a.value_at_stake;
    }
    if let Some((segment, (count, value))) = by_segment
        .into_iter()
        .max_by(|a, b| a.1.1.total_cmp(&b.1.1))
    {
        actions.push(Action {
            kind: ActionKind::FocusSegment,
            client: None,
            segment,
            value_at_stake: value,
            evidence: vec![Evidence::Clients(count)],
        });
    }

    actions.retain(|a| a.value_at_stake.is_finite() && a.value_at_stake > 0.0);
    actions.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.value_at_stake.total_cmp(&a.value_at_stake))
    });
    let mut kept: Vec<Action> = Vec::new();
    let mut count: BTreeMap<ActionKind, usize> = BTreeMap::new();
    for a in actions {
        let n = count.entry(a.kind).or_default();
        if *n < per_kind {
            *n += 1;
            kept.push(a);
        }
    }
    kept.sort_by(|a, b| b.value_at_stake.total_cmp(&a.value_at_stake));
    kept
}

/// The 75th percentile (nearest rank) of `values`; `None` when there are none.
fn upper_quartile(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_unstable_by(f64::total_cmp);
    let rank = (v.len() * 3).div_ceil(4).saturating_sub(1);
    v.get(rank).copied()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    fn client(id: i64) -> ClientFacts {
        ClientFacts {
            client: id,
            segment: Segment::Loyal,
            repeat_purchases: 3,
            days_since_last_purchase: 20,
            days_as_customer: 300,
            p_alive: 0.9,
            expected_purchases_30: 0.1,
            expected_purchases_90: 0.3,
            expected_order_value: 100.0,
            recent_value: 100.0,
            previous_value: 100.0,
            total_value: 400.0,
        }
    }

    #[test]
    fn each_rule_fires_with_its_evidence_and_value() {
        let at_risk = ClientFacts {
            p_alive: 0.4,
            expected_order_value: 500.0,
            expected_purchases_90: 0.2,
            segment: Segment::CantLose,
            ..client(1)
        };
        let likely = ClientFacts {
            expected_purchases_30: 0.6,
            ..client(2)
        };
        let lapsed = ClientFacts {
            p_alive: 0.1,
            total_value: 900.0,
            segment: Segment::Hibernating,
            ..client(3)
        };
        let growing = ClientFacts {
            recent_value: 400.0,
            ..client(4)
        };
        let declining = ClientFacts {
            recent_value: 10.0,
            ..client(5)
        };
        let actions = recommend(
            &[
                at_risk,
                likely,
                lapsed,
                growing,
                declining,
                client(6),
                client(7),
                client(8),
            ],
            10,
        );
        let find = |kind| {
            actions
                .iter()
                .find(|a| a.kind == kind)
                .unwrap_or_else(|| panic!("{kind:?} in {actions:#?}"))
        };
        let call = find(ActionKind::CallAtRisk);
        assert_eq!(call.client, Some(1));
        assert!((call.value_at_stake - 500.0 * 0.2 / 0.4 * 0.6).abs() < 1e-9);
        assert!(call.evidence.contains(&Evidence::PAlive(0.4)));
        assert!((find(ActionKind::OfferLikelyToBuy).value_at_stake - 60.0).abs() < 1e-9);
        assert!((find(ActionKind::WinBackLapsed).value_at_stake - 270.0).abs() < 1e-9);
        assert_eq!(find(ActionKind::Growing).value_at_stake, 300.0);
        assert_eq!(find(ActionKind::Declining).value_at_stake, 90.0);
        let focus = find(ActionKind::FocusSegment);
        assert_eq!(
            (focus.segment, focus.value_at_stake),
            (Segment::Hibernating, 270.0),
            "the lapsed client's segment holds most"
        );
        assert!(
            actions
                .windows(2)
                .all(|w| w[0].value_at_stake >= w[1].value_at_stake),
            "ranked by value"
        );
        assert!(
            actions.iter().all(|a| a.client != Some(6)),
            "a steady, active client needs no action"
        );
        let new = ClientFacts {
            previous_value: 0.0,
            recent_value: 500.0,
            ..client(9)
        };
        assert!(
            recommend(&[new], 10)
                .iter()
                .all(|a| a.kind != ActionKind::Growing),
            "a new client is not growing"
        );
    }

    #[test]
    fn per_kind_limit_keeps_the_largest() {
        let clients: Vec<ClientFacts> = (1..=5)
            .map(|i| ClientFacts {
                recent_value: 100.0 * (i as f64 + 1.0),
                ..client(i)
            })
            .collect();
        let actions = recommend(&clients, 2);
        let growing: Vec<i64> = actions
            .iter()
            .filter(|a| a.kind == ActionKind::Growing)
            .filter_map(|a| a.client)
            .collect();
        assert_eq!(growing, vec![5, 4]);
    }

    #[test]
    fn nobody_means_no_actions() {
        assert!(recommend(&[], 5).is_empty());
    }
}
