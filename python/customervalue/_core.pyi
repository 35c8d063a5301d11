# Hand-written stub of the compiled module; checked by `python -m mypy.stubtest customervalue._core`.
from typing import Any

__all__ = [
    "__version__",
    "DEBUG_BUILD",
    "read_columns",
    "customers",
    "transactions",
    "pricing_survey",
    "demand_curve",
    "premium_test",
    "van_westendorp",
    "gabor_granger",
    "fit_price_response",
    "price_response_eval",
    "price_response_optimal",
    "elasticities",
    "rfm_summary",
    "fit_btyd",
    "btyd_predict",
    "btyd_expected",
    "btyd_count_probabilities",
    "fit_bgbb",
    "bgbb_predict",
    "bgbb_expected",
    "fit_gamma_gamma",
    "gamma_gamma_predict",
    "fit_sbg",
    "sbg_predict",
    "kmeans",
    "kmeans_predict",
    "minibatch_kmeans",
    "kprototypes",
    "gmm",
    "dbscan",
    "eps_knee",
    "internal_index",
    "silhouette_samples",
    "agreement",
    "separation",
    "stability",
    "theme_associations",
    "theme_impact",
    "tag_themes",
    "discover_themes",
    "discover_assign",
    "theme_cooccurrence",
    "compare_waves",
]

__version__: str
DEBUG_BUILD: bool

def read_columns(table: Any, columns: list[tuple[str, str]], missing: str = "raise") -> tuple[Any, int]: ...
def customers(n: int, seed: int) -> tuple[Any, str]: ...
def transactions(n_customers: int, seed: int) -> tuple[Any, str]: ...
def pricing_survey(n: int, seed: int) -> tuple[Any, str]: ...
def demand_curve(
    table: Any,
    wtp: str,
    weights: str | None = None,
    by: str | None = None,
    cost: float = 0.0,
    fixed_cost: float = 0.0,
    market_size: float | None = None,
    ci: float | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    missing: str = "raise",
    progress: Any = None,
) -> dict[str, Any]: ...
def premium_test(
    table: Any,
    wtp: str,
    price_a: float,
    price_b: float,
    weights: str | None = None,
    cost: float = 0.0,
    market_size: float | None = None,
    ci: float = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
    missing: str = "raise",
) -> dict[str, float]: ...
def van_westendorp(
    table: Any,
    too_cheap: str,
    cheap: str,
    expensive: str,
    too_expensive: str,
    weights: str | None = None,
    by: str | None = None,
    validate: str = "strict",
    range: str = "original",
    intent_cheap: str | None = None,
    intent_expensive: str | None = None,
    calibration: list[tuple[float, float]] | None = None,
    cost: float | None = None,
    ci: float | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    missing: str = "raise",
    progress: Any = None,
) -> dict[str, Any]: ...
def gabor_granger(
    table: Any,
    price: str,
    buy: str,
    respondent: str | None = None,
    weights: str | None = None,
    cost: float = 0.0,
    fixed_cost: float = 0.0,
    market_size: float | None = None,
    nonmonotone: str = "first_refusal",
    missing: str = "raise",
) -> dict[str, Any]: ...
def fit_price_response(
    table: Any,
    price: str,
    quantity: str,
    model: str = "linear",
    weights: str | None = None,
    saturation: float | None = None,
    missing: str = "raise",
) -> dict[str, Any]: ...
def price_response_eval(
    model: str, params: tuple[float, float], prices: list[float], saturation: float | None = None
) -> tuple[list[float], list[float]]: ...
def price_response_optimal(
    model: str, params: tuple[float, float], cost: float = 0.0, saturation: float | None = None
) -> float: ...
def elasticities(prices: list[float], quantities: list[float], kind: str = "point") -> list[float]: ...
def rfm_summary(
    table: Any,
    customer: str,
    date: str,
    amount: str | None = None,
    observation_end: float | None = None,
    calibration_end: float | None = None,
    time_unit: str = "W",
    missing: str = "raise",
) -> dict[str, Any]: ...
def fit_btyd(
    table: Any,
    model: str = "bgnbd",
    frequency: str = "frequency",
    recency: str = "recency",
    t: str = "T",
    weights: str | None = None,
    missing: str = "raise",
) -> dict[str, Any]: ...
def btyd_predict(
    table: Any,
    model: str,
    params: list[float],
    what: str,
    t: float = 0.0,
    frequency: str = "frequency",
    recency: str = "recency",
    big_t: str = "T",
    times: list[float] | None = None,
    factors: list[float] | None = None,
    discount_rate: float = 0.0,
) -> Any: ...
def btyd_expected(model: str, params: list[float], t: list[float]) -> list[float]: ...
def btyd_count_probabilities(model: str, params: list[float], t: float, max_n: int) -> list[float]: ...
def fit_gamma_gamma(
    table: Any,
    frequency: str = "frequency",
    monetary_value: str = "monetary_value",
    weights: str | None = None,
    missing: str = "raise",
) -> dict[str, Any]: ...
def gamma_gamma_predict(
    table: Any, params: list[float], frequency: str = "frequency", monetary_value: str = "monetary_value"
) -> Any: ...
def fit_sbg(survivors: list[float]) -> dict[str, Any]: ...
def sbg_predict(
    params: list[float], what: str, t: list[float], discount_rate: float = 0.0
) -> list[float]: ...
def fit_bgbb(
    table: Any,
    frequency: str = "frequency",
    recency: str = "recency",
    n_periods: str = "n_periods",
    weights: str | None = None,
    missing: str = "raise",
) -> dict[str, Any]: ...
def bgbb_predict(
    table: Any,
    params: list[float],
    what: str = "alive",
    t: float = 0.0,
    discount_rate: float = 0.0,
    frequency: str = "frequency",
    recency: str = "recency",
    n_periods: str = "n_periods",
) -> Any: ...
def bgbb_expected(params: list[float], t: list[float]) -> list[float]: ...

