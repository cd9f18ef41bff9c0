"""The shapes and results the engine works with, as plain dataclasses: paths, shapes and their constraints
(read from a shapes graph by govgraph.shacl.shapes) and validation results (written out by
govgraph.shacl.report). Every other module of the engine imports these; this module imports none of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from govgraph.shacl.terms import SH, OxTerm


class ShapesError(Exception):
    """The shapes graph cannot be applied (an ill-formed shape or a SPARQL query SHACL does not allow).

    The W3C test suite calls this a failure: validation stops instead of producing a report."""


def sh(name: str) -> URIRef:
    return URIRef(SH + name)


VIOLATION = URIRef(SH + "Violation")
SPARQL_COMPONENT = URIRef(SH + "SPARQLConstraintComponent")

# ------------------------------------------------------------------ paths


@dataclass(frozen=True)
class PredicatePath:
    iri: Any  # ox.NamedNode


@dataclass(frozen=True)
class InversePath:
    path: Path


@dataclass(frozen=True)
class SequencePath:
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class AlternativePath:
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class ZeroOrMorePath:
    path: Path


@dataclass(frozen=True)
class OneOrMorePath:
    path: Path


@dataclass(frozen=True)
class ZeroOrOnePath:
    path: Path


Path = PredicatePath | InversePath | SequencePath | AlternativePath | ZeroOrMorePath | OneOrMorePath | ZeroOrOnePath


# ------------------------------------------------------------------ shapes


@dataclass(eq=False)
class Constraint:
    """One constraint of a shape: a constraint component (its local name, e.g. "MinCount") and the value of its
    parameter. Each value of a multi-valued parameter (two sh:class values, say) is a constraint of its own."""

    kind: str
    value: Any
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def component(self) -> URIRef:
        return sh(self.kind[0].upper() + self.kind[1:] + "ConstraintComponent")


@dataclass(eq=False)
class SparqlConstraint:
    """An sh:sparql constraint (or a validator of a SPARQL-based constraint component)."""

    node: Node
    select: str | None
    ask: str | None
    prefixes: dict[str, str]
    messages: tuple[Literal, ...]
    deactivated: bool = False
    component: URIRef = SPARQL_COMPONENT
    parameters: dict[str, OxTerm] = field(default_factory=dict)  # pre-bound parameter values of a component
    source_constraint: bool = True  # sh:sourceConstraint is only reported for sh:sparql constraints


@dataclass(eq=False)
class Shape:
    node: Node  # the shape's node in the shapes graph (rdflib)
    ox_node: OxTerm
    path: Path | None = None
    path_node: Node | None = None
    target_nodes: list[OxTerm] = field(default_factory=list)
    target_classes: list[OxTerm] = field(default_factory=list)
    target_subjects_of: list[OxTerm] = field(default_factory=list)
    target_objects_of: list[OxTerm] = field(default_factory=list)
    severity: URIRef = VIOLATION
    messages: tuple[Literal, ...] = ()
    deactivated: bool = False
    constraints: list[Constraint] = field(default_factory=list)

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None

    @property
    def has_targets(self) -> bool:
        return bool(self.target_nodes or self.target_classes or self.target_subjects_of or self.target_objects_of)

    def __repr__(self) -> str:
        return f"<Shape {self.node}>"


# ------------------------------------------------------------------ results

DEFAULT_PATH = object()  # marker: report the shape's own path


@dataclass(frozen=True, eq=False)
class Result:
    """One validation result, in data-graph terms; the report turns it into RDF."""

    shape: Shape
    focus: OxTerm
    component: URIRef
    value: OxTerm | None = None
    path: object = DEFAULT_PATH  # an rdflib path node, None, or DEFAULT_PATH
    source_constraint: Node | None = None
    messages: tuple[Literal, ...] | None = None  # None: the shape's sh:message values (or a generic message)
    constraint: Constraint | None = None

    @property
    def result_path(self) -> Node | None:
        return self.shape.path_node if self.path is DEFAULT_PATH else self.path
