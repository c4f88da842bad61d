"""A plan's completeness score (the formula is in docs/model.md, "Completeness: how coverage counts")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .report import Finding

CREDIT = {"credited": 1.0, "partly": 0.5, "none": 0.0}


def score(coverage: Mapping[str, str], answers: Mapping[str, Iterable[str]],
          findings: Iterable[Finding]) -> tuple[float, int, int]:
    """(score, answered, required) of one plan, from the coverage the build derived.

    ``coverage``: each required requirement's coverage kind (direct, credited,
    partly, none); ``answers``: the responses answering each directly. A direct
    answer counts 1 when one of its responses has no violation, else 0.5; a credited
    one 1, a partly credited one 0.5, none 0; score = 100 × Σ credit / required.
    ``answered`` counts the direct and credited requirements.
    """
    violating = {f.focus for f in findings if f.severity == "violation"}
    total = 0.0
    for reference, kind in coverage.items():
        if kind == "direct":
            total += 1.0 if any(r not in violating for r in answers.get(reference, ())) else 0.5
        else:
            total += CREDIT.get(kind, 0.0)
    answered = sum(1 for kind in coverage.values() if kind in ("direct", "credited"))
    required = len(coverage)
    value = round(100.0 * total / required, 1) if required else 100.0
    return value, answered, required


def coverage_counts(coverage: Mapping[str, str]) -> dict[str, int]:
    """How many required requirements a plan answers directly, is credited with, is credited with in part, and
    leaves unanswered: the counts every report shows beside the score."""
    return {kind: sum(1 for k in coverage.values() if k == kind) for kind in ("direct", "credited", "partly", "none")}
