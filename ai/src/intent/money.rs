//! Currencies ("€", "usd", "рублей") and amount bounds ("over 1000", "от 500 до 2000", "under
//! $300", "больше 10 000 рублей") in a question's tokens.

use super::text::{Tok, word_in};

/// What a question says about money.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Money {
    /// ISO 4217 code.
    pub currency: Option<&'static str>,
    /// Hundredths of a major unit, inclusive.
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// Currency words by ISO code; stems end with `*`.
const CURRENCIES: &[(&str, &str)] = &[
    ("EUR", "eur euro euros евро"),
    ("USD", "usd dollar* buck bucks доллар* бакс*"),
    ("RUB", "rub rur руб р рубл* ruble* rouble*"),
    ("GBP", "gbp pound pounds sterling фунт*"),
    ("CNY", "cny yuan юан*"),
    ("JPY", "jpy yen иен*"),
    ("CHF", "chf franc francs франк*"),
    ("KZT", "kzt tenge тенге"),
    ("UAH", "uah hryvnia гривн*"),
    ("BYN", "byn"),
];

fn currency_of(t: &Tok) -> Option<&'static str> {
    if let Some(c) = t.sign() {
        return match c {
            '€' => Some("EUR"),
            '$' => Some("USD"),
            '₽' => Some("RUB"),
            '£' => Some("GBP"),
            '¥' => Some("CNY"),
            '₸' => Some("KZT"),
            '₴' => Some("UAH"),
            _ => None,
        };
    }
    let w = t.word()?;
    CURRENCIES
        .iter()
        .find(|(_, words)| word_in(w, words, false))
        .map(|(code, _)| *code)
}

fn scale_of(t: &Tok) -> Option<f64> {
    let w = t.word()?;
    if word_in(w, "k к тыс thousand thousands тысяч*", false) {
        Some(1e3)
    } else if word_in(w, "mln млн million millions миллион*", false) {
        Some(1e6)
    } else if word_in(w, "bn млрд billion billions миллиард*", false) {
        Some(1e9)
    } else {
        None
    }
}

/// A currency word or sign, or a scale word: not a year's neighbour.
pub(super) fn is_money_word(t: &Tok) -> bool {
    currency_of(t).is_some() || scale_of(t).is_some()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    Min,
    Max,
    /// "between": a min that needs a max.
    Between,
}

/// Reads the amounts and currencies in `toks` and marks their tokens used.
pub(super) fn take_money(toks: &mut [Tok]) -> Money {
    let mut money = Money::default();
    let mut i = 0;
    while i < toks.len() {
        let Some((bound, j)) = comparator(toks, i) else {
            i += 1;
            continue;
        };
        let Some((value, currency, end)) = amount(toks, j) else {
            i += 1;
            continue;
        };
        let mut last = end;
        money.currency = money.currency.or(currency);
        match bound {
            Bound::Min | Bound::Between => {
                money.min = Some(value);
                let link = toks.get(end).is_some_and(|t| {
                    !t.used
                        && (t
                            .word()
                            .is_some_and(|w| word_in(w, "to до and и по", false))
                            || t.sign().is_some_and(|c| "-–—".contains(c)))
                });
                if link && let Some((max, currency, end2)) = amount(toks, end + 1) {
                    money.max = Some(max);
                    money.currency = money.currency.or(currency);
                    last = end2;
                }
            }
            Bound::Max => money.max = Some(value),
        }
        for t in toks.iter_mut().take(last).skip(i) {
            t.used = true;
        }
        i = last;
    }
    for t in toks.iter_mut().filter(|t| !t.used) {
        if let Some(code) = currency_of(t) {
            money.currency = money.currency.or(Some(code));
            t.used = true;
        }
    }
    money
}

/// A comparator at `i` ("over", "more than", "не менее", ">=") and where its amount starts.
fn comparator(toks: &[Tok], i: usize) -> Option<(Bound, usize)> {
    let t = toks.get(i).filter(|t| !t.used)?;
    let word = |k: usize| toks.get(k).filter(|t| !t.used).and_then(Tok::word);
    if let Some(c) = t.sign() {
        let bound = match c {
            '>' | '≥' => Bound::Min,
            '<' | '≤' => Bound::Max,
            _ => return None,
        };
        let j = if toks.get(i + 1).and_then(Tok::sign) == Some('=') {
            i + 2
        } else {
            i + 1
        };
        return Some((bound, j));
    }
    let w = t.word()?;
    let negated = w == "не";
    let (w, mut j) = if negated {
        (word(i + 1)?, i + 2)
    } else {
        (w, i + 1)
    };
    let mut bound = if word_in(
        w,
        "over above больше более свыше выше from от min minimum минимум exceeding",
        false,
    ) {
        Bound::Min
    } else if word_in(
        w,
        "under below меньше менее ниже до max maximum максимум",
        false,
    ) {
        Bound::Max
    } else if word_in(w, "between", false) {
        Bound::Between
    } else if word_in(w, "more greater higher bigger larger", false) && word(j) == Some("than") {
        j += 1;
        Bound::Min
    } else if word_in(w, "less fewer lower smaller", false) && word(j) == Some("than") {
        j += 1;
        Bound::Max
    } else if w == "at" && word(j) == Some("least") {
        j += 1;
        Bound::Min
    } else if (w == "at" && word(j) == Some("most")) || (w == "up" && word(j) == Some("to")) {
        j += 1;
        Bound::Max
    } else if w == "no"
        && word(j).is_some_and(|w| word_in(w, "more less", false))
        && word(j + 1) == Some("than")
    {
        let b = if word(j) == Some("more") {
            Bound::Max
        } else {
            Bound::Min
        };
        j += 2;
        b
    } else {
        return None;
    };
    if negated {
        bound = match bound {
            Bound::Min => Bound::Max,
            Bound::Max => Bound::Min,
            Bound::Between => return None,
        };
    }
    if word(j).is_some_and(|w| word_in(w, "than чем", false)) {
        j += 1;
    }
    Some((bound, j))
}

/// An amount at `i` ("$300", "5k", "10 000 рублей", "1,5 млн ₽"): hundredths, its currency,
/// where it ends.
fn amount(toks: &[Tok], i: usize) -> Option<(i64, Option<&'static str>, usize)> {
    let free = |k: usize| toks.get(k).filter(|t| !t.used);
    let mut j = i;
    let mut currency = free(j).and_then(currency_of);
    if currency.is_some() {
        j += 1;
    }
    let mut value = free(j)?.num()?.value;
    j += 1;
    if let Some(scale) = free(j).and_then(scale_of) {
        value *= scale;
        j += 1;
    }
    if let Some(code) = free(j).and_then(currency_of) {
        currency = currency.or(Some(code));
        j += 1;
    }
    Some(((value * 100.0).round() as i64, currency, j))
}
