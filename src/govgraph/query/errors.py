"""The errors of govgraph.query: every failure is a QueryError (the CLI maps it to exit code 2)."""

from __future__ import annotations


class QueryError(Exception):
    """A query could not be found, parsed or run; the message says why (the CLI maps it to exit code 2)."""


class ParameterError(QueryError, ValueError):
    """A parameter is unknown, missing or has a value that is not of its type."""


class UnknownQueryError(QueryError, KeyError):
    """No bundled query has that name."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ""
