//! The numbers and dates one sentence states, read as written, and its words for the name check.
//!
//! Digits: groups of three after a space (also NBSP U+00A0, narrow NBSP U+202F, thin space
//! U+2009), a comma or a dot ("1 240 000", "1,240,000", "1.240.000"); with two kinds of
//! separator the last one is the decimal mark ("1,240,000.50", "1 240 000,50"). One comma or dot
//! followed by exactly three digits, after one to three digits that do not start with 0, may be
//! either ("1,240" is 1240 in English and 1.240 in Russian): both readings are kept and either
//! may match. Otherwise a single comma or dot is a decimal mark ("12,5", "1.24"). Anything else
//! ("1.2.3") cannot be read and is never supported.
//!
//! After the digits: a scale, attached or after one space (k, K, к, тыс, thousand, тысяч…:
//! 10³; M, m, mn, mln, млн, million, миллион…: 10⁶; B, bn, bln, млрд, billion, миллиард…: 10⁹)
//! multiplies the value and the precision ("1.24M" is 1 240 000 to the nearest 10 000); an
//! ordinal ending ("3rd", "5-й", "1990-х"), "x" ("2x"), "pp" or "г" leaves the number as it is.
//! A minus (`-` or U+2212) right before the digits, at the start or after a space or bracket,
//! makes it negative.
//! Currency signs, codes and "%" are ignored: the value is compared as written. Digits glued
//! after letters, or followed by letters that are none of the above ("Q1", "B2B", "1С"), are
//! names of things, not figures, and are not checked.
//!
//! Number words: English zero to nineteen, the tens, "hundred", "thousand", "million",
//! "billion" and their compounds ("twenty-one", "three hundred and five", "a million"); Russian
//! 0–19, the tens and the hundreds in their usual case forms ("двенадцать", "двенадцати",
//! "трёх", "двухсот"), "двое"…"пятеро", "полтора", and тысяча / миллион / миллиард in every case.
//! A lone "one" / "один" (and its forms) is a pronoun as often as a number ("one of", "ни один")
//! and is not a claim. A lone plural scale ("thousands", "тысячи клиентов") is vague and is not
//! a claim; a singular one ("a thousand", "миллион") is 1 of that scale. Ordinal words ("third",
//! "третий") and fractions ("half", "треть") are not read.
//!
//! Dates: ISO `2026-03-01` and `2026-03`, `01.03.2026`; a day and a month in either order
//! ("March 3", "March 3rd, 2026", "3rd of March", "3 March", "3 марта 2026"), day ranges ("1–15
//! марта", "March 1-15"); a month and a year ("March 2026", "марте 2026"); a month alone ("in
//! March", "в марте"). English month names count only when capitalised (so "march" the verb is
//! a word); "May" also needs a number next to it or not to start the sentence; abbreviations
//! ("Mar", "янв") need a number next to them. A plain integer from 1900 to 2100 may be a year.

use chrono::NaiveDate;

/// One way to read a written number: the value (never negative; the sign is kept apart) and the
/// unit of its last written digit, scale included ("1.24M": 1 240 000 and 10 000).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Reading {
    pub value: f64,
    pub unit: f64,
}

/// What a mention claims.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Claim {
    /// A number with one or two readings; `year` when it is a plain integer from 1900 to 2100.
    Number {
        readings: Vec<Reading>,
        negative: bool,
        year: Option<i32>,
    },
    /// A number that cannot be read ("1.2.3").
    BadNumber,
    Date(DateClaim),
    /// A date that does not exist ("2026-02-30", "31 июня").
    BadDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateClaim {
    Day(NaiveDate),
    DayMonth { month: u32, day: u32 },
    MonthYear { year: i32, month: u32 },
    Month(u32),
}

/// A claim and the text that makes it, as written.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Mention {
    pub claim: Claim,
    pub text: String,
}

/// A word of the sentence, for the name check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Word {
    pub text: String,
    /// Starts the sentence (only punctuation before it) or follows a colon.
    pub first: bool,
    /// Comes right after another word (only spaces and quotes between).
    pub follows_word: bool,
    /// Part of a number or a date mention.
    pub used: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Scan {
    pub mentions: Vec<Mention>,
    pub words: Vec<Word>,
}

/// Reads the claims and words of one sentence.
pub(super) fn scan(sentence: &str) -> Scan {
    let cs: Vec<char> = sentence.chars().collect();
    let toks = tokenize(&cs);
    let mut used = vec![false; toks.len()];
    let mut mentions = Vec::new();
    let mut t = 0;
    while t < toks.len() {
        let found = match toks.get(t).map(|tok| &tok.kind) {
            Some(Kind::Date(claim)) => Some((vec![claim.clone()], t)),
            Some(Kind::Num(num)) => {
                day_first_date(&toks, t).or_else(|| Some((vec![num.claim()], t)))
            }
            Some(Kind::Word(_)) => month_first_date(&toks, t).or_else(|| number_words(&toks, t)),
            _ => None,
        };
        let Some((claims, last)) = found else {
            t += 1;
            continue;
        };
        let text = text_of(&cs, &toks, t, last);
        mentions.extend(claims.into_iter().map(|claim| Mention {
            claim,
            text: text.clone(),
        }));
        for u in used.iter_mut().take(last + 1).skip(t) {
            *u = true;
        }
        t = last + 1;
    }
    let mut words = Vec::new();
    let mut seen_content = false;
    for (t, tok) in toks.iter().enumerate() {
        let prev = t.checked_sub(1).and_then(|p| toks.get(p)).map(|p| &p.kind);
        if let Kind::Word(text) = &tok.kind {
            words.push(Word {
                text: text.clone(),
                first: !seen_content || matches!(prev, Some(Kind::Punct(':'))),
                follows_word: matches!(prev, Some(Kind::Word(_))),
                used: used.get(t).copied().unwrap_or(false),
            });
        }
        seen_content |= !matches!(tok.kind, Kind::Punct(_));
    }
    Scan { mentions, words }
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Word(String),
    Num(Num),
    Date(Claim),
    /// Letters and digits together ("Q1", "B2B"): not checked.
    Opaque,
    Punct(char),
}

