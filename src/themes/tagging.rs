//! Lexicon tagging of free text: which themes a comment mentions.
//!
//! Each text is split into words by Unicode word boundaries (UAX #29), lower-cased and, with
//! `stem`, reduced by the Snowball stemmer of the chosen language; lexicon terms (words or
//! multi-word phrases) are normalised the same way. The normalised words of a text are joined
//! by single spaces and every term is found in one pass by an Aho-Corasick automaton over
//! space-delimited patterns, so a term matches whole words only.
//!
//! Negation rule: a match is negated when one of the three words before its first word, in the
//! same clause (no `. , ; : ! ?` between them), is a negator: not, no, never, none, nothing,
//! nobody, neither, nor, without, hardly, barely, cannot, or a word ending in "n't". A theme is
//! present in a text when at least one of its terms matches without negation; negated matches
//! are counted apart.
//!
//! Null and empty texts mention no theme; they are counted.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::error::{Error, Result};
use crate::table::{Columns, Output, RowLog};

/// Words before a match searched for a negator.
pub const NEGATION_WINDOW: usize = 3;

const NEGATORS: [&str; 12] = [
    "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "hardly", "barely",
    "cannot",
];

/// Tagging options.
#[derive(Debug, Clone, Copy)]
pub struct TagOptions {
    /// Snowball stemming (else exact lower-cased words).
    pub stem: bool,
    /// Apply the negation rule.
    pub negation: bool,
    /// Stemmer language.
    pub language: Algorithm,
}

/// The Snowball algorithm for a language name ("english", "german", ...).
pub fn language(name: &str) -> Result<Algorithm> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "arabic" => Algorithm::Arabic,
        "danish" => Algorithm::Danish,
        "dutch" => Algorithm::Dutch,
        "english" => Algorithm::English,
        "finnish" => Algorithm::Finnish,
        "french" => Algorithm::French,
        "german" => Algorithm::German,
        "greek" => Algorithm::Greek,
        "hungarian" => Algorithm::Hungarian,
        "italian" => Algorithm::Italian,
        "norwegian" => Algorithm::Norwegian,
        "portuguese" => Algorithm::Portuguese,
        "romanian" => Algorithm::Romanian,
        "russian" => Algorithm::Russian,
        "spanish" => Algorithm::Spanish,
        "swedish" => Algorithm::Swedish,
        "tamil" => Algorithm::Tamil,
        "turkish" => Algorithm::Turkish,
        o => {
            return Err(Error::parameter(
                "language",
                format!(
                    "no Snowball stemmer for '{o}'; try english, french, german, spanish, portuguese, ..."
                ),
            ))
        }
    })
}

/// One normalised word of a text.
#[derive(Debug, Clone)]
struct Token {
    start: usize,
    clause: u32,
    negator: bool,
}

/// FNV-1a: a fast hash for the short word keys of the normaliser's cache.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Stands for a word that no lexicon term contains (it can never match a pattern).
const OTHER: &str = "\u{1}";

/// Most distinct words a normaliser remembers.
const CACHE_MAX: usize = 500_000;

/// Word segments of `text` with, for each, whether a clause break precedes it since the
/// previous word. ASCII text takes a fast path that follows the UAX #29 rules restricted to
/// ASCII (letters, digits and `_` join; `'`, `.` and `:` join two letters; `'`, `.`, `,` and `;`
/// join two digits); other text goes through `unicode-segmentation`.
pub(crate) fn for_each_word(text: &str, emit: impl FnMut(&str, bool)) {
    if text.is_ascii() {
        ascii_words(text, emit);
    } else {
        unicode_words(text, emit);
    }
}

fn is_clause(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n')
}

fn unicode_words(text: &str, mut emit: impl FnMut(&str, bool)) {
    let mut brk = false;
    for seg in text.split_word_bounds() {
        if seg.chars().any(char::is_alphanumeric) {
            emit(seg, brk);
            brk = false;
        } else if seg.chars().any(is_clause) {
            brk = true;
        }
    }
}

fn ascii_words(text: &str, mut emit: impl FnMut(&str, bool)) {
    let mut brk = false;
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let word_byte = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        let c = at(i);
        if !word_byte(c) {
            brk |= is_clause(char::from(c));
            i += 1;
            continue;
        }
        let start = i;
        let mut alnum = c != b'_';
        i += 1;
        loop {
            let c = at(i);
            if word_byte(c) {
                alnum |= c != b'_';
                i += 1;
                continue;
            }
            let (prev, next) = (at(i.wrapping_sub(1)), at(i + 1));
            let letters =
                prev.is_ascii_alphabetic() && next.is_ascii_alphabetic() && matches!(c, b'\'' | b'.' | b':');
            let digits =
                prev.is_ascii_digit() && next.is_ascii_digit() && matches!(c, b'\'' | b'.' | b',' | b';');
            if letters || digits {
                i += 2;
                continue;
            }
            break;
        }
        if alnum {
            if let Some(w) = text.get(start..i) {
                emit(w, brk);
                brk = false;
            }
        }
    }
}

