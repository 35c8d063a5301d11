"""Key-driver analysis: which of several correlated drivers (ratings, spend, theme flags) an
outcome owes its explained variance to, as R's relaimpo and rwa compute it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import _core
from .._boundary import read_input
from .._checks import COUNT, MISSING, SEED, check_args
from .._io import check_choice, to_pandas
from .._plot import axes
from .._progress import progress_bar
from .._result import Result
from ..errors import ParameterError


@dataclass(frozen=True, repr=False)
class KeyDrivers(Result):
    """A key-driver analysis.

    ``table`` columns: driver, weight (its part of ``r_squared``; the weights add up to it),
    share (weight / r_squared, relaimpo's ``rela = TRUE``), ci_low and ci_high (bootstrap
    percentile interval of the weight; NaN without ``n_boot``), rank (1 = largest weight),
    correlation (driver with outcome: its sign is the direction, which weights do not carry).
    ``r_squared`` is the R squared of the least-squares regression on every driver, or for a
    0/1 outcome the squared correlation of the outcome with the fitted logistic probabilities.

    Examples
    --------
    Two ratings that move together share the credit for the outcome they explain:

    >>> import numpy as np, pandas as pd, customervalue as cv
    >>> rng = np.random.default_rng(0)
    >>> speed = rng.normal(size=500)
    >>> d = pd.DataFrame({"speed": speed, "support": speed + rng.normal(size=500),
    ...                   "price": rng.normal(size=500)})
    >>> d["value"] = d["speed"] + 0.5 * d["price"] + rng.normal(size=500)
    >>> r = cv.key_drivers(d, features=["speed", "support", "price"], outcome="value")
    >>> r.table.sort_values("rank")["driver"].tolist()
    ['speed', 'support', 'price']
    """

    method: str = "relative_weights"
    outcome: str = ""
    outcome_type: str = "continuous"
    r_squared: float = float("nan")
    n_boot: int = 0
    seed: int = 0
    sampled: bool = False

    def summary(self) -> str:
        t = self.table.sort_values("rank")
        head = (
            f"Key drivers of {self.outcome} ({self.method}, {self.outcome_type} outcome); "
            f"R squared {self.r_squared:.3f}"
        )
        if self.n_boot:
            head += f"; {self.n_boot} bootstrap replicates (seed {self.seed})"
        lines = [head]
        for r in t.itertuples():
            sign = "+" if r.correlation >= 0 else "-"
            share = f"{r.share:.1%} of R squared"
            lines.append(f"{int(r.rank)}. {r.driver}: weight {r.weight:.4f} ({share}, {sign})")
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """The weights as horizontal bars, largest on top, coloured by direction (blue raises
        the outcome, red lowers it), with their intervals when bootstrapped."""
        ax = axes(ax)
        t = self.table.sort_values("weight")
        colours = ["C3" if c < 0 else "C0" for c in t["correlation"]]
        err = None
        if t["ci_low"].notna().any():
            err = [(t["weight"] - t["ci_low"]).clip(lower=0), (t["ci_high"] - t["weight"]).clip(lower=0)]
        ax.barh(t["driver"].astype(str), t["weight"], color=colours, xerr=err, ecolor="0.4")
        ax.set(
            xlabel=f"weight (part of R squared = {self.r_squared:.3f})",
            title=f"Key drivers of {self.outcome} ({self.method})",
        )
        return ax


@check_args(n_boot=COUNT, seed=SEED, n_permutations=COUNT, missing=MISSING)
def key_drivers(
    data: Any,
    features: Sequence[str],
    outcome: str,
    *,
    method: str = "relative_weights",
    outcome_type: str = "auto",
    n_boot: int = 0,
    ci: float = 0.95,
    seed: int = 0,
    n_permutations: int = 2000,
    missing: str = "raise",
    progress: bool | None = None,
) -> KeyDrivers:
    """Key-driver analysis: each driver's part of the variance of ``outcome`` that the drivers
    (the ``features`` columns) explain together, when they are correlated (as ratings of one
    experience are).

    - ``method="relative_weights"`` (Johnson 2000): with R = V diag(l) V' the correlation matrix
      of the drivers and r their correlations with the outcome, Lambda = V diag(sqrt l) V',
      beta = Lambda^-1 r and weight_j = sum_k Lambda_jk^2 beta_k^2; the weights sum to the R
      squared of the least-squares regression on every driver (R's rwa).
    - ``method="shapley"``: the LMG decomposition (Lindeman, Merenda & Gold 1980; relaimpo's
      ``type = "lmg"``): driver j receives the average over orderings of the drivers of the R
      squared it adds when it joins the ones before it; exact over all 2^p subsets up to 15
      drivers, averaged over ``n_permutations`` seeded orderings beyond.
    - A 0/1 outcome (``outcome_type="binary"``, or ``"auto"`` when every value is 0 or 1) gets
      the logistic relative weights of Tonidandel & LeBreton (2010): the orthogonal drivers
      Z = X Lambda^-1 are regressed on the outcome by logistic regression (coefficients b,
      linear predictor eta, fitted probabilities p), beta_k = b_k R_O / sd(eta) with R_O the
      correlation of the outcome and p, and weight_j = sum_k Lambda_jk^2 beta_k^2, summing to
      R_O^2. Shapley shares need an R squared that adds over subsets and are refused there.

    :func:`customervalue.theme_impact` is this analysis on 0/1 theme flags (with theme
    statistics besides). Intervals: ``n_boot`` bootstrap replicates resampling rows, percentile
    intervals at level ``ci``, seeded by ``seed``; with ``n_boot=0`` (the default) no interval is
    computed and the table's ``ci_low`` and ``ci_high`` are NaN (as in ``theme_impact``). Cost
    O(n p^2) plus O(p^3) per decomposition (O(2^p p^2) for exact Shapley) per replicate.

    References: Johnson (2000), Multivariate Behavioral Research 35(1):1-19; Tonidandel &
    LeBreton (2010), Organizational Research Methods 13(4):767-781; Gromping (2006), Journal of
    Statistical Software 17(1).

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(2000, seed=0)
    >>> sat = [c for c in df.columns if c.startswith("satisfaction_")]
    >>> r = cv.key_drivers(df, features=sat, outcome="value_rating")
    >>> bool(abs(r.table["weight"].sum() - r.r_squared) < 1e-12)
    True
    """
    check_choice("method", method, ["relative_weights", "shapley"])
    check_choice("outcome_type", outcome_type, ["auto", "continuous", "binary"])
    if isinstance(features, str):
        raise ParameterError("argument 'features': give a list of column names")
    drivers = list(features)
    if not drivers:
        raise ParameterError("argument 'features': give at least one driver column")
    if outcome in drivers:
        raise ParameterError(f"argument 'features': the outcome '{outcome}' cannot also be a driver")
    if int(n_boot) < 0:
        raise ParameterError(f"argument 'n_boot': must be 0 or more, got {n_boot}")
    if not 0 < ci < 1:
        raise ParameterError(f"argument 'ci': must be in (0, 1), got {ci}")
    inp = read_input(data, [*drivers, outcome], what="key_drivers")
    with progress_bar(progress, int(n_boot), "bootstrap", cost=float(n_boot) * 1e6) as cb:
        d = _core.key_drivers(
            inp.arrow,
            drivers,
            outcome,
            method=method,
            outcome_type=outcome_type,
            n_boot=int(n_boot),
            seed=int(seed),
            ci=float(ci),
            n_permutations=int(n_permutations),
            missing=missing,
            progress=cb,
        )
    return KeyDrivers(
        table=to_pandas(d["table"]),
        method=method,
        outcome=outcome,
        outcome_type=str(d["outcome_type"]),
        r_squared=float(d["r_squared"]),
        n_boot=int(n_boot),
        seed=int(seed),
        sampled=bool(d["sampled"]),
        **inp.envelope(d).as_fields(),
    )
