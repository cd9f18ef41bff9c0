"""The govgraph command line: a thin click layer over the library. Every command calls one library
function; this module only wires options and turns errors into messages and exit codes.

Exit codes: 0 success (or the data conforms), 1 the data does not conform, 2 usage or input error.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from govgraph import DEFAULT_BASE_IRI, __version__

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT = 0, 1, 2


def base_iri_option(f: Callable) -> Callable:
    return click.option(
        "--base-iri",
        default=None,
        metavar="IRI",
        help=f"Base of the minted IRIs (things go under <base>id/<kind>/<key>). Default: the data package's "
        f"base_iri ({DEFAULT_BASE_IRI} for the bundled one).",
    )(f)


def data_option(f: Callable) -> Callable:
    """--data DIR: the data package a command reads (see `govgraph init`); the bundled Danish one by default."""
    return click.option(
        "--data",
        "data",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Your data package (a folder with package.yaml; `govgraph init` makes one). Default: the bundled "
        "Danish package.",
    )(f)


def format_option(f: Callable) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["turtle", "nt", "jsonld", "trig"]),
        default=None,
        help="Output format; by default the one the file extension names (.ttl .nt .jsonld .trig).",
    )(f)


def output_option(what: str) -> Callable:
    """-o/--output PATH, shared by every command that writes one file (stdout when not given)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="PATH",
        help=f"Write {what} to this file (atomically) instead of stdout.",
    )


def output_folder_option(help_text: str) -> Callable:
    """-o/--output DIR, required, for the commands that write a whole folder (release, site)."""
    return click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help=help_text,
    )


def allow_empty_option(f: Callable) -> Callable:
    """--allow-empty: an input with no triples is a mistake (a wrong file, an interrupted export) unless said."""
    return click.option(
        "--allow-empty", is_flag=True, help="Accept an input file that holds no triples (refused by default)."
    )(f)


def credentials_options(f: Callable) -> Callable:
    """--user and --password, for the commands that talk to an endpoint (query, publish)."""
    f = click.option(
        "--password",
        metavar="SECRET",
        help="Basic-auth password (or GOVGRAPH_ENDPOINT_PASSWORD, or a netrc entry); never printed.",
    )(f)
    return click.option(
        "--user", metavar="NAME", help="Basic-auth user (or GOVGRAPH_ENDPOINT_USER, or a netrc entry)."
    )(f)


def emit(data: bytes, output: Path | None) -> None:
    """Bytes to stdout, or to a file written to a temporary name and renamed: never half-written."""
    from govgraph.export import write_bytes_atomic

    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_bytes_atomic(output, data)


def reports_input_errors(f: Callable) -> Callable:
    """The one error path of the CLI: bad input, an output that cannot be written, an endpoint that answers
    something unexpected → ``error: …`` on stderr and exit code 2, no traceback and no output written."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from govgraph.errors import InputErrors, OutputError, os_reason
        from govgraph.publish import PublishError
        from govgraph.query import QueryError  # standard library only at import: cheap

        try:
            return f(*args, **kwargs)
        except (InputErrors, OutputError, QueryError, PublishError, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
        except BrokenPipeError:
            # The reader of stdout has gone (`govgraph queries | head`): nothing to say to anyone. Python would
            # report the pipe again while flushing stdout at exit, so stdout goes to /dev/null first.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError as exc:  # a file the command reads or writes that the layers above did not name
            click.echo(f"error: {os_reason(exc)}", err=True)
        sys.exit(EXIT_INPUT)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govgraph")
def main() -> None:
    """govgraph: public-sector reform data and OGP commitments as linked open data (your data package, or the
    bundled Danish one).

    Exit codes: 0 success, 1 data does not conform, 2 usage or input error.
    """


@main.command()
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="Where to write the dataset; repeat for several formats. Default: stdout (Turtle).",
)
@format_option
@base_iri_option
@data_option
@reports_input_errors
def build(outputs: tuple[Path, ...], fmt: str | None, base_iri: str | None, data: Path | None) -> None:
    """Build the dataset (ontology, SKOS schemes and all curated data) and write it.

    The same input gives byte-identical output. Example: govgraph build -o dist/govgraph.ttl -o dist/govgraph.nt
    """
    from govgraph.build import build as build_graph
    from govgraph.export import format_for, serialize, write_bytes_atomic

    targets = [(path, format_for(path, fmt)) for path in outputs]  # check every name before the work
    graph = build_graph(base_iri, data=data)
    if not targets:
        emit(serialize(graph, fmt or "turtle"), None)
        return
    for path, f in targets:
        write_bytes_atomic(path, serialize(graph, f))
        click.echo(f"wrote {path} ({len(graph)} triples, {f})", err=True)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@reports_input_errors
def init(folder: Path) -> None:
    """Start a data package of your own in FOLDER (new or empty).

    It gets a manifest (package.yaml) with placeholders, one CSV sheet per record type with its header and an
    example row, the sheets' W3C CSVW metadata, an example source document and a README. It builds and
    validates as it is. Example: govgraph init my-data && govgraph validate --data my-data
    """
    from govgraph.init import init_package

    written = init_package(folder)
    click.echo(f"wrote data package {folder} ({len(written)} files); next: govgraph validate --data {folder}", err=True)


@main.group()
def convert() -> None:
    """Convert a user's own file to govgraph RDF (data only; combine with the ontology from `build`)."""


