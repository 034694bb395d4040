//! Interface languages (English, Russian) and locale-aware formatting of money, dates and
//! counts. Every text of the UI is a field of `Texts`, so a language cannot miss one.

use serde::{Deserialize, Serialize};

use crate::gql::{ClientStatus, InteractionKind, ItemKind, SaleStatus};

pub mod analytics;
pub mod chat;
pub mod errors;
pub mod lists;
pub mod reports;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    En,
    Ru,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    /// From a stored choice or an `Accept-Language` header: the first language we speak.
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub fn negotiate(header: &str) -> Locale {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("ru") {
                return Locale::Ru;
            }
            if tag.starts_with("en") {
                return Locale::En;
            }
        }
        Locale::En
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::En => &EN,
            Locale::Ru => &RU,
        }
    }

    /// The other language, for the switcher.
    pub fn other(self) -> Locale {
        match self {
            Locale::En => Locale::Ru,
            Locale::Ru => Locale::En,
        }
    }
}

pub struct Texts {
    pub language_name: &'static str,
    pub app_name: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub register: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub display_name: &'static str,
    pub company_name: &'static str,
    pub base_currency: &'static str,
    pub no_account: &'static str,
    pub have_account: &'static str,
    pub working: &'static str,
    pub loading: &'static str,
    pub home: &'static str,
    pub clients: &'static str,
    pub api_keys: &'static str,
    pub this_month: &'static str,
    pub revenue: &'static str,
    pub sales_count: &'static str,
    pub new_clients: &'static str,
    pub no_revenue: &'static str,
    pub vs_last_month: &'static str,
    pub latest_sales: &'static str,
    pub no_sales_yet: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub sort_by: &'static str,
    pub sort_name: &'static str,
    pub sort_total: &'static str,
    pub sort_last_purchase: &'static str,
    pub sort_last_interaction: &'static str,
    pub name: &'static str,
    pub contacts: &'static str,
    pub last_interaction: &'static str,
    pub total_spent: &'static str,
    pub client: &'static str,
    pub amount: &'static str,
    pub date: &'static str,
    pub status: &'static str,
    pub next_page: &'static str,
    pub first_page: &'static str,
    pub no_clients_title: &'static str,
    pub no_clients_body: &'static str,
    pub no_matches: &'static str,
    pub key_name: &'static str,
    pub key_prefix: &'static str,
    pub key_scope: &'static str,
    pub scope_read: &'static str,
    pub scope_read_write: &'static str,
    pub created: &'static str,
    pub last_used: &'static str,
    pub never: &'static str,
    pub create_key: &'static str,
    pub revoke: &'static str,
    pub revoked: &'static str,
    pub confirm_revoke: &'static str,
    pub cancel: &'static str,
    pub new_key_once: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub example_call: &'static str,
    pub no_keys: &'static str,
    pub only_admins: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub error_prefix: &'static str,
    pub switch_company: &'static str,
    pub sales: &'static str,
    pub filter: &'static str,
    pub from_date: &'static str,
    pub to_date: &'static str,
    pub any: &'static str,
    pub currency: &'static str,
    pub no_sales_match: &'static str,
    pub status_completed: &'static str,
    pub status_pending: &'static str,
    pub status_cancelled: &'static str,
    pub status_refunded: &'static str,
    pub by_currency: &'static str,
    pub purchases: &'static str,
    pub no_purchases: &'static str,
    pub all_sales: &'static str,
    pub interactions: &'static str,
    pub no_interactions: &'static str,
    pub newest: &'static str,
    pub older: &'static str,
    pub archived: &'static str,
    pub client_active: &'static str,
    pub client_inactive: &'static str,
    pub no_contacts: &'static str,
    pub client_since: &'static str,
    pub external_id: &'static str,
    pub edit: &'static str,
    pub archive: &'static str,
    pub restore: &'static str,
    pub edit_client: &'static str,
    pub required: &'static str,
    pub save: &'static str,
    pub phone: &'static str,
    pub add_sale: &'static str,
    pub item: &'static str,
    pub item_placeholder: &'static str,
    pub kind_label: &'static str,
    pub what_happened: &'static str,
    pub add_interaction: &'static str,
    pub kind_call: &'static str,
    pub kind_email: &'static str,
    pub kind_meeting: &'static str,
    pub kind_note: &'static str,
    pub items: &'static str,
    pub no_items: &'static str,
    pub quantity: &'static str,
    pub unit_price: &'static str,
    pub goods: &'static str,
    pub service: &'static str,
    pub note: &'static str,
    pub updated: &'static str,
    pub edit_sale: &'static str,
    pub live: &'static str,
    pub just_now: &'static str,
}

