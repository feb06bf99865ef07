"""The plan's quality in plain words (``report.workbook.quality_line``) and the solver's
figures in the details part (``detail_rows``): coordinators read the first, analysts the
second (issue 23, point 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scheduler.io import load_scenario
from scheduler.models import Plan
from scheduler.report.context import ReportContext
from scheduler.report.workbook import detail_rows, quality_line
from scheduler.words.report import text_for

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = load_scenario(ROOT / "scenarios" / "twente.yaml")


def _line(lang: str = "nl", **kpis: Any) -> str:
    ctx = ReportContext(SCENARIO, Plan(rows=()), kpis, text_for(lang))
    return quality_line(ctx)


def _counts(placed: int, learners: int) -> dict[str, int]:
    return {"placed": placed, "learners": learners}


@pytest.mark.parametrize(("kpis", "expected"), [
    ({"status": "optimal", "counts": _counts(42, 42), "gap": 0.0},
     "Het best mogelijke plan (bewezen)."),
    ({"status": "feasible", "counts": _counts(1800, 1800), "gap": 0.0004},
     "Iedereen is geplaatst. Voor de rest vrijwel zo goed als het best mogelijke plan."),
    ({"status": "feasible", "counts": _counts(232, 242), "placed_upper_bound": 233,
      "gap": 0.0123},
     "Geen plan kan meer dan 233 van de 242 leerlingen plaatsen. "
     "Voor de rest hoogstens 1,3 % van het best mogelijke plan af."),
    ({"status": "feasible", "counts": _counts(233, 242), "placed_upper_bound": 233,
      "gap": 0.3731},
     "Meer leerlingen plaatsen kan niet (bewezen). Hoe dicht de rest bij het best mogelijke"
     " plan ligt, is niet bewezen (zie Details)."),
    ({"status": "feasible", "counts": _counts(1995, 2000), "gap": None},
     "1.995 van de 2.000 leerlingen geplaatst; of meer kan, is niet bewezen. Hoe dicht de"
     " rest bij het best mogelijke plan ligt, is niet bewezen (zie Details)."),
    ({"status": "interrupted", "counts": _counts(40, 42), "placed_upper_bound": 41},
     "Onderbroken: het beste plan tot dan, niet het best mogelijke. Geen plan kan meer dan"
     " 41 van de 42 leerlingen plaatsen."),
])
def test_quality_in_words(kpis, expected):
    assert _line(**kpis) == expected


def test_quality_in_english_and_never_solver_words():
    line = _line("en", status="feasible", counts=_counts(5, 6), placed_upper_bound=6,
                 gap=0.02)
    assert line == ("No plan can place more than 6 of the 6 learners. "
                    "Otherwise at most 2.0 % from the best possible plan.")
    for kpis in ({"status": "feasible", "counts": _counts(5, 6), "gap": 0.2},
                 {"status": "optimal", "counts": _counts(6, 6)}):
        words = _line(**kpis).lower()
        assert not any(w in words for w in ("doelwaarde", "ondergrens", "gat ", "objective"))


def test_the_gap_in_words_is_rounded_up():
    # "at most" must stay true: 1.01 % is said as 1.1 %, never 1.0 %
    assert "hoogstens 1,1 %" in _line(status="feasible", counts=_counts(5, 6), gap=0.0101)


def test_details_carry_the_solver_figures():
    kpis = {"status": "feasible", "objective": -34804.94, "bound": -55515.93,
            "bound_source": "lp-priced", "gap": 0.3731, "placed_upper_bound": 1800,
            "placed_bound_source": "all placed", "build_seconds": 4.853,
            "solve_seconds": 30.063,
            "solver": {"name": "cp-sat", "ortools": "9.15.6755", "cp_sat_status": "UNKNOWN",
                       "parameters": {"time_limit": 60.0, "workers": 8}}}
    ctx = ReportContext(SCENARIO, Plan(rows=()), kpis, text_for("nl"))
    rows = dict(detail_rows(ctx))
    assert rows["Doelwaarde"] == "-34.804,94" and rows["Ondergrens"] == "-55.515,93"
    assert rows["Gat"] == "37,31 %" and rows["Bron van de ondergrens"] == "lp-priced"
    assert rows["Meeste te plaatsen leerlingen"] == "1.800"
    assert rows["Rekenaar"] == "cp-sat 9.15.6755 UNKNOWN"
    assert rows["Tijdslimiet (s)"] == "60" and rows["Rekenkernen (workers)"] == "8"