/// Splits, lower-cases and (optionally) stems a text, remembering each distinct word's form.
/// With a vocabulary (the stems of the lexicon), words outside it become [`OTHER`].
struct Normaliser<'a> {
    stemmer: Option<Stemmer>,
    vocab: Option<&'a std::collections::HashSet<String>>,
    cache: FnvMap<String, (Box<str>, bool)>,
}

impl<'a> Normaliser<'a> {
    fn new(opts: &TagOptions, vocab: Option<&'a std::collections::HashSet<String>>) -> Self {
        Normaliser {
            stemmer: opts.stem.then(|| Stemmer::create(opts.language)),
            vocab,
            cache: FnvMap::default(),
        }
    }

    /// The normalised form of a word and whether it is a negator.
    fn form(&self, word: &str) -> (Box<str>, bool) {
        let lower = word.to_lowercase();
        let negator =
            NEGATORS.contains(&lower.as_str()) || lower.ends_with("n't") || lower.ends_with("n\u{2019}t");
        let stem = match &self.stemmer {
            Some(s) => s.stem(&lower).into_owned(),
            None => lower,
        };
        let kept = self.vocab.is_none_or(|v| v.contains(&stem));
        (if kept { stem.into_boxed_str() } else { OTHER.into() }, negator)
    }

    /// Writes " w1 w2 ... wn " into `out` and the words' positions into `tokens`.
    fn run(&mut self, text: &str, out: &mut String, tokens: &mut Vec<Token>) {
        out.clear();
        tokens.clear();
        out.push(' ');
        let mut clause = 0u32;
        for_each_word(text, |w, brk| {
            clause += u32::from(brk);
            let fresh;
            let (form, negator) = match self.cache.get(w) {
                Some((f, n)) => (&**f, *n),
                None => {
                    fresh = self.form(w);
                    if self.cache.len() < CACHE_MAX {
                        self.cache.insert(w.to_string(), fresh.clone());
                    }
                    (&*fresh.0, fresh.1)
                }
            };
            tokens.push(Token { start: out.len(), clause, negator });
            out.push_str(form);
            out.push(' ');
        });
    }
}

/// Tags of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tagged {
    /// Theme names, in lexicon order.
    pub themes: Vec<String>,
    /// Per theme, per text: non-negated matches.
    pub counts: Vec<Vec<u32>>,
    /// Per theme, per text: negated matches.
    pub negated: Vec<Vec<u32>>,
    /// Per text: the lexicon terms that matched without negation, joined by "; ".
    pub fired: Vec<String>,
    /// Per term (theme, term, matches, negated matches, texts matched).
    pub terms: Vec<(String, String, u64, u64, u64)>,
    /// Null or empty texts.
    pub n_empty: usize,
}

/// A lexicon term: its theme and its text as given.
struct Term {
    theme: usize,
    text: String,
    words: usize,
}

