//! A few plain sentences from a report's own figures, in English and Russian: our own templates,
//! with Russian plural forms (CLDR rules: one / few / many), locale number formats (1,240,000.50
//! and 1 240 000,50) and money written after the number in Russian (1 240 000,00 ₽). Every
//! number in them comes from the report; the assistant may add its words later, never figures.

use super::general::{GeneralReport, RfmSegment};
use super::recommendations::{Action, ActionKind, ClientScore, RecommendationsReport};
use super::trends::{Accuracy, ForecastMethod, ForecastNoteKind, TrendsReport};
use super::{Granularity, LocalizedText, ReportParameters, total_minor};
use crate::domain::money::Money;

mod format;
#[cfg(test)]
mod tests;

use format::ru_form;
pub use format::ru_plural;
pub(crate) use format::{Lang, change, date, decimal, en_plural, int, money, percent};

fn range(p: &ReportParameters, lang: Lang) -> String {
    match lang {
        Lang::En => format!("From {} to {}", date(p.from, lang), date(p.to, lang)),
        Lang::Ru => format!("С {} по {}", date(p.from, lang), date(p.to, lang)),
    }
}

fn both(f: impl Fn(Lang) -> Vec<String>) -> LocalizedText {
    LocalizedText {
        en: f(Lang::En).join(" "),
        ru: f(Lang::Ru).join(" "),
    }
}

fn missing_rates_sentence(missing: bool, base: &str, lang: Lang) -> Option<String> {
    missing.then(|| match lang {
        Lang::En => format!("Some figures cannot be given in {base}: an exchange rate is missing."),
        Lang::Ru => format!("Часть сумм нельзя пересчитать в {base}: не хватает курса валюты."),
    })
}

pub fn general(p: &ReportParameters, base: &str, r: &GeneralReport) -> LocalizedText {
    both(|lang| {
        let t = &r.totals;
        let mut out = Vec::new();
        if t.sales_count == 0 {
            out.push(match lang {
                Lang::En => format!("{}: no sales.", range(p, lang)),
                Lang::Ru => format!("{}: продаж нет.", range(p, lang)),
            });
            return out;
        }
        let sales = match lang {
            Lang::En => en_plural(t.sales_count, "sale", "sales"),
            Lang::Ru => ru_plural(t.sales_count, ["продажа", "продажи", "продаж"]),
        };
        let mut first = match (&t.revenue_in_base, lang) {
            (Some(m), Lang::En) => format!(
                "{}: revenue {} from {sales}",
                range(p, lang),
                money(m, lang)
            ),
            (Some(m), Lang::Ru) => {
                format!("{}: выручка {}, {sales}", range(p, lang), money(m, lang))
            }
            (None, Lang::En) => format!("{}: {sales}", range(p, lang)),
            (None, Lang::Ru) => format!("{}: {sales}", range(p, lang)),
        };
        if let Some(c) = r.change.revenue_percent {
            first.push_str(&format!(
                " ({})",
                change(c, lang, ("the previous period", "в предыдущем периоде"))
            ));
        }
        first.push('.');
        out.push(first);
        out.push(match lang {
            Lang::En => format!(
                "{}, {} of them new.",
                en_plural(t.buyers, "buyer", "buyers"),
                int(t.new_buyers, lang)
            ),
            Lang::Ru => format!(
                "{}, из них новых — {}.",
                ru_plural(t.buyers, ["покупатель", "покупателя", "покупателей"]),
                int(t.new_buyers, lang)
            ),
        });
        if let Some(aov) = &t.average_order_value {
            out.push(match lang {
                Lang::En => format!("Average order value {}.", money(aov, lang)),
                Lang::Ru => format!("Средний чек — {}.", money(aov, lang)),
            });
        }
        if let Some(top) = r.top_clients.first()
            && let Some(value) = &top.revenue_in_base
        {
            out.push(match lang {
                Lang::En => format!(
                    "The top client is {} with {}.",
                    top.client.name,
                    money(value, lang)
                ),
                Lang::Ru => format!(
                    "Крупнейший клиент — {}: {}.",
                    top.client.name,
                    money(value, lang)
                ),
            });
        }
        out.extend(missing_rates_sentence(
            t.revenue_in_base.is_none(),
            base,
            lang,
        ));
        out
    })
}

