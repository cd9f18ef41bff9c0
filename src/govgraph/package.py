"""Data packages: a folder with a manifest (``package.yaml``) and the package's records.

A package is what a publisher keeps: the manifest says what the dataset is (title and description per
language, publisher, licence, base IRI, languages, spatial coverage, keywords, themes, version, issue date)
and which inputs it has; the records are curated YAML files and CSV sheets (``<list>.csv``, the same schema,
see docs/curated-data.md), OGP commitments exports (optionally filtered to some members) and the source
documents they cite. The bundled Danish data is one such package, the default of every command.

    from govgraph.package import open_package
    package = open_package("my-package")      # or open_package(None): the bundled Danish package
    package.manifest.title["en"], package.record_files

Reading a manifest reports every problem at once, each with file, line and field.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.iris import is_iri
from govgraph.safety import short_repr
from govgraph.sources.yaml_lines import Mapping, load_yaml

MANIFEST = "package.yaml"
SHEET_SUFFIX = ".csv"
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
COUNTRY_CODE = re.compile(r"^[A-Z]{3}\Z")  # ISO 3166-1 alpha-3, as the EU country authority table keys them
THEME_CODE = re.compile(r"^[A-Z]{4}\Z")  # EU data-theme authority table, e.g. GOVE
MEMBER_CODE = re.compile(r"^[A-Z0-9]{2,8}\Z")
DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\Z")


@dataclass(frozen=True)
class Publisher:
    name: str
    iri: str | None = None
    homepage: str | None = None
    contact: str | None = None  # an e-mail address or a contact page URL
    type: str | None = None  # a code of the ADMS publisher type list, e.g. LocalAuthority


# The ADMS publisher types (http://purl.org/adms/publishertype/<code>) that DCAT-AP asks of a publisher, with
# their English labels as that list gives them.
PUBLISHER_TYPES = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local Authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-Governmental Organisation",
    "NonProfitOrganisation": "Non-Profit Organisation",
    "PrivateIndividual(s)": "Private Individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}


@dataclass(frozen=True)
class Place:
    """Where a place of the spatial coverage lies (WGS 84 degrees), for DCAT-AP's dcat:bbox and dcat:centroid."""

    bbox: tuple[float, float, float, float]  # west, south, east, north
    centroid: tuple[float, float]  # longitude, latitude


@dataclass(frozen=True)
class OGPExport:
    """An OGP commitments export in the package, with the members whose rows it contributes (all if empty)."""

    path: Path
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    """What a package says about its dataset; every text is per language (BCP 47 tag → text)."""

    title: dict[str, str]
    description: dict[str, str]
    publisher: Publisher
    license: str
    base_iri: str
    languages: tuple[str, ...]
    spatial: tuple[str, ...] = ()  # ISO 3166-1 alpha-3 codes; more come from the OGP members in the data
    geometry: dict[str, Place] = field(default_factory=dict)  # ISO 3166-1 alpha-3 code → where it lies
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    themes: tuple[str, ...] = ("GOVE",)
    version: str | None = None
    issued: str | None = None  # YYYY-MM-DD
    includes_vocabulary: bool = True  # the ontology and schemes are part of the built dataset


@dataclass(frozen=True)
class DataPackage:
    folder: Path
    manifest: Manifest
    record_files: tuple[Path, ...]  # curated YAML files and CSV sheets
    ogp_exports: tuple[OGPExport, ...] = ()
    ogp_pages: tuple[Path, ...] = ()  # texts of OGP commitment pages

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def document_file(self, file_name: str) -> Path | None:
        """The file of a source document the package holds: ``file_name`` beside the records or in ``sources/``;
        None when it is in neither, or names a place outside the package (absolute, ``..``), which is never
        read."""
        if not file_name or Path(file_name).is_absolute() or ".." in Path(file_name).parts:
            return None
        for candidate in (self.folder / file_name, self.folder / "sources" / file_name):
            if candidate.is_file():
                return candidate
        return None


def first_text(texts: dict[str, str], default: str = "") -> str:
    """The English text, else the first there is: for what has room for one language (a heading, a name)."""
    return texts.get("en") or next(iter(texts.values()), default)


def bundled_package_dir() -> Path:
    from govgraph.resources import data_dir

    return data_dir()


