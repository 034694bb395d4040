//! Digits, scales and ISO or dotted dates, read character by character into tokens.

use chrono::NaiveDate;

use super::{Claim, DateClaim, Kind, Num, Reading, Tok, normalize};

fn is_space_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '«' | '»' | '“' | '”' | '„' | '‘' | '’' | '\'' | '`'
    )
}

pub(super) fn tokenize(cs: &[char]) -> Vec<Tok> {
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