fn unit_plural(g: Granularity, n: i64, lang: Lang) -> String {
    match (lang, g) {
        (Lang::En, Granularity::Day) => en_plural(n, "day", "days"),
        (Lang::En, Granularity::Week) => en_plural(n, "week", "weeks"),
        (Lang::En, Granularity::Month) => en_plural(n, "month", "months"),
        (Lang::Ru, Granularity::Day) => ru_plural(n, ["день", "дня", "дней"]),
        // Accusative: the texts say "за 3 недели", "на 1 неделю вперёд".
        (Lang::Ru, Granularity::Week) => ru_plural(n, ["неделю", "недели", "недель"]),
        (Lang::Ru, Granularity::Month) => ru_plural(n, ["месяц", "месяца", "месяцев"]),
    }
}

fn method_name(m: ForecastMethod, lang: Lang) -> &'static str {
    match (m, lang) {
        (ForecastMethod::Naive, Lang::En) => "the last value repeated (naive)",
        (ForecastMethod::Naive, Lang::Ru) => "повтор последнего значения (наивный)",
        (ForecastMethod::SeasonalNaive, Lang::En) => "last season repeated (seasonal naive)",
        (ForecastMethod::SeasonalNaive, Lang::Ru) => "повтор прошлого сезона (сезонный наивный)",
        (ForecastMethod::Theta, _) => "Theta",
        (ForecastMethod::Ets, Lang::En) => "exponential smoothing (ETS)",
        (ForecastMethod::Ets, Lang::Ru) => "экспоненциальное сглаживание (ETS)",
        (ForecastMethod::MstlEts | ForecastMethod::MstlEtsLog, Lang::En) => {
            "seasonal decomposition with exponential smoothing (MSTL + ETS)"
        }
        (ForecastMethod::MstlEts | ForecastMethod::MstlEtsLog, Lang::Ru) => {
            "сезонная декомпозиция со сглаживанием (MSTL + ETS)"
        }
    }
}

pub fn trends(p: &ReportParameters, base: &str, r: &TrendsReport) -> LocalizedText {
    both(|lang| {
        let g = p.granularity;
        let full: Vec<_> = r.series.iter().filter(|s| !s.partial).collect();
        let mut out = Vec::new();
        let count = i64::try_from(full.len()).unwrap_or(i64::MAX);
        let mut first = match lang {
            Lang::En => format!(
                "{}: {} of revenue",
                range(p, lang),
                unit_plural(g, count, lang)
            ),
            Lang::Ru => format!(
                "{}: выручка за {}",
                range(p, lang),
                unit_plural(g, count, lang)
            ),
        };
        if let Some(last) = full.last()
            && let Some(value) = &last.revenue_in_base
        {
            first.push_str(&match lang {
                Lang::En => format!("; the last full one brought {}", money(value, lang)),
                Lang::Ru => format!("; последний полный период — {}", money(value, lang)),
            });
            if let Some(g) = last.growth_percent {
                first.push_str(&format!(
                    " ({})",
                    change(g, lang, ("the one before", "в предыдущем"))
                ));
            }
        }
        first.push('.');
        out.push(first);
        let f = &r.forecast;
        let total = total_minor(f.points.iter().map(|x| x.value.amount_minor));
        if let (Some(next), Some(last), Some(total)) = (f.points.first(), f.points.last(), total) {
            let total = Money::new(total, base);
            let horizon = unit_plural(g, i64::try_from(f.points.len()).unwrap_or(0), lang);
            out.push(match lang {
                Lang::En => format!(
                    "Forecast for the next {horizon}: {} in total; the next period {} (80% interval {} to {}), the last {}.",
                    money(&total, lang),
                    money(&next.value, lang),
                    money(&next.lower80, lang),
                    money(&next.upper80, lang),
                    money(&last.value, lang),
                ),
                Lang::Ru => format!(
                    "Прогноз на {horizon} вперёд: всего {}; следующий период — {} (80-процентный интервал от {} до {}), последний — {}.",
                    money(&total, lang),
                    money(&next.value, lang),
                    money(&next.lower80, lang),
                    money(&next.upper80, lang),
                    money(&last.value, lang),
                ),
            });
            let method = method_name(f.method, lang);
            out.push(match (&f.accuracy, lang) {
                (Some(a), _) => {
                    accuracy_sentence(method, r.seasonal_strength.is_some(), a, lang)
                }
                (None, Lang::En) => format!("Method: {method}. The history is too short to test the forecast: treat it as a rough guide."),
                (None, Lang::Ru) => format!("Метод: {method}. История слишком коротка, чтобы проверить прогноз: это лишь ориентир."),
            });
        } else {
            out.push(match lang {
                Lang::En => "There is not enough history for a forecast.".to_owned(),
                Lang::Ru => "Для прогноза недостаточно истории.".to_owned(),
            });
        }
        if let Some(strength) = r.seasonal_strength
            && strength >= 0.6
        {
            out.push(match lang {
                Lang::En => format!(
                    "Revenue follows a clear season ({} of the variation).",
                    percent(strength * 100.0, lang)
                ),
                Lang::Ru => format!(
                    "У выручки выраженная сезонность ({} колебаний).",
                    percent(strength * 100.0, lang)
                ),
            });
        }
        if f.notes
            .iter()
            .any(|n| n.kind == ForecastNoteKind::ShortForSeason)
        {
            out.push(match lang {
                Lang::En => {
                    "The history is shorter than two seasons, so seasonality was not modelled."
                        .to_owned()
                }
                Lang::Ru => {
                    "История короче двух сезонов, поэтому сезонность не учитывалась.".to_owned()
                }
            });
        }
        out.extend(missing_rates_sentence(
            f.notes
                .iter()
                .any(|n| n.kind == ForecastNoteKind::MissingRates),
            base,
            lang,
        ));
        out
    })
}

