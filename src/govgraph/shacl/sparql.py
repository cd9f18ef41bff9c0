"""SHACL-SPARQL on pyoxigraph: sh:sparql constraints (sh:select) and SPARQL-based constraint components
(sh:ConstraintComponent with SELECT or ASK validators).

$this (and $value for ASK validators) are pre-bound with pyoxigraph's substitutions, which replace the variable
everywhere in the query as SHACL's pre-binding does; $currentShape is the shape's node; $shapesGraph names a
graph of the store that holds a copy of the shapes graph. Queries SHACL does not allow (MINUS, VALUES, SERVICE,
a subquery that does not project $this, AS re-binding a pre-bound variable) are refused with ShapesError."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from govgraph.shacl.model import (
    DEFAULT_PATH,
    AlternativePath,
    Constraint,
    InversePath,
    OneOrMorePath,
    Path,
    PredicatePath,
    Result,
    SequencePath,
    Shape,
    ShapesError,
    SparqlConstraint,
    ZeroOrMorePath,
    ZeroOrOnePath,
    sh,
)
from govgraph.shacl.terms import to_ox, to_rdflib

if TYPE_CHECKING:
    from govgraph.shacl.paths import DataIndex

DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
_MESSAGE_VARIABLE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def read_prefixes(graph: Graph, node: Node) -> dict[str, str]:
    """The prefixes a SPARQL constraint declares: sh:declare of each of its sh:prefixes values."""
    prefixes = dict(DEFAULT_PREFIXES)
    holders: dict[Node, None] = {}
    todo = list(graph.objects(node, sh("prefixes")))
    while todo:  # the declarations of the sh:prefixes values and of the ontologies they owl:import
        holder = todo.pop()
        if holder not in holders:
            holders[holder] = None
            todo.extend(graph.objects(holder, OWL.imports))
    for holder in holders:
        for declaration in graph.objects(holder, sh("declare")):
            prefix = graph.value(declaration, sh("prefix"))
            namespace = graph.value(declaration, sh("namespace"))
            if prefix is None or namespace is None:
                raise ShapesError(f"sh:declare {declaration} needs one sh:prefix and one sh:namespace")
            prefixes[str(prefix)] = str(namespace)
    return prefixes


# ------------------------------------------------------------------ checking and preparing a query

_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>"
)
_COMMENTS = re.compile(r"#[^\n]*")


def _code(query: str) -> str:
    """The query without strings, IRIs and comments, so that keyword checks do not see their contents."""
    return _COMMENTS.sub(" ", _STRINGS.sub(" ", query))


def _masked(query: str) -> str:
    """The query with strings, IRIs and comments blanked out character for character (positions kept)."""
    blank = lambda m: " " * len(m[0])  # noqa: E731
    return _COMMENTS.sub(blank, _STRINGS.sub(blank, query))


def ask_as_select(query: str, projected: Iterable[str]) -> str:
    """An ASK query as a SELECT of the given variables that has a solution exactly when the ASK is true.

    pyoxigraph can only pre-bind a blank node through its substitutions, and those only accept variables a
    SELECT projects; an ASK projects nothing. Projecting a variable the pattern does not bind is allowed."""
    m = re.search(r"\bASK\b", _masked(query), re.IGNORECASE)
    if m is None:
        raise ShapesError(f"an sh:ask query must be an ASK query: {query!r}")
    variables = " ".join(f"?{name}" for name in projected)
    # The newline ends a comment on the last line, which would otherwise swallow the LIMIT.
    return f"{query[: m.start()]}SELECT {variables}{query[m.end() :]}\nLIMIT 1"


def check_query(query: str, prebound: set[str]) -> None:
    """Refuse what SHACL's pre-binding forbids (https://www.w3.org/TR/shacl/#pre-binding)."""
    code = _code(query)
    for keyword, what in (("MINUS", "a MINUS clause"), ("VALUES", "a VALUES clause"), ("SERVICE", "SERVICE")):
        if re.search(rf"(?<![\w:?$]){keyword}\b", code, re.IGNORECASE):
            raise ShapesError(f"a SHACL-SPARQL query must not contain {what}")
    for m in re.finditer(r"\bAS\s*[?$](\w+)", code, re.IGNORECASE):
        if m[1] in prebound:
            raise ShapesError(f"a SHACL-SPARQL query must not re-bind the pre-bound variable ${m[1]} with AS")
    selects = [m.end() for m in re.finditer(r"\bSELECT\b", code, re.IGNORECASE)]
    for start in selects[1:]:  # subqueries must project every potentially pre-bound variable
        projection = re.split(r"\bWHERE\b|\{", code[start:], maxsplit=1, flags=re.IGNORECASE)[0]
        if "*" in projection:
            raise ShapesError("a SHACL-SPARQL subquery must not use SELECT *: it hides pre-bound variables")
        projected = set(re.findall(r"[?$](\w+)", projection))
        missing = {"this", "value"} & prebound - projected
        if missing:
            raise ShapesError(f"a SHACL-SPARQL subquery must project the pre-bound variables: {sorted(missing)}")


