"""A filled LGA template (.csv or .xlsx) read into a ``PlanRecord``: one response per row."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..reference import vocab
from ..text import clean_text, split_statements
from .dates import parse_due
from .records import GSS_CODE, PLAN_ID, EvidenceRecord, GapActionRecord, PlanRecord, ResponseRecord
from .template import read_template

# An "Actions required to fill gaps" cell that says there are none.
NO_GAP = re.compile(r"^\s*(?:no\s+(?:further\s+)?(?:actions?|gaps?)\b|none\b|n/?a\b|nil\b|not applicable\b)", re.I)


def check_identity(path: Path, gss: str | None, plan_id: str | None) -> None:
    if gss is not None and not GSS_CODE.fullmatch(gss):
        raise InputError(f"GSS code {gss!r} is not of the form E06000017", path)
    if plan_id is not None and not PLAN_ID.fullmatch(plan_id):
        raise InputError(f"plan id {plan_id!r} must be letters, digits, '-', '_' or '.' (e.g. E06000017-2021-01)",
                         path)


def read_template_plan(path: str | Path, council: str | None = None, gss: str | None = None,
                       sheet: str | None = None, short_name: str | None = None, title: str | None = None,
                       date: str | None = None, seed_file: str | None = None, data_file: str | None = None,
                       plan_id: str | None = None) -> PlanRecord:
    """The template's rows as responses, each cell verbatim, with what could not be read as warnings."""
    path = Path(path)
    check_identity(path, gss, plan_id)
    template = read_template(path, sheet)
    plan = PlanRecord(council=council or template.title or path.stem, gss=gss, short_name=short_name,
                      title=title or template.title or None, date=date, seed_file=seed_file,
                      data_file=data_file or path.name, headings=template.headings,
                      title_seed_lines=template.title_seed_lines, plan_id=plan_id)
    if title and template.title and template.title != title:  # the sheet's own title rows: kept as a heading
        plan.headings.insert(0, (1, template.title, template.title_seed_lines))
    for row in template.rows:
        response = ResponseRecord(
            key=f"row-{row.row}", source_row=row.row, local_ref=row.local_ref, action_text=row.action,
            seed_lines=row.seed_lines, theme_heading=row.theme_heading, topic_heading=row.topic_heading,
            status_text=row.status_text, met_text=row.met_text, gaps_text=row.gaps_text, owner_text=row.owner_text,
            due_text=row.due_text)
        seed_line = row.seed_lines[0] if row.seed_lines else None
        if row.gaps_text.strip() and not NO_GAP.match(clean_text(row.gaps_text)):
            response.gap_actions.append(GapActionRecord(row.gaps_text, row.due_text or None, seed_line, key="gap",
                                                        source_row=row.row))
        response.evidence = [EvidenceRecord(s, seed_line, source_row=row.row)
                             for s in split_statements(row.status_text)]
        plan.responses.append(response)
        check_cells(plan, response)
    return plan


def check_cells(plan: PlanRecord, response: ResponseRecord) -> None:
    """Warnings a reader owes its user: cells it could not read as asked (kept verbatim all the same)."""
    row = response.source_row
    if response.met_text and vocab.compliance_status(response.met_text) is None:
        plan.warn(row, f'"{response.met_text.strip()}" is not a compliance status (Yes, Partly, No); '
                       "read as not stated")
    due = parse_due(response.due_text)
    if due and due.problem:
        plan.warn(row, f"By When? {due.problem}; kept as text")
