"""Errors about input: every one names the file, the line (and field) and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InputError(Exception):
    """One problem in one input file, at a line and (where known) a field."""

    file: str
    line: int | None
    message: str
    field: str | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class InputErrors(Exception):
    """All the problems found in the input, reported at once rather than the first only."""

    def __init__(self, errors: Iterable[InputError]):
        self.errors = sorted(errors, key=lambda e: (e.file, e.line or 0, e.field or "", e.message))
        super().__init__(self.__str__())

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} in the input:"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])


class ErrorCollector:
    """Collects InputErrors while a reader walks a file; raises them together at the end."""

    def __init__(self, file: str | Path):
        self.file = str(file)
        self.errors: list[InputError] = []

    def add(self, line: int | None, message: str, field: str | None = None, column: int | None = None) -> None:
        self.errors.append(InputError(self.file, line, message, field, column))

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)
