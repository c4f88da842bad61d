"""Rendering rows (lists of dicts) as table, CSV, JSON or Markdown, for every command."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .outputs import atomic_output
from .text import markdown_cell, printable


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return " ".join(str(value).split())


def render_rows(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None,
                max_width: int = 60) -> str:
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(row.get(c)) for c in columns] for row in rows])
        return buffer.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(markdown_cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(markdown_cell(_cell(row.get(c))) for c in columns) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    table = [[printable(_cell(row.get(c))) for c in columns] for row in rows]  # a table is for a terminal
    table = [[v if len(v) <= max_width else v[: max_width - 1] + "…" for v in r] for r in table]
    widths = [max([len(c)] + [len(r[i]) for r in table]) for i, c in enumerate(columns)]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in table]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def emit(text: str, out: str | Path | None = None, stream: TextIO | None = None, raw: bool = False) -> None:
    """Write to a file atomically, or to stdout; on a terminal without escape codes (``raw``: ours are kept)."""
    if out is not None and str(out) != "-":
        with atomic_output(out, "w") as handle:
            handle.write(text)
        return
    stream = stream or sys.stdout
    if not raw and stream.isatty():
        text = printable(text)
    stream.write(text)
