"""customervalue.sklearn: scikit-learn's estimator checks, clone, Pipeline, GridSearchCV, agreement
with scikit-learn's own estimators on planted blobs, determinism and bad input (issue 17, item 4)."""

from __future__ import annotations

import os
import subprocess
import sys

import customervalue as cv
import customervalue.sklearn as cvs
import numpy as np
import pandas as pd
import pytest
import sklearn.cluster
import sklearn.mixture
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

# ---- scikit-learn's estimator checks --------------------------------------------------------

# Checks expected to fail, per estimator, with the reason: none; every check passes.
# ``xfail_strict`` makes a listed check that passes an error, so the list cannot go stale.
# scikit-learn itself skips one check per estimator here, ``check_array_api_input``, unless
# SCIPY_ARRAY_API=1 was set before scipy was imported; a test below runs it in a fresh interpreter.
# KPrototypes runs every check too: the ``categorical`` input tag makes scikit-learn hand it
# integer-coded columns, and the first column is declared categorical.
EXPECTED_FAILED: dict[str, dict[str, str]] = {
    "KMeans": {},
    "MiniBatchKMeans": {},
    "GaussianMixture": {},
    "KPrototypes": {},
}

ESTIMATORS = [
    cvs.KMeans(),
    cvs.MiniBatchKMeans(),
    cvs.GaussianMixture(),
    cvs.KPrototypes(categorical=[0]),
]


def _expected_failed(estimator):
    return EXPECTED_FAILED[type(estimator).__name__]


# The checks fit the default 8 clusters to data with fewer distinct rows (integer codes for
# KPrototypes), which warns as scikit-learn's KMeans does; the warning is tested on its own below.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed, xfail_strict=True)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_the_array_namespace_checks_pass_with_dispatch_enabled():
    """scikit-learn skips its array-namespace check unless SCIPY_ARRAY_API=1 was set before scipy
    was imported; a fresh interpreter runs it."""
    code = (
        "import customervalue.sklearn as cvs\n"
        "from sklearn.utils.estimator_checks import check_array_api_input\n"
        "for est in (cvs.KMeans(), cvs.MiniBatchKMeans(), cvs.GaussianMixture(),"
        " cvs.KPrototypes(categorical=[0])):\n"
        "    check_array_api_input(type(est).__name__, est, array_namespace='numpy',"
        " expect_only_array_outputs=False)\n"
        "print('ok')\n"
    )
    env = {**os.environ, "SCIPY_ARRAY_API": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


# ---- without scikit-learn --------------------------------------------------------------------


def test_customervalue_imports_without_sklearn_and_the_submodule_says_what_to_install():
    code = (
        "import sys\n"
        "sys.modules['sklearn'] = None  # as if scikit-learn were not installed\n"
        "import customervalue\n"
        "try:\n"
        "    import customervalue.sklearn\n"
        "except ImportError as err:\n"
        "    print(err)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "customervalue.sklearn needs scikit-learn" in done.stdout
    assert "pip install scikit-learn" in done.stdout
    plain = subprocess.run(
        [sys.executable, "-c", "import sys, customervalue; print('sklearn' in sys.modules)"],
        capture_output=True,
        text=True,
    )
    assert plain.stdout.strip() == "False", "importing customervalue must not import scikit-learn"


# ---- data ------------------------------------------------------------------------------------


def blobs(n=3000, d=4, k=5, std=0.8, seed=42):
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-12, 12, size=(k, d))
    X, y = make_blobs(n_samples=n, centers=centers, cluster_std=std, random_state=seed)
    return X, y


def four_squares(n=400, seed=0):
    centers = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]]
    return make_blobs(n_samples=n, centers=centers, cluster_std=1.0, random_state=seed)


def mixed(n=600, seed=0):
    """Three planted groups: two numeric columns and a channel that mostly follows the group,
    plus a categorical column of noise."""
    rng = np.random.default_rng(seed)
    g = rng.integers(0, 3, n)
    spend = np.array([10.0, 40.0, 80.0])[g] + rng.normal(0, 4, n)
    visits = np.array([2.0, 10.0, 5.0])[g] + rng.normal(0, 1, n)
    channels = np.array(["app", "store", "web"])
    channel = np.where(rng.random(n) < 0.9, channels[g], channels[rng.integers(0, 3, n)])
    region = np.array(["north", "south"])[rng.integers(0, 2, n)]
    X = pd.DataFrame({"spend": spend, "channel": channel, "visits": visits, "region": region})
    return X, g


