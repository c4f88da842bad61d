"""Owners: splitting a "By Who?" cell into roles and recognising their role types.

Councils write several owners in one cell in many ways: "A; B", "A. B", "A and
B", "A & B", one per line, or simply "A B" where the second title starts
("Human Resources RISE Care home Co-ordinator"). The cell is split at those
places, and each role's title is matched to role types by the hidden labels of
``data/vocab/role-types.ttl``.
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import URIRef

from ..namespaces import WP
from ..reference import vocab
from ..text import clean_text

# Words that begin a new post title inside a cell. "Team Manager" after "RISE"
# and "Manager" after "Service" are parts of one title, hence the look-behinds.
_TITLE_STARTS = (r"RISE\b", r"Head of\b", r"Director of\b", r"Principal Social Worker", r"(?<!RISE )Team Manager",
                 r"Service Manager", r"Human Resources", r"Admiral Nurse", r"DASS\b", r"RCC HR\b",
                 r"Community Care Services Manager", r"Senior managers", r"Skills for Care", r"Armed Forces")
_SPLIT_BEFORE = re.compile(r"(?:\s+(?:and|&)\s+|\s+)(?=(?:" + "|".join(_TITLE_STARTS) + r"))")
_SEPARATORS = re.compile(r"\s*(?:;|\.\s+|\s&\s|/\s|,\s*(?=[A-Z]))\s*")


def split_owners(cell: str) -> list[str]:
    """The role titles a "By Who?" cell names, in order, each as written."""
    pieces: list[str] = []
    # cleaned text: HTML paragraphs become line breaks, and a line break inside a
    # cell is a PDF continuation, not a separator, unless a paragraph ended there
    text = clean_text(cell or "").replace("\n", "; " if "<p" in (cell or "").lower() else " ")
    for part in _SEPARATORS.split(text):
        for piece in _SPLIT_BEFORE.split(part):
            piece = " ".join(piece.split()).strip(" .;,")
            piece = re.sub(r"^(?:and|&)\s+", "", piece)
            if piece and piece.lower() not in {"and", "&"} and piece not in pieces:
                pieces.append(piece)
    return pieces


@cache
def _role_type_patterns() -> tuple[tuple[URIRef, re.Pattern[str]], ...]:
    return vocab.LabelTagger.from_graph(vocab.load_vocab("role-types"), WP.RoleType).patterns


def role_types(title: str) -> list[URIRef]:
    """The role types a post title names; the most specific match wins where one title contains another."""
    spans: list[tuple[int, int, URIRef]] = []
    for concept, pattern in _role_type_patterns():
        for match in pattern.finditer(title):
            spans.append((match.start(), match.end(), concept))
    kept = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0])
                                        for o in spans)]
    return sorted({concept for _, _, concept in kept})
