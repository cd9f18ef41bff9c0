"""Writing graphs: deterministic bytes in every format, written atomically."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from rdflib import Graph, URIRef

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

    Turtle and TriG come from rdflib's serializer, which sorts subjects and predicates (TriG: one named graph
    per source document, see named_graphs()); N-Triples lines are sorted; JSON-LD is flattened and sorted by
    @id. (The dataset has no blank nodes, so sorting is total.)
    """
    if fmt == "nt":
        # split("\n"), not splitlines(): a literal may hold U+2028, U+0085 ... which rdflib writes unescaped.
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
        return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")
    if fmt == "jsonld":
        import json

        data = expanded_jsonld(graph)
        for node in data:
            for _key, values in node.items():
                if isinstance(values, list):
                    values.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        data.sort(key=lambda node: node.get("@id", ""))
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    if fmt == "trig":
        return serialize_trig(graph)
    if fmt == "turtle":
        return graph.serialize(format="turtle", encoding="utf-8")
    raise ValueError(f"unknown format {fmt!r}")


def expanded_jsonld(graph: Graph) -> list[dict]:
    """The graph as flattened, expanded JSON-LD node objects (not yet sorted), every literal with its lexical
    form as a string, as the JSON-LD spec's fromRdf writes it by default (rdflib's writer makes integers,
    doubles and booleans JSON numbers whatever its use_native_types says).

    Written here, not by rdflib's writer and a JSON round trip, which took a third of the time of a site (one
    JSON-LD document per resource)."""
    from rdflib import RDF, BNode, Literal

    def node_id(term: URIRef | BNode) -> str:
        return f"_:{term}" if isinstance(term, BNode) else str(term)

    nodes: dict = {}
    for s, p, o in graph:
        node = nodes.get(s)
        if node is None:
            node = nodes[s] = {"@id": node_id(s)}
        if not isinstance(o, Literal):
            if p == RDF.type:
                node.setdefault("@type", []).append(node_id(o))
            else:
                node.setdefault(str(p), []).append({"@id": node_id(o)})
        elif o.language:
            node.setdefault(str(p), []).append({"@value": str(o), "@language": o.language})
        elif o.datatype:
            node.setdefault(str(p), []).append({"@value": str(o), "@type": str(o.datatype)})
        else:
            node.setdefault(str(p), []).append({"@value": str(o)})
    return list(nodes.values())


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside the target and rename it into place: never a half-written file.
    An OSError becomes an OutputError naming ``path`` and why (govgraph.errors.writing)."""
    from govgraph.errors import writing

    path = Path(path)
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # The temporary name is chosen before the file exists, so that an interrupt at any moment (Ctrl-C
        # landing inside mkstemp would leak its file) can remove it. O_EXCL never opens a file someone else
        # made; mode 0o666 gives the permissions any new file gets under the umask (mkstemp's are 0600).
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except FileExistsError:  # not ours: leave it alone
            raise
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def write(graph: Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Serialize ``graph`` to ``path`` (format from ``fmt`` or the extension), atomically."""
    path = Path(path)
    write_bytes_atomic(path, serialize(graph, format_for(path, fmt)))
    return path


# ---------------------------------------------------------------- TriG: one named graph per source document

VOCABULARY_IRI = "https://w3id.org/govgraph/def"


def base_of(graph: Graph) -> str:
    """The base IRI a graph was minted under: the one its ``ggid`` prefix names, else govgraph's default."""
    from govgraph import DEFAULT_BASE_IRI

    ggid = dict(graph.namespaces()).get("ggid")
    return str(ggid)[: -len("id/")] if ggid and str(ggid).endswith("id/") else DEFAULT_BASE_IRI


def named_graphs(graph: Graph, base_iri: str | None = None) -> dict[URIRef | None, Graph]:
    """Split the dataset into named graphs by source: ``<base>graph/<document-key>`` per source document and
    ``<base>graph/vocabulary`` for the ontology and its SKOS schemes.

    The rule, subject by subject (every triple goes with its subject):

    - a subject under ``https://w3id.org/govgraph/def`` (ontology, terms, schemes, concepts), or a term of
      another vocabulary the ontology declares (a class or property) → the vocabulary;
    - a ``gg:SourceDocument`` → its own graph; a ``gg:SourceExcerpt`` → the graph of the document it is
      ``dcterms:isPartOf``;
    - any other resource → the graph of every document its ``prov:wasDerivedFrom`` excerpts are part of. A
      resource with several sources (DK0018 cites the seed list and the OGP export; a cross-reference cites
      both documents it links) is copied whole into each of them, so that each graph describes every resource
      its document supports, and the union of the graphs is the dataset;
    - a resource that cites no source document stays in the default graph (the key ``None``).
    """
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF

    from govgraph.namespaces import GG

    base = base_iri or base_of(graph)
    vocabulary = URIRef(f"{base}graph/vocabulary")

    def document_graph(document) -> URIRef:
        return URIRef(f"{base}graph/{str(document).rstrip('/').rsplit('/', 1)[-1]}")

    documents_of_excerpt: dict = {}
    for excerpt in graph.subjects(RDF.type, GG.SourceExcerpt):
        documents_of_excerpt[excerpt] = {document_graph(d) for d in graph.objects(excerpt, DCTERMS.isPartOf)}
    homes: dict = {}
    # Terms of other vocabularies the ontology declares (skos:Concept a owl:Class, ...) belong with it.
    declared = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in graph.subjects(RDF.type, kind)
    }
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef) and (str(subject).startswith(VOCABULARY_IRI) or subject in declared):
            homes[subject] = {vocabulary}
        elif (subject, RDF.type, GG.SourceDocument) in graph:
            homes[subject] = {document_graph(subject)}
        elif subject in documents_of_excerpt:
            homes[subject] = documents_of_excerpt[subject]
        else:
            homes[subject] = set().union(
                *(documents_of_excerpt.get(e, ()) for e in graph.objects(subject, PROV.wasDerivedFrom))
            )
    parts: dict[URIRef | None, Graph] = {}
    for triple in graph:
        for name in homes[triple[0]] or {None}:
            if name not in parts:
                parts[name] = Graph(identifier=name) if name is not None else Graph()
            parts[name].add(triple)
    return parts


