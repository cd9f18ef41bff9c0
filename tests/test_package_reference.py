"""docs/package-reference.md is generated from the code: it lists every manifest field and every sheet
column, and fails here when a field is added to the code without regenerating it."""

from __future__ import annotations

from govgraph.package import FIELDS
from govgraph.reference import package_reference
from govgraph.sources.schema import SCHEMA

from .conftest import ROOT


def test_the_reference_is_what_the_code_generates() -> None:
    committed = (ROOT / "docs" / "package-reference.md").read_text(encoding="utf-8")
    assert committed == package_reference(), "run: python -m govgraph.reference > docs/package-reference.md"


def test_the_reference_names_every_field_and_sheet() -> None:
    text = package_reference()
    assert all(f"| `{name}` |" in text for name in FIELDS)
    for list_name, (_kind, spec) in SCHEMA.items():
        section = text.split(f"### `{list_name}.csv`", 1)[1].split("###", 1)[0]
        for name in spec:
            assert f"| `{name}" in section, (list_name, name)
