"""Exporting the graph's views for the tools people explore graphs with.

``to_networkx(view=…)`` (from :mod:`wpgraph.views`) gives the graph; the writers
here turn it into a file:

``graphml``, ``gexf``
    networkx's writers (Gephi, yEd, Cytoscape desktop); every attribute a string
    or an integer, so the file reads back with the same nodes, edges and
    attributes.
``cytoscape``
    Cytoscape.js JSON (``{"elements": {"nodes": [...], "edges": [...]}}``, the
    ``.cyjs`` layout Cytoscape desktop imports too).
``dot``
    Graphviz DOT, written here with every id and attribute quoted and escaped.
``html``
    One self-contained page: the vendored Cytoscape.js library and the elements
    inlined, nothing fetched, so it works offline; zoom, pan, click a node for
    its details, filter by council and theme.
``png``
    matplotlib (the ``plot`` extra): for ``coverage`` a heatmap of councils
    against requirements grouped by theme, coloured by status; for the other
    views a layered drawing (wpgraph.views.layout). A picture of the full view is of one council's plan.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import InputError
from ..outputs import atomic_output
from ..views.graphs import VIEWS, to_networkx
from .common import checked, xml_clean
from .graphs import to_cytoscape, to_dot
from .html import to_html
from .png import write_png

FORMATS = ("graphml", "gexf", "cytoscape", "dot", "html", "png")
SUFFIXES = {"graphml": ".graphml", "gexf": ".gexf", "cytoscape": ".cyjs", "dot": ".dot", "html": ".html",
            "png": ".png"}


def export(dataset: Any, fmt: str, out: str | Path, view: str = "coverage",
           council: str | Sequence[str] | None = None) -> nx.Graph:
    """Build a view of a build (or rdflib graph) and write it to ``out`` (atomically) in format ``fmt``."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    graph = to_networkx(dataset, view=view, council=council)
    write_graph(graph, fmt, out)
    return graph


def readable(graph: nx.Graph, fmt: str) -> None:
    """A picture (html, png) of the full view must be of one council's plan: every plan at once is thousands of
    nodes no one can read. Graph files (graphml, gexf, cytoscape, dot) hold it all, for graph tools."""
    if fmt not in ("html", "png") or graph.graph.get("view") != "full" or graph.graph.get("council"):
        return
    councils = sum(1 for _, d in graph.nodes(data=True) if d.get("type") == "council")
    if councils > 1:
        raise InputError(f"the full view of {councils} councils' plans ({graph.number_of_nodes()} nodes) is too big "
                         f"to read as {fmt}: give --council NAME for one council's plan, or choose a view made to "
                         "be read (coverage, themes, accountability, partners)")


def write_graph(graph: nx.Graph, fmt: str, out: str | Path) -> None:
    """Write a view's graph in one of FORMATS, atomically."""
    readable(graph, fmt)
    if fmt == "png":
        write_png(graph, out)
        return
    if fmt in ("graphml", "gexf"):
        buffer = io.BytesIO()
        writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
        writer(xml_clean(checked(graph)), buffer)
        data = buffer.getvalue()
    elif fmt == "cytoscape":
        data = (json.dumps(to_cytoscape(graph), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    elif fmt == "dot":
        data = to_dot(graph).encode("utf-8")
    elif fmt == "html":
        data = to_html(graph).encode("utf-8")
    else:
        raise InputError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    with atomic_output(out) as handle:
        handle.write(data)


__all__ = ["FORMATS", "SUFFIXES", "VIEWS", "export", "write_graph"]
