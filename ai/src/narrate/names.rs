//! Which words of a sentence name someone, and whether the facts know them.
//!
//! A capitalised word (an upper-case first letter and some lower-case letters) that is not a
//! common word is a name word; all-capital words are acronyms (CRM, RUB, ООО) and are not. A
//! run of name words next to each other (only spaces and quotes between) is one name. A name is
//! checked when it has two or more words ("Иван Петров", "Globex Industries"), or one word that
//! neither starts the sentence nor follows a colon ("… клиент Петров …", "… with Acme …"): a
//! single capitalised word at the start is capitalised for the start's sake and is not checked.
//! So the check misses a one-word name opening a sentence; it never flags an ordinary opening
//! word. A name that opens the sentence is also known when all its words but the first are
//! ("Thank Acme", "Поздравьте Ивана Петрова": the opening verb is capitalised for the start's
//! sake). Common words — function words, report vocabulary, segment names, weekdays, months,
//! titles (Mr, Dr) and legal forms (Inc, Ltd, ООО) — end a run and are never names.
//!
//! Words are compared in lower case, with ё as е, an English possessive ('s) removed and, for
//! Cyrillic words, case endings: two words are the same when they are equal or differ only by
//! endings from a list of Russian noun and adjective case endings, on a common stem of at least
//! three letters (Петров, Петрова, Петровой, Петрову; Анна, Анне, Анной; Сергей, Сергея). A
//! name is known when every one of its words is a word of one name in the facts.

use super::mentions::{Word, normalize};

/// Words that are capitalised for reasons other than naming a client: lower case, separated by
/// whitespace, one group per line of thought. Russian ones are compared with case endings, so
/// one form is enough.
const COMMON: &[&str] = &[
    // English function words and the vocabulary of a sales summary.
    "the a an and or but if so as at by for from in into of on to with without over under \
     about above after before between during since until while within per via than then also \
     both each every all any some most many much more less few several other another such \
     same this that these those it its our your their we you they he she his her him them us \
     i me my there here what which who whose when where why how not no yes overall total \
     revenue sales client clients customer customers account accounts top key summary \
     forecast growth trend trends note however meanwhile additionally furthermore moreover \
     consequently therefore thus still yet although though because compared average median \
     next last previous current recent first second third quarter month year week day today \
     yesterday tomorrow segment segments order orders deal deals purchase purchases value \
     lifetime churn retention insight insights highlight highlights overview performance \
     recommendation recommendations action actions report analysis quarterly monthly annual \
     weekly daily period please consider call offer win back focus great good strong weak \
     well dollar dollars euro euros ruble rubles rouble roubles internet email director \
     manager head owner founder ceo cfo team department marketing support purchasing",
    // Segment names as the reports write them.
    "champions loyal potential loyalists new promising need attention sleep risk can't cant \
     lose hibernating",
    // Calendar.
    "monday tuesday wednesday thursday friday saturday sunday january february march april \
     may june july august september october november december",
    // Titles and legal forms.
    "mr mrs ms dr mx sir madam inc llc ltd corp corporation co company gmbh plc group holding \
     holdings",
    // Russian (compared with case endings, so one form is enough).
    "в во на с со по у о об к ко для из за от до при про без над под через и а но или что это \
     этот эта эти тот та те как так также же не ни нет да уже еще всего итого все весь вся мы \
     вы они он она их его ее наш наша наши ваш ваша ваши свой выручка продажи продажа клиент \
     клиентка покупатель компания сегмент прогноз рост снижение падение средний средняя итог \
     квартал месяц год неделя сегодня вчера завтра период заказ сделка покупка ценность риск \
     отток обзор анализ рекомендация действие отчет однако кроме поэтому следовательно между \
     после перед около почти более менее больше меньше рекомендуем стоит обратите внимание \
     позвоните предложите чемпионы лояльные потенциально новые перспективные требуют внимания \
     засыпающие угрозой ухода нельзя потерять спящие рубль доллар евро ооо оао зао пао ао ип \
     группа холдинг господин госпожа понедельник вторник среда четверг пятница суббота \
     воскресенье директор менеджер руководитель владелец отдел",
];

/// A name a sentence mentions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Candidate {
    /// As written, words joined by a space.
    pub text: String,
    /// Normalised words.
    pub words: Vec<String>,
    /// The first word starts the sentence, so it may be capitalised for that alone ("Thank
    /// Acme", "Позвоните Петрову"): the name may also be the other words.
    pub opens_sentence: bool,
}

/// The names in the facts, as normalised words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Known {
    names: Vec<Vec<String>>,
}

impl Known {
    pub fn new(names: &[String]) -> Self {
        let names = names
            .iter()
            .map(|name| {
                name.split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '\'' | '’')))
                    .filter(|w| !w.is_empty())
                    .map(word_key)
                    .collect::<Vec<_>>()
            })
            .filter(|words| !words.is_empty())
            .collect();
        Known { names }
    }

    /// Whether one name in the facts holds every word of `candidate` (or every word but the first,
    /// when that one opens the sentence).
    pub fn knows(&self, candidate: &Candidate) -> bool {
        let holds = |words: &[String]| {
            self.names
                .iter()
                .any(|fact| words.iter().all(|w| fact.iter().any(|f| same_word(w, f))))
        };
        holds(&candidate.words)
            || (candidate.opens_sentence
                && candidate
                    .words
                    .get(1..)
                    .is_some_and(|rest| !rest.is_empty() && holds(rest)))
    }
}