# ---- clone, get/set_params, Pipeline, GridSearchCV --------------------------------------------

CONFIGURED = [
    cvs.KMeans(3, n_init=4, max_iter=50, tol=1e-3, random_state=5),
    cvs.MiniBatchKMeans(3, batch_size=64, max_iter=20, n_init=2, max_no_improvement=None, random_state=5),
    cvs.GaussianMixture(3, n_init=2, random_state=5),
    cvs.KPrototypes(3, categorical=["channel", "region"], gamma=2.0, n_init=3, random_state=5),
]


@pytest.mark.parametrize("est", CONFIGURED, ids=lambda e: type(e).__name__)
def test_clone_gives_an_unfitted_copy_that_fits_to_the_same_result(est):
    X, _ = mixed() if isinstance(est, cvs.KPrototypes) else blobs(600, k=3)
    fitted = clone(est).fit(X)
    copy = clone(fitted)
    assert copy is not fitted and copy.get_params() == est.get_params()
    assert not [a for a in vars(copy) if a.endswith("_")], "clone must not carry fitted state"
    copy.fit(X)
    np.testing.assert_array_equal(copy.predict(X), fitted.predict(X))
    if hasattr(fitted, "cluster_centers_"):
        np.testing.assert_array_equal(copy.cluster_centers_, fitted.cluster_centers_)
    else:
        np.testing.assert_array_equal(copy.means_, fitted.means_)


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (cvs.KMeans, sklearn.cluster.KMeans),
        (cvs.MiniBatchKMeans, sklearn.cluster.MiniBatchKMeans),
        (cvs.GaussianMixture, sklearn.mixture.GaussianMixture),
    ],
    ids=lambda c: c.__module__.split(".")[0] + "." + c.__name__,
)
def test_parameters_keep_sklearn_names_and_defaults(ours, theirs):
    mine, peer = ours().get_params(), theirs().get_params()
    assert set(mine) <= set(peer), f"not scikit-learn's names: {set(mine) - set(peer)}"
    assert {p: mine[p] for p in mine} == {p: peer[p] for p in mine}


def test_set_params_and_get_params_round_trip():
    km = cvs.KMeans().set_params(n_clusters=3, random_state=1)
    assert km.get_params()["n_clusters"] == 3 and km.random_state == 1
    with pytest.raises(ValueError, match="Invalid parameter"):
        km.set_params(k=3)
    kp = cvs.KPrototypes(categorical=[1])
    assert kp.get_params() == {
        "n_clusters": 8,
        "categorical": [1],
        "gamma": None,
        "n_init": 10,
        "max_iter": 100,
        "random_state": None,
    }


def test_pipeline_after_a_scaler():
    X, y = four_squares()
    X = X * np.array([1.0, 1000.0])  # a second feature on another scale
    pipe = Pipeline([("scale", StandardScaler()), ("km", cv.sklearn.KMeans(4))])
    pipe.set_params(km__random_state=0, km__n_init=5).fit(X)
    km = pipe.named_steps["km"]
    assert adjusted_rand_score(y, km.labels_) == 1.0
    np.testing.assert_array_equal(pipe.predict(X), km.labels_)
    assert pipe.transform(X).shape == (len(X), 4)
    Z = StandardScaler().fit_transform(X)
    alone = cvs.KMeans(4, random_state=0, n_init=5).fit(Z)
    np.testing.assert_allclose(km.cluster_centers_, alone.cluster_centers_)
    assert pipe.score(X) == pytest.approx(-alone.inertia_)
    np.testing.assert_array_equal(clone(pipe).fit(X).predict(X), pipe.predict(X))


def _silhouette(est, X, y=None):
    """Silhouette of the pipeline's clusters in the space it clusters (after the scaler)."""
    return silhouette_score(est[:-1].transform(X), est.predict(X))


def test_grid_search_over_n_clusters_with_a_silhouette_scorer():
    X, _ = four_squares()
    pipe = Pipeline([("scale", StandardScaler()), ("km", cvs.KMeans(n_init=5, random_state=0))])
    grid = GridSearchCV(pipe, {"km__n_clusters": [2, 3, 4, 5, 6]}, scoring=_silhouette, cv=3).fit(X)
    assert grid.best_params_ == {"km__n_clusters": 4}
    assert grid.best_estimator_.named_steps["km"].cluster_centers_.shape == (4, 2)


