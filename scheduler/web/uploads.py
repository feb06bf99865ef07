"""Bringing a scenario into the workspace: a shipped one, or an upload (YAML, zip, xlsx).

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

from ..errors import InputError
from ..io import load_scenario, write_scenario
from ..io.xlsx_io import MACRO_SUFFIXES, MACROS
from .workspace import Workspace, slug

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "scenarios"
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


def import_upload(ws: Workspace, filename: str, data: bytes) -> str:
    """Read an uploaded scenario; return its new name in the workspace."""
    shown = PurePosixPath(filename.replace("\\", "/")).name or "upload"
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB", file=shown)
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
            raise InputError(f"cannot read a '{suffix or shown}' file as a scenario; give a "
                             ".yaml, .yml, .xlsx or .zip file", file=shown)
        try:
            scenario = load_scenario(ws._file_in(staging) or staging / "scenario.yaml")
        except InputError as exc:
            raise _renamed(exc, staging, shown) from None
        name = ws.free_name(scenario.name or PurePosixPath(shown).stem)
        staging.rename(ws.folder(name))
        return name
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
        raise InputError("not a readable zip file", file=shown) from None
    entries = [e for e in archive.infolist() if not e.is_dir()]
    if len(entries) > MAX_ZIP_ENTRIES:
        raise InputError(f"the zip holds more than {MAX_ZIP_ENTRIES} files", file=shown)
    targets = [(_safe_member(e, shown), e) for e in entries]
    prefix = _common_folder([t for t, _ in targets])
    total = 0
    for target, entry in targets:
        relative = PurePosixPath(*target.parts[len(prefix):])
        try:
            with archive.open(entry) as source:
                content = source.read(MAX_ZIP_BYTES - total + 1)
        except DAMAGED_ZIP as exc:
            raise InputError(f"the zip entry '{entry.filename[:120]}' cannot be read "
                             f"({_why(exc)}); the zip is damaged", file=shown) from None
        total += len(content)
        if total > MAX_ZIP_BYTES:
            raise InputError(f"the zip unpacks to more than {MAX_ZIP_BYTES // 2**20} MB",
                             file=shown)
        out = staging.joinpath(*relative.parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    _name_the_scenario(staging, shown)


def _why(exc: Exception) -> str:
    if isinstance(exc, RuntimeError):
        return "it is encrypted"
    if isinstance(exc, NotImplementedError):
        return "an unknown compression"
    return "a damaged entry"


def _safe_member(entry: zipfile.ZipInfo, shown: str) -> PurePosixPath:
    raw = entry.filename.replace("\\", "/")
    path = PurePosixPath(raw)
    mode = entry.external_attr >> 16
    problem = ""
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        problem = "is an absolute path"
    elif ".." in path.parts:
        problem = "leaves the zip's folder ('..')"
    elif stat.S_ISLNK(mode):
        problem = "is a link"
    elif path.suffix.lower() not in ZIP_SUFFIXES:
        problem = "is not a .yaml, .yml or .csv file"
    if problem:
        raise InputError(f"the zip entry '{raw[:120]}' {problem}; refused", file=shown)
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
        raise InputError(f"the zip must hold exactly one scenario .yaml at its top level "
                         f"(found {len(found)})", file=shown)
    found[0].rename(staging / "scenario.yaml")
