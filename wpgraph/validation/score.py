"""A plan's completeness score (the formula is in docs/model.md, "Completeness: how coverage counts")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from ..reference.catalogue import catalogue
from .report import Finding

COVERAGE_SHAPE = "https://w3id.org/wpgraph/shapes#PlanCoversRequirements"


@cache
def council_requirements() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(reference, references that also answer it) for each requirement a council plan must answer."""
    out = []
    for req in catalogue():
        if req.is_council_requirement:
            twins = req.close_matches if req.theme == 0 else ()
            out.append((req.reference, twins))
    return tuple(out)


def score(answers: Mapping[str, Iterable[str]], findings: Iterable[Finding]) -> tuple[float, int, int]:
    """(score, addressed, required) of one plan.

    ``answers``: for each requirement reference, the IRIs of the plan's responses
    that address it. 100 × Σ credit / required, where a requirement's credit is 1
    when a response answers it (directly, or for a section-0 recommendation
    through an overlapping detailed requirement) and at least one such response
    has no violation, 0.5 when every answering response has one, 0 when none
    answers it.
    """
    findings = list(findings)
    required = council_requirements()
    missing = {f.requirement for f in findings if f.shape == COVERAGE_SHAPE}
    violating = {f.focus for f in findings if f.severity == "violation"}
    credit = 0.0
    addressed = 0
    for ref, twins in required:
        if ref in missing:
            continue
        addressed += 1
        responses = list(answers.get(ref, ())) or [r for twin in twins for r in answers.get(twin, ())]
        credit += 1.0 if any(r not in violating for r in responses) else 0.5
    value = round(100.0 * credit / len(required), 1) if required else 100.0
    return value, addressed, len(required)
