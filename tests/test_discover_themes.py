"""discover_themes: TF-IDF as scikit-learn's, NMF reconstruction error no worse than
scikit-learn's NMF of the same rank on the same matrix, seeded, assignable."""

from __future__ import annotations

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

# Our NMF (HALS, best of 4 random starts) against scikit-learn's default (coordinate descent
# from NNDSVDa): the Frobenius reconstruction error may exceed it by at most 1%.
NMF_TOLERANCE = 1.01


@pytest.fixture(scope="module")
def texts() -> pd.Series:
    return cv.datasets.customers(3000, seed=4)["comment"]


def matrix(res: cv.DiscoveredThemes, n: int) -> sp.csr_matrix:
    t = res.tfidf_
    return sp.csr_matrix((t["value"], (t["row"], t["column"])), shape=(n, len(res.vocabulary_)))


def test_tfidf_matches_scikit_learn_on_the_same_vocabulary(texts: pd.Series) -> None:
    res = cv.discover_themes(texts, n_themes=4, seed=0)
    ref = TfidfVectorizer(vocabulary=list(res.vocabulary_)).fit_transform(texts)
    np.testing.assert_allclose(matrix(res, len(texts)).toarray(), ref.toarray(), atol=1e-12)


@pytest.mark.parametrize("k", [4, 8])
def test_nmf_reconstruction_error_no_worse_than_scikit_learn(texts: pd.Series, k: int) -> None:
    res = cv.discover_themes(texts, n_themes=k, seed=0)
    x = matrix(res, len(texts))
    ref = NMF(n_components=k, random_state=0, max_iter=400).fit(x)
    assert res.reconstruction_err_ <= ref.reconstruction_err_ * NMF_TOLERANCE
    w, h = res.weights_.to_numpy(), res.components_
    assert res.reconstruction_err_ == pytest.approx(np.linalg.norm(x.toarray() - w @ h), rel=1e-9)
    assert (w >= 0).all() and (h >= 0).all()


@pytest.mark.parametrize("method", ["nmf", "kmeans"])
def test_seeded_and_assignable(texts: pd.Series, method: str) -> None:
    a = cv.discover_themes(texts, n_themes=10, method=method, seed=3)
    b = cv.discover_themes(texts, n_themes=10, method=method, seed=3)
    pd.testing.assert_frame_equal(a.table, b.table)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    new = a.assign(list(texts.head(200)) + [None, "zzz qqq"])
    assert new["theme"].iloc[-2:].tolist() == [-1, -1]
    agree = (new["theme"].iloc[:200].to_numpy() == a.labels_[:200]).mean()
    assert agree >= (1.0 if method == "kmeans" else 0.95)


def test_planted_themes_surface_as_top_terms(texts: pd.Series) -> None:
    # six planted themes plus four filler sentences ("Thanks.", ...) that are themes of their own
    res = cv.discover_themes(texts, n_themes=12, seed=0)
    tops = " ".join(res.table["top_terms"])
    for word in ["price", "delivery", "quality", "support", "easy", "trust"]:
        assert word in tops, word


def test_bad_input() -> None:
    with pytest.raises(cv.ParameterError, match="n_themes"):
        cv.discover_themes(["price high", "late delivery"], n_themes=5)
    with pytest.raises(cv.InputError, match="null or empty"):
        cv.discover_themes([None, " "], n_themes=1)
    with pytest.raises(cv.ParameterError, match="method"):
        cv.discover_themes(["a b"], n_themes=1, method="lda")
    with pytest.raises(cv.InputError, match="stop words"):
        cv.discover_themes(["the and", "of"], n_themes=1)


def test_same_seed_same_result_on_one_thread(texts: pd.Series) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import customervalue as cv\n"
        "t = cv.datasets.customers(3000, seed=4)['comment']\n"
        "r = cv.discover_themes(t, n_themes=10, seed=3)\n"
        "print(repr(r.reconstruction_err_), r.labels_.tolist())\n"
    )
    env = {**os.environ, "RAYON_NUM_THREADS": "1"}
    one = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    r = cv.discover_themes(texts, n_themes=10, seed=3)
    assert one.stdout.strip() == f"{r.reconstruction_err_!r} {r.labels_.tolist()}"
