//! The analytics' words: RFM segments, recommended actions and their evidence, the client
//! screen's scores panel and the start screen's actions, in English and Russian.

use super::Locale;
use crate::gql::{EvidenceKind, RecommendedActionKind, RfmSegment};

pub struct AnalyticsTexts {
    pub analytics: &'static str,
    pub computing: &'static str,
    pub no_scores: &'static str,
    pub segment: &'static str,
    pub p_alive: &'static str,
    pub p_alive_hint: &'static str,
    pub expected_90: &'static str,
    pub expected_order_value: &'static str,
    pub clv: &'static str,
    pub clv_hint: &'static str,
    pub next_action: &'static str,
    pub no_action: &'static str,
    pub value_at_stake: &'static str,
    pub why: &'static str,
    pub computed: &'static str,
    /// Under the scores when the models were fitted on few buyers.
    pub rough_models: &'static str,
    pub top_actions: &'static str,
    pub no_actions: &'static str,
    segments: [&'static str; 10],
    actions: [&'static str; 6],
    evidence: [&'static str; 10],
}

impl AnalyticsTexts {
    pub fn segment(&self, s: RfmSegment) -> &'static str {
        use RfmSegment as S;
        let i = match s {
            S::Champions => 0,
            S::Loyal => 1,
            S::PotentialLoyalists => 2,
            S::NewCustomers => 3,
            S::Promising => 4,
            S::NeedAttention => 5,
            S::AboutToSleep => 6,
            S::AtRisk => 7,
            S::CantLose => 8,
            S::Hibernating => 9,
        };
        self.segments.get(i).copied().unwrap_or_default()
    }

    pub fn action(&self, k: RecommendedActionKind) -> &'static str {
        use RecommendedActionKind as K;
        let i = match k {
            K::CallAtRisk => 0,
            K::OfferLikelyToBuy => 1,
            K::WinBackLapsed => 2,
            K::Growing => 3,
            K::Declining => 4,
            K::FocusSegment => 5,
        };
        self.actions.get(i).copied().unwrap_or_default()
    }

    pub fn evidence(&self, k: EvidenceKind) -> &'static str {
        use EvidenceKind as E;
        let i = match k {
            E::PAlive => 0,
            E::ExpectedPurchases30Days => 1,
            E::ExpectedPurchases90Days => 2,
            E::ExpectedOrderValue => 3,
            E::RepeatPurchases => 4,
            E::DaysSinceLastPurchase => 5,
            E::RecentRevenue => 6,
            E::PreviousRevenue => 7,
            E::Threshold => 8,
            E::Clients => 9,
        };
        self.evidence.get(i).copied().unwrap_or_default()
    }
}

impl Locale {
    pub fn analytics(self) -> &'static AnalyticsTexts {
        match self {
            Locale::En => &EN,
            Locale::Ru => &RU,
        }
    }
}

/// A probability as a percentage: `87%` / `87 %`.
pub fn percent(locale: Locale, p: f64) -> String {
    let v = (p * 100.0).clamp(0.0, 100.0).round();
    match locale {
        Locale::En => format!("{v:.0}%"),
        Locale::Ru => format!("{v:.0}\u{a0}%"),
    }
}

/// A decimal with `digits` after the point: `1.25` / `1,25`.
pub fn decimal(locale: Locale, v: f64, digits: usize) -> String {
    crm_charts::decimal(chart_lang(locale), v, digits)
}

/// The charts' name for the interface language.
pub fn chart_lang(locale: Locale) -> crm_charts::Lang {
    match locale {
        Locale::En => crm_charts::Lang::En,
        Locale::Ru => crm_charts::Lang::Ru,
    }
}

/// A money value in major units, short for chart axes: `₽1.2M`, `1,2 млн ₽`, `₽350K`,
/// `350 тыс. ₽`; below a thousand in full (the number as `crm_charts::compact_number` writes it).
pub fn compact(locale: Locale, v: f64, currency: &str) -> String {
    let number = crm_charts::compact_number(chart_lang(locale), v);
    let symbol = super::money(locale, "0", currency)
        .replace('0', "")
        .trim()
        .to_owned();
    match locale {
        Locale::En => format!("{symbol}{number}"),
        Locale::Ru => format!("{number}\u{a0}{symbol}"),
    }
}

/// An evidence value of an action of kind `action` as its kind reads: a percentage, a count,
/// days, or money of `currency`.
pub fn evidence_value(
    locale: Locale,
    action: RecommendedActionKind,
    kind: EvidenceKind,
    value: f64,
    currency: &str,
) -> String {
    use EvidenceKind as E;
    match kind {
        E::PAlive => percent(locale, value),
        E::ExpectedPurchases30Days | E::ExpectedPurchases90Days => decimal(locale, value, 2),
        E::RepeatPurchases | E::DaysSinceLastPurchase | E::Clients => format!("{value:.0}"),
        E::ExpectedOrderValue | E::RecentRevenue | E::PreviousRevenue => {
            super::money(locale, &format!("{value:.2}"), currency)
        }
        // The at-risk rule's threshold is an order value; the others are probabilities.
        E::Threshold if action == RecommendedActionKind::CallAtRisk => {
            super::money(locale, &format!("{value:.2}"), currency)
        }
        E::Threshold => percent(locale, value),
    }
}

