"""The curated files: schema enforced with file and line, and the canonical form round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import main
from govgraph.errors import InputErrors
from govgraph.lint import canonical_text, lint
from govgraph.resources import curated_files
from govgraph.sources.curated import read_curated


@pytest.mark.parametrize("path", curated_files(), ids=lambda p: p.name)
def test_bundled_files_are_canonical_and_lint_is_idempotent(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert canonical_text(text) == text, f"run `govgraph lint` to rewrite {path.name}"


def test_lint_check_passes_on_the_bundled_files() -> None:
    assert lint(check=True) == []
    result = CliRunner().invoke(main, ["lint", "--check"])
    assert result.exit_code == 0


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """source: seed-004
programmes:
  - key: ok-programme
    kind: reform
    label: {da: "Reform"}
    source: {lines: "1-2"}
  - key: Bad Key
    kind: reformation
    label: {da: "X"}
    colour: blue
    source: {lines: "9-3"}
targets:
  - key: no-year
    indicator: {da: "noget"}
    value: "ti"
    unit: percent
    programme: ok-programme
    source: {lines: "5"}
""",
    )
    with pytest.raises(InputErrors) as info:
        read_curated([path])
    messages = [str(e) for e in info.value.errors]
    text = "\n".join(messages)
    assert f"{path}:7: [key] 'Bad Key' is not a key" in text
    assert f"{path}:8: [kind] 'reformation' is not one of" in text
    assert f"{path}:10: [colour] unknown key 'colour'" in text
    assert f"{path}:11: [source] line range '9-3' runs backwards" in text
    assert f"{path}:13: [target_year] missing required field 'target_year'" in text
    assert f"{path}:15: [value] 'ti' is not a number" in text


def test_dangling_references_and_duplicate_keys(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """source: seed-004
programmes:
  - key: a
    kind: reform
    label: {da: "A"}
    issued_by: [nobody]
    source: {lines: "1"}
  - key: a
    kind: reform
    label: {da: "A igen"}
    source: {lines: "2"}
""",
    )
    with pytest.raises(InputErrors) as info:
        read_curated([path])
    text = str(info.value)
    assert "6: [issued_by] unknown institution 'nobody'" in text
    assert "8: [key] duplicate programme key 'a'" in text


def test_danish_source_needs_a_danish_label_and_yaml_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """source: seed-004
goals:
  - key: g
    kind: goal
    programme: p
    label: {en: "Only English"}
    label: {da: "Dobbelt"}
    source: {lines: "1"}
""",
    )
    with pytest.raises(InputErrors) as info:
        read_curated([path])
    assert ":7:" in str(info.value) and "duplicate key 'label'" in str(info.value)


def test_lint_reports_bad_files_with_exit_2(tmp_path: Path) -> None:
    path = _write(tmp_path, "programmes:\n  - key: x\n    kind: reform\n")
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2: [label] missing required field 'label'" in result.output


def test_regression_the_same_role_stated_twice_is_refused(tmp_path: Path) -> None:
    """Two transcribers once recorded the same role from two files; the reader now says so."""
    path = _write(
        tmp_path,
        """source: seed-004
roles:
  - institution: kl
    role: participates
    target: programme/faelles-velfaerd-2015
    source: {lines: "1"}
  - institution: kl
    role: participates
    target: programme/faelles-velfaerd-2015
    source: {lines: "2"}
""",
    )
    with pytest.raises(InputErrors) as info:
        read_curated([path, *curated_files()])
    assert f"{path}:7: the same role is stated twice (first at {path}:3)" in str(info.value)


def test_a_role_in_something_that_is_no_policy_element_is_refused(tmp_path: Path) -> None:
    """The role properties' domain is gg:PolicyElement (docs/vocabulary.md): a role in an amount of money would
    build a graph that breaks it, so the reader names the record instead."""
    path = _write(
        tmp_path,
        """source: seed-004
roles:
  - institution: kl
    role: leads
    target: money/faelles-velfaerd-moderniseringsprogram
    source: {lines: "1"}
""",
    )
    with pytest.raises(InputErrors) as info:
        read_curated([path, *curated_files()])
    assert f"{path}:5: [target] a role is played in one of action-plan, box, commitment, event" in str(info.value)
    assert "not in a money" in str(info.value)


@pytest.mark.parametrize("depth", [150, 1_500, 20_000])
def test_deep_yaml_gives_govgraphs_message_whatever_the_yaml_library(tmp_path: Path, depth: int) -> None:
    """Regression: PyYAML 6.0.4's libyaml stops at 1000 levels with a message of its own, older builds ran
    out of recursion; either way (and below libyaml's limit too) the error is govgraph's."""
    from govgraph.sources.yaml_lines import MAX_YAML_DEPTH, _nested_too_deeply, load_yaml

    path = tmp_path / "deep.yaml"
    path.write_text("programmes: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    assert _nested_too_deeply(path.read_text())
    within = "a: " + "[" * (MAX_YAML_DEPTH - 1) + "]" * (MAX_YAML_DEPTH - 1)
    assert not _nested_too_deeply(within)
    (tmp_path / "within.yaml").write_text(within, encoding="utf-8")
    assert list(load_yaml(tmp_path / "within.yaml")) == ["a"]  # the limit itself is allowed
    with pytest.raises(InputErrors, match="the YAML is nested too deeply to read"):
        load_yaml(path)
