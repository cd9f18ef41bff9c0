"""The bundled SPARQL catalogue and running queries, locally or on a remote SPARQL 1.1 endpoint.

    from govgraph.query import list_queries, get_query, run_query
    result = run_query("reform-initiatives-by-track", {"reform": "ggid:programme/sammenhaengsreformen"})
    print(result.to_table())

Queries live in ``sparql/*.rq`` with a header of ``#+ `` lines that is YAML (see sparql/README.md). Parameters
are typed and bound as RDF terms, never pasted into the query text: locally through pyoxigraph's
``substitutions``, remotely as a ``VALUES`` block at the start of the outermost ``WHERE`` group whose terms are
written by an N-Triples serialiser. A parameter ``name`` is the query variable ``?_name``.

Locally the query runs on an in-memory pyoxigraph store (the built dataset, cached per process, or the graph
or file you pass) and never touches the network: ``SERVICE``, ``LOAD`` and ``FROM`` are refused unless
``allow_network=True``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import difflib
import functools
import io
import json
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govgraph import DEFAULT_BASE_IRI
from govgraph.credentials import ENV_PASSWORD, ENV_USER, CredentialsError, find_credentials
from govgraph.credentials import redact as _redact  # shared with govgraph.publish
from govgraph.credentials import safe_url as _safe_url
from govgraph.safety import check_rdf_bytes

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
PARAM_TYPES = ("iri", "string", "langstring", "integer", "decimal", "date", "year")
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
REQUIRED_HEADER_FIELDS = ("summary", "description", "tags", "example", "method")
# Seconds before the first retry of a remote request; doubled for every further retry (tests shorten it).
RETRY_BACKOFF = 0.5


class QueryError(Exception):
    """A query could not be found, parsed or run; the message says why (the CLI maps it to exit code 2)."""


class ParameterError(QueryError, ValueError):
    """A parameter is unknown, missing or has a value that is not of its type."""


class UnknownQueryError(QueryError, KeyError):
    """No bundled query has that name."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------------------------- the catalogue


@dataclasses.dataclass(frozen=True)
class Param:
    """One declared parameter: the query variable ``?_<name>``, its type and its default (None: optional)."""

    name: str
    type: str
    default: str | None = None
    description: str = ""


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
        meta = yaml.safe_load(header) if header.strip() else {}
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


def run_all(*, graph: Any = None, endpoint: str | None = None, **options: Any) -> dict[str, QueryResult]:
    """Every bundled query, each with its documented example's parameters: {name: result}. Locally the data
    (the built dataset, or ``graph`` as in run_query) is loaded once for the whole catalogue, where 29
    `govgraph query` processes would each build or load it again; ``options`` are run_query's."""
    source = None if endpoint else _store(graph)
    return {q.name: run_query(q, example_params(q), graph=source, endpoint=endpoint, **options) for q in list_queries()}


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


# --------------------------------------------------------------------------------- a small SPARQL tokenizer

