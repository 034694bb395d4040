//! The generated clients and sales, the same for the GraphQL and the COPY loads.

use super::*;

pub(super) fn client_external_id(i: usize) -> String {
    format!("c{i}")
}

pub(super) fn client_name(i: usize) -> String {
    // Zero-padded so the name order is the numeric order.
    format!("Client {i:05}")
}

pub(super) fn client_email(i: usize) -> String {
    format!("client{i}@example.com")
}

/// One generated sale; its external id is `s<index>`.
pub(super) struct SaleRow {
    /// Index of the client, 0..CLIENTS.
    pub(super) client: usize,
    pub(super) amount_minor: i64,
    pub(super) sold_at: NaiveDateTime,
}

/// The same sales on every run (fixed seed); dates are relative to `now`.
pub(super) fn generate_sales(n: usize, now: NaiveDateTime) -> Vec<SaleRow> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let history_secs = HISTORY_DAYS * 24 * 3600;
    (0..n)
        .map(|_| SaleRow {
            client: rng.random_range(0..CLIENTS),
            amount_minor: rng.random_range(100..10_000_000),
            sold_at: now - TimeDelta::seconds(rng.random_range(0..history_secs)),
        })
        .collect()
}