#[derive(Clone, Debug, PartialEq)]
struct Tok {
    kind: Kind,
    /// Char offsets in the sentence.
    start: usize,
    end: usize,
}

#[derive(Clone, Debug, PartialEq)]
struct Num {
    /// Empty when the digits cannot be read.
    readings: Vec<Reading>,
    negative: bool,
    /// The value when written as 1–4 bare digits (an ordinal ending allowed): a day or a year.
    plain: Option<u32>,
    /// How many digits `plain` was written with.
    digits: usize,
}

impl Num {
    fn claim(&self) -> Claim {
        if self.readings.is_empty() {
            return Claim::BadNumber;
        }
        let year = match self.plain {
            Some(y) if self.digits == 4 && !self.negative && (1900..=2100).contains(&y) => {
                i32::try_from(y).ok()
            }
            _ => None,
        };
        Claim::Number {
            readings: self.readings.clone(),
            negative: self.negative,
            year,
        }
    }

    fn day(&self) -> Option<u32> {
        self.plain
            .filter(|d| self.digits <= 2 && (1..=31).contains(d))
    }

    fn year(&self) -> Option<i32> {
        self.plain
            .filter(|y| self.digits == 4 && (1900..=2100).contains(y))
            .and_then(|y| i32::try_from(y).ok())
    }
}

fn is_space_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '«' | '»' | '“' | '”' | '„' | '‘' | '’' | '\'' | '`'
    )
}

fn tokenize(cs: &[char]) -> Vec<Tok> {
    let at = |i: usize| cs.get(i).copied();
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        if c.is_whitespace() || is_quote(c) {
            i += 1;
            continue;
        }
        let sign = matches!(c, '-' | '−')
            && at(i + 1).is_some_and(|d| d.is_ascii_digit())
            && i.checked_sub(1)
                .and_then(at)
                .is_none_or(|p| p.is_whitespace() || is_quote(p) || matches!(p, '(' | '['));
        if c.is_ascii_digit() || sign {
            let date = if sign { None } else { date_at(cs, i) };
            let (kind, end) = match date {
                Some((claim, end)) => (Kind::Date(claim), end),
                None => number_at(cs, if sign { i + 1 } else { i }, sign),
            };
            toks.push(Tok {
                kind,
                start: i,
                end,
            });
            i = end;
        } else if c.is_alphabetic() {
            let end = word_end(cs, i);
            let text: String = cs.get(i..end).unwrap_or_default().iter().collect();
            let kind = if text.chars().any(|c| c.is_ascii_digit()) {
                Kind::Opaque
            } else {
                Kind::Word(text)
            };
            toks.push(Tok {
                kind,
                start: i,
                end,
            });
            i = end;
        } else {
            toks.push(Tok {
                kind: Kind::Punct(c),
                start: i,
                end: i + 1,
            });
            i += 1;
        }
    }
    toks
}

/// End of a word starting at `i`: letters and digits, joined by inner hyphens and apostrophes
/// ("twenty-one", "Петров-Водкин", "Acme's", "COVID-19").
fn word_end(cs: &[char], i: usize) -> usize {
    let at = |i: usize| cs.get(i).copied();
    let mut j = i;
    loop {
        match at(j) {
            Some(c) if c.is_alphanumeric() => j += 1,
            Some('-' | '\'' | '’') if at(j + 1).is_some_and(char::is_alphanumeric) && j > i => {
                j += 1
            }
            _ => return j,
        }
    }
}

