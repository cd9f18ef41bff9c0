"""`govgraph lint`: check the curated files and rewrite them in one canonical form.

The canonical form keeps every comment and the order of records, orders each record's fields as the schema
lists them (key first, source last) and fixes indentation, so that a diff shows only real changes. Rewriting
a canonical file changes nothing (tests/test_curated.py checks that of every bundled file).
"""

from __future__ import annotations

import io
from collections.abc import Collection
from pathlib import Path

from govgraph.export import write_bytes_atomic
from govgraph.resources import curated_files
from govgraph.sources.curated import read_curated
from govgraph.sources.schema import BUNDLED_LANGUAGES, SCHEMA, field_order


def canonical_text(text: str) -> str:
    """The canonical form of one curated YAML file's text."""
    from ruamel.yaml import YAML  # comment-preserving round trip; only lint needs it

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap text: a re-wrapped paragraph is a diff that says nothing
    data = yaml.load(text)
    if hasattr(data, "items"):
        for list_name, items in data.items():
            if list_name in SCHEMA and isinstance(items, list):
                order = field_order(list_name)
                for record in items:
                    _reorder(record, order)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _reorder(record, order: list[str]) -> None:
    if not hasattr(record, "move_to_end"):
        return
    rank = {name: i for i, name in enumerate(order)}
    for name in sorted(record, key=lambda k: rank.get(k, len(rank))):
        record.move_to_end(name)


def lint(
    paths: list[Path] | None = None, *, check: bool = False, languages: Collection[str] = BUNDLED_LANGUAGES
) -> list[Path]:
    """Validate the curated files (raising InputErrors listing every problem), then rewrite the ones that are
    not canonical. With ``check=True`` nothing is written. Returns the files that were (or would be) changed.
    ``languages``: those the texts may be in (the package manifest's)."""
    paths = sorted(paths or curated_files())
    read_curated(paths, languages=languages)
    changed = []
    for path in paths:
        if path.suffix != ".yaml":  # a CSV sheet is checked above; its canonical form is the spreadsheet's
            continue
        text = path.read_text(encoding="utf-8")
        new = canonical_text(text)
        if new != text:
            changed.append(path)
            if not check:
                write_bytes_atomic(path, new.encode("utf-8"))
    return changed
