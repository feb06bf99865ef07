"""Scenario files: the three forms (YAML, YAML + CSV, Excel) read equal; writers round-trip."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.io import load_scenario, write_scenario
from scheduler.io.scenario_io import _month_ranges
from scheduler.io.scenario_schema import TABLES
from scheduler.models import Scenario

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny.yaml"


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load_scenario(TINY)


def test_tiny_fixture_is_complete(tiny: Scenario) -> None:
    assert len(tiny.organisations) == 3 and len(tiny.departments) == 7
    assert tiny.department["CAR-SOM"].capacity_by_month == {"2028-01": 1, "2028-02": 1}
    assert tiny.department["ZGT-CHIR"].levels == (4, 5, 6)
    assert tiny.buddy["b-pg1-2"].unavailable == ("2028-03", "2028-04", "2028-08")
    assert tiny.programme["bbl-vig"].starter_fixed_shifts_months == 3
    assert tiny.programme["hbo-duaal"].required_sectors == ("ZKH", "GGZ")
    assert tiny.learner["S1"].home is None and tiny.learner["S1"].lat == 52.30
    assert tiny.learner["B0"].history == ("LIV-WIJK1",)
    assert {p.learner for p in tiny.pins} == {"B0", "T1", "H1"}
    assert tiny.policy.weights.unplaced == 500 and tiny.policy.buddy_max_learners == 2


def test_model_fields_match_the_table_columns() -> None:
    from scheduler.io.scenario_build import MODELS

    for table, model in MODELS.items():
        names = {f.alias or name for name, f in model.model_fields.items()}
        assert names == set(TABLES[table]), table


def test_handwritten_csv_tables_equal_inline_yaml(tiny: Scenario) -> None:
    # tiny_csv/: ';'-separated organisations with decimal commas, a blank line, spaces
    # around ids and list items, yes/no booleans, a one-number placement list
    assert load_scenario(FIXTURES / "tiny_csv" / "tiny.yaml") == tiny


def _excel_like_workbook(tiny: Scenario, path: Path) -> None:
    """A workbook as Excel gives it: months as dates, whole numbers as floats."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "scenario"
    for row in [("key", "value"), ("scenario", 1.0), ("name", "Tiny Twente"),
                ("calendar.start", dt.datetime(2027, 9, 1)), ("calendar.months", 18.0),
                ("policy.fair_share_tolerance", 0.25), ("policy.weights.unplaced", 500.0),
                ("policy.weights.travel", 0.2), ("policy.max_travel_km", 40)]:
        sheet.append(row)
    data = yaml.safe_load(TINY.read_text())
    for table in TABLES:
        ws = book.create_sheet(table.upper() if table == "pins" else table)
        columns = list(TABLES[table])
        ws.append(columns)
        for row in data[table]:
            ws.append([_excel_cell(row.get(c)) for c in columns])
    book.save(path)


def _excel_cell(value: object) -> object:
    if isinstance(value, str) and len(value) == 7 and value[4] == "-" and value[:4].isdigit():
        return dt.datetime(int(value[:4]), int(value[5:]), 1)  # Excel turns 2027-09 into a date
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], int):
        return float(value[0])  # a one-element list typed as a plain number
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in value.items())
    return value


