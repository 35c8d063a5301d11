"""Lifetime-value models, scikit-learn style: ``fit`` returns self; learned attributes end in
``_`` (``params_``, ``log_likelihood_``, ``standard_errors_``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import _core
from .._boundary import Input, index_of, read_input, warn
from .._checks import COUNT, MISSING, check_args
from .._compat import ALPHA_TO_CI, alpha_of, renamed
from .._engines import distributable
from .._io import as_arrow, follows_output_option
from .._plot import axes
from .._stats import wald_intervals
from ..errors import InputError, NotFittedError, ParameterError
from . import _limits as limits


def _discount_rate(rate: Any) -> float:
    """A positive, finite discount rate as a float, or ParameterError naming the argument."""
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.floating)) or not 0 < rate < np.inf:
        raise ParameterError(f"argument 'discount_rate': must be a positive number, got {rate!r}")
    return float(rate)


class _Model:
    """Shared machinery: parameters, standard errors, intervals, summary, and scikit-learn's
    estimator protocol (``get_params``/``set_params``, so ``sklearn.base.clone`` works)."""

    _names: tuple[str, ...] = ()
    _title = ""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            n
            for n, p in sig.parameters.items()
            if n != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        ]

    def get_params(self, *, deep: bool = True) -> dict[str, Any]:
        """The constructor's arguments, as scikit-learn's estimators give them."""
        return {n: getattr(self, n) for n in self._param_names()}

    def set_params(self, **params: Any) -> _Model:
        """Sets constructor arguments by name; an unknown name is a ParameterError."""
        known = self._param_names()
        for name, value in params.items():
            if name not in known:
                raise ParameterError(
                    f"argument '{name}': {type(self).__name__} takes {', '.join(known) or 'no arguments'}"
                )
            setattr(self, name, value)
        return self

    params_: dict[str, float]
    standard_errors_: dict[str, float]
    log_likelihood_: float
    cov_: np.ndarray
    _cols: tuple[str, ...]  # the fitted columns, read again by the predictions

    def sample_params(self, n: int, *, seed: int = 0) -> np.ndarray:
        """``n`` parameter draws from the estimates' asymptotic normal distribution on the log
        scale (delta method: cov(log p) = J cov(p) J with J = diag(1/p)), seeded.

        ``n`` is a whole number >= 1 whose draws fit the 2 GiB memory budget: n x parameters x
        8 bytes, three times over while drawing (the normal deviates, their transform and the
        exponentiated draws); ``seed`` a whole number from 0 to 2**64 - 1."""
        self._check_fitted()
        n = limits.whole("n", n, low=1, what="parameter draws")
        seed = limits.seed(seed)
        p = np.array(list(self.params_.values()))
        limits.budget("n", n, 3 * 8 * len(p), f"draws of {len(p)} parameters", replicates=False)
        cov = np.asarray(self.cov_, dtype=float)
        if not np.all(np.isfinite(cov)):
            raise ParameterError("argument 'self': the covariance of the estimates is not available")
        j = np.diag(1 / p)
        rng = np.random.default_rng(seed)
        return np.exp(rng.multivariate_normal(np.log(p), j @ cov @ j, size=n))

    def _store(self, d: dict[str, Any], inp: Input | None = None) -> None:
        """The fitted parameters, their covariance and standard errors, and with ``inp`` the row
        accounting of the fit: ``n_rows_``, ``n_missing_``, ``n_invalid_``, ``dropped_``."""
        names = list(d["names"])
        cov = np.asarray(d["cov"], dtype=float)
        self.params_ = dict(zip(names, map(float, d["params"]), strict=True))
        self.cov_ = cov
        se = (
            np.sqrt(np.clip(np.diag(cov), 0, None))
            if np.all(np.isfinite(np.diag(cov)))
            else np.full(len(names), np.nan)
        )
        self.standard_errors_ = dict(zip(names, map(float, se), strict=True))
        self.log_likelihood_ = float(d["log_likelihood"])
        self.n_iter_ = int(d["iterations"])
        if inp is not None:
            env = inp.envelope(d)
            self.n_rows_ = env.n_rows
            self.n_missing_ = env.n_missing
            self.n_invalid_ = env.n_invalid
            self.dropped_ = env.dropped

    def _read(self, data: Any, columns: list[str | None], what: str) -> Input:
        """Reads ``data`` for ``what`` (a method name), remembering the caller's rows."""
        return read_input(data, columns, what=f"{type(self).__name__}.{what}()")

    def _fit_input(self, data: Any, columns: list[str | None], weights: str | None) -> Input:
        """The input of ``fit``: the columns and, when rows are patterns, the weights column.

        Weights are never read from a column by its name alone; a table that has a column
        named like a count while ``weights`` is None gets a CustomerValueWarning saying so.
        """
        inp = self._read(data, [*columns, weights], "fit")
        if weights is None:
            names = [str(c) for c in getattr(data, "columns", getattr(data, "column_names", []))]
            hint = [c for c in names if c.lower() in ("weights", "weight", "count", "counts", "n_customers")]
            if hint:
                warn(
                    f"{type(self).__name__}.fit(): the table has a column '{hint[0]}' but weights= was not "
                    f"given, so every row counts once; pass weights='{hint[0]}' if rows are patterns "
                    "with counts"
                )
        return inp

    def _predict_rows(self, data: Any, what: str, predict: Callable[[Any], Any]) -> pd.Series:
        """One prediction per row of ``data`` on the caller's rows (the index of a pandas input,
        else positions): reads the fitted columns, and ``predict`` (the core, on the Arrow
        table) returns a one-column table of the values."""
        self._check_fitted()
        inp = self._read(data, list(self._cols), what)
        values = predict(inp.arrow).column(0).to_numpy()
        return pd.Series(np.asarray(values), index=inp.index, name=what)

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit() first")

    @renamed(alpha=ALPHA_TO_CI)
    def conf_int(self, *, ci: float = 0.95) -> pd.DataFrame:
        """Wald intervals at level ``ci``: estimate +/- z_((1 + ci)/2) x standard error."""
        self._check_fitted()
        return wald_intervals(self.params_, self.standard_errors_, alpha_of(ci))

    def summary(self) -> str:
        """Parameters with standard errors and the log-likelihood."""
        self._check_fitted()
        rows = ", ".join(
            f"{k} = {v:.4g} (se {self.standard_errors_[k]:.3g})" for k, v in self.params_.items()
        )
        return f"{self._title}: {rows}; log-likelihood {self.log_likelihood_:.2f}"

    def _repr_html_(self) -> str:
        if not hasattr(self, "params_"):
            return f"<pre>{type(self).__name__}() (not fitted)</pre>"
        t = pd.DataFrame({"estimate": self.params_, "std_error": self.standard_errors_})
        head = f"<strong>{self._title}</strong>, log-likelihood {self.log_likelihood_:.2f}"
        return f"<div>{head}{t.to_html()}</div>"

    def __repr__(self) -> str:
        return self.summary() if hasattr(self, "params_") else f"{type(self).__name__}()"


