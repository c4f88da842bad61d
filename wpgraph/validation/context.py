"""What an officer needs beside a SHACL result: the council, the requirement, their own row and its file and row.

Looked up on the store for all results at once (a few queries over the nodes
the results name), so it costs the same whichever engine made the results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import WP_NS

CHUNK = 2000  # nodes per VALUES block
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
# The kinds of node a finding may be about, and the way from each to its plan where it has no wp:inPlan:
# a council to its plans, a role to its council's plans, a gap action or a piece of evidence to its response's
# plan (or the plan whose evidence it is), a figure to its evidence's plan.
KINDS = " ".join(f"<{WP_NS}{kind}>" for kind in ("Response", "CouncilPlan", "Requirement", "RequirementCoverage",
                                                   "Council", "Role", "GapAction", "Evidence", "Figure"))
_UP = f"(^<{WP_NS}hasGapAction>|^<{WP_NS}hasEvidence>)/<{WP_NS}inPlan>|^<{WP_NS}planEvidence>"
PLAN_OF = (f"^<{WP_NS}council>|<{WP_NS}council>/^<{WP_NS}council>|{_UP}|"
           f"^<{WP_NS}hasFigure>/({_UP})")


@dataclass
class NodeContext:
    kinds: set[str] = field(default_factory=set)  # Response | CouncilPlan | Requirement | RequirementCoverage | …
    plan: str | None = None
    requirement: str | None = None  # the catalogue reference a response addresses, or a requirement's own
    local_ref: str | None = None
    source: str | None = None  # file:row, else file:line


def _select(store: ox.Store, text: str, graphs: Sequence[ox.NamedNode] | None) -> ox.QuerySolutions:
    if graphs is None:
        solutions = store.query(text, use_default_graph_as_union=True)
    else:
        solutions = store.query(text, default_graph=list(graphs))
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _chunks(nodes: Sequence[str]) -> Iterable[str]:
    for start in range(0, len(nodes), CHUNK):
        yield " ".join(f"<{n}>" for n in nodes[start:start + CHUNK])


def node_context(store: ox.Store, nodes: Iterable[str], graphs: Sequence[ox.NamedNode] | None = None
                 ) -> dict[str, NodeContext]:
    """Context for each IRI named by a result (as focus node or value)."""
    wanted = sorted({n for n in nodes})
    found = {n: NodeContext() for n in wanted}
    best: dict[str, tuple] = {}
    for values in _chunks(wanted):
        for row in _select(store, f"""
                SELECT ?n ?kind ?plan ?local ?ref WHERE {{
                  VALUES ?n {{ {values} }}
                  {{ ?n a ?kind . VALUES ?kind {{ {KINDS} }} }}
                  OPTIONAL {{ {{ ?n <{WP_NS}inPlan>|<{WP_NS}coveragePlan> ?plan }} UNION
                             {{ ?n {PLAN_OF} ?plan . ?plan a <{WP_NS}CouncilPlan> }} }}
                  OPTIONAL {{ ?n <{WP_NS}localReference> ?local }}
                  OPTIONAL {{ ?n (<{WP_NS}addresses>|<{WP_NS}coveredRequirement>)/<{WP_NS}reference>|<{WP_NS}reference>
                              ?ref }}
                }}""", graphs):
            context = found[row["n"].value]
            context.kinds.add(row["kind"].value.removeprefix(WP_NS))
            if row["plan"] is not None:
                context.plan = row["plan"].value
            if row["local"] is not None:
                context.local_ref = row["local"].value
            if row["ref"] is not None and (context.requirement is None or row["ref"].value < context.requirement):
                context.requirement = row["ref"].value
        for row in _select(store, f"""
                SELECT ?n ?file ?row ?line WHERE {{
                  VALUES ?n {{ {values} }}
                  ?n <{PROV_DERIVED}> ?location . ?location <{WP_NS}inDocument>/<{WP_NS}fileName> ?file .
                  OPTIONAL {{ ?location <{WP_NS}row> ?row }} OPTIONAL {{ ?location <{WP_NS}line> ?line }}
                }}""", graphs):
            name, file = row["n"].value, row["file"].value
            if row["row"] is not None:
                candidate: tuple = (0, int(row["row"].value), f"{file}:{row['row'].value}")
            elif row["line"] is not None:
                candidate = (1, int(row["line"].value), f"{file}:{row['line'].value}")
            else:
                continue
            if name not in best or candidate < best[name]:
                best[name] = candidate
    for name, (_, _, source) in best.items():
        found[name].source = source
    return found
