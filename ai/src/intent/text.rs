//! A question as tokens (words, numbers, dates, signs, quoted strings) and the word comparisons
//! every other part uses: lower case with ё as е, a stem with a few ending letters, one typo.

use chrono::NaiveDate;

/// Keys of at least this many letters also match with one edit (a typo).
const TYPO_MIN: usize = 5;
/// Letters a stem key ("выручк*") may be followed by: Russian endings are at most four.
const MAX_ENDING: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Num {
    /// The value, a scale applied ("5k" is 5000, "12,5" is 12.5).
    pub value: f64,
    /// Digits only: no separator, decimal mark or scale, so a count, a day or a year.
    pub plain: bool,
}

impl Num {
    /// A plain whole number of at most three digits.
    pub fn count(&self) -> Option<u32> {
        (self.plain && self.value >= 0.0 && self.value < 1000.0).then_some(self.value as u32)
    }

    /// A plain number that reads as a year (2000–2100).
    pub fn year(&self) -> Option<i32> {
        (self.plain && (2000.0..=2100.0).contains(&self.value)).then_some(self.value as i32)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Kind {
    Word,
    Num(Num),
    Date(NaiveDate),
    /// Any other character but a space: "$", "-", ">", ",".
    Sign(char),
    /// The inside of a quoted string, trimmed.
    Quoted,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Tok {
    /// As typed.
    pub text: String,
    /// Lower case, ё as е.
    pub norm: String,
    pub kind: Kind,
    /// Read as part of a period, an amount, a keyword or a stop word: not a name.
    pub used: bool,
}

impl Tok {
    pub fn word(&self) -> Option<&str> {
        matches!(self.kind, Kind::Word).then_some(self.norm.as_str())
    }

    pub fn num(&self) -> Option<Num> {
        match self.kind {
            Kind::Num(n) => Some(n),
            _ => None,
        }
    }

    pub fn sign(&self) -> Option<char> {
        match self.kind {
            Kind::Sign(c) => Some(c),
            _ => None,
        }
    }
}

pub(super) fn normalize(word: &str) -> String {
    word.to_lowercase().replace('ё', "е")
}

/// Russian when most letters are Cyrillic.
pub(super) fn is_russian(text: &str) -> bool {
    let (mut cyrillic, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if matches!(c, '\u{0400}'..='\u{04FF}') {
            cyrillic += 1;
        }
    }
    cyrillic * 2 > letters
}

/// Whether `word` (normalised) matches `key`: a whole word ("revenue"), or a stem when the key
/// ends with `*` ("выручк*": "выручка", "выручки"; at most [`MAX_ENDING`] letters after it).
/// With `typo`, keys of [`TYPO_MIN`] letters or more also match with one edit (an insertion, a
/// deletion, a substitution or two letters swapped).
pub(super) fn word_is(word: &str, key: &str, typo: bool) -> bool {
    let (key, stem) = match key.strip_suffix('*') {
        Some(k) => (k, true),
        None => (key, false),
    };
    if !stem {
        return word == key
            || (typo && key.chars().count() >= TYPO_MIN && strsim::osa_distance(word, key) <= 1);
    }
    let word_len = word.chars().count();
    let key_len = key.chars().count();
    if let Some(rest) = word.strip_prefix(key) {
        return rest.chars().count() <= MAX_ENDING;
    }
    if !typo || key_len < TYPO_MIN {
        return false;
    }
    (key_len - 1..=key_len + 1)
        .filter(|&len| len <= word_len && word_len - len <= MAX_ENDING)
        .any(|len| {
            let prefix: String = word.chars().take(len).collect();
            strsim::osa_distance(&prefix, key) <= 1
        })
}

/// `word` matches one of `keys` (whitespace-separated, see [`word_is`]).
pub(super) fn word_in(word: &str, keys: &str, typo: bool) -> bool {
    keys.split_whitespace().any(|k| word_is(word, k, typo))
}

/// The value of a small number written in words ("ten", "пять", "десяти"), 1–50, and the
/// colloquial round groups ("десятку", "двадцатка": top ten, twenty).
pub(super) fn number_word(word: &str) -> Option<u32> {
    if let Some(v) = crate::lexicon::small_number(word).filter(|v| (1..=50).contains(v)) {
        return Some(v);
    }
    let group = [("десят", 10)]
        .into_iter()
        .chain(crate::lexicon::RU_SOFT_STEMS)
        .find_map(|(stem, v)| {
            let ending = word.strip_prefix(stem)?;
            matches!(ending, "ку" | "ка").then_some(v)
        });
    if group.is_some() {
        return group;
    }
    match word {
        "сорок" | "сорока" => Some(40),
        "пятьдесят" | "пятидесяти" => Some(50),
        _ => None,
    }
}

/// Splits `text` into tokens.
pub(super) fn tokenize(text: &str) -> Vec<Tok> {
    let cs: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = cs.get(i) {
        if c.is_whitespace() {
            i += 1;
        } else if let Some(close) = closing_quote(c) {
            let end = (i + 1..cs.len()).find(|&j| cs.get(j) == Some(&close));
            if let Some(end) = end {
                let inner: String = cs.get(i + 1..end).unwrap_or_default().iter().collect();
                let inner = inner.trim();
                if !inner.is_empty() {
                    out.push(tok(inner, Kind::Quoted));
                }
                i = end + 1;
            } else {
                i += 1;
            }
        } else if c.is_ascii_digit() {
            i = number_at(&cs, i, &mut out);
        } else if c.is_alphabetic() {
            let end = alnum_end(&cs, i);
            let word: String = cs.get(i..end).unwrap_or_default().iter().collect();
            out.push(tok(&word, Kind::Word));
            i = end;
        } else {
            out.push(tok(&c.to_string(), Kind::Sign(c)));
            i += 1;
        }
    }
    out
}

fn tok(text: &str, kind: Kind) -> Tok {
    Tok {
        text: text.to_owned(),
        norm: normalize(text),
        kind,
        used: false,
    }
}

fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '«' => Some('»'),
        '“' => Some('”'),
        '„' => Some('“'),
        _ => None,
    }
}

/// End of a run of letters and digits, with apostrophes inside ("what's", "o'neil").
fn alnum_end(cs: &[char], i: usize) -> usize {
    let mut j = i;
    while let Some(&c) = cs.get(j) {
        let inner_apostrophe =
            matches!(c, '\'' | '’') && j > i && cs.get(j + 1).is_some_and(|n| n.is_alphabetic());
        if c.is_alphanumeric() || inner_apostrophe {
            j += 1;
        } else {
            break;
        }
    }
    j
}

fn digits_end(cs: &[char], i: usize) -> usize {
    let mut j = i;
    while cs.get(j).is_some_and(char::is_ascii_digit) {
        j += 1;
    }
    j
}

fn digits(cs: &[char], from: usize, to: usize) -> String {
    cs.get(from..to).unwrap_or_default().iter().collect()
}

/// A date in digits at `i`: 2026-03-01 or 01.03.2026 (also 01.03.26); its end.
fn date_at(cs: &[char], i: usize) -> Option<(NaiveDate, usize)> {
    let e1 = digits_end(cs, i);
    let sep = *cs.get(e1)?;
    if !matches!(sep, '-' | '.' | '/') {
        return None;
    }
    let e2 = digits_end(cs, e1 + 1);
    if cs.get(e2) != Some(&sep) {
        return None;
    }
    let e3 = digits_end(cs, e2 + 1);
    if cs.get(e3).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let (a, b, c) = (
        digits(cs, i, e1),
        digits(cs, e1 + 1, e2),
        digits(cs, e2 + 1, e3),
    );
    let (y, m, d) = match (a.len(), b.len(), c.len(), sep) {
        (4, 1..=2, 1..=2, '-') => (a, b, c),
        (1..=2, 1..=2, 4, '.' | '/') => (c, b, a),
        (1..=2, 1..=2, 2, '.') => (format!("20{c}"), b, a),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date, e3))
}

