"""The command line: every command has help and is in the README; errors exit 2 and write nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph

from govgraph.cli import main

from .conftest import DATA, ROOT


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        names.append(full)
        if isinstance(command, click.Group):
            names.extend(_commands(command, full + " "))
    return names


COMMANDS = _commands(main)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert f"govgraph {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_build_writes_every_format_named(tmp_path: Path) -> None:
    outputs = [tmp_path / f"g.{ext}" for ext in ("ttl", "nt", "jsonld", "trig")]
    args = ["build"] + [x for p in outputs for x in ("-o", str(p))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert all(p.stat().st_size > 100_000 for p in outputs)
    assert len(Graph().parse(outputs[0])) == len(Graph().parse(outputs[1], format="nt"))


def test_unknown_extension_is_a_usage_error_and_nothing_is_written(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-o", str(tmp_path / "a.ttl"), "-o", str(tmp_path / "b.xyz")])
    assert result.exit_code == 2
    assert "cannot tell the format from 'b.xyz'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_bad_export_exits_2_with_file_line_field_and_writes_nothing(tmp_path: Path) -> None:
    text = (DATA / "ogp-export-three-rows.csv").read_text(encoding="utf-8").replace("\nDK0018,", "\nDK18,", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(main, ["convert", "ogp-export", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert (
        f"{bad}:" in result.output and "[Commitment Unique Identifier] malformed commitment id 'DK18'" in result.output
    )
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", "ogp-page", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "cannot read the file" in result.output


def test_convert_export_to_stdout() -> None:
    result = CliRunner().invoke(main, ["convert", "ogp-export", str(DATA / "ogp-export-three-rows.csv")])
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.stdout_bytes, format="turtle")) > 50


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "govgraph", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "govgraph" in result.stdout


def _leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _leaf_commands(command, (*prefix, name))
        else:
            found.append((" ".join((*prefix, name)), command))
    return found


@pytest.mark.parametrize(("name", "command"), _leaf_commands(main), ids=[n for n, _c in _leaf_commands(main)])
def test_every_option_is_documented_in_the_readme(name: str, command: click.Command) -> None:
    """Each option of each command appears in the README (its long form, or its short form where the README
    uses that, as `-o PATH`): an option nobody can find is an option nobody uses."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [
        option.opts[0]
        for option in command.params
        if isinstance(option, click.Option) and not any(f"{o} " in readme or f"{o}]" in readme for o in option.opts)
    ]
    assert missing == [], f"govgraph {name}: options not in the README: {missing}"


def test_a_reader_that_stops_early_gets_no_error(tmp_path: Path) -> None:
    """Regression: `govgraph queries | head -1` printed `error: broken pipe` (the CLI's OSError path). Here the
    reader closes the pipe before govgraph writes, so every write meets it, whatever the timing."""
    for args in (["queries"], ["build"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "govgraph", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
        )
        process.stdout.close()
        _out, err = process.communicate(timeout=120)
        assert err.decode() == "", args
