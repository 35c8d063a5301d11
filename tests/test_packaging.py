"""Packaging metadata (issue 17, item 3): the version is written once (Cargo.toml) and read by
the wheel's metadata, the module and the command line alike; the licence ships."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import customervalue as cv

ROOT = Path(__file__).resolve().parent.parent


def test_one_version_everywhere():
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]["version"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert cv.__version__ == cargo == metadata.version("customervalue")
    out = subprocess.run(
        [sys.executable, "-m", "customervalue.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"customervalue {cargo}"


def test_the_licence_and_the_extras_are_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT License")
    extras = project["optional-dependencies"]
    assert {"test", "dev", "notebook"} <= set(extras)
    assert any(r.startswith("ipywidgets") for r in extras["notebook"])
    # the Makefile installs from the extras (scripts/requirements.py), not from a list of its own
    listed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "requirements.py"), "test", "dev"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert set(listed) == {*project["dependencies"], *extras["test"], *extras["dev"]}
    assert "scripts/requirements.py test dev" in (ROOT / "Makefile").read_text()


def test_lifetime_value_models_clone_as_scikit_learn_estimators():
    # issue 17, item 4 (in part): get_params/set_params, so sklearn.base.clone works
    import pytest
    from sklearn.base import clone

    m = cv.BetaGeo(time_unit="D")
    assert m.get_params() == {"time_unit": "D", "penalizer": 0.0}
    fitted = cv.BetaGeo().fit(cv.datasets.cdnow())
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params() and not hasattr(copy, "params_")
    assert clone(cv.GammaGamma(penalizer=0.1)).get_params() == {"penalizer": 0.1}
    assert cv.ParetoNBD().set_params(time_unit="W").time_unit == "W"
    with pytest.raises(cv.ParameterError, match="'alpha'.*time_unit, penalizer"):
        cv.BetaGeo().set_params(alpha=1.0)
