//! Theme discovery without a lexicon: TF-IDF, then non-negative matrix factorisation (HALS on
//! the sparse matrix) or spherical k-means.
//!
//! TF-IDF as scikit-learn's `TfidfVectorizer` defaults: words (UAX #29, lower-cased, at least two
//! characters, stop words left out) counted per text; the vocabulary is the `max_features`
//! words with the highest total count (ties: alphabetical), then sorted alphabetically;
//! tf-idf = count x (ln((1 + n) / (1 + df)) + 1), each row scaled to unit length.
//!
//! NMF minimises ||X - W H||_F^2 over W, H >= 0 by hierarchical alternating least squares
//! (Cichocki & Phan 2009): each column of W and row of H in turn gets its exact non-negative
//! least-squares update with the others fixed. Start: uniform random entries scaled to
//! sqrt(mean(X) / k) (seeded), as scikit-learn's `init="random"`; the best of `n_init` starts
//! is kept. Spherical k-means (Dhillon & Modha 2001): unit rows, cosine similarity, k-means++
//! seeding (seeded), centroids renormalised.

use rand::Rng;
use rayon::prelude::*;

use super::tagging::for_each_word;
use crate::error::{Error, Result};
use crate::stats::rng::stream;
use crate::table::{Columns, Output, RowLog};
use arrow_array::RecordBatch;

/// A compact English stop-word list (articles, pronouns, auxiliaries, prepositions).
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for", "from", "further",
    "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
    "yourself",
];

/// A sparse row-major matrix.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Csr {
    /// Row starts into `indices` / `data` (length rows + 1).
    pub indptr: Vec<usize>,
    /// Column of each stored value.
    pub indices: Vec<usize>,
    /// Stored values.
    pub data: Vec<f64>,
    /// Number of columns.
    pub cols: usize,
}

impl Csr {
    fn rows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }
    fn row(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (a, b) = (self.indptr.get(i).copied().unwrap_or(0), self.indptr.get(i + 1).copied().unwrap_or(0));
        let idx = self.indices.get(a..b).unwrap_or_default();
        let val = self.data.get(a..b).unwrap_or_default();
        idx.iter().copied().zip(val.iter().copied())
    }
}

/// A fitted vectoriser: vocabulary (alphabetical) and idf weights.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tfidf {
    /// Words of the vocabulary, sorted.
    pub vocabulary: Vec<String>,
    /// idf of each word.
    pub idf: Vec<f64>,
    /// Stop words left out.
    pub stop_words: Vec<String>,
}

type StopSet = std::collections::HashSet<String>;

fn counts_of(text: &str, stop: &StopSet, mut f: impl FnMut(&str)) {
    let mut lower = String::new();
    for_each_word(text, |w, _| {
        lower.clear();
        lower.extend(w.chars().flat_map(char::to_lowercase));
        if lower.chars().count() >= 2 && !stop.contains(&lower) {
            f(&lower);
        }
    });
}

impl Tfidf {
    /// Fits the vocabulary and idf on `texts`.
    pub fn fit(texts: &[Option<&str>], max_features: usize, stop_words: Vec<String>) -> Result<Self> {
        use std::collections::HashMap;
        let mut total: HashMap<String, (u64, u64)> = HashMap::new();
        let stop: StopSet = stop_words.iter().cloned().collect();
        let mut seen: Vec<String> = Vec::new();
        for t in texts.iter().flatten() {
            seen.clear();
            counts_of(t, &stop, |w| {
                let e = total.entry(w.to_string()).or_insert((0, 0));
                e.0 += 1;
                if !seen.iter().any(|s| s == w) {
                    e.1 += 1;
                    seen.push(w.to_string());
                }
            });
        }
        if total.is_empty() {
            return Err(Error::input(
                "texts",
                "no words left after removing stop words: nothing to discover",
            ));
        }
        let mut words: Vec<(String, (u64, u64))> = total.into_iter().collect();
        words.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
        words.truncate(max_features.max(1));
        words.sort_by(|a, b| a.0.cmp(&b.0));
        let n = texts.len() as f64;
        Ok(Tfidf {
            idf: words.iter().map(|(_, (_, df))| ((1.0 + n) / (1.0 + *df as f64)).ln() + 1.0).collect(),
            vocabulary: words.into_iter().map(|(w, _)| w).collect(),
            stop_words,
        })
    }

