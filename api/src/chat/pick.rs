//! The model picks the tool, when it can: with an OpenAI-compatible model that calls tools
//! (`CRM_LLM_TOOL_CALLS=on`), the question goes to it with the chat's tools as OpenAI function
//! definitions ([`definitions`]), and the call it makes becomes an [`Intent`] only through the
//! checks our own reader's arguments meet ([`intent_of`]):
//! - dates that exist, written `YYYY-MM-DD`, first before last, from 1970 on; a period that
//!   ends after today is cut to today, one that starts after today is refused;
//! - top-N cut to 1..=[`intent::MAX_TOP`] as the reader cuts it;
//! - a forecast horizon of 1 to [`reports::MAX_HORIZON`] days, weeks or months;
//! - a known ISO 4217 currency, amounts from 0 that fit in minor units;
//! - a client name of 1 to [`MAX_NAME_CHARS`] characters without control or format
//!   characters (bidirectional overrides, zero-width);
//! - a known report type and tool name.
//!
//! A model that calls no tool, fails, or calls one wrongly is not trusted: our own reader
//! (`crm_ai::intent::recognise`) answers instead. Either way the tool then runs in the same
//! code (`tools::run`) for the asker's company, with the same client matching, so tenant
//! isolation and roles do not depend on the model.

use chrono::{Datelike, NaiveDate};
use crm_ai::intent::{self, Filters, Horizon, Intent, Period, ReportType, Unit};
use crm_ai::llm::ChatMessage;
use serde_json::{Map, Value, json};

use crate::app::App;
use crate::reports;

/// Longest client name a model may pass, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// The chat's tools as OpenAI function definitions (`tools` of a chat completion request).
pub fn definitions() -> Value {
    let date = |what: &str| json!({ "type": "string", "format": "date", "description": what });
    let period = || {
        json!({
            "from": date("first day, YYYY-MM-DD, inclusive; omit for this month to date"),
            "to": date("last day, YYYY-MM-DD, inclusive; omit for today"),
        })
    };
    let filters = || {
        json!({
            "currency": { "type": "string", "description": "ISO 4217 code of the sales, e.g. RUB, USD, EUR" },
            "amount_min": { "type": "number", "minimum": 0, "description": "smallest sale amount, in major units" },
            "amount_max": { "type": "number", "minimum": 0, "description": "largest sale amount, in major units" },
        })
    };
    let n = json!({ "type": "integer", "minimum": 1, "maximum": intent::MAX_TOP, "description": "how many clients; 5 when not asked" });
    let merge = |parts: &[Value]| {
        let mut all = Map::new();
        for part in parts {
            if let Value::Object(fields) = part {
                all.extend(fields.clone());
            }
        }
        Value::Object(all)
    };
    let function = |name: &str, description: &str, properties: Value, required: &[&str]| {
        json!({
            "type": "function",
            "function": {
                "name": name,
                "description": description,
                "parameters": {
                    "type": "object",
                    "properties": properties,
                    "required": required,
                    "additionalProperties": false,
                },
            },
        })
    };
    let client = json!({ "client": { "type": "string", "description": "a client's name as the user wrote it, to narrow to that client's sales" } });
    json!([
        function(
            "figures",
            "Revenue, number of sales, average sale and buyers for a period.",
            merge(&[period(), filters(), client.clone()]),
            &[],
        ),
        function(
            "compare",
            "The same figures for two periods side by side; without against_* the earlier period of the same length.",
            merge(&[
                period(),
                json!({
                    "against_from": date("first day of the period to compare with"),
                    "against_to": date("last day of the period to compare with"),
                }),
                filters(),
                client,
            ]),
            &[],
        ),
        function(
            "top_clients",
            "The clients who bought the most in a period.",
            merge(&[period(), json!({ "n": n }), filters()]),
            &[],
        ),
        function(
            "client",
            "One client's summary: purchases, last purchase, still buying or not, the next step.",
            json!({ "name": { "type": "string", "description": "the client's name as the user wrote it" } }),
            &["name"],
        ),
        function(
            "at_risk",
            "The most valuable clients likely to have stopped buying.",
            json!({ "n": n }),
            &[],
        ),
        function(
            "likely_buyers",
            "The clients most likely to buy soon.",
            json!({ "n": n }),
            &[],
        ),
        function(
            "forecast",
            "Revenue forecast for the periods ahead.",
            json!({
                "count": { "type": "integer", "minimum": 1, "maximum": reports::MAX_HORIZON, "description": "how many units ahead; 3 months when not asked" },
                "unit": { "type": "string", "enum": ["day", "week", "month"] },
            }),
            &[],
        ),
        function(
            "report",
            "A whole report over a period: general (sales overview), trends (with forecasts) or recommendations (customer models and next steps).",
            merge(&[
                json!({ "kind": { "type": "string", "enum": ["general", "trends", "recommendations"] } }),
                period(),
            ]),
            &["kind"],
        ),
        function(
            "help",
            "A greeting or a question about what the assistant can do.",
            json!({}),
            &[],
        ),
        function(
            "out_of_scope",
            "Anything not about the company's own sales data: weather, poems, jokes, general knowledge.",
            json!({}),
            &[],
        ),
    ])
}

/// The messages that ask the model to pick a tool for `question`.
fn messages(question: &str, today: NaiveDate) -> Vec<ChatMessage> {
    vec![
        ChatMessage::system(format!(
            "You choose the one analytics tool that answers a CRM user's question about their \
             company's sales data. Today is {today} ({weekday}) in the company's time zone. \
             Call exactly one tool. Dates are YYYY-MM-DD, inclusive; weeks start on Monday. \
             Questions in Russian are common. Call out_of_scope for anything not about the \
             company's own sales data.",
            weekday = today.weekday(),
        )),
        ChatMessage::user(question),
    ]
}

/// The intent the model picks for `question`, checked; `None` when the model does not pick
/// tools, or picks none, or picks one wrongly (then our own reader answers).
pub(super) async fn by_model(app: &App, question: &str, today: NaiveDate) -> Option<Intent> {
    if !app.assistant.picks_tools() {
        return None;
    }
    let call = match app
        .assistant
        .pick_tool(&messages(question, today), &definitions())
        .await
    {
        Ok(Some(call)) => call,
        Ok(None) => {
            tracing::info!("the model called no tool: our reader answers");
            return None;
        }
        Err(e) => {
            tracing::warn!(error = %e, "the model could not pick a tool: our reader answers");
            return None;
        }
    };
    match intent_of(&call.name, &call.arguments, today) {
        Ok(intent) => {
            tracing::info!(tool = ?clip(&call.name), "the model picked the tool");
            Some(intent)
        }
        Err(why) => {
            tracing::warn!(tool = ?clip(&call.name), why = ?clip(&why), "the model called a tool wrongly: our reader answers");
            None
        }
    }
}

/// At most 80 characters of model-written text, for the log.
fn clip(text: &str) -> String {
    text.chars().take(80).collect()
}

/// Unicode format characters (category Cf) that change how text shows without showing
/// themselves: bidirectional overrides and isolates, zero-width characters, the BOM.
fn is_format(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}')
}

/// The argument names [`definitions`] gives the tool `name`; `None` when there is no such tool.
fn arguments_of(name: &str) -> Option<Vec<String>> {
    let definitions = definitions();
    let function = definitions
        .as_array()?
        .iter()
        .filter_map(|d| d.get("function"))
        .find(|f| f.get("name").and_then(Value::as_str) == Some(name))?;
    let properties = function
        .get("parameters")
        .and_then(|p| p.get("properties"))
        .and_then(Value::as_object);
    Some(
        properties
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default(),
    )
}

/// A tool call checked and read as an [`Intent`], its periods resolved against `today`.
///
/// # Errors
/// What is wrong with the call, in words (for the log): an unknown tool, an argument of the
/// wrong type or out of range, an unknown currency, a date that does not exist.
pub fn intent_of(name: &str, args: &Value, today: NaiveDate) -> Result<Intent, String> {
    let a = Args { args, today };
    let Some(known) = arguments_of(name) else {
        return Err(format!("no tool is called {name:?}"));
    };
    if let Value::Object(fields) = args
        && let Some(extra) = fields.keys().find(|k| !known.contains(k))
    {
        return Err(format!("{name} takes no argument {extra:?}"));
    }
    Ok(match name {
        "figures" => Intent::Figures {
            period: a.period("from", "to")?,
            filters: a.filters()?,
        },
        "compare" => {
            let against = match (a.text("against_from")?, a.text("against_to")?) {
                (None, None) => None,
                _ => Some(a.period("against_from", "against_to")?),
            };
            Intent::Compare {
                period: a.period("from", "to")?,
                against,
                filters: a.filters()?,
            }
        }
        "top_clients" => Intent::TopClients {
            period: a.period("from", "to")?,
            n: a.top()?,
            filters: Filters {
                client: None,
                ..a.filters()?
            },
        },
        "client" => Intent::Client {
            name: a.name("name")?.ok_or("client needs a name")?,
        },
        "at_risk" => Intent::AtRisk { n: a.top()? },
        "likely_buyers" => Intent::LikelyBuyers { n: a.top()? },
        "forecast" => {
            let count = match a.integer("count")? {
                None => 3,
                Some(c) if (1..=i64::from(reports::MAX_HORIZON)).contains(&c) => {
                    u32::try_from(c).map_err(|e| e.to_string())?
                }
                Some(c) => {
                    return Err(format!("count {c} is not 1 to {}", reports::MAX_HORIZON));
                }
            };
            let unit = match a.text("unit")? {
                None | Some("month") => Unit::Month,
                Some("week") => Unit::Week,
                Some("day") => Unit::Day,
                Some(other) => return Err(format!("unit {other:?} is not day, week or month")),
            };
            Intent::Forecast {
                horizon: Horizon { count, unit },
            }
        }
        "report" => Intent::Report {
            kind: match a.text("kind")? {
                Some("general") => ReportType::General,
                Some("trends") => ReportType::Trends,
                Some("recommendations") => ReportType::Recommendations,
                other => return Err(format!("report kind {other:?} is not known")),
            },
            period: a.period("from", "to")?,
        },
        "help" => Intent::Help,
        _ => Intent::OutOfScope,
    })
}

/// A tool call's arguments, read with the checks.
struct Args<'a> {
    args: &'a Value,
    today: NaiveDate,
}

impl Args<'_> {
    fn value(&self, key: &str) -> Option<&Value> {
        self.args.get(key).filter(|v| !v.is_null())
    }

    fn text(&self, key: &str) -> Result<Option<&str>, String> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim())),
            Some(_) => Err(format!("{key} is not text")),
        }
    }

    fn integer(&self, key: &str) -> Result<Option<i64>, String> {
        match self.value(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| format!("{key} is not a whole number")),
        }
    }

    fn date(&self, key: &str) -> Result<Option<NaiveDate>, String> {
        let Some(text) = self.text(key)? else {
            return Ok(None);
        };
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| format!("{key} {text:?} is not a date (YYYY-MM-DD)"))?;
        if day.year() < 1970 {
            return Err(format!("{key} {day} is before 1970"));
        }
        Ok(Some(day))
    }

    /// The period `from_key`..`to_key`: this month to date when both are missing, up to today
    /// when only the last is; cut to today.
    fn period(&self, from_key: &str, to_key: &str) -> Result<Period, String> {
        let today = self.today;
        let (from, to) = match (self.date(from_key)?, self.date(to_key)?) {
            (None, None) => (today.with_day(1).unwrap_or(today), today),
            (Some(from), to) => (from, to.unwrap_or(today)),
            (None, Some(_)) => return Err(format!("{to_key} without {from_key}")),
        };
        if from > to {
            return Err(format!("{from_key} {from} is after {to_key} {to}"));
        }
        if from > today {
            return Err(format!("{from_key} {from} is after today"));
        }
        Ok(Period {
            from,
            to: to.min(today),
        })
    }

    fn top(&self) -> Result<u32, String> {
        let n = self.integer("n")?.unwrap_or(i64::from(intent::DEFAULT_TOP));
        u32::try_from(n.clamp(1, i64::from(intent::MAX_TOP))).map_err(|e| e.to_string())
    }

    /// An amount in major units as hundredths, the unit of [`Filters`].
    fn amount(&self, key: &str) -> Result<Option<i64>, String> {
        let Some(v) = self.value(key) else {
            return Ok(None);
        };
        let major = v.as_f64().ok_or_else(|| format!("{key} is not a number"))?;
        let hundredths = (major * 100.0).round();
        // 9e15 keeps every hundredth exact in an f64 and far inside i64.
        if !(0.0..=9e15).contains(&hundredths) {
            return Err(format!("{key} {major} is out of range"));
        }
        format!("{hundredths:.0}")
            .parse()
            .map(Some)
            .map_err(|_| format!("{key} {major} is out of range"))
    }

    fn name(&self, key: &str) -> Result<Option<String>, String> {
        let Some(name) = self.text(key)? else {
            return Ok(None);
        };
        if name.chars().count() > MAX_NAME_CHARS
            || name.chars().any(|c| c.is_control() || is_format(c))
        {
            return Err(format!(
                "{key} is not a name of at most {MAX_NAME_CHARS} plain characters"
            ));
        }
        Ok(Some(name.to_owned()))
    }

    fn filters(&self) -> Result<Filters, String> {
        let currency = match self.text("currency")? {
            None => None,
            Some(code) => Some(
                crate::domain::validate::currency_code("currency", code)
                    .map_err(|e| e.message())?,
            ),
        };
        let (amount_min, amount_max) = (self.amount("amount_min")?, self.amount("amount_max")?);
        if let (Some(min), Some(max)) = (amount_min, amount_max)
            && min > max
        {
            return Err("amount_min is over amount_max".to_owned());
        }
        Ok(Filters {
            currency,
            amount_min,
            amount_max,
            client: self.name("client")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    const TODAY: (i32, u32, u32) = (2026, 3, 18);

    fn read(name: &str, args: Value) -> Result<Intent, String> {
        intent_of(name, &args, day(TODAY.0, TODAY.1, TODAY.2))
    }

    #[test]
    fn good_calls_become_the_intents_our_reader_would_give() {
        assert_eq!(
            read(
                "figures",
                json!({ "from": "2026-02-01", "to": "2026-02-28" })
            ),
            Ok(Intent::Figures {
                period: Period {
                    from: day(2026, 2, 1),
                    to: day(2026, 2, 28)
                },
                filters: Filters::default(),
            })
        );
        // No period: this month to date; a period past today is cut to today.
        assert_eq!(
            read("top_clients", json!({ "n": 500, "currency": "eur" })),
            Ok(Intent::TopClients {
                period: Period {
                    from: day(2026, 3, 1),
                    to: day(2026, 3, 18)
                },
                n: intent::MAX_TOP,
                filters: Filters {
                    currency: Some("EUR".into()),
                    ..Filters::default()
                },
            })
        );
        assert_eq!(
            read(
                "report",
                json!({ "kind": "trends", "from": "2026-01-01", "to": "2026-12-31" })
            ),
            Ok(Intent::Report {
                kind: ReportType::Trends,
                period: Period {
                    from: day(2026, 1, 1),
                    to: day(2026, 3, 18)
                },
            })
        );
        assert_eq!(
            read(
                "compare",
                json!({ "from": "2026-03-01", "against_from": "2025-03-01", "against_to": "2025-03-18", "amount_min": 10.5 })
            ),
            Ok(Intent::Compare {
                period: Period {
                    from: day(2026, 3, 1),
                    to: day(2026, 3, 18)
                },
                against: Some(Period {
                    from: day(2025, 3, 1),
                    to: day(2025, 3, 18)
                }),
                filters: Filters {
                    amount_min: Some(1050),
                    ..Filters::default()
                },
            })
        );
        assert_eq!(
            read("forecast", json!({ "count": 6, "unit": "week" })),
            Ok(Intent::Forecast {
                horizon: Horizon {
                    count: 6,
                    unit: Unit::Week
                }
            })
        );
        assert_eq!(
            read("client", json!({ "name": " Петрову " })),
            Ok(Intent::Client {
                name: "Петрову".into()
            })
        );
        assert_eq!(read("at_risk", json!({})), Ok(Intent::AtRisk { n: 5 }));
        assert_eq!(read("out_of_scope", json!({})), Ok(Intent::OutOfScope));
        assert_eq!(read("help", Value::Null), Ok(Intent::Help));
    }

    #[test]
    fn wrong_calls_are_refused() {
        let wrong = [
            ("weather", json!({})),
            ("figures", json!({ "from": "2026-02-30" })),
            ("figures", json!({ "from": "March 3" })),
            (
                "figures",
                json!({ "from": "2026-03-10", "to": "2026-03-01" }),
            ),
            ("figures", json!({ "from": "2026-04-01" })),
            ("figures", json!({ "to": "2026-03-01" })),
            ("figures", json!({ "from": "1900-01-01" })),
            ("figures", json!({ "currency": "XYZ" })),
            ("figures", json!({ "amount_min": -1 })),
            ("figures", json!({ "amount_min": 1e300 })),
            ("figures", json!({ "amount_min": 10, "amount_max": 5 })),
            ("figures", json!({ "amount_min": "ten" })),
            ("figures", json!({ "sql": "DROP TABLE sales" })),
            ("figures", json!({ "against_from": "2026-01-01" })),
            ("client", json!({ "name": "Ann\u{202e}nnA" })),
            ("top_clients", json!({ "n": 2.5 })),
            ("client", json!({})),
            ("client", json!({ "name": "x".repeat(MAX_NAME_CHARS + 1) })),
            ("client", json!({ "name": "Ann\u{0}" })),
            ("forecast", json!({ "count": 0 })),
            ("forecast", json!({ "count": reports::MAX_HORIZON + 1 })),
            ("forecast", json!({ "unit": "year" })),
            ("report", json!({})),
            ("report", json!({ "kind": "everything" })),
        ];
        for (name, args) in wrong {
            assert!(read(name, args.clone()).is_err(), "{name} {args}");
        }
    }

    #[test]
    fn every_tool_offered_can_be_read() {
        let tools = definitions();
        let names: Vec<&str> = tools
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.pointer("/function/name").and_then(Value::as_str))
            .collect();
        assert_eq!(names.len(), 10);
        for name in names {
            let required = tools
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t.pointer("/function/name") == Some(&json!(name)))
                .and_then(|t| t.pointer("/function/parameters/required"))
                .cloned();
            let args = match name {
                "client" => json!({ "name": "Acme" }),
                "report" => json!({ "kind": "general" }),
                _ => json!({}),
            };
            assert!(read(name, args).is_ok(), "{name} (required {required:?})");
        }
    }
}