def open_package(folder: str | Path | None = None) -> DataPackage:
    """Read the package in ``folder`` (None: the bundled Danish package). Raises InputErrors naming every
    problem of the manifest (file, line, field) and every declared file that is missing."""
    folder = Path(folder) if folder is not None else bundled_package_dir()
    path = folder / MANIFEST
    if not folder.is_dir():
        raise InputErrors([InputError(str(folder), None, "is not a folder (a data package is a folder)")])
    if not path.is_file():
        raise InputErrors(
            [InputError(str(path), None, "no manifest: a data package has a package.yaml (govgraph init makes one)")]
        )
    errors = ErrorCollector(path)
    data = load_yaml(path, errors)
    if not isinstance(data, Mapping):
        errors.add(1, "the manifest is a mapping of fields (see docs/publishing-your-data.md)")
        errors.raise_if_any()
    manifest = _read_manifest(data, errors)
    exports = _read_exports(data, folder, errors)
    pages = _read_pages(data, folder, errors)
    declared = {e.path.resolve() for e in exports}
    records = tuple(
        p
        for p in sorted(folder.iterdir())
        if p.is_file()
        and p.name != MANIFEST
        and (p.suffix == ".yaml" or (p.suffix == SHEET_SUFFIX and p.resolve() not in declared))
    )
    _check_sheet_names(records, errors)
    errors.raise_if_any()
    return DataPackage(folder, manifest, records, exports, pages)


# Fields of the manifest: name → (required, what it holds), in the order `govgraph init` writes them and
# docs/publishing-your-data.md lists them.
FIELDS: dict[str, tuple[bool, str]] = {
    "title": (True, "the dataset's title, per language"),
    "description": (True, "what the dataset holds, per language"),
    "publisher": (
        True,
        "name (required), iri, homepage, contact (e-mail or URL), type (ADMS publisher type, e.g. LocalAuthority)",
    ),
    "license": (True, "IRI of the licence, e.g. http://creativecommons.org/licenses/by/4.0/"),
    "base_iri": (True, "where the package's things are minted: <base>id/<kind>/<key>"),
    "languages": (True, "the languages of the texts (BCP 47 tags), also the site's interface languages"),
    "spatial": (False, "ISO 3166-1 alpha-3 codes of the places covered (OGP members are added from the data)"),
    "geometry": (
        False,
        "per place code: bbox [west, south, east, north] and centroid [longitude, latitude], WGS 84 degrees",
    ),
    "keywords": (False, "keywords per language"),
    "themes": (False, "EU data-theme codes (default GOVE, government and public sector)"),
    "version": (False, "the dataset's version, e.g. 2025.1"),
    "issued": (False, "date of first publication, YYYY-MM-DD"),
    "includes_vocabulary": (False, "whether the built dataset carries the govgraph ontology (default true)"),
    "ogp_exports": (False, "OGP commitments exports in the package: file, optional members (codes)"),
    "ogp_pages": (False, "texts of OGP commitment pages in the package (files), converted with their lists"),
}


def _read_manifest(data: Mapping, errors: ErrorCollector) -> Manifest:
    def line(name: str) -> int | None:
        return data.key_lines.get(name, data.line)

    for name in data:
        if name not in FIELDS:
            errors.add(
                line(str(name)), f"unknown field {short_repr(name)}; expected one of {', '.join(FIELDS)}", str(name)
            )
    for name, (required, _) in FIELDS.items():
        if required and data.get(name) is None:
            errors.add(data.line, f"missing required field {name!r}", name)

    languages = _tags(data.get("languages"), "languages", line("languages"), errors)
    allowed = set(languages)

    def texts(name: str) -> dict[str, str]:
        value = data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict) or not value:
            errors.add(line(name), "must be a mapping from language to text", name)
            return {}
        out = {}
        for lang, text in value.items():
            if allowed and lang not in allowed:
                errors.add(line(name), f"language {short_repr(lang)} is not one of the package's languages", name)
            elif not isinstance(text, str) or not text.strip():
                errors.add(line(name), f"the {lang} text is empty", name)
            else:
                out[str(lang)] = " ".join(text.split())
        return out

    title, description = texts("title"), texts("description")
    publisher = _publisher(data.get("publisher"), line("publisher"), errors)
    license = _iri(data.get("license"), "license", line("license"), errors)
    base_iri = _iri(data.get("base_iri"), "base_iri", line("base_iri"), errors)
    if base_iri and not base_iri.endswith(("/", "#")):
        errors.add(
            line("base_iri"), f"{short_repr(base_iri)} must end with / (things go under <base>id/...)", "base_iri"
        )
    spatial = _codes(
        data.get("spatial"), "spatial", COUNTRY_CODE, "an ISO 3166-1 alpha-3 code such as FIN", line, errors
    )
    geometry = _geometry(data.get("geometry"), line("geometry"), errors)
    themes = _codes(
        data.get("themes", ["GOVE"]), "themes", THEME_CODE, "an EU data-theme code such as GOVE", line, errors
    )
    keywords: dict[str, tuple[str, ...]] = {}
    raw = data.get("keywords")
    if raw is not None:
        if not isinstance(raw, dict):
            errors.add(line("keywords"), "must be a mapping from language to a list of keywords", "keywords")
        else:
            for lang, words in raw.items():
                if allowed and lang not in allowed:
                    errors.add(
                        line("keywords"),
                        f"language {short_repr(lang)} is not one of the package's languages",
                        "keywords",
                    )
                elif not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                    errors.add(line("keywords"), f"the {lang} keywords must be a list of non-empty texts", "keywords")
                else:
                    keywords[str(lang)] = tuple(w.strip() for w in words)
    version = data.get("version")
    if version is not None and not (isinstance(version, str | int | float) and str(version).strip()):
        errors.add(line("version"), "must be a short text such as 2025.1 (quote it)", "version")
    issued = data.get("issued")
    if issued is not None and (not isinstance(issued, str) or not DATE.match(issued)):
        errors.add(line("issued"), f'{short_repr(issued)} is not a quoted date "YYYY-MM-DD"', "issued")
        issued = None
    includes = data.get("includes_vocabulary", True)
    if not isinstance(includes, bool):
        errors.add(line("includes_vocabulary"), f"{short_repr(includes)} is not true or false", "includes_vocabulary")
        includes = True
    return Manifest(
        title=title,
        description=description,
        publisher=publisher,
        license=license or "",
        base_iri=base_iri or "",
        languages=languages,
        spatial=spatial,
        geometry=geometry,
        keywords=keywords,
        themes=themes,
        version=str(version).strip() if version is not None else None,
        issued=issued,
        includes_vocabulary=includes,
    )


