"""`customervalue report --config my.toml`: the report on the user's own CSV/Parquet files."""

import re
import subprocess
import sys

import customervalue as cv
import pytest
from customervalue.report import SECTIONS, build_report
from customervalue.report_config import load_config

FEATURES = '["visits_per_month", "avg_order_value", "discount_share", "online_share", "support_contacts"]'


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The sample data as a user would hand it over: CSV and Parquet files, no attrs."""
    d = tmp_path_factory.mktemp("shop")
    cv.datasets.customers(1500, seed=3).to_csv(d / "customers.csv", index=False)
    cv.datasets.transactions(1500, seed=3).rename(columns={"amount": "spend"}).to_parquet(
        d / "orders.parquet"
    )
    cv.datasets.pricing_survey(400, seed=3).to_csv(d / "pricing.csv", index=False)
    cv.datasets.conjoint_survey(300, seed=3).rename(columns={"respondent_id": "panelist"}).to_csv(
        d / "choices.csv", index=False
    )
    (d / "profile.csv").write_text("feature,importance,Us,Them,Others\nquality,60,8,6,6\nservice,40,6,6,6\n")
    (d / "drivers.csv").write_text("name,worth\nuptime,200\nspeed,350\nsupport,100\n")
    return d


FULL = f"""
title = "Acme customers"
seed = 1

[customers]
path = "customers.csv"
features = {FEATURES}
value = "monetary"
k = [2, 6]

[customers.segments]
age = [35, 55]
region = "levels"

[transactions]
path = "orders.parquet"
customer = "customer_id"
date = "date"
amount = "spend"
margin = 0.25

[pricing_survey]
path = "pricing.csv"
too_cheap = "too_cheap"
cheap = "cheap"
expensive = "expensive"
too_expensive = "too_expensive"
wtp = "wtp"
intent_cheap = "intent_cheap"
intent_expensive = "intent_expensive"
buy_prefix = "buy_at_"
cost = 10

[conjoint]
path = "choices.csv"
respondent = "panelist"
attributes = ["brand", "storage", "battery"]
price = "price"

[survey_scores]
nps = "nps"
csat = "csat"
effort = "effort"
by = "journey"
importance = "importance_"
satisfaction = "satisfaction_"
cx_items = {{csat = [1, 5], effort = [1, 7], value_rating = [1, 10]}}
cx_reverse = ["effort"]

[themes]
themes = ["theme_price", "theme_delivery", "theme_support", "theme_quality"]
metadata = ["region", "product", "monetary"]
outcome = "value_rating"

[value_map]
path = "profile.csv"
ours = "Us"
prices = {{Us = 110, Them = 100, Others = 100}}
attribute = "feature"
weight = "importance"

[economic_value]
path = "drivers.csv"
reference_value = 300
driver = "name"
value = "worth"
"""


def _write(d, text, name="my.toml"):
    p = d / name
    p.write_text(text)
    return p


def _findings(page):
    return dict(
        re.findall(r'<section id="([a-z-]+)"><h2>.*?</h2><p class="(?:finding|skipped)">(.*?)</p>', page)
    )


def test_full_config_runs_every_section_on_csv_and_parquet(files):
    page = build_report(config=_write(files, FULL), progress=False)
    found = _findings(page)
    assert list(found) == [anchor for anchor, _, _ in SECTIONS] and len(found) == 9
    assert "<h1>Acme customers</h1>" in page and "Skipped" not in page
    assert "1,500 rows of customers" in found["overview"] and "Purchases run from" in found["overview"]
    assert "variance in monetary" in found["segmentation"]
    assert "acceptable" in found["demand"] and "profit-optimal price" in found["demand"]
    assert "300 respondents made 3,600 choices" in found["conjoint"]
    assert "Willingness to pay" in found["conjoint"] and "latent classes" not in found["conjoint"]
    assert "12-month margin averages" in found["lifetime-value"] and "planted" not in found["lifetime-value"]
    assert "lowest for journey cancellation" in found["cx"] and "responsive_support" in found["cx"]
    assert "comments over-index" in found["themes"] and "variance in value_rating" in found["themes"]
    # the value_map docstring's example (quality 120 at relative price 110) and Nagle's 950
    assert "Us scores 120" in found["value-map"] and "10.0 points below" in found["value-map"]
    assert "economic value of 950.00 per unit." in found["economic-value"]
    assert "worth +650.00 to" in found["economic-value"]
    assert "fair-value price is 120.00, 830.00 below it" in found["economic-value"]
    # one image per plot, every section with its plots: 21 in all
    sections = re.findall(r'<section id="([^"]+)">(.*?)</section>', page, re.S)
    assert all('<img alt="figure" src="data:image/png;base64,' in body for _, body in sections), [
        anchor for anchor, body in sections if "<img" not in body
    ]
    assert len(re.findall(r'<img alt="figure" src="data:image/png;base64,', page)) == 21


def test_sections_without_inputs_are_skipped_with_a_note(files):
    text = """