def _convert_command(name: str, help_text: str, func_name: str, many: bool = False) -> None:
    @convert.command(name=name, help=help_text)
    @click.argument("file", nargs=-1 if many else 1, required=True, type=click.Path(path_type=Path))
    @output_option("the RDF (Turtle unless --format or the extension says otherwise)")
    @format_option
    @base_iri_option
    @click.option(
        "--institutions",
        default=None,
        metavar="DIR",
        help="Match lead institutions to the curated institutions of this data package (a folder, or "
        "'bundled' for the bundled Danish one): a name that is an institution's label or alt label (case, "
        "punctuation and a leading 'The' aside) is that institution. Default: no matching; every named "
        "institution is a new resource of the commitment's member.",
    )
    @reports_input_errors
    def command(
        file: Path | tuple[Path, ...],
        output: Path | None,
        fmt: str | None,
        base_iri: str | None,
        institutions: str | None,
    ) -> None:
        import govgraph.build
        from govgraph.export import format_for, serialize

        chosen = format_for(output, fmt) if output else (fmt or "turtle")
        graph = getattr(govgraph.build, func_name)(file, base_iri or DEFAULT_BASE_IRI, institutions)
        emit(serialize(graph, chosen), output)
        if output is not None:
            click.echo(f"wrote {output} ({len(graph)} triples, {chosen})", err=True)


