"""Sample data that ship with customervalue.

The synthetic generators run in Rust, are seeded (the same seed gives the same frame on any
number of threads) and attach the parameters they were drawn from as ``df.attrs["truth"]``, so
every method can be checked against what was planted. ``cdnow()`` and ``cdnow_transactions()``
are the real CDNOW data of Fader & Hardie.
"""

from __future__ import annotations

import json
from importlib import resources

import pandas as pd

from . import _core
from ._checks import COUNT, SEED, check_args
from ._io import to_pandas

__all__ = [
    "customers",
    "transactions",
    "pricing_survey",
    "conjoint_survey",
    "cdnow",
    "cdnow_transactions",
    "donations",
]


def _frame(table_and_truth: tuple[object, str]) -> pd.DataFrame:
    table, truth = table_and_truth
    df = to_pandas(table)  # type: ignore[arg-type]
    df.attrs["truth"] = json.loads(truth)
    return df


@check_args(n=COUNT, seed=SEED)
def customers(n: int = 5000, *, seed: int = 0) -> pd.DataFrame:
    """Synthetic customers with planted structure.

    One row per customer: ``customer_id``, ``age``, ``income``, ``region`` (8 levels),
    ``product`` (5), ``channel`` (6), ``tenure_months``, ``recency_days``, ``frequency``
    (purchases), ``monetary`` (total spend); eight behavioural features drawn from a mixture of
    five clusters (``true_cluster``); survey answers ``nps`` (0-10), ``csat`` (1-5), ``effort``
    (1-7, higher is more effort), ``value_rating`` (1-10), ``importance_<outcome>`` and
    ``satisfaction_<outcome>`` (1-10) for eight desired outcomes; ``journey`` (purchase, renewal,
    cancellation); a free-text ``comment`` built from phrases carrying six themes, and the
    planted ``theme_<name>`` flags.

    Planted truth (``df.attrs["truth"]``): cluster weights and feature means; theme base rates,
    lifts (price complaints over-index 2.2x in North and Coastal and 1.8x among customers
    spending below the median) and effects on the value rating; underserved outcomes.

    Examples
    --------
    >>> import customervalue as cv
    >>> df = cv.datasets.customers(1000, seed=1)
    >>> sorted(df.attrs["truth"]["clusters"])[:2]
    ['Bargain hunters', 'Big spenders']
    """
    return _frame(_core.customers(int(n), int(seed)))


@check_args(n_customers=COUNT, seed=SEED)
def transactions(n_customers: int = 5000, *, seed: int = 0) -> pd.DataFrame:
    """A purchase log (``customer_id``, ``date``, ``amount``) from a BG/NBD process.

    Purchase rates are Gamma(r, alpha) per week, dropout probabilities Beta(a, b) after each
    repeat purchase, and amounts Gamma-Gamma (p, q, v); the parameters (close to the CDNOW
    estimates of Fader, Hardie & Lee 2005) are in ``df.attrs["truth"]``. Customers are acquired
    over the first 12 weeks of 2024 and observed for 78 weeks.
    """
    return _frame(_core.transactions(int(n_customers), int(seed)))


@check_args(n=COUNT, seed=SEED)
def pricing_survey(n: int = 1000, *, seed: int = 0) -> pd.DataFrame:
    """A pricing study, one row per respondent.

    Columns: ``respondent_id``, ``segment``; the Van Westendorp answers ``too_cheap``,
    ``cheap``, ``expensive``, ``too_expensive`` (about 4% intransitive); NMS purchase intents
    ``intent_cheap`` and ``intent_expensive`` (1-5) at the respondent's cheap and expensive
    prices; Gabor-Granger answers ``buy_at_<price>`` on the ladder 20..100; ``wtp``, a
    stated maximum willingness to pay drawn from a log-normal per segment (``df.attrs["truth"]``);
    for bundling, ``wtp_cloud`` and ``wtp_support``, the values of two add-ons, log-normal per
    segment with logs correlated at -0.5 within a segment (the negative correlation under which
    Adams and Yellen's mixed bundling gains; chapter 8); and for a value ladder (chapter 6),
    ``wtp_lite`` and ``wtp_pro``, the values of a lighter and a richer tier around the product
    (nested: ``wtp_lite <= wtp < wtp_pro``), with the pro tier's premium largest for Teams.

    >>> import customervalue as cv
    >>> s = cv.datasets.pricing_survey(2000, seed=0)
    >>> bool((s["wtp_lite"] <= s["wtp"]).all() and (s["wtp"] < s["wtp_pro"]).all())
    True
    >>> menu = cv.bundle_prices(s, wtp=["wtp_cloud", "wtp_support"], costs=[1, 2])
    >>> ladder = cv.value_ladder(s, tier_wtp=["wtp_lite", "wtp", "wtp_pro"], costs=[2, 4, 8])

    For :func:`customervalue.gabor_granger`, melt the ``buy_at_`` columns to long format::

        long = df.melt(id_vars="respondent_id", value_vars=[c for c in df if c.startswith("buy_at_")],
                       var_name="price", value_name="buy")
        long["price"] = long["price"].str.removeprefix("buy_at_").astype(float)
    """
    return _frame(_core.pricing_survey(int(n), int(seed)))


