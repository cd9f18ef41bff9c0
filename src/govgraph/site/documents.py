"""The Turtle and JSON-LD documents of one resource, written straight from its triples.

A site has one small document per resource in each format. rdflib's serializers work out prefixes, sort and
re-check every term for each of them, which was two thirds of the site's time; here every term is formatted
once (cached) and a document is a join of strings. Both formats are deterministic: subjects, predicates and
objects in a fixed order, so the same triples give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

# A local name written after a prefix only when it is plainly valid Turtle (no escapes needed); any other IRI
# is written in full.
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_BNODE = re.compile(r"^[A-Za-z0-9_]+$")
# Characters an IRIREF may not hold as they are; written as \uXXXX (UCHAR).
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STRING_UNSAFE = re.compile(r'[\\"\x00-\x1f\x7f]')
XSD_STRING = URIRef(str(XSD.string))


def _escape_char(match: re.Match) -> str:
    char = match.group(0)
    return _STRING_ESCAPES.get(char) or f"\\u{ord(char):04X}"


class TermWriter:
    """Formats RDF terms as Turtle and as expanded JSON-LD values, remembering each one."""

    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so ggid: wins over a shorter namespace that is its prefix.
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self._turtle: dict = {}

    def turtle(self, term) -> tuple[str, str | None]:
        """The term in Turtle and the prefix it uses (None when written in full)."""
        cached = self._turtle.get(term)
        if cached is None:
            cached = self._turtle[term] = self._format(term)
        return cached

    def _format(self, term) -> tuple[str, str | None]:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, BNode):
            label = str(term)
            if not _BNODE.match(label):  # a label Turtle cannot hold: a stable name made from it
                label = "b" + hashlib.sha256(label.encode()).hexdigest()[:16]
            return "_:" + label, None
        text = '"' + _STRING_UNSAFE.sub(_escape_char, str(term)) + '"'
        if term.language:
            return text + "@" + term.language, None
        if term.datatype is not None and term.datatype != XSD_STRING:
            datatype, prefix = self.iri(str(term.datatype))
            return text + "^^" + datatype, prefix
        return text, None

    def iri(self, text: str) -> tuple[str, str | None]:
        for prefix, ns in self.prefixes:
            if text.startswith(ns) and _LOCAL.match(text[len(ns) :]):
                return f"{prefix}:{text[len(ns) :]}", prefix
        return "<" + _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text) + ">", None


def _order(term) -> tuple:
    """A total order of terms: IRIs, then blank nodes, then literals (text, language, datatype)."""
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    return (2, str(term), term.language or "", str(term.datatype or ""))


def group(triples: Iterable[tuple]) -> dict:
    """{subject: {predicate: [objects]}} with every level in a fixed order and no duplicates."""
    nodes: dict = {}
    for s, p, o in triples:
        nodes.setdefault(s, {}).setdefault(p, set()).add(o)
    ordered = {}
    for s in sorted(nodes, key=_order):
        predicates = nodes[s]
        keys = sorted(predicates, key=lambda p: (p != RDF.type, str(p)))
        ordered[s] = {p: sorted(predicates[p], key=_order) for p in keys}
    return ordered


def turtle_document(nodes: dict, writer: TermWriter, first=None) -> bytes:
    """Turtle of grouped triples (see group): the prefixes it uses, then one block per subject, ``first``
    (the resource the document is about) at the top."""
    used: set[str] = set()
    blocks = []
    subjects = list(nodes)
    if first in nodes:
        subjects.remove(first)
        subjects.insert(0, first)

    def term(x) -> str:
        text, prefix = writer.turtle(x)
        if prefix is not None:
            used.add(prefix)
        return text

    for s in subjects:
        lines = []
        for p, objects in nodes[s].items():
            verb = "a" if p == RDF.type else term(p)
            lines.append(f"    {verb} " + ",\n        ".join(term(o) for o in objects))
        blocks.append(term(s) + "\n" + " ;\n".join(lines) + " .\n")
    namespaces = dict(writer.prefixes)
    head = "".join(f"@prefix {prefix}: <{namespaces[prefix]}> .\n" for prefix in sorted(used))
    return (head + "\n" + "\n".join(blocks)).encode("utf-8")


def _jsonld_value(o) -> dict:
    if isinstance(o, URIRef):
        return {"@id": str(o)}
    if isinstance(o, BNode):
        return {"@id": f"_:{o}"}
    if o.language:
        return {"@language": o.language, "@value": str(o)}
    if o.datatype is not None:
        return {"@type": str(o.datatype), "@value": str(o)}
    return {"@value": str(o)}


def jsonld_document(nodes: dict) -> bytes:
    """Flattened, expanded JSON-LD of grouped triples (see group): one node object per line, sorted by @id,
    literals as strings with their language or datatype (as the JSON-LD spec's fromRdf writes them)."""
    out = []
    for s in sorted(nodes, key=lambda s: f"_:{s}" if isinstance(s, BNode) else str(s)):
        node: dict = {"@id": f"_:{s}" if isinstance(s, BNode) else str(s)}
        for p, objects in nodes[s].items():
            if p == RDF.type and all(not isinstance(o, Literal) for o in objects):
                node["@type"] = [_jsonld_value(o)["@id"] for o in objects]
            else:
                node[str(p)] = [_jsonld_value(o) for o in objects]
        out.append(json.dumps(node, ensure_ascii=False, sort_keys=True))
    return ("[\n" + ",\n".join(out) + "\n]\n").encode("utf-8")


def ntriples_document(nodes: dict, writer: TermWriter) -> bytes:
    """N-Triples of grouped triples (see group), one triple a line; ``writer`` must have no prefixes."""
    lines = []
    for s, predicates in nodes.items():
        subject = writer.turtle(s)[0]
        for p, objects in predicates.items():
            verb = writer.turtle(p)[0]
            lines.extend(f"{subject} {verb} {writer.turtle(o)[0]} .\n" for o in objects)
    return "".join(lines).encode("utf-8")
