"""Classical tests with scipy's and statsmodels' signatures, computed in the Rust core.

``chi2_contingency`` (Pearson, the G-test and the rest of the Cressie-Read family, with Yates'
correction), ``fisher_exact`` and ``mannwhitneyu`` (one- and two-sided, the exact distribution
of U for small samples) agree with the scipy.stats functions of the same names, and
``multipletests`` with statsmodels' (Benjamini-Hochberg, Benjamini-Yekutieli, Bonferroni, Holm);
the test suite checks each against them on the same data. Each returns a small result whose
fields are named as in this package (``statistic``, ``p``) and which also unpacks as scipy's
``(statistic, pvalue)`` pair, so code written for scipy keeps working.

These are the building blocks of the theme grid (:func:`customervalue.theme_associations`) offered
on their own, for the tables and samples an analyst already has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _core
from ._checks import Options, check_args
from .errors import InputError, ParameterError

__all__ = ["TestResult", "chi2_contingency", "fisher_exact", "mannwhitneyu", "multipletests"]


@dataclass(frozen=True)
class TestResult:
    """A test's statistic and p-value (``p``; ``pvalue`` is scipy's name for it), plus what the
    test adds: ``dof`` and ``expected`` (contingency tables), ``method`` (how ``p`` was found).

    Unpacks as ``statistic, p`` like scipy's results.
    """

    __test__ = False  # not a pytest class

    statistic: float
    p: float
    method: str
    dof: int | None = None
    expected: np.ndarray | None = field(default=None, repr=False)

    @property
    def pvalue(self) -> float:
        """``p`` under scipy's name."""
        return self.p

    def __iter__(self) -> Iterator[float]:
        return iter((self.statistic, self.p))


def _number(v: Any) -> float:
    return float("nan") if v is None else float(v)


def _table(observed: Any, name: str) -> np.ndarray:
    try:
        t = np.asarray(observed, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"column '{name}': cannot be read as counts ({exc})") from None
    if t.ndim == 1 and name == "observed":
        t = t.reshape(1, -1)  # one row: scipy's 1-d table, no degrees of freedom
    if t.ndim != 2:
        raise ParameterError(
            f"argument '{name}': expected a 2-d table of counts, got {t.ndim} dimensions; for a many-way "
            "table, test two of its factors at a time or fit a log-linear model"
        )
    if t.size == 0:
        raise InputError(f"column '{name}': the table is empty")
    return np.ascontiguousarray(t)


def chi2_contingency(
    observed: Any, correction: bool = True, lambda_: str | float | None = None
) -> TestResult:
    """Test of independence of the rows and columns of a contingency table of counts.

    Expected counts E_ij = R_i C_j / n (row and column totals over the total). The statistic is
    the Cressie-Read power divergence 2 / (l (l + 1)) sum O ((O / E)^l - 1), referred to a
    chi-square with (r - 1)(c - 1) degrees of freedom. ``lambda_`` picks l by scipy's names:
    None or ``"pearson"`` (l = 1, sum (O - E)^2 / E), ``"log-likelihood"`` (l = 0, the G-test
    2 sum O ln(O / E)), ``"freeman-tukey"`` (-1/2), ``"mod-log-likelihood"`` (-1), ``"neyman"``
    (-2), ``"cressie-read"`` (2/3), or a number. With ``correction`` (the default, as scipy) and
    one degree of freedom, Yates' continuity correction first moves each O half a unit towards
    E (never past it). As ``scipy.stats.chi2_contingency``; note that the theme grid of
    :func:`customervalue.theme_associations` uses Pearson's statistic without the correction.

    References: Cressie & Read (1984), J. R. Stat. Soc. B 46(3):440-464; Yates (1934), Suppl.
    J. R. Stat. Soc. 1(2):217-235.

    >>> r = chi2_contingency([[10, 20], [30, 15]], correction=False)
    >>> round(r.statistic, 4), r.dof, r.expected.tolist()
    (8.0357, 1, [[16.0, 14.0], [24.0, 21.0]])
    >>> round(chi2_contingency([[10, 20], [30, 15]], lambda_="log-likelihood").statistic, 4)
    6.8371
    """
    t = _table(observed, "observed")
    lam = "pearson" if lambda_ is None else str(lambda_)
    d = _core.contingency_test(t.ravel(), t.shape[0], t.shape[1], bool(correction), lam)
    return TestResult(
        _number(d["statistic"]),
        _number(d["p"]),
        "pearson" if lambda_ is None else str(lambda_),
        dof=int(d["dof"]),
        expected=np.asarray(d["expected"], dtype=float).reshape(t.shape),
    )


