"""Assembling the whole knowledge graph: one named graph per source.

``build_dataset()`` gathers the ontology, each vocabulary, the catalogue and
every council plan found in the data folder; ``write_dataset()`` writes them as
one canonical TriG file, atomically, so the same inputs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .. import rdfio
from ..errors import InputError
from ..namespaces import WPID
from ..reference import vocab
from ..reference.catalogue import catalogue_graph
from ..resources import bundled

ONTOLOGY_GRAPH = WPID["graph/ontology"]
CATALOGUE_GRAPH = WPID["graph/catalogue"]
DATASET_FILE = "wpgraph.trig"


def vocab_graph_name(name: str) -> URIRef:
    return WPID[f"graph/vocab/{name}"]


def plan_graph_name(key: str) -> URIRef:
    return WPID[f"graph/plan/{key}"]


@dataclass
class WpDataset:
    """Named graphs by name, in the order they were added."""

    graphs: dict[URIRef, Graph] = field(default_factory=dict)

    def add(self, name: URIRef, graph: Graph) -> None:
        if name in self.graphs:
            self.graphs[name] += graph
        else:
            self.graphs[name] = graph

    def items(self) -> Iterator[tuple[URIRef, Graph]]:
        return iter(sorted(self.graphs.items()))

    def merged(self) -> Graph:
        """All graphs as one rdflib Graph (what pySHACL validates)."""
        union = Graph()
        for _, graph in self.items():
            union += graph
        return union

    def triple_counts(self) -> dict[str, int]:
        return {str(name): len(graph) for name, graph in self.items()}

    def __len__(self) -> int:
        return sum(len(g) for g in self.graphs.values())

    def trig(self) -> bytes:
        return rdfio.serialize_trig(self.items())


def reference_graphs() -> WpDataset:
    """What every dataset carries: ontology, vocabularies and catalogue."""
    dataset = WpDataset()
    dataset.add(ONTOLOGY_GRAPH, rdfio.read_graph(bundled("ontology", "wpgraph.ttl")))
    for name in vocab.VOCAB_FILES:
        dataset.add(vocab_graph_name(name), rdfio.read_graph(vocab.vocab_path(name)))
    dataset.add(CATALOGUE_GRAPH, catalogue_graph())
    return dataset


def plan_sources(plans_dir: Path) -> list[Path]:
    """The plans a data folder holds: each ``*/plan.toml`` and each ready-made RDF plan graph."""
    if not plans_dir.is_dir():
        return []
    found = sorted(plans_dir.glob("*/plan.toml"))
    found += sorted(p for p in plans_dir.iterdir() if p.is_file() and p.suffix.lower() in rdfio.RDF_SUFFIXES)
    return found


def build_dataset(plans: Iterable[Path] | None = None, plans_dir: Path | None = None) -> WpDataset:
    """The whole graph: reference graphs plus the given plans (default: every bundled plan)."""
    from ..ingest.plans import load_plan

    if plans_dir is not None and not Path(plans_dir).is_dir():
        raise InputError("no such folder of plans", plans_dir)
    dataset = reference_graphs()
    sources = list(plans) if plans is not None else plan_sources(plans_dir or bundled("data", "plans"))
    for source in sources:
        plan = load_plan(source)
        dataset.add(plan_graph_name(plan.key), plan.graph)
    return dataset


def write_dataset(dataset: WpDataset, out_dir: Path) -> Path:
    """Write ``out_dir/wpgraph.trig`` atomically and return its path."""
    target = Path(out_dir) / DATASET_FILE
    rdfio.write_bytes_atomic(target, dataset.trig())
    return target
