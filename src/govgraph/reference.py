"""The reference of a data package, generated from the code so that it cannot drift: every manifest field
(govgraph.package.FIELDS) and every sheet with its columns (govgraph.sources.schema.SCHEMA).
docs/package-reference.md is this module's output; tests/test_package_reference.py fails when it lags.
Regenerate it with: python -m govgraph.reference > docs/package-reference.md
"""

from __future__ import annotations


def package_reference() -> str:
    """docs/package-reference.md: the manifest's fields and every sheet's columns, in Markdown."""
    from govgraph.package import FIELDS
    from govgraph.sources.schema import SCHEMA, describe_type, field_order
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