def sparql_path(path: Path) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(path, PredicatePath):
        return f"<{path.iri.value}>"
    if isinstance(path, InversePath):
        return f"^({sparql_path(path.path)})"
    if isinstance(path, SequencePath):
        return "(" + "/".join(sparql_path(p) for p in path.paths) + ")"
    if isinstance(path, AlternativePath):
        return "(" + "|".join(sparql_path(p) for p in path.paths) + ")"
    suffix = {ZeroOrMorePath: "*", OneOrMorePath: "+", ZeroOrOnePath: "?"}[type(path)]
    return f"({sparql_path(path.path)}){suffix}"


def _uses(query: str, name: str) -> bool:
    return re.search(rf"[?$]{name}\b", _code(query)) is not None


_TOKEN = re.compile(
    _STRINGS.pattern
    + r"|#[^\n]*"
    + r"|(?P<bound>\bbound\s*\(\s*[?$](?P<bound_name>[A-Za-z_]\w*)\s*\))"
    + r"|(?P<var>[?$](?P<name>[A-Za-z_]\w*))"
    + r"|(?P<keyword>\b(?:SELECT|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|OFFSET)\b)"
    + r"|(?P<brace>[{}])|(?P<paren>[()])",
    re.IGNORECASE,
)


def _substitute_text(query: str, values: dict[str, object]) -> str:
    """Pre-bind variables by writing their values into the query text, as SHACL's pre-binding defines it:
    every occurrence becomes the constant, a projected one becomes (constant AS ?var), one in GROUP BY or
    ORDER BY becomes (constant), and bound($var) becomes true. A query with subqueries keeps the variable in
    the projections around the innermost one, which binds it (SHACL requires subqueries to project it)."""
    selects = len(re.findall(r"\bSELECT\b", _code(query), re.IGNORECASE))
    state = {"clause": "", "depth": 0, "select": 0}

    def replace(m: re.Match) -> str:
        if m.group("keyword"):
            state["clause"] = re.sub(r"\s+", " ", m[0].upper())
            state["depth"] = 0
            if state["clause"] == "SELECT":
                state["select"] += 1
            return m[0]
        if m.group("brace"):
            state["clause"] = ""
            return m[0]
        if m.group("paren"):
            state["depth"] += 1 if m[0] == "(" else -1
            return m[0]
        if m.group("bound"):
            return "(true)" if m.group("bound_name") in values else m[0]
        name = m.group("name")
        if name is None or name not in values:
            return m[0]
        term = str(values[name])  # pyoxigraph terms print as N-Triples, which SPARQL reads
        if state["clause"] == "SELECT" and state["depth"] == 0:
            return m[0] if state["select"] < selects else f"({term} AS ?{name})"
        if state["clause"] in ("GROUP BY", "ORDER BY") and state["depth"] == 0:
            return f"({term})"
        return term

    return _TOKEN.sub(replace, query)


@dataclass
class _Prepared:
    text: str
    uses_this: bool
    uses_current_shape: bool
    uses_shapes_graph: bool
    is_ask: bool


def _prepare(sc: SparqlConstraint, shape: Shape) -> _Prepared:
    cache = sc.__dict__.setdefault("_prepared", {})
    found = cache.get(id(shape))
    if found is not None:
        return found
    is_ask = sc.select is None
    text = sc.ask if is_ask else sc.select
    prebound = {"this", "currentShape", "shapesGraph", *sc.parameters}
    if is_ask:
        prebound.add("value")
    check_query(text, prebound)
    if _uses(text, "PATH"):
        if shape.path is None:
            raise ShapesError(f"the SPARQL query of {sc.node} uses $PATH, but shape {shape.node} has no sh:path")
        text = re.sub(r"\$PATH\b", lambda _: sparql_path(shape.path), text)
    found = cache[id(shape)] = _Prepared(
        text,
        _uses(text, "this"),
        _uses(text, "currentShape"),
        _uses(text, "shapesGraph"),
        is_ask,
    )
    return found


# ------------------------------------------------------------------ evaluation

# The SPARQL functions that see a literal's lexical form or exact datatype: where the store rewrote a literal
# ("1.0"^^xsd:double kept as "1"), these give another answer than the data would.
_READS_LEXICAL_FORMS = re.compile(r"\b(?:STR|DATATYPE|sameTerm)\s*\(", re.IGNORECASE)


