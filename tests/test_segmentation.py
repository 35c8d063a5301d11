"""Rule segments, RFM scores, clusters and their comparison: oracles, recovery, bad input."""

import customervalue as cv
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from customervalue.errors import InputError, ParameterError
from sklearn.cluster import DBSCAN, KMeans, MiniBatchKMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

# the eight behavioural features the customers data plants its five clusters in
BEHAVIOUR = [f["name"] for f in cv.datasets.customers(10, seed=0).attrs["truth"]["features"]]


@pytest.fixture(scope="module")
def customers():
    return cv.datasets.customers(4000, seed=2)


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(n_samples=6000, centers=6, n_features=10, cluster_std=1.0, random_state=7)
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(10)]), y


def test_kmeans_inertia_within_half_a_percent_of_sklearn(blobs):
    df, _ = blobs
    X = df.to_numpy()
    for k in (3, 6, 9):
        ours = cv.cluster(df, features=list(df.columns), k=k, standardize=False, n_init=10, seed=0)
        sk = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        assert ours.inertia_ <= sk.inertia_ * 1.005
        # inertia_ is the sum of squared distances to the reported centres.
        centres = ours.centers_.to_numpy()
        assert ours.inertia_ == pytest.approx(((X - centres[ours.labels_]) ** 2).sum(), rel=1e-9)


def test_kmeans_recovers_planted_clusters_and_is_deterministic(blobs):
    df, y = blobs
    a = cv.cluster(df, features=list(df.columns), k=6, seed=3)
    b = cv.cluster(pa.Table.from_pandas(df), features=list(df.columns), k=6, seed=3)
    c = cv.cluster(pl.from_pandas(df), features=list(df.columns), k=6, seed=3)
    assert adjusted_rand_score(y, a.labels_) > 0.95
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.labels_, c.labels_)
    assert a.table["size"].sum() == len(df)


def test_kmeans_labels_are_invariant_to_row_order_up_to_renaming(blobs):
    df, _ = blobs
    perm = np.random.default_rng(0).permutation(len(df))
    a = cv.cluster(df, features=list(df.columns), k=6, seed=1)
    b = cv.cluster(df.iloc[perm].reset_index(drop=True), features=list(df.columns), k=6, seed=1)
    assert adjusted_rand_score(a.labels_[perm], b.labels_) == pytest.approx(1.0)


def test_minibatch_kmeans_against_sklearn_minibatch_and_full_kmeans():
    """Oracle: scikit-learn's MiniBatchKMeans with the same batch size on the same data (both are
    stochastic, so ours must be no worse than 1% above it), and full k-means (within 2%)."""
    X, y = make_blobs(n_samples=60_000, centers=8, n_features=10, cluster_std=1.5, random_state=5)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
    cols = list(df.columns)
    ours = cv.cluster(df, features=cols, k=8, method="minibatch", batch_size=1024, standardize=False, seed=0)
    again = cv.cluster(df, features=cols, k=8, method="minibatch", batch_size=1024, standardize=False, seed=0)
    np.testing.assert_array_equal(ours.labels_, again.labels_)
    sk = MiniBatchKMeans(n_clusters=8, batch_size=1024, n_init=3, random_state=0).fit(X)
    full = KMeans(n_clusters=8, n_init=3, random_state=0).fit(X)
    assert ours.inertia_ <= sk.inertia_ * 1.01
    assert ours.inertia_ <= full.inertia_ * 1.02
    assert adjusted_rand_score(y, ours.labels_) > 0.95
    # the labels are the nearest of the reported centres; predict gives the same
    centres = ours.centers_.to_numpy()
    assert ours.inertia_ == pytest.approx(((X - centres[ours.labels_]) ** 2).sum(), rel=1e-9)
    np.testing.assert_array_equal(ours.predict(df.head(500)), ours.labels_[:500])
    assert ours.details["n_steps"] < 100 * len(df) / 1024  # early stopping fired
    with pytest.raises(ParameterError, match="batch_size"):
        cv.cluster(df, features=cols, k=8, method="minibatch", batch_size=0)