class BetaGeo(_Model):
    """The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005).

    While active a customer buys at Poisson rate lambda ~ Gamma(r, alpha); after each repeat
    purchase they drop out with probability p ~ Beta(a, b). The likelihood of (x, t_x, T),
    with every constant:

        L = Gamma(r+x) alpha^r / Gamma(r) [B(a, b+x)/B(a, b) (alpha+T)^-(r+x)
            + [x>0] B(a+1, b+x-1)/B(a, b) (alpha+t_x)^-(r+x)]

    Fitted by maximum likelihood in log-parameter space with analytic gradients, on the unique
    (x, t_x, T) patterns. Time is in the unit of the data (``time_unit`` is recorded).

    ``penalizer`` (default 0, none) is an L2 penalty as lifetimes' ``penalizer_coef``: the fit
    minimises the mean negative log-likelihood per customer plus penalizer x sum of the
    squared parameters, with the time-scale parameters (alpha, and Pareto/NBD's beta) measured
    in units of max(T) (the longest customer age) as lifetimes fits them, so the penalised fit
    does not depend on the time unit. lifetimes' Pareto/NBD divides its sum by the mean weight
    instead of the total (so with one row per customer its coefficient acts n times more
    weakly): its ``penalizer_coef=c`` is this ``penalizer=c / n``; it shrinks the estimates
    towards 0 and helps on small or degenerate samples. ``log_likelihood_`` is the unpenalised
    log-likelihood at the estimates.

    Examples
    --------
    >>> import customervalue as cv
    >>> m = cv.BetaGeo().fit(cv.datasets.cdnow())
    >>> round(m.params_["r"], 3)
    0.243
    """

    _title = "BG/NBD"
    _model = "bgnbd"

    def __init__(self, *, time_unit: str | None = None, penalizer: float = 0.0) -> None:
        self.time_unit = time_unit
        self.penalizer = penalizer

    @staticmethod
    def _covariate_names(cols: Any, name: str) -> list[str]:
        if cols is None:
            return []
        if isinstance(cols, str):
            raise ParameterError(f"argument '{name}': give a list of column names, e.g. [{cols!r}]")
        return [str(c) for c in cols]

    def _base_params(self, what: str) -> list[float]:
        """The four model parameters, for a prediction that does not depend on a customer's
        covariates; a model fitted with covariates refuses it."""
        cov = getattr(self, "covariates_", None)
        if cov and (cov["purchase"] or cov["dropout"]):
            raise ParameterError(
                f"argument 'what': {what} depends on each customer's covariates in this model; "
                "use the per-customer predictions (probability_alive, conditional_expected_purchases) "
                "on rows that hold them"
            )
        return list(self.params_.values())[:4]

    def _data_unit(self, data: Any, what: str) -> str | None:
        """The time unit a summary records (``rfm_summary`` stores it in ``attrs``), checked
        against this model's: a different explicit unit is a ParameterError."""
        unit = getattr(data, "attrs", {}).get("time_unit") if isinstance(data, pd.DataFrame) else None
        mine = getattr(self, "time_unit_", None) if what != "fit" else self.time_unit
        if unit is not None and mine is not None and unit != mine:
            raise ParameterError(
                f"argument 'time_unit': the data's frequency, recency and T are in '{unit}' "
                f"(recorded by rfm_summary) but this {type(self).__name__} uses '{mine}'; "
                f"drop time_unit= to adopt the data's unit, or summarise with time_unit='{mine}'"
            )
        return unit

    @check_args(missing=MISSING)
    @distributable
    def fit(
        self,
        data: Any,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        *,
        weights: str | None = None,
        missing: str = "raise",
        purchase_covariates: Sequence[str] | None = None,
        dropout_covariates: Sequence[str] | None = None,
    ) -> BetaGeo:
        """Fits to a frame with one row per customer (or pattern, with ``weights``).

        The model adopts the time unit the data records (``rfm_summary`` stores it), or
        ``time_unit`` when given (weeks when neither says); ``time_unit_`` holds it.

        ``purchase_covariates`` and ``dropout_covariates`` name time-invariant customer
        columns (numbers; code categories as 0/1 columns) that move each customer's parameters,
        as CLVTools' static covariates: alpha_i = alpha exp(-g'z_i) for the purchase process
        (a positive coefficient, more purchases); a_i = a exp(h'w_i) and b_i = b exp(h'w_i)
        under BG/NBD and MBG/NBD, beta_i = beta exp(-h'w_i) under Pareto/NBD for the dropout
        process. The coefficients join ``params_`` as ``"purchase.<column>"`` and
        ``"dropout.<column>"`` with standard errors; the ``penalizer`` applies to them too.
        Predictions then read the same columns from the data they are given (Fader & Hardie,
        "Incorporating time-invariant covariates into the Pareto/NBD and BG/NBD models", 2007;
        Bachmann, Meierer & Naef, CLVTools). Rows are customers here: ``weights`` (patterns)
        cannot carry covariates.
        """
        unit = self._data_unit(data, "fit")
        purchase = self._covariate_names(purchase_covariates, "purchase_covariates")
        dropout = self._covariate_names(dropout_covariates, "dropout_covariates")
        if purchase or dropout:
            if weights is not None:
                raise ParameterError(
                    "argument 'weights': rows with covariates are customers, not patterns; "
                    "give one row per customer without weights"
                )
            inp = self._read(data, [frequency, recency, T, *purchase, *dropout], "fit")
            cols = (frequency, recency, T, purchase, dropout)
            d = _core.fit_btyd_covariates(inp.arrow, self._model, *cols, missing, float(self.penalizer))
            d["n_patterns"] = inp.arrow.num_rows
        else:
            inp = self._fit_input(data, [frequency, recency, T], weights)
            d = _core.fit_btyd(
                inp.arrow,
                self._model,
                frequency,
                recency,
                T,
                weights,
                missing,
                float(self.penalizer),
            )
        self.covariates_ = {"purchase": purchase, "dropout": dropout}
        self._store(d, inp)
        self.time_unit_ = self.time_unit or unit or "W"
        self.n_patterns_ = int(d["n_patterns"])
        frame = data if isinstance(data, pd.DataFrame) else as_arrow(data, [T]).to_pandas()
        self._max_t = float(np.nanmax(frame[T]))
        self._cols = (frequency, recency, T)
        return self

    def _predict(
        self,
        data: Any,
        what: str,
        t: float = 0.0,
        params: Any = None,
        times: Any = None,
        factors: Any = None,
        discount_rate: float = 0.0,
    ) -> pd.Series:
        self._check_fitted()
        self._data_unit(data, what)
        f, r, big_t = self._cols
        values = list(self.params_.values()) if params is None else [float(v) for v in params]
        cov = getattr(self, "covariates_", None)
        if cov and (cov["purchase"] or cov["dropout"]):
            inp = self._read(data, [f, r, big_t, *cov["purchase"], *cov["dropout"]], what)
            out = _core.btyd_predict_covariates(
                inp.arrow,
                self._model,
                values,
                cov["purchase"],
                cov["dropout"],
                what,
                t,
                f,
                r,
                big_t,
                times or [],
                factors or [],
                discount_rate,
            )
            return pd.Series(np.asarray(out.column(0).to_numpy()), index=inp.index, name=what)
        return self._predict_rows(
            data,
            what,
            lambda table: _core.btyd_predict(
                table,
                self._model,
                values,
                what,
                t,
                f,
                r,
                big_t,
                times or [],
                factors or [],
                discount_rate=discount_rate,
            ),
        )

    #: The most terms of a hypergeometric series the core sums (``hyp2f1`` in src/stats/special.rs).
    _series_terms = 100_000

    def _horizon_limit(self, params: Any, x: np.ndarray, age: np.ndarray) -> np.ndarray:
        """The longest horizon t the core values accurately for customers of frequency ``x``
        and age ``age`` (T; 0 for a customer just acquired), in the model's time units.

        BG/NBD and MBG/NBD sum the series 2F1(r+x, b+x; a+b+x-1; z) at z = t/(alpha+T+t) term by
        term, at most 100,000 of them. Its terms peak near k = (r+x) z/(1-z) and then shrink
        like z^k, so it has converged only while 100,000 (1-z) exceeds about 40 + 4 (r+x); and
        its terms reach ((alpha+T+t)/(alpha+T))^(r+x), which must stay below e^600 (1e260).
        So t <= (alpha+T) min(100,000/(40 + 4(r+x)) - 1, e^(600/(r+x)) - 1): within it the
        predictions agree with scipy's hyp2f1 to 1e-11; past it they drift (a negative
        expected count at t = 1e6 weeks on CDNOW) or overflow to NaN."""
        r, alpha = float(params[0]), float(params[1])
        k = r + np.asarray(x, dtype=float)
        with np.errstate(over="ignore", divide="ignore"):
            ratio = np.minimum(self._series_terms / (40.0 + 4.0 * k) - 1.0, np.expm1(600.0 / k))
        return (alpha + np.asarray(age, dtype=float)) * ratio

    def _check_horizon(
        self, t: Any, name: str, params: Any = None, data: Any = None, what: str = "predict"
    ) -> np.ndarray:
        """``t`` (a number or numbers) as floats: finite, >= 0 and, for BG/NBD and MBG/NBD,
        within :meth:`_horizon_limit` for the customers of ``data`` (for a customer just
        acquired without it); else ParameterError naming ``name``, the value and the limit."""
        ts = limits.finite(
            name, t, low=0.0, why="; a horizon is a finite number of time units from now, 0 or more"
        )
        if ts.size == 0 or self._model == "pareto":
            return ts
        cov = getattr(self, "covariates_", None)
        if cov and (cov["purchase"] or cov["dropout"]):
            return ts  # each customer's alpha moves with their covariates: the core checks
        p = list(self.params_.values()) if params is None else [float(v) for v in params]
        unit = {"D": "days", "W": "weeks", "M": "months", "Y": "years"}.get(
            getattr(self, "time_unit_", None) or "W", "time units"
        )
        top = float(ts.max())
        if data is None:
            limit = float(self._horizon_limit(p, np.zeros(1), np.zeros(1))[0])
            if top > limit:
                raise ParameterError(
                    f"argument '{name}': a horizon of {top:g} {unit} is past the longest this "
                    f"{self._title} values accurately, {limit:,.0f} {unit} = alpha x (100,000 / "
                    f"(40 + 4 r) - 1) with alpha = {p[1]:.4g}, r = {p[0]:.4g}: beyond it the "
                    "hypergeometric series of E[X(t)] (FHL 2005, eq. 9) needs more terms than the "
                    "100,000 the core sums and its value drifts; ask for a shorter horizon"
                )
            return ts
        f, _, big_t = self._cols
        table = self._read(data, [f, big_t], what).arrow
        cols = pa.table(table)
        try:
            x, age = (
                np.asarray(cols.column(c).to_numpy(zero_copy_only=False), dtype=float) for c in (f, big_t)
            )
        except (TypeError, ValueError, IndexError, pa.ArrowException):
            return ts  # not numbers (text, dates, an empty dictionary): the core names the column
        ok = np.isfinite(x) & np.isfinite(age) & (x >= 0) & (age >= 0)
        if not ok.any():
            return ts  # the core names the missing or invalid values
        bounds = np.where(ok, self._horizon_limit(p, np.where(ok, x, 0.0), np.where(ok, age, 0.0)), np.inf)
        i = int(np.argmin(bounds))
        if top > bounds[i]:
            label = index_of(data)[i]
            raise ParameterError(
                f"argument '{name}': a horizon of {top:g} {unit} is past the longest this {self._title} "
                f"values accurately for the customer at row {label!r} (column '{f}' = {x[i]:g}, column "
                f"'{big_t}' = {age[i]:g}): {max(bounds[i], 0.0):,.4g} {unit} = (alpha + T) x "
                "min(100,000 / (40 + 4 (r + x)) - 1, e^(600 / (r + x)) - 1) with alpha = "
                f"{p[1]:.4g}, r = {p[0]:.4g}; beyond it the hypergeometric series of the conditional "
                "expected purchases (FHL 2005, eq. 10) needs more terms than the 100,000 the core "
                "sums, or overflows; ask for a shorter horizon, or value customers with that many "
                "repeat purchases apart"
            )
        return ts

    @follows_output_option
    @distributable
    def discounted_expected_purchases(
        self, times: Any, factors: Any, data: Any, *, params: Any = None
    ) -> pd.Series:
        """sum_k (E[Y(t_k)] - E[Y(t_(k-1))]) f_k per customer, with E[Y(t)] the conditional
        expected purchases in the next t (t_0 = 0): the purchase part of a discounted CLV, in one
        pass over the customers' distinct (x, t_x, T) patterns."""
        self._check_fitted()
        horizons = self._check_horizon(times, "times", params, data, "discounted_expected_purchases")
        times_l = [float(v) for v in np.atleast_1d(horizons)]
        factors_l = [float(v) for v in np.atleast_1d(limits.finite("factors", factors))]
        return self._predict(data, "discounted", 0.0, params, times_l, factors_l)

    def probability_of_purchases(self, t: float, n: Any) -> Any:
        """P(X(t) = n): the chance a newly acquired customer makes n purchases in (0, t].

        BG/NBD (Fader, Hardie & Lee 2005, eq. 8):
        P = B(a, b+n)/B(a, b) NB(n) + [n>0] B(a+1, b+n-1)/B(a, b) (1 - sum_(j<n) NB(j));
        MBG/NBD (Batislam, Denizel & Filiztekin 2007), where a customer may leave at once:
        P = B(a, b+n+1)/B(a, b) NB(n) + B(a+1, b+n)/B(a, b) (1 - sum_(j<n) NB(j)), with
        NB(j) = Gamma(r+j)/(Gamma(r) j!) (alpha/(alpha+t))^r (t/(alpha+t))^j. All n up to the
        largest asked are computed in one pass (linear in n). Pareto/NBD: the NB law of a
        customer alive for a time u, mixed over the Gamma-exponential lifetime,
        P = NB(n; t) (beta/(beta+t))^s + int_0^t NB(n; u) s beta^s/(beta+u)^(s+1) du, by
        Gauss-Legendre quadrature (1,536 nodes, about 1e-12; Fader & Hardie's note on P(X(t) = x)
        under the Pareto/NBD gives it in closed form), n up to 100,000.

        Examples
        --------
        >>> import customervalue as cv
        >>> m = cv.ModifiedBetaGeo().fit(cv.datasets.cdnow())
        >>> round(float(m.probability_of_purchases(39, range(200)).sum()), 6)
        1.0
        """
        self._check_fitted()
        ns = np.atleast_1d(limits.counts("n", n, what="numbers of purchases"))
        if ns.size == 0:
            return np.zeros(0)
        if ns.max() > 10_000_000:
            raise ParameterError(
                f"argument 'n': {int(ns.max()):,} purchases is past what the table is built for "
                "(10,000,000); the probabilities there are zero to machine precision"
            )
        table = np.asarray(
            _core.btyd_count_probabilities(
                self._model, self._base_params("probability_of_purchases"), float(t), int(ns.max())
            )
        )
        out = table[ns]
        return float(out[0]) if np.ndim(n) == 0 else out

    @follows_output_option
    @check_args(n=COUNT)
    @distributable
    def conditional_probability_of_purchases(self, t: float, n: int, data: Any) -> pd.Series:
        """P(X(T, T+t) = n | x, t_x, T): each customer's chance of exactly ``n`` purchases in
        the next ``t``, given their history (lifetimes'
        ``conditional_probability_of_n_purchases_up_to_time``).

        Alive at T with probability P(alive), a customer then buys as one just acquired with the
        posterior rates: lambda ~ Gamma(r+x, alpha+T) and, under BG/NBD, p ~ Beta(a, b+x)
        (MBG/NBD b+x+1: one more dropout chance survived), under Pareto/NBD
        mu ~ Gamma(s, beta+T) (exponential lifetimes forget their age). So
        P = P(alive) P_post(X(t) = n) + (1 - P(alive)) [n = 0], with P_post the law of
        :meth:`probability_of_purchases`; over n it sums to 1 and its mean is
        :meth:`conditional_expected_purchases`. Returns a Series on the data's index.

        Examples
        --------
        >>> import customervalue as cv
        >>> cdnow = cv.datasets.cdnow()
        >>> m = cv.BetaGeo().fit(cdnow)
        >>> p = sum(m.conditional_probability_of_purchases(39, n, cdnow.head(3)) for n in range(300))
        >>> p.round(8).tolist()
        [1.0, 1.0, 1.0]
        """
        self._check_fitted()
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ParameterError(f"argument 'n': must be a whole number >= 0, got {n!r}")
        params = self._base_params("conditional_probability_of_purchases")
        f, r, big_t = self._cols
        self._data_unit(data, "predict")
        model, window, count = self._model, float(t), int(n)
        return self._predict_rows(
            data,
            "conditional_probability_of_purchases",
            lambda table: _core.btyd_conditional_count(table, model, params, window, count, f, r, big_t),
        )

    def plot_probability_alive_matrix(
        self,
        ax: Any = None,
        *,
        max_frequency: int | None = None,
        T: float | None = None,
        max_recency: float | None = None,
    ) -> Any:
        """P(alive) over a grid of frequency (rows) and recency (columns) for customers observed
        for ``T`` (default: the largest T fitted on): :meth:`probability_alive_matrix` drawn."""
        m = self.probability_alive_matrix(max_frequency=max_frequency, T=T, max_recency=max_recency)
        return self._plot_matrix(
            m, ax, "P(alive)", f"{self._title}: probability alive at T = {m.attrs['T']:g}", vmax=1.0
        )

    def _plot_frame(self, data: Any, columns: list[str], what: str) -> pd.DataFrame:
        """The ``columns`` of ``data`` as a pandas frame on the caller's rows, for the plots
        that compute in Python: InputError naming a column that is absent, not numeric (a
        categorical frequency) or holds missing or infinite values."""
        inp = self._read(data, list(dict.fromkeys(columns)), what)
        df = pa.table(inp.arrow).to_pandas()
        df.index = inp.index
        for c in dict.fromkeys(columns):
            s = df[c]
            if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
                raise InputError(
                    f"column '{c}': {what}() needs numbers, got {s.dtype}; convert the column "
                    "(e.g. .astype(float)) first"
                )
            v = s.to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isfinite(v)
            if bad.any():
                raise InputError(
                    f"column '{c}': {int(bad.sum())} missing or infinite value(s), the first at row "
                    f"{df.index[int(np.argmax(bad))]!r}; drop those rows before {what}()"
                )
        return df

    def plot_calibration_holdout(self, data: Any, ax: Any = None, *, max_frequency: int = 7) -> Any:
        """Mean holdout purchases, actual and predicted, by calibration frequency: the check of
        Fader, Hardie & Lee (2005, fig. 4). ``data`` comes from ``rfm_summary(..., calibration_end=)``."""
        self._check_fitted()
        max_frequency = limits.whole("max_frequency", max_frequency, low=1)
        cols = data.column_names if hasattr(data, "column_names") else getattr(data, "columns", [])
        names = [str(c) for c in cols]
        for c in ("frequency_holdout", "duration_holdout"):
            if c not in names:
                raise ParameterError(
                    f"argument 'data': needs column '{c}'; use rfm_summary(..., calibration_end=...)"
                )
        df = self._plot_frame(
            data, [*self._cols, "frequency_holdout", "duration_holdout"], "plot_calibration_holdout"
        )
        pred = self.conditional_expected_purchases(float(df["duration_holdout"].iloc[0]), df)
        f = self._cols[0]
        g = pd.DataFrame(
            {"x": df[f].clip(upper=max_frequency), "predicted": pred, "actual": df["frequency_holdout"]}
        )
        means = g.groupby("x")[["actual", "predicted"]].mean()
        ax = axes(ax)
        ax.plot(means.index, means["actual"], "o-", label="actual")
        ax.plot(means.index, means["predicted"], "s--", label=self._title)
        ax.set(
            xlabel=f"repeat purchases in calibration ({max_frequency} = {max_frequency}+)",
            ylabel="mean purchases in holdout",
            title="Calibration vs holdout",
        )
        ax.legend()
        return ax

    @follows_output_option
    @distributable
    def probability_alive(self, data: Any) -> pd.Series:
        """P(alive | x, t_x, T) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))."""
        return self._predict(data, "alive")

    @follows_output_option
    @distributable
    def log_likelihood(self, data: Any) -> pd.Series:
        """Each customer's log-likelihood at the fitted parameters (every constant included)."""
        return self._predict(data, "loglik")

    @follows_output_option
    @distributable
    def conditional_expected_purchases(self, t: float, data: Any, *, params: Any = None) -> pd.Series:
        """E[purchases in the next t | x, t_x, T] (FHL 2005, eq. 10).

        ``t`` is a finite number of time units >= 0. BG/NBD and MBG/NBD value it up to
        (alpha + T) min(100,000 / (40 + 4 (r + x)) - 1, e^(600 / (r + x)) - 1) for a customer of
        frequency x and age T (about 100,000 weeks on CDNOW for a customer without repeat
        purchases; less for heavy buyers): past it the hypergeometric series the core sums has
        not converged or overflows, and a ParameterError names the customer and the limit."""
        self._check_fitted()
        ts = self._check_horizon(t, "t", params, data, "conditional_expected_purchases")
        if ts.size != 1:
            raise ParameterError(f"argument 't': one horizon (a number of time units), got {t!r}")
        horizon = float(ts.ravel()[0])
        return self._predict(data, "conditional", horizon, params)

    def expected_purchases(self, t: Any) -> Any:
        """E[X(t)]: purchases of a customer in their first t time units (FHL 2005, eq. 9).

        ``t`` (a number or numbers) is finite and >= 0; BG/NBD and MBG/NBD value it up to
        alpha (100,000 / (40 + 4 r) - 1) (12,000 weeks on CDNOW), past which the hypergeometric
        series the core sums has not converged (ParameterError naming the limit)."""
        self._check_fitted()
        arr = np.atleast_1d(self._check_horizon(t, "t"))
        out = np.asarray(_core.btyd_expected(self._model, self._base_params("expected_purchases"), list(arr)))
        return float(out[0]) if np.ndim(t) == 0 else out

    def plot_frequency(self, data: Any, ax: Any = None, *, max_frequency: int = 7) -> Any:
        """Actual against model-expected number of customers by repeat purchases in their
        window T (simulated from the fitted model with a fixed seed)."""
        self._check_fitted()
        max_frequency = limits.whole("max_frequency", max_frequency, low=1)
        f, _, big_t = self._cols
        df = self._plot_frame(data, [f, big_t], "plot_frequency")
        ax = axes(ax)
        actual = df[f].clip(upper=max_frequency).value_counts().sort_index()
        rng = np.random.default_rng(0)
        p = self.params_
        if self._model != "bgnbd":
            raise ParameterError("argument 'self': plot_frequency simulates the BG/NBD process only")
        lam = rng.gamma(p["r"], 1 / p["alpha"], len(df))
        drop = rng.beta(p["a"], p["b"], len(df))
        sims = []
        for lam_i, p_i, t_i in zip(lam, drop, df[big_t].to_numpy(), strict=True):
            x, clock = 0, rng.exponential(1 / lam_i)
            while clock < t_i:
                x += 1
                if rng.uniform() < p_i:
                    break
                clock += rng.exponential(1 / lam_i)
            sims.append(min(x, max_frequency))
        model = pd.Series(sims).value_counts().sort_index().reindex(actual.index, fill_value=0)
        idx = np.arange(len(actual))
        ax.bar(idx - 0.2, actual.to_numpy(), width=0.4, label="actual")
        ax.bar(idx + 0.2, model.to_numpy(), width=0.4, label="model")
        ax.set_xticks(idx, [f"{i:.0f}" if i < max_frequency else f"{i:.0f}+" for i in actual.index])
        ax.set(xlabel="repeat purchases", ylabel="customers", title="Actual vs BG/NBD")
        ax.legend()
        return ax

    # ---- frequency x recency matrices as data (issue 15); the plots draw these -----------------

    #: Most cells of a frequency x recency matrix.
    _max_matrix_cells = 5_000_000

    def _matrix(
        self,
        predict: Callable[[pd.DataFrame], pd.Series],
        max_frequency: int | None,
        max_recency: float | None,
        T: float | None,
    ) -> pd.DataFrame:
        """``predict`` on the grid x = 0..max_frequency by t_x = 0, 1, .., max_recency (whole
        time units) at age T, in one call; a customer without repeat purchases has t_x = 0, so
        the row x = 0 repeats the value at (0, 0, T)."""
        self._check_fitted()
        if max_frequency is None:
            max_frequency = 30
        if (
            isinstance(max_frequency, bool)
            or not isinstance(max_frequency, (int, np.integer))
            or max_frequency < 0
        ):
            raise ParameterError(
                f"argument 'max_frequency': must be a whole number >= 0, got {max_frequency!r}"
            )
        for name, value in (("T", T), ("max_recency", max_recency)):
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, (int, float, np.integer, np.floating))
                or not 0 <= value < np.inf
            ):
                raise ParameterError(f"argument '{name}': must be a finite number >= 0, got {value!r}")
        big_t = float(T if T is not None else max_recency if max_recency is not None else self._max_t)
        oldest = 1e6 * self._max_t
        if big_t > oldest:
            name = "T" if T is not None else "max_recency"
            raise ParameterError(
                f"argument '{name}': an age of {big_t:g} is past a million times the longest the model "
                f"was fitted on ({self._max_t:g}), where its predictions are extrapolation (and the "
                f"Pareto/NBD's overflow); ask for an age up to {oldest:g}"
            )
        top = big_t if max_recency is None else float(max_recency)
        if top > big_t:
            raise ParameterError(
                f"argument 'max_recency': {top:g} is past the age T = {big_t:g}; a last purchase cannot "
                "come after the end of observation"
            )
        n_freq, n_rec = int(max_frequency) + 1, int(np.floor(top + 1e-9)) + 1
        cells = n_freq * n_rec
        if cells > self._max_matrix_cells:
            # name the argument that makes the grid large: the recencies run to max_recency
            # (or, without it, to T)
            if n_rec >= n_freq:
                name = "max_recency" if max_recency is not None else "T" if T is not None else "max_frequency"
            else:
                name = "max_frequency"
            raise ParameterError(
                f"argument '{name}': a grid of {n_freq:,} frequencies (max_frequency = {max_frequency}) "
                f"by {n_rec:,} recencies (0 to {top:g}) is {cells:,} cells, past the "
                f"{self._max_matrix_cells:,} a matrix is built for; ask for a smaller {name}"
            )
        xs = np.arange(0, int(max_frequency) + 1)
        rs = np.arange(0, int(np.floor(top + 1e-9)) + 1, dtype=float)
        x_grid = np.concatenate([[0.0], np.repeat(xs[1:], len(rs)).astype(float)])
        r_grid = np.concatenate([[0.0], np.tile(rs, len(xs) - 1)])
        grid = pd.DataFrame(dict(zip(self._cols, (x_grid, r_grid, np.full(len(x_grid), big_t)), strict=True)))
        values = predict(grid).to_numpy()
        table = np.vstack([np.full(len(rs), values[0]), values[1:].reshape(len(xs) - 1, len(rs))])
        out = pd.DataFrame(table, index=pd.Index(xs, name="frequency"), columns=pd.Index(rs, name="recency"))
        out.attrs.update(T=big_t, time_unit=getattr(self, "time_unit_", None))
        return out

    def probability_alive_matrix(
        self, *, max_frequency: int | None = None, max_recency: float | None = None, T: float | None = None
    ) -> pd.DataFrame:
        """P(alive | x, t_x, T) over frequency x = 0..``max_frequency`` (the index) and recency
        t_x = 0, 1, .., ``max_recency`` (whole time units, the columns) for customers of age T:
        lifetimes' ``conditional_probability_alive_matrix`` (transposed) as a DataFrame. For
        BG/NBD (Fader, Hardie & Lee 2005, eq. 13)

            P(alive) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).

        ``max_frequency`` defaults to 30 (lifetimes: the largest frequency fitted on). T
        defaults to ``max_recency`` when that is given (as in lifetimes), else to the largest T
        fitted on, which is also the default ``max_recency`` (lifetimes rounds it down to a
        whole unit). A customer with x = 0 has t_x = 0: the row x = 0 holds P(alive | 0, 0, T)
        in every column (lifetimes evaluates the formula at t_x > 0 there, a history no customer
        has; the same number for BG/NBD, not for Pareto/NBD). ``attrs["T"]`` holds T.

        Examples
        --------
        >>> import customervalue as cv
        >>> bg = cv.BetaGeo().fit(cv.datasets.cdnow())
        >>> m = bg.probability_alive_matrix(max_frequency=3, max_recency=20, T=38)
        >>> m.loc[[0, 2], [0.0, 10.0, 20.0]].round(3)
        recency     0.0    10.0   20.0
        frequency
        0          1.000  1.000  1.000
        2          0.026  0.277  0.556
        """
        return self._matrix(self.probability_alive, max_frequency, max_recency, T)

    def conditional_expected_purchases_matrix(
        self,
        *,
        t: float = 1.0,
        max_frequency: int | None = None,
        max_recency: float | None = None,
        T: float | None = None,
    ) -> pd.DataFrame:
        """E[purchases in the next ``t`` | x, t_x, T] (FHL 2005, eq. 10 for BG/NBD) over
        frequency (the index) and recency (the columns), on the grid of
        :meth:`probability_alive_matrix`: the numbers of lifetimes' ``plot_frequency_recency_matrix``
        (whose ``T`` is this ``t``, and whose age is its ``max_recency``) as a DataFrame.

        Examples
        --------
        >>> import customervalue as cv
        >>> bg = cv.BetaGeo().fit(cv.datasets.cdnow())
        >>> m = bg.conditional_expected_purchases_matrix(t=10, max_frequency=3, max_recency=20, T=38)
        >>> m.loc[[0, 2], [0.0, 10.0, 20.0]].round(3)
        recency     0.0    10.0   20.0
        frequency
        0          0.055  0.055  0.055
        2          0.013  0.139  0.278
        """
        horizon = float(t)
        if not np.isfinite(horizon) or horizon < 0:
            raise ParameterError(f"argument 't': must be a finite number of time units >= 0, got {t!r}")
        return self._matrix(
            lambda grid: self.conditional_expected_purchases(horizon, grid), max_frequency, max_recency, T
        )

    def plot_conditional_expected_purchases_matrix(
        self,
        ax: Any = None,
        *,
        t: float = 1.0,
        max_frequency: int | None = None,
        max_recency: float | None = None,
        T: float | None = None,
    ) -> Any:
        """Expected purchases in the next ``t`` by frequency and recency: lifetimes'
        ``plot_frequency_recency_matrix``, drawn from :meth:`conditional_expected_purchases_matrix`."""
        m = self.conditional_expected_purchases_matrix(
            t=t, max_frequency=max_frequency, max_recency=max_recency, T=T
        )
        title = f"{self._title}: expected purchases in the next {float(t):g} at T = {m.attrs['T']:g}"
        return self._plot_matrix(m, ax, f"expected purchases in the next {float(t):g}", title)

    def _plot_matrix(
        self, m: pd.DataFrame, ax: Any, label: str, title: str, vmax: float | None = None
    ) -> Any:
        """A frequency x recency matrix as a heat map: frequency up, recency across."""
        ax = axes(ax, figsize=(6, 5))
        rs, xs = m.columns.to_numpy(dtype=float), m.index.to_numpy(dtype=float)
        im = ax.imshow(
            m.to_numpy(),
            origin="lower",
            aspect="auto",
            extent=(rs[0] - 0.5, rs[-1] + 0.5, xs[0] - 0.5, xs[-1] + 0.5),
            vmin=0,
            vmax=vmax,
            cmap="viridis",
        )
        ax.figure.colorbar(im, ax=ax, label=label)
        ax.set(xlabel="recency (time of last purchase)", ylabel="frequency (repeat purchases)", title=title)
        return ax


