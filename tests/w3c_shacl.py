"""Reading the W3C SHACL test suite (tests/w3c-shacl): each test's data, shapes and expected results.

Each test file holds the data graph, the shapes graph and the expected report
(``mf:result``), as the suite's manifests list them; ``sht:Failure`` means an
engine must refuse the shapes. Terms come from one pyoxigraph parse per file,
so blank nodes in the data, the shapes and the expected results keep one label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from wpgraph.validation.results import ShaclResult, path_of

SUITE = Path(__file__).parent / "w3c-shacl"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass
class W3CTest:
    name: str
    file: Path
    label: str
    data: list[ox.Quad]
    shapes: list[ox.Triple]
    failure: bool
    expected: set[tuple] = field(default_factory=set)
    conforms: bool | None = None


class _Graph:
    def __init__(self, quads: list[ox.Quad]) -> None:
        self.dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)

    def values(self, subject, predicate: str) -> list:
        if isinstance(subject, ox.Literal):
            return []
        p = ox.NamedNode(predicate)
        return [q.object for q in self.dataset.quads_for_subject(subject) if q.predicate == p]

    def value(self, subject, predicate: str):
        found = self.values(subject, predicate)
        return found[0] if found else None


def _parse(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))


def _list(graph: _Graph, node) -> list:
    out = []
    while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF + "nil"):
        out.append(graph.value(node, RDF + "first"))
        node = graph.value(node, RDF + "rest")
    return out


def expected_key(graph: _Graph, result) -> tuple:
    path = path_of(graph.value(result, SH + "resultPath"), graph.values)
    value = graph.value(result, SH + "value")
    return (str(graph.value(result, SH + "focusNode")), path.text() if path else None,
            str(value) if value is not None else None, str(graph.value(result, SH + "sourceShape")),
            graph.value(result, SH + "sourceConstraintComponent").value,
            graph.value(result, SH + "resultSeverity").value)


def result_key(result: ShaclResult) -> tuple:
    return result.key()


def load_tests() -> list[W3CTest]:
    tests = []
    for manifest in sorted(SUITE.rglob("manifest.ttl")):
        for test_file in sorted(p for p in manifest.parent.glob("*.ttl") if p.name != "manifest.ttl"):
            tests += _tests_in(test_file)
    return tests


def _tests_in(path: Path) -> list[W3CTest]:
    quads = _parse(path)
    graph = _Graph(quads)
    out = []
    manifest_type = ox.NamedNode(MF + "Manifest")
    manifests = [q.subject for q in quads if q.predicate.value == RDF + "type" and q.object == manifest_type]
    for manifest in manifests:
        for heads in graph.values(manifest, MF + "entries"):
            for entry in _list(graph, heads):
                kind = graph.value(entry, RDF + "type")
                if kind is None or kind.value not in (SHT + "Validate",):
                    continue
                action = graph.value(entry, MF + "action")
                data_ref, shapes_ref = graph.value(action, SHT + "dataGraph"), graph.value(action, SHT + "shapesGraph")
                data = quads if data_ref.value == path.resolve().as_uri() else _parse(_local(data_ref))
                shapes = quads if shapes_ref.value == path.resolve().as_uri() else _parse(_local(shapes_ref))
                result = graph.value(entry, MF + "result")
                label = graph.value(entry, RDFS_LABEL)
                test = W3CTest(name=f"{path.parent.parent.name}/{path.parent.name}/{path.stem}", file=path,
                               label=label.value if label is not None else "", data=data,
                               shapes=[ox.Triple(q.subject, q.predicate, q.object) for q in shapes],
                               failure=isinstance(result, ox.NamedNode) and result.value == SHT + "Failure")
                if not test.failure:
                    conforms = graph.value(result, SH + "conforms")
                    test.conforms = conforms is not None and conforms.value == "true"
                    test.expected = {expected_key(graph, r) for r in graph.values(result, SH + "result")}
                out.append(test)
    return out


def _local(node: ox.NamedNode) -> Path:
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(node.value).path))
