"""Expectations of scipy's and statsmodels' test suites for ``customervalue.stats``.

Ported as facts (numbers, mostly computed by their authors in R) from:
- scipy, scipy/stats/tests/test_contingency.py: ``test_chi2_contingency_trivial``,
  ``test_chi2_contingency_g``, ``test_chi2_contingency_bad_args``,
  ``test_chi2_contingency_yates_gh13875``;
- scipy, scipy/stats/tests/test_hypotests.py, class ``TestMannWhitneyU``: ``cases_basic``,
  ``cases_continuity``, ``test_tie_correct`` (R's wilcox.test) and ``test_exact_U_equals_mean``;
- scipy, scipy/stats/tests/test_stats.py: Fisher's exact test with alternatives;
- statsmodels, statsmodels/stats/tests/test_multi.py: ``res_multtest1`` (R package multtest,
  mt.rawp2adjp) for Bonferroni, Holm, BH and BY.
Then the same data through scipy and statsmodels themselves, at random, to 1e-10.

Conventions that differ: empty samples raise ``InputError`` here where scipy returns NaN; a
many-way table (scipy's n-d ``chi2_contingency``) is refused with what to do instead;
``multipletests`` defaults to Benjamini-Hochberg where statsmodels defaults to Holm-Sidak.
"""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pytest
from customervalue.stats import chi2_contingency, fisher_exact, mannwhitneyu, multipletests

scipy_stats = pytest.importorskip("scipy.stats")
multitest = pytest.importorskip("statsmodels.stats.multitest")


def xlogy(x, y):
    return np.where(x == 0, 0.0, x * np.log(np.where(x == 0, 1.0, y)))


# ---- contingency tables ------------------------------------------------------------------------


def test_trivial_tables():
    r = chi2_contingency(np.array([[1, 2], [1, 2]]), correction=False)
    assert (r.statistic, r.p, r.dof) == (0.0, 1.0, 1)
    np.testing.assert_array_equal(r.expected, [[1, 2], [1, 2]])
    one = chi2_contingency(np.array([1, 2, 3]), correction=False)  # a 1-d table: no freedom
    assert (one.statistic, one.p, one.dof) == (0.0, 1.0, 0)


def test_g_test_with_and_without_yates():
    c = np.array([[15, 60], [15, 90]])
    r = chi2_contingency(c, lambda_="log-likelihood", correction=False)
    assert r.statistic == pytest.approx(2 * xlogy(c, c / r.expected).sum(), rel=1e-12)
    r = chi2_contingency(c, lambda_="log-likelihood", correction=True)
    corrected = c + np.array([[-0.5, 0.5], [0.5, -0.5]])
    assert r.statistic == pytest.approx(2 * xlogy(corrected, corrected / r.expected).sum(), rel=1e-12)
    c = np.array([[10, 12, 10], [12, 10, 10]])  # two degrees of freedom: no correction
    r = chi2_contingency(c, lambda_="log-likelihood")
    assert r.statistic == pytest.approx(2 * xlogy(c, c / r.expected).sum(), rel=1e-12)


def test_yates_never_overshoots():
    # scipy gh-13875: the correction moves O towards E by at most |O - E|
    assert chi2_contingency(np.array([[1573, 3], [4, 0]])).p == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([[-1, 10], [1, 2]]), "cell \\(0, 0\\) is -1"),
        (np.array([[0, 1], [0, 1]]), "column 0 has no observations"),
        (np.empty((0, 8)), "empty"),
    ],
)
def test_bad_tables_name_the_cell(bad, match):
    with pytest.raises(cv.InputError, match=match):
        chi2_contingency(bad)


def test_many_way_tables_are_refused_with_the_way_out():
    with pytest.raises(cv.ParameterError, match="two of its factors"):
        chi2_contingency(np.ones((2, 2, 2)))


@pytest.mark.parametrize("lam", [None, "pearson", "log-likelihood", "freeman-tukey", "mod-log-likelihood",
                                 "neyman", "cressie-read", 0.5])  # fmt: skip
@pytest.mark.parametrize("correction", [False, True])
def test_contingency_equals_scipy_on_random_tables(lam, correction):
    rng = np.random.default_rng(7)
    for shape in [(2, 2), (2, 5), (3, 4)]:
        t = rng.integers(1, 40, size=shape)
        want = scipy_stats.chi2_contingency(t, correction=correction, lambda_=lam)
        got = chi2_contingency(t, correction=correction, lambda_=lam)
        assert got.statistic == pytest.approx(want.statistic, rel=1e-10)
        assert got.p == pytest.approx(want.pvalue, rel=1e-9, abs=1e-300)
        assert got.dof == want.dof
        np.testing.assert_allclose(got.expected, want.expected_freq, rtol=1e-12)


