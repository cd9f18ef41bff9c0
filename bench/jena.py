"""A second, independent SHACL engine for the tests and the benchmark: Apache Jena SHACL from Debian's
``libapache-jena-java``. It is not part of govgraph (the package never runs Java); tests import it as
``bench.jena``.

This module runs the same shapes and data through Jena's
command line (``java -cp … shacl.shacl validate --shapes S --data D``) so that the two engines' verdicts and
results can be compared. ``scripts/install-jena.sh`` installs the package and builds the small jar that works
around a packaging defect of Debian's Jena 4.5 (its xerces message bundles sit under the wrong path, so Jena
dies at start-up with ``ExceptionInInitializerError`` in ``xerces.impl.dv.xs.XSSimpleTypeDecl``).

Results are compared as tuples ``(focus node, result path, source constraint component, severity)``;
:func:`report_results` reads them out of any W3C validation report graph, Jena's or pySHACL's alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

#: Where Debian installs the jars.
JAVA_DIR = Path("/usr/share/java")
#: The jar holding the relocated xerces message bundles (built by scripts/install-jena.sh);
#: the environment variable GOVGRAPH_JENA_FIX_JAR moves it (the script honours the same variable).
DEFAULT_FIX_JAR = Path("/usr/local/share/govgraph-jena/xerces-messages.jar")
FIX_JAR_ENV = "GOVGRAPH_JENA_FIX_JAR"

#: Jena's own jars (package libapache-jena-java), then the libraries it needs (its Depends), by Debian's
#: unversioned names. slf4j-simple sends Jena's log lines (parse warnings, errors) to stderr.
JENA_JARS = (
    "jena-base",
    "jena-core",
    "jena-iri",
    "jena-arq",
    "jena-shacl",
    "jena-shex",
    "jena-cmds",
    "jena-rdfconnection",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-tdb",
    "jena-tdb2",
)
DEPENDENCY_JARS = (
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "jakarta.json-api",
    "titanium-json-ld",
    "protobuf",
    "thrift",
    "slf4j-api",
    "slf4j-simple",
)

#: The main classes in jena-cmds.jar: SHACL validation, and RIOT (used to merge several input files).
SHACL_MAIN = "shacl.shacl"
RIOT_MAIN = "riotcmd.riot"

#: A result path that is not a plain IRI, in a hashable form that does not depend on blank-node labels:
#: ``("inverse", p)``, ``("sequence", (p1, p2, …))``, ``("alternative", (…))``, ``("zeroOrMore", p)``,
#: ``("oneOrMore", p)``, ``("zeroOrOne", p)``; nested as the path is.
PathKey = URIRef | tuple
#: One validation result: (focus node, result path or None, source constraint component, severity).
ResultTuple = tuple[Node, PathKey | None, URIRef, URIRef]

_PATH_OPERATORS = {
    SH.inversePath: "inverse",
    SH.alternativePath: "alternative",
    SH.zeroOrMorePath: "zeroOrMore",
    SH.oneOrMorePath: "oneOrMore",
    SH.zeroOrOnePath: "zeroOrOne",
}


@dataclass(frozen=True)
class _Done:
    stdout: bytes
    stderr: str


class JenaError(RuntimeError):
    """Jena cannot be run (no Java, jars missing) or it failed; the message carries Jena's stderr."""


@dataclass(frozen=True)
class JenaReport:
    """What Jena said about one validation.

    ``results`` has one :data:`ResultTuple` per distinct result (as a set: two results differing only in
    message or value count once). ``graph`` is Jena's whole report, for sh:resultMessage, sh:value, sh:sourceShape.
    ``command`` is the java command line that ran, ``seconds`` the wall time of all Java processes (start-up
    included), ``stderr`` Jena's log lines (e.g. warnings about ill-typed literals in the data).
    """

    conforms: bool
    results: frozenset[ResultTuple]
    graph: Graph
    command: tuple[str, ...]
    seconds: float
    stderr: str


def fix_jar() -> Path:
    """The path of the jar with the relocated xerces message bundles (it may not exist yet)."""
    return Path(os.environ.get(FIX_JAR_ENV) or DEFAULT_FIX_JAR)


