"""Where the bundled ontology, shapes, queries and curated data are, installed or in a checkout.

In a wheel, ontology/, shapes/ and sparql/ are force-included as govgraph/_bundled/<name>; in a source
checkout (editable install) they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The folder of one bundled resource: "ontology", "shapes" or "sparql"."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"govgraph's {name}/ folder is missing from this installation")


def ontology_files() -> list[Path]:
    """The ontology and its SKOS schemes, in a fixed order."""
    root = bundled("ontology")
    return [root / "govgraph.ttl", *sorted((root / "schemes").glob("*.ttl"))]


def data_dir() -> Path:
    return _PACKAGE / "data"


def curated_files() -> list[Path]:
    """The bundled package's curated YAML files (its manifest, package.yaml, is not one)."""
    return sorted(p for p in data_dir().glob("*.yaml") if p.name != "package.yaml")
