//! What the words of a question mean: intent keywords and phrases (with one typo allowed in long
//! ones), stop words, a top-N count, and the words left over, which name a client.

use super::text::{Kind, Tok, number_word, word_in, word_is};

/// What a keyword says about the question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Concept {
    /// Revenue, sales, income.
    Money,
    Average,
    Orders,
    Buy,
    HowMuch,
    /// "compare", "сравни": the periods that follow are compared.
    Compare,
    /// "vs", "compared to", "по сравнению с": the period that follows is the one compared against.
    Against,
    Top,
    Clients,
    Risk,
    Likely,
    Forecast,
    /// "will", "будет": about the future.
    Future,
    Report,
    Trends,
    Advice,
    Help,
    /// "tell me about", "что с": a client's summary.
    About,
    /// Weather, poems, jokes: not about the company's sales.
    Out,
    /// A word that carries no meaning here.
    Stop,
}

use Concept::*;

/// Phrases, matched before single words: words separated by spaces, `*` ends a stem.
const PHRASES: &[(Concept, &str)] = &[
    (Help, "what can you do"),
    (Help, "what do you do"),
    (Help, "what can you"),
    (Help, "who are you"),
    (Help, "how to use"),
    (Help, "how do i use"),
    (Help, "что ты умеешь"),
    (Help, "что умеешь"),
    (Help, "что ты можешь"),
    (Help, "что можешь"),
    (Help, "кто ты"),
    (Help, "добрый день"),
    (Help, "добрый вечер"),
    (Help, "доброе утро"),
    (Help, "как пользоваться"),
    (Help, "good morning"),
    (Likely, "most likely"),
    (Likely, "will buy"),
    (Likely, "will order"),
    (Likely, "going to buy"),
    (Likely, "about to buy"),
    (Likely, "next purchase"),
    (Likely, "кто купит"),
    (Likely, "кто закажет"),
    (Risk, "at risk"),
    (Risk, "no longer"),
    (Risk, "not buying"),
    (Risk, "haven't bought"),
    (Risk, "hasn't bought"),
    (Risk, "havent bought"),
    (Risk, "hasnt bought"),
    (Risk, "давно не"),
    (Risk, "больше не"),
    (Risk, "не покупают"),
    (Risk, "не покупает"),
    (Top, "the most"),
    (Top, "больше всех"),
    (Top, "больше всего"),
    (Top, "самые крупные"),
    (Against, "compared to"),
    (Against, "compared with"),
    (Against, "relative to"),
    (Against, "по сравнению"),
    (Against, "в сравнении"),
    (Forecast, "what to expect"),
    (Forecast, "чего ждать"),
    (Forecast, "что ждать"),
    (Forecast, "чего ожидать"),
    (Advice, "what should we do"),
    (Advice, "what should i do"),
    (Advice, "что делать"),
    (Advice, "что нам делать"),
    (HowMuch, "how much"),
    (HowMuch, "how many"),
    (About, "tell me about"),
    (About, "tell me more about"),
    (About, "what about"),
    (About, "how about"),
    (About, "how is"),
    (About, "how are"),
    (About, "how has"),
    (About, "what's up with"),
    (About, "whats up with"),
    (About, "what's going on with"),
    (About, "info on"),
    (About, "info about"),
    (About, "information on"),
    (About, "information about"),
    (About, "details on"),
    (About, "details about"),
    (About, "status of"),
    (About, "что с"),
    (About, "что там с"),
    (About, "что там у"),
    (About, "что у"),
    (About, "как дела у"),
    (About, "как там"),
    (About, "как у"),
    (About, "как поживает"),
    (About, "расскаж* про"),
    (About, "расскаж* о"),
    (About, "расскаж* об"),
    (About, "информаци* о"),
    (About, "информаци* об"),
    (About, "информаци* по"),
    (About, "инфо по"),
    (About, "данные по"),
];

