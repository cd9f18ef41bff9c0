"""Reader for the text of an OGP commitment page, as a user saves it from the OGP website.

A page has, from the top: an optional member line ("Denmark"), the heading "Title (DK0040)", the At-a-Glance
fields ("Action Plan: ...", "Status: ...", "Lead Institution: ...", the "Policy Areas" section, "IRM Report:",
"Starred:", "Early Results:", "Verifiable:", ...), the commitment's description, on older pages the IRM's
end-of-term status summary, and on some saved pages the list of all the member's commitments at the foot.
Every part but the heading and some At-a-Glance fields may be missing; the OGP changed the layout over the
years (see tests/data/ogp-pages/ for one page per variant).

``read_ogp_page`` gives what the page says (an ``OGPPage``, every value with its line); ``page_commitments``
turns it into the same Commitment records the export reader gives, and ``glance_facts`` is the one mapping
from At-a-Glance values to record fields, shared with the curated page facts (govgraph.sources.curated_ogp).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.iris import COMMITMENT_ID_PATTERN, slugify
from govgraph.records import ActionPlan, Assessment, Commitment, Country, IRMReport, SourceRef
from govgraph.safety import control_characters, decode_utf8, short_repr
from govgraph.sources.ogp_export import POLICY_AREA_COLUMNS, SCALES
from govgraph.sources.ogp_members import member_by_name, member_by_prefix

STARRED_PREFIX = "Starred commitment "
AT_A_GLANCE_FIELDS = (
    "Action Plan",
    "Action Plan Cycle",
    "Status",
    "Lead Institution",
    "Support Institution(s)",
    "IRM Report",
    "Starred",
    "Early Results",
    "Verifiable",
    "Relevant to OGP Values",
    "Specificity",
    "Potential Impact",
    "Potential for Results",
    "Ambition (see definition)",
    "Ambition",
    "Completion",
)
# Headings of the page's sections; a lost line break can glue one to the end of the line before it.
HEADINGS = ("Overview", "At-a-Glance", "Institutions", "Policy Areas", "IRM Review", "Design i", "Implementation i")
DESCRIPTION_HEADING = "Description"
IRM_SUMMARY_HEADING = "IRM End of Term Status Summary"
LIST_HEADING = "Commitments"
FOOTER = "Open Government Partnership"
PAGE_SECTION = "At-a-Glance"  # the section a page's own commitment cites (a list entry cites its item)

PLACEHOLDERS = {"", "na", "n/a", "none", "no irm data", "pending irm review", "not attached", "-"}
"""Values that say the fact is not known (yet): they become absent, never a "no"."""

_FIELD_LINE = re.compile(r"^(?P<name>[A-Za-z][A-Za-z() /-]*?):\s*(?P<value>.*)$")
_HEADING_LINE = re.compile(r"^(?P<title>.+?)\s*\((?P<id>[A-Z]{2,4}\d{4})\)$")


@dataclass(frozen=True)
class Field:
    value: str
    line: int


@dataclass(frozen=True)
class ListEntry:
    """One commitment in the page's list: '  28. Title' then '    DK0040, 2014, Capacity Building'."""

    position: int
    id: str
    title: str
    year: int
    policy_area: str
    starred: bool
    line: int  # the title's line
    last_line: int  # the id line


@dataclass(frozen=True)
class IRMStatus:
    irm_number: int  # the IRM report's own number for the commitment ("Commitment 7")
    phase: str  # "mid-term" or "end-of-term"
    value: str  # as written, e.g. "Substantial"
    line: int
    comment: str = ""  # the IRM's reasoning that follows the rating


@dataclass
class OGPPage:
    file: str
    member: str | None = None
    member_line: int | None = None
    title: str | None = None
    commitment_id: str | None = None
    title_line: int | None = None
    at_a_glance: dict[str, Field] = field(default_factory=dict)
    policy_areas: list[str] = field(default_factory=list)
    policy_areas_line: int | None = None
    description: str | None = None
    description_lines: tuple[int, int] | None = None
    irm_titles: dict[int, Field] = field(default_factory=dict)
    irm_status: list[IRMStatus] = field(default_factory=list)
    did_it_open_government: dict[str, Field] = field(default_factory=dict)
    entries: list[ListEntry] = field(default_factory=list)
    last_glance_line: int | None = None  # the last line of the At-a-Glance block