/// Tags `texts` with the lexicon (theme, terms).
pub fn tag_themes(
    texts: &[Option<&str>],
    lexicon: &[(String, Vec<String>)],
    opts: TagOptions,
) -> Result<Tagged> {
    if lexicon.is_empty() {
        return Err(Error::parameter(
            "lexicon",
            "is empty: give at least one theme with its words or phrases",
        ));
    }
    let mut norm = Normaliser::new(&opts, None);
    let mut patterns: Vec<String> = Vec::new();
    let mut by_pattern: Vec<Vec<usize>> = Vec::new();
    let mut terms: Vec<Term> = Vec::new();
    let mut buf = String::new();
    let mut toks = Vec::new();
    for (t, (theme, words)) in lexicon.iter().enumerate() {
        if words.is_empty() {
            return Err(Error::parameter("lexicon", format!("theme '{theme}' has no words or phrases")));
        }
        for w in words {
            norm.run(w, &mut buf, &mut toks);
            if toks.is_empty() {
                return Err(Error::parameter(
                    "lexicon",
                    format!("term '{w}' of theme '{theme}' has no words"),
                ));
            }
            let id = terms.len();
            terms.push(Term { theme: t, text: w.clone(), words: toks.len() });
            match patterns.iter().position(|p| *p == buf) {
                Some(p) => {
                    if let Some(list) = by_pattern.get_mut(p) {
                        list.push(id);
                    }
                }
                None => {
                    patterns.push(buf.clone());
                    by_pattern.push(vec![id]);
                }
            }
        }
    }
    let vocab: std::collections::HashSet<String> =
        patterns.iter().flat_map(|p| p.split(' ').filter(|w| !w.is_empty()).map(str::to_string)).collect();
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .map_err(|e| Error::parameter("lexicon", e.to_string()))?;
    let k = lexicon.len();
    let n_terms = terms.len();
    // One part per large block of texts, so each thread's word cache is built once and reused.
    struct Part {
        counts: Vec<u32>,
        negated: Vec<u32>,
        fired: Vec<String>,
        hits: Vec<(usize, usize, bool)>,
    }
    let block = (texts.len() / (4 * rayon::current_num_threads().max(1))).clamp(2048, 1 << 18);
    let parts: Vec<Part> = texts
        .par_chunks(block)
        .map(|chunk| {
            let mut norm = Normaliser::new(&opts, Some(&vocab));
            let mut hay = String::new();
            let mut tokens: Vec<Token> = Vec::new();
            let mut part = Part {
                counts: vec![0; chunk.len() * k],
                negated: vec![0; chunk.len() * k],
                fired: Vec::with_capacity(chunk.len()),
                hits: Vec::new(),
            };
            for (d, text) in chunk.iter().enumerate() {
                let mut fired = String::new();
                let first_hit = part.hits.len();
                if let Some(text) = text {
                    norm.run(text, &mut hay, &mut tokens);
                    for m in ac.find_overlapping_iter(hay.as_str()) {
                        let first = tokens.partition_point(|t| t.start < m.start() + 1);
                        for &id in by_pattern.get(m.pattern().as_usize()).map_or(&[][..], |v| v.as_slice()) {
                            let Some(term) = terms.get(id) else { continue };
                            let clause_of = |i: usize| tokens.get(i).map(|t| t.clause);
                            let last = first + term.words - 1;
                            if clause_of(first) != clause_of(last) {
                                continue;
                            }
                            let neg = opts.negation
                                && (first.saturating_sub(NEGATION_WINDOW)..first).any(|i| {
                                    tokens
                                        .get(i)
                                        .is_some_and(|t| t.negator && Some(t.clause) == clause_of(first))
                                });
                            let table = if neg { &mut part.negated } else { &mut part.counts };
                            if let Some(c) = table.get_mut(d * k + term.theme) {
                                *c += 1;
                            }
                            let seen = part.hits.get(first_hit..).unwrap_or_default();
                            if !neg && !seen.iter().any(|(_, t, n)| *t == id && !*n) {
                                if !fired.is_empty() {
                                    fired.push_str("; ");
                                }
                                fired.push_str(&term.text);
                            }
                            part.hits.push((d, id, neg));
                        }
                    }
                }
                part.fired.push(fired);
            }
            part
        })
        .collect();
    let mut tagged = Tagged {
        themes: lexicon.iter().map(|(t, _)| t.clone()).collect(),
        counts: vec![Vec::with_capacity(texts.len()); k],
        negated: vec![Vec::with_capacity(texts.len()); k],
        fired: Vec::with_capacity(texts.len()),
        terms: Vec::new(),
        n_empty: texts.iter().filter(|t| t.is_none_or(|s| s.trim().is_empty())).count(),
    };
    let mut stats = vec![(0u64, 0u64, 0u64); n_terms];
    for part in parts {
        for (j, (col, neg)) in tagged.counts.iter_mut().zip(tagged.negated.iter_mut()).enumerate() {
            col.extend(part.counts.iter().skip(j).step_by(k.max(1)));
            neg.extend(part.negated.iter().skip(j).step_by(k.max(1)));
        }
        let mut doc = usize::MAX;
        let mut seen: Vec<usize> = Vec::new();
        for (d, id, neg) in &part.hits {
            if *d != doc {
                doc = *d;
                seen.clear();
            }
            if let Some(s) = stats.get_mut(*id) {
                if *neg {
                    s.1 += 1;
                } else {
                    s.0 += 1;
                    if !seen.contains(id) {
                        s.2 += 1;
                        seen.push(*id);
                    }
                }
            }
        }
        tagged.fired.extend(part.fired);
    }
    tagged.terms = terms
        .iter()
        .zip(stats)
        .map(|(t, (m, n, d))| {
            (lexicon.get(t.theme).map(|x| x.0.clone()).unwrap_or_default(), t.text.clone(), m, n, d)
        })
        .collect();
    Ok(tagged)
}

