//! What a failed call says to a person, in the interface language: one catalogue for every
//! message shown, keyed by the API's error code and the form field at fault.
//!
//! The API (and the server's form checks) write English sentences; English shows them as they
//! are. Russian looks a message up in three steps, from the most specific: the sentence itself
//! (the ones people meet in the forms), then the code and field (`BAD_USER_INPUT` on `email`),
//! then the code alone — so every message has a Russian text, if a less precise one.

use super::Locale;
use crate::api::{ErrorCode, UiError};

/// Sentences of the API and of the server's form checks, by how they start, in Russian.
const SENTENCES: &[(&str, &str)] = &[
    ("wrong e-mail or password", "Неверная почта или пароль"),
    (
        "this e-mail is already registered",
        "Эта почта уже зарегистрирована — войдите с ней",
    ),
    ("not a valid e-mail address", "Это не похоже на адрес почты"),
    (
        "nobody has registered with this e-mail yet",
        "С этой почтой ещё никто не зарегистрировался",
    ),
    (
        "this user is already a member",
        "Этот человек уже в компании",
    ),
    ("please sign in", "Войдите, чтобы продолжить"),
    ("authentication required", "Войдите, чтобы продолжить"),
    (
        "the password needs at least",
        "Пароль должен быть не короче 8 символов",
    ),
    ("the password may have at most", "Слишком длинный пароль"),
    ("too long", "Слишком длинно"),
    (
        "too many requests",
        "Слишком много попыток подряд. Подождите немного и повторите",
    ),
    (
        "enter a number like 1240.50",
        "Введите число, например 1 240,50",
    ),
    ("enter an amount", "Введите сумму"),
    ("amount too large", "Слишком большая сумма"),
    (
        "the amount exceeds the limit",
        "Сумма больше допустимой для одной продажи",
    ),
    (
        "this currency has no minor units",
        "У этой валюты нет дробной части: введите целое число",
    ),
    (
        "at most 1 digits after",
        "Не больше одного знака после запятой",
    ),
    (
        "at most 2 digits after",
        "Не больше двух знаков после запятой",
    ),
    (
        "at most 3 digits after",
        "Не больше трёх знаков после запятой",
    ),
    (
        "unknown currency code",
        "Неизвестный код валюты (три буквы ISO 4217, например RUB, USD, EUR)",
    ),
    ("expected a date like", "Введите дату, например 22.11.2026"),
    ("date out of range", "Дата вне допустимого диапазона"),
    (
        "the date must be between the years",
        "Дата должна быть между 1900 и 2200 годами",
    ),
    (
        "dates must be between the years",
        "Даты должны быть между 1900 и 2200 годами",
    ),
    (
        "the end date is before the start date",
        "Дата окончания раньше даты начала",
    ),
    (
        "the end must come after the start",
        "Дата окончания раньше даты начала",
    ),
    ("not one of the choices", "Выберите один из вариантов"),
    ("required", "Обязательное поле"),
    (
        "invalid cursor",
        "Список изменился — начните с первой страницы",
    ),
    (
        "the cursor was made for another sort order",
        "Список изменился — начните с первой страницы",
    ),
    (
        "another client already has this external id",
        "Этот внешний id уже у другого клиента",
    ),
    ("may have at most", "Слишком длинный текст"),
    (
        "holds the control character",
        "В тексте есть служебный символ — удалите его",
    ),
    ("no such client", "Такого клиента нет"),
    ("must be a positive number", "Нужно положительное число"),
    (
        "a total is too large",
        "Сумма слишком велика для расчёта — сузьте период или фильтры",
    ),
    (
        "a company needs at least one owner",
        "У компании должен остаться хотя бы один владелец",
    ),
];

/// Russian for a form field's fault when the sentence is not in [`SENTENCES`].
fn field_text(field: &str) -> Option<&'static str> {
    Some(match field {
        "email" => "Проверьте адрес почты",
        "password" => "Проверьте пароль",
        "name" | "displayName" => "Проверьте имя",
        "companyName" => "Проверьте название компании",
        "baseCurrency" | "currency" => "Проверьте код валюты (три буквы, например RUB)",
        "phone" => "Проверьте номер телефона",
        "amountMinor" | "min" | "max" => "Введите сумму, например 1 240,50",
        "soldAt" | "occurredAt" | "from" | "to" | "since" | "until" | "day" => "Проверьте дату",
        "status" | "kind" | "sort" | "dir" | "purchases" | "scope" | "granularity" => {
            "Выберите один из вариантов"
        }
        "after" => "Список изменился — начните с первой страницы",
        "body" | "note" => "Проверьте текст",
        f if f.starts_with("items[") => "Проверьте строку товара или услуги",
        _ => return None,
    })
}

