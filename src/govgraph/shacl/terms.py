"""RDF terms on both sides of the engine: the data lives in pyoxigraph (fast), the shapes graph and the report
are rdflib graphs (what the rest of govgraph reads). These helpers convert between the two."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

RDF_TYPE = ox.NamedNode(RDF + "type")
RDFS_SUBCLASS_OF = ox.NamedNode(RDFS + "subClassOf")
XSD_STRING = ox.NamedNode(XSD + "string")
RDF_LANG_STRING = ox.NamedNode(RDF + "langString")

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

# pyoxigraph accepts the blank node ids rdflib makes; anything else is mapped to a stable, valid id.
_VALID_BNODE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-.]*$")


def bnode_id(label: str) -> str:
    """The pyoxigraph id for an rdflib blank node label (the same label whenever it is valid)."""
    if _VALID_BNODE_ID.match(label) and not label.endswith("."):
        return label
    return "b" + hashlib.sha1(label.encode("utf-8")).hexdigest()


def to_ox(term: Node) -> OxTerm:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(bnode_id(str(term)))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def to_rdflib(term: OxTerm) -> Node:
    """A pyoxigraph term as an rdflib term, keeping the lexical form exactly (no normalisation)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise TypeError(f"an RDF-star triple term has no rdflib equivalent: {term}")
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD + "string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype), normalize=False)


def converter() -> Callable[[Node], OxTerm]:
    """A to_ox that remembers what it converted: data repeats terms a lot, and equal terms become one object."""
    cache: dict[Node, OxTerm] = {}
    get = cache.get

    def convert(term: Node) -> OxTerm:
        found = get(term)
        if found is None:
            found = cache[term] = to_ox(term)
        return found

    return convert
