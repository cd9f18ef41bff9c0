"""What a query returned, and its renderings: the W3C SPARQL 1.1 results formats (CSV, TSV, JSON, XML), an
aligned table, Python values and pandas, and a graph for CONSTRUCT/DESCRIBE."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from govgraph import DEFAULT_BASE_IRI
from govgraph.query.errors import QueryError
from govgraph.query.parameters import XSD, nt, prefixes

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.term import Node


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
    best = max((ns for ns in prefixes().values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in prefixes().items() if ns == best)
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