    /// The unit-length TF-IDF rows of `texts` (an empty row for a text with no known word).
    pub fn transform(&self, texts: &[Option<&str>]) -> Csr {
        let stop: StopSet = self.stop_words.iter().cloned().collect();
        let rows: Vec<Vec<(usize, f64)>> = texts
            .par_iter()
            .map(|t| {
                let mut row: Vec<(usize, f64)> = Vec::new();
                if let Some(t) = t {
                    counts_of(t, &stop, |w| {
                        if let Ok(j) = self.vocabulary.binary_search_by(|v| v.as_str().cmp(w)) {
                            match row.iter_mut().find(|(c, _)| *c == j) {
                                Some(e) => e.1 += 1.0,
                                None => row.push((j, 1.0)),
                            }
                        }
                    });
                }
                row.sort_by_key(|e| e.0);
                for e in row.iter_mut() {
                    e.1 *= self.idf.get(e.0).copied().unwrap_or(0.0);
                }
                let norm = row.iter().map(|e| e.1 * e.1).sum::<f64>().sqrt();
                if norm > 0.0 {
                    for e in row.iter_mut() {
                        e.1 /= norm;
                    }
                }
                row
            })
            .collect();
        let mut m = Csr { indptr: vec![0], cols: self.vocabulary.len(), ..Csr::default() };
        for r in rows {
            for (j, v) in r {
                m.indices.push(j);
                m.data.push(v);
            }
            m.indptr.push(m.indices.len());
        }
        m
    }
}

/// How themes are discovered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Non-negative matrix factorisation.
    Nmf,
    /// Spherical k-means.
    Kmeans,
}

impl Method {
    /// Parses `"nmf"` or `"kmeans"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "nmf" => Ok(Method::Nmf),
            "kmeans" => Ok(Method::Kmeans),
            o => Err(Error::parameter("method", format!("must be 'nmf' or 'kmeans', got '{o}'"))),
        }
    }
}

/// A fitted theme model.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovered {
    /// The vectoriser.
    pub tfidf: Tfidf,
    /// Theme x word weights (H for NMF, unit centroids for k-means), row-major k x V.
    pub components: Vec<Vec<f64>>,
    /// Text x theme weights (W for NMF; one-hot for k-means), row-major n x k.
    pub weights: Vec<Vec<f64>>,
    /// ||X - W H||_F for NMF; for k-means the sum over texts of 1 - cosine to the centroid.
    pub error: f64,
    /// The TF-IDF matrix the model was fitted on.
    pub matrix: Csr,
    /// Iterations of the kept start.
    pub iterations: usize,
}

/// Fitting options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Number of themes.
    pub k: usize,
    /// Method.
    pub method: Method,
    /// Seed of the starts.
    pub seed: u64,
    /// Most iterations per start.
    pub max_iter: usize,
    /// Stop when the relative decrease of the objective is below this.
    pub tol: f64,
    /// Random starts; the best is kept.
    pub n_init: usize,
}

type Dense = Vec<Vec<f64>>;

fn get(m: &Dense, i: usize, j: usize) -> f64 {
    m.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0)
}

/// W' X (k x V) for sparse X: partial sums over fixed blocks of rows, added in block order, so
/// the result is the same on any number of threads.
fn wt_x(w: &Dense, x: &Csr, k: usize) -> Dense {
    let rows: Vec<usize> = (0..x.rows()).collect();
    let parts: Vec<Dense> = rows
        .par_chunks(4096)
        .map(|block| {
            let mut acc = vec![vec![0.0; x.cols]; k];
            for &i in block {
                for (j, v) in x.row(i) {
                    for (t, row) in acc.iter_mut().enumerate() {
                        if let Some(c) = row.get_mut(j) {
                            *c += get(w, i, t) * v;
                        }
                    }
                }
            }
            acc
        })
        .collect();
    let mut total = vec![vec![0.0; x.cols]; k];
    for part in parts {
        for (ra, rb) in total.iter_mut().zip(part) {
            for (a, b) in ra.iter_mut().zip(rb) {
                *a += b;
            }
        }
    }
    total
}

