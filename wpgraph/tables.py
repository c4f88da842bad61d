"""Rendering rows (lists of dicts) as table, CSV, JSON, Markdown, an Excel workbook or a pandas DataFrame,
for every command."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError
from .outputs import atomic_output, write_bytes_atomic
from .text import markdown_cell, printable

Sheet = tuple[Sequence[str], Sequence[dict[str, Any]]]  # a sheet's columns and rows


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


def emit(text: str | Iterable[str], out: str | Path | None = None, stream: TextIO | None = None,
         raw: bool = False) -> None:
    """Write text, or its pieces one after another, to a file atomically, or to stdout; on a terminal without
    escape codes (``raw``: ours are kept)."""
    pieces = [text] if isinstance(text, str) else text
    if out is not None and str(out) != "-":
        with atomic_output(out, "w") as handle:
            for piece in pieces:
                handle.write(piece)
        return
    stream = stream or sys.stdout
    clean = not raw and stream.isatty()
    for piece in pieces:
        stream.write(printable(piece) if clean else piece)


def to_frame(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> Any:
    """The rows as a pandas DataFrame, its columns in the query's order (pandas: the ``frame`` extra)."""
    try:
        import pandas as pd
    except ImportError:
        raise InputError("a DataFrame needs pandas, which is not installed: pip install 'wpgraph[frame]'") from None
    columns = list(columns or (rows[0].keys() if rows else []))
    return pd.DataFrame([[row.get(c) for c in columns] for row in rows], columns=columns)


def _xlsx_value(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = _cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters a workbook cannot hold


def xlsx_bytes(sheets: dict[str, Sheet]) -> bytes:
    """A workbook, one sheet per name: a bold header row, frozen, columns sized to their text.

    Every text stays text: a cell that starts with "=" is stored as a string, never run as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    for blank in list(workbook.worksheets):
        workbook.remove(blank)
    for name, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for c, column in enumerate(columns, start=1):
                value = _xlsx_value(row.get(column))
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for c, column in enumerate(columns, start=1):
            longest = max([len(str(column))] + [len(str(_cell(row.get(column)))) for row in rows[:500]])
            sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = min(60, longest + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def emit_binary(data: bytes, out: str | Path | None, fmt: str) -> None:
    """Write a binary output (a workbook) to a file: never to a terminal or a pipe."""
    if out is None or str(out) == "-":
        raise InputError(f"--format {fmt} writes a binary file: give -o FILE.{fmt}")
    write_bytes_atomic(out, data)
