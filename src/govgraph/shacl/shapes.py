"""Reading a SHACL shapes graph (rdflib) into plain dataclasses the engine evaluates.

Constants that are compared with data (sh:in members, sh:hasValue, sh:class, path predicates, target nodes) are
converted to pyoxigraph terms once, here; the rdflib nodes of shapes and paths are kept for the report."""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from govgraph.shacl.model import (
    AlternativePath,
    Constraint,
    InversePath,
    OneOrMorePath,
    Path,
    PredicatePath,
    SequencePath,
    Shape,
    ShapesError,
    SparqlConstraint,
    ZeroOrMorePath,
    ZeroOrOnePath,
    sh,
)
from govgraph.shacl.sparql import read_components, read_prefixes
from govgraph.shacl.terms import SH, XSD, OxTerm, to_ox
from govgraph.shacl.wellformed import check_shape

__all__ = ["ShapesError", "ShapesGraph"]


# Parameters whose value is a shape, and whose list members are shapes.
SHAPE_PARAMETERS = ("node", "property", "not", "qualifiedValueShape")
SHAPE_LIST_PARAMETERS = ("and", "or", "xone")
# Simple parameters: one constraint per value, the value converted to a pyoxigraph term or kept as is.
TERM_PARAMETERS = ("class", "hasValue", "equals", "disjoint", "lessThan", "lessThanOrEquals")
LITERAL_PARAMETERS = ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive")
INTEGER_PARAMETERS = ("minCount", "maxCount", "minLength", "maxLength")
TARGETS = ("targetNode", "targetClass", "targetSubjectsOf", "targetObjectsOf")
CONSTRAINT_PARAMETERS = (
    *SHAPE_PARAMETERS,
    *SHAPE_LIST_PARAMETERS,
    *TERM_PARAMETERS,
    *LITERAL_PARAMETERS,
    *INTEGER_PARAMETERS,
    "datatype",
    "nodeKind",
    "pattern",
    "languageIn",
    "uniqueLang",
    "closed",
    "in",
    "sparql",
    "qualifiedMinCount",
    "qualifiedMaxCount",
)


