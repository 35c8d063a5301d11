#!/usr/bin/env bash
# Installs the newest built wheel into a fresh virtual environment whose PATH holds no Rust
# toolchain, then runs a smoke test from outside the source tree (issue 17, item 1: "a fresh
# venv installs the built wheel without cargo on PATH and runs a smoke test").
set -euo pipefail
dist="${1:-dist}"
wheel=$(ls -t "$dist"/customervalue-*-abi3-*.whl 2>/dev/null | head -1)
if [ -z "$wheel" ]; then
    echo "no abi3 wheel in $dist: run make wheel" >&2
    exit 1
fi
wheel=$(cd "$(dirname "$wheel")" && pwd)/$(basename "$wheel")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clean_path=/usr/local/bin:/usr/bin:/bin
run() { env -i HOME="$HOME" PATH="$tmp/venv/bin:$clean_path" LANG=C.UTF-8 MPLBACKEND=Agg "$@"; }
# the interpreter to build the venv from (an absolute path; the Makefile passes the base
# interpreter of .venv), run with a PATH that holds no cargo
python="${PYTHON:-$(command -v python3)}"
env -i HOME="$HOME" PATH="$clean_path" "$python" -m venv "$tmp/venv"
if run bash -c 'command -v cargo || command -v rustc'; then
    echo "a Rust toolchain is on the clean PATH; the check would prove nothing" >&2
    exit 1
fi
run pip install --quiet --disable-pip-version-check "$wheel"
cd "$tmp"
run python - <<'PY'
import customervalue as cv
from customervalue import _core

assert _core.__file__.endswith("abi3.so") or _core.__file__.endswith(".pyd"), _core.__file__
assert "site-packages" in _core.__file__, _core.__file__
bg = cv.BetaGeo().fit(cv.datasets.cdnow())
assert abs(bg.params_["r"] - 0.243) < 1e-3, bg.params_
vw = cv.van_westendorp(cv.datasets.pricing_survey(500, seed=0))
assert vw.pmc <= vw.pme
assert cv.stats.fisher_exact([[8, 2], [1, 5]]).statistic == 20.0
print(f"wheel ok: customervalue {cv.__version__} from {_core.__file__}")
PY