_convert_command(
    "ogp-export", "Convert an OGP commitments export CSV (the OGP's 171-column layout).", "convert_ogp_export"
)
_convert_command(
    "ogp-page",
    "Convert the texts of OGP commitment pages (files, or folders of *.txt): each page's own commitment with "
    "its At-a-Glance facts and IRM assessments, and its list of commitments where it has one.",
    "convert_ogp_page",
    many=True,
)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--shapes",
    "extra_shapes",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="EXTRA.ttl",
    help="Additional shapes to validate against (repeatable).",
)
@click.option(
    "--inference",
    type=click.Choice(["none", "rdfs"]),
    default="none",
    show_default=True,
    help="Entailment to apply before validating.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle", "markdown", "junit"]),
    default="text",
    show_default=True,
    help="Report format: text for people, json/turtle for programs, markdown for a "
    "pull-request comment, junit for CI dashboards.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="The lowest severity that makes the exit code 1.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="S",
    help="Stop the validation after S seconds (exit 2). Default: no limit.",
)
@click.option(
    "--engine",
    type=click.Choice(["govgraph", "pyshacl"]),
    default="govgraph",
    show_default=True,
    help="SHACL engine: govgraph's own (fast) or pySHACL (the reference); both give the same results.",
)
@click.option(
    "--languages",
    metavar="TAGS",
    help="Comma-separated languages the labels may be in, e.g. nb,en. Default: the data package's (with "
    "--data), else da,en (the bundled package's).",
)
@output_option("the report")
@data_option
@allow_empty_option
@reports_input_errors
def validate(
    files: tuple[Path, ...],
    extra_shapes: tuple[Path, ...],
    inference: str,
    fmt: str,
    fail_on: str,
    time_limit: float | None,
    engine: str,
    languages: str | None,
    output: Path | None,
    data: Path | None,
    allow_empty: bool,
) -> None:
    """Validate RDF against govgraph's SHACL shapes (the data package's dataset when no FILE is given).

    FILES may be Turtle, N-Triples, N-Quads, TriG, JSON-LD (no remote @context), RDF/XML or TriX (no DTD).
    Exit 0 conforms,
    1 does not conform (at --fail-on severity), 2 usage or input error. Example: govgraph validate data.ttl
    --format markdown --fail-on warning
    """
    from govgraph.errors import InputErrors
    from govgraph.limits import TimeLimitExceeded
    from govgraph.validate import failure_json, failure_junit
    from govgraph.validate import validate as run_validation

    if data is not None and files:
        raise click.UsageError("give FILES or --data, not both")
    tags = [tag.strip() for tag in languages.split(",") if tag.strip()] if languages is not None else None
    if tags is not None:
        from govgraph.package import LANGUAGE_TAG

        bad = [tag for tag in tags if not LANGUAGE_TAG.match(tag)]
        if bad or not tags:
            raise click.BadParameter(f"not BCP 47 language tags: {bad or languages!r}", param_hint="--languages")
    try:
        graph = None
        if data is not None:
            from govgraph.build import build as build_graph
            from govgraph.package import open_package

            package = open_package(data)
            graph = build_graph(data=package)
            tags = tags or list(package.manifest.languages)
        report = run_validation(
            graph,
            files=files,
            extra_shapes=extra_shapes,
            inference=inference,
            time_limit=time_limit,
            engine=engine,
            allow_empty=allow_empty,
            languages=tags,
        )
    except (InputErrors, TimeLimitExceeded, ValueError) as exc:
        # A CI job reading --format json or junit gets a report of the failure too, not only text on stderr.
        if fmt in ("json", "junit"):
            emit({"json": failure_json, "junit": failure_junit}[fmt](exc).encode("utf-8"), output)
        hint = " (raise --time-limit to allow more)" if isinstance(exc, TimeLimitExceeded) else ""
        click.echo(f"error: {exc}{hint}", err=True)
        sys.exit(EXIT_INPUT)
    if fmt == "text":
        text = report.to_text(color=output is None and sys.stdout.isatty())
    elif fmt == "junit":
        text = report.to_junit(fail_on)
    else:
        text = {"json": report.to_json, "turtle": report.to_turtle, "markdown": report.to_markdown}[fmt]()
    emit(text.encode("utf-8"), output)
    if output is not None:
        c = report.counts()
        click.echo(f"wrote {output}: {c['Violation']} violations, {c['Warning']} warnings, {c['Info']} infos", err=True)
    sys.exit(EXIT_NONCONFORMING if report.fails(fail_on) else EXIT_OK)


@main.command()
@click.argument("name", required=False)
@reports_input_errors
def queries(name: str | None) -> None:
    """List the bundled SPARQL queries, or show the documentation of one.

    Example: govgraph queries reform-initiatives-by-track
    """
    from govgraph.query import get_query, list_queries

    if name is None:
        infos = list_queries()
        width = max(len(q.name) for q in infos)
        for q in infos:
            click.echo(f"{q.name:<{width}}  {q.summary}")
        return
    q = get_query(name)
    click.echo(f"{q.name}: {q.summary}\n")
    if q.description:
        click.echo(q.description.strip() + "\n")
    if q.tags:
        click.echo("tags: " + ", ".join(q.tags))
    for p in q.params:
        default = f" (default: {p.default})" if p.default is not None else " (required)"
        click.echo(f"param {p.name}: {p.type}{default}  {p.description}".rstrip())
    if q.example:
        click.echo(f"example: {q.example}")
    click.echo(f"order: {q.order}\n\n{q.text.strip()}")


