"""Property-based tests (hypothesis): whatever text or bytes the readers get, they return records or raise
InputErrors, never any other exception; what they return converts to RDF that parses back; minted IRIs are
valid, deterministic and stable; and no text hides a SERVICE call from check_offline."""

from __future__ import annotations

import contextlib
import csv
import io
import socket
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from govgraph.build import convert_ogp_export, convert_ogp_page
from govgraph.errors import InputErrors
from govgraph.export import serialize
from govgraph.iris import KEY_PATTERN, Minter, slugify
from govgraph.query import QueryError, check_offline
from govgraph.sources.curated import read_curated
from govgraph.sources.ogp_export import read_ogp_export
from govgraph.sources.ogp_page import read_ogp_page

from .conftest import DATA

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text as a hostile file holds it: any code point (control characters, quotes, line ends, surrogates excluded
# as UTF-8 cannot carry them), plus the characters that matter to CSV, YAML, IRIs and N-Triples.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
TRICKY_TEXT = st.text(st.sampled_from(list("\",;\n\r\t\x00\\<>{}|^`#:-_/ .'aZ0é\u2028\ufeff")), max_size=30)
CELL = st.one_of(ANY_TEXT, TRICKY_TEXT, st.sampled_from(["", "NA", "1", "0", "2019-02-30", "1/1/2018", "9" * 40]))


def _parses_back(graph) -> None:
    """The graph's N-Triples and Turtle are valid RDF for another parser too (no broken IRIs or literals)."""
    for fmt, ox_format in (("nt", ox.RdfFormat.N_TRIPLES), ("turtle", ox.RdfFormat.TURTLE)):
        data = serialize(graph, fmt)
        assert len(list(ox.parse(data, format=ox_format))) == len(graph)


# ------------------------------------------------------------------------------------------- IRI minting

KNOWN_SLUGS = {
    "Sammenhængsreformen": "sammenhaengsreformen",
    "Center for Offentlig Innovation (COI)": "center-for-offentlig-innovation-coi",
    "Økonomi- og Indenrigsministeriet": "oekonomi-og-indenrigsministeriet",
    "Kommunernes Landsforening (KL)": "kommunernes-landsforening-kl",
    "Danske Regioner": "danske-regioner",
    "Ærø Kommune": "aeroe-kommune",
    "Straße": "strasse",
    "ﬁnance ½": "finance-12",  # NFKC makes ½ "1⁄2"; the fraction slash has no ASCII form
    "  --Open   Data-- ": "open-data",
    "AP_DNK01": "ap-dnk01",
    "東京": "",
    "": "",
}


def test_slugs_are_stable() -> None:
    """A stability anchor: these keys are in published IRIs; changing one breaks every link to it."""
    assert {text: slugify(text) for text in KNOWN_SLUGS} == KNOWN_SLUGS
    minter = Minter()
    assert minter.thing("institution", slugify("Kommunernes Landsforening (KL)")) == (
        "https://w3id.org/govgraph/id/institution/kommunernes-landsforening-kl"
    )
    assert minter.thing("commitment", "DK0040") == "https://w3id.org/govgraph/id/commitment/DK0040"
    assert Minter("https://example.org/data").document("reform", "a") == "https://example.org/data/doc/reform/a"


@SETTINGS
@given(ANY_TEXT)
@example("a\n")
@example("æøå\u0301\u200b")
def test_any_text_mints_a_valid_deterministic_iri(text: str) -> None:
    key = slugify(text)
    assert key == slugify(text)  # deterministic
    if not key:
        with pytest.raises(ValueError):
            Minter().thing("institution", key)
        return
    assert KEY_PATTERN.match(key) and key.isascii()
    iri = Minter().thing("institution", key)
    assert not any(c in iri for c in ' <>"{}|\\^`\n\t')
    assert str(URIRef(iri)) == iri and ox.NamedNode(iri).value == iri


@SETTINGS
@given(ANY_TEXT, ANY_TEXT)
def test_the_minter_refuses_what_is_not_a_key(kind: str, key: str) -> None:
    try:
        iri = Minter().thing(kind, key)
    except ValueError:
        return
    assert ox.NamedNode(iri).value == iri and "\n" not in iri


# ------------------------------------------------------------------------------------ the OGP export CSV


def _three_rows() -> tuple[list[str], list[list[str]]]:
    text = (DATA / "ogp-export-three-rows.csv").read_text(encoding="utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    return rows[0], rows[1:]


HEADER, BODY = _three_rows()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, len(HEADER) - 1), CELL), min_size=1, max_size=6))
def test_random_csv_cells_give_records_or_input_errors(tmp_path_factory, changes) -> None:
    rows = [list(r) for r in BODY]
    for row, column, value in changes:
        rows[row][column] = value
    path = tmp_path_factory.mktemp("csv") / "export.csv"
    path.write_bytes(_csv([HEADER, *rows]))
    try:
        records = read_ogp_export(path)
    except InputErrors as exc:
        assert exc.errors and all(e.file == str(path) for e in exc.errors)
        return
    assert len(records) == 3
    _parses_back(convert_ogp_export(path))


