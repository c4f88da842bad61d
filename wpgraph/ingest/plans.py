"""A council's plan: read from its source (template, grouped report, required/taken pairs) into RDF.

Every reader produces the same records (``PlanRecord`` with ``ResponseRecord``s),
and ``plan_graph`` turns them into RDF, so the graph has one shape whatever the
council wrote. A plan folder in ``data/plans/`` is described by its
``plan.toml``; ``import_template`` reads a template anyone hands in.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from .. import rdfio
from ..align import Alignment, align_text, theme_number
from ..errors import InputError
from ..model import provenance
from ..namespaces import WP, WPID
from ..reference import vocab
from ..reference.catalogue import by_reference, read_csv_rows, requirement_iri
from .dates import parse_due
from .owners import role_types, split_owners
from .template import read_template
from .text import clean_text, split_statements

PLAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
NO_GAP = re.compile(r"^\s*(?:no\s+(?:further\s+)?(?:actions?|gaps?)\b|none\b|n/?a\b|nil\b|not applicable\b)", re.I)


@dataclass
class FigureRecord:
    text: str
    value: Decimal | None
    unit: str


@dataclass
class EvidenceRecord:
    text: str  # verbatim statement
    seed_line: int | None = None
    paragraph: str | None = None
    supports: tuple[str, ...] = ()
    figures: list[FigureRecord] = field(default_factory=list)
    source_row: int | None = None  # row of the data file it was read from
    data_file: str | None = None  # that data file, when not the plan's own


@dataclass
class GapActionRecord:
    text: str
    due_text: str | None = None
    seed_line: int | None = None
    key: str = ""
    source_row: int | None = None
    data_file: str | None = None


@dataclass
class ResponseRecord:
    """One council answer to one requirement, with all its cells verbatim."""

    key: str  # unique within the plan; part of the response's IRI
    source_row: int | None  # row in the data file
    local_ref: str
    action_text: str
    alignment: Alignment
    seed_lines: tuple[int, ...] = ()
    theme_heading: str = ""
    topic_heading: str = ""
    status_text: str | None = None  # current-status narrative
    met_text: str | None = None
    gaps_text: str | None = None
    owner_text: str | None = None
    due_text: str | None = None
    gap_actions: list[GapActionRecord] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)


@dataclass
class Warning_:
    row: int | None
    message: str


@dataclass
class PlanRecord:
    council: str
    gss: str | None
    short_name: str | None
    title: str | None
    date: str | None
    seed_file: str | None  # the seed document under data/sources, if the plan comes from one
    data_file: str  # the file the rows were read from, as named in provenance
    responses: list[ResponseRecord] = field(default_factory=list)
    plan_evidence: list[EvidenceRecord] = field(default_factory=list)
    evidence_seed_file: str | None = None
    headings: list[tuple[int, str, tuple[int, ...]]] = field(default_factory=list)  # row, text, seed lines
    title_seed_lines: tuple[int, ...] = ()
    warnings: list[Warning_] = field(default_factory=list)
    plan_id: str | None = None  # the plan's own key, where a council has several plans

    @property
    def council_key(self) -> str:
        return self.gss or re.sub(r"[^a-z0-9]+", "-", self.council.lower()).strip("-")

    @property
    def key(self) -> str:
        return self.plan_id or self.council_key

    @property
    def iri(self) -> URIRef:
        return WPID[f"plan/{self.key}"]

    @property
    def council_iri(self) -> URIRef:
        return WPID[f"council/{self.council_key}"]


@dataclass
class LoadedPlan:
    key: str
    graph: Graph
    record: PlanRecord | None = None


# --------------------------------------------------------------------------- readers

def import_template(path: str | Path, council: str | None = None, gss: str | None = None,
                    sheet: str | None = None, short_name: str | None = None, title: str | None = None,
                    date: str | None = None, seed_file: str | None = None, data_file: str | None = None,
                    plan_id: str | None = None) -> PlanRecord:
    """Read a filled LGA template (.csv or .xlsx) and align each row to the catalogue."""
    path = Path(path)
    template = read_template(path, sheet)
    if gss is not None and not re.fullmatch(r"[EWSN]\d{8}", gss):
        raise InputError(f"GSS code {gss!r} is not of the form E06000017", path)
    if plan_id is not None and not PLAN_ID.fullmatch(plan_id):
        raise InputError(f"plan id {plan_id!r} must be letters, digits, '-', '_' or '.' (e.g. E06000017-2021-01)",
                         path)
    plan = PlanRecord(council=council or template.title or path.stem, gss=gss, short_name=short_name,
                      title=title or template.title or None, date=date, seed_file=seed_file,
                      data_file=data_file or path.name, headings=template.headings,
                      title_seed_lines=template.title_seed_lines, plan_id=plan_id)
    if title and template.title and template.title != title:  # the sheet's own title rows: kept as a heading
        plan.headings.insert(0, (1, template.title, template.title_seed_lines))
    for row in template.rows:
        alignment = align_text(row.action, row.local_ref, theme_number(row.theme_heading), row.topic_heading)
        response = ResponseRecord(
            key=f"row-{row.row}", source_row=row.row, local_ref=row.local_ref, action_text=row.action,
            alignment=alignment, seed_lines=row.seed_lines, theme_heading=row.theme_heading,
            topic_heading=row.topic_heading, status_text=row.status_text, met_text=row.met_text,
            gaps_text=row.gaps_text, owner_text=row.owner_text, due_text=row.due_text)
        seed_line = row.seed_lines[0] if row.seed_lines else None
        if row.gaps_text.strip() and not NO_GAP.match(clean_text(row.gaps_text)):
            response.gap_actions.append(GapActionRecord(row.gaps_text, row.due_text or None, seed_line, key="gap",
                                                        source_row=row.row))
        response.evidence = [EvidenceRecord(s, seed_line, source_row=row.row)
                             for s in split_statements(row.status_text)]
        plan.responses.append(response)
        _check_row(plan, response)
    return plan


def _check_row(plan: PlanRecord, response: ResponseRecord) -> None:
    """Warnings an importer owes its user: what it could not read as asked."""
    row = response.source_row
    if response.alignment.warning:
        plan.warnings.append(Warning_(row, response.alignment.warning))
    if not response.alignment.matched:
        plan.warnings.append(Warning_(row, "matches no catalogue requirement well; kept unmatched"))
    if response.met_text and _status_iri(response.met_text) is None:
        plan.warnings.append(Warning_(row, f'"{response.met_text.strip()}" is not a compliance status '
                                           "(Yes, Partly, No); read as not stated"))
    due = parse_due(response.due_text)
    if due and due.problem:
        plan.warnings.append(Warning_(row, f"By When? {due.problem}; kept as text"))


def read_plan_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            meta = tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"malformed TOML: {err}", path) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None
    for key in ("council", "format"):
        if key not in meta:
            raise InputError(f"plan.toml lacks {key!r}", path)
    return meta


def load_plan_folder(path: Path) -> PlanRecord:
    """A plan folder of ``data/plans`` described by its plan.toml."""
    meta = read_plan_toml(path)
    folder = path.parent
    rel = f"plans/{folder.name}"
    plan_id = meta.get("id")
    if plan_id is not None and not (isinstance(plan_id, str) and PLAN_ID.fullmatch(plan_id)):
        raise InputError(f"id {plan_id!r} must be letters, digits, '-', '_' or '.'", path)
    common = dict(council=meta["council"], gss=meta.get("gss"), short_name=meta.get("short_name"),
                  title=meta.get("title"), date=_iso_date(meta.get("date"), path), seed_file=meta.get("source"),
                  plan_id=plan_id)
    fmt = meta["format"]
    if fmt == "template":
        return import_template(folder / meta["file"], data_file=f"{rel}/{meta['file']}", **common)
    if fmt == "grouped-report":
        return _read_grouped_report(folder, meta, rel, common)
    if fmt == "required-taken":
        return _read_required_taken(folder, meta, rel, common)
    raise InputError(f"unknown plan format {fmt!r} (template, grouped-report, required-taken)", path)


def _iso_date(value: object, path: Path) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InputError(f"date {text!r} is not YYYY-MM-DD", path)
    return text


def _read_grouped_report(folder: Path, meta: dict, rel: str, common: dict) -> PlanRecord:
    """Cheshire East's layout: groups of actions with a key area, commentary and dated ACTIONs."""
    plan = PlanRecord(data_file=f"{rel}/{meta['requirements']}", **common)
    groups = {row["group"]: (number, row) for number, row in
              read_csv_rows(folder / meta["groups"], ("group", "topic", "key_area", "commentary", "seed_line"))}
    actions: dict[str, list[GapActionRecord]] = {}
    actions_file = folder / meta["actions"]
    for number, row in read_csv_rows(actions_file, ("group", "action", "due", "seed_line")):
        if row["group"] not in groups:
            raise InputError(f"action names unknown group {row['group']!r}", actions_file, number)
        group_actions = actions.setdefault(row["group"], [])
        group_actions.append(GapActionRecord(row["action"], row["due"] or None, _first_line(row["seed_line"]),
                                             key=f"{row['group']}-action-{len(group_actions) + 1}",
                                             source_row=number, data_file=f"{rel}/{meta['actions']}"))
    catalogue = by_reference()
    requirements_file = folder / meta["requirements"]
    for number, row in read_csv_rows(requirements_file, ("group", "requirement", "required_text", "seed_line")):
        if row["group"] not in groups:
            raise InputError(f"names unknown group {row['group']!r}", requirements_file, number)
        group_row, group = groups[row["group"]]
        ref = row["requirement"].strip()
        if ref and ref not in catalogue:
            raise InputError(f"names unknown requirement {ref!r}", requirements_file, number)
        if ref:
            similarity = align_text(row["required_text"], ref).score
            alignment = Alignment(ref, "curated", similarity)
        else:
            alignment = align_text(row["required_text"])
        commentary_line = _seed_lines(group["seed_line"])
        response = ResponseRecord(
            key=f"{row['group']}-{ref or number}", source_row=number, local_ref="", action_text=row["required_text"],
            alignment=alignment, seed_lines=_seed_lines(row["seed_line"]), topic_heading=group["topic"],
            status_text=group["commentary"], owner_text=group["key_area"],
            gap_actions=actions.get(row["group"], []))
        response.evidence = [EvidenceRecord(s, commentary_line[min(i + 1, len(commentary_line) - 1)]
                                            if commentary_line else None,
                                            source_row=group_row, data_file=f"{rel}/{meta['groups']}")
                             for i, s in enumerate(group["commentary"].split("\n")) if s.strip()]
        plan.responses.append(response)
        if not alignment.matched:
            plan.warnings.append(Warning_(number, "matches no catalogue requirement well; kept unmatched"))
    return plan


