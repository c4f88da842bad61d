"""Reading a filled LGA gap-analysis template (CSV or XLSX) into rows.

Copies of the template differ: title rows above the header, header wording
("Requirement fully met (Y/N)?", "Req't fully met (Y/N)?", "By Who?"), a blank
Reference header, theme rows ("Theme 2: …") and topic rows ("Direct payments")
between the responses, headers repeated per theme. ``read_template`` finds the
header itself, keeps each response's verbatim cells, and records the theme and
topic each response stood under.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .workbook import read_xlsx

# Column roles, with the words that identify each in a header cell (normalised:
# lower case, letters and digits only). Order matters: the first role that
# claims a cell gets it.
COLUMN_ROLES: dict[str, tuple[str, ...]] = {
    "gaps": ("fillgaps", "gaps", "gapactions", "actionstofill"),
    "met": ("fullymet", "reqtfullymet", "metyn", "yn", "requirementmet", "met"),
    "owner": ("bywho", "owner", "owners", "responsible", "lead", "leadofficer"),
    "due": ("bywhen", "duedate", "due", "deadline", "targetdate", "when"),
    "status": ("currentstatus", "status", "currentposition", "progress"),
    "action": ("actionsrequiredbylocalauthorities", "actionsrequired", "actionrequired", "requiredaction",
               "actions", "action", "requirement"),
    "reference": ("reference", "ref", "refno", "no", "number", "item"),
    "seed_line": ("seedline", "seedlines", "sourceline"),
}
REQUIRED_ROLES = ("action", "status", "met", "gaps", "owner", "due")
ROLE_NAMES = {"action": "Action", "status": "Current status", "met": "Requirement fully met (Y/N)?",
              "gaps": "Actions required to fill gaps", "owner": "By Who?", "due": "By When?",
              "reference": "Reference"}
THEME_ROW = re.compile(r"^\s*theme\s*(\d)\b", re.I)
LOCAL_REF = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,3})+)\.?\s*$")
HEADER_SEARCH_ROWS = 30
# The bound on a template's responses (the winter plan has 86 council requirements; a
# filled template about 70-90 rows): import and validate stay under about 300 MB of
# memory at the limit (docs/limits.md); a longer file is refused, naming the row.
TEMPLATE_MAX_RESPONSES = 20_000  # the national-scale benchmark's largest plan (issue 10); about 1 GB


def _norm(cell: str) -> str:
    return re.sub(r"[^a-z0-9]", "", cell.lower())


def role_of(cell: str) -> str | None:
    key = _norm(cell)
    if not key or len(cell) > 60:  # a header cell is short; a long one is an answer
        return None
    for role, words in COLUMN_ROLES.items():
        if key in words:
            return role
    for role, words in COLUMN_ROLES.items():
        if any(len(w) >= 4 and w in key for w in words):
            return role
    return None


@dataclass
class TemplateRow:
    """One response row of a template, its cells verbatim."""

    row: int  # 1-based row in the file (for a CSV with quoted newlines: the record's number)
    local_ref: str
    action: str
    status_text: str
    met_text: str
    gaps_text: str
    owner_text: str
    due_text: str
    theme_heading: str = ""
    topic_heading: str = ""
    seed_lines: tuple[int, ...] = ()


@dataclass
class Template:
    """What a template file holds: its title rows, the responses, and the headings seen."""

    path: Path
    title: str
    header_row: int
    rows: list[TemplateRow] = field(default_factory=list)
    headings: list[tuple[int, str, tuple[int, ...]]] = field(default_factory=list)  # row, text, seed lines
    title_seed_lines: tuple[int, ...] = ()


def read_cells(path: Path, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    """The file's rows as lists of strings, with their 1-based row numbers."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise InputError("--sheet applies to .xlsx workbooks only", path)
        return _read_csv(path)
    raise InputError("not a template wpgraph reads (use .csv or .xlsx)", path)


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None
    if not data.strip():
        raise InputError("the file is empty", path)
    if b"\x00" in data[:4096]:
        raise InputError("binary data, not a CSV text file", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the CSV as UTF-8", path, line,
                         unit="line") from None
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [c for c in cells]))
    except csv.Error as err:
        raise InputError(f"malformed CSV: {err}", path, reader.line_num, unit="line") from None
    return rows


