"""Demand from choices: choice-based conjoint designs, the multinomial logit and its
latent-class mixture, willingness to pay per level and a market simulator.

The fits run in the Rust core (``src/demand/choice``); this module reads the caller's table,
labels the core's tables and simulates markets from the part-worths.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._boundary import read_input
from .._checks import MISSING, SEED, check_args
from .._io import check_choice, follows_output_option, frame, to_pandas
from .._plot import axes
from .._result import Result
from ..errors import CustomerValueWarning, InputError, ParameterError
from .curve import DemandCurveResult


@dataclass(frozen=True, repr=False)
class ConjointDesign(Result):
    """A choice design: ``table`` (version, task, alternative and one column per attribute
    holding the level shown; with ``none_option``, a last "none" alternative per task with the
    attributes empty and ``none`` True), ``balance`` (times each level is shown), the
    ``d_efficiency`` against an orthogonal balanced design of the same size (1 = as efficient),
    ``det_xtx`` (det X'X of the effects-coded alternatives), and ``d_error``, the choice-design
    criterion: det(I / T)^(-1/p), I the information matrix of a multinomial logit at beta = 0
    over the T tasks (lower is better; infinite when some code never varies within a task, so
    the choices cannot identify it). D-efficiency of X'X treats alternatives as independent
    rows and barely separates a good choice design from a random one; the D-error counts only
    the contrasts within tasks, which is what choices measure.

    Examples
    --------
    >>> import customervalue as cv
    >>> d = cv.conjoint_design({"brand": ["A", "B", "C"], "price": [10, 20, 30]}, n_tasks=6, seed=1)
    >>> round(d.d_efficiency, 2) > 0.9
    True
    """

    balance: pd.DataFrame = field(default_factory=pd.DataFrame)
    d_efficiency: float = float("nan")
    det_xtx: float = float("nan")
    d_error: float = float("nan")
    attributes: dict[str, list[Any]] = field(default_factory=dict)

    def summary(self) -> str:
        n = int(self.table["version"].nunique()) if len(self.table) else 0
        return (
            f"Choice design: {n} versions, {int(self.table['task'].max())} tasks each, "
            f"D-efficiency {self.d_efficiency:.3f} against an orthogonal balanced design"
        )


@check_args(seed=SEED)
def conjoint_design(
    attributes: Mapping[str, Sequence[Any]],
    *,
    n_tasks: int = 12,
    n_alternatives: int = 3,
    n_versions: int = 10,
    none_option: bool = False,
    seed: int = 0,
) -> ConjointDesign:
    """A balanced-overlap random choice design.

    Per version and attribute, levels are dealt from shuffled decks, so each level is shown
    equally often (counts differ by at most one per version); a task repeats a level only when it
    has more alternatives than the attribute has levels, and no task shows two identical
    alternatives. The D-efficiency is (det X'X / det N C)^(1/p), X the effects-coded
    alternatives (N rows, p columns) and C the covariance of the codes when levels are equally
    likely and attributes independent: 1 for an orthogonal, balanced design (Kuhfeld, Tobias &
    Garratt 1994, "Efficient experimental design with marketing research applications", JMR
    31(4)).

    Parameters
    ----------
    attributes : mapping of attribute name to its levels (at least two each; a price attribute
        takes its price points as levels)
    n_tasks, n_alternatives, n_versions : tasks per version, alternatives per task, versions
    none_option : add a "none of these" alternative to every task
    seed : the random seed

    Returns
    -------
    ConjointDesign

    Examples
    --------
    >>> import customervalue as cv
    >>> d = cv.conjoint_design({"brand": ["A", "B", "C"], "price": [10, 20, 30]}, n_tasks=6, seed=1)
    >>> d.table.columns.tolist()
    ['version', 'task', 'alternative', 'brand', 'price']
    """
    if not isinstance(attributes, Mapping) or not attributes:
        raise ParameterError("argument 'attributes': give a mapping of attribute name to its levels")
    names = list(attributes)
    levels = [list(attributes[a]) for a in names]
    for a, lv in zip(names, levels, strict=True):
        if len(lv) < 2:
            raise ParameterError(
                f"argument 'attributes': '{a}' has {len(lv)} level(s); each needs at least 2"
            )
        if len(set(map(str, lv))) != len(lv):
            raise ParameterError(f"argument 'attributes': '{a}' repeats a level")
    d = _core.conjoint_design(
        [len(lv) for lv in levels], int(n_tasks), int(n_alternatives), int(n_versions), int(seed)
    )
    raw = to_pandas(d["design"])
    table = raw[["version", "task", "alternative"]].copy()
    for j, (a, lv) in enumerate(zip(names, levels, strict=True)):
        table[a] = np.asarray(lv, dtype=object)[raw[f"a{j}"].to_numpy()]
        if all(isinstance(v, (int, float, np.number)) for v in lv):
            table[a] = table[a].astype(float)
    if none_option:
        table["none"] = False
        extra = table.groupby(["version", "task"], as_index=False).size()[["version", "task"]]
        extra["alternative"] = n_alternatives + 1
        extra["none"] = True
        table = pd.concat([table, extra], ignore_index=True).sort_values(["version", "task", "alternative"])
        table = table.reset_index(drop=True)
    bal = to_pandas(d["balance"])
    bal["level"] = [levels[a][lv] for a, lv in zip(bal["attribute"], bal["level"], strict=True)]
    bal["attribute"] = [names[a] for a in bal["attribute"]]
    return ConjointDesign(
        table=table,
        balance=bal,
        d_efficiency=float(d["d_efficiency"]),
        det_xtx=float(d["det_xtx"]),
        d_error=_d_error(raw, [len(lv) for lv in levels], n_alternatives),
        attributes={a: lv for a, lv in zip(names, levels, strict=True)},
        n_rows=len(table),
    )


@dataclass(frozen=True, repr=False)
class ChoiceModel(Result):
    """A fitted multinomial logit (or latent-class MNL).

    ``table`` (= ``part_worths``): class, attribute, level, part_worth, se. ``coefficients``:
    class, name (coded column), coef, se. ``importance``: class, attribute, importance (range of
    its part-worths over the sum of ranges). ``wtp``: class, attribute, level, wtp, se, ci_low,
    ci_high (willingness to pay -part_worth / price coefficient, delta-method intervals).
    ``classes``: class, share. ``posterior`` (latent classes): each respondent's class
    probabilities, with the respondent ids as they came in. ``log_likelihood``,
    ``null_log_likelihood``, ``rho2`` (McFadden's 1 - lnL / lnL0), ``bic``, ``bic_table`` (when
    several class counts were compared), ``iterations`` (Newton iterations of the MNL, or EM
    iterations of the best start of a latent-class fit).

    Examples
    --------
    >>> import customervalue as cv
    >>> s = cv.datasets.conjoint_survey(300, seed=1)
    >>> m = cv.fit_choice(s, attributes=["brand", "storage", "battery"], price="price")
    >>> m.wtp.columns.tolist()[:4]
    ['class', 'attribute', 'level', 'wtp']
    """

    coefficients: pd.DataFrame = field(default_factory=pd.DataFrame)
    importance: pd.DataFrame = field(default_factory=pd.DataFrame)
    wtp: pd.DataFrame = field(default_factory=pd.DataFrame)
    classes: pd.DataFrame = field(default_factory=pd.DataFrame)
    posterior: pd.DataFrame | None = None
    bic_table: pd.DataFrame | None = None
    log_likelihood: float = float("nan")
    null_log_likelihood: float = float("nan")
    bic: float = float("nan")
    n_tasks: int = 0
    n_respondents: int = 0
    iterations: int = 0
    attributes: list[str] = field(default_factory=list)
    price: str | None = None
    coding: str = "effects"
    levels: dict[str, list[str]] = field(default_factory=dict)
    covariance: Any = None

    @property
    def part_worths(self) -> pd.DataFrame:
        """Part-worth of every level, per class (the main table)."""
        return self.table

    @property
    def rho2(self) -> float:
        """McFadden's pseudo R^2, 1 - ln L / ln L0 (L0: every alternative equally likely)."""
        return 1.0 - self.log_likelihood / self.null_log_likelihood

    def summary(self) -> str:
        k = len(self.classes)
        head = "Multinomial logit" if k == 1 else f"Latent-class multinomial logit, {k} classes"
        return (
            f"{head}: {self.n_respondents:,} respondents, {self.n_tasks:,} tasks; ln L = "
            f"{self.log_likelihood:,.2f} (rho^2 = {self.rho2:.3f}), BIC {self.bic:,.1f}"
        )

    def utilities(self, data: pd.DataFrame) -> np.ndarray:
        """Each product's utility for each class (products x classes): the part-worths of its
        levels plus the price coefficient times its price (``data``: one row per product)."""
        wanted = [*self.attributes, *([self.price] if self.price else [])]
        products = frame(data, [c for c in wanted if c in _columns(data)], what="ChoiceModel.utilities")
        pw = self.table.set_index(["class", "attribute", "level"])["part_worth"]
        coefs = self.coefficients
        out = np.zeros((len(products), len(self.classes)))
        for c in range(len(self.classes)):
            for a in self.attributes:
                if a not in products:
                    raise InputError(f"column '{a}': the products need a level of every attribute")
                for i, lv in enumerate(products[a].astype(str)):
                    key = (c, a, lv)
                    if key not in pw.index:
                        raise InputError(
                            f"column '{a}': level {lv!r} (product {i}) was not in the choice data; "
                            f"the levels are {self.levels.get(a)}"
                        )
                    out[i, c] += pw[key]
            if self.price is not None:
                if self.price not in products:
                    raise InputError(f"column '{self.price}': the products need a price")
                b = coefs[(coefs["class"] == c) & (coefs["name"] == self.price)]["coef"].iloc[0]
                out[:, c] += b * products[self.price].to_numpy(dtype=float)
        return out

    @follows_output_option
    def simulate(self, data: pd.DataFrame, *, rule: str = "logit", none: float | None = None) -> pd.DataFrame:
        """Shares of preference of the products in ``data`` (rows with a level of each attribute and a
        price). ``rule="logit"``: each class splits by exp(utility), and the classes are weighted
        by their shares. ``"first_choice"``: each respondent takes the product of highest utility
        under their own part-worths, the posterior-weighted mix of the classes' (sum_c
        P(c | respondent) beta_c, the usual individual-level estimate of a latent-class model),
        and a product's share is the fraction of respondents taking it (ties split); with one
        class every respondent has the same part-worths, so one product takes everything.
        ``none``: the utility of a "none of these" option (shares then do not sum to 1 over the
        products; its share is the last row)."""
        check_choice("rule", rule, ("logit", "first_choice"))
        u = self.utilities(data)
        products = data
        if none is not None:
            u = np.vstack([u, np.full((1, u.shape[1]), float(none))])
        if rule == "logit":
            e = np.exp(u - u.max(axis=0))
            share = (e / e.sum(axis=0)) @ self.classes["share"].to_numpy()
        else:
            if self.posterior is not None:
                post = self.posterior[[f"class_{c}" for c in range(u.shape[1])]].to_numpy()
                u = u @ post.T  # products x respondents
            p = (u == u.max(axis=0)).astype(float)
            p /= p.sum(axis=0)
            weights = np.full(u.shape[1], 1.0 / u.shape[1])
            share = p @ (weights if self.posterior is not None else self.classes["share"].to_numpy())
        index = products.index if isinstance(products, pd.DataFrame) else range(len(u))
        names = [str(i) for i in index] + (["none"] if none is not None else [])
        return pd.DataFrame({"product": names, "share": share})

    def demand_curve(
        self,
        *,
        product: Mapping[str, Any],
        competitors: pd.DataFrame | None = None,
        prices: Sequence[float],
        cost: float = 0.0,
        fixed_cost: float = 0.0,
        market_size: float = 1.0,
        none: float | None = None,
        rule: str = "logit",
    ) -> DemandCurveResult:
        """The share of ``product`` at each of ``prices`` against ``competitors`` (fixed), as a
        :class:`DemandCurveResult` (revenue = p N share, profit = (p - c) N share - F, N the
        ``market_size``), so its optima, plot and elasticities apply."""
        if self.price is None:
            raise ParameterError("demand_curve needs a model fitted with price=")
        if competitors is None and none is None:
            raise ParameterError(
                "argument 'competitors': alone on the market the product takes every choice at every price "
                "(a logit share of 1): give competitors= (the rival products) or none= (the utility of "
                "choosing nothing)"
            )
        grid = np.sort(np.asarray(list(prices), dtype=float))
        if len(grid) == 0 or not np.isfinite(grid).all() or (grid < 0).any():
            raise ParameterError("argument 'prices': give non-negative prices")
        rows = []
        base = pd.DataFrame([dict(product)])
        for p in grid:
            mine = base.assign(**{self.price: p})
            market = mine if competitors is None else pd.concat([mine, competitors], ignore_index=True)
            rows.append(self.simulate(market, rule=rule, none=none)["share"].iloc[0])
        share = np.asarray(rows)
        n = float(market_size)
        buyers = n * share
        table = pd.DataFrame(
            {
                "price": grid,
                "share": share,
                "buyers": buyers,
                "revenue": grid * buyers,
                "profit": (grid - cost) * buyers - fixed_cost,
            }
        )
        r = int(np.argmax(table["revenue"].to_numpy()))
        pr = int(np.argmax(table["profit"].to_numpy()))
        optima = pd.DataFrame(
            {
                "revenue_optimal_price": [grid[r]],
                "revenue_at_optimum": [table["revenue"].iloc[r]],
                "profit_optimal_price": [grid[pr] if table["profit"].iloc[pr] > -fixed_cost else np.nan],
                "profit_at_optimum": [table["profit"].iloc[pr]],
                "n": [self.n_respondents],
                "total_weight": [float(self.n_respondents)],
                "market_size": [n],
            }
        )
        return DemandCurveResult(
            table=table,
            optima=optima,
            wtp="the choice model's simulated share",
            cost=float(cost),
            fixed_cost=float(fixed_cost),
            market_size=n,
        )

    def plot(self, ax: Any = None, *, kind: str = "wtp", cls: int = 0) -> Any:
        """``kind="wtp"``: willingness to pay per level with its interval; ``"importance"``:
        attribute importances; ``"part_worths"``: part-worths per level (class ``cls``)."""
        check_choice("kind", kind, ("wtp", "importance", "part_worths"))
        ax = axes(ax)
        if kind == "importance":
            t = self.importance[self.importance["class"] == cls]
            ax.barh(t["attribute"], t["importance"], color="C0")
            ax.set(xlabel="importance (share of part-worth ranges)", title="Attribute importance")
            return ax
        t = self.wtp if kind == "wtp" else self.table
        t = t[t["class"] == cls].reset_index(drop=True)
        labels = [f"{a}: {lv}" for a, lv in zip(t["attribute"], t["level"], strict=True)]
        val = t["wtp"] if kind == "wtp" else t["part_worth"]
        ax.barh(labels, val, color=["C0" if v >= 0 else "C3" for v in val])
        if kind == "wtp":
            ax.errorbar(
                val, labels, xerr=[val - t["ci_low"], t["ci_high"] - val], fmt="none", ecolor="k", lw=1
            )
            ax.set(xlabel="willingness to pay (price units)", title="Willingness to pay per level")
        else:
            ax.set(xlabel="part-worth (utility)", title="Part-worths")
        ax.axvline(0, color="k", lw=0.8)
        return ax


@check_args(seed=SEED, missing=MISSING)
def fit_choice(
    data: Any,
    respondent: str = "respondent_id",
    task: str = "task",
    alternative: str = "alternative",
    chosen: str = "chosen",
    *,
    attributes: Sequence[str],
    price: str | None = None,
    model: str = "mnl",
    n_classes: int | Sequence[int] = 2,
    coding: str = "effects",
    n_starts: int = 5,
    seed: int = 0,
    ci: float = 0.95,
    missing: str = "raise",
) -> ChoiceModel:
    """Multinomial logit (or latent-class MNL) of choice-based conjoint answers.

    ``data`` is long: one row per alternative shown, with the respondent, the task (within the
    respondent), the alternative, whether it was ``chosen`` (exactly one per task), a level of
    each categorical attribute and, with ``price``, a numeric price. Categorical attributes are
    effects-coded (``coding="effects"``: each attribute's part-worths sum to zero) or
    dummy-coded (``"dummy"``: the first level is the reference, 0); price enters linearly.

    ``model="mnl"``: P(choice j in task t) = exp(x_tj b) / sum_k exp(x_tk b), fitted by Newton's
    method (analytic gradient and Hessian), standard errors from the observed information
    (McFadden 1974). ``model="latent_class"``: a mixture of ``n_classes`` MNLs fitted by EM from
    ``n_starts`` seeded starts (Kamakura & Russell 1989, JMR 26(4)); with a list or range of
    class counts, each is fitted and the lowest BIC kept (``bic_table``). Class standard errors
    are conditional on the posterior memberships.

    Willingness to pay per level: -part_worth / b_price, with delta-method standard errors and
    ``ci`` intervals; importance: each attribute's part-worth range over the sum of ranges
    (price: |b_price| times the range of prices shown).

    Returns
    -------
    ChoiceModel

    Examples
    --------
    >>> import customervalue as cv
    >>> s = cv.datasets.conjoint_survey(300, seed=1)
    >>> m = cv.fit_choice(s, attributes=["brand", "storage", "battery"], price="price")
    >>> bool(m.coefficients.query("name == 'price'")["coef"].iloc[0] < 0)
    True
    """
    check_choice("model", model, ("mnl", "latent_class"))
    check_choice("coding", coding, ("effects", "dummy"))
    if isinstance(attributes, str) or not list(attributes):
        raise ParameterError("argument 'attributes': give a list of categorical attribute columns")
    attributes = list(attributes)
    if model == "mnl":
        counts = [1]
    elif isinstance(n_classes, (int, np.integer)):
        counts = [int(n_classes)]
    else:
        counts = [int(k) for k in n_classes]
    if any(k < 1 for k in counts):
        raise ParameterError(f"argument 'n_classes': class counts must be at least 1, got {counts}")
    inp = read_input(data, [respondent, task, alternative, chosen, *attributes, price], what="fit_choice")
    fits = []
    for k in counts:
        d = _core.fit_choice(
            inp.arrow,
            respondent,
            task,
            chosen,
            attributes,
            price,
            coding,
            k,
            int(n_starts),
            int(seed),
            float(ci),
            missing,
        )
        fits.append((k, d))
    k, d = min(fits, key=lambda kd: kd[1]["bic"])
    env = inp.envelope(d)
    bic_table = None
    if len(fits) > 1:
        bic_table = pd.DataFrame(
            {
                "n_classes": [kk for kk, _ in fits],
                "log_likelihood": [dd["log_likelihood"] for _, dd in fits],
                "bic": [dd["bic"] for _, dd in fits],
            }
        )
    pw = to_pandas(d["part_worths"])
    levels = {a: list(dict.fromkeys(pw.loc[pw["attribute"] == a, "level"])) for a in attributes}
    return ChoiceModel(
        table=pw,
        coefficients=to_pandas(d["coefficients"]),
        importance=to_pandas(d["importance"]),
        wtp=to_pandas(d["wtp"]),
        classes=to_pandas(d["classes"]),
        posterior=_ids_as_given(to_pandas(d["posterior"]), inp.arrow, respondent)
        if "posterior" in d
        else None,
        bic_table=bic_table,
        log_likelihood=float(d["log_likelihood"]),
        null_log_likelihood=float(d["null_log_likelihood"]),
        bic=float(d["bic"]),
        n_tasks=int(d["n_tasks"]),
        n_respondents=int(d["n_respondents"]),
        iterations=int(d["iterations"]),
        attributes=attributes,
        price=price,
        coding=coding,
        levels=levels,
        covariance=np.asarray(d["covariance"]),
        **env.as_fields(),
    )


@dataclass(frozen=True, repr=False)
class MaxDiffResult(Result):
    """MaxDiff scores: ``table`` has, per item, times shown, picked best and worst,
    ``best_minus_worst`` ((best - worst) / shown), the best-worst MNL ``score`` (the first item
    is the reference, 0) with ``se`` and ``ci_low``/``ci_high``, and ``share`` (exp(score)
    normalised to sum to one).

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> picks = [(0, 2), (1, 2), (0, 1), (2, 0)]  # (best, worst) per task, three items shown
    >>> rows = [(r, t, i, i == b, i == w)
    ...         for r in range(2) for t, (b, w) in enumerate(picks) for i in range(3)]
    >>> d = pd.DataFrame(rows, columns=["respondent_id", "task", "item", "best", "worst"])
    >>> cv.maxdiff(d).table["worst"].tolist()
    [2, 2, 4]
    """

    log_likelihood: float = float("nan")
    n_tasks: int = 0

    def summary(self) -> str:
        top = self.table.sort_values("share", ascending=False).iloc[0]
        return (
            f"MaxDiff over {self.n_tasks:,} tasks; most preferred: {top.iloc[0]} (share {top['share']:.1%})"
        )

    def plot(self, ax: Any = None) -> Any:
        """Shares of preference, most preferred first."""
        ax = axes(ax)
        t = self.table.sort_values("share")
        ax.barh(t.iloc[:, 0].astype(str), t["share"], color="C0")
        ax.set(xlabel="share of preference", title="MaxDiff")
        return ax


@check_args(missing=MISSING)
def maxdiff(
    data: Any,
    respondent: str = "respondent_id",
    task: str = "task",
    item: str = "item",
    best: str = "best",
    worst: str = "worst",
    *,
    ci: float = 0.95,
    reference: Any = None,
    missing: str = "raise",
) -> MaxDiffResult:
    """MaxDiff (best-worst scaling) from long data: one row per item shown in a task, with
    whether it was picked ``best`` and ``worst`` (exactly one of each per task).

    Counts: times shown, best and worst, and (best - worst) / shown. Scores: the sequential
    best-worst logit, the best pick an MNL over the items shown with utilities b_i and the worst
    an MNL over the rest with utilities -b_i (Louviere, Flynn & Marley 2015, *Best-Worst Scaling*,
    Cambridge University Press), one item the ``reference`` (b = 0; the first item in the
    column's order by default): scores, standard errors and intervals are relative to it, while
    ``share`` = exp(b_i) / sum_j exp(b_j) and the log-likelihood do not depend on the choice.
    Cost: O(rows x items) per Newton step.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> picks = [(0, 2), (1, 2), (0, 1), (2, 0)]  # (best, worst) per task, three items shown
    >>> rows = [(r, t, i, i == b, i == w)
    ...         for r in range(2) for t, (b, w) in enumerate(picks) for i in range(3)]
    >>> d = pd.DataFrame(rows, columns=["respondent_id", "task", "item", "best", "worst"])
    >>> cv.maxdiff(d).table["best"].tolist()
    [4, 2, 2]
    """
    inp = read_input(data, [respondent, task, item, best, worst], what="maxdiff")
    ref = None if reference is None else str(reference)
    d = _core.maxdiff(inp.arrow, respondent, task, item, best, worst, float(ci), ref, missing)
    return MaxDiffResult(
        table=to_pandas(d["table"]),
        log_likelihood=float(d["log_likelihood"]),
        n_tasks=int(d["n_tasks"]),
        **inp.envelope(d).as_fields(),
    )


@dataclass(frozen=True, repr=False)
class KanoResult(Result):
    """Kano classification: ``table`` has, per feature, the answers in each category (M must-be,
    O one-dimensional, A attractive, I indifferent, R reverse, Q questionable), the ``category``
    (most frequent; ties go to the first in the order M, O, A, I, R, Q, and ``tied`` lists the
    tied categories, e.g. "O/A", empty without a tie, with a warning), the ``satisfaction`` and
    ``dissatisfaction`` coefficients and the continuous ``functional`` and ``dysfunctional``
    coordinates with their standard deviations.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"f": [1, 1, 1, 3], "d": [5, 3, 3, 5]})
    >>> cv.kano(d, features={"speed": ("f", "d")}).table["category"].tolist()
    ['A']
    """

    def summary(self) -> str:
        parts = [f"{f}: {c}" for f, c in zip(self.table["feature"], self.table["category"], strict=True)]
        return "Kano categories: " + ", ".join(parts)

    def plot(self, ax: Any = None) -> Any:
        """Each feature at (|dissatisfaction|, satisfaction): must-be lower right, attractive
        upper left, one-dimensional upper right."""
        ax = axes(ax)
        t = self.table
        ax.scatter(-t["dissatisfaction"], t["satisfaction"], color="C0")
        for _, r in t.iterrows():
            ax.annotate(str(r["feature"]), (-r["dissatisfaction"], r["satisfaction"]), fontsize=8)
        ax.axhline(0.5, color="grey", lw=0.8)
        ax.axvline(0.5, color="grey", lw=0.8)
        ax.set(
            xlim=(0, 1),
            ylim=(0, 1),
            xlabel="dissatisfaction when absent |CS-|",
            ylabel="satisfaction when present CS+",
            title="Kano",
        )
        return ax


@check_args(missing=MISSING)
def kano(data: Any, *, features: Mapping[str, tuple[str, str]], missing: str = "raise") -> KanoResult:
    """The Kano model: per feature, a functional and a dysfunctional question answered 1 (I like
    it), 2 (I expect it), 3 (I am neutral), 4 (I can live with it), 5 (I dislike it);
    ``features`` maps each feature to its (functional column, dysfunctional column).

    Each answer pair is classified by the standard evaluation table (Kano, Seraku, Takahashi &
    Tsuji 1984, "Attractive quality and must-be quality", J. Japanese Society for Quality Control
    14(2)): like/dislike one-dimensional, like/(expect, neutral, live with) attractive,
    (expect, neutral, live with)/dislike must-be, the middle block indifferent, like/like and
    dislike/dislike questionable, the rest reverse; a feature's category is the most frequent.
    Coefficients (Berger et al. 1993, Center for Quality Management Journal 2(4)):
    CS+ = (A + O) / (A + O + M + I), CS- = -(O + M) / (A + O + M + I). Continuous coordinates
    (DuMouchel's scores in Berger et al.): functional 4, 2, 0, -1, -2 and dysfunctional
    -2, -1, 0, 2, 4 for answers 1..5, averaged over the answers that are not Q or R.

    Examples
    --------
    >>> import pandas as pd, customervalue as cv
    >>> d = pd.DataFrame({"f": [1, 1, 3, 1], "d": [5, 5, 5, 3]})  # O, O, M, A
    >>> cv.kano(d, features={"speed": ("f", "d")}).table[["category", "satisfaction"]].values.tolist()
    [['O', 0.75]]
    """
    if not isinstance(features, Mapping) or not features:
        raise ParameterError(
            "argument 'features': map each feature to (functional column, dysfunctional column)"
        )
    pairs = []
    for name, cols in features.items():
        if not isinstance(cols, (tuple, list)) or len(cols) != 2:
            raise ParameterError(
                f"argument 'features': {name!r} must map to (functional column, dysfunctional column), "
                f"got {cols!r}"
            )
        pairs.append((str(name), str(cols[0]), str(cols[1])))
    func = [p[1] for p in pairs]
    dys = [p[2] for p in pairs]
    inp = read_input(data, [*func, *dys], what="kano")
    d = _core.kano(inp.arrow, func, dys, [p[0] for p in pairs], missing)
    table = to_pandas(d["table"])
    table["tied"] = _kano_ties(table)
    tied = table.loc[table["tied"] != "", ["feature", "tied"]]
    if len(tied):
        listed = "; ".join(f"{f}: {t}" for f, t in zip(tied["feature"], tied["tied"], strict=True))
        warnings.warn(
            f"kano: {len(tied)} feature(s) have two or more categories equally frequent ({listed}); "
            "the category shown is the first in the order M, O, A, I, R, Q. Read the counts, or "
            "the continuous functional/dysfunctional scores, for these features",
            CustomerValueWarning,
            stacklevel=2,
        )
    return KanoResult(table=table, **inp.envelope(d).as_fields())


def _kano_ties(table: pd.DataFrame) -> list[str]:
    """Per feature, the categories tied for the most answers joined by '/' (empty: no tie)."""
    cats = [c for c in ("M", "O", "A", "I", "R", "Q") if c in table]
    counts = table[cats].to_numpy()
    top = counts.max(axis=1, keepdims=True)
    out = []
    for row, t in zip(counts, top[:, 0], strict=True):
        at_top = [c for c, v in zip(cats, row, strict=True) if v == t and t > 0]
        out.append("/".join(at_top) if len(at_top) > 1 else "")
    return out


def _d_error(raw: pd.DataFrame, n_levels: list[int], n_alternatives: int) -> float:
    """det(I / T)^(-1/p) of the effects-coded design (``raw``: version, task, alternative and
    the level codes ``a0``, ``a1``, ...), I = sum over tasks of (1/J) sum_j (x_j - mean x)(x_j -
    mean x)', the MNL information at beta = 0 (Huber & Zwerina 1996, "The importance of utility
    balance in efficient choice designs", JMR 33(3)). Cost: O(rows p^2)."""
    blocks = []
    for j, levels in enumerate(n_levels):
        code = raw[f"a{j}"].to_numpy()
        x = np.zeros((len(raw), levels - 1))
        for lv in range(levels - 1):
            x[:, lv] = (code == lv).astype(float) - (code == levels - 1).astype(float)
        blocks.append(x)
    coded = np.hstack(blocks)
    p = coded.shape[1]
    order = np.lexsort((raw["alternative"].to_numpy(), raw["task"].to_numpy(), raw["version"].to_numpy()))
    tasks = coded[order].reshape(-1, n_alternatives, p)  # tasks x alternatives x p
    centred = tasks - tasks.mean(axis=1, keepdims=True)
    info = np.einsum("tjp,tjq->pq", centred, centred) / n_alternatives / len(tasks)
    sign, logdet = np.linalg.slogdet(info)
    return float(np.exp(-logdet / p)) if sign > 0 else float("inf")


def _ids_as_given(posterior: pd.DataFrame, arrow: Any, respondent: str) -> pd.DataFrame:
    """The posterior's respondent column with the caller's ids (the core keys them as text)."""
    given = pd.Series(arrow.column(respondent).to_pandas()).dropna().drop_duplicates()
    by_text = dict(zip(given.astype(str), given, strict=True))
    ids = posterior["respondent"].map(by_text)
    if ids.notna().all():
        posterior["respondent"] = ids.astype(given.dtype)
    return posterior


def _columns(data: Any) -> list[Any]:
    """The column names of a table of any kind (pandas, polars, pyarrow)."""
    names = getattr(data, "columns", None)
    if names is None:
        names = getattr(data, "column_names", [])
    return list(names)


__all__ = [
    "conjoint_design",
    "ConjointDesign",
    "fit_choice",
    "ChoiceModel",
    "maxdiff",
    "MaxDiffResult",
    "kano",
    "KanoResult",
]
