"""Per-customer CLV intervals of two kinds (issue 15, CLVTools): ``interval="parameters"`` (draws
from the estimates' asymptotic normal, today's default) and ``interval="bootstrap"`` (refits of
both models on resamples of the customers they were fitted on, as CLVTools'
``predict(..., uncertainty="boots")``; its documentation, R/clv_template_predict.R's
"Uncertainty Estimates": customers sampled with replacement, the model refitted with the same
specification).

The bootstrap is checked against a loop written here from numpy and the models' public methods,
for its statistical behaviour (1/sqrt(n) shrinkage), for its failure accounting and for Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from contextlib import contextmanager

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from customervalue.economics import clv as clv_module


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return cv.datasets.cdnow()


@pytest.fixture(scope="module")
def models(cdnow: pd.DataFrame) -> tuple[cv.BetaGeo, cv.GammaGamma]:
    return cv.BetaGeo().fit(cdnow), cv.GammaGamma().fit(cdnow)


def _boot(models, data, fit_data, **kw):
    bg, gg = models
    kw = {"horizon": 12, "ci": 0.9, "n_boot": 20, "progress": False, **kw}
    return cv.customer_lifetime_value(bg, gg, data, interval="bootstrap", fit_data=fit_data, **kw)


# ---- shape, naming, reproducibility --------------------------------------------------------------


def test_both_kinds_are_named_in_the_result_and_share_the_columns(cdnow, models):
    data = cdnow.head(40)
    bg, gg = models
    par = cv.customer_lifetime_value(bg, gg, data, horizon=12, ci=0.9, n_simulations=30)
    boot = _boot(models, data, cdnow)
    point = cv.customer_lifetime_value(bg, gg, data, horizon=12)
    for res in (par, boot):
        assert list(res.columns) == ["clv", "ci_low", "ci_high"]
        pd.testing.assert_index_equal(res.index, data.index)
        pd.testing.assert_series_equal(res["clv"], point, check_names=False)
        assert (res["ci_low"] <= res["ci_high"]).all()
    assert par.attrs == {"interval": "parameters", "ci": 0.9, "seed": 0, "n_simulations": 30}
    assert boot.attrs == {"interval": "bootstrap", "ci": 0.9, "seed": 0, "n_boot": 20, "n_failed": 0}
    # the default stays the parameter draws, with a Series when no interval is asked for
    assert isinstance(point, pd.Series) and point.name == "clv"


def test_same_seed_same_intervals_and_another_seed_others(cdnow, models):
    data = cdnow.head(50)
    a = _boot(models, data, cdnow, seed=3)
    b = _boot(models, data, cdnow, seed=3)
    c = _boot(models, data, cdnow, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["seed"] == 3
    assert not np.allclose(a["ci_low"], c["ci_low"])
    # the resamples depend only on fit_data and the seed: valuing the customers in two parts gives
    # each the interval of one call
    parts = pd.concat(
        [_boot(models, data.head(20), cdnow, seed=3), _boot(models, data.tail(30), cdnow, seed=3)]
    )
    pd.testing.assert_frame_equal(parts, a)


def test_bootstrap_intervals_contain_the_point_estimate_for_nearly_all_customers(cdnow, models):
    res = _boot(models, cdnow, cdnow, n_boot=60)
    inside = (res["ci_low"] <= res["clv"]) & (res["clv"] <= res["ci_high"])
    # a percentile interval need not contain the estimate (the refits' median can sit beside
    # it), but the CLV of these models is smooth in the parameters: measured 100% here
    assert inside.mean() >= 0.98
    assert (res["ci_high"] > res["ci_low"]).all()


# ---- an independent bootstrap written here --------------------------------------------------------


def _hand_rolled(fit_data, data, n_boot, seed, ci, horizon_months, discount_rate):
    """Resample customers with numpy, refit with the public fit, value with the models'
    conditional expected purchases at each month (weeks, as CDNOW), percentiles per customer."""
    rng = np.random.default_rng(seed)
    n = len(fit_data)
    months = np.arange(1, horizon_months + 1)
    weeks = months * (365.25 / 12) / 7
    factors = (1 + discount_rate) ** -months.astype(float)
    rows, failed = [], 0
    for _ in range(n_boot):
        sample = fit_data.iloc[rng.integers(0, n, n)]
        try:
            bg = cv.BetaGeo().fit(sample)
            gg = cv.GammaGamma().fit(sample)
        except (cv.ConvergenceError, cv.InputError):
            failed += 1
            continue
        if gg.params_["q"] <= 1:
            failed += 1
            continue
        cum = np.column_stack([bg.conditional_expected_purchases(t, data).to_numpy() for t in weeks])
        steps = np.diff(np.column_stack([np.zeros(len(data)), cum]), axis=1)
        rows.append(gg.conditional_expected_spend(data).to_numpy() * (steps * factors).sum(axis=1))
    lo, hi = np.quantile(np.array(rows), [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    return lo, hi, failed


def test_agrees_with_a_hand_rolled_bootstrap_on_the_same_resamples(cdnow):
    small = cdnow.head(150)  # small enough that a resample does not fit: both must skip it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models = cv.BetaGeo().fit(small), cv.GammaGamma().fit(small)
        data = small.head(25)
        lo, hi, failed = _hand_rolled(
            small, data, n_boot=40, seed=7, ci=0.8, horizon_months=12, discount_rate=0.01
        )
        res = _boot(models, data, small, n_boot=40, seed=7, ci=0.8, discount_rate=0.01)
    assert res.attrs["n_failed"] == failed >= 1  # the same resamples fail in both
    # the same fits on the same rows; the sum over months is taken in another order here
    np.testing.assert_allclose(res["ci_low"].to_numpy(), lo, rtol=1e-9)
    np.testing.assert_allclose(res["ci_high"].to_numpy(), hi, rtol=1e-9)


# ---- statistics ---------------------------------------------------------------------------------


def test_interval_width_shrinks_like_one_over_root_n_when_the_data_is_duplicated(cdnow):
    # A statistical property, so it can fail. The same customers k = 4 times over give the same
    # estimates and a bootstrap spread 1/sqrt(4) = 0.5 as wide. Measured on 14 seed pairs
    # (n_boot = 200, ci = 0.8, 1,000 customers): median width ratio 0.50, sd 0.027 between
    # seeds; the bounds are about 4 sd either side, and far from the ratio 1 (no shrinkage) and
    # 1/k = 0.25. (Seeds 3 and 103 happen to need no refit that fails: a failing BG/NBD refit
    # costs the core's 2,000 BFGS iterations, seconds instead of milliseconds.)
    base = cdnow.head(1000)
    k = 4
    dup = pd.concat([base] * k, ignore_index=True)
    dup.attrs = dict(base.attrs)
    data = base.head(60)
    one = _boot((cv.BetaGeo().fit(base), cv.GammaGamma().fit(base)), data, base, n_boot=200, ci=0.8, seed=3)
    many = _boot((cv.BetaGeo().fit(dup), cv.GammaGamma().fit(dup)), data, dup, n_boot=200, ci=0.8, seed=103)
    ratio = ((many["ci_high"] - many["ci_low"]) / (one["ci_high"] - one["ci_low"])).median()
    assert 0.38 < ratio < 0.65, ratio


def test_patterns_with_counts_bootstrap_the_customers(cdnow):
    # one row per distinct history with the number of customers who had it, fitted with weights=;
    # each replicate draws rng.multinomial(N, w / N) customers per row. Written out here as rows
    # and fitted unweighted, the same draws give the same refits (BG/NBD fits its distinct
    # patterns either way; Gamma-Gamma agrees to its optimiser's tolerance, about 1e-5)
    cols = ["frequency", "recency", "T", "monetary_value"]
    patterns = cdnow.groupby(cols).size().rename("customers").reset_index()
    patterns.attrs = dict(cdnow.attrs)
    assert len(patterns) < len(cdnow)
    weighted = (
        cv.BetaGeo().fit(patterns, weights="customers"),
        cv.GammaGamma().fit(patterns, weights="customers"),
    )
    data = cdnow.head(30)
    res = _boot(weighted, data, patterns, weights="customers", n_boot=20, seed=0, ci=0.8)
    assert res.attrs["n_failed"] == 0
    w = patterns["customers"].to_numpy()
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(20):
        counts = rng.multinomial(w.sum(), w / w.sum())
        sample = patterns.loc[np.repeat(patterns.index, counts), cols]
        sample.attrs = dict(cdnow.attrs)
        bg, gg = cv.BetaGeo().fit(sample), cv.GammaGamma().fit(sample)
        rows.append(cv.customer_lifetime_value(bg, gg, data, horizon=12).to_numpy())
    lo, hi = np.quantile(np.array(rows), [0.1, 0.9], axis=0)
    np.testing.assert_allclose(res["ci_low"].to_numpy(), lo, rtol=1e-4)
    np.testing.assert_allclose(res["ci_high"].to_numpy(), hi, rtol=1e-4)
    # forgetting weights= refits on the patterns as if each were one customer: caught
    with pytest.raises(cv.ParameterError, match="'fit_data'.*weights="):
        _boot(weighted, data, patterns, n_boot=5)


def test_settings_of_the_models_are_kept_in_the_refits(cdnow):
    # a penalised MBG/NBD and Gamma-Gamma: refits without the penalty would not reproduce them on
    # the whole table, which the check before the replicates reports as a ParameterError
    base = cdnow.head(600)
    models = cv.ModifiedBetaGeo(penalizer=0.01).fit(base), cv.GammaGamma(penalizer=0.001).fit(base)
    res = _boot(models, base.head(10), base, n_boot=10)
    assert res.attrs["n_failed"] == 0
    # a summary in days: the refits adopt the unit, and the 12 months are converted as for the point
    log = cv.datasets.transactions(n_customers=400, seed=0)
    days = cv.rfm_summary(log, customer="customer_id", date="date", amount="amount", time_unit="D")
    day_models = cv.BetaGeo().fit(days), cv.GammaGamma().fit(days)
    assert day_models[0].time_unit_ == "D"
    res = _boot(day_models, days.head(10), days, n_boot=10)
    assert ((res["ci_low"] <= res["clv"]) & (res["clv"] <= res["ci_high"])).all()


def test_customers_valued_in_blocks_get_the_intervals_of_one_block(cdnow, models, monkeypatch):
    data = cdnow.head(45)
    bg, gg = models
    boot = _boot(models, data, cdnow, n_boot=10)
    par = cv.customer_lifetime_value(bg, gg, data, horizon=12, ci=0.9, n_simulations=10)
    monkeypatch.setattr(clv_module, "BLOCK_VALUES", 40)  # blocks of 4 customers
    pd.testing.assert_frame_equal(_boot(models, data, cdnow, n_boot=10), boot)
    pd.testing.assert_frame_equal(
        cv.customer_lifetime_value(bg, gg, data, horizon=12, ci=0.9, n_simulations=10), par
    )


def test_large_work_warns_before_it_starts(cdnow, models, monkeypatch):
    monkeypatch.setattr(clv_module, "MAX_BOOT_WORK", 1_000)
    with pytest.warns(
        cv.CustomerValueWarning, match=r"n_boot = 3 refits on 2,357 rows.*7,086 rows of work, past the 1,000"
    ):
        res = _boot(models, cdnow.head(5), cdnow, n_boot=3)
    assert res.attrs["n_boot"] == 3


def test_ci_none_switches_the_bootstrap_off(cdnow, models):
    bg, gg = models
    point = cv.customer_lifetime_value(bg, gg, cdnow.head(5), horizon=12)
    off = cv.customer_lifetime_value(bg, gg, cdnow.head(5), horizon=12, ci=None, interval="bootstrap")
    pd.testing.assert_series_equal(off, point)


# ---- failures, interruption, progress -------------------------------------------------------------


def _failing_refits(monkeypatch, fail):
    """Makes the transaction model's refit number i (0: the check on the whole table) raise
    ConvergenceError when ``fail(i)``."""
    real = clv_module._refit
    calls = {"tx": 0}

    def refit(model, table, weights):
        if isinstance(model, cv.BetaGeo):
            i = calls["tx"]
            calls["tx"] += 1
            if fail(i):
                raise cv.ConvergenceError("BG/NBD fit did not converge (test)")
        return real(model, table, weights)

    monkeypatch.setattr(clv_module, "_refit", refit)
    return calls


def test_failed_refits_are_counted_skipped_and_warned(cdnow, models, monkeypatch):
    _failing_refits(monkeypatch, lambda i: i in (2, 5, 8))
    with pytest.warns(
        cv.CustomerValueWarning, match=r"3 of 10 bootstrap refits failed \(3 did not converge\)"
    ):
        res = _boot(models, cdnow.head(20), cdnow, n_boot=10)
    assert res.attrs["n_failed"] == 3 and res.attrs["n_boot"] == 10
    assert res[["ci_low", "ci_high"]].notna().all().all()


def test_more_than_half_failing_is_a_convergence_error(cdnow, models, monkeypatch):
    calls = _failing_refits(monkeypatch, lambda i: i > 0)
    with pytest.raises(cv.ConvergenceError, match="6 of the first 6 bootstrap refits failed.*n_boot = 10"):
        _boot(models, cdnow.head(20), cdnow, n_boot=10)
    assert calls["tx"] == 1 + 6  # stops as soon as more than half have failed


def test_progress_bar_counts_the_refits(cdnow, models, monkeypatch):
    seen = []

    @contextmanager
    def bar(progress, total, desc, cost=0.0):
        seen.append((progress, total, desc))
        yield lambda k: seen.append(k)

    monkeypatch.setattr(clv_module, "progress_bar", bar)
    _boot(models, cdnow.head(5), cdnow, n_boot=4, progress=True)
    # four refits, then the customers valued by each (one block)
    assert seen == [(True, 8, "bootstrap refits, then values"), *[1] * 8]


CHILD = textwrap.dedent(
    """
    import customervalue as cv
    cdnow = cv.datasets.cdnow()
    bg, gg = cv.BetaGeo().fit(cdnow), cv.GammaGamma().fit(cdnow)
    print("ready", flush=True)
    try:
        # 100,000 refits: many minutes of work
        cv.customer_lifetime_value(bg, gg, cdnow.head(10), ci=0.9, interval="bootstrap",
                                   n_boot=100_000, fit_data=cdnow, progress=False)
        print("finished", flush=True)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_stops_the_refits_at_once():
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.0)  # inside the refits
    sent = time.perf_counter()
    os.kill(child.pid, signal.SIGINT)
    try:
        out, _ = child.communicate(timeout=30)
    finally:
        child.kill()
    assert out.strip() == "interrupted"
    # one refit takes about 10 ms; 3 s leaves room for a loaded machine
    assert time.perf_counter() - sent < 3.0


