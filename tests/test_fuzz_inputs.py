"""Hostile and messy input: every case ends in a Scenario or an InputError, quickly.

What coordinators really feed the tool (spreadsheets edited by many hands) and what an
attacker could: random bytes, truncated and damaged files, other encodings, Dutch
decimal commas, Excel dates, merged cells, formulas, hidden sheets, empty rows, stray
spaces, a 100,000-row table, YAML bombs. In-process cases assert the outcome type and a
time bound per example; the nastiest run the real console script in a subprocess with
a timeout and an address-space limit, and must exit 1 with a clear message, no traceback.

The hypothesis tests run a bounded number of examples here; ``tests/fuzz_long.py``
(``make fuzz``) runs many more through ``SCHEDULER_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.errors import InputError
from scheduler.io import load_scenario, read_plan_csv, write_scenario
from scheduler.models import PLAN_COLUMNS, Plan, Scenario

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny.yaml"
TINY_CSV = FIXTURES / "tiny_csv"
BASE = load_scenario(TINY)
SCRIPT = Path(sys.executable).parent / "scheduler"
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "cli"]

LOAD_SECONDS = 10.0  # one small damaged file: far less in practice (~0.05 s)
CLI_SECONDS = 60.0  # one nasty file through the console script (~1-3 s here)
CLI_MEMORY = 2 * 1024**3  # address-space limit for those processes
CLI_MAX_RSS_MB = 1024  # and what their peak resident memory must stay under


def examples(n: int) -> int:
    """``n`` in ``make test``; ``SCHEDULER_FUZZ_EXAMPLES`` × n/50 under ``make fuzz``."""
    scale = int(os.environ.get("SCHEDULER_FUZZ_EXAMPLES", "0"))
    return max(n, scale * n // 50) if scale else n


def fuzz(n: int) -> settings:
    return settings(max_examples=examples(n), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


HANG_SECONDS = 10  # one generated input read for longer is a hang: the example fails
TALLY = os.environ.get("SCHEDULER_FUZZ_TALLY")  # tests/fuzz_long.py counts inputs here


class Hang(Exception):
    """A generated input was still being read after HANG_SECONDS."""


def _hang(signum: int, frame: object) -> None:  # noqa: ARG001
    raise Hang(f"reading one generated input took more than {HANG_SECONDS} s")


@contextmanager
def one_input(kind: str) -> Iterator[None]:
    """Read one generated input of ``kind`` (yaml, csv, xlsx, variant, plan): interrupted
    as a Hang after HANG_SECONDS, and counted under ``make fuzz``."""
    old = signal.signal(signal.SIGALRM, _hang)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    if TALLY:
        with open(TALLY, "a", encoding="utf-8") as tally:
            tally.write(kind + "\n")


# ----- outcome helpers ------------------------------------------------------------------
def outcome(path: Path, **kwargs: Any) -> Scenario | InputError:
    """load_scenario's result: a Scenario or the InputError; anything else escapes."""
    began = time.perf_counter()
    try:
        result: Scenario | InputError = load_scenario(path, **kwargs)
    except InputError as exc:
        assert exc.issues, "an InputError without issues"
        assert all(issue.file for issue in exc.issues), str(exc)
        assert "Traceback" not in str(exc)
        result = exc
    assert time.perf_counter() - began < LOAD_SECONDS
    return result