def find_header(path: Path, rows: list[tuple[int, list[str]]]) -> tuple[int, dict[str, int]]:
    """The header row's index in ``rows`` and the column of each role."""
    best: tuple[int, dict[str, int]] | None = None
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(LOCAL_REF.match(c) for c in cells):
            continue  # a row with a reference such as 1.1 is a response, whatever its cells say
        columns = _header_columns(cells)
        if len({"action", "met", "owner", "due", "gaps", "status"} & columns.keys()) >= 3:
            best = (index, columns)
            break
    if best is None:
        raise InputError(f"no header row found in the first {HEADER_SEARCH_ROWS} rows (looked for the template's "
                         "columns: Action, Current status, Requirement fully met (Y/N)?, By Who?, By When?)", path)
    index, columns = best
    missing = [ROLE_NAMES[r] for r in REQUIRED_ROLES if r not in columns]
    if missing:
        raise InputError(f"header lacks column(s): {'; '.join(missing)}", path, rows[index][0])
    if "reference" not in columns and columns["action"] > 0:
        columns["reference"] = columns["action"] - 1  # a Reference column with a blank header
    return index, columns


def is_header_repeat(cells: list[str], columns: dict[str, int]) -> bool:
    """A row that repeats the header (as templates do for each theme): header words only, no answer among them."""
    if LOCAL_REF.match(_cell(cells, columns, "reference")) or len(_header_columns(cells)) < 3:
        return False
    seed_column = columns.get("seed_line")
    return all(role_of(c) is not None for i, c in enumerate(cells) if c.strip() and i != seed_column)


def _header_columns(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        role = role_of(cell)
        if role and role not in columns:
            columns[role] = position
    return columns


def _cell(cells: list[str], columns: dict[str, int], role: str) -> str:
    position = columns.get(role)
    if position is None or position >= len(cells):
        return ""
    return cells[position].rstrip()


def read_template(path: str | Path, sheet: str | None = None) -> Template:
    """Read a filled template; an InputError names the file and row of anything unreadable."""
    path = Path(path)
    rows = read_cells(path, sheet)
    if not any(any(c.strip() for c in cells) for _, cells in rows):
        raise InputError("the file has no data", path)
    header_index, columns = find_header(path, rows)
    seed_column = columns.get("seed_line")
    titles: list[str] = []
    title_lines: list[int] = []
    theme = topic = ""
    for number, cells in rows[:header_index]:
        if sum(1 for c in cells if c.strip()) >= 3 and any(LOCAL_REF.match(c) for c in cells):
            raise InputError(f"looks like a response but stands above the header row ({rows[header_index][0]}); "
                             "is the template's header row missing or moved?", path, number)
        text = " ".join(c.strip() for i, c in enumerate(cells) if c.strip() and i != seed_column)
        lines = _seed_lines(path, number, _cell(cells, columns, "seed_line"))
        if THEME_ROW.match(text):
            theme = text
            title_lines += lines
        elif text:
            titles.append(text)
            title_lines += lines
    template = Template(path=path, title=" ".join(titles), header_row=rows[header_index][0],
                        title_seed_lines=tuple(title_lines))
    if theme:
        template.headings.append((rows[header_index][0] - 1, theme, ()))
    for number, cells in rows[header_index + 1:]:
        filled = [c.strip() for c in cells if c.strip()]
        if not filled:
            continue
        if is_header_repeat(cells, columns):
            continue  # the header repeated for the next theme
        seed_cell = _cell(cells, columns, "seed_line")
        meaningful = [c.strip() for i, c in enumerate(cells) if c.strip() and i != seed_column]
        if len(meaningful) == 1 and not LOCAL_REF.match(meaningful[0]):
            heading = meaningful[0]
            template.headings.append((number, heading, _seed_lines(path, number, seed_cell)))
            if THEME_ROW.match(heading):
                theme, topic = heading, ""
            else:
                topic = heading
            continue
        if not meaningful:
            continue
        if len(template.rows) >= TEMPLATE_MAX_RESPONSES:
            raise InputError(f"more than {TEMPLATE_MAX_RESPONSES} responses, more than a template may hold (the "
                             "winter plan has 86 council requirements): split the file", path, number)
        template.rows.append(TemplateRow(
            row=number,
            local_ref=_cell(cells, columns, "reference").strip(),
            action=_cell(cells, columns, "action"),
            status_text=_cell(cells, columns, "status"),
            met_text=_cell(cells, columns, "met"),
            gaps_text=_cell(cells, columns, "gaps"),
            owner_text=_cell(cells, columns, "owner"),
            due_text=_cell(cells, columns, "due"),
            theme_heading=theme,
            topic_heading=topic,
            seed_lines=_seed_lines(path, number, seed_cell),
        ))
    if not template.rows:
        raise InputError(f"no responses below the header row ({template.header_row}): the template is not "
                         "filled in", path)
    return template


def _seed_lines(path: Path, row: int, cell: str) -> tuple[int, ...]:
    if not cell.strip():
        return ()
    try:
        return tuple(int(part) for part in re.split(r"[;,\s]+", cell.strip()) if part)
    except ValueError:
        raise InputError(f"Seed line {cell!r} is not a list of line numbers", path, row) from None
