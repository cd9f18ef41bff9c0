"""Typed parameters: a declared parameter, its value checked and turned into an RDF term, and the terms bound
into the query text as a ``VALUES`` block (written as N-Triples, so a value cannot change the query)."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from govgraph import DEFAULT_BASE_IRI
from govgraph.query.errors import ParameterError
from govgraph.query.text import where_brace

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"


PARAM_TYPES = ("iri", "string", "langstring", "integer", "decimal", "date", "year")


@dataclasses.dataclass(frozen=True)
class Param:
    """One declared parameter: the query variable ``?_<name>``, its type and its default (None: optional)."""

    name: str
    type: str
    default: str | None = None
    description: str = ""


_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


_LANGTAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def prefixes() -> dict[str, str]:
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
    if sep and not local.startswith("//") and prefix in prefixes():
        return prefixes()[prefix] + local
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


def inject_values(query: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``VALUES (?_a ?_b) { (term term) }`` as the first element of its outermost WHERE group,
    so that the bound variables are in scope for the whole group as with substitution. Terms are written as
    N-Triples, so a value cannot close the block or change the query."""
    if not bindings:
        return query
    at = where_brace(query)
    names = " ".join(f"?_{name}" for name in bindings)
    terms = " ".join(nt(term) for term in bindings.values())
    return f"{query[:at]}\n  VALUES ({names}) {{ ({terms}) }}\n{query[at:]}"
