use chrono::NaiveDate;

use super::*;
use crate::reports::ClientRef;
use crate::reports::general::RfmSegment;

fn score(p_alive: f64, purchases: i64, days: i32) -> ClientScore {
    ClientScore {
        client: ClientRef {
            id: async_graphql::ID("1".into()),
            name: "Анна Смирнова".into(),
        },
        segment: RfmSegment::AtRisk,
        purchases,
        last_purchase: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
        days_since_last_purchase: days,
        p_alive,
        expected_purchases_30_days: 0.2,
        expected_purchases_90_days: 0.64,
        expected_order_value: Some(Money::new(1_250_000, "RUB")),
        clv_12_months: Some(Money::new(4_800_000, "RUB")),
    }
}

#[test]
fn client_notes_say_status_expectations_and_the_next_step() {
    let action = Action {
        kind: ActionKind::CallAtRisk,
        client: None,
        segment: RfmSegment::AtRisk,
        value_at_stake: Money::new(4_800_000, "RUB"),
        evidence: Vec::new(),
    };
    let note = client_note(&score(0.42, 3, 21), Some(&action));
    assert_eq!(
        note.en,
        "Анна Смирнова may be drifting away (42.0% chance of still being active). \
         3 purchases so far, the last 21 days ago. \
         Expected in the next 90 days: 0.6 purchases of about 12,500.00\u{a0}RUB each. \
         Their value over the next 12 months: 48,000.00\u{a0}RUB. \
         Next step: call them now, before they leave."
    );
    assert_eq!(
        note.ru,
        "Анна Смирнова, возможно, уходит (вероятность активности 42,0\u{a0}%). \
         Всего 3 покупки, последняя — 21 день назад. \
         В ближайшие 90 дней ожидается покупок: 0,6, примерно по 12\u{a0}500,00\u{a0}₽. \
         Ценность клиента на 12 месяцев вперёд — 48\u{a0}000,00\u{a0}₽. \
         Что сделать: позвонить сейчас, пока клиент не ушёл."
    );
    let loyal = client_note(&score(0.93, 1, 5), None);
    assert!(
        loyal
            .en
            .starts_with("Анна Смирнова is most likely still buying (93.0% chance")
    );
    assert!(loyal.en.contains("1 purchase so far, the last 5 days ago."));
    assert!(
        loyal
            .ru
            .contains("Всего 1 покупка, последняя — 5 дней назад.")
    );
    assert!(
        loyal
            .en
            .ends_with("Next step: nothing urgent; keep in touch as usual.")
    );
    let today = client_note(&score(0.93, 2, 0), None);
    assert!(today.en.contains("2 purchases so far, the last today."));
    assert!(today.ru.contains("Всего 2 покупки, последняя — сегодня."));
    assert!(
        client_note(&score(0.93, 2, 1), None)
            .en
            .contains("the last yesterday.")
    );
    let lost = client_note(&score(0.05, 12, 400), None);
    assert!(
        lost.ru
            .contains("перестал покупать (вероятность активности лишь 5,0\u{a0}%)")
    );
    assert!(
        lost.ru
            .contains("Всего 12 покупок, последняя — 400 дней назад.")
    );
}

#[test]
fn russian_plural_forms() {
    let forms = ["продажа", "продажи", "продаж"];
    for (n, expected) in [
        (1, "1 продажа"),
        (2, "2 продажи"),
        (5, "5 продаж"),
        (11, "11 продаж"),
        (12, "12 продаж"),
        (21, "21 продажа"),
        (22, "22 продажи"),
        (111, "111 продаж"),
        (1_001, "1\u{a0}001 продажа"),
        (0, "0 продаж"),
    ] {
        assert_eq!(ru_plural(n, forms), expected, "{n}");
    }
}

#[test]
fn numbers_and_money_per_locale() {
    let m = Money::new(124_000_050, "RUB");
    assert_eq!(money(&m, Lang::Ru), "1\u{a0}240\u{a0}000,50\u{a0}₽");
    assert_eq!(money(&m, Lang::En), "1,240,000.50\u{a0}RUB");
    assert_eq!(
        money(&Money::new(-1500, "JPY"), Lang::En),
        "-1,500\u{a0}JPY"
    );
    assert_eq!(percent(12.345, Lang::Ru), "12,3\u{a0}%");
    assert_eq!(percent(-0.04, Lang::En), "0.0%");
    assert_eq!(
        date(
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
            Lang::Ru
        ),
        "1 марта 2026"
    );
}

#[test]
fn backtest_sentence_without_mase_says_why() {
    let mut a = Accuracy {
        mase: Some(0.71),
        baseline_mase: Some(1.0),
        coverage80: 0.75,
        coverage95: 0.9,
        origins: 4,
        periods_held_out: 4,
    };
    assert_eq!(
        accuracy_sentence("ETS", true, &a, Lang::En),
        "Method: ETS. Tested on 4 held-out stretches of the history, its error was 0.71 of the \
         seasonal naive forecast's (MASE; the seasonal naive forecast itself: 1.00), and 75.0% of \
         actual values fell inside the 80% interval."
    );
    assert_eq!(
        accuracy_sentence("ETS", false, &a, Lang::Ru),
        "Метод: ETS. На отложенных участках истории (4) его ошибка составила 0,71 от ошибки \
         наивного прогноза (MASE; у самого наивного прогноза — 1,00), в 80-процентный интервал \
         попало 75,0\u{a0}% фактических значений."
    );
    a.baseline_mase = None;
    assert_eq!(
        accuracy_sentence("ETS", false, &a, Lang::En),
        "Method: ETS. Tested on 4 held-out stretches of the history, its error was 0.71 of the \
         naive forecast's (MASE), and 75.0% of actual values fell inside the 80% interval."
    );
    a.mase = None;
    assert_eq!(
        accuracy_sentence("ETS", false, &a, Lang::En),
        "Method: ETS. Tested on 4 held-out stretches of the history: MASE is undefined because \
         the naive forecast makes no error on this history; 75.0% of actual values fell inside \
         the 80% interval."
    );
    assert_eq!(
        accuracy_sentence("ETS", true, &a, Lang::Ru),
        "Метод: ETS. На отложенных участках истории (4) его ошибку нельзя выразить в долях \
         ошибки сезонного наивного прогноза (MASE): на этой истории тот не ошибается; в \
         80-процентный интервал попало 75,0\u{a0}% фактических значений."
    );
}
