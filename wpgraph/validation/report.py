"""What validation finds: one ``Finding`` per SHACL result, one ``PlanResult`` per plan, a ``ValidationReport``.

Both engines (``wpgraph.validation.engines``) produce these, and every renderer
(``wpgraph.validation.render``) reads them, so a report looks the same whichever
engine made it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .results import ShaclResult

SEVERITIES = ("violation", "warning", "info")
FAIL_LEVELS = (*SEVERITIES, "none")
FORMATS = ("text", "summary", "json", "turtle", "junit", "markdown", "xlsx")  # validation.render writes each
ENGINES = ("fast", "pyshacl")


@dataclass(frozen=True)
class Finding:
    """One SHACL result, with what an officer needs to find the row it is about."""

    severity: str  # violation | warning | info
    council: str | None  # None for findings about the catalogue itself
    requirement: str | None  # catalogue reference the finding is about ("3.21"); the missing one for coverage
    local_ref: str | None  # the council's own reference of the row
    message: str
    focus: str
    path: str | None  # the result path as SPARQL property-path text (an IRI in <>, or a path expression)
    shape: str
    source: str | None  # "file:row" (or "file:line") of the row
    plan: str | None = None  # the plan's IRI
    component: str | None = None  # the SHACL constraint component
    value: str | None = None  # the value node, as N-Triples

    def as_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "council": self.council, "requirement": self.requirement,
                "localRef": self.local_ref, "message": self.message, "focus": self.focus, "path": self.path,
                "shape": self.shape, "component": self.component, "value": self.value, "source": self.source}


@dataclass
class PlanResult:
    """One council plan's verdict."""

    council: str
    gss: str | None
    plan: str
    input: str
    conforms: bool
    score: float
    counts: dict[str, int]
    addressed: int  # answered: directly or credited through overlaps
    required: int
    direct: int = 0
    credited: int = 0
    partly: int = 0  # credited in part (counted half in the score, not in addressed)

    @property
    def coverage(self) -> dict[str, int]:
        return {"addressed": self.addressed, "direct": self.direct, "credited": self.credited,
                "partly": self.partly, "required": self.required}

    def as_dict(self) -> dict[str, Any]:
        return {"council": self.council, "gss": self.gss, "plan": self.plan, "input": self.input,
                "conforms": self.conforms, "score": self.score, "counts": dict(self.counts),
                "coverage": self.coverage}


@dataclass
class ValidationReport:
    """What ``validate()`` found. ``conforms`` follows SHACL with warnings allowed: no violations."""

    plans: list[PlanResult]
    results: list[Finding]
    raw: list[ShaclResult] | None = field(default_factory=list)  # the engine's results (None: some were kept)
    fail_on: str = "violation"
    inputs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the report was made, e.g. shapes left to pySHACL

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "violation" for f in self.results)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.results)
        return {s: counted.get(s, 0) for s in SEVERITIES}

    def reaches(self, level: str | None = None) -> bool:
        """True when some finding is at ``level`` (default: ``fail_on``) or more severe."""
        level = level or self.fail_on
        if level == "none":
            return False
        worst = SEVERITIES[: SEVERITIES.index(level) + 1]
        return any(f.severity in worst for f in self.results)

    @property
    def failed(self) -> bool:
        return self.reaches()

    def report_triples(self) -> list[ox.Triple]:
        """The standard SHACL validation report graph (``sh:ValidationReport``)."""
        from .report_graph import report_triples

        if self.raw is None:
            raise ValueError("this report kept findings from an earlier validation: validate with use_cache=False "
                             "for the SHACL report graph")
        return report_triples(self.raw)

    def findings_for(self, plan: PlanResult) -> list[Finding]:
        return [f for f in self.results if f.plan == plan.plan]

    def as_dict(self, items: bool = True) -> dict[str, Any]:
        """The report as plain data; without ``items``, its plans and results as empty lists (for a writer that
        renders them one at a time)."""
        return {"conforms": self.conforms, "failOn": self.fail_on, "failed": self.failed, "counts": self.counts,
                "plans": [p.as_dict() for p in self.plans] if items else [],
                "results": [f.as_dict() for f in self.results] if items else [], "notes": list(self.notes)}
