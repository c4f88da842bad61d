"""Plans written as reports rather than templates, transcribed into curated CSV files beside a plan.toml.

``grouped-report`` (Cheshire East): groups of requirements sharing a key area,
a commentary and dated ACTIONs, each ACTION naming the requirement(s) it answers.
``required-taken`` (Leicestershire): pairs of a required action and the action taken, plus a
report's figures as evidence.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..reference.catalogue import by_reference, read_csv_rows
from .records import EvidenceRecord, FigureRecord, GapActionRecord, PlanRecord, ResponseRecord


def seed_lines(cell: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.split(r"[;,\s]+", cell or "") if p.isdigit())


def first_line(cell: str) -> int | None:
    lines = seed_lines(cell)
    return lines[0] if lines else None


def read_grouped_report(folder: Path, meta: dict[str, Any], rel: str, common: dict[str, Any]) -> PlanRecord:
    """Cheshire East's layout: groups of actions with a key area, commentary and dated ACTIONs."""
    plan = PlanRecord(data_file=f"{rel}/{meta['requirements']}", **common)
    groups = {row["group"]: (number, row) for number, row in
              read_csv_rows(folder / meta["groups"], ("group", "topic", "key_area", "commentary", "seed_line"))}
    # each dated ACTION answers the requirement(s) of its group that its ``answers`` cell names, and only those
    actions: dict[str, list[GapActionRecord]] = {}
    answers: dict[str, tuple[str, ...]] = {}  # action key -> the requirements it answers
    actions_file = folder / meta["actions"]
    for number, row in read_csv_rows(actions_file, ("group", "action", "due", "seed_line", "answers")):
        if row["group"] not in groups:
            raise InputError(f"action names unknown group {row['group']!r}", actions_file, number)
        answered = tuple(ref.strip() for ref in row["answers"].split(";") if ref.strip())
        if not answered:
            raise InputError("the action names no requirement it answers (answers)", actions_file, number)
        group_actions = actions.setdefault(row["group"], [])
        key = f"{row['group']}-action-{len(group_actions) + 1}"
        group_actions.append(GapActionRecord(row["action"], row["due"] or None, first_line(row["seed_line"]),
                                             key=key, source_row=number, data_file=f"{rel}/{meta['actions']}"))
        answers[key] = answered
    catalogue = by_reference()
    requirements_file = folder / meta["requirements"]
    rows = read_csv_rows(requirements_file, ("group", "requirement", "required_text", "seed_line"))
    in_group = {(row["group"], row["requirement"].strip()) for _, row in rows}
    for group_key, group_actions in actions.items():
        for action in group_actions:
            stray = [ref for ref in answers[action.key] if (group_key, ref) not in in_group]
            if stray:
                raise InputError(f"the action answers {stray[0]}, which is not a requirement of group {group_key}",
                                 actions_file, action.source_row)
    for number, row in rows:
        if row["group"] not in groups:
            raise InputError(f"names unknown group {row['group']!r}", requirements_file, number)
        group_row, group = groups[row["group"]]
        ref = row["requirement"].strip()
        if ref and ref not in catalogue:
            raise InputError(f"names unknown requirement {ref!r}", requirements_file, number)
        commentary_lines = seed_lines(group["seed_line"])
        response = ResponseRecord(
            key=f"{row['group']}-{ref or number}", source_row=number, local_ref="", action_text=row["required_text"],
            seed_lines=seed_lines(row["seed_line"]), topic_heading=group["topic"], status_text=group["commentary"],
            owner_text=group["key_area"], curated_requirement=ref or None,
            gap_actions=[a for a in actions.get(row["group"], []) if ref in answers[a.key]])
        response.evidence = [EvidenceRecord(s, commentary_lines[min(i + 1, len(commentary_lines) - 1)]
                                            if commentary_lines else None,
                                            source_row=group_row, data_file=f"{rel}/{meta['groups']}")
                             for i, s in enumerate(group["commentary"].split("\n")) if s.strip()]
        plan.responses.append(response)
    return plan


def read_required_taken(folder: Path, meta: dict[str, Any], rel: str, common: dict[str, Any]) -> PlanRecord:
    """Leicestershire's layout: required actions with the actions taken, and a report's figures."""
    file = folder / meta["file"]
    plan = PlanRecord(data_file=f"{rel}/{meta['file']}", **common)
    for number, row in read_csv_rows(file, ("theme_heading", "required_action", "action_taken", "required_line",
                                            "taken_line")):
        taken_line = first_line(row["taken_line"])
        response = ResponseRecord(
            key=f"pair-{number - 1}", source_row=number, local_ref="", action_text=row["required_action"],
            seed_lines=seed_lines(row["required_line"]), theme_heading=row["theme_heading"],
            status_text=row["action_taken"])
        response.evidence = [EvidenceRecord(s.strip(), taken_line, source_row=number)
                             for s in row["action_taken"].split("\n") if s.strip()]
        plan.responses.append(response)
    evidence = meta.get("evidence")
    if evidence:
        plan.evidence_seed_file = evidence.get("source")
        read_figures(folder / evidence["file"], f"{rel}/{evidence['file']}", plan)
    return plan


def read_figures(path: Path, data_file: str, plan: PlanRecord) -> None:
    """A report's statements with figures, each supporting the requirements it names."""
    catalogue = by_reference()
    for number, row in read_csv_rows(path, ("paragraph", "statement", "figure_text", "value", "unit", "supports",
                                            "seed_line")):
        supports = tuple(s.strip() for s in row["supports"].split(";") if s.strip())
        for ref in supports:
            if ref not in catalogue:
                raise InputError(f"supports unknown requirement {ref!r}", path, number)
        try:
            value = Decimal(row["value"]) if row["value"].strip() else None
        except InvalidOperation:
            raise InputError(f"value {row['value']!r} is not a number", path, number) from None
        plan.plan_evidence.append(EvidenceRecord(
            row["statement"], first_line(row["seed_line"]), row["paragraph"], supports,
            [FigureRecord(row["figure_text"], value, row["unit"])], source_row=number, data_file=data_file))