fn digits_run(cs: &[char], i: usize) -> usize {
    cs.get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

fn digits_value(cs: &[char], i: usize, len: usize) -> Option<u32> {
    let s: String = cs.get(i..i + len)?.iter().collect();
    s.parse().ok()
}

/// An ISO or dotted date starting at `i`, and where it ends.
fn date_at(cs: &[char], i: usize) -> Option<(Claim, usize)> {
    let at = |i: usize| cs.get(i).copied();
    let ends_clean = |j: usize| !at(j).is_some_and(char::is_alphanumeric);
    let first = digits_run(cs, i);
    if first == 4 && at(i + 4) == Some('-') && digits_run(cs, i + 5) == 2 {
        let year = i32::try_from(digits_value(cs, i, 4)?).ok()?;
        let month = digits_value(cs, i + 5, 2)?;
        if at(i + 7) == Some('-') && digits_run(cs, i + 8) == 2 && ends_clean(i + 10) {
            let day = digits_value(cs, i + 8, 2)?;
            let claim = NaiveDate::from_ymd_opt(year, month, day)
                .map_or(Claim::BadDate, |d| Claim::Date(DateClaim::Day(d)));
            return Some((claim, i + 10));
        }
        let range_next = at(i + 7) == Some('-') && at(i + 8).is_some_and(|c| c.is_ascii_digit());
        if (1..=12).contains(&month)
            && (1900..=2100).contains(&year)
            && !range_next
            && ends_clean(i + 7)
        {
            return Some((Claim::Date(DateClaim::MonthYear { year, month }), i + 7));
        }
        return None;
    }
    if (1..=2).contains(&first) && at(i + first) == Some('.') {
        let second = digits_run(cs, i + first + 1);
        let y_at = i + first + 1 + second + 1;
        if (1..=2).contains(&second)
            && at(y_at - 1) == Some('.')
            && digits_run(cs, y_at) == 4
            && ends_clean(y_at + 4)
        {
            let day = digits_value(cs, i, first)?;
            let month = digits_value(cs, i + first + 1, second)?;
            let year = i32::try_from(digits_value(cs, y_at, 4)?).ok()?;
            let claim = NaiveDate::from_ymd_opt(year, month, day)
                .map_or(Claim::BadDate, |d| Claim::Date(DateClaim::Day(d)));
            return Some((claim, y_at + 4));
        }
    }
    None
}

/// A number written in digits starting at `i` (after its minus sign, if any).
fn number_at(cs: &[char], i: usize, negative: bool) -> (Kind, usize) {
    let at = |i: usize| cs.get(i).copied();
    // (separator before, start, length); the first group has no separator.
    let mut groups: Vec<(char, usize, usize)> = vec![(' ', i, digits_run(cs, i))];
    let first_len = digits_run(cs, i);
    let mut j = i + first_len;
    while let (Some(sep), Some(next)) = (at(j), at(j + 1)) {
        if !next.is_ascii_digit() {
            break;
        }
        let len = digits_run(cs, j + 1);
        if is_space_sep(sep) {
            // Space groups are exactly three digits, after at most three, and come first.
            let spaces_so_far = groups.iter().skip(1).all(|&(s, _, _)| s == ' ');
            if len != 3 || first_len > 3 || !spaces_so_far {
                break;
            }
        } else if sep != ',' && sep != '.' {
            break;
        }
        groups.push((if is_space_sep(sep) { ' ' } else { sep }, j + 1, len));
        j += 1 + len;
    }
    let text = |&(_, start, len): &(char, usize, usize)| -> String {
        cs.get(start..start + len)
            .unwrap_or_default()
            .iter()
            .collect()
    };
    let parts: Vec<String> = groups.iter().map(text).collect();
    let seps: Vec<char> = groups.iter().skip(1).map(|&(s, _, _)| s).collect();
    let mut readings = interpret(&parts, &seps);

    // What follows the digits: a scale, an ordinal ending, or letters that make it a name.
    let mut scale = 1.0;
    let mut end = j;
    let letters_from = |k: usize| {
        let n = cs
            .get(k..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_alphabetic())
            .count();
        let word: String = cs.get(k..k + n).unwrap_or_default().iter().collect();
        (normalize(&word), k + n)
    };
    if at(j).is_some_and(char::is_alphabetic) {
        let (suffix, k) = letters_from(j);
        if let Some(s) =
            attached_scale(&suffix).filter(|_| !at(k).is_some_and(char::is_alphanumeric))
        {
            scale = s;
            end = k;
        } else if matches!(
            suffix.as_str(),
            "st" | "nd" | "rd" | "th" | "г" | "x" | "х" | "pp"
        ) && !at(k).is_some_and(char::is_alphanumeric)
        {
            end = k;
        } else {
            return (Kind::Opaque, word_end(cs, i));
        }
    } else if at(j) == Some('-') && at(j + 1).is_some_and(char::is_alphabetic) {
        end = letters_from(j + 1).1;
    } else if at(j).is_some_and(is_space_sep) && at(j + 1).is_some_and(char::is_alphabetic) {
        let (word, k) = letters_from(j + 1);
        if let Some(s) = scale_word(&word) {
            scale = s;
            end = k;
        }
    }
    for r in &mut readings {
        r.value *= scale;
        r.unit *= scale;
    }
    let plain = match (groups.len(), scale == 1.0, first_len) {
        (1, true, 1..=4) => parts.first().and_then(|p| p.parse().ok()),
        _ => None,
    };
    let num = Num {
        readings,
        negative,
        plain: plain.filter(|_| !negative),
        digits: first_len,
    };
    (Kind::Num(num), end)
}

/// The readings of digit groups `parts` separated by `seps` (spaces already normalised to ' ').
fn interpret(parts: &[String], seps: &[char]) -> Vec<Reading> {
    let reading = |int: String, frac: &str| -> Option<Reading> {
        let text = if frac.is_empty() {
            int
        } else {
            format!("{int}.{frac}")
        };
        let value: f64 = text.parse().ok()?;
        let decimals = i32::try_from(frac.len()).unwrap_or(i32::MAX);
        value.is_finite().then(|| Reading {
            value,
            unit: 10f64.powi(decimals.saturating_neg()),
        })
    };
    let Some((&last, others)) = seps.split_last() else {
        return reading(parts.concat(), "").into_iter().collect();
    };
    let first = parts.first().map_or("", String::as_str);
    let grouped = |groups: &[String]| first.len() <= 3 && groups.iter().all(|g| g.len() == 3);
    let after_first = parts.get(1..).unwrap_or_default();
    if others.iter().all(|&s| s == last) {
        if last == ' ' || seps.len() >= 2 {
            return if grouped(after_first) {
                reading(parts.concat(), "").into_iter().collect()
            } else {
                Vec::new()
            };
        }
        let frac = after_first.first().map_or("", String::as_str);
        let mut out = Vec::new();
        if frac.len() == 3 && first.len() <= 3 && !first.starts_with('0') {
            out.extend(reading(parts.concat(), ""));
        }
        out.extend(reading(first.to_owned(), frac));
        return out;
    }
    let Some((frac, middle)) = after_first.split_last() else {
        return Vec::new();
    };
    let one_grouping = others.iter().all(|&s| Some(&s) == others.first());
    if last == ' ' || !one_grouping || !grouped(middle) {
        return Vec::new();
    }
    let int = std::iter::once(first)
        .chain(middle.iter().map(String::as_str))
        .collect();
    reading(int, frac).into_iter().collect()
}

fn attached_scale(suffix: &str) -> Option<f64> {
    match suffix {
        "k" | "к" | "тыс" => Some(1e3),
        "m" | "mn" | "mln" | "млн" => Some(1e6),
        "b" | "bn" | "bln" | "млрд" => Some(1e9),
        _ => None,
    }
}

/// A scale word after digits ("2 million", "3 тыс", "1,2 миллиона").
fn scale_word(word: &str) -> Option<f64> {
    match word {
        "thousand" | "thousands" | "тыс" => Some(1e3),
        "million" | "millions" | "mln" | "mn" | "млн" => Some(1e6),
        "billion" | "billions" | "bn" | "bln" | "млрд" => Some(1e9),
        w if w.starts_with("тысяч") => Some(1e3),
        w if w.starts_with("миллиард") => Some(1e9),
        w if w.starts_with("миллион") => Some(1e6),
        _ => None,
    }
}

/// Lower case, ё as е.
pub(super) fn normalize(word: &str) -> String {
    word.to_lowercase().replace('ё', "е")
}

fn text_of(cs: &[char], toks: &[Tok], first: usize, last: usize) -> String {
    let start = toks.get(first).map_or(0, |t| t.start);
    let end = toks.get(last).map_or(start, |t| t.end);
    cs.get(start..end).unwrap_or_default().iter().collect()
}

fn word_at(toks: &[Tok], t: usize) -> Option<&str> {
    match toks.get(t).map(|tok| &tok.kind) {
        Some(Kind::Word(w)) => Some(w),
        _ => None,
    }
}

fn num_at(toks: &[Tok], t: usize) -> Option<&Num> {
    match toks.get(t).map(|tok| &tok.kind) {
        Some(Kind::Num(n)) => Some(n),
        _ => None,
    }
}

fn punct_at(toks: &[Tok], t: usize, chars: &[char]) -> bool {
    matches!(toks.get(t).map(|tok| &tok.kind), Some(Kind::Punct(c)) if chars.contains(c))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MonthName {
    English,
    /// "May": also a verb.
    May,
    /// "Mar", "янв": only next to a number.
    Abbreviation,
    Russian,
}

fn month_name(word: &str) -> Option<(u32, MonthName)> {
    const EN: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    const EN_ABBR: [&[&str]; 12] = [
        &["jan"],
        &["feb"],
        &["mar"],
        &["apr"],
        &[],
        &["jun"],
        &["jul"],
        &["aug"],
        &["sep", "sept"],
        &["oct"],
        &["nov"],
        &["dec"],
    ];
    // Stem and endings of each Russian month's case forms.
    const RU: [(&str, &[&str]); 12] = [
        ("январ", SOFT),
        ("феврал", SOFT),
        ("март", HARD),
        ("апрел", SOFT),
        ("ма", &["й", "я", "е", "ем", "ю"]),
        ("июн", SOFT),
        ("июл", SOFT),
        ("август", HARD),
        ("сентябр", SOFT),
        ("октябр", SOFT),
        ("ноябр", SOFT),
        ("декабр", SOFT),
    ];
    const SOFT: &[&str] = &["ь", "я", "е", "ем", "ю"];
    const HARD: &[&str] = &["", "а", "е", "ом", "у"];
    const RU_ABBR: [&[&str]; 12] = [
        &["янв"],
        &["фев", "февр"],
        &["мар"],
        &["апр"],
        &[],
        &["июн"],
        &["июл"],
        &["авг"],
        &["сен", "сент"],
        &["окт"],
        &["ноя", "нояб"],
        &["дек"],
    ];
    let lower = normalize(word);
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    for (m, ((en, en_abbr), ((stem, endings), ru_abbr))) in
        (1u32..).zip(EN.iter().zip(EN_ABBR).zip(RU.iter().zip(RU_ABBR)))
    {
        if let Some(ending) = lower.strip_prefix(stem)
            && endings.contains(&ending)
        {
            return Some((m, MonthName::Russian));
        }
        if ru_abbr.contains(&lower.as_str()) {
            return Some((m, MonthName::Abbreviation));
        }
        if !capitalised {
            continue;
        }
        if lower == *en {
            let kind = if m == 5 {
                MonthName::May
            } else {
                MonthName::English
            };
            return Some((m, kind));
        }
        if en_abbr.contains(&lower.as_str()) {
            return Some((m, MonthName::Abbreviation));
        }
    }
    None
}

/// The month named at `t` if it counts there, and the index of the token after it (past an
/// abbreviation's dot).
fn month_at(toks: &[Tok], t: usize) -> Option<(u32, usize)> {
    let (month, kind) = month_name(word_at(toks, t)?)?;
    let mut next = t + 1;
    if kind == MonthName::Abbreviation && punct_at(toks, next, &['.']) {
        next += 1;
    }
    let number_before = t.checked_sub(1).and_then(|p| num_at(toks, p)).is_some();
    let number_after = num_at(toks, next).is_some();
    let counts = match kind {
        MonthName::English | MonthName::Russian => true,
        MonthName::May => t > 0 || number_after,
        MonthName::Abbreviation => number_before || number_after,
    };
    counts.then_some((month, next))
}

fn date_claim(year: Option<i32>, month: u32, day: u32) -> Claim {
    // 2000 is a leap year, so "29 февраля" without a year exists.
    match NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day) {
        Some(d) if year.is_some() => Claim::Date(DateClaim::Day(d)),
        Some(_) => Claim::Date(DateClaim::DayMonth { month, day }),
        None => Claim::BadDate,
    }
}

/// A year at `t`, optionally after a comma ("March 3, 2026"); and the last token used.
fn year_at(toks: &[Tok], t: usize) -> Option<(i32, usize)> {
    if let Some(y) = num_at(toks, t).and_then(Num::year) {
        return Some((y, t));
    }
    if punct_at(toks, t, &[',']) {
        return num_at(toks, t + 1).and_then(Num::year).map(|y| (y, t + 1));
    }
    None
}

const DASHES: &[char] = &['-', '–', '—'];
const RANGE_WORDS: &[&str] = &["to", "and", "through", "till", "until", "по", "до", "и"];

fn range_link(toks: &[Tok], t: usize) -> bool {
    punct_at(toks, t, DASHES) || word_at(toks, t).is_some_and(|w| RANGE_WORDS.contains(&w))
}

/// "3 марта", "3rd of March 2026", "1–15 марта": a date that starts with its day at `t`.
fn day_first_date(toks: &[Tok], t: usize) -> Option<(Vec<Claim>, usize)> {
    let day = num_at(toks, t)?.day()?;
    let mut days = vec![day];
    let mut m_at = t + 1;
    if range_link(toks, t + 1)
        && let Some(second) = num_at(toks, t + 2).and_then(Num::day)
    {
        days.push(second);
        m_at = t + 3;
    }
    if word_at(toks, m_at) == Some("of") {
        m_at += 1;
    }
    let (month, after) = month_at(toks, m_at)?;
    let (year, last) = match year_at(toks, after) {
        Some((y, last)) => (Some(y), last),
        None => (None, after - 1),
    };
    let claims = days.iter().map(|&d| date_claim(year, month, d)).collect();
    Some((claims, last))
}

/// "March 3", "March 3rd, 2026", "March 1-15", "марте 2026", "в марте": a date that starts with
/// its month at `t`.
fn month_first_date(toks: &[Tok], t: usize) -> Option<(Vec<Claim>, usize)> {
    let (month, after) = month_at(toks, t)?;
    if let Some((year, last)) = year_at(toks, after).filter(|&(_, last)| last == after) {
        return Some((
            vec![Claim::Date(DateClaim::MonthYear { year, month })],
            last,
        ));
    }
    let Some(day) = num_at(toks, after).and_then(Num::day) else {
        return Some((vec![Claim::Date(DateClaim::Month(month))], after - 1));
    };
    let mut days = vec![day];
    let mut last = after;
    if range_link(toks, after + 1)
        && let Some(second) = num_at(toks, after + 2).and_then(Num::day)
    {
        days.push(second);
        last = after + 2;
    }
    let year = match year_at(toks, last + 1) {
        Some((y, l)) => {
            last = l;
            Some(y)
        }
        None => None,
    };
    let claims = days.iter().map(|&d| date_claim(year, month, d)).collect();
    Some((claims, last))
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum NumWord {
    Value(f64),
    Hundred,
    /// A scale and whether it may stand alone as 1 of it ("a million", "тысяча").
    Scale(f64, bool),
    /// "and" inside an English number, "a" before a hundred or a scale.
    And,
    A,
}

fn num_word(word: &str) -> Option<NumWord> {
    use NumWord::{Scale, Value};
    const EN: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const EN_TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    // Russian 0–10 with their case forms; 11–30 are built from the nominative below.
    const RU: [&[&str]; 11] = [
        &["ноль", "нуль", "нуля", "нулю", "нулем", "нолем"],
        &[
            "один",
            "одна",
            "одно",
            "одного",
            "одной",
            "одному",
            "одним",
            "одну",
            "одном",
        ],
        &["два", "две", "двух", "двум", "двумя", "двое", "двоих"],
        &["три", "трех", "трем", "тремя", "трое", "троих"],
        &[
            "четыре",
            "четырех",
            "четырем",
            "четырьмя",
            "четверо",
            "четверых",
        ],
        &["пять", "пяти", "пятью", "пятеро", "пятерых"],
        &["шесть", "шести", "шестью", "шестеро"],
        &["семь", "семи", "семью", "семеро"],
        &["восемь", "восьми", "восемью", "восьмью"],
        &["девять", "девяти", "девятью"],
        &["десять", "десяти", "десятью"],
    ];
    const RU_SOFT: [(&str, f64); 11] = [
        ("одиннадцат", 11.0),
        ("двенадцат", 12.0),
        ("тринадцат", 13.0),
        ("четырнадцат", 14.0),
        ("пятнадцат", 15.0),
        ("шестнадцат", 16.0),
        ("семнадцат", 17.0),
        ("восемнадцат", 18.0),
        ("девятнадцат", 19.0),
        ("двадцат", 20.0),
        ("тридцат", 30.0),
    ];
    const RU_OTHER: [(&[&str], f64); 15] = [
        (&["сорок", "сорока"], 40.0),
        (&["пятьдесят", "пятидесяти", "пятьюдесятью"], 50.0),
        (&["шестьдесят", "шестидесяти", "шестьюдесятью"], 60.0),
        (&["семьдесят", "семидесяти", "семьюдесятью"], 70.0),
        (&["восемьдесят", "восьмидесяти", "восемьюдесятью"], 80.0),
        (&["девяносто", "девяноста"], 90.0),
        (&["сто", "ста"], 100.0),
        (
            &["двести", "двухсот", "двумстам", "двумястами", "двухстах"],
            200.0,
        ),
        (
            &["триста", "трехсот", "тремстам", "тремястами", "трехстах"],
            300.0,
        ),
        (
            &[
                "четыреста",
                "четырехсот",
                "четыремстам",
                "четырьмястами",
                "четырехстах",
            ],
            400.0,
        ),
        (
            &["пятьсот", "пятисот", "пятистам", "пятьюстами", "пятистах"],
            500.0,
        ),
        (
            &[
                "шестьсот",
                "шестисот",
                "шестистам",
                "шестьюстами",
                "шестистах",
            ],
            600.0,
        ),
        (
            &["семьсот", "семисот", "семистам", "семьюстами", "семистах"],
            700.0,
        ),
        (
            &[
                "восемьсот",
                "восьмисот",
                "восьмистам",
                "восьмьюстами",
                "восьмистах",
            ],
            800.0,
        ),
        (
            &[
                "девятьсот",
                "девятисот",
                "девятистам",
                "девятьюстами",
                "девятистах",
            ],
            900.0,
        ),
    ];
    let w = normalize(word);
    let w = w.as_str();
    if let Some(v) = EN.iter().position(|&e| e == w) {
        return Some(Value(v as f64));
    }
    if let Some(v) = EN_TENS.iter().position(|&e| e == w) {
        return Some(Value((v as f64 + 2.0) * 10.0));
    }
    if let Some(v) = RU.iter().position(|forms| forms.contains(&w)) {
        return Some(Value(v as f64));
    }
    for (stem, v) in RU_SOFT {
        if let Some(ending) = w.strip_prefix(stem)
            && matches!(ending, "ь" | "и" | "ью")
        {
            return Some(Value(v));
        }
    }
    for (forms, v) in RU_OTHER {
        if forms.contains(&w) {
            return Some(Value(v));
        }
    }
    match w {
        "полтора" | "полторы" | "полутора" => Some(Value(1.5)),
        "hundred" => Some(NumWord::Hundred),
        "thousand" => Some(Scale(1e3, true)),
        "million" => Some(Scale(1e6, true)),
        "billion" => Some(Scale(1e9, true)),
        "and" => Some(NumWord::And),
        "a" => Some(NumWord::A),
        "тыс" | "тысячи" | "тысяч" | "тысячам" | "тысячами" | "тысячах" => {
            Some(Scale(1e3, false))
        }
        "тысяча" | "тысячу" | "тысячей" | "тысячью" | "тысяче" => {
            Some(Scale(1e3, true))
        }
        "миллион" | "миллиона" | "миллиону" | "миллионом" | "миллионе" => {
            Some(Scale(1e6, true))
        }
        "миллиард" | "миллиарда" | "миллиарду" | "миллиардом" | "миллиарде" => {
            Some(Scale(1e9, true))
        }
        "млн" | "миллионы" | "миллионов" | "миллионам" | "миллионами" | "миллионах" => {
            Some(Scale(1e6, false))
        }
        "млрд" | "миллиарды" | "миллиардов" | "миллиардам" | "миллиардами" | "миллиардах" => {
            Some(Scale(1e9, false))
        }
        _ => None,
    }
}

/// A number written in words starting at `t`, and the last token it uses.
fn number_words(toks: &[Tok], t: usize) -> Option<(Vec<Claim>, usize)> {
    let mut total = 0.0;
    let mut current = 0.0;
    let mut unit = 1.0;
    let mut last = None;
    let mut words = 0;
    let mut half = false; // "полтора": 1.5, so a tenth of its scale is its last digit.
    let mut lone_one = false;
    let mut u = t;
    'tokens: while let Some(word) = word_at(toks, u) {
        let parts: Vec<NumWord> = match word.split('-').map(num_word).collect() {
            Some(parts) => parts,
            None => break,
        };
        let next_is_number = word_at(toks, u + 1)
            .and_then(|w| w.split('-').next().and_then(num_word))
            .is_some_and(|n| !matches!(n, NumWord::And | NumWord::A));
        for (k, part) in parts.iter().enumerate() {
            let next_part = parts.get(k + 1).copied().or_else(|| {
                word_at(toks, u + 1).and_then(|w| w.split('-').next().and_then(num_word))
            });
            match *part {
                NumWord::A => {
                    let scale_next =
                        matches!(next_part, Some(NumWord::Hundred | NumWord::Scale(_, true)));
                    if words > 0 || !scale_next {
                        break 'tokens;
                    }
                    current = 1.0;
                }
                NumWord::And => {
                    if words == 0 || !matches!(next_part, Some(NumWord::Value(_))) {
                        break 'tokens;
                    }
                }
                NumWord::Value(v) => {
                    let place = if v < 10.0 {
                        10.0
                    } else if v < 100.0 {
                        100.0
                    } else {
                        1000.0
                    };
                    // "twenty one" joins; "двух трёх" or "twelve five" are two numbers.
                    let fits = current == 0.0 || (current % place == 0.0 && v.fract() == 0.0);
                    if !fits || (half && words > 0) {
                        break 'tokens;
                    }
                    half = v.fract() != 0.0;
                    lone_one = words == 0 && v == 1.0 && parts.len() == 1 && !next_is_number;
                    current += v;
                    unit = 1.0;
                }
                NumWord::Hundred => {
                    current = current.max(1.0) * 100.0;
                    unit = 1.0;
                }
                NumWord::Scale(scale, alone) => {
                    if current == 0.0 && total == 0.0 && !alone {
                        break 'tokens;
                    }
                    total += current.max(1.0) * scale;
                    current = 0.0;
                    unit = if half { scale / 10.0 } else { scale };
                }
            }
            words += 1;
        }
        last = Some(u);
        u += 1;
    }
    let last = last?;
    if lone_one && words == 1 {
        return None;
    }
    let value = total + current;
    // "a" or "and" alone, or trailing: not a number.
    if value == 0.0 && !matches!(word_at(toks, t).and_then(num_word), Some(NumWord::Value(_))) {
        return None;
    }
    let unit = if half && unit == 1.0 { 0.1 } else { unit };
    let claim = Claim::Number {
        readings: vec![Reading { value, unit }],
        negative: false,
        year: None,
    };
    Some((vec![claim], last))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    fn numbers(sentence: &str) -> Vec<Vec<(f64, f64)>> {
        scan(sentence)
            .mentions
            .into_iter()
            .filter_map(|m| match m.claim {
                Claim::Number { readings, .. } => {
                    Some(readings.iter().map(|r| (r.value, r.unit)).collect())
                }
                _ => None,
            })
            .collect()
    }

    fn one(sentence: &str) -> (f64, f64) {
        let all = numbers(sentence);
        assert_eq!(all.len(), 1, "{sentence}: {all:?}");
        assert_eq!(all[0].len(), 1, "{sentence}: {all:?}");
        all[0][0]
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-6 * b.0.abs().max(1.0) && (a.1 - b.1).abs() < 1e-9 * b.1.max(1.0)
    }

    #[test]
    fn digit_formats() {
        let cases: &[(&str, (f64, f64))] = &[
            ("Revenue was 1 240 000 ₽.", (1_240_000.0, 1.0)),
            ("Revenue was 1\u{a0}240\u{a0}000 ₽.", (1_240_000.0, 1.0)),
            ("Выручка 1\u{202f}240\u{202f}000 ₽.", (1_240_000.0, 1.0)),
            ("Revenue was 1,240,000 RUB.", (1_240_000.0, 1.0)),
            ("Выручка 1.240.000 руб.", (1_240_000.0, 1.0)),
            ("Revenue was $1.24M.", (1_240_000.0, 10_000.0)),
            ("Выручка 1,24 млн рублей.", (1_240_000.0, 10_000.0)),
            ("Выручка 1,2 миллиона.", (1_200_000.0, 100_000.0)),
            ("About 1.2k orders.", (1_200.0, 100.0)),
            ("Около 3 тыс. заказов.", (3_000.0, 1_000.0)),
            ("Рост 12,5 %.", (12.5, 0.1)),
            ("Growth 12.5%.", (12.5, 0.1)),
            ("Total $1,240,000.50 so far.", (1_240_000.5, 0.01)),
            ("Итого 1 240 000,50 ₽.", (1_240_000.5, 0.01)),
            ("Share 0,125 of sales.", (0.125, 0.001)),
            ("About 2 million.", (2e6, 1e6)),
            ("The 3rd client.", (3.0, 1.0)),
            ("Рост в 5-й раз.", (5.0, 1.0)),
        ];
        for &(sentence, want) in cases {
            let got = one(sentence);
            assert!(close(got, want), "{sentence}: got {got:?}, want {want:?}");
        }
    }

    #[test]
    fn one_comma_and_three_digits_has_two_readings() {
        let all = numbers("Paid $1,240 today.");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].len(), 2);
        assert!(close(all[0][0], (1240.0, 1.0)));
        assert!(close(all[0][1], (1.24, 0.001)));
    }

    #[test]
    fn signs() {
        for sentence in ["Change: -5%.", "Изменение −5 %.", "Fell (-5%)."] {
            let m = scan(sentence).mentions;
            assert!(
                matches!(&m[0].claim, Claim::Number { negative: true, .. }),
                "{sentence}: {m:?}"
            );
        }
        let m = scan("In 2025-2026 it grew.").mentions;
        assert_eq!(m.len(), 2);
        assert!(matches!(
            &m[1].claim,
            Claim::Number {
                negative: false,
                year: Some(2026),
                ..
            }
        ));
    }

    #[test]
    fn identifiers_are_not_figures() {
        assert!(numbers("In Q1 the B2B clients of 1С grew, per COVID-19 rules.").is_empty());
    }

    #[test]
    fn unreadable_numbers() {
        let m = scan("Version 1.2.3 shipped.").mentions;
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].claim, Claim::BadNumber);
        assert_eq!(m[0].text, "1.2.3");
    }

    #[test]
    fn number_words() {
        let cases: &[(&str, (f64, f64))] = &[
            ("They placed twelve orders.", (12.0, 1.0)),
            ("Twenty-one clients bought.", (21.0, 1.0)),
            ("About three hundred clients.", (300.0, 1.0)),
            ("One hundred and five deals.", (105.0, 1.0)),
            ("Nearly a million dollars.", (1e6, 1e6)),
            ("Twelve thousand rubles.", (12_000.0, 1_000.0)),
            ("Двенадцать клиентов.", (12.0, 1.0)),
            ("У двенадцати клиентов.", (12.0, 1.0)),
            ("У трёх клиентов.", (3.0, 1.0)),
            ("Двести сорок пять тысяч рублей.", (245_000.0, 1_000.0)),
            ("Сто заказов.", (100.0, 1.0)),
            ("Полтора миллиона рублей.", (1.5e6, 1e5)),
            ("Тысяча заказов.", (1000.0, 1000.0)),
            ("Двое клиентов ушли.", (2.0, 1.0)),
        ];
        for &(sentence, want) in cases {
            let got = one(sentence);
            assert!(close(got, want), "{sentence}: got {got:?}, want {want:?}");
        }
        for vague in [
            "One of them left.",
            "Ни один клиент не ушёл.",
            "Thousands of clients.",
            "Тысячи клиентов.",
            "Hundreds of deals.",
        ] {
            assert!(numbers(vague).is_empty(), "{vague}: {:?}", numbers(vague));
        }
        assert_eq!(numbers("Twelve five times.").len(), 2);
    }

    fn dates(sentence: &str) -> Vec<Claim> {
        scan(sentence)
            .mentions
            .into_iter()
            .map(|m| m.claim)
            .filter(|c| !matches!(c, Claim::Number { .. }))
            .collect()
    }

    fn day(y: i32, m: u32, d: u32) -> Claim {
        Claim::Date(DateClaim::Day(
            NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
        ))
    }

    #[test]
    fn date_formats() {
        let dm = |month, day| Claim::Date(DateClaim::DayMonth { month, day });
        let my = |year, month| Claim::Date(DateClaim::MonthYear { year, month });
        let cases: Vec<(&str, Vec<Claim>)> = vec![
            ("Since 2026-03-01 sales rose.", vec![day(2026, 3, 1)]),
            ("С 01.03.2026 продажи выросли.", vec![day(2026, 3, 1)]),
            ("On March 3 sales rose.", vec![dm(3, 3)]),
            ("On March 3rd, 2026 sales rose.", vec![day(2026, 3, 3)]),
            ("On the 3rd of March sales rose.", vec![dm(3, 3)]),
            ("On 3 March 2026 sales rose.", vec![day(2026, 3, 3)]),
            ("3 марта продажи выросли.", vec![dm(3, 3)]),
            ("К 3-го марта 2026 года.", vec![day(2026, 3, 3)]),
            ("In March 2026 sales rose.", vec![my(2026, 3)]),
            ("В марте 2026 продажи выросли.", vec![my(2026, 3)]),
            (
                "В марте продажи выросли.",
                vec![Claim::Date(DateClaim::Month(3))],
            ),
            ("Report for 2026-03.", vec![my(2026, 3)]),
            ("С 1 по 15 марта.", vec![dm(3, 1), dm(3, 15)]),
            ("From March 1-15.", vec![dm(3, 1), dm(3, 15)]),
            ("On Mar. 3 it rose.", vec![dm(3, 3)]),
            (
                "In May revenue rose.",
                vec![Claim::Date(DateClaim::Month(5))],
            ),
            ("On 2026-02-30 nothing.", vec![Claim::BadDate]),
            ("31 июня.", vec![Claim::BadDate]),
        ];
        for (sentence, want) in cases {
            assert_eq!(dates(sentence), want, "{sentence}");
        }
        // Not months: the verb, a modal at the start, a lone abbreviation (a first name).
        for sentence in [
            "We march on.",
            "May revenue hold up.",
            "Jan called.",
            "You may see growth.",
        ] {
            assert!(
                dates(sentence).is_empty(),
                "{sentence}: {:?}",
                dates(sentence)
            );
        }
    }

    #[test]
    fn words_for_names() {
        let s = scan("Иван Петров: Acme's rep, March 3.");
        let w: Vec<(&str, bool, bool, bool)> = s
            .words
            .iter()
            .map(|w| (w.text.as_str(), w.first, w.follows_word, w.used))
            .collect();
        assert_eq!(
            w,
            [
                ("Иван", true, false, false),
                ("Петров", false, true, false),
                ("Acme's", true, false, false),
                ("rep", false, true, false),
                ("March", false, false, true),
            ]
        );
    }
}
