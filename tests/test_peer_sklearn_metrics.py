"""scikit-learn's expectations for the clustering-agreement metrics, degenerate cases included.

Ported (the facts, not the code) from scikit-learn's
sklearn/metrics/cluster/tests/test_supervised.py (`test_perfect_matches`,
`test_homogeneous_but_not_complete_labeling`, `test_complete_but_not_homogeneous_labeling`,
`test_not_complete_and_not_homogeneous_labeling`, `test_single_cluster`-style cases), and checked
against scikit-learn itself on the same labels (issue 15, failure class 1: degenerate labelings
followed scikit-learn's semantics only in part: empty arrays raised, and a constant labeling
against one that differs in one point left a mutual information of about 1e-15, so NMI divided
by a zero entropy under average_method "min" and "geometric").

The second half covers the peer features added under issue 15 (rand_score, fowlkes_mallows_score,
mutual_info_score, contingency_matrix, entropy, v_measure_score(beta=), silhouette with
metric="precomputed"), ported from test_supervised.py and test_unsupervised.py, test named in
each comment, and compared with scikit-learn on random data to 1e-10.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from customervalue import metrics as cv
from customervalue.errors import InputError, ParameterError
from customervalue.metrics import _clustering
from sklearn import metrics as sk
from sklearn.datasets import load_iris
from sklearn.metrics.cluster import contingency_matrix as sk_contingency_matrix

METHODS = ["arithmetic", "geometric", "min", "max"]

SCORES = [
    ("adjusted_rand_score", {}),
    ("homogeneity_score", {}),
    ("completeness_score", {}),
    ("v_measure_score", {}),
    *[("normalized_mutual_info_score", {"average_method": m}) for m in METHODS],
    *[("adjusted_mutual_info_score", {"average_method": m}) for m in METHODS],
]

# test_perfect_matches: every score is 1 for identical partitions up to renaming, empty included
PERFECT = [
    ([], []),
    ([0], [1]),
    ([0, 0, 0], [0, 0, 0]),
    ([0, 1, 0], [42, 7, 42]),
    ([0, 1, 2], [42, 7, 2]),
]

# degenerate and near-degenerate labelings, compared with scikit-learn itself
DEGENERATE = [
    ([0] * 7, [0, 0, 0, 1, 0, 0, 0]),  # constant against one point off
    ([0, 0, 0, 1, 0, 0, 0], [0] * 7),
    (list(range(6)), list(range(6))),  # all singletons
    (list(range(6)), [0] * 6),  # singletons against one cluster
    ([0] * 6, list(range(6))),
    ([0, 0, 1, 1], [0, 1, 0, 1]),  # independent
    ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]),
]


@pytest.mark.parametrize("name,kw", SCORES, ids=[f"{n}-{k.get('average_method', '')}" for n, k in SCORES])
@pytest.mark.parametrize("a,b", PERFECT)
def test_perfect_matches_score_one(name, kw, a, b):
    assert getattr(cv, name)(a, b, **kw) == pytest.approx(1.0)


@pytest.mark.parametrize("name,kw", SCORES, ids=[f"{n}-{k.get('average_method', '')}" for n, k in SCORES])
@pytest.mark.parametrize("a,b", DEGENERATE)
def test_degenerate_labelings_follow_scikit_learn(name, kw, a, b):
    ours, theirs = getattr(cv, name)(a, b, **kw), getattr(sk, name)(a, b, **kw)
    if theirs in (0.0, 1.0):
        assert ours == theirs  # the exact values, not a residue
    else:
        assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-15)


def test_homogeneous_but_not_complete_and_the_reverse():
    # the published numbers of scikit-learn's tests: 1.00, 0.69, 0.81 and the reverse
    h, c, v = cv.homogeneity_completeness_v_measure([0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 2, 2])
    assert (round(h, 2), round(c, 2), round(v, 2)) == (1.00, 0.69, 0.81)
    h, c, v = cv.homogeneity_completeness_v_measure([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1])
    assert (round(h, 2), round(c, 2), round(v, 2)) == (0.58, 1.00, 0.73)
    h, c, v = cv.homogeneity_completeness_v_measure([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 2, 2])
    assert (round(h, 2), round(c, 2), round(v, 2)) == (0.67, 0.42, 0.52)


def test_nmi_of_a_constant_labeling_is_exactly_zero_under_every_average():
    a, b = np.zeros(50, dtype=int), np.r_[np.zeros(49, dtype=int), 1]
    for m in METHODS:
        assert cv.normalized_mutual_info_score(a, b, average_method=m) == 0.0


# ---------------------------------------------------------------------------------------------
# Issue 15, peer features: rand_score, fowlkes_mallows_score, mutual_info_score,
# contingency_matrix, entropy, v_measure_score(beta=) and silhouette with metric="precomputed".
# Expectations ported (numbers only) from scikit-learn's
# sklearn/metrics/cluster/tests/test_supervised.py and test_unsupervised.py, test function named
# in each comment; then randomized comparisons with scikit-learn itself on the same data, to an
# absolute tolerance of 1e-10 (TOL).
# ---------------------------------------------------------------------------------------------

TOL = 1e-10  # agreement with scikit-learn on the same data, absolute


def sk_entropy(labels):
    """scikit-learn's entropy: public but deprecated since 1.8 (FutureWarning), removed in 1.10."""
    try:
        from sklearn.metrics.cluster import entropy
    except ImportError:  # pragma: no cover - scikit-learn >= 1.10
        from sklearn.metrics.cluster._supervised import _entropy as entropy
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return entropy(labels)


