"""Views of the knowledge graph as networkx graphs, for Gephi, Cytoscape, yEd, Graphviz and the browser.

Each view is built from the RDF (the merged dataset) by walking rdflib's indexes,
so it costs one pass over the triples it needs: a few hundred milliseconds for
the bundled plans, seconds for 150. Every view returns a graph whose node ids are
the resources' IRIs and whose attributes are plain strings or integers, so that
GraphML and GEXF can hold them (never None, never a list):

node attributes
    ``label`` (rdfs:label, skos:prefLabel, …), ``type`` (the label of its most
    specific wpgraph class: "requirement", "council", "role", …), and where they
    apply ``theme`` (the theme number, "0" to "4") with ``theme_label``,
    ``status`` (a compliance status notation: met, partly-met, not-met,
    not-stated), ``council`` (the council's short name) and ``text``.
edge attributes
    ``label`` (the rdfs:label of the predicate the edge stands for),
    ``predicate`` (its IRI) and, in ``coverage`` and ``accountability``,
    ``status``, ``color`` and ``responses``.

The views (see docs/export.md for pictures and more words):

``full``
    Every resource of the data (catalogue, vocabularies, plans, provenance), one
    edge per triple between two resources, labelled by its predicate. ``rdf:type``
    becomes the ``type`` attribute and literals become ``label``/``text``; the
    ontology itself (classes and properties) is left out: it names the types and
    edge labels. A multigraph: two resources may be linked by several predicates.
``themes``
    The plan's structure: requirement —topic→ topic —broader→ theme.
``accountability``
    Who answers for what: role —post in→ council, and role —owner→ requirement
    when the role owns a response (or a gap action of a response) that addresses
    the requirement.
``partners``
    Which partner bodies the plan leans on: requirement —names partner→ partner
    body; theme —names partner→ partner body when any of its requirements names
    it (``responses`` = how many); partner —broader→ partner (NHSE under NHS).
``coverage``
    What each council says of each requirement: council —addresses→ requirement,
    one edge per pair a council's responses address, with ``status`` (the least
    complete status its responses state; not-stated only if none states one) and
    ``color``; and council —coverage→ requirement where the plan is credited with
    it (``status`` credited or partly), as the build derived it.

``council`` keeps the named councils' plans only (the catalogue and the
vocabularies stay): a council's name, short name or GSS code, or several.

The module stays whole because the five views share their attribute
conventions (what ``label``, ``type``, ``theme``, ``status`` and ``council``
mean), which every export format relies on; each view is one short function.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS
from rdflib.term import Node

from ..errors import InputError
from ..namespaces import WP
from ..reference import vocab
from .reader import Reader, add_node, excluded_nodes, is_schema, merged_graph, theme_attrs

VIEWS = ("full", "themes", "accountability", "partners", "coverage")

# Labels, colours and ranks of the compliance statuses come from data/vocab/statuses.ttl; "not addressed"
# (no response at all) is not a status a council states, only an empty cell in a picture.
NOT_ADDRESSED = "not-addressed"
# A requirement the plan does not answer itself but is credited with, wholly or in part, through the detailed ones
# that overlap it: the coverage the build derived (data/vocab/coverage.ttl gives labels and colours).
CREDITED = ("credited", "partly")
_COVERAGE = {n: (label, colour) for n, label, colour in vocab.coverage_display()}
STATUS_LABELS = ({s.notation: s.label for s in vocab.status_display().values()} | {NOT_ADDRESSED: "not addressed"}
                 | {k: _COVERAGE[k][0] for k in CREDITED})
STATUS_COLORS = ({s.notation: s.colour for s in vocab.status_display().values()} | {NOT_ADDRESSED: "#ffffff"}
                 | {k: _COVERAGE[k][1] for k in CREDITED})
# In pictures and legends: the stated statuses from most to least complete, then "not stated", then the credited.
STATUSES = tuple(s.notation for s in sorted(vocab.status_display().values(), key=lambda s: (s.notation == "not-stated",
                                                                                           -s.rank))) + CREDITED

def to_networkx(dataset: Any, view: str = "full", council: str | Sequence[str] | None = None) -> nx.Graph:
    """The knowledge graph as a networkx graph, seen through one of the views (see the module docstring).

    ``dataset`` is a build (``wpgraph.dataset.build.Build``) or an rdflib Graph;
    ``council`` a council's name, short name or GSS code, or several.
    Raises InputError for an unknown view or council.
    """
    if view not in VIEWS:
        raise InputError(f"unknown view {view!r} (use one of {', '.join(VIEWS)})")
    reader = Reader(merged_graph(dataset))
    keep = reader.resolve_councils(council)
    excluded = excluded_nodes(reader, keep)
    builder = {"full": _full, "themes": _themes, "accountability": _accountability,
               "partners": _partners, "coverage": _coverage}[view]
    graph = builder(reader, excluded)
    graph.graph.update(name=f"wpgraph {view}", view=view)
    if keep is not None:
        names = reader.councils()
        graph.graph["council"] = ", ".join(sorted(names[c] for c in keep))
    return graph


# ------------------------------------------------------------------------------------------------ views

def _node_context(reader: Reader, nodes: Iterable[Node]) -> dict[Node, dict[str, str]]:
    """theme, status and council attributes for the resources of the full view."""
    g = reader.g
    numbers = reader.theme_numbers()
    councils = reader.councils()
    context: dict[Node, dict[str, str]] = defaultdict(dict)
    req_theme = {r: t for r, t in g.subject_objects(WP.theme)}
    for topic, theme in g.subject_objects(SKOS.broader):
        if (topic, RDF.type, WP.Topic) in g:
            req_theme.setdefault(topic, theme)
    for theme in numbers:
        req_theme[theme] = theme
    # responses take their requirement's theme; their gap actions and evidence take theirs when unambiguous
    for response, requirement in g.subject_objects(WP.addresses):
        if requirement in req_theme:
            req_theme.setdefault(response, req_theme[requirement])
    child_themes: dict[Node, set[Node]] = defaultdict(set)
    for prop in (WP.hasGapAction, WP.hasEvidence):
        for parent, child in g.subject_objects(prop):
            if parent in req_theme:
                child_themes[child].add(req_theme[parent])
    for child, themes in child_themes.items():
        if len(themes) == 1:
            req_theme.setdefault(child, next(iter(themes)))
    for node in nodes:
        attrs = context[node]
        attrs.update(theme_attrs(reader, req_theme.get(node), numbers))
        status = g.value(node, WP.complianceStatus)
        if status is not None:
            attrs["status"] = reader.status_notation(status)
        elif (node, RDF.type, WP.ComplianceStatus) in g:
            attrs["status"] = reader.status_notation(node)
        owner = reader.owner_council(node)
        if owner is None and node in councils:
            owner = node
        if owner is None:
            parent = g.value(None, WP.hasFigure, node)
            owner = reader.owner_council(parent) if parent is not None else None
        if owner in councils:
            attrs["council"] = councils[owner]
        text = reader.text(node)
        if text:
            attrs["text"] = text
    return context


def _full(reader: Reader, excluded: set[Node]) -> nx.MultiDiGraph:
    g = reader.g
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    resources: set[Node] = set()
    edges = []
    for s, p, o in g:
        if s in excluded or is_schema(reader, s):
            continue
        resources.add(s)
        if p == RDF.type or isinstance(o, Literal):
            continue
        if o in excluded or is_schema(reader, o):
            continue
        resources.add(o)
        edges.append((s, p, o))
    context = _node_context(reader, resources)
    for node in sorted(resources, key=str):
        add_node(graph, reader, node, **context.get(node, {}))
    for s, p, o in sorted(edges, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        key = reader.term_label(p)
        graph.add_edge(_node_id(s), _node_id(o), key=str(p), label=key, predicate=str(p))
    # provenance left behind by councils that were filtered out
    for kind in (WP.SourceLocation, WP.SourceDocument):
        for node in [n for n, d in graph.nodes(data=True) if d["type"] == reader.term_label(kind)]:
            if graph.in_degree(node) == 0:
                graph.remove_node(node)
    return graph


def _node_id(node: Node) -> str:
    return str(node) if isinstance(node, URIRef) else f"_:{node}" if isinstance(node, BNode) else str(node)


def _requirement_attrs(reader: Reader, requirement: Node, numbers: dict[Node, str]) -> dict[str, str]:
    attrs = theme_attrs(reader, reader.g.value(requirement, WP.theme), numbers)
    text = reader.text(requirement)
    if text:
        attrs["text"] = text
    reference = reader.g.value(requirement, WP.reference)
    if reference is not None:
        attrs["reference"] = str(reference)
    return attrs


def _themes(reader: Reader, excluded: set[Node]) -> nx.DiGraph:
    g = reader.g
    numbers = reader.theme_numbers()
    graph: nx.DiGraph = nx.DiGraph()
    for theme in sorted(numbers, key=lambda t: int(numbers[t])):
        add_node(graph, reader, theme, **theme_attrs(reader, theme, numbers), text=reader.text(theme))
    for topic in sorted(g.subjects(RDF.type, WP.Topic), key=str):
        theme = g.value(topic, SKOS.broader)
        topic_id = add_node(graph, reader, topic, **theme_attrs(reader, theme, numbers))
        if theme is not None:
            graph.add_edge(topic_id, str(theme), label=reader.term_label(SKOS.broader), predicate=str(SKOS.broader))
    for requirement in sorted(g.subjects(RDF.type, WP.Requirement), key=str):
        req_id = add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        topic = g.value(requirement, WP.topic)
        if topic is not None:
            graph.add_edge(req_id, str(topic), label=reader.term_label(WP.topic), predicate=str(WP.topic))
    return graph


def _accountability(reader: Reader, excluded: set[Node]) -> nx.DiGraph:
    g = reader.g
    numbers = reader.theme_numbers()
    councils = reader.councils()
    graph: nx.DiGraph = nx.DiGraph()
    for council, short in councils.items():
        if council not in excluded:
            add_node(graph, reader, council, council=short)
    statuses: dict[tuple[Node, Node], list[str]] = defaultdict(list)
    for role in sorted(g.subjects(RDF.type, WP.Role), key=str):
        if role in excluded:
            continue
        council = reader.owner_council(role)
        role_attrs = {"council": councils.get(council, "")}
        kinds = sorted(reader.label(k) for k in g.objects(role, WP.roleType))
        if kinds:
            role_attrs["role_type"] = "; ".join(kinds)
        role_id = add_node(graph, reader, role, **role_attrs)
        if council is not None and council not in excluded:
            graph.add_edge(role_id, str(council), label=reader.term_label(ORG.postIn), predicate=str(ORG.postIn))
        owned = set(g.subjects(WP.owner, role))
        # a gap action's owner answers for the response the action belongs to
        owned |= {r for action in list(owned) for r in g.subjects(WP.hasGapAction, action)}
        for response in owned:
            if (response, RDF.type, WP.Response) not in g:
                continue
            for requirement in g.objects(response, WP.addresses):
                statuses[(role, requirement)].append(reader.status_notation(g.value(response, WP.complianceStatus)))
    for (role, requirement), found in sorted(statuses.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        req_id = add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        status = _combined_status(found)
        graph.add_edge(str(role), req_id, label=reader.term_label(WP.owner), predicate=str(WP.owner),
                       status=status, color=STATUS_COLORS[status], responses=len(found),
                       council=graph.nodes[str(role)].get("council", ""))
    return graph


def _partners(reader: Reader, excluded: set[Node]) -> nx.DiGraph:
    g = reader.g
    numbers = reader.theme_numbers()
    graph: nx.DiGraph = nx.DiGraph()
    label = reader.term_label(WP.namesPartner)
    partners = sorted(g.subjects(RDF.type, WP.PartnerBody), key=str)
    for partner in partners:
        notation = g.value(partner, SKOS.notation)
        add_node(graph, reader, partner, notation=str(notation) if notation is not None else None,
                  text=reader.text(partner))
    for partner in partners:
        for broader in g.objects(partner, SKOS.broader):
            if str(broader) in graph:
                graph.add_edge(str(partner), str(broader), label=reader.term_label(SKOS.broader),
                               predicate=str(SKOS.broader))
    per_theme: dict[tuple[Node, Node], int] = defaultdict(int)
    for requirement in sorted(g.subjects(RDF.type, WP.Requirement), key=str):
        named = sorted((p for p in g.objects(requirement, WP.namesPartner) if str(p) in graph), key=str)
        if not named:
            continue
        req_id = add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        theme = g.value(requirement, WP.theme)
        for partner in named:
            graph.add_edge(req_id, str(partner), label=label, predicate=str(WP.namesPartner))
            if theme is not None:
                per_theme[(theme, partner)] += 1
    for (theme, partner), count in sorted(per_theme.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        theme_id = add_node(graph, reader, theme, **theme_attrs(reader, theme, numbers))
        graph.add_edge(theme_id, str(partner), label=label, predicate=str(WP.namesPartner), requirements=count)
    # partner bodies no requirement names are left out, unless a named one is narrower
    tagged = {v for u, v, d in graph.edges(data=True) if d["predicate"] == str(WP.namesPartner)}
    wanted = tagged | {v for u in tagged for v in graph.successors(u)}
    graph.remove_nodes_from([str(p) for p in partners if str(p) not in wanted])
    return graph


def _combined_status(found: list[str]) -> str:
    stated = [s for s in found if s != "not-stated"]
    ranks = {s.notation: s.rank for s in vocab.status_display().values()}
    return min(stated, key=ranks.__getitem__) if stated else "not-stated"


def coverage_table(reader_or_graph: Any = None, council: str | Sequence[str] | None = None
                   ) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]], dict[tuple[str, str], str]]:
    """(councils as (id, name), requirements as (id, reference, theme), {(council id, requirement id): status})
    drawn from a coverage view graph; the heatmap's data."""
    graph = reader_or_graph
    councils = sorted(((n, d["label"] if not d.get("council") else d["council"]) for n, d in graph.nodes(data=True)
                       if d["type"] == "council"), key=lambda c: c[1].lower())
    from ..reference.catalogue import reference_key

    requirements = sorted(((n, d.get("reference", d["label"]), d.get("theme", "")) for n, d in graph.nodes(data=True)
                           if d["type"] == "requirement"), key=lambda r: reference_key(r[1]))
    cells = {(u, v): d["status"] for u, v, d in graph.edges(data=True)}
    return councils, requirements, cells