@main.command()
@click.argument("name", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.Path(path_type=Path),
    metavar="QUERY.rq",
    help="Run your own SPARQL query instead of a bundled one.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter, bound as a typed RDF term (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt"]),
    default="table",
    show_default=True,
    help="SELECT/ASK: table, or the W3C results formats csv, tsv, json, xml. CONSTRUCT: turtle or nt.",
)
@click.option(
    "--data",
    "data_file",
    type=click.Path(path_type=Path),
    metavar="FILE|DIR",
    help="Query this RDF file (with the bundled ontology and schemes), or the dataset of this data package, "
    "locally instead of the bundled dataset.",
)
@click.option("--endpoint", metavar="URL", help="Run the query on a SPARQL 1.1 endpoint instead of locally.")
@click.option(
    "--default-graph",
    "default_graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: query this graph of the endpoint (repeatable: their merge); sent as default-graph-uri. "
    "Virtuoso without it answers over all its graphs.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    help="Seconds a query may run: locally it is stopped then (exit 2); an endpoint is waited for that long.",
)
@click.option(
    "--retries",
    type=int,
    default=3,
    show_default=True,
    help="Retries on connection errors and 5xx answers, with backoff.",
)
@credentials_options
@click.option(
    "--allow-network", is_flag=True, help="Let a local query use SERVICE, LOAD or FROM <http...> (refused by default)."
)
@output_option("the results")
@click.option(
    "--all",
    "all_queries",
    is_flag=True,
    help="Run every bundled query with its example's parameters, one file each in --output-dir (data loaded once).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="With --all: where to write <query-name>.<format> files.",
)
@allow_empty_option
@reports_input_errors
def query(
    name: str | None,
    query_file: Path | None,
    params: tuple[str, ...],
    fmt: str,
    data_file: Path | None,
    endpoint: str | None,
    default_graphs: tuple[str, ...],
    timeout: float,
    retries: int,
    user: str | None,
    password: str | None,
    allow_network: bool,
    output: Path | None,
    all_queries: bool,
    output_dir: Path | None,
    allow_empty: bool,
) -> None:
    """Run a bundled query by NAME, or your own with --file, locally or on --endpoint.

    Example: govgraph query reform-initiatives-by-track --param reform=ggid:programme/sammenhaengsreformen
    --format csv
    """
    from govgraph.errors import InputErrors
    from govgraph.query import QueryError, get_query, load_query, run_all, run_query

    if default_graphs and not endpoint:
        raise click.UsageError("--default-graph names graphs of an endpoint: give --endpoint too")
    options = dict(timeout=timeout, retries=retries, username=user, password=password, allow_network=allow_network)
    if default_graphs:
        options["default_graphs"] = default_graphs
    if data_file is not None and not data_file.is_dir():
        from govgraph.inputs import read_store

        try:  # a file is loaded here, where --allow-empty is known; a data package is built by the query layer
            data_file = read_store([data_file], vocabulary=True, allow_empty=allow_empty)
        except InputErrors as exc:
            if fmt == "json":
                emit(_json_failure(exc), output)
            raise
    if all_queries:
        if name or query_file or params or output:
            raise click.UsageError("--all runs every bundled query: give no NAME, --file, --param or -o")
        if output_dir is None:
            raise click.UsageError("--all writes one file per query: give --output-dir DIR")
        from govgraph.export import write_bytes_atomic

        results = run_all(graph=data_file, endpoint=endpoint, **options)
        for query_name, result in results.items():
            data, suffix = _rendered(result, fmt)
            write_bytes_atomic(output_dir / f"{query_name}.{suffix}", data)
        click.echo(f"wrote {len(results)} query results to {output_dir}", err=True)
        return
    if (name is None) == (query_file is None):
        raise click.UsageError("give a query NAME or --file QUERY.rq (one of them)")
    bindings = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param takes KEY=VALUE, not {item!r}")
        bindings[key] = value
    try:
        info = load_query(query_file) if query_file else get_query(name)
        result = run_query(info, bindings, graph=data_file, endpoint=endpoint, **options)
    except (InputErrors, QueryError) as exc:
        if fmt == "json":  # a program reading the JSON gets the failure as JSON too
            emit(_json_failure(exc), output)
        raise
    emit(_rendered(result, fmt)[0], output)


def _json_failure(exc: Exception) -> bytes:
    """The JSON document of a query that could not run: ``{"error": true, "errors": [{file, line, …}]}``."""
    import json

    from govgraph.errors import error_records

    return (json.dumps({"error": True, "errors": error_records(exc)}, ensure_ascii=False, indent=1) + "\n").encode()


def _rendered(result: Any, fmt: str) -> tuple[bytes, str]:
    """A query result in the chosen format, and the file extension for it."""
    if fmt in ("turtle", "nt"):
        return result.graph_bytes(fmt), {"turtle": "ttl", "nt": "nt"}[fmt]
    render = {
        "table": result.to_table,
        "csv": result.to_csv,
        "tsv": result.to_tsv,
        "json": result.to_json,
        "xml": result.to_xml,
    }[fmt]
    return render().encode("utf-8"), {"table": "txt"}.get(fmt, fmt)


