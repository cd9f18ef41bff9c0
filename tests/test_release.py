"""govgraph release: the data files in four formats (TriG split per source document, JSON-LD with a local
context), the DCAT-AP catalogue, VoID statistics, checksums, changelog; deterministic and atomic."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from govgraph.cli import main
from govgraph.errors import InputErrors
from govgraph.export import serialize
from govgraph.namespaces import GG, bind_prefixes
from govgraph.release import release
from govgraph.validate import validate

BASE = "https://w3id.org/govgraph/"
ID = BASE + "id/"
SPDX = "http://spdx.org/rdf/terms#"
IANA = "https://www.iana.org/assignments/media-types/"
EU = "http://publications.europa.eu/resource/authority/"
DATA = ["govgraph.ttl", "govgraph.nt", "govgraph.jsonld", "govgraph.trig"]
SEEDS = ["ogp-export-denmark", "seed-000", "seed-001", "seed-002", "seed-003", "seed-004"]


def _bundled_documents() -> list[str]:
    """Every source document of the bundled package: the seeds, the export, the OGP pages' stored versions."""
    from govgraph.package import open_package
    from govgraph.sources.curated import read_curated
    from govgraph.sources.curated_ogp import source_documents

    keys = sorted(d.key for d in source_documents(read_curated(list(open_package(None).record_files))))
    assert set(SEEDS) <= set(keys)
    return keys


DOCUMENTS = _bundled_documents()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, built_graph: Graph) -> Path:
    return release(tmp_path_factory.mktemp("r") / "release", graph=built_graph, issued="2024-05-01", compress=True)


def parse_jsonld_with_local_context(path: Path) -> Graph:
    """The release's JSON-LD, parsed offline: the context file is read and put in place of its reference."""
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@context"] == "context.jsonld"
    document["@context"] = json.loads((path.parent / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    return Graph().parse(data=json.dumps(document), format="json-ld")


def test_the_folder_holds_exactly_the_release_files(folder: Path) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [*DATA, *(f + ".gz" for f in DATA), "context.jsonld", "catalog.ttl", "void.ttl", "CHANGELOG.md", "SHA256SUMS"]
    )
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")], "a temporary folder was left behind"


def test_every_format_is_the_same_graph(folder: Path, built_graph: Graph) -> None:
    turtle = Graph().parse(folder / "govgraph.ttl", format="turtle")
    assert isomorphic(turtle, built_graph)
    assert isomorphic(Graph().parse(folder / "govgraph.nt", format="nt"), turtle)
    assert isomorphic(parse_jsonld_with_local_context(folder / "govgraph.jsonld"), turtle)
    trig = Dataset()
    trig.parse(folder / "govgraph.trig", format="trig")
    union = Graph()
    for s, p, o, _g in trig.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, turtle)


