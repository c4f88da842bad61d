"""The curated table of how councils spell their posts: one stable role IRI per post, whatever the spelling.

``data/reference/roles.csv`` lists, per council (GSS code), each spelling of a
"By Who?" title that names a post someone curated, with the post's stable key
and preferred title, and the seed line where the spelling occurs (so every row
can be checked against the document). Typos ("RISE Team Manger"), "Coordinator"
beside "Co-ordinator" and the like become one post, the other spellings its
``skos:hiddenLabel``s. A row of kind ``organisation`` says the title names a body,
not a post ("Skills for Care"): its partner notation says which.

A title no row knows keeps today's rule: one post per title up to case and
punctuation (``wpgraph.text.slug``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import InputError
from ..resources import bundled
from ..text import slug

COLUMNS = ("gss", "spelling", "post", "label", "kind", "partner", "seed_file", "seed_line", "note")
KINDS = ("post", "organisation")


@dataclass(frozen=True)
class CuratedTitle:
    """What one spelling of a title in one council's plan stands for."""

    gss: str
    spelling: str
    post: str  # the stable key of the post's IRI (empty for an organisation)
    label: str  # the post's preferred title
    kind: str  # post | organisation
    partner: str  # the partner scheme's notation, for an organisation
    seed_file: str
    seed_line: int
    note: str = ""


def roles_path() -> Path:
    return bundled("data", "reference", "roles.csv")


@cache
def curated_titles() -> dict[tuple[str, str], CuratedTitle]:
    """Every curated spelling, by (council GSS code, the spelling's slug)."""
    path = roles_path()
    found: dict[tuple[str, str], CuratedTitle] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise InputError(f"the columns must be {', '.join(COLUMNS)}", path, 1)
        for number, row in enumerate(reader, start=2):
            item = _title(row, path, number)
            key = (item.gss, slug(item.spelling, fallback="role"))
            earlier = found.get(key)
            if earlier is not None and (earlier.post, earlier.kind, earlier.label, earlier.partner) != (
                    item.post, item.kind, item.label, item.partner):
                raise InputError(f"{item.spelling!r} is curated twice, as two different things", path, number)
            found.setdefault(key, item)
    return found


def _title(row: dict[str, str], path: Path, number: int) -> CuratedTitle:
    values = {name: (row.get(name) or "").strip() for name in COLUMNS}
    if values["kind"] not in KINDS:
        raise InputError(f"kind must be one of {', '.join(KINDS)}, not {values['kind']!r}", path, number)
    if values["kind"] == "post" and (not values["post"] or values["post"] != slug(values["post"])):
        raise InputError(f"a post needs a key made of lower-case words and hyphens, not {values['post']!r}", path,
                         number)
    if values["kind"] == "organisation" and not values["partner"]:
        raise InputError("an organisation needs the partner scheme's notation for it", path, number)
    if not (values["gss"] and values["spelling"] and values["label"] and values["seed_file"]):
        raise InputError("gss, spelling, label and seed_file are required", path, number)
    try:
        line = int(values["seed_line"])
    except ValueError:
        raise InputError(f"seed_line must be a line number, not {values['seed_line']!r}", path, number) from None
    return CuratedTitle(values["gss"], values["spelling"], values["post"], values["label"], values["kind"],
                        values["partner"], values["seed_file"], line, values["note"])


def curated_title(gss: str | None, title: str) -> CuratedTitle | None:
    """The curated meaning of a title in a council's plan, if the table has one."""
    if not gss:
        return None
    return curated_titles().get((gss, slug(title, fallback="role")))