def read_ogp_page(path: str | Path) -> OGPPage:
    """Read the text of an OGP commitment page. Raises InputErrors (file, line, what is wrong) when the text
    is not an OGP commitment page, or a value on it cannot be a value of its field."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputErrors([InputError(str(path), None, f"cannot read the file: {exc.strerror or exc}")]) from None
    # Lines end at \n (and \r\n) only: str.splitlines() would also split at \x0b, \x1c, \u2028 ... and
    # number the lines differently from an editor.
    raw_lines = decode_utf8(path, data).replace("\r\n", "\n").split("\n")
    errors = ErrorCollector(path)
    for bad_line, message in control_characters("\n".join(raw_lines)):
        errors.add(bad_line, message)
    page = OGPPage(file=str(path))

    list_start = _find_list(raw_lines)
    top = _unglue(raw_lines[: list_start if list_start is not None else len(raw_lines)])
    _read_heading(top, page)
    if page.member is not None and not _looks_like_member(page.member):
        errors.add(page.member_line, f"the line above the heading, {short_repr(page.member)}, is not a member's name")
        page.member = None
    if page.commitment_id is not None:
        _read_at_a_glance(top, page)
        _read_description(top, page)
        _read_irm(top, page)
    if list_start is not None:
        _read_list(raw_lines, list_start, page, errors)
    if page.commitment_id is None and not page.entries:
        errors.add(
            1,
            "not an OGP commitment page: no heading of the form 'Title (DK0040)' and no list of commitments "
            "('Commitments', then '1. Title' and 'DK0040, 2014, Policy Area')",
        )
    elif page.commitment_id is None and (section := _first_section(top)) is not None:
        # A saved list alone is fine; a page's sections without its heading would lose the page's facts.
        errors.add(
            section[0],
            f"no page heading of the form 'Title (DK0040)' before the page's {short_repr(section[1])}: "
            "its facts cannot be given to a commitment",
        )
    elif page.commitment_id is not None and not page.at_a_glance and not page.policy_areas:
        errors.add(
            page.title_line,
            f"not an OGP commitment page: the heading {short_repr(page.commitment_id)} is followed by none of the "
            "At-a-Glance fields (Action Plan:, Status:, Lead Institution:, IRM Report:, ...)",
        )
    if page.commitment_id is not None:
        check_glance(page.at_a_glance, errors)
    errors.raise_if_any()
    return page


def _first_section(top: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The first line that belongs to a commitment's page (a heading or an At-a-Glance field), if any."""
    return next(((n, t) for n, t in top if t and t != "Commitments" and _is_structure(t)), None)


def _find_list(lines: list[str]) -> int | None:
    """The line of the 'Commitments' heading of the member's list: the heading followed by a numbered item."""
    for i, raw in enumerate(lines):
        if raw.strip() == LIST_HEADING:
            following = next((s.strip() for s in lines[i + 1 : i + 4] if s.strip()), "")
            if re.match(r"^\d+\.\s", following):
                return i
    return None


def _unglue(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) pairs, stripped, with a section heading that a lost line break glued to the end
    of the line before it ("Public ParticipationIRM Review") split off onto its own pair."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        for heading in HEADINGS:
            if text != heading and text.endswith(heading) and not text[: -len(heading)].endswith((" ", ",")):
                out.append((number, text[: -len(heading)].strip()))
                text = heading
                break
        out.append((number, text))
    return out


