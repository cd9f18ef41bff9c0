"""The site is byte-identical however it is made: in another Python process, with another hash seed (set and
dict orders change), in one process or shared out to several forked workers (govgraph.site.make_site). And
when a worker fails, the error reaches the caller and nothing is left half-written."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GOVGRAPH = [sys.executable, "-m", "govgraph"]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def start_site(out: Path, seed: int, jobs: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    command = [*GOVGRAPH, "site", "-o", str(out), "--jobs", str(jobs)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_the_bundled_site_is_the_same_in_any_process_with_any_number_of_workers(tmp_path: Path) -> None:
    # Both at once: the test takes the time of one site (a few seconds), not two.
    runs = {
        "one process, hash seed 1": (tmp_path / "one", start_site(tmp_path / "one", 1, jobs=1)),
        "three workers, hash seed 2": (tmp_path / "three", start_site(tmp_path / "three", 2, jobs=3)),
    }
    for name, (_out, process) in runs.items():
        _stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, f"{name}: {stderr}"
        runs[name] = (_out, stderr)
    (one, one_said), (three, three_said) = runs.values()
    # The second run really was shared out (a fork that is not safe falls back to one process, silently).
    assert "(3 processes)" in three_said and "processes)" not in one_said, (one_said, three_said)
    first, second = tree(one), tree(three)
    assert len(first) > 7000  # every page kind of the bundled data: resources, indexes, vocabulary, charts, runner
    for kind in ("index.html", "queries.html", "engine/dataset.js", "def/index.html", "class/gg-Commitment.html"):
        assert kind in first
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


FAILING_JOB = """
import sys
from pathlib import Path
import govgraph.site as site

kind = sys.argv[3]  # which jobs get the failing one: "model_jobs" (the workers') or "early_jobs"
jobs = getattr(site.SiteBuilder, kind)

def failing_jobs(self):
    def fail():
        yield "doc/written-before-the-error.html", b"<p>half</p>"
        raise OSError(28, "No space left on device", "doc/the-next-page.html")
    found = jobs(self)
    return found[:1] + [site.Job("a job that fails", fail)] + found[1:]

setattr(site.SiteBuilder, kind, failing_jobs)
try:
    site.write_site(sys.argv[1], files=[sys.argv[2]], base_iri="https://example.org/ds/", workers=2)
except OSError as exc:
    print(f"raised {type(exc).__name__}: {exc}")
"""

TINY = """\
@prefix gg: <https://w3id.org/govgraph/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/ds/id/commitment/XX0001> a gg:Commitment ; dcterms:identifier "XX0001" ;
    rdfs:label "One"@en ; gg:actionPlan <https://example.org/ds/id/action-plan/p1> .
<https://example.org/ds/id/action-plan/p1> a gg:ActionPlan ; rdfs:label "Plan"@en .
"""


@pytest.mark.parametrize("kind", ["model_jobs", "early_jobs"])
def test_an_error_in_a_worker_reaches_the_caller_and_no_site_is_left(tmp_path: Path, kind: str) -> None:
    data = tmp_path / "tiny.ttl"
    data.write_text(TINY, encoding="utf-8")
    script = tmp_path / "fail.py"
    script.write_text(textwrap.dedent(FAILING_JOB), encoding="utf-8")
    out = tmp_path / "public"
    done = subprocess.run(
        [sys.executable, str(script), str(out), str(data), kind], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "raised OSError: [Errno 28] No space left on device: 'doc/the-next-page.html'" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fail.py", "tiny.ttl"]  # no site, no temporary folder


def test_a_rebuild_links_the_unchanged_files_of_the_older_site_and_writes_the_others(tmp_path: Path) -> None:
    from govgraph.site import write_site

    data = tmp_path / "tiny.ttl"
    data.write_text(TINY, encoding="utf-8")
    base = "https://example.org/ds/"
    fresh = tree(write_site(tmp_path / "fresh", files=[data], base_iri=base).path)
    out = tmp_path / "public"
    write_site(out, files=[data], base_iri=base)
    inodes = {name: (out / name).stat().st_ino for name in fresh}
    edited, linked, private, symlinked = (
        "doc/commitment/XX0001.html",
        "doc/commitment/XX0001.ttl",
        "doc/action-plan/p1.html",
        "doc/action-plan/p1.ttl",
    )
    (out / edited).write_bytes(b"changed by hand, in place")
    os.link(out / linked, tmp_path / "a second name")  # the same bytes, but the file has a name outside the site
    (out / private).chmod(0o600)  # the same bytes, other permissions
    outside = tmp_path / "outside.ttl"
    outside.write_bytes((out / symlinked).read_bytes())
    (out / symlinked).unlink()
    (out / symlinked).symlink_to(outside)  # the same bytes, behind a symbolic link

    write_site(out, files=[data], base_iri=base)
    assert tree(out) == fresh
    kept = {name for name in fresh if (out / name).stat().st_ino == inodes[name]}
    assert kept == set(fresh) - {edited, linked, private, symlinked}
    assert len(kept) > 20
    for name in fresh:
        path = out / name
        assert not path.is_symlink() and path.stat().st_nlink == 1, name
    assert (tmp_path / "a second name").read_bytes() == fresh[linked] and outside.read_bytes() == fresh[symlinked]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a second name", "fresh", "outside.ttl", "public", "tiny.ttl"]
