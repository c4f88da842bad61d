"""Text rules shared by every stage: cleaning council text for display (the verbatim text is kept
elsewhere), splitting it into statements, and the one slug rule behind every minted IRI."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^<>]+>")  # no "<" inside: linear on text full of "<" (quadratic before)
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


# Terminal escape sequences (CSI and OSC), then any other C0/C1 control character but tab and newline.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: escape sequences and control characters removed (tab and newline kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def xml_safe(text: str) -> str:
    """Text an XML 1.0 document can hold: the characters it forbids (ESC, NUL, …) removed."""
    return _NOT_XML.sub("", text)


def markdown_cell(text: str) -> str:
    """Text for one Markdown table cell: HTML escaped, pipes escaped, on one line, nothing a terminal acts on."""
    return html.escape(" ".join(printable(text).split()), quote=False).replace("|", "\\|")
