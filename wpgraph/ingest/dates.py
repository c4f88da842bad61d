"""Reading dates out of council text without ever inventing one.

Two jobs:

* ``parse_due`` reads a "By When?" cell. The cell is a date only when the whole
  cell states one ("30 November 2020", "30/11/2020", "2021-03-31", "November
  2020"); anything else ("Ongoing", "2021 tbc", "Actioned Feb 2021 Actioned")
  stays text. A cell shaped like a date that does not exist ("31/02/2021") is
  reported, never coerced.
* ``find_deadlines`` finds the dates a requirement's text names ("by 31 October
  2020", "until March 2021"). A day and month without a year ("by 31 October")
  takes its year from the plan's period, September 2020 to March 2021.

A month without a day is read as the month's last day, because "by November
2020" is met by anything done in November; the precision is kept beside it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ..text import clean_text

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4}|\d{2})"

# Whole-cell date forms, tried in order.
_DUE_FORMS = [
    re.compile(rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$", re.I),
    re.compile(r"^(?P<day>\d{1,2})[/.\-](?P<mon>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})$"),
    re.compile(r"^(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})$"),
    re.compile(rf"^{_MONTH},?\s+(?P<year>\d{{4}})$", re.I),
]

# Dates inside a sentence (requirement texts).
_IN_TEXT = re.compile(
    rf"\b(?:{_DAY}\s+{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?|(?P<month2>"
    + "|".join(name for name in calendar.month_name if name)
    + r")\s+(?P<year2>\d{4}))\b",
    re.I,
)

PLAN_START = date(2020, 9, 1)  # the plan was published on 18 September 2020
PLAN_END = date(2021, 3, 31)


@dataclass(frozen=True)
class DueDate:
    """What a due-date cell says: its verbatim text and, where it states one, the date."""

    text: str
    date: date | None = None
    precision: str | None = None  # "day" or "month"
    problem: str | None = None  # why a date-shaped text is not a date


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_due(text: str | None) -> DueDate | None:
    """Read a "By When?" cell; ``None`` when the cell is empty."""
    if text is None or not text.strip():
        return None
    verbatim = text
    cell = " ".join(clean_text(text).split()).rstrip(".")  # read past HTML remnants ("<p>31/01/2021</p>")
    for form in _DUE_FORMS:
        match = form.match(cell)
        if not match:
            continue
        parts = match.groupdict()
        year = _year(parts["year"])
        if parts.get("day") is None:
            month = MONTHS[parts["month"].lower()]
            return DueDate(verbatim, _month_end(year, month), "month")
        month = int(parts["mon"]) if parts.get("mon") else MONTHS[parts["month"].lower()]
        day = int(parts["day"])
        try:
            return DueDate(verbatim, date(year, month, day), "day")
        except ValueError:
            return DueDate(verbatim, problem=f'"{cell}" is not a date that exists')
    return DueDate(verbatim)


@dataclass(frozen=True)
class Deadline:
    text: str  # the words that state it, verbatim
    date: date
    precision: str


def _plan_year(month: int) -> int:
    """The year a month falls in within the plan's period (September 2020 to August 2021)."""
    return 2020 if month >= PLAN_START.month else 2021


def find_deadlines(text: str) -> list[Deadline]:
    """Every date a requirement's text names, in order of appearance, without repeats."""
    found: list[Deadline] = []
    for match in _IN_TEXT.finditer(text):
        parts = match.groupdict()
        if parts["month2"]:
            month = MONTHS[parts["month2"].lower()]
            deadline = Deadline(match.group(0), _month_end(int(parts["year2"]), month), "month")
        else:
            month = MONTHS[parts["month"].lower()]
            year = int(parts["year"]) if parts["year"] else _plan_year(month)
            try:
                deadline = Deadline(match.group(0), date(year, month, int(parts["day"])), "day")
            except ValueError:
                continue
        if all(d.date != deadline.date for d in found):
            found.append(deadline)
    return found
