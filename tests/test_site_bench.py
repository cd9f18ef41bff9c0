"""The site benchmark (bench/site_bench.py) still runs and still checks what it claims: every timed run, a new
folder or a rebuild, gives the same files; its figures are counted from what write_site wrote. Speed itself
is never asserted here (issue 19's figures are the benchmark's to print, not a unit test's to time)."""

from __future__ import annotations

from pathlib import Path

from bench import site_bench
from bench.generate import generate

from govgraph.build import add_vocabulary


def test_the_site_bench_times_identical_sites_of_synthetic_data(tmp_path: Path) -> None:
    graph, _defects = generate(2_000)
    add_vocabulary(graph)
    site_bench.import_site_modules()
    row = site_bench.run("synthetic 2000", graph, None, runs=2, jobs=2, folder=tmp_path)
    assert row["identical"] is True
    assert row["triples"] == len(graph)
    assert row["pages"] > 100 and row["files"] > 3 * row["pages"]
    assert row["best"] <= row["median"] and row["rebuild"] > 0
    assert row["pages_per_second"] == int(row["pages"] / row["best"])
    # The sites are kept for main to remove at the end, so that no run follows a mass deletion (see run).
    (folder,) = tmp_path.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["site-0", "site-1"]
    assert site_bench.digest(folder / "site-0") == site_bench.digest(folder / "site-1")


def test_the_digest_changes_with_any_byte_or_name(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.html").write_bytes(b"<p>one</p>")
    first = site_bench.digest(tmp_path)
    (tmp_path / "a" / "page.html").write_bytes(b"<p>One</p>")
    second = site_bench.digest(tmp_path)
    (tmp_path / "a" / "page.html").rename(tmp_path / "a" / "other.html")
    third = site_bench.digest(tmp_path)
    assert len({first, second, third}) == 3
