//! One entry point for the (x, t_x, T) family of transaction models: BG/NBD, MBG/NBD and
//! Pareto/NBD chosen by name, fitted, and asked for per-customer predictions.
//!
//! Customers sharing a pattern (x, t_x, T) share every prediction, so each prediction is
//! computed once per distinct pattern, in parallel, and handed to each customer.

use rayon::prelude::*;

use super::bgnbd::{BgNbd, Patterns};
use super::fit::Fitted;
use super::pareto::ParetoNbd;
use crate::error::{Error, Result};

/// The largest n of P(X(t) = n) under BG/NBD and MBG/NBD (the table is linear in n).
pub const MAX_COUNT: u64 = 10_000_000;
/// The largest n of P(X(t) = n) under Pareto/NBD (1,536 quadrature nodes per n).
pub const MAX_COUNT_PARETO: u64 = 100_000;

/// Which transaction model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// BG/NBD (Fader, Hardie & Lee 2005).
    BgNbd,
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007).
    ModifiedBgNbd,
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    ParetoNbd,
}

impl ModelKind {
    /// Parses "bgnbd", "mbgnbd" or "pareto".
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "bgnbd" => Ok(ModelKind::BgNbd),
            "mbgnbd" => Ok(ModelKind::ModifiedBgNbd),
            "pareto" => Ok(ModelKind::ParetoNbd),
            o => Err(Error::parameter("model", format!("must be 'bgnbd', 'mbgnbd' or 'pareto', got '{o}'"))),
        }
    }

    /// The parameters' names, in the literature's order.
    pub fn names(self) -> [&'static str; 4] {
        match self {
            ModelKind::ParetoNbd => ["r", "alpha", "s", "beta"],
            _ => ["r", "alpha", "a", "b"],
        }
    }

    /// Fits the model to customer patterns by maximum likelihood. Customers who never repeat
    /// carry no information on dropout: such data is an input error naming `frequency`.
    /// `penalizer` is lifetimes' L2 `penalizer_coef` (0 for none; see [`l2_weights`]).
    ///
    /// [`l2_weights`]: super::fit::l2_weights
    pub fn fit(self, p: &Patterns, frequency: &str, penalizer: f64) -> Result<Fitted> {
        if p.x.iter().all(|x| *x == 0.0) {
            return Err(Error::input(
                frequency,
                "no customer makes a repeat purchase, so the dropout parameters are not identified; \
                 summarise a longer window (or more customers) so that some customers repeat",
            ));
        }
        Ok(match self {
            ModelKind::ParetoNbd => ParetoNbd::fit(p, penalizer)?.1,
            ModelKind::BgNbd => BgNbd::fit(p, false, penalizer)?.1,
            ModelKind::ModifiedBgNbd => BgNbd::fit(p, true, penalizer)?.1,
        })
    }
}

/// A transaction model with its parameters.
#[derive(Debug, Clone)]
pub enum Btyd {
    /// BG/NBD or MBG/NBD.
    Bg(BgNbd),
    /// Pareto/NBD.
    Pareto(ParetoNbd),
}

/// What to predict for each customer.
#[derive(Debug, Clone, PartialEq)]
pub enum Prediction {
    /// P(alive | x, t_x, T).
    Alive,
    /// E[purchases in the next t | x, t_x, T].
    Conditional(f64),
    /// The customer's log-likelihood.
    LogLikelihood,
    /// Discounted expected residual transactions at a continuously compounded rate (Pareto/NBD).
    Dert(f64),
    /// P(X(T, T + t) = n | x, t_x, T) (checked by [`Prediction::count`]).
    Count {
        /// The window, in the model's unit.
        t: f64,
        /// The number of purchases.
        n: u64,
    },
    /// sum_k (E[Y(t_k)] - E[Y(t_(k-1))]) f_k with E[Y(t)] the conditional expected purchases
    /// in the next t (t_0 = 0): the purchase part of a discounted CLV.
    Discounted {
        /// Times t_1 < t_2 < ... in the model's unit.
        times: Vec<f64>,
        /// Discount factor f_k of each time.
        factors: Vec<f64>,
    },
}

impl Prediction {
    /// P(X(T, T + t) = n | history), after checking t and n as [`Btyd::count_probabilities`]
    /// does (so a prediction never fails per customer).
    pub fn count(model: &Btyd, t: f64, n: u64) -> Result<Self> {
        model.count_probabilities(t, 0)?;
        let cap = if matches!(model, Btyd::Pareto(_)) { MAX_COUNT_PARETO } else { MAX_COUNT };
        if n > cap {
            return Err(Error::parameter(
                "n",
                format!("{n} purchases is past the largest supported ({cap})"),
            ));
        }
        Ok(Prediction::Count { t, n })
    }