def _coverage(reader: Reader, excluded: set[Node]) -> nx.DiGraph:
    g = reader.g
    numbers = reader.theme_numbers()
    councils = reader.councils()
    graph: nx.DiGraph = nx.DiGraph()
    for council, short in councils.items():
        if council not in excluded:
            gss = g.value(council, WP.gssCode)
            add_node(graph, reader, council, council=short, gss=str(gss) if gss is not None else None)
    # every requirement addressed to councils, answered or not, so that gaps show
    council_actors = set(g.subjects(WP.councilActor, Literal(True)))
    for requirement in sorted(g.subjects(RDF.type, WP.Requirement), key=str):
        if g.value(requirement, WP.addressedTo) in council_actors:
            add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
    found: dict[tuple[Node, Node], list[str]] = defaultdict(list)
    for response, requirement in g.subject_objects(WP.addresses):
        council = g.value(response, WP.council)
        if council is None or council in excluded or (response, RDF.type, WP.Response) not in g:
            continue
        found[(council, requirement)].append(reader.status_notation(g.value(response, WP.complianceStatus)))
    label = reader.term_label(WP.addresses)
    for (council, requirement), statuses in sorted(found.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        req_id = add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        status = _combined_status(statuses)
        graph.add_edge(str(council), req_id, label=label, predicate=str(WP.addresses), status=status,
                       status_label=STATUS_LABELS[status], color=STATUS_COLORS[status], responses=len(statuses),
                       council=councils.get(council, ""))
    # credited wholly or in part through overlaps: the coverage the build derived, never recounted here
    for cov in sorted(g.subjects(RDF.type, WP.RequirementCoverage), key=str):
        kind = str(g.value(cov, WP.coverage) or "").rsplit("/", 1)[-1]
        council = g.value(g.value(cov, WP.coveragePlan), WP.council)
        requirement = g.value(cov, WP.coveredRequirement)
        if kind not in CREDITED or council is None or council in excluded or requirement is None:
            continue
        req_id = add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        graph.add_edge(str(council), req_id, label=reader.term_label(WP.coverage), predicate=str(WP.coverage),
                       status=kind, status_label=STATUS_LABELS[kind], color=STATUS_COLORS[kind], responses=0,
                       council=councils.get(council, ""))
    return graph
