"""`scheduler export` (issue 23): a scenario as a workbook a coordinator edits comfortably,
which reads back to the identical scenario."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scheduler.io import load_scenario
from scheduler.io.scenario_schema import TABLES
from tests.cli_in_process import run

ROOT = Path(__file__).parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_export_reads_back_to_the_identical_scenario(scenario: Path, tmp_path: Path):
    assert len(SHIPPED) >= 4
    out = tmp_path / f"{scenario.stem}.xlsx"
    code, text, err = run("export", str(scenario), "--out", str(out))
    assert code == 0, err
    assert str(out) in text
    assert load_scenario(out) == load_scenario(scenario)


def test_export_is_comfortable_to_edit(tmp_path: Path):
    out = tmp_path / "twente.xlsx"
    assert run("export", str(ROOT / "scenarios" / "twente.yaml"), "--out", str(out))[0] == 0
    book = openpyxl.load_workbook(out)
    assert {"scenario", *TABLES, "toelichting", "keuzelijsten"} == set(book.sheetnames)
    assert book["keuzelijsten"].sheet_state == "hidden"
    for table, columns in TABLES.items():
        sheet = book[table]
        assert [c.value for c in sheet[1]] == list(columns), table  # every column, to fill in
        assert sheet.freeze_panes in ("A2", "B2"), table
        assert sheet[1][0].font.bold
        assert int(sheet.page_setup.paperSize) == 9 and sheet.print_title_rows == "$1:$1"
        assert all((sheet.column_dimensions[chr(65 + i)].width or 0) >= 9
                   for i in range(len(columns))), table
    lists = {}  # (sheet, first column letter of the range) -> list source
    for table in TABLES:
        for dv in book[table].data_validations.dataValidation:
            assert dv.type == "list"
            for cell_range in dv.sqref.ranges:
                lists[(table, cell_range.coord.split(":")[0].rstrip("0123456789"))] = dv.formula1

    def letter(table: str, column: str) -> str:
        return chr(65 + list(TABLES[table]).index(column))

    lists_sheet, orgs, depts = "'keuzelijsten'!$", "organisations!$A$2", "departments!$A$2"
    expected = {
        ("departments", "organisation"): orgs, ("departments", "shifts"): lists_sheet + "D$2",
        ("departments", "sector"): lists_sheet + "B$2",
        ("organisations", "sector"): lists_sheet + "B$2", ("buddies", "department"): depts,
        ("programmes", "kind"): lists_sheet + "C$2", ("learners", "programme"): "programmes!$A$2",
        ("learners", "home"): orgs, ("learners", "start"): lists_sheet + "A$2",
        ("pins", "learner"): "learners!$A$2", ("pins", "department"): depts,
        ("pins", "buddy"): "buddies!$A$2", ("pins", "from"): lists_sheet + "A$2",
    }  # fmt: skip
    for (table, column), source in expected.items():
        assert lists[(table, letter(table, column))].startswith(source), (table, column)
    # the id lists reach beyond the rows there are, so a new row is offered too
    n_orgs = book["organisations"].max_row
    end = int(lists[("learners", letter("learners", "home"))].rsplit("$", 1)[1])
    assert end > n_orgs + 100
    months = [r[0] for r in book["keuzelijsten"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert "2027-09" in months and months == sorted(months)
    assert [r[1] for r in book["keuzelijsten"].iter_rows(min_row=2, max_row=3, values_only=True)] \
        == ["VVT", "GHZ"]
    notes = list(book["toelichting"].iter_rows(min_row=3, values_only=True))
    assert len(notes) == sum(len(c) for c in TABLES.values())
    assert all(n[2] for n in notes), [n for n in notes if not n[2]]  # every column explained
    shifts = next(n for n in notes if n[:2] == ("departments", "shifts"))
    assert "wisseldiensten" in shifts[2]
    settings = {r[0]: r[2] for r in book["scenario"].iter_rows(min_row=2, values_only=True)}
    assert "planperiode" in settings["calendar.start"]


def test_export_in_english_and_refusals(tmp_path: Path):
    twente = str(ROOT / "scenarios" / "twente.yaml")
    out = tmp_path / "twente-en.xlsx"
    assert run("export", twente, "--out", str(out), "--lang", "en")[0] == 0
    book = openpyxl.load_workbook(out)
    assert "explanation" in book.sheetnames and "dropdown lists" in book.sheetnames
    assert book["learners"].data_validations.dataValidation  # the quoted name works too
    shifts = next(r for r in book["explanation"].iter_rows(values_only=True)
                  if r[:2] == ("departments", "shifts"))
    assert shifts[2] == "fixed or rotating shifts"
    assert load_scenario(out) == load_scenario(twente)
    code, _, err = run("export", twente, "--out", str(out), "--lang", "en")
    assert code == 1 and "exists; add --force" in err
    code, _, err = run("export", twente, "--out", str(out))
    assert code == 1 and "bestaat al; voeg --force toe om het te vervangen" in err, err
    code, _, err = run("export", twente, "--out", str(tmp_path / "twente.csv"))
    assert code == 1 and ".xlsx" in err
