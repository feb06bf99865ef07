"""CSV table paths: relative to the scenario file, inside its folder, unless --allow-outside.

A scenario shared by e-mail must not make the tool read files elsewhere on the
coordinator's machine (``/etc/passwd``, ``../../other-region/learners.csv``), nor hang on
a special file. Refusals name the file, the table and what to do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.io import load_scenario

FIXTURES = Path(__file__).parent / "fixtures"
TINY_CSV = FIXTURES / "tiny_csv"
EXPECTED = load_scenario(FIXTURES / "tiny.yaml")
SCRIPT = Path(sys.executable).parent / "scheduler"
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "cli"]


def scenario_with(folder: Path, ref: str, table: str = "pins") -> Path:
    """The CSV form of tiny in ``folder``, its ``table`` given as ``ref``."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in TINY_CSV.iterdir():
        shutil.copy(f, folder / f.name)
    path = folder / "tiny.yaml"
    text = path.read_text().replace(f"{table}: {table}.csv", f"{table}: {json.dumps(ref)}")
    path.write_text(text)
    return path


def refusal(path: Path, **kwargs: bool) -> str:
    began = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_scenario(path, **kwargs)
    assert time.perf_counter() - began < 5
    return str(caught.value)


@pytest.mark.parametrize("ref", ["pins.csv", "./pins.csv", "tables/pins.csv",
                                 "tables/../pins.csv", "tables//pins.csv"])
def test_paths_inside_the_folder_are_read(tmp_path: Path, ref: str) -> None:
    path = scenario_with(tmp_path / "region", ref)
    (tmp_path / "region" / "tables").mkdir()
    shutil.copy(TINY_CSV / "pins.csv", tmp_path / "region" / "tables" / "pins.csv")
    assert load_scenario(path) == EXPECTED


@pytest.mark.parametrize("ref, needle", [
    ("../pins.csv", "leaves the scenario file's folder"),
    ("tables/../../pins.csv", "leaves the scenario file's folder"),
    ("../region-2/pins.csv", "leaves the scenario file's folder"),
    ("ABSOLUTE", "is absolute"),
    ("/etc/passwd", "is absolute"),
    ("/dev/zero", "is absolute"),
])
def test_paths_outside_the_folder_are_refused(tmp_path: Path, ref: str, needle: str) -> None:
    outside = tmp_path / "pins.csv"
    shutil.copy(TINY_CSV / "pins.csv", outside)
    (tmp_path / "region-2").mkdir()
    shutil.copy(TINY_CSV / "pins.csv", tmp_path / "region-2" / "pins.csv")
    ref = str(outside) if ref == "ABSOLUTE" else ref
    path = scenario_with(tmp_path / "region", ref)
    text = refusal(path)
    assert str(path) in text and "pins" in text and needle in text
    assert "--allow-outside" in text


def test_a_symlink_that_leads_outside_is_refused(tmp_path: Path) -> None:
    shutil.copy(TINY_CSV / "pins.csv", tmp_path / "secret.csv")
    path = scenario_with(tmp_path / "region", "pins-link.csv")
    (tmp_path / "region" / "pins-link.csv").symlink_to(tmp_path / "secret.csv")
    assert "leaves the scenario file's folder" in refusal(path)
    assert load_scenario(path, allow_outside=True) == EXPECTED


def test_allow_outside_reads_relative_and_absolute_paths(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "pins.csv"
    shared.parent.mkdir()
    shutil.copy(TINY_CSV / "pins.csv", shared)
    for ref in ("../shared/pins.csv", str(shared)):
        path = scenario_with(tmp_path / "region", ref)
        assert load_scenario(path, allow_outside=True) == EXPECTED


@pytest.mark.parametrize("make, needle", [
    (lambda d: os.mkfifo(d / "pins.csv"), "not a regular file"),  # would block a reader
    (lambda d: (d / "pins.csv").mkdir(), "is a folder"),
    (lambda d: None, "not found"),
    (lambda d: (d / "pins.csv").symlink_to(d / "pins.csv"), "pins"),  # a link loop
])
def test_special_files_end_quickly_in_a_located_error(tmp_path: Path, make, needle: str) -> None:
    path = scenario_with(tmp_path, "pins.csv")
    (tmp_path / "pins.csv").unlink()
    make(tmp_path)
    text = refusal(path)
    assert needle in text and "pins" in text


def test_special_files_outside_stay_refused_or_quick_with_allow_outside(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, "/dev/zero")
    assert "is absolute" in refusal(path)
    assert "not a regular file" in refusal(path, allow_outside=True)  # no endless read


@pytest.mark.parametrize("ref", ["pins\x00.csv", "x" * 5000 + ".csv", "..\\pins.csv",
                                 "~/pins.csv", "https://example.org/pins.csv", "pins.csv:x"])
def test_odd_path_strings_are_located_errors(tmp_path: Path, ref: str) -> None:
    text = refusal(scenario_with(tmp_path / "region", ref))
    assert "pins" in text


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_cli_refuses_outside_paths_unless_allowed(tmp_path: Path) -> None:
    shutil.copy(TINY_CSV / "pins.csv", tmp_path / "pins.csv")
    path = scenario_with(tmp_path / "region", "../pins.csv")
    refused = cli("validate", str(path), "--lang", "en", cwd=tmp_path)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "leaves the scenario file's folder" in refused.stderr
    assert "--allow-outside" in refused.stderr
    allowed = cli("validate", "--allow-outside", str(path), cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