    /// Builds a prediction from its name ("alive", "conditional", "loglik", "dert",
    /// "discounted") and arguments, checking them.
    pub fn parse(what: &str, t: f64, discount_rate: f64, times: Vec<f64>, factors: Vec<f64>) -> Result<Self> {
        Ok(match what {
            "alive" => Prediction::Alive,
            "conditional" => {
                if !(t >= 0.0 && t.is_finite()) {
                    return Err(Error::parameter("t", format!("must be a non-negative number, got {t}")));
                }
                Prediction::Conditional(t)
            }
            "loglik" => Prediction::LogLikelihood,
            "dert" => {
                if !(discount_rate > 0.0 && discount_rate.is_finite()) {
                    return Err(Error::parameter(
                        "discount_rate",
                        format!("must be positive and finite, got {discount_rate}"),
                    ));
                }
                Prediction::Dert(discount_rate)
            }
            "discounted" => {
                if times.len() != factors.len() {
                    return Err(Error::parameter("factors", "one discount factor per time is needed"));
                }
                if let Some(bad) = times.iter().chain(&factors).find(|v| !(v.is_finite() && **v >= 0.0)) {
                    return Err(Error::parameter(
                        "horizon",
                        format!("times and discount factors must be finite and non-negative, got {bad}"),
                    ));
                }
                Prediction::Discounted { times, factors }
            }
            o => {
                return Err(Error::parameter(
                    "what",
                    format!("must be 'alive', 'conditional', 'loglik', 'dert' or 'discounted', got '{o}'"),
                ))
            }
        })
    }
}

impl Btyd {
    /// The model `kind` at `params` (in the order of [`ModelKind::names`]).
    pub fn new(kind: ModelKind, params: &[f64]) -> Result<Self> {
        if params.len() != 4 || params.iter().any(|p| !(p.is_finite() && *p > 0.0)) {
            return Err(Error::parameter(
                "params",
                format!("four positive finite parameters are needed, got {params:?}"),
            ));
        }
        Ok(match kind {
            ModelKind::BgNbd => Btyd::Bg(BgNbd::from_slice(params, false)),
            ModelKind::ModifiedBgNbd => Btyd::Bg(BgNbd::from_slice(params, true)),
            ModelKind::ParetoNbd => Btyd::Pareto(ParetoNbd::from_slice(params)),
        })
    }

    pub(crate) fn one(&self, what: &Prediction, x: f64, tx: f64, t: f64) -> f64 {
        match (self, what) {
            (Btyd::Bg(m), Prediction::Alive) => m.probability_alive(x, tx, t),
            (Btyd::Pareto(m), Prediction::Alive) => m.probability_alive(x, tx, t),
            (_, Prediction::Conditional(h)) => self.conditional(*h, x, tx, t),
            (Btyd::Bg(m), Prediction::LogLikelihood) => m.log_likelihood(x, tx, t).0,
            (Btyd::Pareto(m), Prediction::LogLikelihood) => m.log_likelihood(x, tx, t).0,
            (Btyd::Pareto(m), Prediction::Dert(d)) => {
                m.discounted_expected_residual_transactions(*d, x, tx, t)
            }
            (Btyd::Bg(_), Prediction::Dert(_)) => f64::NAN,
            (_, Prediction::Count { t: h, n }) => {
                self.conditional_count_probability(*h, *n, x, tx, t).unwrap_or(f64::NAN)
            }
            (_, Prediction::Discounted { times, factors }) => {
                let mut prev = 0.0;
                let mut total = 0.0;
                for (tk, fk) in times.iter().zip(factors) {
                    let cum = self.conditional(*tk, x, tx, t);
                    total += (cum - prev) * fk;
                    prev = cum;
                }
                total
            }
        }
    }