def java_executable() -> str | None:
    """The ``java`` to run: ``$JAVA_HOME/bin/java`` if that exists, else the one on PATH; None if neither."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def _missing_jars() -> list[Path]:
    jars = [JAVA_DIR / f"{name}.jar" for name in (*JENA_JARS, *DEPENDENCY_JARS)]
    return [jar for jar in [*jars, fix_jar()] if not jar.is_file()]


def jena_classpath() -> str | None:
    """The Java class path for Jena SHACL: the Debian jars plus the fix jar; None if any of them is missing."""
    if _missing_jars():
        return None
    jars = [JAVA_DIR / f"{name}.jar" for name in (*JENA_JARS, *DEPENDENCY_JARS)]
    # The fix jar goes first; its only entries are under xerces/impl/, which nothing else on the path has.
    return os.pathsep.join(str(p) for p in [fix_jar(), *jars])


def _require() -> tuple[str, str]:
    java = java_executable()
    if java is None:
        raise JenaError("no java found (set JAVA_HOME or put java on PATH); run scripts/install-jena.sh")
    classpath = jena_classpath()
    if classpath is None:
        missing = ", ".join(str(p) for p in _missing_jars())
        raise JenaError(f"Jena is not installed: missing {missing}; run scripts/install-jena.sh")
    return java, classpath


def _show(command: Sequence[str]) -> str:
    """The command for a message, with the long class path shortened."""
    return " ".join("<jena classpath>" if i and command[i - 1] == "-cp" else a for i, a in enumerate(command))


def _run(command: list[str], timeout: float, what: str, stdout: IO[bytes] | int = subprocess.PIPE) -> _Done:
    try:
        done = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        raise JenaError(f"Jena {what} timed out after {timeout:g} s: {_show(command)}") from e
    except OSError as e:
        raise JenaError(f"cannot run Jena {what}: {e}") from e
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        raise JenaError(f"Jena {what} failed (exit {done.returncode}): {_show(command)}\n{stderr}")
    return _Done(done.stdout or b"", stderr)


def _as_paths(files: Path | str | Sequence[Path | str]) -> list[Path]:
    paths = [Path(files)] if isinstance(files, str | Path) else [Path(f) for f in files]
    if not paths:
        raise ValueError("no files given")
    for p in paths:
        if not p.is_file():
            raise FileNotFoundError(p)
    return [p.resolve() for p in paths]


def _one_file(java: str, classpath: str, paths: list[Path], into: Path, timeout: float) -> Path:
    """One file Jena can load: the file itself, or several merged into N-Triples by Jena's own RIOT.

    Merging with Jena rather than rdflib keeps what Jena would have read: rdflib normalises literals on
    parsing ("01"^^xsd:integer becomes "1", "1"^^xsd:boolean becomes "true"), which would change the data.
    RIOT keeps the blank nodes of different files apart.
    """
    if len(paths) == 1:
        return paths[0]
    with into.open("wb") as out:
        _run([java, "-cp", classpath, RIOT_MAIN, "--quiet", "--output=nt", *map(str, paths)], timeout, "riot", out)
    return into


def jena_validate(
    shapes: Path | Sequence[Path],
    data: Path | Sequence[Path],
    timeout: float = 300,
) -> JenaReport:
    """Validate ``data`` against ``shapes`` with Jena SHACL and return its verdict and results.

    Runs ``java -cp <classpath> shacl.shacl validate --shapes S --data D``; the CLI takes one file of each,
    so several are merged first (into N-Triples, by Jena's RIOT). Files are read by Jena, by extension
    (.ttl, .nt, .rdf, .jsonld, .trig…). Only the data graph is validated: as with pySHACL, nothing from the
    shapes graph or an ontology is added to it. Raises :class:`JenaError` if Java or the jars are missing,
    Jena fails (the message includes its stderr) or takes longer than ``timeout`` seconds per Java process.

    """
    java, classpath = _require()
    shape_paths, data_paths = _as_paths(shapes), _as_paths(data)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="govgraph-jena-") as tmp:
        shapes_file = _one_file(java, classpath, shape_paths, Path(tmp) / "shapes.nt", timeout)
        data_file = _one_file(java, classpath, data_paths, Path(tmp) / "data.nt", timeout)
        command = [
            java,
            "-cp",
            classpath,
            SHACL_MAIN,
            "validate",
            "--shapes",
            str(shapes_file),
            "--data",
            str(data_file),
        ]
        done = _run(command, timeout, "shacl validate")
    seconds = time.monotonic() - start
    graph = Graph()
    try:
        graph.parse(data=done.stdout.decode("utf-8"), format="turtle")
    except Exception as e:  # rdflib raises many kinds; all mean the same here
        out = done.stdout.decode("utf-8", "replace")[:2000]
        raise JenaError(f"cannot parse Jena's report as Turtle ({e}):\n{out}\n{done.stderr}") from e
    return JenaReport(
        conforms=report_conforms(graph),
        results=report_results(graph),
        graph=graph,
        command=tuple(command),
        seconds=seconds,
        stderr=done.stderr,
    )


def report_conforms(report: Graph) -> bool:
    """sh:conforms of the one sh:ValidationReport in ``report``."""
    reports = list(report.subjects(RDF.type, SH.ValidationReport))
    if len(reports) != 1:
        raise JenaError(f"expected one sh:ValidationReport, found {len(reports)}")
    value = report.value(reports[0], SH.conforms)
    if not isinstance(value, Literal):
        raise JenaError("the validation report has no sh:conforms")
    return bool(value.toPython())


def path_key(graph: Graph, path: Node) -> PathKey:
    """A SHACL property path in ``graph`` as a hashable value free of blank-node labels (see :data:`PathKey`)."""
    if isinstance(path, URIRef):
        return path
    if not isinstance(path, BNode):
        raise ValueError(f"not a SHACL path: {path!r}")
    if graph.value(path, RDF.first) is not None:
        # Sequences are associative: Jena writes (a b c) as ((a b) c), pySHACL as (a b c). Flatten both.
        steps: list[PathKey] = []
        for step in (path_key(graph, p) for p in Collection(graph, path)):
            steps.extend(step[1] if isinstance(step, tuple) and step[0] == "sequence" else [step])
        return ("sequence", tuple(steps))
    for predicate, name in _PATH_OPERATORS.items():
        inner = graph.value(path, predicate)
        if inner is not None:
            if predicate == SH.alternativePath:
                # Alternatives are associative too: Jena writes (a | (b | c)) flattened.
                options: list[PathKey] = []
                for option in (path_key(graph, p) for p in Collection(graph, inner)):
                    nested = isinstance(option, tuple) and option[0] == "alternative"
                    options.extend(option[1] if nested else [option])
                return (name, tuple(options))
            return (name, path_key(graph, inner))
    raise ValueError(f"not a SHACL path: {path!r} has no path operator")


def report_results(report: Graph) -> frozenset[ResultTuple]:
    """The results of a W3C SHACL validation report (Jena's or pySHACL's) as comparable tuples.

    Each is (sh:focusNode, sh:resultPath as a :data:`PathKey` or None, sh:sourceConstraintComponent,
    sh:resultSeverity). Only top-level results (objects of sh:result) count, not pySHACL's sh:detail ones.
    A blank-node focus node keeps its label, which differs between engines and parses.
    """
    results: set[ResultTuple] = set()
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        component = report.value(result, SH.sourceConstraintComponent)
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        if focus is None or not isinstance(component, URIRef) or not isinstance(severity, URIRef):
            raise JenaError(f"incomplete validation result: {result!r}")
        results.add((focus, None if path is None else path_key(report, path), component, severity))
    return frozenset(results)


def pyshacl_results(
    shapes: Path | Iterable[Path], data: Path | Iterable[Path], **options
) -> tuple[bool, frozenset[ResultTuple]]:
    """pySHACL's verdict and results on the same files, for comparison (``options`` go to pyshacl.validate)."""
    from pyshacl import validate

    shapes_graph, data_graph = Graph(), Graph()
    for p in [shapes] if isinstance(shapes, str | Path) else shapes:
        shapes_graph.parse(p)
    for p in [data] if isinstance(data, str | Path) else data:
        data_graph.parse(p)
    conforms, report, _ = validate(data_graph, shacl_graph=shapes_graph, **options)
    return bool(conforms), report_results(report)
