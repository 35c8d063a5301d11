"""Customer lifetime value: the model-based discounted form and the simple formulas."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .._boundary import index_of
from .._compat import renamed
from .._io import as_arrow, check_choice
from ..errors import ParameterError
from .models import BetaGeo, GammaGamma

#: Most periods in the discounted CLV sum (a horizon of 1e9 would allocate gigabytes).
MAX_PERIODS = 100_000

_UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}


@renamed(n_draws="n_simulations")
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
    n_simulations: int = 200,
    seed: int = 0,
) -> Any:
    """Discounted expected margin per customer over ``horizon`` periods of ``time_unit``.

    CLV_i = margin x E[spend_i] x sum_(k=1..H) (E[Y_i(k)] - E[Y_i(k-1)]) / (1 + d)^k,

    with E[Y_i(k)] the transaction model's expected purchases in the next k periods given the
    customer's history, E[spend_i] the spend model's conditional expected transaction value and
    d the ``discount_rate`` per period. Periods of ``time_unit`` are converted to the unit the
    transaction model was fitted in (``time_unit_``, adopted from the summary it was fitted on),
    so a model fitted on days and one fitted on weeks give the same 12-month value.

    Returns a Series ``clv`` on the rows of ``data`` (its index: with a summary from
    ``rfm_summary``, the customer id), so ``summary["clv"] = ...`` aligns; with ``ci`` (say
    0.95) a DataFrame with ``clv``, ``ci_low`` and ``ci_high``: percentile intervals over
    ``n_simulations`` parameter draws of both models from their asymptotic normal distributions
    (delta method on the log scale), seeded by ``seed``. They reflect estimation uncertainty,
    not the customer's own randomness.
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
    """
    if time_unit not in _UNIT_DAYS:
        raise ParameterError(f"argument 'time_unit': must be one of D, W, M, Y, got {time_unit!r}")
    if not (np.isfinite(horizon) and horizon > 0):
        raise ParameterError(f"argument 'horizon': must be a positive number of periods, got {horizon}")
    if np.ceil(horizon) > MAX_PERIODS:
        raise ParameterError(
            f"argument 'horizon': {horizon:g} periods of '{time_unit}' is past the {MAX_PERIODS:,} periods "
            "the discounted sum is built for; use a coarser time_unit"
        )
    if not (np.isfinite(discount_rate) and discount_rate >= 0):
        raise ParameterError(f"argument 'discount_rate': must be a finite rate >= 0, got {discount_rate}")
    model_unit = (
        getattr(transaction_model, "time_unit_", None) or getattr(transaction_model, "time_unit", None) or "W"
    )
    ratio = _UNIT_DAYS[time_unit] / _UNIT_DAYS[model_unit]
    index = index_of(data)

    def value(tx_params: Any = None, spend_params: Any = None) -> np.ndarray:
        spend = spend_model.conditional_expected_spend(data, params=spend_params)
        periods = np.arange(1, int(np.ceil(horizon)) + 1)
        total = transaction_model.discounted_expected_purchases(
            periods * ratio, (1 + discount_rate) ** -periods.astype(float), data, params=tx_params
        )
        return margin * np.asarray(spend) * np.asarray(total)

    point = value()
    if ci is None:
        return pd.Series(point, index=index, name="clv")
    # the draws read the same columns again and again: hand them over as Arrow once (the point
    # estimate above has checked the data and its time unit)
    cols = [*getattr(transaction_model, "_cols", ()), *getattr(spend_model, "_cols", ())]
    data = pa.table(as_arrow(data, list(dict.fromkeys(cols))))
    if not 0 < ci < 1:
        raise ParameterError(f"argument 'ci': must be a confidence level in (0, 1), got {ci}")
    tx_draws = transaction_model.sample_params(n_simulations, seed=seed)
    spend_draws = spend_model.sample_params(n_simulations, seed=seed + 1)
    draws = np.array([value(a, b) for a, b in zip(tx_draws, spend_draws, strict=True)])
    lo, hi = np.nanquantile(draws, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    return pd.DataFrame({"clv": point, "ci_low": lo, "ci_high": hi}, index=index)


def simple_clv(
    average_purchase_value: Any,
    purchase_frequency: Any,
    margin: Any,
    churn_rate: Any,
    discount_rate: Any = 0.0,
    *,
    timing: str | None = None,
) -> Any:
    """The textbook CLV from its components, vectorised.

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
    apv = np.asarray(average_purchase_value, dtype=float)
    freq = np.asarray(purchase_frequency, dtype=float)
    mg = np.asarray(margin, dtype=float)
    churn = np.asarray(churn_rate, dtype=float)
    d = np.asarray(discount_rate, dtype=float)
    if np.any((churn <= 0) | (churn > 1)):
        raise ParameterError("argument 'churn_rate': must be in (0, 1]")
    if np.any(d < 0):
        raise ParameterError("argument 'discount_rate': must be non-negative")
    m = apv * freq * mg
    r = 1 - churn
    if timing is None:
        out = np.where(d == 0, m / churn, m * r / (1 + d - r))
    else:
        check_choice("timing", timing, ["start", "end"])
        out = m * (1 + d if timing == "start" else r) / (1 + d - r)
    return float(out) if out.ndim == 0 else out


def ltv_to_cac(ltv: Any, cac: Any) -> Any:
    """LTV:CAC, the lifetime value per unit of acquisition cost.

    Examples
    --------
    >>> import customervalue as cv
    >>> cv.ltv_to_cac(900, 300)
    3.0
    >>> cv.ltv_to_cac([900, 600], 300).tolist()
    [3.0, 2.0]
    """
    cac_arr = np.asarray(cac, dtype=float)
    if np.any(cac_arr <= 0):
        raise ParameterError("argument 'cac': must be positive")
    out = np.asarray(ltv, dtype=float) / cac_arr
    return float(out) if out.ndim == 0 else out


def cac_payback(cac: Any, margin_per_period: Any) -> Any:
    """Periods to recover the acquisition cost: CAC / margin per period.

    Examples
    --------
    >>> import customervalue as cv
    >>> cv.cac_payback(300, margin_per_period=50)      # months, with a monthly margin
    6.0
    """
    m = np.asarray(margin_per_period, dtype=float)
    if np.any(m <= 0):
        raise ParameterError("argument 'margin_per_period': must be positive")
    out = np.asarray(cac, dtype=float) / m
    return float(out) if out.ndim == 0 else out
