"""Rendering a ``ValidationReport``: text for people, JSON for scripts, Turtle (the SHACL report graph),
JUnit for CI reporters, Markdown for review comments, a one-line-per-plan summary, and an Excel workbook
(``render_xlsx``, bytes: a sheet of plans and a sheet of findings)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from ..model.derived import council_requirements
from ..text import markdown_cell, printable, xml_safe
from .report import SEVERITIES, Finding, PlanResult, ValidationReport

_COLOURS = {"violation": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "ok": "\033[32m", "bold": "\033[1m"}
_RESET = "\033[0m"
_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder for every line (json.dumps builds one per call)


@cache
def theme_names() -> dict[str, str]:
    """Headings for the text report, from the themes vocabulary (theme 0 has no "Theme N:" of its own)."""
    from ..namespaces import RDF, SKOS, WP
    from ..reference import vocab

    graph = vocab.load_vocab("themes")
    names = {}
    for theme in graph.subjects(RDF.type, WP.Theme):
        number, label = str(graph.value(theme, SKOS.notation)), str(graph.value(theme, SKOS.prefLabel))
        names[number] = label if number == "0" else f"Theme {number}: {label}"
    return names


def render(report: ValidationReport, fmt: str, colour: bool = False) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "turtle":
        from ..rdfio import serialize_turtle_triples

        return serialize_turtle_triples(report.report_triples()).decode("utf-8")
    if fmt == "summary":
        return render_summary(report)
    if fmt == "junit":
        return render_junit(report)
    if fmt == "markdown":
        return render_markdown(report)
    return render_text(report, colour)


def render_chunks(report: ValidationReport, fmt: str, colour: bool = False) -> Iterator[str]:
    """The report as pieces of text, to be written one after another: a national JSON report (30 MB at 600 plans)
    is then never held whole, nor its findings all as dictionaries at once."""
    if fmt == "json":
        yield from _json_chunks(report)
    else:
        yield render(report, fmt, colour)


def render_json(report: ValidationReport) -> str:
    """The report as JSON, one plan and one finding per line: readable and diffable, and written by the
    json module's C encoder (which an ``indent`` turns off: a national report has tens of thousands of findings)."""
    return "".join(_json_chunks(report))


def _json_chunks(report: ValidationReport) -> Iterator[str]:
    summary = report.as_dict(items=False)
    listed: dict[str, Sequence[PlanResult | Finding]] = {"plans": report.plans, "results": report.results}
    yield "{\n"
    for number, (key, value) in enumerate(summary.items()):
        yield (",\n" if number else "") + f"  {json.dumps(key)}: "
        items = listed.get(key)
        if not items:
            yield json.dumps(value, ensure_ascii=False)  # an empty list of plans or results is "[]" as well
            continue
        for index, item in enumerate(items):
            yield ("[\n    " if index == 0 else ",\n    ") + _JSON.encode(item.as_dict())
        yield "\n  ]"
    yield "\n}\n"


PLAN_COLUMNS = ("council", "gss", "conforms", "score", "answered", "required", "violations", "warnings", "info",
                "input")
FINDING_COLUMNS = ("severity", "council", "theme", "requirement", "localRef", "source", "message", "path", "shape",
                   "focus")


def render_xlsx(report: ValidationReport) -> bytes:
    """The report as a workbook: one row per plan (sheet "plans"), one row per finding (sheet "findings")."""
    from ..tables import xlsx_bytes

    plans = [{"council": p.council, "gss": p.gss, "conforms": p.conforms, "score": p.score, "answered": p.addressed,
              "required": p.required, "violations": p.counts["violation"], "warnings": p.counts["warning"],
              "info": p.counts["info"], "input": p.input} for p in report.plans]
    findings = [f.as_dict() | {"theme": _theme(f)} for f in report.results]
    return xlsx_bytes({"plans": (PLAN_COLUMNS, plans), "findings": (FINDING_COLUMNS, findings)})


def _theme(finding: Finding) -> str:
    if not finding.requirement:
        return "Rows that match no requirement"
    return theme_names().get(finding.requirement.removeprefix("NHS-").split(".")[0], "Other")


def _where(finding: Finding) -> str:
    parts = [finding.requirement or "-"]
    if finding.local_ref and finding.local_ref != finding.requirement:
        parts.append(f"(row ref {finding.local_ref})")
    if finding.source:
        parts.append(f"[{finding.source}]")
    return " ".join(parts)


def _grouped(report: ValidationReport) -> list[tuple[str, PlanResult | None, list[Finding]]]:
    groups: list[tuple[str, PlanResult | None, list[Finding]]] = []
    catalogue = [f for f in report.results if f.plan is None]
    if catalogue:
        groups.append(("The bundled catalogue", None, catalogue))
    for plan in report.plans:
        groups.append((plan.council, plan, report.findings_for(plan)))
    return groups


