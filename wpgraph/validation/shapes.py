"""The SHACL shapes in ``shapes/``: the single source of truth for what a complete plan is."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..rdfio import canonical_triples, parse_oxigraph
from ..resources import bundled

CATALOGUE_SHAPES = "catalogue.ttl"


def shape_files() -> list[Path]:
    return sorted(bundled("shapes").glob("*.ttl"))


@cache
def shape_triples(kind: str = "all") -> tuple[ox.Triple, ...]:
    """``catalogue``: the catalogue-integrity shapes; ``plan``: every other shape file; ``all``: both.

    Read once per process with Oxigraph's strict parser; the same terms serve the
    compiler, pySHACL and the report graph.
    """
    triples = []
    for path in shape_files():
        if kind == "all" or (path.name == CATALOGUE_SHAPES) == (kind == "catalogue"):
            triples += parse_oxigraph(path).quads
    return tuple(canonical_triples(triples))


@cache
def shapes_digest() -> str:
    """sha256 of the shape files: part of what a cached validation result depends on."""
    digest = hashlib.sha256()
    for path in shape_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