# Just enough lexing to tell keywords from the same letters inside strings, IRIs, comments, variables and
# prefixed names: to find the query form, refuse SERVICE/LOAD/FROM and find the WHERE group's brace.
# A prefixed name's local part may hold escapes (ex:a\# or ex:a\'): an escaped # or quote must not be taken for
# the start of a comment or string, or a SERVICE after it would hide from check_offline. A comment ends at a
# carriage return as well as a line feed, as in the SPARQL grammar.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][^\s(){}\[\],;.=!<>"'|&+*/^#@]+)
      | (?P<word>[A-Za-z_][\w\-]*(?::(?:\\.|[^\s(){}\[\],;=!<>"'|&+*/^#@\\])*)?
                |:(?:\\.|[^\s(){}\[\],;=!<>"'|&+*/^#@\\])*)
      | (?P<brace>[{}])
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def _tokens(query: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of each significant token; whitespace and comments are dropped."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind == "comment" or (kind == "other" and m.group().isspace()):
            continue
        yield kind, m.group(), m.start()


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; QueryError for an update or anything else."""
    for kind, text, _ in _tokens(query):
        if kind == "word" and text.upper() in FORMS:
            return text.upper()
        if kind == "word" and text.upper() in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE"):
            raise QueryError(f"{text.upper()} is a SPARQL update; govgraph only runs queries")
    raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")


def check_offline(query: str) -> None:
    """Refuse what would make a local query reach beyond the local store: SERVICE, LOAD, FROM (NAMED)."""
    for kind, text, _ in _tokens(query):
        word = text.upper() if kind == "word" else ""
        if word == "SERVICE":
            raise QueryError("the query calls a remote SERVICE; local queries stay offline (use allow_network=True)")
        if word == "LOAD":
            raise QueryError("the query LOADs data from the network; local queries stay offline")
        if word == "FROM":
            raise QueryError(
                "the query names its dataset with FROM; the local store holds only the given data and stays offline"
                " (use allow_network=True to pass it on anyway)"
            )


def _where_brace(query: str) -> int:
    """Offset just after the ``{`` that opens the query's outermost WHERE group (not a CONSTRUCT template)."""
    form = query_form(query)
    depth, previous, skip_template = 0, "", form == "CONSTRUCT"
    for kind, text, start in _tokens(query):
        if kind == "brace" and text == "{":
            if depth == 0:
                if skip_template and previous != "WHERE":
                    skip_template = False  # the first group of CONSTRUCT { ... } WHERE { ... } is the template
                else:
                    return start + 1
            depth += 1
        elif kind == "brace":
            depth -= 1
        previous = text.upper() if kind == "word" else kind
    raise QueryError("cannot find the query's WHERE { ... } group")


def inject_values(query: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``VALUES (?_a ?_b) { (term term) }`` as the first element of its outermost WHERE group,
    so that the bound variables are in scope for the whole group as with substitution. Terms are written as
    N-Triples, so a value cannot close the block or change the query."""
    if not bindings:
        return query
    at = _where_brace(query)
    names = " ".join(f"?_{name}" for name in bindings)
    terms = " ".join(nt(term) for term in bindings.values())
    return f"{query[:at]}\n  VALUES ({names}) {{ ({terms}) }}\n{query[at:]}"


# ----------------------------------------------------------------------------------------------- RDF terms

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGTAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def _prefixes() -> dict[str, str]:
    from govgraph.namespaces import PREFIXES

    return {**PREFIXES, "ggid": DEFAULT_BASE_IRI + "id/"}


def check_iri(iri: str) -> str:
    """An absolute IRI that is safe to write between < and >, else ValueError."""
    if not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        raise ValueError(f"{iri!r} is not an absolute IRI (it needs a scheme such as https:)")
    bad = _IRI_BAD.search(iri)
    if bad:
        raise ValueError(f"{iri!r} is not a valid IRI: it contains {bad.group()!r}")
    return iri


def expand_iri(value: str) -> str:
    """Expand a compact IRI with govgraph's prefixes (``gg:Commitment``, ``ggid:commitment/DK0040``)."""
    prefix, sep, local = value.partition(":")
    if sep and not local.startswith("//") and prefix in _prefixes():
        return _prefixes()[prefix] + local
    return value


def to_term(param: Param, value: Any) -> Node:
    """The RDF term for a parameter value given as text, checked against the parameter's type."""
    from rdflib import Literal, URIRef

    text = str(value)
    where = f"parameter {param.name!r} ({param.type})"
    if param.type == "iri":
        try:
            return URIRef(check_iri(expand_iri(text.strip())))
        except ValueError as exc:
            raise ParameterError(f"{where}: {exc}") from None
    if param.type == "string":
        return Literal(text)
    if param.type == "langstring":
        body, at, tag = text.rpartition("@")
        if not at or not _LANGTAG.fullmatch(tag):
            raise ParameterError(f"{where}: expected text@language, e.g. 'reform@da', got {text!r}")
        return Literal(body, lang=tag)
    text = text.strip()
    checks = {
        "integer": (r"[+-]?[0-9]+", "a whole number such as 42"),
        "decimal": (r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", "a decimal number such as 12.5"),
        "date": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date YYYY-MM-DD"),
        "year": (r"-?[0-9]{4}", "a year YYYY"),
    }
    pattern, expected = checks[param.type]
    ok = re.fullmatch(pattern, text) is not None
    if ok and param.type == "date":
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            ok = False
    if not ok:
        raise ParameterError(f"{where}: expected {expected}, got {text!r}")
    datatype = {"integer": "integer", "decimal": "decimal", "date": "date", "year": "gYear"}[param.type]
    return Literal(text, datatype=URIRef(XSD + datatype), normalize=False)


def _escape(text: str) -> str:
    """The body of an N-Triples (and SPARQL) string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def nt(term: Node) -> str:
    """An RDF term in N-Triples syntax (also valid SPARQL): ``<iri>``, ``"text"@da``, ``"1"^^<...#integer>``."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return f"<{check_iri(str(term))}>"
    if isinstance(term, Literal):
        body = f'"{_escape(str(term))}"'
        if term.language:
            if not _LANGTAG.fullmatch(term.language):
                raise ValueError(f"bad language tag {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype and str(term.datatype) != XSD + "string":
            return f"{body}^^<{check_iri(str(term.datatype))}>"
        return body
    if isinstance(term, BNode):
        return f"_:{re.sub(r'[^A-Za-z0-9_]', '_', str(term))}"
    raise ValueError(f"not an RDF term: {term!r}")


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


# ------------------------------------------------------------------------------------------------- results


@dataclasses.dataclass
class QueryResult:
    """What a query returned. SELECT: ``variables`` and ``rows`` (tuples of rdflib terms, None where unbound);
    ASK: ``boolean``; CONSTRUCT/DESCRIBE: ``rows`` are triples under the variables subject, predicate, object."""

    form: str
    variables: list[str]
    rows: list[tuple[Node | None, ...]]
    boolean: bool | None = None

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.form == "ASK" else bool(self.rows)

    # -- W3C SPARQL 1.1 Query Results formats

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: lexical forms only, CRLF line ends. ASK: the header ``_askResult``."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if self.form == "ASK":
            writer.writerows([["_askResult"], ["true" if self.boolean else "false"]])
            return out.getvalue()
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if t is None else _csv_value(t) for t in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV: ``?var`` header, terms in N-Triples syntax, LF line ends."""
        if self.form == "ASK":
            return f"?_askResult\n{'true' if self.boolean else 'false'}\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        lines += ["\t".join("" if t is None else nt(t) for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON (application/sparql-results+json)."""
        if self.form == "ASK":
            doc: dict[str, Any] = {"head": {}, "boolean": bool(self.boolean)}
        else:
            bindings = [
                {v: _json_term(t) for v, t in zip(self.variables, row, strict=True) if t is not None}
                for row in self.rows
            ]
            doc = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"

    def to_xml(self) -> str:
        """SPARQL Query Results XML (application/sparql-results+xml)."""
        from xml.sax.saxutils import escape, quoteattr

        out = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        if self.form == "ASK":
            out += ["  <head/>", f"  <boolean>{'true' if self.boolean else 'false'}</boolean>", "</sparql>"]
            return "\n".join(out) + "\n"
        out.append("  <head>")
        out += [f"    <variable name={quoteattr(v)}/>" for v in self.variables]
        out += ["  </head>", "  <results>"]
        for row in self.rows:
            out.append("    <result>")
            for v, t in zip(self.variables, row, strict=True):
                if t is not None:
                    out.append(f"      <binding name={quoteattr(v)}>{_xml_term(t, escape, quoteattr)}</binding>")
            out.append("    </result>")
        out += ["  </results>", "</sparql>"]
        return "\n".join(out) + "\n"

    # -- for people and notebooks

    def to_table(self, max_width: int | None = 60) -> str:
        """An aligned plain-text table; IRIs compacted with govgraph's prefixes, long cells cut at max_width."""
        if self.form == "ASK":
            return "true\n" if self.boolean else "false\n"
        cells = [[_table_cell(t, max_width) for t in row] for row in self.rows]
        widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(self.variables)]
        numeric = [bool(cells) and all(_is_number(r[i]) for r in cells if r[i]) for i in range(len(self.variables))]

        def line(values: Sequence[str]) -> str:
            parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
            return "  ".join(parts).rstrip()

        out = [line(self.variables), "  ".join("-" * w for w in widths)]
        out += [line(r) for r in cells]
        out.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(out) + "\n"

    def to_dataframe(self):
        """A pandas DataFrame: IRIs as text, numbers and booleans as Python values, other literals as text."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from None
        if self.form == "ASK":
            return pd.DataFrame({"_askResult": [bool(self.boolean)]})
        return pd.DataFrame([[_python_value(t) for t in row] for row in self.rows], columns=self.variables)

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE result as an rdflib Graph with govgraph's prefixes."""
        from rdflib import Graph

        from govgraph.namespaces import bind_prefixes

        if self.form not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError(f"a {self.form} result is not a graph; only CONSTRUCT and DESCRIBE return triples")
        g = Graph()
        bind_prefixes(g, DEFAULT_BASE_IRI)
        for triple in self.rows:
            g.add(triple)  # type: ignore[arg-type]
        return g

    def graph_bytes(self, fmt: str = "turtle") -> bytes:
        """A CONSTRUCT or DESCRIBE result serialised deterministically: "turtle" or "nt" (N-Triples)."""
        from govgraph.export import serialize

        if fmt not in ("turtle", "nt"):
            raise QueryError(f"unknown graph format {fmt!r}; choose turtle or nt")
        return serialize(self.graph(), fmt)


def _csv_value(term: Node) -> str:
    from rdflib import BNode

    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _json_term(term: Node) -> dict[str, str]:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and str(term.datatype) != XSD + "string":
        out["datatype"] = str(term.datatype)
    return out


def _xml_term(term: Node, escape, quoteattr) -> str:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype and str(term.datatype) != XSD + "string":
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def compact(iri: str) -> str:
    """``https://w3id.org/govgraph/def#Commitment`` → ``gg:Commitment`` (the longest matching namespace)."""
    best = max((ns for ns in _prefixes().values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in _prefixes().items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def _table_cell(term: Node | None, max_width: int | None) -> str:
    from rdflib import URIRef

    if term is None:
        return ""
    text = compact(str(term)) if isinstance(term, URIRef) else str(term)
    text = " ".join(text.split())  # one line per row, whatever the literal holds
    if max_width and len(text) > max_width:
        text = text[: max_width - 1] + "…"
    return text


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text) is not None


def _python_value(term: Node | None) -> Any:
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype:
        name = str(term.datatype).removeprefix(XSD)
        try:
            if name in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
                return int(str(term))
            if name in ("decimal", "double", "float"):
                return float(str(term))
            if name == "boolean":
                return str(term) in ("true", "1")
        except ValueError:
            pass
    return str(term)


# ----------------------------------------------------------------------------------------------- running


def run_query(
    query: str | QueryInfo,
    params: Mapping[str, Any] | None = None,
    *,
    graph: Any = None,
    endpoint: str | None = None,
    timeout: float | None = 30,
    retries: int = 3,
    username: str | None = None,
    password: str | None = None,
    allow_network: bool = False,
    default_graphs: Sequence[str] = (),
) -> QueryResult:
    """Run a bundled query (by name or QueryInfo) or a SPARQL text, with typed parameters bound as RDF terms.

    Locally (no ``endpoint``): on the built govgraph dataset, or on ``graph`` (an rdflib Graph, a pyoxigraph
    Store or the path of an RDF file). ``SERVICE``/``LOAD``/``FROM`` are refused unless ``allow_network``;
    the query is stopped after ``timeout`` seconds (None: no limit) with a QueryError. Remotely: on the SPARQL
    1.1 endpoint at ``endpoint``, waiting ``timeout`` seconds per attempt and retrying
    connection errors and 5xx answers ``retries`` times with exponential backoff; basic auth from
    ``username``/``password``, the URL, the environment or a netrc file (see govgraph.credentials), answering
    a Digest challenge when the server sends one. ``default_graphs`` names the endpoint's graphs to query
    (sent as ``default-graph-uri``, SPARQL 1.1 Protocol: their merge is the default graph; Virtuoso without
    them answers over all its graphs, its own system graphs included); the endpoint URL may carry
    parameters of its own (``.../sparql?default-graph-uri=G``).
    Raises ParameterError (a ValueError) for bad parameters and QueryError for everything else.
    """
    if isinstance(query, QueryInfo):
        info = query
    elif re.fullmatch(r"[a-z0-9][a-z0-9_-]*", query.strip()):
        info = get_query(query.strip())
    else:
        info = parse_query(query)
    bindings = bind_params(info, params)
    form = info.form
    if endpoint:
        text = inject_values(info.text, bindings)
        return _run_remote(text, form, endpoint, info.method, timeout, retries, username, password, default_graphs)
    if default_graphs:
        raise QueryError("default graphs name graphs of an endpoint: give an endpoint too")
    if not allow_network:
        check_offline(info.text)
    return _run_local(info.text, form, bindings, graph, timeout)


# -- local


def _from_ox(term) -> Node | None:
    from govgraph.shacl.terms import to_rdflib

    if term is None:
        return None
    try:
        return to_rdflib(term)
    except TypeError:
        raise QueryError(f"the result holds an RDF-star triple term, which govgraph does not support: {term}") from None


def store_from_graph(graph: Graph):
    """A pyoxigraph Store holding an rdflib Graph's triples, converted term by term (each term once).

    Measured on the built dataset (16k triples, best of 5): 0.10 s, against 0.11 s for serialising sorted
    N-Triples with govgraph.export.serialize and parsing them back (0.13-0.18 s on a first, cold run); the
    build itself takes about 1 s."""
    import pyoxigraph as ox

    from govgraph.shacl.terms import converter

    term = converter()
    store = ox.Store()
    store.bulk_extend([ox.Quad(term(s), term(p), term(o)) for s, p, o in graph])
    return store


@functools.cache
def bundled_store():
    """The built govgraph dataset in a pyoxigraph Store, built once per process."""
    from govgraph.build import build

    return store_from_graph(build())


def _store(graph: Any):
    import pyoxigraph as ox
    from rdflib import Graph

    if graph is None:
        return bundled_store()
    if isinstance(graph, ox.Store):
        return graph
    if isinstance(graph, Graph):
        return store_from_graph(graph)
    if isinstance(graph, (str, Path)) and (Path(graph) / "package.yaml").is_file():
        from govgraph.build import build

        return store_from_graph(build(data=graph, vocabulary=True))  # a package: with the vocabulary, as a file
    if isinstance(graph, (str, Path)):
        from govgraph.inputs import read_store

        # A user's file holds data only (`govgraph convert` writes no ontology); the labels of policy areas,
        # IRM scales and classes live in the bundled vocabulary, so it is loaded beside it, as validate does.
        return read_store([graph], vocabulary=True)
    raise QueryError(f"graph must be an rdflib Graph, a pyoxigraph Store or a file path, not {type(graph).__name__}")


def _run_local(
    text: str, form: str, bindings: Mapping[str, Node], graph: Any, timeout: float | None = None
) -> QueryResult:
    from govgraph.limits import TimeLimitExceeded, run_with_time_limit

    store = _store(graph)  # loaded here, so the bundled store stays cached in this process
    try:
        # pyoxigraph cannot cancel a running query: it runs in a child process that is stopped at the deadline.
        return run_with_time_limit(lambda: _evaluate(store, text, form, bindings), timeout, "the query")
    except TimeLimitExceeded as exc:
        raise QueryError(f"{exc} (raise --timeout to allow more)") from None


def _evaluate(store: Any, text: str, form: str, bindings: Mapping[str, Node]) -> QueryResult:

    try:
        # Parameters as a VALUES block, as for an endpoint: pyoxigraph plans a query with `substitutions`
        # without using the bound value (commitment-exists: 16 ms instead of 0.1 ms at 1M triples).
        # The union of all graphs is the default graph, so that TriG/N-Quads files answer like Turtle ones.
        answer = store.query(inject_values(text, bindings), use_default_graph_as_union=True)
        if form == "ASK":
            return QueryResult(form, [], [], bool(answer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = [(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in answer]
            triples.sort(key=lambda t: tuple(nt(x) for x in t))  # a graph has no order: make it stable
            return QueryResult(form, ["subject", "predicate", "object"], triples)
        variables = [v.value for v in answer.variables]
        rows = [tuple(_from_ox(solution[v]) for v in variables) for solution in answer]
        return QueryResult(form, variables, rows)
    except SyntaxError as exc:
        raise QueryError(f"the query is not valid SPARQL: {exc}") from None
    except (OSError, RuntimeError, ValueError) as exc:  # pyoxigraph's evaluation errors
        raise QueryError(f"the query failed: {exc}") from None


# -- remote


def _run_remote(
    text: str,
    form: str,
    endpoint: str,
    method: str,
    timeout: float,
    retries: int,
    username: str | None,
    password: str | None,
    default_graphs: Sequence[str] = (),
) -> QueryResult:
    import socket
    import urllib.error
    import urllib.parse
    import urllib.request
    from http.client import HTTPException

    from SPARQLWrapper import BASIC, GET, JSON, POST, TURTLE, SPARQLWrapper

    if not re.match(r"https?://", endpoint):
        raise QueryError(f"the endpoint must be an http:// or https:// URL, not {_safe_url(endpoint)!r}")
    try:  # options, then user:password@ in the URL, then the environment, then the netrc file
        credentials = find_credentials(endpoint, username, password)
    except CredentialsError as exc:
        raise QueryError(str(exc)) from None
    secrets = credentials.secrets if credentials else ()
    where = _safe_url(endpoint)  # credentials travel in the Authorization header, not the URL
    # SPARQLWrapper appends "?query=..." to the URL it is given: parameters already in it (default-graph-uri=G)
    # are taken out and sent as parameters of their own, so the request has one query string.
    parts = urllib.parse.urlsplit(where)
    url_params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    wrapper = SPARQLWrapper(urllib.parse.urlunsplit(parts._replace(query="", fragment="")))
    for name, value in url_params:
        if not wrapper.addParameter(name, value):
            raise QueryError(f"the endpoint URL {where} carries a {name}= parameter; govgraph sends the query itself")
    for graph_iri in default_graphs:
        try:
            wrapper.addDefaultGraph(check_iri(graph_iri))
        except ValueError as exc:
            raise QueryError(f"the default graph: {exc}") from None
    wrapper.setQuery(text)
    # SPARQLWrapper guesses the form with a regex that words in comments can fool ("add" → ADD, an update);
    # our tokenizer already knows it.
    wrapper.queryType = form
    wrapper.setMethod(POST if method == "POST" else GET)
    wrapper.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
    wrapper.setOnlyConneg(True)  # no format=/output= URL parameters: plain content negotiation
    if credentials:
        wrapper.setHTTPAuth(BASIC)
        wrapper.setCredentials(credentials.username, credentials.password)
    # SPARQLWrapper builds the request (encoding, Accept, auth); we send it ourselves to see the HTTP status
    # and the server's message, which its query() turns into exception texts.
    request = wrapper._createRequest()

    attempts = max(0, retries) + 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            body, headers = _fetch(request, timeout, credentials)
            break
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                raise QueryError(redirect_message(where, exc)) from None
            message = _redact(_server_message(exc), secrets)
            if 500 <= exc.code < 600 and not last:
                time.sleep(RETRY_BACKOFF * 2**attempt)
                continue
            hint = ""
            if exc.code in (401, 403):
                hint = f" (check the user name and password, or {ENV_USER} / {ENV_PASSWORD})"
            tries = f" after {attempts} attempts" if exc.code >= 500 else ""
            raise QueryError(
                f"the endpoint {where} answered HTTP {exc.code} {exc.reason}{tries}{hint}: {message}"
            ) from None
        except TimeoutError:
            raise QueryError(f"the endpoint {where} did not answer within {timeout:g} s") from None
        except (urllib.error.URLError, ConnectionError, HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise QueryError(f"the endpoint {where} did not answer within {timeout:g} s") from None
            if last:
                reason_text = _redact(str(getattr(reason, "strerror", None) or reason), secrets)
                raise QueryError(
                    f"cannot reach the endpoint {where} after {attempts} attempts: {reason_text}"
                ) from None
            time.sleep(RETRY_BACKOFF * 2**attempt)
    result = _parse_answer(body, headers.get("Content-Type", ""), form, where)
    _refuse_a_cut_answer(result, headers.get("X-SPARQL-MaxRows"), where)
    return result


def _refuse_a_cut_answer(result: QueryResult, max_rows: str | None, where: str) -> None:
    """Virtuoso stops an answer at its ResultSetMaxRows without an error, and says so only in this header:
    an answer that may be missing rows is refused rather than passed on as if complete."""
    if max_rows is None or not max_rows.strip().isdigit():
        return
    cap = int(max_rows)
    if len(result.rows) >= cap:
        raise QueryError(
            f"the endpoint {where} cut the answer at {cap} rows (X-SPARQL-MaxRows; Virtuoso's [SPARQL] "
            f"ResultSetMaxRows), so rows may be missing: raise that limit, or page with LIMIT below {cap} and OFFSET"
        )


def open_without_redirects(request: Any, timeout: float) -> Any:
    """urlopen, except that a redirect is an HTTPError (3xx) instead of being followed: the user's
    credentials must not travel on to another address, and the user should give the real URL."""
    import urllib.request

    class Refuse(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None

    return urllib.request.build_opener(Refuse).open(request, timeout=timeout)


def redirect_message(where: str, exc: Any) -> str:
    target = exc.headers.get("Location") if exc.headers else None
    to = f" to {_safe_url(target)}" if target else ""
    return (
        f"the endpoint {where} redirects{to} (HTTP {exc.code} {exc.reason}); give the URL it redirects to "
        "(govgraph does not follow redirects, so that credentials never go to another address)"
    )


def what_came_back(body: bytes, content_type: str) -> str:
    """A short description of an unexpected answer: its type and its first characters."""
    mime = content_type.split(";")[0].strip().lower() or "no Content-Type"
    text = " ".join(body[:2000].decode("utf-8", errors="replace").split())
    if not text:
        return f"{mime}, empty"
    return f"{mime}: {text[:160]!r}{'…' if len(text) > 160 else ''}"


def _fetch(request, timeout: float | None, credentials) -> tuple[bytes, Any]:
    """The body and headers of the answer to ``request``, redirects refused, a Digest challenge answered
    (Virtuoso's /sparql-auth takes nothing else)."""
    from govgraph.httpauth import AuthError, open_answering_digest

    try:
        with open_answering_digest(request, credentials, lambda r: open_without_redirects(r, timeout)) as response:
            return response.read(), response.headers
    except AuthError as exc:
        raise QueryError(f"cannot authenticate at {_safe_url(request.full_url)}: {exc}") from None


def _server_message(exc) -> str:
    try:
        text = exc.read().decode("utf-8", errors="replace")
    except Exception:  # the body is only a courtesy; the status says enough
        text = ""
    text = " ".join(text.split())
    return (text[:1000] + "…") if len(text) > 1000 else (text or "(no message)")


def _is_sparql_results(doc: Any, form: str) -> bool:
    """Whether a decoded JSON document has the shape of SPARQL 1.1 Query Results JSON for ``form``."""
    if not isinstance(doc, dict) or not isinstance(doc.get("head"), dict):
        return False
    if form == "ASK":
        return isinstance(doc.get("boolean"), bool)
    results = doc.get("results")
    return (
        isinstance(doc["head"].get("vars", []), list)
        and isinstance(results, dict)
        and isinstance(results.get("bindings"), list)
        and all(isinstance(b, dict) and all(isinstance(t, dict) for t in b.values()) for b in results["bindings"])
    )


def _parse_answer(body: bytes, content_type: str, form: str, where: str) -> QueryResult:
    from rdflib import BNode, Graph, Literal, URIRef

    mime = content_type.split(";")[0].strip().lower()
    if form in ("SELECT", "ASK"):
        not_results = (
            f"the endpoint {where} did not answer with SPARQL JSON results but with "
            f"{what_came_back(body, content_type)}; is it the SPARQL query URL (Oxigraph: http://host:port/query, "
            "not /store)?"
        )
        try:
            doc = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise QueryError(not_results) from None
        if not _is_sparql_results(doc, form):
            raise QueryError(not_results)
        if form == "ASK":
            return QueryResult(form, [], [], doc["boolean"])
        variables = list(doc["head"].get("vars", []))

        def term(b: dict[str, str] | None) -> Node | None:
            if b is None:
                return None
            kind, value = b.get("type"), b.get("value", "")
            if kind == "uri":
                return URIRef(value)
            if kind == "bnode":
                return BNode(value)
            if kind in ("literal", "typed-literal"):
                if b.get("xml:lang"):
                    return Literal(value, lang=b["xml:lang"])
                datatype = b.get("datatype")
                if datatype and datatype not in (XSD + "string", RDF_LANGSTRING):
                    return Literal(value, datatype=URIRef(datatype), normalize=False)
                return Literal(value)
            raise QueryError(f"the endpoint {where} returned a term of unsupported type {kind!r}")

        rows = [tuple(term(b.get(v)) for v in variables) for b in doc.get("results", {}).get("bindings", [])]
        return QueryResult(form, variables, rows)
    formats = {  # what SPARQLWrapper's Accept asks for, and what servers answer it with
        "text/turtle": "turtle",
        "application/turtle": "turtle",  # Virtuoso 7
        "text/rdf+n3": "n3",
        "application/n-triples": "nt",
        "text/plain": "nt",
        "application/rdf+xml": "xml",
        "text/n3": "n3",
        "application/x-turtle": "turtle",
    }
    if mime not in formats:
        raise QueryError(
            f"the endpoint {where} answered a graph query with {what_came_back(body, content_type)}; expected Turtle"
        )
    g = Graph()
    try:
        check_rdf_bytes(where, body, formats[mime])  # an endpoint's RDF/XML with a DTD is refused, not expanded
        g.parse(data=body, format=formats[mime])
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise QueryError(f"cannot parse the graph the endpoint {where} returned: {exc}") from None
    triples = sorted(g, key=lambda t: tuple(nt(x) for x in t))
    return QueryResult(form, ["subject", "predicate", "object"], triples)


__all__ = [
    "Param",
    "ParameterError",
    "QueryError",
    "QueryInfo",
    "QueryResult",
    "UnknownQueryError",
    "bind_params",
    "check_offline",
    "get_query",
    "inject_values",
    "list_queries",
    "load_query",
    "nt",
    "parse_query",
    "query_form",
    "run_query",
    "to_term",
]
