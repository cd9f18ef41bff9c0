"""Writing graphs: deterministic bytes in every format, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Graph

FORMATS = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "trig": ".trig"}
EXTENSIONS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld", ".trig": "trig"}


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The output format: the one given, else the one the file extension names."""
    if fmt:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ValueError(
            f"cannot tell the format from {Path(path).name!r}; use --format "
            f"({', '.join(FORMATS)}) or an extension ({', '.join(EXTENSIONS)})"
        )
    return EXTENSIONS[suffix]


def serialize(graph: Graph, fmt: str = "turtle") -> bytes:
    """Serialize deterministically: the same graph gives the same bytes on every run.

    Turtle and TriG come from rdflib's serializer, which sorts subjects and predicates; N-Triples lines are
    sorted; JSON-LD is flattened and sorted by @id. (The dataset has no blank nodes, so sorting is total.)
    """
    if fmt == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")
    if fmt == "jsonld":
        import json

        data = json.loads(graph.serialize(format="json-ld", encoding="utf-8", auto_compact=False))
        for node in data:
            for _key, values in node.items():
                if isinstance(values, list):
                    values.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        data.sort(key=lambda node: node.get("@id", ""))
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    if fmt == "trig":
        from rdflib import Dataset, URIRef

        ds = Dataset()
        for prefix, ns in graph.namespaces():
            ds.bind(prefix, ns, override=True, replace=True)
        g = ds.graph(URIRef("https://w3id.org/govgraph/graph/dataset"))
        for triple in graph:
            g.add(triple)
        return ds.serialize(format="trig", encoding="utf-8")
    if fmt == "turtle":
        return graph.serialize(format="turtle", encoding="utf-8")
    raise ValueError(f"unknown format {fmt!r}")


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside the target and rename it into place: never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # mkstemp creates the file 0600; a published dataset must get the permissions any new file gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(graph: Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Serialize ``graph`` to ``path`` (format from ``fmt`` or the extension), atomically."""
    path = Path(path)
    write_bytes_atomic(path, serialize(graph, format_for(path, fmt)))
    return path
