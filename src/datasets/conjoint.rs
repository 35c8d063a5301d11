//! A choice-based conjoint survey with two planted latent classes.
//!
//! Respondents answer 12 tasks of 3 smartphone plans (brand, storage, battery, monthly price)
//! from a balanced-overlap design of 20 versions (respondent r answers version r mod 20). Each
//! belongs to one of two classes (price-sensitive "value seekers", 60%, and "premium" buyers,
//! 40%) and picks the plan of highest utility: effects-coded part-worths of the class, plus the
//! price coefficient times the price, plus a standard Gumbel error per alternative (so the
//! choices follow the class's multinomial logit exactly).

use rand::Rng;
use rayon::prelude::*;
use serde_json::json;

use super::{blocks, check_n, Generated};
use crate::demand::choice::design::balanced_overlap;
use crate::error::Result;
use crate::stats::rng::stream;
use crate::table::{batch, bool_array, categorical_array, f64_array, i64_array};

const BRANDS: [&str; 3] = ["Apex", "Bolt", "Cirrus"];
const STORAGE: [&str; 3] = ["64 GB", "128 GB", "256 GB"];
const BATTERY: [&str; 2] = ["1 day", "2 days"];
const PRICES: [f64; 4] = [20.0, 30.0, 40.0, 50.0];
const TASKS: usize = 12;
const ALTERNATIVES: usize = 3;
const VERSIONS: usize = 20;
const CLASSES: [&str; 2] = ["value seekers", "premium"];
const SHARES: [f64; 2] = [0.6, 0.4];
/// Effects-coded part-worths per class (each attribute's sum to zero), then the price
/// coefficient per dollar.
const BRAND_PW: [[f64; 3]; 2] = [[0.1, 0.1, -0.2], [1.4, -0.3, -1.1]];
const STORAGE_PW: [[f64; 3]; 2] = [[-0.2, 0.1, 0.1], [-1.6, 0.3, 1.3]];
const BATTERY_PW: [[f64; 2]; 2] = [[-0.5, 0.5], [-0.2, 0.2]];
const PRICE_COEF: [f64; 2] = [-0.15, -0.02];

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Generates `n` respondents from `seed`.
pub fn conjoint_survey(n: usize, seed: u64) -> Result<Generated> {
    check_n("n", n)?;
    let design = balanced_overlap(&[3, 3, 2, 4], TASKS, ALTERNATIVES, VERSIONS, seed ^ 0x5eed)?;
    let per_version = TASKS * ALTERNATIVES;
    // per block of respondents: class, then choices
    let parts: Vec<(Vec<u32>, Vec<usize>)> = blocks(n)
        .par_iter()
        .enumerate()
        .map(|(b, (s, e))| {
            let mut r = stream(seed, b as u64);
            let mut classes = Vec::with_capacity(e - s);
            let mut chosen = Vec::with_capacity((e - s) * TASKS);
            for resp in *s..*e {
                let c = usize::from(r.random::<f64>() >= SHARES[0]);
                classes.push(c as u32);
                let base = (resp % VERSIONS) * per_version;
                for t in 0..TASKS {
                    let mut best = (f64::NEG_INFINITY, 0);
                    for j in 0..ALTERNATIVES {
                        let i = base + t * ALTERNATIVES + j;
                        let u = BRAND_PW[c][design.levels[0][i]]
                            + STORAGE_PW[c][design.levels[1][i]]
                            + BATTERY_PW[c][design.levels[2][i]]
                            + PRICE_COEF[c] * PRICES[design.levels[3][i]]
                            - (-r.random::<f64>().max(1e-300).ln()).ln();
                        if u > best.0 {
                            best = (u, j);
                        }
                    }
                    chosen.push(best.1);
                }
            }
            (classes, chosen)
        })
        .collect();
    let rows = n * per_version;
    let (mut resp, mut version, mut task, mut alt) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut brand, mut storage, mut battery, mut price) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut picked, mut class) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    let mut r_idx = 0usize;
    for (classes, chosen) in &parts {
        for (k, c) in classes.iter().enumerate() {
            let v = r_idx % VERSIONS;
            for t in 0..TASKS {
                for j in 0..ALTERNATIVES {
                    let i = v * per_version + t * ALTERNATIVES + j;
                    resp.push(r_idx as i64 + 1);
                    version.push(v as i64 + 1);
                    task.push(t as i64 + 1);
                    alt.push(j as i64 + 1);
                    brand.push(design.levels[0][i] as u32);
                    storage.push(design.levels[1][i] as u32);
                    battery.push(design.levels[2][i] as u32);
                    price.push(PRICES[design.levels[3][i]]);
                    picked.push(chosen[k * TASKS + t] == j);
                    class.push(*c);
                }
            }
            r_idx += 1;
        }
    }
    let cols = vec![
        ("respondent_id".to_string(), i64_array(resp)),
        ("version".to_string(), i64_array(version)),
        ("task".to_string(), i64_array(task)),
        ("alternative".to_string(), i64_array(alt)),
        ("brand".to_string(), categorical_array(brand, &strings(&BRANDS))?),
        ("storage".to_string(), categorical_array(storage, &strings(&STORAGE))?),
        ("battery".to_string(), categorical_array(battery, &strings(&BATTERY))?),
        ("price".to_string(), f64_array(price)),
        ("chosen".to_string(), bool_array(picked)),
        ("true_class".to_string(), categorical_array(class, &strings(&CLASSES))?),
    ];
    let truth = json!({
        "n": n,
        "seed": seed,
        "design": {"tasks": TASKS, "alternatives": ALTERNATIVES, "versions": VERSIONS,
                   "d_efficiency": design.d_efficiency},
        "classes": CLASSES,
        "class_shares": SHARES,
        "coding": "effects: each attribute's part-worths sum to zero",
        "part_worths": {
            "brand": {"levels": BRANDS, "value seekers": BRAND_PW[0], "premium": BRAND_PW[1]},
            "storage": {"levels": STORAGE, "value seekers": STORAGE_PW[0], "premium": STORAGE_PW[1]},
            "battery": {"levels": BATTERY, "value seekers": BATTERY_PW[0], "premium": BATTERY_PW[1]},
        },
        "price_levels": PRICES,
        "price_coefficient_per_dollar": {"value seekers": PRICE_COEF[0], "premium": PRICE_COEF[1]},
        "choice_rule": "the alternative of highest utility: part-worths + price coefficient x price + standard Gumbel error",
    });
    Ok(Generated { batch: batch(cols)?, truth })
}