def _read_required_taken(folder: Path, meta: dict, rel: str, common: dict) -> PlanRecord:
    """Leicestershire's layout: required actions with the actions taken, and a report's figures."""
    file = folder / meta["file"]
    plan = PlanRecord(data_file=f"{rel}/{meta['file']}", **common)
    for number, row in read_csv_rows(file, ("theme_heading", "required_action", "action_taken", "required_line",
                                            "taken_line")):
        alignment = align_text(row["required_action"], "", theme_number(row["theme_heading"]))
        taken_line = _first_line(row["taken_line"])
        response = ResponseRecord(
            key=f"pair-{number - 1}", source_row=number, local_ref="", action_text=row["required_action"],
            alignment=alignment, seed_lines=_seed_lines(row["required_line"]), theme_heading=row["theme_heading"],
            status_text=row["action_taken"])
        response.evidence = [EvidenceRecord(s.strip(), taken_line, source_row=number)
                             for s in row["action_taken"].split("\n") if s.strip()]
        plan.responses.append(response)
        if not alignment.matched:
            plan.warnings.append(Warning_(number, "matches no catalogue requirement well; kept unmatched"))
    evidence = meta.get("evidence")
    if evidence:
        plan.evidence_seed_file = evidence.get("source")
        evidence_file = folder / evidence["file"]
        catalogue = by_reference()
        for number, row in read_csv_rows(evidence_file, ("paragraph", "statement", "figure_text", "value", "unit",
                                                         "supports", "seed_line")):
            supports = tuple(s.strip() for s in row["supports"].split(";") if s.strip())
            for ref in supports:
                if ref not in catalogue:
                    raise InputError(f"supports unknown requirement {ref!r}", evidence_file, number)
            try:
                value = Decimal(row["value"]) if row["value"].strip() else None
            except InvalidOperation:
                raise InputError(f"value {row['value']!r} is not a number", evidence_file, number) from None
            plan.plan_evidence.append(EvidenceRecord(
                row["statement"], _first_line(row["seed_line"]), row["paragraph"], supports,
                [FigureRecord(row["figure_text"], value, row["unit"])], source_row=number,
                data_file=f"{rel}/{evidence['file']}"))
    return plan