def located(error: Scenario | InputError, *needles: str) -> str:
    assert isinstance(error, InputError), "expected an InputError"
    text = str(error)
    for needle in needles:
        assert needle in text, (needle, text)
    return text


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("xlsx") / "tiny.xlsx"
    write_scenario(BASE, path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def plan_xlsx_bytes() -> bytes:
    """SEED_PLAN as the ``plan`` sheet of a workbook (what check/compare/--baseline read)."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "plan"
    for line in SEED_PLAN.splitlines():
        sheet.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def fresh(scratch: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=scratch))


def csv_copy(folder: Path) -> Path:
    for f in TINY_CSV.iterdir():
        shutil.copy(f, folder / f.name)
    return folder / "tiny.yaml"


def workbook(folder: Path, data: bytes, edit: Callable[[Any], object]) -> Path:
    path = folder / "edited.xlsx"
    path.write_bytes(data)
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


def column(sheet: Any, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


# ----- random bytes, truncation, damage -------------------------------------------------
RANDOM_FILES = st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),  # looks like a zip
    st.binary(max_size=2048).map(lambda b: b"scenario: 1\n" + b),
    st.binary(max_size=2048).map(lambda b: b"\xef\xbb\xbf" + b),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@fuzz(60)
@given(data=RANDOM_FILES, suffix=st.sampled_from([".yaml", ".yml", ".xlsx", ".YAML"]))
def test_random_bytes_as_a_scenario_file(scratch: Path, data: bytes, suffix: str) -> None:
    path = fresh(scratch) / f"random{suffix}"
    path.write_bytes(data)
    with one_input("xlsx" if suffix == ".xlsx" else "yaml"):
        assert isinstance(outcome(path), InputError)


@fuzz(40)
@given(table=st.sampled_from(sorted(p.stem for p in TINY_CSV.glob("*.csv"))), data=RANDOM_FILES)
def test_random_bytes_as_a_csv_table(scratch: Path, table: str, data: bytes) -> None:
    scenario = csv_copy(fresh(scratch))
    (scenario.parent / f"{table}.csv").write_bytes(data)
    with one_input("csv"):
        result = outcome(scenario)
    if isinstance(result, InputError):
        assert any(f"{table}" in str(i) for i in result.issues), str(result)


SEED_VARIANT = (f"base: {TINY}\nname: extra places\nchanges:\n"
                "  - add_capacity: {department: ZGT-CHIR, amount: 2, from: 2027-10, to: 2028-01}\n"
                "  - add_learners: {count: 2, programme: bbl-vig, start: 2027-09, home: CAR}\n"
                "  - buddy_unavailable: {buddy: b-chir-1, from: 2027-12, to: 2028-02}\n")
SEED_PLAN = ("learner,month,organisation,department,buddy,placement,status\n"
             "T1,2027-09,ZGT,ZGT-GER,b-ger-1,1,placed\nT1,2027-10,ZGT,ZGT-GER,b-ger-1,1,placed\n"
             "S1,2028-02,,,,1,unplaced\n")
# Values an independent fuzz run and the issues found hostile, put where a value goes.
HOSTILE = [
    "0x" + "f" * 5000, "7" * 5000, "-" + "7" * 5000, "7" * 5000 + ".5", "1e999", "-1e999",
    ".nan", ".inf", "NaN", "!!bool maybe", "!!timestamp soon", "!!int x", "!!float y",
    "!!binary x", "!!set {a}", "!!map x", "!!str [1]", "2027-13-45", "0000-00", "9999-99",
    "1900-01/2983-04", "2983-04/1900-01", "1900-01", "2999-12", "~", "null", "''", "[]", "{}",
    "[" * 70 + "]" * 70, "*nope", "&a x", "? x", "=1+1", "-1", "0", "1e308", "0x10", "0o7",
    "1_000", "1:30:00", "ja", "nee", "2027-09-31", "x" * 10_000, "\u202e", "\x00", "a\tb",
]
_TEXT_SLOT = re.compile(rb"(?<=: )[^,}\]\n]+|(?<=[,;\n])[^,;\n]+")
_XLSX_SLOT = re.compile(rb"(?<=<v>)[^<]*(?=</v>)|(?<=<t>)[^<]*(?=</t>)")


def _forms(xlsx: bytes, plan_xlsx: bytes) -> dict[str, tuple[str, bytes]]:
    forms = {"yaml": ("tiny.yaml", TINY.read_bytes()), "xlsx": ("tiny.xlsx", xlsx),
             "variant": ("variant.yaml", SEED_VARIANT.encode()),
             "plan": ("plan.csv", SEED_PLAN.encode()),
             "plan_xlsx": ("plan.xlsx", plan_xlsx)}
    for f in TINY_CSV.glob("*.csv"):
        forms[f"csv:{f.stem}"] = (f.name, f.read_bytes())
    return forms


def _hostile_values(content: bytes, slot: re.Pattern[bytes], data: st.DataObject,
                    escape: Callable[[str], str]) -> bytes:
    """Up to three values replaced by hostile ones (the slots found by ``slot``)."""
    for _ in range(data.draw(st.integers(0, 3))):
        spots = [m.span() for m in slot.finditer(content)]
        if not spots:
            break
        a, b = spots[data.draw(st.integers(0, len(spots) - 1))]
        content = content[:a] + escape(data.draw(st.sampled_from(HOSTILE))).encode() + content[b:]
    return content


def _csv_escape(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if re.search(r'[,;"\n]', value) else value


def _xml_escape(value: str) -> str:
    return html.escape(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value), quote=False)


def _hostile_workbook(content: bytes, data: st.DataObject) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(buffer, "w") as dst:
        sheets = sorted(n for n in src.namelist() if n.startswith("xl/worksheets/sheet"))
        chosen = data.draw(st.sampled_from(sheets))
        for item in src.infolist():
            part = src.read(item.filename)
            if item.filename == chosen:
                part = _hostile_values(part, _XLSX_SLOT, data, _xml_escape)
            dst.writestr(item, part)
    return buffer.getvalue()


def _read_form(form: str, path: Path) -> object:
    """The reader of that form: a result or an InputError; anything else escapes."""
    if form == "variant":
        try:
            return _variants_module().load_variant(path, base=BASE)
        except InputError as exc:
            assert exc.issues and all(i.file for i in exc.issues)
            return exc
    if form in ("plan", "plan_xlsx"):
        try:
            return read_plan_csv(path)
        except InputError as exc:
            assert exc.issues and all(i.file for i in exc.issues)
            return exc
    return outcome(path)


@fuzz(80)
@given(data=st.data())
def test_truncated_or_damaged_files(scratch: Path, xlsx_bytes: bytes, plan_xlsx_bytes: bytes,
                                    data: st.DataObject) -> None:
    """Every form (scenario YAML, CSV table, workbook, variant, plan.csv and plan.xlsx),
    with hostile values put where values go, then perhaps cut short and bytes changed."""
    forms = _forms(xlsx_bytes, plan_xlsx_bytes)
    form = data.draw(st.sampled_from(sorted(forms)))
    name, content = forms[form]
    if form in ("xlsx", "plan_xlsx"):
        content = _hostile_workbook(content, data)
    else:
        escape = _csv_escape if form.startswith("csv:") or form == "plan" else str
        content = _hostile_values(content, _TEXT_SLOT, data, escape)
    if data.draw(st.booleans()):
        content = content[: data.draw(st.integers(0, len(content)))]
    damaged = bytearray(content)
    for _ in range(data.draw(st.integers(0, 3)) if damaged else 0):
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged[at] = data.draw(st.integers(0, 255))
    folder = fresh(scratch)
    if form.startswith("csv:"):
        scenario = csv_copy(folder)
        (folder / name).write_bytes(bytes(damaged))
    else:
        scenario = folder / name
        scenario.write_bytes(bytes(damaged))
    with one_input(form.split(":")[0]):
        _read_form(form, scenario)  # a result (a harmless cut or value) or an InputError


def _upload_forms(xlsx: bytes) -> dict[str, bytes]:
    """The tiny scenario as each upload form: YAML, workbook, zip of YAML and CSV tables."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for f in sorted(TINY_CSV.iterdir()):
            z.writestr(f"tiny/{f.name}", f.read_bytes())
    return {"tiny.yaml": TINY.read_bytes(), "tiny.xlsx": xlsx, "tiny.zip": buffer.getvalue()}


def _hostile_zip(content: bytes, data: st.DataObject) -> bytes:
    """Hostile values in one CSV table, perhaps an entry that leaves the folder or a link."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(buffer, "w") as dst:
        names = src.namelist()
        chosen = data.draw(st.sampled_from(names))
        for name in names:
            part = src.read(name)
            if name == chosen:
                part = _hostile_values(part, _TEXT_SLOT, data, _csv_escape)
            dst.writestr(name, part)
        extra = data.draw(st.sampled_from(["", "../up.csv", "/abs.yaml", "tiny/run.sh",
                                           "tiny/../../x.yaml", "link"]))
        if extra == "link":
            info = zipfile.ZipInfo("tiny/learners2.csv")
            info.external_attr = (0o120777) << 16
            dst.writestr(info, "/etc/passwd")
        elif extra:
            dst.writestr(extra, b"x")
    return buffer.getvalue()


@fuzz(60)
@given(data=st.data())
def test_damaged_uploads_end_in_a_message(scratch: Path, xlsx_bytes: bytes,
                                          data: st.DataObject) -> None:
    """The workbench's upload handling (in-process, not over HTTP) on hostile YAML, zip and
    xlsx bytes: an imported scenario or an InputError naming the uploaded file, nothing
    left in the staging folder, never a traceback or a hang."""
    from scheduler.web.uploads import import_upload
    from scheduler.web.workspace import Workspace

    forms = _upload_forms(xlsx_bytes)
    name = data.draw(st.sampled_from(sorted(forms)))
    content = forms[name]
    if name.endswith(".xlsx"):
        content = _hostile_workbook(content, data)
    elif name.endswith(".zip"):
        content = _hostile_zip(content, data)
    else:
        content = _hostile_values(content, _TEXT_SLOT, data, str)
    if data.draw(st.booleans()):
        content = content[: data.draw(st.integers(0, len(content)))]
    damaged = bytearray(content)
    for _ in range(data.draw(st.integers(0, 3)) if damaged else 0):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    ws = Workspace(fresh(scratch) / "ws")
    shown = data.draw(st.sampled_from([name, f"../../{name}", f"C:\\x\\{name}"]))
    with one_input("upload"):
        try:
            imported = import_upload(ws, shown, bytes(damaged))
        except InputError as exc:
            assert exc.issues and all(i.file.startswith(name) for i in exc.issues), str(exc)
            assert str(ws.root) not in str(exc) and "Traceback" not in str(exc)
            assert ws.names() == []
        else:
            assert ws.names() == [imported]
    assert list(ws.uploads.iterdir()) == []  # the staging folder is always cleaned up
    assert sorted(p.name for p in ws.root.iterdir()) == [".uploads", "scenarios"]
    assert not (ws.root.parent / "up.csv").exists() and not (ws.root.parent / "x.yaml").exists()


# ----- encodings ------------------------------------------------------------------------
ACCENTED = TINY.read_text().replace("Anna de Vries", "Anaïs Çelik-Müller").replace(
    "Bram Jansen", "Sjoerd ’t Hoën")


@pytest.mark.parametrize("encoding, ok", [
    ("utf-8", True), ("utf-8-sig", True), ("cp1252", True), ("utf-16", None),
    ("utf-16-le", None), ("utf-32", None),
])
def test_scenario_encodings(tmp_path: Path, encoding: str, ok: bool | None) -> None:
    """UTF-8 (with or without BOM) and Windows-1252 (Latin-1) read the accents right;
    UTF-16/32 (Excel's "Unicode text") either read right or end in a located error."""
    path = tmp_path / "s.yaml"
    path.write_bytes(ACCENTED.encode(encoding))
    result = outcome(path)
    if ok or isinstance(result, Scenario):
        assert isinstance(result, Scenario), str(result)
        assert result.learner["T2"].name == "Anaïs Çelik-Müller"
        assert result.learner["B0"].name == "Sjoerd ’t Hoën"
    else:
        located(result, str(path))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "latin-1"])
