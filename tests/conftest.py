"""Shared fixtures. The seed documents and the OGP sample live in ../shared beside the repository (as in CI);
GOVGRAPH_SHARED points elsewhere."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

# Every test fails if govgraph opens a network connection to anything but this machine.
pytest_plugins = ["tests.network_guard"]

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files instead of comparing")


@pytest.fixture(scope="session")
def shared() -> Path:
    path = Path(os.environ.get("GOVGRAPH_SHARED", ROOT.parent / "shared"))
    if not (path / "seeds").is_dir():
        raise RuntimeError(f"the shared seeds are missing: expected {path}/seeds (set GOVGRAPH_SHARED)")
    return path


@pytest.fixture(scope="session")
def seed_001(shared: Path) -> Path:
    return shared / "seeds" / "001_a062309b7c697bab.txt"


@pytest.fixture(scope="session")
def ogp_sample(shared: Path) -> Path:
    return shared / "ogp" / "ogp-commitments-export-sample.csv"


@pytest.fixture(scope="session")
def built_graph():
    from govgraph.build import build

    return build()


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def jena() -> str:
    """Jena's class path, installing Jena with scripts/install-jena.sh if it is not there yet (CI runs as root).
    A failed install fails the tests that need Jena; it never skips them."""
    from govgraph.jena import java_executable, jena_classpath

    install = ROOT / "scripts" / "install-jena.sh"
    if jena_classpath() is None or java_executable() is None:
        done = subprocess.run(["bash", str(install)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.fail(
                f"{install.relative_to(ROOT)} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}",
                pytrace=False,
            )
    classpath = jena_classpath()
    if classpath is None or java_executable() is None:
        pytest.fail(f"{install.relative_to(ROOT)} ran but Jena or java is still missing", pytrace=False)
    return classpath