def _seed_lines(cell: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.split(r"[;,\s]+", cell or "") if p.isdigit())


def _first_line(cell: str) -> int | None:
    lines = _seed_lines(cell)
    return lines[0] if lines else None


def load_plan(path: str | Path) -> LoadedPlan:
    """A plan from a plan.toml folder, a template file, or a ready-made RDF plan graph."""
    path = Path(path)
    if path.name == "plan.toml":
        record = load_plan_folder(path)
        return LoadedPlan(record.key, plan_graph(record), record)
    if path.suffix.lower() in (".csv", ".xlsx"):
        record = import_template(path)
        return LoadedPlan(record.key, plan_graph(record), record)
    graph = rdfio.read_graph(path)
    plans = sorted(graph.subjects(RDF.type, WP.CouncilPlan))
    key = str(plans[0]).rsplit("/", 1)[-1] if plans else path.stem
    return LoadedPlan(key, graph)


# --------------------------------------------------------------------------- RDF

def _status_iri(met_text: str | None) -> URIRef | None:
    """The compliance status a "fully met" cell states; None for an unrecognised value."""
    key = re.sub(r"[^a-z ]", "", (met_text or "").lower()).strip()
    if not key:
        return WPID["status/not-stated"]
    graph = vocab.load_vocab("statuses")
    for concept in graph.subjects(RDF.type, WP.ComplianceStatus):
        if any(key == str(label) for label in graph.objects(concept, SKOS.hiddenLabel)):
            return concept
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "role"


