"""The reference of a data package, generated from the code so that it cannot drift: every manifest field
(govgraph.package.FIELDS) and every sheet with its columns (govgraph.sources.curated.SCHEMA).
docs/package-reference.md is this module's output; tests/test_package_reference.py fails when it lags.
Regenerate it with: python -m govgraph.reference > docs/package-reference.md
"""

from __future__ import annotations

from typing import Any


def describe_type(ftype: Any) -> str:
    """A field type in words, as a person filling in a sheet needs it."""
    if isinstance(ftype, tuple):
        kind, arg = ftype
        if kind == "enum":
            return "one of " + ", ".join(f"`{v}`" for v in sorted(arg))
        if kind == "keyref":
            return f"the key of {'an' if arg[0] in 'aeiou' else 'a'} {arg}"
        if kind == "list":
            return f"several values separated by `\\|`, each {describe_type(arg)}"  # escaped: a table cell
    return {
        "key": "a key: lowercase ASCII letters, digits and single hyphens (`simpler-services`)",
        "text": "text per language: one column per language, `NAME@en`, `NAME@fi`, ...",
        "str": "text",
        "language": "one of the package's languages (the manifest's `languages`), e.g. `en`",
        "int": "a whole number (a year has four digits)",
        "number": "a number (`1500000`, `2.5`)",
        "bool": "`true` or `false`",
        "date": "a date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`",
        "ref": "a link `kind/key` (`programme/simpler-services`)",
        "locator": "a source: `DOCUMENT:LINES` or `DOCUMENT:LINES:SECTION` (`example-plan:4-6:Track 1`)",
    }[ftype]


def package_reference() -> str:
    """docs/package-reference.md: the manifest's fields and every sheet's columns, in Markdown."""
    from govgraph.lint import field_order
    from govgraph.package import FIELDS
    from govgraph.sources.curated import SCHEMA
    from govgraph.sources.sheets import is_text_field

    lines = [
        "# Data package reference",
        "",
        "Generated from the code by `python -m govgraph.reference`; a test fails when this file lags behind.",
        "How to use a package: [publishing-your-data.md](publishing-your-data.md).",
        "",
        "## The manifest: `package.yaml`",
        "",
        "| field | required | what it holds |",
        "|---|---|---|",
        *(f"| `{name}` | {'yes' if required else 'no'} | {what} |" for name, (required, what) in FIELDS.items()),
        "",
        "## Sheets",
        "",
        "A sheet is a UTF-8 CSV file named after its list (`programmes.csv`), one record a row, the header first.",
        "The same records can be kept as curated YAML instead (docs/curated-data.md); both are checked alike.",
        "An empty cell leaves the field out. The columns may come in any order.",
    ]
    for list_name, (kind, spec) in SCHEMA.items():
        lines += [
            "",
            f"### `{list_name}.csv`: one {kind} a row",
            "",
            "| column | required | what it holds |",
            "|---|---|---|",
        ]
        for name in field_order(list_name):
            ftype, required = spec[name]
            column = f"{name}@LANG" if is_text_field(ftype) else name
            lines.append(f"| `{column}` | {'yes' if required else 'no'} | {describe_type(ftype)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(package_reference())