def test_grid_search_over_n_components_by_bic():
    X, _ = four_squares()
    grid = GridSearchCV(
        cvs.GaussianMixture(random_state=0),
        {"n_components": [1, 2, 3, 4, 5, 6]},
        scoring=lambda est, X, y=None: -est.bic(X),
        cv=3,
    ).fit(X)
    assert grid.best_params_ == {"n_components": 4}


# ---- agreement with scikit-learn and with cv.cluster -----------------------------------------


def test_kmeans_agrees_with_sklearn_on_planted_blobs():
    X, y = blobs()
    peer = sklearn.cluster.KMeans(5, n_init=10, random_state=0).fit(X)
    ours = cvs.KMeans(5, n_init=10, random_state=0).fit(X)
    assert adjusted_rand_score(peer.labels_, ours.labels_) >= 0.99
    assert adjusted_rand_score(y, ours.labels_) >= 0.99
    assert abs(ours.inertia_ - peer.inertia_) <= 1e-3 * peer.inertia_
    # inertia_, score and transform tell the same story
    assert ours.score(X) == pytest.approx(-ours.inertia_, rel=1e-12)
    assert (ours.transform(X).min(axis=1) ** 2).sum() == pytest.approx(ours.inertia_, rel=1e-12)
    np.testing.assert_array_equal(ours.predict(X), ours.labels_)
    np.testing.assert_array_equal(ours.transform(X).argmin(axis=1), ours.labels_)
    assert ours.labels_.dtype == np.int32 and ours.n_iter_ >= 1