def test_jsonld_uses_the_local_context_only(folder: Path) -> None:
    context = json.loads((folder / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["gg"] == str(GG) and context["ggid"] == ID
    assert context["Commitment"] == "gg:Commitment"
    assert context["actionPlan"] == {"@id": "gg:actionPlan", "@type": "@id"}  # an object property: IRI values
    assert all(not isinstance(v, str) or not v.endswith(".jsonld") for v in context.values())
    document = json.loads((folder / "govgraph.jsonld").read_text(encoding="utf-8"))
    dk0040 = next(n for n in document["@graph"] if n["@id"] == ID + "commitment/DK0040")
    assert dk0040["@type"] == "Commitment" and dk0040["actionPlan"] == ID + "action-plan/ap-dnk02"


def test_trig_has_one_named_graph_per_source_document_and_one_for_the_vocabulary(folder: Path) -> None:
    trig = Dataset()
    trig.parse(folder / "govgraph.trig", format="trig")
    graphs = {str(g.identifier): g for g in trig.graphs() if len(g)}
    assert sorted(graphs) == sorted(BASE + "graph/" + k for k in [*DOCUMENTS, "vocabulary"])

    def graph(key: str) -> Graph:
        return graphs[BASE + "graph/" + key]

    assert (GG.Commitment, RDF.type, OWL.Class) in graph("vocabulary")
    assert not [s for s in graph("vocabulary").subjects() if str(s).startswith(ID)]
    # A resource with one source is in its document's graph only.
    dk0040 = URIRef(ID + "commitment/DK0040")
    # Seed 001 and the later version of DK0040's OGP page both describe it.
    assert [k for k in DOCUMENTS if (dk0040, RDF.type, GG.Commitment) in graph(k)] == [
        "ogp-page-dk0040-later",
        "seed-001",
    ]
    # DK0018 cites the seed list and the OGP export: it is described whole in both.
    dk0018 = {q[:3] for q in trig.quads((URIRef(ID + "commitment/DK0018"), None, None, None))}
    in_export = set(graph("ogp-export-denmark").triples((URIRef(ID + "commitment/DK0018"), None, None)))
    in_seed = set(graph("seed-001").triples((URIRef(ID + "commitment/DK0018"), None, None)))
    assert in_export == in_seed and in_export == dk0018 and len(dk0018) > 10
    # A document and its excerpts are in the document's own graph.
    seed3 = URIRef(ID + "source/seed-003")
    assert (seed3, RDF.type, GG.SourceDocument) in graph("seed-003")
    for excerpt in graph("seed-003").subjects(DCTERMS.isPartOf, seed3):
        assert (excerpt, RDF.type, GG.SourceExcerpt) in graph("seed-003")
        assert all((excerpt, RDF.type, GG.SourceExcerpt) not in graph(k) for k in DOCUMENTS if k != "seed-003")


def test_build_writes_the_same_trig(folder: Path, built_graph: Graph) -> None:
    assert serialize(built_graph, "trig") == (folder / "govgraph.trig").read_bytes()


def test_gzip_copies_are_the_data_files_with_no_timestamp(folder: Path) -> None:
    for name in DATA:
        packed = (folder / (name + ".gz")).read_bytes()
        assert gzip.decompress(packed) == (folder / name).read_bytes()
        assert packed[4:8] == b"\0\0\0\0"  # MTIME


def test_sha256sums_checks_with_sha256sum(folder: Path) -> None:
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == sorted(p.name for p in folder.iterdir() if p.name != "SHA256SUMS")
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == len(lines)


def test_a_second_release_is_byte_identical(folder: Path, tmp_path: Path, built_graph: Graph) -> None:
    again = release(tmp_path / "again", graph=built_graph, issued="2024-05-01", compress=True)
    for path in folder.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_first_release_says_so(folder: Path, built_graph: Graph) -> None:
    assert (folder / "CHANGELOG.md").read_text(encoding="utf-8") == (
        "# govgraph: Danish public-sector reform and OGP commitments as linked open data: release 2024-05-01\n\n"
        f"First release: {len(built_graph)} triples. There is no previous release to compare with.\n"
    )


# ---------------------------------------------------------------- DCAT-AP


def test_the_catalogue_conforms_to_the_dcat_ap_shapes(folder: Path) -> None:
    report = validate(files=[folder / "catalog.ttl"])
    assert report.results == [], report.to_text()


def test_the_dcat_ap_shapes_catch_a_missing_title_and_access_url(folder: Path, tmp_path: Path) -> None:
    catalog = Graph().parse(folder / "catalog.ttl")
    dataset = URIRef(ID + "dataset/govgraph")
    ttl = URIRef(ID + "distribution/govgraph-ttl")
    catalog.remove((dataset, DCTERMS.title, None))
    catalog.remove((ttl, DCAT.accessURL, None))
    broken = tmp_path / "catalog.ttl"
    catalog.serialize(broken, format="turtle")
    found = {(r.focus, r.path, r.component.rsplit("#")[-1], r.severity) for r in validate(files=[broken]).results}
    assert found == {
        (str(dataset), str(DCTERMS.title), "MinCountConstraintComponent", "Violation"),
        (str(ttl), str(DCAT.accessURL), "MinCountConstraintComponent", "Violation"),
    }


def test_every_distribution_states_its_real_checksum_media_type_and_file_type(folder: Path) -> None:
    catalog = Graph().parse(folder / "catalog.ttl")
    dataset = URIRef(ID + "dataset/govgraph")
    distributions = list(catalog.objects(dataset, DCAT.distribution))
    assert len(distributions) == 8
    media = {
        "ttl": "text/turtle",
        "nt": "application/n-triples",
        "jsonld": "application/ld+json",
        "trig": "application/trig",
    }
    file_types = {"ttl": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "jsonld": "JSON_LD", "trig": "RDF_TRIG"}
    for d in distributions:
        url = str(catalog.value(d, DCAT.downloadURL))
        assert url.startswith(BASE + "release/")
        data = (folder / url.rsplit("/", 1)[1]).read_bytes()
        # No byte size: DCAT-AP 3 and DCAT-AP-DK 2.0.2 type it differently (tests/profiles/README.md).
        assert catalog.value(d, DCAT.byteSize) is None
        checksum = catalog.value(d, URIRef(SPDX + "checksum"))
        assert str(catalog.value(checksum, URIRef(SPDX + "checksumValue"))) == hashlib.sha1(data).hexdigest()
        algorithm = catalog.value(checksum, URIRef(SPDX + "algorithm"))
        assert algorithm == URIRef(SPDX + "checksumAlgorithm_sha1")
        assert (algorithm, RDF.type, URIRef(SPDX + "ChecksumAlgorithm")) in catalog
        extension = url.rsplit("/", 1)[1].removesuffix(".gz").rsplit(".", 1)[1]
        assert catalog.value(d, DCAT.mediaType) == URIRef(IANA + media[extension])
        assert catalog.value(d, DCTERMS.format) == URIRef(EU + "file-type/" + file_types[extension])
        assert catalog.value(d, URIRef("http://data.europa.eu/r5r/availability")) == URIRef(
            "http://data.europa.eu/r5r/availability/available"
        )
        assert catalog.value(d, DCTERMS.license) == URIRef("http://creativecommons.org/licenses/by/4.0/")
        assert (catalog.value(d, DCAT.compressFormat) is not None) == url.endswith(".gz")


def test_the_dataset_description(folder: Path) -> None:
    catalog = Graph().parse(folder / "catalog.ttl")
    dataset = URIRef(ID + "dataset/govgraph")
    assert {t.language for t in catalog.objects(dataset, DCTERMS.title)} == {"da", "en"}
    assert {t.language for t in catalog.objects(dataset, DCTERMS.description)} == {"da", "en"}
    assert catalog.value(dataset, DCAT.theme) == URIRef(
        "http://publications.europa.eu/resource/authority/data-theme/GOVE"
    )
    assert catalog.value(dataset, DCTERMS.issued) == Literal("2024-05-01", datatype=XSD.date)
    assert catalog.value(dataset, DCTERMS.modified) == Literal("2024-05-01", datatype=XSD.date)
    assert set(catalog.objects(dataset, DCTERMS.conformsTo)) == {
        URIRef("https://w3id.org/govgraph/def"),
        URIRef("https://w3id.org/govgraph/def/shapes"),
    }
    publisher = catalog.value(dataset, DCTERMS.publisher)
    assert publisher == URIRef(ID + "agent/govgraph-contributors")
    assert str(catalog.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == "govgraph contributors"
    assert len(list(catalog.objects(dataset, DCAT.keyword))) >= 6
    assert catalog.value(publisher, DCTERMS.type) == URIRef("http://purl.org/adms/publishertype/PrivateIndividual(s)")
    licence = URIRef("http://creativecommons.org/licenses/by/4.0/")
    assert set(catalog.objects(licence, DCTERMS.type)) == {URIRef("http://purl.org/adms/licencetype/Attribution")}
    denmark = URIRef(EU + "country/DNK")
    assert set(catalog.objects(dataset, DCTERMS.spatial)) == {denmark}
    assert str(catalog.value(denmark, DCAT.centroid)) == "POINT(10.0 56.0)"
    assert str(catalog.value(denmark, DCAT.bbox)).startswith("POLYGON((8.0728 54.5597,15.1972 54.5597,")


def test_the_temporal_coverage_is_the_span_of_the_dates_and_years_in_the_data(folder: Path) -> None:
    catalog, data = Graph().parse(folder / "catalog.ttl"), Graph().parse(folder / "govgraph.nt")
    period = catalog.value(URIRef(ID + "dataset/govgraph"), DCTERMS.temporal)
    start, end = catalog.value(period, DCAT.startDate), catalog.value(period, DCAT.endDate)
    moments = [
        o
        for s, o in data.subject_objects()
        if str(s).startswith(ID) and isinstance(o, Literal) and o.datatype in (XSD.date, XSD.gYear)
    ]
    # the things' dates, not the vocabulary's own (the ontology's dcterms:issued)
    assert (str(start), str(end)) == ("2006", "2025")
    assert start in moments and end in moments
    assert str(start)[:4] == min(str(o)[:4] for o in moments)
    assert str(end)[:4] == max(str(o)[:4] for o in moments)


@pytest.mark.parametrize(
    ("license", "types"),
    [
        ("http://creativecommons.org/licenses/by/4.0/", ["Attribution"]),
        ("https://creativecommons.org/licenses/by-nc-sa/4.0/", ["Attribution", "ViralEffect-ShareAlike",
                                                                "NonCommercialUseOnly"]),
        ("http://creativecommons.org/publicdomain/zero/1.0/", ["PublicDomain"]),
        ("http://publications.europa.eu/resource/authority/licence/CC_BYND_4_0", ["Attribution", "NoDerivativeWork"]),
        ("https://opendatacommons.org/licenses/odbl/1-0/", ["Attribution", "ViralEffect-ShareAlike"]),
        ("https://example.org/our-licence", []),
    ],
)  # fmt: skip
def test_licence_types_follow_the_licence(license: str, types: list[str]) -> None:
    from govgraph.release import licence_types

    assert list(licence_types(license)) == types


# ---------------------------------------------------------------- VoID


def count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def test_void_statistics_equal_sparql_counts(folder: Path) -> None:
    store = ox.Store()
    store.load(path=str(folder / "govgraph.nt"), format=ox.RdfFormat.N_TRIPLES)
    void = Graph().parse(folder / "void.ttl")
    dataset = URIRef(ID + "dataset/govgraph")

    def stated(p: URIRef, s: URIRef = dataset) -> int:
        return int(void.value(s, p))

    assert stated(VOID.triples) == count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert stated(VOID.distinctSubjects) == count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }")
    assert stated(VOID.distinctObjects) == count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }")
    assert stated(VOID.properties) == count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }")
    assert stated(VOID.classes) == count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }")
    assert str(void.value(dataset, VOID.uriSpace)) == ID
    assert stated(VOID.entities) == count(
        store, f'SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}'
    )
    classes = {
        r["c"].value: int(r["n"].value)
        for r in store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c")
    }
    stated_classes = {
        str(void.value(p, VOID["class"])): int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert stated_classes == classes and classes[str(GG.Commitment)] == 70
    properties = {
        r["p"].value: int(r["n"].value) for r in store.query("SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p")
    }
    stated_properties = {
        str(void.value(p, VOID.property)): int(void.value(p, VOID.triples))
        for p in void.objects(dataset, VOID.propertyPartition)
    }
    assert stated_properties == properties
    linkset = void.value(dataset, VOID.subset)
    assert (linkset, RDF.type, VOID.Linkset) in void and void.value(linkset, VOID.linkPredicate) == RDFS.seeAlso
    assert int(void.value(linkset, VOID.triples)) == count(
        store,
        "SELECT (COUNT(*) AS ?n) { ?s <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?o "
        'FILTER(STRSTARTS(STR(?o), "https://www.opengovpartnership.org/")) }',
    )
    assert void.value(dataset, VOID.exampleResource) == URIRef(ID + "commitment/DK0040")
    dumps = {str(u).rsplit("/", 1)[1] for u in void.objects(dataset, VOID.dataDump)}
    assert dumps == {*DATA, *(f + ".gz" for f in DATA)}
    assert URIRef(str(GG)) in set(void.objects(dataset, VOID.vocabulary))


# ---------------------------------------------------------------- previous release, options, errors


def mutated(graph: Graph) -> Graph:
    """A copy of the dataset with one commitment removed, one assessment value and one title changed."""
    g = Graph()
    bind_prefixes(g, BASE)
    g += graph
    g.remove((URIRef(ID + "commitment/DK0040"), None, None))
    g.set(
        (
            URIRef(ID + "assessment/dk0018-ap-dnk01-progress-report-2014-completion"),
            GG.value,
            URIRef("https://w3id.org/govgraph/def/irm-classic-completion/substantial"),
        )
    )
    g.set((URIRef(ID + "commitment/DK0041"), DCTERMS.title, Literal("Free municipalities", lang="en")))
    return g


def test_a_release_with_a_previous_one_lists_the_changes(folder: Path, tmp_path: Path, built_graph: Graph) -> None:
    new = release(tmp_path / "new", graph=mutated(built_graph), previous=folder, issued="2024-06-01")
    assert (new / "CHANGELOG.md").read_text(encoding="utf-8") == (
        "# govgraph: Danish public-sector reform and OGP commitments as linked open data: release 2024-06-01\n"
        "\n"
        "Changes from the previous release (release) to this release: 2 triples added, 19 removed.\n"
        "\n"
        "### Commitments removed (1)\n"
        "\n"
        "- `DK0040` Principles for Collaboration on the Modernisation of the Public Sector as Well as the "
        "Establishment of a Centre for Public Innovation\n"
        "\n"
        "### Titles and labels changed (1)\n"
        "\n"
        '- `DK0041` dcterms:title@en: "“Free Municipality” Pilot Projects" → "Free municipalities"\n'
        "\n"
        "### IRM assessments changed (1)\n"
        "\n"
        "- `DK0018` Completion (IRM progress report on Denmark action plan 2012-2014 (2014)): Complete → Substantial\n"
    )
    catalog = Graph().parse(new / "catalog.ttl")
    dataset = URIRef(ID + "dataset/govgraph")
    # The dataset was first issued with the previous release; this release modifies it.
    assert catalog.value(dataset, DCTERMS.issued) == Literal("2024-05-01", datatype=XSD.date)
    assert catalog.value(dataset, DCTERMS.modified) == Literal("2024-06-01", datatype=XSD.date)


def test_a_release_replaces_an_earlier_release_in_place(tmp_path: Path, built_graph: Graph) -> None:
    small = Graph()
    bind_prefixes(small, BASE)
    small += built_graph.triples((URIRef(ID + "commitment/DK0040"), None, None))
    target = release(tmp_path / "r", graph=small, issued="2024-01-01", compress=True)
    assert (target / "govgraph.ttl.gz").exists()
    release(target, graph=small, issued="2024-01-02", previous=target)
    assert not (target / "govgraph.ttl.gz").exists()  # the old folder was replaced, not merged into
    assert "No changes from the previous release (r) to this release." in (target / "CHANGELOG.md").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_folder_that_is_not_a_release_is_never_replaced(tmp_path: Path, built_graph: Graph) -> None:
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    with pytest.raises(InputErrors, match="not a govgraph release"):
        release(tmp_path, graph=built_graph, issued="2024-01-01")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_options_reach_the_catalogue(tmp_path: Path, built_graph: Graph) -> None:
    small = Graph()
    bind_prefixes(small, "https://example.org/gg/")
    small.add((URIRef("https://example.org/gg/id/commitment/DK0040"), RDFS.label, Literal("x", lang="en")))
    target = release(
        tmp_path / "r",
        graph=small,
        base_iri="https://example.org/gg/",
        issued="2025-02-03",
        publisher_name="Digitaliseringsstyrelsen",
        publisher_iri="https://example.org/agency",
        license="https://creativecommons.org/publicdomain/zero/1.0/",
        download_base="https://downloads.example.org/v1/",
    )
    catalog = Graph().parse(target / "catalog.ttl")
    dataset = URIRef("https://example.org/gg/id/dataset/govgraph")
    assert catalog.value(dataset, DCTERMS.publisher) == URIRef("https://example.org/agency")
    assert str(catalog.value(URIRef("https://example.org/agency"), URIRef("http://xmlns.com/foaf/0.1/name"))) == (
        "Digitaliseringsstyrelsen"
    )
    ttl = URIRef("https://example.org/gg/id/distribution/govgraph-ttl")
    assert catalog.value(ttl, DCTERMS.license) == URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    assert catalog.value(ttl, DCAT.downloadURL) == URIRef("https://downloads.example.org/v1/govgraph.ttl")
    assert catalog.value(dataset, DCTERMS.issued) == Literal("2025-02-03", datatype=XSD.date)
    assert validate(files=[target / "catalog.ttl"]).results == []
    void = Graph().parse(target / "void.ttl")
    assert str(void.value(dataset, VOID.uriSpace)) == "https://example.org/gg/id/"


def test_source_date_epoch_sets_the_default_date(monkeypatch: pytest.MonkeyPatch) -> None:
    from govgraph.release import release_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert release_date().isoformat() == "2023-11-14"
    assert release_date("2024-02-29").isoformat() == "2024-02-29"


def test_cli_release_and_its_input_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["release", "-o", str(tmp_path / "a"), "--issued", "not-a-date"])
    assert result.exit_code == 2 and "is not a date" in result.output
    result = runner.invoke(main, ["release", "-o", str(tmp_path / "a"), "--license", "CC BY 4.0"])
    assert result.exit_code == 2 and "--license 'CC BY 4.0' is not an absolute http(s) IRI" in result.output
    result = runner.invoke(main, ["release", "-o", str(tmp_path / "a"), "--previous", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "missing: no such file or folder" in result.output
    assert list(tmp_path.iterdir()) == []
    result = runner.invoke(main, ["release", "-o", str(tmp_path / "a"), "--issued", "2024-05-01"])
    assert result.exit_code == 0, result.output
    assert validate(files=[tmp_path / "a" / "catalog.ttl"]).results == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]


def test_validate_reads_a_releases_jsonld_with_its_local_context(tmp_path: Path) -> None:
    """Regression: `govgraph validate DIR/govgraph.jsonld` refused the release's own context.jsonld as remote."""
    from govgraph.inputs import read_graph

    (tmp_path / "context.jsonld").write_text('{"@context": {"ex": "http://example.org/"}}')
    (tmp_path / "data.jsonld").write_text('{"@context": "context.jsonld", "@id": "ex:a", "ex:p": "x"}')
    assert len(read_graph([tmp_path / "data.jsonld"])) == 1


def test_a_context_path_outside_the_folder_is_refused(tmp_path: Path) -> None:
    from govgraph.errors import InputErrors
    from govgraph.inputs import read_graph

    (tmp_path / "data.jsonld").write_text('{"@context": "../../etc/passwd", "@id": "http://example.org/a"}')
    with pytest.raises(InputErrors, match="not a file name beside the document"):
        read_graph([tmp_path / "data.jsonld"])


def test_query_reads_a_releases_jsonld_with_its_local_context(folder: Path) -> None:
    """`govgraph query --data DIR/govgraph.jsonld` loads through govgraph.store, which puts context.jsonld in place
    (before, query had a loader of its own that refused the release's context as remote)."""
    from govgraph.query import run_query

    from_jsonld = run_query("reform-tracks", graph=folder / "govgraph.jsonld")
    from_turtle = run_query("reform-tracks", graph=folder / "govgraph.ttl")
    assert len(from_jsonld.rows) == 4 and from_jsonld.rows == from_turtle.rows


def test_the_manifest_rejects_a_bad_publisher_type_and_geometry(tmp_path: Path) -> None:
    from govgraph.package import open_package

    package = tmp_path / "p"
    CliRunner().invoke(main, ["init", str(package)], catch_exceptions=False)
    manifest = package / "package.yaml"
    text = manifest.read_text(encoding="utf-8").replace('type: "LocalAuthority"', 'type: "Council"')
    text += "geometry:\n  DNK: {bbox: [15.2, 54.5, 8.0, 57.7], centroid: [10.0, 56.0]}\n  dk: {bbox: [1, 2, 3, 4]}\n"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        open_package(package)
    messages = "\n".join(str(e) for e in caught.value.errors)
    assert "'Council' is not an ADMS publisher type" in messages
    assert "bbox [15.2, 54.5, 8.0, 57.7] is not [west, south, east, north]" in messages
    assert "'dk' is not an ISO 3166-1 alpha-3 code" in messages


def test_the_countries_of_national_ogp_members_are_the_catalogues_spatial_coverage(tmp_path: Path) -> None:
    """Regression: the catalogue looked for members of a class that does not exist (gg:Member), so an OGP
    export's countries never reached dcterms:spatial."""
    from govgraph.build import convert_ogp_export

    graph = convert_ogp_export(Path(__file__).parent / "data" / "ogp-export-three-rows.csv")
    folder = release(tmp_path / "r", graph=graph, issued="2024-05-01")
    catalog = Graph().parse(folder / "catalog.ttl")
    country = "http://publications.europa.eu/resource/authority/country/"
    # Denmark and Ireland are national members; Buenos Aires (ARBA) is a local one and has no country link
    assert {str(o) for o in catalog.objects(URIRef(ID + "dataset/govgraph"), DCTERMS.spatial)} == {
        country + "DNK",
        country + "IRL",
    }
    assert (URIRef(ID + "member/arba"), DCTERMS.spatial, None) not in graph
    assert graph.value(URIRef(ID + "member/irl"), DCTERMS.spatial) == URIRef(country + "IRL")