@main.command()
@click.option("--check", is_flag=True, help="Only report files that are not canonical (exit 1); write nothing.")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_option
@reports_input_errors
def lint(check: bool, files: tuple[Path, ...], data: Path | None) -> None:
    """Check the curated data files and rewrite them in canonical form.

    Every problem in every file is reported with file and line (exit 2). Without FILES, the data package's
    records (the bundled package's files in src/govgraph/data/ by default) are checked; CSV sheets are
    checked, not rewritten. Example: govgraph lint --check --data my-package
    """
    from govgraph.lint import lint as lint_files

    if data is not None and files:
        raise click.UsageError("give FILES or --data, not both")
    languages = None
    if data is not None:
        from govgraph.package import open_package

        package = open_package(data)
        files, languages = package.record_files, package.manifest.languages
    changed = lint_files(list(files) or None, check=check, **({"languages": languages} if languages else {}))
    for path in changed:
        click.echo(f"{'not canonical' if check else 'rewrote'}: {path}", err=True)
    if check and changed:
        sys.exit(EXIT_NONCONFORMING)
    if not changed:
        click.echo("all curated files are valid and canonical", err=True)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's SPARQL 1.1 Graph Store endpoint (Oxigraph: http://host:port/store).",
)
@click.option("--graph", "graph_iri", required=True, metavar="IRI", help="The named graph to replace.")
@credentials_options
@click.option("--timeout", type=float, default=60, show_default=True, help="Seconds to wait for the endpoint.")
@click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="A data package or a release folder: its data goes to --graph and the vocabulary (ontology and "
    "schemes, which the bundled queries join on) to --vocabulary-graph.",
)
@click.option(
    "--vocabulary-graph",
    metavar="IRI",
    help="With --data: the named graph of the vocabulary. Default: https://w3id.org/govgraph/def.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read the live graph and show what it would gain and lose (in domain terms, as `diff` does, with "
    "the triple counts before and after); send nothing.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Publish even when it would remove more than half of the live graph's triples (and skip reading it).",
)
@allow_empty_option
@reports_input_errors
def publish(
    file: Path | None,
    endpoint: str,
    graph_iri: str,
    user: str | None,
    password: str | None,
    timeout: float,
    data: Path | None,
    vocabulary_graph: str | None,
    dry_run: bool,
    force: bool,
    allow_empty: bool,
) -> None:
    """Replace a named graph on a triple store with the built dataset, or with FILE.

    One HTTP PUT <endpoint>?graph=<IRI> of the whole graph as N-Triples: publishing twice leaves one copy.
    FILE (.ttl .nt .jsonld, or .trig .nq holding one graph) is parsed first; if it is not valid or holds no
    triples, nothing is sent. The live graph is read first: a publish that would remove more than half of it
    stops (--force), and --dry-run shows the changes and sends nothing. Example: govgraph publish --endpoint
    http://127.0.0.1:7878/store --graph https://w3id.org/govgraph/graph/dataset --dry-run
    """
    from govgraph.publish import publish as publish_graph
    from govgraph.publish import publish_package

    if data is not None and file is not None:
        raise click.UsageError("give FILE or --data, not both")
    options = dict(
        username=user, password=password, timeout=timeout, allow_empty=allow_empty, force=force, dry_run=dry_run
    )
    if data is not None:
        results = publish_package(endpoint, graph_iri, data, vocabulary_graph=vocabulary_graph, **options)
    else:
        results = [publish_graph(endpoint, graph_iri, file, **options)]
    for result in results:
        if dry_run and result.changes is not None:
            click.echo(result.changes.to_text())
        click.echo(result.summary(), err=True)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@output_folder_option(
    "The site's folder; an older site there is replaced as a whole (written beside it, then renamed)."
)
@base_iri_option
@data_option
@allow_empty_option
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Make the pages in N processes (default: one per CPU); every N gives the same files.",
)
@reports_input_errors
def site(
    files: tuple[Path, ...], output: Path, base_iri: str | None, data: Path | None, allow_empty: bool, jobs: int | None
) -> None:
    """Write a static linked-data site of the built dataset (or of your RDF FILES) to DIR.

    One page per resource in HTML, Turtle and JSON-LD at doc/<kind>/<key>, class indexes, the ontology, shapes
    and queries documented, an offline search, and .htaccess / nginx.conf for the 303 pattern. Example:
    govgraph site -o public
    """
    from govgraph.site import write_site

    progress = None
    if sys.stderr.isatty():

        def progress(done: int, total: int) -> None:  # called as each batch of pages is written
            click.echo(f"\rpages: {done}/{total}", err=True, nl=done == total)

    result = write_site(
        output, files=files, base_iri=base_iri, data=data, progress=progress, allow_empty=allow_empty, workers=jobs
    )
    processes = f" ({result.processes} processes)" if result.processes > 1 else ""
    wrote = f"{result.files} files, {result.pages} pages in {result.seconds:.1f} s{processes}"
    click.echo(f"wrote {result.path}: {wrote}", err=True)
    if not result.runnable_queries:
        from govgraph.site.query_runner import INSTALL_HINT

        click.echo(
            "note: the query catalogue has no Run buttons: the SPARQL engine for the browser is not installed"
            f" (`make setup` in a checkout, or `{INSTALL_HINT}` in this folder)",
            err=True,
        )