/// The backtest's sentence: MASE against the naive forecast (the seasonal naive one when
/// `seasonal`: the history held two seasons), the baseline's own MASE, and the 80 % interval's
/// coverage. MASE is undefined (`None`) when that naive forecast makes no error on the history
/// (flat, or exactly repeating seasons): then it says so instead of printing a number.
fn accuracy_sentence(method: &str, seasonal: bool, a: &Accuracy, lang: Lang) -> String {
    let naive = match (seasonal, lang) {
        (true, Lang::En) => "seasonal naive",
        (false, Lang::En) => "naive",
        (true, Lang::Ru) => "сезонного наивного",
        (false, Lang::Ru) => "наивного",
    };
    let coverage = percent(a.coverage80 * 100.0, lang);
    let origins = a.origins;
    match (a.mase, lang) {
        (Some(m), Lang::En) => {
            let baseline = a.baseline_mase.map_or(String::new(), |b| {
                format!("; the {naive} forecast itself: {}", decimal(b, 2, lang))
            });
            format!(
                "Method: {method}. Tested on {origins} held-out stretches of the history, its error was {} of the {naive} forecast's (MASE{baseline}), and {coverage} of actual values fell inside the 80% interval.",
                decimal(m, 2, lang)
            )
        }
        (None, Lang::En) => format!(
            "Method: {method}. Tested on {origins} held-out stretches of the history: MASE is undefined because the {naive} forecast makes no error on this history; {coverage} of actual values fell inside the 80% interval."
        ),
        (Some(m), Lang::Ru) => {
            let baseline = a.baseline_mase.map_or(String::new(), |b| {
                format!("; у самого {naive} прогноза — {}", decimal(b, 2, lang))
            });
            format!(
                "Метод: {method}. На отложенных участках истории ({origins}) его ошибка составила {} от ошибки {naive} прогноза (MASE{baseline}), в 80-процентный интервал попало {coverage} фактических значений.",
                decimal(m, 2, lang)
            )
        }
        (None, Lang::Ru) => format!(
            "Метод: {method}. На отложенных участках истории ({origins}) его ошибку нельзя выразить в долях ошибки {naive} прогноза (MASE): на этой истории тот не ошибается; в 80-процентный интервал попало {coverage} фактических значений."
        ),
    }
}

pub(crate) fn segment_name(s: RfmSegment, lang: Lang) -> &'static str {
    match (s, lang) {
        (RfmSegment::Champions, Lang::En) => "champions",
        (RfmSegment::Champions, Lang::Ru) => "чемпионы",
        (RfmSegment::Loyal, Lang::En) => "loyal",
        (RfmSegment::Loyal, Lang::Ru) => "лояльные",
        (RfmSegment::PotentialLoyalists, Lang::En) => "potential loyalists",
        (RfmSegment::PotentialLoyalists, Lang::Ru) => "потенциально лояльные",
        (RfmSegment::NewCustomers, Lang::En) => "new customers",
        (RfmSegment::NewCustomers, Lang::Ru) => "новые",
        (RfmSegment::Promising, Lang::En) => "promising",
        (RfmSegment::Promising, Lang::Ru) => "перспективные",
        (RfmSegment::NeedAttention, Lang::En) => "need attention",
        (RfmSegment::NeedAttention, Lang::Ru) => "требуют внимания",
        (RfmSegment::AboutToSleep, Lang::En) => "about to sleep",
        (RfmSegment::AboutToSleep, Lang::Ru) => "засыпающие",
        (RfmSegment::AtRisk, Lang::En) => "at risk",
        (RfmSegment::AtRisk, Lang::Ru) => "под угрозой ухода",
        (RfmSegment::CantLose, Lang::En) => "can't lose",
        (RfmSegment::CantLose, Lang::Ru) => "нельзя потерять",
        (RfmSegment::Hibernating, Lang::En) => "hibernating",
        (RfmSegment::Hibernating, Lang::Ru) => "спящие",
    }
}

