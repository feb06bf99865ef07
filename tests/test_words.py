"""scheduler/words/ (issue 23 point 5, issue 24): one package for every sentence a person
reads, Dutch by default, English with --lang en, numbers written the language's way."""

from __future__ import annotations

import copy
import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.compare import Comparison, Row, comparison_html, render_text
from scheduler.errors import InputError, InputIssue
from scheduler.models import Scenario
from scheduler.plandir import kpis_document
from scheduler.solver import SolveOptions, solve
from scheduler.words import (
    LANGUAGES,
    compare,
    explain,
    glossary,
    messages,
    notes,
    problems,
    report,
    web,
)
from scheduler.words.explain import reason_text
from scheduler.words.format import ids_text, num, pct, short, signed
from scheduler.words.messages import Fixed, Msg
from tests.cli_in_process import run

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny.yaml"
SMALL = ROOT / "tests" / "data" / "small_region.yaml"
TABLES = {
    "glossary.TERMS": glossary.TERMS, "glossary.RULES": glossary.RULES,
    "report.LABELS": report.LABELS, "web.TEXT": web.TEXT, "notes.NOTES": notes.NOTES,
    "compare.ROWS": compare.ROWS, "compare.TEXT": compare.TEXT,
    "explain.SENTENCES": explain.SENTENCES, "messages.MESSAGES": messages.MESSAGES,
    "problems.PROBLEMS": problems.PROBLEMS,
}  # fmt: skip


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_sentence_has_dutch_and_english_with_the_same_placeholders(name: str):
    table = TABLES[name]
    assert len(table) >= 10
    for key, pair in table.items():
        assert isinstance(pair, tuple) and len(pair) == len(LANGUAGES), (name, key)
        nl, en = pair
        assert nl.strip() and en.strip(), (name, key)
        assert _fields(nl) == _fields(en), (name, key, nl, en)