def test_csv_table_encodings(tmp_path: Path, encoding: str) -> None:
    scenario = csv_copy(tmp_path)
    table = tmp_path / "learners.csv"
    table.write_bytes(table.read_text().replace("Anna de Vries", "Anaïs Çelik").encode(encoding))
    result = outcome(scenario)
    assert isinstance(result, Scenario), str(result)
    assert result.learner["T2"].name == "Anaïs Çelik"


# ----- Dutch decimal commas -------------------------------------------------------------
def test_dutch_decimal_commas_in_csv_yaml_and_excel(tmp_path: Path, xlsx_bytes: bytes) -> None:
    scenario = csv_copy(tmp_path)  # organisations.csv is ';'-separated with "52,356"
    learners = tmp_path / "learners.csv"
    learners.write_text(learners.read_text().replace("5,,,60,,,", "5,,,\"60,5\",,,"))
    result = outcome(scenario)
    assert isinstance(result, Scenario), str(result)
    assert result.organisation["ZGT"].lat == pytest.approx(52.356)
    assert result.learner["H1"].max_travel_km == pytest.approx(60.5)

    block = "  - id: CAR\n    sector: VVT\n    fte_care: 2100,5\n    lat: 52,265\n    lon: 6.793\n"
    text = re.sub(r"  - \{id: CAR,[^\n]*\n", block, TINY.read_text())
    (tmp_path / "comma.yaml").write_text(text)
    result = outcome(tmp_path / "comma.yaml")
    assert isinstance(result, Scenario), str(result)
    assert result.organisation["CAR"].fte_care == pytest.approx(2100.5)
    assert result.organisation["CAR"].lat == pytest.approx(52.265)
    # in a {flow: mapping} the comma separates fields: a located error, not a wrong number
    text = TINY.read_text().replace("fte_care: 2100.5", "fte_care: 2100,5")
    (tmp_path / "flow.yaml").write_text(text)
    located(outcome(tmp_path / "flow.yaml"), "organisations, row 3, id 'CAR'")

    def comma(book: Any) -> None:
        sheet = book["organisations"]
        sheet.cell(row=2, column=column(sheet, "lat"), value="52,356")
        sheet.cell(row=3, column=column(sheet, "fte_care"), value="1.800,0")  # thousands dot
    text = located(outcome(workbook(tmp_path, xlsx_bytes, comma)),
                   "organisations, row 3, id 'LIV', field 'fte_care'", "'1.800,0'")  # sheet row
    assert "ZGT" not in text  # "52,356" was read as 52.356