pub fn recommendations(
    _p: &ReportParameters,
    base: &str,
    r: &RecommendationsReport,
) -> LocalizedText {
    both(|lang| {
        let m = &r.model;
        let mut out = Vec::new();
        out.push(match lang {
            Lang::En => format!(
                "{}, {} of them bought more than once.",
                en_plural(m.clients, "buyer", "buyers"),
                int(m.repeat_buyers, lang)
            ),
            Lang::Ru => format!(
                "{}, из них повторно покупали — {}.",
                ru_plural(m.clients, ["покупатель", "покупателя", "покупателей"]),
                int(m.repeat_buyers, lang)
            ),
        });
        if m.bg_nbd.is_none() {
            out.push(match lang {
                Lang::En => "There are too few repeat purchases to model who will buy again; the lists below stay empty.".to_owned(),
                Lang::Ru => "Повторных покупок слишком мало, чтобы оценить, кто купит снова; списки ниже пусты.".to_owned(),
            });
            return out;
        }
        let at_risk: Vec<_> = r.actions_of(ActionKind::CallAtRisk).collect();
        if let Some(top) = at_risk.first()
            && let Some(total) = total_minor(at_risk.iter().map(|a| a.value_at_stake.amount_minor))
        {
            let total = Money::new(total, base);
            let n = i64::try_from(at_risk.len()).unwrap_or(0);
            let name = top
                .client
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default();
            out.push(match lang {
                Lang::En => format!(
                    "{} at risk of leaving, {} at stake: call them first, starting with {name} ({} at stake).",
                    en_plural(n, "valuable client is", "valuable clients are"),
                    money(&total, lang),
                    money(&top.value_at_stake, lang),
                ),
                Lang::Ru => format!(
                    "Под угрозой ухода {}, на кону {}: позвоните им в первую очередь, начиная с клиента {name} ({}).",
                    ru_plural(n, ["ценный клиент", "ценных клиента", "ценных клиентов"]),
                    money(&total, lang),
                    money(&top.value_at_stake, lang),
                ),
            });
        }
        let likely = r.actions_of(ActionKind::OfferLikelyToBuy).count();
        if likely > 0 {
            let n = i64::try_from(likely).unwrap_or(0);
            out.push(match lang {
                Lang::En => format!(
                    "{} likely to buy in the next 30 days: a good moment for an offer.",
                    en_plural(n, "client is", "clients are")
                ),
                Lang::Ru => format!(
                    "{} скорее всего {} в ближайшие 30 дней: хороший момент для предложения.",
                    ru_plural(n, ["клиент", "клиента", "клиентов"]),
                    if ru_form(n) == 0 {
                        "купит"
                    } else {
                        "купят"
                    },
                ),
            });
        }
        if let Some(focus) = r.actions_of(ActionKind::FocusSegment).next() {
            out.push(match lang {
                Lang::En => format!(
                    "The segment with the most at stake is “{}”: {}.",
                    segment_name(focus.segment, lang),
                    money(&focus.value_at_stake, lang)
                ),
                Lang::Ru => format!(
                    "Больше всего на кону в сегменте «{}»: {}.",
                    segment_name(focus.segment, lang),
                    money(&focus.value_at_stake, lang)
                ),
            });
        }
        out
    })
}

