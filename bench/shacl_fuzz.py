"""Differential fuzzing of govgraph's SHACL engine against pySHACL: seeded random, well-formed shapes/data
pairs over every SHACL Core constraint component, every path kind, every target kind (implicit class targets
too) and SHACL-SPARQL (sh:sparql SELECT constraints, SPARQL-based constraint components with SELECT and ASK
validators). Disagreements can also be run on Apache Jena (bench/jena.py), which then decides them.

    python bench/shacl_fuzz.py --cases 30000 --jena 30000    # the long run: the figures, per feature too
    python bench/shacl_fuzz.py --cases 2000 --seed 7 --show 3  # print three unexplained disagreements

Case i of seed s is always the same pair (random.Random(f"{s}:{i}")), so a disagreement is reproduced by its
number. Each case is validated by both engines and their results compared as (focus node, result path,
source constraint component, source shape, value); numbers in sh:value compare by value (rdflib and Oxigraph
write a computed sum differently), "x" and "x"^^xsd:string are one term and language tags compare in lower
case (RDF 1.1). A case where both engines refuse the shapes agrees.

Each disagreement is one of:

- *tolerated*: the case uses a feature in one of the ways pySHACL departs from the spec (TOLERATED below,
  each cited to the spec; tests/test_shacl_fuzz.py shows each on its example, with Jena on govgraph's side),
  and Jena, when it ran, does not side with pySHACL on the results the two disagree on;
- a *documented govgraph difference* (LIMITATIONS below: the store's canonical literals inside SPARQL
  queries, Oxigraph's zero-length paths from outside the graph, no order for language-tagged strings, an
  ill-typed literal compared with itself), where
  Jena, when it ran, does not side with govgraph;
- *unexplained*: anything else. The bounded run in the tests fails on one.

Jena runs disagreements in batches of 500 cases per Java start: each case's IRIs and blank node labels get a
namespace of their own, so that no shape of one case reaches the data of another.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bench.jena` importable
    sys.path.insert(0, str(ROOT))

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""
EX = "http://example.org/"
SH = "http://www.w3.org/ns/shacl#"

IRIS = [f"ex:n{i}" for i in range(5)]
BLANKS = [f"_:b{i}" for i in range(3)]
CLASSES = [f"ex:C{i}" for i in range(3)]
PREDICATES = [f"ex:p{i}" for i in range(4)]
LITERALS = [
    "1", "2", "-1", "0", '"1"^^xsd:byte', '"300"^^xsd:short', "1.5", "2.0", '"1.0E0"^^xsd:double', '"NaN"^^xsd:double',
    '"abc"^^xsd:integer', '"1.x"^^xsd:decimal', '"a"', '"abc"', '"B"', '"b"@en', '"b"@da', '"c"@en-GB', '"d"@EN',
    '"true"^^xsd:boolean', '"false"^^xsd:boolean', '"2020-01-01"^^xsd:date', '"2021-06-30"^^xsd:date',
    '"2020-01-01T00:00:00Z"^^xsd:dateTime', '"2020-01-01T10:00:00"^^xsd:dateTime', '"2020"^^xsd:gYear',
    '"x y"^^xsd:string', '"1"^^xsd:string', '"2020-13-01"^^xsd:date',
]  # fmt: skip
NUMERIC_BOUNDS = ["0", "1", "1.5", '"1.0E0"^^xsd:double', '"2"^^xsd:byte', "-1"]
# Bounds are well-typed (an ill-typed bound makes a shape that means nothing); the values need not be.
OTHER_BOUNDS = ['"2020-06-01"^^xsd:date', '"2020-01-01T05:00:00Z"^^xsd:dateTime', '"b"', '"b"@en']
DATATYPES = ["xsd:integer", "xsd:string", "rdf:langString", "xsd:decimal", "xsd:date", "xsd:boolean", "xsd:byte",
             "xsd:double", "xsd:dateTime"]  # fmt: skip
NODE_KINDS = ["sh:IRI", "sh:BlankNode", "sh:Literal", "sh:BlankNodeOrIRI", "sh:BlankNodeOrLiteral", "sh:IRIOrLiteral"]
PATTERNS = ['"^a"', '"b$"', '"^[0-9]+$"', '"A"', '"^$"', '"."', '"n[0-3]"']

CORE = ("class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
        "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint",
        "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "qualifiedValueShape", "closed",
        "hasValue", "in")  # fmt: skip
SPARQL = ("sparql", "selectComponent", "askComponent")
PROPERTY_ONLY = {"minCount", "maxCount", "uniqueLang", "lessThan", "lessThanOrEquals", "qualifiedValueShape"}
TARGETS = ("targetNode", "targetClass", "targetSubjectsOf", "targetObjectsOf", "implicitClass")
PATH_KINDS = ("predicate", "inverse", "sequence", "alternative", "zeroOrMore", "oneOrMore", "zeroOrOne")

SELECT_TEMPLATES = [
    "SELECT $this WHERE { $this <http://example.org/p0> ?x . FILTER (?x > 1) }",
    "SELECT $this ?value WHERE { $this <http://example.org/p1> ?value . FILTER (STR(?value) = \\\"1\\\") }",
    "SELECT $this ?value WHERE { $this ?p ?value . FILTER (isBlank(?value)) }",
    "SELECT $this ?path ?value WHERE { $this ?path ?value . FILTER (isLiteral(?value) && LANG(?value) = \\\"en\\\") }",
    "SELECT $this WHERE { FILTER NOT EXISTS { $this a ?type } }",
    "SELECT $this (COUNT(?x) AS ?value) WHERE { $this <http://example.org/p2> ?x } GROUP BY $this "
    "HAVING (COUNT(?x) > 1)",
    "SELECT $this ?value WHERE { $this <http://example.org/p3> ?value . FILTER (?value < 2) }",
    "SELECT $this ?value WHERE { { $this <http://example.org/p0> ?value } "
    "UNION { ?value <http://example.org/p0> $this } FILTER (isIRI(?value)) }",
]  # fmt: skip
COMPONENTS = '''
ex:MaxValueComponent a sh:ConstraintComponent ;
    sh:parameter [ sh:path ex:maxValue ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER ($value <= $maxValue) }" ] .
ex:HasPredicateComponent a sh:ConstraintComponent ;
    sh:parameter [ sh:path ex:hasPredicate ] ;
    sh:nodeValidator [ a sh:SPARQLSelectValidator ;
        sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this $hasPredicate ?any } }" ] ;
    sh:propertyValidator [ a sh:SPARQLSelectValidator ;
        sh:select """SELECT $this ?value WHERE {
            $this $PATH ?value . FILTER NOT EXISTS { ?value $hasPredicate ?any } }""" ] .
'''


# ---------------------------------------------------------------------------------------- generating a case


@dataclass
class Case:
    number: int
    data: str
    shapes: str
    features: set[str] = field(default_factory=set)  # e.g. "component:minCount", "path:inverse", "target:targetNode"


class _Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.features: set[str] = set()
        self.blocks: list[str] = []
        self.shape_count = 0
        self.uses_components = False
        self.implicit: set[str] = set()  # the classes that are already shapes

    def choice(self, items):
        return self.rng.choice(items)

    # -------------------------------------------------------------- data

    def data(self) -> str:
        rng = self.rng
        lines = []
        for _ in range(rng.randint(4, 16)):
            s = self.choice(IRIS + BLANKS)
            if rng.random() < 0.25:
                lines.append(f"{s} a {self.choice(CLASSES)} .")
                continue
            o = self.choice(IRIS + BLANKS + LITERALS + LITERALS)
            lines.append(f"{s} {self.choice(PREDICATES)} {o} .")
        if rng.random() < 0.5:
            lines.append("ex:C1 rdfs:subClassOf ex:C0 .")
        return PREFIXES + "\n".join(lines) + "\n"

    # -------------------------------------------------------------- paths

    def path(self, depth: int = 0) -> str:
        kind = "predicate" if depth > 1 else self.choice(PATH_KINDS)
        self.features.add(f"path:{kind}")
        p = self.choice(PREDICATES)
        if kind == "predicate":
            return p
        if kind == "inverse":
            return f"[ sh:inversePath {self.path(depth + 1) if self.rng.random() < 0.4 else p} ]"
        if kind in ("sequence", "alternative"):
            members = " ".join(self.path(depth + 1) for _ in range(self.rng.randint(2, 3)))
            return f"( {members} )" if kind == "sequence" else f"[ sh:alternativePath ( {members} ) ]"
        return f"[ sh:{kind}Path {self.path(depth + 1) if self.rng.random() < 0.3 else p} ]"

    # -------------------------------------------------------------- shapes

    def new_shape(self) -> str:
        self.shape_count += 1
        return f"ex:S{self.shape_count}"

    def shape(self, depth: int, *, top: bool, node_shape: bool = False) -> str:
        """A shape's node (its triples go to self.blocks); ``node_shape``: not a property shape (sh:node)."""
        node = self.new_shape()
        rng = self.rng
        is_property = not node_shape and rng.random() < (0.6 if top else 0.4)
        triples = [f"a {'sh:PropertyShape' if is_property else 'sh:NodeShape'}"]
        if is_property:
            triples.append(f"sh:path {self.path()}")
        if top:
            target = self.choice(TARGETS)
            self.features.add(f"target:{target}")
            if target == "targetNode":
                nodes = {self.choice(IRIS + LITERALS) for _ in range(rng.randint(1, 3))}
                triples.append("sh:targetNode " + ", ".join(sorted(nodes)))
            elif target == "targetClass":
                triples.append(f"sh:targetClass {self.choice(CLASSES)}")
            elif target == "implicitClass" and len(self.implicit) < len(CLASSES):
                # a shape that is also a class; sometimes a class that is not a shape (SHACL 2.1.3.3: no target)
                node = self.choice([c for c in CLASSES if c not in self.implicit])  # one shape per class
                self.implicit.add(node)
                triples = [t for t in triples if not t.startswith("a ")]
                kind = "sh:PropertyShape" if is_property else "sh:NodeShape"
                triples.insert(0, f"a rdfs:Class, {kind}" if rng.random() < 0.8 else "a rdfs:Class")
            elif target in ("targetSubjectsOf", "targetObjectsOf"):
                triples.append(f"sh:{target} {self.choice(PREDICATES)}")
            else:  # an implicit class target asked for when every class already is a shape
                triples.append(f"sh:targetClass {self.choice(CLASSES)}")
            if rng.random() < 0.15:
                triples.append(f"sh:severity {self.choice(['sh:Warning', 'sh:Info'])}")
            if rng.random() < 0.05:
                triples.append("sh:deactivated true")
        pool = [c for c in CORE + SPARQL if is_property or c not in PROPERTY_ONLY]
        if depth > 1:
            pool = [c for c in pool if c not in ("not", "and", "or", "xone", "node", "qualifiedValueShape")]
        for component in rng.sample(pool, rng.randint(1, 3)):
            triples.extend(self.constraint(component, depth, is_property))
        self.blocks.append(node + " " + " ;\n    ".join(triples) + " .")
        return node

    def nested(self, depth: int, node_shape: bool = False) -> str:
        return self.shape(depth + 1, top=False, node_shape=node_shape)

    def constraint(self, component: str, depth: int, is_property: bool) -> list[str]:
        rng, choice = self.rng, self.choice
        self.features.add(f"component:{component}")
        if component == "class":
            return [f"sh:class {choice(CLASSES)}"]
        if component == "datatype":
            return [f"sh:datatype {choice(DATATYPES)}"]
        if component == "nodeKind":
            return [f"sh:nodeKind {choice(NODE_KINDS)}"]
        if component in ("minCount", "maxCount"):
            return [f"sh:{component} {rng.randint(0, 3)}"]
        if component in ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive"):
            return [f"sh:{component} {choice(NUMERIC_BOUNDS if rng.random() < 0.75 else OTHER_BOUNDS)}"]
        if component in ("minLength", "maxLength"):
            return [f"sh:{component} {rng.randint(0, 4)}"]
        if component == "pattern":
            out = [f"sh:pattern {choice(PATTERNS)}"]
            return [*out, 'sh:flags "i"'] if rng.random() < 0.3 else out
        if component == "languageIn":
            return [
                "sh:languageIn ( " + " ".join(rng.sample(['"en"', '"da"', '"en-GB"', '"*"'], rng.randint(1, 2))) + " )"
            ]
        if component == "uniqueLang":
            return ["sh:uniqueLang true"]
        if component in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            return [f"sh:{component} {choice(PREDICATES)}"]
        if component in ("not", "node"):  # the value of sh:node is a node shape (SHACL 4.7.1)
            return [f"sh:{component} {self.nested(depth, node_shape=component == 'node')}"]
        if component in ("and", "or", "xone"):
            return [f"sh:{component} ( " + " ".join(self.nested(depth) for _ in range(rng.randint(2, 3))) + " )"]
        if component == "qualifiedValueShape":
            out = [f"sh:qualifiedValueShape {self.nested(depth)}"]
            counts = rng.choice(
                [("qualifiedMinCount",), ("qualifiedMaxCount",), ("qualifiedMinCount", "qualifiedMaxCount")]
            )
            out += [f"sh:{c} {rng.randint(0, 2)}" for c in counts]
            if rng.random() < 0.3:
                out.append("sh:qualifiedValueShapesDisjoint true")
            return out
        if component == "closed":
            out = ["sh:closed true"]
            if rng.random() < 0.6:
                out.append("sh:ignoredProperties ( rdf:type )")
            if not is_property and rng.random() < 0.6:
                out.append(f"sh:property [ sh:path {choice(PREDICATES)} ]")
            return out
        if component == "hasValue":
            return [f"sh:hasValue {choice(IRIS + LITERALS)}"]
        if component == "in":
            return ["sh:in ( " + " ".join(rng.sample(IRIS + LITERALS, rng.randint(1, 4))) + " )"]
        self.uses_components = self.uses_components or component != "sparql"
        if component == "sparql":
            return [f'sh:sparql [ a sh:SPARQLConstraint ; sh:select "{choice(SELECT_TEMPLATES)}" ]']
        if component == "selectComponent":
            return [f"ex:hasPredicate {choice(PREDICATES)}"]
        if component == "askComponent":
            return [f"ex:maxValue {choice(NUMERIC_BOUNDS)}"]
        raise ValueError(component)