/// A' A for a row-major matrix A (rows x k) -> k x k, or A A' when `rows_are_factors`.
fn gram(a: &Dense, k: usize, by_rows: bool) -> Dense {
    let mut g = vec![vec![0.0; k]; k];
    if by_rows {
        // a is k x V: g = a a'
        for (s, gs) in g.iter_mut().enumerate() {
            for (t, c) in gs.iter_mut().enumerate() {
                let (rs, rt) = (a.get(s), a.get(t));
                *c = match (rs, rt) {
                    (Some(x), Some(y)) => x.iter().zip(y).map(|(p, q)| p * q).sum(),
                    _ => 0.0,
                };
            }
        }
    } else {
        for row in a {
            for (s, gs) in g.iter_mut().enumerate() {
                let rs = row.get(s).copied().unwrap_or(0.0);
                for (t, c) in gs.iter_mut().enumerate() {
                    *c += rs * row.get(t).copied().unwrap_or(0.0);
                }
            }
        }
    }
    g
}

const EPS: f64 = 1e-12;

/// Lower bound of the factors: HALS projects onto the non-negative orthant (exact zeros).
const FLOOR: f64 = 0.0;

/// HALS updates of W (rows of texts) with H fixed, `iters` sweeps; returns X H'.
fn update_w(w: &mut Dense, h: &Dense, x: &Csr, k: usize, iters: usize) -> Dense {
    let d = gram(h, k, true);
    let c: Dense = (0..x.rows())
        .into_par_iter()
        .map(|i| (0..k).map(|t| x.row(i).map(|(j, v)| v * get(h, t, j)).sum()).collect())
        .collect();
    w.par_iter_mut().zip(&c).for_each(|(wi, ci)| {
        for _ in 0..iters {
            for t in 0..k {
                let dtt = get(&d, t, t);
                if dtt <= 0.0 {
                    continue;
                }
                let wd: f64 = (0..k).map(|s| wi.get(s).copied().unwrap_or(0.0) * get(&d, s, t)).sum();
                if let Some(v) = wi.get_mut(t) {
                    *v = (*v + (ci.get(t).copied().unwrap_or(0.0) - wd) / dtt).max(FLOOR);
                }
            }
        }
    });
    c
}

fn update_h(w: &Dense, h: &mut Dense, x: &Csr, k: usize) {
    let a = wt_x(w, x, k);
    let b = gram(w, k, false);
    for t in 0..k {
        let btt = get(&b, t, t);
        if btt <= 0.0 {
            continue;
        }
        let bh: Vec<f64> = (0..x.cols).map(|j| (0..k).map(|s| get(&b, t, s) * get(h, s, j)).sum()).collect();
        if let Some(ht) = h.get_mut(t) {
            for (j, v) in ht.iter_mut().enumerate() {
                let at = get(&a, t, j);
                *v = (*v + (at - bh.get(j).copied().unwrap_or(0.0)) / btt).max(FLOOR);
            }
        }
    }
}

/// ||X - W H||_F from ||X||^2, X H' (c) and the Gram matrices.
fn nmf_error(x: &Csr, w: &Dense, h: &Dense, c: &Dense, k: usize) -> f64 {
    let xx: f64 = x.data.iter().map(|v| v * v).sum();
    let cross: f64 = w.iter().zip(c).map(|(wi, ci)| wi.iter().zip(ci).map(|(a, b)| a * b).sum::<f64>()).sum();
    let (b, d) = (gram(w, k, false), gram(h, k, true));
    let quad: f64 = b.iter().zip(&d).map(|(rb, rd)| rb.iter().zip(rd).map(|(p, q)| p * q).sum::<f64>()).sum();
    (xx - 2.0 * cross + quad).max(0.0).sqrt()
}

