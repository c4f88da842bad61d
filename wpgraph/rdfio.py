"""Reading and writing RDF files strictly, deterministically and atomically.

Input is parsed with Oxigraph's parser, which rejects every W3C negative-syntax
Turtle test (rdflib 7.6 accepts 39 of them, some into silently wrong data), and
turned into rdflib terms. Output is sorted before it is serialised, so the same
graph always gives the same bytes, and is written to a temporary file that
replaces the target only when complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import InputError
from .namespaces import PREFIXES

RDF_SUFFIXES = {".ttl": "Turtle", ".trig": "TriG", ".nt": "N-Triples", ".nq": "N-Quads", ".jsonld": "JSON-LD",
                ".rdf": "RDF/XML", ".owl": "RDF/XML", ".n3": "N3"}

# (rdflib Node, ...) quads: graph name None means the default graph.
Quad = tuple[Node, Node, Node, URIRef | None]


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format a file's suffix names, or an InputError."""
    suffix = path.suffix.lower()
    fmt = ox.RdfFormat.from_extension(suffix.lstrip(".")) if suffix in RDF_SUFFIXES else None
    if fmt is None:
        raise InputError(f"not an RDF file wpgraph reads (use one of {', '.join(sorted(RDF_SUFFIXES))})", path)
    return fmt


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | None) -> Node | None:
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def parse_quads(path: str | Path, data: bytes | None = None) -> Iterator[Quad]:
    """Parse an RDF file strictly; a syntax error is an InputError naming file and line."""
    path = Path(path)
    fmt = rdf_format(path)
    try:
        if data is None:
            data = path.read_bytes()
        quads = list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None
    except SyntaxError as err:
        message = str(err).split(" (", 1)[0] if err.lineno else str(err)
        message = message.replace("Parser error at ", "syntax error at ")
        raise InputError(message, path) from None
    except ValueError as err:  # e.g. invalid UTF-8
        raise InputError(f"cannot parse as {fmt.name}: {err}", path) from None
    for quad in quads:
        graph = getattr(quad, "graph_name", None)
        yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object), to_rdflib(graph))


def read_graph(path: str | Path) -> Graph:
    """One RDF file as an rdflib Graph (named graphs, if any, merged)."""
    graph = Graph()
    for s, p, o, _ in parse_quads(path):
        graph.add((s, p, o))
    return graph


def read_dataset(path: str | Path) -> Dataset:
    """One RDF file as an rdflib Dataset, keeping its named graphs."""
    dataset = Dataset()
    for s, p, o, g in parse_quads(path):
        dataset.graph(g if g is not None else dataset.default_context.identifier).add((s, p, o))
    return dataset


def oxigraph_quads(graph: Graph, name: URIRef | None = None) -> Iterator[ox.Quad]:
    """The triples of one graph as Oxigraph quads in graph ``name`` (None: the default graph)."""
    gname = ox.NamedNode(str(name)) if name is not None else ox.DefaultGraph()
    for s, p, o in graph:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), gname)


def sorted_oxigraph_quads(graphs: Iterable[tuple[URIRef | None, Graph]]) -> list[ox.Quad]:
    """All triples of the given graphs as Oxigraph quads, in a canonical order."""
    quads = [quad for name, graph in graphs for quad in oxigraph_quads(graph, name)]
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    return quads


def serialize_trig(graphs: Iterable[tuple[URIRef | None, Graph]]) -> bytes:
    """Canonical TriG: sorted statements, the project's prefixes, byte-identical for equal input."""
    return ox.serialize(sorted_oxigraph_quads(graphs), format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def serialize_turtle(graph: Graph) -> bytes:
    """Canonical Turtle of one graph."""
    quads = sorted_oxigraph_quads([(None, graph)])
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


@contextmanager
def atomic_output(path: str | Path, mode: str = "wb"):
    """Write a file so that readers see the old one or the whole new one, never a half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; the output is for others to read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)
