"""Pictures (the ``plot`` extra, matplotlib): the coverage heatmap, and layered drawings of the other views
(positioned by ``wpgraph.views.layout``: no force-directed layout, so no scipy)."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx

from ..errors import InputError
from ..outputs import atomic_output
from ..views import layout
from ..views.graphs import NOT_ADDRESSED, STATUS_COLORS, STATUS_LABELS, STATUSES, coverage_table
from .common import _OTHER_COLOR, TYPE_COLORS, node_colors, short_label

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
        text = short_label(text, width=max(int(span * 1.9), 8), lines=2)
        ax.text((start + end) / 2, -0.6, text, ha="center", va="bottom", fontsize=7)
    ax.set_xlabel("requirement (LGA template reference), grouped by theme", fontsize=8)
    title = "Winter plan coverage: what each council says of each requirement"
    fig.text(_LEFT / w_in, 1 - 0.15 / h_in, title, ha="left", va="top", fontsize=11, fontweight="bold")
    handles = [Patch(facecolor=STATUS_COLORS[s], edgecolor="#888888", label=STATUS_LABELS[s]) for s in order]
    fig.legend(handles=handles, loc="lower left", ncol=len(order), fontsize=8, frameon=False,
               bbox_to_anchor=(_LEFT / w_in, 0.0))
    return fig


def _drawing(graph: nx.Graph, plt):
    """The view in its layers (``wpgraph.views.layout``, as in the HTML page): plain arithmetic, no scipy."""
    n = graph.number_of_nodes()
    where = layout.positions(graph)
    positions = {node: (x / layout.COLUMN, -y / layout.ROW) for node, (x, y) in where.items()}
    columns, rows = layout.extent(graph)
    size = (min(30.0, max(10.0, 4.0 * columns)), min(60.0, max(8.0, rows * 0.16)))  # at most 3000 × 6000 pixels
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
        labels = {v: short_label(d.get("reference") or d.get("label", v), width=28, lines=1)
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
