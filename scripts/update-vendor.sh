#!/bin/sh
# Refresh the JavaScript library that `wpgraph export --format html` inlines into
# its page (the page must work offline, so the library ships inside the package).
#
# Fetched from the npm registry with npm's own client, never from a CDN:
#   npm pack cytoscape@VERSION   -> cytoscape-VERSION.tgz (checked against the
#                                   registry's integrity hash by npm)
# and we keep only dist/cytoscape.min.js and LICENSE (MIT).
#
# Usage: scripts/update-vendor.sh [VERSION]     (default: the version in VERSION below)
set -eu
VERSION="${1:-3.34.4}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$HERE/wpgraph/_vendor/cytoscape"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "cytoscape@$VERSION" >/dev/null
tar xzf "cytoscape-$VERSION.tgz"
mkdir -p "$DEST"
cp package/dist/cytoscape.min.js package/LICENSE "$DEST/"
{
  echo "cytoscape $VERSION"
  echo "source: npm registry, npm pack cytoscape@$VERSION"
  echo "tarball sha256: $(sha256sum "cytoscape-$VERSION.tgz" | cut -d' ' -f1)"
  echo "cytoscape.min.js sha256: $(sha256sum package/dist/cytoscape.min.js | cut -d' ' -f1)"
  echo "license: MIT (see LICENSE)"
} > "$DEST/VERSION"
echo "vendored cytoscape $VERSION into $DEST"