static EN: AnalyticsTexts = AnalyticsTexts {
    analytics: "Analytics",
    computing: "Computing the customer models…",
    no_scores: "No scores yet: the models need at least one completed purchase by this client and a few repeat buyers in the company.",
    segment: "Segment",
    p_alive: "Still active",
    p_alive_hint: "Probability the client still buys (BG/NBD model)",
    expected_90: "Expected purchases, next 90 days",
    expected_order_value: "Expected order value",
    clv: "Value over 12 months",
    clv_hint: "Customer lifetime value over 12 months, discounted 1% a month",
    next_action: "Recommended action",
    no_action: "Nothing to do now: no rule applies to this client.",
    value_at_stake: "Value at stake",
    why: "Why",
    computed: "Computed",
    rough_models: "Few buyers so far: these probabilities and amounts are rough estimates; read them as a ranking, not as exact figures.",
    top_actions: "Recommended actions",
    no_actions: "No recommendations yet: they appear once there are repeat buyers.",
    segments: [
        "Champions",
        "Loyal",
        "Potential loyalists",
        "New customers",
        "Promising",
        "Need attention",
        "About to sleep",
        "At risk",
        "Can't lose",
        "Hibernating",
    ],
    actions: [
        "Call: a valuable client at risk",
        "Make an offer: likely to buy soon",
        "Win back: most likely gone",
        "Growing: buys more and more",
        "Declining: buys less and less",
        "Focus on this segment",
    ],
    evidence: [
        "Still active",
        "Expected purchases, 30 days",
        "Expected purchases, 90 days",
        "Expected order value",
        "Repeat purchases",
        "Days since last purchase",
        "Revenue, last 90 days",
        "Revenue, 90 days before",
        "Threshold",
        "Clients",
    ],
};

static RU: AnalyticsTexts = AnalyticsTexts {
    analytics: "Аналитика",
    computing: "Считаем модели клиентов…",
    no_scores: "Оценок пока нет: моделям нужна хотя бы одна завершённая покупка этого клиента и несколько повторных покупателей в компании.",
    segment: "Сегмент",
    p_alive: "Ещё покупает",
    p_alive_hint: "Вероятность, что клиент продолжает покупать (модель BG/NBD)",
    expected_90: "Ожидаемые покупки за 90 дней",
    expected_order_value: "Ожидаемый чек",
    clv: "Ценность за 12 месяцев",
    clv_hint: "Пожизненная ценность клиента за 12 месяцев, дисконт 1 % в месяц",
    next_action: "Рекомендуемое действие",
    no_action: "Сейчас ничего не требуется: ни одно правило не сработало.",
    value_at_stake: "На кону",
    why: "Почему",
    computed: "Рассчитано",
    rough_models: "Покупателей пока мало: вероятности и суммы — грубые оценки; используйте их для сравнения клиентов, а не как точные цифры.",
    top_actions: "Рекомендуемые действия",
    no_actions: "Рекомендаций пока нет: они появятся, когда будут повторные покупатели.",
    segments: [
        "Чемпионы",
        "Лояльные",
        "Потенциально лояльные",
        "Новые клиенты",
        "Перспективные",
        "Требуют внимания",
        "Засыпающие",
        "Под угрозой ухода",
        "Нельзя потерять",
        "Спящие",
    ],
    actions: [
        "Позвонить: ценный клиент может уйти",
        "Сделать предложение: скоро купит",
        "Вернуть: скорее всего ушёл",
        "Растёт: покупает всё больше",
        "Снижается: покупает всё меньше",
        "Сосредоточиться на сегменте",
    ],
    evidence: [
        "Ещё покупает",
        "Ожидаемые покупки за 30 дней",
        "Ожидаемые покупки за 90 дней",
        "Ожидаемый чек",
        "Повторные покупки",
        "Дней с последней покупки",
        "Выручка за последние 90 дней",
        "Выручка за 90 дней до того",
        "Порог",
        "Клиентов",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_money_for_axes() {
        assert_eq!(compact(Locale::En, 1_200_000.0, "RUB"), "₽1.2M");
        assert_eq!(
            compact(Locale::Ru, 1_200_000.0, "RUB"),
            "1,2\u{a0}млн\u{a0}₽"
        );
        assert_eq!(compact(Locale::En, 350_000.0, "USD"), "$350K");
        assert_eq!(compact(Locale::Ru, 0.0, "RUB"), "0\u{a0}₽");
    }

    #[test]
    fn percentages_and_decimals_per_locale() {
        assert_eq!(percent(Locale::En, 0.874), "87%");
        assert_eq!(percent(Locale::Ru, 0.874), "87\u{a0}%");
        assert_eq!(percent(Locale::Ru, 1.2), "100\u{a0}%");
        assert_eq!(decimal(Locale::Ru, 1.256, 2), "1,26");
        assert_eq!(
            evidence_value(
                Locale::Ru,
                RecommendedActionKind::Growing,
                EvidenceKind::RecentRevenue,
                1240.5,
                "RUB"
            ),
            "1\u{a0}240,50\u{a0}₽"
        );
        assert_eq!(
            evidence_value(
                Locale::En,
                RecommendedActionKind::WinBackLapsed,
                EvidenceKind::Threshold,
                0.5,
                "RUB"
            ),
            "50%"
        );
    }
}
