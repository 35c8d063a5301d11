//! `customers(n, seed)`: one row per customer with demographics, RFM, behaviour from a planted
//! mixture of five clusters, survey answers and a free-text comment carrying planted themes.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson};
use rayon::prelude::*;
use serde_json::json;

use super::{blocks, check_n, draw_index, normal, pick, strings, Generated};
use crate::error::{Error, Result};
use crate::stats::rng::stream;
use crate::table::{batch, bool_array, categorical_array, f64_array, i64_array};

const CLUSTERS: [&str; 5] =
    ["Bargain hunters", "Loyal regulars", "Big spenders", "Occasional buyers", "Digital natives"];
const CLUSTER_WEIGHTS: [f64; 5] = [0.28, 0.24, 0.14, 0.22, 0.12];

/// Behavioural features: name, per-cluster mean, per-cluster sd, lower bound, upper bound.
type Feature = (&'static str, [f64; 5], [f64; 5], f64, f64);
const FEATURES: [Feature; 8] = [
    ("visits_per_month", [3.0, 6.0, 4.0, 1.0, 8.0], [1.0, 1.2, 1.2, 0.5, 1.5], 0.0, f64::INFINITY),
    ("avg_order_value", [25.0, 45.0, 140.0, 40.0, 55.0], [8.0, 10.0, 30.0, 12.0, 12.0], 1.0, f64::INFINITY),
    ("discount_share", [0.65, 0.20, 0.10, 0.30, 0.25], [0.10; 5], 0.0, 1.0),
    ("online_share", [0.50, 0.35, 0.40, 0.30, 0.92], [0.10, 0.10, 0.10, 0.10, 0.05], 0.0, 1.0),
    ("category_breadth", [2.0, 5.0, 6.0, 1.5, 4.0], [1.0; 5], 0.0, f64::INFINITY),
    ("support_contacts", [1.0, 0.8, 2.5, 0.5, 0.6], [0.5; 5], 0.0, f64::INFINITY),
    ("return_rate", [0.12, 0.05, 0.08, 0.10, 0.15], [0.04; 5], 0.0, 1.0),
    ("days_between_orders", [12.0, 6.0, 9.0, 45.0, 5.0], [4.0, 2.0, 3.0, 12.0, 2.0], 0.5, f64::INFINITY),
];
const F_DAYS_BETWEEN: usize = 7;
const F_SUPPORT: usize = 5;

const AGE_MEAN: [f64; 5] = [34.0, 48.0, 52.0, 41.0, 27.0];
const INCOME_MEDIAN: [f64; 5] = [38_000.0, 62_000.0, 110_000.0, 50_000.0, 55_000.0];
const TENURE_MEAN: [f64; 5] = [18.0, 40.0, 30.0, 14.0, 8.0];
const RECENCY_FACTOR: [f64; 5] = [1.0, 0.8, 1.0, 2.5, 0.8];

const REGIONS: [&str; 8] = ["North", "South", "East", "West", "Central", "Coastal", "Mountain", "Metro"];
const REGION_P: [f64; 8] = [0.15, 0.14, 0.13, 0.13, 0.12, 0.11, 0.10, 0.12];
const PRODUCTS: [&str; 5] = ["Basic", "Standard", "Plus", "Premium", "Enterprise"];
const PRODUCT_P: [[f64; 5]; 5] = [
    [0.50, 0.30, 0.12, 0.06, 0.02],
    [0.15, 0.35, 0.30, 0.15, 0.05],
    [0.02, 0.08, 0.20, 0.40, 0.30],
    [0.45, 0.35, 0.12, 0.06, 0.02],
    [0.20, 0.35, 0.30, 0.12, 0.03],
];
const CHANNELS: [&str; 6] = ["Organic search", "Paid search", "Social", "Referral", "Email", "Retail"];
const CHANNEL_P: [[f64; 6]; 5] = [
    [0.20, 0.30, 0.15, 0.10, 0.10, 0.15],
    [0.20, 0.10, 0.05, 0.30, 0.25, 0.10],
    [0.25, 0.15, 0.05, 0.30, 0.10, 0.15],
    [0.20, 0.20, 0.10, 0.10, 0.10, 0.30],
    [0.20, 0.20, 0.45, 0.10, 0.03, 0.02],
];
const JOURNEY: [&str; 3] = ["purchase", "renewal", "cancellation"];

/// Themes: name, is a complaint (else praise), base rate, effect on the 1-10 value rating.
const THEMES: [(&str, bool, f64, f64); 6] = [
    ("price", true, 0.12, -1.2),
    ("delivery", true, 0.10, -0.8),
    ("quality", false, 0.15, 0.9),
    ("support", true, 0.08, -1.0),
    ("ease_of_use", false, 0.14, 0.6),
    ("trust", false, 0.10, 0.5),
];
const PRICE_REGIONS: [usize; 2] = [0, 5]; // North, Coastal
const PRICE_REGION_LIFT: f64 = 2.2;
const PRICE_LOW_SPEND_LIFT: f64 = 1.8;
const DELIVERY_REGION: usize = 6; // Mountain
const DELIVERY_REGION_LIFT: f64 = 2.5;
const SUPPORT_PRODUCT_LIFT: f64 = 2.0; // Premium, Enterprise
const EASE_YOUNG_LIFT: f64 = 1.6; // age < 35
const QUALITY_BIG_SPENDER_LIFT: f64 = 1.8; // cluster "Big spenders"
const TRUST_TENURE_LIFT: f64 = 2.0; // tenure > 36 months
const CLUSTER_RATING: [f64; 5] = [-0.3, 0.5, 0.4, -0.2, 0.1];
const RATING_BASE: f64 = 6.8;
const NEGATED_MENTION_P: f64 = 0.04;

const PHRASES: [&[&str]; 6] = [
    &[
        "The price is too high for what you get.",
        "Honestly it is too expensive.",
        "The subscription feels overpriced and keeps going up.",
        "I pay more than I should, cheaper alternatives exist.",
        "The pricing is hard to justify.",
    ],
    &[
        "My order arrived late again.",
        "Shipping was slow and the package came damaged.",
        "Delivery took almost two weeks.",
        "The courier missed the delivery window twice.",
    ],
    &[
        "The product quality is excellent.",
        "Very well made and durable.",
        "Great quality, it works perfectly.",
        "Build quality is top notch.",
    ],
    &[
        "Customer support never answered my emails.",
        "I waited an hour on hold to reach support.",
        "The support agent was rude and unhelpful.",
        "Support closed my ticket without fixing the problem.",
    ],
    &[
        "Setup was easy and intuitive.",
        "Really easy to use, even for beginners.",
        "The app is simple and user friendly.",
        "Everything just works out of the box.",
    ],
    &[
        "I trust this company with my data.",
        "A reliable brand I can count on.",
        "They have always been honest with me.",
        "Transparent and trustworthy people.",
    ],
];
/// Mentions of a theme's words under negation, planted for customers without that theme.
const NEGATED: [(usize, &str); 2] =
    [(0, "The price is not too high."), (1, "The delivery was not late this time.")];
const FILLER: [&str; 4] =
    ["Overall it was fine.", "Nothing special to report.", "It does the job.", "Thanks."];

const OUTCOMES: [&str; 8] = [
    "fast_delivery",
    "low_price",
    "product_quality",
    "easy_setup",
    "responsive_support",
    "reliability",
    "flexible_plans",
    "data_privacy",
];
const IMPORTANCE_MEAN: [f64; 8] = [7.5, 6.5, 8.2, 7.0, 8.0, 8.5, 5.5, 6.0];
const SATISFACTION_MEAN: [f64; 8] = [6.5, 5.5, 7.8, 4.8, 5.0, 8.0, 6.0, 6.8];

#[derive(Default)]
struct Part1 {
    cluster: Vec<u32>,
    age: Vec<i64>,
    income: Vec<f64>,
    region: Vec<u32>,
    product: Vec<u32>,
    channel: Vec<u32>,
    tenure: Vec<i64>,
    recency: Vec<i64>,
    frequency: Vec<i64>,
    monetary: Vec<f64>,
    features: [Vec<f64>; 8],
}

#[derive(Default)]
struct Part2 {
    nps: Vec<i64>,
    csat: Vec<i64>,
    effort: Vec<i64>,
    rating: Vec<i64>,
    importance: [Vec<i64>; 8],
    satisfaction: [Vec<i64>; 8],
    journey: Vec<u32>,
    comment: Vec<String>,
    themes: [Vec<bool>; 6],
}

fn gamma(rng: &mut ChaCha8Rng, shape: f64, scale: f64) -> f64 {
    Gamma::new(shape, scale).map(|g| g.sample(rng)).unwrap_or(shape * scale)
}

fn clamp_round(x: f64, lo: f64, hi: f64) -> i64 {
    x.round().clamp(lo, hi) as i64
}

fn part1(seed: u64, block: u64, len: usize) -> Part1 {
    let mut rng = stream(seed, 2 * block);
    let mut p = Part1::default();
    for _ in 0..len {
        let c = draw_index(&mut rng, &CLUSTER_WEIGHTS);
        p.cluster.push(c as u32);
        let mut feats = [0.0; 8];
        for (j, (_, mean, sd, lo, hi)) in FEATURES.iter().enumerate() {
            let v = (pick(mean, c) + pick(sd, c) * normal(&mut rng)).clamp(*lo, *hi);
            feats[j] = v;
            if let Some(col) = p.features.get_mut(j) {
                col.push(v);
            }
        }
        p.age.push(clamp_round(pick(&AGE_MEAN, c) + 9.0 * normal(&mut rng), 18.0, 85.0));
        let income = pick(&INCOME_MEDIAN, c) * (0.35 * normal(&mut rng)).exp();
        p.income.push((income / 100.0).round() * 100.0);
        let mut region_p = REGION_P;
        if c == 4 {
            region_p[7] = 0.30;
        }
        p.region.push(draw_index(&mut rng, &region_p) as u32);
        p.product.push(draw_index(&mut rng, &pick(&PRODUCT_P, c)) as u32);
        p.channel.push(draw_index(&mut rng, &pick(&CHANNEL_P, c)) as u32);
        let tenure = gamma(&mut rng, 2.0, pick(&TENURE_MEAN, c) / 2.0).ceil().max(1.0);
        p.tenure.push(tenure as i64);
        let days_between = feats[F_DAYS_BETWEEN];
        let expected = (tenure * 30.0 / days_between).max(0.05);
        let freq = Poisson::new(expected).map(|d| d.sample(&mut rng)).unwrap_or(expected).max(1.0);
        p.frequency.push(freq as i64);
        let recency =
            gamma(&mut rng, 1.0, days_between * pick(&RECENCY_FACTOR, c)).min(tenure * 30.0).round();
        p.recency.push(recency as i64);
        let spend = freq * feats[1] * gamma(&mut rng, 10.0, 0.1);
        p.monetary.push((spend * 100.0).round() / 100.0);
    }
    p
}

fn part2(seed: u64, block: u64, rows: std::ops::Range<usize>, p1: &Part1, median_spend: f64) -> Part2 {
    let mut rng = stream(seed, 2 * block + 1);
    let mut p = Part2::default();
    for i in rows {
        let c = p1.cluster.get(i).copied().unwrap_or(0) as usize;
        let region = p1.region.get(i).copied().unwrap_or(0) as usize;
        let product = p1.product.get(i).copied().unwrap_or(0) as usize;
        let age = p1.age.get(i).copied().unwrap_or(40);
        let tenure = p1.tenure.get(i).copied().unwrap_or(1);
        let spend = p1.monetary.get(i).copied().unwrap_or(0.0);
        let support_contacts = p1.features[F_SUPPORT].get(i).copied().unwrap_or(0.0);
        let mut present = [false; 6];
        for (t, (_, _, base, _)) in THEMES.iter().enumerate() {
            let mut prob = *base;
            match t {
                0 => {
                    if PRICE_REGIONS.contains(&region) {
                        prob *= PRICE_REGION_LIFT;
                    }
                    if spend < median_spend {
                        prob *= PRICE_LOW_SPEND_LIFT;
                    }
                }
                1 if region == DELIVERY_REGION => prob *= DELIVERY_REGION_LIFT,
                2 if c == 2 => prob *= QUALITY_BIG_SPENDER_LIFT,
                3 => {
                    if product >= 3 {
                        prob *= SUPPORT_PRODUCT_LIFT;
                    }
                    if support_contacts > 2.0 {
                        prob *= 1.3;
                    }
                }
                4 if age < 35 => prob *= EASE_YOUNG_LIFT,
                5 if tenure > 36 => prob *= TRUST_TENURE_LIFT,
                _ => {}
            }
            present[t] = rng.random::<f64>() < prob.min(0.95);
        }
        let mut rating = RATING_BASE + pick(&CLUSTER_RATING, c) + 1.2 * normal(&mut rng);
        for (t, (_, _, _, effect)) in THEMES.iter().enumerate() {
            if present[t] {
                rating += effect;
            }
        }
        let rating_i = clamp_round(rating, 1.0, 10.0);
        p.rating.push(rating_i);
        p.nps.push(clamp_round(rating + 0.3 + 1.3 * normal(&mut rng), 0.0, 10.0));
        p.csat.push(clamp_round(1.0 + (rating - 1.0) * 4.0 / 9.0 + 0.6 * normal(&mut rng), 1.0, 5.0));
        let effort =
            3.2 + if present[3] { 1.5 } else { 0.0 } - if present[4] { 1.0 } else { 0.0 } + normal(&mut rng);
        p.effort.push(clamp_round(effort, 1.0, 7.0));
        for k in 0..8 {
            let imp = pick(&IMPORTANCE_MEAN, k) + 1.5 * normal(&mut rng);
            let sat = pick(&SATISFACTION_MEAN, k) + 1.5 * normal(&mut rng);
            if let (Some(a), Some(b)) = (p.importance.get_mut(k), p.satisfaction.get_mut(k)) {
                a.push(clamp_round(imp, 1.0, 10.0));
                b.push(clamp_round(sat, 1.0, 10.0));
            }
        }
        let cancel_logit = -2.4 - 0.55 * (rating - 6.5);
        let journey = if rng.random::<f64>() < 1.0 / (1.0 + (-cancel_logit).exp()) {
            2
        } else if tenure > 12 && rng.random::<f64>() < 0.6 {
            1
        } else {
            0
        };
        p.journey.push(journey);
        let mut text = String::with_capacity(96);
        for (t, on) in present.iter().enumerate() {
            if let (true, Some(phrases)) = (*on, PHRASES.get(t)) {
                let k = rng.random_range(0..phrases.len());
                if let Some(s) = phrases.get(k) {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(s);
                }
            }
        }
        for (t, s) in NEGATED {
            if !present[t] && rng.random::<f64>() < NEGATED_MENTION_P {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(s);
            }
        }
        if text.is_empty() {
            text.push_str(pick(&FILLER, rng.random_range(0..FILLER.len())));
        }
        p.comment.push(text);
        for (t, on) in present.iter().enumerate() {
            if let Some(col) = p.themes.get_mut(t) {
                col.push(*on);
            }
        }
    }
    p
}

/// Generates `n` customers from `seed`. See the module documentation for the columns.
pub fn customers(n: usize, seed: u64) -> Result<Generated> {
    check_n("n", n)?;
    let ranges = blocks(n);
    let parts: Vec<Part1> =
        ranges.par_iter().enumerate().map(|(b, (s, e))| part1(seed, b as u64, e - s)).collect();
    let mut p1 = Part1::default();
    for part in parts {
        p1.cluster.extend(part.cluster);
        p1.age.extend(part.age);
        p1.income.extend(part.income);
        p1.region.extend(part.region);
        p1.product.extend(part.product);
        p1.channel.extend(part.channel);
        p1.tenure.extend(part.tenure);
        p1.recency.extend(part.recency);
        p1.frequency.extend(part.frequency);
        p1.monetary.extend(part.monetary);
        for (dst, src) in p1.features.iter_mut().zip(part.features) {
            dst.extend(src);
        }
    }
    let mut sorted = p1.monetary.clone();
    sorted.par_sort_unstable_by(f64::total_cmp);
    let median_spend = crate::stats::quantile::quantile_sorted(&sorted, 0.5);
    let parts2: Vec<Part2> = ranges
        .par_iter()
        .enumerate()
        .map(|(b, (s, e))| part2(seed, b as u64, *s..*e, &p1, median_spend))
        .collect();

    let mut cols: Vec<(String, arrow_array::ArrayRef)> = Vec::new();
    let cat = |codes: Vec<u32>, levels: &[&str]| categorical_array(codes, &strings(levels));
    cols.push(("customer_id".into(), i64_array((1..=n as i64).collect())));
    cols.push(("age".into(), i64_array(p1.age)));
    cols.push(("income".into(), f64_array(p1.income)));
    cols.push(("region".into(), cat(p1.region, &REGIONS)?));
    cols.push(("product".into(), cat(p1.product, &PRODUCTS)?));
    cols.push(("channel".into(), cat(p1.channel, &CHANNELS)?));
    cols.push(("tenure_months".into(), i64_array(p1.tenure)));
    cols.push(("recency_days".into(), i64_array(p1.recency)));
    cols.push(("frequency".into(), i64_array(p1.frequency)));
    cols.push(("monetary".into(), f64_array(p1.monetary)));
    for ((name, ..), values) in FEATURES.iter().zip(p1.features) {
        cols.push((name.to_string(), f64_array(values)));
    }
    cols.push(("true_cluster".into(), i64_array(p1.cluster.iter().map(|c| i64::from(*c)).collect())));
    let mut nps = Vec::with_capacity(n);
    let mut csat = Vec::with_capacity(n);
    let mut effort = Vec::with_capacity(n);
    let mut rating = Vec::with_capacity(n);
    let mut journey = Vec::with_capacity(n);
    let mut importance: [Vec<i64>; 8] = Default::default();
    let mut satisfaction: [Vec<i64>; 8] = Default::default();
    let mut themes: [Vec<bool>; 6] = Default::default();
    let mut comments = arrow_array::builder::StringBuilder::with_capacity(n, n * 48);
    for part in parts2 {
        nps.extend(part.nps);
        csat.extend(part.csat);
        effort.extend(part.effort);
        rating.extend(part.rating);
        journey.extend(part.journey);
        for (dst, src) in importance.iter_mut().zip(part.importance) {
            dst.extend(src);
        }
        for (dst, src) in satisfaction.iter_mut().zip(part.satisfaction) {
            dst.extend(src);
        }
        for (dst, src) in themes.iter_mut().zip(part.themes) {
            dst.extend(src);
        }
        for c in &part.comment {
            comments.append_value(c);
        }
    }
    cols.push(("nps".into(), i64_array(nps)));
    cols.push(("csat".into(), i64_array(csat)));
    cols.push(("effort".into(), i64_array(effort)));
    cols.push(("value_rating".into(), i64_array(rating)));
    for (name, imp) in OUTCOMES.iter().zip(importance) {
        cols.push((format!("importance_{name}"), i64_array(imp)));
    }
    for (name, sat) in OUTCOMES.iter().zip(satisfaction) {
        cols.push((format!("satisfaction_{name}"), i64_array(sat)));
    }
    cols.push(("journey".into(), cat(journey, &JOURNEY)?));
    cols.push(("comment".into(), std::sync::Arc::new(comments.finish()) as arrow_array::ArrayRef));
    for ((name, ..), v) in THEMES.iter().zip(themes) {
        cols.push((format!("theme_{name}"), bool_array(v)));
    }
    let batch = batch(cols)?;
    if batch.num_rows() != n {
        return Err(Error::parameter("n", "internal: row count mismatch"));
    }

    let truth = json!({
        "n": n,
        "seed": seed,
        "clusters": CLUSTERS,
        "cluster_weights": CLUSTER_WEIGHTS,
        "features": FEATURES.iter().map(|(name, mean, sd, lo, hi)| json!({
            "name": name, "mean_by_cluster": mean, "sd_by_cluster": sd,
            "lower": lo, "upper": if hi.is_finite() { json!(hi) } else { json!(null) },
        })).collect::<Vec<_>>(),
        "age_mean_by_cluster": AGE_MEAN,
        "income_median_by_cluster": INCOME_MEDIAN,
        "tenure_mean_by_cluster": TENURE_MEAN,
        "regions": REGIONS,
        "products": PRODUCTS,
        "channels": CHANNELS,
        "themes": THEMES.iter().map(|(name, complaint, base, effect)| json!({
            "name": name, "kind": if *complaint { "complaint" } else { "praise" },
            "base_rate": base, "value_rating_effect": effect,
        })).collect::<Vec<_>>(),
        "theme_lifts": {
            "price": {"regions": ["North", "Coastal"], "region_lift": PRICE_REGION_LIFT,
                      "low_spender_lift": PRICE_LOW_SPEND_LIFT,
                      "low_spender": "monetary below the sample median",
                      "median_monetary": median_spend},
            "delivery": {"regions": ["Mountain"], "region_lift": DELIVERY_REGION_LIFT},
            "quality": {"cluster": "Big spenders", "lift": QUALITY_BIG_SPENDER_LIFT},
            "support": {"products": ["Premium", "Enterprise"], "lift": SUPPORT_PRODUCT_LIFT,
                        "support_contacts_above_2_lift": 1.3},
            "ease_of_use": {"age_below": 35, "lift": EASE_YOUNG_LIFT},
            "trust": {"tenure_months_above": 36, "lift": TRUST_TENURE_LIFT},
        },
        "negated_mentions": {"probability": NEGATED_MENTION_P,
                             "phrases": NEGATED.iter().map(|(_, s)| *s).collect::<Vec<_>>()},
        "value_rating": {"base": RATING_BASE, "cluster_offsets": CLUSTER_RATING, "noise_sd": 1.2},
        "outcomes": OUTCOMES,
        "importance_mean": IMPORTANCE_MEAN,
        "satisfaction_mean": SATISFACTION_MEAN,
        "underserved_outcomes": ["easy_setup", "responsive_support"],
        "journey": JOURNEY,
    });
    Ok(Generated { batch, truth })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int64Type;

    #[test]
    fn same_seed_same_rows_other_seed_other_rows() {
        let a = customers(20_000, 3).unwrap_or_else(|e| panic!("{e}"));
        let b = customers(20_000, 3).unwrap_or_else(|e| panic!("{e}"));
        let c = customers(20_000, 4).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.batch, b.batch);
        assert_ne!(a.batch, c.batch);
        assert_eq!(a.batch.num_rows(), 20_000);
    }

    #[test]
    fn ratings_stay_on_their_scales() {
        let g = customers(5_000, 1).unwrap_or_else(|e| panic!("{e}"));
        for (name, lo, hi) in [("nps", 0, 10), ("csat", 1, 5), ("effort", 1, 7), ("value_rating", 1, 10)] {
            let col = g.batch.column_by_name(name).map(|c| c.as_primitive::<Int64Type>().clone());
            let col = col.unwrap_or_else(|| panic!("{name} missing"));
            assert!(col.values().iter().all(|v| (lo..=hi).contains(v)), "{name}");
        }
    }

    #[test]
    fn zero_rows_is_a_parameter_error() {
        assert!(matches!(customers(0, 0), Err(Error::Parameter { .. })));
    }
}
