"""The solutions to the notebooks' exercises run, and the notebooks' checks tell right from wrong.

Every ``notebooks/solutions/NN_solutions.py`` runs as a script (in its own process, from its own
folder, with matplotlib's Agg backend) and must exit cleanly. Each solves every exercise of its
notebook and runs the notebook's own check cells on its answers (``notebooks/solutions/_checks.py``),
so a solution that stops satisfying a check fails here. A notebook without a solution file is not
an error here. The last test feeds a wrong answer to check cells listed in ``WRONG`` and expects
the check to catch it, so that a check which passes everything cannot creep in.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
SOLUTIONS = sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_solutions.py"))


def test_every_solution_has_its_notebook():
    for path in SOLUTIONS:
        number = path.name[:2]
        assert list(NOTEBOOKS.glob(f"{number}_*.py")), f"{path.name} has no notebooks/{number}_*.py"


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_solution_runs(path):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(path)], cwd=path.parent, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, (
        f"{path.name} failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    )


def _checks_module():
    spec = importlib.util.spec_from_file_location("_checks", NOTEBOOKS / "solutions" / "_checks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CLUSTERS = ["Bargain hunters", "Loyal regulars", "Big spenders", "Occasional buyers", "Digital natives"]
RFM = ["Champions", "Loyal Customers", "Potential Loyalists", "About to Sleep", "At Risk", "Hibernating"]

# (notebook, check cell, a wrong answer): each must fail its check. Add a row for a new check.
WRONG = [
    ("00", "exercise 1", {"shares": pd.Series([561, 478, 308, 418, 235], index=CLUSTERS)}),  # counts
    ("00", "exercise 2", {"price_lift": 0.49}),  # the inverse ratio
    ("00", "exercise 5", {"no_repeat_share": 0.511}),  # to June 1998, not the first 39 weeks
    ("01", "exercise 1", {"rho_narrow": 0.82, "overlap_narrow": 0.40}),  # section 1 unchanged
    ("01", "exercise 2", {"pass_through": 1.0}),
    ("01", "exercise 3", {"captured_share": 0.48, "left_share": 0.30, "lost_share": 0.22}),
    (
        "01",
        "exercise 5",  # captured is not the profit at the optimum, and the parts do not add up
        {"survey_pool": {"created": 30000.0, "captured": 17000.0, "left": 13000.0, "lost": 1.0}},
    ),
    ("02", "exercise 2", {"ratio_discounted": 2.22, "ratio_undiscounted": 2.03}),  # swapped
    ("02", "exercise 3", {"total_error": 0.167}),  # actual / predicted - 1
    ("02", "exercise 4", {"high_end_params": {"alpha": 0.704, "beta": 1.182}}),  # the regular cohort
    ("02", "exercise 5", {"fitted": {"r": 0.24, "alpha": 30.6, "a": 0.74, "b": 2.0}}),  # days, not weeks
    ("03", "exercise 2", {"ari": {3: 0.60, 5: 0.59, 8: 0.72}}),  # five clusters, unstandardized
    (
        "03",
        "exercise 4",  # totals per segment, not means
        {
            "clv_by_rfm": pd.Series(
                [14493.3, 2671.6, 478.6, 1248.7, 219.1, 2342.5, 11.8], index=[*RFM, "Can't Lose Them"]
            )
        },
    ),
    ("03", "exercise 5", {"wtp_explained": {"stated segment": 0.76, "clusters": 0.60}}),  # swapped
    ("04", "exercise 3", {"nps_north": -26.67, "se_north": 2.67, "z_north_metro": 1.0}),  # rounded
    ("04", "exercise 4", {"wilson": (51.77, 62.43)}),  # the normal (Wald) interval
    ("04", "exercise 5", {"auc_naive": 0.598, "auc_z": 0.574}),  # weeks since last not reversed
    ("05", "exercise 2", {"did_80": -0.170}),
    ("05", "exercise 3", {"quality_cluster": 2}),  # the code, not the cluster's name
    ("05", "exercise 4", {"found": {("theme_price", "North"), ("theme_price", "South")}}),
    ("06", "exercise 2", {"easy_setup_by_hand": 3.27}),  # the top-2-box score
    ("06", "exercise 4", {"top_two": {"responsive_support", "reliability"}}),
    ("07", "exercise 1", {"quality_new_weights": 139.96}),  # the old weights
    ("07", "exercise 3", {"ev_by_reference": {"Rival A": 170.0, "Rival B": 170.0}}),
    ("08", "exercise 1", {"npv_5y_undiscounted": 280_542.0}),
    ("08", "exercise 4", {"licence_ceiling": 53_629.0}),
    ("09", "exercise 1", {"n_drop": 2000.0}),
    ("09", "exercise 2", {"profit_price_25": 33.0}),  # the revenue optimum
    ("09", "exercise 3", {"half_buy": {"Students": 23.5, "Professionals": 37.5, "Teams": 64.5}}),
    ("09", "exercise 5", {"true_optimum": 33.23}),
    (
        "10",
        "exercise 1",  # the fit on the summary of parts of 100 customers, each with its own end
        {
            "params_40": {
                "r": 0.24691498358999425,
                "alpha": 4.645044621342634,
                "a": 0.7950721941767236,
                "b": 2.4346828928348456,
            }
        },
    ),
    ("10", "exercise 2", {"wrong_T_1000": 15_800}),  # the count for parts of 100 customers
    ("10", "exercise 3", {"june_repeaters": 1246}),  # June's transactions, not its customers
    ("10", "exercise 5", {"state_gb_1b": 20.0}),  # the log's rows (about 20 bytes each), not the state
    ("11", "exercise 1", {"upgrade_wtp": 6.1241}),  # the effects-coded WTP of 256 GB, not the upgrade
    ("11", "exercise 2", {"battery_wtp": {"value seekers": 19.70, "premium": 6.50}}),  # classes swapped
    ("11", "exercise 3", {"price_at_cost_25": 38.0}),  # 28 plus the whole cost increase
    ("11", "exercise 5", {"width_ratio": 0.44}),  # 300 over 60, not 60 over 300
    ("12", "exercise 1", {"mixed_profit_30": 160.0}),  # pure bundling's profit, not mixed
    ("12", "exercise 2", {"premium_ceiling": 43.47}),  # everyone's mean value step, not the target's
]


@pytest.mark.parametrize("notebook,name,answers", WRONG, ids=[f"{n}-{c}" for n, c, _ in WRONG])
def test_a_wrong_answer_fails_its_check(notebook, name, answers):
    checks = _checks_module().NotebookChecks(notebook)
    with pytest.raises(AssertionError):
        checks.run(name, **answers)
