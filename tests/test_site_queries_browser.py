"""The query catalogue's Run buttons in real headless Chromium (Debian's /usr/bin/chromium, Playwright): every
bundled query, run in the page on the site's own data, gives the CSV that `govgraph query --format csv` gives,
from file:// and from a static host on 127.0.0.1, with its parameters typed into the form; a bad value is
refused as the CLI refuses it; no request leaves the site. Without the engine the site says so."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from govgraph.query import get_query, list_queries, run_query
from govgraph.site import query_runner, write_site

from .conftest import ROOT, http_stub
from .test_site import TINY_BASE, tiny  # noqa: F401 (a fixture)
from .test_site_browser import CHROMIUM_ARGS, QuietFileHandler, chromium  # noqa: F401 (a fixture)

GOVGRAPH = [sys.executable, "-m", "govgraph"]
FIGURE = "<https://w3id.org/govgraph/id/figure/fv15-2-7-medarbejdere-med-laese-og-skriveundervisning>"


@pytest.fixture(scope="module")
def engine() -> Path:
    folder = query_runner.find_engine()
    if folder is None:
        pytest.fail(
            f"the browser's SPARQL engine is missing: run `make setup` (npm ci installs oxigraph "
            f"{query_runner.ENGINE_VERSION} into node_modules)",
            pytrace=False,
        )
    return folder


@pytest.fixture(scope="module")
def site_dir(engine: Path, built_graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("queries") / "site", built_graph).path


@pytest.fixture(scope="module")
def cli_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`govgraph query --all --format csv`: every bundled query with its example's parameters, one file each."""
    out = tmp_path_factory.mktemp("cli-csv")
    subprocess.run([*GOVGRAPH, "query", "--all", "--format", "csv", "--output-dir", str(out)], check=True, cwd=ROOT)
    return out


@pytest.fixture
def page(chromium: str):  # noqa: F811 (the fixture imported above)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.requests = []
            page.errors = []
            page.on("request", lambda request: page.requests.append(request.url))
            page.on("pageerror", lambda error: page.errors.append(str(error)))
            yield page
        finally:
            browser.close()


def run_in_page(page, name: str, params: dict[str, str] | None = None) -> tuple[str, bytes]:
    """Fill the query's form, press Run, wait for the answer: (status text, the downloaded CSV)."""
    form = page.locator(f'form[data-query="{name}"]')
    for key, value in (params or {}).items():
        form.locator(f'input[name="{key}"]').fill(value)
    form.get_by_role("button").click()
    status = form.locator(".run-status")
    page.wait_for_function(
        "name => ['done', 'error'].includes("
        "document.querySelector(`form[data-query='${name}'] .run-status`).dataset.state)",
        arg=name,
        timeout=60_000,
    )
    if status.get_attribute("data-state") == "error":
        return status.inner_text(), b""
    with page.expect_download() as download:
        form.locator("a.csv-download").click()
    return status.inner_text(), Path(download.value.path()).read_bytes()


def same_rows(name: str, got: bytes, want: bytes) -> bool:
    """Byte for byte where the query's rows come in a defined order; as a set of lines where they do not."""
    if get_query(name).order == "set":
        head_got, *rows_got = got.split(b"\r\n")
        head_want, *rows_want = want.split(b"\r\n")
        return head_got == head_want and sorted(rows_got) == sorted(rows_want)
    return got == want


