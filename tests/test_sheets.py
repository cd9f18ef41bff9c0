"""CSV sheets: the same records as the curated YAML, checked by the same schema, with W3C CSVW metadata."""

from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path

import pytest

from govgraph.errors import InputErrors
from govgraph.sources.curated import read_curated
from govgraph.sources.schema import SCHEMA
from govgraph.sources.sheets import csvw_metadata, read_sheet, sheet_columns, write_sheet_template

SHEETS = {
    "programmes.csv": (
        "key,kind,label@en,label@da,description@en,issued_by,agreed_by,issued,start,end,part_of,"
        "stated_initiative_count,source\n"
        'plan-2025,reform,Simpler services,Enklere service,"A plan, with ""quotes""\n'
        'and a newline", town | region-x ,,2025,2025-01,2027-12-31,,12,doc-a:1-8:Chapter 1: intro\n'
        "sub-plan,plan,Sub plan,,,,town,,,,plan-2025,,doc-a:9\n"
    ),
    # Columns in another order than the template's; a blank line and a row of empty cells are skipped.
    "initiatives.csv": (
        "source,number,key,label@en,track,programme,kind\n"
        "doc-a:5,1,one-door,One door,,plan-2025,process\n"
        "\n"
        ",,,,,,\n"
        "doc-a:6,2,second,Second,digital,,\n"
    ),
    "institutions.csv": (
        "\ufeffkey,label@en,label@da,kind,alt_labels@en,alt_labels@da,part_of,sources\n"
        "town,Example Town,Eksempelby,municipality,the town | Town Council,byen,,doc-a:3|doc-b:10-12:Section: A\n"
        "region-x,Region X,,region,,,town,doc-a:3\n"
    ),
    "money.csv": (
        "key,label@en,amount,currency,as_stated,year,start,end,per_year,about,purpose@en,qualifier,kind,total_of,"
        "source\n"
        "budget,Budget,1500000,EUR,EUR 1.5 million,2025,,,TRUE,programme/plan-2025,Run the plan,about,budget,,"
        "doc-a:8\n"
        "half,Half,2.5,DKK,2½ kr.,,2025,2026,false,,,,,,doc-a:8-9\n"
    ),
    "targets.csv": (
        "key,indicator@en,value,unit,target_year,programme,direction,baseline_value,baseline_year,source\n"
        "answers,Share answered,80,percent,2027,plan-2025,increase,-1.5e1,2024,doc-a:7\n"
    ),
    "roles.csv": (
        "institution,role,target,source,description@en\n"
        "town,issued,programme/plan-2025,doc-a:1,Issued the plan\n"
        "region-x,supports,programme/plan-2025,doc-b:10,\n"
    ),
    "documents.csv": (
        "key,title@en,language,file,sha256,publisher,issued,url,description@en\n"
        "doc-a,Plan A,en,plan-a.txt,,town,2025-03,https://example.org/a,\n"
        "doc-b,Plan B,da,,,,,,The second plan\n"
    ),
}

TRACKS_YAML = """tracks:
  - key: digital
    label: {en: "Digital"}
    programme: plan-2025
    number: 1
    source: {doc: doc-a, lines: "4"}
"""

SAME_AS_YAML = (
    TRACKS_YAML
    + """programmes:
  - key: plan-2025
    kind: reform
    label: {en: "Simpler services", da: "Enklere service"}
    description: {en: "A plan, with \\"quotes\\" and a newline"}
    issued_by: [town, region-x]
    issued: "2025"
    start: "2025-01"
    end: "2027-12-31"
    stated_initiative_count: 12
    source: {doc: doc-a, lines: "1-8", section: "Chapter 1: intro"}
  - key: sub-plan
    kind: plan
    label: {en: "Sub plan"}
    agreed_by: [town]
    part_of: plan-2025
    source: {doc: doc-a, lines: "9"}
initiatives:
  - key: one-door
    label: {en: "One door"}
    programme: plan-2025
    number: 1
    kind: process
    source: {doc: doc-a, lines: "5"}
  - key: second
    label: {en: "Second"}
    track: digital
    number: 2
    source: {doc: doc-a, lines: "6"}
institutions:
  - key: town
    label: {en: "Example Town", da: "Eksempelby"}
    kind: municipality
    alt_labels:
      - {en: "the town"}
      - {en: "Town Council"}
      - {da: "byen"}
    sources:
      - {doc: doc-a, lines: "3"}
      - {doc: doc-b, lines: "10-12", section: "Section: A"}
  - key: region-x
    label: {en: "Region X"}
    kind: region
    part_of: town
    sources:
      - {doc: doc-a, lines: "3"}
money:
  - key: budget
    label: {en: "Budget"}
    amount: 1500000
    currency: EUR
    as_stated: "EUR 1.5 million"
    year: 2025
    per_year: true
    about: programme/plan-2025
    purpose: {en: "Run the plan"}
    qualifier: about
    kind: budget
    source: {doc: doc-a, lines: "8"}
  - key: half
    label: {en: "Half"}
    amount: 2.5
    currency: DKK
    as_stated: "2½ kr."
    start: 2025
    end: 2026
    per_year: false
    source: {doc: doc-a, lines: "8-9"}
targets:
  - key: answers
    indicator: {en: "Share answered"}
    value: 80
    unit: percent
    target_year: 2027
    programme: plan-2025
    direction: increase
    baseline_value: -15.0
    baseline_year: 2024
    source: {doc: doc-a, lines: "7"}
roles:
  - institution: town
    role: issued
    target: programme/plan-2025
    description: {en: "Issued the plan"}
    source: {doc: doc-a, lines: "1"}
  - institution: region-x
    role: supports
    target: programme/plan-2025
    source: {doc: doc-b, lines: "10"}
documents:
  - key: doc-a
    title: {en: "Plan A"}
    language: en
    file: plan-a.txt
    publisher: town
    issued: "2025-03"
    url: "https://example.org/a"
  - key: doc-b
    title: {en: "Plan B"}
    language: da
    description: {en: "The second plan"}
"""
)


