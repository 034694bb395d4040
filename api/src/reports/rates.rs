//! The company's exchange rates, looked up by currency and date, and the rates found missing.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::MissingRate;
use crate::db::exchange_rates::ExchangeRate;
use crate::domain::money::{RATE_SCALE, convert};

/// Rates to the base currency, per currency sorted by date.
pub struct Rates {
    base: String,
    by_currency: HashMap<String, Vec<(NaiveDate, i64)>>,
}

impl Rates {
    pub fn new(base: &str, rows: Vec<ExchangeRate>) -> Self {
        let mut by_currency: HashMap<String, Vec<(NaiveDate, i64)>> = HashMap::new();
        for row in rows {
            by_currency
                .entry(row.currency)
                .or_default()
                .push((row.valid_on, row.rate_nanos));
        }
        for list in by_currency.values_mut() {
            list.sort_unstable();
        }
        Self {
            base: base.to_owned(),
            by_currency,
        }
    }

    /// The rate of `currency` in effect on `on`: the latest one dated on or before it.
    pub fn rate(&self, currency: &str, on: NaiveDate) -> Option<i64> {
        if currency == self.base {
            return Some(RATE_SCALE);
        }
        let list = self.by_currency.get(currency)?;
        let i = list.partition_point(|(date, _)| *date <= on);
        list.get(i.checked_sub(1)?).map(|(_, rate)| *rate)
    }

    /// `amount_minor` of `currency` in the base currency's minor units, at the rate in effect on
    /// `on`; records the rate as missing and returns `None` when there is none.
    pub fn to_base(
        &self,
        amount_minor: i64,
        currency: &str,
        on: NaiveDate,
        missing: &mut Missing,
    ) -> Option<i64> {
        // No rate, or a sum too large to convert: either way the figure stays empty, and says why.
        let converted = self
            .rate(currency, on)
            .and_then(|rate| convert(amount_minor, currency, &self.base, rate));
        if converted.is_none() {
            missing.add(currency, on);
        }
        converted
    }

    /// Sums of several currencies in the base currency: `None` if any of them lacks a rate.
    pub fn sum_to_base<'a>(
        &self,
        amounts: impl IntoIterator<Item = (&'a str, i64)>,
        on: NaiveDate,
        missing: &mut Missing,
    ) -> Option<i64> {
        let mut total: Option<i64> = Some(0);
        for (currency, amount) in amounts {
            let converted = self.to_base(amount, currency, on, missing);
            total = match (total, converted) {
                (Some(t), Some(c)) => t.checked_add(c),
                _ => None,
            };
        }
        total
    }
}

/// Currencies found without a rate, with the first date one was needed for.
#[derive(Default)]
pub struct Missing(BTreeMap<String, NaiveDate>);

impl Missing {
    pub fn add(&mut self, currency: &str, on: NaiveDate) {
        let first = self.0.entry(currency.to_owned()).or_insert(on);
        *first = (*first).min(on);
    }

    pub fn into_list(self) -> Vec<MissingRate> {
        self.0
            .into_iter()
            .map(|(currency, on)| MissingRate { currency, on })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
    }

    fn rate(currency: &str, on: NaiveDate, rate_nanos: i64) -> ExchangeRate {
        ExchangeRate {
            id: 0,
            company_id: 1,
            currency: currency.into(),
            valid_on: on,
            rate_nanos,
            created_at: Default::default(),
        }
    }

    #[test]
    fn the_latest_rate_on_or_before_the_date_applies() {
        let rates = Rates::new(
            "RUB",
            vec![
                rate("USD", date(10), 90 * RATE_SCALE),
                rate("USD", date(1), 80 * RATE_SCALE),
            ],
        );
        let mut missing = Missing::default();
        assert_eq!(rates.to_base(100, "RUB", date(1), &mut missing), Some(100));
        assert_eq!(
            rates.to_base(100, "USD", date(5), &mut missing),
            Some(8_000)
        );
        assert_eq!(
            rates.to_base(100, "USD", date(10), &mut missing),
            Some(9_000)
        );
        assert!(missing.into_list().is_empty());
    }

    #[test]
    fn a_missing_rate_empties_the_sum_and_is_listed_once() {
        let rates = Rates::new("RUB", vec![rate("USD", date(10), 90 * RATE_SCALE)]);
        let mut missing = Missing::default();
        assert_eq!(
            rates.sum_to_base([("RUB", 100), ("USD", 1)], date(9), &mut missing),
            None
        );
        assert_eq!(rates.sum_to_base([("EUR", 1)], date(3), &mut missing), None);
        assert_eq!(rates.sum_to_base([("EUR", 1)], date(2), &mut missing), None);
        let list = missing.into_list();
        assert_eq!(
            list,
            vec![
                MissingRate {
                    currency: "EUR".into(),
                    on: date(2)
                },
                MissingRate {
                    currency: "USD".into(),
                    on: date(9)
                },
            ]
        );
    }
}