def _read_heading(top: list[tuple[int, str]], page: OGPPage) -> None:
    for k, (number, text) in enumerate(top):
        m = _HEADING_LINE.match(text)
        if not m or not COMMITMENT_ID_PATTERN.match(m["id"]):
            continue
        page.title, page.commitment_id, page.title_line = m["title"], m["id"], number
        before = [(n, t) for n, t in top[:k] if t]
        if before and before[-1][1] != "Skip Navigation":
            page.member, page.member_line = before[-1][1], before[-1][0]
        return


def _looks_like_member(text: str) -> bool:
    return len(text) <= 80 and ":" not in text and bool(re.fullmatch(r"[^\W\d_][\w .,'’()&-]*", text))


def _read_at_a_glance(top: list[tuple[int, str]], page: OGPPage) -> None:
    """The fields from the heading to the description. "Policy Areas" is a heading with the areas on the
    next line; an empty section is followed directly by the next heading, which is not an area."""
    start = next(k for k, (n, _) in enumerate(top) if n == page.title_line) + 1
    k = start
    while k < len(top):
        number, text = top[k]
        if text in (DESCRIPTION_HEADING, IRM_SUMMARY_HEADING):
            break
        if text == "Policy Areas":
            page.last_glance_line = number
            nxt = next(((n, t) for n, t in top[k + 1 : k + 4] if t), None)
            if nxt and not _is_structure(nxt[1]):
                page.policy_areas = [a.strip() for a in nxt[1].split(",") if a.strip()]
                page.policy_areas_line = nxt[0]
                page.last_glance_line = nxt[0]
                k = top.index(nxt)
            k += 1
            continue
        m = _FIELD_LINE.match(text)
        if m and m["name"] in AT_A_GLANCE_FIELDS:
            page.at_a_glance.setdefault(m["name"], Field(m["value"].strip(), number))
            page.last_glance_line = number
        elif text in HEADINGS:
            page.last_glance_line = number
        elif text and page.last_glance_line is not None and not m:
            break  # the first line of prose after the block: the description (newer pages have no heading)
        k += 1


def _is_structure(text: str) -> bool:
    m = _FIELD_LINE.match(text)
    return (
        text in HEADINGS
        or text in (DESCRIPTION_HEADING, IRM_SUMMARY_HEADING)
        or bool(m and m["name"] in AT_A_GLANCE_FIELDS)
    )


def _read_description(top: list[tuple[int, str]], page: OGPPage) -> None:
    """From the 'Description' heading (or the end of the At-a-Glance block) to the IRM summary or the end."""
    numbers = [n for n, _ in top]
    heading = next((k for k, (_, t) in enumerate(top) if t == DESCRIPTION_HEADING), None)
    if heading is not None:
        start = heading + 1
    elif page.last_glance_line is not None:
        start = len(numbers) - numbers[::-1].index(page.last_glance_line)
    else:
        return
    body: list[tuple[int, str]] = []
    for number, text in top[start:]:
        if text == IRM_SUMMARY_HEADING:
            break
        if text:
            body.append((number, text))
    if body and body[-1][1] == FOOTER:
        body.pop()
    if body:
        page.description = "\n".join(t for _, t in body)
        page.description_lines = (body[0][0], body[-1][0])


def _read_irm(top: list[tuple[int, str]], page: OGPPage) -> None:
    """The IRM block of older pages: 'Commitment 7. Title', then under 'Status' per commitment 'Mid-term: X'
    and 'End of term: Y' each followed by the IRM's reasoning, then 'Did it open government?'."""
    summary = next((k for k, (_, t) in enumerate(top) if t == IRM_SUMMARY_HEADING), None)
    if summary is None:
        return
    current: int | None = None
    in_status = in_diog = False
    pending: list[IRMStatus] = []
    for number, s in top[summary + 1 :]:
        if m := re.match(r"^Commitment (\d{1,6})[.:] (.+)$", s):
            page.irm_titles.setdefault(int(m[1]), Field(m[2], number))
        if s == "Status":
            in_status = True
            continue
        if s.startswith("Did it open government?"):
            in_status, in_diog = False, True
            continue
        if in_diog:
            if m := re.match(r"^(Access to information|Civic Participation|Public Accountability): (.+)$", s, re.I):
                page.did_it_open_government[m[1].lower()] = Field(m[2].strip(), number)
            elif s.startswith("Carried forward"):
                in_diog = False
            continue
        if not in_status:
            continue
        if m := re.match(r"^Commitment (\d{1,6}):$", s):
            current = int(m[1])
        elif (m := re.match(r"^(Mid-term|End of term): (.+)$", s)) and (current or len(page.irm_titles) == 1):
            # A summary of one commitment may give its ratings without a "Commitment 14:" line.
            current = current or next(iter(page.irm_titles))
            phase = "mid-term" if m[1] == "Mid-term" else "end-of-term"
            pending.append(IRMStatus(current, phase, m[2].strip(), number))
        elif s and pending and pending[-1].irm_number == current:
            last = pending[-1]
            pending[-1] = dataclasses.replace(last, comment=(last.comment + "\n" + s).strip())
    page.irm_status = pending


