//! The words of a period, one at a time: units, modifiers, months, years, quarters, and the
//! calendar expressions they make ("March 3", "Q1 2025", "в марте прошлого года").

use chrono::Datelike;

use super::super::money;
use super::super::text::{Kind, Tok, number_word, word_in};
use super::{AMOUNT_WORDS, Modifier, Reader, Span, Spec};

impl Reader<'_> {
    pub(super) fn word(&self, i: usize) -> Option<&str> {
        self.toks.get(i).filter(|t| !t.used).and_then(Tok::word)
    }

    pub(super) fn is(&self, i: usize, keys: &str) -> bool {
        self.word(i).is_some_and(|w| word_in(w, keys, false))
    }

    pub(super) fn sign(&self, i: usize) -> Option<char> {
        self.toks.get(i).filter(|t| !t.used).and_then(Tok::sign)
    }

    /// A small count in digits or words ("3", "three", "трёх").
    pub(super) fn count(&self, i: usize) -> Option<u32> {
        let t = self.toks.get(i).filter(|t| !t.used)?;
        match t.num() {
            Some(n) => n.count(),
            None => number_word(t.word()?),
        }
    }

    pub(super) fn day(&self, i: usize) -> Option<u32> {
        self.toks
            .get(i)
            .filter(|t| !t.used)
            .and_then(Tok::num)
            .and_then(|n| n.count())
            .filter(|d| (1..=31).contains(d))
    }

    pub(super) fn modifier(&self, i: usize) -> Option<Modifier> {
        let w = self.word(i)?;
        if word_in(
            w,
            "this current этот эта этом этой эту этого текущ* нынешн*",
            false,
        ) {
            Some(Modifier::This)
        } else if word_in(
            w,
            "last previous prev past prior прошл* предыдущ* минувш*",
            false,
        ) {
            Some(Modifier::Last)
        } else if word_in(w, "последн*", false) {
            Some(Modifier::Recent)
        } else if word_in(
            w,
            "next coming upcoming following следующ* ближайш* грядущ*",
            false,
        ) {
            Some(Modifier::Next)
        } else {
            None
        }
    }

    /// A unit word, and whether it is a counted form ("quarters", "квартала") rather than the
    /// form an ordinal takes ("quarter", "квартал").
    pub(super) fn span(&self, i: usize) -> Option<(Span, bool)> {
        Some(match self.word(i)? {
            "day" | "день" | "дню" | "днем" => (Span::Day, false),
            "days" | "d" | "дня" | "дней" | "дн" | "дни" | "суток" | "сутки" => {
                (Span::Day, true)
            }
            "week" | "wk" | "неделя" | "неделю" | "неделе" | "неделей" => {
                (Span::Week, false)
            }
            "weeks" | "w" | "wks" | "недели" | "недель" => (Span::Week, true),
            "month" | "месяц" | "месяце" | "месяцем" => (Span::Month, false),
            "months" | "mo" | "mos" | "мес" | "месяца" | "месяцев" | "месяцы" => {
                (Span::Month, true)
            }
            "quarter" | "qtr" | "квартал" | "квартале" | "кварталом" => {
                (Span::Quarter, false)
            }
            "quarters" | "квартала" | "кварталов" | "кварталы" => {
                (Span::Quarter, true)
            }
            "year" | "yr" | "год" | "году" | "годом" | "г" => (Span::Year, false),
            "years" | "yrs" | "года" | "лет" | "годы" | "гг" => (Span::Year, true),
            _ => return None,
        })
    }

    /// A month's name at `i` (any case form, English abbreviations, one typo in a long English
    /// name) and whether it is a Russian genitive ("марта", which "с" needs to mean "since").
    pub(super) fn month(&self, i: usize) -> Option<(u32, bool)> {
        let w = self.word(i)?;
        if let Some((m, ending)) = crate::lexicon::russian_month(w) {
            return Some((m, matches!(ending, "а" | "я")));
        }
        for (m, words) in (1u32..).zip(&crate::lexicon::MONTHS) {
            if words.ru_abbr.contains(&w) || words.en_abbr.contains(&w) {
                return Some((m, true));
            }
            if w == words.en {
                // "may" is a verb as often: a month only next to a number or after a preposition.
                let month = m != 5
                    || self.day(i + 1).is_some()
                    || self.toks.get(i + 1).and_then(Tok::num).is_some()
                    || i.checked_sub(1).is_some_and(|p| {
                        self.is(
                            p,
                            "in for since from of during till until to by between and",
                        ) || self.day(p).is_some()
                    });
                return month.then_some((m, true));
            }
            if words.en.len() >= 6 && strsim::osa_distance(w, words.en) <= 1 {
                return Some((m, true));
            }
        }
        None
    }

    /// A year written at `i` as a number ("2025", "2025г") not being an amount.
    pub(super) fn year(&self, i: usize) -> Option<i32> {
        let y = self.toks.get(i).filter(|t| !t.used)?.num()?.year()?;
        let amount_before = i.checked_sub(1).is_some_and(|p| {
            self.is(p, AMOUNT_WORDS) || self.sign(p).is_some_and(|c| "<>≤≥$€£₽".contains(c))
        });
        let money_after = self
            .toks
            .get(i + 1)
            .is_some_and(|t| t.kind == Kind::Sign('%') || money::is_money_word(t));
        (!amount_before && !money_after).then_some(y)
    }

    /// A year after a month or a quarter ("2025", "of last year", "прошлого года"), and where
    /// it ends; `(None, j)` when there is none.
    pub(super) fn year_after(&self, j: usize) -> (Option<i32>, usize) {
        let k = if self.is(j, "of") || self.sign(j) == Some(',') {
            j + 1
        } else {
            j
        };
        if let Some(y) = self.year(k) {
            let end = if self.span(k + 1).is_some_and(|(s, _)| s == Span::Year) {
                k + 2
            } else {
                k + 1
            };
            return (Some(y), end);
        }
        let year_word = self.span(k + 1).is_some_and(|(s, _)| s == Span::Year);
        let this = self.today.year();
        if year_word && self.is(k, "позапрошл*") {
            return (Some(this - 2), k + 2);
        }
        match self.modifier(k) {
            Some(Modifier::Last) if year_word => (Some(this - 1), k + 2),
            Some(Modifier::This) if year_word => (Some(this), k + 2),
            _ => (None, j),
        }
    }

    /// A quarter's number at `i` ("q1", "1 квартал", "first quarter", "ii квартал"); its end.
    pub(super) fn quarter(&self, i: usize) -> Option<(u32, usize)> {
        let w = self.word(i);
        if let Some(q) = w
            .and_then(|w| w.strip_prefix('q'))
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|q| (1..=4).contains(q))
        {
            return Some((q, i + 1));
        }
        const ORDINALS: [&str; 4] = [
            "first 1st i первый первом первого первому",
            "second 2nd ii второй втором второго второму",
            "third 3rd iii третий третьем третьего третьему",
            "fourth 4th iv четвертый четвертом четвертого четвертому",
        ];
        let q = match w {
            Some(w) => (1u32..)
                .zip(ORDINALS)
                .find(|(_, forms)| word_in(w, forms, false))
                .map(|(q, _)| q),
            None => self.count(i).filter(|q| (1..=4).contains(q)),
        }?;
        let the_span = self.span(i + 1);
        (the_span == Some((Span::Quarter, false))).then_some((q, i + 2))
    }

    /// A calendar expression at `i` and where it ends.
    pub(super) fn spec(&self, i: usize) -> Option<(Spec, usize)> {
        let t = self.toks.get(i).filter(|t| !t.used)?;
        if let Kind::Date(d) = t.kind {
            return Some((Spec::Date(d), i + 1));
        }
        if let Some((q, end)) = self.quarter(i) {
            let (y, end) = self.year_after(end);
            return Some((Spec::Quarter { y, q }, end));
        }
        if let Some(d) = self.day(i) {
            let j = if self.is(i + 1, "of") { i + 2 } else { i + 1 };
            // Russian needs the genitive after a day ("3 марта"; "5 март" is not a date).
            if let Some((m, genitive)) = self.month(j)
                && (genitive || self.word(j).is_some_and(|w| w.is_ascii()))
            {
                let (y, end) = self.year_after(j + 1);
                return Some((Spec::Day { y, m, d }, end));
            }
        }
        if let Some((m, _)) = self.month(i) {
            if let Some(d) = self.day(i + 1)
                && self.month(i + 2).is_none()
            {
                let (y, end) = self.year_after(i + 2);
                return Some((Spec::Day { y, m, d }, end));
            }
            let (y, end) = self.year_after(i + 1);
            return Some((Spec::Month { y, m }, end));
        }
        if let Some(y) = self.year(i) {
            let end = if self.span(i + 1).is_some_and(|(s, _)| s == Span::Year) {
                i + 2
            } else {
                i + 1
            };
            return Some((Spec::Year(y), end));
        }
        None
    }
}
