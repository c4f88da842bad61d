"""Finding a resource by the names people use for it: a council by its name, short name or GSS code
("Rutland", "rutland county council", "E06000017"), a partner body by its acronym, in any case and spacing.

The one rule behind ``--param council=…`` on queries, ``--council`` on exports and the web pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import InputError

_CODE = re.compile(r"[EWSN]\d{8}")


def name_key(text: str) -> str:
    """What two spellings of one name share: white space collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


def resolve_name(value: str, names: Iterable[tuple[str, str]], what: str) -> str:
    """The IRI whose name (any of them) is ``value``: ``names`` are (iri, name) pairs.

    Unknown or ambiguous names are an InputError that lists the names known.
    """
    pairs = list(names)
    wanted = name_key(value)
    hits = sorted({iri for iri, name in pairs if name_key(name) == wanted})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        more = f" and {len(hits) - 3} more" if len(hits) > 3 else ""
        raise InputError(f"{what} {value!r} is ambiguous: {', '.join(hits[:3])}{more}")
    known = sorted({name for _, name in pairs if not _CODE.fullmatch(name) and "://" not in name})
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    raise InputError(f"unknown {what} {value!r}" + (f" (known: {shown})" if known else " (there is none)"))
