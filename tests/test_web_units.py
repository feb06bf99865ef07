"""The workbench's parts without a browser: uploads, the guard, progress words, hand moves."""

from __future__ import annotations

import io
import stat
import time
import zipfile
from pathlib import Path

import pytest
from starlette.requests import Request

from scheduler.errors import InputError
from scheduler.io import load_scenario, write_scenario
from scheduler.models import RuleId
from scheduler.models.progress import ProgressEvent
from scheduler.web.planview import (
    check_draft,
    gantt_data,
    move_learner,
    moved_counts,
    with_capacity,
    with_pin,
)
from scheduler.web.progress import describe
from scheduler.web.runs import ended_state
from scheduler.web.security import Guard
from scheduler.web.uploads import import_upload
from scheduler.web.workspace import Workspace
from scheduler.words.web import texts

from .solving import solve_checked

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "data" / "small_region.yaml"


def zip_of(entries: dict[str, bytes], link: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def nothing_left(ws: Workspace) -> bool:
    return ws.names() == [] and list(ws.uploads.iterdir()) == []


@pytest.mark.parametrize("entry, why", [
    ("../evil.yaml", "'..'"),
    ("/etc/evil.yaml", "absolute"),
    ("C:/evil.yaml", "absolute"),
    ("tables/run.sh", "not a .yaml"),
])
def test_zip_entries_that_leave_the_folder_are_refused(tmp_path, entry, why):
    ws = Workspace(tmp_path / "ws")
    data = zip_of({"scenario.yaml": SMALL.read_bytes(), entry: b"x"})
    with pytest.raises(InputError) as err:
        import_upload(ws, "region.zip", data)
    assert why in str(err.value) and str(err.value).startswith("region.zip")
    assert nothing_left(ws)
    assert not (tmp_path / "evil.yaml").exists()


def test_zip_links_are_refused(tmp_path):
    ws = Workspace(tmp_path / "ws")
    with pytest.raises(InputError, match="is a link"):
        import_upload(ws, "region.zip", zip_of({"scenario.yaml": SMALL.read_bytes()},
                                                link="tables.csv"))
    assert nothing_left(ws)


def test_zip_of_yaml_with_csv_tables_is_read_like_the_cli(tmp_path):
    source = tmp_path / "src" / "region.yaml"
    source.parent.mkdir()
    write_scenario(load_scenario(SMALL), source, csv_tables=True)
    entries = {f"region/{p.name}": p.read_bytes() for p in source.parent.iterdir()}
    ws = Workspace(tmp_path / "ws")
    name = import_upload(ws, "region.zip", zip_of(entries))
    assert ws.load(name) == load_scenario(source)
    assert list(ws.uploads.iterdir()) == []


def test_a_bad_upload_names_the_uploaded_file_and_leaves_nothing(tmp_path):
    ws = Workspace(tmp_path / "ws")
    bad = SMALL.read_text().replace("capacity: 2}", "capacity: -1}", 1)
    with pytest.raises(InputError) as err:
        import_upload(ws, "mine.yaml", bad.encode())
    issue = err.value.issues[0]
    assert issue.file == "mine.yaml" and issue.table == "departments" and issue.row == 1
    assert issue.field == "capacity" and str(tmp_path) not in str(err.value)
    assert nothing_left(ws)
    with pytest.raises(InputError, match="give a .yaml, .yml, .xlsx or .zip"):
        import_upload(ws, "notes.txt", b"hello")


def test_uploads_are_bounded_in_size(tmp_path):
    from scheduler.web.uploads import MAX_UPLOAD_BYTES

    ws = Workspace(tmp_path / "ws")
    with pytest.raises(InputError, match="larger than 20 MB"):
        import_upload(ws, "big.yaml", b"#" * (MAX_UPLOAD_BYTES + 1))
    assert nothing_left(ws)


def test_scenario_folder_names_from_scenario_names():
    from scheduler.web.workspace import slug

    assert slug("Twente (seed 3): 150 lerenden, 8 organisaties, bezetting 85%") == \
        "Twente-seed-3-150-lerenden-8-organisaties-bezett"
    assert slug("../../etc") == "etc" and slug("???") == "scenario"


def test_scenario_names_never_become_paths_outside(tmp_path):
    ws = Workspace(tmp_path / "ws")
    for name in ("../x", "a/b", "", ".hidden", "x" * 80):
        with pytest.raises(InputError):
            ws.folder(name)
    with pytest.raises(InputError):
        ws.run("twente", "../1")


def request(method: str, headers: dict[str, str], query: str = "") -> Request:
    return Request({"type": "http", "method": method, "path": "/", "query_string":
                    query.encode(), "headers": [(k.encode(), v.encode())
                                                for k, v in headers.items()]})


def test_guard_host_origin_and_token():
    local = Guard("127.0.0.1", 8000, None)
    assert local.host_ok(request("GET", {"host": "localhost:8000"}))
    assert not local.host_ok(request("GET", {"host": "evil.example:8000"}))  # DNS rebinding
    same = {"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:8000"}
    assert local.same_origin(request("POST", same))
    assert not local.same_origin(request("POST", {"host": "127.0.0.1:8000"}))
    assert not local.same_origin(request("POST", {**same, "origin": "http://evil.example"}))
    assert local.same_origin(request("POST", {"host": "127.0.0.1:8000",
                                              "referer": "http://127.0.0.1:8000/s/x"}))
    assert local.token_ok(request("GET", same))
    remote = Guard("0.0.0.0", 8000, "s3cret")
    assert not remote.token_ok(request("GET", {"host": "10.1.1.1:8000"}))
    assert not remote.token_ok(request("GET", {"host": "h"}, "token=wrong"))
    assert remote.token_ok(request("GET", {"host": "h"}, "token=s3cret"))
    assert remote.token_ok(request("GET", {"host": "h", "cookie": "bench_token=s3cret"}))


class Events:
    """A run's progress file as the solve child writes it (``--progress-json``), and the
    meta that names it (its argv), for ``describe``."""

    def __init__(self, folder: Path, limit: float = 30) -> None:
        self.path = folder / "progress.jsonl"
        self.meta = {"started": time.time() - 5, "time_limit": limit,
                     "argv": ["solve", "x.yaml", "--progress-json", str(self.path)]}

    def add(self, **fields) -> Events:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(ProgressEvent(**fields).to_json() + "\n")
        return self

    def describe(self, t: dict[str, str]) -> str:
        return describe(self.meta, t)


def test_progress_in_plain_words(tmp_path):
    t = texts("en")
    run = Events(tmp_path)
    assert run.describe(t) == t["progress_start"]  # no file yet
    run.path.write_text('{"seconds": 0.1, "pha')  # cut off mid-line: not an event
    assert run.describe(t) == t["progress_start"]
    run.path.write_text("")
    run.add(seconds=0.6, phase="build", learners=42, organisations=8)
    assert run.describe(t) == ("5.0 s: building the model for 42 learners and looking "
                               "for a first plan (at most 25 s left) …")
    run.add(seconds=2.2, phase="cp_sat", learners=42, placed=42, objective=-1070.05,
            bound=-1080.0, gap=0.0093, plans=3)
    words = run.describe(t)
    assert words.startswith("42 of 42 placed. 2.2 s: plan 3 found; still improving")
    assert words.endswith("At most 1.0 % from the best possible.")  # 0.93 %, rounded up
    early = Events(tmp_path / "early")
    early.path.parent.mkdir()
    early.path.write_text(run.path.read_text())
    early.add(seconds=3.0, phase="cp_sat", learners=42, placed=42, objective=-7004.64,
              bound=-1379793.25, gap=195.9828, plans=4)
    assert "%" not in early.describe(t)  # a weak early bound: no puzzling percentage
    run.add(seconds=3.0, phase="done", learners=42, placed=42, improving=False)
    assert run.describe(t) == t["progress_writing"]


def test_progress_says_how_many_are_placed_and_the_most_possible(tmp_path):
    run = Events(tmp_path, 60).add(seconds=0.7, phase="build", learners=1800)
    run.add(seconds=6.1, phase="first_plan", learners=1800, placed=1705, objective=72473.48)
    assert run.describe(texts("en")).startswith("1,705 of 1,800 placed. 5.0 s: plan 1")
    run.add(seconds=20.0, phase="lp", learners=1800, placed=1783, most=1790,
            objective=-24823.74)
    assert run.describe(texts("nl")).startswith(
        "1.783 van 1.800 geplaatst; hoogstens 1.790 mogelijk. ")
    run.add(seconds=22.0, phase="cp_sat", learners=1800, heartbeat=True, placed=1783,
            most=1790)  # a heartbeat is no plan
    assert "plan 1 found" in run.describe(texts("en"))
    run.add(seconds=25.0, phase="cp_sat", learners=1800, objective=-24900.0, plans=1)
    assert run.describe(texts("en")).startswith(
        "1,783 of 1,800 placed; at most 1,790 possible. 25.0 s: plan 1 found")


def test_how_a_solve_ended():
    assert ended_state(0, True) == "done"
    assert ended_state(130, True) == "stopped"
    assert ended_state(130, False) == "stopped_no_plan"
    assert ended_state(2, False) == "no_plan"
    assert ended_state(1, False) == "failed"
    assert ended_state(-9, False) == "killed"


@pytest.fixture(scope="module")
def solved():
    scenario = load_scenario(SMALL)
    result = solve_checked(scenario, time_limit=10)
    assert result.plan is not None
    return scenario, result.plan


def test_hand_move_into_a_full_department_is_caught_by_the_checker(solved, tmp_path):
    scenario, plan = solved
    tight = with_capacity(scenario, "GGZT-KL", "2027-09", "2028-08", 0)
    assert [d.capacity_in("2028-01") for d in tight.departments if d.id == "GGZT-KL"] == [0]
    learner = scenario.learners[0].id
    moved = move_learner(tight, plan, learner, 1, "GGZT-KL")
    rules = {v.rule for v in check_draft(tight, moved)}
    assert RuleId.CAPACITY in rules
    counts = moved_counts(plan, moved)
    before = plan.placement_departments(learner)[1]
    assert counts["learners"] == (0 if before == "GGZT-KL" else 1)


def test_a_valid_hand_move_passes_and_pins(solved):
    scenario, plan = solved
    learner = scenario.learners[0]
    first = plan.placement_departments(learner.id)[1]
    same = move_learner(scenario, plan, learner.id, 1, first)  # move onto where it is
    assert check_draft(scenario, same) == []
    pinned = with_pin(scenario, {"learner": learner.id, "department": first,
                                 "from": learner.start, "to": learner.start})
    assert len(pinned.pins) == len(scenario.pins) + 1
    with pytest.raises(InputError):
        move_learner(scenario, plan, "nobody", 1, first)


def test_gantt_data_segments_cover_every_plan_row(solved):
    scenario, plan = solved
    data = gantt_data(scenario, plan, None)
    assert len(data["learners"]) == len(scenario.learners)
    months = sum(s[1] for lr in data["learners"] for s in lr["segs"])
    assert months == len(plan.rows)
    for lr in data["learners"]:
        where = {r.month: r.department for r in plan.by_learner[lr["id"]]}
        for at, length, dept, *_ in lr["segs"]:
            shown = data["depts"][dept][0] if dept >= 0 else ""
            assert {where[data["months"][at + k]] for k in range(length)} == {shown}


def test_solve_no_reports_writes_plan_and_kpis_only(tmp_path):
    from scheduler import commands
    from scheduler.report import redraw

    out = tmp_path / "plan"
    assert commands.solve(SMALL, out=str(out), time_limit=2, workers=1, quiet=True,
                          reports=False) == 0
    assert sorted(p.name for p in out.iterdir()) == ["kpis.json", "plan.csv"]
    assert commands.check(SMALL, out / "plan.csv") == 0
    assert redraw(out) == 0  # what the workbench runs afterwards (`scheduler plot DIR`)
    assert (out / "plan.xlsx").is_file() and (out / "report.html").is_file()


def test_serve_beyond_loopback_prints_a_token(tmp_path, monkeypatch, capsys):
    import uvicorn

    from scheduler.web import serve

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    serve(tmp_path / "ws", print, host="0.0.0.0", port=8123)  # uvicorn.run replaced
    out = capsys.readouterr().out
    assert "http://0.0.0.0:8123/?token=" in out and seen["host"] == "0.0.0.0"
    serve(tmp_path / "ws", print, host="127.0.0.1", port=8123)
    assert "token" not in capsys.readouterr().out


def test_a_run_being_made_does_not_break_the_scenario_list(tmp_path):
    """Found by the load test: a run folder made but without run.json yet (new_run writes
    it next) made the scenario page answer 400 to another user."""
    ws = Workspace(tmp_path / "ws")
    ws.folder("small").mkdir(parents=True)
    write_scenario(load_scenario(SMALL), ws.folder("small") / "scenario.yaml")
    run = ws.new_run("small", {"time_limit": 1})
    (ws.folder("small") / "runs" / "2").mkdir()  # being made: no run.json yet
    assert [r.id for r in ws.runs("small")] == [run.id]


def test_a_zip_bomb_upload_is_refused_while_unpacking(tmp_path, monkeypatch):
    """A zip whose entries unpack far beyond the limit (or hold too many files) is
    refused with a message, nothing left behind; the limit is lowered to keep it small."""
    import scheduler.web.uploads as uploads

    monkeypatch.setattr(uploads, "MAX_ZIP_BYTES", 2**20)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("region.yaml", b"scenario: 1\n" + b"#" * (8 * 2**20))  # 8 MB
    assert len(bomb.getvalue()) < 100_000  # compresses ~1000:1
    ws = Workspace(tmp_path / "ws")
    with pytest.raises(InputError, match="unpacks to more than 1 MB"):
        import_upload(ws, "bomb.zip", bomb.getvalue())
    assert nothing_left(ws)
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for k in range(uploads.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"t{k}.csv", b"id\n")
    with pytest.raises(InputError, match=f"more than {uploads.MAX_ZIP_ENTRIES} files"):
        import_upload(ws, "many.zip", many.getvalue())
    assert nothing_left(ws)


def test_a_run_that_ended_since_it_was_read_is_not_called_cut_off(tmp_path):
    """reconcile reads run.json again: a solve reaped after the page read its run is done,
    not 'stopped by the server' (the page's status poll reaps ended children at once)."""
    from scheduler.web.runs import Runner, reconcile

    ws = Workspace(tmp_path / "ws")
    ws.folder("s").mkdir()
    write_scenario(load_scenario(SMALL), ws.folder("s") / "scenario.yaml")
    run = ws.new_run("s", {"state": "running"})
    stale = ws.run("s", run.id)
    run.meta.update(state="done", exit_code=0, finished=1.0)
    run.save_meta()
    meta = reconcile(stale, Runner(lambda argv: None))
    assert meta["state"] == "done" and "note" not in meta
    assert ws.run("s", run.id).meta["finished"] == 1.0


def test_upload_problems_in_the_pages_language_with_file_row_and_field_kept():
    from scheduler.errors import InputIssue
    from scheduler.words.messages import Items, Msg
    from scheduler.words.web import issue_line

    issue = InputIssue("r.yaml", Msg("upload_yaml_csv", files=Items(("r-learners.csv",))),
                       table="scenario", row=3, id="L1", field="learners")
    assert issue_line(issue, "nl") == (
        "r.yaml, tabel scenario, rij 3, id 'L1', veld 'learners': dit YAML-bestand verwijst "
        "naar CSV-bestanden (r-learners.csv), die niet mee zijn gestuurd; upload een zip met "
        "de YAML en die CSV-bestanden")
    assert "upload a zip of the YAML with its CSV files" in issue_line(issue, "en")
    assert "row 3" in str(issue)  # the CLI and logs keep the English text


def test_variant_forms_become_variant_file_operations():
    from scheduler.variants import apply_changes
    from scheduler.web.routes_variant import variant_change

    base = load_scenario(SMALL)
    leave = variant_change({"kind": "leave", "buddy": "b-int-1", "first": "2027-10",
                            "last": "2027-11"})
    more = variant_change({"kind": "learners", "count": "3", "programme": "bbl-vig",
                           "start": "2027-09", "home": "ZGD"})
    scenario, _ = apply_changes(base, [leave, more], "variant")
    assert set(scenario.buddy["b-int-1"].unavailable) >= {"2027-10", "2027-11"}
    added = [lr for lr in scenario.learners if lr.id not in base.learner]
    assert len(added) == 3 and {lr.programme for lr in added} == {"bbl-vig"}
    with pytest.raises(InputError, match="count must lie between"):
        variant_change({"kind": "learners", "count": "0"})
