"""Van Westendorp against R's pricesensitivitymeter (psm).

Expectations ported from max-alletsee/pricesensitivitymeter, tests/testthat/test_data_output.R
("Plausibility": estimates within the price range, lower limit <= IDP, OPP <= upper limit,
the same points with and without NMS, invalid cases removed), test_ecdf_bug_fix.R (every
curve reaches 0 and 1) and test_data_input.R (an analysis without the too-cheap question),
on data drawn as those tests draw it (normal answers rounded to cents, 20-250 respondents).

psm's interpolated crossings are checked against an independent re-computation of psm's
documented procedure written here in numpy (its ECDFs at the observed prices with its boundary
rule, linear interpolation on a 0.01 grid from the lowest price, roots of the differences by
linear interpolation, then min/max/mean): customervalue's ``interpolate=True`` must equal it to
1e-9. The default observed-price convention reports a price someone answered instead; the test
shows both and that they lie within one answer step of each other.
"""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::customervalue.DataDroppedWarning")


def psm_survey(n: int, seed: int, means=(5, 6, 13, 17), sds=(0.5, 1, 0.75, 1)) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = ["too_cheap", "cheap", "expensive", "too_expensive"]
    return pd.DataFrame(
        {c: np.round(rng.normal(m, s, n), 2) for c, m, s in zip(cols, means, sds, strict=True)}
    )


def psm_points(df: pd.DataFrame, method: str = "min", too_cheap: bool = True) -> dict[str, float]:
    """psm's interpolate = TRUE procedure, written from its documentation."""
    cols = (
        ["too_cheap", "cheap", "expensive", "too_expensive"]
        if too_cheap
        else ["cheap", "expensive", "too_expensive"]
    )
    a = df[cols].to_numpy()
    ok = np.all(np.diff(a, axis=1) > 0, axis=1)
    d = df.loc[ok]
    grid = np.unique(d[cols].to_numpy())

    def ecdf(x: np.ndarray) -> np.ndarray:
        v = np.searchsorted(np.sort(x), grid, side="right") / len(x)
        v[grid >= x.max()] = 1.0
        v[grid <= x.min()] = 0.0
        return v

    curves = {
        "cheap": 1 - ecdf(d["cheap"].to_numpy()),
        "expensive": ecdf(d["expensive"].to_numpy()),
        "too_expensive": ecdf(d["too_expensive"].to_numpy()),
    }
    if too_cheap:
        curves["too_cheap"] = 1 - ecdf(d["too_cheap"].to_numpy())
    fine = np.round(np.arange(grid[0], grid[-1] + 0.005, 0.01), 2)
    smooth = {k: np.interp(fine, grid, v) for k, v in curves.items()}
    smooth["not_cheap"] = 1 - smooth["cheap"]
    smooth["not_expensive"] = 1 - smooth["expensive"]

    def cross(u: str, w: str) -> float:
        diff = smooth[u] - smooth[w]
        s = np.sign(diff)
        idx = np.flatnonzero(np.diff(s) != 0)
        if idx.size == 0:
            return float("nan")
        x1, x2, y1, y2 = fine[idx], fine[idx + 1], diff[idx], diff[idx + 1]
        roots = np.where(y2 != y1, x1 - y1 * (x2 - x1) / np.where(y2 != y1, y2 - y1, 1), (x1 + x2) / 2)
        return float({"min": np.min, "max": np.max, "mean": np.mean}[method](roots))

    out = {"ipp": cross("expensive", "cheap"), "pme": cross("too_expensive", "not_expensive")}
    if too_cheap:
        out |= {"opp": cross("too_expensive", "too_cheap"), "pmc": cross("not_cheap", "too_cheap")}
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("method", ["min", "max", "mean"])
def test_interpolated_points_equal_psm(seed, method):
    df = psm_survey(20 + 46 * seed, seed)
    want = psm_points(df, method)
    got = cv.van_westendorp(df, interpolate=True, intersection=method)
    for name, value in want.items():
        assert getattr(got, name) == pytest.approx(value, abs=1e-9), name


def test_curves_that_touch_over_a_stretch_give_several_roots_picked_as_psm():
    # psm's cheap curve (answers above p) and expensive curve (answers at or below p, 0 at and
    # below the lowest one, 2.5) are both 1/2 at the too-cheap answers 3 and 4, so the
    # difference is 0 at two neighbouring prices: roots 3 and 4
    df = pd.DataFrame(
        {
            "too_cheap": [1.0, 1.0, 3.0, 4.0],
            "cheap": [2.0, 2.0, 6.0, 6.0],
            "expensive": [2.5, 2.5, 7.0, 7.0],
            "too_expensive": [9.0, 9.0, 9.0, 9.0],
        }
    )
    got = {m: cv.van_westendorp(df, interpolate=True, intersection=m).ipp for m in ("min", "max", "mean")}
    assert got == {"min": 3.0, "max": 4.0, "mean": 3.5}
    assert got == {m: psm_points(df, m)["ipp"] for m in got}


