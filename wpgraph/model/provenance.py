"""Where every fact came from: source documents and locations within them (PROV-O).

A fact's subject points with ``prov:wasDerivedFrom`` to a location IRI such as
``…/source/003_c442e4a153fc2022.txt#L45`` (line 45 of a seed text) or
``…/source/plans/rutland/template.csv#R12`` (row 12 of a data file).
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from ..namespaces import WP, WPID


def document_iri(file_name: str) -> URIRef:
    return WPID["source/" + quote(file_name.replace("\\", "/"), safe="/._-")]


def location_iri(file_name: str, line: int | None = None, row: int | None = None) -> URIRef:
    fragment = f"#L{line}" if line is not None else f"#R{row}" if row is not None else ""
    return URIRef(str(document_iri(file_name)) + fragment)


def add_document(graph: Graph, file_name: str) -> URIRef:
    doc = document_iri(file_name)
    graph.add((doc, RDF.type, WP.SourceDocument))
    graph.add((doc, WP.fileName, Literal(file_name)))
    return doc


def add_location(graph: Graph, subject: URIRef, file_name: str, line: int | None = None,
                 row: int | None = None) -> URIRef:
    """Record that ``subject`` was read from a line or row of a file; returns the location."""
    doc = add_document(graph, file_name)
    if line is None and row is None:
        graph.add((subject, PROV.wasDerivedFrom, doc))
        return doc
    location = location_iri(file_name, line, row)
    graph.add((location, RDF.type, WP.SourceLocation))
    graph.add((location, WP.inDocument, doc))
    if line is not None:
        graph.add((location, WP.line, Literal(line, datatype=XSD.integer)))
    if row is not None:
        graph.add((location, WP.row, Literal(row, datatype=XSD.integer)))
    graph.add((subject, PROV.wasDerivedFrom, location))
    return location