# ----- Excel: dates, merged cells, formulas, hidden sheets, empty rows ------------------
@pytest.mark.parametrize("value", [
    dt.datetime(2027, 9, 1), dt.date(2027, 9, 1), dt.datetime(2027, 9, 30, 17, 45),
    "2027-09", "2027-09-01", " 2027-09 ", 46631, 46631.0, "1-9-2027", "sep-27",
])
def test_excel_months_as_dates_numbers_or_text(tmp_path: Path, xlsx_bytes: bytes,
                                               value: Any) -> None:
    """A month is read right (dates, ISO text) or refused naming row and field (an
    Excel serial number or a Dutch date text is ambiguous: refused, not guessed)."""
    def edit(book: Any) -> None:
        sheet = book["learners"]
        sheet.cell(row=2, column=column(sheet, "start"), value=value)
        sheet = book["buddies"]  # a list-of-months cell holding a single date
        sheet.cell(row=3, column=column(sheet, "unavailable"), value=value)
    result = outcome(workbook(tmp_path, xlsx_bytes, edit))
    if isinstance(result, Scenario):
        assert result.learner["T1"].start == "2027-09"
        assert "2027-09" in result.buddy["b-chir-2"].unavailable
    else:
        located(result, "learners, row 2, id 'T1', field 'start'",  # the sheet's rows
                "buddies, row 3, id 'b-chir-2', field 'unavailable'")


def test_merged_cells_are_located_errors(tmp_path: Path, xlsx_bytes: bytes) -> None:
    def merge_down(book: Any) -> None:  # one organisation cell spanning two departments
        sheet = book["departments"]
        col = openpyxl.utils.get_column_letter(column(sheet, "organisation"))
        sheet.merge_cells(f"{col}2:{col}3")
    located(outcome(workbook(tmp_path, xlsx_bytes, merge_down)),
            "departments, row 3, id 'ZGT-GER', field 'organisation'")  # sheet row 3

    def merge_header(book: Any) -> None:
        book["learners"].merge_cells("A1:B1")
    located(outcome(workbook(tmp_path, xlsx_bytes, merge_header)), "learners")


