"""The package's reference graphs: the ontology, each vocabulary and the catalogue, one named graph each.

They come from the package, never from a plan: every build carries them, and
the trust boundary (``dataset.trust``) refuses a plan that speaks about them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import WPID_NS
from ..rdfio import canonical_triples, parse_oxigraph
from ..resources import VOCAB_FILES, bundled
from .manifest import GraphEntry
from .sources import display_path, file_sha256

ONTOLOGY_GRAPH = WPID_NS + "graph/ontology"
CATALOGUE_GRAPH = WPID_NS + "graph/catalogue"
PLAN_GRAPH_PREFIX = WPID_NS + "graph/plan/"
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
_REFERENCE = "https://w3id.org/wpgraph/ns#reference"


def vocab_graph_name(name: str) -> str:
    return WPID_NS + f"graph/vocab/{name}"


def plan_graph_name(plan_iri: str) -> str:
    """A plan's named graph: ``wpid:graph/plan/<key>`` for a plan IRI ``wpid:plan/<key>``."""
    prefix = WPID_NS + "plan/"
    if plan_iri.startswith(prefix) and "/" not in plan_iri[len(prefix):]:
        return PLAN_GRAPH_PREFIX + plan_iri[len(prefix):]
    return PLAN_GRAPH_PREFIX + "iri-" + hashlib.sha256(plan_iri.encode()).hexdigest()[:16]


def derived_graph_name(plan_graph: str) -> str:
    """The graph the build derives from a plan (coverage, repeated rows): ``wpid:graph/derived/<key>``."""
    return WPID_NS + "graph/derived/" + plan_graph.removeprefix(PLAN_GRAPH_PREFIX)


def _reference_files() -> dict[str, tuple[Path, ...]]:
    files: dict[str, tuple[Path, ...]] = {ONTOLOGY_GRAPH: (bundled("ontology", "wpgraph.ttl"),)}
    for name in VOCAB_FILES:
        files[vocab_graph_name(name)] = (bundled("data", "vocab", f"{name}.ttl"),)
    catalogue = bundled("data", "catalogue")
    sources = tuple(sorted(bundled("data", "sources").glob("*")))  # seed file names are read from here
    files[CATALOGUE_GRAPH] = (catalogue / "requirements.csv", catalogue / "overlaps.csv", *sources)
    return files


def reference_entries() -> list[GraphEntry]:
    """Each reference graph with the files it is made from and their digest (no triple counts: cheap)."""
    entries = []
    for name, files in sorted(_reference_files().items()):
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode() + b"\0" + file_sha256(path).encode())
        entries.append(GraphEntry(graph=name, triples=0, files=[display_path(p) for p in files],
                                  sha256=digest.hexdigest()))
    return entries


@dataclass(frozen=True)
class ReferenceGraph:
    name: str
    triples: tuple[ox.Triple, ...]


@cache
def reference_graphs() -> tuple[ReferenceGraph, ...]:
    """The reference graphs' triples, read once per process."""
    from ..model.catalogue import catalogue_graph
    from ..rdfio import graph_triples

    graphs = []
    for name, files in sorted(_reference_files().items()):
        if name == CATALOGUE_GRAPH:
            triples = canonical_triples(graph_triples(catalogue_graph()))
        else:
            triples = canonical_triples(parse_oxigraph(files[0]).quads)
        graphs.append(ReferenceGraph(name, tuple(triples)))
    return tuple(graphs)


@cache
def reference_index() -> dict[str, str]:
    """Every resource the reference graphs describe, with a label for messages ("requirement 3.21")."""
    labels: dict[str, str] = {}
    for graph in reference_graphs():
        for triple in graph.triples:
            if not isinstance(triple.subject, ox.NamedNode):
                continue
            iri, obj = triple.subject.value, triple.object
            if triple.predicate.value == _REFERENCE and isinstance(obj, ox.Literal):
                labels[iri] = f"the catalogue's requirement {obj.value} <{iri}>"
            elif triple.predicate.value in _LABELS and isinstance(obj, ox.Literal) and iri not in labels:
                labels[iri] = f"{obj.value!r} <{iri}>"
            else:
                labels.setdefault(iri, f"<{iri}>")
    return labels
