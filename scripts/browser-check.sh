#!/usr/bin/env bash
# Renders a report in headless Chromium: a full-page screenshot and a JSON account of what loaded.
#
#   scripts/browser-check.sh REPORT.html SCREENSHOT.png [WIDTH]
#
# Installs Debian's `chromium` (apt-get, as root) when it is not on PATH. Prints one line of JSON
# on stdout: the viewport, document.scrollWidth, each section (id, title, finding, in the table
# of contents), each image (naturalWidth, naturalHeight) and every element wider than the
# viewport or reaching past its right edge. Exit 3: Chromium is missing and cannot be installed.
set -euo pipefail
report=$(realpath "$1")
shot=$2
width=${3:-1280}
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v chromium >/dev/null 2>&1; then
    echo "browser-check: chromium not on PATH; installing Debian's chromium" >&2
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
        && apt-get update -q >&2 \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2; then
        :
    else
        echo "browser-check: could not install chromium (needs root, apt-get and network)" >&2
        exit 3
    fi
fi

flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --disable-dev-shm-usage
       --no-first-run --disable-extensions --mute-audio "--window-size=${width},4000")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The check runs in a copy of the page with the script injected; the report itself stays as written.
{
    sed 's#</body></html>$##' "$report"
    printf '<script>\n'
    cat "$here/browser-check.js"
    printf '</script></body></html>\n'
} >"$work/check.html"
chromium "${flags[@]}" --virtual-time-budget=10000 --dump-dom "file://$work/check.html" \
    2>"$work/dom.err" >"$work/dom.html" || { cat "$work/dom.err" >&2; exit 1; }
python3 - "$work/dom.html" >"$work/check.json" <<'PY'
import html, re, sys
m = re.search(r'<pre id="cv-check"[^>]*>(.*?)</pre>', open(sys.argv[1], encoding="utf-8").read(), re.S)
if not m:
    sys.exit("browser-check: the page did not report (the injected script did not run)")
print(html.unescape(m.group(1)))
PY

# The screenshot, as tall as the page.
height=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["scrollHeight"])' "$work/check.json")
mkdir -p "$(dirname "$shot")"
chromium "${flags[@]}" "--window-size=${width},${height}" --screenshot="$(realpath -m "$shot")" \
    "file://$report" >"$work/shot.out" 2>&1 || { cat "$work/shot.out" >&2; exit 1; }
cat "$work/check.json"
