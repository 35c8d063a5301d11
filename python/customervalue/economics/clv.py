"""Customer lifetime value: the model-based discounted form and the simple formulas."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .._boundary import index_of, warn
from .._compat import renamed
from .._engines import distributable
from .._io import as_arrow, check_choice, follows_output_option
from .._progress import progress_bar
from ..errors import ConvergenceError, InputError, NotFittedError, ParameterError
from . import _limits as limits
from .models import BetaGeo, GammaGamma

#: Most periods in the discounted CLV sum (a horizon of 1e9 would allocate gigabytes).
MAX_PERIODS = 100_000

_UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}


@follows_output_option
@renamed(n_draws="n_simulations")
@distributable
def customer_lifetime_value(
    transaction_model: BetaGeo,
    spend_model: GammaGamma,
    data: Any,
    *,
    horizon: float = 12,
    time_unit: str = "M",
    discount_rate: float = 0.01,
    margin: float = 1.0,
    ci: float | None = None,
    interval: str = "parameters",
    n_simulations: int = 200,
    n_boot: int | None = None,
    fit_data: Any = None,
    weights: str | None = None,
    seed: int = 0,
    progress: bool | None = None,
) -> Any:
    """Discounted expected margin per customer over ``horizon`` periods of ``time_unit``.

    CLV_i = margin x E[spend_i] x sum_(k=1..H) (E[Y_i(k)] - E[Y_i(k-1)]) / (1 + d)^k,

    with E[Y_i(k)] the transaction model's expected purchases in the next k periods given the
    customer's history, E[spend_i] the spend model's conditional expected transaction value and
    d the ``discount_rate`` per period. Periods of ``time_unit`` are converted to the unit the
    transaction model was fitted in (``time_unit_``, adopted from the summary it was fitted on),
    so a model fitted on days and one fitted on weeks give the same 12-month value.
    ``transaction_model`` is a fitted BetaGeo, ModifiedBetaGeo or ParetoNBD and ``spend_model``
    a fitted GammaGamma (ParameterError naming the argument otherwise); the horizon must lie
    within what the transaction model values accurately for these customers (see
    ``BetaGeo.conditional_expected_purchases``; ParameterError naming ``horizon`` past it);
    ``n_simulations`` and ``n_boot`` are at most 1,000,000.

    Returns a Series ``clv`` on the rows of ``data`` (its index: with a summary from
    ``rfm_summary``, the customer id), so ``summary["clv"] = ...`` aligns. With ``ci`` (say
    0.9) a DataFrame with ``clv`` (the point estimate, unchanged), ``ci_low`` and ``ci_high``,
    percentile intervals of each customer's CLV of one of two kinds, named by ``interval`` and
    recorded in the result's ``attrs["interval"]`` (with ``ci``, ``seed`` and the replicate
    count):

    ``interval="parameters"`` (the default): parameter-uncertainty intervals. ``n_simulations``
        parameter draws of each model from its estimates' asymptotic normal distribution
        (delta method on the log scale; the two models drawn independently), seeded by
        ``seed``. No refits: fast, and it needs only the fitted models, but it rests on the
        large-sample normal approximation of each fit.
    ``interval="bootstrap"``: bootstrap-refit intervals (CLVTools' ``uncertainty="boots"``).
        Each of ``n_boot`` replicates (default 200) draws the customers of ``fit_data`` (the
        table both models were fitted on) with replacement, refits both models on that one
        resample with their settings (time unit, penalizer, column names; ``weights`` when
        the models were fitted on patterns), and values every customer of ``data`` with the
        refits. It assumes no normality and keeps the dependence between the two models'
        estimates; it costs ``n_boot`` refits. CLVTools values only the customers drawn into
        each resample; here every customer of ``data`` is valued by every refit, so every
        customer has an interval from all the replicates.

    Both kinds describe estimation uncertainty: where the customer's *expected* CLV would lie
    had the models been fitted on another sample of customers. Neither is the spread of what
    the customer will actually spend, which adds the purchase process's own randomness.

    Bootstrap details. Replicate b draws ``rng.integers(0, n, n)`` row positions of
    ``fit_data`` (n rows, one per customer) from ``rng = numpy.random.default_rng(seed)``,
    in order, so a hand-written loop with the same generator reproduces each resample. With
    ``weights`` (a column of ``fit_data`` holding whole counts of customers per row, as given
    to the models' ``fit``), it draws ``rng.multinomial(N, w / N)`` customers per row (N the
    total count): the same law, at the cost of the number of rows. Refits use
    ``missing="drop"`` and do not repeat the fits' warnings. Before the replicates both models
    are refitted once on the whole ``fit_data``; if that does not reproduce their estimates (a
    different table, or forgotten ``weights``), ParameterError names ``fit_data``. A replicate
    whose refit fails (ConvergenceError, or a resample a model cannot be fitted on) or whose
    Gamma-Gamma q is at most 1 (infinite mean spend) is counted and skipped, with a
    CustomerValueWarning giving the count; when more than half fail, ConvergenceError. A value
    that is not finite is left out of its customer's percentiles, with a warning. The refits
    keep only their parameters; the customers are then valued in blocks of at most
    ``BLOCK_VALUES`` (4,000,000) replicate values, so memory does not grow with ``len(data)``.
    Work is ``n_boot`` x (rows of ``fit_data`` + customers valued); past ``MAX_BOOT_WORK``
    (1e9 rows, minutes at about 1e7 rows a second) a CustomerValueWarning says so before it
    starts. The resamples depend only on ``fit_data``, ``weights`` and ``seed``, so valuing
    ``data`` in parts with the same seed gives each customer the interval one call would. The
    refits run one by one from Python: Ctrl-C stops at the current fit, and ``progress``
    (None: on in notebooks for work over about a second) shows a bar over the refits and the
    valuations (over the draws for ``interval="parameters"``). ``ci=None`` switches the
    intervals off whichever ``interval`` is named.
    Reference: Fader, Hardie & Lee (2005), JMR 42(4).

    Examples
    --------
    BG/NBD and Gamma-Gamma on CDNOW (weeks), the value of the next 12 months at 1% a month:

    >>> import customervalue as cv
    >>> cdnow = cv.datasets.cdnow()
    >>> bg, gg = cv.BetaGeo().fit(cdnow), cv.GammaGamma().fit(cdnow)
    >>> clv = cv.customer_lifetime_value(bg, gg, cdnow.head(3), horizon=12, time_unit="M",
    ...                                  discount_rate=0.01)
    >>> clv.round(2).tolist()
    [36.3, 4.64, 8.35]

    90% intervals from 50 bootstrap refits on the customers the models were fitted on:

    >>> iv = cv.customer_lifetime_value(bg, gg, cdnow.head(3), horizon=12, ci=0.9,
    ...                                 interval="bootstrap", n_boot=50, fit_data=cdnow)
    >>> list(iv.columns), iv.attrs["interval"], iv.attrs["n_boot"]
    (['clv', 'ci_low', 'ci_high'], 'bootstrap', 50)
    >>> bool(((iv.ci_low <= iv.clv) & (iv.clv <= iv.ci_high)).all())
    True
    """
    _check_models(transaction_model, spend_model)
    if time_unit not in _UNIT_DAYS:
        raise ParameterError(f"argument 'time_unit': must be one of D, W, M, Y, got {time_unit!r}")
    horizon = limits.number("horizon", horizon, low=0.0, low_open=True, why="; a number of periods")
    if not (np.isfinite(horizon) and horizon > 0):
        raise ParameterError(f"argument 'horizon': must be a positive number of periods, got {horizon}")
    if np.ceil(horizon) > MAX_PERIODS:
        raise ParameterError(
            f"argument 'horizon': {horizon:g} periods of '{time_unit}' is past the {MAX_PERIODS:,} periods "
            "the discounted sum is built for; use a coarser time_unit"
        )
    discount_rate = limits.number("discount_rate", discount_rate, low=0.0, why="; a rate per period")
    margin = limits.number("margin", margin, why="; the margin per unit of spend")
    if not (np.isfinite(discount_rate) and discount_rate >= 0):
        raise ParameterError(f"argument 'discount_rate': must be a finite rate >= 0, got {discount_rate}")
    check_choice("interval", interval, ["parameters", "bootstrap"])
    _check_interval_arguments(ci, interval, n_simulations, n_boot, fit_data, weights)
    model_unit = (
        getattr(transaction_model, "time_unit_", None) or getattr(transaction_model, "time_unit", None) or "W"
    )
    ratio = _UNIT_DAYS[time_unit] / _UNIT_DAYS[model_unit]
    index = index_of(data)
    periods = np.arange(1, int(np.ceil(horizon)) + 1)
    # the longest horizon the transaction model values accurately for these customers
    transaction_model._check_horizon(
        float(periods[-1] * ratio), "horizon", None, data, "customer_lifetime_value"
    )

    def value(rows: Any, tx_params: Any = None, spend_params: Any = None) -> np.ndarray:
        spend = spend_model.conditional_expected_spend(rows, params=spend_params)
        total = transaction_model.discounted_expected_purchases(
            periods * ratio, (1 + discount_rate) ** -periods.astype(float), rows, params=tx_params
        )
        return margin * np.asarray(spend) * np.asarray(total)

    point = value(data)
    if ci is None:
        return pd.Series(point, index=index, name="clv")
    # the replicates read the same columns again and again: hand them over as Arrow once (the
    # point estimate above has checked the data and its time unit)
    cols = [*getattr(transaction_model, "_cols", ()), *getattr(spend_model, "_cols", ())]
    table = pa.table(as_arrow(data, list(dict.fromkeys(cols))))
    n = len(index)
    attrs: dict[str, Any] = {"interval": interval, "ci": ci, "seed": seed}
    if interval == "parameters":
        replicates = int(n_simulations)
        fit_table, fit_rows = None, 0
    else:
        replicates = int(n_boot if n_boot is not None else DEFAULT_N_BOOT)
        fit_table = _fit_table(transaction_model, spend_model, fit_data, weights)
        fit_rows = fit_table.num_rows
        work = replicates * (n + fit_rows)
        if work > MAX_BOOT_WORK:
            warn(
                f"customer_lifetime_value(): n_boot = {replicates:,} refits on {fit_rows:,} rows of "
                f"fit_data, each valuing {n:,} customers, is {work:,} rows of work, past the "
                f"{MAX_BOOT_WORK:,} that take a few minutes; Ctrl-C stops it between refits, and "
                "the customers may be valued in parts with the same seed (each part repeats the "
                "refits and gets the same intervals)"
            )
    # customers are valued in blocks of at most BLOCK_VALUES replicate values
    step = max(1, BLOCK_VALUES // replicates)
    blocks = -(-n // step)
    # rough elementary operations (about 2e8 a second), for the bar's "work over a second"
    cost = replicates * (500.0 * fit_rows + 20.0 * n * len(periods))
    desc = "bootstrap refits, then values" if fit_table is not None else "parameter draws"
    with progress_bar(progress, replicates * (blocks + (fit_table is not None)), desc, cost=cost) as cb:
        if fit_table is None:
            tx_draws = transaction_model.sample_params(replicates, seed=seed)
            spend_draws = spend_model.sample_params(replicates, seed=seed + 1)
            draws = list(zip(tx_draws, spend_draws, strict=True))
            attrs["n_simulations"] = replicates
        else:
            draws = _refits(
                transaction_model, spend_model, fit_data, fit_table, weights, replicates, seed, cb
            )
            attrs.update(n_boot=replicates, n_failed=replicates - len(draws))
            if cb is not None and len(draws) < replicates:
                cb((replicates - len(draws)) * blocks)  # the valuations the failed refits skip
        lo, hi, not_finite = np.empty(n), np.empty(n), 0
        for start in range(0, n, step):
            rows = table.slice(start, step)
            block = np.empty((len(draws), rows.num_rows))
            for i, (a, b) in enumerate(draws):
                block[i] = value(rows, a, b)
                if cb is not None:
                    cb(1)
            finite = np.isfinite(block)
            if finite.all():
                q = np.quantile(block, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
            else:
                not_finite += int((~finite).sum())
                q = np.nanquantile(np.where(finite, block, np.nan), [(1 - ci) / 2, (1 + ci) / 2], axis=0)
            lo[start : start + step], hi[start : start + step] = q
    if not_finite and fit_table is not None:
        warn(
            f"customer_lifetime_value(): {not_finite:,} of the {len(draws) * n:,} bootstrap values "
            "are not finite and were left out of their customer's percentiles"
        )
    out = pd.DataFrame({"clv": point, "ci_low": lo, "ci_high": hi}, index=index)
    out.attrs.update(attrs)
    return out


#: Bootstrap refits when ``interval="bootstrap"`` and ``n_boot`` is not given.
DEFAULT_N_BOOT = 200

#: Replicate values held at once: customers are valued in blocks of BLOCK_VALUES // replicates
#: (32 MB of 8-byte values, twice over while the percentiles sort a copy).
BLOCK_VALUES = 4_000_000

#: Bootstrap work, refits x (rows of fit_data refitted + customers valued), past which a
#: CustomerValueWarning says it will take minutes (about 1e7 rows a second on one core).
MAX_BOOT_WORK = 1_000_000_000


def _check_models(transaction_model: Any, spend_model: Any) -> None:
    """ParameterError unless ``transaction_model`` is a BG/NBD, MBG/NBD or Pareto/NBD and
    ``spend_model`` a Gamma-Gamma; NotFittedError naming the one not fitted yet."""
    if not isinstance(transaction_model, BetaGeo):
        raise ParameterError(
            "argument 'transaction_model': must be a fitted BetaGeo, ModifiedBetaGeo or ParetoNBD "
            f"(purchases in continuous time), got {_kind(transaction_model)}"
            + (
                "; the BG/BB counts discrete opportunities and has no per-period expected purchases"
                if type(transaction_model).__name__ == "BetaGeoBetaBinom"
                else ""
            )
        )
    if not isinstance(spend_model, GammaGamma):
        raise ParameterError(
            "argument 'spend_model': must be a fitted GammaGamma (the expected spend per "
            f"transaction), got {_kind(spend_model)}; fit cv.GammaGamma() on the frequency and "
            "monetary_value of the repeat buyers"
        )
    for name, model in (("transaction_model", transaction_model), ("spend_model", spend_model)):
        if not hasattr(model, "params_"):
            raise NotFittedError(
                f"argument '{name}': this {type(model).__name__} is not fitted yet; call fit() first"
            )


def _kind(obj: Any) -> str:
    return "None" if obj is None else f"a {type(obj).__name__}"


def _whole(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, np.integer))


def _check_interval_arguments(
    ci: float | None, interval: str, n_simulations: Any, n_boot: Any, fit_data: Any, weights: Any
) -> None:
    """ParameterError naming the first argument that does not fit the interval asked for."""
    if ci is not None and not (isinstance(ci, (int, float, np.floating)) and 0 < ci < 1):
        raise ParameterError(f"argument 'ci': must be a confidence level in (0, 1), got {ci!r}")
    if interval == "parameters":
        for name, given in (("n_boot", n_boot), ("fit_data", fit_data), ("weights", weights)):
            if given is not None:
                raise ParameterError(
                    f"argument '{name}': belongs to the bootstrap-refit intervals; pass "
                    "interval='bootstrap' (the default interval='parameters' draws parameters, "
                    "n_simulations of them)"
                )
        if ci is not None and (not _whole(n_simulations) or n_simulations < 2):
            raise ParameterError(
                "argument 'n_simulations': must be a whole number of parameter draws >= 2, "
                f"got {n_simulations!r}"
            )
        if ci is not None:
            # the draws of both models (at most 4 + 3 parameters), three copies while drawing
            limits.budget("n_simulations", int(n_simulations), 3 * 8 * 7, "parameter draws")
        return
    if n_boot is not None and (not _whole(n_boot) or n_boot < 2):
        raise ParameterError(f"argument 'n_boot': must be a whole number of refits >= 2, got {n_boot!r}")
    if n_boot is not None:
        limits.budget("n_boot", int(n_boot), 8 * 7, "bootstrap refits")
    if weights is not None and not isinstance(weights, str):
        raise ParameterError(f"argument 'weights': must name a column of fit_data, got {weights!r}")
    if ci is not None and fit_data is None:
        raise ParameterError(
            "argument 'fit_data': interval='bootstrap' refits both models on resamples of the "
            "customers they were fitted on; pass that table as fit_data= (with weights= naming its "
            "count column if the models were fitted on patterns)"
        )


def _refit(model: Any, table: Any, weights: str | None) -> Any:
    """A new model of ``model``'s class and settings fitted on ``table``: the constructor's
    arguments (``get_params``, as scikit-learn's ``clone``), the time unit it adopted and the
    columns it was fitted on."""
    settings = model.get_params()
    if "time_unit" in settings:
        settings["time_unit"] = getattr(model, "time_unit_", None) or settings["time_unit"]
    return type(model)(**settings).fit(table, *model._cols, weights=weights, missing="drop")


def _check_reproduced(model: Any, refit: Any) -> None:
    """ParameterError unless ``refit`` (on the whole fit_data) reproduces ``model``'s fit."""
    p0, p1 = np.array(list(model.params_.values())), np.array(list(refit.params_.values()))
    ll0, ll1 = model.log_likelihood_, refit.log_likelihood_
    if abs(ll1 - ll0) <= 1e-6 * max(1.0, abs(ll0)) and np.allclose(p1, p0, rtol=1e-3, atol=0):
        return
    show = ", ".join(f"{k} = {v:.4g}" for k, v in refit.params_.items())
    mine = ", ".join(f"{k} = {v:.4g}" for k, v in model.params_.items())
    raise ParameterError(
        f"argument 'fit_data': refitting the {model._title} on it gives {show} (log-likelihood "
        f"{ll1:.2f}), not the model's {mine} (log-likelihood {ll0:.2f}); pass the table the models "
        "were fitted on, with weights= naming its count column if they were fitted on patterns"
    )


def _fit_table(transaction_model: Any, spend_model: Any, fit_data: Any, weights: str | None) -> pa.Table:
    """The columns of ``fit_data`` both models were fitted on (and ``weights``) as Arrow, with
    the weights checked as whole counts of customers."""
    cols = [*transaction_model._cols, *spend_model._cols, weights]
    table = pa.table(as_arrow(fit_data, list(dict.fromkeys(c for c in cols if c is not None))))
    if weights is not None:
        w = _counts(table, weights)
        if w.sum() < 2:
            raise ParameterError(
                f"argument 'weights': column '{weights}' counts {int(w.sum())} customers; the "
                "bootstrap needs 2 or more"
            )
    return table


def _counts(table: pa.Table, weights: str) -> np.ndarray:
    """The customers each row of ``table`` stands for; a row without a count (dropped by the
    fit too) stands for none."""
    try:
        w = np.asarray(table.column(weights).to_numpy(zero_copy_only=False), dtype=float)
    except (TypeError, ValueError):
        w = np.full(table.num_rows, np.inf)
    w = np.where(np.isnan(w), 0.0, w)
    if np.any(w < 0) or not np.isfinite(w).all() or np.any(w != np.round(w)):
        raise ParameterError(
            f"argument 'weights': the bootstrap resamples customers, so column '{weights}' must hold "
            "whole counts of customers >= 0"
        )
    return w


def _refits(
    transaction_model: Any,
    spend_model: Any,
    fit_data: Any,
    table: pa.Table,
    weights: str | None,
    n_boot: int,
    seed: int,
    progress: Callable[[int], object] | None,
) -> list[tuple[list[float], list[float]]]:
    """The parameters of both models refitted on ``n_boot`` resamples of the customers of
    ``table`` (the successful refits, in order); the failures counted, warned and, past half,
    a ConvergenceError."""
    # the refits must reproduce the models on the whole table: the right table and weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for model in (transaction_model, spend_model):
            _check_reproduced(model, _refit(model, fit_data, weights))
    n = table.num_rows
    if weights is not None:
        w = _counts(table, weights)
        total = int(w.sum())
        where = table.column_names.index(weights)
    rng = np.random.default_rng(seed)
    out: list[tuple[list[float], list[float]]] = []
    failed, reasons = 0, Counter[str]()
    for _ in range(n_boot):
        if weights is None:
            sample = table.take(rng.integers(0, n, n))
        else:
            counts = rng.multinomial(total, w / total)
            sample = table.set_column(where, weights, pa.array(counts.astype(float)))
            sample = sample.filter(pa.array(counts > 0))
        reason = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tx = _refit(transaction_model, sample, weights)
                spend = _refit(spend_model, sample, weights)
        except ConvergenceError:
            reason = "did not converge"
        except InputError:
            reason = "could not be fitted on the resample"
        else:
            if spend.params_.get("q", np.inf) <= 1:
                reason = "gave q <= 1 (infinite mean spend)"
            else:
                out.append((list(tx.params_.values()), list(spend.params_.values())))
        if reason is not None:
            failed += 1
            reasons[reason] += 1
            if 2 * failed > n_boot:
                raise ConvergenceError(
                    f"{failed} of the first {len(out) + failed} bootstrap refits failed "
                    f"({_listed(reasons)}), more than half of n_boot = {n_boot}: the models are "
                    "not identified on resamples of fit_data; try penalizer= on the models, "
                    "more customers, or interval='parameters'"
                )
        if progress is not None:
            progress(1)
    if failed:
        warn(
            f"customer_lifetime_value(): {failed} of {n_boot} bootstrap refits failed "
            f"({_listed(reasons)}) and were skipped; the intervals rest on the other {len(out)}"
        )
    return out


def _listed(reasons: Counter[str]) -> str:
    """'3 did not converge; 1 gave q <= 1 ...', the most frequent reason first."""
    return "; ".join(f"{v} {k}" for k, v in reasons.most_common())


def simple_clv(
    average_purchase_value: Any,
    purchase_frequency: Any,
    margin: Any,
    churn_rate: Any,
    discount_rate: Any = 0.0,
    *,
    timing: str | None = None,
) -> Any:
    """The textbook CLV from its components, vectorised: each argument a number or an array
    (arrays of one length, one value per customer; a single number goes with any length).
    NaN or infinite inputs are a ParameterError naming the argument, as are arrays of
    different lengths.

    Annual margin per customer m = average_purchase_value x purchase_frequency x margin.
    Without discounting CLV = m / churn_rate (expected lifetime 1/churn periods). With a
    discount rate d and retention r = 1 - churn_rate, the discounted form (margin at the end of
    each period, Gupta & Lehmann 2003) is CLV = m r / (1 + d - r). The two forms time the first
    margin differently, so as d -> 0 the discounted form tends to m r / churn_rate, not to the
    undiscounted m / churn_rate.

    ``timing`` picks one convention for every discount rate, so that CLV is continuous in d:
    ``"start"`` counts a margin now and at the start of each period survived,
    CLV = m (1 + d) / (1 + d - r) (m / churn_rate at d = 0); ``"end"`` counts the first margin
    after one period survived, CLV = m r / (1 + d - r) (m r / churn_rate at d = 0). The default
    (None) is the book's m / churn_rate without discounting and Gupta & Lehmann's end-of-period
    form with it, as the two sources state them.

    Examples
    --------
    m = 50 x 12 x 0.3 = 180 a year; at 25% churn, 180 / 0.25 = 720, or discounted at 10%,
    180 x 0.75 / 0.35 = 385.71:

    >>> import customervalue as cv
    >>> cv.simple_clv(50, 12, 0.3, churn_rate=0.25)
    720.0
    >>> round(cv.simple_clv(50, 12, 0.3, churn_rate=0.25, discount_rate=0.1), 2)
    385.71
    >>> cv.simple_clv([50, 100], 12, 0.3, churn_rate=0.25).tolist()     # vectorised
    [720.0, 1440.0]
    >>> round(cv.simple_clv(50, 12, 0.3, churn_rate=0.25, discount_rate=1e-12, timing="start"), 6)
    720.0
    """
    apv = limits.finite("average_purchase_value", average_purchase_value)
    freq = limits.finite("purchase_frequency", purchase_frequency)
    mg = limits.finite("margin", margin)
    churn = limits.finite("churn_rate", churn_rate, why="; a share of customers lost per period, in (0, 1]")
    d = limits.finite("discount_rate", discount_rate, why="; a rate per period, 0 or more")
    limits.same_length(
        [
            ("average_purchase_value", apv),
            ("purchase_frequency", freq),
            ("margin", mg),
            ("churn_rate", churn),
            ("discount_rate", d),
        ]
    )
    if np.any((churn <= 0) | (churn > 1)):
        raise ParameterError("argument 'churn_rate': must be in (0, 1]")
    if np.any(d < 0):
        raise ParameterError("argument 'discount_rate': must be non-negative")
    if timing is not None:
        check_choice("timing", timing, ["start", "end"])
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        m = apv * freq * mg
        r = 1 - churn
        if timing is None:
            out = np.where(d == 0, m / churn, m * r / (1 + d - r))
        else:
            out = m * (1 + d if timing == "start" else r) / (1 + d - r)
    limits.finite_result(
        out,
        [
            ("average_purchase_value", apv),
            ("purchase_frequency", freq),
            ("margin", mg),
            ("churn_rate", churn),
            ("discount_rate", d),
        ],
        "the CLV",
    )
    return float(out) if out.ndim == 0 else out


def ltv_to_cac(ltv: Any, cac: Any) -> Any:
    """LTV:CAC, the lifetime value per unit of acquisition cost. Finite numbers or arrays of
    one length (ParameterError naming the argument otherwise); ``cac`` positive.

    Examples
    --------
    >>> import customervalue as cv
    >>> cv.ltv_to_cac(900, 300)
    3.0
    >>> cv.ltv_to_cac([900, 600], 300).tolist()
    [3.0, 2.0]
    """
    ltv_arr = limits.finite("ltv", ltv)
    cac_arr = limits.finite("cac", cac)
    limits.same_length([("ltv", ltv_arr), ("cac", cac_arr)])
    if np.any(cac_arr <= 0):
        raise ParameterError("argument 'cac': must be positive")
    with np.errstate(over="ignore"):
        out = ltv_arr / cac_arr
    limits.finite_result(out, [("ltv", ltv_arr), ("cac", cac_arr)], "ltv / cac")
    return float(out) if out.ndim == 0 else out


def cac_payback(cac: Any, margin_per_period: Any) -> Any:
    """Periods to recover the acquisition cost: CAC / margin per period. Finite numbers or
    arrays of one length (ParameterError naming the argument otherwise); the margin positive.

    Examples
    --------
    >>> import customervalue as cv
    >>> cv.cac_payback(300, margin_per_period=50)      # months, with a monthly margin
    6.0
    """
    cac_arr = limits.finite("cac", cac)
    m = limits.finite("margin_per_period", margin_per_period)
    limits.same_length([("cac", cac_arr), ("margin_per_period", m)])
    if np.any(m <= 0):
        raise ParameterError("argument 'margin_per_period': must be positive")
    with np.errstate(over="ignore"):
        out = cac_arr / m
    limits.finite_result(out, [("cac", cac_arr), ("margin_per_period", m)], "cac / margin_per_period")
    return float(out) if out.ndim == 0 else out
