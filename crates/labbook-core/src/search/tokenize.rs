//! Text to index terms: Unicode word segmentation, lowercase, a Snowball stemmer for the
//! book's language, Chinese/Japanese/Korean runs split into overlapping bigrams.
//!
//! `search.js` splits queries the same way (Intl.Segmenter follows the same Unicode rules);
//! instead of porting every stemmer to JavaScript, the index maps each surface form it saw
//! to its stem, so a query word is stemmed by looking it up.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// Words longer than this (hashes, base64) are not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word as written, lowercased (a CJK bigram for CJK text).
    pub word: String,
    /// The index term: the stem of `word` (equal to `word` when there is no stemmer).
    pub term: String,
    /// Whether `word` is a stop word of the language (kept out of body postings).
    pub stop: bool,
}

/// Splits text into tokens for one language.
pub struct Tokenizer {
    stemmer: Option<Stemmer>,
    stop_words: &'static [&'static str],
    elisions: &'static [&'static str],
    /// The Snowball algorithm's name, for the index's metadata.
    pub algorithm: Option<&'static str>,
}

impl Tokenizer {
    /// A tokenizer for a BCP-47 language tag (`en`, `en-GB`, `fr`); languages without a
    /// Snowball stemmer get no stemming.
    pub fn new(language: &str) -> Tokenizer {
        let algorithm = stemmer_for(language);
        Tokenizer {
            stemmer: algorithm.map(|(a, _)| Stemmer::create(a)),
            stop_words: stop_words_for(language),
            elisions: match algorithm.map(|(_, n)| n) {
                Some("french") => FRENCH_ELISIONS,
                _ => &[],
            },
            algorithm: algorithm.map(|(_, n)| n),
        }
    }

    /// The stop words of the language, sorted.
    pub fn stop_words(&self) -> &'static [&'static str] {
        self.stop_words
    }

    /// The language's elided words (French `l'`, `qu'`), sorted, without their apostrophe.
    pub fn elisions(&self) -> &'static [&'static str] {
        self.elisions
    }

    /// Every token of `text`, in order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.each_word(text, |word, cjk| {
            let (term, stop) = if cjk { (word.to_string(), false) } else { self.stem(word) };
            out.push(Token { word: word.to_string(), term, stop });
        });
        out
    }

    /// Calls `f` with every word of `text` (lowercased), in order, and whether it is a CJK
    /// bigram. The word lives in a buffer reused between calls.
    pub fn each_word(&self, text: &str, mut f: impl FnMut(&str, bool)) {
        self.each_word_at(text, |word, cjk, _| f(word, cjk));
    }

    /// [`Tokenizer::each_word`], with where in `text` each word starts (its bytes as written).
    pub fn each_word_at(&self, text: &str, mut f: impl FnMut(&str, bool, usize)) {
        let mut buffer = String::new();
        let at = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
        script_runs(text, |is_cjk, run| {
            if is_cjk {
                let start = at(run);
                let chars: Vec<(usize, char)> = run.char_indices().collect();
                if let [(_, c)] = chars[..] {
                    buffer.clear();
                    buffer.push(c);
                    f(&buffer, true, start);
                }
                for pair in chars.windows(2) {
                    buffer.clear();
                    buffer.push(pair[0].1);
                    buffer.push(pair[1].1);
                    f(&buffer, true, start + pair[0].0);
                }
            } else {
                // With whether the word is known to be lowercase ASCII.
                let mut emit = |word: &str, lower: bool| {
                    if word.len() > MAX_WORD_CHARS && word.chars().count() > MAX_WORD_CHARS {
                        return;
                    }
                    let start = at(word);
                    // A word in lowercase ASCII is its own normal form (most of a book's).
                    if self.elisions.is_empty() && (lower || !word.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80))
                    {
                        return f(word, false, start);
                    }
                    normalize_into(word, &mut buffer);
                    if self.elisions.is_empty() {
                        return f(&buffer, false, start);
                    }
                    // `l'apprentissage` is `apprentissage`: Unicode joins letters across
                    // an apostrophe, so the elided article comes off here.
                    match buffer.find('\'') {
                        Some(apostrophe)
                            if apostrophe + 1 < buffer.len()
                                && self.elisions.binary_search(&&buffer[..apostrophe]).is_ok() =>
                        {
                            f(&buffer[apostrophe + 1..], false, start)
                        }
                        _ => f(&buffer, false, start),
                    }
                };
                if run.is_ascii() {
                    // Plain ASCII (most of an English book) takes the fast path, the whole run
                    // at once: whitespace is no part of a word and joins none.
                    ascii_words(run, &mut |word, upper| emit(word, !upper));
                    return;
                }
                // Whitespace always ends a word, so chunks between spaces split on their own.
                for chunk in run.split_ascii_whitespace() {
                    if chunk.is_ascii() {
                        ascii_words(chunk, &mut |word, upper| emit(word, !upper));
                    } else {
                        // unicode-segmentation lets `:` join letters; browsers (ICU) do not.
                        chunk.split(':').flat_map(|part| part.unicode_words()).for_each(|word| emit(word, false));
                    }
                }
            }
        });
    }

    /// The term of a lowercased (non-CJK) word, and whether it is a stop word.
    pub fn stem(&self, word: &str) -> (String, bool) {
        let stop = self.stop_words.binary_search(&word).is_ok();
        let term = match &self.stemmer {
            Some(_) if self.keeps(word) => word.to_string(),
            Some(s) => s.stem(word).into_owned(),
            None => word.to_string(),
        };
        (term, stop)
    }

    /// Whether the stemmer gives `word` back as it is, known without running it: the
    /// English (Porter2) rules remove or replace suffixes of letters and apostrophes, and the
    /// `y` they mark as `Y` on the way in they turn back on the way out, so a word that ends
    /// in a digit or `_` (a number, an identifier: a third of what a book with code stems)
    /// comes back unchanged, but for a leading apostrophe, which Porter2 drops (no word
    /// starts with one here).
    fn keeps(&self, word: &str) -> bool {
        self.algorithm == Some("english")
            && word.ends_with(|c: char| c.is_ascii_digit() || c == '_')
            && !word.starts_with('\'')
    }
}