def _tags(value: Any, name: str, line: int | None, errors: ErrorCollector) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        errors.add(line, "must be a list of language tags such as [en] or [fi, sv, en]", name)
        return ()
    bad = [v for v in value if not isinstance(v, str) or not LANGUAGE_TAG.match(v)]
    for v in bad:
        errors.add(line, f"{short_repr(v)} is not a language tag (BCP 47, lowercase, e.g. en, fi, sv)", name)
    if len(set(value)) != len(value):
        errors.add(line, "a language is listed twice", name)
    return tuple(v for v in value if v not in bad)


def _codes(value: Any, name: str, pattern: re.Pattern, example: str, line, errors: ErrorCollector) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        errors.add(line(name), f"must be a list of codes, each {example}", name)
        return ()
    good = []
    for v in value:
        if isinstance(v, str) and pattern.match(v):
            good.append(v)
        else:
            errors.add(line(name), f"{short_repr(v)} is not {example}", name)
    return tuple(good)


def _iri(value: Any, name: str, line: int | None, errors: ErrorCollector) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not is_iri(value.strip()) or not value.strip().startswith(("http://", "https://")):
        errors.add(line, f"{short_repr(value)} is not an absolute http(s) IRI", name)
        return None
    return value.strip()


def _publisher(value: Any, line: int | None, errors: ErrorCollector) -> Publisher:
    if value is None:
        return Publisher("")
    if not isinstance(value, Mapping):
        errors.add(line, "must be a mapping: name, iri, homepage, contact, type", "publisher")
        return Publisher("")
    for key in value:
        if key not in ("name", "iri", "homepage", "contact", "type"):
            errors.add(value.key_lines.get(str(key), line), f"unknown publisher field {short_repr(key)}", "publisher")
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.add(value.line, "the publisher needs a name", "publisher.name")
        name = ""
    iri = _iri(value.get("iri"), "publisher.iri", value.key_lines.get("iri", line), errors)
    homepage = _iri(value.get("homepage"), "publisher.homepage", value.key_lines.get("homepage", line), errors)
    contact = value.get("contact")
    if contact is not None:
        if not isinstance(contact, str) or not (
            re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", contact.strip()) or is_iri(contact.strip())
        ):
            errors.add(
                value.key_lines.get("contact", line),
                f"{short_repr(contact)} is not an e-mail address or URL",
                "publisher.contact",
            )
            contact = None
        else:
            contact = contact.strip()
    kind = value.get("type")
    if kind is not None and kind not in PUBLISHER_TYPES:
        errors.add(
            value.key_lines.get("type", line),
            f"{short_repr(kind)} is not an ADMS publisher type; expected one of {', '.join(PUBLISHER_TYPES)}",
            "publisher.type",
        )
        kind = None
    return Publisher(" ".join(name.split()), iri, homepage, contact, kind)


