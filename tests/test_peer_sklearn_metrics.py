"""scikit-learn's expectations for the clustering-agreement metrics, degenerate cases included.

Ported (the facts, not the code) from scikit-learn's
sklearn/metrics/cluster/tests/test_supervised.py (`test_perfect_matches`,
`test_homogeneous_but_not_complete_labeling`, `test_complete_but_not_homogeneous_labeling`,
`test_not_complete_and_not_homogeneous_labeling`, `test_single_cluster`-style cases), and checked
against scikit-learn itself on the same labels (issue 15, failure class 1: degenerate labelings
followed scikit-learn's semantics only in part: empty arrays raised, and a constant labeling
against one that differs in one point left a mutual information of about 1e-15, so NMI divided
by a zero entropy under average_method "min" and "geometric").
"""

from __future__ import annotations

import numpy as np
import pytest
from customervalue import metrics as cv
from sklearn import metrics as sk

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