# ---- bad arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"interval": "boot"}, "interval"),
        ({"interval": "bootstrap"}, "fit_data"),  # no fit_data
        ({"interval": "bootstrap", "fit_data": "cdnow", "ci": 1.5}, "ci"),
        ({"interval": "bootstrap", "fit_data": "cdnow", "n_boot": 1}, "n_boot"),
        ({"interval": "bootstrap", "fit_data": "cdnow", "n_boot": 2.5}, "n_boot"),
        ({"interval": "bootstrap", "fit_data": "cdnow", "n_boot": True}, "n_boot"),
        ({"interval": "bootstrap", "fit_data": "cdnow", "weights": 3}, "weights"),
        # the bootstrap's arguments without interval="bootstrap"
        ({"n_boot": 100}, "n_boot"),
        ({"fit_data": "cdnow"}, "fit_data"),
        ({"weights": "customers"}, "weights"),
        ({"n_simulations": 1}, "n_simulations"),
        # not the table the models were fitted on
        ({"interval": "bootstrap", "fit_data": "head"}, "fit_data"),
    ],
)
def test_bad_arguments_raise_parameter_error_naming_them(cdnow, models, kw, name):
    bg, gg = models
    tables = {"cdnow": cdnow, "head": cdnow.head(1000)}
    kw = {
        k: tables.get(v, v) if isinstance(v, str) and k in ("fit_data", "data") else v for k, v in kw.items()
    }
    kw = {"data": cdnow.head(5), "horizon": 12, "ci": 0.9, "progress": False, **kw}
    with pytest.raises(cv.ParameterError, match=f"argument '{name}'"):
        cv.customer_lifetime_value(bg, gg, **kw)


def test_bad_weights_of_the_fit_data(cdnow):
    patterns = cdnow.assign(share=0.5)
    models = cv.BetaGeo().fit(patterns, weights="share"), cv.GammaGamma().fit(patterns, weights="share")
    with pytest.raises(cv.ParameterError, match="argument 'weights'.*'share'.*whole counts"):
        _boot(models, cdnow.head(5), patterns, weights="share")
    with pytest.raises(cv.InputError, match="'nope'"):
        _boot(models, cdnow.head(5), patterns, weights="nope")
