"""The lock file: it says what pyproject.toml says, it pins every package with hashes, and the environment the
tests run in holds exactly what it pins. `make lock` refreshes it (see the README's *Dependencies*)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT

LOCK = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# by name; a package locked at two versions (numpy: one for Python 3.11, one for 3.12 on) keeps its last
PACKAGES = {canonicalize_name(p["name"]): p for p in LOCK["package"]}


def declared_requirements() -> set[tuple[str, str, str]]:
    """(name, specifier, extra) of every dependency pyproject.toml declares."""
    project = PYPROJECT["project"]
    declared = {("", r) for r in project["dependencies"]}
    declared |= {(extra, r) for extra, reqs in project["optional-dependencies"].items() for r in reqs}
    out = set()
    for extra, text in declared:
        req = Requirement(text)
        out.add((canonicalize_name(req.name), str(req.specifier), extra))
    return out


def locked_requirements() -> set[tuple[str, str, str]]:
    """The same, as uv.lock recorded them when it was resolved."""
    out = set()
    for entry in PACKAGES["govgraph"]["metadata"]["requires-dist"]:
        extra = ""
        if "marker" in entry:
            extra = re.fullmatch(r"extra == '([^']+)'", entry["marker"]).group(1)
        specifier = str(Requirement(f"x{entry.get('specifier', '')}").specifier)
        out.add((canonicalize_name(entry["name"]), specifier, extra))
    return out


def test_the_lock_says_what_pyproject_says() -> None:
    """A dependency added, removed or re-ranged in pyproject.toml without `make lock` fails here (and `make`
    itself stops: `uv sync --locked`)."""
    declared, locked = declared_requirements(), locked_requirements()
    assert declared == locked, (
        f"pyproject.toml and uv.lock disagree: only in pyproject.toml {sorted(declared - locked)}, "
        f"only in uv.lock {sorted(locked - declared)}; run `make lock`"
    )
    constraints = {Requirement(c) for c in PYPROJECT["tool"]["uv"]["build-constraint-dependencies"]}
    locked_constraints = {(canonicalize_name(c["name"]), c["specifier"]) for c in LOCK["manifest"]["build-constraints"]}
    assert {(canonicalize_name(c.name), str(c.specifier)) for c in constraints} == locked_constraints


def test_ranges_stay_ranges_and_build_pins_are_exact() -> None:
    """govgraph is a library too: its own requirements are ranges, never exact pins (the lock pins)."""
    for name, specifier, _ in declared_requirements():
        assert ">=" in specifier and "==" not in specifier, f"{name}{specifier} should be a range with a floor"
    for constraint in PYPROJECT["tool"]["uv"]["build-constraint-dependencies"]:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][0-9A-Za-z.]*", constraint), constraint


def test_every_locked_package_has_a_version_and_hashes() -> None:
    for name, package in PACKAGES.items():
        if package.get("source", {}).get("editable"):
            continue
        assert package.get("version"), name
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files and all(f["hash"].startswith("sha256:") for f in files), f"{name} has a file without a hash"
    uv_pin = (ROOT / "scripts" / "uv-requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^uv==[0-9.]+ \\$", uv_pin, re.MULTILINE) and "--hash=sha256:" in uv_pin


def packages_for_this_environment(extras: tuple[str, ...] = ("test",)) -> dict[str, str]:
    """name → version of what uv.lock installs here: govgraph's dependencies and those of the extras, followed
    through the lock, each edge's environment marker evaluated for this interpreter and platform."""
    versions: dict[str, list[dict]] = {}
    for package in LOCK["package"]:
        versions.setdefault(canonicalize_name(package["name"]), []).append(package)
    wanted: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()  # (package, extra) followed already; "" for its plain dependencies
    todo = list(PACKAGES["govgraph"]["dependencies"])
    todo += [d for extra in extras for d in PACKAGES["govgraph"]["optional-dependencies"][extra]]
    while todo:
        edge = todo.pop()
        if "marker" in edge and not Marker(edge["marker"]).evaluate({"extra": ""}):
            continue
        name = canonicalize_name(edge["name"])
        # A package locked at two versions (one per Python range) is named with its version on each edge.
        package = next(p for p in versions[name] if p["version"] == edge.get("version", p["version"]))
        wanted[name] = package["version"]
        for extra in ["", *edge.get("extra", [])]:
            if (name, extra) not in seen:
                seen.add((name, extra))
                group = package.get("optional-dependencies", {}).get(extra, []) if extra else None
                todo += package.get("dependencies", []) if group is None else group
    return wanted


def build_constraints() -> dict[str, str]:
    """name → version of the build backend's pins (pyproject.toml's [tool.uv] build-constraint-dependencies)."""
    pins = (Requirement(c) for c in PYPROJECT["tool"]["uv"]["build-constraint-dependencies"])
    return {canonicalize_name(r.name): str(r.specifier).removeprefix("==") for r in pins}


def test_installed_packages_are_exactly_the_locked_ones() -> None:
    """What the tests run on is what the lock pins: every package, its version, and nothing else. (`make
    test-lowest` deselects this one test: its venv holds the lowest versions on purpose.)"""
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]
    }
    installed.pop("govgraph", None)
    wanted = packages_for_this_environment()
    assert installed == wanted, {
        "not in the lock": sorted(set(installed) - set(wanted)),
        "missing": sorted(set(wanted) - set(installed)),
        "other version": sorted(n for n in set(installed) & set(wanted) if installed[n] != wanted[n]),
    }
