"""The plan as a coordinator carries it around (issue 23): plan.xlsx prints on A4 with one
sheet per organisation, and `check`, `solve --baseline` and `compare` read the plan back
from plan.xlsx and from the CSV dialects Dutch Excel saves.

One real solve of tests/data/small_region.yaml, with one buddy renamed to a non-ASCII id
(``b-gér-1``) so that a Windows-1252 file differs from UTF-8; every other test reads that
plan directory or a copy of one of its files.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from scheduler.io import load_scenario, read_plan
from scheduler.models import PLAN_COLUMNS, RowStatus
from scheduler.words.report import Text
from tests.cli_in_process import run

ROOT = Path(__file__).parents[1]
SMALL = ROOT / "tests" / "data" / "small_region.yaml"


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(scenario file, plan directory) of one real solve."""
    base = tmp_path_factory.mktemp("plan_files")
    scenario = base / "region.yaml"
    scenario.write_text(SMALL.read_text(encoding="utf-8").replace("b-ger-1", "b-gér-1"),
                        encoding="utf-8")
    code, _, err = run("solve", str(scenario), "--out", str(base / "plan"), "--workers", "1",
                       "--time-limit", "20", "--quiet")
    assert code == 0, err
    assert "b-gér-1" in (base / "plan" / "plan.csv").read_text(encoding="utf-8")
    return scenario, base / "plan"


def _excel_csv(plan_dir: Path, target: Path, encoding: str) -> Path:
    """plan.csv as Dutch Excel saves it: ';' between cells, CRLF, BOM or Windows-1252."""
    lines = (plan_dir / "plan.csv").read_text(encoding="utf-8").splitlines()
    target.write_bytes("\r\n".join(line.replace(",", ";") for line in lines).encode(encoding)
                      + b"\r\n")
    return target


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_check_accepts_a_plan_saved_by_dutch_excel(solved, tmp_path: Path, encoding: str):
    scenario, plan_dir = solved
    saved = _excel_csv(plan_dir, tmp_path / "plan-excel.csv", encoding)
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    assert read_plan(saved) == read_plan(plan_dir / "plan.csv")
    code, out, err = run("check", str(scenario), str(saved))
    assert code == 0, err
    assert "OK" in out


def test_check_reads_the_plan_sheet_of_plan_xlsx(solved, tmp_path: Path):
    scenario, plan_dir = solved
    assert read_plan(plan_dir / "plan.xlsx") == read_plan(plan_dir / "plan.csv")
    code, out, _ = run("check", str(scenario), str(plan_dir / "plan.xlsx"))
    assert code == 0 and "OK" in out
    # an edit made in Excel is what check sees: an unknown buddy breaks the buddy rule
    book = openpyxl.load_workbook(plan_dir / "plan.xlsx")
    sheet = book["plan"]
    header = [c.value for c in sheet[1]]
    assert header == list(PLAN_COLUMNS)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("status")].value
               == "placed")
    row[header.index("buddy")].value = "nobody-here"
    edited = tmp_path / "plan-edited.xlsx"
    book.save(edited)
    code, out, err = run("check", str(scenario), str(edited))
    assert code == 1 and "nobody-here" in out, out + err


def test_plan_xlsx_errors_give_the_spreadsheet_row(solved, tmp_path: Path):
    scenario, plan_dir = solved
    book = openpyxl.load_workbook(plan_dir / "plan.xlsx")
    sheet = book["plan"]
    sheet.cell(row=15, column=PLAN_COLUMNS.index("month") + 1, value="september")
    book.save(tmp_path / "plan.xlsx")
    code, _, err = run("check", str(scenario), str(tmp_path / "plan.xlsx"), "--lang", "en")
    assert code == 1 and "Traceback" not in err
    assert "plan, row 15," in err and "field 'month'" in err, err
    assert "'september' is not a month (expected YYYY-MM" in err, err
    # Dutch by default: the words around the file, row, field and value
    code, _, err = run("check", str(scenario), str(tmp_path / "plan.xlsx"))
    assert code == 1 and "Traceback" not in err and err.startswith("fout: "), err
    assert "plan, rij 15," in err and "veld 'month'" in err, err
    assert "'september' is geen maand (verwacht JJJJ-MM" in err, err


def test_a_bad_plan_file_speaks_dutch_unless_lang_en(solved, tmp_path: Path):
    scenario, _ = solved
    plan = tmp_path / "plan.csv"
    plan.write_text("learner,month,organisation,department,buddy,placement,status\n"
                    "L1,2027-09,A,A-1,b1,0,placed\nL1,2027-10,A,A-1,b1,1,maybe\n",
                    encoding="utf-8")
    code, _, err = run("check", str(scenario), str(plan))
    assert code == 1 and "Traceback" not in err, err
    assert "rij 1, id 'L1', veld 'placement': moet een plaatsingsnummer, een geheel getal ≥ 1 " \
           "zijn, maar is '0'" in err, err
    assert "rij 2, id 'L1', veld 'status': moet 'placed', 'unavailable' of 'unplaced' zijn, " \
           "maar is 'maybe'" in err, err
    code, _, err = run("check", str(scenario), str(plan), "--lang", "en")
    assert code == 1 and "Traceback" not in err, err
    assert "row 1, id 'L1', field 'placement': must be a placement number, a whole number ≥ 1," \
           " got '0'" in err, err
    assert "row 2, id 'L1', field 'status': must be 'placed', 'unavailable' or 'unplaced', " \
           "got 'maybe'" in err, err
    folder = run("check", str(scenario), str(tmp_path))[2]
    assert "is een map; geef plan.csv of de plan.xlsx die `scheduler solve` schreef" in folder


