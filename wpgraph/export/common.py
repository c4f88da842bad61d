"""What every export format shares: node colours by type, labels that fit, and the guard on attribute types."""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..text import xml_safe

# One colour per node type, the same in every format (colour-blind-safe where it matters).
TYPE_COLORS = {
    "council": "#4e79a7", "council plan": "#a0cbe8", "role": "#f28e2b", "role type": "#ffbe7d",
    "requirement": "#59a14f", "topic": "#8cd17d", "theme": "#b6992d", "response": "#e15759",
    "gap action": "#ff9d9a", "evidence": "#79706e", "figure": "#bab0ac", "partner body": "#d37295",
    "compliance status": "#fabfd2", "actor": "#b07aa1", "national plan": "#9d7660",
}
_OTHER_COLOR = "#d7d7d7"


def node_colors(graph: nx.Graph) -> dict[str, str]:
    """Each node's fill colour, by type."""
    return {n: TYPE_COLORS.get(d.get("type", ""), _OTHER_COLOR) for n, d in graph.nodes(data=True)}


def short_label(text: str, width: int = 40, lines: int = 3) -> str:
    """Wrap a label to a few lines, so that DOT and PNG nodes stay readable."""
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return "\n".join(out)


def checked(graph: nx.Graph) -> nx.Graph:
    """The graph itself, after making sure every attribute is a type GraphML and GEXF hold."""
    for _, data in graph.nodes(data=True):
        _check_attrs(data)
    for *_, data in graph.edges(data=True):
        _check_attrs(data)
    _check_attrs(graph.graph)
    return graph


def _check_attrs(data: dict[str, Any]) -> None:
    for key, value in data.items():
        if value is None or not isinstance(value, (str, int, float, bool)):
            raise TypeError(f"attribute {key}={value!r} cannot be written to GraphML or GEXF")


def xml_clean(graph: nx.Graph) -> nx.Graph:
    """A copy of the graph that XML can hold: characters XML 1.0 forbids (ESC, NUL, …) removed from ids and text."""
    out = graph.copy()
    for data in [out.graph, *(d for _, d in out.nodes(data=True)), *(d for *_, d in out.edges(data=True))]:
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = xml_safe(value)
    renamed = {n: xml_safe(n) for n in out.nodes if isinstance(n, str) and xml_safe(n) != n}
    return nx.relabel_nodes(out, renamed, copy=False) if renamed else out
