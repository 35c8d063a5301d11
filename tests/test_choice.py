"""Choice models (issue 20): the MNL against statsmodels' ConditionalLogit on the same coded
data, latent classes against the planted ones, the design's D-efficiency against a direct
det(X'X), willingness to pay against its definition, and bad input named by column."""

import customervalue as cv
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

ATTRS = ["brand", "storage", "battery"]


@pytest.fixture(scope="module")
def survey():
    return cv.datasets.conjoint_survey(600, seed=3)


def _effects(data, attrs, price):
    """Effects coding by hand: level l < L - 1 is e_l, the last level -1 everywhere."""
    cols = {}
    for a in attrs:
        levels = list(data[a].cat.categories)
        for lv in levels[:-1]:
            cols[f"{a}[{lv}]"] = (data[a] == lv).astype(float) - (data[a] == levels[-1]).astype(float)
    cols[price] = data[price].astype(float)
    return pd.DataFrame(cols)


def test_mnl_equals_statsmodels_conditional_logit(survey):
    from statsmodels.discrete.conditional_models import ConditionalLogit

    m = cv.fit_choice(survey, attributes=ATTRS, price="price")
    X = _effects(survey, ATTRS, "price")
    groups = survey["respondent_id"] * 100 + survey["task"]
    ref = ConditionalLogit(survey["chosen"].astype(float), X, groups=groups).fit(
        method="newton", maxiter=100, disp=False
    )
    got = m.coefficients.set_index("name")
    np.testing.assert_allclose(got.loc[X.columns, "coef"], ref.params[X.columns], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(got.loc[X.columns, "se"], ref.bse[X.columns], rtol=1e-6)
    assert m.log_likelihood == pytest.approx(ref.llf, rel=1e-9)
    # the null model: every alternative equally likely, 3 per task
    assert m.null_log_likelihood == pytest.approx(-m.n_tasks * np.log(3), rel=1e-12)


def test_wtp_is_minus_part_worth_over_price_with_delta_method_errors(survey):
    m = cv.fit_choice(survey, attributes=ATTRS, price="price", ci=0.9)
    coef = m.coefficients.set_index("name")["coef"]
    cov = m.covariance
    names = list(m.coefficients["name"])
    b_price = coef["price"]
    pw = m.table.set_index(["attribute", "level"])["part_worth"]
    w = m.wtp.set_index(["attribute", "level"])
    for (a, lv), value in pw.items():
        assert w.loc[(a, lv), "wtp"] == pytest.approx(-value / b_price, rel=1e-12)
    # the delta method by numerical differentiation of WTP(Apex) in the coefficients
    levels = list(survey["brand"].cat.categories)

    def wtp_apex(b):
        return -b[names.index("brand[" + levels[0] + "]")] / b[names.index("price")]

    b0 = coef[names].to_numpy()
    grad = np.array([(wtp_apex(b0 + h) - wtp_apex(b0 - h)) / 2e-7 for h in np.eye(len(b0)) * 1e-7])
    se = np.sqrt(grad @ cov @ grad)
    assert w.loc[("brand", levels[0]), "se"] == pytest.approx(se, rel=1e-5)
    z = 1.6448536269514722
    assert w.loc[("brand", levels[0]), "ci_high"] - w.loc[("brand", levels[0]), "wtp"] == pytest.approx(
        z * se, rel=1e-5
    )
    # effects coding: each attribute's part-worths sum to zero; importances sum to one
    assert np.allclose(m.table.groupby("attribute")["part_worth"].sum(), 0, atol=1e-12)
    assert m.importance["importance"].sum() == pytest.approx(1.0)


def test_latent_classes_recover_the_planted_ones_and_bic_picks_two():
    s = cv.datasets.conjoint_survey(2000, seed=1)
    lc = cv.fit_choice(s, attributes=ATTRS, price="price", model="latent_class", n_classes=[1, 2, 3], seed=0)
    assert list(lc.bic_table.sort_values("bic")["n_classes"])[0] == 2
    # the posterior keeps the caller's ids (integers here), one row per respondent
    assert lc.posterior["respondent"].dtype == s["respondent_id"].dtype
    assert sorted(lc.posterior["respondent"]) == sorted(s["respondent_id"].unique())
    assert 1 <= lc.iterations <= 300 and "iterations" not in lc.classes
    post = lc.posterior.set_index("respondent")
    truth = s.groupby("respondent_id")["true_class"].first()
    ari = adjusted_rand_score(truth.loc[post.index].cat.codes, post.to_numpy().argmax(axis=1))
    assert ari >= 0.9, ari
    # the price coefficients of the two classes, against the planted -0.15 and -0.02
    price = sorted(lc.coefficients.query("name == 'price'")["coef"])
    assert price[0] == pytest.approx(-0.15, abs=0.02) and price[1] == pytest.approx(-0.02, abs=0.01)
    assert sorted(lc.classes["share"]) == pytest.approx([0.4, 0.6], abs=0.04)


def test_design_is_balanced_and_its_d_efficiency_is_det_xtx():
    attrs = {"brand": ["A", "B", "C"], "size": ["S", "M", "L", "XL"], "price": [10, 20, 30]}
    d = cv.conjoint_design(attrs, n_tasks=8, n_alternatives=3, n_versions=6, seed=2)
    t = d.table
    assert len(t) == 6 * 8 * 3
    for a, levels in attrs.items():
        counts = t[a].value_counts()
        assert counts.max() - counts.min() <= 6  # at most one per version
        assert set(counts.index) == {float(v) if a == "price" else v for v in levels}
    # direct det(X'X) of the effects-coded rows, and the ideal N C of a balanced orthogonal design
    X = _effects(
        t.assign(
            **{
                a: pd.Categorical(t[a], categories=[float(v) if a == "price" else v for v in lv])
                for a, lv in attrs.items()
            }
        ),
        list(attrs),
        "price",
    ).drop(columns="price")
    det = np.linalg.det(X.T @ X)
    assert d.det_xtx == pytest.approx(det, rel=1e-9)
    ideal = []
    for lv in attrs.values():
        L = len(lv)
        codes = np.vstack([np.eye(L - 1), -np.ones(L - 1)])
        ideal.append(len(t) * codes.T @ codes / L)
    from scipy.linalg import block_diag

    eff = (det / np.linalg.det(block_diag(*ideal))) ** (1 / X.shape[1])
    assert d.d_efficiency == pytest.approx(eff, rel=1e-9)
    assert 0.9 < d.d_efficiency <= 1.0
    none = cv.conjoint_design(attrs, n_tasks=2, n_versions=1, none_option=True, seed=2).table
    assert none.groupby("task")["none"].sum().eq(1).all()


def _mnl_d_error(table, attrs):
    """D-error from statsmodels: the information of a conditional logit at beta = 0 is minus
    its Hessian there (whatever the choices), det(I / T)^(-1/p)."""
    from statsmodels.discrete.conditional_models import ConditionalLogit

    coded = table.assign(**{a: pd.Categorical(table[a], categories=lv) for a, lv in attrs.items()})
    X = _effects(coded.assign(p=0.0), list(attrs), "p").drop(columns="p").to_numpy()
    groups = (table["version"] * 10_000 + table["task"]).to_numpy()
    y = (table["alternative"] == table["alternative"].min()).astype(float).to_numpy()
    info = -ConditionalLogit(y, X, groups=groups).hessian(np.zeros(X.shape[1]))
    return np.linalg.det(info / len(np.unique(groups))) ** (-1 / X.shape[1])


def test_design_d_error_is_the_mnl_information_and_beats_a_random_design():
    attrs = {"brand": ["A", "B", "C"], "size": ["S", "M", "L", "XL"], "price": [10.0, 20.0, 30.0]}
    d = cv.conjoint_design(attrs, n_tasks=8, n_alternatives=3, n_versions=6, seed=2)
    # statsmodels differentiates its score numerically: agreement to about 1e-7
    assert d.d_error == pytest.approx(_mnl_d_error(d.table, attrs), rel=1e-6)
    # a design drawn level by level at random, same size: more overlap within tasks, less information
    rng = np.random.default_rng(5)
    random = d.table[["version", "task", "alternative"]].copy()
    for a, lv in attrs.items():
        random[a] = np.asarray(lv, dtype=object)[rng.integers(0, len(lv), len(random))]
    assert d.d_error < 0.9 * _mnl_d_error(random, attrs)


def test_simulator_shares_and_the_demand_curve_of_a_product(survey):
    m = cv.fit_choice(survey, attributes=ATTRS, price="price")
    levels = {a: list(survey[a].cat.categories) for a in ATTRS}
    products = pd.DataFrame(
        {
            "brand": levels["brand"][:2],
            "storage": levels["storage"][1:],
            "battery": levels["battery"],
            "price": [30.0, 40.0],
        }
    )
    shares = m.simulate(products)
    assert shares["share"].sum() == pytest.approx(1.0)
    u = m.utilities(products)[:, 0]
    assert shares["share"].iloc[0] == pytest.approx(1 / (1 + np.exp(u[1] - u[0])))
    first = m.simulate(products, rule="first_choice")
    assert set(first["share"]) == {0.0, 1.0}
    with_none = m.simulate(products, none=0.0)
    assert with_none["product"].iloc[-1] == "none" and with_none["share"].sum() == pytest.approx(1.0)
    curve = m.demand_curve(
        product=products.iloc[0].drop("price").to_dict(),
        competitors=products.iloc[[1]],
        prices=[20, 30, 40, 50],
        cost=10,
    )
    assert isinstance(curve, cv.DemandCurveResult)
    assert (np.diff(curve.table["share"]) < 0).all()  # a higher price loses share
    assert curve.profit_optimal_price in (20.0, 30.0, 40.0, 50.0)


def test_first_choice_is_per_respondent_under_posterior_weighted_part_worths():
    s = cv.datasets.conjoint_survey(400, seed=5)
    lc = cv.fit_choice(s, attributes=ATTRS, price="price", model="latent_class", n_classes=2, seed=0)
    levels = {a: list(s[a].cat.categories) for a in ATTRS}
    products = pd.DataFrame(
        {
            "brand": [levels["brand"][0], levels["brand"][1], levels["brand"][2]],
            "storage": [levels["storage"][0], levels["storage"][2], levels["storage"][1]],
            "battery": [levels["battery"][0], levels["battery"][1], levels["battery"][0]],
            "price": [20.0, 50.0, 30.0],
        }
    )
    got = lc.simulate(products, rule="first_choice")["share"].to_numpy()
    # by hand: each respondent's utilities are the posterior mix of the classes' utilities
    u = lc.utilities(products)  # products x classes
    post = lc.posterior[["class_0", "class_1"]].to_numpy()
    picks = (u @ post.T).argmax(axis=0)
    expected = np.bincount(picks, minlength=3) / len(post)
    np.testing.assert_allclose(got, expected, atol=1e-12)
    # respondents split across products, not whole classes
    assert len(set(np.round(got, 6)) - {0.0, 1.0}) >= 2
    mnl = cv.fit_choice(s, attributes=ATTRS, price="price")
    assert 1 <= mnl.iterations <= 50
    assert set(mnl.simulate(products, rule="first_choice")["share"]) == {0.0, 1.0}


def test_bad_choice_data_is_named_by_column(survey):
    two = survey.copy()
    two.loc[two.index[1], "chosen"] = True
    two.loc[two.index[0], "chosen"] = True
    with pytest.raises(
        cv.InputError, match=r"'chosen': respondent_id 1, task 1: \d of its 3 rows.*exactly one.*unique"
    ):
        cv.fit_choice(two, attributes=ATTRS, price="price")
    unused = survey.assign(brand=survey["brand"].cat.add_categories(["Zed"]))
    with pytest.raises(cv.InputError, match="'brand'.*'Zed' is never shown"):
        cv.fit_choice(unused, attributes=ATTRS, price="price")
    flat = survey.assign(price=25.0)
    with pytest.raises(cv.InputError, match="'price'.*one value"):
        cv.fit_choice(flat, attributes=ATTRS, price="price")
    with pytest.raises(cv.ParameterError, match="'model'"):
        cv.fit_choice(survey, attributes=ATTRS, model="probit")
    with pytest.raises(cv.ParameterError, match="'attributes'"):
        cv.conjoint_design({"a": ["x"]})


# ---- MaxDiff and Kano ---------------------------------------------------------------------------


def test_kano_names_tied_categories_and_warns():
    # speed: 2 attractive (1, 3) and 2 one-dimensional (1, 5); warranty: 3 must-be (3, 5) and 1 attractive
    d = pd.DataFrame({"f": [1, 1, 1, 1], "d": [3, 3, 5, 5], "f2": [3, 3, 3, 1], "d2": [5, 5, 5, 3]})
    with pytest.warns(cv.CustomerValueWarning, match=r"1 feature\(s\).*speed: O/A"):
        res = cv.kano(d, features={"speed": ("f", "d"), "warranty": ("f2", "d2")})
    t = res.table.set_index("feature")
    assert t.loc["speed", "tied"] == "O/A" and t.loc["speed", "category"] == "O"
    assert t.loc["warranty", "tied"] == "" and t.loc["warranty", "category"] == "M"


def _maxdiff_survey(n_resp, seed, utilities):
    """Respondents see 4 of the items per task and pick best and worst by the sequential
    best-worst logit with the planted utilities."""
    rng = np.random.default_rng(seed)
    k = len(utilities)
    rows = []
    for r in range(n_resp):
        for t in range(6):
            shown = rng.choice(k, 4, replace=False)
            u = utilities[shown] + rng.gumbel(size=4)
            b = shown[np.argmax(u)]
            rest = [i for i in shown if i != b]
            w = rest[int(np.argmax(-utilities[rest] + rng.gumbel(size=3)))]
            rows += [(r, t, f"item{i}", i == b, i == w) for i in shown]
    return pd.DataFrame(rows, columns=["respondent_id", "task", "item", "best", "worst"])


def _best_worst_logit(d, reference):
    """statsmodels' ConditionalLogit on the best-worst sets written out by hand: the best among
    the shown (+ coding), the worst among the rest (- coding), ``reference`` without a column."""
    from statsmodels.discrete.conditional_models import ConditionalLogit

    others = [it for it in sorted(d["item"].unique()) if it != reference]
    rows, groups, y = [], [], []
    for g, (_, task) in enumerate(d.groupby(["respondent_id", "task"])):
        for sign, part in ((1.0, task), (-1.0, task[~task["best"]])):
            for _, row in part.iterrows():
                rows.append([sign * (row["item"] == it) for it in others])
                y.append(float(row["best"] if sign > 0 else row["worst"]))
                groups.append(2 * g + (sign < 0))
    fit = ConditionalLogit(np.array(y), np.array(rows), groups=np.array(groups)).fit(
        method="newton", disp=False
    )
    return others, fit


def test_maxdiff_scores_equal_a_conditional_logit_on_the_best_worst_sets():
    truth = np.array([0.0, 0.5, 1.0, -0.5, 1.5, -1.0])
    d = _maxdiff_survey(300, 4, truth)
    res = cv.maxdiff(d)
    t = res.table.set_index("item")
    # counts, by hand
    assert (t["shown"] == d.groupby("item").size()).all()
    assert (t["best"] == d.groupby("item")["best"].sum()).all()
    assert t["best_minus_worst"].between(-1, 1).all()
    _, ref = _best_worst_logit(d, "item0")
    np.testing.assert_allclose(t["score"].to_numpy()[1:], ref.params, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(t["se"].to_numpy()[1:], ref.bse, rtol=1e-6)
    assert res.log_likelihood == pytest.approx(ref.llf, rel=1e-9)
    # the planted order of preference
    assert list(t["score"].sort_values().index) == [f"item{i}" for i in np.argsort(truth)]
    assert t["share"].sum() == pytest.approx(1.0)


def test_maxdiff_reference_item_shifts_the_scores_and_keeps_the_shares():
    truth = np.array([0.0, 0.5, 1.0, -0.5, 1.5, -1.0])
    d = _maxdiff_survey(200, 8, truth)
    first = cv.maxdiff(d).table.set_index("item")
    res = cv.maxdiff(d, reference="item3")
    t = res.table.set_index("item")
    others, ref = _best_worst_logit(d, "item3")
    # against statsmodels with item3 as the base, to 1e-6
    np.testing.assert_allclose(t.loc[others, "score"], ref.params, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(t.loc[others, "se"], ref.bse, rtol=1e-6)
    assert t.loc["item3", ["score", "se"]].tolist() == [0.0, 0.0]
    # and the same model: scores shifted by the reference's, shares and ln L unchanged
    np.testing.assert_allclose(t["score"], first["score"] - first.loc["item3", "score"], atol=1e-7)
    np.testing.assert_allclose(t["share"], first["share"], atol=1e-9)
    assert res.log_likelihood == pytest.approx(cv.maxdiff(d).log_likelihood, rel=1e-12)
    with pytest.raises(cv.ParameterError, match="'item9' is not an item of column 'item'.*item0, item1"):
        cv.maxdiff(d, reference="item9")


def test_maxdiff_refuses_a_task_without_one_best_and_one_worst():
    d = _maxdiff_survey(5, 1, np.zeros(5))
    d.loc[d.index[0], "best"] = not d.loc[d.index[0], "best"]
    with pytest.raises(cv.InputError, match="exactly one of each"):
        cv.maxdiff(d)


def test_kano_follows_the_evaluation_table_and_the_coefficients():
    rng = np.random.default_rng(6)
    f = rng.integers(1, 6, 400)
    d_ = rng.integers(1, 6, 400)
    data = pd.DataFrame({"f": f, "d": d_, "f2": np.where(rng.random(400) < 0.7, 1, 3), "d2": 5})
    res = cv.kano(data, features={"speed": ("f", "d"), "warranty": ("f2", "d2")}).table.set_index("feature")
    # the evaluation table written out independently
    table = {
        1: "QAAAO", 2: "RIIIM", 3: "RIIIM", 4: "RIIIM", 5: "RRRRQ",
    }  # fmt: skip
    cats = pd.Series([table[a][b - 1] for a, b in zip(f, d_, strict=True)])
    counts = cats.value_counts()
    for c in "MOAIRQ":
        assert res.loc["speed", c] == counts.get(c, 0)
    a, o, m, i = (counts.get(c, 0) for c in "AOMI")
    assert res.loc["speed", "satisfaction"] == pytest.approx((a + o) / (a + o + m + i))
    assert res.loc["speed", "dissatisfaction"] == pytest.approx(-(o + m) / (a + o + m + i))
    # like/dislike is one-dimensional, neutral/dislike must-be: warranty is mostly O
    assert res.loc["warranty", "category"] == "O"
    fs = {1: 4, 2: 2, 3: 0, 4: -1, 5: -2}
    keep = ~cats.isin(["Q", "R"]).to_numpy()
    assert res.loc["speed", "functional"] == pytest.approx(np.mean([fs[v] for v in f[keep]]))
    with pytest.raises(cv.InputError, match="'f'.*1 \\(like\\) to 5"):
        cv.kano(data.assign(f=data["f"] + 3), features={"speed": ("f", "d")})


# ---- bundles and value ladders --------------------------------------------------------------


def _brute_mixed(w, c):
    """Mixed bundling by exhaustive search over every price that changes someone's choice."""
    w1, w2 = w[:, 0], w[:, 1]
    s = w1 + w2
    cand1 = np.unique(np.concatenate([w1, s - w2[:, None].ravel()]))
    cand1 = np.unique(np.concatenate([w1, [x - y for x in s for y in w2 if x - y >= 0]]))
    cand2 = np.unique(np.concatenate([w2, [x - y for x in s for y in w1 if x - y >= 0]]))
    candb = np.unique(
        np.concatenate([s, [a + b for a in cand1 for b in w2], [a + b for a in cand2 for b in w1]])
    )
    best = -np.inf
    vals = np.column_stack([w1, w2, s, s])
    costs = np.array([c[0], c[1], c[0] + c[1], c[0] + c[1]])
    for p1 in cand1:
        for p2 in cand2:
            for pb in candb:
                price = np.array([p1, p2, p1 + p2, pb])
                surplus = vals - price
                margin = price - costs
                # the largest surplus, ties to the larger margin, nothing when negative
                key = surplus * 1e6 + margin
                o = np.argmax(np.where(surplus >= 0, key, -np.inf), axis=1)
                buys = surplus[np.arange(len(w)), o] >= 0
                best = max(best, float(margin[o][buys].sum()))
    return best


def test_bundle_prices_on_adams_and_yellens_example_and_against_exhaustive_search():
    w = pd.DataFrame({"a": [90, 60, 40, 10], "b": [10, 40, 60, 90]})
    t = cv.bundle_prices(w, wtp=["a", "b"]).table.set_index("strategy")
    # components: 60 (or 40 or 90) each, 120 per good; the pure bundle at 100 sells to everyone
    assert t.loc["components", "profit"] == 240 and t.loc["pure", "profit"] == 400
    assert t.loc["pure", "bundle_price"] == 100 and t.loc["mixed", "profit"] >= 400
    assert t.loc["pure", "units"] == 8 and t.loc["mixed", "units"] == 8  # a bundle is both goods
    # costs above every value: selling nothing (profit 0) beats selling at a loss
    high = cv.bundle_prices(w, wtp=["a", "b"], costs=[60, 60]).table.set_index("strategy")
    assert (high["profit"] >= 0).all()
    assert high.loc["mixed", "profit"] >= high.loc["components", "profit"]
    # costs of 20 per good: mixed bundling beats both (Adams & Yellen's point)
    tc = cv.bundle_prices(w, wtp=["a", "b"], costs=[20, 20]).table.set_index("strategy")
    assert tc.loc["mixed", "profit"] >= max(tc.loc["components", "profit"], tc.loc["pure", "profit"])
    rng = np.random.default_rng(8)
    for _ in range(3):
        x = np.round(rng.uniform(0, 10, size=(6, 2)), 1)
        got = cv.bundle_prices(
            pd.DataFrame(x, columns=["a", "b"]), wtp=["a", "b"], costs=[1, 2], strategy="mixed"
        )
        assert got.table["profit"].iloc[0] == pytest.approx(_brute_mixed(x, [1, 2]), rel=1e-9)


def test_bundle_prices_approach_the_uniform_values_of_the_literature():
    # two goods, values uniform on [0, 1], no cost (McAfee, McMillan & Whinston 1989): components
    # 1/2 each (profit 1/2), pure bundle sqrt(2/3) (0.5443), mixed 2/3 and (4 - sqrt 2)/3 (0.5492)
    rng = np.random.default_rng(9)
    n = 20_000
    w = pd.DataFrame(rng.uniform(size=(n, 2)), columns=["a", "b"])
    t = cv.bundle_prices(w, wtp=["a", "b"]).table.set_index("strategy")
    assert t.loc["components", "profit"] / n == pytest.approx(0.5, abs=0.005)
    assert t.loc["pure", "profit"] / n == pytest.approx(0.5443, abs=0.005)
    assert t.loc["pure", "bundle_price"] == pytest.approx(np.sqrt(2 / 3), abs=0.02)
    assert t.loc["mixed", "profit"] / n == pytest.approx(0.5492, abs=0.005)
    assert t.loc["mixed", "price_a"] == pytest.approx(2 / 3, abs=0.03)
    assert t.loc["mixed", "bundle_price"] == pytest.approx((4 - np.sqrt(2)) / 3, abs=0.03)


def test_value_ladder_take_rates_and_the_every_tier_constraint():
    w = pd.DataFrame(
        {"basic": [30, 40, 20, 50, 35], "pro": [60, 70, 30, 90, 40], "team": [80, 75, 35, 140, 45]}
    )
    cols = ["basic", "pro", "team"]
    at = cv.value_ladder(w, tier_wtp=cols, prices=[25, 55, 100])
    # by hand: surplus per tier, the largest non-negative one
    price = np.array([25, 55, 100])
    surplus = w[cols].to_numpy() - price
    # the largest surplus; an indifferent respondent takes the dearer tier (the seller's choice)
    picks = np.where(surplus.max(axis=1) >= 0, (surplus * 1e6 + price).argmax(axis=1), -1)
    assert at.table["buyers"].tolist() == [int((picks == j).sum()) for j in range(3)]
    best = cv.value_ladder(w, tier_wtp=cols, costs=[5, 10, 20])
    assert (best.table["buyers"] > 0).all()  # every tier chosen by someone
    assert best.profit == pytest.approx(
        ((best.table["price"] - best.table["cost"]) * best.table["buyers"]).sum()
    )
    assert list(best.steps.columns) == ["from", "to", "price_step", "value_step", "worth_it"]
    assert (best.steps["worth_it"] == (best.steps["price_step"] < best.steps["value_step"])).all()


def _ladder_brute_force(w, costs, need):
    """The best profit over every whole-number price triple 0..max value, each tier taken by at
    least ``need`` respondents."""
    v = w.to_numpy(dtype=float)
    top = int(v.max()) + 1
    grid = np.stack(np.meshgrid(*[np.arange(top + 1)] * v.shape[1], indexing="ij"), -1).reshape(
        -1, v.shape[1]
    )
    best = -np.inf
    for p in grid:
        s = v - p
        pick = np.where(s.max(axis=1) >= 0, (s * 1e6 + (p - costs)).argmax(axis=1), -1)
        counts = np.array([(pick == j).sum() for j in range(v.shape[1])])
        if (counts >= need).all():
            best = max(best, float(((p - costs) * counts).sum()))
    return best


def test_value_ladder_minimum_take_rate_against_exhaustive_search():
    rng = np.random.default_rng(21)
    costs = np.array([1.0, 2.0, 4.0])
    for _ in range(4):
        basic = rng.integers(2, 9, 9)
        w = pd.DataFrame({"basic": basic, "plus": basic + rng.integers(0, 6, 9)})
        w["pro"] = w["plus"] + rng.integers(0, 7, 9)
        lad = cv.value_ladder(w, tier_wtp=["basic", "plus", "pro"], costs=costs, min_take_rate=2 / 9)
        assert (lad.table["buyers"] >= 2).all()
        assert lad.profit == pytest.approx(((lad.table["price"] - costs) * lad.table["buyers"]).sum())
        # at least as good as the best ladder of whole-number prices (prices between whole
        # numbers can do a little better: each tier's price only has to stay below its takers' values)
        assert lad.profit >= _ladder_brute_force(w, costs, 2) - 1e-9
        loose = cv.value_ladder(w, tier_wtp=["basic", "plus", "pro"], costs=costs)
        assert loose.profit >= lad.profit - 1e-9
    with pytest.raises(cv.ParameterError, match="'min_take_rate'.*with prices= given"):
        cv.value_ladder(w, tier_wtp=["basic", "plus"], prices=[1, 2], min_take_rate=0.1)
    with pytest.raises(cv.ParameterError, match=r"'min_take_rate' must be in \(0, 1/3\]"):
        cv.value_ladder(w, tier_wtp=["basic", "plus", "pro"], min_take_rate=0.5)
    same = pd.DataFrame({"basic": [5.0] * 4, "plus": [5.0] * 4})  # nobody values plus above basic
    with pytest.raises(cv.InputError, match="at least 2 buyer"):
        cv.value_ladder(same, tier_wtp=["basic", "plus"], min_take_rate=0.5)


def test_pricing_survey_bundle_and_ladder_columns_carry_the_planted_structure():
    s = cv.datasets.pricing_survey(20_000, seed=4)
    truth = s.attrs["truth"]
    for i, seg in enumerate(truth["segments"]):
        part = s[s["segment"] == seg]
        r = np.corrcoef(np.log(part["wtp_cloud"]), np.log(part["wtp_support"]))[0, 1]
        # rounding to 0.50 attenuates the correlation a little
        assert r == pytest.approx(truth["addon_log_correlation"], abs=0.05), (seg, r)
        for addon in truth["addons"]:
            med = truth["addon_median"][addon][i]
            assert part[f"wtp_{addon}"].median() == pytest.approx(med, rel=0.08)
        # the pro tier's premium over the product, per segment (median of a log-normal factor)
        uplift = ((part["wtp_pro"] - part["wtp"]) / part["wtp"]).median()
        assert uplift == pytest.approx(truth["ladder_pro_uplift"][i], rel=0.1)
    assert (s["wtp_lite"] <= s["wtp"]).all() and (s["wtp"] < s["wtp_pro"]).all()
    # the negative correlation is where mixed bundling earns more than selling components alone
    menu = cv.bundle_prices(s.head(3000), wtp=["wtp_cloud", "wtp_support"], costs=[1, 1]).table
    profit = menu.set_index("strategy")["profit"]
    assert profit["mixed"] > profit["components"]


def test_bundles_and_ladders_refuse_bad_input():
    w = pd.DataFrame({"a": [1.0, -2.0], "b": [3.0, 4.0]})
    with pytest.raises(cv.InputError, match="'a'.*non-negative"):
        cv.bundle_prices(w, wtp=["a", "b"])
    with pytest.raises(cv.ParameterError, match="'wtp'"):
        cv.bundle_prices(w, wtp=["a"])
    with pytest.raises(cv.ParameterError, match="'costs'"):
        cv.bundle_prices(w.abs(), wtp=["a", "b"], costs=[1])
    with pytest.raises(cv.ParameterError, match="'strategy'"):
        cv.bundle_prices(w.abs(), wtp=["a", "b"], strategy="both")
    with pytest.raises(cv.ParameterError, match="'tier_wtp'"):
        cv.value_ladder(w.abs(), tier_wtp=["a"])