def test_solve_baseline_and_compare_take_plan_xlsx(solved, tmp_path: Path):
    scenario, plan_dir = solved
    out = tmp_path / "again"
    code, _, err = run("solve", str(scenario), "--out", str(out), "--workers", "1",
                       "--time-limit", "20", "--quiet", "--baseline", str(plan_dir / "plan.xlsx"))
    assert code == 0, err
    kpis = json.loads((out / "kpis.json").read_text(encoding="utf-8"))
    assert kpis["changed_learner_months"] == 0  # the baseline was read: nothing moved
    code, text, err = run("compare", str(plan_dir), str(plan_dir / "plan.xlsx"), "--lang", "en")
    assert code == 0, err
    assert "plan.xlsx: 0 learners moved, 0 learners added, 0 learners removed" in text, text


WRONG = {
    "scenario": (lambda s, p: s, "this is a scenario file, not a plan"),
    "kpis": (lambda s, p: p / "kpis.json", "this is a JSON file"),
    "variant": (lambda s, p: ROOT / "scenarios" / "variants" / "four-extra-places.yaml",
                "what-if variant file"),
    "folder": (lambda s, p: p, "is a folder"),
}


@pytest.mark.parametrize("case", list(WRONG))
def test_a_wrong_file_is_named_and_the_right_one_asked_for(solved, case: str):
    scenario, plan_dir = solved
    where, expected = WRONG[case]
    code, _, err = run("check", str(scenario), str(where(scenario, plan_dir)), "--lang", "en")
    assert code == 1 and "Traceback" not in err
    assert expected in err and "give plan.csv or the plan.xlsx" in err, err


def test_a_scenario_workbook_is_not_a_plan(solved, tmp_path: Path):
    scenario, _ = solved
    book = tmp_path / "region.xlsx"
    assert run("generate", "--learners", "5", "--organisations", "2", "--out", str(book))[0] == 0
    code, _, err = run("check", str(scenario), str(book), "--lang", "en")
    assert code == 1
    assert "scenario workbook, not a plan" in err and "no sheet 'plan'" in err, err
    table = tmp_path / "learners.csv"
    table.write_text("id,programme,home,start\nL1,tr,A,2027-09\n", encoding="utf-8")
    code, _, err = run("check", str(scenario), str(table), "--lang", "en")
    assert code == 1 and "scenario table (learners), not a plan" in err, err


# ----- plan.xlsx on paper --------------------------------------------------------------
def assert_prints_on_a4(book: openpyxl.Workbook) -> None:
    """A4; landscape but the plan sheet; fitted to the page width, or, where that would
    shrink the text below legibility, a few pages across; header row repeated."""
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert int(setup.paperSize) == 9, sheet.title  # A4
        assert int(setup.fitToHeight) == 0, sheet.title  # as many pages down as needed
        width = sum(sheet.column_dimensions[get_column_letter(i)].width or 8.43
                    for i in range(1, sheet.max_column + 1))
        wide = int(setup.fitToWidth)
        # about 190 width units (characters) per A4 landscape page keep text near 8 pt
        assert wide == 1 if width <= 190 else 1 < wide <= width / 150 + 1, (sheet.title, width)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert setup.orientation == ("portrait" if sheet.title == "plan" else "landscape")


def test_every_sheet_prints_on_a4_with_repeated_titles(solved):
    _, plan_dir = solved
    book = openpyxl.load_workbook(plan_dir / "plan.xlsx")
    assert_prints_on_a4(book)
    # the learner id and name stay on every page of the learners × months sheet
    assert book["Leerlingen"].print_title_cols == "$A:$B"
    assert book["Bezetting afdelingen"].print_title_cols == "$A:$A"


def test_one_sheet_per_organisation_lists_who_where_when_and_with_whom(solved):
    scenario_file, plan_dir = solved
    scenario = load_scenario(scenario_file)
    plan = read_plan(plan_dir / "plan.csv")
    book = openpyxl.load_workbook(plan_dir / "plan.xlsx")
    text = Text("nl")
    month_of = {f"{m} {y}": f"{y}-{i:02d}" for y in range(2025, 2032)
                for i, m in enumerate(text.months, start=1)}
    org_of = {d.id: d.organisation for d in scenario.departments}
    expected: dict[str, set[tuple[str, str, str, str]]] = {}
    for r in plan.rows:
        if r.status is not RowStatus.UNPLACED:
            expected.setdefault(org_of[r.department], set()).add(
                (r.learner, r.department, r.month, r.buddy))
    assert len(expected) >= 2  # several organisations host, or the test proves little
    for org in scenario.organisations:
        if org.id not in expected:
            assert org.id not in book.sheetnames
            continue
        sheet = book[org.id]
        header = [c.value for c in sheet[1]]
        assert header[:2] == ["Afdeling", "Leerling"] and "Werkbegeleider" in header
        assert org.name in sheet.oddHeader.center.text
        got = set()
        for row in sheet.iter_rows(min_row=2, values_only=True):
            cells = dict(zip(header, row, strict=True))
            first, last = month_of[cells["Van"]], month_of[cells["Tot en met"]]
            months = [m for m in sorted(month_of.values()) if first <= m <= last]
            assert len(months) == cells["Maanden"]
            got |= {(cells["Leerling"], cells["Afdeling"], m, cells["Werkbegeleider"] or "")
                    for m in months}
        assert got == expected[org.id], org.id

