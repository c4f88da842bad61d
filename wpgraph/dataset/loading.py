"""Reading one plan source into its named graph: ingest, align, map to RDF, and check it at the trust boundary."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError
from ..model.derived import Derived, PlanFacts, derive
from ..rdfio import canonical_triples, parse_oxigraph, rdf_format
from .reference import derived_graph_name, plan_graph_name, reference_index
from .sources import Source
from .trust import PlanIdentity, ReferenceIndex, check_plan_triples, council_statements, identify, term_locator

if TYPE_CHECKING:
    from ..ingest.records import PlanRecord

_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# plan files Oxigraph can load into one named graph (quad formats carry graphs of their own, which are refused)
TRIPLE_SUFFIXES = (".ttl", ".nt", ".n3", ".rdf", ".owl", ".jsonld")
_SHORT_NAME = "https://w3id.org/wpgraph/ns#shortName"


@dataclass
class LoadedPlan:
    """A plan source read into triples, ready to go into its named graph."""

    source: Source
    identity: PlanIdentity
    triples: list[ox.Triple]
    record: PlanRecord | None  # the records it was mapped from (templates and plan folders)
    derived: Derived = field(init=False)  # coverage and repeated rows, which the build works out, and the index
    # derive what only queries and pages read: wp:plainText, wp:plainDueText and wp:citation (a build does; a check
    # of files needs not: no shape reads them)
    for_queries: bool = True

    def __post_init__(self) -> None:
        facts = PlanFacts.from_triples(self.triples, self.identity.plan)
        if not self.for_queries:
            facts.texts.clear()
        self.derived = derive(facts, citations=self.for_queries)

    @property
    def graph(self) -> str:
        return plan_graph_name(self.identity.plan)

    @property
    def triple_count(self) -> int:
        return len(set(self.triples))

    @property
    def derived_graph(self) -> str:
        return derived_graph_name(self.graph)

    def named_graphs(self) -> list[tuple[str, list[ox.Triple]]]:
        """The plan's own graph and the graph the build derives from it, each in canonical order (for TriG)."""
        return [(self.graph, canonical_triples(self.triples)),
                (self.derived_graph, canonical_triples(self.derived.triples))]

    def insert_into(self, store: ox.Store) -> None:
        """Put both graphs in a store; an RDF file of triples is loaded by Oxigraph itself, straight from the file."""
        graph, derived = ox.NamedNode(self.graph), ox.NamedNode(self.derived_graph)
        path = self.source.path
        if self.source.kind == "rdf" and path.suffix.lower() in TRIPLE_SUFFIXES:
            store.load(path=str(path), format=rdf_format(path), base_iri=path.resolve().as_uri(), to_graph=graph)
        else:
            store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.triples)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, derived) for t in self.derived.triples)

    def quads(self) -> Iterator[ox.Quad]:
        """Both graphs as quads: what a fresh build hands Oxigraph's bulk loader, all plans in one call."""
        for name, triples in ((self.graph, self.triples), (self.derived_graph, self.derived.triples)):
            graph = ox.NamedNode(name)
            for t in triples:
                yield ox.Quad(t.subject, t.predicate, t.object, graph)

    def council_statements(self) -> frozenset[tuple[str, str]]:
        return council_statements(self.triples, self.identity)

    def council_label(self) -> str:
        """The name people use for the plan's council: its short name, else its label, else its IRI."""
        found: dict[str, str] = {}
        for t in self.triples:  # the least of several, whatever order the file gives them in
            if (isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.Literal)
                    and t.subject.value == self.identity.council and t.predicate.value in (_LABEL, _SHORT_NAME)):
                found[t.predicate.value] = min(t.object.value, found.get(t.predicate.value, t.object.value))
        return found.get(_SHORT_NAME) or found.get(_LABEL) or self.identity.council


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Mapping a large plan makes millions of objects and no cycles: the cycle collector, which walks every
    object each time it runs, would make the mapping grow faster than the plan (it runs again afterwards)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_record(source: Source) -> PlanRecord:
    """The records of a plan folder or a template, each response aligned to the catalogue."""
    from ..align import align_plan
    from ..ingest.plan_folder import read_plan_folder
    from ..ingest.template_plan import read_template_plan

    if source.kind == "folder":
        return align_plan(read_plan_folder(source.path))
    return align_plan(read_template_plan(source.path, council=source.council, short_name=source.short_name,
                                         gss=source.gss, sheet=source.sheet, plan_id=source.plan_id))


def load_source(source: Source, *, for_queries: bool = True) -> LoadedPlan:
    """Read one source; an InputError names the file (and row or line) of anything it cannot accept.

    ``for_queries``: derive what only queries and pages read (see ``LoadedPlan``)."""
    if source.kind == "rdf":
        parsed = parse_oxigraph(source.path, bounded=True)
        for quad in parsed.quads:
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                raise InputError(f"holds a named graph <{quad.graph_name}>: a plan file states one plan's "
                                 "triples, and the build names its graph", source.path)
        identity = identify(parsed.quads, source.label)
        locate = term_locator(parsed.data.decode("utf-8", "replace"), parsed.prefixes)
        check_plan_triples(parsed.quads, identity, ReferenceIndex(reference_index()), source.label, locate)
        return LoadedPlan(source, identity, [ox.Triple(q.subject, q.predicate, q.object) for q in parsed.quads], None,
                          for_queries=for_queries)
    from ..model.plan import plan_triples

    with _no_cycle_collection():
        record = read_record(source)
        triples = plan_triples(record)
    identity = PlanIdentity(str(record.iri), str(record.council_iri))
    # the mapping is wpgraph's own, but the same boundary holds for it: a bug here must not reach the catalogue
    check_plan_triples(triples, identity, ReferenceIndex(reference_index()), source.label)
    return LoadedPlan(source, identity, triples, record, for_queries=for_queries)