def pair_counts(a, b):
    """Ordered pairs of distinct points: (together in both, together in a, together in b, all),
    counted one pair at a time (the quadratic definition, independent of any contingency table)."""
    a, b = np.asarray(a), np.asarray(b)
    off = ~np.eye(len(a), dtype=bool)
    sa, sb = (a[:, None] == a[None, :]) & off, (b[:, None] == b[None, :]) & off
    return int((sa & sb).sum()), int(sa.sum()), int(sb.sum()), int(off.sum())


# --- rand_score ---------------------------------------------------------------------------------


def test_rand_score_regular_case():
    # test_supervised.py::test_rand_score: D11 = 4, D10 = 8, D01 = 2, D00 = 30 - 14 ordered pairs
    d11, d10, d01 = 2 * 2, 2 * 4, 2 * 1
    d00 = 5 * 6 - d11 - d01 - d10
    expected = (d00 + d11) / (d00 + d01 + d10 + d11)
    assert cv.rand_score([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 2, 2]) == pytest.approx(expected, abs=TOL)


def test_rand_score_non_consecutive_labels():
    # test_supervised.py::test_non_consecutive_labels: 0.66 to 2 decimals, gaps in the labels or not
    r1 = cv.rand_score([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 2, 2])
    r2 = cv.rand_score([0, 0, 0, 1, 1, 1], [0, 4, 0, 4, 2, 2])
    assert round(r1, 2) == 0.67 and r1 == pytest.approx(0.66, abs=0.01)
    assert r1 == r2


@pytest.mark.parametrize("labels", [list(range(100)), np.zeros(100)], ids=["singletons", "one-cluster"])
def test_rand_score_edge_cases(labels):
    # test_supervised.py::test_rand_score_edge_cases (and test_pair_confusion_matrix_fully_dispersed,
    # _single_cluster): every point its own cluster, or one cluster: exactly 1
    assert cv.rand_score(labels, labels) == 1.0


def test_rand_score_against_the_pair_definition():
    # test_supervised.py::test_pair_confusion_matrix: clusters of 10 against clusters of 11,
    # checked there against a quadratic loop over pairs; here against our own quadratic count
    n = 10
    c1 = np.hstack([[i + 1] * n for i in range(n)])
    c2 = np.hstack([[i + 1] * (n + 1) for i in range(n)])[: n * n]
    both, in_a, in_b, total = pair_counts(c1, c2)
    agree = total - (in_a - both) - (in_b - both)
    assert cv.rand_score(c1, c2) == pytest.approx(agree / total, abs=TOL)


# --- fowlkes_mallows_score ----------------------------------------------------------------------