def test_excel_workbook_with_dates_and_floats_equals_yaml(tiny: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "tiny.xlsx"
    _excel_like_workbook(tiny, path)
    assert load_scenario(path) == tiny


@pytest.mark.parametrize("name", ["copy.yaml", "copy.yml", "copy.xlsx"])
def test_written_file_reads_back_equal(tiny: Scenario, tmp_path: Path, name: str) -> None:
    write_scenario(tiny, tmp_path / name)
    assert load_scenario(tmp_path / name) == tiny


def test_csv_tables_written_next_to_yaml(tiny: Scenario, tmp_path: Path) -> None:
    write_scenario(tiny, tmp_path / "region.yaml", csv_tables=True)
    doc = yaml.safe_load((tmp_path / "region.yaml").read_text())
    assert doc["departments"] == "region-departments.csv"
    for table in TABLES:
        assert (tmp_path / f"region-{table}.csv").is_file()
    with (tmp_path / "region-departments.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows[1]["capacity_by_month"] == "2027-12=0" and rows[0]["levels"] == "4;5;6"
    assert load_scenario(tmp_path / "region.yaml") == tiny


def test_yaml_to_xlsx_to_yaml_and_csv(tiny: Scenario, tmp_path: Path) -> None:
    write_scenario(tiny, tmp_path / "a.xlsx")
    via_xlsx = load_scenario(tmp_path / "a.xlsx")
    write_scenario(via_xlsx, tmp_path / "b.yaml", csv_tables=True)
    write_scenario(load_scenario(tmp_path / "b.yaml"), tmp_path / "c.yaml")
    assert load_scenario(tmp_path / "c.yaml") == tiny


def test_writer_leaves_out_defaults(tiny: Scenario, tmp_path: Path) -> None:
    write_scenario(tiny, tmp_path / "t.yaml")
    text = (tmp_path / "t.yaml").read_text()
    assert "distinct_departments: true" not in text  # default
    assert "distinct_departments: false" in text  # bol-stage
    assert "buddy_max_learners" not in text and "max_travel_km: 40" not in text
    assert "2028-03/2028-04" in text  # month lists written as ranges
    doc = yaml.safe_load(text)
    assert doc["scenario"] == 1
    assert "sector" not in doc["departments"][0] and "preferences" not in doc["learners"][1]


def test_month_ranges() -> None:
    assert _month_ranges(["2027-12", "2028-01", "2028-02", "2028-05"]) == [
        "2027-12/2028-02", "2028-05"]


def test_text_that_looks_like_a_formula_is_written_safely(tiny: Scenario, tmp_path: Path) -> None:
    data = tiny.model_dump(by_alias=True)
    data["name"] = "=HYPERLINK(\"http://x\")"
    data["organisations"][0]["name"] = "+31 53 123"
    data["learners"][1]["name"] = "@Anna"
    scenario = Scenario.model_validate(data)
    write_scenario(scenario, tmp_path / "s.yaml", csv_tables=True)
    text = (tmp_path / "s-organisations.csv").read_text()
    assert "'+31 53 123" in text
    write_scenario(scenario, tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'@Anna" in cells
    assert not any(isinstance(c, str) and c[:1] in "=+@" for c in cells)
    assert load_scenario(tmp_path / "s.yaml") == scenario
    assert load_scenario(tmp_path / "s.xlsx") == scenario


def test_floats_keep_every_digit_in_excel(tiny: Scenario, tmp_path: Path) -> None:
    data = tiny.model_dump(by_alias=True)
    data["organisations"][0]["lat"] = 52.134364244112405  # 17 significant digits
    scenario = Scenario.model_validate(data)
    write_scenario(scenario, tmp_path / "f.xlsx")
    assert load_scenario(tmp_path / "f.xlsx") == scenario


def big_scenario(n_learners: int = 5000, seed: int = 7) -> Scenario:
    """A 5,000-learner region: 20 organisations, 120 departments, 360 buddies."""
    rnd = random.Random(seed)
    sectors = ["VVT", "GHZ", "GGZ", "ZKH", "WIJK"]
    orgs = [{"id": f"O{i}", "name": f"Org {i}", "sector": sectors[i % 5],
             "fte_care": 500 + 37.5 * i, "lat": 52 + rnd.random(), "lon": 6 + rnd.random()}
            for i in range(20)]
    depts: list[dict[str, object]] = []
    buddies: list[dict[str, object]] = []
    for org in orgs:
        for j in range(6):
            did = f"{org['id']}-D{j}"
            dept: dict[str, object] = {"id": did, "organisation": org["id"], "capacity": 3 + j,
                                       "shifts": "fixed" if j % 2 else "rotating"}
            if j == 1:
                dept["capacity_by_month"] = {"2028-01": 1}
            if j == 2:
                dept["levels"] = [3, 4]
            depts.append(dept)
            buddies += [{"id": f"{did}-b{k}", "department": did,
                         "unavailable": ["2028-03/2028-05"] if k == 1 else []} for k in range(3)]
    programmes = [
        {"id": "trainee", "kind": "trainee", "placements": [6, 6, 6, 6], "carrousel_min_away": 2},
        {"id": "bbl", "kind": "bbl", "placements": [6, 6, 6], "starter_fixed_shifts_months": 3},
        {"id": "hbo", "kind": "hbo_duaal", "placements": [4, 4], "required_sectors": ["GGZ"]},
    ]
    learners = [{"id": f"L{i:05d}", "name": f"Learner {i}",
                 "programme": rnd.choice(["trainee", "bbl", "hbo"]),
                 "home": rnd.choice(orgs)["id"], "level": rnd.choice([3, 4]),
                 "start": rnd.choice(["2027-09", "2028-03", "2028-09"]),
                 "preferences": [rnd.choice(orgs)["id"], rnd.choice(depts)["id"]],
                 "unavailable": ["2028-02"] if i % 50 == 0 else []} for i in range(n_learners)]
    pins = [{"learner": learners[i]["id"], "month": learners[i]["start"],
             "department": depts[i % len(depts)]["id"]} for i in range(0, 200, 10)]
    return Scenario.model_validate({
        "name": "big", "calendar": {"start": "2027-09", "months": 36}, "organisations": orgs,
        "departments": depts, "buddies": buddies, "programmes": programmes,
        "learners": learners, "pins": pins,
    })


@pytest.mark.parametrize("name,csv_tables", [("big.yaml", False), ("big-csv.yaml", True),
                                             ("big.xlsx", False)])
def test_5000_learners_round_trip(tmp_path: Path, name: str, csv_tables: bool) -> None:
    # Speed is measured in benchmarks/, not asserted here (machines are noisy).
    scenario = big_scenario()
    write_scenario(scenario, tmp_path / name, csv_tables=csv_tables)
    assert load_scenario(tmp_path / name) == scenario


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).map(
    str.strip).filter(lambda t: t and not t.startswith("'"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, org_name=TEXT, learner_name=TEXT, sector=TEXT.filter(lambda t: ";" not in t))
def test_any_text_round_trips_in_every_form(
    tmp_path_factory: pytest.TempPathFactory, name: str, org_name: str, learner_name: str,
    sector: str,
) -> None:
    data = load_scenario(TINY).model_dump(by_alias=True)
    data["name"] = name
    data["organisations"][1]["name"] = org_name
    data["learners"][2]["name"] = learner_name
    data["organisations"][2]["sector"] = sector
    scenario = Scenario.model_validate(data)
    folder = tmp_path_factory.mktemp("text")
    for file, csv_tables in (("a.yaml", False), ("b.yaml", True), ("c.xlsx", False)):
        write_scenario(scenario, folder / file, csv_tables=csv_tables)
        assert load_scenario(folder / file) == scenario, file
