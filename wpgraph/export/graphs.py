"""Graph files for graph tools: Cytoscape.js JSON and Graphviz DOT (GraphML and GEXF are networkx's writers)."""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..views.layout import positions
from .common import node_colors, short_label


def to_cytoscape(graph: nx.Graph) -> dict:
    """Cytoscape.js JSON: ``{"data": {...}, "elements": {"nodes": [...], "edges": [...]}}``, each node at its
    place in the view's layers (``wpgraph.views.layout``)."""
    colors = node_colors(graph)
    where = positions(graph)
    nodes = [{"data": {"id": n, **data, "color": colors[n]}, "position": {"x": where[n][0], "y": where[n][1]}}
             for n, data in graph.nodes(data=True)]
    edges = []
    for i, (u, v, data) in enumerate(graph.edges(data=True)):
        edge = {"id": f"e{i}", "source": u, "target": v, **data}
        edge.setdefault("color", "#9a9a9a")
        edges.append({"data": edge})
    return {"format_version": "1.0", "generated_by": "wpgraph", "target_cytoscapejs_version": "~3",
            "data": {k: v for k, v in graph.graph.items()},
            "elements": {"nodes": nodes, "edges": edges}}


_DOT_SHAPES = {"council": "box", "role": "ellipse", "requirement": "note", "theme": "folder", "topic": "tab",
               "partner body": "hexagon", "response": "rect", "evidence": "plaintext"}


def dot_quote(value: Any) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, line breaks as \\n, nothing else special."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def to_dot(graph: nx.Graph) -> str:
    """Graphviz DOT for a view: nodes filled by type, edges labelled by predicate, coloured where the view says."""
    directed = graph.is_directed()
    view = graph.graph.get("view", "")
    ids = {n: f"n{i}" for i, n in enumerate(graph.nodes)}  # short ids; the IRI goes in the URL attribute
    colors = node_colors(graph)
    lines = [f"{'digraph' if directed else 'graph'} {dot_quote(graph.graph.get('name', 'wpgraph'))} {{",
             f"  graph [rankdir={'LR' if view != 'full' else 'TB'}, fontname=\"Helvetica\", overlap=false, "
             f"charset=\"UTF-8\", label={dot_quote(graph.graph.get('name', ''))}];",
             '  node [fontname="Helvetica", fontsize=10, style="filled"];',
             '  edge [fontname="Helvetica", fontsize=8];']
    for node, data in graph.nodes(data=True):
        attrs = {"label": short_label(data.get("label", node)), "tooltip": data.get("text", data.get("label", node)),
                 "fillcolor": colors[node], "shape": _DOT_SHAPES.get(data.get("type", ""), "ellipse")}
        if node.startswith(("http://", "https://")):
            attrs["URL"] = node
        for key in ("type", "theme", "status", "council"):
            if key in data:
                attrs[f"wp_{key}"] = data[key]
        lines.append(f"  {ids[node]} [{_dot_attrs(attrs)}];")
    arrow = "->" if directed else "--"
    edges = graph.edges(data=True)
    for u, v, data in edges:
        attrs = {"label": data.get("label", "")} if view in ("full",) or graph.number_of_edges() <= 300 else {}
        attrs["tooltip"] = data.get("label", "")
        if "color" in data:
            attrs["color"] = data["color"]
            attrs["penwidth"] = "2"
        if "status" in data:
            attrs["wp_status"] = data["status"]
        lines.append(f"  {ids[u]} {arrow} {ids[v]} [{_dot_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_attrs(attrs: dict[str, Any]) -> str:
    return ", ".join(f"{key}={dot_quote(value)}" for key, value in attrs.items())