def test_fowlkes_mallows_score():
    # test_supervised.py::test_fowlkes_mallows_score: general case, renamed perfect match, worst case
    assert cv.fowlkes_mallows_score([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(
        4.0 / np.sqrt(12.0 * 6.0), abs=TOL
    )
    assert cv.fowlkes_mallows_score([0, 0, 0, 1, 1, 1], [1, 1, 1, 0, 0, 0]) == 1.0
    assert cv.fowlkes_mallows_score([0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5]) == 0.0


def test_fowlkes_mallows_score_properties():
    # test_supervised.py::test_fowlkes_mallows_score_properties: 1 / sqrt((1 + 3)(1 + 2)),
    # symmetric, and unchanged by renaming the labels
    a, b = np.array([0, 0, 0, 1, 1, 2]), np.array([1, 1, 2, 2, 0, 0])
    expected = 1.0 / np.sqrt((1.0 + 3.0) * (1.0 + 2.0))
    for x, y in [(a, b), (b, a), ((a + 1) % 3, b), (b, (a + 2) % 3)]:
        assert cv.fowlkes_mallows_score(x, y) == pytest.approx(expected, abs=TOL)


def test_fowlkes_mallows_score_against_the_pair_definition():
    rng = np.random.default_rng(7)
    a, b = rng.integers(0, 4, 40), rng.integers(0, 5, 40)
    both, in_a, in_b, _ = pair_counts(a, b)
    assert cv.fowlkes_mallows_score(a, b) == pytest.approx(both / np.sqrt(in_a * in_b), abs=TOL)


def test_mutual_info_and_fowlkes_mallows_do_not_overflow():
    # test_supervised.py::test_int_overflow_mutual_info_fowlkes_mallows_score: 75,278 rows
    x = np.array(
        [1] * (52632 + 2529) + [2] * (14660 + 793) + [3] * (3271 + 204) + [4] * (814 + 39) + [5] * (316 + 20)
    )
    y = np.array(
        [0] * 52632 + [1] * 2529 + [0] * 14660 + [1] * 793 + [0] * 3271 + [1] * 204
        + [0] * 814 + [1] * 39 + [0] * 316 + [1] * 20
    )  # fmt: skip
    for name in ["mutual_info_score", "fowlkes_mallows_score", "rand_score"]:
        ours = getattr(cv, name)(x, y)
        assert np.isfinite(ours)
        assert ours == pytest.approx(getattr(sk, name)(x, y), abs=TOL)


# --- entropy ------------------------------------------------------------------------------------


def test_entropy():
    # test_supervised.py::test_entropy: 0.6365141 (5 decimals), empty -> 1, one class -> exactly 0
    assert cv.entropy([0, 0, 42.0]) == pytest.approx(0.6365141, abs=1e-5)
    assert cv.entropy([]) == 1.0
    assert cv.entropy([1, 1, 1, 1]) == 0.0
    # the same value in closed form: log 3 - (2/3) log 2
    assert cv.entropy(["x", "x", "y"]) == pytest.approx(np.log(3) - 2 / 3 * np.log(2), abs=1e-15)


def test_entropy_refuses_missing_labels_where_scikit_learn_counts_each_nan_as_a_class():
    with pytest.raises(InputError, match="missing labels"):
        cv.entropy([0.0, np.nan, 1.0])


# --- contingency_matrix -------------------------------------------------------------------------

LABELS_A = np.array([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3])
LABELS_B = np.array([1, 1, 1, 1, 2, 1, 2, 2, 2, 2, 3, 1, 3, 3, 3, 2, 2])


def test_contingency_matrix():
    # test_supervised.py::test_contingency_matrix: the 2-d histogram, and + eps
    C = cv.contingency_matrix(LABELS_A, LABELS_B)
    C2 = np.histogram2d(LABELS_A, LABELS_B, bins=(np.arange(1, 5), np.arange(1, 5)))[0]
    np.testing.assert_array_equal(C, C2)
    assert C.dtype == np.int64
    Ce = cv.contingency_matrix(LABELS_A, LABELS_B, eps=0.1)
    np.testing.assert_allclose(Ce, C2 + 0.1, rtol=0, atol=1e-15)


def test_contingency_matrix_sparse():
    # test_supervised.py::test_contingency_matrix_sparse: the same counts, and eps refused with sparse
    C = cv.contingency_matrix(LABELS_A, LABELS_B)
    S = cv.contingency_matrix(LABELS_A, LABELS_B, sparse=True)
    assert scipy.sparse.issparse(S) and S.format == "csr"
    assert type(S) is type(sk_contingency_matrix(LABELS_A, LABELS_B, sparse=True))
    np.testing.assert_array_equal(S.toarray(), C)
    with pytest.raises(ParameterError, match="cannot be set when sparse=True"):
        cv.contingency_matrix(LABELS_A, LABELS_B, eps=1e-10, sparse=True)


def test_contingency_matrix_orders_classes_as_np_unique_not_by_first_appearance():
    a, b = ["b", "c", "a", "b", "a"], [30, 10, 20, 10, 30]  # first seen: b, c, a and 30, 10, 20
    ours = cv.contingency_matrix(a, b)
    np.testing.assert_array_equal(ours, sk_contingency_matrix(a, b))
    np.testing.assert_array_equal(ours, [[0, 1, 1], [1, 0, 1], [1, 0, 0]])  # rows a, b, c; cols 10, 20, 30
    s = pd.Series(a, dtype="category")
    np.testing.assert_array_equal(cv.contingency_matrix(s, b), ours)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float64, float])
@pytest.mark.parametrize("eps", [None, 0, 1, 0.25])
def test_contingency_matrix_dtype_and_eps_as_scikit_learn(dtype, eps):
    ours = cv.contingency_matrix(LABELS_A, LABELS_B[::-1], dtype=dtype, eps=eps)
    theirs = sk_contingency_matrix(LABELS_A, LABELS_B[::-1], dtype=dtype, eps=eps)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_contingency_matrix_of_empty_labellings_is_0_by_0():
    for sparse in (False, True):
        ours, theirs = (
            cv.contingency_matrix([], [], sparse=sparse),
            sk_contingency_matrix([], [], sparse=sparse),
        )
        assert ours.shape == theirs.shape == (0, 0)
        assert ours.dtype == theirs.dtype


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"eps": -1.0}, "'eps'"),
        ({"eps": np.nan}, "'eps'"),
        ({"eps": np.inf}, "'eps'"),
        ({"eps": "0.1"}, "'eps'"),
        ({"sparse": 1}, "'sparse'"),
    ],
)
def test_contingency_matrix_refuses_bad_arguments_as_scikit_learn(kw, match):
    with pytest.raises(ParameterError, match=match):
        cv.contingency_matrix([0, 1], [1, 1], **kw)
    with pytest.raises(ValueError):  # scikit-learn's InvalidParameterError is a ValueError
        sk_contingency_matrix([0, 1], [1, 1], **kw)


def test_contingency_matrix_sparse_without_scipy_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)  # import scipy.sparse -> ImportError
    with pytest.raises(ParameterError, match="scipy is not installed"):
        cv.contingency_matrix([0, 1], [1, 1], sparse=True)
    np.testing.assert_array_equal(cv.contingency_matrix([0, 1], [1, 1]), [[1], [1]])


# --- mutual_info_score --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a,b",
    [
        (["a"] * 6, [1, 1, 0, 0, 1, 1]),
        ([1] * 6, [1, 1, 0, 0, 1, 1]),
        ([1, 1, 0, 0, 1, 1], ["a"] * 6),
        ([1, 1, 0, 0, 1, 1], [1] * 6),
        (["a"] * 6, ["a"] * 6),
    ],
)
def test_mutual_info_score_of_a_constant_labelling_is_exactly_zero(a, b):
    # test_supervised.py::test_mutual_info_score_positive_constant_label
    assert cv.mutual_info_score(a, b) == 0.0


