//! Numbers written in English or Russian words: "twenty-one", "двухсот", "a million".

use super::{Claim, Reading, Tok, normalize, word_at};

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
    if let Some(v) = crate::lexicon::small_number(w) {
        return Some(Value(f64::from(v)));
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
pub(super) fn number_words(toks: &[Tok], t: usize) -> Option<(Vec<Claim>, usize)> {
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
        percent: false,
    };
    Some((vec![claim], last))
}