/// The names `words` (one sentence) mention, in order.
pub(super) fn candidates(words: &[Word]) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut run: Vec<&Word> = Vec::new();
    let flush = |run: &mut Vec<&Word>, out: &mut Vec<Candidate>| {
        let checked = match run.as_slice() {
            [] => false,
            [single] => !single.first,
            _ => true,
        };
        if checked {
            out.push(Candidate {
                text: run
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                words: run.iter().map(|w| word_key(&w.text)).collect(),
                opens_sentence: run.first().is_some_and(|w| w.first),
            });
        }
        run.clear();
    };
    for w in words {
        if !w.used && is_name_word(&w.text) {
            if !w.follows_word {
                flush(&mut run, &mut out);
            }
            run.push(w);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    let capitalised = chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase);
    capitalised && {
        let key = word_key(word);
        !COMMON
            .iter()
            .flat_map(|group| group.split_whitespace())
            .any(|c| same_word(&key, c))
    }
}

/// Lower case, ё as е, without an English possessive.
fn word_key(word: &str) -> String {
    let w = normalize(word).replace('’', "'");
    let w = w.strip_suffix("'s").unwrap_or(&w);
    w.trim_end_matches('\'').to_owned()
}

/// Equal, or equal but for Russian case endings on a stem of at least three letters.
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let stems = |w: &str| crate::intent::names::stems(w).collect::<Vec<usize>>();
    let (sa, sb) = (stems(a), stems(b));
    sa.iter().any(|&la| {
        sb.iter()
            .any(|&lb| a.get(..la).is_some_and(|s| Some(s) == b.get(..lb)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::narrate::mentions::scan;

    fn names(sentence: &str) -> Vec<String> {
        candidates(&scan(sentence).words)
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    #[test]
    fn which_words_are_names() {
        let cases: &[(&str, &[&str])] = &[
            ("Иван Петров купил больше всех.", &["Иван Петров"]),
            ("Клиент Петров купил больше всех.", &["Петров"]),
            ("Петров купил больше всех.", &[]),
            ("Revenue from Acme Corp grew.", &["Acme"]),
            ("Acme grew the most.", &[]),
            ("Top client: Globex.", &[]),
            ("Top client: Ivan Sidorov.", &["Ivan Sidorov"]),
            ("The Champions segment grew in March.", &[]),
            ("Выручка ООО «Ромашка» выросла.", &["Ромашка"]),
            ("Revenue in RUB and USD via CRM rose.", &[]),
            ("Call Mr. Smith and Jane Doe today.", &["Smith", "Jane Doe"]),
            ("Позвоните Анне Смирновой сегодня.", &["Анне Смирновой"]),
        ];
        for &(sentence, want) in cases {
            assert_eq!(names(sentence), want, "{sentence}");
        }
    }

    #[test]
    fn declined_forms_match() {
        let known = Known::new(&[
            "Иван Петров".into(),
            "Анна Смирнова".into(),
            "Acme Corp".into(),
        ]);
        let knows = |text: &str| {
            known.knows(&Candidate {
                text: text.into(),
                words: text.split(' ').map(word_key).collect(),
                opens_sentence: false,
            })
        };
        for yes in [
            "Петрова",
            "Петрову",
            "Петровым",
            "Ивану Петрову",
            "Иваном",
            "Анне Смирновой",
            "Смирновой",
            "Анной",
            "acme",
            "ACME's",
            "Acme",
        ] {
            assert!(knows(yes), "{yes}");
        }
        for no in [
            "Сидоров",
            "Иван Сидоров",
            "Анна Петрова Смит",
            "Globex",
            "Acme Industries",
            "Ив",
        ] {
            assert!(!knows(no), "{no}");
        }
    }

    #[test]
    fn an_opening_word_may_be_left_out() {
        let known = Known::new(&["Acme Corp".into(), "Иван Петров".into()]);
        let opening = |sentence: &str| {
            candidates(&scan(sentence).words)
                .iter()
                .map(|c| known.knows(c))
                .collect::<Vec<_>>()
        };
        assert_eq!(opening("Thank Acme for their loyalty."), [true]);
        assert_eq!(opening("Поздравьте Ивана Петрова."), [true]);
        assert_eq!(opening("Thank Globex for their loyalty."), [false]);
        assert_eq!(opening("Иван Сидоров ушёл."), [false]);
        // Only at the start of a sentence.
        assert_eq!(opening("We thank Globex Acme for it."), [false]);
    }

    #[test]
    fn same_word_needs_a_stem_of_three_letters() {
        assert!(same_word("газпром", "газпромом"));
        assert!(same_word("максим", "максима"));
        assert!(same_word("юлия", "юлией"));
        assert!(same_word("сергей", "сергея"));
        assert!(!same_word("оля", "олег"));
        assert!(!same_word("петров", "петровский"));
        assert!(!same_word("ан", "ана"));
    }
}
