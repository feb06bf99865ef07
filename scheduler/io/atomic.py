"""Atomic file and directory writes: a file appears whole or not at all (docs/outputs.md).

A folder is *staged*: written into a hidden sibling ``.NAME.XXXXXXXX.partial`` and then
renamed onto ``NAME`` in one step (an existing ``NAME`` is first moved aside into
``.NAME.XXXXXXXX.old`` and removed after the rename; SIGINT/SIGTERM wait for the two
renames). Whoever writes ``NAME`` holds an exclusive lock on the hidden file
``.NAME.lock`` beside it (``fcntl.flock``, released by the OS when a process dies), so
two runs never write one folder at once; the holder also tidies what a killed run left
behind: stage folders are removed, and a plan that was moved aside but not replaced is
put back. Where ``fcntl`` is missing (Windows) there is no lock, and a folder that
appears under ``NAME`` during the write makes the rename fail cleanly instead.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import InputError
from ..words.messages import Msg

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_HELD: dict[str, tuple[int, Path]] = {}  # folder -> (lock file descriptor, lock file)
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; plan files are shared
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


# ----- one writer per folder ------------------------------------------------------------
def _key(target: Path) -> str:
    return str(target.parent.resolve() / target.name)


def lock_file(target: str | Path) -> Path:
    target = Path(target)
    return target.parent / f".{target.name}.lock"


def lock_holder(target: str | Path) -> str:
    """The process id written in the folder's lock file ('' when unknown)."""
    try:
        return lock_file(target).read_text(encoding="ascii", errors="replace").strip()[:20]
    except OSError:
        return ""


def try_lock_directory(target: str | Path) -> bool:
    """Take the exclusive write lock of ``target`` for this process; False when another
    process holds it. Taking it again is a no-op. Creates ``target``'s parent folder and
    tidies what killed runs left beside ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    key = _key(target)
    if key in _HELD or fcntl is None:
        return True
    path = lock_file(target)
    for _ in range(10):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by another process
            os.close(fd)
            return False
        try:  # the file may have been removed by the holder just before we locked it
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            _HELD[key] = (fd, path)
            _tidy(target)
            return True
        os.close(fd)
    return False


def unlock_directory(target: str | Path) -> None:
    """Give the lock of ``target`` back (removing the lock file); no-op if not held."""
    held = _HELD.pop(_key(Path(target)), None)
    if held is not None:
        fd, path = held
        path.unlink(missing_ok=True)  # while still locked: no one can hold a removed file
        os.close(fd)


def busy_error(target: Path) -> InputError:
    pid = lock_holder(target)
    message = Msg("out_busy_pid", pid=pid, target=target) if pid else \
        Msg("out_busy", target=target)
    return InputError(message, file=str(target))


# ----- staged folders -------------------------------------------------------------------
def _leftovers(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.(partial|old)")


def _tidy(target: Path) -> None:
    """Remove stage folders of killed runs; put back a plan that was moved aside only.
    Called with the lock held (so no running writer owns them); best effort."""
    pattern = _leftovers(target)
    with suppress(OSError):  # e.g. no permission: the leftovers stay, hidden and harmless
        found = sorted(p for p in target.parent.iterdir() if pattern.fullmatch(p.name))
        for folder in found:
            previous = folder / "previous"
            if folder.suffix == ".old" and previous.is_dir() and not os.path.lexists(target):
                os.replace(previous, target)
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT/SIGTERM wait (in this thread) until the block is done."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _commit(stage: Path, target: Path) -> None:
    """Rename ``stage`` onto ``target``; an existing ``target`` is replaced."""
    old = None
    with _signals_held():
        if os.path.lexists(target):
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old",
                                        dir=target.parent))
            os.replace(target, old / "previous")
        try:
            os.replace(stage, target)
        except OSError as exc:  # e.g. a folder appeared at ``target`` meanwhile
            if old is not None:
                os.replace(old / "previous", target)
                shutil.rmtree(old, ignore_errors=True)
            raise InputError(Msg("replace_failed", target=target, reason=exc.strerror or exc),
                             file=str(target)) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_directory(target: str | Path) -> Iterator[Path]:
    """Yield a temporary sibling folder; on success it replaces ``target`` in one rename.

    On any error the temporary folder is removed and ``target`` is left as it was.
    Holds ``target``'s write lock until the end (taking it unless this process already
    holds it; InputError when another process does) and then gives it back.
    """
    target = Path(target)
    if not try_lock_directory(target):
        raise busy_error(target)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial",
                                      dir=target.parent))
        os.chmod(stage, 0o777 & ~_umask())
        try:
            yield stage
            _commit(stage, target)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    finally:
        unlock_directory(target)
