#!/usr/bin/env bash
# The ontology's documentation, docs/ontology.html, generated from ontology/wpgraph.ttl with
# pyLODE (the `docs` extra: pip install -e ".[docs]"; `make docs` does both). Commit the
# result with the ontology change it documents; tests/test_ontology.py checks that it names
# every class and property of the ontology.
set -euo pipefail
cd "$(dirname "$0")/.."
"${PYLODE:-pylode}" --sort ontology/wpgraph.ttl --outputfile docs/ontology.html