def render_text(report: ValidationReport, colour: bool = False) -> str:
    def paint(text: str, key: str) -> str:
        return f"{_COLOURS[key]}{text}{_RESET}" if colour else text

    lines: list[str] = []
    for title, plan, findings in _grouped(report):
        if plan is not None:
            verdict = paint("conforms", "ok") if plan.conforms else paint("does not conform", "violation")
            gss = f" ({plan.gss})" if plan.gss else ""
            lines.append(paint(printable(f"{title}{gss}"), "bold") + f": {verdict}; score {plan.score:g}/100; "
                         f"{plan.addressed} of {plan.required} requirements answered ({_kinds(plan)}); "
                         + ", ".join(f"{plan.counts[s]} {s}{'s' if plan.counts[s] != 1 else ''}" for s in SEVERITIES))
            lines.append(f"  input: {printable(str(plan.input))}")
        else:
            lines.append(paint(printable(title), "bold") + f": {len(findings)} finding(s)")
        by_theme: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            by_theme[_theme(finding)].append(finding)
        for theme in sorted(by_theme, key=lambda t: (t.startswith("Rows"), t)):
            items = by_theme[theme]
            counted = {s: sum(f.severity == s for f in items) for s in SEVERITIES}
            lines.append(f"  {theme} ({', '.join(f'{n} {s}' for s, n in counted.items() if n)})")
            for f in items:
                where, message = printable(_where(f)), printable(f.message)
                lines.append(f"    {paint(f'{f.severity:<9}', f.severity)} {where}: {message}")
        lines.append("")
    lines.append(_totals(report))
    return "\n".join(lines) + "\n"


def render_markdown(report: ValidationReport) -> str:
    counts = report.counts
    out = ["## wpgraph validate", "",
           f"**{'FAIL' if report.failed else 'pass'}** (fail on {report.fail_on}): {len(report.plans)} plan(s), "
           f"{counts['violation']} violations, {counts['warning']} warnings, {counts['info']} info.", "",
           "| Council | GSS | Conforms | Score | Answered | Direct | Credited | Partly | Violations | Warnings "
           "| Info |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for p in report.plans:
        counts = p.counts
        out.append(f"| {markdown_cell(p.council)} | {markdown_cell(p.gss or '')} | "
                   f"{'✅' if p.conforms else '❌'} | {p.score:g} | "
                   f"{p.addressed}/{p.required} | {p.direct} | {p.credited} | {p.partly} | "
                   f"{counts['violation']} | {counts['warning']} | {counts['info']} |")
    for title, _, findings in _grouped(report):
        if not findings:
            continue
        out += ["", f"<details><summary>{markdown_cell(title)}: {len(findings)} finding(s)</summary>", "",
                "| Severity | Requirement | Row ref | Source | Message |", "|---|---|---|---|---|"]
        for f in findings:
            cells = [f.severity, f.requirement or "", f.local_ref or "", f.source or "", f.message]
            out.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def render_junit(report: ValidationReport) -> str:
    """One test suite per council, one test case per requirement (and per unmatched row)."""
    failing = set(SEVERITIES[: SEVERITIES.index(report.fail_on) + 1]) if report.fail_on != "none" else set()
    suites = []
    total_tests = total_failures = 0
    for title, _, findings in _grouped(report):
        cases: dict[str, list[Finding]] = {}
        if title != "The bundled catalogue":
            cases = {ref: [] for ref in council_requirements()}
        for f in findings:
            key = f.requirement or f"row {f.local_ref or f.source or f.focus}"
            cases.setdefault(key, []).append(f)
        body = []
        failures = 0
        for name, items in cases.items():
            bad = [f for f in items if f.severity in failing]
            attrs = f"classname={_attr(title)} name={_attr(name)}"
            if not items:
                body.append(f"    <testcase {attrs}/>")
                continue
            text = "\n".join(f"{f.severity}: {f.message} ({f.source or f.focus})" for f in items)
            if bad:
                failures += 1
                body.append(f"    <testcase {attrs}>\n      <failure type={_attr(bad[0].severity)} "
                            f"message={_attr(bad[0].message)}>{escape(xml_safe(text))}</failure>\n    </testcase>")
            else:
                body.append(f"    <testcase {attrs}>\n      <system-out>{escape(xml_safe(text))}</system-out>\n"
                            "    </testcase>")
        total_tests += len(cases)
        total_failures += failures
        suites.append(f"  <testsuite name={_attr(title)} tests=\"{len(cases)}\" failures=\"{failures}\" "
                      f"errors=\"0\">\n" + "\n".join(body) + "\n  </testsuite>")
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            f"<testsuites name=\"wpgraph validate\" tests=\"{total_tests}\" failures=\"{total_failures}\">\n"
            + "\n".join(suites) + "\n</testsuites>\n")


def _attr(text: str) -> str:
    """An XML attribute value: quoted, escaped, and without the characters XML cannot hold."""
    return quoteattr(xml_safe(text))


def _kinds(plan: PlanResult) -> str:
    return f"{plan.direct} directly, {plan.credited} credited; {plan.partly} credited in part"


def render_summary(report: ValidationReport) -> str:
    """One line per plan, then the totals: what ``make demo`` and a CI log show."""
    lines = []
    width = max([len(p.council) for p in report.plans] + [7])
    for p in report.plans:
        verdict = "conforms" if p.conforms else "does not conform"
        council = printable(p.council)
        lines.append(f"{council.ljust(width)}  score {p.score:5.1f}  answered {p.addressed:>3}/{p.required} "
                     f"({p.direct:>2} direct, {p.credited:>2} credited, {p.partly:>2} partly)  "
                     + "  ".join(f"{p.counts[s]:>3} {s}{'s' if p.counts[s] != 1 else ''}" for s in SEVERITIES)
                     + f"  {verdict}")
    lines.append(_totals(report))
    return "\n".join(lines) + "\n"


def _totals(report: ValidationReport) -> str:
    counts = report.counts
    return (f"{len(report.plans)} plan(s): {counts['violation']} violations, {counts['warning']} warnings, "
            f"{counts['info']} info; fail-on {report.fail_on}: {'FAIL' if report.failed else 'pass'}")