def _write_sheets(folder: Path, sheets: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in sheets.items():
        path = folder / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def _comparable(entities) -> list[tuple]:
    return sorted(((e.kind, e.key, e.fields, e.sources) for e in entities), key=lambda t: (t[0], t[1], repr(t[2])))


def test_sheets_give_the_same_entities_as_yaml(tmp_path: Path) -> None:
    paths = _write_sheets(tmp_path / "sheets", SHEETS)
    (tmp_path / "sheets" / "tracks.yaml").write_text(TRACKS_YAML, encoding="utf-8")  # YAML and sheets mix
    from_sheets = read_curated([*paths, tmp_path / "sheets" / "tracks.yaml"])
    (tmp_path / "yaml").mkdir()
    (tmp_path / "yaml" / "all.yaml").write_text(SAME_AS_YAML, encoding="utf-8")
    from_yaml = read_curated([tmp_path / "yaml" / "all.yaml"])
    assert len(from_yaml.entities) == 14
    assert _comparable(from_sheets.entities) == _comparable(from_yaml.entities)
    # Spot checks of what the cells became.
    by_key = {(e.kind, e.key): e for e in from_sheets.entities}
    town = by_key[("institution", "town")]
    assert town.fields["alt_labels"] == [{"en": "the town"}, {"en": "Town Council"}, {"da": "byen"}]
    assert [s.section for s in town.sources] == [None, "Section: A"]
    assert by_key[("money", "budget")].fields["per_year"] is True
    assert by_key[("money", "half")].fields["amount"] == 2.5
    assert by_key[("target", "answers")].fields["baseline_value"] == -15.0
    plan = by_key[("programme", "plan-2025")]
    assert plan.fields["issued_by"] == ["town", "region-x"]
    assert plan.file.endswith("programmes.csv") and plan.line == 2
    assert by_key[("programme", "sub-plan")].line == 4  # the quoted newline makes the row before two lines
    assert by_key[("initiative", "second")].line == 5  # blank rows count as lines


def test_read_sheet_reads_one_sheet(tmp_path: Path) -> None:
    (path,) = _write_sheets(tmp_path, {"institutions.csv": SHEETS["institutions.csv"]})
    entities = read_sheet(path)
    assert [(e.kind, e.key, e.line) for e in entities] == [("institution", "town", 2), ("institution", "region-x", 3)]
    assert entities[0].fields["label"] == {"en": "Example Town", "da": "Eksempelby"}


BAD = (
    "key,kind,label@en,colour,issued_by,stated_initiative_count,source\n"
    "good,reform,Good,,town,1,doc-a:1\n"  # line 2: fine
    "bad-int,reform,Bad int,,,1.5,doc-a:1\n"  # line 3: column 6
    "bad-enum,party,Bad enum,,,,doc-a:1\n"  # line 4: column 2
    "bad-locator,reform,Bad locator,,,,doc-a\n"  # line 5: column 7
    "no-label,reform,,,,,doc-a:1\n"  # line 6: column 3
    "empty-item,reform,Empty item,,town||kl,,doc-a:1\n"  # line 7: column 5
    "bad-key!,reform,Bad key,red,,x,doc-a:1-2:S\n"  # line 8: columns 1 and 6; the colour cell is not repeated
)


def test_every_bad_cell_is_reported_at_once_with_line_and_column(tmp_path: Path) -> None:
    (path,) = _write_sheets(tmp_path, {"programmes.csv": BAD})
    with pytest.raises(InputErrors) as caught:
        read_sheet(path)
    found = {(e.line, e.column, e.field) for e in caught.value.errors}
    assert found == {
        (1, 4, None),  # unknown column, once
        (3, 6, "stated_initiative_count"),
        (4, 2, "kind"),
        (5, 7, "source"),
        (6, 3, "label"),
        (7, 5, "issued_by"),
        (8, 1, "key"),
        (8, 6, "stated_initiative_count"),
    }
    text = str(caught.value)
    for line, column, field in found:
        assert f"programmes.csv:{line}:{column}:" in text
        if field:
            assert f"programmes.csv:{line}:{column}: [{field}] " in text
    assert "unknown column 'colour'" in text
    assert "'1.5' is not a whole number" in text
    assert "'party' is not one of" in text
    assert "'doc-a' is not a source DOCUMENT:LINES" in text
    assert "missing required field 'label'" in text
    assert "an empty item in the list" in text
    # The same through read_curated (a .csv named after a list is read as a sheet).
    with pytest.raises(InputErrors) as again:
        read_curated([path])
    assert {(e.line, e.column, e.field) for e in again.value.errors} == found


@pytest.mark.parametrize(
    ("cell", "column", "message"),
    [
        ("12 ", "stated_initiative_count", "is not a whole number"),
        (" ", "stated_initiative_count", "is not a whole number"),
        ("x", "stated_initiative_count", "is not a whole number"),
        ("2025-13", "issued", "is not a quoted date"),
        ("2025-02-30", "issued", "is not a date that exists"),
    ],
)
def test_cells_convert_strictly(tmp_path: Path, cell: str, column: str, message: str) -> None:
    header = f"key,kind,label@en,source,{column}"
    path = tmp_path / "programmes.csv"
    path.write_text(f'{header}\nk,reform,K,doc-a:1,"{cell}"\n', encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        read_sheet(path)
    (error,) = caught.value.errors
    assert (error.line, error.column, error.field) == (2, 5, column)
    assert message in error.message


@pytest.mark.parametrize(
    ("cell", "expected"), [("1e3", 1000.0), ("-7", -7), ("0.25", 0.25), ("nan", None), ("inf", None), ("1e999", None)]
)
def test_number_cells(tmp_path: Path, cell: str, expected) -> None:
    path = tmp_path / "money.csv"
    path.write_text(f"key,label@en,amount,currency,as_stated,source\nm,M,{cell},DKK,x,doc-a:1\n", encoding="utf-8")
    if expected is None:
        with pytest.raises(InputErrors, match=r"money\.csv:2:3: \[amount\]"):
            read_sheet(path)
    else:
        (money,) = read_sheet(path)
        assert money.fields["amount"] == expected and type(money.fields["amount"]) is type(expected)


@pytest.mark.parametrize("cell", ["yes", "1", "tru"])
def test_bool_cells_are_true_or_false_only(tmp_path: Path, cell: str) -> None:
    path = tmp_path / "money.csv"
    path.write_text(
        f"key,label@en,amount,currency,as_stated,per_year,source\nm,M,1,DKK,x,{cell},doc-a:1\n", encoding="utf-8"
    )
    with pytest.raises(InputErrors, match=r"money\.csv:2:6: \[per_year\] .* is not true or false"):
        read_sheet(path)


def test_header_problems_are_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "programmes.csv"
    rows = "".join(f"p{i},reform,P,x\n" for i in range(5))
    path.write_text("key,kind,label,label@fi\n" + rows, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        read_sheet(path)
    errors = [(e.line, e.column, e.field) for e in caught.value.errors]
    assert sorted(errors, key=str) == sorted(
        [
            (1, None, "source"),  # a missing required column, reported once, not on each of the 5 rows
            (1, None, "label"),  # label has no usable column either
            (1, 3, "label"),  # label without a language
            (1, 4, "label"),  # a language curated does not know
        ],
        key=str,
    )


def test_a_row_longer_than_the_header_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "tracks.csv"
    path.write_text("key,label@en,programme,number,source\nt,T,p,1,doc-a:1,extra\n", encoding="utf-8")
    with pytest.raises(InputErrors, match=r"tracks\.csv:2:6: the row has 6 cells"):
        read_sheet(path)


@pytest.mark.parametrize("list_name", sorted(SCHEMA))
@pytest.mark.parametrize("languages", [("en",), ("en", "da")])
def test_csvw_metadata_describes_every_column(list_name: str, languages: tuple[str, ...]) -> None:
    meta = csvw_metadata(list_name, languages)
    assert json.dumps(meta, sort_keys=True) == json.dumps(csvw_metadata(list_name, languages), sort_keys=True)
    assert meta["@context"] == "http://www.w3.org/ns/csvw"
    assert meta["url"] == f"{list_name}.csv"
    assert meta["dc:title"]
    columns = meta["tableSchema"]["columns"]
    assert [c["titles"] for c in columns] == sheet_columns(list_name, languages)
    names = [c["name"] for c in columns]
    assert len(set(names)) == len(names)
    spec = SCHEMA[list_name][1]
    for column in columns:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_]*", column["name"])
        field, _, lang = column["titles"].partition("@")
        ftype, required = spec[field]
        if len(languages) == 1 or not lang:
            assert column["required"] is required
        is_list = isinstance(ftype, tuple) and ftype[0] == "list"
        assert (column.get("separator") == "|") is is_list
        assert column.get("lang") == (lang or None)
        assert column["dc:description"].startswith(f"{field}: ")
        base = ftype[1] if is_list else ftype
        plain = {"int": "integer", "number": "decimal", "bool": "boolean"}
        expected = plain.get(base, "string") if isinstance(base, str) else "string"
        if base == "date":
            assert column["datatype"]["base"] == "string"
            assert re.match(column["datatype"]["format"], "2025-02-28")
            assert not re.match(column["datatype"]["format"], "2025-13")
        else:
            assert column["datatype"] == expected
    key = "key" if "key" in spec else "id" if "id" in spec else None
    assert meta["tableSchema"].get("primaryKey") == key


def test_sheet_columns_follow_the_lint_field_order() -> None:
    assert sheet_columns("institutions", ("en", "da")) == [
        "key",
        "kind",
        "label@en",
        "label@da",
        "description@en",
        "description@da",
        "alt_labels@en",
        "alt_labels@da",
        "part_of",
        "sources",
    ]
    # Any language a manifest may name (a BCP 47 tag), not only the bundled da and en.
    assert "label@nb" in sheet_columns("programmes", ("nb",))
    for bad in (("not a tag",), ()):
        with pytest.raises(ValueError):
            sheet_columns("programmes", bad)


def test_template_header_and_metadata(tmp_path: Path) -> None:
    for list_name in SCHEMA:
        sheet, meta = write_sheet_template(tmp_path, list_name, ("en", "da"), None)
        assert sheet == tmp_path / f"{list_name}.csv"
        assert meta == tmp_path / f"{list_name}.csv-metadata.json"
        with sheet.open(encoding="utf-8", newline="") as f:
            assert list(csv.reader(f)) == [sheet_columns(list_name, ("en", "da"))]
        text = meta.read_text(encoding="utf-8")
        assert text.endswith("}\n") and text.startswith('{\n  "@context"')
        assert json.loads(text) == csvw_metadata(list_name, ("en", "da"))
        assert read_sheet(sheet) == []  # a sheet of only its header holds no records
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_template_example_row_reads_back(tmp_path: Path) -> None:
    row = {
        "key": "example-town",
        "label@en": "Example Town",
        "kind": "municipality",
        "alt_labels@en": "the town|Town Council",
        "sources": "example-plan:3|example-plan:4-6:Track 1: start",
    }
    sheet, _ = write_sheet_template(tmp_path, "institutions", ("en",), row)
    (town,) = read_sheet(sheet)
    assert town.key == "example-town"
    assert town.fields["alt_labels"] == [{"en": "the town"}, {"en": "Town Council"}]
    assert town.sources[1].section == "Track 1: start"
    with pytest.raises(ValueError):
        write_sheet_template(tmp_path, "institutions", ("en",), {"colour": "red"})


def test_init_example_rows_read_back_together(tmp_path: Path) -> None:
    from govgraph.init import EXAMPLE_ROWS

    paths = [write_sheet_template(tmp_path, name, ("en",), row)[0] for name, row in EXAMPLE_ROWS.items()]
    data = read_curated(paths)  # references across the sheets resolve
    assert len(data.entities) == len(EXAMPLE_ROWS)


def test_ten_thousand_rows_read_quickly(tmp_path: Path) -> None:
    path = tmp_path / "initiatives.csv"
    rows = "".join(f"k{i},Initiative {i},programme-x,{i},doc-a:1-2:Section\n" for i in range(10_000))
    path.write_text("key,label@en,programme,number,source\n" + rows, encoding="utf-8")
    start = time.perf_counter()
    entities = read_sheet(path)
    elapsed = time.perf_counter() - start
    assert len(entities) == 10_000 and entities[-1].line == 10_001
    assert elapsed < 3.0  # about 0.3 s; a generous bound that still catches a quadratic slip