def plan_graph(plan: PlanRecord) -> Graph:
    """The plan as RDF: council, plan, responses, roles, gap actions, evidence, provenance."""
    g = Graph()
    council, iri = plan.council_iri, plan.iri
    g.add((council, RDF.type, WP.Council))
    g.add((council, RDFS.label, Literal(plan.council, lang="en")))
    g.add((council, SKOS.prefLabel, Literal(plan.council, lang="en")))
    if plan.gss:
        g.add((council, WP.gssCode, Literal(plan.gss)))
    if plan.short_name:
        g.add((council, WP.shortName, Literal(plan.short_name)))
    g.add((iri, RDF.type, WP.CouncilPlan))
    g.add((iri, WP.council, council))
    g.add((iri, WP.answers, WPID["plan/asc-winter-plan-2020-21"]))
    g.add((iri, RDFS.label, Literal(f"{plan.short_name or plan.council} winter plan", lang="en")))
    if plan.title:
        g.add((iri, DCTERMS.title, Literal(plan.title)))
    if plan.date:
        g.add((iri, DCTERMS.date, Literal(plan.date, datatype=XSD.date)))
    provenance.add_location(g, iri, plan.data_file)
    if plan.seed_file:  # the plan was transcribed from a seed document: its rows cite that document's lines
        g.add((iri, DCTERMS.source, provenance.add_location(g, iri, plan.seed_file)))
    if plan.seed_file:
        for line in plan.title_seed_lines:
            provenance.add_location(g, iri, plan.seed_file, line=line)
    for number, heading, seed_lines in plan.headings:
        provenance.add_location(g, iri, plan.data_file, row=number)
        g.add((iri, WP.heading, Literal(heading)))
        for line in seed_lines if plan.seed_file else ():
            provenance.add_location(g, iri, plan.seed_file, line=line)
    roles: dict[str, URIRef] = {}

    def role(title: str) -> URIRef:
        """One node per post: titles that differ only in case or punctuation are the same post."""
        key = _slug(title)
        if key not in roles:
            node = URIRef(f"{council}/role/{key}")
            roles[key] = node
            g.add((node, RDF.type, WP.Role))
            g.add((node, RDF.type, ORG.Post))
            g.add((node, RDFS.label, Literal(title)))
            g.add((node, ORG.postIn, council))
            g.add((node, WP.council, council))
            for kind in role_types(title):
                g.add((node, WP.roleType, kind))
        elif (roles[key], RDFS.label, Literal(title)) not in g:
            g.add((roles[key], SKOS.hiddenLabel, Literal(title)))  # another spelling the council used
        return roles[key]

    tagger = vocab.partner_tagger()

    def evidence_node(node: URIRef, ev: EvidenceRecord, seed_file: str | None) -> URIRef:
        g.add((node, RDF.type, WP.Evidence))
        g.add((node, WP.text, Literal(ev.text)))
        g.add((node, WP.council, council))
        for partner in tagger.tag(ev.text):
            g.add((node, WP.namesPartner, partner))
        if ev.paragraph:
            g.add((node, WP.paragraph, Literal(ev.paragraph)))
        for ref in ev.supports:
            g.add((node, WP.supports, requirement_iri(ref)))
        for i, fig in enumerate(ev.figures, start=1):
            f = URIRef(f"{node}/figure/{i}")
            g.add((node, WP.hasFigure, f))
            g.add((f, RDF.type, WP.Figure))
            g.add((f, WP.figureText, Literal(fig.text)))
            g.add((f, WP.unit, Literal(fig.unit)))
            if fig.value is not None:
                g.add((f, WP.value, Literal(fig.value, datatype=XSD.decimal)))
        if seed_file and ev.seed_line:
            provenance.add_location(g, node, seed_file, line=ev.seed_line)
        if ev.source_row is not None:
            provenance.add_location(g, node, ev.data_file or plan.data_file, row=ev.source_row)
        return node

    addressed: dict[str, list[URIRef]] = {}
    for response in plan.responses:
        r = URIRef(f"{iri}/response/{response.key}")
        g.add((r, RDF.type, WP.Response))
        g.add((r, WP.inPlan, iri))
        g.add((r, WP.council, council))
        g.add((r, WP.text, Literal(response.action_text)))
        label = response.local_ref or response.alignment.requirement or response.key
        g.add((r, RDFS.label, Literal(f"{plan.short_name or plan.council} {label}")))
        if response.local_ref:
            g.add((r, WP.localReference, Literal(response.local_ref)))
        if response.theme_heading:
            g.add((r, WP.localTheme, Literal(response.theme_heading)))
        if response.topic_heading:
            g.add((r, WP.localTopic, Literal(response.topic_heading)))
        alignment = response.alignment
        if alignment.matched:
            g.add((r, WP.addresses, requirement_iri(alignment.requirement)))
            g.add((r, WP.alignmentMethod, Literal(alignment.method)))
            addressed.setdefault(alignment.requirement, []).append(r)
        g.add((r, WP.alignmentScore, Literal(Decimal(str(alignment.score)), datatype=XSD.decimal)))
        if response.status_text:
            g.add((r, WP.currentStatus, Literal(response.status_text)))
            cleaned = clean_text(response.status_text)
            if cleaned != response.status_text:
                g.add((r, WP.displayText, Literal(cleaned)))
        status = _status_iri(response.met_text) or WPID["status/not-stated"]
        g.add((r, WP.complianceStatus, status))
        if response.met_text:
            g.add((r, WP.complianceText, Literal(response.met_text)))
        if response.gaps_text:
            g.add((r, WP.gapsText, Literal(response.gaps_text)))
        owners = split_owners(response.owner_text or "")
        if response.owner_text:
            g.add((r, WP.ownerText, Literal(response.owner_text)))
        for title in owners:
            g.add((r, WP.owner, role(title)))
        _add_due(g, r, response.due_text)
        for gap in response.gap_actions:
            node = URIRef(f"{iri}/gap/{gap.key}") if gap.key != "gap" else URIRef(f"{r}/gap")
            g.add((r, WP.hasGapAction, node))
            g.add((node, RDF.type, WP.GapAction))
            g.add((node, WP.text, Literal(gap.text)))
            g.add((node, WP.council, council))
            for title in owners:
                g.add((node, WP.owner, role(title)))
            _add_due(g, node, gap.due_text)
            if plan.seed_file and gap.seed_line:
                provenance.add_location(g, node, plan.seed_file, line=gap.seed_line)
            if gap.source_row is not None:
                provenance.add_location(g, node, gap.data_file or plan.data_file, row=gap.source_row)
        for i, ev in enumerate(response.evidence, start=1):
            node = evidence_node(URIRef(f"{r}/evidence/{i}"), ev, plan.seed_file)
            g.add((r, WP.hasEvidence, node))
            if alignment.matched:
                g.add((node, WP.supports, requirement_iri(alignment.requirement)))
        if response.source_row is not None:
            provenance.add_location(g, r, plan.data_file, row=response.source_row)
        if plan.seed_file:
            for line in response.seed_lines:
                provenance.add_location(g, r, plan.seed_file, line=line)
    for i, ev in enumerate(plan.plan_evidence, start=1):
        node = evidence_node(URIRef(f"{iri}/evidence/{i}"), ev, plan.evidence_seed_file)
        g.add((iri, WP.hasEvidence, node))
        for ref in ev.supports:
            for r in addressed.get(ref, []):
                g.add((r, WP.hasEvidence, node))
    return g


