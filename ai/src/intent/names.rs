//! Finding the client a question names among the company's clients.
//!
//! Names are compared word by word, in lower case with ё as е and without an English
//! possessive. A typed word scores against a client's word: 6 when equal; 4 when they differ only
//! by Russian case endings on a common stem of at least three letters ("Иванову" and "Иванов",
//! "Анной" and "Анна"), 3 when the endings belong to the other gender of an -ов/-ев/-ин surname
//! ("Петровой" and "Петров"); 2 when both have five letters or more and one edit apart
//! ("Petorv", "Иваонв"). A client scores the sum, over the typed words, of each one's best score
//! among its words, plus 1 when every word of its name was matched (so "Acme" beats "Acme Ltd"
//! for "acme"). Prepositions and titles ("у", "про", "mr") are skipped. Linear in the number of
//! candidates.

/// How a typed name matched the company's clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientMatch {
    /// One client clearly matches: its index in `candidates`.
    One(usize),
    /// Several match about equally well: their indices, best first (at most
    /// [`MAX_CANDIDATES`]).
    Ambiguous(Vec<usize>),
    /// None matches.
    None,
}

/// Most candidates an ambiguous match lists.
pub const MAX_CANDIDATES: usize = 5;

/// Matches `typed` (as a user typed it: any case, Russian case endings, a small typo) against
/// `candidates` (client names as stored).
pub fn match_client(typed: &str, candidates: &[&str]) -> ClientMatch {
    let typed: Vec<String> = words(typed)
        .into_iter()
        .filter(|w| !SKIP.split_whitespace().any(|s| s == w))
        .collect();
    if typed.is_empty() {
        return ClientMatch::None;
    }
    let mut best = 0;
    let mut tied: Vec<usize> = Vec::new();
    for (index, candidate) in candidates.iter().enumerate() {
        let score = score(&typed, &words(candidate));
        if score == 0 || score < best {
            continue;
        }
        if score > best {
            best = score;
            tied.clear();
        }
        tied.push(index);
    }
    match tied.as_slice() {
        [] => ClientMatch::None,
        [one] => ClientMatch::One(*one),
        _ => {
            tied.truncate(MAX_CANDIDATES);
            ClientMatch::Ambiguous(tied)
        }
    }
}

/// Russian case endings of names, longest first. No "ов"/"ев"/"ин": they end surnames.
const ENDINGS: &[&str] = &[
    "ого", "его", "ому", "ему", "ыми", "ими", "ией", "ием", "ами", "ями", "еем", "аем", "ой", "ей",
    "ый", "ий", "ай", "ая", "яя", "ое", "ее", "ую", "юю", "ым", "им", "ом", "ем", "ых", "их", "ия",
    "ии", "ию", "ея", "ею", "аю", "ах", "ях", "ам", "ям", "а", "я", "у", "ю", "е", "ы", "и", "о",
    "ь", "й",
];

/// Typed words that never name anyone: prepositions, articles, titles.
const SKIP: &str = "у с со о об про для по к ко от и а the of and mr mrs ms dr г гн";

/// Lower-case words, ё as е, without an English possessive.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’')))
        .map(|w| {
            let w = w.to_lowercase().replace('ё', "е").replace('’', "'");
            let w = w.strip_suffix("'s").unwrap_or(&w);
            w.trim_matches('\'').to_owned()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Byte lengths of `word`'s possible stems: itself, and without each Russian case ending that
/// leaves three letters or more (the narrative checker compares names with it too).
pub(crate) fn stems(word: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(word.len())
        .chain(
            ENDINGS
                .iter()
                .filter(move |e| word.ends_with(**e))
                .map(move |e| word.len() - e.len()),
        )
        .filter(move |&len| word.get(..len).is_some_and(|s| s.chars().count() >= 3))
}

fn score(typed: &[String], candidate: &[String]) -> u32 {
    let mut covered = vec![false; candidate.len()];
    let mut total = 0;
    for t in typed {
        let mut best = 0;
        for (c, seen) in candidate.iter().zip(covered.iter_mut()) {
            let s = word_score(t, c);
            if s > 0 {
                *seen = true;
            }
            best = best.max(s);
        }
        total += best;
    }
    if total > 0 && covered.iter().all(|&c| c) {
        total += 1;
    }
    total
}

fn word_score(typed: &str, candidate: &str) -> u32 {
    if typed == candidate {
        return 6;
    }
    let mut stem_score = 0;
    for lt in stems(typed) {
        for lc in stems(candidate) {
            let (Some(st), Some(sc)) = (typed.get(..lt), candidate.get(..lc)) else {
                continue;
            };
            if st == sc {
                let endings = (
                    typed.get(lt..).unwrap_or_default(),
                    candidate.get(lc..).unwrap_or_default(),
                );
                stem_score = stem_score.max(if agrees(st, endings) { 4 } else { 3 });
            }
        }
    }
    if stem_score > 0 {
        return stem_score;
    }
    let long = |w: &str| w.chars().count() >= 5;
    let typo = stems(typed).any(|lt| {
        stems(candidate).any(|lc| match (typed.get(..lt), candidate.get(..lc)) {
            (Some(a), Some(b)) => long(a) && long(b) && strsim::osa_distance(a, b) <= 1,
            _ => false,
        })
    });
    if typo { 2 } else { 0 }
}

/// Whether a typed ending can be a case form of the candidate's gender, for -ов/-ев/-ин
/// surnames: "Петровой" is a form of "Петрова", not of "Петров"; "Петровым" the other way.
fn agrees(stem: &str, (typed, candidate): (&str, &str)) -> bool {
    let surname = ["ов", "ев", "ин", "ын"].iter().any(|e| stem.ends_with(e));
    match (surname, candidate) {
        (true, "") => matches!(typed, "" | "а" | "у" | "ым" | "е"),
        (true, "а") => matches!(typed, "а" | "ой" | "у" | "ою"),
        _ => true,
    }
}
