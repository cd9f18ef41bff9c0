"""Data packages: the manifest, `govgraph init`, and a publisher's own package through build, validate,
release, site, publish to a real Oxigraph server and the bundled queries. Nothing in a package of one's own
may say Denmark; without --data every command reads the bundled Danish package as before."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from govgraph.build import build
from govgraph.cli import main
from govgraph.errors import InputErrors
from govgraph.package import bundled_package_dir, open_package

from .conftest import oxigraph_server

DANISH = ("Denmark", "Danish", "Danmark", "dansk", "DNK", "DK00", "Denmark's", "danske")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pkg") / "example-town"
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_init_writes_a_manifest_sheets_csvw_and_a_readme(package: Path) -> None:
    names = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert {"package.yaml", "README.md", "sources/example-plan.txt"} <= names
    sheets = {n for n in names if n.endswith(".csv")}
    assert {"programmes.csv", "tracks.csv", "initiatives.csv", "institutions.csv", "roles.csv", "money.csv"} <= sheets
    assert {"targets.csv", "commitments.csv", "assessments.csv", "documents.csv"} <= sheets
    assert {f"{s}-metadata.json" for s in sheets} <= names
    for path in package.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not any(word in text for word in DANISH), f"{path.name} mentions Denmark"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2 and "not an empty folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_what_init_writes_builds_and_validates(package: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.ttl"
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--data", str(package), "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["validate", "--data", str(package)])
    assert result.exit_code == 0, result.output
    g = Graph().parse(out)
    ids = {str(s) for s in g.subjects()}
    assert "https://example.org/govgraph/id/programme/simpler-services" in ids
    assert not any("/id/commitment/DK" in s for s in ids)


def test_release_and_site_of_a_package_say_nothing_of_denmark(package: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["release", "--data", str(package), "-o", str(tmp_path / "r"), "--issued", "2025-05-01"]
    )
    assert result.exit_code == 0, result.output
    catalog = (tmp_path / "r" / "catalog.ttl").read_text(encoding="utf-8")
    void = (tmp_path / "r" / "void.ttl").read_text(encoding="utf-8")
    for text in (catalog, void):
        assert not any(word in text for word in DANISH)
    assert "Example Town: public-sector reform data" in catalog
    assert "opendata@example.org" in catalog and "Example Town Council" in catalog
    assert "language/ENG" in catalog and "language/DAN" not in catalog
    assert "govgraph ontology" in catalog  # the init package carries the vocabulary (includes_vocabulary)
    result = runner.invoke(main, ["validate", str(tmp_path / "r" / "catalog.ttl")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["site", "--data", str(package), "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Example Town: public-sector reform data" in home
    assert "Danish public-sector" not in home
    # An English-only package opens in English; the footer names the manifest's licence.
    assert '<html lang="en" class="lang-en" data-langs="en"' in home
    assert '<a href="http://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in home


def test_without_data_the_bundled_package_is_built_as_before(built_graph) -> None:
    assert isomorphic(build(data=bundled_package_dir()), built_graph)
    manifest = open_package().manifest
    assert manifest.spatial == ("DNK",) and manifest.languages == ("da", "en")


def test_the_manifest_reports_every_problem_with_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "package.yaml").write_text(
        "title: {en: A title, fr: Un titre}\n"
        "publisher: {homepage: not a url}\n"
        "license: cc-by\n"
        "base_iri: https://example.org/x\n"
        "languages: [en, EN]\n"
        "spatial: [Finland]\n"
        "issued: 2025\n"
        "colour: blue\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as caught:
        open_package(tmp_path)
    text = str(caught.value)
    for fragment in (
        "package.yaml:1: [title] language 'fr' is not one of the package's languages",
        "[description] missing required field 'description'",
        "package.yaml:2: [publisher.name] the publisher needs a name",
        "[publisher.homepage] 'not a url' is not an absolute http(s) IRI",
        "package.yaml:3: [license] 'cc-by' is not an absolute http(s) IRI",
        "package.yaml:4: [base_iri]",
        "package.yaml:5: [languages] 'EN' is not a language tag",
        "package.yaml:6: [spatial] 'Finland' is not an ISO 3166-1 alpha-3 code",
        "package.yaml:7: [issued]",
        "package.yaml:8: [colour] unknown field 'colour'",
    ):
        assert fragment in text, f"{fragment!r} not in:\n{text}"


def test_a_folder_without_a_manifest_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "no manifest" in result.output


def test_a_source_document_whose_file_does_not_match_its_sha256_is_an_error(package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(package, copy)
    (copy / "sources" / "example-plan.txt").write_text("another text\n", encoding="utf-8")
    out = tmp_path / "x.ttl"
    result = CliRunner().invoke(main, ["build", "--data", str(copy), "-o", str(out)])
    assert result.exit_code == 2 and "[sha256]" in result.output and "example-plan" in result.output
    assert not out.exists()


def test_the_bundled_package_holds_the_seed_documents_it_cites(built_graph) -> None:
    """The three seed documents that are the Danish government's own publications are part of the bundled
    package (sources/), each the very file its SHA-256 in documents.yaml names, so that the site can quote the
    lines the records cite. The OGP's page (seed-001) and the Nordic Labour Journal's article (seed-003) are
    their publishers' words: cited by line, never copied."""
    from govgraph.namespaces import GG

    package = open_package()
    held = {}
    for document, name in built_graph.subject_objects(GG.fileName):
        path = package.document_file(str(name))
        if path is not None and str(name).endswith(".txt"):
            held[str(document).rsplit("/", 1)[-1]] = path
            assert hashlib.sha256(path.read_bytes()).hexdigest() == str(built_graph.value(document, GG.sha256))
    assert sorted(held) == ["seed-000", "seed-002", "seed-004"]
    assert {p.parent.name for p in held.values()} == {"sources"}
    # Nothing outside the package is ever read as one of its documents.
    assert package.document_file("../package.yaml") is None and package.document_file("/etc/passwd") is None


