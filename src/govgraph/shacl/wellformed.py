"""The syntax rules of SHACL shapes (https://www.w3.org/TR/shacl/#syntax-rules, as the W3C's "SHACL for
SHACL" graph writes them): a shapes graph that breaks one is ill-formed, and the engine refuses it with a
ShapesError naming the shape and the rule, instead of validating with a shape that means nothing (two
sh:nodeKind values, sh:lessThan on a node shape, sh:node pointing to a property shape)."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from govgraph.shacl.model import ShapesError, sh
from govgraph.shacl.terms import SH

# Parameters a shape has at most one value of (syntax rules *-maxCount and multiple-parameters).
SINGLE_VALUED = (
    "path",
    "severity",
    "deactivated",
    "closed",
    "ignoredProperties",
    "datatype",
    "in",
    "languageIn",
    "minCount",
    "maxCount",
    "minExclusive",
    "minInclusive",
    "maxExclusive",
    "maxInclusive",
    "minLength",
    "maxLength",
    "nodeKind",
    "pattern",
    "flags",
    "qualifiedValueShape",
    "qualifiedMinCount",
    "qualifiedMaxCount",
    "qualifiedValueShapesDisjoint",
    "uniqueLang",
)
# Parameters whose values are IRIs (syntax rules *-nodeKind).
IRI_VALUED = (
    "targetClass",
    "targetSubjectsOf",
    "targetObjectsOf",
    "severity",
    "class",
    "datatype",
    "equals",
    "disjoint",
    "lessThan",
    "lessThanOrEquals",
)
LITERAL_VALUED = ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive")
INTEGER_VALUED = ("minCount", "maxCount", "minLength", "maxLength", "qualifiedMinCount", "qualifiedMaxCount")
BOOLEAN_VALUED = ("closed", "uniqueLang", "qualifiedValueShapesDisjoint", "deactivated")
STRING_VALUED = ("pattern", "flags")
# Parameters only a property shape may have (syntax rules *-scope): a node shape has no values to count.
PROPERTY_SHAPE_ONLY = ("minCount", "maxCount", "lessThan", "lessThanOrEquals", "uniqueLang", "qualifiedValueShape")
NODE_KINDS = ("IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral")


def describe(graph: Graph, node: Node) -> str:
    """A shape as a reader finds it in the shapes graph: its prefixed name, or for a blank node where it is
    used ("the sh:property [] of ex:PersonShape")."""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # rdflib raises several kinds for an IRI it cannot shorten
            return f"<{node}>"
    for subject, predicate in graph.subject_predicates(node):
        if not isinstance(subject, BNode) or (subject, RDF.first, None) not in graph:
            return f"the {graph.namespace_manager.normalizeUri(predicate)} [] of {describe(graph, subject)}"
        # a list member: the shape that holds the list
        for holder, p in _list_holders(graph, subject):
            return f"a member of the {graph.namespace_manager.normalizeUri(p)} list of {describe(graph, holder)}"
    return f"the blank node shape _:{node}"


def _list_holders(graph: Graph, cell: Node):
    seen = set()
    while cell not in seen:
        seen.add(cell)
        previous = next(graph.subjects(RDF.rest, cell), None)
        if previous is None:
            yield from ((s, p) for s, p in graph.subject_predicates(cell))
            return
        cell = previous


def check_shape(
    graph: Graph,
    node: Node,
    values: Callable[[str], list[Node]],
    list_items: Callable[[Node], list[Node]],
) -> None:
    """Raise ShapesError if the shape ``node`` breaks a SHACL syntax rule. ``values(name)`` are its values of
    sh:<name>; ``list_items`` reads an RDF list (and refuses one that is not)."""

    def fail(problem: str) -> None:
        raise ShapesError(f"ill-formed shape {describe(graph, node)}: {problem}")

    for parameter in SINGLE_VALUED:
        found = values(parameter)
        if len(found) > 1:
            listed = ", ".join(sorted(map(_text, found)))
            fail(f"sh:{parameter} has {len(found)} values ({listed}), at most one is allowed")
    for parameter in IRI_VALUED:
        for v in values(parameter):
            if not isinstance(v, URIRef):
                fail(f"the value of sh:{parameter} must be an IRI, not {_text(v)}")
    for v in values("targetNode"):
        if isinstance(v, BNode):
            fail("the value of sh:targetNode must be an IRI or a literal, not a blank node")
    for parameter in LITERAL_VALUED:
        for v in values(parameter):
            if not isinstance(v, Literal):
                fail(f"the value of sh:{parameter} must be a literal, not {_text(v)}")
    for parameter in INTEGER_VALUED:
        for v in values(parameter):
            if not (isinstance(v, Literal) and v.datatype == XSD.integer and _is_integer(v)):
                fail(f"the value of sh:{parameter} must be an xsd:integer, not {_text(v)}")
    for parameter in BOOLEAN_VALUED:
        for v in values(parameter):
            if not (isinstance(v, Literal) and v.datatype == XSD.boolean and str(v) in ("true", "false", "1", "0")):
                fail(f"the value of sh:{parameter} must be an xsd:boolean, not {_text(v)}")
    for parameter in STRING_VALUED:
        for v in values(parameter):
            if not (isinstance(v, Literal) and v.datatype in (None, XSD.string) and not v.language):
                fail(f"the value of sh:{parameter} must be an xsd:string, not {_text(v)}")
    for v in values("message"):
        if not (isinstance(v, Literal) and (v.language or v.datatype in (None, XSD.string))):
            fail(f"the value of sh:message must be a string or a language-tagged string, not {_text(v)}")
    for v in values("nodeKind"):
        if v not in {sh(k) for k in NODE_KINDS}:
            fail(f"sh:nodeKind must be one of sh:{', sh:'.join(NODE_KINDS)}, not {_text(v)}")
    for parameter in ("and", "or", "xone", "in", "languageIn", "ignoredProperties"):
        for v in values(parameter):
            try:
                members = list_items(v)
            except ShapesError:
                fail(f"the value of sh:{parameter} must be a well-formed RDF list, not {_text(v)}")
            if parameter == "languageIn" and not all(_is_plain_string(m) for m in members):
                fail("the members of sh:languageIn must be strings (language ranges)")
            if parameter == "ignoredProperties" and not all(isinstance(m, URIRef) for m in members):
                fail("the members of sh:ignoredProperties must be IRIs")

    is_property_shape = bool(values("path"))
    types = set(graph.objects(node, RDF.type))
    if sh("NodeShape") in types and is_property_shape:
        fail("a sh:NodeShape must not have a sh:path")
    if sh("PropertyShape") in types and not is_property_shape:
        fail("a sh:PropertyShape needs a sh:path")
    if not is_property_shape:
        for parameter in PROPERTY_SHAPE_ONLY:
            if values(parameter):
                fail(f"sh:{parameter} is only allowed on a property shape (one with sh:path), and this is a node shape")
    if values("qualifiedValueShape") and not (values("qualifiedMinCount") or values("qualifiedMaxCount")):
        fail("sh:qualifiedValueShape needs sh:qualifiedMinCount or sh:qualifiedMaxCount")
    for v in values("node"):
        if (v, sh("path"), None) in graph:
            fail(f"the value of sh:node must be a node shape, but {describe(graph, v)} has a sh:path")
    for v in values("property"):
        if len(set(graph.objects(v, sh("path")))) != 1:
            fail(f"the value of sh:property must be a property shape with one sh:path: {describe(graph, v)}")


def _is_integer(v: Literal) -> bool:
    text = str(v).strip()
    return text.lstrip("+-").isdigit()


def _is_plain_string(v: Node) -> bool:
    return isinstance(v, Literal) and v.datatype in (None, XSD.string) and not v.language


_WELL_KNOWN = {"sh": SH, "xsd": str(XSD), "rdf": str(RDF), "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


def _text(v: Node) -> str:
    """A parameter value as Turtle, SHACL's own IRIs shortened (sh:IRI, xsd:integer)."""
    if isinstance(v, URIRef):
        for prefix, namespace in _WELL_KNOWN.items():
            if v.startswith(namespace) and v[len(namespace) :].isidentifier():
                return f"{prefix}:{v[len(namespace) :]}"
    return v.n3() if isinstance(v, URIRef | Literal) else f"_:{v}"
