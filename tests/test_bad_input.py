"""Bad scenario files end in exit 1 with a message naming file, table, row/id and field.

Every class of bad input runs the real CLI (``scheduler validate FILE``) in a subprocess;
the subprocesses of all cases run concurrently once per module to keep the suite fast.
A hypothesis test mutates a valid scenario at random: the loader returns a Scenario or
raises InputError, never anything else.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.errors import InputError
from scheduler.io import load_scenario, write_scenario
from scheduler.models import Scenario
from scheduler.validate import screen

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny.yaml"
BASE: dict[str, Any] = yaml.safe_load(TINY.read_text())
SCRIPT = Path(sys.executable).parent / "scheduler"
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "cli"]


def _yaml(mutate: Callable[[dict[str, Any]], object]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        doc = copy.deepcopy(BASE)
        mutate(doc)
        path = folder / "scenario.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
        return path
    return make


def _text(text: str | bytes, name: str = "scenario.yaml") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path
    return make


def _csv(table: str, edit: Callable[[list[str]], list[str]],
         scenario_edit: Callable[[str], str] = lambda t: t) -> Callable[[Path], Path]:
    """The CSV form of tiny, with one CSV file's lines edited."""
    def make(folder: Path) -> Path:
        for f in (FIXTURES / "tiny_csv").iterdir():
            shutil.copy(f, folder / f.name)
        path = folder / f"{table}.csv"
        path.write_text("\n".join(edit(path.read_text().splitlines())) + "\n")
        scenario = folder / "tiny.yaml"
        scenario.write_text(scenario_edit(scenario.read_text()))
        return scenario
    return make


def _set(table: str, row: int, **values: Any) -> Callable[[dict[str, Any]], object]:
    return lambda d: d[table][row].update(values)


def _xlsx_with_bad_cell(folder: Path) -> Path:
    path = folder / "tiny.xlsx"
    write_scenario(load_scenario(TINY), path)
    book = openpyxl.load_workbook(path)
    sheet = book["departments"]
    column = [c.value for c in sheet[1]].index("capacity") + 1
    sheet.cell(row=4, column=column, value="twee")  # spreadsheet row 4 (data row 3): LIV-WIJK1
    book.save(path)
    return path


def _broken_references(d: dict[str, Any]) -> None:
    d["departments"][0]["organisation"] = "ZGX"
    d["buddies"][0]["department"] = "ZGT-CHIRR"
    d["learners"][0]["programme"] = "traine"
    d["learners"][1]["home"] = "LIVV"
    d["learners"][2]["preferences"] = ["Livio"]
    d["learners"][4]["history"] = ["LIV-WIJK9"]
    d["pins"][0]["buddy"] = "b-nobody"
    d["pins"][1]["learner"] = "T9"
    d["pins"][2]["department"] = "ZGT-XYZ"


BOMB = "scenario: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))

