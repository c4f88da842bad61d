"""The web app: ``create_app(build=… | endpoint=…)`` gives a Starlette application serving one dataset.

Routes: ``/`` the coverage heatmap, ``/council/{name}``, ``/requirement/{ref}``, ``/check`` (upload a template),
``/sparql`` (the SPARQL 1.1 Protocol and its editor page), ``/api/{query}``, ``/api/openapi.json`` and ``/api``,
and ``/static/`` (the app's own script and style, and the vendored libraries: the app fetches nothing from the
internet). Usable from Python and tests as it is; ``wpgraph serve`` runs it under uvicorn.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import api, check, pages, sparql
from .backend import Backend

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_UPLOAD = 2_000_000
HERE = Path(__file__).resolve().parent


async def _not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    detail = getattr(exc, "detail", "not found")
    if "text/html" in request.headers.get("accept", ""):
        return request.app.state.pages.error(request, f"{request.url.path}: {detail}", status)
    return sparql.one_line(f"{request.url.path}: {detail}", status)


async def _server_error(request: Request, exc: Exception) -> Response:
    return sparql.one_line(f"internal error ({type(exc).__name__}); the server log has the details", 500)


def create_app(build: str | Path | None = None, endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT,
               max_rows: int = DEFAULT_MAX_ROWS, max_upload: int = DEFAULT_MAX_UPLOAD,
               in_memory: bool = False) -> Starlette:
    """The app over a build folder (default ``./build``) or a SPARQL endpoint that holds the dataset.

    ``timeout``: seconds a SPARQL query may run; ``max_rows``: the most result rows /sparql sends;
    ``max_upload``: the largest template /check takes, in bytes; ``in_memory``: read the build into memory and
    query it there (faster queries, more memory: see ``serve.backend``).
    """
    if in_memory and endpoint:
        raise ValueError("in_memory holds a build folder, not an endpoint")
    folder = Path(build) if build is not None else (None if endpoint else Path("build"))
    backend = Backend(build=folder, endpoint=endpoint, timeout=timeout, max_rows=max_rows, in_memory=in_memory)
    if in_memory:  # read in now, not by the first request
        with backend.opened():
            pass
    vendor = HERE.parent / "_vendor"
    routes = [
        Route("/", pages.index),
        Route("/council/{name}", pages.council),
        Route("/requirement/{ref}", pages.requirement),
        Route("/check", check.page, methods=["GET", "POST"]),
        Route("/sparql", sparql.endpoint, methods=["GET", "POST"]),
        Route("/sparql/prefixes.json", sparql.prefixes),
        Route("/api", api.page),
        Route("/api/openapi.json", api.openapi),
        Route("/api/{name}", api.run),
        Mount("/static/vendor", StaticFiles(directory=vendor), name="vendor"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        backend.close()

    app = Starlette(routes=routes, exception_handlers={404: _not_found, 405: _not_found, 500: _server_error},
                    lifespan=lifespan)
    app.state.backend = backend
    app.state.pages = pages.Pages(backend.describes)
    app.state.max_upload = max_upload
    return app