impl Texts {
    /// An interaction kind in this language.
    pub fn kind(&self, kind: InteractionKind) -> &'static str {
        match kind {
            InteractionKind::Call => self.kind_call,
            InteractionKind::Email => self.kind_email,
            InteractionKind::Meeting => self.kind_meeting,
            InteractionKind::Note => self.kind_note,
        }
    }

    /// A sale status in this language.
    pub fn status(&self, status: SaleStatus) -> &'static str {
        match status {
            SaleStatus::Completed => self.status_completed,
            SaleStatus::Pending => self.status_pending,
            SaleStatus::Cancelled => self.status_cancelled,
            SaleStatus::Refunded => self.status_refunded,
        }
    }

    /// A client status in this language.
    pub fn client_status(&self, status: ClientStatus) -> &'static str {
        match status {
            ClientStatus::Active => self.client_active,
            ClientStatus::Inactive => self.client_inactive,
        }
    }

    /// Goods or a service, in this language.
    pub fn item_kind(&self, kind: ItemKind) -> &'static str {
        match kind {
            ItemKind::Goods => self.goods,
            ItemKind::Service => self.service,
        }
    }
}

pub static EN: Texts = Texts {
    language_name: "English",
    app_name: "CRM",
    sign_in: "Sign in",
    sign_out: "Sign out",
    register: "Create account",
    email: "E-mail",
    password: "Password",
    display_name: "Your name",
    company_name: "Company",
    base_currency: "Base currency",
    no_account: "No account yet?",
    have_account: "Already have an account?",
    working: "Working…",
    loading: "Loading…",
    home: "Start",
    clients: "Clients",
    api_keys: "API keys",
    this_month: "This month",
    revenue: "Revenue",
    sales_count: "Sales",
    new_clients: "New clients",
    no_revenue: "No sales this month yet",
    vs_last_month: "vs the same days of last month",
    latest_sales: "Latest sales",
    no_sales_yet: "No sales yet. Connect your shop with an API key to import them.",
    search: "Search",
    search_placeholder: "Name, e-mail or phone",
    sort_by: "Sort by",
    sort_name: "Name",
    sort_total: "Total spent",
    sort_last_purchase: "Last purchase",
    sort_last_interaction: "Last interaction",
    name: "Name",
    contacts: "Contacts",
    last_interaction: "Last interaction",
    total_spent: "Total spent",
    client: "Client",
    amount: "Amount",
    date: "Date",
    status: "Status",
    next_page: "Next page →",
    first_page: "← First page",
    no_clients_title: "No clients yet",
    no_clients_body: "Create an API key and let your shop or billing system push clients and sales with the upsertClients and upsertSales mutations.",
    no_matches: "No clients match this search.",
    key_name: "Name",
    key_prefix: "Key",
    key_scope: "Access",
    scope_read: "read only",
    scope_read_write: "read and write",
    created: "Created",
    last_used: "Last used",
    never: "never",
    create_key: "Create key",
    revoke: "Revoke",
    revoked: "revoked",
    confirm_revoke: "Revoke this key? Integrations using it stop working at once.",
    cancel: "Cancel",
    new_key_once: "Your new key. It is shown only now: copy it and keep it safe.",
    copy: "Copy",
    copied: "Copied",
    example_call: "Try it from a terminal:",
    no_keys: "No API keys yet.",
    only_admins: "Only owners and admins manage API keys.",
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address.",
    back_home: "Back to the start",
    error_prefix: "Something went wrong:",
    switch_company: "Company",
    sales: "Sales",
    filter: "Show",
    from_date: "From",
    to_date: "To",
    any: "Any",
    currency: "Currency",
    no_sales_match: "No sales match this filter.",
    status_completed: "Completed",
    status_pending: "Pending",
    status_cancelled: "Cancelled",
    status_refunded: "Refunded",
    by_currency: "By currency",
    purchases: "Purchases",
    no_purchases: "No purchases yet.",
    all_sales: "All sales of this client",
    interactions: "Interactions",
    no_interactions: "Nothing recorded yet: add a call, e-mail, meeting or note.",
    newest: "← Newest",
    older: "Older →",
    archived: "Archived",
    client_active: "Active",
    client_inactive: "Inactive",
    no_contacts: "No contacts",
    client_since: "Client since",
    external_id: "External id",
    edit: "Edit",
    archive: "Archive",
    restore: "Restore",
    edit_client: "Edit client",
    required: "Required",
    save: "Save",
    phone: "Phone",
    add_sale: "Add a sale",
    item: "Goods or service",
    item_placeholder: "optional",
    kind_label: "Type",
    what_happened: "What happened",
    add_interaction: "Add to history",
    kind_call: "Call",
    kind_email: "E-mail",
    kind_meeting: "Meeting",
    kind_note: "Note",
    items: "Goods and services",
    no_items: "No lines recorded for this sale.",
    quantity: "Quantity",
    unit_price: "Price",
    goods: "Goods",
    service: "Service",
    note: "Note",
    updated: "Updated",
    edit_sale: "Edit sale",
    live: "Live: new sales appear here by themselves.",
    just_now: "new",
};