def _with_cached_value(path: Path, sheet_xml: str, cell: str, value: str) -> None:
    """Give a formula cell the value Excel would have stored when saving."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet_xml:
                data = re.sub(rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v\s*/>'.encode(),
                              rb"\1<v>" + value.encode() + rb"</v>", data)
            dst.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def test_formulas_use_the_value_excel_stored(tmp_path: Path, xlsx_bytes: bytes) -> None:
    def formula(book: Any) -> None:
        sheet = book["departments"]
        sheet.cell(row=2, column=column(sheet, "capacity"), value="=1+1")
        sheet = book["learners"]
        sheet.cell(row=3, column=column(sheet, "name"), value='=HYPERLINK("http://x","klik")')
    path = workbook(tmp_path, xlsx_bytes, formula)
    # never calculated (written by a program, not Excel): no value, so a located error
    located(outcome(path), "departments, row 2, id 'ZGT-CHIR', field 'capacity'")  # sheet row
    names = openpyxl.load_workbook(path).sheetnames
    sheet_xml = f"xl/worksheets/sheet{names.index('departments') + 1}.xml"
    _with_cached_value(path, sheet_xml, f"{openpyxl.utils.get_column_letter(5)}2", "2")
    result = outcome(path)
    assert isinstance(result, Scenario), str(result)
    assert result.department["ZGT-CHIR"].capacity == 2
    assert result.learner["T2"].name in (None, "klik")  # the formula text is never read


def test_hidden_sheets(tmp_path: Path, xlsx_bytes: bytes) -> None:
    def hide(book: Any) -> None:
        book["pins"].sheet_state = "hidden"
        book["buddies"].sheet_state = "veryHidden"
    assert outcome(workbook(tmp_path, xlsx_bytes, hide)) == BASE

    def extra(book: Any) -> None:
        notes = book.create_sheet("Blad1")
        notes["A1"] = "=SUM(1,2)"
        notes.sheet_state = "hidden"
    located(outcome(workbook(tmp_path, xlsx_bytes, extra)), "unknown sheet(s) 'Blad1'")


def test_empty_rows_and_spaces_in_excel(tmp_path: Path, xlsx_bytes: bytes) -> None:
    def messy(book: Any) -> None:
        sheet = book["learners"]
        sheet.insert_rows(3, 2)  # empty rows between learners
        sheet.append([])
        sheet.append([" ", None, "\t"])  # a row of blanks at the end
        sheet.cell(row=2, column=1, value=" T1\u00a0")  # non-breaking space from a copy
        sheet = book["departments"]
        sheet.cell(row=2, column=column(sheet, "organisation"), value="ZGT  ")
        book["scenario"].append([None, None])
    assert outcome(workbook(tmp_path, xlsx_bytes, messy)) == BASE


def test_empty_rows_and_spaces_in_csv_and_yaml(tmp_path: Path) -> None:
    scenario = csv_copy(tmp_path)
    for table in ("learners", "pins", "buddies"):
        path = tmp_path / f"{table}.csv"
        lines = path.read_text().splitlines()
        padded = [lines[0], "", ",,,,", *(f"  {ln}  " for ln in lines[1:]), "   ", ""]
        path.write_text("\r\n".join(padded) + "\r\n")
    pins = tmp_path / "pins.csv"
    pins.write_text(pins.read_text().replace("B0,", "B0 ,").replace("CAR-PG1", " CAR-PG1\t"))
    assert outcome(scenario) == BASE

    text = TINY.read_text().replace("{id: T1,", "{id: 'T1 ',").replace(
        "department: ZGT-CHIR}", "department: ' ZGT-CHIR'}")
    (tmp_path / "spaces.yaml").write_text(text)
    assert outcome(tmp_path / "spaces.yaml") == BASE


# ----- size -----------------------------------------------------------------------------
@pytest.mark.slow
def test_a_hundred_thousand_row_table(tmp_path: Path) -> None:
    """100,000 learners in a CSV table load in bounded time and memory (~10 s here)."""
    scenario = csv_copy(tmp_path)
    learners = tmp_path / "learners.csv"
    rows = [f"X{i:06d},,bbl-vig,CAR,2027-09,3,,,,LIV;CAR-PG1,," for i in range(100_000)]
    learners.write_text(learners.read_text() + "\n".join(rows) + "\n")
    began = time.perf_counter()
    result = load_scenario(scenario)
    seconds = time.perf_counter() - began
    assert len(result.learners) == 100_008
    assert seconds < 90, f"100,000 rows took {seconds:.1f}s"


# ----- the nastiest files, through the real console script ------------------------------
@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def _limit_memory() -> None:  # in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (CLI_MEMORY, CLI_MEMORY))


def start_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None,
              prefix: list[str] | None = None) -> Callable[[], Run]:
    """Start the CLI now; the returned function waits (timeout, peak memory via wait4)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    began = time.perf_counter()
    proc = subprocess.Popen([*(prefix or CLI), *args], cwd=cwd, stdout=out, stderr=err,
                            stdin=subprocess.DEVNULL, preexec_fn=_limit_memory,
                            env={**os.environ, **(env or {})})
    killer = threading.Timer(CLI_SECONDS, proc.kill)
    killer.start()

    def wait() -> Run:
        _, status, usage = os.wait4(proc.pid, 0)
        killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - began
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"), seconds, usage.ru_maxrss / 1024)

    return wait


BOMB = "scenario: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))
MERGE_BOMB = "scenario: 1\na: &a {x: 1, y: 2}\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(12))


def _zip_with_parts(path: Path, parts: int) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(parts):
            archive.writestr(f"xl/part{i}.xml", "<x/>")
    return path


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(b"scenario: 1\nname: '")
        handle.truncate(size)
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _big_csv_cell(folder: Path) -> Path:
    scenario = csv_copy(folder)
    (folder / "pins.csv").write_text('learner,month\n"' + "x" * 3_000_000 + '",2027-09\n')
    return scenario


