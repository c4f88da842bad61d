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
    views a layered or force-directed drawing.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import InputError
from ..outputs import atomic_output
from ..views.graphs import NOT_ADDRESSED, STATUS_COLORS, STATUS_LABELS, STATUSES, VIEWS, coverage_table, to_networkx

__all__ = ["FORMATS", "VIEWS", "to_networkx", "export", "write_graph", "to_cytoscape", "to_dot", "to_html",
           "write_png", "heatmap_size", "node_colors"]

FORMATS = ("graphml", "gexf", "cytoscape", "dot", "html", "png")
SUFFIXES = {"graphml": ".graphml", "gexf": ".gexf", "cytoscape": ".cyjs", "dot": ".dot", "html": ".html",
            "png": ".png"}

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


# ------------------------------------------------------------------------------------------------ entry point

def export(dataset: Any, fmt: str, out: str | Path, view: str = "full",
           council: str | Sequence[str] | None = None) -> nx.Graph:
    """Build a view of a build (or rdflib graph) and write it to ``out`` (atomically) in format ``fmt``."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    graph = to_networkx(dataset, view=view, council=council)
    write_graph(graph, fmt, out)
    return graph


def write_graph(graph: nx.Graph, fmt: str, out: str | Path) -> None:
    """Write a view's graph in one of FORMATS, atomically."""
    if fmt == "png":
        write_png(graph, out)
        return
    if fmt in ("graphml", "gexf"):
        buffer = io.BytesIO()
        writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
        writer(_checked(graph), buffer)
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


def _checked(graph: nx.Graph) -> nx.Graph:
    """The graph itself, after making sure every attribute is a type GraphML and GEXF hold."""
    for _, data in graph.nodes(data=True):
        _check_attrs(data)
    for *_, data in graph.edges(data=True):
        _check_attrs(data)
    _check_attrs(graph.graph)
    return graph


def _check_attrs(data: dict) -> None:
    for key, value in data.items():
        if value is None or not isinstance(value, (str, int, float, bool)):
            raise TypeError(f"attribute {key}={value!r} cannot be written to GraphML or GEXF")


# ------------------------------------------------------------------------------------------------ Cytoscape.js

def to_cytoscape(graph: nx.Graph) -> dict:
    """Cytoscape.js JSON: ``{"data": {...}, "elements": {"nodes": [...], "edges": [...]}}``."""
    colors = node_colors(graph)
    nodes = [{"data": {"id": n, **data, "color": colors[n]}} for n, data in graph.nodes(data=True)]
    edges = []
    for i, (u, v, data) in enumerate(graph.edges(data=True)):
        edge = {"id": f"e{i}", "source": u, "target": v, **data}
        edge.setdefault("color", "#9a9a9a")
        edges.append({"data": edge})
    return {"format_version": "1.0", "generated_by": "wpgraph", "target_cytoscapejs_version": "~3",
            "data": {k: v for k, v in graph.graph.items()},
            "elements": {"nodes": nodes, "edges": edges}}


# ------------------------------------------------------------------------------------------------ DOT

_DOT_SHAPES = {"council": "box", "role": "ellipse", "requirement": "note", "theme": "folder", "topic": "tab",
               "partner body": "hexagon", "response": "rect", "evidence": "plaintext"}