# segmentation (src/python/segmentation.rs): matrices are float64 buffers, labels int64 codes
def kmeans(
    x: Any,
    n: int,
    d: int,
    k: int,
    n_init: int = 10,
    max_iter: int = 300,
    tol: float = 1e-4,
    seed: int = 0,
    progress: Any | None = None,
) -> dict[str, Any]: ...
def minibatch_kmeans(
    x: Any,
    n: int,
    d: int,
    k: int,
    batch_size: int = 1024,
    max_iter: int = 100,
    n_init: int = 3,
    max_no_improvement: int = 10,
    reassignment_ratio: float = 0.01,
    seed: int = 0,
    progress: Any | None = None,
) -> dict[str, Any]: ...
def kmeans_predict(x: Any, n: int, d: int, centers: list[float]) -> Any: ...
def kprototypes(
    num: Any,
    dn: int,
    cat: Any,
    dc: int,
    levels: list[int],
    n: int,
    k: int,
    gamma: float,
    n_init: int = 10,
    max_iter: int = 100,
    seed: int = 0,
) -> dict[str, Any]: ...
def gmm(x: Any, n: int, d: int, k: int, n_init: int = 1, seed: int = 0) -> dict[str, Any]: ...
def dbscan(x: Any, n: int, d: int, eps: float, min_samples: int) -> Any: ...
def eps_knee(x: Any, n: int, d: int, min_samples: int, sample: int = 5000) -> float: ...
def internal_index(x: Any, n: int, d: int, labels: Any, which: str) -> float: ...
def silhouette_samples(x: Any, n: int, d: int, labels: Any) -> Any: ...
def agreement(a: Any, b: Any, expected: bool = True) -> dict[str, Any]: ...
def separation(value: Any, labels: Any) -> dict[str, Any]: ...
def stability(
    x: Any,
    n: int,
    d: int,
    reference: Any,
    k: int,
    n_init: int,
    bootstrap: int,
    seed: int,
    progress: Any | None = None,
) -> list[float]: ...
def theme_associations(
    table: Any,
    themes: list[str],
    metadata: list[str],
    correction: str = "fdr_bh",
    min_count: int = 5,
    level: float = 0.95,
    categorical: list[str] = ...,
    by: str | None = None,
    missing: str = "raise",
    seed: int = 0,
    permutations: int = 2000,
    profiles: bool = False,
    min_support: float = 0.05,
) -> dict[str, Any]: ...
def theme_impact(
    table: Any,
    themes: list[str],
    outcome: str,
    method: str = "relative_weights",
    bootstrap: int = 0,
    seed: int = 0,
    level: float = 0.95,
    permutations: int = 2000,
    missing: str = "raise",
    progress: Any = None,
) -> dict[str, Any]: ...
def tag_themes(
    table: Any,
    column: str,
    lexicon: list[tuple[str, list[str]]],
    stem: bool = True,
    negation: bool = True,
    language: str = "english",
) -> dict[str, Any]: ...
def discover_themes(
    table: Any,
    column: str,
    n_themes: int,
    method: str = "nmf",
    max_features: int = 5000,
    seed: int = 0,
    stop_words: list[str] | None = None,
    max_iter: int = 400,
    tol: float = 0.0001,
    n_init: int = 4,
) -> dict[str, Any]: ...
def discover_assign(
    table: Any,
    column: str,
    vocabulary: list[str],
    idf: list[float],
    stop_words: list[str],
    components: list[list[float]],
    method: str,
) -> Any: ...
def theme_cooccurrence(
    table: Any, themes: list[str], correction: str = "fdr_bh", missing: str = "raise"
) -> dict[str, Any]: ...
def compare_waves(
    table: Any,
    themes: list[str],
    wave: str,
    outcome: str | None = None,
    control: str | None = None,
    before: str | None = None,
    correction: str = "fdr_bh",
    level: float = 0.95,
    missing: str = "raise",
) -> dict[str, Any]: ...
