"""Bringing a scenario into the workspace: a shipped one, the starter template, or an upload
(YAML, zip, xlsx).

An upload is unpacked into a staging folder inside the workspace, read with the CLI's own
loader (:func:`scheduler.io.load_scenario`, which also refuses CSV paths leaving the
folder) and only then renamed into ``scenarios/``; a bad upload leaves nothing behind and
its :class:`~scheduler.errors.InputError` names the uploaded file, not the staging folder.
Zip entries that are absolute, hold ``..``, are links, or are not ``.yaml``/``.yml``/``.csv``
are refused; sizes are bounded before anything is written. Workbooks with macros or links to
other workbooks are refused by the CLI's own reader (:mod:`scheduler.io.xlsx_io`), with the
same message as on the command line.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import replace
from io import BytesIO
from pathlib import Path, PurePosixPath

from ..errors import InputError, InputIssue
from ..io import load_scenario, write_scenario
from ..io.xlsx_io import MACRO_SUFFIXES, MACROS
from ..words.messages import Items, Msg
from .workspace import NAME, Workspace, form_error, slug

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "scenarios"
# the starter scenario a coordinator fills in: package data, so an installed copy has it too
TEMPLATE = Path(__file__).resolve().parent / "starter" / "starter.yaml"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_ZIP_BYTES = 100 * 1024 * 1024
ZIP_SUFFIXES = (".yaml", ".yml", ".csv")
# what zipfile raises on a damaged archive (RuntimeError: encrypted; NotImplementedError:
# a compression method it lacks)
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
               NotImplementedError)


def shipped_scenarios() -> list[str]:
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml"))


def open_shipped(ws: Workspace, stem: str) -> str:
    """The workspace copy of a shipped scenario (made on first opening)."""
    if stem not in shipped_scenarios():
        raise InputError(f"there is no shipped scenario '{stem[:70]}'")
    name = slug(stem)
    if not ws.exists(name):
        scenario = load_scenario(SHIPPED_DIR / f"{stem}.yaml")
        ws.folder(name).mkdir(parents=True, exist_ok=True)
        write_scenario(scenario, ws.folder(name) / "scenario.yaml")
    return name


def start_from_template(ws: Workspace, wanted: str, default: str) -> str:
    """A copy of the starter template in the workspace, named ``wanted`` (letters, digits,
    '-' and '_'), or the first free name from ``default`` when nothing was typed. A name
    that is taken is refused: nothing in the workspace is overwritten."""
    name = wanted.strip()
    if not name:
        name = ws.free_name(default)
    elif not NAME.match(name):
        raise form_error(Msg("web.scenario_name", name=name[:70]), field="name")
    folder = ws.folder(name)
    try:
        folder.mkdir()
    except FileExistsError:
        raise form_error(Msg("web.scenario_exists", name=name), field="name") from None
    try:
        write_scenario(load_scenario(TEMPLATE), folder / "scenario.yaml")
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return name


def import_upload(ws: Workspace, filename: str, data: bytes) -> str:
    """Read an uploaded scenario; return its new name in the workspace."""
    shown = PurePosixPath(filename.replace("\\", "/")).name or "upload"
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(Msg("upload_too_large", mb=MAX_UPLOAD_BYTES // 2**20), file=shown)
    suffix = PurePosixPath(shown).suffix.lower()
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=ws.uploads))
    try:
        if suffix in (".yaml", ".yml"):
            (staging / "scenario.yaml").write_bytes(data)
        elif suffix == ".xlsx":
            (staging / "scenario.xlsx").write_bytes(data)
        elif suffix in MACRO_SUFFIXES:
            raise InputError(MACROS, file=shown)
        elif suffix == ".zip":
            _unpack_zip(data, staging, shown)
        else:
            raise InputError(Msg("upload_kind", suffix=suffix or shown), file=shown)
        try:
            scenario = load_scenario(ws._file_in(staging) or staging / "scenario.yaml")
        except InputError as exc:
            if suffix in (".yaml", ".yml"):
                _csv_tables_missing(exc, shown)
            raise _renamed(exc, staging, shown) from None
        name = ws.free_name(scenario.name or PurePosixPath(shown).stem)
        staging.rename(ws.folder(name))
        return name
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _csv_tables_missing(exc: InputError, shown: str) -> None:
    """A lone YAML upload whose tables are CSV files beside it: say to send a zip."""
    missing = [PurePosixPath(i.file).name for i in exc.issues
               if i.message == "CSV file not found"]
    if missing:
        raise InputError(InputIssue(shown, Msg("upload_yaml_csv", files=Items(tuple(missing))),
                                    table="scenario"))


def _renamed(exc: InputError, staging: Path, shown: str) -> InputError:
    """The same problems, naming the uploaded file instead of the staging folder."""
    def name(file: str) -> str:
        try:
            inner = Path(file).resolve().relative_to(staging.resolve())
        except (ValueError, OSError):
            return shown
        if str(inner) in ("scenario.yaml", "scenario.xlsx"):
            return shown
        return f"{shown}: {inner.as_posix()}"

    return InputError([replace(issue, file=name(issue.file)) for issue in exc.issues])


def _unpack_zip(data: bytes, staging: Path, shown: str) -> None:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except DAMAGED_ZIP:
        raise InputError(Msg("zip_unreadable"), file=shown) from None
    entries = [e for e in archive.infolist() if not e.is_dir()]
    if len(entries) > MAX_ZIP_ENTRIES:
        raise InputError(Msg("zip_entries", n=MAX_ZIP_ENTRIES), file=shown)
    targets = [(_safe_member(e, shown), e) for e in entries]
    prefix = _common_folder([t for t, _ in targets])
    total = 0
    for target, entry in targets:
        relative = PurePosixPath(*target.parts[len(prefix):])
        try:
            with archive.open(entry) as source:
                content = source.read(MAX_ZIP_BYTES - total + 1)
        except DAMAGED_ZIP as exc:
            raise InputError(Msg("zip_entry_damaged", entry=entry.filename[:120],
                                 why=_why(exc)), file=shown) from None
        total += len(content)
        if total > MAX_ZIP_BYTES:
            raise InputError(Msg("zip_too_large", mb=MAX_ZIP_BYTES // 2**20), file=shown)
        out = staging.joinpath(*relative.parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    _name_the_scenario(staging, shown)


def _why(exc: Exception) -> Msg:
    if isinstance(exc, RuntimeError):
        return Msg("zip_encrypted")
    if isinstance(exc, NotImplementedError):
        return Msg("zip_compression")
    return Msg("zip_damaged_entry")


def _safe_member(entry: zipfile.ZipInfo, shown: str) -> PurePosixPath:
    raw = entry.filename.replace("\\", "/")
    path = PurePosixPath(raw)
    mode = entry.external_attr >> 16
    problem = ""
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        problem = "zip_absolute"
    elif ".." in path.parts:
        problem = "zip_dotdot"
    elif stat.S_ISLNK(mode):
        problem = "zip_link"
    elif path.suffix.lower() not in ZIP_SUFFIXES:
        problem = "zip_suffix"
    if problem:
        raise InputError(Msg(problem, entry=raw[:120]), file=shown)
    return path


def _common_folder(paths: list[PurePosixPath]) -> tuple[str, ...]:
    """One folder that holds everything (a zipped folder) is left out when unpacking."""
    if not paths or any(len(p.parts) < 2 for p in paths):
        return ()
    first = paths[0].parts[0]
    return (first,) if all(p.parts[0] == first for p in paths) else ()


def _name_the_scenario(staging: Path, shown: str) -> None:
    found = sorted(p for p in staging.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
    if len(found) != 1:
        raise InputError(Msg("zip_yaml_count", n=len(found)), file=shown)
    found[0].rename(staging / "scenario.yaml")
