"""Pictures, plan.xlsx and report.html (issue 6): files exist, are not blank, are safe.

The real solver runs once on tests/data/small_region.yaml (one worker); every other test
renders that stored plan, or a copy of it with one row changed.
"""

from __future__ import annotations

import ast
import html
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import matplotlib.image as mpimg
import openpyxl
import pytest

from scheduler.io import load_scenario, read_plan_csv
from scheduler.models import Plan, PlanRow, RowStatus, Scenario
from scheduler.plandir import OutputOptions, write_plan_dir
from scheduler.plot import learner_pages
from scheduler.plot.data import learner_groups, paginate
from scheduler.report import write_reports
from scheduler.solver import SolveOptions, solve
from scheduler.words.report import LANGUAGES, Text

ROOT = Path(__file__).parents[1]
SMALL = ROOT / "tests" / "data" / "small_region.yaml"
PICTURES = ("gantt-learners.png", "gantt-organisations.png", "occupancy.png")
SHEETS = {
    "nl": ["Leerlingen", "Bezetting afdelingen", "Werkbegeleiders", "Evenredigheid", "Kerncijfers"],
    "en": ["Learners", "Department occupancy", "Buddy load", "Fair share", "KPIs"],
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True, timeout=120,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(SMALL)


@pytest.fixture(scope="module")
def plans(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One real solve; written as a Dutch plan directory and a pseudonymised English one."""
    result = solve(scenario, SolveOptions(workers=1, time_limit=20, quiet=True))
    assert result.plan is not None and result.status == "optimal"
    base = tmp_path_factory.mktemp("reports")
    out = {}
    for key, lang, pseudo in (("nl", "nl", False), ("pseudo", "en", True)):
        out[key] = base / key
        write_plan_dir(out[key], scenario, result, output=OutputOptions(
            lang=lang, pseudonymise=pseudo, scenario_file=str(SMALL.resolve())))
    return out


def _names(scenario: Scenario) -> list[str]:
    names = [lr.name for lr in scenario.learners if lr.name]
    assert len(names) >= 3  # the fixture has names to leak, or the test proves nothing
    return names


def _all_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of the folder, and every member of every .xlsx (a zip of XML)."""
    out = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        out[path.name] = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                for member in zf.namelist():
                    out[f"{path.name}:{member}"] = zf.read(member)
    return out


def _leaks(folder: Path, names: list[str]) -> list[str]:
    forms = set()
    for name in names:
        forms |= {name, html.escape(name), html.escape(name, quote=False),
                  name.replace('"', "&quot;")}
    return [f"{file}: {form!r}" for file, data in _all_bytes(folder).items()
            for form in forms if form.encode() in data]


# ----- files exist and are not blank ----------------------------------------------------------
@pytest.mark.parametrize("key", ["nl", "pseudo"])
def test_every_report_file_exists_and_pictures_are_not_blank(plans: dict[str, Path], key: str):
    folder = plans[key]
    for name in (*PICTURES, "plan.xlsx", "report.html", "plan.csv", "kpis.json"):
        assert (folder / name).is_file(), name
    for name in PICTURES:
        image = mpimg.imread(folder / name)
        height, width = image.shape[:2]
        assert width >= 600 and height >= 250, (name, image.shape)
        assert image[..., :3].std() > 0.05, f"{name} looks blank"
    assert not list(folder.glob(".*")), "temporary files left behind"


def test_workbook_has_the_sheets_frozen_panes_and_filters(plans: dict[str, Path]):
    wb = openpyxl.load_workbook(plans["nl"] / "plan.xlsx")
    assert wb.sheetnames == SHEETS["nl"] + _hosting(plans["nl"]) + ["plan"]
    learners = wb["Leerlingen"]
    header = [c.value for c in learners[1]]
    assert header[:3] == ["Leerling", "Naam", "Opleiding"] and "2027-09" in header
    assert learners.freeze_panes == "H2" and learners.auto_filter.ref.startswith("A1:")
    ids = [row[0] for row in learners.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == ["B01", "B02", "B03", "T01", "T02", "T03"]
    b02 = next(r for r in learners.iter_rows(min_row=2) if r[0].value == "B02")
    dec = b02[header.index("2027-12")]  # B02 is unavailable in 2027-12: grey, department kept
    assert dec.value == "ZHO-GER" and dec.fill.fgColor.rgb.endswith("BDBDBD")
    assert b02[header.index("2027-09")].fill.fgColor.rgb.endswith("BDBDBD") is False
    assert openpyxl.load_workbook(plans["pseudo"] / "plan.xlsx").sheetnames == (
        SHEETS["en"] + _hosting(plans["pseudo"]) + ["plan"])


def _hosting(folder: Path) -> list[str]:
    """The organisations (scenario order) that host someone in the plan: one sheet each."""
    scenario = load_scenario(SMALL)
    orgs = {scenario.department[r.department].organisation
            for r in read_plan_csv(folder / "plan.csv").rows if r.status is not RowStatus.UNPLACED}
    assert orgs  # the plan places someone, or the sheets prove nothing
    return [o.id for o in scenario.organisations if o.id in orgs]


def test_formula_looking_name_is_stored_as_text(plans: dict[str, Path], scenario: Scenario):
    assert scenario.learner["T01"].name == '=HYPERLINK("http://x")'
    wb = openpyxl.load_workbook(plans["nl"] / "plan.xlsx")
    row = next(r for r in wb["Leerlingen"].iter_rows(min_row=2) if r[0].value == "T01")
    cell = row[1]
    assert cell.data_type == "s" and isinstance(cell.value, str)
    assert not cell.value.startswith("=") and "HYPERLINK" in cell.value
    formulas = [c.coordinate for ws in wb for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_html_is_self_contained_with_kpis_first(plans: dict[str, Path]):
    page = (plans["nl"] / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    kpis, pictures = page.index('id="kpis"'), page.index('id="pictures"')
    assert kpis < pictures < page.index('id="tables"')
    # the pictures (screen only), and each laid out for A4 (print only): the Gantt chart
    # and the organisation panels on one page each here, the occupancy heatmap and charts
    # on two
    assert page.count("data:image/png;base64,") == len(PICTURES) + 4
    assert page.count('<div class="print-only"><figure class="pic"><img') == len(PICTURES)
    assert page.count('<div class="pic screen-only">') == len(PICTURES)
    for needle in ("Kerncijfers", "Geplaatst", "Eerste keus", "Evenredige verdeling",
                   "Reisafstand", "Wisselingen van werkbegeleider", "Kwaliteit van het plan"):
        assert needle in page[kpis:pictures], needle
    # the solver's figures only in the details part, after the tables
    details = page.index('id="details"')
    assert page.index('id="tables"') < details
    for needle in ("Rekenstatus", "Doelwaarde", "Ondergrens", "Gat"):
        assert needle not in page[kpis:pictures] and needle in page[details:], needle
    lowered = page.lower()
    assert "<script" not in lowered and 'src="http' not in lowered and "<link" not in lowered
    assert "=HYPERLINK(&quot;http://x&quot;)" in page  # the name as text, escaped
    english = (plans["pseudo"] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "Key figures" in english


# ----- personal data ---------------------------------------------------------------------------
def test_no_learner_name_anywhere_under_pseudonymise(plans: dict[str, Path], scenario: Scenario):
    names = _names(scenario)
    assert _leaks(plans["pseudo"], names) == []
    # the same search finds the names when they are allowed (so it could fail)
    leaks = _leaks(plans["nl"], names)
    assert any(x.startswith("report.html") for x in leaks)
    assert any(x.startswith("plan.xlsx:xl/") for x in leaks)
    assert not any(x.endswith(".png") or ".png:" in x for x in leaks), "names in a picture"


# ----- scheduler plot DIR ----------------------------------------------------------------------
def test_plot_redraws_a_plan_directory(plans: dict[str, Path], tmp_path: Path):
    folder = tmp_path / "copy"
    shutil.copytree(plans["nl"], folder)
    for name in (*PICTURES, "plan.xlsx", "report.html"):
        (folder / name).unlink()
    r = run_cli("plot", str(folder), "--lang", "en", "--departments")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    for name in (*PICTURES, "gantt-departments.png", "plan.xlsx", "report.html"):
        assert (folder / name).is_file(), name
    assert '<html lang="en">' in (folder / "report.html").read_text(encoding="utf-8")


def test_redraw_keeps_a_pseudonymised_directory_pseudonymised(
    plans: dict[str, Path], scenario: Scenario, tmp_path: Path
):
    from scheduler.report import redraw

    folder = tmp_path / "pseudo"
    shutil.copytree(plans["pseudo"], folder)
    assert redraw(folder, lang="nl") == 0  # no --pseudonymise given
    assert _leaks(folder, _names(scenario)) == []


def test_plot_of_a_missing_directory_exits_1_without_traceback(tmp_path: Path):
    r = run_cli("plot", str(tmp_path / "nowhere"))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "nowhere" in r.stderr


def test_plot_without_a_scenario_exits_1_and_says_what_to_give(
    plans: dict[str, Path], tmp_path: Path
):
    from scheduler.errors import InputError
    from scheduler.report import redraw

    folder = tmp_path / "orphan"
    shutil.copytree(plans["nl"], folder)
    doc = json.loads((folder / "kpis.json").read_text())
    doc["scenario_file"] = str(tmp_path / "gone.yaml")
    (folder / "kpis.json").write_text(json.dumps(doc))
    with pytest.raises(InputError, match="--scenario"):
        redraw(folder)
    (folder / "plan.csv").unlink()
    with pytest.raises(InputError, match="plan.csv"):
        redraw(folder, scenario=SMALL)
    shutil.rmtree(folder)
    folder.mkdir()
    with pytest.raises(InputError, match="not a plan directory"):
        redraw(folder, scenario=SMALL)


# ----- paging, unplaced learners ---------------------------------------------------------------
def _with_unplaced(plan: Plan, learner: str) -> Plan:
    rows = [
        PlanRow(learner=r.learner, month=r.month, placement=r.placement,
                status=RowStatus.UNPLACED) if r.learner == learner else r
        for r in plan.rows
    ]
    return Plan(rows=tuple(rows))


def test_paged_gantt_with_an_unplaced_learner(plans: dict[str, Path], scenario: Scenario,
                                              tmp_path: Path):
    plan = _with_unplaced(read_plan_csv(plans["nl"] / "plan.csv"), "T03")
    kpis = json.loads((plans["nl"] / "kpis.json").read_text())
    kpis["unplaced_learners"] = [
        {"learner": "T03", "rule": "capacity", "reason": "no free places in 2027-09"}]
    write_reports(tmp_path, scenario, plan, kpis, page_size=2)
    pages = sorted(tmp_path.glob("gantt-learners-*.png"))
    assert len(pages) >= 3
    for path in [tmp_path / "gantt-learners.png", *pages]:
        assert mpimg.imread(path)[..., :3].std() > 0.05, path.name
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "gantt-learners-1.png" in page and "bladen" in page  # the report says it is paged
    assert "no free places in 2027-09" in page and "capaciteit" in page
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    t03 = next(r for r in wb["Leerlingen"].iter_rows(min_row=2, values_only=True)
               if r[0] == "T03")
    assert t03[5] == "niet geplaatst" and "no free places" in t03[6]
    # re-rendered unpaged: the old pages go, so no stale picture contradicts the plan
    write_reports(tmp_path, scenario, plan, kpis)
    assert list(tmp_path.glob("gantt-learners-*.png")) == []


def test_pages_hold_every_learner_once_and_keep_groups_together(plans: dict[str, Path],
                                                                 scenario: Scenario):
    plan = read_plan_csv(plans["nl"] / "plan.csv")
    groups = learner_groups(scenario, plan)
    # small_region: trainee × {ZHO, ZGD}, bbl-vig × {ZHO, ZGD}
    assert [(g.programme, g.home, len(g.lines)) for g in groups] == [
        ("trainee", "ZHO", 2), ("trainee", "ZGD", 1), ("bbl-vig", "ZHO", 1), ("bbl-vig", "ZGD", 2)]
    for size in (1, 2, 3, 4, 120):
        pages = paginate(groups, size)
        seen = [ln.learner for p in pages for _, lines, _ in p.blocks for ln in lines]
        assert sorted(seen) == sorted(plan.by_learner) and len(seen) == len(set(seen))
        assert all(p.learners <= size for p in pages)
    assert len(learner_pages(scenario, plan)) == 1
    # size 3: the 2-learner group trainee·ZHO fills a page, trainee·ZGD starts the next
    assert [p.learners for p in paginate(groups, 3)] == [3, 3]


# ----- labels and layering -------------------------------------------------------------------
def test_every_label_exists_in_both_languages():
    nl, en = Text("nl"), Text("en")
    assert set(nl) == set(en) and len(nl) > 50
    assert LANGUAGES == ("nl", "en")
    assert nl.num(1234.5) == "1.234,5" and en.num(1234.5) == "1,234.5"
    assert nl.month("2028-03") == "mrt" and en.month("2028-03", year=True) == "Mar 2028"
    with pytest.raises(ValueError):
        Text("de")


def test_only_the_plot_package_imports_matplotlib():
    offenders = []
    for path in (ROOT / "scheduler").rglob("*.py"):
        if path.parent.name == "plot":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("matplotlib")]
    assert offenders == []


def test_forked_rendering_writes_the_same_pictures_as_in_process(
        scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import scheduler.report.files as files
    from scheduler.plandir import kpis_document

    result = solve(scenario, SolveOptions(workers=1, time_limit=20, quiet=True))
    assert result.plan is not None
    kpis = kpis_document(scenario, result, None)
    outputs = {}
    for workers in (1, 2):
        monkeypatch.setattr(files, "_workers", lambda _ctx, w=workers: w)
        folder = tmp_path / f"w{workers}"
        folder.mkdir()
        write_reports(folder, scenario, result.plan, kpis)
        outputs[workers] = {p.name: p.read_bytes() for p in folder.glob("*.png")}
    assert len(outputs[1]) >= 3
    assert outputs[1] == outputs[2]