def test_stability_of_methods_without_predict_separates_structure_from_noise(blobs):
    """GMM, DBSCAN and k-prototypes are scored by refits on pairs of 80% subsamples: near 1 on
    well-separated blobs, clearly lower when k-means-like structure is forced on uniform noise;
    deterministic by seed; shown in the compare_groupings stability table."""
    df, _ = blobs
    cols = list(df.columns)
    sub = df.head(1500)
    g = cv.cluster(sub, features=cols, k=6, method="gmm", seed=1, n_boot=4)
    assert g.details["stability"].shape == (4,) and g.details["stability"].min() > 0.95
    again = cv.cluster(sub, features=cols, k=6, method="gmm", seed=1, n_boot=4)
    np.testing.assert_array_equal(g.details["stability"], again.details["stability"])
    noise = pd.DataFrame(np.random.default_rng(0).uniform(size=(1500, 3)), columns=["a", "b", "c"])
    gn = cv.cluster(noise, features=["a", "b", "c"], k=6, method="gmm", seed=1, n_boot=4)
    assert gn.details["stability"].mean() < g.details["stability"].mean() - 0.1
    db = cv.cluster(sub, features=cols, method="dbscan", seed=1, n_boot=3)
    assert db.details["stability"].mean() > 0.9
    cmp = cv.compare_groupings(sub, groupings={"gmm": g, "dbscan": db}, features=cols, n_boot=3)
    st = cmp.stability.set_index("grouping")
    assert st.loc["gmm", "stability_ari"] > 0.95 and "subsamples" in st.loc["gmm", "note"]
    assert st.loc["dbscan", "replicates"] == 3


def test_kmeans_recovers_the_planted_customer_clusters(customers):
    res = cv.cluster(customers, features=BEHAVIOUR, k=5, seed=0)
    assert adjusted_rand_score(customers["true_cluster"], res.labels_) > 0.8
    # predict() on the training rows gives the fitted labels.
    np.testing.assert_array_equal(res.predict(customers), res.labels_)


