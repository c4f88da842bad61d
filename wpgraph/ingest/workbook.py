"""Reading a workbook (.xlsx) someone brings, safely: its rows as strings, or one InputError.

The zip directory is checked before anything is inflated (member count, sizes,
compression ratio, encryption), the XML is parsed with defusedxml (no DTD, no
entities, nothing fetched), and whatever openpyxl raises for a broken part is
turned into one line naming the file and the row reached. The limits are stated
in docs/limits.md.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError

# Limits for a workbook, checked on the zip directory before anything is decompressed:
# a filled template is well under a megabyte; these leave room for big plans and
# refuse zip bombs (a small file that inflates to gigabytes).
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_UNPACKED = 64 * 1024 * 1024  # bytes, all members together
XLSX_MAX_RATIO = 200  # unpacked / packed size of any member over 1 MB
CELL_MAX_CHARS = 32767  # Excel's own limit for one cell


def check_workbook_zip(path: Path) -> None:
    """Refuse a workbook that is not a plain zip of bounded size, before any member is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError("not an XLSX workbook (not a zip file; an encrypted workbook must be saved without "
                         "a password)", path) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None
    if len(members) > XLSX_MAX_MEMBERS:
        raise InputError(f"not an XLSX workbook: {len(members)} zip members (limit {XLSX_MAX_MEMBERS})", path)
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise InputError(f"encrypted zip member {member.filename!r}: save the workbook without a password",
                             path)
        total += member.file_size
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > XLSX_MAX_RATIO:
            raise InputError(f"zip member {member.filename!r} inflates {ratio}"
                             f" times (limit {XLSX_MAX_RATIO}): refused as a possible zip bomb", path)
    if total > XLSX_MAX_UNPACKED:
        raise InputError(f"the workbook unpacks to {total // (1024 * 1024)} MB (limit "
                         f"{XLSX_MAX_UNPACKED // (1024 * 1024)} MB)", path)


def read_xlsx(path: Path, sheet: str | None) -> list[tuple[int, list[str]]]:
    """A workbook's first worksheet (or ``sheet``), read with defusedxml: no DTDs, no entities, no network."""
    import defusedxml  # type: ignore[import-untyped]  # noqa: F401  (openpyxl uses it when installed: make sure)
    from openpyxl import load_workbook  # only needed for workbooks

    check_workbook_zip(path)
    number = 0
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except InputError:
        raise
    except Exception as err:  # openpyxl raises many types for a broken workbook; none may escape as a traceback
        raise InputError(f"not a readable XLSX workbook ({_reason(err)})", path) from None
    try:
        names = [ws.title for ws in workbook.worksheets]
        if sheet is not None and sheet not in names:
            raise InputError(f"no sheet {sheet!r} (worksheets: {', '.join(names) or 'none'})", path)
        if not names:
            raise InputError("the workbook has no worksheet (only chart sheets)", path)
        worksheet = workbook[sheet if sheet is not None else names[0]]
        rows = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if any(len(c) > CELL_MAX_CHARS for c in cells):
                raise InputError(f"a cell holds over {CELL_MAX_CHARS} characters (Excel's limit)", path, number)
            rows.append((number, cells))
        return rows
    except InputError:
        raise
    except Exception as err:  # a malformed sheet: name the row reached
        raise InputError(f"unreadable worksheet ({_reason(err)})", path, number + 1 if number else None) from None
    finally:
        workbook.close()


def _reason(err: BaseException) -> str:
    cause: BaseException | None = err
    while cause is not None:  # openpyxl wraps what the XML parser said
        if type(cause).__name__ in ("DTDForbidden", "EntitiesForbidden", "ExternalReferenceForbidden"):
            return "it declares XML entities or a DTD, which wpgraph refuses"
        cause = cause.__cause__ or cause.__context__
    name = type(err).__name__
    text = " ".join(str(err).split())[:120]
    return f"{name}: {text}" if text else name


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime") and not isinstance(value, str):
        return value.strftime("%Y-%m-%d")  # a date cell: ISO, which parse_due reads as a day
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