/// The words of ASCII text by the Unicode word-boundary rules (UAX #29) as browsers apply
/// them: letters, digits and `_` join; `.` and `'` join two letters or two digits; `,` and
/// `;` join two digits. A colon separates words, as in ICU (so `Intl.Segmenter` agrees).
/// `emit` is told whether the word has an uppercase letter.
fn ascii_words(text: &str, emit: &mut impl FnMut(&str, bool)) {
    let b = text.as_bytes();
    let class = |c: u8| ASCII_CLASS[usize::from(c)];
    let mut i = 0;
    while i < b.len() {
        if class(b[i]) & WORD == 0 {
            i += 1;
            continue;
        }
        let start = i;
        // The classes of the word's characters, together.
        let mut seen = 0;
        loop {
            // Most of a word is lowercase letters: skipped eight at a time, up to the first
            // other byte, which the loop below reads.
            while let Some(chunk) = b.get(i..i + 8) {
                let lower = lowercase_letters(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
                let run = (!lower & HIGH_BITS).trailing_zeros() as usize / 8;
                if run > 0 {
                    seen |= WORD | LETTER;
                }
                i += run;
                if run < 8 {
                    break;
                }
            }
            while let Some(&c) = b.get(i) {
                let c = class(c);
                if c & WORD == 0 {
                    break;
                }
                seen |= c;
                i += 1;
            }
            // A middle character joins when the characters on both sides fit it.
            let middle = b.get(i).map_or(0, |&c| class(c)) & (JOINS_LETTERS | JOINS_DIGITS);
            if middle != 0 && i + 1 < b.len() && class(b[i + 1]) & WORD != 0 {
                let both = class(b[i - 1]) & class(b[i + 1]);
                let joins = if middle == JOINS_LETTERS { both & (LETTER | DIGIT) != 0 } else { both & DIGIT != 0 };
                if joins {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        if seen & (LETTER | DIGIT) != 0 {
            emit(&text[start..i], seen & UPPER != 0);
        }
    }
}

/// The top bit of each byte of a machine word.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// One in each byte of a machine word.
pub(crate) const ONE_BYTES: u64 = 0x0101_0101_0101_0101;

/// For eight ASCII bytes (as a little-endian machine word), the top bit of each byte that is
/// `n` or more (`n` at most 0x80): the bytes' top bits are set first, so that no
/// subtraction borrows from the next byte, and a byte's top bit stays set when it is at
/// least `n`.
pub(crate) fn bytes_at_least(x: u64, n: u8) -> u64 {
    ((x | HIGH_BITS) - ONE_BYTES * u64::from(n)) & HIGH_BITS
}

/// For eight ASCII bytes, the top bit of each that is a lowercase letter.
fn lowercase_letters(x: u64) -> u64 {
    bytes_at_least(x, b'a') & !bytes_at_least(x, b'z' + 1)
}

/// [`ascii_words`]' classes of a byte: a word character (letter, digit, `_`), a letter, a
/// digit, an uppercase letter; or a character that may join two words.
const WORD: u8 = 1;
const LETTER: u8 = 2;
const DIGIT: u8 = 4;
const UPPER: u8 = 8;
/// `.` and `'`, which join two letters or two digits.
const JOINS_LETTERS: u8 = 16;
/// `,` and `;`, which join two digits.
const JOINS_DIGITS: u8 = 32;
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        table[c] = if b.is_ascii_uppercase() {
            WORD | LETTER | UPPER
        } else if b.is_ascii_lowercase() {
            WORD | LETTER
        } else if b.is_ascii_digit() {
            WORD | DIGIT
        } else if b == b'_' {
            WORD
        } else if b == b'.' || b == b'\'' {
            JOINS_LETTERS
        } else if b == b',' || b == b';' {
            JOINS_DIGITS
        } else {
            0
        };
        c += 1;
    }
    table
};

/// Lowercase, with typographic apostrophes made plain (as `search.js` does), into `out`.
fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    // ASCII has no typographic apostrophes, and its lowercase is ASCII's.
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match c {
            '\u{2019}' | '\u{2018}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The stop words for a BCP-47 tag (its primary subtag decides); none for a language
/// without a list, and none for Chinese, Japanese and Korean, whose bigrams carry no stop words.
pub fn stop_words_for(language: &str) -> &'static [&'static str] {
    let primary = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "en" => ENGLISH_STOP_WORDS,
        "fr" => FRENCH_STOP_WORDS,
        "de" => GERMAN_STOP_WORDS,
        "es" => SPANISH_STOP_WORDS,
        "pt" => PORTUGUESE_STOP_WORDS,
        "ar" => ARABIC_STOP_WORDS,
        "hi" => HINDI_STOP_WORDS,
        _ => &[],
    }
}

/// The Snowball algorithm for a BCP-47 tag: its primary subtag decides.
pub fn stemmer_for(language: &str) -> Option<(Algorithm, &'static str)> {
    let primary = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => (Algorithm::Arabic, "arabic"),
        "da" => (Algorithm::Danish, "danish"),
        "nl" => (Algorithm::Dutch, "dutch"),
        "en" => (Algorithm::English, "english"),
        "fi" => (Algorithm::Finnish, "finnish"),
        "fr" => (Algorithm::French, "french"),
        "de" => (Algorithm::German, "german"),
        "el" => (Algorithm::Greek, "greek"),
        "hu" => (Algorithm::Hungarian, "hungarian"),
        "it" => (Algorithm::Italian, "italian"),
        "no" | "nb" | "nn" => (Algorithm::Norwegian, "norwegian"),
        "pt" => (Algorithm::Portuguese, "portuguese"),
        "ro" => (Algorithm::Romanian, "romanian"),
        "ru" => (Algorithm::Russian, "russian"),
        "es" => (Algorithm::Spanish, "spanish"),
        "sv" => (Algorithm::Swedish, "swedish"),
        "ta" => (Algorithm::Tamil, "tamil"),
        "tr" => (Algorithm::Turkish, "turkish"),
        _ => return None,
    })
}

