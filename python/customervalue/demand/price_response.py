"""Fitted price-response models: linear, constant elasticity, logit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._boundary import read_input
from .._checks import MISSING, Options, check_args
from .._compat import ALPHA_TO_CI, alpha_of, renamed
from .._io import check_choice
from .._plot import axes, money
from .._result import Result
from .._stats import wald_intervals
from ..economics import _limits as limits
from ..errors import ParameterError

_MODELS = ["linear", "constant_elasticity", "logit"]


@dataclass(frozen=True, repr=False)
class PriceResponseModel(Result):
    """A price-response model q(p), fitted or given.

    ``table`` lists the parameters (name, estimate, std_error); ``params_`` and
    ``standard_errors_`` are dicts. Models: ``linear`` q = a - b p; ``constant_elasticity``
    q = A p^(-e); ``logit`` q = s / (1 + exp(a + b p)) with saturation s.

    A model made by :meth:`from_params` was not estimated: its ``std_error`` column and
    ``standard_errors_`` are NaN (no standard error) and ``log_likelihood_`` is NaN (no data),
    so ``conf_int()`` gives NaN bounds. A fitted model has all three finite.

    Prices are positive and finite: ``predict``, ``elasticity`` and ``profit`` refuse a price
    that is 0 or less, NaN or infinite (ParameterError naming ``p``), and a price at which the
    model overflows (a linear q = a - b p past 1e308); costs are finite numbers.

    Examples
    --------
    A known linear response q = 100 - 2 p: its revenue-optimal price is a / 2b = 25.

    >>> import customervalue as cv
    >>> m = cv.PriceResponseModel.from_params("linear", a=100, b=2)
    >>> m.predict(20), m.optimal_price()
    (60.0, 25.0)
    >>> round(m.elasticity(20), 3)     # -b p / q
    -0.667
    """

    model: str = "linear"
    params_: dict[str, float] = field(default_factory=dict)
    standard_errors_: dict[str, float] = field(default_factory=dict)
    cov_: Any = None
    saturation: float | None = None
    n_: int = 0
    log_likelihood_: float = float("nan")

    @classmethod
    def from_params(
        cls, model: str, *, saturation: float | None = None, **params: float
    ) -> PriceResponseModel:
        """A model with known parameters, e.g. ``from_params("logit", a=-8, b=0.5)``: finite
        numbers (ParameterError naming the parameter otherwise); ``saturation`` a positive
        number or None. The model has no standard errors or log-likelihood: those are NaN."""
        check_choice("model", model, _MODELS)
        names = ["A", "e"] if model == "constant_elasticity" else ["a", "b"]
        missing = [n for n in names if n not in params]
        if missing:
            raise ParameterError(
                f"argument '{missing[0]}': the {model} model needs parameters {', '.join(names)}"
            )
        unknown = [n for n in params if n not in names]
        if unknown:
            raise ParameterError(
                f"argument '{unknown[0]}': the {model} model takes parameters {', '.join(names)}"
            )
        p = {n: limits.number(n, params[n], why=f"; a parameter of the {model} model") for n in names}
        if saturation is not None:
            saturation = limits.number(
                "saturation", saturation, low=0.0, low_open=True, why="; the quantity at very low prices"
            )
        table = pd.DataFrame({"name": names, "estimate": [p[n] for n in names], "std_error": np.nan})
        return cls(
            table=table,
            model=model,
            params_=p,
            standard_errors_=dict.fromkeys(names, np.nan),
            saturation=saturation,
        )

    def _pair(self) -> tuple[float, float]:
        vals = list(self.params_.values())
        return float(vals[0]), float(vals[1])

    def _eval(self, p: Any, which: int) -> Any:
        """q(p) (``which`` 0) or the elasticity (1) at positive, finite prices ``p``."""
        arr = limits.finite("p", p, low=0.0, low_open=True, why="; a price is a positive, finite number")
        flat = np.atleast_1d(arr).ravel()
        out = np.asarray(
            _core.price_response_eval(self.model, self._pair(), list(flat), saturation=self.saturation)[
                which
            ],
            dtype=float,
        )
        bad = ~np.isfinite(out)
        if bad.any():
            i = int(np.argmax(bad))
            what = "q(p)" if which == 0 else "the elasticity"
            raise ParameterError(
                f"argument 'p': {what} of the {self.model} model overflows at the price {flat[i]:g} "
                f"(parameters {self.params_}); ask at prices where the model holds"
            )
        return float(out[0]) if np.ndim(p) == 0 else out.reshape(np.shape(arr))

    def predict(self, p: Any) -> Any:
        """q(p) at price(s) ``p`` (positive and finite)."""
        return self._eval(p, 0)

    def elasticity(self, p: Any) -> Any:
        """The analytic price elasticity (dq/dp)(p/q) at ``p`` (negative when demand falls):
        linear -b p/(a - b p); constant elasticity -e; logit -b p (1 - q/s). ``p`` is positive
        and finite."""
        return self._eval(p, 1)

    def optimal_price(self, *, cost: float = 0.0) -> float:
        """The price maximising (p - c) q(p), in closed form: linear (a/b + c)/2; constant
        elasticity c e/(e - 1) (needs e > 1); logit c + (1 + W(exp(-(a + b c) - 1)))/b with W
        the Lambert W function. The fixed cost and market size do not move it."""
        cost = limits.number("cost", cost, why="; the unit cost")
        return float(_core.price_response_optimal(self.model, self._pair(), cost, saturation=self.saturation))

    def profit(self, p: Any, *, cost: float = 0.0, fixed_cost: float = 0.0, market_size: float = 1.0) -> Any:
        """(p - c) x market_size x q(p) - fixed_cost, at positive, finite prices ``p``; the
        costs are finite numbers and ``market_size`` a finite number >= 0 (ParameterError naming
        the argument otherwise)."""
        cost = limits.number("cost", cost, why="; the unit cost")
        fixed_cost = limits.number("fixed_cost", fixed_cost, why="; the fixed cost")
        market_size = limits.number("market_size", market_size, low=0.0, why="; the number of customers")
        q = self.predict(p)
        out = (np.asarray(p, dtype=float) - cost) * market_size * q - fixed_cost
        if not np.all(np.isfinite(out)):
            raise ParameterError(
                "argument 'market_size': the profit at these prices overflows (market_size = "
                f"{market_size:g}, cost = {cost:g}); use smaller units"
            )
        return out

    @renamed(alpha=ALPHA_TO_CI)
    def conf_int(self, *, ci: float = 0.95) -> pd.DataFrame:
        """Wald intervals at level ``ci``: estimate +/- z_((1 + ci)/2) x standard error."""
        return wald_intervals(self.params_, self.standard_errors_, alpha_of(ci))

    def summary(self) -> str:
        ps = ", ".join(
            f"{k} = {v:.6g}"
            + (f" (se {self.standard_errors_[k]:.3g})" if np.isfinite(self.standard_errors_[k]) else "")
            for k, v in self.params_.items()
        )
        sat = f", saturation {self.saturation:g}" if self.saturation else ""
        n = f"; n = {self.n_}, log-likelihood {self.log_likelihood_:.4f}" if self.n_ else ""
        return f"{self.model} price response{sat}: {ps}{n}"

    def plot(self, ax: Any = None, *, prices: Any = None, cost: float = 0.0) -> Any:
        """q(p) over a price range, the profit-optimal price marked."""
        ax = axes(ax)
        if prices is None:
            try:
                opt = self.optimal_price(cost=cost)
            except ParameterError:
                opt = 1.0
            prices = np.linspace(max(opt * 0.05, 1e-6), opt * 2.5, 200)
        ax.plot(prices, self.predict(prices), label=f"{self.model} q(p)")
        try:
            opt = self.optimal_price(cost=cost)
            ax.axvline(opt, ls="--", color="C1", label=f"optimal price {opt:.2f}")
        except ParameterError:
            pass
        ax.set(xlabel="price", ylabel="quantity / share", title="Price response")
        money(ax)
        ax.legend(fontsize=8)
        return ax


@renamed(df="data")
@check_args(model=Options(*_MODELS), missing=MISSING)
def fit_price_response(
    data: Any,
    price: str = "price",
    quantity: str = "quantity",
    *,
    model: str = "linear",
    weights: str | None = None,
    saturation: float | str | None = None,
    missing: str = "raise",
) -> PriceResponseModel:
    """Fits a price-response model to (price, quantity) observations.

    * ``linear``: q = a - b p by (weighted) least squares; classical standard errors.
    * ``constant_elasticity``: log q = log A - e log p by least squares; the standard error of A
      by the delta method. Quantities must be positive.
    * ``logit``: q = s / (1 + exp(a + b p)) with saturation s (the quantity reached at very low
      prices: the market size).

      - With s known (``saturation=s``; 1 for shares and 0/1 answers, taken when every
        quantity lies in [0, 1] and ``saturation`` is not given): maximum binomial
        (quasi-)likelihood on q / s with Newton-Raphson (``weights`` are the respondents behind
        each share); standard errors from the inverse Fisher information; perfect separation
        raises ConvergenceError.
      - With s unknown (unit sales: any quantity above 1 and ``saturation`` not given, or
        ``saturation="estimate"``): Phillips' three-parameter logit, a, b and s by weighted
        nonlinear least squares (Levenberg-Marquardt); ``params_`` gains ``saturation`` with its
        standard error, from sigma^2 (J'WJ)^-1 as scipy's ``curve_fit``. Needs three prices.

    Returns a :class:`PriceResponseModel` with ``params_``, ``standard_errors_``,
    ``conf_int()``, ``predict(p)``, ``elasticity(p)`` and ``optimal_price(cost=)``.

    References
    ----------
    Phillips (2005), *Pricing and Revenue Optimization*, Stanford University Press, ch. 3.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"price": [10, 12, 14, 16, 18], "quantity": [100, 92, 79, 72, 61]})
    >>> m = cv.fit_price_response(d, model="linear")
    >>> {k: round(v, 2) for k, v in m.params_.items()}     # q = 149.4 - 4.9 p
    {'a': 149.4, 'b': 4.9}
    >>> round(m.optimal_price(cost=4), 2)                   # (a / b + c) / 2
    17.24
    """
    estimate = isinstance(saturation, str)
    if estimate and saturation != "estimate":
        raise ParameterError(f"argument 'saturation': a positive number or 'estimate', got {saturation!r}")
    inp = read_input(data, [price, quantity, weights], what="fit_price_response")
    d = _core.fit_price_response(
        inp.arrow,
        price,
        quantity,
        model=model,
        weights=weights,
        saturation=None if estimate else saturation,
        estimate_saturation=estimate,
        missing=missing,
    )
    names, params, cov = d["names"], d["params"], np.asarray(d["cov"], dtype=float)
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    table = pd.DataFrame({"name": names, "estimate": params, "std_error": se})
    return PriceResponseModel(
        table=table,
        model=model,
        params_=dict(zip(names, map(float, params), strict=True)),
        standard_errors_=dict(zip(names, map(float, se), strict=True)),
        cov_=cov,
        saturation=d["saturation"],
        n_=int(d["n"]),
        log_likelihood_=float(d["log_likelihood"]),
        **inp.envelope(d).as_fields(),
    )
