"""The data side of the engine: an index over a pyoxigraph store that answers "all (subject, object) pairs of a
predicate" with one scan and keeps the answer, and the evaluation of SHACL property paths over sets of nodes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from govgraph.shacl.model import (
    AlternativePath,
    InversePath,
    OneOrMorePath,
    Path,
    PredicatePath,
    SequencePath,
    ZeroOrMorePath,
    ZeroOrOnePath,
)
from govgraph.shacl.terms import RDF_LANG_STRING, RDF_TYPE, RDFS_SUBCLASS_OF, XSD_STRING, OxTerm, to_rdflib

EMPTY: tuple = ()
# Literals a store keeps as written (any other typed literal it may rewrite into a canonical form).
_NOT_CANONICALISED = frozenset({XSD_STRING, RDF_LANG_STRING})


def as_stored(literals: list[ox.Literal]) -> list[ox.Literal]:
    """Each literal as a pyoxigraph store keeps it, in order ("1.0"^^xsd:double -> "1"): read back from a
    scratch store, so that these are the store's own rules, not a copy of them."""
    scratch, predicate = ox.Store(), ox.NamedNode("urn:x-govgraph:literal")
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:x-govgraph:literal:{i}"), predicate, o) for i, o in enumerate(literals))
    quads = scratch.quads_for_pattern(None, predicate, None)
    stored = {int(q.subject.value.rsplit(":", 1)[1]): q.object for q in quads}
    return [stored[i] for i in range(len(literals))]


