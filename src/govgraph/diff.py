"""What changed between two versions of the dataset, in domain terms rather than triples.

    from govgraph.diff import diff
    changes = diff("releases/2024-01", "dist/release")      # release folders or RDF files
    print(changes.to_text())

Both sides are loaded into in-memory pyoxigraph stores and their triples compared as sets of N-Triples lines.
For the resources with a changed triple (only those, so the work grows with the change, not the data), index
lookups on each side read the facts a reader cares about: commitments and their titles, IRM assessments and
their values, action plans and statuses, institutions, reform initiatives, money amounts; the two sets of
facts are compared. Triples that changed for any other reason are counted per class of their subject as a tail.
Blank nodes are compared by label, so only data without blank nodes (like govgraph's own) diffs cleanly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govgraph.errors import InputError, InputErrors
from govgraph.namespaces import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox
    from rdflib import Graph

# In a release folder, the file read (the first there is): N-Triples parses fastest.
RELEASE_FILES = ("govgraph.nt", "govgraph.ttl", "govgraph.trig", "govgraph.jsonld")

RDF_TYPE = PREFIXES["rdf"] + "type"
LABEL_PROPERTIES = ("dcterms:title", "rdfs:label", "skos:prefLabel", "gg:shortTitle")
COMMITMENT_PROPERTIES = {
    "dcterms:identifier": "identifier",
    "gg:actionPlan": "action plan",
    "gg:status": "status",
    "gg:starred": "starred",
}
MONEY_PROPERTIES = {
    "schema:value": "value",
    "schema:currency": "currency",
    "gg:year": "year",
    "gg:periodStart": "period start",
    "gg:periodEnd": "period end",
    "gg:perYear": "per year",
}
INITIATIVE_CLASSES = ("gg:Initiative", "gg:ProcessInitiative")


def expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


# ---------------------------------------------------------------- loading


@dataclass
class Side:
    """One side of a diff: a pyoxigraph store with its triples, all in the default graph."""

    name: str
    store: ox.Store

    def objects(self, subject: str, predicate: str) -> list[Any]:
        """The objects of (subject, predicate, ?o), both given as IRIs: an index lookup, not a query."""
        import pyoxigraph as ox

        quads = self.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, ox.DefaultGraph())
        return [q.object for q in quads]

    def exists(self, subject: str) -> bool:
        import pyoxigraph as ox

        return next(iter(self.store.quads_for_pattern(ox.NamedNode(subject), None, None)), None) is not None

    def lines(self) -> set[bytes]:
        """The triples as N-Triples lines. One serialiser writes both sides, so the same triple is the same line:
        comparing lines compares triples, in native code and without a Python object per triple."""
        import pyoxigraph as ox

        return set(self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).splitlines())


def load(source: str | Path | Graph, name: str | None = None, *, allow_empty: bool = False) -> Side:
    """A release folder, a data package folder, an RDF file (.ttl .nt .nq .trig .jsonld .rdf) or an rdflib
    Graph, as one side of a diff.

    Named graphs are merged into one graph. Bad input raises InputErrors naming the file, line and column; a
    file with no triples is bad input unless ``allow_empty`` (a diff against nothing lists everything as new,
    which is what an interrupted export would look like)."""
    if not isinstance(source, (str, Path)):
        from govgraph.export import serialize

        return side_from_ntriples(serialize(source, "nt"), name or "graph")
    path = Path(source)
    if path.is_dir() and (path / "package.yaml").is_file():  # a data package: its dataset as built now
        from govgraph.build import build
        from govgraph.export import serialize

        return side_from_ntriples(serialize(build(data=path), "nt"), name or str(source))
    if path.is_dir():
        found = next((path / f for f in RELEASE_FILES if (path / f).is_file()), None)
        if found is None:
            raise InputErrors(
                [InputError(str(path), None, f"not a release folder: none of {', '.join(RELEASE_FILES)}")]
            )
        path = found
    elif not path.exists():
        raise InputErrors([InputError(str(path), None, "no such file or folder")])
    from govgraph.inputs import read_store

    return Side(name or str(source), _merged(read_store([path], vocabulary=False, allow_empty=allow_empty)))


def side_from_ntriples(data: bytes, name: str) -> Side:
    """One side of a diff from N-Triples that govgraph wrote itself (a release being made)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES)
    return Side(name, store)