class ModifiedBetaGeo(BetaGeo):
    """The MBG/NBD model (Batislam, Denizel & Filiztekin 2007): as BG/NBD, but a customer may
    also drop out right after the first purchase, so customers with no repeat purchase need not
    be alive. The likelihood shifts x by one in the Beta terms:

        L = Gamma(r+x) alpha^r / Gamma(r) [B(a, b+x+1)/B(a, b) (alpha+T)^-(r+x)
            + B(a+1, b+x)/B(a, b) (alpha+t_x)^-(r+x)]

    Examples
    --------
    >>> import customervalue as cv
    >>> m = cv.ModifiedBetaGeo().fit(cv.datasets.cdnow())
    >>> {k: round(v, 3) for k, v in m.params_.items()}
    {'r': 0.525, 'alpha': 6.183, 'a': 0.891, 'b': 1.614}
    """

    _title = "MBG/NBD"
    _model = "mbgnbd"


class ParetoNBD(BetaGeo):
    """The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): purchases at rate
    lambda ~ Gamma(r, alpha) while alive, death at exponential rate mu ~ Gamma(s, beta). The
    likelihood (Fader, Hardie & Lee 2005 note) involves Gauss hypergeometric functions, evaluated
    here after Euler's transformation in log space, so P(alive) stays finite for heavy buyers.
    The gradient is analytic (the hypergeometric series carries its parameter derivatives);
    beta is poorly identified on CDNOW-like data, so compare the log-likelihood rather than s
    and beta.

    Examples
    --------
    >>> import customervalue as cv
    >>> m = cv.ParetoNBD().fit(cv.datasets.cdnow())
    >>> round(m.params_["r"], 2), round(m.log_likelihood_, 1)
    (0.55, -9595.0)
    """

    _title = "Pareto/NBD"
    _model = "pareto"

    @follows_output_option
    @distributable
    def discounted_expected_residual_transactions(self, data: Any, *, discount_rate: float) -> pd.Series:
        """Discounted expected residual transactions (DERT) per customer: the present value, at
        time T, of the purchases the customer will make from T on, in transactions (multiply by
        the margin per transaction for residual lifetime value).

        With continuous compounding at rate delta per time unit (Fader, Hardie & Lee 2005,
        "RFM and CLV: using iso-value curves for customer base analysis", JMR 42(4), eq. 2):

            DERT = integral_0^inf e^(-delta t) dE[X(T, T+t) | x, t_x, T]
                 = alpha^r beta^s delta^(s-1) Gamma(r+x+1) Psi(s, s; delta(beta+T))
                   / (Gamma(r) (alpha+T)^(r+x+1) L(r, alpha, s, beta | x, t_x, T))

        where Psi(s, s; z) = e^z Gamma(1-s, z) is the confluent hypergeometric function of the
        second kind. Equivalently P(alive) x (r+x)/(alpha+T) x E[1/(mu+delta) | alive]; the
        upper incomplete gamma Gamma(1-s, z), whose first argument is negative when s > 1, is
        evaluated by its continued fraction (by its series for z < 1e-3).

        Parameters
        ----------
        data : DataFrame or Arrow table
            One row per customer with the fitted frequency, recency and T columns.
        discount_rate : float
            delta, continuously compounded per time unit of the data (an annual rate of 15%
            with weekly data: ``np.log(1.15) / 52``). Must be positive.

        Returns
        -------
        numpy.ndarray
            DERT per customer, in discounted transactions.

        Examples
        --------
        >>> import numpy as np, customervalue as cv
        >>> cdnow = cv.datasets.cdnow()
        >>> m = cv.ParetoNBD().fit(cdnow)
        >>> d = m.discounted_expected_residual_transactions(cdnow.head(3), discount_rate=np.log(1.15) / 52)
        >>> d.round(3).tolist()
        [6.5, 0.764, 0.478]
        """
        return self._predict(data, "dert", discount_rate=_discount_rate(discount_rate))

    def plot_frequency(self, data: Any, ax: Any = None, *, max_frequency: int = 7) -> Any:
        raise ParameterError("argument 'self': plot_frequency simulates BG/NBD; not available for Pareto/NBD")