def _text(name: str, text: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_text(text)
        return folder / name
    return make


HUGE_HEX = "0x" + "f" * 5000  # Python prints no integer of more than 4,300 digits
HUGE_DEC = "7" * 5000


def _huge_integers_everywhere(folder: Path) -> Path:
    """A 5,000-digit integer as a top-level key, a calendar key, a row key and row values."""
    text = TINY.read_text().replace("name: Tiny Twente", f"name: Tiny Twente\n? {HUGE_HEX}\n: x")
    text = text.replace("calendar: {start: 2027-09, months: 18}",
                        f"calendar:\n  start: 2027-09\n  months: 18\n  ? {HUGE_HEX}\n  : 1")
    text = text.replace("capacity: 2, levels: [4, 5, 6]", f"capacity: {HUGE_HEX}, levels: [4]")
    text = text.replace("  - {id: CAR-GGZ, organisation: CAR, sector: GGZ, shifts: fixed, "
                        "capacity: 1}", "  - id: CAR-GGZ\n    organisation: CAR\n    shifts: "
                        f"fixed\n    capacity: {HUGE_DEC}\n    ? {HUGE_HEX}\n    : 3")
    (folder / "digits.yaml").write_text(text)
    return folder / "digits.yaml"


def _pins_of_centuries(folder: Path) -> Path:
    """40 pins, each from 1900-01 to 2983-04 (13,000 months), five per learner."""
    text = TINY.read_text()
    buddies = {"ZGT-CHIR": "b-chir-1", "ZGT-GER": "b-ger-1", "LIV-WIJK1": "b-wijk1-1",
               "CAR-PG1": "b-pg1-1", "CAR-SOM": "b-som-1"}
    pins = [f"  - {{learner: {lid}, from: 1900-01, to: 2983-04, department: {dept}, "
            f"buddy: {buddy}}}" for lid in ("T1", "T2", "B1", "B2", "B0", "H1", "H2", "S1")
            for dept, buddy in buddies.items()]
    (folder / "pins.yaml").write_text(text[: text.index("pins:")] + "pins:\n"
                                      + "\n".join(pins) + "\n")
    return folder / "pins.yaml"


def _plan_dir_with_fifo_kpis(folder: Path) -> list[str]:
    for name in ("a", "b"):
        (folder / name).mkdir()
        os.mkfifo(folder / name / "kpis.json")
    return ["plot", str(folder / "a")]


def _dev_zero(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


# name → (make the file in a folder: its path, for ``validate``, or the whole command
# line; what stderr must say)
NASTY: dict[str, tuple[Callable[[Path], Path | list[str]], str]] = {
    "billion_laughs": (_text("bomb.yaml", BOMB), "too many aliases"),
    "merge_key_bomb": (_text("merge.yaml", MERGE_BOMB), "aliases"),
    "recursive_alias": (_text("loop.yaml", "scenario: 1\nname: &a [x, *a]\n"),
                        "alias *a refers to a list or mapping that contains it"),
    "deep_flow_nesting": (_text("deep.yaml", "scenario: 1\nname: " + "[" * 200_000),
                          "nested more than"),
    "deep_block_nesting": (_text("block.yaml", "scenario: 1\nname:\n" + "".join(
        " " * i + "- \n" for i in range(1, 3000))), "nested more than"),
    "python_tag": (_text("tag.yaml", "scenario: 1\nname: !!python/object/apply:os.system "
                                     "['touch pwned']\n"), "not valid YAML"),
    "huge_scalar": (_text("long.yaml", "scenario: 1\nname: '" + "x" * 20_000_000 + "'\n"),
                    "long.yaml"),
    "over_size_limit": (lambda f: _sparse(f / "huge.yaml", 60 * 1024 * 1024),
                        "larger than the limit of 50 MB"),
    "fifo_scenario": (lambda f: _fifo(f / "pipe.yaml"), "not a regular file"),
    "too_many_zip_parts": (lambda f: _zip_with_parts(f / "parts.xlsx", 3000),
                           "more than 2000 parts"),
    "random_xlsx": (lambda f: (f / "r.xlsx").write_bytes(os.urandom(5000)) and f / "r.xlsx",
                    "not an Excel workbook"),
    "csv_cell_of_3_mb": (_big_csv_cell, "pins"),
    # classes an independent fuzz run found (issue 25), one file or command each
    "integers_of_5000_digits": (_huge_integers_everywhere,
                                "departments, row 1, id 'ZGT-CHIR', field 'capacity'"),
    "tag_on_a_value_it_does_not_fit": (_text("tag.yaml", "scenario: 1\nname: !!bool maybe\n"),
                                       "line 2, column 7: 'maybe' cannot be read as yes/no"),
    "pins_spanning_13000_months": (_pins_of_centuries, "outside the learner's programme"),
    "plan_file_is_a_fifo": (lambda f: ["check", str(TINY), str(_fifo(f / "plan.csv"))],
                            "plan file is not a regular file"),
    "plan_file_links_to_dev_zero": (lambda f: ["check", str(TINY),
                                               str(_dev_zero(f / "plan.csv"))],
                                    "plan file is not a regular file"),
    "baseline_is_a_fifo": (lambda f: ["solve", str(TINY), "--out", str(f / "out"),
                                      "--baseline", str(_fifo(f / "plan.csv"))],
                           "plan file is not a regular file"),
    "variant_links_to_dev_zero": (lambda f: ["whatif", str(TINY), str(_dev_zero(f / "v.yaml")),
                                             "--out", str(f / "out")],
                                  "variant file is not a regular file"),
    "kpis_json_is_a_fifo": (_plan_dir_with_fifo_kpis, "kpis.json is not a regular file"),
    "workbook_links_to_dev_zero": (lambda f: _dev_zero(f / "zero.xlsx"),
                                   "workbook is not a regular file"),
}


@pytest.fixture(scope="module")
def nasty_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Path]]:
    """Every nasty file through ``scheduler validate``, all processes at once."""
    waits = {}
    for name, (make, _) in NASTY.items():
        folder = tmp_path_factory.mktemp(name)
        made = make(folder)
        # English: the expected texts are the messages' English (validate is Dutch by default)
        args = [*made, "--lang", "en"] if isinstance(made, list) else \
            ["validate", "--lang", "en", str(made)]
        waits[name] = (start_cli(args, cwd=folder), folder)
    return {name: (wait(), folder) for name, (wait, folder) in waits.items()}


@pytest.mark.parametrize("name", list(NASTY))
def test_nasty_file_exits_1_quickly_with_a_message(nasty_runs: dict[str, tuple[Run, Path]],
                                                   name: str) -> None:
    run, folder = nasty_runs[name]
    assert run.code == 1, (run.code, run.stderr[-2000:])
    assert "Traceback" not in run.stderr + run.stdout
    assert NASTY[name][1] in run.stderr, run.stderr[-2000:]
    assert run.seconds < CLI_SECONDS
    assert run.max_rss_mb < CLI_MAX_RSS_MB, f"{run.max_rss_mb:.0f} MB"
    assert not (folder / "pwned").exists()