def test_minibatch_kmeans_is_close_to_full_kmeans():
    X, y = blobs(20_000)
    peer = sklearn.cluster.KMeans(5, n_init=10, random_state=0).fit(X)
    ours = cvs.MiniBatchKMeans(5, batch_size=256, n_init=3, random_state=0).fit(X)
    assert adjusted_rand_score(y, ours.labels_) >= 0.99
    assert ours.inertia_ <= 1.01 * peer.inertia_
    assert ours.n_iter_ == -(-ours.n_steps_ * 256 // len(X))
    assert ours.n_steps_ < 100 * len(X) / 256, "early stopping never fired"
    np.testing.assert_array_equal(ours.predict(X), ours.labels_)


def test_minibatch_without_early_stopping_runs_every_pass():
    X, _ = blobs(200, k=3)
    mbk = cvs.MiniBatchKMeans(3, batch_size=50, max_iter=3, max_no_improvement=None, random_state=0).fit(X)
    assert (mbk.n_steps_, mbk.n_iter_) == (12, 3)


def test_gaussian_mixture_agrees_with_sklearn():
    X, y = blobs(2000, d=3, k=4)
    peer = sklearn.mixture.GaussianMixture(4, n_init=3, random_state=0).fit(X)
    ours = cvs.GaussianMixture(4, n_init=3, random_state=0).fit(X)
    assert adjusted_rand_score(peer.predict(X), ours.predict(X)) >= 0.99
    assert ours.score(X) == pytest.approx(peer.score(X), rel=1e-3)
    assert ours.lower_bound_ == pytest.approx(ours.score(X), rel=1e-9)
    assert ours.bic(X) == pytest.approx(peer.bic(X), rel=1e-3)
    assert ours.aic(X) == pytest.approx(peer.aic(X), rel=1e-3)
    # the same components, in some order
    match = [int(np.argmin(np.linalg.norm(peer.means_ - m, axis=1))) for m in ours.means_]
    assert sorted(match) == [0, 1, 2, 3]
    np.testing.assert_allclose(ours.means_, peer.means_[match], atol=0.05)
    np.testing.assert_allclose(ours.weights_, peer.weights_[match], atol=0.01)
    np.testing.assert_allclose(ours.covariances_, peer.covariances_[match], atol=0.05)
    np.testing.assert_allclose(ours.precisions_, np.linalg.inv(ours.covariances_), rtol=1e-8)
    assert ours.converged_ is True


def test_gaussian_mixture_densities_are_the_mixture_of_normals():
    from scipy.stats import multivariate_normal

    X, _ = blobs(500, d=2, k=3)
    gm = cvs.GaussianMixture(3, random_state=0).fit(X)
    dens = sum(
        w * multivariate_normal(m, c).pdf(X)
        for w, m, c in zip(gm.weights_, gm.means_, gm.covariances_, strict=True)
    )
    np.testing.assert_allclose(gm.score_samples(X), np.log(dens), rtol=1e-9)
    proba = gm.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(proba.argmax(axis=1), gm.predict(X))
    np.testing.assert_array_equal(gm.fit_predict(X), gm.predict(X))
    sample, comp = gm.sample(3000)
    assert sample.shape == (3000, 2) and np.bincount(comp, minlength=3).sum() == 3000
    assert abs(sample.mean(axis=0) - gm.weights_ @ gm.means_).max() < 0.5


def test_the_estimators_fit_as_cv_cluster_does_with_the_same_seed():
    X, _ = blobs(1500, d=3, k=4)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    f = ["a", "b", "c"]
    res = cv.cluster(df, features=f, k=4, standardize=False, n_init=10, seed=3)
    km = cvs.KMeans(4, n_init=10, random_state=3).fit(df)
    np.testing.assert_array_equal(km.labels_, res.labels_)
    assert km.inertia_ == res.inertia_
    res = cv.cluster(df, features=f, k=4, method="minibatch", standardize=False, n_init=3, seed=3)
    mbk = cvs.MiniBatchKMeans(4, n_init=3, random_state=3).fit(df)
    np.testing.assert_array_equal(mbk.labels_, res.labels_)
    res = cv.cluster(df, features=f, k=4, method="gmm", standardize=False, n_init=1, seed=3)
    np.testing.assert_array_equal(cvs.GaussianMixture(4, random_state=3).fit_predict(df), res.labels_)
    M, _ = mixed()
    cols = ["spend", "channel", "visits", "region"]
    res = cv.cluster(M, features=cols, k=3, method="kprototypes", standardize=False, n_init=10, seed=3)
    kp = cvs.KPrototypes(3, random_state=3).fit(M)
    np.testing.assert_array_equal(kp.labels_, res.labels_)
    assert kp.inertia_ == pytest.approx(res.inertia_, rel=1e-12)
    assert kp.gamma_ == pytest.approx(res.details["gamma"])


# ---- k-prototypes on mixed data ----------------------------------------------------------------


def test_kprototypes_finds_planted_mixed_groups():
    X, g = mixed()
    kp = cvs.KPrototypes(3, random_state=0).fit(X)
    assert kp.categorical_.tolist() == [1, 3]  # from the dtypes
    assert adjusted_rand_score(g, kp.labels_) >= 0.95
    assert [c.tolist() for c in kp.categories_] == [["app", "store", "web"], ["north", "south"]]
    centers = pd.DataFrame(kp.cluster_centers_, columns=X.columns).sort_values("spend")
    assert centers["channel"].tolist() == ["app", "store", "web"]
    np.testing.assert_allclose(centers["spend"].astype(float), [10, 40, 80], atol=1.5)
    np.testing.assert_array_equal(kp.predict(X), kp.labels_)
    assert kp.score(X) == pytest.approx(-kp.inertia_) and kp.cost_ == kp.inertia_
    assert (kp.transform(X).min(axis=1) ** 2).sum() == pytest.approx(kp.inertia_)
    assert kp.n_iter_ >= 1 and kp.gamma_ == pytest.approx(0.5 * X[["spend", "visits"]].std(ddof=0).mean())


def test_kprototypes_names_its_categorical_columns_in_any_of_three_ways():
    X, _ = mixed(200)
    by_dtype = cvs.KPrototypes(3, random_state=0).fit(X)
    for spec in (["channel", "region"], [1, 3], [False, True, False, True]):
        other = cvs.KPrototypes(3, categorical=spec, random_state=0).fit(X)
        assert other.categorical_.tolist() == [1, 3]
        np.testing.assert_array_equal(other.labels_, by_dtype.labels_)
    # an object array: the columns holding anything but numbers
    arr = cvs.KPrototypes(3, random_state=0).fit(X.to_numpy(dtype=object))
    assert arr.categorical_.tolist() == [1, 3]
    np.testing.assert_array_equal(arr.labels_, by_dtype.labels_)
    # polars: by content, as an object array
    import polars as pl

    pol = cvs.KPrototypes(3, random_state=0).fit(pl.from_pandas(X))
    assert pol.categorical_.tolist() == [1, 3] and list(pol.feature_names_in_) == list(X.columns)
    np.testing.assert_array_equal(pol.labels_, by_dtype.labels_)
    # pandas categories and booleans are categorical too
    Y = X.assign(channel=X["channel"].astype("category"), member=X["spend"] > 30)
    assert cvs.KPrototypes(3, random_state=0).fit(Y).categorical_.tolist() == [1, 3, 4]


def test_kprototypes_in_a_pipeline_with_a_column_transformer():
    from sklearn.compose import ColumnTransformer

    X, g = mixed()
    prep = ColumnTransformer(
        [("num", StandardScaler(), ["spend", "visits"])], remainder="passthrough"
    ).set_output(transform="pandas")
    pipe = Pipeline([("prep", prep), ("kp", cvs.KPrototypes(3, random_state=0))]).fit(X)
    kp = pipe.named_steps["kp"]
    names = ["num__spend", "num__visits", "remainder__channel", "remainder__region"]
    assert list(kp.feature_names_in_) == names
    assert kp.categorical_.tolist() == [2, 3]
    assert adjusted_rand_score(g, pipe.predict(X)) >= 0.95


def test_kprototypes_a_level_unseen_in_fit_matches_no_mode():
    X, _ = mixed(300)
    kp = cvs.KPrototypes(3, categorical=["channel", "region"], random_state=0).fit(X)
    new = X.head(20).assign(channel="phone")
    # every prototype pays one mismatch, so the numeric part and region decide
    d_new = kp.transform(new) ** 2
    d_old = kp.transform(X.head(20)) ** 2
    modes = pd.DataFrame(kp.cluster_centers_, columns=X.columns)["channel"].to_numpy()
    seen_mismatch = (X.head(20)["channel"].to_numpy()[:, None] != modes[None, :]).astype(float)
    np.testing.assert_allclose(d_new, d_old + kp.gamma_ * (1 - seen_mismatch))


def test_kprototypes_bad_input():
    X, _ = mixed(100)
    with pytest.raises(cv.ParameterError, match="needs at least one categorical column"):
        cvs.KPrototypes(3).fit(X[["spend", "visits"]])
    with pytest.raises(cv.ParameterError, match="column 'town' not found"):
        cvs.KPrototypes(3, categorical=["town"]).fit(X)
    with pytest.raises(cv.ParameterError, match="one value per column"):
        cvs.KPrototypes(3, categorical=[True, False]).fit(X)
    with pytest.raises(cv.ParameterError, match="listed twice"):
        cvs.KPrototypes(3, categorical=[1, 1]).fit(X)
    with pytest.raises(cv.ParameterError, match="'gamma'"):
        cvs.KPrototypes(3, gamma=-1.0).fit(X)
    with pytest.raises(TypeError, match=r"KPrototypes\(categorical=\[\.\.\.\]\)"):
        cvs.KPrototypes(3).fit(X, categorical=[1])
    holes = X.copy()
    holes.loc[5, "channel"] = None
    with pytest.raises(cv.InputError, match="column 'channel': 1 NaN value"):
        cvs.KPrototypes(3).fit(holes)
    holes = X.copy()
    holes.loc[[5, 7], "spend"] = np.nan
    with pytest.raises(cv.InputError, match="column 'spend': 2 NaN values"):
        cvs.KPrototypes(3).fit(holes)
    with pytest.raises(cv.InputError, match="column 'spend': holds non-numeric values such as 'high'"):
        cvs.KPrototypes(3, categorical=["channel"]).fit(X.assign(spend="high"))
    # an object array: None in a numeric column is a missing number, not a category
    arr = X.to_numpy(dtype=object)
    arr[4, 0] = None
    with pytest.raises(cv.InputError, match="column 0: 1 NaN value; input X contains NaN"):
        cvs.KPrototypes(3).fit(arr)
    arr = X.to_numpy(dtype=object)
    arr[4, 1] = float("inf")
    with pytest.raises(cv.InputError, match="column 1: 1 inf value in a categorical column"):
        cvs.KPrototypes(3, categorical=[1, 3]).fit(arr)
    kp = cvs.KPrototypes(3, random_state=0).fit(X.to_numpy(dtype=object))
    with pytest.raises(cv.InputError, match="X has 3 features, but KPrototypes is expecting 4"):
        kp.predict(X.iloc[:, :3].to_numpy(dtype=object))


# ---- determinism and random_state ---------------------------------------------------------------

FACTORIES = {
    "KMeans": lambda rs: cvs.KMeans(6, random_state=rs),
    "MiniBatchKMeans": lambda rs: cvs.MiniBatchKMeans(6, batch_size=64, random_state=rs),
    "GaussianMixture": lambda rs: cvs.GaussianMixture(6, random_state=rs),
}


def _state(est):
    return est.cluster_centers_ if hasattr(est, "cluster_centers_") else est.means_


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_random_state_follows_sklearn_semantics(name):
    make = FACTORIES[name]
    X, _ = blobs(600, d=2, k=6, std=2.5)
    # an int: the same result every time
    np.testing.assert_array_equal(_state(make(7).fit(X)), _state(make(7).fit(X)))
    # different ints: different starts (single starts on overlapping blobs)
    assert len({_state(make(s).fit(X)).round(6).tobytes() for s in range(6)}) > 1
    # None draws from NumPy's global generator: reproducible under np.random.seed ...
    np.random.seed(11)
    a = _state(make(None).fit(X))
    after = np.random.rand()
    np.random.seed(11)
    np.testing.assert_array_equal(a, _state(make(None).fit(X)))
    np.random.seed(11)
    assert np.random.rand() != after, "random_state=None must draw from the global generator"
    # ... and a RandomState instance is drawn from
    rs = np.random.RandomState(3)
    make(rs).fit(X)
    assert rs.randint(10**9) != np.random.RandomState(3).randint(10**9)
    np.testing.assert_array_equal(
        _state(make(np.random.RandomState(3)).fit(X)), _state(make(np.random.RandomState(3)).fit(X))
    )


def test_same_seed_same_result_on_any_number_of_threads():
    X, _ = blobs(5000, d=3, k=6, std=2.0)
    code = (
        "import numpy as np, customervalue.sklearn as cvs, sys\n"
        "X = np.load(sys.argv[1])\n"
        "km = cvs.KMeans(6, n_init=3, random_state=1).fit(X)\n"
        "print(km.inertia_.hex(), km.labels_.sum())\n"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "X.npy")
        np.save(path, X)
        outs = set()
        for threads in ("1", "2"):
            env = {**os.environ, "RAYON_NUM_THREADS": threads}
            done = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, env=env)
            assert done.returncode == 0, done.stderr
            outs.add(done.stdout)
    assert len(outs) == 1