@pytest.mark.parametrize("rows", [[1, 2], [1, 6], [2, 3, 7], [5, 1, 1, 4]])
@pytest.mark.parametrize("cols", [[1, 2], [3, 7], [1, 4, 6]])
def test_mutual_info_of_independent_labellings_is_exactly_zero(rows, cols):
    # a table that is the outer product of its margins: the log terms cancel only up to rounding
    # (about 1e-16); such a table is recognised in integers and scores exactly 0
    table = np.outer(rows, cols)
    a = np.repeat(np.repeat(np.arange(len(rows)), len(cols)), table.ravel())
    b = np.repeat(np.tile(np.arange(len(cols)), len(rows)), table.ravel())
    np.testing.assert_array_equal(cv.contingency_matrix(a, b), table)
    assert cv.mutual_info_score(None, None, contingency=table) == 0.0
    assert cv.mutual_info_score(a, b) == 0.0
    assert cv.homogeneity_completeness_v_measure(a, b) == (0.0, 0.0, 0.0)
    for m in METHODS:
        assert cv.normalized_mutual_info_score(a, b, average_method=m) == 0.0
    # scikit-learn gets 0 on most of these tables and a residue below 1e-15 on the others
    assert sk.mutual_info_score(None, None, contingency=table) == pytest.approx(0.0, abs=1e-15)


def test_exactly_zero_info_score():
    # test_supervised.py::test_exactly_zero_info_score: one class against all singletons, n to 10^4
    for n in np.logspace(1, 4, 4).astype(int):
        a, b = np.ones(n, dtype=int), np.arange(n, dtype=int)
        assert cv.mutual_info_score(a, b) == 0.0
        assert cv.v_measure_score(a, b) == 0.0
        assert cv.v_measure_score(a, b, beta=3.0) == 0.0


def test_v_measure_and_mutual_information():
    # test_supervised.py::test_v_measure_and_mutual_information (seed 36, n = 10 .. 10^4, 10 classes):
    # V = 2 MI / (H(a) + H(b)) = NMI (arithmetic); scikit-learn checks to 0 decimals, we to 1e-10
    for n in np.logspace(1, 4, 4).astype(int):
        rs = np.random.RandomState(36)
        a, b = rs.randint(0, 10, n), rs.randint(0, 10, n)
        v = cv.v_measure_score(a, b)
        assert v == pytest.approx(2.0 * cv.mutual_info_score(a, b) / (cv.entropy(a) + cv.entropy(b)), abs=TOL)
        assert v == pytest.approx(cv.normalized_mutual_info_score(a, b, average_method="arithmetic"), abs=TOL)


def test_mutual_info_score_in_nats():
    # log 2 nats for a perfect two-class split; scikit-learn's docstring example 0.0566 (4 decimals)
    assert cv.mutual_info_score([0, 0, 1, 1], [5, 5, 3, 3]) == pytest.approx(np.log(2), abs=1e-15)
    assert round(cv.mutual_info_score([0, 1, 1, 0, 1, 0], [0, 1, 0, 0, 1, 1]), 4) == 0.0566


@pytest.mark.parametrize(
    "make",
    [
        np.asarray,
        lambda m: np.asarray(m).tolist(),
        lambda m: np.asarray(m, dtype=float),
        scipy.sparse.csr_matrix,
        scipy.sparse.csc_matrix,
        scipy.sparse.coo_matrix,
        scipy.sparse.lil_matrix,
        scipy.sparse.csr_array,
    ],
    ids=["ndarray", "list", "float", "csr", "csc", "coo", "lil", "csr_array"],
)
def test_mutual_info_score_takes_a_contingency_table(make):
    a, b = [0, 0, 1, 1, 2, 2, 2], ["x", "y", "y", "y", "x", "x", "z"]
    table = sk_contingency_matrix(a, b)
    ours = cv.mutual_info_score(None, None, contingency=make(table))
    assert ours == pytest.approx(cv.mutual_info_score(a, b), abs=TOL)
    assert ours == pytest.approx(sk.mutual_info_score(None, None, contingency=make(table)), abs=TOL)
    # the labels are ignored when a table is given, as in scikit-learn
    assert cv.mutual_info_score([0, 0], [0, 1], contingency=make(table)) == ours


def test_mutual_info_score_of_a_table_with_a_zero_row_and_one_row():
    # one row (even with a row of zeros added) -> exactly 0; a zero row elsewhere changes nothing
    for table in ([[1, 2]], [[1, 2], [0, 0]], [[3], [4]]):
        assert cv.mutual_info_score(None, None, contingency=table) == 0.0
        assert sk.mutual_info_score(None, None, contingency=table) == 0.0
    t = [[1, 2], [0, 0], [3, 4]]
    assert cv.mutual_info_score(None, None, contingency=t) == pytest.approx(
        sk.mutual_info_score(None, None, contingency=t), abs=TOL
    )


@pytest.mark.parametrize(
    "table",
    [[[1.5, 2.7], [3.2, 0.9]], [[1, 2], [3, -1]], [[1, 2], [3, np.nan]], [[0, 0], [0, 0]], np.zeros((0, 0))],
    ids=["fractional", "negative", "nan", "zeros", "empty"],
)
def test_mutual_info_score_refuses_a_table_that_is_not_counts(table):
    # scikit-learn truncates fractions, returns NaN for negatives and raises for the rest; we raise
    with pytest.raises(InputError, match="contingency|no rows"):
        cv.mutual_info_score(None, None, contingency=table)