def _merged(store: ox.Store) -> ox.Store:
    """The store with its named graphs' triples moved into the default graph: a diff compares triples."""
    if next(iter(store.named_graphs()), None) is not None:
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } ; DROP NAMED")
    return store


def _triples(lines: set[bytes]) -> set:
    """N-Triples lines (from Side.lines) as pyoxigraph triples."""
    import pyoxigraph as ox

    return set(ox.parse(b"\n".join(lines), ox.RdfFormat.N_TRIPLES))


# ---------------------------------------------------------------- facts read from one side


def _values(side: Side, subjects: list[str], properties: tuple[str, ...]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(subject, property) → its values (terms, sorted), for the given subjects and properties (CURIEs)."""
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    for p in map(expand, properties):
        for s in subjects:
            values = side.objects(s, p)
            if values:
                out[(s, p)] = tuple(sorted(values, key=str))
    return out


def _labels(side: Side, subjects: list[str]) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(subject, label property, language) → the label texts."""
    import pyoxigraph as ox

    out: dict[tuple[str, str, str], list[str]] = {}
    for (s, p), values in _values(side, subjects, LABEL_PROPERTIES).items():
        for v in values:
            if isinstance(v, ox.Literal):
                out.setdefault((s, p, v.language or ""), []).append(v.value)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _assessments(side: Side, subjects: list[str]) -> dict[str, dict[str, str | None]]:
    """Assessment → its commitment's identifier, criterion, report (the first of each in string order) and
    value(s) (sorted, joined by " | ")."""
    import pyoxigraph as ox

    assessment = ox.NamedNode(expand("gg:IRMAssessment"))
    out = {}
    for s in subjects:
        if assessment not in side.objects(s, RDF_TYPE):
            continue
        ids = [
            i.value
            for c in side.objects(s, expand("gg:assessedCommitment"))
            if isinstance(c, ox.NamedNode)
            for i in side.objects(c.value, expand("dcterms:identifier"))
        ]
        criteria = [t.value for t in side.objects(s, expand("gg:criterion"))]
        reports = [t.value for t in side.objects(s, expand("gg:report"))]
        values = sorted({t.value for t in side.objects(s, expand("gg:value"))})
        out[s] = {
            "commitment": min(ids, default=None) or None,
            "criterion": min(criteria, default=None) or None,
            "report": min(reports, default=None) or None,
            "value": " | ".join(values) or None,
        }
    return out


# ---------------------------------------------------------------- the diff


@dataclass
class Diff:
    """The changes from ``old`` to ``new``, grouped by what they mean. Every list is in a fixed order."""

    old: str
    new: str
    triples_added: int = 0
    triples_removed: int = 0
    commitments_added: list[dict] = field(default_factory=list)
    commitments_removed: list[dict] = field(default_factory=list)
    labels_changed: list[dict] = field(default_factory=list)
    commitments_changed: list[dict] = field(default_factory=list)
    assessments_changed: list[dict] = field(default_factory=list)
    assessments_added: list[dict] = field(default_factory=list)
    assessments_removed: list[dict] = field(default_factory=list)
    institutions_added: list[dict] = field(default_factory=list)
    institutions_removed: list[dict] = field(default_factory=list)
    initiatives_added: list[dict] = field(default_factory=list)
    initiatives_removed: list[dict] = field(default_factory=list)
    amounts_changed: list[dict] = field(default_factory=list)
    other_changes: list[dict] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.triples_added or self.triples_removed)

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return {"changed": self.has_changes, **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_text(self) -> str:
        head = f"govgraph diff {self.old} → {self.new}: "
        if not self.has_changes:
            return head + "no changes\n"
        lines = [head + f"{self.triples_added} triples added, {self.triples_removed} removed"]
        for title, rows in self._sections():
            lines += ["", f"{title} ({len(rows)})", *(f"  {line}" for line in rows)]
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        if not self.has_changes:
            return f"No changes from {self.old} to {self.new}.\n"
        counts = f"{self.triples_added} triples added, {self.triples_removed} removed"
        lines = [f"Changes from {self.old} to {self.new}: {counts}."]
        for title, rows in self._sections(markdown=True):
            lines += ["", f"### {title} ({len(rows)})", "", *(f"- {line}" for line in rows)]
        return "\n".join(lines) + "\n"

    def _sections(self, markdown: bool = False) -> list[tuple[str, list[str]]]:
        """(heading, one line per change) for every non-empty section, in a fixed order."""

        def code(text: str) -> str:
            return f"`{text}`" if markdown else text

        def q(text: str | None) -> str:
            return "(none)" if text is None else json.dumps(text, ensure_ascii=False)

        def entity(row: dict) -> str:
            return f"{code(row['resource'])} {row['label']}".rstrip()

        def assessment(row: dict) -> str:
            return f"{code(row['commitment'] or '?')} {row['criterion']} ({row['report']})"

        sections = [
            ("Commitments added", [f"{code(r['id'])} {r['title']}" for r in self.commitments_added]),
            ("Commitments removed", [f"{code(r['id'])} {r['title']}" for r in self.commitments_removed]),
            (
                "Titles and labels changed",
                [
                    f"{code(r['resource'])} {r['property']}@{r['language'] or '-'}: {q(r['old'])} → {q(r['new'])}"
                    for r in self.labels_changed
                ],
            ),
            (
                "Commitments: identifier, action plan, status or star changed",
                [
                    f"{code(r['id'])} {r['property']}: {r['old'] or '(none)'} → {r['new'] or '(none)'}"
                    for r in self.commitments_changed
                ],
            ),
            (
                "IRM assessments changed",
                [f"{assessment(r)}: {r['old'] or '(none)'} → {r['new'] or '(none)'}" for r in self.assessments_changed],
            ),
            ("IRM assessments added", [f"{assessment(r)}: {r['value']}" for r in self.assessments_added]),
            ("IRM assessments removed", [f"{assessment(r)}: {r['value']}" for r in self.assessments_removed]),
            ("Institutions added", [entity(r) for r in self.institutions_added]),
            ("Institutions removed", [entity(r) for r in self.institutions_removed]),
            ("Reform initiatives added", [entity(r) for r in self.initiatives_added]),
            ("Reform initiatives removed", [entity(r) for r in self.initiatives_removed]),
            (
                "Money amounts changed",
                [
                    f"{entity(r)}: {r['property']} {r['old'] or '(none)'} → {r['new'] or '(none)'}"
                    for r in self.amounts_changed
                ],
            ),
            (
                "Other changed triples, by class",
                [f"{code(r['class'])} +{r['added']} -{r['removed']}" for r in self.other_changes],
            ),
        ]
        return [(title, rows) for title, rows in sections if rows]


def short(iri: str) -> str:
    """``commitment/DK0040`` for a thing under any base, ``gg:Commitment`` for a term, else the IRI."""
    if "/id/" in iri:
        return iri.split("/id/", 1)[1]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def diff(old: str | Path | Graph | Side, new: str | Path | Graph | Side) -> Diff:
    """Compare two versions of the dataset (release folders, RDF files, rdflib Graphs or loaded sides)."""
    import pyoxigraph as ox

    a = old if isinstance(old, Side) else load(old)
    b = new if isinstance(new, Side) else load(new)
    old_lines, new_lines = a.lines(), b.lines()
    added, removed = _triples(new_lines - old_lines), _triples(old_lines - new_lines)
    del old_lines, new_lines  # a million triples are a few hundred MB of lines
    result = Diff(a.name, b.name, triples_added=len(added), triples_removed=len(removed))
    if not added and not removed:
        return result
    changed = sorted({t.subject.value for t in added | removed if isinstance(t.subject, ox.NamedNode)})
    types_a = _values(a, changed, ("rdf:type",))
    types_b = _values(b, changed, ("rdf:type",))

    def is_a(types: dict, s: str, classes: tuple[str, ...]) -> bool:
        return any(expand(c) in {t.value for t in types.get((s, RDF_TYPE), ())} for c in classes)

    names: dict[str, str] = {}

    def name(iri: str) -> str:
        """A resource's English label (else Danish, else any) on the newer side that has one, else its key."""
        if iri not in names:
            labels = [label for side in (b, a) for label in side.objects(iri, expand("rdfs:label"))]
            ranked = sorted(labels, key=lambda t: ({"en": 0, "da": 1}.get(getattr(t, "language", None), 2), t.value))
            names[iri] = ranked[0].value if ranked else iri.rstrip("/").rsplit("/", 1)[-1]
        return names[iri]

    def text(term: Any) -> str:
        return name(term.value) if isinstance(term, ox.NamedNode) else term.value

    explained: set[tuple[str, str | None]] = set()  # (subject, predicate; None for all its triples)

    def appeared(classes: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """Resources of these classes that are in the new data only, and in the old data only."""
        plus = [s for s in changed if is_a(types_b, s, classes) and not is_a(types_a, s, classes)]
        minus = [s for s in changed if is_a(types_a, s, classes) and not is_a(types_b, s, classes)]
        explained.update((s, None) for s in plus + minus)
        return plus, minus

    # Commitments, by identifier.
    ids: dict[str, str] = {}
    for types, side in ((types_a, a), (types_b, b)):
        for (s, _p), values in _values(side, changed, ("dcterms:identifier",)).items():
            if is_a(types, s, ("gg:Commitment",)):
                ids[s] = values[0].value
    plus, minus = appeared(("gg:Commitment",))
    result.commitments_added = sorted(
        ({"id": ids.get(c, short(c)), "title": name(c), "resource": short(c)} for c in plus), key=lambda r: r["id"]
    )
    result.commitments_removed = sorted(
        ({"id": ids.get(c, short(c)), "title": name(c), "resource": short(c)} for c in minus), key=lambda r: r["id"]
    )

    # Titles and labels of resources on both sides, per property and language.
    both = {s for s in changed if a.exists(s) and b.exists(s)}
    labels_a, labels_b = _labels(a, changed), _labels(b, changed)
    for key in sorted(set(labels_a) | set(labels_b)):
        s, p, lang = key
        old_values, new_values = labels_a.get(key), labels_b.get(key)
        if s in both and old_values != new_values:
            explained.add((s, p))
            result.labels_changed.append(
                {
                    "resource": ids.get(s, short(s)),
                    "property": short(p),
                    "language": lang,
                    "old": " | ".join(old_values) if old_values else None,
                    "new": " | ".join(new_values) if new_values else None,
                }
            )

    # Action plan, status and star of commitments on both sides.
    facts_a = _values(a, changed, tuple(COMMITMENT_PROPERTIES))
    facts_b = _values(b, changed, tuple(COMMITMENT_PROPERTIES))
    for c in sorted((s for s in both if s in ids), key=lambda c: ids[c]):
        for curie, what in COMMITMENT_PROPERTIES.items():
            p = expand(curie)
            old_values, new_values = facts_a.get((c, p), ()), facts_b.get((c, p), ())
            if old_values != new_values:
                explained.add((c, p))
                result.commitments_changed.append(
                    {
                        "id": ids[c],
                        "property": what,
                        "old": ", ".join(map(text, old_values)) or None,
                        "new": ", ".join(map(text, new_values)) or None,
                    }
                )

    # IRM assessments: a changed value, or a whole assessment added or removed.
    assess_a, assess_b = _assessments(a, changed), _assessments(b, changed)

    def assessment_row(iri: str, facts: dict) -> dict:
        return {
            "assessment": short(iri),
            "commitment": facts["commitment"],
            "criterion": name(facts["criterion"]) if facts["criterion"] else None,
            "report": name(facts["report"]) if facts["report"] else None,
        }

    def values_text(joined: str | None) -> str | None:
        return " | ".join(name(v) for v in joined.split(" | ")) if joined else None

    for iri in set(assess_a) & set(assess_b):
        if assess_a[iri]["value"] != assess_b[iri]["value"]:
            explained.add((iri, expand("gg:value")))
            result.assessments_changed.append(
                {
                    **assessment_row(iri, assess_b[iri]),
                    "old": values_text(assess_a[iri]["value"]),
                    "new": values_text(assess_b[iri]["value"]),
                }
            )
    for target, here, there in (
        (result.assessments_added, assess_b, assess_a),
        (result.assessments_removed, assess_a, assess_b),
    ):
        for iri in set(here) - set(there):
            explained.add((iri, None))
            target.append({**assessment_row(iri, here[iri]), "value": values_text(here[iri]["value"])})
    for rows in (result.assessments_changed, result.assessments_added, result.assessments_removed):
        rows.sort(key=lambda r: (r["commitment"] or "", r["report"] or "", r["criterion"] or "", r["assessment"]))

    # Institutions and reform initiatives that appeared or disappeared.
    plus, minus = appeared(("org:Organization",))
    result.institutions_added = [{"resource": short(i), "label": name(i)} for i in plus]
    result.institutions_removed = [{"resource": short(i), "label": name(i)} for i in minus]
    plus, minus = appeared(INITIATIVE_CLASSES)
    result.initiatives_added = [{"resource": short(i), "label": name(i)} for i in plus]
    result.initiatives_removed = [{"resource": short(i), "label": name(i)} for i in minus]

    # Money amounts on both sides whose value, currency or period changed.
    money_a = _values(a, changed, tuple(MONEY_PROPERTIES))
    money_b = _values(b, changed, tuple(MONEY_PROPERTIES))
    for m in sorted(both):
        if not (is_a(types_a, m, ("gg:MonetaryAmount",)) and is_a(types_b, m, ("gg:MonetaryAmount",))):
            continue
        for curie, what in MONEY_PROPERTIES.items():
            p = expand(curie)
            old_values, new_values = money_a.get((m, p), ()), money_b.get((m, p), ())
            if old_values != new_values:
                explained.add((m, p))
                result.amounts_changed.append(
                    {
                        "resource": short(m),
                        "label": name(m),
                        "property": what,
                        "old": ", ".join(map(text, old_values)) or None,
                        "new": ", ".join(map(text, new_values)) or None,
                    }
                )

    result.other_changes = _other_changes(types_a, types_b, added, removed, explained)
    return result


def _other_changes(types_a: dict, types_b: dict, added: set, removed: set, explained: set) -> list[dict]:
    """The changed triples no section above accounts for, counted per class of their subject: its gg: class
    (else any class) on either side, the first in IRI order if it has several."""

    def class_of(subject: str) -> str:
        types = sorted({short(t.value) for types in (types_b, types_a) for t in types.get((subject, RDF_TYPE), ())})
        own = [t for t in types if t.startswith("gg:")]
        return (own or types or ["(no class)"])[0]

    counts: dict[str, list[int]] = {}
    for index, triples in ((0, added), (1, removed)):
        for t in triples:
            s = t.subject.value
            if (s, None) in explained or (s, t.predicate.value) in explained:
                continue
            counts.setdefault(class_of(s), [0, 0])[index] += 1
    return [{"class": c, "added": n[0], "removed": n[1]} for c, n in sorted(counts.items())]