def test_k_sweep_reports_every_index_and_the_rule(customers):
    res = cv.cluster(customers, features=BEHAVIOUR, k=range(2, 8), seed=0, n_boot=3)
    s = res.sweep_
    assert list(s["k"]) == list(range(2, 8))
    assert {"inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "stability"} <= set(s.columns)
    assert res.k_ == int(s.loc[s["silhouette"].idxmax(), "k"])
    assert "silhouette" in res.details["rule"]
    assert (np.diff(s["inertia"]) < 0).all()


def test_gmm_matches_sklearn_bic_and_labels(blobs):
    df, y = blobs
    X = df.to_numpy()[:2000]
    res = cv.cluster(
        df.iloc[:2000], features=list(df.columns), k=6, method="gmm", standardize=False, n_init=2
    )
    sk = GaussianMixture(6, covariance_type="full", n_init=2, random_state=0).fit(X)
    assert adjusted_rand_score(y[:2000], res.labels_) > 0.95
    # Same data and a converged fit: BIC agrees with sklearn's within 0.5%.
    assert res.details["bic"] == pytest.approx(sk.bic(X), rel=5e-3)


def test_dbscan_agrees_with_sklearn_at_the_same_eps():
    X, _ = make_blobs(n_samples=800, centers=3, n_features=2, cluster_std=0.4, random_state=1)
    df = pd.DataFrame(X, columns=["a", "b"])
    ours = cv.cluster(df, features=["a", "b"], method="dbscan", eps=0.5, min_samples=5, standardize=False)
    sk = DBSCAN(eps=0.5, min_samples=5).fit(X)
    assert adjusted_rand_score(sk.labels_, ours.labels_) > 0.99
    auto = cv.cluster(df, features=["a", "b"], method="dbscan", standardize=False)
    assert auto.details["eps_rule"] == "k-distance knee" and auto.k_ == 3


def test_kprototypes_uses_the_categorical_feature(customers):
    res = cv.cluster(
        customers, features=["visits_per_month", "avg_order_value", "product"], k=4, method="kprototypes"
    )
    assert res.k_ == 4 and "product" in res.centers_.columns
    assert set(res.centers_["product"]) <= set(customers["product"].astype(str))


def test_segment_builds_readable_combinations(customers):
    seg = cv.segment(customers, {"age": [35, 55], "region": None})
    assert seg.name == "segment" and len(seg) == len(customers)
    young_north = (customers["age"] < 35) & (customers["region"] == "North")
    assert (seg[young_north] == "age <35 | region North").all()
    merged = cv.segment(customers, {"region": {"North": "N+C", "Coastal": "N+C"}})
    assert set(merged.cat.categories) >= {"region N+C"}


def test_rfm_scores_quantiles_ties_and_preset():
    df = pd.DataFrame({"r": np.arange(100), "f": np.repeat(np.arange(10), 10), "m": np.linspace(1, 100, 100)})
    res = cv.rfm_scores(df, recency="r", frequency="f", monetary="m")
    t = res.table
    # Recency reversed: the most recent fifth scores 5; each score holds a fifth.
    assert (t.loc[df["r"] < 20, "recency_score"] == 5).all()
    assert t["monetary_score"].value_counts().tolist() == [20] * 5
    assert res.coverage == 1.0  # the R-F grid names all 25 cells
    assert res.ties["f"]["tied"] == 100
    # Ties by 'first' give equal groups but split tied customers.
    first = cv.rfm_scores(df, recency="r", frequency="f", ties="first")
    assert first.table["frequency_score"].value_counts().tolist() == [20] * 5
    custom = cv.rfm_scores(df, recency="r", frequency="f", preset={"Best": ((5,), (5,))})
    assert custom.coverage == pytest.approx((custom.table["segment"] == "Best").mean())
    assert "unassigned" in set(custom.table["segment"])


def test_compare_groupings_on_planted_clusters(customers):
    clusters = cv.cluster(customers, features=BEHAVIOUR, k=5, seed=0)
    segments = cv.segment(customers, {"age": [35, 55], "region": None})
    res = cv.compare_groupings(
        customers,
        groupings={"segments": segments, "clusters": clusters, "truth": "true_cluster"},
        features=BEHAVIOUR,
        value="monetary",
        n_boot=3,
    )
    a = res.agreement.set_index(["grouping_a", "grouping_b"])
    assert a.loc[("clusters", "truth"), "adjusted_rand"] > 0.8
    assert a.loc[("segments", "truth"), "adjusted_rand"] < 0.2
    ve = res.value_explained.set_index("grouping")
    assert ve.loc["clusters", "eta_squared"] > ve.loc["segments", "eta_squared"]
    assert "clusters" in res.verdict or "truth" in res.verdict
    st = res.stability.set_index("grouping")
    assert st.loc["clusters", "stability_ari"] > 0.8 and np.isnan(st.loc["segments", "stability_ari"])
    prof = res.profiles[res.profiles["grouping"] == "clusters"]
    assert prof["share"].sum() == pytest.approx(1.0) and prof["value_share"].sum() == pytest.approx(1.0)
    # The crosstab's counts add up and the residuals are those of scipy's expected counts.
    ct = res.crosstab[res.crosstab["pair"] == "segments x clusters"]
    assert ct["count"].sum() == len(customers)


def test_value_separation_matches_scipy(customers):
    from scipy.stats import kruskal

    res = cv.compare_groupings(
        customers, groupings={"region": "region", "product": "product"}, features=BEHAVIOUR, value="monetary"
    )
    ve = res.value_explained.set_index("grouping")
    groups = [g["monetary"].to_numpy() for _, g in customers.groupby("region", observed=True)]
    h, p = kruskal(*groups)
    assert ve.loc["region", "kruskal_h"] == pytest.approx(h, rel=1e-10)
    assert ve.loc["region", "kruskal_p"] == pytest.approx(p, rel=1e-6)
    y = customers["monetary"].to_numpy()
    means = customers.groupby("region", observed=True)["monetary"].transform("mean").to_numpy()
    assert ve.loc["region", "eta_squared"] == pytest.approx(
        ((means - y.mean()) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    )
    # The separation indices of a rule-based grouping are sklearn's on the standardized features.
    from sklearn.metrics import calinski_harabasz_score

    Z = StandardScaler().fit_transform(customers[BEHAVIOUR])
    sep = res.separation.set_index("grouping")
    assert sep.loc["region", "calinski_harabasz"] == pytest.approx(
        calinski_harabasz_score(Z, customers["region"]), rel=1e-9
    )


@pytest.mark.parametrize(
    "kwargs, exc, needle",
    [
        ({"features": ["nope"], "k": 3}, InputError, "nope"),
        ({"features": ["age", "region"], "k": 3}, InputError, "region"),
        ({"features": ["age", "income"], "k": 0}, ParameterError, "'k'"),
        ({"features": ["age", "income"], "k": 5000}, ParameterError, "'k'"),
        ({"features": ["age", "income"], "k": 3, "method": "spectral"}, ParameterError, "method"),
        ({"features": ["age", "income"], "k": 3, "method": "kprototypes"}, ParameterError, "categorical"),
        ({"features": ["age", "const"], "k": 3}, InputError, "const"),
        ({"features": ["age", "with_nan"], "k": 3}, InputError, "with_nan"),
        ({"features": [], "k": 3}, ParameterError, "features"),
    ],
)
def test_cluster_bad_input(customers, kwargs, exc, needle):
    df = customers.head(200).assign(const=1.0, with_nan=lambda d: d["income"].where(d.index % 7 != 0))
    with pytest.raises(exc, match=needle):
        cv.cluster(df, **kwargs)


def test_cluster_edge_cases():
    one = pd.DataFrame({"a": [1.0], "b": [2.0]})
    with pytest.raises(ParameterError, match="'k'"):
        cv.cluster(one, features=["a", "b"], k=2)
    empty = pd.DataFrame({"a": pd.Series([], dtype=float)})
    with pytest.raises(InputError, match="'a'"):
        cv.cluster(empty, features=["a"], k=1)
    dup = pd.DataFrame({"a": [1.0, 1.0, 2.0, 2.0] * 5, "b": [0.0, 0.0, 3.0, 3.0] * 5})
    res = cv.cluster(dup, features=["a", "b"], k=2)
    assert res.inertia_ == pytest.approx(0.0, abs=1e-9)
    # NaN rows can be dropped; their label is -1.
    holes = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0, 5.0], "b": [1.0, 2.0, 3.0, 4.0, 5.0]})
    res = cv.cluster(holes, features=["a", "b"], k=2, missing="drop")
    assert res.labels_[1] == -1 and (res.labels_[[0, 2, 3, 4]] >= 0).all()


