"""The OGP's national members: the prefix of their commitment ids, their code (ISO 3166 alpha-3, as the OGP
export writes it), their name as the OGP website writes it and their OGP region.

A commitment page names its member only in a line a saved page may lack; the commitment id's prefix (the
member's ISO 3166 alpha-2 code, "UK" for the United Kingdom) still says whose it is, so that a page and the
export give the same member resource (id/member/dnk).
"""

from __future__ import annotations

from govgraph.iris import slugify
from govgraph.records import Country

_E, _AM, _AF, _AS = "europe", "americas", "africa-and-the-middle-east", "asia-and-the-pacific"
MEMBERS: tuple[tuple[str, str, str, str], ...] = (
    ("AF", "AFG", "Afghanistan", _AS),
    ("AL", "ALB", "Albania", _E),
    ("AR", "ARG", "Argentina", _AM),
    ("AM", "ARM", "Armenia", _E),
    ("AU", "AUS", "Australia", _AS),
    ("AZ", "AZE", "Azerbaijan", _E),
    ("BA", "BIH", "Bosnia and Herzegovina", _E),
    ("BF", "BFA", "Burkina Faso", _AF),
    ("BG", "BGR", "Bulgaria", _E),
    ("BJ", "BEN", "Benin", _AF),
    ("BR", "BRA", "Brazil", _AM),
    ("CA", "CAN", "Canada", _AM),
    ("CI", "CIV", "Côte d'Ivoire", _AF),
    ("CL", "CHL", "Chile", _AM),
    ("CO", "COL", "Colombia", _AM),
    ("CR", "CRI", "Costa Rica", _AM),
    ("CV", "CPV", "Cabo Verde", _AF),
    ("CZ", "CZE", "Czech Republic", _E),
    ("DE", "DEU", "Germany", _E),
    ("DK", "DNK", "Denmark", _E),
    ("DO", "DOM", "Dominican Republic", _AM),
    ("EC", "ECU", "Ecuador", _AM),
    ("EE", "EST", "Estonia", _E),
    ("ES", "ESP", "Spain", _E),
    ("FI", "FIN", "Finland", _E),
    ("FR", "FRA", "France", _E),
    ("GE", "GEO", "Georgia", _E),
    ("GH", "GHA", "Ghana", _AF),
    ("GR", "GRC", "Greece", _E),
    ("GT", "GTM", "Guatemala", _AM),
    ("HN", "HND", "Honduras", _AM),
    ("HR", "HRV", "Croatia", _E),
    ("HU", "HUN", "Hungary", _E),
    ("ID", "IDN", "Indonesia", _AS),
    ("IE", "IRL", "Ireland", _E),
    ("IL", "ISR", "Israel", _E),
    ("IT", "ITA", "Italy", _E),
    ("JM", "JAM", "Jamaica", _AM),
    ("JO", "JOR", "Jordan", _AF),
    ("KE", "KEN", "Kenya", _AF),
    ("KG", "KGZ", "Kyrgyz Republic", _AS),
    ("KR", "KOR", "Republic of Korea", _AS),
    ("LK", "LKA", "Sri Lanka", _AS),
    ("LR", "LBR", "Liberia", _AF),
    ("LT", "LTU", "Lithuania", _E),
    ("LU", "LUX", "Luxembourg", _E),
    ("LV", "LVA", "Latvia", _E),
    ("MA", "MAR", "Morocco", _AF),
    ("MD", "MDA", "Moldova", _E),
    ("ME", "MNE", "Montenegro", _E),
    ("MK", "MKD", "North Macedonia", _E),
    ("MN", "MNG", "Mongolia", _AS),
    ("MT", "MLT", "Malta", _E),
    ("MW", "MWI", "Malawi", _AF),
    ("MX", "MEX", "Mexico", _AM),
    ("NG", "NGA", "Nigeria", _AF),
    ("NL", "NLD", "Netherlands", _E),
    ("NO", "NOR", "Norway", _E),
    ("NZ", "NZL", "New Zealand", _AS),
    ("PA", "PAN", "Panama", _AM),
    ("PE", "PER", "Peru", _AM),
    ("PG", "PNG", "Papua New Guinea", _AS),
    ("PH", "PHL", "Philippines", _AS),
    ("PK", "PAK", "Pakistan", _AS),
    ("PT", "PRT", "Portugal", _E),
    ("PY", "PRY", "Paraguay", _AM),
    ("RO", "ROU", "Romania", _E),
    ("RS", "SRB", "Serbia", _E),
    ("SC", "SYC", "Seychelles", _AF),
    ("SE", "SWE", "Sweden", _E),
    ("SK", "SVK", "Slovak Republic", _E),
    ("SL", "SLE", "Sierra Leone", _AF),
    ("SN", "SEN", "Senegal", _AF),
    ("SV", "SLV", "El Salvador", _AM),
    ("TN", "TUN", "Tunisia", _AF),
    ("TR", "TUR", "Turkey", _E),
    ("TT", "TTO", "Trinidad and Tobago", _AM),
    ("TZ", "TZA", "Tanzania", _AF),
    ("UA", "UKR", "Ukraine", _E),
    ("UK", "GBR", "United Kingdom", _E),
    ("US", "USA", "United States", _AM),
    ("UY", "URY", "Uruguay", _AM),
    ("ZA", "ZAF", "South Africa", _AF),
    ("ZM", "ZMB", "Zambia", _AF),
)
_BY_PREFIX = {prefix: Country(code, name, region, national=True) for prefix, code, name, region in MEMBERS}
_BY_NAME = {slugify(name): Country(code, name, region, national=True) for _, code, name, region in MEMBERS}
_BY_NAME.update({"slovakia": _BY_PREFIX["SK"], "south-korea": _BY_PREFIX["KR"], "korea": _BY_PREFIX["KR"]})


def member_by_prefix(commitment_id: str) -> Country | None:
    """The member whose commitment ids start with the id's letters ("NO0012" → Norway)."""
    letters = "".join(c for c in commitment_id if c.isalpha())
    return _BY_PREFIX.get(letters)


def member_by_name(name: str) -> Country | None:
    """The member of that name, as the page writes it; the page's own spelling is kept as the name."""
    known = _BY_NAME.get(slugify(name))
    return Country(known.code, name, known.region, national=True) if known else None