# ---- data frames and outputs -------------------------------------------------------------------


def test_dataframes_record_feature_names_and_set_output_names_the_distances():
    import polars as pl
    import pyarrow as pa

    X, _ = four_squares()
    df = pd.DataFrame(X, columns=["spend", "visits"])
    km = cvs.KMeans(4, random_state=0).fit(df)
    assert list(km.feature_names_in_) == ["spend", "visits"] and km.n_features_in_ == 2
    assert list(km.get_feature_names_out()) == ["kmeans0", "kmeans1", "kmeans2", "kmeans3"]
    out = cvs.KMeans(4, random_state=0).set_output(transform="pandas").fit(df).transform(df)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["kmeans0", "kmeans1", "kmeans2", "kmeans3"]
    assert list(out.index) == list(df.index)
    for table in (pl.from_pandas(df), pa.Table.from_pandas(df)):
        other = cvs.KMeans(4, random_state=0).fit(table)
        assert list(other.feature_names_in_) == ["spend", "visits"]
        np.testing.assert_array_equal(other.labels_, km.labels_)
    with pytest.raises(ValueError, match="feature names should match"):
        km.predict(df.rename(columns={"visits": "visits_per_month"}))
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        km.predict(X)


def test_duplicate_points_warn_that_fewer_clusters_were_found():
    X = np.repeat([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]], 10, axis=0)
    message = r"distinct clusters \(3\) found smaller than n_clusters \(5\)"
    with pytest.warns(ConvergenceWarning, match=message):
        cvs.KMeans(5, random_state=0).fit(X)


