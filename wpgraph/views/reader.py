"""Reading the RDF a view is drawn from: labels, types, councils, themes and statuses, looked up once.

Every view of ``wpgraph.views.graphs`` walks one ``Reader`` over the union of
the build's named graphs (an rdflib graph), so a label or a council's name is
found the same way in every view and every export format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ..names import resolve_name
from ..namespaces import ONTOLOGY_IRI, WP

_SCHEMA_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                 RDF.Property, RDFS.Class}
# Labels for the predicates and classes of vocabularies whose ontologies are not bundled.
_KNOWN_LABELS: dict[Any, str] = {
    SKOS.broader: "has broader", SKOS.narrower: "has narrower", SKOS.inScheme: "is in scheme",
    SKOS.topConceptOf: "is top concept in scheme", WP.overlapsWith: "overlaps with",
    ORG.postIn: "post in", ORG.hasPost: "has post", PROV.wasDerivedFrom: "was derived from",
    DCTERMS.source: "source", SKOS.Concept: "concept", SKOS.ConceptScheme: "concept scheme", ORG.Post: "post",
}


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def words(name: str) -> str:
    """``wasDerivedFrom`` → "was derived from"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


class Reader:
    """Lookups on the merged graph that every view needs, computed once."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self._labels: dict[Any, str] = {}
        self._schema_labels: dict[Any, str] = {}
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
            text = local_name(str(node)) if isinstance(node, URIRef) else f"_:{node}"
        self._labels[node] = text
        return text

    def term_label(self, term: Node) -> str:
        """A class's or predicate's label: from the ontology, a known vocabulary, or its local name."""
        if term in self._schema_labels:
            return self._schema_labels[term]
        if term in _KNOWN_LABELS:
            return _KNOWN_LABELS[term]
        return words(local_name(str(term)))

    def type_of(self, node: Node) -> str:
        types = sorted(t for t in self.g.objects(node, RDF.type) if isinstance(t, URIRef))
        own = [t for t in types if str(t).startswith(str(WP))]
        # the most general of its own classes: a named body and a kind of body are both a partner body
        general = [t for t in own if not any((t, RDFS.subClassOf, u) in self.g for u in own if u != t)]
        chosen = general or own or types
        return self.term_label(chosen[0]) if chosen else "resource"

    def text(self, node: Node) -> str | None:
        for prop in (WP.displayText, WP.text, SKOS.definition, RDFS.comment):
            value = self.g.value(node, prop)
            if isinstance(value, Literal):
                return str(value)
        return None

    # ---------------------------------------------------------------- councils
    def councils(self) -> dict[Any, str]:
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
    def theme_numbers(self) -> dict[Any, str]:
        return {t: str(n) for t, n in self.g.subject_objects(WP.themeNumber)}

    def status_notation(self, status: Node | None) -> str:
        if status is None:
            return "not-stated"
        notation = self.g.value(status, SKOS.notation)
        return str(notation) if notation is not None else local_name(str(status))


def merged_graph(dataset: Any) -> Graph:
    """The union of a build's named graphs (or an rdflib graph as it is) as one rdflib Graph."""
    if hasattr(dataset, "rdflib_graph"):  # a wpgraph.dataset.build.Build
        return dataset.rdflib_graph()
    if isinstance(dataset, Graph) and not hasattr(dataset, "contexts"):
        return dataset
    if isinstance(dataset, Graph):  # an rdflib Dataset / ConjunctiveGraph: the union of its graphs
        union = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):  # type: ignore[attr-defined]
            union.add((s, p, o))
        return union
    raise TypeError(f"dataset must be a wpgraph build or an rdflib Graph, not {type(dataset).__name__}")


def excluded_nodes(reader: Reader, keep: set[URIRef] | None) -> set[Node]:
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
    # what the build derived for those plans (coverage, requirement links) lives under their IRIs
    prefixes = tuple(f"{plan}/" for plan in out if (plan, RDF.type, WP.CouncilPlan) in g)
    if prefixes:
        out.update(s for s in set(g.subjects()) if isinstance(s, URIRef) and str(s).startswith(prefixes))
    return out


def add_node(graph: nx.Graph, reader: Reader, node: Node, **extra: str | None) -> str:
    node_id = str(node) if isinstance(node, URIRef) else f"_:{node}"
    if node_id not in graph:
        graph.add_node(node_id, label=reader.label(node), type=reader.type_of(node))
    graph.nodes[node_id].update({k: v for k, v in extra.items() if v is not None and v != ""})
    return node_id


def theme_attrs(reader: Reader, theme: Node | None, numbers: dict[Node, str]) -> dict[str, str]:
    if theme is None or theme not in numbers:
        return {}
    return {"theme": numbers[theme], "theme_label": reader.label(theme)}


def is_schema(reader: Reader, node: Node) -> bool:
    text = str(node)
    if isinstance(node, URIRef) and (text.startswith(str(WP)) or text == ONTOLOGY_IRI
                                     or text.startswith(("http://www.w3.org/", "http://purl.org/"))):
        return True
    return any(t in _SCHEMA_TYPES for t in reader.g.objects(node, RDF.type))
