//! The Kano model (Kano, Seraku, Takahashi & Tsuji 1984, "Attractive quality and must-be
//! quality", Journal of the Japanese Society for Quality Control 14(2)): per feature, a
//! functional question ("if the product has it, how do you feel?") and a dysfunctional one ("if
//! it does not?"), each answered 1 = I like it, 2 = I expect it, 3 = I am neutral, 4 = I can
//! live with it, 5 = I dislike it.
//!
//! * Classification by the standard evaluation table (rows functional, columns dysfunctional):
//!   like/dislike = One-dimensional, like/(expect, neutral, live with) = Attractive,
//!   (expect, neutral, live with)/dislike = Must-be, the middle 3 x 3 block = Indifferent,
//!   like/like and dislike/dislike = Questionable, the rest (wanting the feature's absence) =
//!   Reverse. A feature's category is the most frequent (ties broken in the order M, O, A, I, R,
//!   Q, the order of priority Berger et al. give).
//! * Satisfaction and dissatisfaction coefficients (Berger et al. 1993, "Kano's methods for
//!   understanding customer-defined quality", Center for Quality Management Journal 2(4)):
//!   CS+ = (A + O) / (A + O + M + I), CS- = -(O + M) / (A + O + M + I).
//! * Continuous coordinates (DuMouchel's scoring, in Berger et al. 1993): functional answers
//!   scored 4, 2, 0, -1, -2 and dysfunctional answers -2, -1, 0, 2, 4; per feature the mean
//!   functional and dysfunctional scores with their standard deviations (ddof 1), questionable
//!   and reverse answers left out.

use crate::error::{Error, Result};

/// Kano categories, in the order of the table columns.
pub const CATEGORIES: [&str; 6] = ["M", "O", "A", "I", "R", "Q"];

/// The category of one answer pair (1..=5 each): an index into [`CATEGORIES`].
pub fn classify(functional: u8, dysfunctional: u8) -> Option<usize> {
    const TABLE: [[usize; 5]; 5] = [
        [5, 2, 2, 2, 1], // like
        [4, 3, 3, 3, 0], // expect
        [4, 3, 3, 3, 0], // neutral
        [4, 3, 3, 3, 0], // live with
        [4, 4, 4, 4, 5], // dislike
    ];
    let (f, d) = (functional.checked_sub(1)?, dysfunctional.checked_sub(1)?);
    TABLE.get(f as usize)?.get(d as usize).copied()
}

/// One feature's Kano summary.
#[derive(Debug, Clone, PartialEq)]
pub struct KanoFeature {
    /// Answers per category (M, O, A, I, R, Q).
    pub counts: [u64; 6],
    /// The most frequent category.
    pub category: usize,
    /// CS+ (satisfaction coefficient).
    pub satisfaction: f64,
    /// CS- (dissatisfaction coefficient, at most 0).
    pub dissatisfaction: f64,
    /// Mean functional and dysfunctional scores (continuous analysis).
    pub functional: f64,
    /// Mean dysfunctional score.
    pub dysfunctional: f64,
    /// Their standard deviations.
    pub functional_sd: f64,
    /// Standard deviation of the dysfunctional scores.
    pub dysfunctional_sd: f64,
}

const FUNCTIONAL_SCORE: [f64; 5] = [4.0, 2.0, 0.0, -1.0, -2.0];
const DYSFUNCTIONAL_SCORE: [f64; 5] = [-2.0, -1.0, 0.0, 2.0, 4.0];

/// The Kano summary of one feature from its answer pairs (values 1..=5; `names` name the
/// functional and dysfunctional columns in errors).
pub fn feature(functional: &[f64], dysfunctional: &[f64], names: [&str; 2]) -> Result<KanoFeature> {
    let mut counts = [0u64; 6];
    let (mut fx, mut dx) = (Vec::new(), Vec::new());
    for (i, (&f, &d)) in functional.iter().zip(dysfunctional).enumerate() {
        for (v, name) in [(f, names[0]), (d, names[1])] {
            if !(1.0..=5.0).contains(&v) || v.fract() != 0.0 {
                return Err(Error::input(
                    name,
                    format!(
                        "Kano answers are 1 (like) to 5 (dislike); row {i} holds {v}; recode the answers (1 like, 2 \
                         expect, 3 neutral, 4 live with, 5 dislike)"
                    ),
                ));
            }
        }
        let c = classify(f as u8, d as u8).unwrap_or(5);
        counts[c] += 1;
        if c < 4 {
            fx.push(FUNCTIONAL_SCORE[f as usize - 1]);
            dx.push(DYSFUNCTIONAL_SCORE[d as usize - 1]);
        }
    }
    if functional.is_empty() {
        return Err(Error::input(names[0], "no answers"));
    }
    let category = (0..6).max_by(|&a, &b| counts[a].cmp(&counts[b]).then(b.cmp(&a))).unwrap_or(3);
    let [m, o, a, ind, _, _] = counts.map(|c| c as f64);
    let base = a + o + m + ind;
    let (satisfaction, dissatisfaction) =
        if base > 0.0 { ((a + o) / base, -(o + m) / base) } else { (f64::NAN, f64::NAN) };
    let (functional, functional_sd) = mean_sd(&fx);
    let (dysfunctional, dysfunctional_sd) = mean_sd(&dx);
    Ok(KanoFeature {
        counts,
        category,
        satisfaction,
        dissatisfaction,
        functional,
        dysfunctional,
        functional_sd,
        dysfunctional_sd,
    })
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let m = v.iter().sum::<f64>() / n;
    let sd = if v.len() > 1 {
        (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        f64::NAN
    };
    (m, sd)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn the_evaluation_table_and_the_coefficients() {
        // like/dislike is one-dimensional, like/neutral attractive, neutral/dislike must-be
        assert_eq!(CATEGORIES[classify(1, 5).unwrap()], "O");
        assert_eq!(CATEGORIES[classify(1, 3).unwrap()], "A");
        assert_eq!(CATEGORIES[classify(3, 5).unwrap()], "M");
        assert_eq!(CATEGORIES[classify(3, 3).unwrap()], "I");
        assert_eq!(CATEGORIES[classify(5, 1).unwrap()], "R");
        assert_eq!(CATEGORIES[classify(1, 1).unwrap()], "Q");
        assert_eq!(classify(0, 3), None);
        // 3 attractive, 1 one-dimensional, 1 indifferent
        let f = feature(&[1.0, 1.0, 1.0, 1.0, 3.0], &[3.0, 4.0, 2.0, 5.0, 3.0], ["f", "d"]).unwrap();
        assert_eq!(f.counts, [0, 1, 3, 1, 0, 0]);
        assert_eq!(CATEGORIES[f.category], "A");
        assert!((f.satisfaction - 0.8).abs() < 1e-15 && (f.dissatisfaction + 0.2).abs() < 1e-15);
        assert!((f.functional - (4.0 * 4.0 + 0.0) / 5.0).abs() < 1e-15);
        let e = feature(&[6.0], &[1.0], ["func", "dys"]).unwrap_err().to_string();
        assert!(e.contains("'func'") && e.contains("row 0"), "{e}");
    }
}