@check_args(alternative=Options("two-sided", "less", "greater"))
def fisher_exact(table: Any, alternative: str = "two-sided") -> TestResult:
    """Fisher's exact test on a 2 x 2 table ``[[a, b], [c, d]]`` of counts.

    Given the margins, a follows the hypergeometric law. ``"less"`` is P(X <= a), ``"greater"``
    P(X >= a), ``"two-sided"`` the sum over the tables no more probable than the observed one
    (within a relative 1e-7, as scipy). The statistic is the sample odds ratio a d / (b c).
    As ``scipy.stats.fisher_exact``. Reference: Fisher (1935), J. R. Stat. Soc. 98(1):39-82.

    >>> r = fisher_exact([[8, 2], [1, 5]])
    >>> r.statistic, round(r.p, 6)
    (20.0, 0.034965)
    >>> round(fisher_exact([[8, 2], [1, 5]], alternative="greater").p, 6)
    0.024476
    """
    t = _table(table, "table")
    if t.shape != (2, 2):
        raise ParameterError(f"argument 'table': Fisher's exact test takes a 2 x 2 table, got {t.shape}")
    bad = [
        (i, j)
        for i in range(2)
        for j in range(2)
        if not (0 <= t[i, j] < 2**63 and float(t[i, j]).is_integer())
    ]
    if bad:
        i, j = bad[0]
        raise InputError(f"column 'table': cell ({i}, {j}) is {t[i, j]}; give non-negative whole counts")
    a, b, c, d = (int(v) for v in t.ravel())
    r = _core.fisher_test(a, b, c, d, alternative)
    return TestResult(_number(r["statistic"]), _number(r["p"]), alternative)


def _sample(v: Any, name: str) -> np.ndarray:
    try:
        s = np.asarray(v, dtype=np.float64).ravel()
    except (TypeError, ValueError) as exc:
        raise InputError(f"column '{name}': cannot be read as numbers ({exc})") from None
    return np.ascontiguousarray(s)


@check_args(
    alternative=Options("two-sided", "less", "greater"), method=Options("auto", "exact", "asymptotic")
)
def mannwhitneyu(
    x: Any,
    y: Any,
    use_continuity: bool = True,
    alternative: str = "two-sided",
    *,
    method: str = "auto",
) -> TestResult:
    """The Mann-Whitney U test of two independent samples.

    U1 = R1 - n1 (n1 + 1) / 2, R1 the sum of x's average ranks in the pooled sample (the
    statistic returned). ``"greater"`` asks whether x tends to exceed y (tests U1), ``"less"``
    the reverse, ``"two-sided"`` either (max(U1, U2), p doubled). ``method="exact"`` takes p from
    the exact null distribution of U (Mann & Whitney 1947; refused above n1 x n2 = 62,500, whose
    cost grows as (n1 n2)^2), ``"asymptotic"`` from the normal approximation with the tie
    correction of the variance and, with ``use_continuity``, a half-unit continuity correction;
    ``"auto"`` (the default) is exact when either sample has at most 8 values and there are no
    ties. As ``scipy.stats.mannwhitneyu``. Reference: Mann & Whitney (1947), Ann. Math. Stat.
    18(1):50-60.

    >>> r = mannwhitneyu([1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0])   # exact: 2 / C(7, 3)
    >>> r.statistic, round(r.p, 6), r.method
    (0.0, 0.057143, 'exact')
    """
    a, b = _sample(x, "x"), _sample(y, "y")
    r = _core.mann_whitney(a, b, alternative, method, bool(use_continuity))
    return TestResult(_number(r["statistic"]), _number(r["p"]), "exact" if r["exact"] else "asymptotic")


_METHODS = {"fdr_bh": "fdr_bh", "fdr_by": "fdr_by", "bonferroni": "bonferroni", "holm": "holm"}


def multipletests(pvals: Any, alpha: float = 0.05, method: str = "fdr_bh") -> tuple[np.ndarray, np.ndarray]:
    """Adjusted p-values for a family of tests, and which hypotheses are rejected at ``alpha``.

    With the m p-values sorted ascending: ``"fdr_bh"`` (Benjamini & Hochberg 1995)
    q_(i) = min over j >= i of m p_(j) / j; ``"fdr_by"`` (Benjamini & Yekutieli 2001) the same
    times sum_{k=1..m} 1/k; ``"bonferroni"`` m p; ``"holm"`` (Holm 1979) the running maximum of
    (m - i + 1) p_(i); each capped at 1. A hypothesis is rejected when q <= alpha. NaN p-values
    are left out of the family (m counts the others) and are never rejected. Returns
    ``(reject, q)`` as the first two items of ``statsmodels.stats.multitest.multipletests``,
    whose default method is ``"hs"``: name the method. The theme grid uses the same adjustment.

    >>> reject, q = multipletests([0.01, 0.04, 0.03, 0.5], method="holm")
    >>> reject.tolist(), q.round(2).tolist()
    ([True, False, False, False], [0.04, 0.09, 0.09, 0.5])
    """
    if not 0 < alpha < 1:
        raise ParameterError(f"argument 'alpha': must be in (0, 1), got {alpha}")
    if method not in _METHODS:
        raise ParameterError(f"argument 'method': must be one of {', '.join(_METHODS)}, got {method!r}")
    p = _sample(pvals, "pvals")
    if p.size and (np.nanmin(p, initial=0.0) < 0 or np.nanmax(p, initial=0.0) > 1):
        i = int(np.flatnonzero((p < 0) | (p > 1))[0])
        raise InputError(f"column 'pvals': value {p[i]} at position {i} is not a probability in [0, 1]")
    q = np.asarray(_core.adjust_pvalues(p, _METHODS[method]), dtype=float)
    return np.where(np.isnan(q), False, q <= alpha), q