def _geometry(value: Any, line: int | None, errors: ErrorCollector) -> dict[str, Place]:
    """``geometry: {DNK: {bbox: [8.07, 54.56, 15.20, 57.75], centroid: [10.0, 56.0]}}`` → {code: Place}."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        errors.add(line, "must be a mapping from a place code to its bbox and centroid", "geometry")
        return {}
    places = {}
    for code, where in value.items():
        at = value.key_lines.get(str(code), line)
        if not isinstance(code, str) or not COUNTRY_CODE.match(code):
            errors.add(at, f"{short_repr(code)} is not an ISO 3166-1 alpha-3 code such as FIN", "geometry")
            continue
        if not isinstance(where, Mapping) or set(where) != {"bbox", "centroid"}:
            errors.add(at, "needs exactly bbox [west, south, east, north] and centroid [lon, lat]", f"geometry.{code}")
            continue
        bbox, centroid = _degrees(where["bbox"], 4), _degrees(where["centroid"], 2)
        if bbox is None or not (-180 <= bbox[0] <= bbox[2] <= 180 and -90 <= bbox[1] <= bbox[3] <= 90):
            errors.add(at, f"bbox {short_repr(where['bbox'])} is not [west, south, east, north] in degrees",
                       f"geometry.{code}")  # fmt: skip
            continue
        if centroid is None or not (bbox[0] <= centroid[0] <= bbox[2] and bbox[1] <= centroid[1] <= bbox[3]):
            errors.add(at, f"centroid {short_repr(where['centroid'])} is not [lon, lat] inside the bbox",
                       f"geometry.{code}")  # fmt: skip
            continue
        places[code] = Place(bbox, centroid)  # type: ignore[arg-type]
    return places


def _degrees(value: Any, n: int) -> tuple[float, ...] | None:
    if not isinstance(value, list) or len(value) != n:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return None
    return tuple(float(v) for v in value)


def _read_exports(data: Mapping, folder: Path, errors: ErrorCollector) -> tuple[OGPExport, ...]:
    value = data.get("ogp_exports")
    if value is None:
        return ()
    line = data.key_lines.get("ogp_exports")
    if not isinstance(value, list):
        errors.add(line, "must be a list of {file, members}", "ogp_exports")
        return ()
    out = []
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("file"), str):
            errors.add(line, "each OGP export is a mapping with a file (and optional members)", "ogp_exports")
            continue
        unknown = set(item) - {"file", "members"}
        if unknown:
            errors.add(item.line, f"unknown keys {', '.join(sorted(map(short_repr, unknown)))}", "ogp_exports")
        path = _inside(folder, item["file"], item.line, "ogp_exports", errors)
        if path is None:
            continue
        members = item.get("members") or []
        if not isinstance(members, list) or not all(isinstance(m, str) and MEMBER_CODE.match(m) for m in members):
            errors.add(
                item.key_lines.get("members", item.line),
                "members is a list of OGP member codes such as DNK",
                "ogp_exports",
            )
            members = []
        out.append(OGPExport(path, tuple(members)))
    return tuple(out)


def _inside(folder: Path, name: str, line: int | None, field: str, errors: ErrorCollector) -> Path | None:
    """A file the manifest names: inside the package (no absolute path, no ..) and present."""
    if Path(name).is_absolute() or ".." in Path(name).parts:
        errors.add(line, f"{short_repr(name)} must be a file inside the package", field)
        return None
    if not (folder / name).is_file():
        errors.add(line, f"{short_repr(name)} is not in the package", field)
        return None
    return folder / name


def _read_pages(data: Mapping, folder: Path, errors: ErrorCollector) -> tuple[Path, ...]:
    value = data.get("ogp_pages")
    if value is None:
        return ()
    line = data.key_lines.get("ogp_pages")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.add(line, "must be a list of file names", "ogp_pages")
        return ()
    return tuple(p for p in (_inside(folder, v, line, "ogp_pages", errors) for v in value) if p is not None)


def _check_sheet_names(records: tuple[Path, ...], errors: ErrorCollector) -> None:
    from govgraph.sources.schema import SCHEMA

    for path in records:
        if path.suffix == SHEET_SUFFIX and path.stem not in SCHEMA:
            errors.add(
                None,
                f"{path.name}: a sheet is named after its list ({', '.join(sorted(SCHEMA))}.csv); "
                "an OGP export is listed under ogp_exports",
                "ogp_exports",
            )


def check_document_files(package: DataPackage, documents: list) -> None:
    """A declared source document whose file is in the package must have the SHA-256 the package states."""
    problems = []
    for doc in documents:
        if not doc.file_name or not doc.sha256:
            continue
        path = package.document_file(doc.file_name)  # only a file inside the package is checked
        if path is None:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != doc.sha256:
            problems.append(
                InputError(
                    str(path),
                    None,
                    f"the SHA-256 of this file is {digest}, but source document {doc.key!r} states "
                    f"{doc.sha256}: the file is not the one the records cite",
                    "sha256",
                )
            )
    if problems:
        raise InputErrors(problems)
