"""What a build reads: the plan sources behind ``--plans``, and a digest of each.

A source is one council plan, in one of three forms:

``folder``
    a plan folder described by its ``plan.toml`` (the bundled councils, and any
    plan a user lays out the same way); every file of the folder is part of it.
``template``
    a filled LGA template (.csv or .xlsx) on its own.
``rdf``
    a plan graph (.ttl, .nt, .nq, .trig, .jsonld, .rdf), e.g. ``wpgraph import``'s output.

A file inside a plan folder stands for that folder's plan, so a changed
``actions.csv`` of Cheshire East is read with its ``plan.toml``, never as a
template of its own.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..rdfio import RDF_SUFFIXES
from ..resources import bundled

TEMPLATE_SUFFIXES = (".csv", ".xlsx")
PLAN_FILE = "plan.toml"
TEMPLATE_OPTIONS = "--council, --short-name, --gss, --sheet and --plan-id"
BUNDLED_PREFIX = "bundled:"


@dataclass(frozen=True)
class Source:
    """One plan input of a build."""

    path: Path  # plan.toml, the template, or the RDF file
    kind: str  # "folder" | "template" | "rdf"
    council: str | None = None  # for a template: the council's name, when given
    short_name: str | None = None
    gss: str | None = None
    sheet: str | None = None
    plan_id: str | None = None
    options: tuple[tuple[str, str], ...] = field(default=())

    @property
    def label(self) -> str:
        """How messages and the manifest name it: the path, or ``bundled:data/plans/…`` for bundled data."""
        return display_path(self.path)

    def files(self) -> list[Path]:
        """Every file the plan is read from."""
        if self.kind == "folder":
            folder = self.path.parent
            return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
        return [self.path]

    def stamp(self) -> list[tuple[str, int, int]]:
        """(name, size, mtime) of every file: a cheap check of whether the digest must be taken again."""
        out = []
        for path in self.files():
            try:
                info = path.stat()
            except OSError as err:
                raise InputError(f"cannot read: {err.strerror or err}", path) from None
            out.append((path.name, info.st_size, info.st_mtime_ns))
        return out

    def digest(self) -> str:
        """sha256 over the files' names and contents, and the options the plan is read with."""
        total = hashlib.sha256()
        for key, value in self.identity():
            total.update(f"{key}={value}\n".encode())
        for path in self.files():
            total.update(path.relative_to(self.files_root()).as_posix().encode() + b"\0")
            total.update(file_sha256(path).encode() + b"\n")
        return total.hexdigest()

    def files_root(self) -> Path:
        return self.path.parent

    def identity(self) -> list[tuple[str, str]]:
        """The options a template is read with: part of the input, since they change the plan."""
        return [(k, v) for k, v in (("council", self.council), ("short_name", self.short_name), ("gss", self.gss),
                                    ("sheet", self.sheet), ("plan_id", self.plan_id)) if v is not None]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """A bundled file as ``bundled:data/…`` (stable wherever the package is installed), any other as given."""
    try:
        relative = Path(os.path.abspath(path)).relative_to(bundled_root_abs())
    except ValueError:
        return str(path)
    return BUNDLED_PREFIX + relative.as_posix()


def bundled_root_abs() -> Path:
    return Path(os.path.abspath(bundled()))


def from_display_path(text: str) -> Path:
    if text.startswith(BUNDLED_PREFIX):
        return bundled(*text[len(BUNDLED_PREFIX):].split("/"))
    return Path(text)


def bundled_sources() -> list[Source]:
    """Every plan shipped with wpgraph (``data/plans``)."""
    return sources_in(bundled("data", "plans"))


def sources_in(folder: Path) -> list[Source]:
    """The plans a folder holds: itself if it is a plan folder, else each ``*/plan.toml``, template and RDF file."""
    if (folder / PLAN_FILE).is_file():
        return [Source(folder / PLAN_FILE, "folder")]
    found = [Source(p, "folder") for p in sorted(folder.glob(f"*/{PLAN_FILE}"))]
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        suffix = path.suffix.lower()
        if suffix in TEMPLATE_SUFFIXES:
            found.append(Source(path, "template"))
        elif suffix in RDF_SUFFIXES:
            found.append(Source(path, "rdf"))
    return found


def source_for(path: Path, council: str | None = None, gss: str | None = None, sheet: str | None = None,
               plan_id: str | None = None, short_name: str | None = None) -> Source:
    """The source one file stands for; a file inside a plan folder stands for the folder's plan."""
    described = any((council, gss, sheet, plan_id, short_name))
    if path.name == PLAN_FILE:
        return Source(path, "folder")
    if (path.parent / PLAN_FILE).is_file() and not described:
        return Source(path.parent / PLAN_FILE, "folder")
    suffix = path.suffix.lower()
    if suffix in TEMPLATE_SUFFIXES:
        return Source(path, "template", council=council, short_name=short_name, gss=gss, sheet=sheet, plan_id=plan_id)
    if described:
        raise InputError(f"{TEMPLATE_OPTIONS} apply to a template (.csv, .xlsx) only", path)
    if suffix in RDF_SUFFIXES:
        return Source(path, "rdf")
    raise InputError("not a plan wpgraph reads (a .csv or .xlsx template, a plan folder with plan.toml, or an "
                     f"RDF plan graph: {', '.join(sorted(RDF_SUFFIXES))})", path)


def resolve_sources(inputs: Iterable[str | Path], council: str | None = None, gss: str | None = None,
                    sheet: str | None = None, plan_id: str | None = None,
                    short_name: str | None = None) -> list[Source]:
    """The sources that files and folders given by a user stand for, each once, in the order given."""
    items = [Path(item) for item in inputs]
    template_options = any((council, gss, sheet, plan_id, short_name))
    if template_options and len(items) != 1:
        raise InputError(f"{TEMPLATE_OPTIONS} describe one template: give exactly one file")
    sources: list[Source] = []
    for path in items:
        if path.is_dir():
            if template_options:
                raise InputError(f"{TEMPLATE_OPTIONS} describe one template, not a folder", path)
            found = sources_in(path)
            if not found:
                raise InputError("the folder holds no plans (*/plan.toml, .csv or .xlsx templates, or RDF plan "
                                 "graphs)", path)
            sources += found
        elif path.is_file():
            sources.append(source_for(path, council, gss, sheet, plan_id, short_name))
        elif path.exists():
            raise InputError("not a file or folder", path)
        else:
            raise InputError("no such file or folder", path)
    unique: dict[tuple[str, Path], Source] = {}
    for source in sources:
        unique.setdefault((source.kind, Path(os.path.abspath(source.path))), source)
    return list(unique.values())


def plan_inputs(plans: Sequence[str | Path] | None, with_bundled: bool = False) -> list[Source]:
    """A build's plan sources: the given files and folders (plus the bundled plans if asked), or the bundled ones."""
    if not plans:
        return bundled_sources()
    sources = resolve_sources(plans)
    return (bundled_sources() + sources) if with_bundled else sources
