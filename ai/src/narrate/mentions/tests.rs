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
