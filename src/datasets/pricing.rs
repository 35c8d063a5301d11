//! `pricing_survey(n, seed)`: a pricing study per respondent: the four Van Westendorp prices,
//! Newton-Miller-Smith purchase intents, Gabor-Granger answers on a ladder, a stated maximum
//! willingness to pay drawn from a known log-normal per segment, and the segment; for bundling,
//! the respondent's value of two add-ons with a planted negative correlation; for a value
//! ladder, the value of a lighter and a richer tier around the product.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde_json::json;

use super::{blocks, check_n, draw_index, normal, pick, strings, Generated};
use crate::error::Result;
use crate::stats::rng::stream;
use crate::table::{batch, bool_array, categorical_array, f64_array, i64_array};

const SEGMENTS: [&str; 3] = ["Students", "Professionals", "Teams"];
const SEGMENT_P: [f64; 3] = [0.3, 0.5, 0.2];
/// Log-normal WTP per segment: median (dollars) and sigma of the log.
const WTP_MEDIAN: [f64; 3] = [28.0, 45.0, 75.0];
const WTP_SIGMA: [f64; 3] = [0.30, 0.25, 0.30];
/// Van Westendorp answers as multiples of the respondent's WTP (uniform ranges).
const VW_RANGES: [(f64, f64); 4] = [(0.35, 0.55), (0.65, 0.85), (1.05, 1.25), (1.35, 1.70)];
const INTRANSITIVE_P: f64 = 0.04;
/// NMS intents (1..5) at the cheap and at the expensive price.
const INTENT_CHEAP_P: [f64; 5] = [0.0, 0.05, 0.15, 0.35, 0.45];
const INTENT_EXPENSIVE_P: [f64; 5] = [0.15, 0.35, 0.35, 0.15, 0.0];
const LADDER: [i64; 9] = [20, 30, 40, 50, 60, 70, 80, 90, 100];
const GG_NOISE_SD: f64 = 0.08;
const GG_FLIP_P: f64 = 0.02;
/// Add-ons for bundling (cloud storage, priority support): log-normal values per segment whose
/// logs correlate at `ADDON_RHO` within a segment (negative: who values one values the other
/// less, the case where Adams and Yellen's mixed bundling gains).
const ADDON_MEDIAN: [[f64; 3]; 2] = [[6.0, 10.0, 14.0], [4.0, 9.0, 18.0]];
const ADDON_SIGMA: [f64; 2] = [0.5, 0.5];
const ADDON_RHO: f64 = -0.5;
/// Value ladder: the lite tier is worth this share of `wtp`; the pro tier adds this share of
/// `wtp` on top (per segment, times a log-normal factor), so the tiers are nested.
const LITE_SHARE: [f64; 3] = [0.75, 0.6, 0.5];
const PRO_UPLIFT: [f64; 3] = [0.15, 0.4, 0.9];
const LADDER_SIGMA: f64 = 0.2;
/// The add-on and ladder columns come from their own random streams, so the columns above are
/// the same as before they existed.
const EXTRA_STREAM: u64 = 1 << 40;

struct Block {
    segment: Vec<u32>,
    wtp: Vec<f64>,
    vw: [Vec<f64>; 4],
    intent: [Vec<i64>; 2],
    gg: [Vec<bool>; 9],
}

fn block(seed: u64, b: u64, len: usize) -> Block {
    let mut rng: ChaCha8Rng = stream(seed, b);
    let mut out = Block {
        segment: Vec::with_capacity(len),
        wtp: Vec::with_capacity(len),
        vw: Default::default(),
        intent: Default::default(),
        gg: Default::default(),
    };
    for _ in 0..len {
        let s = draw_index(&mut rng, &SEGMENT_P);
        let wtp = pick(&WTP_MEDIAN, s) * (pick(&WTP_SIGMA, s) * normal(&mut rng)).exp();
        out.segment.push(s as u32);
        out.wtp.push((wtp * 2.0).round() / 2.0);
        let mut answers = [0.0; 4];
        for (k, (lo, hi)) in VW_RANGES.iter().enumerate() {
            answers[k] = (wtp * (lo + (hi - lo) * rng.random::<f64>())).round().max(1.0);
        }
        if rng.random::<f64>() < INTRANSITIVE_P {
            answers.swap(1, 2);
        }
        for (col, v) in out.vw.iter_mut().zip(answers) {
            col.push(v);
        }
        out.intent[0].push(draw_index(&mut rng, &INTENT_CHEAP_P) as i64 + 1);
        out.intent[1].push(draw_index(&mut rng, &INTENT_EXPENSIVE_P) as i64 + 1);
        let threshold = wtp * (GG_NOISE_SD * normal(&mut rng)).exp();
        for (col, price) in out.gg.iter_mut().zip(LADDER) {
            let mut buy = (price as f64) <= threshold;
            if rng.random::<f64>() < GG_FLIP_P {
                buy = !buy;
            }
            col.push(buy);
        }
    }
    out
}

