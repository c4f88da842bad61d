"""Text rules shared by every stage: cleaning council text for display (the verbatim text is kept
elsewhere), splitting it into statements, and the one slug rule behind every minted IRI."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_LENGTH = 80


def slug(text: str, fallback: str = "x") -> str:
    """The IRI segment for a name: lower case ASCII letters and digits joined by '-' ("Head of IT" → head-of-it)."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:SLUG_LENGTH].strip("-") or fallback


def clean_text(text: str) -> str:
    """Text for display: HTML remnants and bullets removed, white space tidied, one bullet per line."""
    text = html.unescape(_TAG.sub("\n", text))
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^[\s•\-–*·o]+(?=\S)", "", line) if re.match(r"^\s*[•\-–*·]\s|^\s*o\s", line) else line
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return "\n".join(lines)



def split_statements(text: str) -> list[str]:
    """The statements of a current-status cell: one per bullet or list item, cleaned for display.

    Without bullet marks or list items the cell is one statement; a line break
    alone is not a boundary, since PDF extraction breaks lines mid-sentence.
    """
    if not text or not text.strip():
        return []
    unescaped = html.unescape(text)
    if "•" in unescaped or re.search(r"<li\b", unescaped, re.I):
        parts = re.split(r"•|<li[^>]*>", unescaped)
    else:
        parts = [unescaped]
    statements = []
    for part in parts:
        cleaned = " ".join(clean_text(part).split())
        if cleaned:
            statements.append(cleaned)
    return statements