/// Single keywords, whitespace-separated; `*` ends a stem. Earlier lines win.
const WORDS: &[(Concept, &str)] = &[
    (
        Out,
        "weather погод* poem* poetry стих* стишок joke* анекдот* шутк* пошути* recipe* рецепт* \
         cook* приготов* president* президент* song* песн* lyrics story stories сказк* фильм* \
         movie* news новост* football футбол* sport* спорт* translate перевед* переведи \
         capital столиц* bitcoin биткоин* crypto* крипт* politic* политик* horoscope гороскоп* \
         love любов* сочини сочинить",
    ),
    (
        Risk,
        "churn* risk* risky stopped stop* lost lose losing leaving inactive dormant lapsed quit* \
         отток* угроз* риск* перестал* перестан* ушл* уход* ушедш* уйти уйдут уйдет спящ* неактивн* потерян* \
         потеря* пропал* отвалил*",
    ),
    (
        Likely,
        "likely likeliest probable probably soon ready potential скоро вероятн* готов* купят \
         купит закажут потенциальн*",
    ),
    (
        Forecast,
        "forecast* predict* prediction* projection* projected outlook expect* прогноз* \
         спрогноз* предскаж* предсказ* ожида*",
    ),
    (Future, "will будет будут"),
    (
        Report,
        "report* summary summarize summarise overview digest отчет* сводк* обзор* итоги",
    ),
    (Trends, "trend* dynamics тренд* тенденц* динамик*"),
    (
        Advice,
        "recommend* recomendation* advice advise suggest* tips рекоменд* совет* посовет*",
    ),
    (Against, "vs versus against compared против"),
    (Compare, "compare comparison сравн*"),
    (
        Top,
        "top топ best лучш* biggest largest leading главн* крупн* крупнейш* ведущ* most самы*",
    ),
    (
        Clients,
        "client* customer* buyer* клиент* покупател* заказчик* контрагент*",
    ),
    (
        Money,
        "revenue* sales sale sold sell* turnover income earn* earnings made make money gross \
         выручк* продаж* продал* продан* продать оборот* доход* заработ* деньг*",
    ),
    (Average, "average avg aov mean средн* чек*"),
    (
        Orders,
        "order* deal* transaction* purchases заказ* сделк* сделок покупк* покупок",
    ),
    (
        Buy,
        "buy* bought purchase purchased spend* spent paid купил* купи* покупал* покупа* \
         потратил* заплатил* приобрел*",
    ),
    (HowMuch, "сколько total сумм* итого всего"),
    (
        Help,
        "help hi hello hey hiya greetings привет* здравствуй* хай хелп помощь помоги* \
         examples пример*",
    ),
    (
        About,
        "about how's hows про tell расскаж* profile профиль досье инфо информаци* карточк*",
    ),
];

/// Words that carry no meaning here. Compared exactly (no typos).
const STOP: &str = "the a an of in on at for to from by with and or is are was were be been \
     being am do does did done doing going go get got give show showing display list find see \
     look looking tell me my i we our ours us you your it its this that these those what \
     what's whats which who whom whose when where why how can could would should \
     shall may might must please pls plz thanks thank just also as than then there here any \
     some all every each per so but if not no yes ok okay data info number numbers amount \
     value overall figures figure stats statistics metrics kpi kpis quick brief let lets \
     let's want need know like have has had company business during within over under \
     between into up down out off more less period time times now currently doing going been \
     last this next previous past current recent so far lately recently our's such very \
     really much many one ones give gimme there's there're \
     в во на с со по у о об к ко для из за от до при без над под через и а но или что это \
     этот эта эти тот та те как так же ли не ни нет да уже еще все всех весь вся мы вы они \
     он она оно их его ее нас нам наш наша наше наши ваш ваша мне меня мой моя я ты тебя \
     покажи покажите показать показывай выведи выведите дай дайте дать скажи скажите \
     подскажи подскажите какой какая какое какие каков какова каких каким был была было были \
     есть хочу хочется нужно надо можно пожалуйста плиз спасибо сейчас данные цифры цифру \
     статистика статистику показатели период периода периодом периоде время общий общая \
     общее общие общую общей общего там тут здесь вообще пока кто когда где почему зачем \
     прошлый прошлом прошлого прошлым прошлой следующий следующем этом этого текущий \
     последний последние последних также плз мы нашей нашего нашу могут может \
     день дня дней неделя неделю недели недель месяц месяца месяцев квартал квартала год \
     года году лет day days week weeks month months quarter quarters year years";