# ---- Fisher ------------------------------------------------------------------------------------


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_fisher_alternatives_equal_scipy(alternative):
    rng = np.random.default_rng(3)
    tables = [[[8, 2], [1, 5]], [[0, 5], [3, 2]], [[100, 2], [1000, 5]], [[2, 7], [8, 2]]]
    tables += rng.integers(0, 30, size=(20, 2, 2)).tolist()
    for t in tables:
        want = scipy_stats.fisher_exact(t, alternative=alternative)
        got = fisher_exact(t, alternative=alternative)
        assert got.p == pytest.approx(want.pvalue, rel=1e-9), t
        if np.isfinite(want.statistic):
            assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    # the two tails of [[8, 2], [1, 5]] (scipy: 0.99912587..., 0.02447552...)
    less = fisher_exact([[8, 2], [1, 5]], alternative="less")
    assert less.p == pytest.approx(0.9991258741258742, rel=1e-12)
    assert fisher_exact([[8, 2], [1, 5]], "greater").pvalue == pytest.approx(0.024475524475524483, rel=1e-12)


def test_fisher_refuses_what_is_not_a_two_by_two_of_counts():
    with pytest.raises(cv.ParameterError, match="2 x 2"):
        fisher_exact([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(cv.InputError, match="cell \\(1, 0\\) is 1.5"):
        fisher_exact([[1, 2], [1.5, 3]])
    with pytest.raises(cv.ParameterError, match="alternative"):
        fisher_exact([[1, 2], [3, 4]], alternative="bigger")


# ---- Mann-Whitney ------------------------------------------------------------------------------

X = [210.052110, 110.190630, 307.918612]
Y = [436.08811482466416, 416.37397329768191, 179.96975939463582, 197.8118754228619, 34.038757281225756,
     138.54220550921517, 128.7769351470246, 265.92721427951852, 275.6617533155341, 592.34083395416258,
     448.73177590617018, 300.61495185038905, 187.97508449019588]  # fmt: skip


@pytest.mark.parametrize(
    "alternative, method, p",
    [
        ("two-sided", "asymptotic", 0.6865041817876),
        ("less", "asymptotic", 0.3432520908938),
        ("greater", "asymptotic", 0.7047591913255),
        ("two-sided", "exact", 0.7035714285714),
        ("less", "exact", 0.3517857142857),
        ("greater", "exact", 0.6946428571429),
    ],
)
def test_mann_whitney_matches_r(alternative, method, p):
    r = mannwhitneyu(X, Y, alternative=alternative, method=method)
    assert r.statistic == 16.0
    assert r.p == pytest.approx(p, rel=1e-9)
    assert r.method == method


@pytest.mark.parametrize(
    "alternative, continuity, p",
    [
        ("two-sided", True, 0.6865041817876),
        ("less", True, 0.7047591913255),
        ("greater", True, 0.3432520908938),
        ("two-sided", False, 0.6377328900502),
        ("less", False, 0.6811335549749),
        ("greater", False, 0.3188664450251),
    ],
)
def test_mann_whitney_continuity_goes_the_right_way(alternative, continuity, p):
    r = mannwhitneyu(Y, X, continuity, alternative, method="asymptotic")
    assert (r.statistic, r.p) == (23.0, pytest.approx(p, rel=1e-9))


def test_mann_whitney_tie_correction_matches_r():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y0 = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    dy, dy2 = np.array([0, 1, 0, 1, 0]) * 0.01, np.array([0, 0, 1, 0, 0]) * 0.01
    ys = [y0 - 0.01, y0 - dy, y0 - dy2, y0, y0 + dy2, y0 + dy, y0 + 0.01]
    u = [10, 9, 8.5, 8, 7.5, 7, 6]
    p = [1, 0.9017048037317, 0.804080657472, 0.7086240584439, 0.6197963884941,
         0.5368784563079, 0.3912672792826]  # fmt: skip
    for y, u_want, p_want in zip(ys, u, p, strict=True):
        r = mannwhitneyu(x, y, method="asymptotic")
        assert r.statistic == u_want
        assert r.p == pytest.approx(p_want, rel=1e-9)


def test_exact_u_at_its_mean_caps_at_one():
    x, y = [1.0, 2.0, 3.0], [1.5, 2.5]
    less = mannwhitneyu(x, y, alternative="less", method="exact")
    greater = mannwhitneyu(x, y, alternative="greater", method="exact")
    assert less.p == greater.p and less.p > 0.5
    both = mannwhitneyu(x, y, method="exact")
    assert (both.statistic, both.p) == (3.0, 1.0)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("method", ["auto", "exact", "asymptotic"])
def test_mann_whitney_equals_scipy_at_random(alternative, method):
    rng = np.random.default_rng(11)
    for n1, n2 in [(2, 3), (3, 3), (5, 8), (8, 20), (12, 15), (40, 30)]:
        x, y = rng.normal(size=n1), rng.normal(0.5, size=n2)
        want = scipy_stats.mannwhitneyu(x, y, alternative=alternative, method=method)
        got = mannwhitneyu(x, y, alternative=alternative, method=method)
        assert got.statistic == want.statistic
        assert got.p == pytest.approx(want.pvalue, rel=1e-9), (n1, n2)
    # ties: "auto" goes asymptotic, as scipy's
    x, y = [1, 2, 2, 3], [2, 3, 4, 4, 5]
    want = scipy_stats.mannwhitneyu(x, y, alternative=alternative, method=method)
    got = mannwhitneyu(x, y, alternative=alternative, method=method)
    assert got.p == pytest.approx(want.pvalue, rel=1e-9)
    assert got.method == ("exact" if method == "exact" else "asymptotic")


def test_mann_whitney_refuses_what_it_cannot_do():
    with pytest.raises(cv.InputError, match="column 'x': has no values"):
        mannwhitneyu([], [1.0, 2.0])  # scipy returns NaN
    with pytest.raises(cv.InputError, match="value NaN at position 1"):
        mannwhitneyu([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(cv.ParameterError, match="method='asymptotic'"):
        mannwhitneyu(np.arange(300.0), np.arange(300.0) + 0.5, method="exact")


# ---- multiple testing --------------------------------------------------------------------------

# statsmodels' res_multtest1 (R multtest): raw p sorted, then Bonferroni, Holm, BH, BY
RAW = [5.23656777208e-05, 0.00028140506198, 0.0149877310796, 0.0202732688798, 0.177096952723,
       0.642193923795, 0.680845947633, 0.71626938238, 0.838541367553, 0.967833824309]  # fmt: skip
R_MULTTEST = {
    "bonferroni": [0.000523656777208, 0.0028140506198, 0.149877310796, 0.202732688798] + [1.0] * 6,
    "holm": [0.000523656777208, 0.00253264555782, 0.1199018486368, 0.1419128821586] + [1.0] * 6,
    "fdr_bh": [0.000523656777208, 0.0014070253099, 0.04995910359866667, 0.0506831721995, 0.354193905446,
               0.895336727975, 0.895336727975, 0.895336727975, 0.9317126306144445, 0.967833824309],
    "fdr_by": [0.0015337740764175588, 0.004121132465226944, 0.14632862843720582, 0.14844940238274187]
    + [1.0] * 6,
}  # fmt: skip


@pytest.mark.parametrize("method", sorted(R_MULTTEST))
def test_multipletests_match_r_multtest(method):
    order = np.random.default_rng(0).permutation(len(RAW))  # given in any order
    reject, q = multipletests(np.asarray(RAW)[order], alpha=0.1, method=method)
    np.testing.assert_allclose(q, np.asarray(R_MULTTEST[method])[order], rtol=1e-12)
    np.testing.assert_array_equal(reject, q <= 0.1)


@pytest.mark.parametrize("method", ["bonferroni", "holm", "fdr_bh", "fdr_by"])
def test_multipletests_equal_statsmodels_and_skip_nan(method):
    p = np.random.default_rng(5).uniform(0, 0.2, size=60) ** 2
    want_reject, want_q, *_ = multitest.multipletests(p, alpha=0.05, method=method)
    reject, q = multipletests(p, alpha=0.05, method=method)
    np.testing.assert_allclose(q, want_q, rtol=1e-12)
    np.testing.assert_array_equal(reject, want_reject)
    with_nan = np.insert(p, [3, 10], np.nan)
    reject, q = multipletests(with_nan, method=method)
    assert np.isnan(q[[3, 11]]).all() and not reject[[3, 11]].any()
    np.testing.assert_allclose(np.delete(q, [3, 11]), multipletests(p, method=method)[1], rtol=1e-15)


def test_multipletests_refuses_what_is_not_a_p_value():
    with pytest.raises(cv.InputError, match="value 1.5 at position 2"):
        multipletests([0.1, 0.2, 1.5])
    with pytest.raises(cv.ParameterError, match="method"):
        multipletests([0.1], method="hs")
    with pytest.raises(cv.ParameterError, match="alpha"):
        multipletests([0.1], alpha=1.0)