def test_ogp_exports_in_a_package_keep_only_the_members_it_names(package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(package, copy)
    shutil.copy(Path(__file__).parent / "data" / "ogp-export-three-rows.csv", copy / "ogp-export.csv")
    manifest = copy / "package.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + "ogp_exports:\n  - file: ogp-export.csv\n    members: [ARBA]\n",
        encoding="utf-8",
    )
    g = build(data=copy)
    ids = sorted(str(s).rsplit("/", 1)[1] for s in g.subjects() if "/id/commitment/" in str(s))
    assert "BUE0009" in ids and "EXT0001" in ids
    rows = (Path(__file__).parent / "data" / "ogp-export-three-rows.csv").read_text(encoding="utf-8").splitlines()
    others = {line.split(",", 1)[0] for line in rows[1:] if line and not line.startswith(("BUE", '"'))}
    assert not others & set(ids)


@pytest.mark.slow
def test_a_published_package_answers_the_bundled_queries_as_locally(package: Path, tmp_path: Path) -> None:
    """Publish the package and its vocabulary to a real Oxigraph server: every bundled query returns the
    same rows from the endpoint as from the local build."""
    from govgraph.query import run_all

    runner = CliRunner()
    with oxigraph_server(tmp_path / "db", "--union-default-graph") as base:
        result = runner.invoke(
            main,
            ["publish", "--data", str(package), "--endpoint", f"{base}/store", "--graph", "https://example.org/g"],
        )
        assert result.exit_code == 0, result.output
        assert "https://w3id.org/govgraph/def" in result.output  # the vocabulary, in a graph of its own
        remote = run_all(endpoint=f"{base}/query")
    local = run_all(graph=build(data=package, vocabulary=True))
    assert set(remote) == set(local)
    non_empty = 0
    for name, rows in local.items():
        assert sorted(map(str, rows.rows)) == sorted(map(str, remote[name].rows)), name
        non_empty += bool(rows.rows)
    assert non_empty >= 3  # the package's rows show up, not just empty tables


def test_the_sha256_in_init_matches_its_source_file(package: Path) -> None:
    digest = hashlib.sha256((package / "sources" / "example-plan.txt").read_bytes()).hexdigest()
    assert digest in (package / "documents.csv").read_text(encoding="utf-8")


NORTHVALE = Path(__file__).resolve().parents[1] / "examples" / "northvale"
REFORM = "https://northvale.example/data/id/programme/simpler-services"