pub static RU: Texts = Texts {
    language_name: "Русский",
    app_name: "CRM",
    sign_in: "Войти",
    sign_out: "Выйти",
    register: "Зарегистрироваться",
    email: "Эл. почта",
    password: "Пароль",
    display_name: "Ваше имя",
    company_name: "Компания",
    base_currency: "Основная валюта",
    no_account: "Ещё нет учётной записи?",
    have_account: "Уже зарегистрированы?",
    working: "Выполняется…",
    loading: "Загрузка…",
    home: "Главная",
    clients: "Клиенты",
    api_keys: "API-ключи",
    this_month: "Этот месяц",
    revenue: "Выручка",
    sales_count: "Продажи",
    new_clients: "Новые клиенты",
    no_revenue: "В этом месяце продаж пока нет",
    vs_last_month: "к тем же дням прошлого месяца",
    latest_sales: "Последние продажи",
    no_sales_yet: "Продаж пока нет. Подключите магазин с помощью API-ключа, чтобы загрузить их.",
    search: "Поиск",
    search_placeholder: "Имя, почта или телефон",
    sort_by: "Сортировка",
    sort_name: "Имя",
    sort_total: "Сумма покупок",
    sort_last_purchase: "Последняя покупка",
    sort_last_interaction: "Последний контакт",
    name: "Имя",
    contacts: "Контакты",
    last_interaction: "Последний контакт",
    total_spent: "Сумма покупок",
    client: "Клиент",
    amount: "Сумма",
    date: "Дата",
    status: "Статус",
    next_page: "Следующая страница →",
    first_page: "← Первая страница",
    no_clients_title: "Клиентов пока нет",
    no_clients_body: "Создайте API-ключ и передавайте клиентов и продажи из магазина или биллинга мутациями upsertClients и upsertSales.",
    no_matches: "По этому запросу клиентов нет.",
    key_name: "Название",
    key_prefix: "Ключ",
    key_scope: "Доступ",
    scope_read: "только чтение",
    scope_read_write: "чтение и запись",
    created: "Создан",
    last_used: "Использован",
    never: "ни разу",
    create_key: "Создать ключ",
    revoke: "Отозвать",
    revoked: "отозван",
    confirm_revoke: "Отозвать ключ? Интеграции с ним сразу перестанут работать.",
    cancel: "Отмена",
    new_key_once: "Новый ключ. Он показан только сейчас: скопируйте и сохраните его.",
    copy: "Копировать",
    copied: "Скопировано",
    example_call: "Проверьте из терминала:",
    no_keys: "API-ключей пока нет.",
    only_admins: "API-ключами управляют только владельцы и администраторы.",
    not_found_title: "Страница не найдена",
    not_found_body: "По этому адресу ничего нет.",
    back_home: "На главную",
    error_prefix: "Что-то пошло не так:",
    switch_company: "Компания",
    sales: "Продажи",
    filter: "Показать",
    from_date: "С",
    to_date: "По",
    any: "Любой",
    currency: "Валюта",
    no_sales_match: "Нет продаж по этому фильтру.",
    status_completed: "Завершена",
    status_pending: "Ожидает",
    status_cancelled: "Отменена",
    status_refunded: "Возврат",
    by_currency: "По валютам",
    purchases: "Покупки",
    no_purchases: "Покупок пока нет.",
    all_sales: "Все продажи клиента",
    interactions: "Взаимодействия",
    no_interactions: "Пока ничего нет: добавьте звонок, письмо, встречу или заметку.",
    newest: "← Новые",
    older: "Раньше →",
    archived: "В архиве",
    client_active: "Активный",
    client_inactive: "Неактивный",
    no_contacts: "Нет контактов",
    client_since: "Клиент с",
    external_id: "Внешний id",
    edit: "Изменить",
    archive: "В архив",
    restore: "Вернуть из архива",
    edit_client: "Данные клиента",
    required: "Обязательное поле",
    save: "Сохранить",
    phone: "Телефон",
    add_sale: "Добавить продажу",
    item: "Товар или услуга",
    item_placeholder: "необязательно",
    kind_label: "Тип",
    what_happened: "Что было",
    add_interaction: "Добавить в историю",
    kind_call: "Звонок",
    kind_email: "Письмо",
    kind_meeting: "Встреча",
    kind_note: "Заметка",
    items: "Товары и услуги",
    no_items: "У продажи нет позиций.",
    quantity: "Количество",
    unit_price: "Цена",
    goods: "Товар",
    service: "Услуга",
    note: "Комментарий",
    updated: "Изменена",
    edit_sale: "Изменить продажу",
    live: "Новые продажи появляются здесь сами.",
    just_now: "новая",
};