/// Marks every keyword and stop word in `toks` used and says what each means (`None` for
/// tokens that are not words read here).
pub(super) fn classify(toks: &mut [Tok]) -> Vec<Option<Concept>> {
    let mut found: Vec<Option<Concept>> = vec![None; toks.len()];
    // Phrases first, then single words exactly, then single words with a typo.
    for i in 0..toks.len() {
        for (concept, phrase) in PHRASES {
            let keys: Vec<&str> = phrase.split(' ').collect();
            let fits = keys.iter().enumerate().all(|(k, key)| {
                toks.get(i + k)
                    .filter(|t| !t.used)
                    .and_then(Tok::word)
                    .is_some_and(|w| word_is(w, key, false))
            });
            if fits {
                for k in i..i + keys.len() {
                    if let (Some(t), Some(f)) = (toks.get_mut(k), found.get_mut(k)) {
                        t.used = true;
                        *f = Some(*concept);
                    }
                }
                break;
            }
        }
    }
    for typo in [false, true] {
        for (t, f) in toks.iter_mut().zip(found.iter_mut()) {
            let Some(w) = t.word().filter(|_| !t.used) else {
                continue;
            };
            let concept = WORDS
                .iter()
                .find(|(_, keys)| word_in(w, keys, typo))
                .map(|(c, _)| *c)
                .or_else(|| (!typo && word_in(w, STOP, false)).then_some(Stop));
            if let Some(c) = concept {
                t.used = true;
                *f = Some(c);
            }
        }
    }
    found
}

/// A top-N count ("top 5", "топ-10", "top ten", "пять лучших", "10 клиентов под угрозой"): a
/// number next to a top, client, risk or likely-buyer word. Marks it used.
pub(super) fn take_count(toks: &mut [Tok], found: &[Option<Concept>]) -> Option<u32> {
    let counted = |k: usize| matches!(found.get(k), Some(Some(Top | Clients | Risk | Likely)));
    for i in 0..toks.len() {
        let Some(t) = toks.get(i).filter(|t| !t.used) else {
            continue;
        };
        let n = match (t.num(), t.word()) {
            (Some(n), _) => n.count(),
            (None, Some(w)) => number_word(w),
            _ => None,
        };
        let Some(n) = n else { continue };
        let is_dash = |k: usize| {
            toks.get(k)
                .and_then(Tok::sign)
                .is_some_and(|c| "-–".contains(c))
        };
        let before = i.checked_sub(1).and_then(|p| {
            if is_dash(p) {
                p.checked_sub(1)
            } else {
                Some(p)
            }
        });
        let after = if is_dash(i + 1) { i + 2 } else { i + 1 };
        if before.is_some_and(counted) || counted(after) {
            if let Some(t) = toks.get_mut(i) {
                t.used = true;
            }
            return Some(n);
        }
    }
    None
}

/// The client a question names: a quoted string, else the words nothing else read, as typed.
pub(super) fn client_name(toks: &[Tok]) -> Option<String> {
    if let Some(q) = toks.iter().find(|t| t.kind == Kind::Quoted) {
        return Some(q.text.clone());
    }
    let words: Vec<&str> = toks
        .iter()
        .filter(|t| !t.used && t.kind == Kind::Word && number_word(&t.norm).is_none())
        .map(|t| t.text.as_str())
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}