def _read_list(lines: list[str], start: int, page: OGPPage, errors: ErrorCollector) -> None:
    item = re.compile(r"^\s*(\d+)\.\s+(.+?)\s*$")
    info = re.compile(r"^\s*(?P<id>\S+),\s*(?P<year>\d{4}),\s*(?P<area>.+?)\s*$")
    seen: dict[str, int] = {}
    k = start + 1
    while k < len(lines):
        m = item.match(lines[k])
        if not m:
            k += 1
            continue
        if len(m[1]) > 6:
            errors.add(k + 1, f"list item number {short_repr(m[1])} is not a position in the list")
            k += 1
            continue
        j = k + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        n = info.match(lines[j]) if j < len(lines) else None
        if n is None:
            errors.add(k + 1, f"list item {m[1]} has no 'ID, year, policy area' line after its title")
            k += 1
            continue
        cid = n["id"]
        if not COMMITMENT_ID_PATTERN.match(cid):
            errors.add(j + 1, f"malformed commitment id {short_repr(cid)}: expected 2-4 capitals and 4 digits", "id")
        elif not policy_area_key(n["area"]):
            errors.add(j + 1, f"the policy area {short_repr(n['area'])} has no letters or digits", "policy area")
        elif cid in seen:
            errors.add(j + 1, f"duplicate commitment id {cid} (first on line {seen[cid]})", "id")
        else:
            seen[cid] = j + 1
            title = m[2]
            starred = title.startswith(STARRED_PREFIX)
            if starred:
                title = title[len(STARRED_PREFIX) :]
            page.entries.append(ListEntry(int(m[1]), cid, title, int(n["year"]), n["area"], starred, k + 1, j + 1))
        k = j + 1


# --- From what the page says to records ------------------------------------------------------------------

KNOWN_POLICY_AREAS = {slugify(c) for c in POLICY_AREA_COLUMNS} | {
    "e-government",
    "anti-corruption",
    "marginalized-communities",
    "civic-space",
    "legislature",
}


def policy_area_key(name: str) -> str:
    """Concept key of a policy area named on an OGP page. The site has written some names with "and" and the
    export with "&" ("Environment and Climate", "Environment & Climate"): both give the export's key."""
    key = slugify(name)
    if key not in KNOWN_POLICY_AREAS:
        alternative = slugify(re.sub(r"\band\b", " ", name, flags=re.I))
        if alternative in KNOWN_POLICY_AREAS:
            return alternative
    return key


def not_known(value: str | None) -> bool:
    return value is None or value.strip().lower() in PLACEHOLDERS


OGP_VALUES = {
    "access to information": "access-to-information",
    "civic participation": "civic-participation",
    "public accountability": "public-accountability",
    "technology and innovation for transparency and accountability": "technology-and-innovation",
    "technology and innovation": "technology-and-innovation",
    "technology": "technology-and-innovation",
}
RELEVANCE_WORDS = {"yes": "relevant", "relevant": "relevant", "no": "not-relevant", "not relevant": "not-relevant"}
# The names of the values, longest first, so that a list the site printed without commas
# ("Access to Information Technology") still splits into its values.
_OGP_VALUE_NAMES = re.compile(
    "|".join(re.escape(name) for name in sorted(OGP_VALUES, key=len, reverse=True)), flags=re.IGNORECASE
)

