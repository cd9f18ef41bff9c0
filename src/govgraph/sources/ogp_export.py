"""Reader for the OGP commitments export CSV (the OGP's own 171-column layout).

Every column that carries meaning is mapped; the columns the OGP computes from others for its own
analysis (scores, maxima, checksums) are listed in DERIVED_COLUMNS and deliberately not published,
because they can be recomputed from the assessments and would go stale beside them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.iris import COMMITMENT_ID_PATTERN, is_iri, slugify
from govgraph.records import ActionPlan, Assessment, Commitment, Country, DateValue, IRMReport, SourceRef
from govgraph.safety import control_characters, decode_utf8, short_repr
from govgraph.sources.dates import parse_date

MISSING = {"", "NA", "N/A", "ND", "NR", "None specified", "Unclear"}
"""Markers of an absent value: NA not applicable, ND no data, NR not reviewed."""
MISSING_RATING = {"", "NA", "ND", "NR"}  # in rating columns "Unclear" and "None" are real values

IDENTITY_COLUMNS = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan Number",
    "Commitment Number",
    "Code",
    "Region",
    "National Or Local",
    "Year Of Submission",
    "Action Plan End Year",
    "Action Plan Duration (Years)",
    "Theme",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Start Date",
    "End Date",
    "Lead Institution",
    "Supporting Institution(s)",
    "URL",
    "Action Plan ID",
    "Active Commitment",
]

# Policy-area flag columns, in the export's order. A column that starts a group is the broader area of the
# columns after it (the OGP's taxonomy); see ontology/schemes/policy-areas.ttl.
POLICY_AREA_GROUPS: dict[str, list[str]] = {
    "Anti-Corruption and Integrity": [
        "Anti-corruption Institutions",
        "Anti-Corruption Strategies",
        "Asset Disclosure",
        "Audits",
        "Beneficial Ownership",
        "Conflicts Of Interest",
        "Elections",
        "Political Finance",
        "Lobbying",
        "Open Contracting",
        "Public Procurement",
        "Right To Information",
        "Whistleblower Protections",
    ],
    "Civic Space and Enabling Environment": [
        "Freedom of Assembly",
        "Freedom of Association",
        "Freedom of Expression",
    ],
    "Democratizing Decision-Making": [
        "Digital Participation",
        "Mainstreaming Participation",
        "Regulatory Governance",
        "Social Accountability",
    ],
    "Digital Governance": [
        "Automated Decision-making",
        "Data Stewardship and Privacy",
        "Digital Inclusion",
        "Disinformation/Misinformation",
        "Online Civic Space",
    ],
    "Environment & Climate": [
        "Climate Finance",
        "Climate Mitigation and Adaptation",
        "Environmental Regulation",
        "International Environmental Agreements",
    ],
    "Fiscal Openness": [
        "Publication Of Budget/Fiscal Information",
        "Public Participation In Budget/Fiscal Policy",
        "Oversight Of Budget/Fiscal Policies",
        "Stimulus and Economic Recovery",
        "Tax",
        "Debt",
    ],
    "Inclusion": [
        "Gender",
        "Gender-Based Violence",
        "Economic Inclusion",
        "LGBTQIA+",
        "People with Disabilities",
        "Youth",
    ],
    "Justice": ["Access to Justice", "Open Justice", "Policing & Corrections", "Judiciary"],
    "Open Parliaments": [],
    "Public Service Delivery": [
        "Citizenship & Immigration",
        "Education",
        "Health & Nutrition",
        "Infrastructure & Transport",
        "Water & Sanitation",
    ],
    "Capacity Building": [],
    "Digital Transformation": [],
    "Legislation": [],
    "Regulation": [],
    "Legislative Oversight": [],
    "Open Data": ["Open Data (Water/Sanitation)", "Open Data (Health)", "Open Data (Education)"],
    "Public Participation": [],
    "Aid": [],
    "Energy": [],
    "Extractive Industries": [],
    "Land and Spatial Planning": [],
    "Media & Telecommunications": [],
    "Science & Technology": [],
    "Security & Public Safety": [],
    "Labor": [],
    "Private Sector": [],
    "Subnational": [],
    "Human Rights": [],
    "Open Parliament Plan": [],
    "Sustainable Development Goals": [],
    "Participation in Lawmaking": [],
    "Access to information": [],
    "Money in Politics": [],
}
POLICY_AREA_COLUMNS = [c for group, subs in POLICY_AREA_GROUPS.items() for c in (group, *subs)]

OGP_VALUE_COLUMNS = {
    "OGP Value Access To Information": "access-to-information",
    "OGP Value Civic Participation": "civic-participation",
    "OGP Value Public Accountability": "public-accountability",
    "OGP Value Technology": "technology-and-innovation",
}

# Rating columns: column -> (criterion, report slot). The slot says which IRM report the value is from.
RATING_COLUMNS: dict[str, tuple[str, str]] = {
    "Specificity": ("specificity", "design"),
    "Verifiable": ("verifiability", "design"),
    "_Relevant": ("relevance", "design"),
    "Potential Impact": ("potential-impact", "design"),
    "Completion (Progress Report)": ("completion", "design"),
    "Starred (2015 Only)": ("starred-2015-formula", "design"),
    "Starred (Current Formula) Progress Report": ("starred", "design"),
    "Potential for Results": ("potential-for-results", "design"),
    "Completion (End Of Term)": ("completion", "results"),
    "Early Results": ("early-results", "results"),
    "Did It Open Government (Overall)": ("did-it-open-government", "results"),
    "Did It Open Government (Access To Information)": (
        "did-it-open-government-access-to-information",
        "results",
    ),
    "Did It Open Government (Civic Participation)": ("did-it-open-government-civic-participation", "results"),
    "Did It Open Government: Public Accountability": (
        "did-it-open-government-public-accountability",
        "results",
    ),
    "Starred (Current Formula) End of Term": ("starred", "results"),
    "Carried Forward": ("carried-forward", "results"),
}
REPORT_YEAR_COLUMNS = {
    "design": "Report Publication Year (Progress Report)",
    "results": "Report Publication Year (End Of Term)",
}
CLUSTER_COLUMN = "Cluster Commitment ID(s)"

# The values each criterion may take, as the export writes them, and the concept key each becomes.
# A yes/no criterion is written 1/0 in some columns and Yes/No in others.
_YES_NO = {"1": "yes", "0": "no", "Yes": "yes", "No": "no"}
_DIOG = {
    "Worsens": "worsens",
    "Did Not Change": "did-not-change",
    "Marginal": "marginal",
    "Major": "major",
    "Outstanding": "outstanding",
    "Not Applicable": "not-applicable",
    "No early results to report yet": "no-early-results-yet",
}
SCALES: dict[str, dict[str, str]] = {
    "specificity": {"None": "none", "Low": "low", "Medium": "medium", "High": "high"},
    "verifiability": _YES_NO,
    "relevance": {"1": "relevant", "0": "not-relevant"},
    "potential-impact": {
        "None": "none",
        "Minor": "minor",
        "Moderate": "moderate",
        "Transformative": "transformative",
    },
    "completion": {
        "Withdrawn": "withdrawn",
        "Unclear": "unclear",
        "Not Started": "not-started",
        "Limited": "limited",
        "Substantial": "substantial",
        "Complete": "complete",
    },
    "starred-2015-formula": _YES_NO,
    "starred": _YES_NO,
    "potential-for-results": {"Unclear": "unclear", "Modest": "modest", "Substantial": "substantial"},
    "early-results": {
        "No notable results": "no-notable-results",
        "Moderate": "moderate",
        "Significant": "significant",
        "Outstanding": "outstanding",
    },
    "did-it-open-government": _DIOG,
    "did-it-open-government-access-to-information": _DIOG,
    "did-it-open-government-civic-participation": _DIOG,
    "did-it-open-government-public-accountability": _DIOG,
    "carried-forward": _YES_NO,
    # Not a column of the export (which derives its own "High Ambition" flag): the rating pages show as
    # "Ambition (see definition)".
    "ambition": {"Low": "low", "High": "high"},
}
# Which scale a criterion's values come from: the per-value DIOG criteria share the overall DIOG scale.
SCALE_OF = {c: ("did-it-open-government" if c.startswith("did-it-open-government") else c) for c in SCALES}

LEVELS = {"National": "national", "Legacy Local": "legacy-local", "Other": "other"}
REGIONS = {
    "Europe": "europe",
    "Asia and the Pacific": "asia-and-the-pacific",
    "Africa and the Middle East": "africa-and-the-middle-east",
    "Americas": "americas",
}

# Columns the OGP derives from the others (or keeps for its own bookkeeping). Not published: see module doc.
DERIVED_COLUMNS = [
    "Commitment Dummy",
    "_Specificity",
    "_Potential Impact",
    "_CompletionProgress",
    "_Potential for Results",
    "_CompletionEndTerm",
    "_Early Results",
    "_OpenGovernment",
    "_DIOGATI",
    "_DIOGCP",
    "_DIOGPA",
    "Compound",
    "Cluster",
    "Cluster (AP Review)",
    "Change In Completion",
    "_ChangeCompletion",
    "Most Recently Assessed",
    "Star - Most Recently Assessed",
    "IRM Assessed",
    "Updated? (Website)",
    "Max star",
    "Ambition Assessed",
    "Comp Assessed",
    "DIOG Assessed",
    "Midterm Only",
    "Max Completion",
    "Raw Completion",
    "High Completion",
    "High Ambition",
    "High DIOG",
    "Ambitious and complete, or DIOG",
    "Ambitious but not complete",
    "Complete but not ambitious",
    "Not complete or ambitious",
    "Not reviewed",
    "CHECKSUM",
    "IRM-Based Score",
    "Binding constraint",
    "Latest IRM Report",
    "Subnational in NAPs",
    "id",
]
EXPECTED_COLUMNS = (
    IDENTITY_COLUMNS
    + POLICY_AREA_COLUMNS
    + list(OGP_VALUE_COLUMNS)
    + list(RATING_COLUMNS)
    + list(REPORT_YEAR_COLUMNS.values())
    + [CLUSTER_COLUMN]
    + DERIVED_COLUMNS
)


def read_ogp_export(path: str | Path, document: str | None = None) -> list[Commitment]:
    """Read an OGP commitments export; return one Commitment per row, in file order.

    ``document`` is the key of the source document the records cite (default: a slug of the file name).
    Raises InputErrors listing every problem in the file (file, line, column name, what is wrong).
    """
    path = Path(path)
    document = document or slugify(path.stem)
    text = _read_text(path)
    errors = ErrorCollector(path)
    for bad_line, message in control_characters(text):
        errors.add(bad_line, message)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputErrors([InputError(str(path), 1, "the file is empty; expected the OGP export header")]) from None
    except csv.Error as exc:
        raise InputErrors([InputError(str(path), reader.line_num or 1, f"not valid CSV: {exc}")]) from None
    _check_header(header, errors)
    errors.raise_if_any()

    commitments: list[Commitment] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    for row in _rows(reader, errors):
        first, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.add(first, f"the row has {len(row)} fields; the header has {len(header)}")
            continue
        record = _read_row(
            dict(zip(header, row, strict=True)),
            SourceRef(document, first, line - 1, section=None),
            errors,
            first,
        )
        if record is None:
            continue
        if record.id in seen:
            errors.add(
                first,
                f"duplicate commitment id {record.id} (first on line {seen[record.id]})",
                "Commitment Unique Identifier",
            )
            continue
        seen[record.id] = first
        commitments.append(record)
    errors.raise_if_any()
    return commitments


def _rows(reader: Iterator[list[str]], errors: ErrorCollector) -> Iterator[list[str]]:
    """The reader's rows; a CSV syntax error (a NUL byte, a cell over the csv module's 128 KiB limit) is
    reported with its line and ends the reading, since the rows after it cannot be told apart."""
    try:
        yield from reader
    except csv.Error as exc:
        errors.add(reader.line_num, f"not valid CSV: {exc}")


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputErrors([InputError(str(path), None, f"cannot read the file: {exc.strerror or exc}")]) from None
    return decode_utf8(path, data)


def _check_header(header: list[str], errors: ErrorCollector) -> None:
    expected = set(EXPECTED_COLUMNS)
    missing = [c for c in EXPECTED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in expected]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or duplicated:
        parts = []
        if missing:
            parts.append(f"missing columns: {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}")
        if unknown:
            parts.append(f"unknown columns: {', '.join(unknown[:10])}{' ...' if len(unknown) > 10 else ''}")
        if duplicated:
            parts.append(f"duplicated columns: {', '.join(duplicated)}")
        errors.add(1, "not the OGP commitments export layout (" + "; ".join(parts) + ")")


def _value(row: dict[str, str], column: str) -> str | None:
    value = row[column].strip()
    return None if value in MISSING else value


def _int(
    row: dict[str, str], column: str, errors: ErrorCollector, line: int, low: int = 0, high: int = 9999
) -> int | None:
    """A whole number from ``low`` to ``high`` (the export's years: 1900-2100), or None and an error."""
    value = _value(row, column)
    if value is None:
        return None
    if not re.fullmatch(r"-?\d{1,9}", value):
        errors.add(line, f"{short_repr(value)} is not a whole number", column)
        return None
    if not low <= int(value) <= high:
        errors.add(line, f"{value} is out of range (expected {low} to {high})", column)
        return None
    return int(value)


YEARS = (1900, 2100)


def _read_row(row: dict[str, str], source: SourceRef, errors: ErrorCollector, line: int) -> Commitment | None:
    cid = row["Commitment Unique Identifier"].strip()
    if not cid:
        errors.add(line, "missing commitment id", "Commitment Unique Identifier")
        return None
    if not COMMITMENT_ID_PATTERN.match(cid):
        errors.add(
            line,
            f"malformed commitment id {short_repr(cid)}: expected 2-4 capitals and 4 digits, e.g. DK0040",
            "Commitment Unique Identifier",
        )
        return None
    title = row["Commitment Title"].strip()
    if not title:
        errors.add(line, f"{cid} has no title", "Commitment Title")
        return None
    source = SourceRef(source.document, source.first_line, source.last_line, section=f"row {cid}")

    region = _value(row, "Region")
    if region is not None and region not in REGIONS:
        errors.add(line, f"unknown region {short_repr(region)}", "Region")
    code = _value(row, "Code")
    if code is not None and not re.fullmatch(r"[A-Z0-9]{2,8}", code):
        errors.add(line, f"{short_repr(code)} is not a member code (2-8 capitals or digits, e.g. DNK)", "Code")
        code = None
    level = _value(row, "National Or Local")
    if level is not None and level not in LEVELS:
        errors.add(line, f"unknown level {short_repr(level)}", "National Or Local")
    # A national commitment's member is a country, and its code an ISO 3166-1 alpha-3 code (DNK, IRL).
    national = level == "National" and code is not None and re.fullmatch(r"[A-Z]{3}", code) is not None
    country = Country(code, row["Country/Locality"].strip(), REGIONS.get(region or ""), national) if code else None

    plan_id = _value(row, "Action Plan ID")
    if plan_id is not None and not slugify(plan_id):
        errors.add(line, f"{short_repr(plan_id)} is not an action plan id (e.g. AP_DNK01)", "Action Plan ID")
        plan_id = None
    cycle_year = _int(row, "Year Of Submission", errors, line, *YEARS)
    end_year = _int(row, "Action Plan End Year", errors, line, *YEARS)
    plan = None
    if plan_id:
        span = f"{cycle_year}-{end_year}" if cycle_year and end_year else str(cycle_year or "")
        plan = ActionPlan(
            key=slugify(plan_id),
            label=f"{row['Country/Locality'].strip()} action plan {span}".strip(),
            ogp_id=plan_id,
            country=country,
            number=_int(row, "Action Plan Number", errors, line),
            cycle_year=cycle_year,
            end_year=end_year,
            duration_years=_int(row, "Action Plan Duration (Years)", errors, line, 0, 100),
        )

    policy_areas = []
    for column in POLICY_AREA_COLUMNS:
        flag = row[column].strip()
        if flag == "1":
            policy_areas.append(slugify(column))
        elif flag not in {"0", "NA", "ND", "NR", ""}:
            errors.add(line, f"policy-area flag must be 0 or 1, not {short_repr(flag)}", column)
    ogp_values = []
    for column, key in OGP_VALUE_COLUMNS.items():
        flag = row[column].strip()
        if flag == "1":
            ogp_values.append(key)
        elif flag not in {"0", "NA", "ND", "NR", ""}:
            errors.add(line, f"OGP-value flag must be 0 or 1, not {short_repr(flag)}", column)

    methodology = (
        "refresh-2021"
        if any(row[c].strip() not in MISSING_RATING for c in ("Potential for Results", "Early Results"))
        else "classic"
    )
    assessments = []
    for column, (criterion, slot) in RATING_COLUMNS.items():
        raw = row[column].strip()
        if raw in MISSING_RATING:
            continue
        value = SCALES[criterion].get(raw)
        if value is None:
            errors.add(
                line,
                f"{short_repr(raw)} is not a value of the IRM {criterion} scale "
                f"({', '.join(sorted(SCALES[criterion]))})",
                column,
            )
            continue
        report = _report(plan, methodology, slot, _int(row, REPORT_YEAR_COLUMNS[slot], errors, line, *YEARS), cid)
        assessments.append(Assessment(criterion, value, methodology, report, source))

    lead = _value(row, "Lead Institution")
    # Supporting institutions are free text, hard-wrapped and comma-joined in ways no rule can split
    # without inventing institutions; they are published verbatim.
    supporting_text = _value(row, "Supporting Institution(s)")
    clustered = tuple(re.findall(r"[A-Z]{2,4}\d{4}", _value(row, CLUSTER_COLUMN) or ""))
    active = _value(row, "Active Commitment")
    start, end = _date(row, "Start Date", errors, line), _date(row, "End Date", errors, line)
    url = _value(row, "URL")
    if url is not None and not (re.match(r"https?://", url) and is_iri(url)):
        errors.add(line, f"{short_repr(url)} is not an http(s) URL", "URL")
        url = None
    return Commitment(
        id=cid,
        title=title,
        source=source,
        short_title=_value(row, "Short Title"),
        description=_value(row, "Full Text"),
        country=country,
        level=LEVELS.get(level or ""),
        action_plan=plan,
        number=commitment_number(_value(row, "Commitment Number")),
        theme=_value(row, "Theme"),
        start=start,
        end=end,
        status={"1": "active", "0": "inactive"}.get(active or ""),
        lead_institutions=(lead,) if lead else (),
        supporting_text=supporting_text,
        policy_areas=tuple(policy_areas),
        ogp_values=tuple(ogp_values),
        starred=None,
        page_url=canonical_page_url(url, cid) if url else None,
        clustered_with=tuple(c for c in clustered if c != cid),
        assessments=tuple(assessments),
    )


def _date(row: dict[str, str], column: str, errors: ErrorCollector, line: int) -> DateValue | None:
    """A date as precise as written; wording that is no date ("Underway") is kept as text, but a date that
    cannot exist ("2019-02-30") is an error: it is a typing slip, not wording."""
    value = _value(row, column)
    if value is None:
        return None
    date = parse_date(value)
    if date.note == "impossible date":
        errors.add(line, f"{short_repr(value)} is not a date that exists", column)
        return None
    return date


REPORT_KINDS = {
    ("classic", "design"): "progress-report",
    ("classic", "results"): "end-of-term-report",
    ("refresh-2021", "design"): "action-plan-review",
    ("refresh-2021", "results"): "results-report",
}
REPORT_LABELS = {
    "progress-report": "IRM progress report",
    "end-of-term-report": "IRM end-of-term report",
    "action-plan-review": "IRM action plan review",
    "results-report": "IRM results report",
}


def _report(plan: ActionPlan | None, methodology: str, slot: str, year: int | None, cid: str) -> IRMReport:
    kind = REPORT_KINDS[(methodology, slot)]
    owner = plan.key if plan else slugify(cid)
    key = f"{owner}-{kind}" + (f"-{year}" if year else "")
    label = f"{REPORT_LABELS[kind]} on {plan.label if plan else cid}" + (f" ({year})" if year else "")
    return IRMReport(key=key, label=label, kind=kind, action_plan=plan.key if plan else None, year=year)


def commitment_number(value: str | None) -> str | None:
    """The commitment's number within its plan, as a label ("3", "3.2.5", "B.1.A"). Spreadsheet float damage
    is repaired: "2.2999999999999998" was "2.3" before a spreadsheet stored it as a binary float."""
    if value is None:
        return None
    if re.fullmatch(r"\d+\.\d{8,}", value):
        return repr(round(float(value), 6))
    return value.rstrip(".")


def canonical_page_url(url: str, cid: str) -> str:
    """The OGP page of a commitment in one canonical form (www host, id in capitals, trailing slash), so
    that the same page cited by different sources is one resource."""
    m = re.match(r"https?://(?:www\.)?opengovpartnership\.org/members/([^/]+)/commitments/([A-Za-z0-9]+)/?$", url)
    if not m:
        return url
    return f"https://www.opengovpartnership.org/members/{m[1]}/commitments/{m[2].upper()}/"
