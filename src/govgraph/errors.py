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


class OutputError(Exception):
    """An output that cannot be written (a parent that is a file, a read-only folder, a full disk), named with
    the reason; nothing of it is left behind."""

    def __init__(self, path: str | Path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"cannot write {path}: {reason}")


def os_reason(exc: OSError) -> str:
    """What an OSError means, in words, naming the path it is about when that is not the one reported."""
    import errno

    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and exc.filename:
        # mkdir of a folder whose name (or a parent's) is taken by a file
        return f"{exc.filename} is not a folder"
    reason = (exc.strerror or str(exc)).lower()
    return f"{reason} ({exc.filename})" if exc.filename else reason


class writing:
    """``with writing(path):`` turns an OSError while writing ``path`` into an OutputError naming it."""

    def __init__(self, path: str | Path):
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, OSError) and not isinstance(exc, OutputError):
            raise OutputError(self.path, os_reason(exc)) from None


def error_records(exc: Exception) -> list[dict]:
    """The problems of a failure as records for machine-readable reports: file, line, column, field, message
    (None where not known). InputErrors give one record per problem; anything else one with its message."""
    if isinstance(exc, InputErrors):
        return [
            {"file": e.file, "line": e.line, "column": e.column, "field": e.field, "message": e.message}
            for e in exc.errors
        ]
    return [{"file": None, "line": None, "column": None, "field": None, "message": str(exc)}]
