//! Words both readers of text need: month names and number words in English and Russian. The
//! chat's question reader ([`crate::intent`]) and the narrative checker ([`crate::narrate`])
//! each decide when a word counts (capitals, neighbours, typos); the words themselves live here
//! once. Russian is written lower case with ё as е.

/// How one month is written.
pub(crate) struct MonthWords {
    pub en: &'static str,
    /// English abbreviations ("sep", "sept"); none for May.
    pub en_abbr: &'static [&'static str],
    /// The Russian stem and the endings of its case forms: "март" + "а" is "марта".
    pub ru_stem: &'static str,
    pub ru_endings: &'static [&'static str],
    /// Russian abbreviations ("янв"); none for май.
    pub ru_abbr: &'static [&'static str],
}

const SOFT: &[&str] = &["ь", "я", "е", "ем", "ю"];
const HARD: &[&str] = &["", "а", "е", "ом", "у"];

/// The twelve months, January first.
pub(crate) const MONTHS: [MonthWords; 12] = [
    month("january", &["jan"], "январ", SOFT, &["янв"]),
    month("february", &["feb"], "феврал", SOFT, &["фев", "февр"]),
    month("march", &["mar"], "март", HARD, &["мар"]),
    month("april", &["apr"], "апрел", SOFT, &["апр"]),
    month("may", &[], "ма", &["й", "я", "е", "ем", "ю"], &[]),
    month("june", &["jun"], "июн", SOFT, &["июн"]),
    month("july", &["jul"], "июл", SOFT, &["июл"]),
    month("august", &["aug"], "август", HARD, &["авг"]),
    month(
        "september",
        &["sep", "sept"],
        "сентябр",
        SOFT,
        &["сен", "сент"],
    ),
    month("october", &["oct"], "октябр", SOFT, &["окт"]),
    month("november", &["nov"], "ноябр", SOFT, &["ноя", "нояб"]),
    month("december", &["dec"], "декабр", SOFT, &["дек"]),
];

const fn month(
    en: &'static str,
    en_abbr: &'static [&'static str],
    ru_stem: &'static str,
    ru_endings: &'static [&'static str],
    ru_abbr: &'static [&'static str],
) -> MonthWords {
    MonthWords {
        en,
        en_abbr,
        ru_stem,
        ru_endings,
        ru_abbr,
    }
}

/// The month (1–12) a lower-case Russian word names in one of its case forms, and the ending
/// it has ("а" / "я" mark the genitive: "марта", "мая").
pub(crate) fn russian_month(word: &str) -> Option<(u32, &'static str)> {
    (1u32..).zip(&MONTHS).find_map(|(m, words)| {
        let ending = word.strip_prefix(words.ru_stem)?;
        words
            .ru_endings
            .iter()
            .find(|e| **e == ending)
            .map(|e| (m, *e))
    })
}

/// English 0–19.
pub(crate) const EN_UNITS: [&str; 20] = [
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

/// English 20, 30 … 90.
pub(crate) const EN_TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Russian 0–10 in their case forms and the collective forms ("двое", "пятерых").
pub(crate) const RU_UNITS: [&[&str]; 11] = [
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
    &["шесть", "шести", "шестью", "шестеро", "шестерых"],
    &["семь", "семи", "семью", "семеро", "семерых"],
    &["восемь", "восьми", "восемью", "восьмью"],
    &["девять", "девяти", "девятью"],
    &["десять", "десяти", "десятью"],
];

/// Stems of Russian 11–20 and 30, declined with soft endings ("двенадцат" + "ь", "и", "ью").
pub(crate) const RU_SOFT_STEMS: [(&str, u32); 11] = [
    ("одиннадцат", 11),
    ("двенадцат", 12),
    ("тринадцат", 13),
    ("четырнадцат", 14),
    ("пятнадцат", 15),
    ("шестнадцат", 16),
    ("семнадцат", 17),
    ("восемнадцат", 18),
    ("девятнадцат", 19),
    ("двадцат", 20),
    ("тридцат", 30),
];

/// The endings of [`RU_SOFT_STEMS`] in their case forms.
pub(crate) const RU_SOFT_ENDINGS: [&str; 3] = ["ь", "и", "ью"];

/// The value of a lower-case English or Russian word for 0–20 or 30 (the units, teens and the
/// soft-stem tens, in any case form), or of the other English tens.
pub(crate) fn small_number(word: &str) -> Option<u32> {
    let index = |i: usize| u32::try_from(i).ok();
    if let Some(i) = EN_UNITS.iter().position(|w| *w == word) {
        return index(i);
    }
    if let Some(i) = EN_TENS.iter().position(|w| *w == word) {
        return index(i + 2).map(|t| t * 10);
    }
    if let Some(i) = RU_UNITS.iter().position(|forms| forms.contains(&word)) {
        return index(i);
    }
    RU_SOFT_STEMS.iter().find_map(|(stem, v)| {
        let ending = word.strip_prefix(stem)?;
        RU_SOFT_ENDINGS.contains(&ending).then_some(*v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_numbers_read_in_their_forms() {
        assert_eq!(russian_month("марта"), Some((3, "а")));
        assert_eq!(russian_month("мае"), Some((5, "е")));
        assert_eq!(russian_month("декабрь"), Some((12, "ь")));
        assert_eq!(russian_month("маска"), None);
        for (word, value) in [
            ("zero", 0),
            ("twelve", 12),
            ("ninety", 90),
            ("двух", 2),
            ("пятерых", 5),
            ("двенадцати", 12),
            ("тридцатью", 30),
        ] {
            assert_eq!(small_number(word), Some(value), "{word}");
        }
        assert_eq!(small_number("двенадцатый"), None);
    }
}
