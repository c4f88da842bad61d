"""One exception type for bad input, so the CLI can print one line and exit 2."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input: a file that cannot be read, parsed or understood.

    ``str()`` gives one line naming the file and, where known, the row or line:
    ``plans/x.csv: row 12: By When? "31/02/2021" is not a date``.
    """

    def __init__(self, message: str, file: str | Path | None = None, row: int | None = None,
                 unit: str = "row") -> None:
        self.message = " ".join(str(message).split())
        self.file = str(file) if file is not None else None
        self.row = row
        self.unit = unit
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"{self.unit} {self.row}")
        return ": ".join(where + [self.message])
