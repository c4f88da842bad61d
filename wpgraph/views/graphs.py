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
    ``color``.

``council`` keeps the named councils' plans only (the catalogue and the
vocabularies stay): a council's name, short name or GSS code, or several.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ..errors import InputError
from ..names import resolve_name
from ..namespaces import ONTOLOGY_IRI, WP
from ..reference import vocab

VIEWS = ("full", "themes", "accountability", "partners", "coverage")

# Labels, colours and ranks of the compliance statuses come from data/vocab/statuses.ttl; "not addressed"
# (no response at all) is not a status a council states, only an empty cell in a picture.
NOT_ADDRESSED = "not-addressed"
STATUS_LABELS = {s.notation: s.label for s in vocab.status_display().values()} | {NOT_ADDRESSED: "not addressed"}
STATUS_COLORS = {s.notation: s.colour for s in vocab.status_display().values()} | {NOT_ADDRESSED: "#ffffff"}
# In pictures and legends: the stated statuses from most to least complete, then "not stated".
STATUSES = tuple(s.notation for s in sorted(vocab.status_display().values(), key=lambda s: (s.notation == "not-stated",
                                                                                           -s.rank)))

_SCHEMA_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                 RDF.Property, RDFS.Class}
# Labels for the predicates and classes of vocabularies whose ontologies are not bundled.
_KNOWN_LABELS = {
    SKOS.broader: "has broader", SKOS.narrower: "has narrower", SKOS.inScheme: "is in scheme",
    SKOS.topConceptOf: "is top concept in scheme", SKOS.closeMatch: "has close match",
    ORG.postIn: "post in", ORG.hasPost: "has post", PROV.wasDerivedFrom: "was derived from",
    DCTERMS.source: "source", SKOS.Concept: "concept", SKOS.ConceptScheme: "concept scheme", ORG.Post: "post",
}


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _words(name: str) -> str:
    """``wasDerivedFrom`` → "was derived from"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


class _Reader:
    """Lookups on the merged graph that every view needs, computed once."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self._labels: dict[Node, str] = {}
        self._schema_labels: dict[Node, str] = {}
        for s, o in graph.subject_objects(RDFS.label):
            if str(s).startswith(str(WP)) or str(s) == ONTOLOGY_IRI:
                self._schema_labels.setdefault(s, str(o))

    # ---------------------------------------------------------------- names
    def label(self, node: Node) -> str:
        if node in self._labels:
            return self._labels[node]
        text = None
        for prop in (RDFS.label, SKOS.prefLabel, WP.reference, SKOS.notation, DCTERMS.title, WP.fileName):
            values = [o for o in self.g.objects(node, prop) if isinstance(o, Literal)]
            if values:
                english = [v for v in values if v.language in (None, "en")]
                text = str(sorted(english or values)[0])
                break
        if text is None:
            text = _local_name(str(node)) if isinstance(node, URIRef) else f"_:{node}"
        self._labels[node] = text
        return text

    def term_label(self, term: Node) -> str:
        """A class's or predicate's label: from the ontology, a known vocabulary, or its local name."""
        if term in self._schema_labels:
            return self._schema_labels[term]
        if term in _KNOWN_LABELS:
            return _KNOWN_LABELS[term]
        return _words(_local_name(str(term)))

    def type_of(self, node: Node) -> str:
        types = sorted(t for t in self.g.objects(node, RDF.type) if isinstance(t, URIRef))
        own = [t for t in types if str(t).startswith(str(WP))]
        chosen = (own or types or [None])[0]
        return self.term_label(chosen) if chosen is not None else "resource"

    def text(self, node: Node) -> str | None:
        for prop in (WP.displayText, WP.text, SKOS.definition, RDFS.comment):
            value = self.g.value(node, prop)
            if isinstance(value, Literal):
                return str(value)
        return None

    # ---------------------------------------------------------------- councils
    def councils(self) -> dict[URIRef, str]:
        """Each council and the name people use for it (short name, else label)."""
        result = {}
        for council in self.g.subjects(RDF.type, WP.Council):
            short = self.g.value(council, WP.shortName)
            result[council] = str(short) if short is not None else self.label(council)
        return dict(sorted(result.items(), key=lambda kv: kv[1].lower()))

    def resolve_councils(self, wanted: str | Sequence[str] | None) -> set[URIRef] | None:
        if wanted is None:
            return None
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        if not names:
            return None
        pairs = [(str(council), str(o)) for council in self.g.subjects(RDF.type, WP.Council)
                 for prop in (RDFS.label, SKOS.prefLabel, WP.shortName, WP.gssCode)
                 for o in self.g.objects(council, prop)]
        return {URIRef(resolve_name(name, pairs, "council")) for name in names}

    def owner_council(self, node: Node) -> Node | None:
        return self.g.value(node, WP.council) or self.g.value(node, ORG.postIn)

    # ---------------------------------------------------------------- themes and statuses
    def theme_numbers(self) -> dict[Node, str]:
        return {t: str(n) for t, n in self.g.subject_objects(WP.themeNumber)}

    def status_notation(self, status: Node | None) -> str:
        if status is None:
            return "not-stated"
        notation = self.g.value(status, SKOS.notation)
        return str(notation) if notation is not None else _local_name(str(status))