def _add_due(g: Graph, subject: URIRef, due_text: str | None) -> None:
    due = parse_due(due_text)
    if due is None:
        return
    g.add((subject, WP.dueText, Literal(due.text)))
    if due.date is not None:
        g.add((subject, WP.dueDate, Literal(due.date.isoformat(), datatype=XSD.date)))
        g.add((subject, WP.duePrecision, Literal(due.precision)))
    if due.problem:
        g.add((subject, WP.dueDateProblem, Literal(due.problem)))


# --------------------------------------------------------------------------- the importer's summary

def import_summary(plan: PlanRecord) -> dict:
    """What the importer did with each row: aligned (to what, how, how well), unmatched, and its warnings."""
    return {
        "council": plan.council,
        "gss": plan.gss,
        "rows": len(plan.responses),
        "responses": [{"row": r.source_row, "localRef": r.local_ref or None, "requirement": r.alignment.requirement,
                       "method": r.alignment.method, "score": r.alignment.score}
                      for r in plan.responses if r.alignment.matched],
        "unmatched": [{"row": r.source_row, "localRef": r.local_ref or None, "text": r.action_text}
                      for r in plan.responses if not r.alignment.matched],
        "warnings": [{"row": w.row, "message": w.message} for w in plan.warnings],
    }


def render_import_summary(report: dict) -> str:
    lines = [f"{report['council']}: {report['rows']} rows, {len(report['responses'])} aligned, "
             f"{len(report['unmatched'])} unmatched, {len(report['warnings'])} warnings"]
    for r in report["responses"]:
        ref = r["localRef"] or "-"
        lines.append(f"  row {r['row']:>4}  {ref:>6} -> {r['requirement']:<8} {r['method']:<9} {r['score']:.2f}")
    for u in report["unmatched"]:
        lines.append(f"  row {u['row']:>4}  {u['localRef'] or '-':>6} -> UNMATCHED  {' '.join(u['text'].split())[:70]}")
    for w in report["warnings"]:
        lines.append(f"  warning: row {w['row']}: {w['message']}")
    return "\n".join(lines) + "\n"