def serialize_trig(graph: Graph, base_iri: str | None = None) -> bytes:
    """TriG with one named graph per source document plus one for the vocabulary (see named_graphs()), the
    graphs in IRI order so that the bytes are stable."""
    import io

    from rdflib import Dataset
    from rdflib.plugins.serializers.trig import TrigSerializer

    ds = Dataset()
    for prefix, ns in graph.namespaces():
        ds.bind(prefix, ns, override=True, replace=True)
    for name, part in named_graphs(graph, base_iri).items():
        target = ds.graph(name) if name is not None else ds.default_graph
        for triple in part:
            target.add(triple)
    serializer = TrigSerializer(ds)
    # rdflib lists the graphs in the order of a set (it varies between runs): sort them, default graph first.
    default = ds.default_graph.identifier
    unique = {g.identifier: g for g in serializer.contexts}
    serializer.contexts = [unique[k] for k in sorted(unique, key=lambda k: (k != default, str(k)))]
    out = io.BytesIO()
    serializer.serialize(out, encoding="utf-8")
    return out.getvalue()


# ---------------------------------------------------------------- JSON-LD with a local context file


def jsonld_context(vocabulary: Graph, base_iri: str | None = None) -> dict:
    """A JSON-LD context for govgraph data: the prefixes govgraph binds (and ``ggid`` for its things) and a
    term for every class and property of the gg: vocabulary in ``vocabulary`` (object properties coerce
    their values to IRIs). Offline by design: nothing in it points to a remote context."""
    from rdflib.namespace import OWL, RDF

    from govgraph.namespaces import GG, PREFIXES

    base = base_iri or base_of(vocabulary)
    context: dict = {**PREFIXES, "ggid": f"{base}id/"}
    kinds = {OWL.Class: None, OWL.ObjectProperty: "@id", OWL.DatatypeProperty: None}
    for kind, coercion in kinds.items():
        for term in vocabulary.subjects(RDF.type, kind):
            if not str(term).startswith(str(GG)):
                continue
            name = str(term)[len(str(GG)) :]
            context[name] = {"@id": f"gg:{name}", "@type": coercion} if coercion else f"gg:{name}"
    return {"@context": dict(sorted(context.items()))}


def serialize_jsonld_compact(graph: Graph, context: dict, context_reference: str = "context.jsonld") -> bytes:
    """Compact JSON-LD that refers to its context by a relative reference (a file beside it), never a URL.

    Deterministic like serialize(): nodes sorted by @id, every list of values sorted."""
    import json

    data = json.loads(graph.serialize(format="json-ld", context=context["@context"], encoding="utf-8"))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        node.pop("@context", None)
        for values in node.values():
            if isinstance(values, list):
                values.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda node: node.get("@id", ""))
    document = {"@context": context_reference, "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def inline_local_context(data: bytes, folder: str | Path) -> bytes:
    """JSON-LD whose top-level ``@context`` is a relative file reference ("context.jsonld"), with that file's
    context put in its place, so that it parses offline. A remote (http/https) context is left alone, for
    the caller to refuse."""
    import json

    from govgraph.errors import InputError, InputErrors

    try:
        document = json.loads(data)
    except (json.JSONDecodeError, RecursionError):
        return data  # not JSON, or nested too deeply to read: the caller's checks report where
    if not isinstance(document, dict) or not isinstance(document.get("@context"), str):
        return data
    reference = document["@context"]
    if "://" in reference or reference.startswith("//"):
        return data
    if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.json(ld)?", reference):
        # Only a file beside the document: a context path must not read ../../anything on the machine.
        problem = f"the JSON-LD @context {reference!r} is not a file name beside the document (like context.jsonld)"
        raise InputErrors([InputError(str(folder), None, problem)])
    context_file = Path(folder) / reference
    if not context_file.is_file():
        raise InputErrors([InputError(str(context_file), None, "the JSON-LD @context file is missing")])
    try:
        context = json.loads(context_file.read_bytes())
    except json.JSONDecodeError as exc:
        problem = InputError(str(context_file), exc.lineno, f"not valid JSON: {exc.msg}", column=exc.colno)
        raise InputErrors([problem]) from None
    document["@context"] = context.get("@context", {}) if isinstance(context, dict) else {}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
