//! A year of regular buying up to today, for tests of the customer models and the screens
//! that show them. 40 clients with external ids `c0`..`c39`: fortnightly buyers (`i % 4 == 0`,
//! still active), buyers who stopped in the first months (1: lapsed or at risk), occasional
//! buyers (2: every 45 days from day 100), and one-off buyers (3). Deterministic but for
//! today's date.

use chrono::{Days, NaiveDate};
use serde_json::{Value, json};

/// Clients of [`year_of_sales`].
pub const CLIENTS: u64 = 40;

/// The sales as `SaleUpsertInput` rows (RUB, completed, at 09:00 UTC), for clients `c0`..`c39`.
pub fn year_of_sales(today: NaiveDate) -> Vec<Value> {
    let mut sales = Vec::new();
    for i in 0..CLIENTS {
        let (gap, count, start) = match i % 4 {
            0 => (14, 26, 5),
            1 => (10, 8, 0),
            2 => (45, 4, 100),
            _ => (0, 1, 200),
        };
        for k in 0..count {
            let back = 364u64.saturating_sub(start + k * gap + i % 7);
            let day = today - Days::new(back);
            sales.push(json!({
                "externalId": format!("s{i}-{k}"), "clientExternalId": format!("c{i}"),
                "amountMinor": (500 + 37 * i) * 100, "currency": "RUB",
                "soldAt": format!("{day}T09:00:00Z"), "status": "COMPLETED"
            }));
        }
    }
    sales
}