@pytest.mark.slow
def test_every_query_runs_from_file_and_gives_the_rows_govgraph_query_gives(
    page, site_dir: Path, cli_csv: Path
) -> None:
    page.goto((site_dir / "queries.html").as_uri())
    queries = list_queries()
    assert page.locator("form.run-query").count() == len(queries)
    differ = []
    for q in queries:
        status, got = run_in_page(page, q.name)
        want = (cli_csv / f"{q.name}.csv").read_bytes()
        if not same_rows(q.name, got, want):
            differ.append((q.name, status, got[:300], want[:300]))
    assert differ == []
    # The results are tables too, and the resources in them link to their pages in the site.
    table = page.locator('form[data-query="commitments-per-action-plan"] table.results')
    rows = (cli_csv / "commitments-per-action-plan.csv").read_bytes().split(b"\r\n")[1:-1]
    assert table.locator("tbody tr").count() == len(rows) > 0
    first = table.locator("tbody a").first
    target = site_dir / first.get_attribute("href")
    assert target.is_file(), target
    # ... named by their labels, as the pages name them, with the compact IRI as a hint
    assert first.inner_text().startswith("Denmark") and "ggid:" not in first.inner_text()
    assert table.locator("tbody tr").first.locator("small.iri").inner_text() == "ggid:action-plan/ap-dnk01"
    screenshots = Path(os.environ.get("GOVGRAPH_SCREENSHOT_DIR") or site_dir.parent)
    screenshots.mkdir(parents=True, exist_ok=True)
    page.locator('section:has(form[data-query="commitments-per-action-plan"])').screenshot(
        path=str(screenshots / "site-query-run.png")
    )
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file://") and not u.startswith("blob:")] == []


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[str]:
    with http_stub(functools.partial(QuietFileHandler, directory=str(site_dir))) as url:
        yield url


# Values typed into the form, against the same values given to `govgraph query --param` (a process each, so
# the first two; the others through run_query(...).to_csv(), which is what the command writes); "" clears the
# field, which leaves an optional parameter unbound, as giving no --param does.
TYPED = [
    ("commitment-assessments", {"id": "DK0041"}, "cli"),
    ("targets-by-year-and-indicator", {"year": ""}, "cli"),
    ("search-labels", {"text": "Styrelsen"}, "library"),
    ("programmes", {"class": ""}, "library"),
    ("commitments-linked-to", {"target": "https://w3id.org/govgraph/id/programme/sammenhaengsreformen"}, "library"),
    # a decimal the converter wrote as 120: the page's data must keep that lexical form (rdflib writes 120.0)
    ("describe-resource", {"resource": "ggid:figure/fv15-2-7-medarbejdere-med-laese-og-skriveundervisning"}, "cli"),
]


@pytest.mark.slow
def test_typed_parameters_give_the_rows_govgraph_query_gives_on_a_static_host(page, server: str) -> None:
    page.goto(server + "queries.html")
    for name, params, how in TYPED:
        _, got = run_in_page(page, name, params)
        given = {k: v for k, v in params.items() if v}
        if how == "cli":
            options = [f"--param={k}={v}" for k, v in given.items()]
            command = [*GOVGRAPH, "query", name, *options, "--format", "csv"]
            want = subprocess.run(command, check=True, capture_output=True, cwd=ROOT).stdout
        else:
            want = run_query(name, given).to_csv().encode("utf-8")
        assert got and same_rows(name, got, want), (name, got[:300], want[:300])
    # axe-core (pinned in package-lock.json) on the forms with their result tables, in both languages
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.is_file(), "node_modules/axe-core is missing: run `make setup` (npm ci)"
    page.add_script_tag(path=str(axe))
    for lang in ("da", "en"):
        page.evaluate(f"() => {{ document.documentElement.className = 'js lang-{lang}'; }}")
        violations = page.evaluate(
            "async () => (await axe.run({include: [['form.run-query']]})).violations"
            ".map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.html)}))"
        )
        assert violations == [], (lang, violations)
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith(server) and not u.startswith("blob:")] == []


@pytest.mark.slow
def test_a_value_not_of_its_type_is_refused_as_the_cli_refuses_it(page, site_dir: Path) -> None:
    page.goto((site_dir / "queries.html").as_uri())
    status, csv = run_in_page(page, "targets-by-year-and-indicator", {"year": "20x0"})
    assert csv == b"" and ("expected a year YYYY" in status or "forventede et år ÅÅÅÅ" in status)
    form = page.locator('form[data-query="targets-by-year-and-indicator"]')
    assert form.locator("table.results").count() == 0
    cli = subprocess.run(
        [*GOVGRAPH, "query", "targets-by-year-and-indicator", "--param", "year=20x0"], capture_output=True, cwd=ROOT
    )
    assert cli.returncode == 2 and b"expected a year YYYY" in cli.stderr
    # A good value after the bad one runs.
    status, csv = run_in_page(page, "targets-by-year-and-indicator", {"year": "2020"})
    assert csv.startswith(b"targetYear,") and b"\r\n2020," in csv
    assert page.errors == []