/// Formats a decimal amount ("1240000.00", as the API gives it) in a currency, per locale:
/// `1 240 000,00 ₽` in Russian, `₽1,240,000.00` in English.
pub fn money(locale: Locale, amount: &str, currency: &str) -> String {
    let (negative, digits) = match amount.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, amount),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let (group, decimal) = match locale {
        Locale::Ru => ('\u{a0}', ','),
        Locale::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    if !frac.is_empty() {
        grouped.push(decimal);
        grouped.push_str(frac);
    }
    let sign = if negative { "-" } else { "" };
    let symbol = match currency {
        "RUB" => "₽",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "CNY" => "¥",
        "KZT" => "₸",
        other => other,
    };
    match locale {
        Locale::Ru => format!("{sign}{grouped}\u{a0}{symbol}"),
        Locale::En if symbol.len() == 3 && symbol.is_ascii() => {
            format!("{sign}{symbol}\u{a0}{grouped}")
        }
        Locale::En => format!("{sign}{symbol}{grouped}"),
    }
}

/// A date from an RFC 3339 time: `22.11.2026` or `Nov 22, 2026`.
pub fn date(locale: Locale, rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => match locale {
            Locale::Ru => t.format("%d.%m.%Y").to_string(),
            Locale::En => t.format("%b %-d, %Y").to_string(),
        },
        Err(_) => rfc3339.to_owned(),
    }
}

/// A count with its noun in the right form: `1 клиент`, `3 клиента`, `5 клиентов`.
pub fn count(
    locale: Locale,
    n: impl Into<i64>,
    en: (&str, &str),
    ru: (&str, &str, &str),
) -> String {
    let n: i64 = n.into();
    match locale {
        Locale::En => format!("{n} {}", if n == 1 { en.0 } else { en.1 }),
        Locale::Ru => {
            let (n10, n100) = (n.abs() % 10, n.abs() % 100);
            let word = if n10 == 1 && n100 != 11 {
                ru.0
            } else if (2..=4).contains(&n10) && !(12..=14).contains(&n100) {
                ru.1
            } else {
                ru.2
            };
            format!("{n} {word}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_per_locale() {
        assert_eq!(
            money(Locale::Ru, "1240000.00", "RUB"),
            "1\u{a0}240\u{a0}000,00\u{a0}₽"
        );
        assert_eq!(money(Locale::En, "1240000.00", "RUB"), "₽1,240,000.00");
        assert_eq!(money(Locale::En, "5.50", "USD"), "$5.50");
        assert_eq!(money(Locale::En, "1500", "JPY"), "JPY\u{a0}1,500");
        assert_eq!(money(Locale::Ru, "-999.10", "EUR"), "-999,10\u{a0}€");
    }

    #[test]
    fn russian_plurals() {
        let c = |n| {
            count(
                Locale::Ru,
                n,
                ("client", "clients"),
                ("клиент", "клиента", "клиентов"),
            )
        };
        assert_eq!(c(1), "1 клиент");
        assert_eq!(c(3), "3 клиента");
        assert_eq!(c(5), "5 клиентов");
        assert_eq!(c(11), "11 клиентов");
        assert_eq!(c(21), "21 клиент");
        assert_eq!(c(112), "112 клиентов");
        assert_eq!(
            count(Locale::En, 1, ("client", "clients"), ("", "", "")),
            "1 client"
        );
    }

    #[test]
    fn dates_and_languages() {
        assert_eq!(date(Locale::Ru, "2026-11-22T10:00:00+00:00"), "22.11.2026");
        assert_eq!(
            date(Locale::En, "2026-11-22T10:00:00+00:00"),
            "Nov 22, 2026"
        );
        assert_eq!(Locale::negotiate("ru-RU,ru;q=0.9,en;q=0.8"), Locale::Ru);
        assert_eq!(Locale::negotiate("de-DE,en-US;q=0.7"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
    }
}
