//! Cutting generated text into sentences without cutting numbers or abbreviations in two.
//!
//! A sentence ends at a line break, or at `.`, `!`, `?` or `…` (closing quotes and brackets may
//! follow) when whitespace or the end of the text comes next and what follows is not a
//! lower-case letter, a currency sign, "%" or a comma, colon or closing bracket. So "1.24M",
//! "12,5 %", "01.03.2026" never end a sentence (no whitespace after the dot), nor do
//! "3 тыс. рублей", "136 тыс. ₽" or "т.е. клиенты". Abbreviations that come before a name or a
//! number never end one either: "e.g.", "i.e.", "т.е.", "Mr.", "Dr.", "ок.", "г. Москва",
//! "Mar. 3", initials ("И. Петров", "J. Smith").
//! A list marker at the start of a line ("- ", "* ", "• ", "1. ", "2) ", "## ") belongs to the
//! sentence it starts; it is kept in the text and left out of the checked part.

/// One sentence of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Sentence<'a> {
    /// The sentence as written, trimmed, list marker included.
    pub text: &'a str,
    /// The part to check: `text` without its list marker.
    pub body: &'a str,
    /// Byte offsets of `text` in the whole text.
    pub start: usize,
    pub end: usize,
}

/// Characters that continue a sentence after a dot and a space: "3 тыс. ₽", "1,2 млн. $)".
const CONTINUES: &[char] = &[
    ',', ';', ':', ')', ']', '%', '$', '€', '£', '¥', '₽', '₸', '₴', '₹', '₩', '₺', '¢',
];

/// Abbreviations (lower case, without the final dot) that stand before a name or a number and so
/// never end a sentence, even when a capital or a digit follows.
const NEVER_FINAL: &[&str] = &[
    "e.g",
    "i.e",
    "cf",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "approx",
    "ca",
    "no",
    "т.е",
    "т.к",
    "т.н",
    "напр",
    "см",
    "ок",
    "прибл",
    "ул",
    "им",
    "св",
];

/// Splits `text` into sentences, in order; empty pieces (blank lines, a lone list marker) are
/// left out.
pub(super) fn split(text: &str) -> Vec<Sentence<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
    let mut out = Vec::new();
    let mut start = 0; // char index where the current sentence starts
    let mut i = 0;
    let mut line_start = true;
    while i < chars.len() {
        if line_start {
            i += marker_len(&chars, i);
            line_start = false;
            continue;
        }
        let Some(c) = at(i) else { break };
        if c == '\n' {
            push(text, &mut out, offset(start), offset(i));
            i += 1;
            start = i;
            line_start = true;
            continue;
        }
        if !matches!(c, '.' | '!' | '?' | '…') {
            i += 1;
            continue;
        }
        let mut j = i;
        while at(j).is_some_and(|c| matches!(c, '.' | '!' | '?' | '…')) {
            j += 1;
        }
        while at(j).is_some_and(|c| matches!(c, ')' | ']' | '"' | '»' | '”' | '’' | '\'' | '*'))
        {
            j += 1;
        }
        let ends = match at(j) {
            None => true,
            Some(next) if next.is_whitespace() => {
                let mut k = j;
                while at(k).is_some_and(|c| c.is_whitespace() && c != '\n') {
                    k += 1;
                }
                let next_word = at(k);
                let continues =
                    next_word.is_some_and(|c| c.is_lowercase() || CONTINUES.contains(&c));
                // Only a single dot can belong to an abbreviation; "?" and "!" always end.
                let abbreviation = j == i + 1 && c == '.' && never_final(&chars, i, next_word);
                !continues && !abbreviation
            }
            Some(_) => false,
        };
        if ends {
            push(text, &mut out, offset(start), offset(j));
            start = j;
        }
        i = j;
    }
    push(text, &mut out, offset(start), text.len());
    out
}

fn push<'a>(text: &'a str, out: &mut Vec<Sentence<'a>>, from: usize, to: usize) {
    let Some(piece) = text.get(from..to) else {
        return;
    };
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let lead = piece.len() - piece.trim_start().len();
    let start = from + lead;
    let body_chars: Vec<(usize, char)> = trimmed.char_indices().collect();
    let skip = marker_len(&body_chars, 0);
    let body = body_chars
        .get(skip)
        .and_then(|&(o, _)| trimmed.get(o..))
        .unwrap_or("")
        .trim();
    if body.is_empty() {
        return;
    }
    out.push(Sentence {
        text: trimmed,
        body,
        start,
        end: start + trimmed.len(),
    });
}