    fn conditional(&self, h: f64, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Btyd::Bg(m) => m.conditional_expected_purchases(h, x, tx, t),
            Btyd::Pareto(m) => m.conditional_expected_purchases(h, x, tx, t),
        }
    }

    /// P(X(t) = n), n = 0..=max_n, for a newly acquired customer (see
    /// [`BgNbd::probabilities_of_purchases`] and [`ParetoNbd::probabilities_of_purchases`]).
    /// `max_n` is refused above [`MAX_COUNT`] (BG/NBD) or [`MAX_COUNT_PARETO`] (Pareto/NBD,
    /// whose cost is 1,536 max_n) and `t` must be finite and >= 0.
    pub fn count_probabilities(&self, t: f64, max_n: u64) -> Result<Vec<f64>> {
        if !(t >= 0.0 && t.is_finite()) {
            return Err(Error::parameter("t", format!("must be a non-negative number, got {t}")));
        }
        let cap = if matches!(self, Btyd::Pareto(_)) { MAX_COUNT_PARETO } else { MAX_COUNT };
        if max_n > cap {
            return Err(Error::parameter(
                "n",
                format!(
                    "{max_n} purchases is past what the table is built for ({cap}); the probabilities \
                     there are zero to machine precision"
                ),
            ));
        }
        let n = u32::try_from(max_n).unwrap_or(u32::MAX);
        Ok(match self {
            Btyd::Bg(m) => m.probabilities_of_purchases(t, n),
            Btyd::Pareto(m) => m.probabilities_of_purchases(t, n),
        })
    }

    /// The model of a customer known to be alive at T after (x, t_x, T): the posterior of the
    /// rates given survival, lambda ~ Gamma(r + x, alpha + T) and, under BG/NBD,
    /// p ~ Beta(a, b + x) (MBG/NBD: b + x + 1, one more dropout chance survived), under
    /// Pareto/NBD mu ~ Gamma(s, beta + T). From T on such a customer behaves as one just
    /// acquired with those parameters (a BG/NBD customer, no dropout at the start of the
    /// window; exponential lifetimes forget their age).
    fn alive_posterior(&self, x: f64, big_t: f64) -> Btyd {
        match self {
            Btyd::Bg(m) => Btyd::Bg(BgNbd {
                r: m.r + x,
                alpha: m.alpha + big_t,
                a: m.a,
                b: m.b + x + m.shift(),
                modified: false,
            }),
            Btyd::Pareto(m) => {
                Btyd::Pareto(ParetoNbd { r: m.r + x, alpha: m.alpha + big_t, s: m.s, beta: m.beta + big_t })
            }
        }
    }

    /// P(X(T, T + t) = n | x, t_x, T): the chance a customer with this history buys exactly n
    /// times in the next t. Alive at T with probability P(alive), the customer then buys as a
    /// new one under the posterior (see `alive_posterior`); dead, they buy nothing:
    /// P(alive) P_post(X(t) = n) + (1 - P(alive)) [n = 0].
    pub fn conditional_count_probability(&self, t: f64, n: u64, x: f64, tx: f64, big_t: f64) -> Result<f64> {
        let alive = match self {
            Btyd::Bg(m) => m.probability_alive(x, tx, big_t),
            Btyd::Pareto(m) => m.probability_alive(x, tx, big_t),
        };
        let p = match self.alive_posterior(x, big_t) {
            Btyd::Pareto(post) => post.probability_of_purchases(t, n),
            bg => bg.count_probabilities(t, n)?.last().copied().unwrap_or(0.0),
        };
        Ok(alive * p + if n == 0 { 1.0 - alive } else { 0.0 })
    }

    /// E[X(t)] for a newly acquired customer.
    pub fn expected(&self, t: f64) -> f64 {
        match self {
            Btyd::Bg(m) => m.expected_purchases(t),
            Btyd::Pareto(m) => m.expected_purchases(t),
        }
    }

    /// `what` for every customer of `p` (in the customers' order, through `p.index`).
    pub fn predict(&self, p: &Patterns, what: &Prediction) -> Result<Vec<f64>> {
        if matches!(what, Prediction::Dert(_)) && matches!(self, Btyd::Bg(_)) {
            return Err(Error::parameter("model", "DERT has a closed form for Pareto/NBD only"));
        }
        let per: Vec<f64> =
            (0..p.x.len()).into_par_iter().map(|j| self.one(what, p.x[j], p.tx[j], p.t[j])).collect();
        Ok(p.index.iter().map(|&j| per.get(j as usize).copied().unwrap_or(f64::NAN)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customers() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        (vec![0.0, 2.0, 2.0, 5.0, 0.0], vec![0.0, 10.0, 10.0, 30.0, 0.0], vec![38.0, 38.0, 38.0, 39.0, 20.0])
    }

    #[test]
    fn predictions_per_customer_equal_the_model_formulas() {
        let (x, tx, t) = customers();
        let p =
            Patterns::from_customers(&x, &tx, &t, None, ["x", "tx", "T"]).unwrap_or_else(|e| panic!("{e}"));
        let params = [0.243, 4.414, 0.793, 2.426];
        let m = Btyd::new(ModelKind::BgNbd, &params).unwrap_or_else(|e| panic!("{e}"));
        let direct = BgNbd::from_slice(&params, false);
        let alive = m.predict(&p, &Prediction::Alive).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..x.len() {
            assert_eq!(alive[i], direct.probability_alive(x[i], tx[i], t[i]));
        }
        // the discounted sum over two periods equals its definition
        let what = Prediction::parse("discounted", 0.0, 0.0, vec![4.0, 8.0], vec![0.99, 0.98])
            .unwrap_or_else(|e| panic!("{e}"));
        let got = m.predict(&p, &what).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..x.len() {
            let y1 = direct.conditional_expected_purchases(4.0, x[i], tx[i], t[i]);
            let y2 = direct.conditional_expected_purchases(8.0, x[i], tx[i], t[i]);
            let want = y1 * 0.99 + (y2 - y1) * 0.98;
            assert!((got[i] - want).abs() < 1e-12, "{} vs {want}", got[i]);
        }
        assert_eq!(got[1], got[2]); // one pattern, one value
    }

    #[test]
    fn bad_choices_and_arguments_are_named() {
        let msg = |r: Result<Prediction>| r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg(Prediction::parse("nope", 0.0, 0.0, vec![], vec![])).contains("'alive'"));
        assert!(msg(Prediction::parse("conditional", f64::NAN, 0.0, vec![], vec![])).contains("'t'"));
        assert!(msg(Prediction::parse("dert", 0.0, -1.0, vec![], vec![])).contains("discount_rate"));
        assert!(msg(Prediction::parse("discounted", 0.0, 0.0, vec![1.0], vec![])).contains("factors"));
        assert!(ModelKind::parse("bgnbd2").is_err());
        assert!(Btyd::new(ModelKind::ParetoNbd, &[1.0, f64::NAN, 1.0, 1.0]).is_err());
        let (x, tx, t) = customers();
        let p =
            Patterns::from_customers(&x, &tx, &t, None, ["x", "tx", "T"]).unwrap_or_else(|e| panic!("{e}"));
        let bg = Btyd::new(ModelKind::BgNbd, &[1.0; 4]).unwrap_or_else(|e| panic!("{e}"));
        assert!(bg.predict(&p, &Prediction::Dert(0.1)).is_err());
        let pareto =
            Btyd::new(ModelKind::ParetoNbd, &[0.55, 10.6, 0.61, 11.7]).unwrap_or_else(|e| panic!("{e}"));
        assert!(pareto.predict(&p, &Prediction::Dert(0.1)).unwrap_or_default().iter().all(|v| *v > 0.0));
    }

    fn models() -> Vec<Btyd> {
        [
            (ModelKind::BgNbd, [0.243, 4.414, 0.793, 2.426]),
            (ModelKind::ModifiedBgNbd, [0.525, 6.183, 0.891, 1.614]),
            (ModelKind::ParetoNbd, [0.55, 10.6, 0.61, 11.7]),
        ]
        .iter()
        .map(|(k, p)| Btyd::new(*k, p).unwrap_or_else(|e| panic!("{e}")))
        .collect()
    }

    #[test]
    fn count_probabilities_are_a_distribution_with_the_expected_mean() {
        for m in models() {
            for t in [0.5, 39.0, 78.0] {
                let p = m.count_probabilities(t, 3_000).unwrap_or_else(|e| panic!("{e}"));
                let total: f64 = p.iter().sum();
                let mean: f64 = p.iter().enumerate().map(|(n, q)| n as f64 * q).sum();
                assert!((total - 1.0).abs() < 1e-10, "{m:?} {t}: {total}");
                assert!((mean - m.expected(t)).abs() < 1e-8 * m.expected(t).max(1.0), "{m:?} {t}: {mean}");
            }
        }
        assert!(models()[2].count_probabilities(1.0, MAX_COUNT_PARETO + 1).is_err());
        assert!(models()[0].count_probabilities(f64::NAN, 3).is_err());
    }

    #[test]
    fn conditional_counts_average_to_the_conditional_expectation() {
        for m in models() {
            for (x, tx, big_t) in [(0.0, 0.0, 30.0), (2.0, 20.0, 38.0), (7.0, 36.0, 38.0)] {
                let p: Vec<f64> = (0..400)
                    .map(|n| m.conditional_count_probability(39.0, n, x, tx, big_t).unwrap_or(f64::NAN))
                    .collect();
                let total: f64 = p.iter().sum();
                let mean: f64 = p.iter().enumerate().map(|(n, q)| n as f64 * q).sum();
                let want = m.conditional(39.0, x, tx, big_t);
                assert!((total - 1.0).abs() < 1e-9, "{m:?} ({x}, {tx}, {big_t}): {total}");
                assert!(
                    (mean - want).abs() < 1e-7 * want.max(1.0),
                    "{m:?} ({x}, {tx}, {big_t}): {mean} vs {want}"
                );
            }
        }
        // a customer just acquired (x = 0, T = 0) has the unconditional law under BG/NBD and Pareto/NBD
        for m in [&models()[0], &models()[2]] {
            let p = m.count_probabilities(10.0, 5).unwrap_or_default();
            for (n, want) in p.iter().enumerate() {
                let got = m.conditional_count_probability(10.0, n as u64, 0.0, 0.0, 0.0).unwrap_or(f64::NAN);
                assert!((got - want).abs() < 1e-12, "{n}: {got} vs {want}");
            }
        }
    }
}