def dot_quote(value: Any) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, line breaks as \\n, nothing else special."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def _short_label(text: str, width: int = 40, lines: int = 3) -> str:
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
        attrs = {"label": _short_label(data.get("label", node)), "tooltip": data.get("text", data.get("label", node)),
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


# ------------------------------------------------------------------------------------------------ HTML

def _package_text(*parts: str) -> str:
    """A text file shipped inside the package (the page template, the vendored library)."""
    return resources.files("wpgraph").joinpath(*parts).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Text that can sit inside <script>…</script>: no "</" that could close it, no HTML comment openers."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


_LAYOUTS = {
    "themes": {"name": "breadthfirst", "directed": False, "spacingFactor": 1.1, "animate": False},
    "accountability": {"name": "cose", "animate": False, "nodeRepulsion": 9000, "idealEdgeLength": 60},
    "partners": {"name": "cose", "animate": False, "nodeRepulsion": 9000, "idealEdgeLength": 80},
    "coverage": {"name": "concentric", "animate": False, "minNodeSpacing": 8},
    "full": {"name": "cose", "animate": False, "numIter": 400},
}


def to_html(graph: nx.Graph, title: str | None = None) -> str:
    """One self-contained interactive page: Cytoscape.js and the elements inlined, nothing fetched."""
    view = graph.graph.get("view", "full")
    title = title or f"wpgraph: {view} view" + (f" ({graph.graph['council']})" if graph.graph.get("council") else "")
    elements = to_cytoscape(graph)["elements"]
    layout = dict(_LAYOUTS.get(view, {"name": "cose", "animate": False}))
    if graph.number_of_nodes() > 1200:  # force-directed layouts of thousands of nodes take too long in a browser
        layout = {"name": "concentric", "animate": False, "minNodeSpacing": 4}
    councils = sorted({d["council"] for _, d in graph.nodes(data=True) if d.get("council")}, key=str.lower)
    themes = sorted({(d["theme"], d.get("theme_label", "")) for _, d in graph.nodes(data=True) if d.get("theme")})
    legend = sorted({d.get("type", "") for _, d in graph.nodes(data=True)})
    page_data = {"view": view, "title": title, "elements": elements, "layout": layout, "councils": councils,
                 "themes": [{"number": n, "label": label} for n, label in themes],
                 "legend": [{"type": t, "color": TYPE_COLORS.get(t, _OTHER_COLOR)} for t in legend],
                 "statuses": [{"status": s, "label": STATUS_LABELS[s], "color": STATUS_COLORS[s]}
                              for s in STATUSES]}
    parts = {"TITLE": html.escape(title),
             "CYTOSCAPE": _script_safe(_package_text("_vendor", "cytoscape", "cytoscape.min.js")),
             "DATA": _script_safe(json.dumps(page_data, ensure_ascii=False)),
             "APP": _script_safe(_package_text("_templates", "graph.js"))}
    # one pass, so that nothing inserted (the library, the data) is itself searched for placeholders
    template = _package_text("_templates", "graph.html")
    return re.sub(r"@(TITLE|CYTOSCAPE|DATA|APP)@", lambda m: parts[m.group(1)], template)




# ------------------------------------------------------------------------------------------------ PNG

_PLOT_HINT = "the png format needs matplotlib: pip install 'wpgraph[plot]'"

# heatmap geometry, in inches, fixed so that the picture's size follows from its content
_CELL_W, _CELL_H = 0.16, 0.32
_LEFT, _RIGHT, _TOP, _BOTTOM = 2.2, 0.3, 1.0, 1.4
DPI = 100


def heatmap_size(councils: int, requirements: int, dpi: int = DPI) -> tuple[int, int]:
    """The coverage heatmap's size in pixels (width, height) for so many councils and requirements."""
    width = _LEFT + _RIGHT + max(requirements, 20) * _CELL_W
    height = _TOP + _BOTTOM + max(councils, 1) * _CELL_H
    return round(width * dpi), round(height * dpi)


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise InputError(_PLOT_HINT) from None
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def write_png(graph: nx.Graph, out: str | Path) -> None:
    """The picture that fits the view: a status heatmap for ``coverage``, a drawing of the graph otherwise."""
    plt = _pyplot()
    if graph.graph.get("view") == "coverage":
        fig = _heatmap(graph, plt)
    else:
        fig = _drawing(graph, plt)
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": "wpgraph"})
    finally:
        plt.close(fig)
    with atomic_output(out) as handle:
        handle.write(buffer.getvalue())


def _heatmap(graph: nx.Graph, plt):
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    councils, requirements, cells = coverage_table(graph)
    order = [*STATUSES, NOT_ADDRESSED]
    matrix = [[order.index(cells.get((c, r), NOT_ADDRESSED)) for r, _, _ in requirements] for c, _ in councils]
    width_px, height_px = heatmap_size(len(councils), len(requirements))
    fig = plt.figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI)
    w_in, h_in = width_px / DPI, height_px / DPI
    ax = fig.add_axes((_LEFT / w_in, _BOTTOM / h_in, len(requirements) * _CELL_W / w_in,
                       max(len(councils), 1) * _CELL_H / h_in))
    cmap = ListedColormap([STATUS_COLORS[s] for s in order])
    if councils and requirements:
        ax.imshow(matrix, cmap=cmap, vmin=-0.5, vmax=len(order) - 0.5, aspect="auto", interpolation="nearest")
    ax.set_yticks(range(len(councils)), [name for _, name in councils], fontsize=9)
    ax.set_xticks(range(len(requirements)), [ref for _, ref, _ in requirements], rotation=90, fontsize=6)
    ax.set_xticks([x - 0.5 for x in range(len(requirements) + 1)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(len(councils) + 1)], minor=True)
    ax.grid(which="minor", color="#cccccc", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlim(-0.5, len(requirements) - 0.5)
    ax.set_ylim(len(councils) - 0.5, -0.5)
    # theme groups: a heavy line between themes and the theme number above each group
    themes: list[tuple[str, int, int]] = []
    for i, (_, ref, number) in enumerate(requirements):
        theme = ("NHS " if ref.startswith("NHS-") else "") + number
        if themes and themes[-1][0] == theme:
            themes[-1] = (theme, themes[-1][1], i)
        else:
            themes.append((theme, i, i))
    labels = {d.get("theme"): d.get("theme_label", "") for _, d in graph.nodes(data=True) if d.get("theme")}
    for theme, start, end in themes:
        if start > 0:
            ax.axvline(start - 0.5, color="#222222", linewidth=1.5)
        nhs, number = theme.startswith("NHS "), theme.removeprefix("NHS ")
        name = (f"NHS theme {number}" if nhs else f"Theme {number}") if number else "no theme"
        span = end - start + 1
        text = f"{name}: {labels.get(number, '')}" if span >= 14 and not nhs else name
        text = _short_label(text, width=max(int(span * 1.9), 8), lines=2)
        ax.text((start + end) / 2, -0.6, text, ha="center", va="bottom", fontsize=7)
    ax.set_xlabel("requirement (LGA template reference), grouped by theme", fontsize=8)
    title = "Winter plan coverage: what each council says of each requirement"
    fig.text(_LEFT / w_in, 1 - 0.15 / h_in, title, ha="left", va="top", fontsize=11, fontweight="bold")
    handles = [Patch(facecolor=STATUS_COLORS[s], edgecolor="#888888", label=STATUS_LABELS[s]) for s in order]
    fig.legend(handles=handles, loc="lower left", ncol=len(order), fontsize=8, frameon=False,
               bbox_to_anchor=(_LEFT / w_in, 0.0))
    return fig


_LAYERS = {
    "themes": ["theme", "topic", "requirement"],
    "accountability": ["council", "role", "requirement"],
    "partners": ["theme", "requirement", "partner body"],
}


def _drawing(graph: nx.Graph, plt):
    view = graph.graph.get("view", "full")
    n = graph.number_of_nodes()
    layers = _LAYERS.get(view)
    if layers and n:
        from ..reference.catalogue import reference_key

        def order(item: tuple[str, dict]) -> tuple:
            data = item[1]
            reference = data.get("reference")
            return (data.get("theme", ""), reference_key(reference) if reference else (), data.get("label", ""))

        columns: list[list[str]] = [[] for _ in range(len(layers) + 1)]
        for node, data in sorted(graph.nodes(data=True), key=order):
            t = data.get("type", "")
            columns[layers.index(t) if t in layers else len(layers)].append(node)
        tallest = max(len(column) for column in columns)
        positions = {}  # one column per layer, each sorted by theme and reference, centred vertically
        for x, column in enumerate(columns):
            for i, node in enumerate(column):
                positions[node] = (float(x), (len(column) - 1) / 2 - i)
        size = (max(10.0, 4.0 * len(layers)), max(8.0, tallest * 0.16))
    else:
        positions = nx.spring_layout(graph, seed=1, k=None, iterations=60) if n else {}
        size = (16.0, 16.0) if n > 300 else (12.0, 12.0)
    fig = plt.figure(figsize=size, dpi=DPI)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.94))
    ax.set_axis_off()
    ax.margins(x=0.18, y=0.02)  # room for the labels of the right-most nodes
    colors = node_colors(graph)
    edge_colors = [d.get("color", "#b0b0b0") for *_, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, positions, ax=ax, edge_color=edge_colors, width=0.5 if n > 300 else 0.8,
                           alpha=0.6, arrows=False)
    nx.draw_networkx_nodes(graph, positions, ax=ax, node_color=[colors[v] for v in graph.nodes],
                           node_size=8 if n > 300 else 60, linewidths=0.3, edgecolors="#555555")
    if n <= 400:
        labels = {v: _short_label(d.get("reference") or d.get("label", v), width=28, lines=1)
                  for v, d in graph.nodes(data=True)}
        nx.draw_networkx_labels(graph, positions, labels=labels, ax=ax, font_size=6 if n > 120 else 8,
                                horizontalalignment="left")
    else:  # too many to label: name only the councils and themes
        labels = {v: d.get("label", v) for v, d in graph.nodes(data=True) if d.get("type") in ("council", "theme")}
        nx.draw_networkx_labels(graph, positions, labels=labels, ax=ax, font_size=9)
    present = sorted({d.get("type", "") for _, d in graph.nodes(data=True)})
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=TYPE_COLORS.get(t, _OTHER_COLOR),
                      markeredgecolor="#555555", label=t) for t in present]
    ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=True)
    title = graph.graph.get("name", "wpgraph") + (f" — {graph.graph['council']}" if graph.graph.get("council") else "")
    fig.suptitle(f"{title}: {n} nodes, {graph.number_of_edges()} edges", fontsize=12)
    return fig