# ------------------------------------------------------------------------------- without a browser


def test_without_the_engine_the_site_is_written_and_says_the_run_buttons_are_unavailable(
    tiny: Path,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from govgraph.cli import main

    monkeypatch.setattr(query_runner, "ENGINE_SEARCH", (tmp_path / "nowhere",))
    out = tmp_path / "site"
    run = CliRunner().invoke(main, ["site", str(tiny), "--base-iri", TINY_BASE, "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "no Run buttons" in run.output and query_runner.INSTALL_HINT in run.output
    html = (out / "queries.html").read_text(encoding="utf-8")
    assert "The Run buttons are unavailable" in html and query_runner.INSTALL_HINT in html
    assert "run-query" not in html and "query-runner.js" not in html
    assert not (out / "engine").exists() and (out / "index.html").is_file()
    assert not write_site(tmp_path / "again", files=[tiny], base_iri=TINY_BASE).runnable_queries


def test_the_engine_is_the_version_package_lock_pins() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/oxigraph"]["version"] == query_runner.ENGINE_VERSION
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert manifest["dependencies"]["oxigraph"] == query_runner.ENGINE_VERSION


def test_the_glue_becomes_a_classic_script_or_is_refused(engine: Path) -> None:
    glue = query_runner.classic_glue((engine / "web.js").read_text(encoding="utf-8"))
    assert "import.meta" not in glue and "\nexport " not in glue and glue.startswith("/* Oxigraph ")
    node = subprocess.run(["node", "--check", "-"], input=glue.encode(), capture_output=True)
    assert node.returncode == 0, node.stderr
    with pytest.raises(query_runner.EngineError):
        query_runner.classic_glue("export const x = 1;\nexport default x;\n")


def test_the_values_offset_is_where_govgraph_query_puts_the_block() -> None:
    from govgraph.query.text import where_brace

    config = query_runner.query_config(list_queries(), "https://w3id.org/govgraph/id/")
    for q in list_queries():
        entry = config["queries"][q.name]
        assert entry["text"][: entry["valuesAt"]] == q.text[: where_brace(q.text)]
        assert [p["name"] for p in entry["params"]] == [p.name for p in q.params]


def test_the_page_data_keeps_the_lexical_forms_govgraph_query_returns(built_graph) -> None:
    from govgraph.package import open_package
    from govgraph.site.model import SiteModel

    model = SiteModel(built_graph, "https://w3id.org/govgraph/", open_package().manifest)
    data = query_runner.dataset_ntriples(model).decode("utf-8")
    line = next(x for x in data.split("\n") if x.startswith(FIGURE) and "schema.org/value" in x)
    assert '"120"^^<http://www.w3.org/2001/XMLSchema#decimal>' in line
    assert (
        data
        == query_runner.dataset_ntriples(SiteModel(built_graph, "https://w3id.org/govgraph/", model.manifest)).decode()
    )


def test_the_catalogue_has_a_typed_form_per_query(engine: Path, built_graph) -> None:
    from govgraph.query import example_params
    from govgraph.site import SiteBuilder

    html = SiteBuilder(built_graph, "https://w3id.org/govgraph/").vocabulary.queries_page().decode("utf-8")
    config = json.loads(html.split('<script type="application/json" id="query-config">', 1)[1].split("</script>")[0])
    for q in list_queries():
        form = html.split(f'<form class="run-query" data-query="{q.name}"', 1)[1].split("</form>", 1)[0]
        assert f'aria-labelledby="{q.name}"' in form and f'<span class="visually-hidden"> {q.name}</span>' in form
        for p in q.params:
            ident = f"run-{q.name}-{p.name}"
            assert f'<label for="{ident}">' in form and f'id="{ident}" name="{p.name}"' in form
            value = example_params(q).get(p.name, p.default or "")
            assert f'value="{value}"' in form, (q.name, p.name)
        entry = config["queries"][q.name]
        assert entry["form"] == q.form and [p["type"] for p in entry["params"]] == [p.type for p in q.params]
    # a parameter without a default is optional (bind_params leaves it unbound), and the page says so
    roles = html.split('<h2 id="institution-roles">', 1)[1].split("</section>", 1)[0]
    assert "(optional: unbound)" in roles and "required" not in roles