@pytest.mark.slow
def test_the_fictional_example_package_end_to_end(tmp_path: Path) -> None:
    """examples/northvale, a package edited after `govgraph init` (more tracks, initiatives, institutions and
    roles): build, validate, release, site, publish to a real Oxigraph server, and the bundled queries
    return its rows there as locally."""
    from govgraph.query import get_query, run_query

    package = tmp_path / "northvale"
    shutil.copytree(NORTHVALE, package)
    runner = CliRunner()
    for args in (
        ["validate", "--data", str(package)],
        ["lint", "--check", "--data", str(package)],
        ["release", "--data", str(package), "-o", str(tmp_path / "release")],
        ["site", "--data", str(package), "-o", str(tmp_path / "site")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    catalog = (tmp_path / "release" / "catalog.ttl").read_text(encoding="utf-8")
    assert "Northvale (a fictional borough)" in catalog and not any(w in catalog for w in DANISH)
    assert '"2025-06-01"^^xsd:date' in catalog  # the manifest's issue date is the first release's
    changelog = (tmp_path / "release" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Northvale (a fictional borough): public-sector reform data: release ")
    assert (tmp_path / "site" / "doc" / "initiative" / "council-minutes-online.html").is_file()
    local = run_query(get_query("reform-tracks"), {"reform": REFORM}, graph=package)
    labels = sorted(str(v) for row in local for v in row if v is not None and "decisions" in str(v))
    assert labels, local.rows
    with oxigraph_server(tmp_path / "db", "--union-default-graph") as base:
        result = runner.invoke(
            main,
            ["publish", "--data", str(tmp_path / "release"), "--endpoint", f"{base}/store", "--graph", "urn:x:g"],
        )
        assert result.exit_code == 0, result.output
        remote = run_query(get_query("reform-tracks"), {"reform": REFORM}, endpoint=f"{base}/query")
    assert sorted(map(str, remote.rows)) == sorted(map(str, local.rows))


def test_ogp_page_texts_in_a_package_are_converted(package: Path, tmp_path: Path, seed_001: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(package, copy)
    shutil.copy(seed_001, copy / "dk0040-page.txt")
    manifest = copy / "package.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "ogp_pages: [dk0040-page.txt]\n", encoding="utf-8")
    g = build(data=copy)
    ids = {str(s).rsplit("/", 1)[1] for s in g.subjects() if "/id/commitment/" in str(s)}
    assert {"DK0001", "DK0040", "DK0070", "EXT0001"} <= ids
    manifest.write_text(manifest.read_text(encoding="utf-8") + "ogp_exports:\n  - file: ../outside.csv\n")
    with pytest.raises(InputErrors, match=r"\[ogp_exports\] '../outside.csv' must be a file inside the package"):
        open_package(copy)


def test_a_package_in_another_language_builds_and_validates(tmp_path: Path) -> None:
    """The languages are the manifest's, not Danish and English: a Norwegian (nb) package's texts are read,
    validated against its own languages, and a text in a language it does not declare is an error."""
    norsk = tmp_path / "norsk"
    shutil.copytree(NORTHVALE, norsk)
    manifest = norsk / "package.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        .replace("languages: [en]", "languages: [nb, en]")
        .replace('  en: "Northvale', '  nb: "Nordvik (en oppdiktet kommune)"\n  en: "Northvale'),
        encoding="utf-8",
    )
    programmes = norsk / "programmes.csv"
    lines = programmes.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("label@en,", "label@nb,label@en,")
    lines[1] = lines[1].replace("publication,A plan", "publication,En plan for enklere tjenester,A plan")
    programmes.write_text("\n".join(lines) + "\n", encoding="utf-8")

    graph = build(data=norsk)
    labels = {(str(o), o.language) for o in graph.objects(predicate=RDFS.label) if o.language == "nb"}
    assert ("En plan for enklere tjenester", "nb") in labels
    code, _out, err = invoke("validate", "--data", str(norsk))
    assert code == 0, err
    dataset = tmp_path / "norsk.ttl"
    assert invoke("build", "--data", str(norsk), "-o", str(dataset))[0] == 0
    # A file says nothing of its package: the default (da, en) finds the nb label; --languages says nb, en.
    code, out, _err = invoke("validate", str(dataset), "--format", "json")
    assert code == 1 and "LanguageInConstraintComponent" in out
    code, _out, err = invoke("validate", str(dataset), "--languages", "nb,en")
    assert code == 0, err
    code, _out, err = invoke("validate", str(dataset), "--languages", "not a tag")
    assert code == 2 and "--languages" in err

    # A column in a language the manifest does not name: file, line, column and field.
    lines[0] = lines[0].replace("label@nb,", "label@sv,")
    programmes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        build(data=norsk)
    (error,) = info.value.errors
    assert (error.file, error.line, error.column, error.field) == (str(programmes), 1, 3, "label")
    assert "label@nb or label@en" in error.message


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr
