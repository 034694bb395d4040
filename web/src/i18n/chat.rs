//! The chat panel's words in English and Russian.

use super::Locale;
use crate::gql::ChatNarrativeStatus;

pub struct ChatTexts {
    /// The header button that opens the panel, and the panel's title.
    pub open: &'static str,
    pub title: &'static str,
    pub close: &'static str,
    pub new_conversation: &'static str,
    pub conversations: &'static str,
    pub no_conversations: &'static str,
    pub delete: &'static str,
    pub placeholder: &'static str,
    pub send: &'static str,
    pub thinking: &'static str,
    pub intro: &'static str,
    /// The facts under an answer.
    pub facts: &'static str,
    pub period: &'static str,
    pub compared_with: &'static str,
    pub clients: &'static str,
    pub did_you_mean: &'static str,
    pub try_asking: &'static str,
    pub open_report: &'static str,
    /// The label on the model's words, and its tooltip.
    pub ai_label: &'static str,
    pub ai_hint: &'static str,
    pub withheld: &'static str,
    pub busy: &'static str,
    pub language_not_supported: &'static str,
    pub failed: &'static str,
    pub examples: [&'static str; 3],
}

const EN: ChatTexts = ChatTexts {
    open: "Ask the assistant",
    title: "Assistant",
    close: "Close",
    new_conversation: "New conversation",
    conversations: "Conversations",
    no_conversations: "No conversations yet.",
    delete: "Delete",
    placeholder: "Ask about your sales, e.g. “top 5 clients last month”",
    send: "Ask",
    thinking: "Looking at the figures…",
    intro: "Ask about your sales data in English or Russian. Answers come from your figures; \
            words the AI wrote are labelled.",
    facts: "Facts used",
    period: "Period",
    compared_with: "Compared with",
    clients: "Clients",
    did_you_mean: "Did you mean",
    try_asking: "Try asking",
    open_report: "Open as a report",
    ai_label: "AI · written by the assistant, numbers checked against the facts",
    ai_hint: "Written by a language model from the facts below; sentences with a number, date or name not among them were removed.",
    withheld: "The AI's words did not pass the fact check; only the answer above stands.",
    busy: "The AI is busy; its words were skipped. Ask again in a few seconds for them.",
    language_not_supported: "The AI writes English only; the answer above is complete.",
    failed: "The AI could not write; the answer above is complete.",
    examples: [
        "How much did we sell last month?",
        "Top 5 clients this year",
        "Which clients are at risk of leaving?",
    ],
};

const RU: ChatTexts = ChatTexts {
    open: "Спросить ассистента",
    title: "Ассистент",
    close: "Закрыть",
    new_conversation: "Новый разговор",
    conversations: "Разговоры",
    no_conversations: "Разговоров пока нет.",
    delete: "Удалить",
    placeholder: "Спросите о продажах, например «топ-5 клиентов за прошлый месяц»",
    send: "Спросить",
    thinking: "Смотрю на цифры…",
    intro: "Спрашивайте о продажах на русском или английском. Ответы строятся по вашим данным; \
            слова, написанные ИИ, помечены.",
    facts: "Использованные данные",
    period: "Период",
    compared_with: "В сравнении с",
    clients: "Клиенты",
    did_you_mean: "Возможно, вы имели в виду",
    try_asking: "Попробуйте спросить",
    open_report: "Открыть как отчёт",
    ai_label: "ИИ · написано ассистентом, числа сверены с данными",
    ai_hint: "Написано языковой моделью по данным ниже; предложения с числами, датами или именами, которых в них нет, удалены.",
    withheld: "Текст ИИ не прошёл проверку фактов; верен ответ выше.",
    busy: "ИИ занят, его текст пропущен. Спросите ещё раз через несколько секунд.",
    language_not_supported: "ИИ пишет только по-английски; ответ выше полный.",
    failed: "ИИ не смог ответить; ответ выше полный.",
    examples: [
        "Сколько мы продали в прошлом месяце?",
        "Топ-5 клиентов с начала года",
        "Какие клиенты могут уйти?",
    ],
};

impl Locale {
    pub fn chat(self) -> &'static ChatTexts {
        match self {
            Locale::En => &EN,
            Locale::Ru => &RU,
        }
    }
}

impl ChatTexts {
    /// The line under an answer the model added no words to, when there is something to say.
    pub fn narrative_line(&self, status: ChatNarrativeStatus) -> Option<&'static str> {
        match status {
            ChatNarrativeStatus::Withheld => Some(self.withheld),
            ChatNarrativeStatus::Busy => Some(self.busy),
            ChatNarrativeStatus::LanguageNotSupported => Some(self.language_not_supported),
            ChatNarrativeStatus::Failed => Some(self.failed),
            ChatNarrativeStatus::Written
            | ChatNarrativeStatus::NotNeeded
            | ChatNarrativeStatus::ModelOff
            | ChatNarrativeStatus::ModelNotReady => None,
        }
    }
}
