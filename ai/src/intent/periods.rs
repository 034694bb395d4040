//! Periods ("last week", "в марте прошлого года", "с 1 по 15 марта", "Q1", "ytd") and forecast
//! horizons ("next quarter", "на 3 месяца вперёд") in a question's tokens, resolved against
//! today. Weeks start on Monday; a period ending after today is cut to today.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::text::{Kind, Tok, number_word, word_in};
use super::{Horizon, Period, Unit};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Span {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Modifier {
    This,
    Last,
    /// "последние": a rolling window.
    Recent,
    Next,
}

/// A calendar expression before its year is inferred.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spec {
    Day { y: Option<i32>, m: u32, d: u32 },
    Month { y: Option<i32>, m: u32 },
    Quarter { y: Option<i32>, q: u32 },
    Year(i32),
    Date(NaiveDate),
}

/// A period a question names, and the index of its first token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub period: Period,
    pub at: usize,
}

/// Words before a number that make it an amount, not a year or a day.
const AMOUNT_WORDS: &str = "over above under below больше более меньше менее свыше выше ниже \
     than чем least most max min maximum minimum максимум минимум";

/// Finds the periods in `toks` in order and marks their tokens used.
pub(super) fn take_periods(toks: &mut [Tok], today: NaiveDate) -> Vec<Found> {
    let mut out = Vec::new();
    let mut last_span = None;
    let mut i = 0;
    while i < toks.len() {
        let reader = Reader { toks, today };
        match reader.period_at(i, last_span) {
            Some((period, end, span)) => {
                for t in toks.iter_mut().take(end).skip(i) {
                    t.used = true;
                }
                out.push(Found { period, at: i });
                last_span = span.or(last_span);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// Finds a forecast horizon ("next 3 months", "на квартал вперёд") and marks its tokens used.
pub(super) fn take_horizon(toks: &mut [Tok]) -> Option<Horizon> {
    for i in 0..toks.len() {
        let reader = Reader {
            toks,
            today: NaiveDate::MIN,
        };
        if let Some((horizon, end)) = reader.horizon_at(i) {
            for t in toks.iter_mut().take(end).skip(i) {
                t.used = true;
            }
            return Some(horizon);
        }
    }
    None
}

pub(super) fn this_month(today: NaiveDate) -> Period {
    Period {
        from: today.with_day(1).unwrap_or(today),
        to: today,
    }
}

struct Reader<'a> {
    toks: &'a [Tok],
    today: NaiveDate,
}

impl Reader<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.toks.get(i).filter(|t| !t.used).and_then(Tok::word)
    }

    fn is(&self, i: usize, keys: &str) -> bool {
        self.word(i).is_some_and(|w| word_in(w, keys, false))
    }

    fn sign(&self, i: usize) -> Option<char> {
        self.toks.get(i).filter(|t| !t.used).and_then(Tok::sign)
    }

    /// A small count in digits or words ("3", "three", "трёх").
    fn count(&self, i: usize) -> Option<u32> {
        let t = self.toks.get(i).filter(|t| !t.used)?;
        match t.num() {
            Some(n) => n.count(),
            None => number_word(t.word()?),
        }
    }

    fn day(&self, i: usize) -> Option<u32> {
        self.toks
            .get(i)
            .filter(|t| !t.used)
            .and_then(Tok::num)
            .and_then(|n| n.count())
            .filter(|d| (1..=31).contains(d))
    }

    fn modifier(&self, i: usize) -> Option<Modifier> {
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
    fn span(&self, i: usize) -> Option<(Span, bool)> {
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
    fn month(&self, i: usize) -> Option<(u32, bool)> {
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
        const EN_ABBR: [&str; 12] = [
            "jan", "feb", "mar", "apr", "", "jun", "jul", "aug", "sep sept", "oct", "nov", "dec",
        ];
        const RU: [&str; 12] = [
            "январ",
            "феврал",
            "март",
            "апрел",
            "ма",
            "июн",
            "июл",
            "август",
            "сентябр",
            "октябр",
            "ноябр",
            "декабр",
        ];
        const RU_ABBR: [&str; 12] = [
            "янв",
            "фев февр",
            "мар",
            "апр",
            "",
            "",
            "",
            "авг",
            "сен сент",
            "окт",
            "ноя нояб",
            "дек",
        ];
        let w = self.word(i)?;
        for (m, (((en, en_abbr), ru), ru_abbr)) in
            (1u32..).zip(EN.iter().zip(EN_ABBR).zip(RU).zip(RU_ABBR))
        {
            if let Some(ending) = w.strip_prefix(ru) {
                let endings: &[&str] = match m {
                    5 => &["й", "я", "е", "ем", "ю"],
                    3 | 8 => &["", "а", "е", "ом", "у"],
                    _ => &["ь", "я", "е", "ем", "ю"],
                };
                if endings.contains(&ending) {
                    return Some((m, matches!(ending, "а" | "я")));
                }
            }
            if word_in(w, ru_abbr, false) || word_in(w, en_abbr, false) {
                return Some((m, true));
            }
            if w == *en {
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
            if en.len() >= 6 && strsim::osa_distance(w, en) <= 1 {
                return Some((m, true));
            }
        }
        None
    }

    /// A year written at `i` as a number ("2025", "2025г") not being an amount.
    fn year(&self, i: usize) -> Option<i32> {
        let y = self.toks.get(i).filter(|t| !t.used)?.num()?.year()?;
        let amount_before = i.checked_sub(1).is_some_and(|p| {
            self.is(p, AMOUNT_WORDS) || self.sign(p).is_some_and(|c| "<>≤≥$€£₽".contains(c))
        });
        let money_after = self
            .toks
            .get(i + 1)
            .is_some_and(|t| t.kind == Kind::Sign('%') || super::money::is_money_word(t));
        (!amount_before && !money_after).then_some(y)
    }

    /// A year after a month or a quarter ("2025", "of last year", "прошлого года"), and where
    /// it ends; `(None, j)` when there is none.
    fn year_after(&self, j: usize) -> (Option<i32>, usize) {
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
    fn quarter(&self, i: usize) -> Option<(u32, usize)> {
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
    fn spec(&self, i: usize) -> Option<(Spec, usize)> {
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

    /// One period of any form at `i`: its end and, for relative ones, its unit.
    fn period_at(
        &self,
        i: usize,
        last_span: Option<Span>,
    ) -> Option<(Period, usize, Option<Span>)> {
        if let Some((p, end)) = self.to_date(i) {
            return Some((p, end, None));
        }
        if let Some((p, end)) = self.range(i) {
            return Some((p, end, None));
        }
        if let Some((p, end)) = self.since(i, last_span) {
            return Some((p, end, None));
        }
        self.single(i, last_span)
    }

    fn single(&self, i: usize, last_span: Option<Span>) -> Option<(Period, usize, Option<Span>)> {
        if let Some((spec, end)) = self.spec(i) {
            let (from, to) = self.resolve(spec, None)?;
            return Some((self.cut(from, to), end, None));
        }
        if let Some((from, end)) = self.named_day(i) {
            return Some((self.cut(from, from), end, None));
        }
        self.relative(i, last_span)
    }

    fn named_day(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let w = self.word(i)?;
        let back = |days| self.today.checked_sub_days(Days::new(days));
        if word_in(w, "today сегодня сегодняшн*", false) {
            Some((self.today, i + 1))
        } else if w == "day" && self.is(i + 1, "before") && self.is(i + 2, "yesterday") {
            Some((back(2)?, i + 3))
        } else if word_in(w, "yesterday вчера вчерашн*", false) {
            Some((back(1)?, i + 1))
        } else if w == "позавчера" {
            Some((back(2)?, i + 1))
        } else {
            None
        }
    }

    /// "ytd", "mtd", "year to date", "с начала года", "since the start of the month".
    fn to_date(&self, i: usize) -> Option<(Period, usize)> {
        let w = self.word(i)?;
        let abbreviation = match w {
            "ytd" => Some(Span::Year),
            "qtd" => Some(Span::Quarter),
            "mtd" => Some(Span::Month),
            "wtd" => Some(Span::Week),
            _ => None,
        };
        if let Some(span) = abbreviation {
            return Some((self.current(span)?, i + 1));
        }
        // "year to date", "year-to-date".
        if let Some((span, _)) = self.span(i) {
            let mut j = i + 1;
            let skip_dash = |j: &mut usize| {
                if self.sign(*j) == Some('-') {
                    *j += 1;
                }
            };
            skip_dash(&mut j);
            if self.is(j, "to") {
                j += 1;
                skip_dash(&mut j);
                if self.is(j, "date") {
                    return Some((self.current(span)?, j + 1));
                }
            }
        }
        // "с начала (этого) года", "since the start of (the/this) year".
        let start_words = if word_in(w, "с со", false) && self.is(i + 1, "начала") {
            Some(i + 2)
        } else if word_in(w, "since from", false)
            && self.is(i + 1, "the")
            && self.is(i + 2, "start beginning")
            && self.is(i + 3, "of")
        {
            Some(i + 4)
        } else {
            None
        };
        let mut j = start_words?;
        if self.is(j, "the this этого текущего") {
            j += 1;
        }
        let (span, _) = self.span(j)?;
        Some((self.current(span)?, j + 1))
    }

    /// "с 1 по 15 марта", "from March 1 to March 15", "between 1 and 15 march", "1-15 марта",
    /// "с марта по май", "from 2026-03-01 to 2026-03-15".
    fn range(&self, i: usize) -> Option<(Period, usize)> {
        let between = self.is(i, "between между");
        let marker = between || self.is(i, "from с со от starting");
        let a_at = if marker { i + 1 } else { i };
        let (a, a_end) = match self.spec(a_at) {
            Some((spec, end)) => (Some(spec), end),
            None => (None, a_at + 1),
        };
        let bare_day = if a.is_none() {
            Some(self.day(a_at)?)
        } else {
            None
        };
        let dash = self.sign(a_end).is_some_and(|c| "-–—".contains(c));
        let link = dash
            || if between {
                self.is(a_end, "and и")
            } else {
                marker && self.is(a_end, "to till until through thru по до")
            };
        if !link {
            return None;
        }
        let (b, end) = self.spec(a_end + 1)?;
        let a = match (a, bare_day, b) {
            (Some(a), _, _) => a,
            (None, Some(d), Spec::Day { y, m, .. }) => Spec::Day { y, m, d },
            (None, Some(d), Spec::Date(date)) => Spec::Day {
                y: Some(date.year()),
                m: date.month(),
                d,
            },
            _ => return None,
        };
        let (from, _) = self.resolve(a, year_of(b))?;
        let (_, mut to) = self.resolve(b, Some(from.year()))?;
        if to < from && year_of(b).is_none() {
            to = self.resolve(b, Some(from.year() + 1))?.1;
        }
        (from <= to).then(|| (self.cut(from, to), end))
    }

    /// "since March 3", "с 3 марта", "с прошлого месяца", "starting from 2026-03-01": from
    /// that day to today.
    fn since(&self, i: usize, last_span: Option<Span>) -> Option<(Period, usize)> {
        let mut j = i;
        if self.is(j, "starting начиная") {
            j += 1;
        }
        let russian_with = self.is(j, "с со");
        if !(russian_with || self.is(j, "since from after")) {
            return None;
        }
        let (p, end, _) = self.single(j + 1, last_span)?;
        // "с" also means "with": "сравни март с февралём". Since takes the genitive ("с марта",
        // "с прошлого месяца"); the instrumental ends in -м / -ей / -ой. A bare year ("сравни
        // 2025 с 2024") is "with" too: "since" says "с 2024 года".
        let instrumental = end
            .checked_sub(1)
            .and_then(|e| self.word(e))
            .is_some_and(|last| {
                last.ends_with('м') || last.ends_with("ей") || last.ends_with("ой")
            });
        let bare_year = end == j + 2 && self.year(j + 1).is_some();
        if russian_with && (instrumental || bare_year) {
            return None;
        }
        Some((
            Period {
                from: p.from,
                to: self.today,
            },
            end,
        ))
    }

    /// "last week", "в прошлом месяце", "this quarter", "last 7 days", "за последние 2 недели",
    /// "за 30 дней", and "last" alone after another period ("this month vs last").
    fn relative(&self, i: usize, last_span: Option<Span>) -> Option<(Period, usize, Option<Span>)> {
        if self.is(i, "за") && self.count(i + 1).is_none() {
            // "за неделю", "за месяц": the last one up to today.
            let (span, _) = self.span(i + 1)?;
            return Some((self.rolling(1, span)?, i + 2, Some(span)));
        }
        if self.is(i, "за within") {
            let n = self.count(i + 1)?;
            let (span, counted) = self.span(i + 2)?;
            if span == Span::Quarter && !counted && n <= 4 {
                return None; // "за 1 квартал" is Q1.
            }
            return Some((self.rolling(n, span)?, i + 3, Some(span)));
        }
        let mut j = i;
        if self.is(j, "the") {
            j += 1;
        }
        let modifier = self.modifier(j)?;
        j += 1;
        let n = self.count(j);
        if n.is_some() {
            j += 1;
        }
        let Some((span, _)) = self.span(j) else {
            // Elliptic: "this month vs last", "сравни этот месяц с прошлым".
            let span = last_span?;
            let period_word = self.is(j, "period периода периодом период периоде");
            if modifier != Modifier::Last || n.is_some() || period_word {
                return None;
            }
            return Some((self.previous(span)?, j, Some(span)));
        };
        let period = match (modifier, n) {
            (Modifier::This, None) => self.current(span)?,
            (Modifier::Last, None) => self.previous(span)?,
            (Modifier::Recent, None) => self.rolling(1, span)?,
            (Modifier::Last | Modifier::Recent, Some(n)) => self.rolling(n, span)?,
            _ => return None,
        };
        Some((period, j + 1, Some(span)))
    }

    /// "next month", "next 3 months", "на квартал вперёд", "3 months ahead", "for 6 weeks".
    fn horizon_at(&self, i: usize) -> Option<(Horizon, usize)> {
        let mut j = i;
        if self.modifier(j) != Some(Modifier::Next) && !self.is(j, "на for") {
            let n = self.count(j)?;
            let (span, _) = self.span(j + 1)?;
            if !self.is(j + 2, "ahead вперед forward out") {
                return None;
            }
            return Some((horizon(n, span)?, j + 3));
        }
        j += 1;
        if self.is(j, "the") {
            j += 1;
        }
        if self.modifier(j) == Some(Modifier::Next) {
            j += 1;
        }
        let n = self.count(j);
        if n.is_some() {
            j += 1;
        }
        let (span, _) = self.span(j)?;
        let mut end = j + 1;
        if self.is(end, "ahead вперед forward") {
            end += 1;
        }
        Some((horizon(n.unwrap_or(1), span)?, end))
    }

    /// Bounds of `spec` in `year` (or its own year, or the latest year that has started).
    fn resolve(&self, spec: Spec, year: Option<i32>) -> Option<(NaiveDate, NaiveDate)> {
        let bounds = |y: i32| -> Option<(NaiveDate, NaiveDate)> {
            match spec {
                Spec::Day { m, d, .. } => {
                    let day = NaiveDate::from_ymd_opt(y, m, d)?;
                    Some((day, day))
                }
                Spec::Month { m, .. } => month_bounds(y, m),
                Spec::Quarter { q, .. } => {
                    let (from, _) = month_bounds(y, q * 3 - 2)?;
                    let (_, to) = month_bounds(y, q * 3)?;
                    Some((from, to))
                }
                Spec::Year(y) => month_bounds(y, 1)
                    .zip(month_bounds(y, 12))
                    .map(|(a, b)| (a.0, b.1)),
                Spec::Date(d) => Some((d, d)),
            }
        };
        if let Some(y) = year_of(spec).or(year) {
            return bounds(y);
        }
        let this = self.today.year();
        match bounds(this) {
            Some((from, to)) if from <= self.today => Some((from, to)),
            _ => bounds(this - 1),
        }
    }

    /// `from..to` cut to today; a period wholly after today becomes today alone.
    fn cut(&self, from: NaiveDate, to: NaiveDate) -> Period {
        Period {
            from: from.min(self.today),
            to: to.min(self.today),
        }
    }

    fn current(&self, span: Span) -> Option<Period> {
        let t = self.today;
        let from = match span {
            Span::Day => t,
            Span::Week => {
                t.checked_sub_days(Days::new(u64::from(t.weekday().num_days_from_monday())))?
            }
            Span::Month => t.with_day(1)?,
            Span::Quarter => NaiveDate::from_ymd_opt(t.year(), (t.month0() / 3) * 3 + 1, 1)?,
            Span::Year => NaiveDate::from_ymd_opt(t.year(), 1, 1)?,
        };
        Some(Period { from, to: t })
    }

    fn previous(&self, span: Span) -> Option<Period> {
        let current = self.current(span)?.from;
        let from = match span {
            Span::Day => current.checked_sub_days(Days::new(1))?,
            Span::Week => current.checked_sub_days(Days::new(7))?,
            Span::Month => current.checked_sub_months(Months::new(1))?,
            Span::Quarter => current.checked_sub_months(Months::new(3))?,
            Span::Year => current.checked_sub_months(Months::new(12))?,
        };
        Some(Period {
            from,
            to: current.checked_sub_days(Days::new(1))?,
        })
    }

    /// The last `n` units up to today: "last 7 days" is today and the six days before.
    fn rolling(&self, n: u32, span: Span) -> Option<Period> {
        if n == 0 {
            return None;
        }
        let t = self.today;
        let from = match span {
            Span::Day => t.checked_sub_days(Days::new(u64::from(n) - 1))?,
            Span::Week => t.checked_sub_days(Days::new(u64::from(n) * 7 - 1))?,
            Span::Month | Span::Quarter | Span::Year => {
                let months = n * months_in(span);
                t.checked_sub_months(Months::new(months))?
                    .checked_add_days(Days::new(1))?
            }
        };
        Some(Period { from, to: t })
    }
}

fn months_in(span: Span) -> u32 {
    match span {
        Span::Quarter => 3,
        Span::Year => 12,
        _ => 1,
    }
}

fn horizon(n: u32, span: Span) -> Option<Horizon> {
    if n == 0 {
        return None;
    }
    Some(match span {
        Span::Day => Horizon {
            count: n,
            unit: Unit::Day,
        },
        Span::Week => Horizon {
            count: n,
            unit: Unit::Week,
        },
        Span::Month | Span::Quarter | Span::Year => Horizon {
            count: n * months_in(span),
            unit: Unit::Month,
        },
    })
}

fn year_of(spec: Spec) -> Option<i32> {
    match spec {
        Spec::Day { y, .. } | Spec::Month { y, .. } | Spec::Quarter { y, .. } => y,
        Spec::Year(y) => Some(y),
        Spec::Date(d) => Some(d.year()),
    }
}

fn month_bounds(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let from = NaiveDate::from_ymd_opt(y, m, 1)?;
    let to = from
        .checked_add_months(Months::new(1))?
        .checked_sub_days(Days::new(1))?;
    Some((from, to))
}