class _RdflibSolutions:
    """An rdflib SELECT result read as pyoxigraph's: ``variables`` and solutions indexed by variable name."""

    def __init__(self, result) -> None:
        self.variables = [ox.Variable(str(v)) for v in result.vars]
        self._rows = [{str(k): to_ox(v) for k, v in row.asdict().items()} for row in result]

    def __iter__(self):
        return (_Solution(row) for row in self._rows)


class _Solution(dict):
    def __getitem__(self, name: str):
        return self.get(name)


def evaluate_sparql(
    index: DataIndex, shapes_graph_name: Callable[[], ox.NamedNode], shape: Shape, c: Constraint, values: dict
) -> list[Result]:
    """The results of one SPARQL-based constraint over every focus node (one query per focus node).
    ``shapes_graph_name()`` names the graph of the store that holds the shapes graph ($shapesGraph)."""
    sc: SparqlConstraint = c.value
    if sc.deactivated:
        return []
    prepared = _prepare(sc, shape)
    base = {name: value for name, value in sc.parameters.items() if _uses(prepared.text, name)}
    if prepared.uses_current_shape:
        base["currentShape"] = shape.ox_node
    if prepared.uses_shapes_graph:
        base["shapesGraph"] = shapes_graph_name()
    source = sc.node if sc.source_constraint else None
    out: list[Result] = []

    def on_store(bindings: dict):
        # IRIs and literals are written into the query text (true pre-binding, also inside nested groups);
        # a blank node cannot be written down, so it goes through pyoxigraph's substitutions, which only
        # accept variables the query projects.
        api = {ox.Variable(k): v for k, v in bindings.items() if isinstance(v, ox.BlankNode)}
        text_values = {k: v for k, v in bindings.items() if not isinstance(v, ox.BlankNode)}
        text = prepared.text
        if api and prepared.is_ask:
            text = ask_as_select(text, [v.value for v in api])
        if text_values:
            text = _substitute_text(text, text_values)
        store = index.store  # outside the try: a store that failed to load raises its own error
        try:
            found = store.query(text, prefixes=sc.prefixes, substitutions=api)
            if api and prepared.is_ask:
                return any(True for _ in found)
            return found
        except SyntaxError as exc:
            raise ShapesError(f"the SPARQL query of {sc.node} is not valid: {exc}") from None
        except RuntimeError as exc:
            raise ShapesError(f"the SPARQL query of {sc.node} cannot be run for {bindings}: {exc}") from None

    # Oxigraph keeps typed literals in canonical form ("1.0"^^xsd:double as "1", "01"^^xsd:byte as 1) and cannot
    # do otherwise (https://github.com/oxigraph/oxigraph/issues/526). A query that reads lexical forms (STR,
    # DATATYPE, sameTerm) would see the rewritten ones, so when the data has such literals it runs on an rdflib
    # graph of the data as written instead (slower, and pySHACL's SPARQL engine; the store holds $shapesGraph).
    as_written = bool(
        values
        and not prepared.uses_shapes_graph
        and _READS_LEXICAL_FORMS.search(prepared.text)
        and index.store_rewrites_any(values.keys())  # focus nodes: a sh:targetNode may be a literal
    )

    def on_rdflib(bindings: dict):
        from rdflib.term import Variable

        # As on the store, IRIs and literals are written into the query text (rdflib's parser keeps a
        # constant's lexical form; its initBindings would drop a value Python finds false, such as 0).
        text_values = {k: v for k, v in bindings.items() if not isinstance(v, ox.BlankNode)}
        blank = {Variable(k): to_rdflib(v) for k, v in bindings.items() if isinstance(v, ox.BlankNode)}
        text = _substitute_text(prepared.text, text_values) if text_values else prepared.text
        try:
            found = index.as_rdflib().query(text, initNs=sc.prefixes, initBindings=blank)
            if prepared.is_ask:
                return bool(found.askAnswer)
            return _RdflibSolutions(found)
        except Exception as exc:  # pyparsing's ParseException and rdflib's evaluation errors
            raise ShapesError(f"the SPARQL query of {sc.node} cannot be run for {bindings}: {exc}") from None

    query = on_rdflib if as_written else on_store
    # The store gives literals back rewritten; each is mapped to the data's own (rdflib keeps them as written).
    exact = (lambda term: term) if as_written else index.as_in_data
    for focus, value_nodes in values.items():
        bindings = {**base, "this": focus} if prepared.uses_this else dict(base)
        if prepared.is_ask:
            for v in value_nodes:
                if not bool(query({**bindings, "value": v})):
                    messages = _messages(sc, shape, {"this": focus, "value": v})
                    out.append(Result(shape, focus, sc.component, v, DEFAULT_PATH, source, messages, c))
            continue
        seen = set()
        solutions = query(bindings)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: exact(solution[name]) for name in names if solution[name] is not None}
            failure = row.get("failure")
            if isinstance(failure, ox.Literal) and failure.value in ("true", "1"):
                raise ShapesError(f"the SPARQL query of {sc.node} reported a failure for {focus}")
            # $this is pre-bound: the store may give it back rewritten ("1"^^xsd:byte as 1); it is the focus node.
            this = focus
            path = row.get("path")
            value = row.get("value")
            if value is None and not shape.is_property_shape:
                value = this
            key = tuple(sorted((k, str(v)) for k, v in row.items()))
            if key in seen:
                continue
            seen.add(key)
            bound = {**row, "this": this}
            if value is not None:
                bound["value"] = value
            result_path = DEFAULT_PATH if path is None else to_rdflib(path)
            messages = _messages(sc, shape, bound)
            out.append(Result(shape, this, sc.component, value, result_path, source, messages, c))
    return out