impl Tagged {
    /// The analysis output: table "table" (per text: one flag per theme, `<theme>_count`,
    /// `<theme>_negated`, phrases), table "phrases" (per lexicon term: theme, phrase, matches,
    /// negated, documents) and n_empty.
    pub fn output(self, rows: RowLog) -> Result<Output> {
        let mut cols = Columns::new();
        for (name, counts) in self.themes.iter().zip(&self.counts) {
            cols = cols.flag(name, counts.iter().map(|c| *c > 0));
        }
        for (name, counts) in self.themes.iter().zip(&self.counts) {
            cols = cols.count(&format!("{name}_count"), counts.iter().map(|c| *c as usize));
        }
        for (name, counts) in self.themes.iter().zip(&self.negated) {
            cols = cols.count(&format!("{name}_negated"), counts.iter().map(|c| *c as usize));
        }
        let table = cols.text("phrases", self.fired).batch()?;
        let t = &self.terms;
        let phrases = Columns::new()
            .text("theme", t.iter().map(|x| x.0.clone()))
            .text("phrase", t.iter().map(|x| x.1.clone()))
            .count("matches", t.iter().map(|x| x.2 as usize))
            .count("negated", t.iter().map(|x| x.3 as usize))
            .count("documents", t.iter().map(|x| x.4 as usize))
            .batch()?;
        Ok(Output::new(rows).table("table", table).table("phrases", phrases).value("n_empty", self.n_empty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Splitter = fn(&str, &mut dyn FnMut(&str, bool));

    fn collect(text: &str, f: Splitter) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        f(text, &mut |w, b| out.push((w.to_string(), b)));
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// The tagger under any text and any lexicon (issue 18, item 5): arbitrary Unicode
        /// (combining marks, right-to-left, emoji, control characters), empty and missing
        /// texts, phrases of punctuation only: a result with one row per text, or a named
        /// error, never a panic.
        #[test]
        fn any_text_and_lexicon_tags_or_names_the_problem(
            texts in proptest::collection::vec(proptest::option::of("\\PC{0,80}|[\\x00-\\x1f ]{0,5}"), 0..12),
            words in proptest::collection::vec("\\PC{0,12}", 0..4),
            stem in any::<bool>(),
            negation in any::<bool>(),
        ) {
            let lexicon = vec![("theme".to_string(), words)];
            let refs: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
            let opts = TagOptions { stem, negation, language: Algorithm::English };
            match tag_themes(&refs, &lexicon, opts) {
                Ok(t) => prop_assert_eq!(t.fired.len(), refs.len()),
                Err(e) => prop_assert!(e.to_string().contains("lexicon") || e.to_string().contains("theme")),
            }
        }

        #[test]
        fn ascii_fast_path_agrees_with_unicode_segmentation(text in "[aZb19_.:,;' !?\n\t()-]{0,60}") {
            let fast = collect(&text, |t, e| ascii_words(t, e));
            let slow = collect(&text, |t, e| unicode_words(t, e));
            prop_assert_eq!(fast, slow);
        }
    }

    fn lex() -> Vec<(String, Vec<String>)> {
        vec![
            ("price".into(), vec!["too high".into(), "expensive".into(), "overpriced".into()]),
            ("delivery".into(), vec!["late".into(), "shipping".into()]),
        ]
    }

    fn opts() -> TagOptions {
        TagOptions { stem: true, negation: true, language: Algorithm::English }
    }

    #[test]
    fn phrases_stems_and_negation() {
        let texts = [
            Some("The price is TOO high. Shipping was slow."),
            Some("The price is not too high."),
            Some("Too expensive, but the delivery was not late"),
            None,
            Some("  "),
            Some("Shipping delays: it arrived late; not cheap"),
        ];
        let t = tag_themes(&texts, &lex(), opts()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.counts[0], vec![1, 0, 1, 0, 0, 0]);
        assert_eq!(t.negated[0], vec![0, 1, 0, 0, 0, 0]);
        // "not late" is negated; "late" after a clause break with "not" before it is not
        assert_eq!(t.counts[1], vec![1, 0, 0, 0, 0, 2]);
        assert_eq!(t.negated[1], vec![0, 0, 1, 0, 0, 0]);
        assert_eq!(t.fired[0], "too high; shipping");
        assert_eq!(t.n_empty, 2);
        let late = t.terms.iter().find(|x| x.1 == "late").unwrap_or_else(|| panic!("no term"));
        assert_eq!((late.2, late.3, late.4), (1, 1, 1));
    }

    #[test]
    fn phrases_do_not_cross_clauses_and_match_whole_words() {
        let texts = [Some("It was too. High prices"), Some("inexpensive")];
        let t = tag_themes(&texts, &lex(), TagOptions { stem: false, ..opts() })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.counts[0], vec![0, 0]);
    }

    #[test]
    fn empty_lexicon_and_empty_terms_are_parameter_errors() {
        assert!(tag_themes(&[Some("x")], &[], opts()).is_err());
        let bad = vec![("p".to_string(), vec!["...".to_string()])];
        let e = tag_themes(&[Some("x")], &bad, opts()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("no words"), "{e}");
    }
}