def test_mutual_info_score_of_empty_labellings_raises_as_scikit_learn():
    # scikit-learn: ValueError ("math domain error"); here an InputError, which is a ValueError
    with pytest.raises(ValueError):
        sk.mutual_info_score([], [])
    with pytest.raises(InputError, match="no rows"):
        cv.mutual_info_score([], [])


# --- v_measure_score(beta=) ---------------------------------------------------------------------


def test_beta_parameter():
    # test_supervised.py::test_beta_parameter: beta 0.2, h 0.67, c 0.42 (2 decimals)
    beta, h_test, c_test = 0.2, 0.67, 0.42
    v_test = (1 + beta) * h_test * c_test / (beta * h_test + c_test)
    h, c, v = cv.homogeneity_completeness_v_measure([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 2, 2], beta=beta)
    assert (round(h, 2), round(c, 2)) == (h_test, c_test)
    assert v == pytest.approx(v_test, abs=0.005)
    assert cv.v_measure_score([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 2, 2], beta=beta) == v
    # exactly the weighted harmonic mean of our own h and c
    assert v == pytest.approx((1 + beta) * h * c / (beta * h + c), abs=1e-15)


def test_beta_weights_completeness_above_one_and_homogeneity_below():
    a, b = [0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1]  # complete (c = 1) but not homogeneous
    h, c, v1 = cv.homogeneity_completeness_v_measure(a, b)
    assert h < v1 < c
    assert cv.v_measure_score(a, b, beta=0.0) == pytest.approx(h, abs=1e-15)
    assert h < cv.v_measure_score(a, b, beta=0.5) < v1 < cv.v_measure_score(a, b, beta=2.0) < c
    assert cv.v_measure_score(a, b, beta=1e9) == pytest.approx(c, abs=1e-8)


@pytest.mark.parametrize("beta", [-1.0, -1e-12, np.nan, np.inf, "1", None])
def test_beta_must_be_finite_and_non_negative_as_scikit_learn(beta):
    with pytest.raises(ParameterError, match="'beta'"):
        cv.v_measure_score([0, 1], [0, 1], beta=beta)
    with pytest.raises(ParameterError, match="'beta'"):
        cv.homogeneity_completeness_v_measure([0, 1], [0, 1], beta=beta)
    with pytest.raises((ValueError, TypeError)):
        sk.v_measure_score([0, 1], [0, 1], beta=beta)


def test_beta_zero_with_completeness_zero_is_zero_where_scikit_learn_divides_by_zero():
    a, b = [0, 0, 0, 0], [0, 1, 2, 3]  # homogeneity 1, completeness 0
    with pytest.raises(ZeroDivisionError):
        sk.v_measure_score(a, b, beta=0.0)
    assert cv.v_measure_score(a, b, beta=0.0) == 0.0
    assert cv.v_measure_score(a, b, beta=1e-300) == 0.0  # the limit beta -> 0


# --- silhouette with metric="precomputed" -------------------------------------------------------


def distances(X):
    X = np.asarray(X, dtype=float).reshape(len(X), -1)
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))


@pytest.mark.parametrize("sample_size", [None, 75])
def test_silhouette_precomputed_equals_euclidean_on_iris(sample_size):
    # test_unsupervised.py::test_silhouette: iris with its species, the same score from the points
    # and from their distances (also on the same random half: the same seed draws the same rows)
    X, y = load_iris(return_X_y=True)
    D = distances(X)
    pre = cv.silhouette_score(D, y, metric="precomputed", sample_size=sample_size, seed=0)
    euc = cv.silhouette_score(X, y, metric="euclidean", sample_size=sample_size, seed=0)
    assert pre > 0 and euc > 0
    assert pre == pytest.approx(euc, abs=TOL)
    if sample_size is None:
        assert pre == pytest.approx(sk.silhouette_score(D, y, metric="precomputed"), abs=TOL)


def test_silhouette_precomputed_cluster_size_1():
    # test_unsupervised.py::test_cluster_size_1: a singleton scores 0, a cluster of two identical
    # points scores 1 each: [0, 0.5, 0.5, 0, 1, 1] exactly
    D = distances([[0.0], [1.0], [1.0], [2.0], [3.0], [3.0]])
    s = cv.silhouette_samples(D, np.array([0, 1, 1, 1, 2, 2]), metric="precomputed")
    np.testing.assert_array_equal(s, [0, 0.5, 0.5, 0, 1, 1])


