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

/// Splits, lower-cases and (optionally) stems a text; reuses `cache` for stems.
struct Normaliser {
    stemmer: Option<Stemmer>,
    cache: HashMap<String, String>,
    lower: String,
}

impl Normaliser {
    fn new(opts: &TagOptions) -> Self {
        Normaliser {
            stemmer: opts.stem.then(|| Stemmer::create(opts.language)),
            cache: HashMap::new(),
            lower: String::new(),
        }
    }

    /// Writes " w1 w2 ... wn " into `out` and the words' positions into `tokens`.
    fn run(&mut self, text: &str, out: &mut String, tokens: &mut Vec<Token>) {
        out.clear();
        tokens.clear();
        out.push(' ');
        let mut clause = 0u32;
        for seg in text.split_word_bounds() {
            if !seg.chars().any(char::is_alphanumeric) {
                if seg.chars().any(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n')) {
                    clause += 1;
                }
                continue;
            }
            self.lower.clear();
            self.lower.extend(seg.chars().flat_map(char::to_lowercase));
            let w = self.lower.as_str();
            let negator = NEGATORS.contains(&w) || w.ends_with("n't") || w.ends_with("n\u{2019}t");
            tokens.push(Token { start: out.len(), clause, negator });
            match &self.stemmer {
                None => out.push_str(w),
                Some(s) => {
                    if let Some(stem) = self.cache.get(w) {
                        out.push_str(stem);
                    } else {
                        let stem = s.stem(w).into_owned();
                        out.push_str(&stem);
                        if self.cache.len() < 200_000 {
                            self.cache.insert(w.to_string(), stem);
                        }
                    }
                }
            }
            out.push(' ');
        }
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
    let mut norm = Normaliser::new(&opts);
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
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .map_err(|e| Error::parameter("lexicon", e.to_string()))?;
    let k = lexicon.len();
    let n_terms = terms.len();
    struct Doc {
        counts: Vec<u32>,
        negated: Vec<u32>,
        fired: String,
        term_hits: Vec<(usize, bool)>,
    }
    let docs: Vec<Doc> = texts
        .par_chunks(2048)
        .flat_map_iter(|chunk| {
            let mut norm = Normaliser::new(&opts);
            let mut hay = String::new();
            let mut tokens: Vec<Token> = Vec::new();
            let mut out = Vec::with_capacity(chunk.len());
            for text in chunk {
                let mut d = Doc {
                    counts: vec![0; k],
                    negated: vec![0; k],
                    fired: String::new(),
                    term_hits: Vec::new(),
                };
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
                            let slot = if neg {
                                d.negated.get_mut(term.theme)
                            } else {
                                d.counts.get_mut(term.theme)
                            };
                            if let Some(c) = slot {
                                *c += 1;
                            }
                            if !neg && !d.term_hits.iter().any(|(t, n)| *t == id && !*n) {
                                if !d.fired.is_empty() {
                                    d.fired.push_str("; ");
                                }
                                d.fired.push_str(&term.text);
                            }
                            d.term_hits.push((id, neg));
                        }
                    }
                }
                out.push(d);
            }
            out
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
    for d in docs {
        for (j, (c, n)) in d.counts.iter().zip(&d.negated).enumerate() {
            if let Some(v) = tagged.counts.get_mut(j) {
                v.push(*c);
            }
            if let Some(v) = tagged.negated.get_mut(j) {
                v.push(*n);
            }
        }
        let mut seen: Vec<usize> = Vec::new();
        for (id, neg) in &d.term_hits {
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
        tagged.fired.push(d.fired);
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

#[cfg(test)]
mod tests {
    use super::*;

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
