"""``/api/<query>``: every canned query as an HTTP endpoint with the parameters of its ``#+`` header, as JSON, CSV or
XLSX (by ``Accept`` or ``?format=``); ``/api/openapi.json``, an OpenAPI 3 document generated from the same headers;
``/api``, an interactive page over it (Swagger UI, vendored).

Parameter values are bound by ``wpgraph.queries`` as typed RDF terms, never pasted into the query; a value the
CLI refuses (an unknown council, a date that does not exist) is refused here with the same one line.
"""

from __future__ import annotations

import io
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import InputError
from .sparql import one_line

FORMATS = {"json": "application/json", "csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ACCEPT = {"application/json": "json", "text/csv": "csv", FORMATS["xlsx"]: "xlsx"}
PARAM_SCHEMAS = {"date": {"type": "string", "format": "date"}, "integer": {"type": "integer"}}


def _format(request: Request) -> str:
    given = request.query_params.get("format")
    if given is not None:
        if given not in FORMATS:
            raise InputError(f"format {given!r} is not one of {', '.join(FORMATS)}")
        return given
    for item in request.headers.get("accept", "").split(","):
        media = item.split(";")[0].strip().lower()
        if media in ACCEPT:
            return ACCEPT[media]
    return "json"


def xlsx(rows: list[dict[str, Any]], columns: list[str], title: str) -> bytes:
    """The rows as a one-sheet workbook, the columns as its header row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) if isinstance(row.get(c), (int, float, str)) or row.get(c) is None
                      else str(row.get(c)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def run(request: Request) -> Response:
    """GET /api/{name}?param=value…"""
    from starlette.concurrency import run_in_threadpool

    from ..queries.registry import get_query
    from ..tables import render_rows

    name = request.path_params["name"]
    try:
        query = get_query(name)
    except InputError as err:
        return one_line(str(err), 404)
    items = list(request.query_params.multi_items())
    params: dict[str, str] = {}
    for key, value in items:
        if key == "format":
            continue
        if key in params:
            return one_line(f"parameter {key} is given twice: give each parameter once", 400)
        params[key] = value
    try:
        fmt = _format(request)
        rows = await run_in_threadpool(request.app.state.backend.rows, name, **params)
    except InputError as err:
        return one_line(str(err), 404 if str(err).startswith("unknown ") else 400)
    columns = list(query.variables) or list(rows[0].keys() if rows else [])
    if fmt == "csv":
        return Response(render_rows(rows, "csv", columns=columns), media_type=FORMATS["csv"])
    if fmt == "xlsx":
        body = await run_in_threadpool(xlsx, rows, columns, name)
        return Response(body, media_type=FORMATS["xlsx"],
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    return JSONResponse({"query": name, "columns": columns, "rows": rows})


def openapi(request: Request) -> JSONResponse:
    """GET /api/openapi.json"""
    return JSONResponse(openapi_document())


def openapi_document() -> dict[str, Any]:
    """An OpenAPI 3.0 document with one GET operation per canned query, from the query headers."""
    from ..about import version
    from ..queries.registry import list_queries

    paths: dict[str, Any] = {}
    for query in list_queries():
        parameters = []
        for param in query.params:
            schema: dict[str, Any] = dict(PARAM_SCHEMAS.get(param.type, {"type": "string"}))
            if param.enum:
                schema["enum"] = list(param.enum)
            if param.default is not None:
                schema["default"] = param.default
            spec: dict[str, Any] = {"name": param.name, "in": "query", "required": param.required,
                                    "description": param.description or param.type, "schema": schema}
            if param.example is not None:
                spec["example"] = param.example
            parameters.append(spec)
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "the answer's format (default: by the Accept header, else json)",
                           "schema": {"type": "string", "enum": list(FORMATS)}})
        columns = list(query.variables)
        row = {"type": "object", "properties": {c: {"nullable": True} for c in columns}}
        paths[f"/api/{query.name}"] = {"get": {
            "operationId": query.name.replace("-", "_"),
            "summary": query.summary or query.name,
            "description": query.description,
            "tags": list(query.tags[:1]) or ["queries"],
            "parameters": parameters,
            "responses": {
                "200": {"description": f"the rows; columns: {', '.join(columns)}", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "query": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
                        "rows": {"type": "array", "items": row}}}},
                    "text/csv": {"schema": {"type": "string"}},
                    FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}}}},
                "400": {"description": "a parameter value that cannot be used (one line)",
                        "content": {"text/plain": {"schema": {"type": "string"}}}},
                "404": {"description": "an unknown query, council, partner or requirement (one line)",
                        "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
    return {"openapi": "3.0.3",
            "info": {"title": "wpgraph canned queries", "version": version(),
                     "description": "The canned SPARQL queries of wpgraph (queries/*.rq) as a web API: one "
                     "operation per query, its parameters from the query's #+ header. Ad-hoc SPARQL: /sparql."},
            "paths": paths}


def page(request: Request) -> Response:
    """GET /api: the interactive page over the OpenAPI document."""
    return request.app.state.pages.render(request, "api.html")