def test_zip_bomb_workbook_is_refused_before_unpacking(tmp_path: Path) -> None:
    """The unpacked size is checked from the zip's directory, before openpyxl opens it
    (limit lowered to 1 MB in the child so the bomb stays small)."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 400_000)  # 2.4 MB unpacked
    driver = ("import sys; import scheduler.io.xlsx_io as x; x.MAX_XLSX_UNCOMPRESSED = 2**20; "
              "from cli import main; main(sys.argv[1:])")
    run = start_cli(["validate", str(path), "--lang", "en"], cwd=ROOT,
                    prefix=[sys.executable, "-c", driver])()
    assert run.code == 1 and "Traceback" not in run.stderr
    assert "unpacks to more than 1 MB" in run.stderr


# ----- the classes of the independent fuzz run, in every reader (issue 25) ------------
def _refused(call: Callable[[], object], *needles: str) -> str:
    """``call`` raises a located InputError quickly, its values shortened for messages."""
    began = time.perf_counter()
    with pytest.raises(InputError) as caught:
        call()
    assert time.perf_counter() - began < LOAD_SECONDS
    text = str(caught.value)
    assert "f" * 100 not in text and "7" * 100 not in text, text[:3000]
    for needle in needles:
        assert needle in text, (needle, text[:3000])
    return text


def _raw_cell(path: Path, sheet: str, cell: str, raw: str) -> None:
    """Store ``raw`` as the number in ``cell`` (openpyxl cannot write such a number)."""
    names = openpyxl.load_workbook(path).sheetnames
    sheet_xml = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet_xml:
                data, n = re.subn(rf'(<c r="{cell}"[^>]*>)<v>[^<]*</v>'.encode(),
                                  rb"\1<v>" + raw.encode() + rb"</v>", data)
                assert n == 1
            dst.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def test_integers_of_thousands_of_digits_in_every_reader(tmp_path: Path,
                                                          xlsx_bytes: bytes) -> None:
    """Python refuses to print an integer of more than 4,300 digits: every message about
    one was a traceback. Each reader now names file, row/id and field."""
    path = _huge_integers_everywhere(tmp_path)
    _refused(lambda: load_scenario(path), f"{path}, scenario: unknown key(s) '0xfff",
             "calendar, field '0xfff", "departments, row 1, id 'ZGT-CHIR', field 'capacity'",
             "id 'CAR-GGZ': unknown field(s) '0xfff", "id 'CAR-GGZ', field 'capacity'")

    (tmp_path / "csv").mkdir()
    scenario = csv_copy(tmp_path / "csv")
    table = scenario.parent / "departments.csv"
    table.write_text(table.read_text().replace("rotating,2,", f"rotating,{HUGE_DEC},", 1))
    _refused(lambda: load_scenario(scenario), "departments, row 1, id 'ZGT-CHIR', field "
             "'capacity'")

    book = workbook(tmp_path, xlsx_bytes, lambda b: None)
    sheet = openpyxl.load_workbook(book)["departments"]
    letter = openpyxl.utils.get_column_letter(column(sheet, "capacity"))
    _raw_cell(book, "departments", f"{letter}2", HUGE_DEC)
    _refused(lambda: load_scenario(book), "sheet 'departments', row 1: a cell holds a number "
             "of thousands of digits")

    variant = tmp_path / "variant.yaml"
    variant.write_text(f"base: {TINY}\nchanges:\n  - add_capacity: {{department: ZGT-CHIR, "
                       f"amount: {HUGE_HEX}}}\n")
    _variants_module()
    from scheduler.variants import load_variant
    _refused(lambda: load_variant(variant, base=BASE), "field 'amount'", "must be a whole number")

    plan = tmp_path / "plan.csv"
    plan.write_text(f"{','.join(PLAN_COLUMNS)}\nT1,2027-09,ZGT,ZGT-GER,b-ger-1,{HUGE_DEC},"
                    "placed\n")
    _refused(lambda: read_plan_csv(plan), "plan, row 1, id 'T1', field 'placement'")

    plan_dir = tmp_path / "plan-dir"
    plan_dir.mkdir()
    (plan_dir / "kpis.json").write_text(f'{{"objective": {HUGE_DEC}}}')
    from scheduler.compare import read_plan_dir
    _refused(lambda: read_plan_dir(plan_dir), "kpis.json: cannot read kpis.json")


TAG_MISFITS = [
    ("!!bool maybe", "'maybe' cannot be read as yes/no"),
    ("!!timestamp soon", "'soon' cannot be read as a date"),
    ("!!int twelve", "'twelve' cannot be read as a whole number"),
    ("!!float x", "'x' cannot be read as a number"),
    ("2027-13-45", "'2027-13-45' cannot be read as a date"),  # a date by its looks
    ("!!map x", "expected a mapping node"),
    ("!!str [1]", "expected a scalar node"),
]


@pytest.mark.parametrize("value, needle", TAG_MISFITS)
def test_a_value_that_does_not_fit_its_tag(tmp_path: Path, value: str, needle: str) -> None:
    """PyYAML raised KeyError (!!bool maybe), AttributeError (!!timestamp soon) or
    ValueError from inside; now a YAML error with line and column, in every YAML reader."""
    path = tmp_path / "tag.yaml"
    path.write_text(TINY.read_text().replace("name: Tiny Twente", f"name: {value}"))
    _refused(lambda: load_scenario(path), f"{path}: not valid YAML: line 6, column 7: {needle}")
    _variants_module()
    from scheduler.variants import load_variant
    variant = tmp_path / "variant.yaml"
    variant.write_text(f"base: {TINY}\nname: {value}\nchanges: []\n")
    _refused(lambda: load_variant(variant, base=BASE), f"{variant}: not valid YAML: line 2, "
             f"column 7: {needle}")


def test_pins_spanning_centuries_are_screened_in_bounded_time(tmp_path: Path) -> None:
    """40 pins of 13,000 months each: validate took ~24 s and printed 481,758 errors (one
    per pin-month); the screens now look at the months a pin can hold in."""
    from scheduler.validate import screen

    scenario = load_scenario(_pins_of_centuries(tmp_path))
    began = time.perf_counter()
    findings = screen(scenario)
    seconds = time.perf_counter() - began
    assert seconds < 5, f"{seconds:.1f}s"
    assert len(findings) < 1_000, len(findings)
    assert any("outside the learner's programme" in f.message and "and 12974 more" in f.message
               for f in findings)


# ----- variant files --------------------------------------------------------------------
def _variants_module() -> Any:
    try:
        import scheduler.variants as module
    except ImportError:
        pytest.skip("scheduler/variants.py is not there yet")
    return module


ARGS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 30), st.integers(), st.text(max_size=10),
    st.sampled_from(["ZGT", "LIV", "CAR", "ZGT-CHIR", "CAR-PG1", "b-chir-1", "T1", "B0",
                     "trainee", "bbl-vig", "2027-09", "2028-02", "2026-01", "fixed", "=1+1"]),
    st.lists(st.sampled_from(["T1", "B0", "X", 3, None]), max_size=3),
)
FIELDS = st.sampled_from(["department", "amount", "from", "to", "capacity", "id",
                          "organisation", "shifts", "buddies", "count", "programme", "start",
                          "home", "ids", "buddy", "months", "max_travel_km", "weights",
                          "level", "preferences", "bogus"])


@st.composite
def changes(draw: st.DrawFn) -> list[Any]:
    ops = ["add_capacity", "set_capacity", "add_department", "remove_department",
           "add_learners", "remove_learners", "remove_organisation", "buddy_unavailable",
           "set_policy", "bogus_op"]
    out: list[Any] = []
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(ops))
        shape = draw(st.sampled_from(["map", "scalar", "list"]))
        if shape == "map":
            args: Any = draw(st.dictionaries(FIELDS, ARGS, max_size=5))
        elif shape == "scalar":
            args = draw(ARGS)
        else:
            args = draw(st.lists(st.dictionaries(FIELDS, ARGS, max_size=4), max_size=2))
        out.append({op: args} if draw(st.integers(0, 9)) else draw(ARGS))
    return out


@fuzz(80)
@given(ops=changes(), name=st.one_of(st.none(), st.text(max_size=20), st.integers()))
def test_random_variant_changes(scratch: Path, ops: list[Any], name: Any) -> None:
    import yaml

    module = _variants_module()
    path = fresh(scratch) / "variant.yaml"
    path.write_text(yaml.safe_dump({"base": str(TINY), "name": name, "changes": ops},
                                   allow_unicode=True))
    began = time.perf_counter()
    with one_input("variant"):
        try:
            variant = module.load_variant(path, base=BASE)
        except InputError as exc:
            assert exc.issues and all(i.file for i in exc.issues)
        else:
            assert isinstance(variant.scenario, Scenario)
    assert time.perf_counter() - began < LOAD_SECONDS


@fuzz(40)
@given(data=RANDOM_FILES)
def test_random_bytes_as_a_variant_file(scratch: Path, data: bytes) -> None:
    module = _variants_module()
    path = fresh(scratch) / "variant.yaml"
    path.write_bytes(data)
    with one_input("variant"), pytest.raises(InputError):
        module.load_variant(path, base=BASE)


@pytest.mark.parametrize("base, needle", [
    ("missing.yaml", "was not found"),
    (".", "was not found"),
    ("pipe.yaml", "was not found"),
    ("variant.yaml", "variant.yaml"),
    ("/dev/zero", "was not found"),
    ("tiny.ya" + "\xff" * 300 + "ml", "cannot be opened (File name too long)"),  # atheris
])
def test_hostile_variant_base(tmp_path: Path, base: str, needle: str) -> None:
    module = _variants_module()
    os.mkfifo(tmp_path / "pipe.yaml")
    path = tmp_path / "variant.yaml"
    path.write_text(f"base: {base}\nchanges: []\n")
    began = time.perf_counter()
    with pytest.raises(InputError) as caught:
        module.load_variant(path)
    assert needle in str(caught.value)
    assert time.perf_counter() - began < LOAD_SECONDS


def test_variant_alias_bomb(tmp_path: Path) -> None:
    module = _variants_module()
    path = tmp_path / "variant.yaml"
    path.write_text(BOMB.replace("scenario: 1", f"base: {TINY}"))
    with pytest.raises(InputError, match="too many aliases"):
        module.load_variant(path, base=BASE)


# ----- plan files (scheduler check, --baseline) -----------------------------------------
@fuzz(60)
@given(data=st.one_of(
    RANDOM_FILES,
    st.binary(max_size=600).map(
        lambda b: b"learner,month,organisation,department,buddy,placement,status\n" + b)))
def test_random_bytes_as_a_plan_file(scratch: Path, data: bytes) -> None:
    path = fresh(scratch) / "plan.csv"
    path.write_bytes(data)
    with one_input("plan"):
        try:
            assert isinstance(read_plan_csv(path), Plan)
        except InputError as exc:
            assert exc.issues and all(i.file for i in exc.issues)


def test_a_plan_cell_over_the_csv_field_limit(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("learner,month,organisation,department,buddy,placement,status\n\""
                    + "x" * 1_200_000 + "\",2027-09,ZGT,ZGT-CHIR,b-chir-1,1,placed\n")
    with pytest.raises(InputError, match="not a readable CSV file at line"):
        read_plan_csv(path)


# ----- atheris (coverage-guided), when installed ----------------------------------------
def test_atheris_smoke() -> None:
    """A few hundred coverage-guided inputs (tests/fuzz_long.py --atheris); skipped
    when the optional ``atheris`` package is not installed."""
    pytest.importorskip("atheris")
    run = subprocess.run([sys.executable, str(Path(__file__).parent / "fuzz_long.py"),
                          "--atheris", "-runs=50", "-seed=1"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
