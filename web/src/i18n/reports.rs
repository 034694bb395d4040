//! The report screens' words in English and Russian, and the labels of report periods.

use super::Locale;
use crate::gql::{
    AssistantModel, ForecastNote, ForecastNoteKind, Granularity, ModelPhase, NarrativeUnavailable,
    ReportKind,
};

pub struct ReportTexts {
    pub reports: &'static str,
    pub new_report: &'static str,
    pub report_type: &'static str,
    pub period: &'static str,
    pub presets: &'static str,
    pub this_month: &'static str,
    pub last_month: &'static str,
    pub this_quarter: &'static str,
    pub last_12_months: &'static str,
    pub granularity: &'static str,
    pub horizon: &'static str,
    pub horizon_hint: &'static str,
    pub all_statuses: &'static str,
    pub any_currency: &'static str,
    pub generate: &'static str,
    pub choose_parameters: &'static str,
    pub computing: &'static str,
    pub export: &'static str,
    pub commentary: &'static str,
    /// The label on the assistant's words, and its tooltip.
    pub ai_label: &'static str,
    pub ai_label_hint: &'static str,
    pub ai_writing: &'static str,
    pub ai_withheld: &'static str,
    /// Why no narrative: a model that does not write this language, a busy one, a failed one.
    pub ai_unavailable: [&'static str; 3],
    pub generated: &'static str,
    pub time_zone: &'static str,
    pub missing_rates: &'static str,
    pub no_sales: &'static str,
    pub revenue: &'static str,
    pub sales: &'static str,
    pub average_order: &'static str,
    pub buyers: &'static str,
    pub new_buyers: &'static str,
    pub returning_buyers: &'static str,
    pub vs_previous: &'static str,
    pub by_period: &'static str,
    /// The title of the revenue-by-period chart.
    pub revenue_by_period: &'static str,
    pub top_clients: &'static str,
    pub by_status: &'static str,
    pub by_currency: &'static str,
    pub counted: &'static str,
    pub not_counted: &'static str,
    pub share: &'static str,
    pub in_base: &'static str,
    pub segments: &'static str,
    pub clients: &'static str,
    pub cohorts: &'static str,
    pub cohort_month: &'static str,
    pub months_after: &'static str,
    pub actual: &'static str,
    pub forecast: &'static str,
    pub interval80: &'static str,
    pub interval95: &'static str,
    pub accuracy: &'static str,
    pub accuracy_line: &'static str,
    pub baseline: &'static str,
    pub no_accuracy: &'static str,
    pub growth_over_range: &'static str,
    pub seasonality: &'static str,
    pub no_seasonality: &'static str,
    pub growth: &'static str,
    pub partial: &'static str,
    pub actions: &'static str,
    pub at_risk: &'static str,
    pub likely_to_buy: &'static str,
    pub nobody: &'static str,
    pub model_clients: &'static str,
    pub saved_reports: &'static str,
    pub no_saved: &'static str,
    pub name: &'static str,
    pub shared: &'static str,
    pub shared_yes: &'static str,
    pub rename: &'static str,
    pub delete: &'static str,
    pub confirm_delete: &'static str,
    pub save_as: &'static str,
    pub saved: &'static str,
    pub open_saved: &'static str,
    pub sharing: &'static str,
    pub share_members: &'static str,
    pub link_days: &'static str,
    pub create_link: &'static str,
    pub link_once: &'static str,
    pub created: &'static str,
    pub expires: &'static str,
    pub revoke_link: &'static str,
    pub link_ended: &'static str,
    pub read_only: &'static str,
    pub link_gone_title: &'static str,
    pub link_gone: &'static str,
    pub client_search: &'static str,
    pub client_hint: &'static str,
    pub amount_from: &'static str,
    pub amount_to: &'static str,
    pub amount_hint: &'static str,
    pub selected_clients: &'static str,
    pub running: &'static str,
    pub cancel_report: &'static str,
    pub cancelled: &'static str,
    pub failed: &'static str,
    pub run_again: &'static str,
    pub new_and_returning: &'static str,
    pub author: &'static str,
    /// The report steps' names, by the key the API reports (`periods`, `forecast`, …).
    steps: &'static [(&'static str, &'static str)],
    kinds: [&'static str; 3],
    granularities: [&'static str; 3],
}

impl ReportTexts {
    /// The line shown when the assistant cannot write now; none when the model line already
    /// says why (off, not ready).
    pub fn ai_unavailable(&self, why: NarrativeUnavailable) -> Option<&'static str> {
        let i = match why {
            NarrativeUnavailable::ModelOff | NarrativeUnavailable::ModelNotReady => return None,
            NarrativeUnavailable::LanguageNotSupported => 0,
            NarrativeUnavailable::Busy => 1,
            NarrativeUnavailable::Failed => 2,
        };
        self.ai_unavailable.get(i).copied()
    }

    /// The name of a report step the API reports by key; the key itself when unknown.
    pub fn step<'a>(&self, key: &'a str) -> &'a str {
        self.steps
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, name)| name)
    }

    pub fn kind(&self, k: ReportKind) -> &'static str {
        let i = match k {
            ReportKind::General => 0,
            ReportKind::Trends => 1,
            ReportKind::Recommendations => 2,
        };
        self.kinds.get(i).copied().unwrap_or_default()
    }

    pub fn granularity(&self, g: Granularity) -> &'static str {
        let i = match g {
            Granularity::Day => 0,
            Granularity::Week => 1,
            Granularity::Month => 2,
        };
        self.granularities.get(i).copied().unwrap_or_default()
    }
}

