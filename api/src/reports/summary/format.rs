//! Numbers, money, dates and plural forms written the way a reader of each language expects:
//! Russian plural forms by the CLDR rules (one / few / many), grouped digits (1,240,000.50 and
//! 1 240 000,50), money after the number in Russian (1 240 000,00 ₽), month names.

use chrono::{Datelike, NaiveDate};

use crate::domain::money::Money;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    Ru,
}

/// The CLDR plural category of `n` in Russian: 1, 21 → one; 2–4, 22 → few; else many.
pub(super) fn ru_form(n: i64) -> usize {
    let (ten, hundred) = (n.rem_euclid(10), n.rem_euclid(100));
    if ten == 1 && hundred != 11 {
        0
    } else if (2..=4).contains(&ten) && !(12..=14).contains(&hundred) {
        1
    } else {
        2
    }
}

/// `n` with the right Russian form: `ru_plural(5, ["продажа", "продажи", "продаж"])`.
pub fn ru_plural(n: i64, forms: [&str; 3]) -> String {
    let form = forms.get(ru_form(n)).copied().unwrap_or_default();
    format!("{} {form}", int(n, Lang::Ru))
}

pub(crate) fn en_plural(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", int(n, Lang::En), if n == 1 { one } else { many })
}

/// Digits grouped by three: 1,240,000 (en) and 1 240 000 with no-break spaces (ru).
fn group(digits: &str, lang: Lang) -> String {
    let separator = if lang == Lang::En { ',' } else { '\u{a0}' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

pub(crate) fn int(n: i64, lang: Lang) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group(&n.unsigned_abs().to_string(), lang))
}

pub(crate) fn money(m: &Money, lang: Lang) -> String {
    let (sign, digits) = m
        .amount
        .strip_prefix('-')
        .map_or(("", m.amount.as_str()), |d| ("-", d));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut number = format!("{sign}{}", group(whole, lang));
    if !fraction.is_empty() {
        number.push(if lang == Lang::En { '.' } else { ',' });
        number.push_str(fraction);
    }
    match (lang, m.currency.as_str()) {
        (Lang::Ru, "RUB") => format!("{number}\u{a0}₽"),
        _ => format!("{number}\u{a0}{}", m.currency),
    }
}

pub(crate) fn decimal(v: f64, digits: usize, lang: Lang) -> String {
    let text = format!("{:.digits$}", v.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if v < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        "-"
    } else {
        ""
    };
    let mut out = format!("{sign}{}", group(whole, lang));
    if !fraction.is_empty() {
        out.push(if lang == Lang::En { '.' } else { ',' });
        out.push_str(fraction);
    }
    out
}

pub(crate) fn percent(v: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{}%", decimal(v, 1, lang)),
        Lang::Ru => format!("{}\u{a0}%", decimal(v, 1, lang)),
    }
}

const RU_MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(crate) fn date(d: NaiveDate, lang: Lang) -> String {
    let month = usize::try_from(d.month0()).unwrap_or(0);
    let name = match lang {
        Lang::En => EN_MONTHS.get(month),
        Lang::Ru => RU_MONTHS.get(month),
    };
    format!(
        "{} {} {}",
        d.day(),
        name.copied().unwrap_or_default(),
        d.year()
    )
}

/// "up 12.5% on the previous period" / "на 12,5 % больше, чем в предыдущем периоде".
pub(crate) fn change(v: f64, lang: Lang, against: (&str, &str)) -> String {
    let size = percent(v.abs(), lang);
    match (lang, v >= 0.0) {
        (Lang::En, true) => format!("up {size} on {}", against.0),
        (Lang::En, false) => format!("down {size} on {}", against.0),
        (Lang::Ru, true) => format!("на {size} больше, чем {}", against.1),
        (Lang::Ru, false) => format!("на {size} меньше, чем {}", against.1),
    }
}
