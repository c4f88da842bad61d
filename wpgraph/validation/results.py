"""One SHACL validation result, the same whichever engine made it: what reports and differential tests compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .paths import Path, Term, read_path


@dataclass(frozen=True)
class ShaclResult:
    """One SHACL validation result, engine-independent."""

    focus: Term
    path: Path | None
    value: Term | None
    shape: Term
    component: str
    severity: str
    messages: tuple[ox.Literal, ...] = ()
    constraint: Term | None = None  # the sh:sparql node of a SPARQL constraint

    def key(self) -> tuple[str, str | None, str | None, str, str, str]:
        """What two engines must agree on (blank nodes aside): focus, path, value, shape, component, severity."""
        return (str(self.focus), self.path.text() if self.path else None,
                str(self.value) if self.value is not None else None, str(self.shape), self.component, self.severity)


def path_of(node: Term | None, values: Any) -> Path | None:
    """A report graph's result path as a Path (for results pySHACL made)."""
    if node is None:
        return None
    try:
        return read_path(node, values)
    except ValueError:
        return None
