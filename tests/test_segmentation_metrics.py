"""Clustering metrics against scikit-learn on the same data, to 1e-10, and their properties."""

import customervalue as cv
import numpy as np
import pytest
from customervalue.errors import InputError, ParameterError
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.datasets import make_blobs

TOL = 1e-10


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(n_samples=1500, centers=4, n_features=5, cluster_std=2.5, random_state=3)
    rng = np.random.default_rng(1)
    noisy = np.where(rng.random(len(y)) < 0.2, rng.integers(0, 5, len(y)), y)  # 5 labels, partly wrong
    return X, y, noisy


def test_internal_indices_match_sklearn(blobs):
    X, y, noisy = blobs
    for labels in (y, noisy):
        assert cv.metrics.silhouette_score(X, labels) == pytest.approx(
            skm.silhouette_score(X, labels), abs=TOL
        )
        np.testing.assert_allclose(
            cv.metrics.silhouette_samples(X, labels), skm.silhouette_samples(X, labels), atol=TOL
        )
        assert cv.metrics.calinski_harabasz_score(X, labels) == pytest.approx(
            skm.calinski_harabasz_score(X, labels), rel=TOL
        )
        assert cv.metrics.davies_bouldin_score(X, labels) == pytest.approx(
            skm.davies_bouldin_score(X, labels), abs=TOL
        )


def test_agreement_indices_match_sklearn(blobs):
    _, y, noisy = blobs
    assert cv.metrics.adjusted_rand_score(y, noisy) == pytest.approx(
        skm.adjusted_rand_score(y, noisy), abs=TOL
    )
    for method in ("arithmetic", "geometric", "min", "max"):
        ours = cv.metrics.normalized_mutual_info_score(y, noisy, average_method=method)
        assert ours == pytest.approx(
            skm.normalized_mutual_info_score(y, noisy, average_method=method), abs=TOL
        )
    assert cv.metrics.adjusted_mutual_info_score(y, noisy) == pytest.approx(
        skm.adjusted_mutual_info_score(y, noisy), abs=1e-9
    )
    np.testing.assert_allclose(
        cv.metrics.homogeneity_completeness_v_measure(y, noisy),
        skm.homogeneity_completeness_v_measure(y, noisy),
        atol=TOL,
    )


def test_special_cases_follow_sklearn():
    X = np.array([[0.0], [0.1], [0.2], [5.0]])
    # A singleton's silhouette is 0.
    assert cv.metrics.silhouette_samples(X, [0, 0, 0, 1])[3] == 0.0
    assert cv.metrics.silhouette_score(X, [0, 0, 0, 1]) == pytest.approx(
        skm.silhouette_score(X, [0, 0, 0, 1]), abs=TOL
    )
    # One group each: NMI and AMI are 1; string labels work.
    assert cv.metrics.normalized_mutual_info_score(["a"] * 4, ["b"] * 4) == 1.0
    assert cv.metrics.adjusted_mutual_info_score(["a"] * 4, ["b"] * 4) == 1.0
    # Identical points in two groups: Calinski-Harabasz 1, Davies-Bouldin 0, as sklearn.
    same = np.ones((4, 2))
    assert cv.metrics.calinski_harabasz_score(same, [0, 0, 1, 1]) == skm.calinski_harabasz_score(
        same, [0, 0, 1, 1]
    )
    assert cv.metrics.davies_bouldin_score(same, [0, 0, 1, 1]) == skm.davies_bouldin_score(same, [0, 0, 1, 1])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), min_size=2, max_size=60))
def test_ari_is_symmetric_invariant_to_renaming_and_matches_sklearn(pairs):
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    ab = cv.metrics.adjusted_rand_score(a, b)
    assert ab == pytest.approx(cv.metrics.adjusted_rand_score(b, a), abs=1e-12)
    assert ab == pytest.approx(skm.adjusted_rand_score(a, b), abs=TOL)
    renamed = np.array(["x", "y", "z", "w", "v"])[a]
    assert cv.metrics.adjusted_rand_score(renamed, b) == pytest.approx(ab, abs=1e-12)
    assert cv.metrics.adjusted_rand_score(a, a) == 1.0
    assert cv.metrics.normalized_mutual_info_score(a, b) == pytest.approx(
        skm.normalized_mutual_info_score(a, b), abs=TOL
    )


def test_bad_input_names_the_argument():
    X = np.arange(6.0).reshape(3, 2)
    with pytest.raises(ParameterError, match="labels"):
        cv.metrics.silhouette_score(X, [0, 0, 0])  # one label
    with pytest.raises(ParameterError, match="labels"):
        cv.metrics.silhouette_score(X, [0, 1])  # wrong length
    with pytest.raises(InputError, match="row 1"):
        cv.metrics.calinski_harabasz_score(np.array([[0.0, 1.0], [np.nan, 1.0], [2.0, 2.0]]), [0, 1, 1])
    with pytest.raises(ParameterError, match="metric"):
        cv.metrics.silhouette_score(X, [0, 1, 1], metric="cosine")
    # two empty labellings score 1, as scikit-learn (tests/test_peer_sklearn_metrics.py); one
    # empty against a non-empty one is an error
    assert cv.metrics.adjusted_rand_score([], []) == 1.0
    with pytest.raises(ParameterError, match="labels_pred"):
        cv.metrics.adjusted_rand_score([0, 1], [])
    with pytest.raises(ParameterError, match="average_method"):
        cv.metrics.normalized_mutual_info_score([0, 1], [0, 1], average_method="median")
