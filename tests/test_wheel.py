"""The built wheel carries the ontology, shapes and queries, and `govgraph build` runs from a fresh venv."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_lock import build_constraints, packages_for_this_environment


@pytest.mark.slow
def test_wheel_installs_and_builds(tmp_path: Path) -> None:
    # Built and installed from what uv.lock pins, backend included, like everything else the tests install.
    constraints = tmp_path / "constraints.txt"
    pins = {**packages_for_this_environment(extras=()), **build_constraints()}
    constraints.write_text("".join(f"{name}=={version}\n" for name, version in sorted(pins.items())))
    env = {**os.environ, "PIP_CONSTRAINT": str(constraints)}
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        env=env,
    )
    wheel = next(dist.glob("govgraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "govgraph/_bundled/ontology/govgraph.ttl" in names
    assert "govgraph/data/ogp-denmark.yaml" in names
    # The seed documents the bundled package holds (the government's own), which an installed site quotes.
    assert "govgraph/data/sources/004_668ea457b60d71eb.txt" in names
    assert "govgraph/data/sources/001_a062309b7c697bab.txt" not in names  # the OGP's page: cited, not copied

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True, env=env)
    out = tmp_path / "govgraph.ttl"
    result = subprocess.run(
        [str(env_dir / "bin" / "govgraph"), "build", "-o", str(out)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 500_000
    # The installed package finds its resources inside site-packages, not in this checkout.
    where = subprocess.run(
        [str(py), "-c", "from govgraph.resources import bundled; print(bundled('ontology'))"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert "site-packages/govgraph/_bundled/ontology" in where
