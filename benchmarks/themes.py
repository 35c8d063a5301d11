"""Theme speed: the theme x metadata grid against a scipy/statsmodels loop, and lexicon tagging.

Grid: n respondents (default 1,000,000) x 100 themes x 4 metadata columns (region with 8
levels and product with 5; age and income). Ours runs every test of the grid (omnibus
chi-square, per-level chi-square with lift and Wilson interval, point-biserial, Welch t,
Mann-Whitney) and BH across it. The peer loops scipy.stats and statsmodels over the same tests
for `peer_themes` themes (default 4; omnibus tables by np.bincount, per-level 2x2 tables from
those counts, so the peer is not slowed by pandas) and is scaled linearly to 100 themes: the
loop's cost is the same for every theme. Both are timed in the same run.

Tagging: n comments of about 30 words, a 200-phrase lexicon (20 themes x 10 terms of 1-3
words), stemming and negation on. The peer is one compiled regular expression per theme
(whole words, lower-cased text, no stemming, no negation) on a subset, scaled linearly.

Run: python benchmarks/themes.py [n] [peer_themes]
"""

import sys
import time

import customervalue as cv
import numpy as np
import pandas as pd


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def grid_data(n: int, k: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    region = rng.integers(0, 8, n)
    product = rng.integers(0, 5, n)
    cols: dict[str, object] = {
        "region": pd.Categorical.from_codes(region, [f"r{i}" for i in range(8)]),
        "product": pd.Categorical.from_codes(product, [f"p{i}" for i in range(5)]),
        "age": rng.integers(18, 80, n).astype(float),
        "income": rng.lognormal(10.8, 0.5, n),
    }
    base = rng.uniform(0.02, 0.3, k)
    for j in range(k):
        p = base[j] * np.where(region == j % 8, 1.8, 1.0)
        cols[f"t{j}"] = rng.random(n) < p
    return pd.DataFrame(cols)


def peer_grid(df: pd.DataFrame, themes: list[str]) -> int:
    from scipy import stats
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import proportion_confint

    pvals = []
    for t in themes:
        flag = df[t].to_numpy()
        for var in ["region", "product"]:
            codes = df[var].cat.codes.to_numpy()
            n_levels = len(df[var].cat.categories)
            sizes = np.bincount(codes, minlength=n_levels)
            hits = np.bincount(codes, weights=flag, minlength=n_levels)
            table = np.vstack([hits, sizes - hits])
            pvals.append(stats.chi2_contingency(table, correction=False)[1])
            m, n = hits.sum(), sizes.sum()
            for lv in range(n_levels):
                two = np.array(
                    [[hits[lv], sizes[lv] - hits[lv]], [m - hits[lv], n - sizes[lv] - m + hits[lv]]]
                )
                pvals.append(stats.chi2_contingency(two, correction=False)[1])
                proportion_confint(hits[lv], sizes[lv], method="wilson")
        for var in ["age", "income"]:
            x = df[var].to_numpy()
            a, b = x[flag], x[~flag]
            pvals.append(stats.pointbiserialr(flag, x)[1])
            pvals.append(stats.ttest_ind(a, b, equal_var=False).pvalue)
            pvals.append(stats.mannwhitneyu(a, b, method="asymptotic").pvalue)
    multipletests(pvals, method="fdr_bh")
    return len(pvals)


def comments(n: int, seed: int = 0) -> tuple[pd.Series, dict[str, list[str]]]:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = ["".join(rng.choice(letters, rng.integers(3, 9))) for _ in range(3000)]
    lexicon = {
        f"theme{t}": [
            " ".join(vocab[i] for i in rng.integers(0, 3000, rng.integers(1, 4))) for _ in range(10)
        ]
        for t in range(20)
    }
    vocab += ["not", "never", "and", "the", "it", "was"]
    words = np.array(vocab, dtype=object)[rng.integers(0, len(vocab), (n, 30))]
    ends = rng.random((n, 30)) < 0.08
    words = np.where(ends, words + ".", words)
    return pd.Series([" ".join(w) for w in words]), lexicon


def peer_tag(texts: pd.Series, lexicon: dict[str, list[str]]) -> int:
    import re

    patterns = {
        t: re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\b") for t, terms in lexicon.items()
    }
    hits = 0
    for s in texts:
        low = s.lower()
        for p in patterns.values():
            hits += len(p.findall(low))
    return hits


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    peer_k = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    k = 100
    df = grid_data(n, k)
    themes = [f"t{j}" for j in range(k)]
    meta = ["region", "product", "age", "income"]
    t_ours, res = timed(lambda: cv.theme_associations(df, themes=themes, metadata=meta, profiles=False))
    t_prof, with_profiles = timed(lambda: cv.theme_associations(df, themes=themes, metadata=meta))
    t_peer, n_tests = timed(lambda: peer_grid(df, themes[:peer_k]))
    t_peer_all = t_peer * k / peer_k
    print(
        f"theme_associations, {n:,} rows x {k} themes x 4 metadata ({len(res.table):,} rows): {t_ours:.2f} s"
    )
    print(
        f"scipy/statsmodels loop: {t_peer:.2f} s for {peer_k} themes ({n_tests} tests), "
        f"{t_peer_all:.1f} s scaled to {k}; ours / peer = {t_ours / t_peer_all:.4f} "
        f"({t_peer_all / t_ours:.0f}x faster)"
    )
    n_profiles = len(with_profiles.all_profiles) if with_profiles.all_profiles is not None else 0
    print(
        f"with profiles (every condition and pair at support >= 5%, {n_profiles:,} profiles): "
        f"{t_prof:.2f} s (no peer: pandas groupby per pair of columns)"
    )

    texts, lexicon = comments(n)
    n_terms = sum(len(v) for v in lexicon.values())
    t_tag, tagged = timed(lambda: cv.tag_themes(texts, lexicon))
    sub = min(n, 50_000)
    t_re, _ = timed(lambda: peer_tag(texts.head(sub), lexicon))
    t_re_all = t_re * n / sub
    print(f"tag_themes, {n:,} comments x 30 words, {n_terms} phrases (stem + negation): {t_tag:.2f} s")
    print(
        f"python re loop (no stemming, no negation): {t_re:.2f} s for {sub:,}, {t_re_all:.1f} s scaled; "
        f"ours / peer = {t_tag / t_re_all:.3f}"
    )