impl Locale {
    pub fn reports(self) -> &'static ReportTexts {
        match self {
            Locale::En => &EN,
            Locale::Ru => &RU,
        }
    }
}

/// A period's label from its first day (`YYYY-MM-DD`): `Mar 2026` / `мар 2026` for months,
/// `Mar 2` / `02.03` for days and weeks (as the charts write them).
pub fn period_label(locale: Locale, start: &str, granularity: Granularity) -> String {
    let by = match granularity {
        Granularity::Day => crm_charts::Granularity::Day,
        Granularity::Week => crm_charts::Granularity::Week,
        Granularity::Month => crm_charts::Granularity::Month,
    };
    crm_charts::period_label(super::analytics::chart_lang(locale), start, by)
}

/// A forecast note in the interface language: the API's own detail in English (it carries the
/// figures), a sentence per kind in Russian.
pub fn forecast_note(locale: Locale, note: &ForecastNote) -> String {
    use ForecastNoteKind as K;
    if locale == Locale::En {
        return note.detail.clone();
    }
    match note.kind {
        K::NoHistory => "Продаж за период нет — прогнозировать не из чего.",
        K::TooShortToForecast => "История слишком короткая для прогноза: нужно больше периодов.",
        K::AllZero => "Все значения в истории нулевые, поэтому прогноз тоже нулевой.",
        K::ShortForSeason => {
            "История короче двух сезонов, поэтому сезонность в прогнозе не учитывается."
        }
        K::TooShortToBacktest => {
            "История слишком короткая, чтобы проверить точность прогноза на прошлых периодах."
        }
        K::CandidateFailed => "Один из методов прогноза не сработал; выбран лучший из остальных.",
        K::PartialPeriodsLeftOut => {
            "Неполные периоды в начале и конце диапазона не вошли в историю модели."
        }
        K::MissingRates => "Периоды без курса валюты не вошли в историю модели.",
    }
    .to_owned()
}

