//! `cargo bench --bench demand`: the Van Westendorp core on synthetic survey answers, without
//! Python. Prints the best of several runs at 1 million and 10 million respondents. (The
//! Python benchmark, benchmarks/demand.py, compares the whole call against numpy.)
use std::time::Instant;

use customervalue::demand::van_westendorp::{van_westendorp, Answers, PriceRange, Validate};
use customervalue::table::Column;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Answers like benchmarks/demand.py's survey: a lognormal reference price around 45 and the
/// four answers as rounded fractions of it (whole-number prices, some ties).
fn survey(n: usize, seed: u64) -> [Column<f64>; 4] {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let bands = [(0.35, 0.55), (0.65, 0.85), (1.05, 1.25), (1.35, 1.7)];
    let mut cols: [Vec<f64>; 4] = Default::default();
    for _ in 0..n {
        // Box-Muller normal
        let (u, v): (f64, f64) = (rng.random::<f64>().max(1e-300), rng.random());
        let z = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        let w = 45.0 * (0.3 * z).exp();
        for (c, (lo, hi)) in cols.iter_mut().zip(bands) {
            c.push((w * rng.random_range(lo..hi)).round().max(1.0));
        }
    }
    let names = ["too_cheap", "cheap", "expensive", "too_expensive"];
    let mut it = cols.into_iter();
    names.map(|name| Column::new(name, it.next().unwrap_or_default()))
}

fn main() {
    for n in [1_000_000, 10_000_000] {
        let c = survey(n, 0);
        let ans = Answers { prices: [&c[0], &c[1], &c[2], &c[3]], weights: None };
        let mut best = f64::INFINITY;
        let mut opp = None;
        for _ in 0..if n > 1_000_000 { 5 } else { 20 } {
            let t = Instant::now();
            let r = van_westendorp(&ans, Validate::Strict, PriceRange::Original, None, None, 0, None);
            best = best.min(t.elapsed().as_secs_f64());
            opp = r.ok().and_then(|r| r.points.opp);
        }
        println!("van_westendorp, {n} respondents: best {:.2} ms (OPP {opp:?})", best * 1e3);
    }
}