@check_args(n=COUNT, seed=SEED)
def conjoint_survey(n: int = 1000, *, seed: int = 0) -> pd.DataFrame:
    """A choice-based conjoint study: ``n`` respondents x 12 tasks x 3 smartphone plans, one row
    per plan shown.

    Columns: ``respondent_id``, ``version`` (20 versions of a balanced-overlap design), ``task``,
    ``alternative``, the attributes ``brand`` (3 levels), ``storage`` (3), ``battery`` (2),
    ``price`` (20, 30, 40 or 50 a month), ``chosen`` (one per task) and ``true_class``. Two
    planted latent classes (60% price-sensitive "value seekers", 40% "premium") choose by their
    own multinomial logit: effects-coded part-worths and price coefficients in
    ``df.attrs["truth"]``.

    >>> import customervalue as cv
    >>> s = cv.datasets.conjoint_survey(100, seed=0)
    >>> s.groupby(["respondent_id", "task"])["chosen"].sum().eq(1).all()
    np.True_
    """
    return _frame(_core.conjoint_survey(int(n), int(seed)))


def _data_path(name: str):  # type: ignore[no-untyped-def]
    return resources.files("customervalue").joinpath("data", name)


def cdnow() -> pd.DataFrame:
    """The CDNOW summary of Fader & Hardie: 2,357 customers, time in weeks.

    Indexed by ``customer_id``, as ``rfm_summary`` output is; columns ``frequency`` (repeat
    purchases), ``recency`` (week of the last repeat purchase), ``T`` (weeks observed) and
    ``monetary_value`` (mean repeat spend, dollars; 0 for customers without repeats);
    ``attrs["time_unit"]`` is "W", so models fitted on it work in weeks. Source: the data of
    Fader, Hardie & Lee (2005), as shipped
    with the MIT-licensed ``lifetimes`` package (see ``data/NOTICE.md``).
    """
    with _data_path("cdnow_customers_summary.csv").open("rb") as fh:
        raw = pd.read_csv(fh)
    df = pd.DataFrame(
        {
            "customer_id": raw["ID"].astype("int64"),
            "frequency": raw["x"].astype("int64"),
            "recency": raw["t_x"].astype("float64"),
            "T": raw["T"].astype("float64"),
            "monetary_value": raw["zbar"].astype("float64"),
        }
    ).set_index("customer_id")
    df.attrs["source"] = "Fader, Hardie & Lee (2005); via lifetimes 0.11.3 (MIT)"
    df.attrs["time_unit"] = "W"
    return df


def cdnow_transactions() -> pd.DataFrame:
    """The CDNOW master log: 69,659 purchases of 23,570 customers (1997-01 to 1998-06).

    Columns: ``customer_id``, ``date``, ``quantity`` (CDs), ``amount`` (dollars).
    """
    with _data_path("CDNOW_master.txt.gz").open("rb") as fh:
        raw = pd.read_csv(
            fh,
            sep=r"\s+",
            header=0,
            names=["customer_id", "date", "quantity", "amount"],
            dtype={"customer_id": "int64", "date": str, "quantity": "int64", "amount": "float64"},
            compression="gzip",
        )
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    raw.attrs["source"] = "CDNOW master data of Fader & Hardie; via lifetimes 0.11.3 (MIT)"
    return raw


def donations() -> pd.DataFrame:
    """The BG/BB donations example (Fader, Hardie & Shang 2010): patterns of repeat donations
    over 6 opportunities with their counts (``frequency``, ``recency``, ``n_periods``, ``weights``),
    named as ``BetaGeoBetaBinom.fit`` expects them; the counts are a column, so pass
    ``weights="weights"``.
    """
    with _data_path("donations.csv").open("rb") as fh:
        df = pd.read_csv(fh).rename(columns={"periods": "n_periods"})
    df.attrs["source"] = "Fader, Hardie & Shang (2010), Management Science 56(6)"
    return df
