//! Words beside our figures: checking what a small local language model writes about a report
//! before anyone reads it.
//!
//! - [`check`]: [`check::filter`] drops every sentence that states a number, a date or a client
//!   name the report's facts do not hold; [`check::Checked::usable`] says whether enough is left
//!   to show, else the caller shows only its template text.
//!
//! - [`sheet`]: [`sheet::FactSheet`] holds a report's facts twice, as the compact lines the
//!   model is prompted with and as the [`check::Facts`] its text is checked against.
//! - [`gate`]: [`gate::Gate`] checks the narrative while it is written and lets it through a
//!   whole sentence at a time.
//!
//! This module owns the prompt's facts and the reading of generated text; it does not run the
//! model or choose which figures matter (the reports do). Plain text in, plain data out: no I/O,
//! no errors, bounded work.
//!
//! How the text is read:
//! - **Sentences** end at a line break, or at `.` `!` `?` `…` followed by whitespace and then
//!   neither a lower-case letter nor a currency sign, "%", comma, colon or closing bracket.
//!   Decimals ("1.24M", "12,5"), dates ("01.03.2026"), abbreviations before a lower-case word or
//!   a currency ("3 тыс. рублей", "136 тыс. ₽", "т.е. клиенты") and abbreviations
//!   that precede a name or a number ("e.g.", "т.е.", "Mr.", "ок.", "Mar. 3", initials such as
//!   "И. Петров") do not end one. List markers ("- ", "1. ", "## ") stay with their line.
//! - **Numbers in digits**: thousands grouped by spaces (also U+00A0 and U+202F), commas or dots
//!   ("1 240 000", "1,240,000", "1.240.000"); with two kinds of separator the last is the
//!   decimal mark ("1,240,000.50", "1 240 000,50"); one comma or dot followed by exactly three
//!   digits ("1,240") is read both ways, 1240 and 1.240, and either may match; otherwise a single
//!   comma or dot is decimal ("12,5", "1.24"). Scales: k/тыс/thousand, M/млн/million,
//!   B/bn/млрд/billion, attached or after a space ("1.24M", "1,24 млн", "3 тыс.", "2 million").
//!   A minus (`-`, U+2212) before the digits makes the number negative. Currency signs and codes
//!   and "%" are ignored. Digits glued to letters ("Q1", "B2B", "1С") are names, not figures.
//! - **Numbers in words**: English zero–nineteen, tens, "hundred", "thousand", "million",
//!   "billion" and compounds ("twenty-one", "three hundred and five", "a million"); Russian
//!   0–19, tens and hundreds in their case forms ("двенадцати", "трёх", "двухсот"), "двое"…,
//!   "полтора", тысяча/миллион/миллиард. A lone "one"/"один" (a pronoun as often as a number) and
//!   a lone plural scale ("thousands of", "тысячи клиентов") are not claims.
//! - **Dates**: `2026-03-01`, `2026-03`, `01.03.2026`, "March 3", "March 3rd, 2026", "3rd of
//!   March", "3 марта 2026", "1–15 марта", "March 2026", "в марте 2026", "в марте". English
//!   month names count only capitalised ("march" is a verb); "May" also needs a number next to
//!   it or not to start the sentence; abbreviations ("Mar", "янв") need a number next to them.
//!   Relative dates ("last month", "в прошлом квартале") are not read.
//! - **Names**: a run of capitalised words that are not common words (function words, report
//!   vocabulary, segment names, months, weekdays, titles, legal forms); all-capital words are
//!   acronyms. Two or more words are always checked; one word is checked unless it starts the
//!   sentence or follows a colon (so a one-word name opening a sentence is missed, and an
//!   ordinary opening word is never flagged); a name that opens the sentence is also known when
//!   all its words but the first are ("Thank Acme", "Поздравьте Ивана Петрова"). Compared
//!   case-insensitively, with Russian case endings stripped on a stem of at least three letters
//!   ("Петрову" is "Иван Петров"). Any proper noun the text may use (a city, a product) must be
//!   among the facts' names, or its sentence is dropped.

pub mod check;
pub mod gate;
mod mentions;
mod names;
mod sentences;
pub mod sheet;

#[cfg(test)]
mod tests;