class BetaGeoBetaBinom(_Model):
    """The BG/BB model of discrete-time repeat transactions (Fader, Hardie & Shang 2010).

    At each of n opportunities an active customer transacts with probability p ~ Beta(alpha,
    beta) and may then drop out with probability theta ~ Beta(gamma, delta). Fitting takes
    ``frequency`` (transactions), ``recency`` (opportunity of the last one) and ``n_periods``,
    one row per customer or per pattern with ``weights``.

    ``penalizer`` (default 0, none) is an L2 penalty as lifetimes' ``penalizer_coef``: the fit
    minimises the mean negative log-likelihood per customer plus penalizer x sum of the
    squared parameters, as lifetimes'; it shrinks the estimates towards 0 and helps on small
    or degenerate samples. ``log_likelihood_`` is the unpenalised log-likelihood at the
    estimates.

    Examples
    --------
    The donations data of Fader, Hardie & Shang (2010), one row per pattern:

    >>> import customervalue as cv
    >>> m = cv.BetaGeoBetaBinom().fit(cv.datasets.donations(), weights="weights")
    >>> {k: round(v, 3) for k, v in m.params_.items()}
    {'alpha': 1.204, 'beta': 0.75, 'gamma': 0.657, 'delta': 2.783}
    """

    _title = "BG/BB"

    def __init__(self, *, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    @check_args(missing=MISSING)
    @distributable
    def fit(
        self,
        data: Any,
        frequency: str = "frequency",
        recency: str = "recency",
        n_periods: str = "n_periods",
        *,
        weights: str | None = None,
        missing: str = "raise",
    ) -> BetaGeoBetaBinom:
        """Fits to per-customer or per-pattern data."""
        inp = self._fit_input(data, [frequency, recency, n_periods], weights)
        d = _core.fit_bgbb(inp.arrow, frequency, recency, n_periods, weights, missing, float(self.penalizer))
        self._store(d, inp)
        self._cols = (frequency, recency, n_periods)
        return self

    def _predict(self, data: Any, what: str, t: float = 0.0, discount_rate: float = 0.0) -> pd.Series:
        self._check_fitted()
        f, r, n = self._cols
        params = list(self.params_.values())
        return self._predict_rows(
            data, what, lambda table: _core.bgbb_predict(table, params, what, t, discount_rate, f, r, n)
        )

    @follows_output_option
    @distributable
    def probability_alive(self, data: Any, *, t: int = 1) -> pd.Series:
        """P(alive at opportunity n + t | x, t_x, n): by default (t = 1) at the next
        opportunity; t = 0 is P(alive now) (Fader, Hardie & Shang 2010, eq. A10; lifetimes'
        ``conditional_probability_alive(m_periods_in_future, ...)``):
        B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n+t)/B(gamma, delta) / L(x, t_x, n).
        """
        return self._predict(data, "alive") if t == 1 else self._predict(data, "alive_at", float(t))

    @check_args(t=COUNT)
    def probability_of_purchases(self, t: int, x: Any) -> Any:
        """P(X(t) = x): the chance a newly acquired customer transacts x times in their first
        t opportunities (Fader, Hardie & Shang 2010, eq. 7):

            P = C(t, x) B(alpha+x, beta+t-x)/B(alpha, beta) B(gamma, delta+t)/B(gamma, delta)
                + sum_(i=x..t-1) C(i, x) B(alpha+x, beta+i-x)/B(alpha, beta)
                  B(gamma+1, delta+i)/B(gamma, delta)

        (alive throughout, or dead after opportunity i). Multiplied by the number of customers
        it is lifetimes' ``expected_number_of_transactions_in_first_n_periods``. O(t^2), t up to
        5,000.

        Examples
        --------
        >>> import customervalue as cv
        >>> m = cv.BetaGeoBetaBinom().fit(cv.datasets.donations(), weights="weights")
        >>> p = m.probability_of_purchases(6, range(7))
        >>> round(float(p.sum()), 12), round(float(p[0]), 4)
        (1.0, 0.3111)
        """
        self._check_fitted()
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
            raise ParameterError(f"argument 't': must be a whole number of opportunities >= 0, got {t!r}")
        xs = np.atleast_1d(limits.counts("x", x, what="numbers of transactions"))
        if xs.size == 0:
            return np.zeros(0)
        table = np.asarray(_core.bgbb_count_probabilities(list(self.params_.values()), int(t)))
        out = np.where(xs <= t, table[np.minimum(xs, t)], 0.0)
        return float(out[0]) if np.ndim(x) == 0 else out

    def expected_purchases(self, t: Any) -> Any:
        """E[X(t)]: expected transactions of a new customer in their first t opportunities.

        Fader, Hardie & Shang (2010, eq. 8):

            E[X(t)] = alpha/(alpha+beta) sum_(k=1..t) B(gamma, delta+k)/B(gamma, delta)
                    = alpha/(alpha+beta) delta/(gamma-1)
                      [1 - Gamma(gamma+delta) Gamma(1+delta+t) / (Gamma(gamma+delta+t) Gamma(1+delta))]

        Parameters
        ----------
        t : int or array of int
            Opportunities (whole periods), non-negative.

        Returns
        -------
        float or numpy.ndarray
            Expected transactions, a float for a scalar ``t``.

        Examples
        --------
        >>> import customervalue as cv
        >>> m = cv.BetaGeoBetaBinom().fit(cv.datasets.donations(), weights="weights")
        >>> m.expected_purchases([1, 6, 11]).round(3).tolist()
        [0.499, 2.22, 3.389]
        """
        self._check_fitted()
        arr = np.atleast_1d(np.asarray(t, dtype=float))
        out = np.asarray(_core.bgbb_expected(list(self.params_.values()), [float(v) for v in arr]))
        return float(out[0]) if np.ndim(t) == 0 else out

    @follows_output_option
    @distributable
    def conditional_expected_purchases(self, t: int, data: Any) -> pd.Series:
        """E[X(n, n+t) | x, t_x, n]: expected transactions in the next t opportunities.

        Fader, Hardie & Shang (2010, eq. 13); given alive at n, p ~ Beta(alpha+x, beta+n-x) and
        theta ~ Beta(gamma, delta+n), so

            E = P(alive at n | x, t_x, n) (alpha+x)/(alpha+beta+n)
                sum_(k=1..t) B(gamma, delta+n+k)/B(gamma, delta+n).

        Parameters
        ----------
        t : int
            Future opportunities (whole periods), non-negative.
        data : DataFrame or Arrow table
            One row per customer (or pattern) with the fitted frequency, recency and n_periods
            columns.

        Returns
        -------
        numpy.ndarray
            Expected transactions per row.

        Examples
        --------
        >>> import customervalue as cv
        >>> donations = cv.datasets.donations()
        >>> m = cv.BetaGeoBetaBinom().fit(donations, weights="weights")
        >>> m.conditional_expected_purchases(5, donations.head(3)).round(3).tolist()
        [0.073, 0.086, 0.314]
        """
        return self._predict(data, "conditional", t=float(t))

    @follows_output_option
    @distributable
    def discounted_expected_residual_transactions(self, data: Any, *, discount_rate: float) -> pd.Series:
        """Discounted expected residual transactions (DERT) per customer, valued at period n.

        At discount rate d per period (Fader, Hardie & Shang 2010, eq. 14):

            DERT = sum_(k>=1) E[X(n+k-1, n+k) | x, t_x, n] / (1+d)^k
                 = B(alpha+x+1, beta+n-x)/B(alpha, beta) B(gamma, delta+n+1)
                   / (B(gamma, delta) (1+d)) 2F1(1, delta+n+1; gamma+delta+n+1; 1/(1+d)) / L

        Near z = 1 (small rates) the core evaluates 2F1 by Euler's integral, accurate to about
        1e-12 for any rate from 1e-8 per period (below it, a ParameterError: 1 - 1/(1+d) keeps
        too few digits). When the fit's gamma is below 0.001 the core sums the series instead,
        about 35/d terms of at most 100,000, and the smallest rate is 0.001.

        Parameters
        ----------
        data : DataFrame or Arrow table
            One row per customer (or pattern) with the fitted frequency, recency and n_periods
            columns.
        discount_rate : float
            d per period (one opportunity), positive; 0.1 is 10% per period.

        Returns
        -------
        numpy.ndarray
            DERT per row, in discounted transactions.

        Examples
        --------
        >>> import customervalue as cv
        >>> donations = cv.datasets.donations()
        >>> m = cv.BetaGeoBetaBinom().fit(donations, weights="weights")
        >>> d = m.discounted_expected_residual_transactions(donations.head(3), discount_rate=0.1)
        >>> d.round(3).tolist()
        [0.115, 0.135, 0.495]
        """
        rate = _discount_rate(discount_rate)
        self._check_fitted()
        limits.series_rate("discount_rate", rate, "DERT", self.params_["gamma"])
        return self._predict(data, "dert", discount_rate=rate)


def _floats(table: pa.Table, name: str) -> np.ndarray:
    """A numeric column of an Arrow table as float64 (dictionary-encoded and decimal ones too)."""
    col = table.column(name)
    if pa.types.is_dictionary(col.type):
        col = col.cast(col.type.value_type)
    return np.asarray(col.cast(pa.float64(), safe=False).to_numpy(), dtype=float)


class GammaGamma(_Model):
    """The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005; Colombo &
    Jiang 1999). Each transaction's value ~ Gamma(p, nu), nu ~ Gamma(q, v). Fitted on customers
    with at least one repeat purchase; the likelihood of the mean m of x values is

        ln L = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v+xm).

    ``penalizer`` (default 0, none) is an L2 penalty as lifetimes' ``penalizer_coef``: the fit
    minimises the mean negative log-likelihood per customer plus penalizer x sum of the
    squared parameters, as lifetimes' (the mean is over the repeat buyers); it shrinks the
    estimates towards 0 and helps on small or degenerate samples. ``log_likelihood_`` is the
    unpenalised log-likelihood at the estimates.

    Examples
    --------
    >>> import customervalue as cv
    >>> cdnow = cv.datasets.cdnow()
    >>> gg = cv.GammaGamma().fit(cdnow)
    >>> {k: round(v, 2) for k, v in gg.params_.items()}, gg.n_used_   # customers with repeats
    ({'p': 6.25, 'q': 3.74, 'v': 15.45}, 946)
    >>> gg.conditional_expected_spend(cdnow.head(3)).round(2).tolist()   # x = 0: p v / (q - 1)
    [24.66, 18.91, 35.17]
    """

    _title = "Gamma-Gamma"

    def __init__(self, *, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    @check_args(missing=MISSING)
    @distributable
    def fit(
        self,
        data: Any,
        frequency: str = "frequency",
        monetary_value: str = "monetary_value",
        *,
        weights: str | None = None,
        missing: str = "raise",
    ) -> GammaGamma:
        """Fits to a frame with frequency (repeat purchases) and mean repeat spend."""
        inp = self._fit_input(data, [frequency, monetary_value], weights)
        pen = float(self.penalizer)
        d = _core.fit_gamma_gamma(inp.arrow, frequency, monetary_value, weights, missing, pen)
        self._store(d, inp)
        self.n_used_ = int(d["n_used"])
        self._cols = (frequency, monetary_value)
        if self.params_["q"] <= 1:
            warn(f"q = {self.params_['q']:.3f} <= 1: the mean spend is infinite under this fit")
        return self

    @follows_output_option
    @distributable
    def conditional_expected_spend(self, data: Any, *, params: Any = None) -> pd.Series:
        """E[spend per transaction | x, m] = p (v + x m) / (p x + q - 1), the weighted mean
        w p v / (q - 1) + (1 - w) m of the population mean and the customer's own mean spend,
        w = (q - 1) / (p x + q - 1): finite for any finite x and m when q > 1 (where p x or x m
        overflow, the weighted form is used: at the largest floats x it is the customer's own mean).
        Infinite when q <= 1 (the population mean spend is infinite; ``fit`` warns). A
        negative frequency or mean spend is an InputError naming the column and the row."""
        self._check_fitted()
        f, m = self._cols
        values = list(self.params_.values()) if params is None else [float(v) for v in params]

        def predict(table: Any) -> Any:
            out = _core.gamma_gamma_predict(table, values, f, m)  # refuses missing and infinite values
            t = pa.table(table)
            x, mean = _floats(t, f), _floats(t, m)
            for name, col in ((f, x), (m, mean)):
                if (col < 0).any():
                    i = int(np.argmax(col < 0))
                    raise InputError(
                        f"column '{name}': must be non-negative (a count of repeat purchases, a mean "
                        f"spend); row {i} holds {col[i]:g}"
                    )
            return out  # the core keeps the weighted form where p x or x m overflow

        return self._predict_rows(data, "conditional_expected_spend", predict)

    # the name used by lifetimes
    conditional_expected_average_profit = conditional_expected_spend


class ShiftedBetaGeometric(_Model):
    """The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007).

    Each customer churns at the end of a period with probability theta ~ Beta(alpha, beta).
    Survival S(t) = B(alpha, beta + t) / B(alpha, beta); retention in period t
    r_t = (beta + t - 1) / (alpha + beta + t - 1), rising with t as the cohort sorts itself.

    Examples
    --------
    The "regular" customers of Fader & Hardie (2007), years 0 to 7:

    >>> import customervalue as cv
    >>> m = cv.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> {k: round(v, 3) for k, v in m.params_.items()}
    {'alpha': 0.704, 'beta': 1.182}
    >>> m.survival([8, 12]).round(3).tolist()       # actual: 0.223 and 0.173
    [0.22, 0.17]
    """

    _title = "sBG"

    def fit(self, survivors: Any) -> ShiftedBetaGeometric:
        """Fits to active customers per period, starting with the cohort size."""
        values = [float(v) for v in np.asarray(survivors, dtype=float).ravel()]
        self._store(_core.fit_sbg(values))
        self.survivors_ = values
        return self

    #: The most periods the sBG predictions take: S(t) = B(alpha, beta + t) / B(alpha, beta)
    #: is a difference of log-gamma values of size t ln t, which keeps 9 digits up to a
    #: million periods (at 1e300 it returns 0.79 for a survival near 0).
    _max_periods = 1_000_000

    def _periods(self, t: Any, name: str, low: float, why: str) -> np.ndarray:
        """``t`` (a number or numbers of periods) as a 1-D float array within [low, 1e6]."""
        arr = limits.finite(
            name,
            t,
            low=low,
            high=self._max_periods,
            why=f"; {why} (at most {self._max_periods:,} periods: the log-gamma differences of "
            "the sBG lose precision beyond)",
        )
        return np.atleast_1d(arr).ravel()

    def _sbg(self, what: str, values: np.ndarray, discount_rate: float = 0.0) -> np.ndarray:
        return np.asarray(
            _core.sbg_predict(list(self.params_.values()), what, list(values), discount_rate=discount_rate)
        )

    def survival(self, t: Any) -> np.ndarray:
        """S(t), the share of the cohort still active after t periods (S(0) = 1): an array,
        one value per period asked. ``t`` runs from 0 to 1,000,000 (a negative, NaN or
        infinite period is a ParameterError)."""
        self._check_fitted()
        periods = self._periods(t, "t", 0.0, "t counts periods since the cohort started, from 0")
        return self._sbg("survival", periods)

    def retention(self, t: Any) -> np.ndarray:
        """r_t = (beta + t - 1) / (alpha + beta + t - 1): the share of the customers active
        after period t - 1 who renew in period t, so t runs from 1 (to 1,000,000); r_0 would
        be no share at all (below 0 or above 1 for some fits) and is a ParameterError."""
        self._check_fitted()
        periods = self._periods(t, "t", 1.0, "retention r_t is the renewal rate in period t, from t = 1")
        return self._sbg("retention", periods)

    def discounted_expected_residual_lifetime(self, discount_rate: float, *, renewals: Any = 0) -> np.ndarray:
        """DERL of a customer who has renewed ``renewals`` times (whole numbers >= 0), at
        ``discount_rate`` d per period (Fader & Hardie 2010):
        (beta+n)/(alpha+beta+n) 2F1(1, beta+n+1; alpha+beta+n+1; 1/(1+d)), in periods.

        Near z = 1 (small d) the core evaluates 2F1 by Euler's integral, accurate to about
        1e-12 for any d from 1e-8 (below it, a ParameterError); when alpha is below 0.001 it
        sums the series, about 35/d terms, and d must be at least 0.001. d = 0 (no
        discounting) is the expected number of renewals still to come, sum_(t>=1) S(n+t)/S(n)
        = (beta+n)/(alpha-1): finite only when alpha > 1. With alpha <= 1 the Beta(alpha,
        beta) churn probabilities put so many customers near zero churn that the undiscounted
        sum diverges, and d = 0 is a ParameterError.

        Examples
        --------
        >>> import customervalue as cv
        >>> m = cv.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> m.discounted_expected_residual_lifetime(0.1, renewals=[0, 5]).round(3).tolist()
        [2.964, 6.264]
        """
        self._check_fitted()
        d = limits.number(
            "discount_rate", discount_rate, low=0.0, why="; a rate per period such as 0.1 (10%)"
        )
        n = np.atleast_1d(limits.counts("renewals", renewals, what="renewals so far")).ravel()
        if n.size and n.max() > self._max_periods:
            raise ParameterError(
                f"argument 'renewals': at most {self._max_periods:,} renewals, got {int(n.max()):,}"
            )
        alpha, beta = self.params_["alpha"], self.params_["beta"]
        if d == 0:
            if alpha <= 1:
                raise ParameterError(
                    "argument 'discount_rate': at 0 the expected residual lifetime of this fit is "
                    f"infinite (alpha = {alpha:.4g} <= 1: the Beta(alpha, beta) churn probabilities put "
                    "so many customers near zero churn that the undiscounted sum diverges); use a "
                    f"positive rate of at least {limits.MIN_SERIES_RATE:g} per period"
                )
            return (beta + n) / (alpha - 1)
        limits.series_rate("discount_rate", d, "DERL", alpha)
        return self._sbg("derl", n.astype(float), discount_rate=d)

    def plot(self, ax: Any = None, *, periods: int | None = None) -> Any:
        """Actual and fitted survival, projected beyond the data over ``periods`` periods (a
        whole number from 1 to 1,000,000; twice the observed periods by default)."""
        self._check_fitted()
        if periods is not None:
            periods = limits.whole("periods", periods, low=1, high=self._max_periods, what="periods to draw")
        ax = axes(ax)
        s = np.asarray(self.survivors_)
        t_max = periods or 2 * len(s)
        t = np.arange(t_max)
        ax.plot(np.arange(len(s)), s / s[0], "o", label="actual")
        ax.plot(t, self.survival(t), "-", label="sBG")
        ax.set(xlabel="period", ylabel="share surviving", title="sBG retention", ylim=(0, 1.02))
        ax.legend()
        return ax