# Kinds of IRM report, recognised from the report's name: (words in the name, kind, methodology). The 2021
# methodology ("refresh") has the action plan review (design) and the results report; the classic one had
# the progress report, from 2018 named design report (design) and end-of-term, later implementation, report.
REPORT_NAMES = (
    ("action plan review", "action-plan-review", "refresh-2021"),
    ("results report", "results-report", "refresh-2021"),
    ("end-of-term", "end-of-term-report", "classic"),
    ("end of term", "end-of-term-report", "classic"),
    ("implementation report", "end-of-term-report", "classic"),
    ("progress report", "progress-report", "classic"),
    ("mid-term", "progress-report", "classic"),
    ("midterm", "progress-report", "classic"),
    ("design report", "progress-report", "classic"),
)
DESIGN_KINDS = {"progress-report", "action-plan-review"}
METHODOLOGY_OF = {kind: methodology for _, kind, methodology in REPORT_NAMES}
REPORT_LABELS = {
    "progress-report": "IRM progress report",
    "end-of-term-report": "IRM end-of-term report",
    "action-plan-review": "IRM action plan review",
    "results-report": "IRM results report",
}

# At-a-Glance field -> (criterion, phase of the report it is from). "Early Results" shows the end-of-term
# "Did it open government?" rating on classic pages, and the early-results rating of a results report; the
# site's value says which ("Marginal" is a DIOG value, "Moderate" an early-results one).
GLANCE_CRITERIA = {
    "Verifiable": ("verifiability", "design"),
    "Specificity": ("specificity", "design"),
    "Potential Impact": ("potential-impact", "design"),
    "Potential for Results": ("potential-for-results", "design"),
    # The OGP's high/low rating of the design (its glossary: judged by potential impact or, from 2020, by
    # potential for results); some pages write the field without the link text.
    "Ambition (see definition)": ("ambition", "design"),
    "Ambition": ("ambition", "design"),
    "Completion": ("completion", "results"),
    "Starred": ("starred", "results"),
    "Early Results": ("early-results", "results"),
}
# Ratings the IRM also gave in the design-phase report of the classic methodology: on a page that names
# only that report, they are from it.
ALSO_IN_DESIGN = {"completion", "starred"}


@dataclass(frozen=True)
class GlanceFacts:
    """What the At-a-Glance fields say, as record fields (absent where the page shows a placeholder)."""

    action_plan: ActionPlan | None
    status: str | None
    lead_institutions: tuple[str, ...]
    supporting_text: str | None
    policy_areas: tuple[str, ...]
    ogp_values: tuple[str, ...]
    reports: tuple[IRMReport, ...]
    assessments: tuple[Assessment, ...]


def _scale_key(scale_name: str, raw: str) -> str | None:
    scale = SCALES[scale_name]
    wanted = raw.strip().lower()
    key = next((key for label, key in scale.items() if label.lower() == wanted), None)
    if key is None:
        # The site prints some values twice ("Did Not Change Did Not Change", "Major Major").
        words = raw.split()
        half = len(words) // 2
        if half and len(words) % 2 == 0 and words[:half] == words[half:]:
            return _scale_key(scale_name, " ".join(words[:half]))
    return key


def _rating(criterion: str, raw: str) -> tuple[str, str] | None:
    """(criterion, value key) for a rating as the page writes it, or None if it is no value of the scale."""
    if criterion == "early-results":
        if (key := _scale_key("early-results", raw)) is not None:
            return "early-results", key
        criterion = "did-it-open-government"
    if criterion == "relevance":
        key = RELEVANCE_WORDS.get(raw.strip().lower())
        return ("relevance", key) if key else None
    key = _scale_key(criterion, raw)
    return (criterion, key) if key is not None else None