def generate(number: int, seed: int = 0) -> Case:
    """Case ``number`` of the run with ``seed``: the same pair every time."""
    g = _Generator(random.Random(f"{seed}:{number}"))
    data = g.data()
    for _ in range(g.rng.randint(1, 2)):
        g.shape(0, top=True)
    shapes = PREFIXES + "\n".join(g.blocks) + "\n" + (COMPONENTS if g.uses_components else "")
    return Case(number, data, shapes, g.features)


# ---------------------------------------------------------------------------------------- running a case


ResultKey = tuple


def _same_term(term):
    """RDF 1.1: "x" and "x"^^xsd:string are one term (rdflib keeps them apart, pySHACL writes the latter)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    if isinstance(term, Literal) and term.language:  # language tags are case-insensitive (pyoxigraph: lower case)
        return Literal(str(term), lang=term.language.lower())
    return term


def _value_key(value) -> str:
    from rdflib import Literal

    if value is None:
        return ""
    value = _same_term(value)
    if isinstance(value, Literal) and value.datatype is not None:
        try:  # computed numbers: rdflib writes a sum of decimals as "3.0", Oxigraph as "3"
            return "number:" + str(Decimal(str(value)).normalize())
        except InvalidOperation:
            pass
    return value.n3()


def results_of(report) -> set[ResultKey]:
    from rdflib.namespace import SH as SHNS

    from bench.jena import path_key

    out = set()
    for r in report.objects(None, SHNS.result):
        path = report.value(r, SHNS.resultPath)
        out.add(
            (
                _same_term(report.value(r, SHNS.focusNode)),
                None if path is None else path_key(report, path),
                report.value(r, SHNS.sourceConstraintComponent),
                report.value(r, SHNS.sourceShape),
                _value_key(report.value(r, SHNS.value)),
            )
        )
    return out


@dataclass
class Outcome:
    case: Case
    ours: set[ResultKey] | str  # results, or "refused: ..." when the engine refused the shapes
    theirs: set[ResultKey] | str  # pySHACL's
    explained_by: list[str] = field(default_factory=list)  # TOLERATED deviations (or LIMITATIONS) the case hits
    jena: set[ResultKey] | str | None = None  # Jena's results, when the run asked for them

    @property
    def agrees(self) -> bool:
        if isinstance(self.ours, str) or isinstance(self.theirs, str):
            return isinstance(self.ours, str) and isinstance(self.theirs, str)
        return self.ours == self.theirs

    @property
    def kind(self) -> str:
        """agree, tolerated (a documented pySHACL deviation), limitation (a documented govgraph limitation) or
        unexplained. When Jena ran, it decides whose side a disagreement is on: a tolerated one must have Jena
        agree with govgraph, a limitation must have Jena disagree."""
        if self.agrees:
            return "agree"
        deviations = [n for n in self.explained_by if n not in LIMITATIONS]
        limitations = [n for n in self.explained_by if n in LIMITATIONS]
        jena_agrees = jena_sides_with_govgraph(self)
        if deviations and jena_agrees is not False:
            return "tolerated"
        if limitations and jena_agrees is not True:
            return "limitation"
        return "unexplained"


def _graphs(case: Case):
    from rdflib import Graph

    return Graph().parse(data=case.data, format="turtle"), Graph().parse(data=case.shapes, format="turtle")


def run_case(case: Case) -> Outcome:
    import logging

    import pyshacl

    from govgraph.shacl import validate_graph
    from govgraph.shacl.shapes import ShapesError

    # Ill-typed literals are part of the point: rdflib and pySHACL log each one they meet.
    for name in ("pyshacl", "rdflib"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", module="rdflib")
    data, shapes = _graphs(case)
    try:
        ours: set | str = results_of(validate_graph(data, shapes)[1])
    except ShapesError as exc:
        ours = f"refused: {exc}"
    try:
        theirs: set | str = results_of(pyshacl.validate(data, shacl_graph=shapes, inference="none")[1])
    except Exception as exc:  # pySHACL raises several kinds, for shapes it refuses and for its own failures
        theirs = f"refused: {type(exc).__name__}: {exc}"
    outcome = Outcome(case, ours, theirs)
    if not outcome.agrees:
        outcome.explained_by = explain(outcome, data, shapes)
    return outcome


# ---------------------------------------------------------------------------------------- tolerated deviations


@dataclass(frozen=True)
class Deviation:
    """A way pySHACL departs from the spec. ``applies(data, shapes, pyshacl_outcome)`` says whether a case uses
    the feature in that way (anywhere: a nested shape changes the results of the shapes around it)."""

    name: str
    spec: str
    example: tuple[str, str]  # (data, shapes): Jena gives govgraph's results here, pySHACL does not
    applies: Callable
    pyshacl_stops: bool = False  # pySHACL raises an error on the example (Jena validates it)


_COMPARISON = re.compile(r"[<>]=?\s*[?$0-9]")  # a query that compares values with < > <= >=


def _sh(name: str):
    from rdflib import URIRef

    return URIRef(SH + name)


def _literals(data) -> list:
    from rdflib import Literal

    return [o for o in data.objects() if isinstance(o, Literal)]


def _range_incomparable(data, shapes, theirs) -> bool:
    from govgraph.shacl.literals import compare
    from govgraph.shacl.terms import to_ox

    bounds = [b for name in ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive")
              for b in shapes.objects(None, _sh(name))]  # fmt: skip
    values = _literals(data) + [n for n in shapes.objects(None, _sh("targetNode"))]
    return any(compare(to_ox(v), to_ox(b)) is None for b in bounds for v in values if hasattr(v, "language"))


def _less_than_incomparable(data, shapes, theirs) -> bool:
    from rdflib import Literal

    if not any((None, _sh(n), None) in shapes for n in ("lessThan", "lessThanOrEquals")):
        return False
    return any(not isinstance(o, Literal) or o.language for o in data.objects())


def _inverse_of_a_complex_path(data, shapes, theirs) -> bool:
    from rdflib import URIRef

    return any(not isinstance(o, URIRef) for o in shapes.objects(None, _sh("inversePath")))


def _ask_validator_on_a_property_shape(data, shapes, theirs) -> bool:
    from rdflib import URIRef

    return any((s, _sh("path"), None) in shapes for s in shapes.subjects(URIRef(EX + "maxValue"), None))


def _sparql_type_error(data, shapes, theirs) -> bool:
    from rdflib import URIRef

    from govgraph.shacl.literals import is_well_typed
    from govgraph.shacl.terms import to_ox

    comparing = [str(q) for q in shapes.objects(None, _sh("select")) if _COMPARISON.search(str(q))]
    if not comparing and (None, URIRef(EX + "maxValue"), None) not in shapes:
        return False
    numeric = ("integer", "decimal", "double", "float", "byte", "short", "int", "long")
    values = _literals(data) + list(shapes.objects(None, _sh("targetNode")))
    return any(
        hasattr(v, "language") and (not str(v.datatype or "").endswith(numeric) or not is_well_typed(to_ox(v)))
        for v in values
    )


def _implicit_target_without_shape_type(data, shapes, theirs) -> bool:
    from rdflib.namespace import RDF, RDFS

    return any(
        not {_sh("NodeShape"), _sh("PropertyShape")} & set(shapes.objects(c, RDF.type))
        for c in shapes.subjects(RDF.type, RDFS.Class)
        if any(p.startswith(SH) for p in shapes.predicates(c, None))
    )


def _false_literal_pre_bound(data, shapes, theirs) -> bool:
    """rdflib's SPARQL takes a pre-bound value that Python finds false (false, 0, "") for no binding."""
    uses_sparql = (None, _sh("select"), None) in shapes or (None, _sh("ask"), None) in shapes
    values = _literals(data) + [n for n in shapes.objects(None, _sh("targetNode")) if hasattr(n, "language")]
    return uses_sparql and any(not v for v in values)


