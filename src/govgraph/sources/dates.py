"""Reading the many ways the OGP data writes a date."""

from __future__ import annotations

import datetime as dt
import re

from govgraph.records import DateValue

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str) -> DateValue:
    """Read a date as precisely as it is written; keep the original wording in every case.

    Handles ISO dates, M/D/YYYY (the export's own form), D/M/YYYY when the day is > 12, two-digit years,
    "April 2012", "2012", Excel serial numbers ("43525"), and Excel's year-as-serial damage
    ("7/15/1905" is the year 2023 read as a day number). Anything else ("Underway", "I quarter of 2021")
    gives a DateValue with no lexical form: published as text only, never guessed.
    """
    s = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s):
        return _checked(s, int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", s):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year += 2000
        if year < 1910:  # Excel stored a year as a day number and showed it as a 1905 date.
            serial = (dt.date(year, a, b) - _EXCEL_EPOCH).days if a <= 12 else None
            if serial is not None and 1990 <= serial <= 2100:
                return DateValue(s, str(serial), "gYear", "Excel damage: the year was stored as a day number")
            return DateValue(s, note="not a plausible date")
        if a > 12 >= b:
            return _checked(s, year, b, a, "day/month/year order")
        note = "read as month/day/year, the export's usual order" if b <= 12 and a != b else None
        return _checked(s, year, a, b, note)
    if m := re.fullmatch(r"([A-Za-z]+)\s+(\d{4})", s):
        month = _MONTHS.get(m[1].lower())
        if month:
            return DateValue(s, f"{int(m[2]):04d}-{month:02d}", "gYearMonth")
    if re.fullmatch(r"\d{4}", s) and 1900 <= int(s) <= 2100:
        return DateValue(s, s, "gYear")
    if re.fullmatch(r"\d{5}", s):  # an Excel serial day number
        day = _EXCEL_EPOCH + dt.timedelta(days=int(s))
        if 1990 <= day.year <= 2100:
            return DateValue(s, day.isoformat(), "date", "Excel serial day number")
    return DateValue(s, note="not a date")


def _checked(original: str, year: int, month: int, day: int, note: str | None = None) -> DateValue:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return DateValue(original, note="impossible date")
    return DateValue(original, value.isoformat(), "date", note)
