//! How human text is compared: sort keys that follow the alphabet, and the folded form that
//! search matches in. Both are computed here, in Rust, and stored, so that SQLite (which only
//! knows byte order and ASCII case) and PostgreSQL (whose order depends on the database's
//! collation) sort and find exactly alike.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Separates a sort key's primary part (letters and digits, folded) from its tie-breaker.
const TIE: char = '\u{1}';

/// The key a client list sorts names by, compared byte by byte (SQLite's BINARY collation,
/// PostgreSQL's "C"):
///
/// - case does not matter (`anna` beside `Anna`, before `Boris`);
/// - digits, then Latin letters with accents folded (`é` with `e`), then Cyrillic in the
///   Russian alphabet, with `ё` beside `е` and `й` after `и` as its own letter;
/// - punctuation and runs of spaces count as one space (`ООО «Ромашка»` is `ооо ромашка`);
/// - names equal so far are ordered by their lower-case text (`еж` before `ёж`); the caller
///   breaks the remaining ties by id, so paging is stable.
pub fn sort_key(name: &str) -> String {
    let lower: String = name.nfc().collect::<String>().to_lowercase();
    let mut key = String::with_capacity(lower.len() * 2 + 1);
    let mut pending_space = false;
    for c in lower.chars() {
        // A mark with no precomposed letter (a stress accent, the dot of a lower-cased İ)
        // belongs to the letter before it.
        if is_combining_mark(c) {
            continue;
        }
        if !c.is_alphanumeric() {
            pending_space = !key.is_empty();
            continue;
        }
        if pending_space {
            key.push(' ');
            pending_space = false;
        }
        match c {
            'ё' => key.push('е'),
            'й' => key.push('й'),
            c => key.extend(c.nfd().filter(|d| !is_combining_mark(*d))),
        }
    }
    key.push(TIE);
    key.push_str(&lower);
    key
}

/// Lower case with `ё` read as `е` (people type either): the form search text is stored in
/// and search terms are matched in. Lower-cased here because SQLite's `lower()` knows ASCII
/// only.
pub fn fold(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by_key(|n| sort_key(n));
        v.into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn names_follow_the_alphabet_whatever_their_case() {
        assert_eq!(
            sorted(&["Вера", "алла", "Boris", "anna"]),
            ["anna", "Boris", "алла", "Вера"]
        );
        assert_eq!(
            sorted(&["Жанна", "Ёлкин", "Егор", "Ещенко"]),
            ["Егор", "Ёлкин", "Ещенко", "Жанна"]
        );
        assert_eq!(
            sorted(&["Йошкин", "Ира", "Кира"]),
            ["Ира", "Йошкин", "Кира"]
        );
        assert_eq!(sorted(&["ёж", "еж"]), ["еж", "ёж"]);
        assert_eq!(sorted(&["Émile", "Eva", "Ezra"]), ["Émile", "Eva", "Ezra"]);
        assert_eq!(sorted(&["2Gis", "Apple"]), ["2Gis", "Apple"]);
    }

    #[test]
    fn punctuation_and_spacing_do_not_move_a_name() {
        assert_eq!(
            sort_key("ООО  «Ромашка»").split(TIE).next(),
            Some("ооо ромашка")
        );
        assert_eq!(
            sorted(&["Анна Б", "Аннабель", "«Анна» А"]),
            ["«Анна» А", "Анна Б", "Аннабель"]
        );
        // Decomposed input (и + combining breve) sorts as the composed letter; a stress mark
        // changes nothing but the tie-break.
        assert_eq!(sort_key("и\u{306}ога"), sort_key("йога"));
        assert_eq!(sort_key("Ива\u{301}нов").split(TIE).next(), Some("иванов"));
    }

    #[test]
    fn search_folds_case_and_yo() {
        assert_eq!(fold("Ёлкин ПЁТР"), "елкин петр");
    }
}