def test_segment_and_rfm_bad_input(customers):
    with pytest.raises(InputError, match="nope"):
        cv.segment(customers, {"nope": None})
    with pytest.raises(InputError, match="region"):
        cv.segment(customers, {"region": [1, 2]})
    with pytest.raises(ParameterError, match="rules"):
        cv.segment(customers, {})
    with pytest.raises(ParameterError, match="bins"):
        cv.rfm_scores(customers, recency="recency_days", frequency="frequency", bins=1)
    with pytest.raises(ParameterError, match="preset"):
        cv.rfm_scores(customers, recency="recency_days", frequency="frequency", bins=4)
    with pytest.raises(InputError, match="region"):
        cv.rfm_scores(customers, recency="region", frequency="frequency")
    with pytest.raises(InputError, match="value"):
        cv.compare_groupings(customers, groupings={"r": "region"}, features=BEHAVIOUR, value="value")


def test_profiles_and_crosstab_of_many_groups_equal_a_pandas_groupby():
    # a grouping of 30,000 groups (most of them singletons) against one of 4: the profiles and
    # the crosstab are built in one grouped pass (they were a loop over groups, quadratic: 53 s
    # at 60,000 groups); against pandas' groupby and crosstab on the same rows
    rng = np.random.default_rng(8)
    n = 40_000
    d = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "y": rng.gamma(2.0, size=n),
            "v": rng.gamma(1.5, 10.0, size=n),
            "fine": rng.integers(0, 30_000, n).astype(str),
            "coarse": rng.integers(0, 4, n).astype(str),
        }
    )
    res = cv.compare_groupings(
        d, groupings={"fine": "fine", "coarse": "coarse"}, features=["x", "y"], value="v"
    )
    for name in ("fine", "coarse"):
        prof = res.profiles[res.profiles["grouping"] == name].set_index("group")
        by = d.groupby(name, sort=False)
        assert list(prof.index) == list(pd.unique(d[name]))  # groups in order of first appearance
        np.testing.assert_array_equal(prof["size"], by.size().loc[prof.index])
        for f in ("x", "y"):
            np.testing.assert_allclose(prof[f"{f}_mean"], by[f].mean().loc[prof.index], rtol=1e-12)
            np.testing.assert_allclose(prof[f"{f}_median"], by[f].median().loc[prof.index], rtol=1e-12)
            np.testing.assert_allclose(prof[f"{f}_index"], 100 * prof[f"{f}_mean"] / d[f].mean(), rtol=1e-12)
        np.testing.assert_allclose(
            prof["value_share"], by["v"].sum().loc[prof.index] / d["v"].sum(), rtol=1e-12
        )
    ct = res.crosstab.set_index(["group_a", "group_b"])["count"]
    want = pd.crosstab(d["fine"], d["coarse"]).stack()
    assert ct.sum() == n and (ct.loc[want.index] == want.to_numpy()).all()


def test_features_near_1e200_cluster_as_their_ordinary_scale_and_unscaled_ones_are_refused():
    # the standardization scales each column by its largest value first: squares of 1e200 overflow
    rng = np.random.default_rng(3)
    base = np.vstack([rng.normal(size=(80, 2)) + c for c in ([0, 0], [8, 8], [0, 8])])
    small = cv.cluster(pd.DataFrame(base, columns=["a", "b"]), features=["a", "b"], k=3, seed=0)
    huge = cv.cluster(pd.DataFrame(base * 1e200, columns=["a", "b"]), features=["a", "b"], k=3, seed=0)
    assert adjusted_rand_score(small.labels, huge.labels) == 1.0
    np.testing.assert_allclose(huge.table[["a", "b"]], small.table[["a", "b"]] * 1e200, rtol=1e-9)
    with pytest.raises(cv.InputError, match="column 'a': holds values up to 1.*standardize=True"):
        cv.cluster(
            pd.DataFrame(base * 1e200, columns=["a", "b"]), features=["a", "b"], k=3, standardize=False
        )
