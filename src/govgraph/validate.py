"""Validating RDF against govgraph's SHACL shapes: a report object with text, JSON, Turtle, Markdown and
JUnit renderings. `govgraph validate` is a thin client of validate()."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH

from govgraph.errors import InputErrors
from govgraph.inputs import check_rdf_paths, no_triples, read_graph
from govgraph.namespaces import PREFIXES
from govgraph.resources import bundled

SEVERITIES = ("Violation", "Warning", "Info")
FAIL_ON = {"violation": {"Violation"}, "warning": {"Violation", "Warning"}, "info": set(SEVERITIES)}


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One result of the report: the focus node, the path, the constraint component that failed, its severity."""

    severity_rank: int
    focus: str
    path: str
    component: str
    severity: str
    value: str = ""
    shape: str = ""
    messages: tuple[tuple[str, str], ...] = ()  # (language, text)
    focus_label: str = ""

    def message(self, lang: str = "en") -> str:
        by_lang = dict(self.messages)
        return by_lang.get(lang) or by_lang.get("") or next(iter(by_lang.values()), "")

    def as_dict(self) -> dict:
        return {
            "focus": self.focus,
            "focus_label": self.focus_label or None,
            "path": self.path or None,
            "component": self.component,
            "severity": self.severity,
            "value": self.value or None,
            "shape": self.shape or None,
            "message": dict(self.messages),
        }


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    report_graph: Graph = field(repr=False)
    triples: int = 0

    @property
    def conforms(self) -> bool:
        """True when there is no Violation (warnings and infos do not make data non-conforming)."""
        return not any(r.severity == "Violation" for r in self.results)

    def counts(self) -> dict[str, int]:
        c = Counter(r.severity for r in self.results)
        return {s: c.get(s, 0) for s in SEVERITIES}

    def fails(self, fail_on: str = "violation") -> bool:
        return any(r.severity in FAIL_ON[fail_on] for r in self.results)

    # ------------------------------------------------------------ renderings

    def to_text(self, color: bool = False, lang: str = "en") -> str:
        import click

        colours = {"Violation": "red", "Warning": "yellow", "Info": "blue"}
        lines = []
        current = None
        for r in self.results:
            if r.focus != current:
                current = r.focus
                label = f"  ({r.focus_label})" if r.focus_label else ""
                lines.append(f"\n{_short(r.focus)}{label}")
            sev = click.style(r.severity, fg=colours[r.severity], bold=True) if color else r.severity
            where = f" {_short(r.path)}" if r.path else ""
            value = f" [value: {_short(r.value)}]" if r.value else ""
            lines.append(f"  {sev}{where}: {r.message(lang)} ({_short(r.component)}){value}")
        c = self.counts()
        verdict = "conforms" if self.conforms else "does not conform"
        summary = (
            f"{self.triples} triples {verdict}: {c['Violation']} violations, {c['Warning']} warnings, {c['Info']} infos"
        )
        return "\n".join([*lines, "", summary]).lstrip("\n") + "\n"

    def to_json(self) -> str:
        data = {
            "conforms": self.conforms,
            "triples": self.triples,
            "counts": self.counts(),
            "results": [r.as_dict() for r in self.results],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def to_turtle(self) -> str:
        """The W3C SHACL validation report."""
        for prefix, ns in PREFIXES.items():
            self.report_graph.bind(prefix, ns)
        return self.report_graph.serialize(format="turtle")

    def to_markdown(self, lang: str = "en") -> str:
        c = self.counts()
        icon = "✅" if self.conforms else "❌"
        out = [
            f"### {icon} govgraph validation: {'conforms' if self.conforms else 'does not conform'}",
            "",
            f"{self.triples} triples · {c['Violation']} violations · {c['Warning']} warnings · {c['Info']} infos",
        ]
        if self.results:
            out += ["", "| severity | focus node | path | message |", "|---|---|---|---|"]
            for r in self.results:
                focus = f"`{_short(r.focus)}`" + (f" {_md(r.focus_label)}" if r.focus_label else "")
                path = f"`{_short(r.path)}`" if r.path else ""  # a node shape's result has no path
                out.append(f"| {r.severity} | {focus} | {path} | {_md(r.message(lang))} |")
        return "\n".join(out) + "\n"

    def to_junit(self, fail_on: str = "violation") -> str:
        """JUnit XML for CI dashboards: one test case per focus node; a failing result is a <failure>."""
        from xml.sax.saxutils import escape, quoteattr

        by_focus: dict[str, list[ValidationResult]] = {}
        for r in self.results:
            by_focus.setdefault(r.focus, []).append(r)
        failing = FAIL_ON[fail_on]
        failures = sum(1 for rs in by_focus.values() if any(r.severity in failing for r in rs))
        cases = []
        for focus, rs in sorted(by_focus.items()):
            body = []
            for r in rs:
                text = escape(f"{r.severity} {_short(r.path)}: {r.message()} ({_short(r.component)})")
                tag = "failure" if r.severity in failing else "system-out"
                attrs = f" message={quoteattr(r.message())} type={quoteattr(r.severity)}" if tag == "failure" else ""
                body.append(f"      <{tag}{attrs}>{text}</{tag}>")
            cases.append(
                f'    <testcase classname="govgraph.validate" name={quoteattr(focus)}>\n'
                + "\n".join(body)
                + "\n    </testcase>"
            )
        if not cases:
            cases.append('    <testcase classname="govgraph.validate" name="dataset conforms"/>')
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites>\n  <testsuite name="govgraph validate" tests="{max(len(by_focus), 1)}" '
            f'failures="{failures}" errors="0">\n' + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n"
        )


