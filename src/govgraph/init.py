"""`govgraph init DIR`: a new data package that builds and validates as it is.

It writes the manifest with placeholders, one CSV sheet per record type with its header and one example row
(all the rows cite one example source document, which is written too, with its SHA-256), the W3C CSVW
metadata of every sheet, and a README for the people who will edit the package. Nothing in it is Danish:
the example is a fictional municipality, in English.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from govgraph.errors import InputError, InputErrors
from govgraph.export import write_bytes_atomic

SOURCE_KEY = "example-plan"
SOURCE_FILE = "example-plan.txt"
SOURCE_TEXT = """Example Town: a plan for simpler public services (2025)

Issued by Example Town Council.
Track 1: Digital services.
Initiative 1: one digital front door for every service the town offers.
Goal: residents get an answer faster.
Target: 80 percent of applications answered within 10 days by 2027.
Budget: EUR 1.5 million in 2025.
Box 1: principles. Principle 1: services are designed with residents.
On 2025-03-01 the council adopted the plan; 42 services were offered online that year.
OGP local action plan 2025-2027, commitment 1: open the town's budget data. IRM: substantial completion.
"""

MANIFEST = """# The manifest of this data package: what the dataset is. Every release, catalogue and site takes its
# title, description, publisher, licence, languages and keywords from here. Replace each placeholder.
title:
  en: "Example Town: public-sector reform data"
description:
  en: >-
    The reforms of Example Town, with their tracks, initiatives, goals, targets and money, and the
    institutions behind them. Every record cites its source document.
publisher:
  name: "Example Town Council"
  homepage: "https://example.org/"
  contact: "opendata@example.org"
  # ADMS publisher type: LocalAuthority, RegionalAuthority, NationalAuthority, NonProfitOrganisation, ...
  type: "LocalAuthority"
license: "http://creativecommons.org/licenses/by/4.0/"
# Where your things are minted: <base_iri>id/<kind>/<key>. Use an address you control (or w3id.org).
base_iri: "https://example.org/govgraph/"
languages: [en]
# ISO 3166-1 alpha-3 codes of the places your data covers, e.g. [FIN] (leave empty for none).
spatial: []
# Where each place lies (DCAT-AP recommends it), WGS 84 degrees: bbox [west, south, east, north], centroid [lon, lat]
# geometry:
#   XYZ: {bbox: [west, south, east, north], centroid: [longitude, latitude]}
keywords:
  en: ["public sector reform", "open data"]