def test_every_message_key_in_the_code_has_its_sentence_and_none_is_taken_twice():
    # Msg looks a key up in messages.MESSAGES, then in problems.PROBLEMS: a key in both
    # would hide the input error's sentence behind validate's
    assert set(messages.MESSAGES).isdisjoint(problems.PROBLEMS)
    known = set(messages.MESSAGES) | set(problems.PROBLEMS)
    used = {key for path in (ROOT / "scheduler").rglob("*.py")
            for key in re.findall(r'\bMsg\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8"))}
    assert "duplicate_id" in used and "file_not_found" in used
    assert sorted(used - known) == []


def test_one_glossary_leerling_not_lerende_and_eerste_keus():
    dutch = " ".join(nl for table in TABLES.values() for nl, _ in table.values()).lower()
    assert "lerende" not in dutch and "eerste keuze" not in dutch
    assert "leerlingen" in dutch and "eerste keus" in dutch
    assert "in het engels" not in dutch  # the reasons are no longer English in a Dutch report


def test_dutch_numbers_have_a_decimal_comma_and_thousands_dots():
    assert num(1234.56, "nl", 1) == "1.234,6" and num(1234.56, "en", 1) == "1,234.6"
    assert pct(66.666, "nl") == "66,7 %" and pct(66.666, "en") == "66.7 %"
    assert short(0.912, "nl") == "0,912" and short(0.912, "en") == "0.912"
    assert short(4889, "nl") == "4.889" and short(2.0, "nl") == "2"
    assert signed(-0.5, "nl") == "-0,5" and signed(3, "en") == "+3"
    assert ids_text(["a", "b", "c"], "nl") == "a, b en c"
    assert ids_text(list("abcdefghij"), "en") == "a, b, c, d, e, f, g, h and 2 more"


def test_a_message_is_its_english_text_and_speaks_dutch_on_request():
    m = Msg("travel", index=2, km=Fixed(13.14), limit=40.0)
    assert m == "placement 2: 13.1 km, max_travel_km 40"  # what tools and tests see
    assert m.text("nl") == "plaatsing 2: 13,1 km, max_travel_km 40"  # ids and fields stay


# ----- the commands -----------------------------------------------------------------------
def _tiny_with(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    doc: dict[str, Any] = copy.deepcopy(yaml.safe_load(TINY.read_text()))
    mutate(doc)
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def test_validate_speaks_dutch_by_default_and_english_with_lang_en(tmp_path: Path):
    path = _tiny_with(tmp_path, lambda d: d["pins"].append(
        {"learner": "T2", "month": "2028-01", "department": "ZGT-CHIR", "buddy": "b-chir-2"}))
    code, out, err = run("validate", str(path))
    assert code == 1
    assert ("fout: vastgezette plaatsing van leerling T2 noemt werkbegeleider b-chir-2, die "
            "afwezig is in 2028-01") in err
    assert "leerlingen" in out and "1 fouten, 0 waarschuwingen" in out
    code_en, out_en, err_en = run("validate", str(path), "--lang", "en")
    assert code_en == code
    assert "error: pin of learner T2 names buddy b-chir-2, who is unavailable in 2028-01" \
        in err_en
    assert "learners" in out_en and "1 errors, 0 warnings" in out_en


def test_input_errors_speak_dutch_by_default_and_english_with_lang_en(tmp_path: Path):
    # issue 23 point 5: a bad row through the real CLI; file, table, row, id, field and the
    # value quoted stay as they are, the words around them follow --lang
    def bad_row(d: dict[str, Any]) -> None:
        d["departments"][2].update(organisation="LIVV", capacity="twee")

    path = _tiny_with(tmp_path, bad_row)
    code, out, err = run("validate", str(path))
    assert (code, out) == (1, "")
    assert "Traceback" not in err
    assert (f"fout: {path}, departments, rij 3, id 'LIV-WIJK1', veld 'capacity': moet een "
            "geheel getal ≥ 0 zijn, maar is 'twee'") in err
    code_en, out_en, err_en = run("validate", str(path), "--lang", "en")
    assert (code_en, out_en) == (1, "")
    assert "Traceback" not in err_en
    assert (f"error: {path}, departments, row 3, id 'LIV-WIJK1', field 'capacity': must be a "
            "whole number ≥ 0, got 'twee'") in err_en
    # a reference problem (found after the schema is clean), and Dutch again after English
    path.write_text(path.read_text().replace("capacity: twee", "capacity: 2"))
    code, _, err = run("solve", str(path), "--out", str(tmp_path / "plan"))
    assert code == 1
    assert (f"fout: {path}, departments, rij 3, id 'LIV-WIJK1', veld 'organisation': onbekende "
            "organisatie 'LIVV'; bedoelde u 'LIV'?") in err
    code, _, err = run("check", str(path), str(tmp_path / "plan.csv"), "--lang", "en")
    assert (code, "Traceback" in err) == (1, False)
    assert (f"error: {path}, departments, row 3, id 'LIV-WIJK1', field 'organisation': unknown "
            "organisation 'LIVV'; did you mean 'LIV'?") in err
    # a file problem
    missing = tmp_path / "nope.yaml"
    assert run("validate", str(missing))[2] == f"fout: {missing}: scenariobestand niet gevonden\n"
    assert run("validate", str(missing), "--lang", "en")[2] == \
        f"error: {missing}: scenario file not found\n"


def test_an_input_error_keeps_english_as_its_value_and_frames_dutch_on_request():
    issues = [InputIssue("s.yaml", Msg("required"), table="learners", row=n, id=f"L{n}",
                         field="programme") for n in range(1, 53)]
    error = InputError(issues)
    assert str(error).splitlines()[0] == \
        "s.yaml, learners, row 1, id 'L1', field 'programme': is required but not given"
    assert str(error).splitlines()[-1] == "... and 2 more problems"
    dutch = error.text("nl").splitlines()
    assert dutch[0] == "s.yaml, learners, rij 1, id 'L1', veld 'programme': is verplicht maar " \
        "niet ingevuld"
    assert dutch[-1] == "... en nog 2 problemen"
    assert InputError("plain text", file="f").text("nl") == "f: plain text"  # not yet in words


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tiny")
    code, _, err = run("solve", str(SMALL), "--out", str(folder / "plan"), "--workers", "1",
                       "--time-limit", "20", "--quiet", "--no-reports")
    assert code == 0, err
    return SMALL, folder / "plan" / "plan.csv"


def test_check_speaks_dutch_by_default_and_english_with_lang_en(tiny_plan, tmp_path: Path):
    scenario, plan = tiny_plan
    code, out, _ = run("check", str(scenario), str(plan))
    assert code == 0 and "OK, elke harde regel geldt" in out
    lines = plan.read_text().splitlines()
    header = lines[0].split(",")
    at, row = next((i, line.split(",")) for i, line in enumerate(lines)
                   if line.endswith(",placed"))
    row[header.index("buddy")] = "nobody-here"
    lines[at] = ",".join(row)
    bad = tmp_path / "plan.csv"
    bad.write_text("\n".join(lines) + "\n")
    code, out, err = run("check", str(scenario), str(bad))
    assert code == 1
    assert "onbekende werkbegeleider 'nobody-here'" in out
    assert "overtredingen van de harde regels" in err
    code_en, out_en, err_en = run("check", str(scenario), str(bad), "--lang", "en")
    assert code_en == 1 and "violations of the hard rules" in err_en
    assert "unknown buddy 'nobody-here'" in out_en
    assert "[placement]" in out and "[placement]" in out_en  # the rule's id stays
    assert out != out_en


# ----- unplaced reasons: Dutch in kpis.json and the report, English on request ------------
def test_unplaced_reasons_are_dutch_by_default_and_render_again_in_english():
    from tests.test_explain import learner, region

    # one place, two learners: one is unplaced, by capacity
    scenario = Scenario.model_validate(region(learners=[learner("L1"), learner("L2")]))
    result = solve(scenario, SolveOptions(workers=1, time_limit=20, quiet=True))
    assert result.plan is not None and result.unplaced
    dutch = kpis_document(scenario, result, None)["unplaced_learners"]
    english = kpis_document(scenario, result, None, "en")["unplaced_learners"]
    for nl, en in zip(dutch, english, strict=True):
        assert nl["learner"] == en["learner"] and nl["rule"] == en["rule"]
        assert nl["reason"] != en["reason"] and nl["key"] == en["key"]
        assert nl["rule"] == "capacity" and nl["learner"] in nl["reason"]
        # the report draws them again in its own language from key and parameters
        entry = json.loads(json.dumps(nl))
        assert reason_text(entry, "en") == en["reason"]
        assert reason_text(entry, "nl") == nl["reason"]
    assert "plaatsing 1 (2027-09..2027-12)" in dutch[0]["reason"]
    assert "placement 1 (2027-09..2027-12)" in english[0]["reason"]


# ----- comparison and workbench: Dutch numbers -------------------------------------------
def _comparison(lang: str) -> Comparison:
    rows = [Row("learners", compare.ROWS["learners"][LANGUAGES.index(lang)], [1200, 1250],
                [None, 50]),
            Row("first_choice_pct", "first", [66.7, 70.25], [None, 3.55]),
            Row("gap_pct", "gap", [0.912, 0.5], None)]
    return Comparison(["base", "more"], rows, {}, lang)


def test_the_comparison_writes_numbers_the_languages_way():
    dutch, english = render_text(_comparison("nl")), render_text(_comparison("en"))
    assert "66,7" in dutch and "+3,55" in dutch and "0,912" in dutch and "1.250" in dutch
    assert "leerlingen" in dutch
    assert "66.7" in english and "+3.55" in english and "1,250" in english
    assert "<td>70,25</td>" in comparison_html(_comparison("nl"))


def test_the_workbench_writes_percentages_the_dutch_way():
    from jinja2 import Environment

    from scheduler.words.format import pct as pct_filter

    env = Environment()
    env.filters.update(num=short, pct=pct_filter)
    page = env.from_string("{{ 66.666|pct(lang) }} {{ 0.912|num(lang) }}")
    assert page.render(lang="nl") == "66,7 % 0,912"
    assert page.render(lang="en") == "66.7 % 0.912"


def test_differences_carry_their_sign_and_the_workbench_signs_zero_too():
    from scheduler.words.format import signed

    assert signed(3, "nl") == "+3" and signed(-0.5, "nl") == "-0,5" and signed(0, "nl") == "0"
    assert signed(0, "nl", plus_zero=True) == "+0" and signed(None, "nl") == ""


def test_the_comparison_shows_a_plan_s_status_in_words_and_solver_figures_as_details():
    from scheduler.compare import label, shown

    assert shown("status", "optimal", "nl") == "optimaal"
    assert shown("status", "feasible", "nl") == "geldig plan"
    assert shown("status", "optimal", "en") == "optimal"
    assert shown("placed", 1234, "nl") == "1.234"
    assert label("objective", "nl").startswith("details: ")
    assert label("gap_pct", "en").startswith("details: ")
