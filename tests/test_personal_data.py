"""Learner names (personal data) never appear in logs, progress or machine-readable files.

Every command's stdout and stderr (progress lines, warnings, errors, violations,
explanations) is scanned for every learner's name, as are all files under the plan
directory: ``plan.csv`` and ``kpis.json`` always; with ``--pseudonymise`` every file,
the workbook's XML and the pictures' metadata included. Without it, names may appear
only where a coordinator reads them: ``report.html`` and ``plan.xlsx``
(docs/outputs.md#personal-data).
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.test_interrupt import CLI, ROOT

pytestmark = pytest.mark.slow  # real solves in subprocesses: part of make test, ~bounded

SMALL = Path(__file__).parent / "data" / "small_region.yaml"
READERS_ONLY = {"report.html", "plan.xlsx"}  # where names may stand without --pseudonymise


def name_of(i: int) -> str:
    # an ASCII token in each name finds it in any encoding (JSON \u escapes, HTML entities)
    return f"Zoë Geheimnaam{i:02d} ’t Hoën"


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """small_region with a name for every learner; a broken copy; a variant."""
    folder = tmp_path_factory.mktemp("named")
    doc = yaml.safe_load(SMALL.read_text())
    for i, learner in enumerate(doc["learners"]):
        learner["name"] = name_of(i)
    doc["learners"].append({"id": "X01", "name": name_of(90), "programme": "trainee",
                            "home": "ZHO", "start": "2027-09", "level": 99,
                            "max_travel_km": 0})  # placeable nowhere: explained, listed
    named = folder / "named.yaml"
    named.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    broken = yaml.safe_load(named.read_text())
    broken["learners"][0]["start"] = "2027-13"
    broken["learners"][1]["programme"] = "onbekend"
    broken["learners"][2]["home"] = name_of(2)[:3]
    broken["learners"].append(dict(broken["learners"][3]))
    (folder / "broken.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True))
    (folder / "variant.yaml").write_text(
        "base: named.yaml\nname: one more place\nchanges:\n"
        "  - add_capacity: {department: ZGD-PG1, amount: 1}\n")
    return {"named": named, "broken": folder / "broken.yaml", "variant": folder / "variant.yaml"}


def start(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*CLI, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def runs(region: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("out")
    solve = ("solve", region["named"], "--workers", "1", "--time-limit", "20")
    first = {
        "solve": start(*solve, "--out", out / "plain"),
        "solve-pseudo": start(*solve, "--out", out / "pseudo", "--pseudonymise"),
        "validate": start("validate", region["named"]),
        "validate-broken": start("validate", "--lang", "en", region["broken"]),
        "explain": start("explain", region["named"], "--no-suggestions", "--time-limit", "10",
                         "--out", out / "explain"),
        "whatif-pseudo": start("whatif", region["named"], region["variant"], "--out",
                               out / "whatif", "--time-limit", "10", "--workers", "1",
                               "--pseudonymise"),
    }
    done = {k: (p, *p.communicate(timeout=600)) for k, p in first.items()}
    plain = {p.name: file_contents(p) for p in (out / "plain").rglob("*") if p.is_file()}
    plan = out / "plain" / "plan.csv"
    violating = out / "violating.csv"  # X01 placed by hand: the violations name it by id
    violating.write_text(plan.read_text() + "".join(
        f"X01,2027-{m:02d},ZHO,ZHO-INT,b-int-1,1,placed\n" for m in (9, 10, 11, 12)))
    later = {"check": start("check", region["named"], plan),
             "check-violations": start("check", region["named"], violating),
             "plot-pseudo": start("plot", out / "plain", "--pseudonymise")}
    done |= {k: (p, *p.communicate(timeout=600)) for k, p in later.items()}
    return {"out": out, "done": done, "plain": plain}


NAME_TOKEN = re.compile(rb"Geheimnaam\d\d")


def names_in(data: bytes) -> list[str]:
    return sorted({m.decode() for m in NAME_TOKEN.findall(data)})


def file_contents(path: Path) -> bytes:
    """The bytes to scan: a zip's (xlsx) members unpacked, other files as they are."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(path) as archive:
            return b"\n".join(archive.read(n) for n in archive.namelist())
    return data


EXPECTED_CODES = {"solve": 0, "solve-pseudo": 0, "validate": 0, "validate-broken": 1,
                  "explain": 0, "whatif-pseudo": 0, "check": 0, "check-violations": 1,
                  "plot-pseudo": 0}


@pytest.mark.parametrize("command", list(EXPECTED_CODES))
def test_no_name_in_any_output_stream(runs: dict, command: str) -> None:
    proc, stdout, stderr = runs["done"][command]
    assert proc.returncode == EXPECTED_CODES[command], stderr.decode()[-3000:]
    assert b"Traceback" not in stdout + stderr
    assert names_in(stdout + stderr) == [], (stdout + stderr).decode()[-3000:]


def test_the_streams_did_say_something_about_those_learners(runs: dict) -> None:
    """(So the scan above looked at real progress, errors and violations.)"""
    done = runs["done"]
    assert b"objective" in done["solve"][2] or b"plan" in done["solve"][2]  # progress
    assert b"id 'T01', field 'start'" in done["validate-broken"][2]
    assert b"X01" in done["check-violations"][1] + done["check-violations"][2]
    assert b"X01" in done["solve"][1]  # the unplaced learner is listed by id


def test_no_name_in_any_file_under_pseudonymise(runs: dict) -> None:
    folders = [runs["out"] / "pseudo", runs["out"] / "whatif", runs["out"] / "plain"]
    scanned = 0
    for folder in folders:  # "plain" was redrawn by `plot --pseudonymise`
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            assert names_in(file_contents(path)) == [], path
            scanned += 1
    assert scanned >= 6


def test_names_only_where_a_coordinator_reads_them_without_pseudonymise(runs: dict) -> None:
    """plan.csv, kpis.json, pictures, explain.json: never; report pages: may."""
    plain: dict[str, bytes] = runs["plain"]  # as `solve` wrote it, before `plot`
    assert {"plan.csv", "kpis.json"} <= set(plain)
    for name, data in plain.items():
        if name not in READERS_ONLY:
            assert names_in(data) == [], name
    assert b"T01" in plain["plan.csv"]
    for path in sorted(p for p in (runs["out"] / "explain").rglob("*") if p.is_file()):
        assert names_in(file_contents(path)) == [], path


def test_a_malformed_name_is_not_echoed_in_the_error(tmp_path: Path) -> None:
    from scheduler.errors import InputError
    from scheduler.io import load_scenario

    doc = yaml.safe_load(SMALL.read_text())
    doc["learners"][0]["name"] = [name_of(7), "x"]
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    with pytest.raises(InputError) as caught:
        load_scenario(tmp_path / "s.yaml")
    assert "field 'name'" in str(caught.value)
    assert names_in(str(caught.value).encode()) == []