# name → (build the input in a folder, strings that must appear in stderr)
CASES: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "file_missing": (lambda f: f / "nope.yaml", ["nope.yaml", "not found"]),
    "empty_file": (_text(""), ["scenario.yaml", "empty"]),
    "not_yaml": (_text("scenario: 1\ncalendar:\n  start: 2027-09\n months: 18\n"),
                 ["scenario.yaml", "not valid YAML: line 4"]),
    "top_not_mapping": (_text("- scenario\n- 1\n"), ["top level must be a mapping"]),
    "version_missing": (_yaml(lambda d: d.pop("scenario")), ["field 'scenario'", "scenario: 1"]),
    "version_2": (_yaml(lambda d: d.update(scenario=2)),
                  ["unknown format version 2; this program reads version 1"]),
    "missing_sections": (
        _yaml(lambda d: [d.pop(k) for k in ("calendar", "organisations", "departments",
                                            "programmes")]),
        ["section 'calendar'", "section 'organisations'", "section 'departments'",
         "section 'programmes'"]),
    "malformed_months": (
        _yaml(lambda d: (d["learners"][0].update(start="2027-13"),
                         d["buddies"][1].update(unavailable=["2027-9x"]))),
        ["learners, row 1, id 'T1', field 'start'", "2027-13", "months run from 01 to 12",
         "buddies, row 2, id 'b-chir-2', field 'unavailable'", "'2027-9x'"]),
    "bad_numbers_csv": (
        _csv("departments", lambda ls: [ls[0], ls[1].replace(",2,", ",-1,"), *ls[2:4],
                                        ls[4].replace(",1,", ",twee,"), *ls[5:]]),
        ["departments.csv, departments, row 1, id 'ZGT-CHIR', field 'capacity': must be a "
         "whole number ≥ 0, got '-1'",
         "departments.csv, departments, row 4, id 'LIV-WIJK2', field 'capacity': must be a "
         "whole number ≥ 0, got 'twee'"]),
    "zero_fte": (_yaml(_set("organisations", 2, fte_care=0)),
                 ["organisations, row 3, id 'CAR', field 'fte_care'", "greater than 0, got 0"]),
    "impossible_coordinates": (_yaml(_set("organisations", 0, lat=123)),
                               ["id 'ZGT', field 'lat'", "between -90 and 90, got 123"]),
    "unknown_references": (_yaml(_broken_references), [
        "departments, row 1, id 'ZGT-CHIR', field 'organisation': unknown organisation 'ZGX'",
        "buddies, row 1, id 'b-chir-1', field 'department': unknown department 'ZGT-CHIRR'",
        "learners, row 1, id 'T1', field 'programme': unknown programme 'traine'",
        "id 'T2', field 'home': unknown organisation 'LIVV'",
        "id 'B1', field 'preferences': 'Livio' is neither an organisation nor a department",
        "id 'B0', field 'history': unknown department 'LIV-WIJK9'",
        "pins, row 1, id 'B0', field 'buddy': unknown buddy 'b-nobody'",
        "pins, row 2, id 'T9', field 'learner': unknown learner 'T9'",
        "pins, row 3, id 'H1', field 'department': unknown department 'ZGT-XYZ'"]),
    "pin_buddy_elsewhere": (_yaml(_set("pins", 0, buddy="b-ger-1")),
                            ["pins, row 1", "field 'buddy'", "belongs to department 'ZGT-GER'"]),
    "history_too_long": (_yaml(_set("learners", 4, history=["LIV-WIJK1", "CAR-SOM"])),
                         ["id 'B0', field 'history'", "only 1 placement(s) ended before"]),
    "duplicate_ids": (_yaml(lambda d: d["learners"].append(dict(d["learners"][2]))),
                      ["learners, row 9, id 'B1', field 'id'", "used more than once"]),
    "missing_csv_file": (_csv("pins", lambda ls: ls, lambda t: t.replace("pins.csv", "pin.csv")),
                         ["pin.csv", "pins", "not found"]),
    "empty_csv_file": (_csv("buddies", lambda ls: []), ["buddies.csv", "empty"]),
    "csv_outside_folder": (_csv("pins", lambda ls: ls,
                                lambda t: t.replace("pins.csv", "../pins.csv")),
                           ["pins", "leaves the scenario file's folder"]),
    "csv_absolute_path": (_csv("pins", lambda ls: ls,
                               lambda t: t.replace("pins.csv", "/etc/passwd")),
                          ["pins", "is absolute"]),
    "empty_placement_list": (_yaml(_set("programmes", 0, placements=[])),
                             ["programmes, row 1, id 'trainee', field 'placements'",
                              "at least one placement length"]),
    "zero_placement_length": (_yaml(_set("programmes", 0, placements=[6, 0])),
                              ["programmes, row 1, id 'trainee', field 'placements"]),
    "negative_capacity_by_month": (
        _yaml(_set("departments", 2, capacity_by_month={"2028-01": -2})),
        ["departments, row 3, id 'LIV-WIJK1', field 'capacity_by_month"]),
    "empty_placement_cell": (_csv("programmes", lambda ls: [ls[0], ls[1].replace("6;6", ""),
                                                            *ls[2:]]),
                             ["programmes.csv, programmes, row 1, id 'trainee', "
                              "field 'placements': is required"]),
    "invalid_shift_kind": (_yaml(_set("departments", 2, shifts="wissel")),
                           ["id 'LIV-WIJK1', field 'shifts'", "'fixed'", "'rotating'",
                            "got 'wissel'"]),
    "unknown_column": (_csv("learners", lambda ls: [ls[0] + ",favourite", *ls[1:]]),
                       ["learners.csv, learners", "unknown column(s) 'favourite'"]),
    "unknown_keys": (_yaml(lambda d: (d.update(calender={}), d["departments"][1].update(cap=1),
                                      d["policy"]["weights"].update(speed=1))),
                     ["unknown key(s) 'calender'", "id 'ZGT-GER'", "unknown field(s) 'cap'",
                      "field 'weights.speed'", "the keys of policy.weights are"]),
    "wrong_suffix": (_text("scenario: 1\n", "scenario.txt"), ["scenario.txt", ".yaml"]),
    "xlsx_not_a_workbook": (_text(b"PK\x03\x04 not really", "tiny.xlsx"),
                            ["tiny.xlsx", "not an Excel workbook"]),
    "xlsx_bad_cell": (_xlsx_with_bad_cell,
                      ["tiny.xlsx, departments, row 4, id 'LIV-WIJK1', field 'capacity'",
                       "got 'twee'"]),
    "yaml_alias_bomb": (_text(BOMB), ["line", "values (too many aliases)"]),
    "yaml_deep_nesting": (_text("scenario: 1\nname: " + "[" * 100_000), ["nested more than"]),
    "non_finite_number": (_yaml(_set("learners", 5, max_travel_km=float("inf"))),
                          ["id 'H1', field 'max_travel_km'", "not a finite number"]),
}