[transactions]
path = "orders.parquet"
customer = "customer_id"
date = "date"
amount = "spend"
"""
    page = build_report(config=_write(files, text), progress=False)
    found = _findings(page)
    assert "revenue averages" in found["lifetime-value"]
    assert found["segmentation"] == "Skipped: not configured: add a [customers] table to the config."
    assert "[pricing_survey]" in found["demand"] and "[survey_scores]" in found["cx"]
    assert "[themes]" in found["themes"]
    assert "[value_map]" in found["value-map"] and "[economic_value]" in found["economic-value"]
    assert "[conjoint]" in found["conjoint"]
    assert page.count("(skipped)</li>") == 7


def test_survey_scores_alone_compute_what_is_configured(files):
    text = """
[survey_scores]
path = "customers.csv"
csat = "csat"
"""
    page = build_report(config=_write(files, text), progress=False)
    found = _findings(page)
    assert re.fullmatch(r"\d+% are satisfied \(CSAT top-2-box\)\.", found["cx"])
    assert "NPS" not in found["cx"]


def test_a_partial_segmentation_config_names_the_missing_keys(files):
    text = 'title = "x"\n[customers]\npath = "customers.csv"\nvalue = "monetary"\n'
    found = _findings(build_report(config=_write(files, text), progress=False))
    assert found["segmentation"] == "Skipped: not configured: set customers.features, customers.segments."


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        (
            '[transactions]\npath = "orders.parquet"\ncustomer = "customer_id"\ndate = "date"\n',
            cv.ParameterError,
            "config key 'transactions.amount': required",
        ),
        (
            '[transactions]\npath = "orders.parquet"\ncustomer = "customer_id"\ndate = "date"\n'
            'amount = "amount"\n',
            cv.InputError,
            "column 'amount' (config key 'transactions.amount'): not in orders.parquet",
        ),
        (
            '[customers]\npath = "customers.csv"\nvalu = "monetary"\n',
            cv.ParameterError,
            "config key 'customers.valu': unknown",
        ),
        (
            '[customers]\npath = "customers.csv"\nk = 5\n',
            cv.ParameterError,
            "config key 'customers.k': expected [low, high], got 5",
        ),
        ('[customers]\npath = "nowhere.csv"\n', cv.InputError, "config key 'customers.path': no such file"),
        (
            '[customers]\npath = "customers.csv"\nfeatures = ["age", "shoe_size"]\n',
            cv.InputError,
            "column 'shoe_size' (config key 'customers.features')",
        ),
        (
            '[survey_scores]\nnps = "nps"\n',
            cv.ParameterError,
            "config key 'survey_scores.path': required when there is no [customers] table",
        ),
        (
            '[survey_scores]\npath = "customers.csv"\nimportance = "importance_"\n',
            cv.ParameterError,
            "config key 'survey_scores.satisfaction'",
        ),
        (
            '[value_map]\npath = "profile.csv"\nours = "Us"\nprices = {Us = 1, Them = "cheap"}\n',
            cv.ParameterError,
            "config key 'value_map.prices.Them': expected a positive number",
        ),
        (
            '[value_map]\npath = "profile.csv"\nours = "Us"\nattribute = "feature"\nweight = "importance"\n'
            "prices = {Us = 1, Them = 1, Others = 1, Rest = 1}\n",
            cv.InputError,
            "column 'Rest' (config key 'value_map.prices.Rest'): not in profile.csv",
        ),
        (
            '[value_map]\npath = "profile.csv"\nours = "Us"\nprices = {Us = 1}\nfair_value_line = "flat"\n',
            cv.ParameterError,
            "config key 'value_map.fair_value_line'",
        ),
        (
            '[economic_value]\npath = "drivers.csv"\nreference_value = 300\n',
            cv.InputError,
            "column 'driver' (config key 'economic_value.driver'): not in drivers.csv",
        ),
        ('[economic_value]\npath = "drivers.csv"\n', cv.ParameterError, "'economic_value.reference_value'"),
        (
            '[conjoint]\npath = "choices.csv"\nattributes = ["brand"]\n',
            cv.InputError,
            "column 'respondent_id' (config key 'conjoint.respondent'): not in choices.csv",
        ),
        (
            '[conjoint]\npath = "choices.csv"\nrespondent = "panelist"\nattributes = ["brand", "colour"]\n',
            cv.InputError,
            "column 'colour' (config key 'conjoint.attributes')",
        ),
        (
            '[conjoint]\npath = "choices.csv"\nattributes = ["brand"]\nn_classes = [3, 2]\n',
            cv.ParameterError,
            "config key 'conjoint.n_classes'",
        ),
        (
            '[conjoint]\npath = "choices.csv"\n',
            cv.ParameterError,
            "config key 'conjoint.attributes': required",
        ),
        ("[pricing]\n", cv.ParameterError, "config key 'pricing': unknown"),
        ("title = [", cv.ParameterError, "my.toml is not valid TOML"),
    ],
)
def test_config_mistakes_name_the_key_or_column(files, text, error, message):
    with pytest.raises(error) as e:
        build_report(config=_write(files, text), progress=False)
    assert message in str(e.value)


def test_segment_rule_strings_other_than_levels_name_the_key(files):
    text = f'[customers]\npath = "customers.csv"\nvalue = "monetary"\nfeatures = {FEATURES}\n'
    text += '[customers.segments]\nregion = "level"\n'
    with pytest.raises(cv.ParameterError, match=r"customers\.segments\.region"):
        build_report(config=_write(files, text), progress=False)


def test_relative_paths_start_at_the_config_folder(files, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config(_write(files, '[customers]\npath = "customers.csv"\n'))
    assert cfg.base == files.resolve() and cfg.customers["k"] == [2, 8]


def test_cli_config_writes_the_report_and_reports_errors_without_a_traceback(files, tmp_path):
    out = tmp_path / "r.html"
    cfg = _write(files, '[survey_scores]\npath = "customers.csv"\nnps = "nps"\n', "nps.toml")
    cmd = [sys.executable, "-m", "customervalue.cli", "report", "--no-progress", "-o", str(out)]
    subprocess.run([*cmd, "--config", str(cfg)], check=True)
    assert "NPS is" in _findings(out.read_text())["cx"]
    bad = _write(files, '[survey_scores]\npath = "customers.csv"\nnps = "promoter_score"\n', "bad.toml")
    r = subprocess.run([*cmd, "--config", str(bad)], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "InputError: column 'promoter_score' (config key 'survey_scores.nps')" in r.stderr


def test_demo_and_config_together_are_refused(files):
    r = subprocess.run(
        [sys.executable, "-m", "customervalue.cli", "report", "--demo", "--config", str(files / "x.toml")],
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0 and "--config" in r.stderr


def test_a_folder_or_a_missing_file_as_config_is_named(tmp_path):
    # issue 18, "CLI paths that are directories or do not exist": a ParameterError, not IsADirectoryError
    from customervalue.report_config import load_config

    with pytest.raises(cv.ParameterError, match="is a folder"):
        load_config(tmp_path)
    with pytest.raises(cv.ParameterError, match="no such file"):
        load_config(tmp_path / "missing.toml")
