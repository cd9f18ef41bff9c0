"""Reader for the text of an OGP commitment page (the layout of seed 001): the page's own commitment with
its at-a-glance and IRM blocks, and the list of the member's commitments at the foot of the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.iris import COMMITMENT_ID_PATTERN, slugify
from govgraph.safety import control_characters, decode_utf8, short_repr

STARRED_PREFIX = "Starred commitment "
AT_A_GLANCE_FIELDS = {
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
    "Potential Impact",
    "Completion",
}


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


def read_ogp_page(path: str | Path) -> OGPPage:
    """Read the text of an OGP commitment page. Raises InputErrors listing every problem with its line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputErrors([InputError(str(path), None, f"cannot read the file: {exc.strerror or exc}")]) from None
    # Lines end at \n (and \r\n) only: str.splitlines() would also split at \x0b, \x1c, \u2028 ... and
    # number the lines differently from an editor.
    lines = decode_utf8(path, data).replace("\r\n", "\n").split("\n")
    errors = ErrorCollector(path)
    for bad_line, message in control_characters("\n".join(lines)):
        errors.add(bad_line, message)
    page = OGPPage(file=str(path))

    heading = re.compile(r"^(?P<title>.+) \((?P<id>[A-Z]{2,4}\d{4})\)$")
    list_start = _find(lines, "Commitments", exact=True)
    top = lines[: list_start if list_start is not None else len(lines)]
    for i, raw in enumerate(top, start=1):
        s = raw.strip()
        if page.commitment_id is None and (m := heading.match(s)):
            page.title, page.commitment_id, page.title_line = m["title"], m["id"], i
            if i >= 2 and lines[i - 2].strip() and lines[i - 2].strip() != "Skip Navigation":
                page.member = lines[i - 2].strip()
            elif i >= 3:
                page.member = lines[i - 3].strip() or None
            continue
        if (m := re.match(r"^([A-Za-z() /-]+?):\s*(.*)$", s)) and m[1] in AT_A_GLANCE_FIELDS and not page.description:
            page.at_a_glance.setdefault(m[1], Field(m[2].strip(), i))
    if page.commitment_id is None:
        errors.add(None, "no page heading of the form 'Title (DK0040)' before the commitment list")
    if page.member is not None and not re.fullmatch(r"[A-Za-z]{3}", page.member[:3]):
        # The member's code is made from the first three letters of its name (Denmark → DEN).
        errors.add(page.title_line, f"the member name {short_repr(page.member)} does not start with three letters")
        page.member = None

    _read_policy_areas(lines, page)
    if any(not policy_area_key(area) for area in page.policy_areas):
        errors.add(page.policy_areas_line, "a policy area has no letters or digits", "Policy Areas")
        page.policy_areas = [area for area in page.policy_areas if policy_area_key(area)]
    _read_description(lines, page)
    _read_irm(lines, page)
    if list_start is not None:
        _read_list(lines, list_start, page, errors)
    else:
        errors.add(None, "no 'Commitments' list on the page")
    errors.raise_if_any()
    return page


def _find(lines: list[str], text: str, start: int = 0, exact: bool = False) -> int | None:
    for i in range(start, len(lines)):
        s = lines[i].strip()
        if (s == text) if exact else s.startswith(text):
            return i
    return None


def _read_policy_areas(lines: list[str], page: OGPPage) -> None:
    i = _find(lines, "Policy Areas", exact=True)
    if i is None:
        return
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j].strip():
            page.policy_areas = [p.strip() for p in lines[j].split(",") if p.strip()]
            page.policy_areas_line = j + 1
            return


def _read_description(lines: list[str], page: OGPPage) -> None:
    start = _find(lines, "Description", exact=True)
    if start is None:
        return
    end = _find(lines, "IRM ", start + 1)
    end = end if end is not None else len(lines)
    body = [(k + 1, lines[k].strip()) for k in range(start + 1, end) if lines[k].strip()]
    if body:
        page.description = "\n".join(t for _, t in body)
        page.description_lines = (body[0][0], body[-1][0])


def _read_irm(lines: list[str], page: OGPPage) -> None:
    """The IRM block: 'Commitment 7. Title', then under 'Status' per commitment 'Mid-term: X' and
    'End of term: Y' each followed by the IRM's reasoning, then 'Did it open government?'."""
    summary = _find(lines, "IRM End of Term Status Summary", exact=True)
    if summary is None:
        return
    current: int | None = None
    in_status = False
    pending: list[IRMStatus] = []
    diog_start = _find(lines, "Did it open government?", summary)
    stop = _find(lines, "Commitments", summary, exact=True) or len(lines)
    for k in range(summary + 1, stop):
        s = lines[k].strip()
        if m := re.match(r"^Commitment (\d{1,6})\. (.+)$", s):
            page.irm_titles.setdefault(int(m[1]), Field(m[2], k + 1))
        if s == "Status":
            in_status = True
            continue
        if diog_start is not None and k >= diog_start:
            in_status = False
            if m := re.match(r"^(Access to information|Civic Participation|Public Accountability): (.+)$", s):
                page.did_it_open_government[m[1]] = Field(m[2], k + 1)
            continue
        if not in_status:
            continue
        if m := re.match(r"^Commitment (\d{1,6}):$", s):
            current = int(m[1])
        elif (m := re.match(r"^(Mid-term|End of term): (.+)$", s)) and current is not None:
            phase = "mid-term" if m[1] == "Mid-term" else "end-of-term"
            pending.append(IRMStatus(current, phase, m[2].strip(), k + 1))
        elif s and pending and pending[-1].irm_number == current:
            last = pending[-1]
            pending[-1] = IRMStatus(
                last.irm_number, last.phase, last.value, last.line, (last.comment + "\n" + s).strip()
            )
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


def policy_area_key(name: str) -> str:
    """Concept key of a policy area named on an OGP page ("E-Government" -> "e-government")."""
    return slugify(name)
