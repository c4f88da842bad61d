"""The national requirement catalogue: the LGA template's local-authority actions and the NHS actions.

Source of truth: ``data/catalogue/requirements.csv`` (one row per requirement,
with the seed file and line its text was copied from) and
``data/catalogue/overlaps.csv`` (pairs of requirements that ask for the same
action, wholly or in part, each with its reason). Everything else about a requirement is derived reproducibly from them:
its topic concept, the partner bodies its text names, its deadlines.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from ..errors import InputError
from ..ingest.dates import find_deadlines
from ..namespaces import WP, WPID
from ..resources import bundled
from ..text import slug
from . import vocab

REQUIREMENT_COLUMNS = ("reference", "theme", "topic", "actor", "text", "text_source", "source_line", "note")
OVERLAP_COLUMNS = ("reference", "close_match", "extent", "reason")
EXTENTS = ("full", "partial")
REFERENCE_PATTERN = re.compile(r"^(?:NHS-)?[0-4]\.[1-9][0-9]*$")
NATIONAL_PLAN = WPID["plan/asc-winter-plan-2020-21"]


@dataclass(frozen=True)
class Requirement:
    reference: str
    theme: int
    topic: str
    actor: str
    text: str
    text_source: str
    source_line: int  # where the text starts in its seed
    note: str = ""
    # where it continues, when a PDF's columns interleave other text into it (empty: it runs on from source_line)
    continued_at: tuple[int, ...] = ()
    partners: tuple[str, ...] = ()
    deadlines: tuple[date, ...] = ()
    overlaps_with: tuple[str, ...] = field(default=())
    # for an overarching requirement (section 0): the detailed requirements that cover it, and whether in full
    covered_by: tuple[tuple[str, bool], ...] = field(default=())

    @property
    def iri(self) -> URIRef:
        return requirement_iri(self.reference)

    @property
    def is_council_requirement(self) -> bool:
        return self.actor in council_actor_codes()

    def as_dict(self) -> dict:
        return {
            "reference": self.reference,
            "theme": str(self.theme),
            "topic": self.topic,
            "text": self.text,
            "actor": vocab.pref_label("actors", actor_iri(self.actor)),
            "actorCode": self.actor,
            "partners": list(self.partners),
            "deadlines": [d.isoformat() for d in self.deadlines],
            "overlapsWith": list(self.overlaps_with),
            "source": f"{source_file_name(self.text_source)}:{self.source_line}",
        }


def requirement_iri(reference: str) -> URIRef:
    return WPID[f"requirement/{reference}"]


def topic_iri(label: str) -> URIRef:
    return WPID["topic/" + slug(label)]


def actor_iri(code: str) -> URIRef:
    return vocab.notation_index("actors", WP.Actor)[code]


@cache
def council_actor_codes() -> frozenset[str]:
    graph = vocab.load_vocab("actors")
    return frozenset(str(graph.value(c, SKOS.notation)) for c in graph.subjects(WP.councilActor, Literal(True)))


def source_file_name(prefix: str) -> str:
    """The seed file a three-digit prefix ("003") names."""
    matches = sorted(bundled("data", "sources").glob(f"{prefix}_*"))
    if len(matches) != 1:
        raise InputError(f"no single source document with prefix {prefix!r} in data/sources", "data/catalogue")
    return matches[0].name


def read_csv_rows(path: Path, columns: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a curated CSV with its header checked; each with its 1-based row number."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"header lacks column(s) {', '.join(missing)}", path, 1)
            return [(reader.line_num, {k: (v or "") for k, v in row.items() if k}) for row in reader]
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text ({err.reason})", path) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None
    except csv.Error as err:
        raise InputError(f"malformed CSV: {err}", path) from None


def load_requirements(path: Path | None = None, overlaps_path: Path | None = None) -> list[Requirement]:
    """Read and check the catalogue; an InputError names the file and row of any bad row."""
    path = path or bundled("data", "catalogue", "requirements.csv")
    overlaps_path = overlaps_path or bundled("data", "catalogue", "overlaps.csv")
    tagger = vocab.partner_tagger()
    notations = vocab.partner_notations()
    actors = vocab.notation_index("actors", WP.Actor)
    rows: list[tuple[int, dict[str, str]]] = read_csv_rows(path, REQUIREMENT_COLUMNS)
    seen: set[str] = set()
    requirements = []
    for number, row in rows:
        ref = row["reference"].strip()
        if not REFERENCE_PATTERN.match(ref):
            raise InputError(f"reference {ref!r} is not of the form N.M or NHS-N.M", path, number)
        if ref in seen:
            raise InputError(f"reference {ref} appears twice", path, number)
        seen.add(ref)
        if row["actor"] not in actors:
            raise InputError(f"unknown actor code {row['actor']!r} (see data/vocab/actors.ttl)", path, number)
        if not row["text"].strip() or not row["topic"].strip():
            raise InputError(f"requirement {ref} has no text or no topic", path, number)
        theme = ref.removeprefix("NHS-").split(".")[0]
        if row["theme"] != theme:
            raise InputError(f"requirement {ref} says theme {row['theme']!r}, its reference says {theme}", path, number)
        try:  # "2306" or, for a text a PDF's columns interrupt, "2306;2326" (where each piece starts)
            line, *continued = (int(p) for p in row["source_line"].split(";"))
        except ValueError:
            raise InputError(f"source_line {row['source_line']!r} is not a line number (or lines, with ';')",
                             path, number) from None
        requirements.append(Requirement(
            reference=ref, theme=int(theme), topic=row["topic"].strip(), actor=row["actor"], text=row["text"],
            text_source=row["text_source"], source_line=line, continued_at=tuple(continued), note=row["note"],
            partners=tuple(notations[c] for c in tagger.tag(row["text"])),
            deadlines=tuple(d.date for d in find_deadlines(row["text"])),
        ))
    matches: dict[str, list[str]] = {r.reference: [] for r in requirements}
    covered: dict[str, list[tuple[str, bool]]] = {r.reference: [] for r in requirements}
    themes = {r.reference: r.theme for r in requirements}
    for number, row in read_csv_rows(overlaps_path, OVERLAP_COLUMNS):
        a, b = row["reference"].strip(), row["close_match"].strip()
        for ref in (a, b):
            if ref not in matches:
                raise InputError(f"overlap names unknown requirement {ref!r}", overlaps_path, number)
        if row["extent"] not in EXTENTS:
            raise InputError(f"extent {row['extent']!r} is not one of {', '.join(EXTENTS)}", overlaps_path, number)
        if not row["reason"].strip():
            raise InputError(f"the overlap of {a} and {b} gives no reason (reason)", overlaps_path, number)
        matches[a].append(b)
        matches[b].append(a)
        for broad, narrow in ((a, b), (b, a)):
            if themes[broad] == 0 and themes[narrow] != 0 and not narrow.startswith("NHS-"):
                covered[broad].append((narrow, row["extent"] == "full"))
    return [Requirement(**{**r.__dict__, "overlaps_with": tuple(sorted(matches[r.reference], key=reference_key)),
                           "covered_by": tuple(sorted(covered[r.reference], key=lambda c: reference_key(c[0])))})
            for r in requirements]


def reference_key(reference: str) -> tuple:
    """Sort key that puts 1.10 after 1.9 and NHS actions after the council's."""
    nhs = reference.startswith("NHS-")
    theme, _, number = reference.removeprefix("NHS-").partition(".")
    return (nhs, int(theme), int(number or 0))


@dataclass(frozen=True)
class Overlap:
    """Two requirements that ask for the same action, wholly or in part, and why (a row of overlaps.csv)."""

    reference: str
    close_match: str
    full: bool
    reason: str
    row: int  # its row in the file, for provenance


@cache
def overlaps() -> tuple[Overlap, ...]:
    """The bundled overlaps, as ``load_requirements`` checked them."""
    catalogue()
    return tuple(Overlap(row["reference"].strip(), row["close_match"].strip(), row["extent"] == "full",
                         row["reason"].strip(), number)
                 for number, row in read_csv_rows(bundled("data", "catalogue", "overlaps.csv"), OVERLAP_COLUMNS))


@cache
def catalogue() -> tuple[Requirement, ...]:
    """The bundled catalogue, read once per process."""
    return tuple(load_requirements())


def by_reference() -> dict[str, Requirement]:
    return {r.reference: r for r in catalogue()}
