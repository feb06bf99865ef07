"""compare: KPI columns and deltas equal what the plan files give; who moved where."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scheduler.compare import (
    Comparison,
    Moves,
    Row,
    build_comparison,
    comparison_csv,
    comparison_html,
    learner_moves,
    moves_csv,
    read_plan_dir,
)
from scheduler.errors import InputError
from scheduler.io import load_scenario, read_plan_csv
from scheduler.kpis import compute_kpis
from scheduler.models import Plan, PlanRow, RowStatus
from scheduler.whatif import run_whatif

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "data" / "small_region.yaml"


def rows(learner: str, depts: list[str], start: int = 9, placements: list[int] | None = None
         ) -> list[PlanRow]:
    """One row per month from 2027-<start>; "" = unplaced."""
    out = []
    for i, dept in enumerate(depts):
        month = f"{2027 + (start + i - 1) // 12}-{(start + i - 1) % 12 + 1:02d}"
        status = RowStatus.UNPLACED if dept == "" else RowStatus.PLACED
        out.append(PlanRow(learner=learner, month=month, department=dept,
                           organisation=dept.split("-")[0], buddy="",
                           placement=(placements or [1] * len(depts))[i], status=status))
    return out


def test_moves_merge_consecutive_months_with_the_same_change():
    base = Plan(rows=(*rows("A", ["X", "X", "Y", "Y"]), *rows("B", ["X", "X"]),
                      *rows("C", ["Y"])))
    other = Plan(rows=(*rows("A", ["X", "Z", "Z", "Y"]), *rows("B", ["", ""]),
                       *rows("D", ["Y"])))
    m = learner_moves(base, other)
    assert sorted(m.moved) == ["A", "B"] and m.added == ["D"] and m.removed == ["C"]
    assert [(mv.before, mv.after, mv.first, mv.last, mv.months) for mv in m.moved["A"]] == [
        ("X", "Z", "2027-10", "2027-10", 1), ("Y", "Z", "2027-11", "2027-11", 1)]
    assert [(mv.before, mv.after, mv.months) for mv in m.moved["B"]] == [("X", "", 2)]


def test_a_plan_compared_with_itself_has_no_moves_and_zero_deltas():
    base = Plan(rows=tuple(rows("A", ["X", "Y"])))
    assert learner_moves(base, base) == Moves()


def test_csv_and_html_are_injection_safe():
    c = Comparison(["base", "=evil"], [Row("name", "scenario", ["<b>x</b>", "@SUM(A1)"],
                                             None)],
                   {"=evil": Moves(added=["-1+1"])}, "en")
    text = comparison_csv(c)
    assert "'=evil" in text and "'@SUM(A1)" in text and "\n=" not in text
    assert "'-1+1" in moves_csv(c)
    page = comparison_html(c)
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


# ----- numbers shown equal numbers recomputed from the plan files ------------------------
@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("compare")
    variants = {
        "more-bbl": [{"add_learners": {"count": 2, "programme": "bbl-vig", "start": "2027-09",
                                       "home": "GGZT"}},
                     {"add_capacity": {"department": "GGZT-KL", "amount": 2}},
                     {"add_buddies": {"department": "GGZT-KL", "count": 1}}],
        "ggzt-leaves": [{"remove_organisation": "GGZT"}],  # its GGZ places go: trainees unplaced
        "fewer": [{"remove_learners": ["T03"]}],
    }
    paths = []
    for name, changes in variants.items():
        path = tmp / f"{name}.yaml"
        doc = {"base": os.path.relpath(SMALL, tmp), "name": name, "changes": changes}
        path.write_text(yaml.safe_dump(doc), encoding="utf-8")
        paths.append(path)
    code = run_whatif(SMALL, paths, out=tmp / "out", jobs=1, dask_address=None, fresh=False,
                      time_limit=10.0, workers=1, seed=0, force=False, lang="en",
                      pseudonymise=False, reports=False)
    assert code == 0
    return tmp / "out"


def table(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {r["kpi"]: r for r in csv.DictReader(handle)}


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def test_comparison_numbers_equal_those_recomputed_from_the_plan_files(out):
    shown = table(out / "comparison.csv")
    columns = ["base", "more-bbl", "ggzt-leaves", "fewer"]
    base_plan = read_plan_csv(out / "base" / "plan.csv")
    base_kpis = compute_kpis(load_scenario(out / "base" / "scenario.yaml"), base_plan)
    for col in columns:
        plan = read_plan_csv(out / col / "plan.csv")
        kpis = compute_kpis(load_scenario(out / col / "scenario.yaml"), plan)
        solver = json.loads((out / col / "kpis.json").read_text(encoding="utf-8"))
        expected = {
            "learners": kpis["counts"]["learners"],
            "placed": kpis["counts"]["placed"],
            "unplaced": kpis["counts"]["unplaced"],
            "first_choice_pct": kpis["preferences"]["first_choice_pct"],
            "fair_share_total": kpis["fair_share"]["total_abs_deviation"],
            "travel_km": kpis["travel"]["total_km"],
            "buddy_changes": kpis["buddy_changes"],
            "objective": solver["objective"],
            **{f"fair_share:{r['organisation']}": r["deviation"]
               for r in kpis["fair_share"]["organisations"]},
        }
        assert solver["counts"] == kpis["counts"]  # kpis.json agrees with plan.csv too
        for key, value in expected.items():
            assert number(shown[key][col]) == value, (col, key)
        if col != "base":
            base_value = {"placed": base_kpis["counts"]["placed"],
                          "travel_km": base_kpis["travel"]["total_km"]}
            for key, b in base_value.items():
                assert number(shown[key][f"Δ {col}"]) == pytest.approx(expected[key] - b)
    assert shown["status"]["base"] == json.loads((out / "base" / "kpis.json").read_text())[
        "status"]
    assert shown["fair_share:GGZT"]["ggzt-leaves"] == ""  # no longer in the region


def test_unplaced_learners_are_listed_with_their_reasons(out):
    shown = table(out / "comparison.csv")
    unplaced = read_plan_csv(out / "ggzt-leaves" / "plan.csv").unplaced_learners()
    assert unplaced  # the trainees need a GGZ placement
    for lid in unplaced:
        assert f"{lid}: " in shown["unplaced_reasons"]["ggzt-leaves"]


def test_added_and_removed_learners_are_not_moves(out):
    shown = table(out / "comparison.csv")
    assert (shown["added"]["more-bbl"], shown["removed"]["fewer"]) == ("2", "1")
    assert shown["moved"]["fewer"] == "0"  # T03 left; nobody else needs to move


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=120)


def test_compare_two_plan_directories_via_the_cli(out, tmp_path):
    done = _cli("compare", str(out / "base"), str(out / "ggzt-leaves"), "--out",
                str(tmp_path / "cmp"), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "learners moved" in done.stdout and "Δ ggzt-leaves" in done.stdout
    pair = table(tmp_path / "cmp" / "comparison.csv")
    whole = table(out / "comparison.csv")
    for key in ("placed", "unplaced", "travel_km", "moved", "fair_share_total"):
        assert pair[key]["ggzt-leaves"] == whole[key]["ggzt-leaves"], key
    assert (tmp_path / "cmp" / "comparison.html").read_text().startswith("<!DOCTYPE html>")


def test_compare_refuses_what_is_not_a_plan_directory(out, tmp_path):
    done = _cli("compare", str(out / "base"), str(tmp_path / "missing"), "--lang", "en")
    assert done.returncode == 1 and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr
    done = _cli("compare", str(out / "base"), str(tmp_path / "missing"))
    assert done.returncode == 1 and "geen planmap: de map" in done.stderr, done.stderr
    assert "bestaat niet" in done.stderr and "Traceback" not in done.stderr
    with pytest.raises(InputError, match="kpis.json is missing"):
        read_plan_dir(tmp_path)


def test_a_solve_directory_without_scenario_copy_uses_kpis_json(out, tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    for name in ("plan.csv", "kpis.json"):
        (plain / name).write_bytes((out / "fewer" / name).read_bytes())
    c = build_comparison([read_plan_dir(out / "base"), read_plan_dir(plain)], "en")
    full = {r.key: r.values for r in build_comparison(
        [read_plan_dir(out / "base"), read_plan_dir(out / "fewer")], "en").rows}
    for row in c.rows:
        if row.key != "name":
            assert row.values == full[row.key], row.key