def _refused(*messages: str) -> Callable:
    return lambda data, shapes, theirs: isinstance(theirs, str) and any(m in theirs for m in messages)


TOLERATED: list[Deviation] = [
    Deviation(
        "range-incomparable",
        "SHACL 4.3.1-4.3.4 (sh:minExclusive ...): a result for each value node v where '$minExclusive < v' does not "
        "return true - for an ill-typed v or one SPARQL cannot compare with the bound, it returns a type error",
        (
            'ex:a ex:p "1"^^xsd:byte, "abc"^^xsd:integer .',
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ;"
            ' sh:maxInclusive "2020-01-01T05:00:00Z"^^xsd:dateTime ] .',
        ),
        _range_incomparable,
    ),
    Deviation(
        "lessThan-incomparable",
        "SHACL 4.4.3/4.4.4 (sh:lessThan, sh:lessThanOrEquals): a result for each pair where 'v < o' does not return "
        "true - blank nodes and IRIs never compare (pySHACL may even stop with an error)",
        (
            "ex:a ex:p ex:x, _:b ; ex:q ex:y, 5 .",
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:lessThan ex:q ] .",
        ),
        lambda d, s, t: (
            _less_than_incomparable(d, s, t)
            or _refused("Cannot use sh:lessThan", "Cannot use sh:lessThanOrEquals")(d, s, t)
        ),
    ),
    Deviation(
        "inverse-of-a-complex-path",
        "SHACL 2.3.1.4 (inverse paths) and SPARQL 1.1 9.1: the inverse of the sequence p/q is ^q/^p; pySHACL "
        "evaluates ^(p/q) as ^p/^q",
        (
            "ex:a ex:p ex:b . ex:b ex:q ex:c . ex:b ex:q ex:d .",
            "ex:S a sh:NodeShape ; sh:targetNode ex:c ; sh:property [ sh:path [ sh:inversePath ( ex:p ex:q ) ] ;"
            " sh:maxCount 0 ] .",
        ),
        _inverse_of_a_complex_path,
    ),
    Deviation(
        "ask-validator-value",
        "SHACL 6.3.2 (ASK-based validators): for each value node v where the ASK query returns false, a result "
        "with sh:value v; pySHACL's results on property shapes have no sh:value",
        (
            "ex:a ex:p 5, 7 .",
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; ex:maxValue 6 ] ."
            + COMPONENTS.split("ex:HasPredicateComponent")[0],
        ),
        _ask_validator_on_a_property_shape,
    ),
    Deviation(
        "sparql-type-error",
        "SPARQL 1.1 17.2/17.3: an operator applied to values it is not defined for (a string or a date compared "
        "with a number, an ill-typed literal) is a type error and the FILTER rejects the solution; rdflib's engine "
        "compares them anyway",
        (
            'ex:a ex:p0 "abc", "2020-01-01"^^xsd:date .',
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "
            '"SELECT $this WHERE { $this <http://example.org/p0> ?x . FILTER (?x > 1) }" ] .',
        ),
        _sparql_type_error,
    ),
    Deviation(
        "implicit-target-without-shape-type",
        "SHACL 2.1.3.3 (implicit class targets): only if s is a SHACL instance of rdfs:Class AND of sh:NodeShape "
        "or sh:PropertyShape",
        ("ex:x a ex:C .", "ex:C a rdfs:Class ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ."),
        _implicit_target_without_shape_type,
    ),
    Deviation(
        "false-literal-pre-bound",
        "SHACL 5.3.1 (pre-bound variables): $this is bound to the focus node, whatever its value; rdflib's "
        "initBindings drop a value Python finds false (false, 0, an empty string)",
        (
            "ex:a ex:p ex:b .",
            'ex:S a sh:NodeShape ; sh:targetNode "false"^^xsd:boolean, "true"^^xsd:boolean ; ex:hasPredicate ex:p .'
            + COMPONENTS,
        ),
        _false_literal_pre_bound,
    ),
    Deviation(
        "path-substitution-error",
        "SHACL 6.3 ($PATH): replaced by the SPARQL path of the shape's sh:path, whatever its form; pySHACL stops "
        "with a parse error on some nested paths",
        (
            "ex:a ex:p ex:b .",
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path [ sh:oneOrMorePath [ sh:zeroOrOnePath"
            " ex:p ] ] ; ex:hasPredicate ex:q ] ." + COMPONENTS,
        ),
        _refused("Expected SelectQuery, found '$'"),
        pyshacl_stops=True,
    ),
    Deviation(
        "nan-comparison-error",
        "XML Schema 1.1 Part 2, 3.3.5 (double): NaN is incomparable, so every range check of it fails; pySHACL "
        "stops with decimal.InvalidOperation (Jena validates, ordering NaN above every number)",
        (
            'ex:a ex:p "NaN"^^xsd:double .',
            "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minInclusive 1.5 ] .",
        ),
        _refused("InvalidOperation"),
        pyshacl_stops=True,
    ),
]


def _store_rewrites_a_literal(data, shapes, theirs) -> bool:
    """The data has a literal the store keeps in another form ("1.0E0"^^xsd:double as "1"), and SPARQL sees it."""
    import pyoxigraph as ox

    from govgraph.shacl.terms import to_ox

    if not ((None, _sh("select"), None) in shapes or (None, _sh("ask"), None) in shapes):
        return False
    store = ox.Store()
    literals = [
        to_ox(v) for v in _literals(data) + list(shapes.objects(None, _sh("targetNode"))) if hasattr(v, "language")
    ]
    p, g = ox.NamedNode("urn:p"), ox.DefaultGraph()
    store.extend(ox.Quad(ox.NamedNode(f"urn:s{i}"), p, v, g) for i, v in enumerate(literals))
    return any(q.object != literals[int(q.subject.value[5:])] for q in store.quads_for_pattern(None, p, None, g))


def _zero_length_path_from_outside_the_graph(data, shapes, theirs) -> bool:
    """$PATH with a zero-length part (sh:zeroOrMorePath, sh:zeroOrOnePath) from a focus node not in the data."""
    if "$PATH" not in "".join(str(q) for q in shapes.objects(None, _sh("select"))):
        return False
    zero = any((None, _sh(n), None) in shapes for n in ("zeroOrMorePath", "zeroOrOnePath"))
    nodes = set(data.subjects()) | set(data.objects())
    return zero and any(n not in nodes for n in shapes.objects(None, _sh("targetNode")))


def _compares_language_tagged_strings(data, shapes, theirs) -> bool:
    from rdflib import Literal

    names = ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive", "lessThan", "lessThanOrEquals")
    if not any((None, _sh(n), None) in shapes for n in names):
        return False
    terms = [*data.objects(), *shapes.objects(None, None)]
    return any(isinstance(t, Literal) and t.language for t in terms)


def _ill_typed_compared_with_itself(data, shapes, theirs) -> bool:
    from govgraph.shacl.literals import is_well_typed
    from govgraph.shacl.terms import to_ox

    names = ("lessThanOrEquals", "minInclusive", "maxInclusive")
    if not any((None, _sh(n), None) in shapes for n in names):
        return False
    return any(o.datatype is not None and not is_well_typed(to_ox(o)) for o in _literals(data))


# Where govgraph knowingly differs from the others (a limitation, or a stricter reading of the spec): counted
# apart, never among the tolerated pySHACL deviations; Jena must not side with govgraph there.
LIMITATIONS: dict[str, tuple[str, Callable]] = {
    "ill-typed-compared-with-itself": (
        "SPARQL 1.1 17.3: '<=' on an ill-typed literal (\"1.x\"^^xsd:decimal) is a type error even against the same "
        "term, so govgraph reports sh:lessThanOrEquals of such a value with itself; Jena and pySHACL take the same "
        "term as equal",
        _ill_typed_compared_with_itself,
    ),
    "language-tagged-order": (
        'SPARQL 1.1 17.3 (operator mapping) has no < for rdf:langString, so govgraph makes \'"b"@en < "c"@en\' a '
        "type error (a violation of sh:lessThan, sh:minExclusive ...); Jena 4.5 and pySHACL order two strings of "
        "one language (SPARQL 1.2 is expected to define that order)",
        _compares_language_tagged_strings,
    ),
    "store-canonical-literals": (
        "SPARQL-based constraints run on Oxigraph, which keeps typed literals in canonical form "
        '("1.0E0"^^xsd:double as "1", "1"^^xsd:byte as 1; https://github.com/oxigraph/oxigraph/issues/526): a '
        "query that reads lexical forms (STR, DATATYPE, sameTerm) runs on the data as written instead, and the "
        "results' focus nodes and values are mapped back to the data's literals; what remains is term identity "
        '("1.0" and "1.00" one term in a join or DISTINCT) and $shapesGraph queries',
        _store_rewrites_a_literal,
    ),
    "zero-length-path-outside-the-graph": (
        "Oxigraph matches a zero-length path only from a node of the graph; SPARQL 1.1 18.5 (ZeroLengthPath) also "
        "from a constant that is not in it (a sh:targetNode literal, say)",
        _zero_length_path_from_outside_the_graph,
    ),
}


def explain(outcome: Outcome, data, shapes) -> list[str]:
    """The names of the deviations (or limitations) a disagreeing case hits; [] if none: unexplained."""
    if isinstance(outcome.ours, str):
        return []  # govgraph refused shapes that pySHACL took: never tolerated (the shapes are well-formed)
    found = [name for name, (_spec, applies) in LIMITATIONS.items() if applies(data, shapes, outcome.theirs)]
    found += [d.name for d in TOLERATED if d.applies(data, shapes, outcome.theirs)]
    return found


# ---------------------------------------------------------------------------------------- Jena, in batches


def _namespaced(text: str, number: int) -> str:
    """The case's text with its IRIs and blank node labels (file-wide in one Turtle file) its own."""
    return text.replace(EX, f"{EX}c{number}/").replace("_:b", f"_:c{number}b")


def jena_results(cases: list[Case]) -> dict[int, set[ResultKey] | str]:
    """Jena's results for many cases in one run: each case's IRIs go to a namespace of their own
    (http://example.org/c<n>/), so that no shape of one case reaches the data of another; the results are
    split by source shape and the namespaces taken out again. A case Jena refuses is retried alone."""
    import tempfile

    from rdflib import URIRef

    from bench.jena import JenaError, jena_validate

    if not cases:
        return {}
    with tempfile.TemporaryDirectory(prefix="govgraph-fuzz-") as tmp:
        data, shapes = Path(tmp) / "data.ttl", Path(tmp) / "shapes.ttl"
        data.write_text("".join(_namespaced(c.data, c.number) for c in cases), encoding="utf-8")
        shapes.write_text("".join(_namespaced(c.shapes, c.number) for c in cases), encoding="utf-8")
        try:
            report = jena_validate(shapes, data).graph
        except JenaError as exc:
            if len(cases) == 1:
                return {cases[0].number: f"refused: {str(exc).splitlines()[-1]}"}
            middle = len(cases) // 2
            return {**jena_results(cases[:middle]), **jena_results(cases[middle:])}
    out: dict[int, set[ResultKey] | str] = {c.number: set() for c in cases}

    def plain(term):
        if isinstance(term, URIRef):
            return URIRef(re.sub(r"^http://example\.org/c\d+/", EX, str(term)))
        return term

    for r in results_of(report):
        # The case: from the source shape, or (a blank one) from the focus node, the path or the component.
        m = re.search(r"http://example\.org/c(\d+)/", " ".join(map(str, (r[3], r[0], r[1], r[2]))))
        number = int(m[1]) if m else -1
        focus, path, component, shape, value = r
        key = (plain(focus), _plain_path(path, plain), plain(component), plain(shape),
               re.sub(r"http://example\.org/c\d+/", EX, value))  # fmt: skip
        out.setdefault(number, set()).add(key)
    return out


def _plain_path(path, plain):
    """A PathKey (bench.jena.path_key) without the case namespace: its IRIs mapped, its operator names kept."""
    from rdflib import URIRef

    if isinstance(path, tuple):
        return tuple(_plain_path(p, plain) for p in path)
    return plain(path) if isinstance(path, URIRef) else path


def without_blank_labels(results: set[ResultKey] | str) -> set | str:
    """Results with blank nodes as "_:" (each engine labels them its own way)."""
    if isinstance(results, str):
        return "refused"
    return {tuple("_:" if type(x).__name__ == "BNode" or (isinstance(x, str) and x.startswith("_:")) else x
                  for x in r) for r in results}  # fmt: skip


def jena_sides_with_govgraph(outcome: Outcome) -> bool | None:
    """Whether Jena decides each result govgraph and pySHACL disagree on as govgraph does (None: Jena did not
    run). Only those results count: Jena has deviations of its own elsewhere (it reports a SPARQL constraint of
    a property shape once per value node, say), and they are not the question."""
    if outcome.jena is None:
        return None
    jena, ours, theirs = (without_blank_labels(r) for r in (outcome.jena, outcome.ours, outcome.theirs))
    if isinstance(ours, str) or isinstance(jena, str):
        return ours == jena
    if isinstance(theirs, str):
        return None  # pySHACL stopped: there is no result of its to decide on
    return all((r in jena) == (r in ours) for r in ours ^ theirs)


# ---------------------------------------------------------------------------------------- the run


@dataclass
class Figures:
    outcomes_kept: int = 50  # disagreements kept for --show
    cases: int = 0
    kinds: Counter = field(default_factory=Counter)
    refused_by_both: int = 0
    deviations: Counter = field(default_factory=Counter)
    per_feature: dict[str, Counter] = field(default_factory=dict)
    jena: Counter = field(default_factory=Counter)  # (kind, "jena = govgraph" / "jena = pySHACL" / "neither")
    unexplained: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        kind = outcome.kind
        self.kinds[kind] += 1
        if kind == "agree" and isinstance(outcome.ours, str):
            self.refused_by_both += 1
        for name in outcome.explained_by:
            self.deviations[name] += 1
        if kind == "unexplained" and len(self.unexplained) < self.outcomes_kept:
            self.unexplained.append(outcome)
        for feature in outcome.case.features:
            self.per_feature.setdefault(feature, Counter())[kind] += 1
        side = jena_sides_with_govgraph(outcome)
        if side is not None:
            if side:
                verdict = "jena = govgraph"
            elif without_blank_labels(outcome.jena) == without_blank_labels(outcome.theirs):
                verdict = "jena = pySHACL"
            else:
                verdict = "jena = neither"
            self.jena[(kind, verdict)] += 1

    def table(self) -> str:
        n = max(self.cases, 1)

        def line(label: str, count: int) -> str:
            return f"{label}: {count} ({100 * count / n:.2f}%)"

        lines = [
            f"cases: {self.cases} in {self.seconds:.1f} s",
            line("agree with pySHACL", self.kinds["agree"])
            + f", of which both refused the shapes: {self.refused_by_both}",
            line("differ, a tolerated pySHACL deviation", self.kinds["tolerated"]),
            line("differ, a documented govgraph difference", self.kinds["limitation"]),
            line("differ, unexplained", self.kinds["unexplained"]),
            "cases that hit each deviation or limitation (a case can hit several):",
            *(f"    {name}: {count}" for name, count in self.deviations.most_common()),
        ]
        if self.jena:
            lines.append("disagreements checked on Apache Jena:")
            lines += [f"    {kind}, {verdict}: {count}" for (kind, verdict), count in sorted(self.jena.items())]
        lines += [
            "",
            f"{'feature':32} {'cases':>7} {'agree':>7} {'tolerated':>9} {'limitation':>10} {'unexplained':>11}",
        ]
        for feature in sorted(self.per_feature):
            c = self.per_feature[feature]
            lines.append(f"{feature:32} {sum(c.values()):7} {c['agree']:7} {c['tolerated']:9} {c['limitation']:10}"
                         f" {c['unexplained']:11}")  # fmt: skip
        return "\n".join(lines)


def fuzz(cases: int, seed: int = 0, start: int = 0, jena: int = 0, progress: bool = False) -> Figures:
    """Run ``cases`` cases; the first ``jena`` disagreements are also validated by Jena (in batches)."""
    figures = Figures()
    began = time.monotonic()
    pending: list[Outcome] = []

    def flush() -> None:
        found = jena_results([o.case for o in pending])
        for o in pending:
            o.jena = found.get(o.case.number, set())
            figures.add(o)
        pending.clear()

    checked = 0
    for number in range(start, start + cases):
        outcome = run_case(generate(number, seed))
        if not outcome.agrees and checked < jena:
            checked += 1
            pending.append(outcome)
            if len(pending) >= 500:
                flush()
        else:
            figures.add(outcome)
        if progress and number % 1000 == 999:
            print(f"... {number + 1 - start} cases", file=sys.stderr, flush=True)
    flush()
    figures.seconds = time.monotonic() - began
    return figures


def describe(outcome: Outcome) -> str:
    def show(results) -> str:
        if results is None:
            return "  (not run)"
        if isinstance(results, str):
            return "  " + results
        return "\n".join(f"  {r}" for r in sorted(results, key=repr)) or "  (none)"

    return (
        f"--- case {outcome.case.number} ({outcome.kind}: {', '.join(outcome.explained_by) or '-'})\n"
        f"# data\n{outcome.case.data}# shapes\n{outcome.case.shapes}"
        f"# govgraph\n{show(outcome.ours)}\n# pySHACL\n{show(outcome.theirs)}\n# Jena\n{show(outcome.jena)}\n"
    )


def deviation_examples() -> list[tuple[str, Case]]:
    """Each tolerated deviation's example as a case (for the Jena check in the tests)."""
    return [
        (d.name, Case(10**6 + i, PREFIXES + d.example[0] + "\n", PREFIXES + d.example[1] + "\n"))
        for i, d in enumerate(TOLERATED)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="the number of the first case")
    parser.add_argument("--show", type=int, default=0, help="print this many unexplained disagreements")
    parser.add_argument("--jena", type=int, default=0, help="also validate this many disagreements with Jena")
    args = parser.parse_args(argv)
    figures = fuzz(args.cases, args.seed, args.start, args.jena, progress=True)
    print(figures.table())
    for outcome in figures.unexplained[: args.show]:
        print(describe(outcome))
    return 1 if figures.kinds["unexplained"] else 0


if __name__ == "__main__":
    sys.exit(main())
