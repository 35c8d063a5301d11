//! A small, well-tested quasi-Newton minimiser (BFGS with a backtracking Armijo line search)
//! and a finite-difference Hessian for standard errors.

// Small dense matrices: index loops read like the formulas.
#![allow(clippy::needless_range_loop)]

/// The result of a minimisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The minimiser.
    pub x: Vec<f64>,
    /// The objective there.
    pub f: f64,
    /// The gradient's largest absolute component there.
    pub grad_norm: f64,
    /// Iterations used.
    pub iterations: usize,
    /// Whether the gradient tolerance was met.
    pub converged: bool,
}

/// Largest change of any coordinate in one step (the models work in log-parameter space, where
/// 3 is a factor of 20).
const MAX_STEP: f64 = 3.0;

/// Relative size of the predicted decrease g'Hg below which a minimum is declared even when the
/// gradient exceeds `gtol` (rounding noise of large sums; 1e-12 of a log-likelihood of 7e6 is a
/// change of 7e-6, far below a standard error's worth).
const NOISE: f64 = 1e-12;

/// Minimises `f` (returning value and gradient) from `x0` by BFGS. Non-finite trial values
/// shrink the step, so the objective may return NaN or infinity outside its domain.
pub fn bfgs<F>(f: F, x0: &[f64], gtol: f64, max_iter: usize) -> Minimum
where
    F: Fn(&[f64]) -> (f64, Vec<f64>),
{
    let n = x0.len();
    let mut x = x0.to_vec();
    let (mut fx, mut g) = f(&x);
    let mut h = identity(n);
    let norm = |g: &[f64]| g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut it = 0;
    while it < max_iter {
        if !fx.is_finite() {
            break;
        }
        if norm(&g) <= gtol {
            return Minimum { grad_norm: norm(&g), x, f: fx, iterations: it, converged: true };
        }
        it += 1;
        // direction d = -H g; fall back to steepest descent when it is not a descent direction
        let mut d: Vec<f64> = (0..n).map(|i| -(0..n).map(|j| h[i][j] * g[j]).sum::<f64>()).collect();
        let mut slope: f64 = d.iter().zip(&g).map(|(a, b)| a * b).sum();
        if slope >= 0.0 || !slope.is_finite() {
            h = identity(n);
            d = g.iter().map(|v| -v).collect();
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        } else if it > 1 && -slope <= NOISE * fx.abs().max(1.0) {
            // The quasi-Newton model predicts a further decrease (-slope / 2) below the rounding
            // noise of an objective summed over millions of terms: the gradient cannot be
            // computed more accurately than it is, so this is the minimum.
            return Minimum { grad_norm: norm(&g), x, f: fx, iterations: it, converged: true };
        }
        // cap the first trial step: a huge step can land where the objective is only rounding
        // noise (log-gamma differences of enormous arguments) and be "accepted" there
        let dmax = d.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let mut t = if dmax > MAX_STEP { MAX_STEP / dmax } else { 1.0 };
        let mut accepted = None;
        for _ in 0..60 {
            let xt: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + t * b).collect();
            let (ft, gt) = f(&xt);
            if ft.is_finite() && ft <= fx + 1e-4 * t * slope && gt.iter().all(|v| v.is_finite()) {
                accepted = Some((xt, ft, gt));
                break;
            }
            t *= 0.5;
        }
        let Some((xn, fn_, gn)) = accepted else { break };
        let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        if s.iter().all(|v| *v == 0.0) {
            // the accepted step is below the resolution of x: nothing further can change
            break;
        }
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        let improvement = fx - fn_;
        x = xn;
        fx = fn_;
        g = gn;
        if sy > 1e-12 {
            // H <- (I - rho s y') H (I - rho y s') + rho s s'
            let rho = 1.0 / sy;
            let hy: Vec<f64> = (0..n).map(|i| (0..n).map(|j| h[i][j] * y[j]).sum()).collect();
            let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
            for i in 0..n {
                for j in 0..n {
                    h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
                }
            }
        }
        if improvement.abs() <= 1e-15 * fx.abs().max(1.0) && norm(&g) <= gtol * 1e3 {
            break;
        }
    }
    let gn = norm(&g);
    Minimum { converged: gn <= gtol, grad_norm: gn, x, f: fx, iterations: it }
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect()
}

/// The Hessian of a function with analytic gradient `grad`, by central differences of the
/// gradient (symmetrised).
pub fn hessian<G>(grad: G, x: &[f64]) -> Vec<Vec<f64>>
where
    G: Fn(&[f64]) -> Vec<f64>,
{
    let n = x.len();
    let mut h = vec![vec![0.0; n]; n];
    for j in 0..n {
        let step = 1e-5 * x[j].abs().max(1e-3);
        let mut xp = x.to_vec();
        let mut xm = x.to_vec();
        xp[j] += step;
        xm[j] -= step;
        let (gp, gm) = (grad(&xp), grad(&xm));
        for i in 0..n {
            h[i][j] = (gp[i] - gm[i]) / (2.0 * step);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let v = 0.5 * (h[i][j] + h[j][i]);
            h[i][j] = v;
            h[j][i] = v;
        }
    }
    h
}

/// The inverse of a symmetric positive-definite matrix by Gauss-Jordan elimination with partial
/// pivoting; `None` when it is singular.
pub fn invert(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut a: Vec<Vec<f64>> = m.to_vec();
    let mut inv = identity(n);
    for col in 0..n {
        let piv = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-300 || !a[piv][col].is_finite() {
            return None;
        }
        a.swap(col, piv);
        inv.swap(col, piv);
        let p = a[col][col];
        for j in 0..n {
            a[col][j] /= p;
            inv[col][j] /= p;
        }
        for i in 0..n {
            if i != col {
                let f = a[i][col];
                if f != 0.0 {
                    for j in 0..n {
                        a[i][j] -= f * a[col][j];
                        inv[i][j] -= f * inv[col][j];
                    }
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_rosenbrock() {
        let f = |x: &[f64]| {
            let (a, b) = (x[0], x[1]);
            let v = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
            let g = vec![-2.0 * (1.0 - a) - 400.0 * a * (b - a * a), 200.0 * (b - a * a)];
            (v, g)
        };
        let m = bfgs(f, &[-1.2, 1.0], 1e-8, 500);
        assert!(m.converged, "{m:?}");
        assert!((m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn hessian_and_inverse_of_a_quadratic() {
        // f = x'Ax/2 with A = [[2, 1], [1, 3]]
        let grad = |x: &[f64]| vec![2.0 * x[0] + x[1], x[0] + 3.0 * x[1]];
        let h = hessian(grad, &[0.3, -0.2]);
        assert!((h[0][0] - 2.0).abs() < 1e-6 && (h[0][1] - 1.0).abs() < 1e-6 && (h[1][1] - 3.0).abs() < 1e-6);
        let inv = invert(&h).unwrap_or_default();
        assert!((inv[0][0] - 0.6).abs() < 1e-6 && (inv[0][1] + 0.2).abs() < 1e-6);
        assert!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
    }
}