def ogp_values(text: str) -> tuple[list[str], str]:
    """The OGP values a "Relevant to OGP Values" line names, and what is left that names none."""
    found = [OGP_VALUES[m.lower()] for m in _OGP_VALUE_NAMES.findall(text)]
    rest = _OGP_VALUE_NAMES.sub(" ", text)
    rest = re.sub(r"[\s,;&]+|\band\b", " ", rest, flags=re.IGNORECASE).strip()
    return list(dict.fromkeys(found)), rest


def check_glance(glance: dict[str, Field], errors: ErrorCollector) -> None:
    """Errors for values that cannot be values of their field (placeholders are fine: not known)."""
    cycle = glance.get("Action Plan Cycle")
    if cycle and not not_known(cycle.value) and not re.fullmatch(r"(19|20)\d\d", cycle.value):
        errors.add(cycle.line, f"the action plan cycle {short_repr(cycle.value)} is not a year", "Action Plan Cycle")
    status = glance.get("Status")
    if status and not not_known(status.value) and status.value.lower() not in ("active", "inactive"):
        errors.add(status.line, f"the status {short_repr(status.value)} is not Active or Inactive", "Status")
    relevant = glance.get("Relevant to OGP Values")
    if relevant and not not_known(relevant.value) and relevant.value.strip().lower() not in RELEVANCE_WORDS:
        _, rest = ogp_values(relevant.value)
        if rest:
            errors.add(relevant.line, f"{short_repr(rest)} is not an OGP value", "Relevant to OGP Values")
    for name, (criterion, _phase) in GLANCE_CRITERIA.items():
        f = glance.get(name)
        if f is None or not_known(f.value) or _rating(criterion, f.value) is not None:
            continue
        scales = ["early-results", "did-it-open-government"] if criterion == "early-results" else [criterion]
        allowed = ", ".join(sorted({label for s in scales for label in SCALES[s]}))
        errors.add(f.line, f"{short_repr(f.value)} is not a value of the IRM {criterion} scale ({allowed})", name)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def report_key(name: str) -> str:
    """The key of a report named on a page: "Design Report 2017–2019" and "2017-2019" are one report."""
    return slugify(re.sub(r"[\u2010-\u2015]", "-", name))


def minted_report_key(plan: ActionPlan, kind: str) -> str:
    """The key of a plan's report of a kind whose name no source gives."""
    return f"{plan.key}-{kind}"


def report_kind(name: str) -> str | None:
    """The kind of IRM report a report's name says ("Denmark Design Report 2019-2021" → progress-report)."""
    lowered = name.lower()
    return next((kind for words, kind, _ in REPORT_NAMES if words in lowered), None)