themes: [GOVE]
version: "0.1"
# OGP commitments exports in this folder, and the members whose rows to take (all when members is left out):
# ogp_exports:
#   - file: ogp-export.csv
#     members: [FIN]
"""

# One example row per sheet: every reference points at another example row, every row cites the source.
EXAMPLE_ROWS: dict[str, dict[str, str]] = {
    "documents": {
        "key": SOURCE_KEY,
        "title@en": "Example Town: a plan for simpler public services",
        "language": "en",
        "file": SOURCE_FILE,
        "sha256": hashlib.sha256(SOURCE_TEXT.encode("utf-8")).hexdigest(),
        "issued": "2025",
        "description@en": "The plan the example records are transcribed from; replace it with your own.",
    },
    "institutions": {
        "key": "example-town-council",
        "label@en": "Example Town Council",
        "kind": "municipality",
        "sources": f"{SOURCE_KEY}:3",
    },
    "programmes": {
        "key": "simpler-services",
        "label@en": "A plan for simpler public services",
        "kind": "publication",  # a box (boxes.csv) is part of a publication
        "issued_by": "example-town-council",
        "issued": "2025",
        "source": f"{SOURCE_KEY}:1-8",
    },
    "tracks": {
        "key": "digital-services",
        "label@en": "Digital services",
        "programme": "simpler-services",
        "number": "1",
        "source": f"{SOURCE_KEY}:4",
    },
    "initiatives": {
        "key": "one-front-door",
        "label@en": "One digital front door",
        "description@en": "One digital front door for every service the town offers.",
        "track": "digital-services",
        "number": "1",
        "source": f"{SOURCE_KEY}:5",
    },
    "goals": {
        "key": "faster-answers",
        "label@en": "Residents get an answer faster",
        "kind": "goal",
        "programme": "simpler-services",
        "source": f"{SOURCE_KEY}:6",
    },
    "targets": {
        "key": "answers-within-ten-days",
        "label@en": "Applications answered within 10 days",
        "indicator@en": "Share of applications answered within 10 days",
        "value": "80",
        "unit": "percent",
        "target_year": "2027",
        "goal": "faster-answers",
        "source": f"{SOURCE_KEY}:7",
    },
    "money": {
        "key": "budget-2025",
        "label@en": "Budget of the plan in 2025",
        "amount": "1500000",
        "currency": "EUR",
        "as_stated": "EUR 1.5 million",
        "year": "2025",
        "about": "programme/simpler-services",
        "kind": "budget",
        "source": f"{SOURCE_KEY}:8",
    },
    "boxes": {
        "key": "principles-box",
        "label@en": "Principles",
        "number": "1",
        "programme": "simpler-services",
        "source": f"{SOURCE_KEY}:9",
    },
    "principles": {
        "key": "designed-with-residents",
        "label@en": "Services are designed with residents",
        "programme": "simpler-services",
        "number": "1",
        "source": f"{SOURCE_KEY}:9",
    },
    "events": {
        "key": "plan-adopted",
        "label@en": "The council adopts the plan",
        "date": "2025-03-01",
        "about": "programme/simpler-services",
        "participants": "example-town-council",
        "source": f"{SOURCE_KEY}:10",
    },
    "figures": {
        "key": "services-online-2025",
        "label@en": "Services offered online in 2025",
        "value": "42",
        "unit": "count",
        "as_stated": "42 services",
        "year": "2025",
        "about": "programme/simpler-services",
        "source": f"{SOURCE_KEY}:10",
    },
    "action_plans": {
        "key": "ap-example-01",
        "label@en": "Example Town OGP local action plan 2025-2027",
        "country": "EXT",
        "country_name": "Example Town",
        "cycle_year": "2025",
        "end_year": "2027",
        "source": f"{SOURCE_KEY}:11",
    },
    "commitments": {
        "id": "EXT0001",
        "title": "Open the town's budget data",
        "action_plan": "ap-example-01",
        "policy_areas": "fiscal-openness",
        "lead_institutions": "example-town-council",
        "source": f"{SOURCE_KEY}:11",
    },
    "irm_reports": {
        "key": "example-irm-report-2027",
        "label@en": "Example Town IRM report 2027",
        "action_plan": "ap-example-01",
        "kind": "results-report",
        "year": "2027",
        "source": f"{SOURCE_KEY}:11",
    },
    "assessments": {
        "commitment": "EXT0001",
        "report": "example-irm-report-2027",
        "criterion": "completion",
        "value": "substantial",
        "methodology": "classic",
        "source": f"{SOURCE_KEY}:11",
    },
    "links": {
        "subject": "commitment/EXT0001",
        "object": "programme/simpler-services",
        "relation": "related",
        "evidence@en": "Both are plans of Example Town Council for more open public services.",
        "sources": f"{SOURCE_KEY}:11",
    },
    "roles": {
        "institution": "example-town-council",
        "role": "issued",
        "target": "programme/simpler-services",
        "source": f"{SOURCE_KEY}:3",
    },
}

README = """# A govgraph data package

This folder is a data package: `package.yaml` says what the dataset is (title, publisher, licence,
languages, ...), and each `<list>.csv` sheet holds one kind of record, one row each. The example rows are
there to show the form; replace them with your own and keep the headers.

- Open a sheet in any spreadsheet program and save it as CSV (UTF-8).
- Text columns carry their language: `label@en`, `label@fi`, ... (the languages `package.yaml` lists).
- Several values go in one cell separated by `|`; a link to another record is its key (`simpler-services`),
  or `kind/key` where the kind is not fixed (`programme/simpler-services`).
- Every row cites its source: `DOCUMENT:LINES` or `DOCUMENT:LINES:SECTION`, e.g. `example-plan:4-6:Track 1`;
  the document is a row of `documents.csv`. Put the document's file beside the sheets (or in `sources/`) with
  its SHA-256 in `documents.csv`, and govgraph checks that the file is the one the records cite.
- `<list>.csv-metadata.json` describes each sheet in W3C CSVW, for any CSVW tool; govgraph writes it.

Check and build it (every bad cell is reported with file:line:column at once):

    govgraph validate --data .
    govgraph build --data . -o dataset.ttl
    govgraph release --data . -o release
    govgraph site --data . -o site
"""


def init_package(folder: str | Path) -> list[Path]:
    """Write a new data package to ``folder`` (which must not exist or be empty); return the files written."""
    import shutil
    import tempfile

    from govgraph.errors import writing
    from govgraph.sources.sheets import write_sheet_template

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputErrors([InputError(str(folder), None, "exists and is not an empty folder; nothing was written")])
    # Written in a folder beside it and renamed into place: a failure half-way leaves nothing behind.
    with writing(folder):
        folder.absolute().parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.absolute().parent))
    try:
        names = []
        for name, text in (("package.yaml", MANIFEST), ("README.md", README), (f"sources/{SOURCE_FILE}", SOURCE_TEXT)):
            write_bytes_atomic(staging / name, text.encode("utf-8"))
            names.append(Path(name))
        for list_name, row in EXAMPLE_ROWS.items():
            names.extend(p.relative_to(staging) for p in write_sheet_template(staging, list_name, ("en",), row))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it 0700; the package gets the permissions of any folder
        with writing(folder):
            if folder.exists():
                folder.rmdir()  # empty, checked above
            os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in names]
