"""The SHACL shapes in ``shapes/``: the single source of truth for what a complete plan is."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..resources import bundled

if TYPE_CHECKING:
    from rdflib import Graph

CATALOGUE_SHAPES = "catalogue.ttl"


def shape_files() -> list[Path]:
    return sorted(bundled("shapes").glob("*.ttl"))


@cache
def shapes_graph(kind: str) -> Graph:
    """``catalogue``: the catalogue-integrity shapes; ``plan``: every other shape file; ``all``: both."""
    from rdflib import Graph

    from ..rdfio import read_graph

    graph = Graph()
    for path in shape_files():
        if kind == "all" or (path.name == CATALOGUE_SHAPES) == (kind == "catalogue"):
            graph += read_graph(path)
    return graph
