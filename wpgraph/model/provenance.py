"""Where every fact came from: source documents and locations within them (PROV-O).

A fact's subject points with ``prov:wasDerivedFrom`` to a location IRI such as
``wpid:source/003_c442e4a153fc2022.txt#L45`` (line 45 of a seed text) or
``wpid:plan/E06000017/source/plans/rutland/template.csv#R12`` (row 12 of the data
file a plan was read from). Seed documents are shared (the catalogue and a plan
may cite one), so their IRIs are global; a plan's data files are its own, so
their IRIs lie under the plan's: two councils' ``template.csv`` never meet.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from ..namespaces import WP, WPID


class Triples(Protocol):
    """Where the statements go: an rdflib graph, or a plan's ``TripleSet``."""

    def add(self, triple: tuple[Any, Any, Any], /) -> Any: ...


def document_iri(file_name: str, owner: str | None = None) -> URIRef:
    """A seed document's global IRI, or (with ``owner``, a plan's IRI) the plan's own data file."""
    path = quote(file_name.replace("\\", "/"), safe="/._-")
    return URIRef(f"{owner}/source/{path}") if owner else WPID["source/" + path]


def location_iri(file_name: str, line: int | None = None, row: int | None = None,
                 owner: str | None = None) -> URIRef:
    fragment = f"#L{line}" if line is not None else f"#R{row}" if row is not None else ""
    return URIRef(str(document_iri(file_name, owner)) + fragment)


def add_document(graph: Triples, file_name: str, owner: str | None = None) -> URIRef:
    doc = document_iri(file_name, owner)
    graph.add((doc, RDF.type, WP.SourceDocument))
    graph.add((doc, WP.fileName, Literal(file_name)))
    return doc


def add_location(graph: Triples, subject: URIRef, file_name: str, line: int | None = None,
                 row: int | None = None, owner: str | None = None) -> URIRef:
    """Record that ``subject`` was read from a line or row of a file (a plan's own with ``owner``)."""
    doc = add_document(graph, file_name, owner)
    if line is None and row is None:
        graph.add((subject, PROV.wasDerivedFrom, doc))
        return doc
    location = location_iri(file_name, line, row, owner)
    graph.add((location, RDF.type, WP.SourceLocation))
    graph.add((location, WP.inDocument, doc))
    if line is not None:
        graph.add((location, WP.line, Literal(line, datatype=XSD.integer)))
    if row is not None:
        graph.add((location, WP.row, Literal(row, datatype=XSD.integer)))
    graph.add((subject, PROV.wasDerivedFrom, location))
    return location