ROUSSEEUW_LOWER = [
    5.58, 7.00, 6.50, 7.08, 7.00, 3.83, 4.83, 5.08, 8.17, 5.83, 2.17, 5.75, 6.67, 6.92, 4.92, 6.42,
    5.00, 5.58, 6.00, 4.67, 6.42, 3.42, 5.50, 6.42, 6.42, 5.00, 3.92, 6.17, 2.50, 4.92, 6.25, 7.33,
    4.50, 2.25, 6.33, 2.75, 6.08, 6.67, 4.25, 2.67, 6.00, 6.17, 6.17, 6.92, 6.17, 5.25, 6.83, 4.50,
    3.75, 5.75, 5.42, 6.08, 5.83, 6.67, 3.67, 4.75, 3.00, 6.08, 6.67, 5.00, 5.58, 4.83, 6.17, 5.67,
    6.50, 6.92,
]  # fmt: skip
ROUSSEEUW_NAMES = ["BEL", "BRA", "CHI", "CUB", "EGY", "FRA", "IND", "ISR", "USA", "USS", "YUG", "ZAI"]
ROUSSEEUW = [
    (  # Figure 2
        [1, 1, 2, 2, 1, 1, 2, 1, 1, 2, 2, 1],
        {"USA": 0.43, "BEL": 0.39, "FRA": 0.35, "ISR": 0.30, "BRA": 0.22, "EGY": 0.20, "ZAI": 0.19,
         "CUB": 0.40, "USS": 0.34, "CHI": 0.33, "YUG": 0.26, "IND": -0.04},
        0.28,
    ),
    (  # Figure 3
        [1, 2, 3, 3, 1, 1, 2, 1, 1, 3, 3, 2],
        {"USA": 0.47, "FRA": 0.44, "BEL": 0.42, "ISR": 0.37, "EGY": 0.02, "ZAI": 0.28, "BRA": 0.25,
         "IND": 0.17, "CUB": 0.48, "USS": 0.44, "YUG": 0.31, "CHI": 0.31},
        0.33,
    ),
]  # fmt: skip


@pytest.mark.parametrize("labels,expected,score", ROUSSEEUW, ids=["figure2", "figure3"])
def test_silhouette_paper_example(labels, expected, score):
    # test_unsupervised.py::test_silhouette_paper_example: Rousseeuw (1987), Table 1 and Figures
    # 2-3, to the paper's 2 decimals (scikit-learn's test builds pytest.approx without asserting it)
    D = np.zeros((12, 12))
    D[np.tril_indices(12, -1)] = ROUSSEEUW_LOWER
    D += D.T
    s = cv.silhouette_samples(D, np.array(labels), metric="precomputed")
    np.testing.assert_allclose(s, [expected[n] for n in ROUSSEEUW_NAMES], rtol=0, atol=1e-2)
    assert cv.silhouette_score(D, labels, metric="precomputed") == pytest.approx(score, abs=1e-2)


@pytest.mark.parametrize("labels", [np.arange(12), np.zeros(12)], ids=["n-labels", "one-label"])
def test_silhouette_precomputed_correct_labelsize(labels):
    # test_unsupervised.py::test_correct_labelsize: 2 to n - 1 labels, else an error naming the count
    D = distances(np.arange(12.0))
    k = len(np.unique(labels))
    for f in (cv.silhouette_score, cv.silhouette_samples):
        with pytest.raises(ParameterError, match=rf"{k} distinct labels .* 2 to n - 1 \(inclusive\)"):
            f(D, labels, metric="precomputed")
    with pytest.raises(ValueError, match=f"Number of labels is {k}"):
        sk.silhouette_samples(D, labels, metric="precomputed")


def test_silhouette_precomputed_non_encoded_and_non_numpy_labels():
    # test_unsupervised.py::test_non_encoded_labels and test_non_numpy_labels
    X, y = load_iris(return_X_y=True)
    D = distances(X)
    ref = cv.silhouette_samples(D, y, metric="precomputed")
    np.testing.assert_array_equal(cv.silhouette_samples(D, y * 2 + 10, metric="precomputed"), ref)
    np.testing.assert_array_equal(cv.silhouette_samples(D.tolist(), list(y), metric="precomputed"), ref)
    names = np.array(["a", "b", "c"])[y]
    np.testing.assert_array_equal(cv.silhouette_samples(D, names, metric="precomputed"), ref)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_silhouette_nonzero_diag(dtype):
    # test_unsupervised.py::test_silhouette_nonzero_diag: up to 100 eps of the dtype is a zero,
    # 1000 eps is not
    D = distances(np.array([0.2, 0.1, 0.12, 1.34, 1.11, 1.6])).astype(dtype)
    labels = [0, 0, 0, 1, 1, 1]
    D[2, 2] = np.finfo(dtype).eps * 10
    ours = cv.silhouette_samples(D, labels, metric="precomputed")
    np.testing.assert_allclose(ours, sk.silhouette_samples(D, labels, metric="precomputed"), atol=1e-6)
    D[2, 2] = np.finfo(dtype).eps * 1000
    with pytest.raises(InputError, match="non-zero elements on its diagonal"):
        cv.silhouette_samples(D, labels, metric="precomputed")
    with pytest.raises(ValueError, match="contains non-zero"):
        sk.silhouette_samples(D, labels, metric="precomputed")


@pytest.mark.parametrize(
    "container",
    [scipy.sparse.csr_matrix, scipy.sparse.csc_matrix, scipy.sparse.dok_matrix, scipy.sparse.lil_matrix],
)
def test_silhouette_samples_precomputed_sparse(container):
    # test_unsupervised.py::test_silhouette_samples_precomputed_sparse: sparse and dense agree
    X = np.array([0.2, 0.1, 0.1, 0.2, 0.1, 1.6, 0.2, 0.1])
    y = [0, 0, 0, 0, 1, 1, 1, 1]
    dense = distances(X)
    ours = cv.silhouette_samples(container(dense), y, metric="precomputed")
    np.testing.assert_allclose(ours, cv.silhouette_samples(dense, y, metric="precomputed"), rtol=0, atol=TOL)
    np.testing.assert_allclose(ours, sk.silhouette_samples(dense, y, metric="precomputed"), rtol=0, atol=TOL)