/// A signed percentage change: `+12.5%` / `+12,5 %`; `—` when there is none.
/// One line on the assistant's model under the report's summary.
pub fn model_state(locale: Locale, m: &AssistantModel) -> String {
    let name = &m.model;
    let reason = m.reason.as_deref().unwrap_or_default();
    match (locale, m.phase) {
        (Locale::En, ModelPhase::Off) => {
            "The assistant's language model is off: the summary is written from the figures."
                .to_owned()
        }
        (Locale::Ru, ModelPhase::Off) => {
            "Языковая модель ассистента отключена: резюме составлено по цифрам.".to_owned()
        }
        (Locale::En, ModelPhase::Downloading) => match m.progress {
            Some(p) => format!("Downloading the assistant's language model ({name}): {p}%."),
            None => format!("Downloading the assistant's language model ({name})."),
        },
        (Locale::Ru, ModelPhase::Downloading) => match m.progress {
            Some(p) => format!("Загружается языковая модель ассистента ({name}): {p} %."),
            None => format!("Загружается языковая модель ассистента ({name})."),
        },
        (Locale::En, ModelPhase::Loading) => {
            format!("Starting the assistant's language model ({name})…")
        }
        (Locale::Ru, ModelPhase::Loading) => {
            format!("Запускается языковая модель ассистента ({name})…")
        }
        (Locale::En, ModelPhase::Ready) => {
            format!("The assistant's language model is ready: {name}.")
        }
        (Locale::Ru, ModelPhase::Ready) => format!("Языковая модель ассистента готова: {name}."),
        (Locale::En, ModelPhase::Failed) => format!(
            "The assistant's language model could not start ({reason}); the summary is written from the figures."
        ),
        (Locale::Ru, ModelPhase::Failed) => format!(
            "Языковая модель ассистента не запустилась ({reason}); резюме составлено по цифрам."
        ),
    }
}

pub fn change(locale: Locale, percent: Option<f64>) -> String {
    let Some(p) = percent else {
        return "—".to_owned();
    };
    let sign = if p > 0.0 {
        "+"
    } else if p < 0.0 {
        "−"
    } else {
        ""
    };
    let number = super::analytics::decimal(locale, p.abs(), 1);
    match locale {
        Locale::En => format!("{sign}{number}%"),
        Locale::Ru => format!("{sign}{number}\u{a0}%"),
    }
}

static EN: ReportTexts = ReportTexts {
    reports: "Reports",
    new_report: "New report",
    report_type: "Report",
    period: "Period",
    presets: "Quick periods",
    this_month: "This month",
    last_month: "Last month",
    this_quarter: "This quarter",
    last_12_months: "Last 12 months",
    granularity: "By",
    horizon: "Forecast periods",
    horizon_hint: "Sales trends only: how many periods ahead to forecast (1–36).",
    all_statuses: "Completed (default)",
    any_currency: "All currencies",
    generate: "Generate",
    choose_parameters: "Choose a report type and a period, then press Generate. The address keeps the parameters, so you can bookmark the report.",
    computing: "Computing the report…",
    export: "Download",
    commentary: "Commentary",
    ai_label: "AI · written by the assistant, numbers checked against the report",
    ai_label_hint: "Written by a language model. Sentences with a number, date or name the report does not hold were removed; the figures above are the source.",
    ai_writing: "The assistant is writing its commentary…",
    ai_withheld: "The assistant's commentary was withheld: too much of it stated figures the report does not hold.",
    ai_unavailable: [
        "The assistant's model writes English only; switch the language to English, or run a multilingual model, for its commentary.",
        "The assistant is busy with other requests; open the report again in a minute for its commentary.",
        "The assistant could not write a commentary this time.",
    ],
    generated: "Generated",
    time_zone: "time zone",
    missing_rates: "Exchange rates are missing, so some figures in the base currency are empty. Add rates for:",
    no_sales: "No counted sales in this period. Choose another period, or push sales through the API with a key.",
    revenue: "Revenue",
    sales: "Sales",
    average_order: "Average order",
    buyers: "Buyers",
    new_buyers: "new",
    returning_buyers: "returning",
    vs_previous: "vs previous period",
    by_period: "By period",
    revenue_by_period: "Revenue by period",
    top_clients: "Top clients",
    by_status: "By status",
    by_currency: "By currency",
    counted: "counted",
    not_counted: "not counted",
    share: "Share",
    in_base: "In base currency",
    segments: "Customer segments (RFM)",
    clients: "Clients",
    cohorts: "Cohort retention",
    cohort_month: "First purchase",
    months_after: "Share buying again, by month after the first purchase",
    actual: "Revenue",
    forecast: "Forecast",
    interval80: "80% interval",
    interval95: "95% interval",
    accuracy: "Accuracy",
    accuracy_line: "MASE of the chosen method on its own history (below 1 beats the seasonal naive forecast)",
    baseline: "Seasonal naive",
    no_accuracy: "Too little history to measure the forecast's accuracy.",
    growth_over_range: "Growth over the period",
    seasonality: "Seasonality",
    no_seasonality: "no seasonality found",
    growth: "Growth",
    partial: "partial",
    actions: "Recommended actions",
    at_risk: "Valuable clients at risk",
    likely_to_buy: "Likely to buy soon",
    nobody: "Nobody here.",
    model_clients: "Buyers modelled",
    saved_reports: "Reports",
    no_saved: "No saved reports yet. Build one, then save it under a name to find it here.",
    name: "Name",
    shared: "Shared",
    shared_yes: "with members",
    rename: "Rename",
    delete: "Delete",
    confirm_delete: "Delete this report for everyone?",
    save_as: "Save as",
    saved: "Saved.",
    open_saved: "Open the saved report",
    sharing: "Sharing",
    share_members: "Shared with the company's members",
    link_days: "Read-only link valid for (days)",
    create_link: "Create link",
    link_once: "Copy this link now; it is shown only once:",
    created: "Created",
    expires: "Expires",
    revoke_link: "Revoke",
    link_ended: "ended",
    read_only: "A read-only copy of a saved report.",
    link_gone_title: "This link no longer works",
    link_gone: "The link has expired or was revoked. Ask whoever sent it for a new one.",
    client_search: "Clients",
    client_hint: "Name, e-mail or phone; the report counts the matching clients (at most 100).",
    amount_from: "Amount from",
    amount_to: "to",
    amount_hint: "Sale amounts in the chosen currency.",
    selected_clients: "Clients in this report",
    running: "Computing the report",
    cancel_report: "Cancel",
    cancelled: "The report was cancelled.",
    failed: "The report could not be computed:",
    run_again: "Run it again",
    new_and_returning: "New and returning buyers",
    author: "Author",
    steps: &[
        ("periods", "sales by period"),
        ("previous period", "the previous period"),
        ("totals", "totals"),
        ("top clients", "top clients"),
        ("segments", "customer segments"),
        ("cohorts", "cohorts"),
        ("forecast", "the forecast"),
        ("customer models", "customer models"),
        ("recent revenue", "recent revenue"),
    ],
    kinds: [
        "General sales report",
        "Sales trends",
        "Sales recommendations",
    ],
    granularities: ["Day", "Week", "Month"],
};

