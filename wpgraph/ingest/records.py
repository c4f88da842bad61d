"""What a council's plan says, as read from its source: the records every reader produces.

Whatever the council wrote (a filled template, a grouped report, required and
taken actions), its readers give these same records, every cell verbatim, with
the file row and seed line each came from; the aligner then says which
requirement each response answers, and the RDF mapping (``wpgraph.model.plan``)
turns them into one graph shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..namespaces import WPID_NS
from ..text import slug

GSS_CODE = re.compile(r"[EWSN]\d{8}")
PLAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


@dataclass(frozen=True)
class Link:
    """One requirement a row answers, how it was found, how well, and whether it is the row's primary one."""

    requirement: str
    method: str  # "reference", "text", "topic" or "curated"
    score: float
    primary: bool = True


@dataclass(frozen=True)
class Alignment:
    """Where one row went: a requirement and how (and any further requirements it also answers), or nowhere."""

    requirement: str | None
    method: str | None  # "reference", "text", "topic" or "curated"
    score: float
    warning: str | None = None
    further: tuple[Link, ...] = ()  # secondary links, found after the whole plan is aligned

    @property
    def matched(self) -> bool:
        return self.requirement is not None

    @property
    def links(self) -> tuple[Link, ...]:
        """Every requirement the row answers, its primary one first."""
        if self.requirement is None or self.method is None:
            return ()
        return (Link(self.requirement, self.method, self.score), *self.further)


@dataclass
class FigureRecord:
    text: str  # as printed ("24,995", "£6m")
    value: Decimal | None
    unit: str


@dataclass
class EvidenceRecord:
    text: str  # verbatim statement
    seed_line: int | None = None
    paragraph: str | None = None
    supports: tuple[str, ...] = ()  # requirement references the source says it supports
    figures: list[FigureRecord] = field(default_factory=list)
    source_row: int | None = None  # row of the data file it was read from
    data_file: str | None = None  # that data file, when not the plan's own


@dataclass
class GapActionRecord:
    text: str
    due_text: str | None = None
    seed_line: int | None = None
    key: str = ""
    source_row: int | None = None
    data_file: str | None = None


@dataclass
class ResponseRecord:
    """One council answer to one requirement, with all its cells verbatim."""

    key: str  # unique within the plan; part of the response's IRI
    source_row: int | None  # row in the data file
    local_ref: str
    action_text: str
    seed_lines: tuple[int, ...] = ()
    theme_heading: str = ""
    topic_heading: str = ""
    status_text: str | None = None  # current-status narrative
    met_text: str | None = None
    gaps_text: str | None = None
    owner_text: str | None = None
    due_text: str | None = None
    gap_actions: list[GapActionRecord] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    curated_requirement: str | None = None  # where a curated source file says which requirement it answers
    alignment: Alignment | None = None  # set by the aligner


@dataclass
class ImportWarning:
    """Something a reader could not read as asked; never fatal, always reported."""

    row: int | None
    message: str


@dataclass
class PlanRecord:
    council: str
    gss: str | None
    short_name: str | None
    title: str | None
    date: str | None
    seed_file: str | None  # the seed document under data/sources, if the plan comes from one
    data_file: str  # the file the rows were read from, as named in provenance
    responses: list[ResponseRecord] = field(default_factory=list)
    plan_evidence: list[EvidenceRecord] = field(default_factory=list)
    evidence_seed_file: str | None = None
    headings: list[tuple[int, str, tuple[int, ...]]] = field(default_factory=list)  # row, text, seed lines
    title_seed_lines: tuple[int, ...] = ()
    warnings: list[ImportWarning] = field(default_factory=list)
    plan_id: str | None = None  # the plan's own key, where a council has several plans

    @property
    def council_key(self) -> str:
        return self.gss or slug(self.council)

    @property
    def key(self) -> str:
        return self.plan_id or self.council_key

    @property
    def iri(self) -> str:
        return f"{WPID_NS}plan/{self.key}"

    @property
    def council_iri(self) -> str:
        return f"{WPID_NS}council/{self.council_key}"

    def warn(self, row: int | None, message: str) -> None:
        self.warnings.append(ImportWarning(row, message))