def test_silhouette_score_integer_precomputed():
    # test_unsupervised.py::test_silhouette_score_integer_precomputed: 1/6, and an integer
    # non-zero diagonal refused
    score = cv.silhouette_score([[0, 1, 2], [1, 0, 1], [2, 1, 0]], [0, 0, 1], metric="precomputed")
    assert score == pytest.approx(1 / 6, abs=1e-15)
    with pytest.raises(InputError, match="non-zero elements on its diagonal"):
        cv.silhouette_score([[1, 1, 2], [1, 0, 1], [2, 1, 0]], [0, 0, 1], metric="precomputed")


@pytest.mark.parametrize(
    "X,error,match",
    [
        ([[0, 1, -2], [1, 0, 1], [-2, 1, 0]], InputError, "negative distances"),
        ([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0]], ParameterError, "square"),
        ([[0, 1, np.nan], [1, 0, 1], [2, 1, 0]], InputError, "missing or infinite"),
        ([[0, 1, np.inf], [1, 0, 1], [2, 1, 0]], InputError, "missing or infinite"),
        ([[[0.0]], [[1.0]], [[2.0]]], ParameterError, "2-d"),
        (np.zeros((0, 0)), InputError, "no rows"),
    ],
    ids=["negative", "not-square", "nan", "inf", "3-d", "empty"],
)
def test_silhouette_precomputed_refuses_what_scikit_learn_refuses(X, error, match):
    labels = [0, 0, 1][: len(X)]
    with pytest.raises(error, match=match):
        cv.silhouette_samples(X, labels, metric="precomputed")
    with pytest.raises(ValueError):
        sk.silhouette_samples(X, labels, metric="precomputed")


def test_silhouette_precomputed_label_count_mismatch():
    with pytest.raises(ParameterError, match="2 labels for 3 rows"):
        cv.silhouette_samples(distances([0.0, 1.0, 2.0]), [0, 1], metric="precomputed")


@pytest.mark.parametrize("metric", ["cosine", "bogus"])
def test_silhouette_other_metrics_are_refused_naming_the_supported_ones(metric):
    X = [[0.0], [0.1], [5.0], [5.1]]
    for f in (cv.silhouette_score, cv.silhouette_samples):
        with pytest.raises(ParameterError, match="'euclidean', 'manhattan'.*'precomputed'") as err:
            f(X, [0, 0, 1, 1], metric=metric)
        assert repr(metric) in str(err.value)


def test_silhouette_precomputed_in_blocks_of_rows(monkeypatch):
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(90, 2)), rng.integers(0, 4, 90)
    D = distances(X)
    whole = cv.silhouette_samples(D, y, metric="precomputed")
    monkeypatch.setattr(_clustering, "SILHOUETTE_BLOCK_CELLS", 7 * 90)  # blocks of 7 rows, the last short
    np.testing.assert_array_equal(cv.silhouette_samples(D, y, metric="precomputed"), whole)
    np.testing.assert_allclose(whole, sk.silhouette_samples(D, y, metric="precomputed"), rtol=0, atol=TOL)


# --- randomized comparisons with scikit-learn (TOL = 1e-10 absolute) ----------------------------

LABEL_SHAPES = [
    (1, 1, 1),
    (2, 1, 2),
    (3, 3, 1),
    (10, 2, 3),
    (10, 10, 10),
    (57, 5, 8),
    (57, 57, 3),
    (500, 12, 7),
]


@pytest.mark.parametrize("n,ka,kb", LABEL_SHAPES)
@pytest.mark.parametrize("seed", range(4))
def test_agreement_scores_match_scikit_learn_on_random_labellings(n, ka, kb, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, ka, n) * 7 - 3  # labels with gaps and negatives
    b = np.array(["p", "q", "r", "s", "t", "u", "v", "w", "x", "y"] * 60)[rng.integers(0, kb, n)]
    for name in ["rand_score", "fowlkes_mallows_score", "mutual_info_score"]:
        assert getattr(cv, name)(a, b) == pytest.approx(getattr(sk, name)(a, b), abs=TOL), name
    for beta in [0.0, 0.3, 1.0, 4.0]:
        if beta == 0.0 and sk.completeness_score(a, b) == 0.0:
            continue  # scikit-learn divides by zero (see the test above)
        ours = cv.homogeneity_completeness_v_measure(a, b, beta=beta)
        theirs = sk.homogeneity_completeness_v_measure(a, b, beta=beta)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOL)
    assert cv.entropy(a) == pytest.approx(sk_entropy(a), abs=TOL)
    assert cv.entropy(b) == pytest.approx(sk_entropy(b), abs=TOL)
    np.testing.assert_array_equal(cv.contingency_matrix(a, b), sk_contingency_matrix(a, b))
    table = sk_contingency_matrix(a, b, sparse=True)
    assert cv.mutual_info_score(None, None, contingency=table) == pytest.approx(
        sk.mutual_info_score(None, None, contingency=table), abs=TOL
    )