fn nmf(x: &Csr, opts: &Options, start: u64) -> (Dense, Dense, f64, usize) {
    let k = opts.k;
    let n = x.rows();
    let mean = x.data.iter().sum::<f64>() / (n as f64 * x.cols as f64).max(1.0);
    let scale = (mean / k as f64).sqrt();
    let mut rng = stream(opts.seed, start);
    let mut h: Dense = (0..k).map(|_| (0..x.cols).map(|_| scale * rng.random::<f64>()).collect()).collect();
    let mut w: Dense = (0..n).map(|_| (0..k).map(|_| scale * rng.random::<f64>()).collect()).collect();
    let mut last = f64::INFINITY;
    let mut err = f64::INFINITY;
    let mut it = 0;
    while it < opts.max_iter {
        it += 1;
        let c = update_w(&mut w, &h, x, k, 1);
        update_h(&w, &mut h, x, k);
        if it % 10 == 0 || it == opts.max_iter {
            let c2: Dense = if it == opts.max_iter { c } else { recompute_c(x, &h, k) };
            err = nmf_error(x, &w, &h, &c2, k);
            if (last - err) / last.max(EPS) < opts.tol {
                break;
            }
            last = err;
        }
    }
    let c = recompute_c(x, &h, k);
    err = err.min(nmf_error(x, &w, &h, &c, k));
    (w, h, err, it)
}

fn recompute_c(x: &Csr, h: &Dense, k: usize) -> Dense {
    (0..x.rows())
        .into_par_iter()
        .map(|i| (0..k).map(|t| x.row(i).map(|(j, v)| v * get(h, t, j)).sum()).collect())
        .collect()
}

fn cosine(x: &Csr, i: usize, c: &[f64]) -> f64 {
    x.row(i).map(|(j, v)| v * c.get(j).copied().unwrap_or(0.0)).sum()
}

fn normalise(v: &mut [f64]) {
    let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if n > 0.0 {
        for x in v.iter_mut() {
            *x /= n;
        }
    }
}

fn kmeans(x: &Csr, opts: &Options, start: u64) -> (Dense, Dense, f64, usize) {
    let (k, n) = (opts.k, x.rows());
    let mut rng = stream(opts.seed, start);
    let dense_row = |i: usize| {
        let mut v = vec![0.0; x.cols];
        for (j, val) in x.row(i) {
            if let Some(s) = v.get_mut(j) {
                *s = val;
            }
        }
        v
    };
    // k-means++ on the cosine distance 1 - cos
    let mut centres: Dense = vec![dense_row(rng.random_range(0..n))];
    let mut dist: Vec<f64> =
        (0..n).map(|i| 1.0 - cosine(x, i, centres.first().map_or(&[][..], |c| c))).collect();
    // greedy k-means++ (as scikit-learn): draw 2 + ln k candidates in proportion to the
    // distance to the nearest centre, keep the one that lowers the total distance most
    let trials = 2 + (k as f64).ln() as usize;
    while centres.len() < k {
        let total: f64 = dist.iter().map(|d| d.max(0.0)).sum();
        let mut best: Option<(f64, Vec<f64>, Vec<f64>)> = None;
        for _ in 0..trials {
            let pick = if total > 0.0 {
                let mut r = rng.random::<f64>() * total;
                let mut chosen = n - 1;
                for (i, d) in dist.iter().enumerate() {
                    r -= d.max(0.0);
                    if r <= 0.0 {
                        chosen = i;
                        break;
                    }
                }
                chosen
            } else {
                rng.random_range(0..n)
            };
            let c = dense_row(pick);
            let nd: Vec<f64> = dist.iter().enumerate().map(|(i, d)| d.min(1.0 - cosine(x, i, &c))).collect();
            let pot: f64 = nd.iter().sum();
            if best.as_ref().is_none_or(|b| pot < b.0) {
                best = Some((pot, c, nd));
            }
        }
        if let Some((_, c, nd)) = best {
            dist = nd;
            centres.push(c);
        }
    }
    let mut labels = vec![usize::MAX; n];
    let mut it = 0;
    let mut inertia = 0.0;
    while it < opts.max_iter {
        it += 1;
        let best: Vec<(usize, f64)> = (0..n)
            .into_par_iter()
            .map(|i| {
                centres
                    .iter()
                    .enumerate()
                    .map(|(t, c)| (t, cosine(x, i, c)))
                    .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a })
            })
            .collect();
        let changed = best.iter().zip(&labels).filter(|(b, l)| b.0 != **l).count();
        inertia = best.iter().map(|b| 1.0 - b.1).sum();
        for (l, b) in labels.iter_mut().zip(&best) {
            *l = b.0;
        }
        let mut sums = vec![vec![0.0; x.cols]; k];
        for (i, l) in labels.iter().enumerate() {
            if let Some(s) = sums.get_mut(*l) {
                for (j, v) in x.row(i) {
                    if let Some(c) = s.get_mut(j) {
                        *c += v;
                    }
                }
            }
        }
        for (c, s) in centres.iter_mut().zip(sums) {
            if s.iter().any(|v| *v > 0.0) {
                *c = s;
                normalise(c);
            }
        }
        if changed == 0 {
            break;
        }
    }
    let w = labels.iter().map(|l| (0..k).map(|t| f64::from(u8::from(t == *l))).collect()).collect();
    (w, centres, inertia, it)
}

