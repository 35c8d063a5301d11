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
    pub fn fit(self, p: &Patterns, frequency: &str) -> Result<Fitted> {
        if p.x.iter().all(|x| *x == 0.0) {
            return Err(Error::input(
                frequency,
                "no customer makes a repeat purchase, so the dropout parameters are not identified; \
                 summarise a longer window (or more customers) so that some customers repeat",
            ));
        }
        Ok(match self {
            ModelKind::ParetoNbd => ParetoNbd::fit(p)?.1,
            ModelKind::BgNbd => BgNbd::fit(p, false)?.1,
            ModelKind::ModifiedBgNbd => BgNbd::fit(p, true)?.1,
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

    fn one(&self, what: &Prediction, x: f64, tx: f64, t: f64) -> f64 {
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
}
