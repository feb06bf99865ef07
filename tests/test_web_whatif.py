"""The workbench's suggestions and what-if variants in a real browser (issue 22): checked
suggestions for unplaced learners (`scheduler explain` in a child process), one turned into
a variant solved side by side with the base; a buddy's leave and more learners as variants
with KPI deltas and who moved; a YAML upload that needs its CSV files. Every plan made is
re-checked with `scheduler check`. With BENCH_SCREENSHOTS=DIR the pages are saved."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scheduler.generate import run_generate

from .test_explain import learner, region
from .web_server import REPO, assert_checked, launched_browser, screenshot, served

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("whatif") / "workspace"


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
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def upload(page, server: str, path: Path) -> str:
    page.goto(server + "/")
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-button")
    page.wait_for_url("**/s/*")
    return page.url.rsplit("/", 1)[1]


def solve(page, limit: str = "2") -> str:
    page.fill("#time-limit", limit)
    page.click("#solve-button")
    page.wait_for_selector("#status[data-running=no]", timeout=90_000)
    return page.url.rsplit("/", 1)[1]


def newest_run(workspace: Path, scenario: str) -> str:
    runs = workspace / "scenarios" / scenario / "runs"
    return max(runs.iterdir(), key=lambda p: int(p.name)).name


def compared(page, workspace: Path, base: str, variant: str) -> dict[str, str]:
    """The comparison's deltas by row key, after both plans passed the checker."""
    page.wait_for_selector("#comparison", timeout=120_000)
    for scenario in (base, variant):
        assert_checked(workspace, scenario, newest_run(workspace, scenario))
    heads = page.locator("#comparison thead th").all_inner_texts()
    assert heads[1:] == [base, variant, "Δ"], heads
    return {row.get_attribute("data-key") or "": row.locator("td.delta").inner_text()
            for row in page.locator("#comparison tbody tr").all()}


def test_suggestions_for_unplaced_learners_and_one_solved_as_a_variant(server, page, tmp_path,
                                                                       workspace):
    doc = {**region(learners=[learner("L1"), learner("L2")]), "name": "overvol"}
    path = tmp_path / "overvol.yaml"  # one department with one place, two learners
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    name = upload(page, server, path)
    run = solve(page)
    assert page.locator("#unplaced tbody tr").count() == 1
    assert_checked(workspace, name, run)
    page.fill("#explain-limit", "10")
    page.click("#explain-button")
    page.wait_for_selector("#suggestions-running")
    assert page.inner_text("#kpi-placed") == "1 van 2 geplaatst"  # the page still answers
    page.wait_for_selector("#suggestion-list", timeout=120_000)  # shown without a reload
    first = page.inner_text("#suggestion-list li[data-rank='1']")
    assert "A-1" in first and "plaatst de ongeplaatste leerling" in first, first
    explain = workspace / "scenarios" / name / "runs" / run / "explain"
    assert (explain / "explain.json").is_file() and (explain / "suggestie-1.yaml").is_file()
    screenshot(page, "suggestions-nl")
    page.wait_for_selector("#reports-pending", state="detached", timeout=60_000)  # no reload
    page.goto(page.url.split("#")[0] + "?lang=en")
    assert "places the unplaced learner" in page.inner_text("#suggestion-list")
    screenshot(page, "suggestions-en")
    page.goto(page.url.split("?")[0] + "?lang=nl")
    page.click("#try-suggestion-1")  # a variant of the scenario, solved beside the base
    page.wait_for_url("**/compare")
    variant = page.url.rsplit("/", 2)[1]
    deltas = compared(page, workspace, name, variant)
    assert deltas["placed"] == "+1" and deltas["unplaced"] == "-1", deltas
    assert "voeg 1 plek toe bij A-1" in page.inner_text("#variant-changes")
    screenshot(page, "compare-suggestion-nl")


def test_buddy_leave_and_more_learners_as_variants_side_by_side(server, page, tmp_path,
                                                                workspace):
    data = yaml.safe_load((REPO / "tests/data/small_region.yaml").read_text(encoding="utf-8"))
    data["name"] = "whatif region"
    path = tmp_path / "region.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    base = upload(page, server, path)
    # a buddy away: the only buddy of ZHO-INT, for the whole window
    page.select_option("#varl-buddy", "b-int-1")
    page.select_option("#varl-first", "2027-09")
    page.select_option("#varl-last", "2028-08")
    page.click("#varl-make")
    page.wait_for_selector("#variant-of")
    leave = page.url.rsplit("/", 1)[1]
    assert "werkbegeleider b-int-1 afwezig in 2027-09..2028-08" in page.inner_text("#variant-of")
    screenshot(page, "variant-leave-nl")
    page.fill("#both-limit", "2")
    page.click("#solve-both")
    deltas = compared(page, workspace, base, leave)
    assert deltas["learners"] == "+0" and "placed" in deltas
    plan = workspace / "scenarios" / leave / "runs" / newest_run(workspace, leave) / "plan"
    assert "ZHO-INT" not in (plan / "plan.csv").read_text()  # nobody there without a buddy
    screenshot(page, "compare-leave-nl")
    # more learners like an existing programme and start
    page.goto(f"{server}/s/{base}")
    page.fill("#varn-count", "2")
    page.select_option("#varn-programme", "bbl-vig")
    page.select_option("#varn-start", "2027-09")
    page.select_option("#varn-home", "ZGD")
    page.click("#varn-make")
    page.wait_for_selector("#variant-of")
    more = page.url.rsplit("/", 1)[1]
    assert "2 leerlingen meer (bbl-vig, start 2027-09)" in page.inner_text("#variant-of")
    page.fill("#both-limit", "2")
    page.click("#solve-both")
    deltas = compared(page, workspace, base, more)
    assert deltas["learners"] == "+2", deltas
    assert page.locator("h2", has_text="Wie verhuist waarheen").count() == 1
    screenshot(page, "compare-learners-nl")
    page.goto(page.url + "?lang=en")
    assert "2 more learners (bbl-vig, starting 2027-09)" in page.inner_text("#variant-changes")
    screenshot(page, "compare-learners-en")


def test_yaml_upload_that_needs_its_csv_files_says_to_send_a_zip(server, page, tmp_path):
    region_yaml = tmp_path / "tabellen.yaml"
    run_generate(learners=12, organisations=3, seed=5, out=region_yaml, utilisation=0.8,
                 region="twente", fmt=None, months=12, pinned_share=0.0)
    assert list(tmp_path.glob("tabellen*.csv"))  # the YAML names these tables
    page.goto(server + "/")
    page.set_input_files("#upload-file", str(region_yaml))
    page.click("#upload-button")
    page.wait_for_selector("#issues")
    text = page.inner_text("#issues")
    assert "tabellen.yaml" in text and "tabellen-learners.csv" in text, text
    assert "upload een zip met de YAML en die CSV-bestanden" in text, text
    screenshot(page, "upload-yaml-csv-nl")
    page.goto(server + "/?lang=en")
    page.set_input_files("#upload-file", str(region_yaml))
    page.click("#upload-button")
    page.wait_for_selector("#issues")
    assert "upload a zip of the YAML with its CSV files" in page.inner_text("#issues")
    screenshot(page, "upload-yaml-csv-en")
