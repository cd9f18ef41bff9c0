"""Constraint evaluation, set-at-a-time: a shape is evaluated over all its focus nodes at once; the value nodes
of a path come from one scan per predicate (see paths.DataIndex); nested shapes (sh:node, sh:not, sh:and,
sh:or, sh:xone, sh:qualifiedValueShape) are evaluated over the set of value nodes and answer which of them do
not conform, memoised per (shape, node)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef

from govgraph.shacl.literals import is_well_typed, less_or_equal, less_than
from govgraph.shacl.model import Constraint, PredicatePath, Result, Shape, ShapesError
from govgraph.shacl.paths import EMPTY, DataIndex
from govgraph.shacl.shapes import ShapesGraph
from govgraph.shacl.sparql import evaluate_sparql
from govgraph.shacl.terms import OxTerm, to_ox

_NODE_KINDS = {
    "IRI": (ox.NamedNode,),
    "BlankNode": (ox.BlankNode,),
    "Literal": (ox.Literal,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
    "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    "IRIOrLiteral": (ox.NamedNode, ox.Literal),
}
_REGEX_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class Engine:
    """Validates a data graph (a DataIndex, with its pyoxigraph store for SPARQL) against a shapes graph."""

    def __init__(self, index: DataIndex, shapes: ShapesGraph) -> None:
        self.index = index
        self.shapes = shapes
        self._conforms: dict[Shape, dict[OxTerm, bool]] = {}
        self._well_typed: dict[ox.Literal, bool] = {}
        self._shapes_graph_name: ox.NamedNode | None = None

    # -------------------------------------------------------------- entry points

    def run(self) -> list[Result]:
        """Every validation result of every shape with targets."""
        results: list[Result] = []
        for shape in self.shapes.top_level_shapes():
            focus = self.focus_nodes(shape)
            if not focus:
                continue
            failing, found = self.evaluate(shape, focus, collect=True)
            results.extend(found)
            memo = self._conforms.setdefault(shape, {})
            for f in focus:
                memo.setdefault(f, f not in failing)
        return results

    def focus_nodes(self, shape: Shape) -> list[OxTerm]:
        out: dict[OxTerm, None] = dict.fromkeys(shape.target_nodes)
        for cls in shape.target_classes:
            out.update(dict.fromkeys(self.index.instance_list(cls)))
        for p in shape.target_subjects_of:
            out.update(dict.fromkeys(self.index.forward(p)))
        for p in shape.target_objects_of:
            out.update(dict.fromkeys(self.index.backward(p)))
        return list(out)

    def failing(self, shape: Shape, nodes: Iterable[OxTerm]) -> set[OxTerm]:
        """The nodes that do not conform to ``shape`` (memoised; a shape met again while it is being evaluated
        for the same node is assumed to conform, so recursive shapes terminate)."""
        nodes = list(dict.fromkeys(nodes))
        if shape.deactivated or not nodes:
            return set()
        memo = self._conforms.setdefault(shape, {})
        todo = [n for n in nodes if n not in memo]
        if todo:
            for n in todo:
                memo[n] = True
            bad, _ = self.evaluate(shape, todo, collect=False)
            for n in todo:
                memo[n] = n not in bad
        return {n for n in nodes if not memo[n]}

    def evaluate(self, shape: Shape, focus: list[OxTerm], collect: bool) -> tuple[set[OxTerm], list[Result]]:
        """(focus nodes that fail, results) of one shape over a set of focus nodes."""
        if shape.deactivated:
            return set(), []
        # The value nodes: a property shape's path from each focus node; a node shape's focus node itself.
        values = self.index.values(shape.path, focus) if shape.path is not None else {f: [f] for f in focus}
        failing: set[OxTerm] = set()
        results: list[Result] = []
        for constraint in shape.constraints:
            if constraint.kind == "property":
                inner = constraint.value
                all_values = focus if shape.path is None else self._all_values(values)
                if collect:
                    bad, found = self.evaluate(inner, all_values, collect=True)
                    if found and shape.path is not None:
                        # A value node reached from two focus nodes is validated (and reported) for each of them.
                        times = Counter(v for vs in values.values() for v in vs)
                        found = [r for r in found for _ in range(times.get(r.focus, 1))]
                    results.extend(found)
                else:
                    bad = self.failing(inner, all_values)
                if bad:
                    failing.update(f for f, vs in values.items() if any(v in bad for v in vs))
                continue
            handler = getattr(self, "_check_" + constraint.kind)
            found = handler(shape, constraint, values)
            if found:
                failing.update(r.focus for r in found)
                results.extend(found)
        return failing, results

    # -------------------------------------------------------------- helpers

    @staticmethod
    def _each_value(shape: Shape, c: Constraint, values: dict, fails) -> list[Result]:
        """A result for each value node for which ``fails(value)`` is true."""
        component = c.component
        return [Result(shape, f, component, v, constraint=c) for f, vs in values.items() for v in vs if fails(v)]

    @staticmethod
    def _all_values(values: dict) -> list[OxTerm]:
        return list(dict.fromkeys(v for vs in values.values() for v in vs))

    def is_well_typed(self, literal: ox.Literal) -> bool:
        found = self._well_typed.get(literal)
        if found is None:
            found = self._well_typed[literal] = is_well_typed(literal)
        return found

    # -------------------------------------------------------------- value type

    def _check_class(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        instances = self.index.instances(c.value)
        return self._each_value(shape, c, values, lambda v: v not in instances)

    def _check_datatype(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        datatype = c.value

        def fails(v: OxTerm) -> bool:
            return not (isinstance(v, ox.Literal) and v.datatype == datatype and self.is_well_typed(v))

        return self._each_value(shape, c, values, fails)

    def _check_nodeKind(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        kinds = _NODE_KINDS.get(c.value)
        if kinds is None:
            raise ShapesError(f"sh:nodeKind sh:{c.value} is not a node kind (shape {shape.node})")
        return self._each_value(shape, c, values, lambda v: not isinstance(v, kinds))

    # -------------------------------------------------------------- cardinality

    def _check_minCount(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return [Result(shape, f, c.component, constraint=c) for f, vs in values.items() if len(vs) < c.value]

    def _check_maxCount(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return [Result(shape, f, c.component, constraint=c) for f, vs in values.items() if len(vs) > c.value]

    # -------------------------------------------------------------- value range

    def _check_minExclusive(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return self._each_value(shape, c, values, lambda v: not less_than(c.value, v))

    def _check_minInclusive(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return self._each_value(shape, c, values, lambda v: not less_or_equal(c.value, v))

    def _check_maxExclusive(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return self._each_value(shape, c, values, lambda v: not less_than(v, c.value))

    def _check_maxInclusive(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return self._each_value(shape, c, values, lambda v: not less_or_equal(v, c.value))

    # -------------------------------------------------------------- string based

    def _check_minLength(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        if c.value == 0:
            return []
        return self._each_value(shape, c, values, lambda v: isinstance(v, ox.BlankNode) or len(v.value) < c.value)

    def _check_maxLength(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return self._each_value(shape, c, values, lambda v: isinstance(v, ox.BlankNode) or len(v.value) > c.value)

    def _check_pattern(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        regex = c.options.get("compiled")
        if regex is None:
            regex = c.options["compiled"] = _compile_regex(c.value, c.options.get("flags", ""), shape)
        return self._each_value(
            shape, c, values, lambda v: isinstance(v, ox.BlankNode) or regex.search(v.value) is None
        )

    def _check_languageIn(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        ranges = [r.lower() for r in c.value]

        def fails(v: OxTerm) -> bool:
            lang = v.language if isinstance(v, ox.Literal) else None
            return not lang or not any(_lang_matches(lang.lower(), r) for r in ranges)

        return self._each_value(shape, c, values, fails)

    def _check_uniqueLang(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        out = []
        for f, vs in values.items():
            seen: set[str] = set()
            duplicates: dict[str, None] = {}
            for v in vs:
                lang = v.language if isinstance(v, ox.Literal) else None
                if lang:
                    lang = lang.lower()
                    if lang in seen:
                        duplicates[lang] = None
                    seen.add(lang)
            out.extend(Result(shape, f, c.component, constraint=c) for _ in duplicates)
        return out

    # -------------------------------------------------------------- property pairs

    def _others(self, values: dict, predicate: OxTerm) -> dict:
        return self.index.values(PredicatePath(predicate), values.keys())

    def _check_equals(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        others = self._others(values, c.value)
        out = []
        for f, vs in values.items():
            mine, theirs = set(vs), others.get(f, EMPTY)
            their_set = set(theirs)
            out.extend(Result(shape, f, c.component, v, constraint=c) for v in vs if v not in their_set)
            out.extend(Result(shape, f, c.component, v, constraint=c) for v in theirs if v not in mine)
        return out

    def _check_disjoint(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        others = self._others(values, c.value)
        out = []
        for f, vs in values.items():
            theirs = set(others.get(f, EMPTY))
            out.extend(Result(shape, f, c.component, v, constraint=c) for v in vs if v in theirs)
        return out

    def _pairs(self, shape: Shape, c: Constraint, values: dict, ok) -> list[Result]:
        others = self._others(values, c.value)
        out = []
        for f, vs in values.items():
            theirs = others.get(f, EMPTY)
            for v in vs:
                out.extend(Result(shape, f, c.component, v, constraint=c) for w in theirs if not ok(v, w))
        return out

    def _check_lessThan(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return self._pairs(shape, c, values, less_than)

    def _check_lessThanOrEquals(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return self._pairs(shape, c, values, less_or_equal)

    # -------------------------------------------------------------- logical and shape based

    def _check_not(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        all_values = self._all_values(values)
        bad = self.failing(c.value, all_values)
        return self._each_value(shape, c, values, lambda v: v not in bad)

    def _check_and(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        all_values = self._all_values(values)
        bad: set[OxTerm] = set()
        for member in c.value:
            bad |= self.failing(member, all_values)
        return self._each_value(shape, c, values, lambda v: v in bad)

    def _check_or(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        remaining = self._all_values(values)  # values that conform to no member so far
        for member in c.value:
            if not remaining:
                break
            bad = self.failing(member, remaining)
            remaining = [v for v in remaining if v in bad]
        failing = set(remaining)
        return self._each_value(shape, c, values, lambda v: v in failing)

    def _check_xone(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        all_values = self._all_values(values)
        conforming = dict.fromkeys(all_values, 0)
        for member in c.value:
            bad = self.failing(member, all_values)
            for v in all_values:
                if v not in bad:
                    conforming[v] += 1
        return self._each_value(shape, c, values, lambda v: conforming[v] != 1)

    def _check_node(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        bad = self.failing(c.value, self._all_values(values))
        return self._each_value(shape, c, values, lambda v: v in bad)

    def _qualified_counts(self, c: Constraint, values: dict) -> dict[OxTerm, int]:
        all_values = self._all_values(values)
        bad = self.failing(c.value, all_values)
        ok = {v for v in all_values if v not in bad}
        for sibling in c.options["siblings"]:
            sibling_bad = self.failing(sibling, ok)
            ok = {v for v in ok if v in sibling_bad}
        return {f: sum(1 for v in vs if v in ok) for f, vs in values.items()}

    def _check_QualifiedMinCount(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        counts = self._qualified_counts(c, values)
        return [Result(shape, f, c.component, constraint=c) for f in values if counts[f] < c.options["count"]]

    def _check_QualifiedMaxCount(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        counts = self._qualified_counts(c, values)
        return [Result(shape, f, c.component, constraint=c) for f in values if counts[f] > c.options["count"]]

    # -------------------------------------------------------------- other

    def _check_closed(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        allowed = c.value
        out = []
        for f, vs in values.items():
            for v in vs:
                for p, o in self.index.triples_of(v):
                    if p not in allowed:
                        out.append(Result(shape, f, c.component, o, path=URIRef(p.value), constraint=c))
        return out

    def _check_hasValue(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return [Result(shape, f, c.component, constraint=c) for f, vs in values.items() if c.value not in vs]

    def _check_in(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        members = c.value
        return self._each_value(shape, c, values, lambda v: v not in members)

    def _check_SPARQL(self, shape: Shape, c: Constraint, values: dict) -> list[Result]:
        return evaluate_sparql(self.index, self.shapes_graph_name, shape, c, values)

    # -------------------------------------------------------------- $shapesGraph

    def shapes_graph_name(self) -> ox.NamedNode:
        """The named graph of the store that holds a copy of the shapes graph (for $shapesGraph in SPARQL)."""
        if self._shapes_graph_name is None:
            name = ox.NamedNode("urn:x-govgraph:shacl:shapes-graph")
            self.index.store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in self.shapes.graph)
            self._shapes_graph_name = name
        return self._shapes_graph_name


def _lang_matches(lang: str, language_range: str) -> bool:
    """SPARQL langMatches (RFC 4647 basic filtering)."""
    if language_range == "*":
        return bool(lang)
    return lang == language_range or lang.startswith(language_range + "-")


def _compile_regex(pattern: str, flags: str, shape: Shape) -> re.Pattern:
    value = 0
    for flag in flags:
        if flag == "q":
            pattern = re.escape(pattern)
        elif flag in _REGEX_FLAGS:
            value |= _REGEX_FLAGS[flag]
        else:
            raise ShapesError(f"unknown regular expression flag {flag!r} in shape {shape.node}")
    try:
        return re.compile(pattern, value)
    except re.error as exc:
        raise ShapesError(f"sh:pattern {pattern!r} of shape {shape.node} is not a valid regex: {exc}") from None
