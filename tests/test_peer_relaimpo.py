"""Key-driver analysis against independent computations of relaimpo's and rwa's methods.

R is not available here, so the oracles are the methods' definitions computed independently
on the same data: LMG shares (relaimpo's ``type = "lmg"``) as the average over orderings of
R squared increments, each R squared from a statsmodels OLS fit over the subset; Johnson's
relative weights (R's rwa) with numpy's eigendecomposition and the R squared of statsmodels'
OLS; Tonidandel & LeBreton's logistic relative weights with statsmodels' Logit on the
orthogonalised drivers. Tolerances: 1e-9 for the least-squares methods, 1e-6 for the logistic
one (the two Newton fits stop at different points). ``theme_impact`` is the same analysis on
0/1 theme flags: checked equal to ``key_drivers`` on them.
"""

from __future__ import annotations

import itertools
import math

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

sm = pytest.importorskip("statsmodels.api")


def correlated(n=400, p=4, seed=0, binary=False):
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 1))
    x = 0.6 * base + rng.normal(size=(n, p)) * np.linspace(0.5, 1.5, p)
    eta = x @ np.linspace(1.0, -0.5, p) * 0.7 + rng.normal(size=n)
    df = pd.DataFrame(x, columns=[f"rating_{j}" for j in range(p)])
    df["outcome"] = (eta > 0.3).astype(int) if binary else eta
    return df


def r2(df, cols):
    if not cols:
        return 0.0
    return sm.OLS(df["outcome"], sm.add_constant(df[list(cols)])).fit().rsquared


def lmg_oracle(df, drivers):
    p = len(drivers)
    share = dict.fromkeys(drivers, 0.0)
    for j in drivers:
        others = [d for d in drivers if d != j]
        for size in range(p):
            w = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            for subset in itertools.combinations(others, size):
                share[j] += w * (r2(df, [*subset, j]) - r2(df, subset))
    return np.array([share[d] for d in drivers])


