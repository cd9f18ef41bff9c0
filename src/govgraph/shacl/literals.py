"""Literal values: is a literal well-typed for its XSD datatype (sh:datatype), and how do two literals compare
under SPARQL's `<` and `<=` (sh:minInclusive ... sh:lessThanOrEquals)?

Comparison follows SPARQL 1.1 operator mapping: numbers with numbers, strings with strings, booleans with
booleans, and date/time values of one type with each other (XSD order, where a value with a timezone and one
without are only ordered if they are more than 14 hours apart). Anything else, and any ill-typed literal, is
a type error: the comparison does not return true, so the constraint reports the value."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

_TZ = r"(Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_FLOAT = re.compile(r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF)|NaN")
_DATE_TIME = re.compile(rf"({_YEAR})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d+)?){_TZ}")
_DATE = re.compile(rf"({_YEAR})-(\d\d)-(\d\d){_TZ}")
_TIME = re.compile(rf"(\d\d):(\d\d):(\d\d(?:\.\d+)?){_TZ}")
_G_YEAR = re.compile(rf"({_YEAR}){_TZ}")
_G_YEAR_MONTH = re.compile(rf"({_YEAR})-(\d\d){_TZ}")
_G_MONTH = re.compile(rf"--(\d\d){_TZ}")
_G_DAY = re.compile(rf"---(\d\d){_TZ}")
_G_MONTH_DAY = re.compile(rf"--(\d\d)-(\d\d){_TZ}")
_DURATION = re.compile(r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?")
_DAY_TIME_DURATION = re.compile(r"-?P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?")
_YEAR_MONTH_DURATION = re.compile(r"-?P(?=\d)(?:\d+Y)?(?:\d+M)?")
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_NAME_START = r":A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"  # noqa: E501
_NAME_CHAR = _NAME_START + r"\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"
_NAME = re.compile(rf"[{_NAME_START}][{_NAME_CHAR}]*")
_NCNAME = re.compile(rf"[{_NAME_START.replace(':', '')}][{_NAME_CHAR.replace(':', '')}]*")
_NMTOKEN = re.compile(rf"[{_NAME_CHAR}]+")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")
_BASE64 = re.compile(
    r"(?:(?:[A-Za-z0-9+/] ?){4})*(?:(?:[A-Za-z0-9+/] ?){3}[A-Za-z0-9+/]|(?:[A-Za-z0-9+/] ?){2}[AEIMQUYcgkosw048] ?="
    r"|[A-Za-z0-9+/] ?[AQgw] ?= ?=)?"
)

# Integer types and their inclusive bounds (None: unbounded).
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _valid_time(hour: str, minute: str, second: str) -> bool:
    h, m, s = int(hour), int(minute), Decimal(second)
    if h == 24:
        return m == 0 and s == 0
    return h < 24 and m < 60 and s < 60


def _valid_date(year: str, month: str, day: str) -> bool:
    y, m, d = int(year), int(month), int(day)
    # XSD 1.1: year 0000 is allowed (it is 1 BCE); leap years use the proleptic Gregorian rule on y.
    return 1 <= m <= 12 and 1 <= d <= _days_in_month(y, m)


def _well_typed(lexical: str, local: str) -> bool:
    if local in _INTEGER_RANGES:
        if not _INTEGER.fullmatch(lexical):
            return False
        low, high = _INTEGER_RANGES[local]
        value = int(lexical)
        return (low is None or value >= low) and (high is None or value <= high)
    if local == "decimal":
        return bool(_DECIMAL.fullmatch(lexical))
    if local in ("float", "double"):
        return bool(_FLOAT.fullmatch(lexical))
    if local == "boolean":
        return lexical in ("true", "false", "1", "0")
    if local in ("dateTime", "dateTimeStamp"):
        m = _DATE_TIME.fullmatch(lexical)
        if not m or (local == "dateTimeStamp" and not m[7]):
            return False
        return _valid_date(m[1], m[2], m[3]) and _valid_time(m[4], m[5], m[6])
    if local == "date":
        m = _DATE.fullmatch(lexical)
        return bool(m) and _valid_date(m[1], m[2], m[3])
    if local == "time":
        m = _TIME.fullmatch(lexical)
        return bool(m) and _valid_time(m[1], m[2], m[3])
    if local == "gYear":
        return bool(_G_YEAR.fullmatch(lexical))
    if local == "gYearMonth":
        m = _G_YEAR_MONTH.fullmatch(lexical)
        return bool(m) and 1 <= int(m[2]) <= 12
    if local == "gMonth":
        m = _G_MONTH.fullmatch(lexical)
        return bool(m) and 1 <= int(m[1]) <= 12
    if local == "gDay":
        m = _G_DAY.fullmatch(lexical)
        return bool(m) and 1 <= int(m[1]) <= 31
    if local == "gMonthDay":
        m = _G_MONTH_DAY.fullmatch(lexical)
        return bool(m) and 1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= _days_in_month(2000, int(m[1]))
    if local == "duration":
        return bool(_DURATION.fullmatch(lexical))
    if local == "dayTimeDuration":
        return bool(_DAY_TIME_DURATION.fullmatch(lexical))
    if local == "yearMonthDuration":
        return bool(_YEAR_MONTH_DURATION.fullmatch(lexical))
    if local == "language":
        return bool(_LANGUAGE.fullmatch(lexical))
    if local == "normalizedString":
        return not any(c in lexical for c in "\r\n\t")
    if local == "token":
        return not any(c in lexical for c in "\r\n\t") and lexical == lexical.strip() and "  " not in lexical
    if local == "Name":
        return bool(_NAME.fullmatch(lexical))
    if local in ("NCName", "ID", "IDREF", "ENTITY"):
        return bool(_NCNAME.fullmatch(lexical))
    if local == "NMTOKEN":
        return bool(_NMTOKEN.fullmatch(lexical))
    if local == "hexBinary":
        return bool(_HEX.fullmatch(lexical))
    if local == "base64Binary":
        return bool(_BASE64.fullmatch(lexical))
    return True  # xsd:string, xsd:anyURI and datatypes SPARQL does not know


def is_well_typed(literal: ox.Literal) -> bool:
    """False for an ill-typed literal ("abc"^^xsd:integer, "300"^^xsd:byte); True for any other literal."""
    datatype = literal.datatype.value
    if datatype.startswith(XSD):
        return _well_typed(literal.value, datatype[len(XSD) :])
    if datatype == RDF + "langString":
        return literal.language is not None
    return True


# ------------------------------------------------------------------ comparison

_NUMERIC = {"decimal", "float", "double", *_INTEGER_RANGES}
_TEMPORAL = {"dateTime", "dateTimeStamp", "date", "time", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay"}
_FOURTEEN_HOURS = 14 * 3600


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar, for any year."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _tz_minutes(tz: str | None) -> int | None:
    if not tz:
        return None
    if tz == "Z":
        return 0
    sign = -1 if tz[0] == "-" else 1
    return sign * (int(tz[1:3]) * 60 + int(tz[4:6]))


def _temporal_key(lexical: str, local: str) -> tuple[str, Decimal, bool] | None:
    """A point on the time line (seconds, shifted to UTC when there is a timezone) and whether it has one.

    Missing fields take XSD's reference values (year 1972, January, the first, midnight), so that values of
    one type compare as XSD orders them."""
    year, month, day, hour, minute, second, tz = 1972, 12, 31, 0, 0, Decimal(0), None
    if local in ("dateTime", "dateTimeStamp"):
        m = _DATE_TIME.fullmatch(lexical)
        year, month, day, hour, minute, second, tz = int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), m[6], m[7]
        second = Decimal(second)
    elif local == "date":
        m = _DATE.fullmatch(lexical)
        year, month, day, tz = int(m[1]), int(m[2]), int(m[3]), m[4]
    elif local == "time":
        m = _TIME.fullmatch(lexical)
        hour, minute, second, tz = int(m[1]), int(m[2]), Decimal(m[3]), m[4]
    elif local == "gYear":
        m = _G_YEAR.fullmatch(lexical)
        year, month, day, tz = int(m[1]), 1, 1, m[2]
    elif local == "gYearMonth":
        m = _G_YEAR_MONTH.fullmatch(lexical)
        year, month, day, tz = int(m[1]), int(m[2]), 1, m[3]
    elif local == "gMonth":
        m = _G_MONTH.fullmatch(lexical)
        month, day, tz = int(m[1]), 1, m[2]
    elif local == "gDay":
        m = _G_DAY.fullmatch(lexical)
        month, day, tz = 12, int(m[1]), m[2]
    elif local == "gMonthDay":
        m = _G_MONTH_DAY.fullmatch(lexical)
        month, day, tz = int(m[1]), int(m[2]), m[3]
    seconds = Decimal(_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60) + second
    offset = _tz_minutes(tz)
    if offset is not None:
        seconds -= offset * 60
    # dateTime and dateTimeStamp share one value space; the other types each have their own.
    family = "dateTime" if local == "dateTimeStamp" else local
    return family, seconds, offset is not None


def _comparable(literal: ox.Literal) -> tuple[str, object, bool] | None:
    """(family, value, has timezone) for a literal SPARQL can order; None when it cannot be ordered."""
    datatype = literal.datatype.value
    lexical = literal.value
    if datatype == XSD + "string":
        return "string", lexical, False
    if not datatype.startswith(XSD):
        return None
    local = datatype[len(XSD) :]
    if not _well_typed(lexical, local):
        return None
    if local in _NUMERIC:
        if local in ("float", "double"):
            text = lexical.replace("INF", "inf")
            return "number", float(text), False
        try:
            return "number", Decimal(lexical), False
        except InvalidOperation:
            return None
    if local == "boolean":
        return "boolean", lexical in ("true", "1"), False
    if local in _TEMPORAL:
        return _temporal_key(lexical, local)
    return None


_CACHE: dict[ox.Literal, tuple | None] = {}


def _key(term) -> tuple | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return _CACHE[term]
    except KeyError:
        if len(_CACHE) > 200_000:
            _CACHE.clear()
        found = _CACHE[term] = _comparable(term)
        return found


def compare(a, b) -> int | None:
    """-1, 0 or 1 when SPARQL orders the two terms; None for a type error or an indeterminate order."""
    ka, kb = _key(a), _key(b)
    if ka is None or kb is None or ka[0] != kb[0]:
        return None
    va, vb = ka[1], kb[1]
    if ka[0] == "number" and (isinstance(va, float) or isinstance(vb, float)):
        va, vb = float(va), float(vb)
        if math.isnan(va) or math.isnan(vb):
            return None
    if ka[2] != kb[2]:
        # One value has a timezone, the other not: ordered only when they are more than 14 hours apart.
        zoned, local, sign = (va, vb, 1) if ka[2] else (vb, va, -1)
        if zoned < local - _FOURTEEN_HOURS:
            return -sign
        if zoned > local + _FOURTEEN_HOURS:
            return sign
        return None
    return (va > vb) - (va < vb)


def less_than(a, b) -> bool:
    """SPARQL `a < b` returns true."""
    return compare(a, b) == -1


def less_or_equal(a, b) -> bool:
    """SPARQL `a <= b` returns true."""
    return compare(a, b) in (-1, 0)
