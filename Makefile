# customervalue: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export VIRTUAL_ENV := $(abspath $(VENV))
export PYO3_PYTHON := $(abspath $(PY))
export PATH := $(abspath $(VENV))/bin:$(PATH)
export MPLBACKEND := Agg
ARTIFACTS ?= artifacts

.PHONY: demo test lint lint-rust lint-python build venv cargo-test pytest stubtest bench clean wheel sdist wheel-check \
	notebooks

## make demo: create .venv, build the extension in release mode, write report.html
demo: build
	$(VENV)/bin/customervalue report --demo --output report.html
	@echo "wrote $(abspath report.html)"

## make test: lint, cargo test, build, the docs site, pytest (notebooks included)
test: lint cargo-test build stubtest docs pytest

$(VENV)/.deps: pyproject.toml scripts/requirements.py
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "maturin>=1.7,<2" $$($(PY) scripts/requirements.py test dev dask spark docs plotly)
	touch $@

venv: $(VENV)/.deps

build: venv
	$(VENV)/bin/maturin develop --release --quiet

lint: venv lint-rust lint-python

lint-rust:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --features python --lib -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
	@dups=$$(cargo tree -d --features python -e normal --depth 0 --prefix none 2>/dev/null \
		| grep -E '^(ndarray|arrow-array|pyo3) v' | sort -u); \
	if [ -n "$$dups" ]; then echo "duplicate core crates in the tree:"; echo "$$dups"; exit 1; \
	else echo "cargo tree -d: one ndarray, one arrow-array, one pyo3"; fi

lint-python:
	$(VENV)/bin/ruff check python tests benchmarks notebooks scripts
	$(VENV)/bin/ruff format --check python tests benchmarks notebooks scripts
	$(VENV)/bin/mypy python/customervalue

cargo-test:
	cargo test

stubtest: build
	$(PY) -m mypy.stubtest customervalue._core

## pytest includes tests/test_browser.py: report.html in headless Chromium (installed by
## scripts/browser-check.sh when missing); the screenshot is kept in $(ARTIFACTS)/report.png
pytest: build
	mkdir -p $(ARTIFACTS)
	CV_ARTIFACTS=$(abspath $(ARTIFACTS)) $(PY) -m pytest -q tests

## make docs: the documentation site in site/ (mkdocs-material, mkdocstrings reading the numpy
## docstrings statically, mkdocs-jupyter rendering the committed notebooks without running them;
## docs/index.md says why). Offline, and any warning fails it (--strict); a few seconds
.PHONY: docs
docs: venv
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir site

## make notebooks: each notebooks/NN_name.py (jupytext percent format) is the source of its
## NN_name.ipynb: sync the pairs (cell ids kept), then execute every notebook in place with its
## figures (tests/test_notebooks.py checks that every pair agrees and that every notebook runs)
notebooks: build
	$(VENV)/bin/jupytext --to ipynb --update notebooks/[0-9][0-9]_*.py
	$(PY) notebooks/_execute.py notebooks/[0-9][0-9]_*.ipynb

bench: build
	cargo bench --bench demand  # the Van Westendorp core alone, without Python
	$(PY) benchmarks/datasets.py
	$(PY) benchmarks/demand.py
	$(PY) -m pip install --quiet "lifetimes==0.11.3"  # the peer of benchmarks/economics.py only
	$(PY) benchmarks/economics.py
	$(PY) benchmarks/metrics.py
	$(PY) benchmarks/segmentation.py
	$(PY) benchmarks/themes.py

## make fuzz: the campaign's long profile (tests/campaign, issue 18): many hostile inputs per
## public function, each in a forked child under a timeout and a memory cap; about 17 min at the
## default 50 examples a function (CV_CAMPAIGN_EXAMPLES=20: about 7 min)
.PHONY: fuzz
fuzz: build
	CV_CAMPAIGN=long $(PY) -m pytest -q tests/campaign

## make wheel / make sdist: one abi3 wheel (CPython 3.11 and later; fat LTO, stripped) and the
## source distribution, in dist/; make wheel-check installs the wheel into a fresh venv with no
## Rust toolchain on PATH and runs a smoke test (.ci/run calls it after make test)
wheel: venv
	$(VENV)/bin/maturin build --release --quiet -o dist

sdist: venv
	$(VENV)/bin/maturin sdist -o dist

wheel-check: wheel
	PYTHON=$$($(PY) -c 'import sys; print(sys._base_executable)') bash scripts/wheel-check.sh dist

clean:
	rm -rf target $(VENV) report.html $(ARTIFACTS) dist
