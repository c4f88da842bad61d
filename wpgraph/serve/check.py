"""``/check``: upload a filled template (.csv or .xlsx, up to a size limit) and see its validation report.

The file goes to a temporary folder, is checked on its own through ``wpgraph.validate([file], …)`` (the same
import, temporary in-memory build and shapes as ``wpgraph validate FILE``), and the folder is removed: nothing is
stored.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..errors import InputError
from .sparql import content_length

SUFFIXES = (".csv", ".xlsx")
FIELDS = ("council", "short_name", "gss")


def check_file(data: bytes, filename: str, options: dict[str, str]) -> Any:
    """The validation report of one uploaded template, checked in a temporary folder that is then removed."""
    from ..entrypoints import validate

    folder = Path(tempfile.mkdtemp(prefix="wpgraph-check-"))
    try:
        path = folder / ("upload" + Path(filename).suffix.lower())
        path.write_bytes(data)
        try:
            report = validate([path], council=options.get("council") or None, gss=options.get("gss") or None,
                              short_name=options.get("short_name") or None, use_cache=False)
        except InputError as err:  # named by the file the user chose, not by the temporary copy
            raise InputError(err.message.replace(str(path), filename),
                             filename if err.file is not None else None, err.row, err.unit) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return report


async def _upload(form: FormData, limit: int) -> tuple[str, bytes, dict[str, str]]:
    """(file name, content, council options) of the form, checked."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError("choose a filled template (.csv or .xlsx) to check")
    name = Path(upload.filename).name
    if Path(name).suffix.lower() not in SUFFIXES:
        raise InputError(f"{name}: a template is a .csv or .xlsx file")
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name}: larger than this server's limit of {limit // 1000} kB")
    return name, data, {k: str(form.get(k) or "").strip() for k in FIELDS}


async def page(request: Request) -> Response:
    """GET /check: the form; POST /check: the report of the uploaded file."""
    from starlette.concurrency import run_in_threadpool

    pages = request.app.state.pages
    limit: int = request.app.state.max_upload
    if request.method == "GET":
        return pages.render(request, "check.html", limit=limit)
    try:
        if content_length(request) > 10 * limit:  # refused unread: far too large
            raise InputError(f"the upload is larger than this server's limit of {limit // 1000} kB")
        try:
            async with request.form(max_files=1, max_fields=10) as form:  # closes the upload at the end
                name, data, options = await _upload(form, limit)
        except HTTPException as err:
            raise InputError(f"the upload is not a form this page sent ({err.detail})") from None
        report = await run_in_threadpool(check_file, data, name, options)
    except InputError as err:
        return pages.render(request, "check.html", status=400, limit=limit, error=str(err))
    return pages.render(request, "check.html", limit=limit, filename=name, report=report,
                        findings=[(plan, report.findings_for(plan)) for plan in report.plans])