def _merged(dataset: Any) -> Graph:
    """The union of a build's named graphs (or an rdflib graph as it is) as one rdflib Graph."""
    if hasattr(dataset, "rdflib_graph"):  # a wpgraph.dataset.build.Build
        return dataset.rdflib_graph()
    if isinstance(dataset, Graph) and not hasattr(dataset, "contexts"):
        return dataset
    if isinstance(dataset, Graph):  # an rdflib Dataset / ConjunctiveGraph: the union of its graphs
        union = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    raise TypeError(f"dataset must be a wpgraph build or an rdflib Graph, not {type(dataset).__name__}")


def _excluded(reader: _Reader, keep: set[URIRef] | None) -> set[Node]:
    """Resources that belong to councils not kept: their councils, plans, responses, roles, actions, evidence."""
    if keep is None:
        return set()
    g = reader.g
    others = {c for c in g.subjects(RDF.type, WP.Council) if c not in keep}
    out: set[Node] = set(others)
    for council in others:
        out.update(g.subjects(WP.council, council))
        out.update(g.subjects(ORG.postIn, council))
    for node in list(out):
        out.update(g.objects(node, WP.hasFigure))
    return out


def _add_node(graph: nx.Graph, reader: _Reader, node: Node, **extra: str) -> str:
    node_id = str(node) if isinstance(node, URIRef) else f"_:{node}"
    if node_id not in graph:
        graph.add_node(node_id, label=reader.label(node), type=reader.type_of(node))
    graph.nodes[node_id].update({k: v for k, v in extra.items() if v is not None and v != ""})
    return node_id


def _theme_attrs(reader: _Reader, theme: Node | None, numbers: dict[Node, str]) -> dict[str, str]:
    if theme is None or theme not in numbers:
        return {}
    return {"theme": numbers[theme], "theme_label": reader.label(theme)}


def to_networkx(dataset: Any, view: str = "full", council: str | Sequence[str] | None = None) -> nx.Graph:
    """The knowledge graph as a networkx graph, seen through one of the views (see the module docstring).

    ``dataset`` is a build (``wpgraph.dataset.build.Build``) or an rdflib Graph;
    ``council`` a council's name, short name or GSS code, or several.
    Raises InputError for an unknown view or council.
    """
    if view not in VIEWS:
        raise InputError(f"unknown view {view!r} (use one of {', '.join(VIEWS)})")
    reader = _Reader(_merged(dataset))
    keep = reader.resolve_councils(council)
    excluded = _excluded(reader, keep)
    builder = {"full": _full, "themes": _themes, "accountability": _accountability,
               "partners": _partners, "coverage": _coverage}[view]
    graph = builder(reader, excluded)
    graph.graph.update(name=f"wpgraph {view}", view=view)
    if keep is not None:
        names = reader.councils()
        graph.graph["council"] = ", ".join(sorted(names[c] for c in keep))
    return graph


# ------------------------------------------------------------------------------------------------ views

def _is_schema(reader: _Reader, node: Node) -> bool:
    text = str(node)
    if isinstance(node, URIRef) and (text.startswith(str(WP)) or text == ONTOLOGY_IRI
                                     or text.startswith(("http://www.w3.org/", "http://purl.org/"))):
        return True
    return any(t in _SCHEMA_TYPES for t in reader.g.objects(node, RDF.type))


def _node_context(reader: _Reader, nodes: Iterable[Node]) -> dict[Node, dict[str, str]]:
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
        attrs.update(_theme_attrs(reader, req_theme.get(node), numbers))
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


def _full(reader: _Reader, excluded: set[Node]) -> nx.MultiDiGraph:
    g = reader.g
    graph = nx.MultiDiGraph()
    resources: set[Node] = set()
    edges = []
    for s, p, o in g:
        if s in excluded or _is_schema(reader, s):
            continue
        resources.add(s)
        if p == RDF.type or isinstance(o, Literal):
            continue
        if o in excluded or _is_schema(reader, o):
            continue
        resources.add(o)
        edges.append((s, p, o))
    context = _node_context(reader, resources)
    for node in sorted(resources, key=str):
        _add_node(graph, reader, node, **context.get(node, {}))
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


def _requirement_attrs(reader: _Reader, requirement: Node, numbers: dict[Node, str]) -> dict[str, str]:
    attrs = _theme_attrs(reader, reader.g.value(requirement, WP.theme), numbers)
    text = reader.text(requirement)
    if text:
        attrs["text"] = text
    reference = reader.g.value(requirement, WP.reference)
    if reference is not None:
        attrs["reference"] = str(reference)
    return attrs