class ShapesGraph:
    """The shapes of a shapes graph, read on demand and cached by node."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes: dict[Node, Shape] = {}
        self._classes: set[Node] | None = None
        self._shape_classes: set[Node] = set()
        self._properties: dict[Node, dict[str, list[Node]]] = {}
        self.components = read_components(graph)

    # -------------------------------------------------------------- which nodes are shapes

    def shape_nodes(self) -> list[Node]:
        """Every node the shapes graph makes a shape, in a stable order."""
        g = self.graph
        nodes: dict[Node, None] = {}
        for kind in ("NodeShape", "PropertyShape"):
            for s in g.subjects(RDF.type, sh(kind)):
                nodes[s] = None
        for name in (*TARGETS, "path", *CONSTRAINT_PARAMETERS):
            for s in g.subjects(sh(name), None):
                nodes[s] = None
        for name in SHAPE_PARAMETERS:
            for o in g.objects(None, sh(name)):
                nodes[o] = None
        for name in SHAPE_LIST_PARAMETERS:
            for lst in g.objects(None, sh(name)):
                for member in self.list_items(lst):
                    nodes[member] = None
        for param_paths in (c.parameter_paths for c in self.components):
            for path in param_paths:
                for s in g.subjects(path, None):
                    nodes[s] = None
        return [n for n in nodes if not isinstance(n, Literal)]

    def top_level_shapes(self) -> list[Shape]:
        """The shapes that have targets (explicit or implicit class targets): validation starts from these.

        Every shape is read (and so checked against SHACL's syntax rules), used or not: an ill-formed shapes
        graph is refused as a whole, as SHACL allows, rather than depending on which shapes the data reaches."""
        shapes = [self.shape(n) for n in self.shape_nodes()]
        return [s for s in shapes if s.has_targets and not s.deactivated]

    # -------------------------------------------------------------- reading one shape

    def shape(self, node: Node) -> Shape:
        found = self._shapes.get(node)
        if found is None:
            found = self._shapes[node] = Shape(node, to_ox(node))
            self._read(found)
        return found

    def list_items(self, node: Node) -> list[Node]:
        if node == RDF.nil:
            return []
        if (node, RDF.first, None) not in self.graph:
            raise ShapesError(f"{node} is not an RDF list")
        return list(Collection(self.graph, node))

    def _values(self, node: Node, name: str) -> list[Node]:
        """The values of sh:<name> on ``node``, in a stable order (one graph lookup per node, not per name)."""
        found = self._properties.get(node)
        if found is None:
            found = self._properties[node] = {}
            for p, o in self.graph.predicate_objects(node):
                if isinstance(p, URIRef) and p.startswith(SH):
                    found.setdefault(p[len(SH) :], []).append(o)
            for values in found.values():
                values.sort(key=_sort_key)
        return found.get(name, [])

    def _read(self, shape: Shape) -> None:
        node = shape.node
        check_shape(self.graph, node, lambda name: self._values(node, name), self.list_items)
        paths = self._values(node, "path")
        if paths:
            shape.path_node = paths[0]
            shape.path = self.path(paths[0])
        shape.target_nodes = [to_ox(n) for n in self._values(node, "targetNode")]
        shape.target_classes = [to_ox(n) for n in self._values(node, "targetClass")]
        shape.target_subjects_of = [to_ox(n) for n in self._values(node, "targetSubjectsOf")]
        shape.target_objects_of = [to_ox(n) for n in self._values(node, "targetObjectsOf")]
        if self._is_class(node):
            shape.target_classes.append(shape.ox_node)  # implicit class target
        severities = self._values(node, "severity")
        if severities:
            shape.severity = severities[0]
        shape.messages = tuple(m for m in self._values(node, "message") if isinstance(m, Literal))
        shape.deactivated = any(_is_true(v) for v in self._values(node, "deactivated"))
        shape.constraints = self._constraints(shape)

    def _is_class(self, node: Node) -> bool:
        """Whether ``node`` has an implicit class target: SHACL 2.1.3.3 requires it to be a SHACL instance of
        rdfs:Class AND of sh:NodeShape or sh:PropertyShape (a class that is only used as a shape, say as the
        value of sh:node, targets nothing)."""
        if self._classes is None:
            self._classes = self._subclasses_of(RDFS.Class)
            self._shape_classes = self._subclasses_of(sh("NodeShape")) | self._subclasses_of(sh("PropertyShape"))
        types = set(self.graph.objects(node, RDF.type))
        return not types.isdisjoint(self._classes) and not types.isdisjoint(self._shape_classes)

    def _subclasses_of(self, cls: URIRef) -> set[Node]:
        """``cls`` and its subclasses in the shapes graph (the types whose instances are SHACL instances of it)."""
        return {cls, *self.graph.transitive_subjects(RDFS.subClassOf, cls)}

    def _constraints(self, shape: Shape) -> list[Constraint]:
        node = shape.node
        out: list[Constraint] = []

        def add(kind: str, value: Any, **options: Any) -> None:
            out.append(Constraint(kind, value, options))

        for name in SHAPE_PARAMETERS:
            if name == "qualifiedValueShape":
                continue
            for v in self._values(node, name):
                add(name, self.shape(v))
        for name in SHAPE_LIST_PARAMETERS:
            for v in self._values(node, name):
                add(name, [self.shape(m) for m in self.list_items(v)])
        for name in TERM_PARAMETERS:
            for v in self._values(node, name):
                add(name, to_ox(v))
        for name in LITERAL_PARAMETERS:
            for v in self._values(node, name):
                add(name, to_ox(v))
        for name in INTEGER_PARAMETERS:
            for v in self._values(node, name):
                add(name, _integer(v, name))
        for v in self._values(node, "datatype"):
            add("datatype", to_ox(v))
        for v in self._values(node, "nodeKind"):
            add("nodeKind", str(v)[len(SH) :])
        flags = self._values(node, "flags")
        for v in self._values(node, "pattern"):
            add("pattern", str(v), flags=str(flags[0]) if flags else "")
        for v in self._values(node, "languageIn"):
            add("languageIn", [str(lang) for lang in self.list_items(v)])
        for v in self._values(node, "uniqueLang"):
            if _is_true(v):
                add("uniqueLang", True)
        for v in self._values(node, "in"):
            add("in", {to_ox(m) for m in self.list_items(v)})
        for v in self._values(node, "closed"):
            if _is_true(v):
                ignored = [to_ox(p) for lst in self._values(node, "ignoredProperties") for p in self.list_items(lst)]
                add("closed", self._closed_properties(node) | set(ignored))
        self._qualified(shape, add)
        for v in self._values(node, "sparql"):
            add("SPARQL", self._sparql_constraint(v))
        for component in self.components:
            for constraint in component.constraints_for(self.graph, node, shape.is_property_shape):
                add("SPARQL", constraint)
        return out

    def _closed_properties(self, node: Node) -> set[OxTerm]:
        out = set()
        for prop in self.graph.objects(node, sh("property")):
            for p in self.graph.objects(prop, sh("path")):
                if isinstance(p, URIRef):
                    out.add(to_ox(p))
        return out

    def _qualified(self, shape: Shape, add) -> None:
        node = shape.node
        for q in self._values(node, "qualifiedValueShape"):
            mins = [_integer(v, "qualifiedMinCount") for v in self._values(node, "qualifiedMinCount")]
            maxs = [_integer(v, "qualifiedMaxCount") for v in self._values(node, "qualifiedMaxCount")]
            disjoint = any(_is_true(v) for v in self._values(node, "qualifiedValueShapesDisjoint"))
            siblings: list[Shape] = []
            if disjoint:
                # Sibling shapes: the qualified value shapes of the other property shapes of this shape's parents.
                for parent in self.graph.subjects(sh("property"), node):
                    for prop in self.graph.objects(parent, sh("property")):
                        for other in self.graph.objects(prop, sh("qualifiedValueShape")):
                            if other != q and self.shape(other) not in siblings:
                                siblings.append(self.shape(other))
            for m in mins:
                add("QualifiedMinCount", self.shape(q), count=m, siblings=siblings)
            for m in maxs:
                add("QualifiedMaxCount", self.shape(q), count=m, siblings=siblings)

    def _sparql_constraint(self, node: Node) -> SparqlConstraint:
        selects = list(self.graph.objects(node, sh("select")))
        if len(selects) != 1:
            raise ShapesError(f"SPARQL constraint {node} needs exactly one sh:select")
        return SparqlConstraint(
            node=node,
            select=str(selects[0]),
            ask=None,
            prefixes=read_prefixes(self.graph, node),
            messages=tuple(m for m in self._values(node, "message") if isinstance(m, Literal)),
            deactivated=any(_is_true(v) for v in self._values(node, "deactivated")),
        )

    # -------------------------------------------------------------- paths

    def path(self, node: Node, depth: int = 0) -> Path:
        g = self.graph
        if depth > 50:
            raise ShapesError(f"path {node} is nested too deeply (a cycle?)")
        if isinstance(node, URIRef):
            return PredicatePath(to_ox(node))
        if not isinstance(node, BNode):
            raise ShapesError(f"{node!r} is not a SHACL path")
        if (node, RDF.first, None) in g:
            items = self.list_items(node)
            if len(items) < 2:
                raise ShapesError(f"a sequence path needs at least two members: {node}")
            return SequencePath(tuple(self.path(i, depth + 1) for i in items))
        for name, cls in (
            ("inversePath", InversePath),
            ("zeroOrMorePath", ZeroOrMorePath),
            ("oneOrMorePath", OneOrMorePath),
            ("zeroOrOnePath", ZeroOrOnePath),
        ):
            value = g.value(node, sh(name))
            if value is not None:
                return cls(self.path(value, depth + 1))
        alternatives = g.value(node, sh("alternativePath"))
        if alternatives is not None:
            items = self.list_items(alternatives)
            if len(items) < 2:
                raise ShapesError(f"an alternative path needs at least two members: {node}")
            return AlternativePath(tuple(self.path(i, depth + 1) for i in items))
        raise ShapesError(f"{node} is not a well-formed SHACL path")


def _is_true(value: Node) -> bool:
    """The parameter is the literal true ("1"^^xsd:boolean is another RDF term, so it is not)."""
    return isinstance(value, Literal) and str(value) == "true" and str(value.datatype) == XSD + "boolean"


def _integer(value: Node, name: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ShapesError(f"sh:{name} must be an integer, not {value!r}") from None


def _sort_key(node: Node) -> tuple[str, str]:
    return (type(node).__name__, str(node))