# ---- bad input ----------------------------------------------------------------------------------

ALL = [cvs.KMeans, cvs.MiniBatchKMeans, cvs.GaussianMixture]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_missing_and_infinite_values_name_the_column(cls):
    X, _ = four_squares(40)
    df = pd.DataFrame(X, columns=["spend", "visits"])
    bad = df.copy()
    bad.loc[[3, 4], "visits"] = np.nan
    with pytest.raises(cv.InputError, match="column 'visits': 2 NaN values; input X contains NaN") as err:
        cls(2).fit(bad)
    assert isinstance(err.value, ValueError)
    arr = X.copy()
    arr[0, 1] = np.inf
    with pytest.raises(cv.InputError, match="column 1: 1 infinity value"):
        cls(2).fit(arr)
    est = cls(2, random_state=0).fit(df)
    methods = ("predict", "score", "transform" if hasattr(est, "transform") else "predict_proba")
    for method in methods:
        with pytest.raises(cv.InputError, match="column 'visits'.*NaN"):
            getattr(est, method)(bad)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_more_clusters_than_rows(cls):
    X, _ = four_squares(40)
    name = "n_components" if cls is cvs.GaussianMixture else "n_clusters"
    with pytest.raises(cv.ParameterError, match=rf"argument '{name}': n_samples=3 should be >= {name}=5"):
        cls(5).fit(X[:3])


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_wrong_number_of_features_at_predict(cls):
    X, _ = four_squares(40)
    est = cls(2, random_state=0).fit(X)
    with pytest.raises(cv.InputError, match=f"X has 3 features, but {cls.__name__} is expecting 2 features"):
        est.predict(np.ones((4, 3)))
    with pytest.raises(ValueError, match="Expected 2D array"):
        est.predict(np.ones(4))


