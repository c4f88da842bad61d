"""The dashboard's pages: the national coverage heatmap, a council's page and a requirement's page.

Every figure on them comes from the canned queries (``Backend.rows``), the catalogue and the validation API;
the pages hold no SPARQL of their own. Templates are Jinja2 with autoescaping on, so text from a plan (which may
hold ``<!--``, ``</script>`` or quotes) is shown as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import InputError

NO_RESPONSE = "no response"


class Pages:
    """The Jinja2 environment of the app's templates, and rendering a page with the app's context."""

    def __init__(self, describes: str) -> None:
        from jinja2 import Environment, PackageLoader, select_autoescape

        self.describes = describes
        self.env = Environment(loader=PackageLoader("wpgraph.serve", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        from ..about import version

        html = self.env.get_template(template).render(request=request, serving=self.describes,
                                                      version=version(), **context)
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, message: str, status: int) -> HTMLResponse:
        return self.render(request, "error.html", status=status, message=" ".join(message.split()), status_code=status)


def status_display() -> dict[str, dict[str, Any]]:
    """Each compliance status's label, colour and rank (least complete first), and "no response" last."""
    from ..reference import vocab

    shown = {n: {"label": s.label, "colour": s.colour, "rank": s.rank} for n, s in vocab.status_display().items()}
    shown[NO_RESPONSE] = {"label": NO_RESPONSE, "colour": "#ffffff", "rank": len(shown) + 1}
    return shown


def _councils(backend: Any) -> list[str]:
    return sorted({str(row["council"]) for row in backend.rows("coverage") if row.get("council")})


def heatmap(backend: Any) -> dict[str, Any]:
    """Councils x council requirements: each cell the least-met status of the council's responses to it."""
    from ..entrypoints import catalogue

    statuses = status_display()
    requirements = [r for r in catalogue() if r.is_council_requirement]
    rows = []
    for council in _councils(backend):
        answers: dict[str, list[dict[str, Any]]] = {}
        for row in backend.rows_for("council-responses", council=council):
            if row.get("requirement"):
                answers.setdefault(str(row["requirement"]), []).append(row)
        cells = []
        for requirement in requirements:
            found = answers.get(requirement.reference, [])
            status = min((str(r.get("status") or "not-stated") for r in found),
                         key=lambda s: statuses.get(s, statuses["not-stated"])["rank"], default=NO_RESPONSE)
            cells.append({"ref": requirement.reference, "status": status,
                          "label": statuses.get(status, {"label": status})["label"],
                          "colour": statuses.get(status, statuses["not-stated"])["colour"],
                          "owner": "; ".join(dict.fromkeys(str(r["owner"]) for r in found if r.get("owner"))),
                          "due": "; ".join(dict.fromkeys(str(r["due"]) for r in found if r.get("due")))})
        rows.append({"council": council, "cells": cells})
    texts = {r.reference: r.text for r in requirements}  # once, not in every cell: the tooltip looks them up
    return {"requirements": requirements, "rows": rows, "statuses": statuses, "texts": texts}


def _as_of(request: Request) -> dt.date:
    given = request.query_params.get("as_of")
    if not given:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(given.strip())
    except ValueError:
        raise InputError(f"as_of: {given!r} is not a date (YYYY-MM-DD)") from None


def council_page(backend: Any, council: str, as_of: dt.date) -> dict[str, Any]:
    """What one council's page shows, each part from a canned query or the validation report."""
    from ..reference import vocab

    coverage = backend.rows_for("coverage", council=council)  # an unknown council stops here, as on the CLI
    actions = backend.rows_for("open-actions", council=council)
    for action in actions:
        due = action.get("due")
        action["overdue"] = bool(due) and str(due) < as_of.isoformat()
    actions.sort(key=lambda a: (a.get("due") is None, str(a.get("due") or ""), str(a.get("localRef") or "")))
    partners = []
    for notation in sorted(vocab.partner_notations().values(), key=str.casefold):
        found = [r for r in backend.rows_for("partner-dependence", partner=notation) if r.get("council") == council]
        if found:
            partners.append({"partner": notation, "rows": found})
    validation = backend.council_findings(council)
    return {"council": council, "coverage": coverage, "as_of": as_of.isoformat(), "actions": actions,
            "overdue": sum(1 for a in actions if a["overdue"]),
            "accountability": backend.rows_for("accountability", council=council), "partners": partners,
            "unevidenced": backend.rows_for("unevidenced", council=council), "validation": validation,
            "totals": {key: sum(int(r.get(key) or 0) for r in coverage)
                       for key in ("required", "answered", "direct", "credited", "partly", "met", "partlyMet", "notMet",
                                   "notStated")}}


def requirement_page(backend: Any, ref: str) -> dict[str, Any]:
    from ..reference.catalogue import by_reference

    requirement = by_reference().get(ref.strip())
    if requirement is None:
        raise InputError(f"unknown requirement {ref!r}")
    return {"requirement": requirement, "answers": backend.rows_for("requirement", requirement=requirement.reference),
            "statuses": status_display()}


async def _page(request: Request, template: str, build: Callable[[], dict[str, Any]]) -> Response:
    from starlette.concurrency import run_in_threadpool

    pages: Pages = request.app.state.pages
    try:
        context = await run_in_threadpool(build)
    except InputError as err:
        return pages.error(request, str(err), 404 if str(err).startswith("unknown ") else 400)
    return pages.render(request, template, **context)


async def index(request: Request) -> Response:
    return await _page(request, "index.html", lambda: heatmap(request.app.state.backend))


async def council(request: Request) -> Response:
    try:
        as_of = _as_of(request)
    except InputError as err:
        return request.app.state.pages.error(request, str(err), 400)
    name = request.path_params["name"]
    return await _page(request, "council.html", lambda: council_page(request.app.state.backend, name, as_of))


async def requirement(request: Request) -> Response:
    ref = request.path_params["ref"]
    return await _page(request, "requirement.html", lambda: requirement_page(request.app.state.backend, ref))