@main.command()
@output_folder_option("The release folder (replaced only if empty or an earlier release).")
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="The previous release folder: CHANGELOG.md lists the changes since it.",
)
@click.option("--compress", is_flag=True, help="Also write a gzip copy (.gz) of each data file.")
@base_iri_option
@click.option("--issued", metavar="YYYY-MM-DD", help="Release date. Default: SOURCE_DATE_EPOCH, else today (UTC).")
@click.option("--publisher-name", help="The publisher's name. Default: the package manifest's.")
@click.option(
    "--publisher-iri",
    metavar="IRI",
    help="The publisher's IRI. Default: the manifest's, else <base>id/agent/<name as slug>.",
)
@click.option("--license", "license_iri", metavar="IRI", help="Licence of the data. Default: the manifest's.")
@click.option(
    "--download-base",
    metavar="URL",
    help="Where the release files will be downloadable (DCAT downloadURL, VoID dataDump). Default: <base>release/.",
)
@data_option
@reports_input_errors
def release(
    output: Path,
    previous: Path | None,
    compress: bool,
    base_iri: str | None,
    issued: str | None,
    publisher_name: str | None,
    publisher_iri: str | None,
    license_iri: str | None,
    download_base: str | None,
    data: Path | None,
) -> None:
    """Write a release folder: govgraph.{ttl,nt,jsonld,trig} (+ context.jsonld), catalog.ttl (DCAT-AP),
    void.ttl (VoID), CHANGELOG.md and SHA256SUMS.

    The folder is built beside DIR and renamed into place. Example: govgraph release -o dist/release
    --previous releases/2024-01 --compress
    """
    from govgraph.release import release as write_release

    path = write_release(
        output,
        data=data,
        previous=previous,
        compress=compress,
        base_iri=base_iri,
        issued=issued,
        publisher_name=publisher_name,
        publisher_iri=publisher_iri,
        license=license_iri,
        download_base=download_base,
    )
    click.echo(f"wrote release {path} ({len(list(path.iterdir()))} files)", err=True)


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a changelog or pull request, json for programs.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are differences (like git diff --exit-code).")
@output_option("the diff")
@allow_empty_option
@reports_input_errors
def diff(old: Path, new: Path, fmt: str, exit_code: bool, output: Path | None, allow_empty: bool) -> None:
    """What changed from OLD to NEW (release folders or .ttl/.nt/.nq/.trig/.jsonld/.rdf files), in domain terms:
    commitments, titles, IRM assessments, action plans and statuses, institutions, initiatives, money.

    Exit 0 after a successful diff (1 with --exit-code when something changed), 2 on bad input.
    Example: govgraph diff releases/2024-01 dist/release --format markdown
    """
    from govgraph.diff import diff as compare
    from govgraph.diff import load

    changes = compare(load(old, allow_empty=allow_empty), load(new, allow_empty=allow_empty))
    text = {"text": changes.to_text, "markdown": changes.to_markdown, "json": changes.to_json}[fmt]()
    emit(text.encode("utf-8"), output)
    sys.exit(EXIT_NONCONFORMING if exit_code and changes.has_changes else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