/// A client's note for the client screen: whether they are still buying (with the BG/NBD
/// probability), what they are expected to buy in 90 days and what it is worth, and the next
/// step. Our own words from the cached scores, in both languages.
pub fn client_note(score: &ClientScore, action: Option<&Action>) -> LocalizedText {
    both(|lang| {
        let name = &score.client.name;
        let p = percent(score.p_alive * 100.0, lang);
        let mut out = vec![match (lang, score.p_alive) {
            (Lang::En, v) if v >= 0.7 => {
                format!("{name} is most likely still buying ({p} chance of being active).")
            }
            (Lang::En, v) if v >= 0.3 => {
                format!("{name} may be drifting away ({p} chance of still being active).")
            }
            (Lang::En, _) => format!(
                "{name} has most likely stopped buying (only {p} chance of still being active)."
            ),
            (Lang::Ru, v) if v >= 0.7 => {
                format!("{name}, скорее всего, продолжает покупать (вероятность активности {p}).")
            }
            (Lang::Ru, v) if v >= 0.3 => {
                format!("{name}, возможно, уходит (вероятность активности {p}).")
            }
            (Lang::Ru, _) => format!(
                "{name}, скорее всего, перестал покупать (вероятность активности лишь {p})."
            ),
        }];
        let days = i64::from(score.days_since_last_purchase);
        let purchases = match lang {
            Lang::En => en_plural(score.purchases, "purchase", "purchases"),
            Lang::Ru => ru_plural(score.purchases, ["покупка", "покупки", "покупок"]),
        };
        let when = match (lang, days) {
            (Lang::En, ..=0) => "today".to_owned(),
            (Lang::En, 1) => "yesterday".to_owned(),
            (Lang::En, _) => format!("{} ago", en_plural(days, "day", "days")),
            (Lang::Ru, ..=0) => "сегодня".to_owned(),
            (Lang::Ru, 1) => "вчера".to_owned(),
            (Lang::Ru, _) => format!("{} назад", ru_plural(days, ["день", "дня", "дней"])),
        };
        out.push(match lang {
            Lang::En => format!("{purchases} so far, the last {when}."),
            Lang::Ru => format!("Всего {purchases}, последняя — {when}."),
        });
        let expected = decimal(score.expected_purchases_90_days, 1, lang);
        out.push(match (&score.expected_order_value, lang) {
            (Some(v), Lang::En) => format!(
                "Expected in the next 90 days: {expected} purchases of about {} each.",
                money(v, lang)
            ),
            (Some(v), Lang::Ru) => format!(
                "В ближайшие 90 дней ожидается покупок: {expected}, примерно по {}.",
                money(v, lang)
            ),
            (None, Lang::En) => format!("Expected in the next 90 days: {expected} purchases."),
            (None, Lang::Ru) => format!("В ближайшие 90 дней ожидается покупок: {expected}."),
        });
        if let Some(clv) = &score.clv_12_months {
            out.push(match lang {
                Lang::En => format!("Their value over the next 12 months: {}.", money(clv, lang)),
                Lang::Ru => format!(
                    "Ценность клиента на 12 месяцев вперёд — {}.",
                    money(clv, lang)
                ),
            });
        }
        out.push(match (action.map(|a| a.kind), lang) {
            (Some(ActionKind::CallAtRisk), Lang::En) => {
                "Next step: call them now, before they leave.".to_owned()
            }
            (Some(ActionKind::CallAtRisk), Lang::Ru) => {
                "Что сделать: позвонить сейчас, пока клиент не ушёл.".to_owned()
            }
            (Some(ActionKind::OfferLikelyToBuy), Lang::En) => {
                "Next step: send an offer; they are likely to buy soon.".to_owned()
            }
            (Some(ActionKind::OfferLikelyToBuy), Lang::Ru) => {
                "Что сделать: отправить предложение — клиент, вероятно, скоро купит.".to_owned()
            }
            (Some(ActionKind::WinBackLapsed), Lang::En) => {
                "Next step: try to win them back with a personal offer.".to_owned()
            }
            (Some(ActionKind::WinBackLapsed), Lang::Ru) => {
                "Что сделать: попробовать вернуть клиента персональным предложением.".to_owned()
            }
            (Some(ActionKind::Growing), Lang::En) => {
                "Next step: their purchases are growing; offer more of what they buy.".to_owned()
            }
            (Some(ActionKind::Growing), Lang::Ru) => {
                "Что сделать: покупки растут — предложить больше того, что клиент уже берёт."
                    .to_owned()
            }
            (Some(ActionKind::Declining), Lang::En) => {
                "Next step: their purchases are falling; ask what changed.".to_owned()
            }
            (Some(ActionKind::Declining), Lang::Ru) => {
                "Что сделать: покупки падают — узнать, что изменилось.".to_owned()
            }
            (Some(ActionKind::FocusSegment) | None, Lang::En) => {
                "Next step: nothing urgent; keep in touch as usual.".to_owned()
            }
            (Some(ActionKind::FocusSegment) | None, Lang::Ru) => {
                "Что сделать: ничего срочного — поддерживать обычный контакт.".to_owned()
            }
        });
        out
    })
}
