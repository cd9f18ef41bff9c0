"""govgraph.store: the pyoxigraph fast path for large files — load every RDF format with file/line errors,
export Turtle and N-Triples deterministically and atomically, and query the loaded store."""

from __future__ import annotations

import datetime
import decimal
import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from govgraph import store
from govgraph.errors import InputErrors
from govgraph.export import write
from govgraph.namespaces import GG
from govgraph.query import run_query

EX = "https://example.org/"


@pytest.fixture(scope="module")
def built_files(built_graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled dataset written by govgraph.export in Turtle and N-Triples."""
    root = tmp_path_factory.mktemp("built")
    return {fmt: write(built_graph, root / f"govgraph.{fmt}") for fmt in ("ttl", "nt")}


def _triples(graph: Graph) -> set:
    """The triples with literals compared by value: pyoxigraph keeps numbers and dates by value, so it writes
    their canonical lexical form ("9.0"^^xsd:decimal comes back as "9"^^xsd:decimal, the same number)."""
    return {(s, p, _by_value(o)) for s, p, o in graph}


def _by_value(term):
    if isinstance(term, Literal) and term.datatype is not None:
        value = term.toPython()
        # Only plain Python values compare by value: once owlrl has run (RDFS inference in another test), rdflib
        # turns xsd:gYear into objects that compare by identity, so those compare by their lexical form.
        if isinstance(value, bool | int | float | decimal.Decimal | datetime.date | datetime.time):
            return ("literal", value, term.datatype)
        return ("literal", str(term), term.datatype)
    return term


def _parsed(data: bytes, fmt: str) -> Graph:
    g = Graph()
    g.parse(data=data, format=fmt)
    return g


def test_load_keeps_every_triple_of_the_built_dataset(built_graph, built_files) -> None:
    for path in built_files.values():
        loaded = store.load([path], vocabulary=False)
        assert len(loaded) == len(built_graph)
        assert _triples(_parsed(_dump_bytes(loaded, "nt"), "nt")) == _triples(built_graph)


def test_load_adds_the_vocabulary_unless_told_not_to(tmp_path: Path) -> None:
    data = tmp_path / "one.nt"
    data.write_text(f'<{EX}x> <{RDFS.label}> "x"@en .\n', encoding="utf-8")
    commitment_class = ox.Quad(
        ox.NamedNode(str(GG.Commitment)),
        ox.NamedNode(str(RDF.type)),
        ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),
    )
    assert commitment_class in store.load([data])
    assert len(store.load([data], vocabulary=False)) == 1


def test_every_format_by_extension(tmp_path: Path) -> None:
    g = Graph()
    g.add((URIRef(EX + "s"), RDFS.label, Literal("ø", lang="da")))
    g.add((URIRef(EX + "s"), URIRef(EX + "n"), Literal(7)))
    files = {
        "a.ttl": g.serialize(format="turtle"),
        "a.nt": g.serialize(format="nt"),
        "a.jsonld": g.serialize(format="json-ld"),
        "a.rdf": g.serialize(format="xml"),
        "a.owl": g.serialize(format="xml"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        loaded = store.load([tmp_path / name], vocabulary=False)
        assert _triples(_parsed(_dump_bytes(loaded, "nt"), "nt")) == _triples(g), name
    ds = Dataset()
    ds.graph(URIRef(EX + "g")).add((URIRef(EX + "s"), RDFS.label, Literal("in a graph")))
    for name, fmt in (("q.nq", "nquads"), ("q.trig", "trig")):
        (tmp_path / name).write_text(ds.serialize(format=fmt), encoding="utf-8")
        loaded = store.load([tmp_path / name], vocabulary=False)
        assert [q.graph_name for q in loaded] == [ox.NamedNode(EX + "g")], name  # the named graph is kept


def test_syntax_errors_name_file_line_and_column_for_every_bad_file(tmp_path: Path) -> None:
    bad_ttl = tmp_path / "bad.ttl"
    bad_ttl.write_text('@prefix ex: <https://example.org/> .\n\nex:a ex:b ex:c ;\n   ex:d "open .\n', encoding="utf-8")
    bad_nt = tmp_path / "bad.nt"
    bad_nt.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> <not an iri> .\n", encoding="utf-8")
    good = tmp_path / "good.nt"
    good.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        store.load([bad_ttl, good, bad_nt])
    errors = {Path(e.file).name: e for e in caught.value.errors}
    assert set(errors) == {"bad.ttl", "bad.nt"}
    assert (errors["bad.ttl"].line, errors["bad.ttl"].column) == (4, 9)
    assert errors["bad.nt"].line == 2 and errors["bad.nt"].column is not None
    assert "not valid" in errors["bad.nt"].message
    assert str(errors["bad.ttl"]).startswith(f"{bad_ttl}:4:9:")


def _blank_nodes_as_one(quads) -> set[tuple]:
    """The quads with every blank node the same: two loads label them differently."""
    return {tuple("_" if isinstance(t, ox.BlankNode) else t for t in q) for q in quads}


# Each of these is accepted by pyoxigraph's lenient load and refused by its strict parser.
ONLY_STRICT_REFUSES = {
    "space-in-iri.nt": f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> <{EX}c d> .\n",
    "relative-iri.nt": f"<{EX}a> <{EX}b> <{EX}c> .\n\n<a> <{EX}b> <{EX}c> .\n",
    "escaped-space.ttl": f"@prefix ex: <{EX}> .\nex:a ex:b <{EX}\\u0020> .\n",
    "space-in-graph.nq": f"<{EX}a> <{EX}b> <{EX}c> <{EX}g h> .\n",
}


@pytest.mark.parametrize("cores", [1, 2], ids=["one core: strict load", "two cores: lenient load checked aside"])
def test_the_load_is_as_strict_on_two_cores_as_on_one(built_files, tmp_path: Path, monkeypatch, cores: int) -> None:
    """On two cores a file loads leniently while a strict parse checks it on the other core. It must load what
    pyoxigraph's strict load loads and refuse what it refuses, at the same line and column."""
    monkeypatch.setattr(store, "available_cores", lambda: cores)
    relative = tmp_path / "relative.ttl"
    relative.write_text(f'<a> <{EX}p> "é"@EN-gb, "1"^^<http://www.w3.org/2001/XMLSchema#int> ; <#b> [] .\n', "utf-8")
    for path in (built_files["nt"], built_files["ttl"], relative):
        strict = ox.Store()
        strict.load(path=str(path), format=store._format_of(path), base_iri=path.resolve().as_uri())
        assert _blank_nodes_as_one(store.load([path], vocabulary=False)) == _blank_nodes_as_one(strict), path.name
    for name, text in ONLY_STRICT_REFUSES.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(SyntaxError) as strict:
            ox.Store().load(path=str(path), format=store._format_of(path))
        with pytest.raises(InputErrors) as caught:
            store.load([path], vocabulary=False)
        [error] = caught.value.errors
        assert (error.line, error.column) == (strict.value.lineno, strict.value.offset), name
        assert error.message.startswith("not valid") and "IRI" in error.message, name


def test_validation_loads_without_the_check_on_the_second_core(built_files, monkeypatch) -> None:
    """Regression: validation loads its store in a background thread while the main thread indexes the same
    files, so the second core is taken; a strict parse on a third thread slowed 1M triples from 8.6 s to 10.3 s.
    A plain load still checks aside."""
    from govgraph.validate import validate

    started: list[Path] = []
    parse_strictly = store.parse_strictly

    def recorded(path: Path, *args) -> None:
        started.append(path)
        parse_strictly(path, *args)

    monkeypatch.setattr(store, "parse_strictly", recorded)
    monkeypatch.setattr(store, "available_cores", lambda: 2)
    assert validate(files=[built_files["nt"]]).conforms
    assert started == []
    store.load([built_files["nt"]], vocabulary=False)
    assert started == [built_files["nt"]]


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        store.load([odd, tmp_path / "absent.ttl"])
    messages = sorted(e.message for e in caught.value.errors)
    assert messages[0] == "no such file" and messages[1].startswith("unknown RDF format '.csv'")


def test_nothing_is_fetched_and_no_xml_dtd_is_expanded(tmp_path: Path) -> None:
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "http://schema.org/", "@id": "http://a.example/x", "name": "y"}', encoding="utf-8")
    dtd = tmp_path / "laughs.rdf"
    dtd.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as caught:
        store.load([remote, dtd])
    by_file = {Path(e.file).name: e.message for e in caught.value.errors}
    assert "not fetched" in by_file["remote.jsonld"]
    assert "DTD" in by_file["laughs.rdf"]