@pytest.mark.parametrize("n,k", [(3, 2), (10, 3), (40, 5), (200, 4), (200, 150)])
@pytest.mark.parametrize("seed", range(3))
def test_precomputed_silhouette_matches_scikit_learn_on_random_data(n, k, seed):
    rng = np.random.default_rng(seed)
    labels = np.r_[np.arange(k), rng.integers(0, k, n - k)]  # every cluster present
    rng.shuffle(labels)
    X = rng.integers(0, 4, size=(n, 2)).astype(float)  # a small grid: many duplicates, ties, a = 0
    D = distances(X)
    theirs = sk.silhouette_samples(D, labels, metric="precomputed")
    ours = cv.silhouette_samples(D, labels, metric="precomputed")
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours, cv.silhouette_samples(X, labels), rtol=0, atol=TOL)
    score = cv.silhouette_score(D, labels, metric="precomputed")
    assert score == pytest.approx(float(np.mean(theirs)), abs=TOL)
    # any dissimilarity (not symmetric, not a metric) is read row by row, as scikit-learn
    A = rng.exponential(size=(n, n)) * (rng.random((n, n)) < 0.7)
    np.fill_diagonal(A, 0.0)
    np.testing.assert_allclose(
        cv.silhouette_samples(A, labels, metric="precomputed"),
        sk.silhouette_samples(A, labels, metric="precomputed"),
        rtol=0,
        atol=TOL,
    )


def test_many_clusters_are_counted_sparsely_with_the_same_results(monkeypatch):
    rng = np.random.default_rng(11)
    a, b = rng.integers(0, 30, 300), rng.integers(0, 40, 300)
    names = ["rand_score", "fowlkes_mallows_score", "mutual_info_score"]
    dense = [getattr(cv, f)(a, b) for f in names] + [cv.contingency_matrix(a, b)]
    monkeypatch.setattr(_clustering, "DENSE_CELLS", 0)  # every table counted in numpy
    sparse = [getattr(cv, f)(a, b) for f in names] + [cv.contingency_matrix(a, b)]
    assert sparse[:3] == pytest.approx(dense[:3], abs=1e-14)
    np.testing.assert_array_equal(sparse[3], dense[3])
    # and at a size where the dense table would hold 4e8 cells
    n = 20_000
    assert cv.rand_score(np.arange(n), np.arange(n)[::-1]) == 1.0
    assert cv.fowlkes_mallows_score(np.arange(n), np.arange(n) // 2) == 0.0
    # singletons refine the pairs, so MI is the entropy of the pairs: log(n / 2)
    assert cv.mutual_info_score(np.arange(n), np.arange(n) // 2) == pytest.approx(np.log(n // 2), abs=TOL)


def test_labels_must_be_one_dimensional_and_of_equal_length():
    # test_supervised.py::test_error_messages_on_wrong_input
    for f in (cv.rand_score, cv.fowlkes_mallows_score, cv.mutual_info_score, cv.contingency_matrix):
        with pytest.raises(ParameterError, match="2 labels|3 labels"):
            f([0, 1], [1, 1, 1])
        with pytest.raises(ParameterError, match="labels_true': labels must be 1-d"):
            f([[0, 1], [1, 0]], [1, 1])
        with pytest.raises(ParameterError, match="labels_pred': labels must be 1-d"):
            f([0, 1], [[1, 1], [0, 0]])


@pytest.mark.parametrize("a,b", [*PERFECT, ([0.0, 1.0, 0.0], [42.0, 7.0, 42.0]), ([0, 1], [0, 1])])
def test_perfect_matches_rand_score(a, b):
    # test_supervised.py::test_perfect_matches, for rand_score (added to its score_funcs)
    assert cv.rand_score(a, b) == 1.0 == sk.rand_score(a, b)


@pytest.mark.parametrize("a,b", PERFECT + DEGENERATE)
def test_degenerate_labelings_of_the_new_scores_follow_scikit_learn(a, b):
    for name in ["rand_score", "fowlkes_mallows_score", "v_measure_score"]:
        ours, theirs = getattr(cv, name)(a, b), getattr(sk, name)(a, b)
        assert ours == theirs if theirs in (0.0, 1.0) else ours == pytest.approx(theirs, abs=TOL), name
    if len(a):
        ours, theirs = cv.mutual_info_score(a, b), sk.mutual_info_score(a, b)
        assert ours == theirs if theirs == 0.0 else ours == pytest.approx(theirs, abs=TOL)
    np.testing.assert_array_equal(cv.contingency_matrix(a, b), sk_contingency_matrix(a, b))


@pytest.mark.parametrize("metric", ["manhattan", "cityblock", "l1", "l2"])
def test_silhouette_with_other_metrics_equals_scikit_learn(metric):
    from sklearn import metrics as skm

    rng = np.random.default_rng(4)
    for n, d, k in [(40, 2, 3), (300, 5, 4), (1000, 3, 6)]:
        X = rng.normal(size=(n, d)) + rng.integers(0, 3, size=(n, 1))
        labels = rng.integers(0, k, size=n)
        np.testing.assert_allclose(
            cv.silhouette_samples(X, labels, metric=metric),
            skm.silhouette_samples(X, labels, metric=metric),
            rtol=1e-10,
            atol=1e-12,
        )
        assert cv.silhouette_score(X, labels, metric=metric) == pytest.approx(
            skm.silhouette_score(X, labels, metric=metric), rel=1e-10
        )