def _themes(reader: _Reader, excluded: set[Node]) -> nx.DiGraph:
    g = reader.g
    numbers = reader.theme_numbers()
    graph = nx.DiGraph()
    for theme in sorted(numbers, key=lambda t: int(numbers[t])):
        _add_node(graph, reader, theme, **_theme_attrs(reader, theme, numbers), text=reader.text(theme))
    for topic in sorted(g.subjects(RDF.type, WP.Topic), key=str):
        theme = g.value(topic, SKOS.broader)
        topic_id = _add_node(graph, reader, topic, **_theme_attrs(reader, theme, numbers))
        if theme is not None:
            graph.add_edge(topic_id, str(theme), label=reader.term_label(SKOS.broader), predicate=str(SKOS.broader))
    for requirement in sorted(g.subjects(RDF.type, WP.Requirement), key=str):
        req_id = _add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        topic = g.value(requirement, WP.topic)
        if topic is not None:
            graph.add_edge(req_id, str(topic), label=reader.term_label(WP.topic), predicate=str(WP.topic))
    return graph


def _accountability(reader: _Reader, excluded: set[Node]) -> nx.DiGraph:
    g = reader.g
    numbers = reader.theme_numbers()
    councils = reader.councils()
    graph = nx.DiGraph()
    for council, short in councils.items():
        if council not in excluded:
            _add_node(graph, reader, council, council=short)
    statuses: dict[tuple[Node, Node], list[str]] = defaultdict(list)
    for role in sorted(g.subjects(RDF.type, WP.Role), key=str):
        if role in excluded:
            continue
        council = reader.owner_council(role)
        role_attrs = {"council": councils.get(council, "")}
        kinds = sorted(reader.label(k) for k in g.objects(role, WP.roleType))
        if kinds:
            role_attrs["role_type"] = "; ".join(kinds)
        role_id = _add_node(graph, reader, role, **role_attrs)
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
        req_id = _add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        status = _combined_status(found)
        graph.add_edge(str(role), req_id, label=reader.term_label(WP.owner), predicate=str(WP.owner),
                       status=status, color=STATUS_COLORS[status], responses=len(found),
                       council=graph.nodes[str(role)].get("council", ""))
    return graph


def _partners(reader: _Reader, excluded: set[Node]) -> nx.DiGraph:
    g = reader.g
    numbers = reader.theme_numbers()
    graph = nx.DiGraph()
    label = reader.term_label(WP.namesPartner)
    partners = sorted(g.subjects(RDF.type, WP.PartnerBody), key=str)
    for partner in partners:
        notation = g.value(partner, SKOS.notation)
        _add_node(graph, reader, partner, notation=str(notation) if notation is not None else None,
                  text=reader.text(partner))
    for partner in partners:
        for broader in g.objects(partner, SKOS.broader):
            if str(broader) in graph:
                graph.add_edge(str(partner), str(broader), label=reader.term_label(SKOS.broader),
                               predicate=str(SKOS.broader))
    per_theme: dict[tuple[Node, Node], int] = defaultdict(int)
    for requirement in sorted(g.subjects(RDF.type, WP.Requirement), key=str):
        named = sorted(p for p in g.objects(requirement, WP.namesPartner) if str(p) in graph)
        if not named:
            continue
        req_id = _add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        theme = g.value(requirement, WP.theme)
        for partner in named:
            graph.add_edge(req_id, str(partner), label=label, predicate=str(WP.namesPartner))
            if theme is not None:
                per_theme[(theme, partner)] += 1
    for (theme, partner), count in sorted(per_theme.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        theme_id = _add_node(graph, reader, theme, **_theme_attrs(reader, theme, numbers))
        graph.add_edge(theme_id, str(partner), label=label, predicate=str(WP.namesPartner), requirements=count)
    # partner bodies no requirement names are left out, unless a named one is narrower
    named = {v for u, v, d in graph.edges(data=True) if d["predicate"] == str(WP.namesPartner)}
    wanted = named | {v for u in named for v in graph.successors(u)}
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


def _coverage(reader: _Reader, excluded: set[Node]) -> nx.DiGraph:
    g = reader.g
    numbers = reader.theme_numbers()
    councils = reader.councils()
    graph = nx.DiGraph()
    for council, short in councils.items():
        if council not in excluded:
            gss = g.value(council, WP.gssCode)
            _add_node(graph, reader, council, council=short, gss=str(gss) if gss is not None else None)
    # every requirement addressed to councils, answered or not, so that gaps show
    council_actors = set(g.subjects(WP.councilActor, Literal(True)))
    for requirement in sorted(g.subjects(RDF.type, WP.Requirement), key=str):
        if g.value(requirement, WP.addressedTo) in council_actors:
            _add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
    found: dict[tuple[Node, Node], list[str]] = defaultdict(list)
    for response, requirement in g.subject_objects(WP.addresses):
        council = g.value(response, WP.council)
        if council is None or council in excluded or (response, RDF.type, WP.Response) not in g:
            continue
        found[(council, requirement)].append(reader.status_notation(g.value(response, WP.complianceStatus)))
    label = reader.term_label(WP.addresses)
    for (council, requirement), statuses in sorted(found.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        req_id = _add_node(graph, reader, requirement, **_requirement_attrs(reader, requirement, numbers))
        status = _combined_status(statuses)
        graph.add_edge(str(council), req_id, label=label, predicate=str(WP.addresses), status=status,
                       status_label=STATUS_LABELS[status], color=STATUS_COLORS[status], responses=len(statuses),
                       council=councils.get(council, ""))
    return graph