def test_parse_gives_the_terms_as_written_with_load_s_guards(tmp_path: Path) -> None:
    """store.parse (publish's reader) keeps lexical forms, which a store would canonicalise, and refuses what
    load refuses, with the same file, line and column."""
    forms = tmp_path / "forms.ttl"
    forms.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f'<{EX}a> <{EX}p> "9.0"^^xsd:decimal, "007"^^xsd:integer .\n',
        encoding="utf-8",
    )
    written = sorted(q.object.value for q in store.parse(forms))
    assert written == ["007", "9.0"]
    assert sorted(q.object.value for q in store.load([forms], vocabulary=False)) == ["7", "9"]
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <https://example.org/> .\n\nex:a ex:b ex:c ;\n   ex:d "open .\n', encoding="utf-8")
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "http://schema.org/", "@id": "http://a.example/x", "name": "y"}', encoding="utf-8")
    dtd = tmp_path / "laughs.rdf"
    dtd.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n<r/>\n', encoding="utf-8")
    for path, expected in [
        (bad, f"{bad}:4:9: not valid Turtle"),
        (remote, "not fetched"),
        (dtd, "DTD"),
        (tmp_path / "absent.ttl", "no such file"),
        (tmp_path / "data.csv", "unknown RDF format"),
    ]:
        with pytest.raises(InputErrors) as caught:
            list(store.parse(path))
        assert expected in str(caught.value.errors[0]), path.name


