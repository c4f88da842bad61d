"""A plan folder: a ``plan.toml`` naming the council and how to read the files beside it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import InputError
from .records import PLAN_ID, PlanRecord
from .reports import read_grouped_report, read_required_taken
from .template_plan import read_template_plan

FORMATS = ("template", "grouped-report", "required-taken")


def read_plan_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            meta = tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"malformed TOML: {err}", path) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None
    for key in ("council", "format"):
        if key not in meta:
            raise InputError(f"plan.toml lacks {key!r}", path)
    for key, value in meta.items():
        if key != "evidence" and not isinstance(value, (str, int)) and not hasattr(value, "isoformat"):
            raise InputError(f"{key} must be a text value", path)
    return meta


def _iso_date(value: object, path: Path) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InputError(f"date {text!r} is not YYYY-MM-DD", path)
    return text


def read_plan_folder(path: Path) -> PlanRecord:
    """The plan a ``plan.toml`` describes, read from the files beside it (not yet aligned)."""
    meta = read_plan_toml(path)
    folder = path.parent
    rel = f"plans/{folder.name}"
    plan_id = meta.get("id")
    if plan_id is not None and not (isinstance(plan_id, str) and PLAN_ID.fullmatch(plan_id)):
        raise InputError(f"id {plan_id!r} must be letters, digits, '-', '_' or '.'", path)
    common: dict[str, Any] = dict(
        council=str(meta["council"]), gss=meta.get("gss"), short_name=meta.get("short_name"), title=meta.get("title"),
        date=_iso_date(meta.get("date"), path), seed_file=meta.get("source"), plan_id=plan_id)
    fmt = meta["format"]
    try:
        if fmt == "template":
            return read_template_plan(folder / meta["file"], data_file=f"{rel}/{meta['file']}", **common)
        if fmt == "grouped-report":
            return read_grouped_report(folder, meta, rel, common)
        if fmt == "required-taken":
            return read_required_taken(folder, meta, rel, common)
    except KeyError as err:
        raise InputError(f"plan.toml lacks {err.args[0]!r}, which format {fmt!r} needs", path) from None
    raise InputError(f"unknown plan format {fmt!r} ({', '.join(FORMATS)})", path)