# The CLI's entry point, run for every case inside ONE subprocess (importing the CLI
# once instead of thirty times keeps this suite fast); exit codes come from sys.exit.
# The cases assert the English messages (--lang en); Dutch, the default, is tested below.
DRIVER = """
import contextlib, io, json, sys, traceback
from cli import main
results = {}
for path in json.loads(open(sys.argv[1]).read()):
    err, out, code = io.StringIO(), io.StringIO(), None
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            main(["validate", path, "--lang", "en"])
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            traceback.print_exc()
            code = "escaped"
    results[path] = [code, err.getvalue(), out.getvalue()]
print(json.dumps(results))
"""
SEPARATE = ("bad_numbers_csv", "xlsx_bad_cell", "yaml_alias_bomb")  # also as own processes


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, str]]:
    paths = {name: make(tmp_path_factory.mktemp(name)) for name, (make, _) in CASES.items()}
    listing = tmp_path_factory.mktemp("driver") / "paths.json"
    listing.write_text(json.dumps([str(p) for p in paths.values()]))
    driver = subprocess.run([sys.executable, "-c", DRIVER, str(listing)], capture_output=True,
                            text=True, timeout=300, cwd=Path(__file__).parent.parent)
    assert driver.returncode == 0, driver.stderr
    found = json.loads(driver.stdout)
    return {name: (found[str(path)][0], found[str(path)][1]) for name, path in paths.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_exits_1_with_a_located_message(
    cli_results: dict[str, tuple[Any, str]], name: str
) -> None:
    code, stderr = cli_results[name]
    assert code == 1, stderr
    assert "Traceback" not in stderr
    for expected in CASES[name][1]:
        assert expected in stderr, (expected, stderr)


@pytest.mark.parametrize("name", SEPARATE)
def test_console_script_exits_1(tmp_path: Path, name: str) -> None:
    path = CASES[name][0](tmp_path)
    began = time.perf_counter()
    result = subprocess.run([*CLI, "validate", str(path), "--lang", "en"], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    for expected in CASES[name][1]:
        assert expected in result.stderr
    assert time.perf_counter() - began < 30


# ----- in-process: rows in CSV files, many problems at once, limits --------------------
def _load_case(tmp_path: Path, make: Callable[[Path], Path]) -> str:
    with pytest.raises(InputError) as caught:
        load_scenario(make(tmp_path))
    return str(caught.value)


def test_reference_error_names_the_csv_row(tmp_path: Path) -> None:
    # departments.csv has a blank line 5: CAR-PG1 is data row 6, the 5th department
    text = _load_case(tmp_path, _csv("departments", lambda ls: [
        ln.replace("CAR-PG1,CAR", "CAR-PG1,CRA") for ln in ls]))
    assert "departments.csv, departments, row 6, id 'CAR-PG1', field 'organisation'" in text


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    def many(d: dict[str, Any]) -> None:
        d["organisations"][0]["fte_care"] = -5
        d["departments"][3]["capacity"] = "veel"
        d["learners"][6]["start"] = "2028-00"
    text = _load_case(tmp_path, _yaml(many))
    assert "id 'ZGT', field 'fte_care'" in text
    assert "id 'LIV-WIJK2', field 'capacity'" in text
    assert "id 'H2', field 'start'" in text


def test_row_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.io import csv_tables, scenario_io

    monkeypatch.setattr(csv_tables, "MAX_TABLE_ROWS", 3)
    monkeypatch.setattr(scenario_io, "MAX_TABLE_ROWS", 3)
    assert "more than 3 rows" in _load_case(tmp_path, _yaml(lambda d: None))
    assert "more than 3 rows" in _load_case(tmp_path, _csv("learners", lambda ls: ls))


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.io import scenario_schema

    monkeypatch.setattr(scenario_schema, "MAX_FILE_BYTES", 1000)
    assert "larger than the limit" in _load_case(tmp_path, _yaml(lambda d: None))


def test_allow_outside_reads_a_table_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    make = _csv("pins", lambda ls: ls, lambda t: t.replace("pins.csv", "../shared-pins.csv"))
    scenario = make(tmp_path / "tables")
    shutil.copy(tmp_path / "tables" / "pins.csv", tmp_path / "shared-pins.csv")
    with pytest.raises(InputError):
        load_scenario(scenario)
    assert load_scenario(scenario, allow_outside=True) == load_scenario(TINY)


def test_duplicate_yaml_key_is_reported(tmp_path: Path) -> None:
    text = TINY.read_text().replace("name: Tiny Twente", "name: Tiny Twente\nname: Twee")
    assert "key 'name' is given twice" in _load_case(tmp_path, _text(text))


# ----- hypothesis: random damage never escapes as anything but InputError ---------------
WEIRD = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 30), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), st.dates(),
    st.sampled_from(["", " ", "2027-13", "2027-9x", "2028-01/2027-01", "=1+1", "ZGT",
                     "CAR-PG1", "b-ger-1", "T1", "yes", "-1", "1e400", "2027-12=x", "3;4",
                     "fixed", "rotating", "2027-09", "0"]),
    st.lists(st.one_of(st.integers(-2, 8), st.text(max_size=4)), max_size=4),
    st.dictionaries(st.text(max_size=6), st.integers(-2, 3), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, child in items:
        out.append((*prefix, key))
        out.extend(_paths(child, (*prefix, key)))
    return out


def _mutate(doc: dict[str, Any], data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_paths(doc)))
    parent: Any = doc
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    action = data.draw(st.sampled_from(["drop", "replace", "replace", "duplicate"]))
    if action == "drop":
        del parent[key]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    else:
        parent[key] = data.draw(WEIRD)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_damage_gives_scenario_or_input_error(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    doc = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate(doc, data)
    path = tmp_path_factory.getbasetemp() / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    try:
        scenario = load_scenario(path)
    except InputError as exc:
        assert exc.issues and all(i.file for i in exc.issues)
        return
    assert isinstance(scenario, Scenario)
    assert all(f.level in ("error", "warning") for f in screen(scenario))


@settings(max_examples=40, deadline=None)
@given(table=st.sampled_from(["departments", "learners", "pins", "programmes"]),
       at=st.integers(0, 8), cell=st.text(max_size=15))
def test_random_csv_cell_gives_scenario_or_input_error(
    tmp_path_factory: pytest.TempPathFactory, table: str, at: int, cell: str
) -> None:
    folder = tmp_path_factory.getbasetemp() / "fuzzcsv"
    folder.mkdir(exist_ok=True)

    def edit(lines: list[str]) -> list[str]:
        line = at % len(lines)
        parts = lines[line].split(",")
        parts[len(cell) % len(parts)] = '"' + cell.replace('"', '""') + '"'
        return [*lines[:line], ",".join(parts), *lines[line + 1:]]
    try:
        load_scenario(_csv(table, edit)(folder))
    except InputError:
        pass


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200))
def test_random_text_gives_input_error(tmp_path_factory: pytest.TempPathFactory,
                                       text: str) -> None:
    path = tmp_path_factory.getbasetemp() / "random.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with pytest.raises(InputError):
        load_scenario(path)


def test_excel_dates_in_a_hand_made_sheet_are_months(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_scenario(load_scenario(TINY), path)
    book = openpyxl.load_workbook(path)
    book["learners"]["E2"] = dt.datetime(2027, 9, 1)  # start of T1 as an Excel date
    book.save(path)
    assert load_scenario(path).learner["T1"].start == "2027-09"


def test_workbook_sheet_and_key_problems(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_scenario(load_scenario(TINY), path)
    book = openpyxl.load_workbook(path)
    book.create_sheet("notes")
    book["scenario"].append(["calendar.begin", "2027-09"])
    del book["programmes"]
    book.save(path)
    text = _load_case(tmp_path, lambda folder: path)
    assert "s.xlsx: unknown sheet(s) 'notes'" in text
    assert "s.xlsx, scenario, row " in text and "unknown key 'calendar.begin'" in text
    assert "s.xlsx, programmes: the section 'programmes' is missing" in text