def failure_json(exc: Exception) -> str:
    """The JSON report of a validation that could not run (the input cannot be read): no verdict, the errors."""
    from govgraph.errors import error_records

    data = {"conforms": None, "error": True, "errors": error_records(exc)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def failure_junit(exc: Exception) -> str:
    """The JUnit report of a validation that could not run: one test case per problem, each an <error>."""
    from xml.sax.saxutils import quoteattr

    from govgraph.errors import error_records

    cases = []
    for record in error_records(exc):
        where = ":".join(str(x) for x in (record["file"], record["line"], record["column"]) if x is not None)
        message = record["message"] + (f" [{record['field']}]" if record["field"] else "")
        cases.append(
            f'    <testcase classname="govgraph.validate" name={quoteattr(where or "input")}>\n'
            f'      <error message={quoteattr(message)} type="InputError"/>\n    </testcase>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites>\n  <testsuite name="govgraph validate" tests="{len(cases)}" failures="0" '
        f'errors="{len(cases)}">\n' + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n"
    )


def _language_of(text: str, languages: list[tuple[re.Pattern, str]]) -> str:
    return next((lang for pattern, lang in languages if pattern.match(text)), "")


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def shape_files() -> list[Path]:
    return sorted(bundled("shapes").glob("*.ttl"))


#: The shape that says which languages a resource's labels may be in (shapes/common.ttl).
LABEL_SHAPE = URIRef("https://w3id.org/govgraph/def/shapes#Label")


def shapes_graph(extra: Iterable[str | Path] = (), languages: Sequence[str] | None = None) -> Graph:
    """govgraph's shapes, plus any extra shapes files. ``languages``: those the labels of the data may be in,
    the data package's (the shapes files say da and en, the bundled package's)."""
    from rdflib.collection import Collection

    from govgraph.inputs import parse_into, read_graph

    g = Graph()
    for path in shape_files():
        parse_into(g, path)
    if languages:
        from rdflib import BNode, Literal

        (old,) = g.objects(LABEL_SHAPE, SH.languageIn)
        Collection(g, old).clear()
        g.remove((LABEL_SHAPE, SH.languageIn, old))
        new = BNode()
        Collection(g, new, [Literal(lang) for lang in languages])
        g.add((LABEL_SHAPE, SH.languageIn, new))
    extra = list(extra)
    if extra:
        g += read_graph(extra)  # an empty shapes file is refused like an empty data file: it checks nothing
    return g


def validate(
    data: Graph | None = None,
    *,
    files: Iterable[str | Path] = (),
    extra_shapes: Iterable[str | Path] = (),
    inference: str = "none",
    time_limit: float | None = None,
    engine: str = "govgraph",
    allow_empty: bool = False,
    languages: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate ``data`` (default: the built dataset) or the given ``files`` against govgraph's shapes.

    The ontology and SKOS schemes are always mixed in (the shapes check scheme membership and classes), and
    nothing is fetched from the network: pySHACL is not asked to follow owl:imports. With ``time_limit``
    (seconds) the validation is stopped at the limit with govgraph.limits.TimeLimitExceeded.

    ``engine`` is "govgraph" (govgraph.shacl, the default: standard SHACL Core and SHACL-SPARQL, several
    times faster) or "pyshacl" (the reference implementation). Both give the same results; with
    ``inference="rdfs"`` the govgraph engine validates a copy of the data with pySHACL's RDFS closure added.

    A file with no triples is an input error (an interrupted export would otherwise "conform"), unless
    ``allow_empty``. ``languages``: those the labels may be in, the data package manifest's (default: da
    and en, the bundled package's).
    """
    if time_limit is not None:
        # A SHACL engine cannot be interrupted in-process: run this same call in a child stopped at the limit.
        arguments = {name: value for name, value in locals().items() if name not in ("data", "time_limit")}
        import functools

        from govgraph.limits import run_with_time_limit

        return run_with_time_limit(functools.partial(validate, data, **arguments), time_limit, "the validation")
    from govgraph.build import add_vocabulary

    if inference not in ("none", "rdfs"):
        raise ValueError(f"inference must be 'none' or 'rdfs', not {inference!r}")
    if engine not in ("govgraph", "pyshacl"):
        raise ValueError(f"engine must be 'govgraph' or 'pyshacl', not {engine!r}")
    files = check_rdf_paths(files)
    if data is None and files and engine == "govgraph" and inference == "none" and _streamable(files):
        return _validate_files_natively(files, shapes_graph(extra_shapes, languages), allow_empty)
    owned = data is None  # a graph this function builds or loads itself may be validated in place
    if data is None and not files:
        from govgraph.build import build

        data = build()
    elif data is None:
        data = read_graph(files, allow_empty=allow_empty)
        add_vocabulary(data)
    shapes = shapes_graph(extra_shapes, languages)
    if engine == "govgraph":
        report = _govgraph_report(data, shapes, inference, copy=not owned)
        return ValidationReport(_results(report, _labels_in(data), _message_languages(shapes)), report, len(data))
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference=inference,
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        # Standard SHACL only: the shapes use no SHACL Advanced Features, and SHACL-SPARQL constraints are core.
        advanced=False,
        do_owl_imports=False,
        # pySHACL copies the data graph so that inference cannot change the caller's graph; without inference,
        # or on a graph of our own, that copy is wasted time (a third of the run on the bundled dataset).
        inplace=owned or inference == "none",
    )
    if not isinstance(report, Graph):  # pySHACL returns a failure object when a shape itself is broken
        raise ValueError(f"the shapes could not be applied: {_text.strip()}")
    return ValidationReport(_results(report, _labels_in(data), _message_languages(shapes)), report, len(data))


# Formats pyoxigraph reads natively and govgraph needs no pre-processing for (JSON-LD gets its local context
# put in place and RDF/XML and TriX a DTD check first, so they go through govgraph.inputs.parse_into).
NATIVE_FORMATS = {
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".ttl": "TURTLE",
    ".trig": "TRIG",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
}


def _streamable(files: list[Path]) -> bool:
    return all(f.suffix.lower() in NATIVE_FORMATS for f in files)


def _validate_files_natively(files: list[Path], shapes: Graph, allow_empty: bool = False) -> ValidationReport:
    """Validate Turtle, TriG, N-Triples, N-Quads or RDF/XML files with govgraph's engine without an rdflib graph
    of the data: at a million triples rdflib's parser alone takes half a minute and 1.5 GB, pyoxigraph's a
    second. (JSON-LD stays with rdflib: pyoxigraph reads JSON-LD 1.0 only.)

    The engine indexes the triples as parsed (literals exactly as written); the same files are bulk-loaded
    into a pyoxigraph store in another thread (it releases the GIL) for the SPARQL-based constraints, and that
    strict load is also what reports a syntax error with its file, line and column."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    from govgraph import store as stores
    from govgraph.resources import ontology_files
    from govgraph.shacl import _collector_paused, validate_index
    from govgraph.shacl.paths import DataIndex
    from govgraph.shacl.shapes import ShapesError

    data_quads = 0

    def quads():
        nonlocal data_quads
        for path in files:
            fmt = getattr(ox.RdfFormat, NATIVE_FORMATS[path.suffix.lower()])
            data = stores.checked_bytes(path, fmt)  # RDF/XML is read and checked for a DTD first
            source = {"path": str(path)} if data is None else {"input": data}
            for quad in ox.parse(**source, format=fmt, base_iri=path.resolve().as_uri(), lenient=True):
                data_quads += 1
                yield quad
        for path in ontology_files():
            yield from ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="govgraph-validate-load") as pool:
        # The load is the second core's work already (this thread indexes the files meanwhile): no check aside.
        loading = pool.submit(stores.load, files, vocabulary=True, second_core=False)
        with _collector_paused():
            try:
                index = DataIndex(quads(), loading.result)
            except (SyntaxError, OSError, InputErrors):
                loading.result()  # the strict load's InputErrors (file, line, column; every bad file) say it better
                raise
            if data_quads == 0 and not allow_empty:
                loading.result()
                raise InputErrors([no_triples(p) for p in files])
            try:
                _conforms, report = validate_index(index, shapes, non_violations_conform=True)
            except ShapesError as exc:
                raise ValueError(f"the shapes could not be applied: {exc}") from None
    loading.result()  # a syntax error fails the validation even when no SPARQL constraint needed the store
    label = ox.NamedNode(str(RDFS.label))
    labels = index.forward(label)

    def label_of(focus: URIRef) -> str:
        return _preferred_label(labels.get(ox.NamedNode(str(focus)), []))

    return ValidationReport(_results(report, label_of, _message_languages(shapes)), report, index.triples)


def _preferred_label(labels) -> str:
    """The English label, else the first in a fixed order: reports must not change from run to run."""
    values = sorted((getattr(lbl, "language", None) or "", str(getattr(lbl, "value", lbl))) for lbl in labels)
    return next((v for lang, v in values if lang == "en"), values[0][1] if values else "")


def _labels_in(data: Graph):
    def label_of(focus: URIRef) -> str:
        return _preferred_label(data.objects(focus, RDFS.label))

    return label_of


def _govgraph_report(data: Graph, shapes: Graph, inference: str, copy: bool) -> Graph:
    """The W3C report of govgraph's own engine; RDFS inference adds pySHACL's RDFS closure to (a copy of) the
    data first, so that both engines see the same triples."""
    from govgraph.shacl import validate_graph
    from govgraph.shacl.shapes import ShapesError

    if inference == "rdfs":
        import owlrl
        from pyshacl.inference import CustomRDFSSemantics

        if copy:
            inferred = Graph()
            for triple in data:
                inferred.add(triple)
            data = inferred
        owlrl.DeductiveClosure(CustomRDFSSemantics).expand(data)
    try:
        _conforms, report = validate_graph(data, shapes, non_violations_conform=True)
    except ShapesError as exc:
        raise ValueError(f"the shapes could not be applied: {exc}") from None
    return report


def _message_languages(shapes: Graph) -> list[tuple[re.Pattern, str]]:
    """pySHACL drops the language tag of a message whose {?variables} it fills in; the templates give it back."""
    out = []
    for m in shapes.objects(None, SH.message):
        if m.language and "{" in m:
            parts = re.split(r"\{[?$]\w+\}", str(m))
            out.append((re.compile("^" + "(.*)".join(map(re.escape, parts)) + "$", re.S), m.language))
    return out


def _results(report: Graph, label_of, languages: list[tuple[re.Pattern, str]]) -> list[ValidationResult]:
    """The report graph's results, with each focus node's label from ``label_of(focus IRI) -> str``."""
    ranks = {s: i for i, s in enumerate(SEVERITIES)}
    out = []
    for node in report.objects(None, SH.result):  # top-level results only, not nested sh:detail ones
        severity = str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[1]
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        label = label_of(focus) if isinstance(focus, URIRef) else None
        messages = tuple(
            sorted(
                (m.language or _language_of(str(m), languages), str(m)) for m in report.objects(node, SH.resultMessage)
            )
        )
        value = report.value(node, SH.value)
        out.append(
            ValidationResult(
                ranks[severity],
                str(focus),
                str(path) if isinstance(path, URIRef) else "",
                str(report.value(node, SH.sourceConstraintComponent)),
                severity,
                str(value) if value is not None else "",
                str(report.value(node, SH.sourceShape) or "")
                if isinstance(report.value(node, SH.sourceShape), URIRef)
                else "",
                messages,
                str(label or ""),
            )
        )
    return sorted(set(out))