@SETTINGS
@given(st.binary(max_size=300))
@example(b"\xff\xfe\x00")
@example(b"Commitment Unique Identifier\n\x00")
def test_random_bytes_are_never_a_crash_for_any_reader(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    for name, read in (("x.csv", read_ogp_export), ("x.txt", read_ogp_page), ("x.yaml", lambda p: read_curated([p]))):
        path = folder / name
        path.write_bytes(data)
        try:
            read(path)
        except InputErrors as exc:
            assert exc.errors


# ------------------------------------------------------------------------------------------- curated YAML

YAML_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT | TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)
FIELDS = [
    "key",
    "kind",
    "label",
    "description",
    "issued",
    "start",
    "stated_initiative_count",
    "source",
    "issued_by",
    "colour",
]


@SETTINGS
@given(st.dictionaries(st.sampled_from(FIELDS), YAML_VALUE, max_size=4))
def test_random_yaml_values_give_records_or_input_errors(tmp_path_factory, changes) -> None:
    record = {
        "key": "a-reform",
        "kind": "reform",
        "label": {"en": "A reform"},
        "issued": "2007-08",
        "source": {"doc": "seed-000", "lines": "1-3"},
        **changes,
    }
    document = {"documents": [{"key": "seed-000", "title": {"en": "A note"}, "language": "en"}], "programmes": [record]}
    path = tmp_path_factory.mktemp("yaml") / "data.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        data = read_curated([path])
    except InputErrors as exc:
        assert exc.errors and all(e.file == str(path) for e in exc.errors)
        return
    (programme,) = data.of("programme")
    assert KEY_PATTERN.match(programme.key)


@SETTINGS
@given(ANY_TEXT | TRICKY_TEXT)
def test_random_yaml_text_gives_records_or_input_errors(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("yaml") / "data.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_curated([path])
    except InputErrors as exc:
        assert exc.errors


# ----------------------------------------------------------------------------------------- OGP page text

PAGE = """Skip Navigation
Denmark
Principles for Collaboration (DK0040)
Status: Active
Policy Areas
Capacity Building
Description
A page of the OGP site.

Commitments
  1. First commitment
    DK0001, 2012, E-Government
  2. Starred commitment Second commitment
    DK0040, 2012, Open Data
""".splitlines()


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(PAGE)), st.booleans(), ANY_TEXT | TRICKY_TEXT), max_size=4))
def test_random_page_text_gives_records_or_input_errors(tmp_path_factory, changes) -> None:
    lines = list(PAGE)
    for at, replace, text in changes:
        if replace and at < len(lines):
            lines[at] = text
        else:
            lines.insert(at, text)
    path = tmp_path_factory.mktemp("page") / "page.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        read_ogp_page(path)
    except InputErrors as exc:
        assert exc.errors
        return
    _parses_back(convert_ogp_page(path))


# ------------------------------------------------------------------------- no text hides a SERVICE call


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection (a SERVICE call would be one)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    seen.append(connection.recv(200))
                except OSError:
                    seen.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


FRAGMENTS = [
    " ",
    "\n",
    "\r",
    "#",
    "# c ",
    "\\",
    "'",
    '"',
    "'''",
    '"""',
    "<",
    ">",
    "{",
    "}",
    ".",
    ";",
    "?x",
    "$y",
    "ex:a",
    "ex:a\\#",
    "ex:a\\'",
    'ex:a\\"',
    "ex:a\\.",
    "'s'",
    '"s"',
    "<http://e/x#y>",
    "FILTER(?s<?o)",
    "@en",
    "_:b",
    "a",
    "SERVICE",
    "service",
    "SERVICE ",
    "<SERVICE>",
    "ex:SERVICE",
    "?SERVICE",
    "'SERVICE'",
    "\\u0053ERVICE",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=10), st.lists(st.sampled_from(FRAGMENTS), max_size=6))
def test_no_text_smuggles_a_service_call_past_check_offline(listener, before: list[str], after: list[str]) -> None:
    """Fragments that desynchronise a naive lexer (escapes, comments ended by \\r, quotes) around a real
    SERVICE call: if check_offline lets the text through, pyoxigraph runs it and the listener must stay
    silent. (pyoxigraph's SERVICE client is native code, so this is the only place such a leak shows.)"""
    port, seen = listener
    call = f" SERVICE <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?c }} "
    text = "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ?p ?o . " + "".join(before) + call
    text += "".join(after) + " }"
    try:
        check_offline(text)
    except QueryError:
        return
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")))
    count = len(seen)
    with contextlib.suppress(SyntaxError, OSError, RuntimeError, ValueError):
        list(store.query(text))
    assert len(seen) == count, f"check_offline let a SERVICE call through: {text!r}"


def test_the_service_listener_does_see_a_call(listener) -> None:
    """The control: an unchecked SERVICE call does reach the listener, so silence above means something."""
    port, seen = listener
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")))
    count = len(seen)
    with pytest.raises(OSError):
        list(store.query(f"SELECT * WHERE {{ ?s ?p ?o SERVICE <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?c }} }}"))
    deadline = threading.Event()
    for _ in range(50):
        if len(seen) > count:
            break
        deadline.wait(0.02)
    assert len(seen) > count
