"""Workbooks with macros or links to other workbooks are refused before openpyxl reads them,
with the same message on the command line and in the workbench's upload."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.io import load_scenario, write_scenario
from scheduler.io.xlsx_io import EXTERNAL_LINKS, MACROS
from scheduler.web.uploads import import_upload
from scheduler.web.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small_region.yaml"
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
EXTERNAL = ('<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"/></externalLink>')


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("xlsx") / "region.xlsx"
    write_scenario(load_scenario(SMALL), path)
    return path.read_bytes()


def rebuilt(data: bytes, add: dict[str, bytes], types: tuple[str, str] | None = None) -> bytes:
    """The workbook with parts added and perhaps a content type replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            part = src.read(item.filename)
            if item.filename == "[Content_Types].xml" and types is not None:
                assert types[0].encode() in part
                part = part.replace(types[0].encode(), types[1].encode())
            dst.writestr(item, part)
        for name, part in add.items():
            dst.writestr(name, part)
    return buffer.getvalue()


MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CASES = {
    "vba-project": ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 60}, None, MACROS),
    "macro-content-type": ({}, (MAIN_TYPE, MACRO_TYPE), MACROS),
    "external-link": ({"xl/externalLinks/externalLink1.xml": EXTERNAL.encode(),
                       "xl/externalLinks/_rels/externalLink1.xml.rels": b"<Relationships/>"},
                      None, EXTERNAL_LINKS),
    "external-link-type": ({}, (MAIN_TYPE, MAIN_TYPE + '"/><Override PartName="/x.xml" '
                                'ContentType="application/vnd.openxmlformats-officedocument.'
                                'spreadsheetml.externalLink+xml'), EXTERNAL_LINKS),
}


def test_the_plain_workbook_is_read(workbook: bytes, tmp_path: Path) -> None:
    path = tmp_path / "region.xlsx"
    path.write_bytes(rebuilt(workbook, {}))  # rebuilt, nothing added: still read
    assert load_scenario(path) == load_scenario(SMALL)


@pytest.mark.parametrize("case", list(CASES))
def test_macros_and_external_links_are_refused_by_the_reader(workbook: bytes, tmp_path: Path,
                                                            case: str) -> None:
    add, types, message = CASES[case]
    path = tmp_path / "region.xlsx"
    path.write_bytes(rebuilt(workbook, add, types))
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert [(i.file, i.message) for i in err.value.issues] == [(str(path), message)]


@pytest.mark.parametrize("case", list(CASES))
def test_macros_and_external_links_are_refused_in_an_upload(workbook: bytes, tmp_path: Path,
                                                           case: str) -> None:
    add, types, message = CASES[case]
    ws = Workspace(tmp_path / "ws")
    with pytest.raises(InputError) as err:
        import_upload(ws, "region.xlsx", rebuilt(workbook, add, types))
    assert [(i.file, i.message) for i in err.value.issues] == [("region.xlsx", message)]
    assert ws.names() == [] and list(ws.uploads.iterdir()) == []


def test_a_macro_enabled_file_name_is_refused(workbook: bytes, tmp_path: Path) -> None:
    path = tmp_path / "region.xlsm"
    path.write_bytes(workbook)
    with pytest.raises(InputError, match="macros"):
        load_scenario(path)
    with pytest.raises(InputError, match="macros") as err:
        import_upload(Workspace(tmp_path / "ws"), "region.xlsm", workbook)
    assert err.value.issues[0].file == "region.xlsm"


def test_the_cli_gives_the_message_and_exit_1(workbook: bytes, tmp_path: Path) -> None:
    path = tmp_path / "region.xlsx"
    path.write_bytes(rebuilt(workbook, *CASES["external-link"][:2]))
    done = subprocess.run([sys.executable, "-m", "cli", "validate", str(path), "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "external links" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr + done.stdout