@pytest.mark.parametrize("cls", ALL + [cvs.KPrototypes], ids=lambda c: c.__name__)
def test_not_fitted(cls):
    est = cls(2)
    with pytest.raises(NotFittedError, match=f"{cls.__name__} is not fitted yet; call fit"):
        est.predict([[0.0, 1.0]])
    with pytest.raises(cv.NotFittedError):
        est.score([[0.0, 1.0]])
    assert issubclass(cvs.NotFittedError, AttributeError)


def test_other_bad_input():
    X, _ = four_squares(40)
    with pytest.raises(ValueError, match=r"0 sample\(s\)"):
        cvs.KMeans(2).fit(np.empty((0, 2)))
    with pytest.raises(TypeError, match="[Ss]parse"):
        from scipy import sparse

        cvs.KMeans(2).fit(sparse.csr_matrix(X))
    with pytest.raises(cv.InputError, match="could not convert string to float"):
        cvs.KMeans(2).fit(pd.DataFrame({"a": ["x", "y", "z"], "b": [1.0, 2.0, 3.0]}))
    with pytest.raises(cv.InputError, match=r"1 sample\(s\)"):
        cvs.GaussianMixture(1).fit(X[:1])


@pytest.mark.parametrize(
    "est, match",
    [
        (cvs.KMeans(0), "argument 'n_clusters': must be a positive integer, got 0"),
        (cvs.KMeans(2.5), "argument 'n_clusters': must be a positive integer, got 2.5"),
        (cvs.KMeans(True), "argument 'n_clusters'"),
        (cvs.KMeans(2, n_init=0), "argument 'n_init'"),
        (cvs.KMeans(2, n_init="warm"), "argument 'n_init'"),
        (cvs.KMeans(2, max_iter=0), "argument 'max_iter'"),
        (cvs.KMeans(2, tol=-1.0), "argument 'tol'"),
        (cvs.KMeans(2, random_state=-1), "argument 'random_state'"),
        (cvs.KMeans(2, random_state="seed"), "argument 'random_state'"),
        (cvs.MiniBatchKMeans(2, batch_size=0), "argument 'batch_size'"),
        (cvs.MiniBatchKMeans(2, reassignment_ratio=1.0), "argument 'reassignment_ratio'"),
        (cvs.MiniBatchKMeans(2, max_no_improvement=-1), "argument 'max_no_improvement'"),
        (cvs.GaussianMixture(2, covariance_type="diag"), "argument 'covariance_type': only 'full'"),
        (cvs.GaussianMixture(2, n_init=0), "argument 'n_init'"),
    ],
    ids=lambda v: repr(v) if not isinstance(v, str) else "",
)
def test_bad_parameters_raise_parameter_error_on_fit(est, match):
    X, _ = four_squares(40)
    with pytest.raises(cv.ParameterError, match=match) as err:
        est.fit(X)
    assert isinstance(err.value, ValueError)


def test_kprototypes_stopped_by_max_iter_labels_by_its_final_prototypes():
    X, _ = mixed(400)
    kp = cvs.KPrototypes(6, max_iter=1, n_init=1, random_state=0).fit(X)
    assert kp.n_iter_ == 1
    np.testing.assert_array_equal(kp.predict(X), kp.labels_)
    assert kp.score(X) == pytest.approx(-kp.inertia_)