def _messages(sc: SparqlConstraint, shape: Shape, bound: dict) -> tuple[Literal, ...] | None:
    """The constraint's and the shape's messages with {?var} and {$var} filled in (language tags kept)."""
    templates = list(dict.fromkeys([*sc.messages, *shape.messages]))
    if not templates:
        return None
    values = {**{k: v for k, v in sc.parameters.items()}, **bound}

    def fill(m: re.Match) -> str:
        term = values.get(m[1])
        return m[0] if term is None else term.value

    out = []
    for template in templates:
        text = _MESSAGE_VARIABLE.sub(fill, str(template))
        out.append(Literal(text, lang=template.language) if template.language else Literal(text))
    return tuple(dict.fromkeys(out))


# ------------------------------------------------------------------ SPARQL-based constraint components


@dataclass
class _Parameter:
    path: URIRef
    name: str
    optional: bool


@dataclass
class Component:
    """A sh:ConstraintComponent with SPARQL validators."""

    node: Node
    parameters: list[_Parameter]
    validator: Node | None
    node_validator: Node | None
    property_validator: Node | None
    messages: tuple[Literal, ...]

    @property
    def parameter_paths(self) -> list[URIRef]:
        return [p.path for p in self.parameters]

    def constraints_for(self, g: Graph, shape_node: Node, is_property: bool) -> list[SparqlConstraint]:
        bound: dict[str, object] = {}
        for p in self.parameters:
            values = sorted(g.objects(shape_node, p.path), key=str)
            if not values:
                if p.optional:
                    continue
                return []
            bound[p.name] = to_ox(values[0])
        validator = (self.property_validator if is_property else self.node_validator) or self.validator
        if validator is None:
            return []
        select = g.value(validator, sh("select"))
        ask = g.value(validator, sh("ask"))
        if (select is None) == (ask is None):
            raise ShapesError(f"validator {validator} needs exactly one of sh:select and sh:ask")
        messages = tuple(m for m in g.objects(validator, sh("message")) if isinstance(m, Literal)) or self.messages
        return [
            SparqlConstraint(
                node=validator,
                select=str(select) if select is not None else None,
                ask=str(ask) if ask is not None else None,
                prefixes=read_prefixes(g, validator),
                messages=messages,
                component=self.node if isinstance(self.node, URIRef) else sh("SPARQLConstraintComponent"),
                parameters=bound,
                source_constraint=False,
            )
        ]


def read_components(g: Graph) -> list[Component]:
    """The SPARQL-based constraint components the shapes graph declares."""
    out = []
    kinds = {sh("ConstraintComponent"), *g.transitive_subjects(RDFS.subClassOf, sh("ConstraintComponent"))}
    nodes = {n for kind in kinds for n in g.subjects(RDF.type, kind)}
    for node in sorted(nodes, key=str):
        parameters = []
        for param in g.objects(node, sh("parameter")):
            path = g.value(param, sh("path"))
            if not isinstance(path, URIRef):
                raise ShapesError(f"parameter {param} of {node} needs an IRI as sh:path")
            name = re.split(r"[#/]", str(path))[-1]
            optional = any(str(v) in ("true", "1") for v in g.objects(param, sh("optional")))
            parameters.append(_Parameter(path, name, optional))
        if not parameters:
            raise ShapesError(f"constraint component {node} has no sh:parameter")
        if any(p.path.startswith(str(sh(""))) for p in parameters):
            continue  # a SHACL core component described in the shapes graph (shacl.ttl): the engine knows it
        out.append(
            Component(
                node,
                parameters,
                g.value(node, sh("validator")),
                g.value(node, sh("nodeValidator")),
                g.value(node, sh("propertyValidator")),
                tuple(m for m in g.objects(node, sh("message")) if isinstance(m, Literal)),
            )
        )
    return out