def _dump_bytes(loaded, fmt: str) -> bytes:
    out = io.BytesIO()
    store.dump(loaded, out, fmt)
    return out.getvalue()


def test_turtle_uses_govgraph_prefixes_and_round_trips(built_graph, built_files, tmp_path: Path) -> None:
    loaded = store.load([built_files["nt"]], vocabulary=False)
    target = store.dump(loaded, tmp_path / "out.ttl") or tmp_path / "out.ttl"
    text = target.read_text(encoding="utf-8")
    assert "@prefix gg: <https://w3id.org/govgraph/def#> ." in text
    assert "gg:Commitment" in text
    assert _triples(_parsed(target.read_bytes(), "turtle")) == _triples(built_graph)


def test_same_input_gives_the_same_bytes_in_every_process(built_files, tmp_path: Path) -> None:
    script = (
        "import io, sys; from govgraph import store; out = io.BytesIO(); "
        "store.dump(store.load([sys.argv[1]]), out, sys.argv[2]); sys.stdout.buffer.write(out.getvalue())"
    )
    for fmt in ("turtle", "nt"):
        runs = [
            subprocess.run([sys.executable, "-c", script, str(built_files["nt"]), fmt], capture_output=True, check=True)
            for _ in range(2)
        ]
        here = _dump_bytes(store.load([built_files["nt"]]), fmt)
        assert runs[0].stdout == runs[1].stdout == here, fmt


def test_input_order_changes_the_order_of_the_output_not_its_triples(built_files, tmp_path: Path) -> None:
    lines = built_files["nt"].read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(7).shuffle(lines)
    shuffled = tmp_path / "shuffled.nt"
    shuffled.write_text("".join(lines), encoding="utf-8")
    first = _dump_bytes(store.load([built_files["nt"]], vocabulary=False), "nt")
    reordered = _dump_bytes(store.load([shuffled], vocabulary=False), "nt")
    assert sorted(first.splitlines()) == sorted(reordered.splitlines())


def test_dump_writes_atomically_with_normal_permissions(built_files, tmp_path: Path) -> None:
    target = tmp_path / "out.nt"
    target.write_bytes(b"old contents\n")
    store.dump(store.load([built_files["nt"]], vocabulary=False), target)
    assert target.read_bytes() != b"old contents\n"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    with pytest.raises(RuntimeError), store.open_atomic(target) as f:
        f.write(b"half a file")
        raise RuntimeError("the writer failed half-way")
    assert target.read_bytes().startswith(b"<")  # the previous complete file is still there
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nt"]  # no temporary file left behind


def test_dump_refuses_other_formats_before_writing(built_files, tmp_path: Path) -> None:
    loaded = store.load([built_files["nt"]], vocabulary=False)
    with pytest.raises(ValueError, match="turtle or nt"):
        store.dump(loaded, tmp_path / "out.jsonld")
    with pytest.raises(ValueError, match="turtle or nt"):
        store.dump(loaded, io.BytesIO(), None)
    assert not list(tmp_path.iterdir())


def test_named_graphs_are_written_as_their_union_each_triple_once(tmp_path: Path) -> None:
    quads = tmp_path / "q.nq"
    quads.write_text(
        f"<{EX}a> <{EX}b> <{EX}c> <{EX}g1> .\n<{EX}a> <{EX}b> <{EX}c> <{EX}g2> .\n<{EX}a> <{EX}b> <{EX}d> .\n",
        encoding="utf-8",
    )
    text = _dump_bytes(store.load([quads], vocabulary=False), "nt").decode()
    assert text == f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> <{EX}d> .\n"


def test_bundled_queries_run_on_a_loaded_store(built_files) -> None:
    loaded = store.load([built_files["ttl"]], vocabulary=False)  # the built dataset has its vocabulary
    for name in ("reform-tracks", "commitments-per-action-plan", "describe-resource"):
        assert run_query(name, graph=loaded).rows == run_query(name).rows, name
