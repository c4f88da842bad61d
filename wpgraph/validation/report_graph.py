"""The SHACL validation report as RDF (``sh:ValidationReport``), written from the results of either engine."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from .paths import Path
from .results import ShaclResult

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


def _path_triples(path: Path, ids: Iterator[int]) -> tuple[ox.NamedNode | ox.BlankNode, list[ox.Triple]]:
    """A path as the RDF structure SHACL writes it (blank nodes and lists)."""
    if path.kind == "predicate":
        return ox.NamedNode(path.iri or ""), []
    node = ox.BlankNode(f"p{next(ids)}")
    triples: list[ox.Triple] = []
    if path.kind in ("sequence", "alternative"):
        members = [_path_triples(m, ids) for m in path.members]
        head: ox.NamedNode | ox.BlankNode = ox.NamedNode(RDF + "nil")
        for member, inner in reversed(members):
            cell = ox.BlankNode(f"l{next(ids)}")
            triples += inner + [ox.Triple(cell, ox.NamedNode(RDF + "first"), member),
                                ox.Triple(cell, ox.NamedNode(RDF + "rest"), head)]
            head = cell
        if path.kind == "sequence":
            return head, triples
        return node, triples + [ox.Triple(node, _sh("alternativePath"), head)]
    inner_node, inner = _path_triples(path.members[0], ids)
    name = {"inverse": "inversePath", "zeroOrMore": "zeroOrMorePath", "oneOrMore": "oneOrMorePath",
            "zeroOrOne": "zeroOrOnePath"}[path.kind]
    return node, inner + [ox.Triple(node, _sh(name), inner_node)]


def report_triples(results: Iterable[ShaclResult]) -> list[ox.Triple]:
    """``sh:ValidationReport`` with one ``sh:ValidationResult`` per result, in a stable order."""
    ordered = sorted(results, key=lambda r: (r.key()[0], r.key()[3], r.key()[4], r.key()[2] or "", r.key()[1] or ""))
    report = ox.BlankNode("report")
    type_ = ox.NamedNode(RDF + "type")
    conforms = not any(r.severity == SH + "Violation" for r in ordered)
    verdict = ox.Literal(str(conforms).lower(), datatype=ox.NamedNode(XSD_BOOLEAN))
    triples = [ox.Triple(report, type_, _sh("ValidationReport")), ox.Triple(report, _sh("conforms"), verdict)]
    ids = itertools.count(1)
    for number, result in enumerate(ordered, start=1):
        node = ox.BlankNode(f"r{number}")
        triples += [ox.Triple(report, _sh("result"), node), ox.Triple(node, type_, _sh("ValidationResult")),
                    ox.Triple(node, _sh("focusNode"), result.focus),
                    ox.Triple(node, _sh("resultSeverity"), ox.NamedNode(result.severity)),
                    ox.Triple(node, _sh("sourceConstraintComponent"), ox.NamedNode(result.component)),
                    ox.Triple(node, _sh("sourceShape"), result.shape)]
        if result.path is not None:
            path_node, path_triples = _path_triples(result.path, ids)
            triples += path_triples + [ox.Triple(node, _sh("resultPath"), path_node)]
        if result.value is not None:
            triples.append(ox.Triple(node, _sh("value"), result.value))
        if result.constraint is not None:
            triples.append(ox.Triple(node, _sh("sourceConstraint"), result.constraint))
        triples += [ox.Triple(node, _sh("resultMessage"), m) for m in result.messages]
    return triples
