"""The report on your own data: a small TOML file maps your files and column names.

``customervalue report --config shop.toml`` reads the tables the file names (CSV or Parquet,
chosen by the extension; relative paths are relative to the TOML file) and runs each report
section whose inputs are configured. A section whose table is absent is skipped with a note in
the report. Every key below is optional unless marked *required*; a table you leave out only
skips the sections that need it.

.. code-block:: toml

    title = "Acme customers"          # the report's heading
    seed = 0                          # seeds the clustering and the bootstraps

    [customers]                       # one row per customer
    path = "customers.csv"            # required
    features = ["visits_per_month", "avg_order_value", "discount_share"]  # behaviour to cluster
    value = "monetary"                # spend or value per customer
    k = [2, 8]                        # smallest and largest number of clusters tried

    [customers.segments]              # the rule-based segments, as cv.segment's rules:
    age = [35, 55]                    #   cut points,
    income = 4                        #   a number of quantile bins,
    region = "levels"                 #   the column's own levels,
    # plan = {Basic = "entry", Plus = "entry"}   or level = group merges

    [transactions]                    # one row per purchase
    path = "transactions.parquet"     # required
    customer = "customer_id"          # required
    date = "date"                     # required; parsed with pandas.to_datetime
    amount = "amount"                 # required
    time_unit = "W"                   # period of the purchase-process fit (D, W, M)
    horizon = 12                      # months of lifetime value
    discount_rate = 0.01              # per month
    margin = 1.0                      # share of revenue kept (1 = revenue)

    [pricing_survey]                  # one row per respondent
    path = "pricing.csv"              # required
    too_cheap = "too_cheap"           # the four Van Westendorp prices: required
    cheap = "cheap"
    expensive = "expensive"
    too_expensive = "too_expensive"
    intent_cheap = "intent_cheap"     # Newton-Miller-Smith purchase intent (1-5), both or neither
    intent_expensive = "intent_expensive"
    wtp = "wtp"                       # stated willingness to pay: the demand curve
    buy_prefix = "buy_at_"            # Gabor-Granger answers in columns buy_at_<price> (true/false)
    cost = 10.0                       # unit cost (profit-optimal price)

    [conjoint]                        # choice-based conjoint: one row per alternative shown
    path = "conjoint.csv"             # required
    attributes = ["brand", "storage"] # required: the attribute columns (levels as given)
    price = "price"                   # the price column: willingness to pay per level
    respondent = "respondent_id"
    task = "task"
    alternative = "alternative"
    chosen = "chosen"                 # true on the alternative picked in each task
    n_classes = [1, 3]                # latent classes tried (BIC picks), or one number

    [survey_scores]                   # customer-experience metrics and opportunities
    path = "survey.csv"               # default: the customers table
    nps = "nps"                       # 0-10 likelihood to recommend
    csat = "csat"                     # satisfaction, on csat_scale (default [1, 5])
    effort = "effort"                 # effort, higher = more, on effort_scale (default [1, 7])
    by = "journey"                    # a segment column for the breakdowns
    importance = "importance_"        # outcome importance ratings: a prefix or a list of columns
    satisfaction = "satisfaction_"    # ... and satisfaction in the same order
    opportunity_scale = [1, 10]
    cx_items = {csat = [1, 5], effort = [1, 7]}   # the 0-100 index: item = [low, high]
    cx_reverse = ["effort"]           # index items where higher is worse

    [themes]                          # conversation or survey themes, one row per respondent
    path = "feedback.csv"             # default: the customers table
    themes = "theme_"                 # boolean theme columns: a prefix or a list of columns
    metadata = ["region", "product", "monetary"]   # required: what each theme is tested against
    outcome = "value_rating"          # a value outcome the themes are ranked by (optional)

    [value_map]                       # Gale's quality profile, one row per attribute
    path = "quality_profile.csv"      # required: attribute, weight (sum 100), a rating column per brand
    ours = "Ours"                     # required: our brand's rating column
    prices = {Ours = 120, "Rival A" = 100, "Rival B" = 80}   # required: a price per brand
    attribute = "attribute"
    weight = "weight"
    fair_value_line = "parity"        # or "regression"

    [economic_value]                  # Nagle's value drivers, one row per driver
    path = "value_drivers.csv"        # required
    reference_value = 100             # required: the price of the next-best alternative
    driver = "driver"                 # the driver's name
    value = "value"                   # its signed value per unit to the customer
    cost_floor = 35                   # unit cost: the floor of the value-based price range

What each section needs: *segmentation* ``customers.features``, ``customers.value`` and
``customers.segments``; *demand* the ``pricing_survey`` table; *conjoint* the ``conjoint``
table; *lifetime value* the
``transactions`` table; *customer experience* at least one of ``survey_scores.nps``, ``csat``,
``effort`` or the ``importance``/``satisfaction`` pair; *themes* ``themes.metadata``; *value map*
the ``value_map`` table; *economic value* the ``economic_value`` table (with ``value_map`` too, its
finding compares the two prices). Mistakes raise
:class:`~customervalue.ParameterError` naming the config key (an unknown key, a wrong type, a
missing required key) or :class:`~customervalue.InputError` naming the column and the key that
points at it (a column the file does not have, a file that cannot be read).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, ParameterError

__all__ = ["ReportConfig", "ReportData", "load_config", "load_data", "demo_data", "DEMO_CONFIG"]

_STR, _NUM, _INT, _LIST, _MAP, _PAIR = (
    "a string",
    "a number",
    "a whole number",
    "a list",
    "a table",
    "[low, high]",
)

_INT_OR_PAIR = f"{_INT} or {_PAIR}"

# table -> key -> (kind, required)
SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "customers": {
        "path": (_STR, True),
        "features": (_LIST, False),
        "value": (_STR, False),
        "k": (_PAIR, False),
        "segments": (_MAP, False),
    },
    "transactions": {
        "path": (_STR, True),
        "customer": (_STR, True),
        "date": (_STR, True),
        "amount": (_STR, True),
        "time_unit": (_STR, False),
        "horizon": (_NUM, False),
        "discount_rate": (_NUM, False),
        "margin": (_NUM, False),
    },
    "pricing_survey": {
        "path": (_STR, True),
        "too_cheap": (_STR, True),
        "cheap": (_STR, True),
        "expensive": (_STR, True),
        "too_expensive": (_STR, True),
        "intent_cheap": (_STR, False),
        "intent_expensive": (_STR, False),
        "wtp": (_STR, False),
        "buy_prefix": (_STR, False),
        "cost": (_NUM, False),
    },
    "conjoint": {
        "path": (_STR, True),
        "attributes": (_LIST, True),
        "price": (_STR, False),
        "respondent": (_STR, False),
        "task": (_STR, False),
        "alternative": (_STR, False),
        "chosen": (_STR, False),
        "n_classes": (_INT_OR_PAIR, False),
    },
    "survey_scores": {
        "path": (_STR, False),
        "nps": (_STR, False),
        "csat": (_STR, False),
        "effort": (_STR, False),
        "by": (_STR, False),
        "importance": (_STR + " or a list", False),
        "satisfaction": (_STR + " or a list", False),
        "csat_scale": (_PAIR, False),
        "effort_scale": (_PAIR, False),
        "opportunity_scale": (_PAIR, False),
        "cx_items": (_MAP, False),
        "cx_reverse": (_LIST, False),
    },
    "themes": {
        "path": (_STR, False),
        "themes": (_STR + " or a list", False),
        "metadata": (_LIST, True),
        "outcome": (_STR, False),
    },
    "value_map": {
        "path": (_STR, True),
        "ours": (_STR, True),
        "prices": (_MAP, True),
        "attribute": (_STR, False),
        "weight": (_STR, False),
        "fair_value_line": (_STR, False),
    },
    "economic_value": {
        "path": (_STR, True),
        "reference_value": (_NUM, True),
        "driver": (_STR, False),
        "value": (_STR, False),
        "cost_floor": (_NUM, False),
    },
}
TOP_LEVEL: dict[str, tuple[str, bool]] = {"title": (_STR, False), "seed": (_INT, False)}
DEFAULTS: dict[str, dict[str, Any]] = {
    "customers": {"k": [2, 8], "segments": {}, "features": []},
    "transactions": {"time_unit": "W", "horizon": 12, "discount_rate": 0.01, "margin": 1.0},
    "pricing_survey": {},
    "conjoint": {
        "respondent": "respondent_id",
        "task": "task",
        "alternative": "alternative",
        "chosen": "chosen",
        "n_classes": 1,
    },
    "survey_scores": {
        "csat_scale": [1, 5],
        "effort_scale": [1, 7],
        "opportunity_scale": [1, 10],
        "cx_reverse": [],
    },
    "themes": {"themes": "theme_"},
    "value_map": {"attribute": "attribute", "weight": "weight", "fair_value_line": "parity"},
    "economic_value": {"driver": "driver", "value": "value"},
}

# keys whose values name columns of the section's table
COLUMN_KEYS = {
    "customers": ["features", "value"],
    "transactions": ["customer", "date", "amount"],
    "pricing_survey": [
        "too_cheap",
        "cheap",
        "expensive",
        "too_expensive",
        "intent_cheap",
        "intent_expensive",
        "wtp",
    ],
    "conjoint": ["attributes", "price", "respondent", "task", "alternative", "chosen"],
    "survey_scores": ["nps", "csat", "effort", "by"],
    "themes": ["metadata", "outcome"],
    "value_map": ["attribute", "weight", "ours"],
    "economic_value": ["driver", "value"],
}


@dataclass
class ReportConfig:
    """A validated report configuration: one dict per configured table (defaults filled in),
    ``None`` for a table left out; ``title``, ``seed`` and the folder relative paths start from."""

    customers: dict[str, Any] | None = None
    transactions: dict[str, Any] | None = None
    pricing_survey: dict[str, Any] | None = None
    conjoint: dict[str, Any] | None = None
    survey_scores: dict[str, Any] | None = None
    themes: dict[str, Any] | None = None
    value_map: dict[str, Any] | None = None
    economic_value: dict[str, Any] | None = None
    title: str = "Customer value report"
    seed: int = 0
    base: Path = field(default_factory=Path.cwd)

    def table(self, name: str) -> dict[str, Any] | None:
        """The settings of one table, or None when it is not configured."""
        out: dict[str, Any] | None = getattr(self, name)
        return out


@dataclass
class ReportData:
    """The frames the report sections read, the configuration that maps their columns and a
    line saying where the data came from."""

    config: ReportConfig
    customers: pd.DataFrame | None = None
    transactions: pd.DataFrame | None = None
    pricing_survey: pd.DataFrame | None = None
    conjoint: pd.DataFrame | None = None
    survey_scores: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None
    value_map: pd.DataFrame | None = None
    economic_value: pd.DataFrame | None = None
    source: str = ""
    demo: bool = False


def _kind_ok(kind: str, v: Any) -> bool:
    if kind == _STR:
        return isinstance(v, str)
    if kind == _NUM:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if kind == _INT:
        return isinstance(v, int) and not isinstance(v, bool)
    if kind == _LIST:
        return isinstance(v, list) and all(isinstance(x, str) for x in v)
    if kind == _MAP:
        return isinstance(v, dict)
    if kind == _INT_OR_PAIR:
        return _kind_ok(_INT, v) or _kind_ok(_PAIR, v)
    if kind == _PAIR:
        return (
            isinstance(v, list)
            and len(v) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
            and v[0] < v[1]
        )
    return isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))


def _check_keys(where: str, given: Mapping[str, Any], schema: Mapping[str, tuple[str, bool]]) -> None:
    for key, value in given.items():
        name = f"{where}.{key}" if where else key
        if key not in schema:
            if not where and key not in SCHEMA:
                known = ", ".join([*TOP_LEVEL, *SCHEMA])
                raise ParameterError(f"config key '{name}': unknown; the top level has {known}")
            if where:
                raise ParameterError(f"config key '{name}': unknown; [{where}] has {', '.join(schema)}")
            continue
        kind, _ = schema[key]
        if not _kind_ok(kind, value):
            raise ParameterError(f"config key '{name}': expected {kind}, got {value!r}")
    for key, (kind, required) in schema.items():
        if required and key not in given:
            raise ParameterError(f"config key '{where}.{key}': required ({kind})")


def config_from_dict(raw: Mapping[str, Any], base: Path | None = None) -> ReportConfig:
    """A :class:`ReportConfig` from the parsed TOML (checked key by key, defaults filled in)."""
    _check_keys("", raw, TOP_LEVEL)
    cfg = ReportConfig(base=base or Path.cwd())
    if "title" in raw:
        cfg.title = raw["title"]
    if "seed" in raw:
        cfg.seed = raw["seed"]
    for name, schema in SCHEMA.items():
        if name not in raw:
            continue
        if not isinstance(raw[name], dict):
            raise ParameterError(f"config key '{name}': expected a table [{name}], got {raw[name]!r}")
        given = dict(raw[name])
        _check_keys(name, given, schema)
        setattr(cfg, name, {**DEFAULTS[name], **given})
    ps = cfg.pricing_survey
    if ps is not None and ("intent_cheap" in ps) != ("intent_expensive" in ps):
        missing = "intent_expensive" if "intent_cheap" in ps else "intent_cheap"
        raise ParameterError(
            f"config key 'pricing_survey.{missing}': Newton-Miller-Smith needs both intent columns"
        )
    cj = cfg.conjoint
    if cj is not None:
        nc = cj["n_classes"]
        ok = (isinstance(nc, int) and not isinstance(nc, bool) and 1 <= nc <= 10) or (
            _kind_ok(_PAIR, nc) and 1 <= nc[0] < nc[1] <= 10
        )
        if not ok:
            raise ParameterError(
                f"config key 'conjoint.n_classes': expected a whole number of classes (1-10) or "
                f"[fewest, most], got {nc!r}"
            )
        if not cj["attributes"]:
            raise ParameterError("config key 'conjoint.attributes': name at least one attribute column")
    ss = cfg.survey_scores
    if ss is not None:
        if ("importance" in ss) != ("satisfaction" in ss):
            missing = "satisfaction" if "importance" in ss else "importance"
            raise ParameterError(
                f"config key 'survey_scores.{missing}': opportunity scores need importance and satisfaction"
            )
        for item, sc in ss.get("cx_items", {}).items():
            if not _kind_ok(_PAIR, sc):
                raise ParameterError(
                    f"config key 'survey_scores.cx_items.{item}': expected {_PAIR}, got {sc!r}"
                )
        for item in ss["cx_reverse"]:
            if item not in ss.get("cx_items", {}) and item not in (ss.get("csat"), ss.get("effort")):
                raise ParameterError(f"config key 'survey_scores.cx_reverse': {item!r} is not an index item")
    vm = cfg.value_map
    if vm is not None:
        for brand, price in vm["prices"].items():
            if not _kind_ok(_NUM, price) or not price > 0:
                raise ParameterError(
                    f"config key 'value_map.prices.{brand}': expected a positive number, got {price!r}"
                )
        if vm["fair_value_line"] not in ("parity", "regression"):
            raise ParameterError(
                'config key \'value_map.fair_value_line\': must be "parity" or "regression", '
                f"got {vm['fair_value_line']!r}"
            )
    return cfg


def load_config(path: str | Path) -> ReportConfig:
    """Reads and checks a report configuration (TOML); relative paths start at its folder."""
    p = Path(path)
    if p.is_dir():
        raise ParameterError(f"argument 'config': {str(p)!r} is a folder; give the path of a TOML file")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"argument 'config': no such file {str(p)!r}") from None
    except (PermissionError, UnicodeDecodeError) as e:
        raise ParameterError(f"argument 'config': cannot read {str(p)!r} as text ({e})") from None
    except tomllib.TOMLDecodeError as e:
        raise ParameterError(f"argument 'config': {p.name} is not valid TOML ({e})") from None
    return config_from_dict(raw, base=p.resolve().parent)


def _read(cfg: ReportConfig, table: str, key: str = "path") -> pd.DataFrame:
    settings = cfg.table(table) or {}
    path = cfg.base / settings[key]
    if not path.exists():
        raise InputError(f"config key '{table}.{key}': no such file {str(path)!r}")
    if path.is_dir():
        raise InputError(f"config key '{table}.{key}': {str(path)!r} is a folder; give a data file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
        if suffix in (".csv", ".txt", ".gz"):
            return pd.read_csv(path)
    except Exception as e:
        raise InputError(f"config key '{table}.{key}': cannot read {path.name} ({e})") from None
    raise InputError(f"config key '{table}.{key}': {path.name} is neither CSV (.csv) nor Parquet (.parquet)")


def check_columns(data: pd.DataFrame, table: str, settings: Mapping[str, Any], file: str) -> None:
    """InputError naming the column and its config key when the table lacks a configured column."""
    for key in COLUMN_KEYS[table]:
        value = settings.get(key)
        for col in [value] if isinstance(value, str) else list(value or []):
            if col not in data.columns:
                cols = ", ".join(map(str, data.columns[:30]))
                raise InputError(
                    f"column '{col}' (config key '{table}.{key}'): not in {file}; its columns are: {cols}"
                )
    if table == "customers":
        for col in settings.get("segments", {}):
            if col not in data.columns:
                raise InputError(f"column '{col}' (config key 'customers.segments.{col}'): not in {file}")
    if table == "value_map":
        for brand in settings.get("prices", {}):
            if brand not in data.columns:
                raise InputError(f"column '{brand}' (config key 'value_map.prices.{brand}'): not in {file}")
    if table == "survey_scores":
        for col in settings.get("cx_items", {}):
            if col not in data.columns:
                raise InputError(f"column '{col}' (config key 'survey_scores.cx_items.{col}'): not in {file}")
    prefixed = {"survey_scores": ("importance", "satisfaction"), "themes": ("themes",)}
    for key in prefixed.get(table, ()):
        columns_of(data, settings.get(key), f"{table}.{key}", file)


def columns_of(data: pd.DataFrame, spec: str | list[str] | None, key: str, file: str) -> list[str]:
    """The columns a prefix-or-list config value names (a string is a column or a prefix);
    InputError naming the config key when none or one of them is missing."""
    if spec is None:
        return []
    if isinstance(spec, str):
        cols = [spec] if spec in data.columns else [str(c) for c in data.columns if str(c).startswith(spec)]
        if not cols:
            raise InputError(f"column '{spec}' (config key '{key}'): no column is named so or starts with it")
        return cols
    for col in spec:
        if col not in data.columns:
            raise InputError(f"column '{col}' (config key '{key}'): not in {file}")
    return list(spec)


def load_data(cfg: ReportConfig) -> ReportData:
    """Reads every configured table and checks that the configured columns exist."""
    data = ReportData(config=cfg)
    for table in SCHEMA:
        settings = cfg.table(table)
        if settings is None:
            continue
        if table in ("survey_scores", "themes") and "path" not in settings:
            if data.customers is None:
                raise ParameterError(
                    f"config key '{table}.path': required when there is no [customers] table"
                )
            df, file = data.customers, str(cfg.customers["path"]) if cfg.customers else "customers"
        else:
            df, file = _read(cfg, table), str(settings["path"])
        check_columns(df, table, settings, file)
        if table == "transactions":
            try:
                df[settings["date"]] = pd.to_datetime(df[settings["date"]])
            except (ValueError, TypeError) as e:
                raise InputError(
                    f"column '{settings['date']}' (config key 'transactions.date'): not dates ({e})"
                ) from None
        setattr(data, table, df)
    data.source = "your data"
    return data


DEMO_CONFIG: dict[str, Any] = {
    "title": "Customer value report",
    "customers": {
        "path": "<datasets.customers>",
        "features": [
            "visits_per_month",
            "avg_order_value",
            "discount_share",
            "online_share",
            "category_breadth",
            "support_contacts",
            "return_rate",
            "days_between_orders",
        ],
        "value": "monetary",
        "segments": {"age": [35, 55], "region": "levels"},
    },
    "transactions": {
        "path": "<datasets.transactions>",
        "customer": "customer_id",
        "date": "date",
        "amount": "amount",
        "margin": 0.3,
    },
    "pricing_survey": {
        "path": "<datasets.pricing_survey>",
        "too_cheap": "too_cheap",
        "cheap": "cheap",
        "expensive": "expensive",
        "too_expensive": "too_expensive",
        "intent_cheap": "intent_cheap",
        "intent_expensive": "intent_expensive",
        "wtp": "wtp",
        "buy_prefix": "buy_at_",
        "cost": 10.0,
    },
    "conjoint": {
        "path": "<datasets.conjoint_survey>",
        "attributes": ["brand", "storage", "battery"],
        "price": "price",
        "n_classes": [1, 2],
    },
    "survey_scores": {
        "nps": "nps",
        "csat": "csat",
        "effort": "effort",
        "by": "journey",
        "importance": "importance_",
        "satisfaction": "satisfaction_",
        "cx_items": {"csat": [1, 5], "effort": [1, 7], "value_rating": [1, 10]},
        "cx_reverse": ["effort"],
    },
    "themes": {
        "themes": "theme_",
        "metadata": ["region", "product", "channel", "journey", "age", "income", "monetary"],
        "outcome": "value_rating",
    },
    "value_map": {
        "path": "<data/value_map_profile.csv>",
        "ours": "Ours",
        "prices": {"Ours": 120.0, "Rival A": 100.0, "Rival B": 80.0},
    },
    "economic_value": {
        "path": "<data/economic_value_drivers.csv>",
        "reference_value": 100.0,
        "cost_floor": 35.0,
    },
}


def demo_data(seed: int = 0, n: int = 5000) -> ReportData:
    """The bundled sample data under :data:`DEMO_CONFIG`, the mapping a user would write."""
    from importlib import resources

    from . import datasets

    def bundled(name: str) -> pd.DataFrame:
        with resources.files("customervalue").joinpath("data", name).open("rb") as fh:
            return pd.read_csv(fh)

    cfg = config_from_dict({**DEMO_CONFIG, "seed": seed})
    customers = datasets.customers(n, seed=seed)
    return ReportData(
        config=cfg,
        customers=customers,
        transactions=datasets.transactions(n, seed=seed),
        pricing_survey=datasets.pricing_survey(max(n // 5, 200), seed=seed),
        conjoint=datasets.conjoint_survey(max(n // 10, 200), seed=seed),
        survey_scores=customers,
        themes=customers,
        value_map=bundled("value_map_profile.csv"),
        economic_value=bundled("economic_value_drivers.csv"),
        source=f"sample data, seed {seed}",
        demo=True,
    )
