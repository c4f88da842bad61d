"""One self-contained interactive page: the vendored Cytoscape.js and the elements inlined, nothing fetched."""

from __future__ import annotations

import html
import json
import re
from importlib import resources

import networkx as nx

from ..views.graphs import STATUS_COLORS, STATUS_LABELS, STATUSES
from ..views.layout import LABEL_WIDTH
from .common import _OTHER_COLOR, TYPE_COLORS
from .graphs import to_cytoscape


def _package_text(*parts: str) -> str:
    """A text file shipped inside the package (the page template, the vendored library)."""
    return resources.files("wpgraph").joinpath(*parts).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Text that can sit inside <script>…</script>: no "</" that could close it, no HTML comment openers."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _json_in_script(data: object) -> str:
    """JSON for a <script type="application/json"> block: "<", ">" and "&" as \\u escapes, which JSON.parse reads
    back as they were and which no "</script>" or "<!--" in any text can turn into markup."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def to_html(graph: nx.Graph, title: str | None = None) -> str:
    """One self-contained interactive page: Cytoscape.js and the elements inlined, nothing fetched.

    Nodes sit where ``wpgraph.views.layout`` puts them (layers, labels to the right, never overlapping).
    """
    view = graph.graph.get("view", "full")
    title = title or f"wpgraph: {view} view" + (f" ({graph.graph['council']})" if graph.graph.get("council") else "")
    elements = to_cytoscape(graph)["elements"]
    layout = {"name": "preset", "fit": True, "padding": 24, "animate": False}
    councils = sorted({d["council"] for _, d in graph.nodes(data=True) if d.get("council")}, key=str.lower)
    themes = sorted({(d["theme"], d.get("theme_label", "")) for _, d in graph.nodes(data=True) if d.get("theme")})
    legend = sorted({d.get("type", "") for _, d in graph.nodes(data=True)})
    page_data = {"view": view, "title": title, "elements": elements, "layout": layout, "councils": councils,
                 "themes": [{"number": n, "label": label} for n, label in themes],
                 "legend": [{"type": t, "color": TYPE_COLORS.get(t, _OTHER_COLOR)} for t in legend],
                 "statuses": [{"status": s, "label": STATUS_LABELS[s], "color": STATUS_COLORS[s]}
                              for s in STATUSES], "labelWidth": LABEL_WIDTH}
    parts = {"TITLE": html.escape(title),
             "CYTOSCAPE": _script_safe(_package_text("_vendor", "cytoscape", "cytoscape.min.js")),
             "DATA": _json_in_script(page_data),
             "APP": _script_safe(_package_text("_templates", "graph.js"))}
    # one pass, so that nothing inserted (the library, the data) is itself searched for placeholders
    template = _package_text("_templates", "graph.html")
    return re.sub(r"@(TITLE|CYTOSCAPE|DATA|APP)@", lambda m: parts[m.group(1)], template)
