"""The built wheel carries the ontology, shapes and queries, and `govgraph build` runs from a fresh venv."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_builds(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], check=True, capture_output=True
    )
    wheel = next(dist.glob("govgraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "govgraph/_bundled/ontology/govgraph.ttl" in names
    assert "govgraph/data/ogp-denmark.yaml" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
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