/// The message for a code, in `locale`, when nothing more precise is known.
pub fn code_text(locale: Locale, code: ErrorCode) -> &'static str {
    match (locale, code) {
        (Locale::En, ErrorCode::Unauthenticated) => "Please sign in.",
        (Locale::En, ErrorCode::Forbidden) => "You do not have the rights for this.",
        (Locale::En, ErrorCode::NotFound) => "Not found: it may have been deleted.",
        (Locale::En, ErrorCode::BadUserInput) => "Please check what you entered.",
        (Locale::En, ErrorCode::RateLimited) => "Too many attempts; wait a moment and retry.",
        (Locale::En, ErrorCode::OutOfRange) => {
            "A total is too large to count; narrow the period or the filters."
        }
        (Locale::En, ErrorCode::Unavailable) => {
            "The server cannot be reached right now; retry shortly."
        }
        (Locale::En, ErrorCode::Internal) => "Something went wrong on our side; retry shortly.",
        (Locale::Ru, ErrorCode::Unauthenticated) => "Войдите, чтобы продолжить.",
        (Locale::Ru, ErrorCode::Forbidden) => "Недостаточно прав для этого действия.",
        (Locale::Ru, ErrorCode::NotFound) => "Не найдено: возможно, уже удалено.",
        (Locale::Ru, ErrorCode::BadUserInput) => "Проверьте введённые данные.",
        (Locale::Ru, ErrorCode::RateLimited) => {
            "Слишком много попыток подряд. Подождите немного и повторите."
        }
        (Locale::Ru, ErrorCode::OutOfRange) => {
            "Сумма слишком велика для расчёта — сузьте период или фильтры."
        }
        (Locale::Ru, ErrorCode::Unavailable) => "Сервер сейчас недоступен. Повторите чуть позже.",
        (Locale::Ru, ErrorCode::Internal) => {
            "Что-то пошло не так на нашей стороне. Повторите чуть позже."
        }
    }
}

/// The catalogue's key for `message` (the start of one of its sentences), for carrying an error
/// in an address (`api::session::Failure`) without carrying its text: whatever an address says
/// can only pick a sentence of ours.
pub fn sentence_key(message: &str) -> Option<&'static str> {
    let lower = message.trim().to_lowercase();
    SENTENCES
        .iter()
        .find(|(en, _)| lower.starts_with(en))
        .map(|(en, _)| *en)
}

/// What `error` says to a person reading `locale`.
pub fn error_text(locale: Locale, error: &UiError) -> String {
    let message = error.message.trim();
    match locale {
        Locale::En if !message.is_empty() => message.to_owned(),
        Locale::En => code_text(locale, error.code).to_owned(),
        Locale::Ru => {
            // Already in Russian: the form's own checks write their texts in the language.
            if message
                .chars()
                .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
            {
                return message.to_owned();
            }
            let lower = message.to_lowercase();
            SENTENCES
                .iter()
                .find(|(en, _)| lower.starts_with(en))
                .map(|(_, ru)| *ru)
                .or_else(|| {
                    (error.code == ErrorCode::BadUserInput)
                        .then(|| error.field.as_deref().and_then(field_text))
                        .flatten()
                })
                .unwrap_or_else(|| code_text(locale, error.code))
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru(code: ErrorCode, field: Option<&str>, message: &str) -> String {
        let error = UiError {
            code,
            field: field.map(str::to_owned),
            message: message.to_owned(),
        };
        error_text(Locale::Ru, &error)
    }

    #[test]
    fn the_messages_people_meet_read_in_russian() {
        use ErrorCode::*;
        assert_eq!(
            ru(Unauthenticated, None, "wrong e-mail or password"),
            "Неверная почта или пароль"
        );
        assert_eq!(
            ru(
                BadUserInput,
                Some("email"),
                "this e-mail is already registered; sign in instead"
            ),
            "Эта почта уже зарегистрирована — войдите с ней"
        );
        assert_eq!(
            ru(
                BadUserInput,
                Some("amountMinor"),
                "enter a number like 1240.50"
            ),
            "Введите число, например 1 240,50"
        );
        assert_eq!(
            ru(BadUserInput, Some("email"), "not a valid e-mail address"),
            "Это не похоже на адрес почты"
        );
        assert_eq!(
            ru(Unauthenticated, None, "please sign in"),
            "Войдите, чтобы продолжить"
        );
        // A sentence the catalogue does not hold: by field, then by code.
        assert_eq!(
            ru(BadUserInput, Some("phone"), "something new about phones"),
            "Проверьте номер телефона"
        );
        assert_eq!(
            ru(Forbidden, None, "viewers cannot change data"),
            code_text(Locale::Ru, Forbidden)
        );
    }

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        for code in ErrorCode::ALL {
            assert!(
                ru(code, None, "").chars().any(|c| ('а'..='я').contains(&c)),
                "{code:?}"
            );
            let en = UiError {
                code,
                field: None,
                message: String::new(),
            };
            assert!(!error_text(Locale::En, &en).is_empty());
        }
        let en = UiError {
            code: ErrorCode::BadUserInput,
            field: Some("email".into()),
            message: "not a valid e-mail address".into(),
        };
        assert_eq!(error_text(Locale::En, &en), "not a valid e-mail address");
    }

    #[test]
    fn only_our_sentences_have_keys() {
        assert_eq!(
            sentence_key("this e-mail is already registered; sign in instead"),
            Some("this e-mail is already registered")
        );
        assert_eq!(sentence_key("Call +1 800 to unlock your account"), None);
    }
}
