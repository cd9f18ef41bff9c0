"""One error path for the whole CLI: every command that reads or writes files, over the cross product of
{missing file, empty file, folder, non-UTF-8 file, unwritable output}, exits 2 with ``error: …`` (or click's
usage error) naming the path, and the line where there is one, with no traceback and no output left behind.

Run as root in CI, so an "unwritable output" is one whose parent is a file (root may write to read-only
folders): the same OSError path as a read-only folder or a full disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
OGP_ROWS = ROOT / "tests" / "data" / "ogp-export-three-rows.csv"
DEAD_ENDPOINT = "http://127.0.0.1:9/store"  # never reached: the input fails first

# Each kind of input file: what a non-UTF-8 one holds (its bad byte on line 2) per file type.
NON_UTF8 = {
    ".ttl": b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n',
    ".csv": b"a,b\n\xe9,x\n",
    ".txt": b"A commitment page\n\xe9\n",
    ".yaml": b"programmes:\n  - key: \xe9\n",
    ".rq": b'SELECT *\nWHERE { ?s ?p "\xe9" }\n',
}


@dataclass(frozen=True)
class Command:
    """A command line with INPUT and OUTPUT placeholders; ``reads``: the suffix of the file it reads
    ("package" for a data package folder, None when it reads no file)."""

    name: str
    args: tuple[str, ...]
    reads: str | None
    output: str | None  # the output's name, or None when the command writes no file of its own

    def line(self, input_path: Path | None, output_path: Path | None) -> list[str]:
        out = []
        for arg in self.args:
            if arg == "INPUT":
                out.append(str(input_path))
            elif arg == "OUTPUT":
                out.append(str(output_path))
            else:
                out.append(arg)
        return out


COMMANDS = [
    Command("convert ogp-export", ("convert", "ogp-export", "INPUT", "-o", "OUTPUT"), ".csv", "out.ttl"),
    Command("convert ogp-page", ("convert", "ogp-page", "INPUT", "-o", "OUTPUT"), ".txt", "out.ttl"),
    Command("build", ("build", "--data", "INPUT", "-o", "OUTPUT"), "package", "out.ttl"),
    Command("validate", ("validate", "INPUT", "-o", "OUTPUT"), ".ttl", "report.txt"),
    Command("validate --shapes", ("validate", "--shapes", "INPUT", "-o", "OUTPUT"), ".ttl", "report.txt"),
    Command("query", ("query", "programmes", "--data", "INPUT", "-o", "OUTPUT"), ".ttl", "rows.txt"),
    Command("query --file", ("query", "--file", "INPUT", "-o", "OUTPUT"), ".rq", "rows.txt"),
    Command("query --all", ("query", "--all", "--data", "INPUT", "--output-dir", "OUTPUT"), ".ttl", "results"),
    Command("diff", ("diff", "INPUT", "INPUT", "-o", "OUTPUT"), ".ttl", "diff.txt"),
    Command("site", ("site", "INPUT", "-o", "OUTPUT"), ".ttl", "site"),
    Command("release", ("release", "--data", "INPUT", "-o", "OUTPUT"), "package", "release"),
    Command("lint", ("lint", "INPUT"), ".yaml", None),
    Command("publish", ("publish", "--endpoint", DEAD_ENDPOINT, "--graph", "https://e.org/g", "INPUT"), ".ttl", None),
    Command("init", ("init", "OUTPUT"), None, "package"),
]


def make_input(kind: str, reads: str, folder: Path) -> tuple[Path, int | None]:
    """The input of this kind, and the line its error must name (None where there is no line)."""
    if reads == "package":
        package = folder / "package"
        if kind == "missing":
            return package, None
        package.mkdir()
        if kind == "folder":  # a folder that is no data package: no manifest
            return package, None
        (package / "package.yaml").write_bytes(b"" if kind == "empty" else b"title:\n  en: \xe9\n")
        return package, None if kind == "empty" else 2
    path = folder / f"input{reads}"
    if kind == "missing":
        return path, None
    if kind == "folder":
        path.mkdir()
        return path, None
    if kind == "empty":
        path.write_bytes(b"")
        return path, None
    path.write_bytes(NON_UTF8[reads])
    return path, 2


def valid_input(reads: str, folder: Path, seed_001: Path) -> Path:
    """An input that the command reads without complaint, for the unwritable-output cases."""
    if reads == "package":
        return ROOT / "examples" / "northvale"
    if reads == ".csv":
        return OGP_ROWS
    if reads == ".txt":
        return seed_001
    if reads == ".rq":
        return ROOT / "sparql" / "programmes.rq"
    path = folder / "data.ttl"
    path.write_text('<https://w3id.org/govgraph/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n')
    return path


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    return result.exit_code, result.stderr + result.stdout


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


CASES = [
    (command, kind)
    for command in COMMANDS
    for kind in ("missing", "empty", "folder", "non-UTF-8")
    if command.reads is not None
] + [(command, "unwritable output") for command in COMMANDS if command.output is not None]


@pytest.mark.parametrize(("command", "kind"), CASES, ids=[f"{c.name}-{k}" for c, k in CASES])
def test_every_command_reports_bad_files_with_exit_2(
    command: Command, kind: str, tmp_path: Path, seed_001: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    outputs = tmp_path / "out"
    outputs.mkdir()
    line: int | None = None
    if kind == "unwritable output":
        input_path = valid_input(command.reads, inputs, seed_001) if command.reads else None
        blocker = outputs / "blocker"
        blocker.write_text("a file where a folder would have to be\n")
        output_path = blocker / command.output
        named = output_path
    else:
        input_path, line = make_input(kind, command.reads, inputs)
        output_path = outputs / (command.output or "unused")
        named = input_path
    before = listing(outputs)

    code, text = run(command.line(input_path, output_path))

    assert code == 2, text
    assert "Traceback" not in text
    assert str(named) in text or (kind == "empty" and command.reads == "package" and "package.yaml" in text), text
    if line is not None:
        expected_file = input_path / "package.yaml" if command.reads == "package" else input_path
        assert f"{expected_file}:{line}" in text, text
    assert listing(outputs) == before, "nothing may be left behind"


def test_every_command_that_writes_is_in_the_table() -> None:
    """A new command that writes files must join the cross product above."""
    writers = {"convert", "build", "validate", "query", "diff", "site", "release", "lint", "init", "publish"}
    listed = {c.name.split()[0] for c in COMMANDS}
    assert writers <= listed
    assert set(main.commands) - {"queries"} <= listed  # `queries` only prints the bundled catalogue
