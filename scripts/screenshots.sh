#!/bin/sh
# The pictures of the views in docs/ (docs/export.md shows them): each view exported as
# the HTML page from the bundled plans and photographed at its default zoom by Debian's
# headless Chromium (never a browser download), 1200 x 800, as a person first sees it.
#
# Usage: scripts/screenshots.sh        (needs `wpgraph` on the PATH and /usr/bin/chromium)
set -eu
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
shoot() {  # NAME VIEW [COUNCIL]
    page="$WORK/$1.html"
    if [ -n "${3:-}" ]; then
        wpgraph export --build "$WORK/build" --format html --view "$2" --council "$3" -o "$page"
    else
        wpgraph export --build "$WORK/build" --format html --view "$2" -o "$page"
    fi
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$WORK/profile" --virtual-time-budget=10000 --window-size=1200,800 \
        --screenshot="$HERE/docs/view-$1.png" "file://$page" 2>/dev/null
}
wpgraph build --build "$WORK/build" >/dev/null
shoot coverage coverage
shoot themes themes
shoot accountability accountability
shoot accountability-rutland accountability Rutland
shoot partners partners
shoot full-rutland full Rutland