/// The add-on and ladder values of one block: `[cloud, support, lite, pro]`.
fn extras(seed: u64, b: u64, segment: &[u32], wtp: &[f64]) -> [Vec<f64>; 4] {
    let mut rng: ChaCha8Rng = stream(seed, EXTRA_STREAM + b);
    let mut out: [Vec<f64>; 4] = Default::default();
    let tilt = (1.0 - ADDON_RHO * ADDON_RHO).sqrt();
    let half = |v: f64| ((v * 2.0).round() / 2.0).max(0.5);
    for (&s, &w) in segment.iter().zip(wtp) {
        let s = s as usize;
        let z0 = normal(&mut rng);
        let z1 = ADDON_RHO * z0 + tilt * normal(&mut rng);
        for (k, z) in [z0, z1].into_iter().enumerate() {
            out[k].push(half(pick(&ADDON_MEDIAN[k], s) * (ADDON_SIGMA[k] * z).exp()));
        }
        let lite = w * pick(&LITE_SHARE, s) * (LADDER_SIGMA * normal(&mut rng)).exp();
        let pro = w * (1.0 + pick(&PRO_UPLIFT, s) * (LADDER_SIGMA * normal(&mut rng)).exp());
        // nested after rounding too: lite <= wtp < pro
        out[2].push(half(lite).min(w));
        out[3].push(half(pro).max(w + 0.5));
    }
    out
}

/// Generates `n` respondents from `seed`.
pub fn pricing_survey(n: usize, seed: u64) -> Result<Generated> {
    check_n("n", n)?;
    let parts: Vec<Block> =
        blocks(n).par_iter().enumerate().map(|(b, (s, e))| block(seed, b as u64, e - s)).collect();
    let mut cols: Vec<(String, arrow_array::ArrayRef)> = Vec::new();
    cols.push(("respondent_id".into(), i64_array((1..=n as i64).collect())));
    let segment: Vec<u32> = parts.iter().flat_map(|p| p.segment.iter().copied()).collect();
    cols.push(("segment".into(), categorical_array(segment, &strings(&SEGMENTS))?));
    for (k, name) in ["too_cheap", "cheap", "expensive", "too_expensive"].iter().enumerate() {
        let v: Vec<f64> = parts.iter().flat_map(|p| p.vw[k].iter().copied()).collect();
        cols.push((name.to_string(), f64_array(v)));
    }
    for (k, name) in ["intent_cheap", "intent_expensive"].iter().enumerate() {
        let v: Vec<i64> = parts.iter().flat_map(|p| p.intent[k].iter().copied()).collect();
        cols.push((name.to_string(), i64_array(v)));
    }
    for (k, price) in LADDER.iter().enumerate() {
        let v: Vec<bool> = parts.iter().flat_map(|p| p.gg[k].iter().copied()).collect();
        cols.push((format!("buy_at_{price}"), bool_array(v)));
    }
    let wtp: Vec<f64> = parts.iter().flat_map(|p| p.wtp.iter().copied()).collect();
    cols.push(("wtp".into(), f64_array(wtp)));
    let more: Vec<[Vec<f64>; 4]> =
        parts.par_iter().enumerate().map(|(b, p)| extras(seed, b as u64, &p.segment, &p.wtp)).collect();
    for (k, name) in ["wtp_cloud", "wtp_support", "wtp_lite", "wtp_pro"].iter().enumerate() {
        let v: Vec<f64> = more.iter().flat_map(|m| m[k].iter().copied()).collect();
        cols.push((name.to_string(), f64_array(v)));
    }
    let truth = json!({
        "n": n,
        "seed": seed,
        "segments": SEGMENTS,
        "segment_shares": SEGMENT_P,
        "wtp_distribution": "log-normal per segment: log(wtp) ~ Normal(log(median), sigma); stated wtp rounded to 0.50",
        "wtp_median": WTP_MEDIAN,
        "wtp_sigma": WTP_SIGMA,
        "van_westendorp_multiples_of_wtp": {
            "too_cheap": VW_RANGES[0], "cheap": VW_RANGES[1],
            "expensive": VW_RANGES[2], "too_expensive": VW_RANGES[3],
        },
        "van_westendorp_rounding": "whole dollars, at least 1",
        "intransitive_share": INTRANSITIVE_P,
        "intransitive_pattern": "cheap and expensive answers swapped",
        "nms_intent_cheap_probabilities_1_to_5": INTENT_CHEAP_P,
        "nms_intent_expensive_probabilities_1_to_5": INTENT_EXPENSIVE_P,
        "gabor_granger_ladder": LADDER,
        "gabor_granger_rule": "buy when price <= wtp * exp(Normal(0, 0.08)); each answer flipped with probability 0.02",
        "addons": ["cloud", "support"],
        "addon_median": {"cloud": ADDON_MEDIAN[0], "support": ADDON_MEDIAN[1]},
        "addon_sigma": ADDON_SIGMA,
        "addon_log_correlation": ADDON_RHO,
        "addon_rule": "log(wtp_addon) ~ Normal(log(median of the segment), sigma), the two logs correlated at addon_log_correlation within a segment; rounded to 0.50, at least 0.50",
        "ladder_tiers": ["wtp_lite", "wtp", "wtp_pro"],
        "ladder_lite_share": LITE_SHARE,
        "ladder_pro_uplift": PRO_UPLIFT,
        "ladder_rule": "wtp_lite = wtp * lite_share * exp(Normal(0, 0.2)) and wtp_pro = wtp * (1 + pro_uplift * exp(Normal(0, 0.2))), per segment, rounded to 0.50; then wtp_lite at most wtp and wtp_pro at least wtp + 0.50",
    });
    Ok(Generated { batch: batch(cols)?, truth })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded() {
        let a = pricing_survey(2_000, 1).unwrap_or_else(|e| panic!("{e}"));
        let b = pricing_survey(2_000, 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.batch, b.batch);
        assert_eq!(a.batch.num_columns(), 1 + 1 + 4 + 2 + 9 + 1 + 4);
    }
}