def glance_facts(
    glance: dict[str, Field],
    policy_areas: list[str],
    country: Country | None,
    source: SourceRef,
    known_plan: ActionPlan | None = None,
) -> GlanceFacts:
    """The record fields the At-a-Glance values give (``check_glance`` has rejected impossible values).

    Each rating goes under the report of its phase that the page names: design ratings under the progress
    or design report or the action plan review, results ratings under the end-of-term, implementation or
    results report. Where the page names none of that phase, the rating goes under that phase's report on
    the action plan (named after the plan, as the export converter names reports), and without an action
    plan it is not known which report gave it: it is left out. ``known_plan`` replaces the page's plan
    where the commitment's plan is known by its OGP id (the page names plans by title only)."""

    def value(name: str) -> str | None:
        f = glance.get(name)
        return None if f is None or not_known(f.value) else f.value.strip()

    plan = known_plan  # the plan the commitment is known to be in (curated data), whatever the page calls it
    if plan is None and (plan_name := value("Action Plan")) is not None:
        cycle = value("Action Plan Cycle")
        plan = ActionPlan(
            slugify(plan_name), plan_name, country=country, cycle_year=int(cycle) if cycle else None, source=source
        )
    reports = [
        IRMReport(report_key(name), name, report_kind(name) or "", plan.key if plan else None, None, source)
        for name in _split(value("IRM Report") or "")
    ]
    named = [r for r in reports if r.kind]
    refresh = any(METHODOLOGY_OF[r.kind] == "refresh-2021" for r in named) or value("Potential for Results")

    def report_for(criterion: str, phase: str) -> IRMReport | None:
        of_phase = [r for r in named if (r.kind in DESIGN_KINDS) == (phase == "design")]
        if of_phase:
            return of_phase[0]
        if criterion in ALSO_IN_DESIGN and not refresh and (design := [r for r in named if r.kind in DESIGN_KINDS]):
            return design[0]
        if plan is None:
            return None
        kind = {
            ("design", False): "progress-report",
            ("results", False): "end-of-term-report",
            ("design", True): "action-plan-review",
            ("results", True): "results-report",
        }[(phase, bool(refresh))]
        label = f"{REPORT_LABELS[kind]} on {plan.label}"
        return IRMReport(minted_report_key(plan, kind), label, kind, plan.key, None, source)

    assessments = []
    for name, (criterion, phase) in GLANCE_CRITERIA.items():
        raw = value(name)
        rating = _rating(criterion, raw) if raw is not None else None
        report = report_for(criterion, phase) if rating else None
        if rating and report:
            methodology = METHODOLOGY_OF[report.kind]
            assessments.append(Assessment(*rating, methodology, report, _at(source, glance[name].line)))
    values: list[str] = []
    relevant = value("Relevant to OGP Values")
    if relevant is not None and (design := report_for("relevance", "design")) is not None:
        values = [] if relevant.lower() in RELEVANCE_WORDS else ogp_values(relevant)[0]
        rating = RELEVANCE_WORDS.get(relevant.lower(), "relevant")
        line = glance["Relevant to OGP Values"].line
        assessments.append(Assessment("relevance", rating, METHODOLOGY_OF[design.kind], design, _at(source, line)))
    status = value("Status")
    lead = value("Lead Institution")
    return GlanceFacts(
        action_plan=plan,
        status=status.lower() if status else None,
        lead_institutions=(lead,) if lead else (),
        supporting_text=value("Support Institution(s)"),
        policy_areas=tuple(dict.fromkeys(policy_area_key(a) for a in policy_areas if policy_area_key(a))),
        ogp_values=tuple(values),
        reports=tuple(reports),
        assessments=tuple(assessments),
    )


def _at(source: SourceRef, line: int | None) -> SourceRef:
    """The excerpt of one field: the page's line where the page is a file, else the block's locator."""
    if line is None or source.first_line is None:
        return source
    return SourceRef(source.document, line, line, source.section)


def page_country(page: OGPPage) -> Country | None:
    """The member: by its name on the page, else by the commitment id's prefix (DK0040 → Denmark)."""
    known = member_by_name(page.member) if page.member else None
    if known is None and page.commitment_id:
        known = member_by_prefix(page.commitment_id)
    if known is None and page.entries:
        known = member_by_prefix(page.entries[0].id)
    if known is None and page.member:
        return Country(slugify(page.member).upper(), page.member)
    return known


def page_url(country: Country | None, commitment_id: str) -> str | None:
    if country is None:
        return None
    return f"https://www.opengovpartnership.org/members/{slugify(country.name)}/commitments/{commitment_id}/"


