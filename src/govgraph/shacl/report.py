"""The W3C SHACL validation report (an rdflib graph) for the engine's results, shaped as pySHACL shapes it:
blank nodes of the shapes graph (shapes, paths, SPARQL constraints) and of the data (focus and value nodes) are
copied into the report with their triples, so that a report can be read on its own."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from govgraph.shacl.model import Result, sh
from govgraph.shacl.paths import DataIndex
from govgraph.shacl.terms import to_rdflib

_MAX_DEPTH = 10  # as pySHACL: blank node structures are copied at most this deep

_GENERIC = {
    "Class": "Value does not have class {p}",
    "Datatype": "Value is not Literal with datatype {p}",
    "NodeKind": "Value is not of Node Kind {p}",
    "MinCount": "Less than {p} values on {focus}->{path}",
    "MaxCount": "More than {p} values on {focus}->{path}",
    "MinExclusive": "Value is not > {p}",
    "MinInclusive": "Value is not >= {p}",
    "MaxExclusive": "Value is not < {p}",
    "MaxInclusive": "Value is not <= {p}",
    "MinLength": "String length not >= {p}",
    "MaxLength": "String length not <= {p}",
    "Pattern": "Value does not match pattern '{p}'",
    "LanguageIn": "String language is not in {p}",
    "UniqueLang": "More than one String shares the same Language",
    "Equals": "Value of {focus}->{p} != {value}",
    "Disjoint": "Value of {focus}->{p} == {value}",
    "LessThan": "Value of {focus}->{p} <= {value}",
    "LessThanOrEquals": "Value of {focus}->{p} < {value}",
    "Not": "{value} conforms to shape {p}",
    "And": "{value} does not conform to all shapes in the sh:and list",
    "Or": "{value} does not conform to one or more shapes in the sh:or list",
    "Xone": "{value} does not conform to exactly one shape in the sh:xone list",
    "Node": "Value does not conform to Shape {p}",
    "QualifiedMinCount": "Focus node does not conform to shape {p} at least the minimum number of times",
    "QualifiedMaxCount": "Focus node conforms to shape {p} more than the maximum number of times",
    "Closed": "Node {focus} is closed. It cannot have value: {value}",
    "HasValue": "Node {focus}->{path} does not contain a value in the set: {p}",
    "In": "Value {value} not in list {p}",
    "SPARQL": "Results of the SPARQL constraint on {focus}",
}


class _Cloner:
    """Copies nodes into the report graph; a blank node brings its triples along (once)."""

    def __init__(self, report: Graph, shapes: Graph, data: DataIndex | None) -> None:
        self.report = report
        self.shapes = shapes
        self.data = data
        self.done: set[tuple[str, str]] = set()

    def from_shapes(self, node: Node, depth: int = 0) -> Node:
        if isinstance(node, BNode) and ("shapes", str(node)) not in self.done and depth < _MAX_DEPTH:
            self.done.add(("shapes", str(node)))
            for p, o in self.shapes.predicate_objects(node):
                self.report.add((node, p, self.from_shapes(o, depth + 1)))
        return node

    def path(self, node: Node) -> Node:
        """A result path, copied in full however deeply its lists nest (a cut path would be another path);
        a path of the shapes graph is finite and acyclic (the shapes reader refuses a cycle)."""
        if isinstance(node, BNode) and ("path", str(node)) not in self.done:
            self.done.add(("path", str(node)))
            for p, o in self.shapes.predicate_objects(node):
                self.report.add((node, p, self.path(o)))
        return node

    def from_data(self, term: ox.NamedNode | ox.BlankNode | ox.Literal, depth: int = 0) -> Node:
        node = to_rdflib(term)
        if isinstance(term, ox.BlankNode) and ("data", term.value) not in self.done and depth < _MAX_DEPTH:
            self.done.add(("data", term.value))
            if self.data is not None:
                for p, o in self.data.triples_of(term):
                    self.report.add((node, to_rdflib(p), self.from_data(o, depth + 1)))
        return node


def _text(node: object) -> str:
    if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal):
        return node.value
    if isinstance(node, list | set | tuple):
        return "(" + " ".join(sorted(_text(n) for n in node)) + ")"
    return str(getattr(node, "node", node))


def _generic_message(r: Result) -> Literal:
    kind = str(r.component)[len(str(sh(""))) :].removesuffix("ConstraintComponent")
    template = _GENERIC.get(kind, "Validation result of {component}")
    parameter = r.constraint.value if r.constraint is not None else ""
    if kind in ("QualifiedMinCount", "QualifiedMaxCount", "Not", "Node"):
        parameter = getattr(parameter, "node", parameter)
    return Literal(
        template.format(
            p=_text(parameter),
            focus=_text(r.focus),
            path=_text(r.result_path) if r.result_path is not None else "",
            value=_text(r.value) if r.value is not None else "",
            component=str(r.component),
        )
    )


def sort_key(r: Result) -> tuple[str, ...]:
    path = r.result_path
    return (
        _text(r.focus),
        str(r.component),
        str(r.shape.node),
        str(path) if path is not None else "",
        "" if r.value is None else str(r.value),
        str(r.source_constraint or ""),
    )


def build_report(
    results: Iterable[Result],
    shapes: Graph,
    data: DataIndex | None = None,
    *,
    non_violations_conform: bool = False,
) -> tuple[bool, Graph]:
    """(conforms, report graph). Data conforms when there is no result at all, or, with
    ``non_violations_conform``, when no result is a sh:Violation (pySHACL's allow_warnings/allow_infos)."""
    results = sorted(results, key=sort_key)
    violation = sh("Violation")
    conforms = not any(r.shape.severity == violation for r in results) if non_violations_conform else not results
    g = Graph(bind_namespaces="core")
    for prefix, namespace in shapes.namespace_manager.namespaces():
        g.bind(prefix, namespace)
    g.bind("sh", str(sh("")))
    clone = _Cloner(g, shapes, data)
    report = BNode("govgraph-validation-report")
    g.add((report, RDF.type, sh("ValidationReport")))
    g.add((report, sh("conforms"), Literal(conforms, datatype=XSD.boolean)))
    for i, r in enumerate(results, 1):
        node = BNode(f"govgraph-result-{i}")
        g.add((report, sh("result"), node))
        g.add((node, RDF.type, sh("ValidationResult")))
        g.add((node, sh("focusNode"), clone.from_data(r.focus)))
        path = r.result_path
        if path is not None:
            g.add((node, sh("resultPath"), clone.path(path)))
        if r.value is not None:
            g.add((node, sh("value"), clone.from_data(r.value)))
        g.add((node, sh("sourceConstraintComponent"), clone.from_shapes(r.component)))
        g.add((node, sh("sourceShape"), clone.from_shapes(r.shape.node)))
        g.add((node, sh("resultSeverity"), r.shape.severity))
        if r.source_constraint is not None:
            g.add((node, sh("sourceConstraint"), clone.from_shapes(r.source_constraint)))
        messages = r.messages if r.messages is not None else r.shape.messages or (_generic_message(r),)
        for m in messages:
            g.add((node, sh("resultMessage"), m))
    return conforms, g