/// Length in chars of a list marker (with its leading and trailing spaces) at `i`, or 0.
fn marker_len(chars: &[(usize, char)], i: usize) -> usize {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let mut k = i;
    while at(k).is_some_and(|c| c == ' ' || c == '\t') {
        k += 1;
    }
    let after_marker = match at(k) {
        Some('-' | '*' | '•' | '–' | '—' | '+') => k + 1,
        Some('#') => {
            let mut m = k;
            while at(m) == Some('#') {
                m += 1;
            }
            m
        }
        Some(d) if d.is_ascii_digit() => {
            let mut m = k;
            while at(m).is_some_and(|c| c.is_ascii_digit()) && m - k < 2 {
                m += 1;
            }
            match at(m) {
                Some('.' | ')') => m + 1,
                _ => return 0,
            }
        }
        _ => return 0,
    };
    // A marker is followed by a space; "-5 %" or "1.24M" at a line start are not markers.
    if !at(after_marker).is_some_and(|c| c == ' ' || c == '\t') {
        return 0;
    }
    let mut m = after_marker;
    while at(m).is_some_and(|c| c == ' ' || c == '\t') {
        m += 1;
    }
    m - i
}

/// Month abbreviations: they end no sentence when a day or year follows ("Mar. 3", "янв. 2026").
const MONTHS_SHORT: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "янв",
    "фев", "февр", "мар", "апр", "июн", "июл", "авг", "сен", "сент", "окт", "ноя", "нояб", "дек",
];

/// Whether the dot at `dot`, before `next` (the next word's first char), closes an abbreviation
/// that does not end a sentence.
fn never_final(chars: &[(usize, char)], dot: usize, next: Option<char>) -> bool {
    let word_start = chars
        .get(..dot)
        .and_then(|before| before.iter().rposition(|&(_, c)| c.is_whitespace()))
        .map_or(0, |p| p + 1);
    let word: String = chars
        .get(word_start..dot)
        .unwrap_or_default()
        .iter()
        .map(|&(_, c)| c)
        .skip_while(|c| !c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let mut letters = word.chars();
    // An initial: one capital letter ("И. Петров"); `word` is lower-cased, so look back.
    if let (Some(_), None) = (letters.next(), letters.next()) {
        let original = chars.get(dot.wrapping_sub(1)).map(|&(_, c)| c);
        if original.is_some_and(char::is_uppercase) {
            return true;
        }
        if word == "г" {
            // "г. Москва" (a city) never ends; "в 2026 г. Выручка" (a year) may.
            let before: String = chars
                .get(..word_start)
                .unwrap_or_default()
                .iter()
                .rev()
                .map(|&(_, c)| c)
                .skip_while(|c| c.is_whitespace())
                .take_while(|c| !c.is_whitespace())
                .collect();
            let year = !before.is_empty() && before.chars().all(|c| c.is_ascii_digit());
            return !year;
        }
    }
    NEVER_FINAL.contains(&word.as_str())
        || (MONTHS_SHORT.contains(&word.as_str()) && next.is_some_and(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn decimals_and_units_do_not_end_sentences() {
        assert_eq!(
            texts("Revenue was $1.24M. It grew 12.5% on 01.03.2026! Good?"),
            [
                "Revenue was $1.24M.",
                "It grew 12.5% on 01.03.2026!",
                "Good?"
            ]
        );
        assert_eq!(
            texts(
                "Выручка 1,24 млн. руб., т.е. больше. Рост 12,5 %. Плюс 136 тыс. ₽ (т.е. много)."
            ),
            [
                "Выручка 1,24 млн. руб., т.е. больше.",
                "Рост 12,5 %.",
                "Плюс 136 тыс. ₽ (т.е. много)."
            ]
        );
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            texts("Call Mr. Smith, e.g. Tuesday. И. Петров купил на 3 тыс. Это мало. By Mar. 3."),
            [
                "Call Mr. Smith, e.g. Tuesday.",
                "И. Петров купил на 3 тыс.",
                "Это мало.",
                "By Mar. 3."
            ]
        );
        assert_eq!(
            texts("Офис в г. Москва. В 2026 г. Выручка росла."),
            ["Офис в г. Москва.", "В 2026 г.", "Выручка росла."]
        );
    }

    #[test]
    fn lines_and_list_markers() {
        let got = split("Summary:\n1. Acme grew.\n- Globex fell (a lot).\n\n-5% overall.");
        let bodies: Vec<&str> = got.iter().map(|s| s.body).collect();
        assert_eq!(
            bodies,
            [
                "Summary:",
                "Acme grew.",
                "Globex fell (a lot).",
                "-5% overall."
            ]
        );
        assert_eq!(got[1].text, "1. Acme grew.");
    }

    #[test]
    fn offsets_point_at_the_text() {
        let text = "  One.  Two.\nThree";
        for s in split(text) {
            assert_eq!(&text[s.start..s.end], s.text);
        }
        assert_eq!(texts(text), ["One.", "Two.", "Three"]);
    }
}
