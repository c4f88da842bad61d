"""Where each node of a view is drawn: columns of node types (layers), the same in the HTML page and the PNG.

Every view is laid out in layers, left to right, so that labels can be read:

``coverage``
    the councils, then one column of requirements per theme;
``themes``
    a hierarchy: theme, topic, requirement, each parent beside its children;
``accountability``
    councils, roles, requirements;
``partners``
    themes, requirements, partner bodies;
``full``
    one column per node type.

The longest column (the requirements, mostly) is placed in order (theme, then
reference); every other node goes beside the mean of its neighbours already
placed, and a column never puts two nodes closer than ``ROW``. A label sits to
the right of its node and is cut to ``LABEL_WIDTH``, and columns are ``COLUMN``
apart, so no two labels overlap at any zoom (the browser test measures it).
Positions are plain arithmetic: no force-directed layout, no scipy.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from ..reference.catalogue import reference_key

ROW = 22.0  # vertical distance between two nodes of a column (a label is one line, about 10 high)
LABEL_WIDTH = 160.0  # the widest label, in the page's units (Cytoscape's text-max-width)
COLUMN = 260.0  # node, gap, label and margin
THEME_GAP = ROW  # extra space between the themes of an ordered column

LAYERS = {
    "themes": ("theme", "topic", "requirement"),
    "accountability": ("council", "role", "requirement"),
    "partners": ("theme", "requirement", "partner body"),
    "coverage": ("council", "requirement"),
    "full": ("council", "council plan", "role", "response", "requirement", "topic", "theme", "gap action",
             "evidence", "figure", "partner body"),
}


def _order(data: dict[str, Any]) -> tuple:
    reference = data.get("reference")
    return (data.get("theme", "~"), reference_key(reference) if reference else (), str(data.get("label", "")))


def columns_of(graph: nx.Graph) -> list[list[str]]:
    """The view's nodes in columns: its layers in order (coverage: one requirement column per theme), then the
    types no layer names, one column each."""
    view = graph.graph.get("view", "full")
    layers = LAYERS.get(view, ())
    keyed: dict[tuple, list[str]] = defaultdict(list)

    def order(item: tuple[str, dict[str, Any]]) -> tuple:
        node, data = item
        theme, reference, label = _order(data)
        topic = ""
        if view == "themes" and data.get("type") == "requirement":  # a hierarchy: each topic's requirements together
            topic = min((str(graph.nodes[t].get("label", "")) for t in graph.neighbors(node)
                         if graph.nodes[t].get("type") == "topic"), default="")
        return (theme, topic, reference, label)

    for node, data in sorted(graph.nodes(data=True), key=order):
        kind = data.get("type", "")
        rank = layers.index(kind) if kind in layers else len(layers)
        split = data.get("theme", "") if view == "coverage" and kind == "requirement" else ""
        keyed[(rank, kind if rank == len(layers) else "", split)].append(node)
    return [keyed[key] for key in sorted(keyed)]


def positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each node's (x, y), y growing downwards as on a page."""
    columns = columns_of(graph)
    if not columns:
        return {}
    placed: dict[str, tuple[float, float]] = {}
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    view = graph.graph.get("view", "full")
    anchors = [i for i, c in enumerate(columns) if len(c) == max(len(c) for c in columns)][:1]
    if view == "coverage":  # every requirement column is placed in order, side by side
        anchors = [i for i, c in enumerate(columns) if c and graph.nodes[c[0]].get("type") == "requirement"] or anchors
    for index in anchors:
        y, theme = 0.0, None
        for node in columns[index]:
            node_theme = graph.nodes[node].get("theme")
            if theme is not None and node_theme != theme:
                y += THEME_GAP
            theme = node_theme
            placed[node] = (index * COLUMN, y)
            y += ROW
    first = min(anchors)
    last = max(anchors)
    rest = list(range(last + 1, len(columns))) + list(range(first - 1, -1, -1))
    rest += [i for i in range(first, last) if i not in anchors]
    for index in rest:
        wanted = []
        for position, node in enumerate(columns[index]):
            near = [placed[n][1] for n in undirected[node] if n in placed]
            wanted.append((sum(near) / len(near) if near else float("inf"), position, node))
        wanted.sort()
        y = float("-inf")
        fallback = max((p[1] for p in placed.values()), default=0.0) + ROW
        for desired, _, node in wanted:
            if desired == float("inf"):
                desired, fallback = fallback, fallback + ROW
            y = max(desired, y + ROW)
            placed[node] = (index * COLUMN, y)
    return placed


def extent(graph: nx.Graph) -> tuple[int, int]:
    """How many columns the drawing has, and how many rows its tallest column spans."""
    found = positions(graph)
    if not found:
        return 0, 0
    xs = {x for x, _ in found.values()}
    ys = [y for _, y in found.values()]
    return len(xs), int((max(ys) - min(ys)) / ROW) + 1
