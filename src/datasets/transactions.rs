//! `transactions(n_customers, seed)`: a purchase log drawn from the BG/NBD process with
//! Gamma-Gamma spend (Fader, Hardie & Lee 2005a, 2005b), parameters close to the CDNOW estimates.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, Exp, Gamma};
use rayon::prelude::*;
use serde_json::json;

use super::{blocks, check_n, Generated};
use crate::error::Result;
use crate::stats::rng::stream;
use crate::table::{batch, date_array, f64_array, i64_array};

/// BG/NBD: purchase rate lambda ~ Gamma(shape r, rate alpha) per week; dropout p ~ Beta(a, b).
const R: f64 = 0.243;
const ALPHA: f64 = 4.414;
const A: f64 = 0.793;
const B: f64 = 2.426;
/// Gamma-Gamma: amount ~ Gamma(shape P, rate nu), nu ~ Gamma(shape Q, rate V).
const P: f64 = 6.25;
const Q: f64 = 3.74;
const V: f64 = 15.44;
/// 2024-01-01 as days since 1970-01-01.
const START_DAY: i32 = 19_723;
const ACQUISITION_WEEKS: f64 = 12.0;
const OBSERVATION_WEEKS: f64 = 78.0;

fn draw_gamma(rng: &mut ChaCha8Rng, shape: f64, rate: f64) -> f64 {
    Gamma::new(shape, 1.0 / rate).map(|g| g.sample(rng)).unwrap_or(shape / rate)
}

struct Block {
    customer: Vec<i64>,
    day: Vec<i32>,
    amount: Vec<f64>,
}

fn block(seed: u64, b: u64, start: usize, end: usize) -> Block {
    let mut rng = stream(seed, b);
    let mut out = Block { customer: Vec::new(), day: Vec::new(), amount: Vec::new() };
    let beta = Beta::new(A, B).ok();
    for id in start..end {
        let lambda = draw_gamma(&mut rng, R, ALPHA).max(1e-12);
        let p = beta.as_ref().map(|d| d.sample(&mut rng)).unwrap_or(A / (A + B));
        let nu = draw_gamma(&mut rng, Q, V);
        let gap = Exp::new(lambda).ok();
        let mut t = rng.random::<f64>() * ACQUISITION_WEEKS;
        let mut repeat = false;
        loop {
            let amount = (draw_gamma(&mut rng, P, nu) * 100.0).round().max(1.0) / 100.0;
            out.customer.push(id as i64 + 1);
            out.day.push(START_DAY + (t * 7.0).floor() as i32);
            out.amount.push(amount);
            // BG/NBD: after a repeat purchase the customer drops out with probability p
            if repeat && rng.random::<f64>() < p {
                break;
            }
            repeat = true;
            let Some(g) = gap.as_ref() else { break };
            t += g.sample(&mut rng);
            if t >= OBSERVATION_WEEKS {
                break;
            }
        }
    }
    out
}

/// Generates the purchase log of `n_customers` customers from `seed`.
pub fn transactions(n_customers: usize, seed: u64) -> Result<Generated> {
    check_n("n_customers", n_customers)?;
    let parts: Vec<Block> =
        blocks(n_customers).par_iter().enumerate().map(|(b, (s, e))| block(seed, b as u64, *s, *e)).collect();
    let customer: Vec<i64> = parts.iter().flat_map(|p| p.customer.iter().copied()).collect();
    let day: Vec<i32> = parts.iter().flat_map(|p| p.day.iter().copied()).collect();
    let amount: Vec<f64> = parts.iter().flat_map(|p| p.amount.iter().copied()).collect();
    let batch = batch(vec![
        ("customer_id".into(), i64_array(customer)),
        ("date".into(), date_array(day)),
        ("amount".into(), f64_array(amount)),
    ])?;
    let truth = json!({
        "n_customers": n_customers,
        "seed": seed,
        "model": "BG/NBD purchases with Gamma-Gamma spend; time unit: weeks",
        "bgnbd": {"r": R, "alpha": ALPHA, "a": A, "b": B},
        "gamma_gamma": {"p": P, "q": Q, "v": V},
        "start": "2024-01-01",
        "acquisition_weeks": ACQUISITION_WEEKS,
        "observation_weeks": OBSERVATION_WEEKS,
        "observation_end": "2025-07-01",
        "time_unit": "W",
        "notes": "each customer's first purchase falls uniformly in the first 12 weeks; \
                  dates are whole days (floor of the continuous time); amounts in dollars, \
                  every purchase including the first.",
    });
    Ok(Generated { batch, truth })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_and_inside_the_observation_window() {
        let a = transactions(3_000, 5).unwrap_or_else(|e| panic!("{e}"));
        let b = transactions(3_000, 5).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.batch, b.batch);
        let days = a
            .batch
            .column(1)
            .as_any()
            .downcast_ref::<arrow_array::Date32Array>()
            .map(|d| d.values().to_vec());
        let days = days.unwrap_or_default();
        assert!(days.iter().all(|d| *d >= START_DAY && *d < START_DAY + 546));
        // mean repeat purchases per customer near the model's expectation (about 1.2 for these)
        let repeats = (a.batch.num_rows() - 3_000) as f64 / 3_000.0;
        assert!(repeats > 0.6 && repeats < 2.5, "{repeats}");
    }
}