/// Fits themes on `texts`.
pub fn discover(
    texts: &[Option<&str>],
    max_features: usize,
    stop_words: Vec<String>,
    opts: Options,
) -> Result<Discovered> {
    if opts.k == 0 {
        return Err(Error::parameter("n_themes", "must be at least 1"));
    }
    if opts.n_init == 0 || opts.max_iter == 0 {
        return Err(Error::parameter("max_iter", "max_iter and n_init must be at least 1"));
    }
    let usable = texts.iter().filter(|t| t.is_some_and(|s| !s.trim().is_empty())).count();
    if usable == 0 {
        return Err(Error::input("texts", "every text is null or empty"));
    }
    let tfidf = Tfidf::fit(texts, max_features, stop_words)?;
    if opts.k > usable || opts.k > tfidf.vocabulary.len() {
        return Err(Error::parameter(
            "n_themes",
            format!(
                "{} themes need at least as many texts with words ({usable}) and vocabulary words ({})",
                opts.k,
                tfidf.vocabulary.len()
            ),
        ));
    }
    let matrix = tfidf.transform(texts);
    let runs: Vec<(Dense, Dense, f64, usize)> = (0..opts.n_init as u64)
        .map(|s| match opts.method {
            Method::Nmf => nmf(&matrix, &opts, s),
            Method::Kmeans => kmeans(&matrix, &opts, s),
        })
        .collect();
    let best = runs
        .into_iter()
        .reduce(|a, b| if b.2 < a.2 { b } else { a })
        .ok_or_else(|| Error::parameter("n_init", "must be at least 1"))?;
    Ok(Discovered { tfidf, components: best.1, weights: best.0, error: best.2, matrix, iterations: best.3 })
}

/// Theme weights of new texts under a fitted model: NMF solves for W with H fixed (HALS,
/// 200 sweeps from a uniform start); k-means assigns the nearest centroid.
pub fn assign(model: &Tfidf, components: &Dense, method: Method, texts: &[Option<&str>]) -> Dense {
    let x = model.transform(texts);
    let k = components.len();
    match method {
        Method::Nmf => {
            let mut w = vec![vec![0.1; k]; x.rows()];
            update_w(&mut w, components, &x, k, 200);
            for (i, row) in w.iter_mut().enumerate() {
                if x.row(i).next().is_none() {
                    row.iter_mut().for_each(|v| *v = 0.0);
                }
            }
            w
        }
        Method::Kmeans => (0..x.rows())
            .map(|i| {
                let best = components
                    .iter()
                    .enumerate()
                    .map(|(t, c)| (t, cosine(&x, i, c)))
                    .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
                let empty = x.row(i).next().is_none();
                (0..k).map(|t| f64::from(u8::from(t == best.0 && !empty))).collect()
            })
            .collect(),
    }
}

