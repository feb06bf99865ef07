"""The workbench (`scheduler serve`) driven by a real browser: Debian's chromium via Playwright.

One server and one browser for the module; solves use tiny time limits. Every plan the
tests make is re-checked with `scheduler check` (``assert_checked``). With
BENCH_SCREENSHOTS=DIR the pages are also saved as PNGs (Dutch and English).
"""

from __future__ import annotations

import os
import signal
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from scheduler.generate import run_generate
from scheduler.io import load_scenario, write_scenario

from .web_server import (
    REPO,
    assert_checked,
    launched_browser,
    run_json,
    screenshot,
    served,
    wait_for,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bench") / "workspace"


@pytest.fixture(scope="module")
def server(workspace):
    with served(workspace) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    with launched_browser() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  accept_downloads=True)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def solve_in_page(page, time_limit: str) -> None:
    page.fill("#time-limit", time_limit)
    page.click("#solve-button")
    page.wait_for_selector("#status[data-running=no]", timeout=90_000)


@pytest.fixture(scope="module")
def twente(server, browser, workspace):
    """The default scenario opened and solved through the page; the seconds it took."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(server + "/")
    page.select_option("#shipped", "twente")
    page.click("#open-shipped")
    page.wait_for_url("**/s/twente")
    solve_in_page(page, "2")
    page.wait_for_selector("#gantt[data-ready=yes]")
    seconds = time.perf_counter() - start
    run = page.url.rstrip("/").rsplit("/", 1)[1]
    context.close()
    print(f"\ndefault scenario: opening to a shown plan in {seconds:.2f} s")
    return {"run": run, "seconds": seconds}


def test_open_default_scenario_solve_and_see_gantt_and_kpis(server, page, twente, workspace):
    page.goto(f"{server}/s/twente/r/{twente['run']}")
    page.wait_for_selector("#gantt[data-ready=yes]")
    assert "klaar" in page.inner_text("#status")
    assert page.inner_text("#kpi-placed") == "42 van 42 geplaatst"
    assert page.locator("#gantt svg rect.bar").count() >= 42 * 3  # 42 learners' placements
    assert page.locator("#fair-share tbody tr").count() == 8  # one row per organisation
    page.hover("#gantt svg rect.bar >> nth=0")
    assert "werkbegeleider" in page.inner_text("#tip")
    page.check("input[name=gmode][value=department]")
    page.fill("#gantt-filter", "L001")
    page.wait_for_function("document.getElementById('gantt-count').textContent"
                           ".startsWith('1 van 42')")
    assert page.locator("#gantt svg text.org").count() >= 1  # L001's organisations only
    assert page.locator("#gantt svg rect.bar").count() == len(
        {r for r in page.evaluate("[...document.querySelectorAll('#gantt rect.bar')]"
                                  ".map(e => e.dataset.s)")})
    assert_checked(workspace, "twente", twente["run"])
    assert page.dialogs == []
    for lang in ("nl", "en"):
        for url, name in (("/", "home"), ("/s/twente", "scenario"),
                          (f"/s/twente/r/{twente['run']}", "plan")):
            page.goto(f"{server}{url}?lang={lang}")
            if name == "plan":
                page.wait_for_selector("#gantt[data-ready=yes]")
            screenshot(page, f"{name}-{lang}")
    assert page.inner_text("#kpi-placed") == "42 of 42 placed"  # English after ?lang=en


def test_start_from_the_template_plan_it_and_keep_its_name(server, page, workspace,
                                                            tmp_path):
    from scheduler.web.uploads import TEMPLATE

    page.goto(server + "/")
    assert page.inner_text("#template h2") == "Begin met een sjabloon"
    screenshot(page, "home-template-nl")
    with page.expect_download() as info:  # the template to fill in in Excel
        page.click("#template-xlsx")
    book = tmp_path / info.value.suggested_filename
    info.value.save_as(book)
    assert book.name == "sjabloon.xlsx" and load_scenario(book) == load_scenario(TEMPLATE)
    page.fill("#template-name", "ijssel-zorg")
    page.click("#template-button")
    page.wait_for_url("**/s/ijssel-zorg")
    assert page.inner_text("#scenario-name") == "Startscenario regio (sjabloon)"
    assert "Geen problemen gevonden." in page.inner_text("main")  # validate: clean
    assert page.locator("#capacity-grid tr[data-dept]").count() == 5
    solve_in_page(page, "2")
    page.wait_for_selector("#gantt[data-ready=yes]")
    assert page.inner_text("#kpi-placed") == "3 van 3 geplaatst"
    assert_checked(workspace, "ijssel-zorg", page.url.rsplit("/", 1)[1])
    # the same name again: refused in the page's words, the scenario and its plan kept
    page.goto(server + "/?lang=en")
    assert page.inner_text("#template h2") == "Start from a template"
    page.fill("#template-name", "ijssel-zorg")
    page.click("#template-button")
    page.locator("#issues").wait_for()
    assert "'ijssel-zorg' in the workspace already" in page.inner_text("#issues")
    screenshot(page, "home-template-taken-en")
    assert (workspace / "scenarios/ijssel-zorg/runs").is_dir()


def test_the_template_route_refuses_a_name_outside_the_workspace(server, workspace):
    import urllib.error
    import urllib.request

    before = sorted(p.name for p in workspace.iterdir())
    scenarios = sorted(p.name for p in (workspace / "scenarios").iterdir())
    request = urllib.request.Request(server + "/template", data=b"name=..%2Fbuiten",
                                     headers={"Origin": server}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 400
    body = caught.value.read().decode()
    assert "Het sjabloon is niet geopend" in body and "letters, cijfers" in body
    assert sorted(p.name for p in workspace.iterdir()) == before
    assert sorted(p.name for p in (workspace / "scenarios").iterdir()) == scenarios
    assert not (workspace.parent / "buiten").exists()


def test_upload_workbook_with_bad_row_shows_the_message(server, page, tmp_path):
    book = tmp_path / "regio.xlsx"
    write_scenario(load_scenario(REPO / "scenarios" / "twente.yaml"), book)
    wb = openpyxl.load_workbook(book)
    sheet = wb["learners"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=4, column=header.index("start") + 1, value="2027-13")  # sheet row 4
    wb.save(book)
    page.goto(server + "/")
    page.set_input_files("#upload-file", str(book))
    page.click("#upload-button")
    table = page.locator("table.issue-table[data-table=learners]")
    table.wait_for()
    text = table.inner_text()
    # the spreadsheet's own row number (issue 23), as the CLI reports it
    assert "regio.xlsx" in text and "rij 4" in text and "start" in text and "2027-13" in text
    screenshot(page, "upload-error-nl")
    page.goto(server + "/")  # the server keeps running, nothing was added
    assert "regio" not in page.inner_text("ul.scenarios")


def test_change_capacity_then_replan_shows_moved_count(server, page, twente, workspace):
    import csv
    from collections import Counter

    plan = workspace / "scenarios/twente/runs" / twente["run"] / "plan/plan.csv"
    pinned = {p.department for p in load_scenario(REPO / "scenarios/twente.yaml").pins}
    with plan.open() as f:  # the busiest department without pins: closing it is allowed
        busiest = Counter(r["department"] for r in csv.DictReader(f)
                          if r["status"] == "placed" and r["department"] not in pinned
                          ).most_common(1)[0][0]
    page.goto(f"{server}/s/twente")
    page.select_option("#cap-dept", busiest)
    page.fill("#cap-value", "0")
    page.click("#cap-save")
    page.wait_for_selector("#capacity-saved")
    assert page.locator(f"#capacity-grid tr[data-dept='{busiest}'] td.changed").count() == 24
    page.goto(f"{server}/s/twente/r/{twente['run']}")
    page.fill("#replan-limit", "2")
    page.click("#replan-button")
    page.wait_for_selector("#status[data-running=no]", timeout=90_000)
    moved = page.inner_text("#moved")
    learners = int(moved.split(":")[1].split()[0])
    assert learners >= 1, moved  # everyone in the closed department had to move
    run = page.url.rsplit("/", 1)[1]
    assert run_json(workspace, "twente", run)["baseline_run"] == twente["run"]
    with (workspace / "scenarios/twente/runs" / run / "plan/plan.csv").open() as f:
        assert all(r["department"] != busiest for r in csv.DictReader(f))
    assert_checked(workspace, "twente", run)
    screenshot(page, "replan-nl")


def test_hand_move_shows_the_broken_rule_at_once(server, page, twente, workspace):
    import csv

    plan = workspace / "scenarios/twente/runs" / twente["run"] / "plan/plan.csv"
    with plan.open() as f:
        rows = [r for r in csv.DictReader(f) if r["learner"] == "L001"]
    second = next(r["department"] for r in rows if r["placement"] == "2")
    page.goto(f"{server}/s/twente/r/{twente['run']}")
    page.select_option("#move-learner", "L001")
    page.fill("#move-placement", "1")
    page.select_option("#move-dept", second)  # twice the same department: rule 6
    page.click("#move-button")
    page.wait_for_selector("#draft-check")
    text = page.inner_text("#draft-check")
    assert "(distinct_departments)" in text and second in text, text
    pins = workspace / "scenarios/twente/scenario.yaml"
    assert len(load_scenario(pins).pins) == 7  # the move is pinned (twente has 6 pins)
    screenshot(page, "move-check-nl")
    page.click("#discard-button")  # undo: the draft and its pin go
    page.wait_for_selector("#move-form")
    assert page.locator("#draft-check").count() == 0
    assert len(load_scenario(pins).pins) == 6


def test_download_plan_xlsx_opens_in_openpyxl(server, page, twente, tmp_path):
    page.goto(f"{server}/s/twente/r/{twente['run']}")
    with page.expect_download(timeout=120_000) as info:
        page.click("#dl-plan-xlsx")
    path = tmp_path / "plan.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row}
    assert "L001" in cells and len(book.sheetnames) >= 2
    with page.expect_download() as info:
        page.click("#dl-run-yaml")
    yaml_path = tmp_path / "scenario.yaml"
    info.value.save_as(yaml_path)
    assert len(load_scenario(yaml_path).learners) == 42


def test_edit_buddy_leave_and_learners_in_the_page_then_plan(server, page, tmp_path,
                                                             workspace):
    scenario = load_scenario(REPO / "tests/data/small_region.yaml")
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["name"] = "edits test"
    from scheduler.models import Scenario

    path = tmp_path / "edits.yaml"
    write_scenario(Scenario.model_validate(data), path)
    page.goto(server + "/")
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-button")
    page.wait_for_url("**/s/edits-test")
    saved = workspace / "scenarios/edits-test/scenario.yaml"
    # a buddy's leave
    page.select_option("#leave-buddy", "b-int-1")
    page.select_option("#leave-first", "2027-11")
    page.select_option("#leave-last", "2027-12")
    page.click("#leave-save")
    assert "b-int-1" in page.inner_text("#edit-saved")
    assert {m for m in load_scenario(saved).buddy["b-int-1"].unavailable} == {
        "2027-11", "2027-12"}
    # a learner's start and preferences: choosing the learner fills in what they have now
    page.select_option("#learner-id", "T01")
    assert page.input_value("#learner-preferences") == "ZGD, GGZT-KL"
    page.fill("#learner-preferences", "GGZT-KL, ZHO-INT")
    page.click("#learner-save")
    page.wait_for_selector("#edit-saved")
    assert list(load_scenario(saved).learner["T01"].preferences) == ["GGZT-KL", "ZHO-INT"]
    # a wrong department: the message names it, and nothing is saved
    page.select_option("#learner-id", "T02")
    page.fill("#learner-preferences", "NOWHERE")
    page.click("#learner-save")
    assert "NOWHERE" in page.inner_text("body")
    assert list(load_scenario(saved).learner["T02"].preferences) == ["ZHO-INT"]
    # add one learner, remove another
    page.goto(f"{server}/s/edits-test")
    page.fill("#add-id", "N01")
    page.select_option("#add-programme", "trainee")
    page.select_option("#add-home", "ZGD")
    page.click("#add-save")
    page.wait_for_selector("#edit-saved")
    page.select_option("#remove-id", "T03")
    page.click("#remove-save")
    page.wait_for_selector("#edit-saved")
    learners = load_scenario(saved).learner
    assert "N01" in learners and "T03" not in learners
    screenshot(page, "edits-nl")
    solve_in_page(page, "2")
    page.wait_for_selector("#gantt[data-ready=yes]")
    run = page.url.rsplit("/", 1)[1]
    assert_checked(workspace, "edits-test", run)
    plan = (workspace / "scenarios/edits-test/runs" / run / "plan/plan.csv").read_text()
    assert "N01," in plan and "T03," not in plan


def test_learner_name_with_script_is_shown_as_text(server, page, tmp_path, workspace):
    scenario = load_scenario(REPO / "tests/data/small_region.yaml")
    evil = "<script>alert(1)</script>"
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["name"] = "xss test"
    data["learners"][0]["name"] = evil
    from scheduler.models import Scenario

    path = tmp_path / "xss.yaml"
    write_scenario(Scenario.model_validate(data), path)
    page.goto(server + "/")
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-button")
    page.wait_for_url("**/s/xss-test")
    assert evil in (page.text_content("#learners") or "")
    solve_in_page(page, "1")
    page.wait_for_selector("#gantt[data-ready=yes]")
    assert evil in page.inner_text("#gantt")
    page.hover("#gantt svg rect.bar >> nth=0")
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert_checked(workspace, "xss-test", page.url.rsplit("/", 1)[1])


def test_stop_a_long_solve_keeps_the_best_plan_and_two_run_at_once(server, page, tmp_path, twente,
                                                                   workspace):
    region = tmp_path / "long.yaml"  # with its tables as CSV files: uploaded as a zip
    run_generate(learners=150, organisations=8, seed=3, out=region, utilisation=0.85,
                 region="twente", fmt=None, months=24, pinned_share=0.0)
    bundle = tmp_path / "long.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        for f in tmp_path.glob("long*.*"):
            if f.suffix in (".yaml", ".csv"):
                z.write(f, f"long/{f.name}")
    page.goto(server + "/")
    page.set_input_files("#upload-file", str(bundle))
    page.click("#upload-button")
    page.wait_for_url("**/s/*")
    name = page.url.rsplit("/", 1)[1]
    page.fill("#time-limit", "300")
    page.click("#solve-button")
    page.wait_for_selector("#stop-button")
    long_run = page.url.rsplit("/", 1)[1]
    events = workspace / "scenarios" / name / "runs" / long_run / "progress.jsonl"
    wait_for(lambda: events.is_file() and '"phase": "build"' in events.read_text(), 60,
             "the long solve to start")  # its first progress event (--progress-json)
    started = time.monotonic()  # its model (and greedy plan) takes about 2 s to build
    other = page.context.new_page()  # a second solve while the first one runs
    other.goto(f"{server}/s/twente")
    other.fill("#time-limit", "1")
    other.click("#solve-button")
    other.wait_for_selector("#status[data-running=no]", timeout=90_000)
    assert run_json(workspace, name, long_run)["state"] == "running"
    assert_checked(workspace, "twente", other.url.rsplit("/", 1)[1])
    time.sleep(max(0.0, 8 - (time.monotonic() - started)))
    page.click("#stop-button")
    page.wait_for_selector("#status[data-running=no]", timeout=90_000)
    meta = run_json(workspace, name, long_run)
    assert meta["exit_code"] == 130 and meta["state"] == "stopped"
    assert "gestopt; beste plan bewaard" in page.inner_text("#status")
    assert_checked(workspace, name, long_run)
    screenshot(page, "stopped-nl")


def test_a_killed_solve_is_reported(server, page, twente, workspace):
    page.goto(f"{server}/s/twente")
    page.fill("#time-limit", "300")
    page.click("#solve-button")
    page.wait_for_selector("#stop-button")
    run = page.url.rsplit("/", 1)[1]
    wait_for(lambda: "solve_pid" in run_json(workspace, "twente", run), 30, "the solve's pid")
    os.kill(run_json(workspace, "twente", run)["solve_pid"], signal.SIGKILL)
    page.wait_for_selector("#status[data-running=no]", timeout=60_000)
    assert "afgebroken" in page.inner_text("#status")
    assert run_json(workspace, "twente", run)["state"] == "killed"


def test_what_if_variant_solved_side_by_side_with_kpi_deltas(server, page, twente, workspace):
    page.goto(f"{server}/s/twente")
    page.select_option("#var-dept", "ZGD-LEER")
    page.fill("#var-amount", "2")
    page.click("#var-make")
    page.wait_for_selector("#variant-of")
    name = page.url.rsplit("/", 1)[1]
    assert "voeg 2 plekken toe bij ZGD-LEER" in page.inner_text("#variant-of")
    grid = page.locator("#capacity-grid tr[data-dept='ZGD-LEER'] td.changed")
    assert grid.count() == 24  # two more places in every month of the window
    page.fill("#both-limit", "1")
    page.click("#solve-both")
    page.wait_for_selector("#comparison", timeout=90_000)
    assert page.locator("#comparison thead th").all_inner_texts()[1:] == ["twente", name, "Δ"]
    assert page.inner_text("#comparison tr[data-key=learners] td.delta") == "+0"
    for scenario in ("twente", name):
        newest = max((workspace / "scenarios" / scenario / "runs").iterdir(),
                     key=lambda p: int(p.name))
        assert_checked(workspace, scenario, newest.name)
    screenshot(page, "compare-nl")


def test_changes_from_other_sites_and_hosts_are_refused(server):
    import urllib.error
    import urllib.request

    def post(headers: dict[str, str]) -> int:
        request = urllib.request.Request(server + "/open", data=b"shipped=twente",
                                         headers=headers, method="POST")
        try:
            return urllib.request.urlopen(request, timeout=10).status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert post({}) == 403  # no Origin, no Referer: not from our page
    assert post({"Origin": "http://evil.example"}) == 403
    assert post({"Host": "evil.example"}) == 421  # DNS rebinding
    assert post({"Origin": server}) in (200, 303)