/// Han, Hiragana, Katakana and Hangul: scripts written without spaces between words
/// (Hangul has them, but bigrams match its compounds better than whole words).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x3040..=0x309F    // Hiragana
        | 0x30A0..=0x30FF    // Katakana
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x2FA1F) // CJK extensions B-F and supplement
}

/// Calls `f` with each maximal run of CJK and of other characters of `text`, in order, and
/// whether it is CJK.
fn script_runs<'t>(text: &'t str, mut f: impl FnMut(bool, &'t str)) {
    // ASCII text (most of a book's, found a word at a time) is one run.
    if text.is_ascii() {
        if !text.is_empty() {
            f(false, text);
        }
        return;
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut current = false;
    let mut i = 0;
    while i < bytes.len() {
        // Outside a CJK run, only a CJK character's lead byte matters.
        if !current {
            i += below_cjk_leads(&bytes[i..]);
            if i == bytes.len() {
                break;
            }
        }
        // Every CJK character is U+1100 or above, three or four bytes from a lead byte of 0xE1
        // or more: other bytes (ASCII, the rest of a character, shorter characters) are not CJK.
        let b = bytes[i];
        if b < 0xE1 {
            // A character other than a byte inside one ends a CJK run.
            if current && !(0x80..0xC0).contains(&b) {
                f(true, &text[start..i]);
                start = i;
                current = false;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("a character starts at a lead byte");
        let cjk = is_cjk(c);
        if cjk != current {
            if i > start {
                f(current, &text[start..i]);
            }
            start = i;
            current = cjk;
        }
        i += c.len_utf8();
    }
    if bytes.len() > start {
        f(current, &text[start..]);
    }
}

/// How many bytes at the start of `bytes` are below 0xE1 (so start no CJK character),
/// counted eight at a time: it stops at or before the first byte of 0xE1 or more, or
/// fewer than eight bytes before the end.
fn below_cjk_leads(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // A byte with its top bit set whose other seven bits are 0x61 or more.
        let leads = x & HIGH_BITS & bytes_at_least(x & !HIGH_BITS, 0x61);
        if leads != 0 {
            return i + leads.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    i
}

/// English stop words (sorted): common enough that they carry no ranking weight.
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been",
    "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
    "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
    "how", "i", "if", "in", "into", "is", "it", "it's", "its", "itself", "just", "me", "more", "most", "my", "no",
    "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
];

/// French words written elided before a vowel (`l'`, `d'`, `qu'`, `jusqu'`…), sorted: the
/// index and `search.js` (from the index's meta) drop them from the word they are glued to,
/// as Lucene's French analyzer does.
pub const FRENCH_ELISIONS: &[&str] =
    &["c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quoiqu", "s", "t"];

/// French stop words (sorted).
pub const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aussi", "aux", "avec", "c", "ce", "ceci", "cela", "ces", "cette", "comme", "d", "dans", "de", "des", "donc",
    "dont", "du", "elle", "en", "entre", "es", "est", "et", "eux", "il", "ils", "j", "je", "l", "la", "le", "les",
    "leur", "lui", "m", "ma", "mais", "me", "mes", "moi", "mon", "même", "n", "ne", "nos", "notre", "nous", "on", "ou",
    "où", "par", "pas", "plus", "pour", "qu", "que", "qui", "s", "sa", "sans", "se", "sera", "serai", "ses", "si",
    "sommes", "son", "sont", "sous", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "très", "tu", "un", "une",
    "vos", "votre", "vous", "y", "à", "ça", "étant", "été", "étée", "étées", "étés", "êtes",
];

/// German stop words (sorted).
pub const GERMAN_STOP_WORDS: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis",
    "bist", "da", "damit", "dann", "das", "dass", "dem", "den", "der", "des", "dich", "die", "dir", "doch", "dort",
    "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "euch", "für", "hat", "hatte", "ich",
    "ihr", "im", "in", "ist", "ja", "jede", "jedem", "jeden", "jeder", "kann", "kein", "mich", "mir", "mit", "muss",
    "nach", "nicht", "noch", "nur", "ob", "oder", "ohne", "sehr", "sein", "sich", "sie", "sind", "so", "um", "und",
    "uns", "unter", "vom", "von", "vor", "war", "was", "weil", "wenn", "wer", "wie", "wir", "wird", "zu", "zum", "zur",
    "über",
];

/// Spanish stop words (sorted).
pub const SPANISH_STOP_WORDS: &[&str] = &[
    "a", "al", "algo", "ante", "con", "contra", "cual", "cuando", "de", "del", "desde", "donde", "el", "ella", "ellas",
    "ellos", "en", "entre", "era", "es", "esa", "ese", "eso", "esta", "este", "esto", "fue", "ha", "hay", "la", "las",
    "le", "les", "lo", "los", "me", "mi", "mientras", "muy", "más", "nada", "ni", "no", "nos", "o", "os", "para",
    "pero", "por", "porque", "que", "quien", "se", "sea", "ser", "si", "sin", "sobre", "su", "sus", "también", "te",
    "tu", "un", "una", "uno", "unos", "y", "ya",
];

/// Portuguese stop words (sorted).
pub const PORTUGUESE_STOP_WORDS: &[&str] = &[
    "a", "ao", "aos", "as", "até", "com", "como", "da", "das", "de", "do", "dos", "e", "ela", "elas", "ele", "eles",
    "em", "entre", "era", "essa", "esse", "esta", "este", "eu", "foi", "há", "isso", "isto", "já", "mais", "mas", "me",
    "mesmo", "muito", "na", "nas", "nem", "no", "nos", "não", "o", "os", "ou", "para", "pela", "pelas", "pelo",
    "pelos", "por", "qual", "quando", "que", "se", "sem", "ser", "seu", "seus", "sua", "suas", "também", "te", "um",
    "uma", "umas", "uns", "você", "é",
];

/// Arabic stop words (sorted): prepositions, pronouns, particles, as written before stemming.
pub const ARABIC_STOP_WORDS: &[&str] = &[
    "أن",
    "أو",
    "أي",
    "إذا",
    "إلى",
    "إن",
    "التي",
    "الذي",
    "الذين",
    "بعد",
    "به",
    "بها",
    "بين",
    "تلك",
    "ثم",
    "حتى",
    "ذلك",
    "على",
    "عليه",
    "عليها",
    "عن",
    "عند",
    "غير",
    "في",
    "فيه",
    "فيها",
    "قبل",
    "قد",
    "كان",
    "كانت",
    "كل",
    "كما",
    "لا",
    "لكن",
    "لم",
    "لن",
    "له",
    "لها",
    "ليس",
    "ما",
    "مع",
    "من",
    "منها",
    "هذا",
    "هذه",
    "هم",
    "هناك",
    "هو",
    "هي",
    "و",
];

/// Hindi stop words (sorted): postpositions, pronouns and auxiliaries (Hindi has no stemmer).
pub const HINDI_STOP_WORDS: &[&str] = &[
    "अपनी",
    "अपने",
    "इन",
    "इस",
    "उन",
    "उस",
    "एक",
    "और",
    "कर",
    "करते",
    "करने",
    "का",
    "कि",
    "किया",
    "की",
    "के",
    "को",
    "गई",
    "गया",
    "जा",
    "जो",
    "तक",
    "तो",
    "था",
    "थी",
    "थे",
    "नहीं",
    "पर",
    "भी",
    "में",
    "यह",
    "या",
    "ये",
    "रहा",
    "रही",
    "लिए",
    "वह",
    "वे",
    "साथ",
    "से",
    "ही",
    "है",
    "हैं",
    "हो",
    "होता",
    "होती",
    "होते",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(language: &str, text: &str) -> Vec<String> {
        Tokenizer::new(language).tokens(text).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn french_elisions_come_off_their_word() {
        let words = |language: &str, text: &str| -> Vec<String> {
            Tokenizer::new(language).tokens(text).into_iter().map(|t| t.word).collect()
        };
        assert_eq!(
            words("fr", "L'apprentissage d’une fonction qu'on lance jusqu'ici, aujourd'hui"),
            ["apprentissage", "une", "fonction", "on", "lance", "ici", "aujourd'hui"]
        );
        // A word that is only the article stays; English keeps its apostrophes.
        assert_eq!(words("fr", "l' s'"), ["l", "s"]);
        assert_eq!(words("en", "l'apprentissage don't"), ["l'apprentissage", "don't"]);
        assert!(FRENCH_ELISIONS.windows(2).all(|w| w[0] < w[1]), "sorted");
    }

    #[test]
    fn stop_words_are_sorted() {
        for list in [
            ENGLISH_STOP_WORDS,
            FRENCH_STOP_WORDS,
            GERMAN_STOP_WORDS,
            SPANISH_STOP_WORDS,
            PORTUGUESE_STOP_WORDS,
            ARABIC_STOP_WORDS,
            HINDI_STOP_WORDS,
        ] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn english_is_stemmed_and_lowercased() {
        assert_eq!(terms("en", "Training models: trained, trains!"), ["train", "model", "train", "train"]);
        assert_eq!(terms("en-GB", "Neighbours"), ["neighbour"]);
    }

    #[test]
    fn punctuation_splits_words_but_keeps_identifiers_and_numbers() {
        assert_eq!(
            terms("xx", "x_train = np.zeros((3, 4)); lr=0.01 -- done."),
            ["x_train", "np.zeros", "3", "4", "lr", "0.01", "done"]
        );
        assert_eq!(terms("xx", "don’t stop"), ["don't", "stop"]);
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_unicode_segmentation() {
        let samples = [
            "Hello, world! It's 3.14 or 1,000,000; e.g. x_train = np.zeros((3, 4)).",
            "a.b.c 1.a a.1 _x x_ __ 'quoted' don't rock'n'roll 2;3 a;b a,b 1,2 -5 +x f(x)=y**2",
            "end. start.. a..b 1..2 v1.2.3 __init__ foo_bar.baz https://example.org/a-b?c=d",
            "a.\tb a. b 1, 2 x'\ny 3;\r4 a\u{b}.b p.\u{c}q",
            "Aa.B x.Y 1.Z Q'r Z_ _Z ZZ9 Ab,1 9;Z",
        ];
        for sample in samples {
            let mut fast = Vec::new();
            for chunk in sample.split_ascii_whitespace() {
                ascii_words(chunk, &mut |w, _| fast.push(w.to_string()));
            }
            // The whole text at once splits as its chunks between spaces do.
            let mut whole = Vec::new();
            ascii_words(sample, &mut |w, upper| {
                assert_eq!(upper, w.bytes().any(|b| b.is_ascii_uppercase()), "{w}");
                whole.push(w.to_string())
            });
            assert_eq!(whole, fast, "{sample}");
            // unicode-segmentation treats `:` as joining letters; ICU and we do not.
            let slow: Vec<String> = sample
                .split(':')
                .flat_map(|part| part.unicode_words().map(str::to_string).collect::<Vec<_>>())
                .collect();
            assert_eq!(fast, slow, "{sample}");
        }
    }

    #[test]
    fn long_runs_of_letters_split_as_unicode_segmentation_splits_them() {
        // Random text with long lowercase runs, so that the eight-at-a-time skip meets every
        // kind of byte at every place in its chunk.
        let pieces =
            ["abcdefghij", "xy", "q", "Z", "Qrs", "7", "1234", "_", ".", "'", ",", ";", ":", " ", "  ", "-", "\n"];
        for text in crate::testing::random_pieces(&pieces, 19, 4000) {
            let text = text.concat();
            let mut fast = Vec::new();
            ascii_words(&text, &mut |w, upper| {
                assert_eq!(upper, w.bytes().any(|b| b.is_ascii_uppercase()), "{w}");
                fast.push(w.to_string())
            });
            let slow: Vec<String> =
                text.split(':').flat_map(|part| part.unicode_words().map(str::to_string).collect::<Vec<_>>()).collect();
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn lowercase_letters_are_found_eight_at_a_time() {
        for b in 0..128u8 {
            for at in 0..8 {
                let x = u64::from_le_bytes([b'k'; 8]) & !(0xff << (8 * at)) | u64::from(b) << (8 * at);
                let expected = (0..8)
                    .filter(|&k| if k == at { b.is_ascii_lowercase() } else { true })
                    .fold(0, |m, k| m | 0x80 << (8 * k));
                assert_eq!(lowercase_letters(x), expected, "{b:#x} at {at}");
            }
        }
    }

    #[test]
    fn unsupported_language_is_not_stemmed() {
        assert_eq!(terms("xx", "Training"), ["training"]);
        assert!(Tokenizer::new("xx").algorithm.is_none());
        assert_eq!(Tokenizer::new("fr-CA").algorithm, Some("french"));
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(terms("zh", "机器学习"), ["机器", "器学", "学习"]);
        assert_eq!(terms("ja", "ニューラル"), ["ニュ", "ュー", "ーラ", "ラル"]);
        assert_eq!(terms("en", "深度 learning"), ["深度", "learn"]);
        assert_eq!(terms("ko", "학"), ["학"]);
        // Mixed scripts: the Latin word is a word of its own.
        assert_eq!(terms("en", "用Python训练"), ["用", "python", "训练"]);
    }

    #[test]
    fn english_words_ending_in_a_digit_or_underscore_are_their_own_stem() {
        let stemmer = Stemmer::create(Algorithm::English);
        let tokenizer = Tokenizer::new("en");
        let parts = ["y", "ies", "'s", "ing", "ed", "sses", "ly", "ational", "sky", "news", "a", "yy", "eed", "_", "'"];
        let ends = ["0", "9", "_", "1_", "_2", "0.5"];
        let mut checked = 0;
        for a in parts {
            for b in parts {
                for end in ends {
                    for word in
                        [format!("{a}{b}{end}"), format!("{a}_{b}{end}"), format!("x{a}{b}{end}"), format!("{a}{end}")]
                    {
                        assert_eq!(tokenizer.keeps(&word), !word.starts_with('\''), "{word}");
                        if tokenizer.keeps(&word) {
                            assert_eq!(stemmer.stem(&word), word, "the stemmer changes {word}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 4000, "{checked}");
        assert!(!tokenizer.keeps("running") && !Tokenizer::new("fr").keeps("x1"));
        assert_eq!(tokenizer.stem("weights_632").0, "weights_632");
    }

    #[test]
    fn script_runs_split_where_the_script_changes() {
        // Each character's script, one at a time.
        fn by_char(text: &str) -> Vec<(bool, String)> {
            let mut runs: Vec<(bool, String)> = Vec::new();
            for c in text.chars() {
                match runs.last_mut() {
                    Some((cjk, run)) if *cjk == is_cjk(c) => run.push(c),
                    _ => runs.push((is_cjk(c), c.to_string())),
                }
            }
            runs
        }
        for text in [
            "",
            "abc",
            "学习",
            "用Python训练 ∂L/∂w é 가나 ᄀx",
            "x\u{10FFFF}学\u{20000}",
            "ࠀ\u{FFF}ᄀ",
            "学éx学ࠀ学\u{FFF}",
            "深度 learning",
        ] {
            let mut runs = Vec::new();
            script_runs(text, |cjk, run| runs.push((cjk, run.to_string())));
            assert_eq!(runs, by_char(text), "{text:?}");
        }
        // Long random text, for the eight-at-a-time skip: characters of one to four bytes,
        // CJK and not, with lead bytes on either side of 0xE1.
        let chars = [
            "ab",
            "cdefghi",
            " ",
            "é",
            "\u{7ff}",
            "\u{800}",
            "\u{fff}",
            "\u{1000}",
            "ᄀ",
            "’",
            "学",
            "가",
            "\u{20000}",
            "\u{10FFFF}",
        ];
        for text in crate::testing::random_pieces(&chars, 23, 4000) {
            let text = text.concat();
            let mut runs = Vec::new();
            script_runs(&text, |cjk, run| runs.push((cjk, run.to_string())));
            assert_eq!(runs, by_char(&text), "{text:?}");
        }
    }

    #[test]
    fn arabic_and_hindi_have_stop_words_and_hindi_words_keep_their_vowel_signs() {
        let stops = |language: &str, text: &str| -> Vec<(String, bool)> {
            Tokenizer::new(language).tokens(text).into_iter().map(|t| (t.word, t.stop)).collect()
        };
        let ar = stops("ar", "التعلم من البيانات");
        assert_eq!(ar.iter().map(|(_, s)| *s).collect::<Vec<_>>(), [false, true, false], "{ar:?}");
        // Devanagari vowel signs (combining marks) stay inside their word.
        let hi = stops("hi", "मशीन लर्निंग का परिचय");
        assert_eq!(hi, [("मशीन".into(), false), ("लर्निंग".into(), false), ("का".into(), true), ("परिचय".into(), false)]);
    }

    #[test]
    fn stop_words_are_flagged() {
        let t = Tokenizer::new("en").tokens("The loss of a model");
        let stops: Vec<bool> = t.iter().map(|t| t.stop).collect();
        assert_eq!(stops, [true, false, true, true, false]);
    }
}