class DataIndex:
    """The data graph as Python maps, built in one pass over its triples: predicate -> {subject: [objects]},
    with predicate -> {object: [subjects]} and class instances (with the rdfs:subClassOf closure) derived on
    demand and cached.

    The triples come from the input itself (an rdflib graph or parsed N-Triples), not read back from a
    pyoxigraph store: the store keeps typed literals in a canonical form ("-5.0"^^xsd:decimal comes back as
    "-5", "12"^^xsd:byte as "12"^^xsd:integer), which would change sh:value and break sh:datatype for the
    derived XSD types. The store is still where SPARQL-based constraints run (see ``store``)."""

    def __init__(self, quads: Iterable, store: ox.Store | Callable[[], ox.Store] | None = None) -> None:
        """``quads``: pyoxigraph Quads or (subject, predicate, object, graph) tuples; the graph is ignored.
        ``store``: the same data in a pyoxigraph store, or a function that returns it when it is first needed
        (so that a store can still be loading while the core constraints run)."""
        self._forward: dict[OxTerm, dict[OxTerm, list[OxTerm]]] = {}
        self._backward: dict[OxTerm, dict[OxTerm, list[OxTerm]]] = {}
        self._instances: dict[OxTerm, set[OxTerm]] = {}
        self._subclasses: dict[OxTerm, list[OxTerm]] = {}
        self._store = store
        self._rewrites: dict[ox.Literal, ox.Literal] | None = None  # see store_rewrites
        self._as_written: dict[ox.Literal, ox.Literal] | None = None  # the inverse, where it is one to one
        self._rdflib = None  # see as_rdflib
        self.triples = 0
        forward = self._forward
        count = 0
        for s, p, o, _ in quads:
            count += 1
            table = forward.get(p)
            if table is None:
                table = forward[p] = {}
            objects = table.get(s)
            if objects is None:
                table[s] = [o]
            else:
                objects.append(o)
        # A source may repeat a triple (N-Triples can, and so can two files); a graph holds it once.
        for table in forward.values():
            for s, objects in table.items():
                if len(objects) > 1 and len(set(objects)) < len(objects):
                    count -= len(objects)
                    table[s] = objects = list(dict.fromkeys(objects))
                    count += len(objects)
        self.triples = count

    @property
    def store(self) -> ox.Store:
        """A pyoxigraph store with the same data, where SPARQL-based constraints run."""
        if self._store is None:
            raise RuntimeError("the data was given without a store, so SPARQL-based constraints cannot run")
        if callable(self._store):
            self._store = self._store()
        return self._store

    def as_in_data(self, term: OxTerm) -> OxTerm:
        """``term``, as the store gave it back, as the data wrote it: the store keeps typed literals in canonical
        form ("1.0"^^xsd:double as "1", "1"^^xsd:byte as 1), so a literal of a SPARQL solution is mapped back
        to the one literal of the data with that canonical form (kept as it is if there is none, or several)."""
        if not isinstance(term, ox.Literal) or term.datatype in _NOT_CANONICALISED:
            return term
        if self._as_written is None:
            self._read_back()
        return self._as_written.get(term, term)

    def store_rewrites(self) -> dict[ox.Literal, ox.Literal]:
        """{literal as the data writes it: as the store keeps it} for every literal of the data the store
        rewrites ("1.0"^^xsd:double -> "1"^^xsd:double, "01"^^xsd:byte -> "1"^^xsd:integer). Read back from a
        scratch store: the store's own rules, not a copy of them (Oxigraph cannot keep them as written:
        https://github.com/oxigraph/oxigraph/issues/526)."""
        if self._rewrites is None:
            self._read_back()
        return self._rewrites

    def store_rewrites_any(self, terms: Iterable[OxTerm]) -> bool:
        """Whether the store rewrites a literal of the data, or one of ``terms`` (focus nodes may be literals
        the data does not hold: a sh:targetNode written in the shapes)."""
        if self.store_rewrites():
            return True
        extra = [t for t in terms if type(t) is ox.Literal and t.datatype not in _NOT_CANONICALISED]
        return any(stored != written for written, stored in zip(extra, as_stored(extra), strict=True))

    def as_rdflib(self):
        """The data as an rdflib graph, literals exactly as written (built once, on first use): where SPARQL
        constraints that read lexical forms run when the store rewrote some literals (see store_rewrites)."""
        if self._rdflib is None:
            from rdflib import Graph

            graph = Graph()
            add = graph.add
            for p, table in self._forward.items():
                rp = to_rdflib(p)
                for s, objects in table.items():
                    rs = to_rdflib(s)
                    for o in objects:
                        add((rs, rp, to_rdflib(o)))
            self._rdflib = graph
        return self._rdflib

    def _read_back(self) -> None:
        """Put the data's typed literals into a scratch store and read them back: fills ``_rewrites`` and
        ``_as_written`` (a stored form maps back only when one literal of the data has it, rewritten or not)."""
        written = list(
            {
                o
                for table in self._forward.values()
                for objects in table.values()
                for o in objects
                if type(o) is ox.Literal and o.datatype not in _NOT_CANONICALISED
            }
        )
        self._rewrites = {}
        originals: dict[ox.Literal, list[ox.Literal]] = {}
        for original, stored in zip(written, as_stored(written), strict=True):
            originals.setdefault(stored, []).append(original)
            if stored != original:
                self._rewrites[original] = stored
        self._as_written = {
            stored: found[0] for stored, found in originals.items() if len(found) == 1 and found[0] != stored
        }

    # -------------------------------------------------------------- triples

    def forward(self, predicate: OxTerm) -> dict[OxTerm, list[OxTerm]]:
        """{subject: [objects]} of one predicate."""
        return self._forward.get(predicate) or {}

    def backward(self, predicate: OxTerm) -> dict[OxTerm, list[OxTerm]]:
        """{object: [subjects]} of one predicate."""
        found = self._backward.get(predicate)
        if found is None:
            found = {}
            for s, objects in self.forward(predicate).items():
                for o in objects:
                    subjects = found.get(o)
                    if subjects is None:
                        found[o] = [s]
                    else:
                        subjects.append(s)
            self._backward[predicate] = found
        return found

    def objects_of(self, nodes: Iterable[OxTerm], predicate: OxTerm, inverse: bool = False) -> dict:
        """{node: [values]} of one predicate for the given nodes."""
        table = self.backward(predicate) if inverse else self.forward(predicate)
        return {n: table.get(n, EMPTY) for n in nodes}

    def triples_of(self, node: OxTerm) -> list[tuple[OxTerm, OxTerm]]:
        """(predicate, object) pairs of every triple with ``node`` as subject."""
        return [(p, o) for p, table in self._forward.items() for o in table.get(node, EMPTY)]

    # -------------------------------------------------------------- classes

    def subclasses(self, cls: OxTerm) -> list[OxTerm]:
        """``cls`` and every class below it by rdfs:subClassOf (in the data graph), cycles tolerated."""
        found = self._subclasses.get(cls)
        if found is None:
            below = self.backward(RDFS_SUBCLASS_OF)
            seen = {cls: None}
            todo = [cls]
            while todo:
                for sub in below.get(todo.pop(), EMPTY):
                    if sub not in seen:
                        seen[sub] = None
                        todo.append(sub)
            found = self._subclasses[cls] = list(seen)
        return found

    def instances(self, cls: OxTerm) -> set[OxTerm]:
        """The SHACL instances of ``cls``: nodes typed with it or with one of its subclasses."""
        found = self._instances.get(cls)
        if found is None:
            typed = self.backward(RDF_TYPE)
            found = set()
            for sub in self.subclasses(cls):
                found.update(typed.get(sub, EMPTY))
            self._instances[cls] = found
        return found

    def instance_list(self, cls: OxTerm) -> list[OxTerm]:
        """The instances of ``cls`` in a stable order (store order, subclasses after their class)."""
        typed = self.backward(RDF_TYPE)
        out: dict[OxTerm, None] = {}
        for sub in self.subclasses(cls):
            for n in typed.get(sub, EMPTY):
                out[n] = None
        return list(out)

    # -------------------------------------------------------------- paths

    def values(self, path: Path, nodes: Iterable[OxTerm]) -> dict[OxTerm, list[OxTerm]]:
        """{node: [value nodes]} of a SHACL path for each of the (distinct) nodes, without duplicates."""
        return self._eval(path, nodes if isinstance(nodes, list) else list(nodes), False)

    def _eval(self, path: Path, nodes: list[OxTerm], inverse: bool) -> dict[OxTerm, list[OxTerm]]:
        if isinstance(path, PredicatePath):
            # A store holds each triple once, so the values of one predicate have no duplicates.
            return self.objects_of(nodes, path.iri, inverse)
        if isinstance(path, InversePath):
            return self._eval(path.path, nodes, not inverse)
        if isinstance(path, SequencePath):
            steps = path.paths[::-1] if inverse else path.paths
            current = {n: [n] for n in nodes}
            for step in steps:
                middle = list(dict.fromkeys(v for vs in current.values() for v in vs))
                step_values = self._eval(step, middle, inverse)
                # From one node, a step's values have no duplicates; from several they may.
                current = {
                    n: step_values.get(vs[0], EMPTY)
                    if len(vs) == 1
                    else list(dict.fromkeys(w for v in vs for w in step_values.get(v, EMPTY)))
                    for n, vs in current.items()
                }
            return current
        if isinstance(path, AlternativePath):
            parts = [self._eval(p, nodes, inverse) for p in path.paths]
            return {n: list(dict.fromkeys(v for part in parts for v in part.get(n, EMPTY))) for n in nodes}
        if isinstance(path, ZeroOrOnePath):
            step = self._eval(path.path, nodes, inverse)
            return {n: list(dict.fromkeys([n, *step.get(n, EMPTY)])) for n in nodes}
        if isinstance(path, ZeroOrMorePath | OneOrMorePath):
            return self._closure(path.path, nodes, inverse, zero=isinstance(path, ZeroOrMorePath))
        raise TypeError(f"not a path: {path!r}")

    def _closure(self, step: Path, nodes: list[OxTerm], inverse: bool, zero: bool) -> dict:
        successors: dict[OxTerm, list[OxTerm]] = {}

        def expand(frontier: list[OxTerm]) -> None:
            todo = [n for n in frontier if n not in successors]
            if todo:
                successors.update(self._eval(step, todo, inverse))

        out = {}
        for n in nodes:
            reached: dict[OxTerm, None] = {n: None} if zero else {}
            frontier = [n]
            visited = {n}
            while frontier:
                expand(frontier)
                following = []
                for f in frontier:
                    for v in successors.get(f, EMPTY):
                        reached.setdefault(v, None)
                        if v not in visited:
                            visited.add(v)
                            following.append(v)
                frontier = following
            out[n] = list(reached)
        return out
