"""The catalogue: the bundled queries in ``sparql/*.rq`` and query files of your own, each with its ``#+`` header
(YAML: summary, description, tags, parameters, example; see sparql/README.md) read into a QueryInfo."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govgraph.query.errors import ParameterError, QueryError, UnknownQueryError
from govgraph.query.parameters import PARAM_TYPES, Param, to_term
from govgraph.query.text import query_form

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.term import Node

REQUIRED_HEADER_FIELDS = ("summary", "description", "tags", "example", "method")


@dataclasses.dataclass(frozen=True)
class QueryInfo:
    """A query of the catalogue (or a query file of your own) with its documentation header."""

    name: str
    text: str
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    example: str = ""
    method: str = "GET"
    order: str = "list"  # "list": the rows come in a defined order; "set": the order means nothing
    path: Path | None = None

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        return query_form(self.text)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(f"query {self.name!r} has no parameter {name!r}{_known(self)}")


def parse_query(text: str, name: str = "query", path: Path | None = None) -> QueryInfo:
    """A query text with its (optional) ``#+`` header read into a QueryInfo. Raises QueryError on a bad header."""
    import yaml

    header = "\n".join(
        line[3:] if line.startswith("#+ ") else "" for line in text.splitlines() if line.startswith("#+")
    )
    where = str(path) if path else name
    try:
        # libyaml's parser where PyYAML has it: the pure-Python one made loading the catalogue 0.05-0.2 s.
        meta = yaml.load(header, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if header.strip() else {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{where}: the #+ header is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise QueryError(f"{where}: the #+ header must be a YAML mapping")
    unknown = set(meta) - {*REQUIRED_HEADER_FIELDS, "params", "order"}
    if unknown:
        raise QueryError(f"{where}: unknown header field(s) {', '.join(sorted(unknown))}")
    tags = meta.get("tags") or []
    if not isinstance(tags, list):
        raise QueryError(f"{where}: tags must be a list")
    method = str(meta.get("method", "GET")).upper()
    if method not in ("GET", "POST"):
        raise QueryError(f"{where}: method must be GET or POST, not {method!r}")
    order = str(meta.get("order", "list"))
    if order not in ("list", "set"):
        raise QueryError(f"{where}: order must be list or set, not {order!r}")
    return QueryInfo(
        name=name,
        text=text,
        summary=str(meta.get("summary", "")).strip(),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(str(t) for t in tags),
        params=tuple(_parse_params(meta.get("params") or [], where)),
        example=str(meta.get("example", "")).strip(),
        method=method,
        order=order,
        path=path,
    )


def _parse_params(raw: Any, where: str) -> Iterator[Param]:
    if not isinstance(raw, list):
        raise QueryError(f"{where}: params must be a list of `name: {{type: ..., default: ..., description: ...}}`")
    for item in raw:
        if not (isinstance(item, dict) and len(item) == 1):
            raise QueryError(f"{where}: each parameter is a one-key mapping `name: {{type: ...}}`, not {item!r}")
        ((name, spec),) = item.items()
        spec = spec or {}
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", str(name)) or not isinstance(spec, dict):
            raise QueryError(f"{where}: bad parameter {name!r}")
        extra = set(spec) - {"type", "default", "description"}
        if extra:
            raise QueryError(f"{where}: parameter {name!r}: unknown field(s) {', '.join(sorted(extra))}")
        ptype = spec.get("type")
        if ptype not in PARAM_TYPES:
            raise QueryError(f"{where}: parameter {name!r}: type must be one of {', '.join(PARAM_TYPES)}")
        default = spec.get("default")
        param = Param(str(name), ptype, None if default is None else str(default), str(spec.get("description", "")))
        if param.default is not None:
            try:
                to_term(param, param.default)
            except ParameterError as exc:
                raise QueryError(f"{where}: the default of {exc}") from None
        yield param


def load_query(path: str | Path) -> QueryInfo:
    """A query file (``.rq``) of your own, with or without a ``#+`` header."""
    from govgraph.inputs import read_text

    path = Path(path)
    info = parse_query(read_text(path, "query"), path.stem, path)
    try:
        query_form(info.text)  # an update, or no query at all, is refused here, naming the file
    except QueryError as exc:
        raise QueryError(f"{path}: {exc}") from None
    return info


@functools.cache
def _catalogue() -> dict[str, QueryInfo]:
    from govgraph.resources import bundled

    return {p.stem: load_query(p) for p in sorted(bundled("sparql").glob("*.rq"))}


def list_queries() -> list[QueryInfo]:
    """Every bundled query, sorted by name."""
    return list(_catalogue().values())


def example_params(info: QueryInfo) -> dict[str, str]:
    """The ``--param K=V`` values of a query's documented example (what ``run_all`` runs it with)."""
    import shlex

    words = shlex.split(info.example)
    return dict(
        words[i + 1].partition("=")[::2]
        for i, word in enumerate(words[:-1])
        if word == "--param" and "=" in words[i + 1]
    )


def get_query(name: str) -> QueryInfo:
    """The bundled query of that name; UnknownQueryError (a KeyError and QueryError) names the nearest ones."""
    queries = _catalogue()
    if name in queries:
        return queries[name]
    near = difflib.get_close_matches(name, queries, n=5, cutoff=0.4) or [n for n in queries if name in n][:5]
    hint = f"; did you mean {', '.join(near)}?" if near else f"; the queries are: {', '.join(queries)}"
    raise UnknownQueryError(f"no bundled query named {name!r}{hint}")


def _known(info: QueryInfo) -> str:
    names = ", ".join(p.name for p in info.params)
    return f" (its parameters: {names})" if names else " (it takes no parameters)"


def bind_params(info: QueryInfo, params: Mapping[str, Any] | None) -> dict[str, Node]:
    """The parameter values as RDF terms, defaults filled in; ParameterError for unknown names or bad values."""
    params = dict(params or {})
    for name in params:
        info.param(name)  # raises for an unknown name
    bound: dict[str, Node] = {}
    for p in info.params:
        value = params.get(p.name, p.default)
        if value is not None:
            bound[p.name] = to_term(p, value)
    return bound