/// Text x theme weights as a table, one column `theme_<t>` per theme.
pub fn weights_table(w: &[Vec<f64>], k: usize) -> Result<RecordBatch> {
    let mut cols = Columns::new();
    for t in 0..k {
        cols = cols.f64(&format!("theme_{t}"), w.iter().map(|r| r.get(t).copied().unwrap_or(0.0)));
    }
    cols.batch()
}

impl Discovered {
    /// The analysis output: tables "weights" (text x theme) and "tfidf" (the fitted matrix as
    /// row, column, value triplets), and the model (components, vocabulary, idf, stop_words)
    /// with its error and iterations.
    pub fn output(self, k: usize, rows: RowLog) -> Result<Output> {
        let m = &self.matrix;
        let mut row = Vec::with_capacity(m.data.len());
        for i in 0..m.indptr.len().saturating_sub(1) {
            let n = m.indptr.get(i + 1).copied().unwrap_or(0) - m.indptr.get(i).copied().unwrap_or(0);
            row.extend(std::iter::repeat_n(i, n));
        }
        let tfidf = Columns::new()
            .count("row", row)
            .count("column", m.indices.iter().copied())
            .f64("value", m.data.iter().copied())
            .batch()?;
        Ok(Output::new(rows)
            .table("weights", weights_table(&self.weights, k)?)
            .table("tfidf", tfidf)
            .value("components", self.components)
            .value("vocabulary", self.tfidf.vocabulary)
            .value("idf", self.tfidf.idf)
            .value("stop_words", self.tfidf.stop_words)
            .value("error", self.error)
            .value("iterations", self.iterations))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Vec<Option<&'static str>> {
        let a = ["price too expensive cost", "expensive price overpriced", "cost price high"];
        let b = ["delivery late shipping", "shipping slow delivery courier", "late courier delivery"];
        (0..60).map(|i| Some(if i % 2 == 0 { a[i % 3] } else { b[i % 3] })).collect()
    }

    fn opts(method: Method) -> Options {
        Options { k: 2, method, seed: 0, max_iter: 300, tol: 1e-6, n_init: 2 }
    }

    #[test]
    fn tfidf_rows_are_unit_length_and_stop_words_are_left_out() {
        let t = Tfidf::fit(&corpus(), 100, vec!["too".into()]).unwrap_or_else(|e| panic!("{e}"));
        assert!(!t.vocabulary.contains(&"too".to_string()));
        let m = t.transform(&corpus());
        let norm: f64 = m.row(0).map(|(_, v)| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-12);
    }

    #[test]
    fn both_methods_separate_two_obvious_themes() {
        for method in [Method::Nmf, Method::Kmeans] {
            let d = discover(&corpus(), 100, vec![], opts(method)).unwrap_or_else(|e| panic!("{e}"));
            let label = |i: usize| {
                d.weights[i]
                    .iter()
                    .enumerate()
                    .fold((0, f64::MIN), |a, (t, v)| if *v > a.1 { (t, *v) } else { a })
                    .0
            };
            for i in 0..60 {
                assert_eq!(label(i), label(i % 2), "{method:?} text {i}");
            }
            assert_ne!(label(0), label(1));
            let again = assign(&d.tfidf, &d.components, method, &[Some("courier late"), None]);
            assert_eq!(
                again[0]
                    .iter()
                    .enumerate()
                    .fold((0, f64::MIN), |a, (t, v)| if *v > a.1 { (t, *v) } else { a })
                    .0,
                label(1)
            );
            assert!(again[1].iter().all(|v| *v == 0.0));
        }
    }

    #[test]
    fn too_many_themes_is_a_parameter_error() {
        let e = discover(&corpus(), 100, vec![], Options { k: 50, ..opts(Method::Nmf) }).err();
        assert!(e.map(|e| e.to_string()).unwrap_or_default().contains("n_themes"));
    }
}