def page_commitments(page: OGPPage, document: str) -> list[Commitment]:
    """The commitments the page gives, as the export reader gives them: those of the list, and the page's
    own commitment with every At-a-Glance fact, its IRM assessments under the reports the page names."""
    country = page_country(page)
    out: dict[str, Commitment] = {}
    for entry in page.entries:
        out[entry.id] = Commitment(
            id=entry.id,
            title=entry.title,
            source=SourceRef(document, entry.line, entry.last_line, f"Commitments, item {entry.position}"),
            country=country,
            policy_areas=(policy_area_key(entry.policy_area),),
            starred=entry.starred,
            page_url=page_url(country, entry.id),
        )
    if page.commitment_id is None or page.title is None:
        return [out[k] for k in sorted(out)]
    cid = page.commitment_id
    glance_end = page.last_glance_line or page.title_line
    glance_source = SourceRef(document, page.title_line, glance_end, PAGE_SECTION)
    facts = glance_facts(page.at_a_glance, page.policy_areas, country, glance_source)
    listed = out.get(cid)
    extra = []
    if page.description_lines:
        extra.append(SourceRef(document, *page.description_lines, "Description"))
    own = Commitment(
        id=cid,
        title=page.title,
        source=glance_source,
        extra_sources=tuple(extra) + ((listed.source,) if listed else ()),
        description=page.description,
        country=country,
        action_plan=facts.action_plan,
        status=facts.status,
        lead_institutions=facts.lead_institutions,
        supporting_text=facts.supporting_text,
        policy_areas=tuple(dict.fromkeys((*(listed.policy_areas if listed else ()), *facts.policy_areas))),
        ogp_values=facts.ogp_values,
        starred=listed.starred if listed else None,
        page_url=page_url(country, cid),
        assessments=facts.assessments + _summary_assessments(page, facts, document),
    )
    if listed and listed.title != page.title:
        own = dataclasses.replace(own, short_title=listed.title)
    out[cid] = own
    return [out[k] for k in sorted(out)]


def _summary_assessments(page: OGPPage, facts: GlanceFacts, document: str) -> tuple[Assessment, ...]:
    """The completion ratings and "Did it open government?" of the IRM end-of-term summary, for the page's
    own commitment: the summary's only commitment, or the one whose title shares most words with the page's."""
    number = _own_irm_number(page)
    if number is None:
        return ()
    by_kind = {r.kind: r for r in facts.reports}
    owner = facts.action_plan.key if facts.action_plan else slugify(page.commitment_id or "")
    label = facts.action_plan.label if facts.action_plan else page.commitment_id

    def report(kind: str) -> IRMReport:
        return by_kind.get(kind) or IRMReport(
            f"{owner}-{kind}", f"{REPORT_LABELS[kind]} on {label}", kind, owner if facts.action_plan else None
        )

    out = []
    for status in page.irm_status:
        if status.irm_number != number:
            continue
        value = _scale_key("completion", status.value)
        if value is None:
            continue
        kind = "progress-report" if status.phase == "mid-term" else "end-of-term-report"
        section = f"IRM summary, Commitment {number}, {'Mid-term' if status.phase == 'mid-term' else 'End of term'}"
        out.append(
            Assessment(
                "completion",
                value,
                "classic",
                report(kind),
                SourceRef(document, status.line, status.line, section),
                status.comment or None,
            )
        )
    for dimension, f in page.did_it_open_government.items():
        value = _scale_key("did-it-open-government", f.value)
        if value is not None:
            criterion = "did-it-open-government-" + slugify(dimension)
            source = SourceRef(document, f.line, f.line, "IRM summary, Did it open government?")
            out.append(Assessment(criterion, value, "classic", report("end-of-term-report"), source))
    return tuple(out)


def _own_irm_number(page: OGPPage) -> int | None:
    numbers = sorted({s.irm_number for s in page.irm_status} | set(page.irm_titles))
    if len(numbers) == 1:
        return numbers[0]
    words = set(re.findall(r"\w{4,}", (page.title or "").lower()))

    def overlap(n: int) -> float:
        theirs = set(re.findall(r"\w{4,}", page.irm_titles[n].value.lower())) if n in page.irm_titles else set()
        return len(words & theirs) / max(1, len(words | theirs))

    # A third of the words in common is a match (the IRM reworded titles, "Modernisation" → "Modernization");
    # a tie is no match: the ratings would go to a commitment by chance.
    ranked = sorted(numbers, key=overlap, reverse=True)
    if ranked and overlap(ranked[0]) >= 0.3 and (len(ranked) == 1 or overlap(ranked[1]) < overlap(ranked[0])):
        return ranked[0]
    return None