@pytest.mark.parametrize("seed", range(4))
def test_default_and_interpolated_conventions_agree_within_an_answer_step(seed):
    df = psm_survey(250, seed)
    exact, smooth = cv.van_westendorp(df), cv.van_westendorp(df, interpolate=True)
    prices = np.unique(df[["too_cheap", "cheap", "expensive", "too_expensive"]].to_numpy())
    for name in ("opp", "ipp", "pmc", "pme"):
        a, b = getattr(exact, name), getattr(smooth, name)
        assert a in prices  # the default reports an answered price
        i = np.searchsorted(prices, a)
        assert prices[max(i - 2, 0)] <= b <= prices[min(i + 2, len(prices) - 1)], name


@pytest.mark.parametrize("interpolate", [False, True])
def test_psm_plausibility(interpolate):
    df = psm_survey(20, 1)
    df["intent_cheap"] = np.random.default_rng(2).choice([2, 3, 4, 5], 20, p=[0.1, 0.2, 0.3, 0.4])
    df["intent_expensive"] = np.random.default_rng(3).choice([2, 3, 4, 5], 20, p=[0.1, 0.2, 0.3, 0.4])
    plain = cv.van_westendorp(df, interpolate=interpolate)
    with_nms = cv.van_westendorp(
        df, interpolate=interpolate, nms={"cheap": "intent_cheap", "expensive": "intent_expensive"}
    )
    prices = plain.curves["price"]
    for name in ("opp", "ipp", "pmc", "pme"):
        assert prices.min() <= getattr(plain, name) <= prices.max()
        assert getattr(plain, name) == getattr(with_nms, name)  # NMS does not move the points
    assert plain.pmc <= plain.ipp <= plain.pme and plain.pmc <= plain.opp <= plain.pme
    assert plain.n_valid == plain.n_rows - plain.n_invalid
    for curve in ("too_cheap", "cheap", "expensive", "too_expensive"):  # test_ecdf_bug_fix.R
        assert plain.curves[curve].max() == 1.0 and plain.curves[curve].min() < 0.1


def test_without_the_too_cheap_question():
    # test_data_input.R: psm_analysis(toocheap = NA, cheap = 1, expensive = 3, tooexpensive = 4) runs
    one = pd.DataFrame({"cheap": [1.0], "expensive": [3.0], "too_expensive": [4.0]})
    with pytest.warns(cv.CustomerValueWarning, match="too-cheap question"):
        r = cv.van_westendorp(one, too_cheap=None)
    assert r.opp is None and r.pmc is None and r.n_valid == 1
    df = psm_survey(150, 4, means=(3, 6, 13, 17))  # too cheap well below cheap: the same valid set
    full = cv.van_westendorp(df)
    with pytest.warns(cv.CustomerValueWarning):
        partial = cv.van_westendorp(df.drop(columns="too_cheap"), too_cheap=None)
    # IPP and PME do not involve the too-cheap answers (the same respondents are valid here)
    assert (partial.ipp, partial.pme) == (full.ipp, full.pme)
    assert partial.curves["too_cheap"].isna().all()
    with pytest.warns(cv.CustomerValueWarning):
        smooth = cv.van_westendorp(df.drop(columns="too_cheap"), too_cheap=None, interpolate=True)
    want = psm_points(df, "min", too_cheap=False)
    assert (smooth.ipp, smooth.pme) == (
        pytest.approx(want["ipp"], abs=1e-9),
        pytest.approx(want["pme"], abs=1e-9),
    )
    # validation ignores the missing question: an answer order broken only there is kept
    bad_tc = df.assign(too_cheap=df["expensive"] + 1)
    with pytest.warns(cv.CustomerValueWarning):
        assert cv.van_westendorp(bad_tc, too_cheap=None).n_valid == partial.n_valid
    with pytest.raises(cv.InputError, match="all 150 respondents are invalid"):
        cv.van_westendorp(bad_tc)
    with pytest.raises(cv.ParameterError, match="too-cheap price"):
        cv.van_westendorp(df.assign(ic=4, ie=3), too_cheap=None, nms={"cheap": "ic", "expensive": "ie"})


def test_bad_intersection_is_a_parameter_error():
    with pytest.raises(cv.ParameterError, match="intersection"):
        cv.van_westendorp(psm_survey(30, 0), interpolate=True, intersection="median")