/// Reads the number (or date, or word starting with digits) at `i` into `out`; returns its end.
fn number_at(cs: &[char], i: usize, out: &mut Vec<Tok>) -> usize {
    if let Some((date, end)) = date_at(cs, i) {
        out.push(tok(&digits(cs, i, end), Kind::Date(date)));
        return end;
    }
    let mut end = digits_end(cs, i);
    let mut int = digits(cs, i, end);
    let mut frac = String::new();
    let mut plain = true;
    // Thousands grouped by spaces ("10 000"), commas or dots ("1,000"): a group of exactly three.
    loop {
        let sep = cs.get(end).copied();
        let grouping = matches!(sep, Some(' ' | '\u{a0}' | '\u{202f}' | ',' | '.'));
        let next_end = digits_end(cs, end + 1);
        if grouping && next_end == end + 4 && !cs.get(next_end).is_some_and(|c| c.is_alphanumeric())
        {
            int.push_str(&digits(cs, end + 1, next_end));
            end = next_end;
            plain = false;
            continue;
        }
        if matches!(sep, Some(',' | '.')) && next_end > end + 1 && frac.is_empty() {
            frac = digits(cs, end + 1, next_end);
            end = next_end;
            plain = false;
        }
        break;
    }
    let mut value: f64 = format!("{int}.{frac}0").parse().unwrap_or(0.0);
    // A suffix: a scale ("5k", "10тыс"), an ordinal ("3rd", "1-й"), a unit or currency ("2025г",
    // "500р") kept as a word of its own; anything else makes the whole run a word ("1с").
    let hyphen = cs.get(end) == Some(&'-') && cs.get(end + 1).is_some_and(|c| c.is_alphabetic());
    let suffix_from = if hyphen { end + 1 } else { end };
    let suffix_end = alnum_end(cs, suffix_from);
    let suffix = normalize(&digits(cs, suffix_from, suffix_end));
    let ordinal = [
        "st", "nd", "rd", "th", "й", "го", "е", "ое", "ого", "ая", "ой", "ый", "ий", "я", "х",
        "ом", "м",
    ];
    let kept = [
        "г", "гг", "р", "руб", "rub", "eur", "usd", "gbp", "d", "w", "mo", "дн", "мес",
    ];
    match suffix.as_str() {
        "" => {}
        "k" | "к" | "тыс" | "тысяч" | "thousand" => {
            value *= 1e3;
            plain = false;
        }
        "m" | "mln" | "млн" | "mn" if !hyphen => {
            value *= 1e6;
            plain = false;
        }
        "bn" | "млрд" => {
            value *= 1e9;
            plain = false;
        }
        s if ordinal.contains(&s) => {}
        s if kept.contains(&s) && !hyphen => {
            out.push(tok(&digits(cs, i, end), Kind::Num(Num { value, plain })));
            out.push(tok(&digits(cs, suffix_from, suffix_end), Kind::Word));
            return suffix_end;
        }
        _ if !hyphen => {
            out.push(tok(&digits(cs, i, suffix_end), Kind::Word));
            return suffix_end;
        }
        _ => {
            out.push(tok(&digits(cs, i, end), Kind::Num(Num { value, plain })));
            return end;
        }
    }
    out.push(tok(
        &digits(cs, i, suffix_end),
        Kind::Num(Num { value, plain }),
    ));
    suffix_end
}
