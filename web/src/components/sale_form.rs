//! The fields of the sale form (amount, currency, day, status, note), shared by the sale
//! screen's edit form and the client screen's "add a sale" form.

use dioxus::prelude::*;

use crate::api::UiError;
use crate::api::sales::SaleForm;
use crate::components::status::field_error;
use crate::gql::{ApiEnum, SaleStatus};
use crate::i18n::Locale;

/// Fields of the sale form, named as the API names them in its errors.
pub const SALE_FIELDS: [&str; 5] = ["amountMinor", "currency", "soldAt", "status", "note"];

/// An empty sale form: completed, today, in `currency`.
pub fn blank_sale(currency: &str) -> SaleForm {
    SaleForm {
        amount: String::new(),
        currency: currency.to_owned(),
        day: String::new(),
        status: SaleStatus::Completed.name().into(),
        note: String::new(),
    }
}

/// Minor units as a decimal string with as many decimals as `like` (an amount of the same
/// currency as the API formats it, "1240.50"): the API gives unit prices in minor units only.
pub fn decimal_like(minor: i64, like: &str) -> String {
    let digits = like.split_once('.').map_or(0, |(_, f)| f.len());
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(digits as u32);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:0digits$}", abs / scale, abs % scale)
}

/// Amount, currency, day, status and note, bound to one form signal, with the API's errors.
#[component]
pub fn SaleFields(form: Signal<SaleForm>, error: Option<UiError>) -> Element {
    let locale: Signal<Locale> = use_context();
    let t = locale().texts();
    let mut form = form;
    let f = form();
    rsx! {
        div { class: "row",
            label { class: "grow", "{t.amount}"
                input { name: "amount", required: true, inputmode: "decimal", maxlength: 30, placeholder: "1240.50",
                    value: "{f.amount}", oninput: move |e: FormEvent| form.write().amount = e.value() }
            }
            label { "{t.currency}"
                input { name: "currency", required: true, maxlength: 3, size: 4, value: "{f.currency}",
                    oninput: move |e: FormEvent| form.write().currency = e.value().to_uppercase() }
            }
        }
        if let Some(m) = field_error(&error, "amountMinor") { p { class: "field-error", "{m}" } }
        if let Some(m) = field_error(&error, "currency") { p { class: "field-error", "{m}" } }
        div { class: "row",
            label { "{t.date}"
                input { name: "soldAt", r#type: "date", value: "{f.day}", oninput: move |e: FormEvent| form.write().day = e.value() }
            }
            label { "{t.status}"
                select { name: "status", onchange: move |e: FormEvent| form.write().status = e.value(),
                    for s in SaleStatus::ALL.iter().copied() {
                        option { value: s.name(), selected: f.status == s.name(), "{t.status(s)}" }
                    }
                }
            }
        }
        if let Some(m) = field_error(&error, "soldAt") { p { class: "field-error", "{m}" } }
        label { "{t.note}"
            input { name: "note", maxlength: 2000, value: "{f.note}", oninput: move |e: FormEvent| form.write().note = e.value() }
        }
        if let Some(m) = field_error(&error, "note") { p { class: "field-error", "{m}" } }
    }
}

#[cfg(test)]
mod tests {
    use super::decimal_like;

    #[test]
    fn unit_prices_take_the_currency_decimals_of_the_sale() {
        assert_eq!(decimal_like(124_050, "10.00"), "1240.50");
        assert_eq!(decimal_like(5, "1.000"), "0.005");
        assert_eq!(decimal_like(1500, "300"), "1500");
        assert_eq!(decimal_like(-7, "0.00"), "-0.07");
    }
}