def johnson_oracle(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    xs = (x - x.mean(0)) / x.std(0)
    ys = (y - y.mean()) / y.std()
    r = xs.T @ xs / len(xs)
    rxy = xs.T @ ys / len(xs)
    ev, vec = np.linalg.eigh(r)
    lam = vec @ np.diag(np.sqrt(ev)) @ vec.T
    beta = np.linalg.solve(lam, rxy)
    return (lam**2) @ (beta**2)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shapley_equals_lmg_over_all_subsets(seed):
    df = correlated(seed=seed)
    drivers = [c for c in df if c != "outcome"]
    r = cv.key_drivers(df, features=drivers, outcome="outcome", method="shapley")
    np.testing.assert_allclose(r.table["weight"], lmg_oracle(df, drivers), rtol=1e-9)
    assert r.r_squared == pytest.approx(r2(df, drivers), rel=1e-10)
    np.testing.assert_allclose(r.table["share"].sum(), 1.0, rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relative_weights_equal_johnson_and_sum_to_the_ols_r_squared(seed):
    df = correlated(p=6, seed=seed)
    drivers = [c for c in df if c != "outcome"]
    r = cv.key_drivers(df, features=drivers, outcome="outcome")
    np.testing.assert_allclose(
        r.table["weight"], johnson_oracle(df[drivers].to_numpy(), df["outcome"].to_numpy()), rtol=1e-9
    )
    assert r.r_squared == pytest.approx(r2(df, drivers), rel=1e-9)
    np.testing.assert_array_equal(r.table["rank"], r.table["weight"].rank(ascending=False).astype(int))


def logistic_oracle(df, drivers):
    x = df[drivers].to_numpy()
    xs = (x - x.mean(0)) / x.std(0)
    r = xs.T @ xs / len(xs)
    ev, vec = np.linalg.eigh(r)
    lam = vec @ np.diag(np.sqrt(ev)) @ vec.T
    z = xs @ np.linalg.inv(lam)
    fit = sm.Logit(df["outcome"].to_numpy(), sm.add_constant(z)).fit(disp=0, tol=1e-12, maxiter=200)
    eta = sm.add_constant(z) @ fit.params
    prob = 1 / (1 + np.exp(-eta))
    r_o = np.corrcoef(df["outcome"], prob)[0, 1]
    beta = fit.params[1:] * z.std(0) * r_o / eta.std()
    return (lam**2) @ (beta**2), r_o**2


@pytest.mark.parametrize("seed", [0, 3])
def test_logistic_relative_weights_equal_tonidandel_lebreton(seed):
    df = correlated(n=600, seed=seed, binary=True)
    drivers = [c for c in df if c != "outcome"]
    r = cv.key_drivers(df, features=drivers, outcome="outcome")  # 0/1: binary by default
    want, r2_o = logistic_oracle(df, drivers)
    assert r.outcome_type == "binary"
    np.testing.assert_allclose(r.table["weight"], want, rtol=1e-6)
    assert r.r_squared == pytest.approx(r2_o, rel=1e-6)
    np.testing.assert_allclose(r.table["weight"].sum(), r.r_squared, rtol=1e-10)
    # the same 0/1 column read as a continuous outcome gives Johnson's least-squares weights
    ls = cv.key_drivers(df, features=drivers, outcome="outcome", outcome_type="continuous")
    np.testing.assert_allclose(
        ls.table["weight"], johnson_oracle(df[drivers].to_numpy(), df["outcome"].to_numpy()), rtol=1e-9
    )


def test_theme_impact_is_key_drivers_on_theme_flags():
    df = cv.datasets.customers(1500, seed=3)
    themes = [c for c in df if c.startswith("theme_")]
    for method in ("relative_weights", "shapley"):
        ti = cv.theme_impact(df, themes=themes, outcome="value_rating", method=method)
        kd = cv.key_drivers(df.astype({t: float for t in themes}), features=themes, outcome="value_rating",
                            method=method)  # fmt: skip
        np.testing.assert_allclose(ti.table["impact"], kd.table["weight"], rtol=1e-9)
        assert ti.r_squared == pytest.approx(kd.r_squared, rel=1e-9)


def test_bootstrap_intervals_are_seeded_and_hold_the_estimate():
    df = correlated(seed=5)
    drivers = [c for c in df if c != "outcome"]
    a = cv.key_drivers(df, features=drivers, outcome="outcome", n_boot=200, seed=4)
    b = cv.key_drivers(df, features=drivers, outcome="outcome", n_boot=200, seed=4)
    pd.testing.assert_frame_equal(a.table, b.table)
    t = a.table
    assert ((t["ci_low"] <= t["weight"]) & (t["weight"] <= t["ci_high"])).all()
    c = cv.key_drivers(df, features=drivers, outcome="outcome", n_boot=200, seed=5)
    assert not np.array_equal(c.table["ci_low"], t["ci_low"])


def test_bad_input_is_named():
    df = correlated()
    drivers = [c for c in df if c != "outcome"]
    with pytest.raises(cv.ParameterError, match="relative_weights"):
        binary = df.assign(outcome=(df["outcome"] > 0).astype(int))
        cv.key_drivers(binary, features=drivers, outcome="outcome", method="shapley")
    with pytest.raises(cv.InputError, match="rating_0.*constant"):
        cv.key_drivers(df.assign(rating_0=1.0), features=drivers, outcome="outcome")
    with pytest.raises(cv.InputError, match="linearly dependent"):
        cv.key_drivers(df.assign(rating_3=df["rating_0"] * 2), features=drivers, outcome="outcome")
    coded = df.assign(outcome=(df["outcome"] > 0).astype(float))
    coded.loc[7, "outcome"] = 2.0
    with pytest.raises(cv.InputError, match="value 2 at row 7 in a binary outcome"):
        cv.key_drivers(coded, features=drivers, outcome="outcome", outcome_type="binary")
    with pytest.raises(cv.ConvergenceError, match="separated"):
        sep = df.assign(outcome=(df["rating_0"] > 0).astype(int))
        cv.key_drivers(sep, features=drivers, outcome="outcome")
    with pytest.raises(cv.ParameterError, match="cannot also be a driver"):
        cv.key_drivers(df, features=[*drivers, "outcome"], outcome="outcome")