static RU: ReportTexts = ReportTexts {
    reports: "Отчёты",
    new_report: "Новый отчёт",
    report_type: "Отчёт",
    period: "Период",
    presets: "Быстрый выбор",
    this_month: "Этот месяц",
    last_month: "Прошлый месяц",
    this_quarter: "Этот квартал",
    last_12_months: "Последние 12 месяцев",
    granularity: "Детализация",
    horizon: "Периодов прогноза",
    horizon_hint: "Только для трендов продаж: на сколько периодов вперёд прогнозировать (1–36).",
    all_statuses: "Завершённые (по умолчанию)",
    any_currency: "Все валюты",
    generate: "Построить",
    choose_parameters: "Выберите тип отчёта и период и нажмите «Построить». Параметры сохраняются в адресе — отчёт можно добавить в закладки.",
    computing: "Строим отчёт…",
    export: "Скачать",
    commentary: "Комментарий",
    ai_label: "ИИ · написано ассистентом, числа сверены с отчётом",
    ai_label_hint: "Написано языковой моделью. Предложения с числами, датами или именами, которых нет в отчёте, удалены; источник — показатели выше.",
    ai_writing: "Ассистент пишет комментарий…",
    ai_withheld: "Комментарий ассистента скрыт: в нём слишком много цифр, которых нет в отчёте.",
    ai_unavailable: [
        "Модель ассистента пишет только по-английски: для её комментария переключите язык на английский или подключите многоязычную модель.",
        "Ассистент занят другими запросами; откройте отчёт через минуту, чтобы получить его комментарий.",
        "Ассистенту не удалось написать комментарий.",
    ],
    generated: "Построен",
    time_zone: "часовой пояс",
    missing_rates: "Нет курсов валют, поэтому часть сумм в базовой валюте пуста. Добавьте курсы для:",
    no_sales: "За этот период нет учтённых продаж. Выберите другой период или передайте продажи через API с ключом.",
    revenue: "Выручка",
    sales: "Продажи",
    average_order: "Средний чек",
    buyers: "Покупатели",
    new_buyers: "новые",
    returning_buyers: "повторные",
    vs_previous: "к прошлому периоду",
    by_period: "По периодам",
    revenue_by_period: "Выручка по периодам",
    top_clients: "Лучшие клиенты",
    by_status: "По статусам",
    by_currency: "По валютам",
    counted: "учтены",
    not_counted: "не учтены",
    share: "Доля",
    in_base: "В базовой валюте",
    segments: "Сегменты клиентов (RFM)",
    clients: "Клиенты",
    cohorts: "Удержание когорт",
    cohort_month: "Первая покупка",
    months_after: "Доля купивших снова, по месяцам после первой покупки",
    actual: "Выручка",
    forecast: "Прогноз",
    interval80: "Интервал 80 %",
    interval95: "Интервал 95 %",
    accuracy: "Точность",
    accuracy_line: "MASE выбранного метода на собственной истории (меньше 1 — лучше сезонного наивного прогноза)",
    baseline: "Сезонный наивный",
    no_accuracy: "Слишком короткая история, чтобы измерить точность прогноза.",
    growth_over_range: "Рост за период",
    seasonality: "Сезонность",
    no_seasonality: "сезонность не найдена",
    growth: "Рост",
    partial: "неполный",
    actions: "Рекомендуемые действия",
    at_risk: "Ценные клиенты под угрозой ухода",
    likely_to_buy: "Скоро купят",
    nobody: "Никого.",
    model_clients: "Покупателей в модели",
    saved_reports: "Отчёты",
    no_saved: "Сохранённых отчётов пока нет. Постройте отчёт и сохраните его под именем — он появится здесь.",
    name: "Название",
    shared: "Доступ",
    shared_yes: "у сотрудников",
    rename: "Переименовать",
    delete: "Удалить",
    confirm_delete: "Удалить этот отчёт для всех?",
    save_as: "Сохранить как",
    saved: "Сохранено.",
    open_saved: "Открыть сохранённый отчёт",
    sharing: "Доступ",
    share_members: "Доступен сотрудникам компании",
    link_days: "Ссылка только для просмотра действует (дней)",
    create_link: "Создать ссылку",
    link_once: "Скопируйте ссылку сейчас — она показывается один раз:",
    created: "Создана",
    expires: "Истекает",
    revoke_link: "Отозвать",
    link_ended: "закрыта",
    read_only: "Копия сохранённого отчёта только для просмотра.",
    link_gone_title: "Ссылка больше не работает",
    link_gone: "Срок ссылки истёк, или её отозвали. Попросите новую у того, кто её прислал.",
    client_search: "Клиенты",
    client_hint: "Имя, e-mail или телефон; в отчёт войдут найденные клиенты (не больше 100).",
    amount_from: "Сумма от",
    amount_to: "до",
    amount_hint: "Суммы продаж в выбранной валюте.",
    selected_clients: "Клиенты в отчёте",
    running: "Строим отчёт",
    cancel_report: "Отменить",
    cancelled: "Построение отчёта отменено.",
    failed: "Не удалось построить отчёт:",
    run_again: "Построить снова",
    new_and_returning: "Новые и повторные покупатели",
    author: "Автор",
    steps: &[
        ("periods", "продажи по периодам"),
        ("previous period", "предыдущий период"),
        ("totals", "итоги"),
        ("top clients", "лучшие клиенты"),
        ("segments", "сегменты клиентов"),
        ("cohorts", "когорты"),
        ("forecast", "прогноз"),
        ("customer models", "модели клиентов"),
        ("recent revenue", "недавняя выручка"),
    ],
    kinds: [
        "Общий отчёт о продажах",
        "Тренды продаж",
        "Рекомендации по продажам",
    ],
    granularities: ["День", "Неделя", "Месяц"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_labels_and_changes() {
        // The labels are the charts' (crm_charts tests them); the locale maps to its language.
        assert_eq!(
            period_label(Locale::Ru, "2026-03-01", Granularity::Month),
            "мар 2026"
        );
        assert_eq!(change(Locale::Ru, Some(-12.54)), "−12,5\u{a0}%");
        assert_eq!(change(Locale::En, Some(3.0)), "+3.0%");
        assert_eq!(change(Locale::En, None), "—");
    }
}
