"""Terminal output that can never cost a plan: a closed stdout or stderr goes quiet.

Users pipe ``scheduler solve`` into ``head``, quit ``less`` early or run it under a log
reader that stops reading. The next progress line then meets a closed pipe
(``BrokenPipeError``, errno EPIPE), which used to end the solve without a plan.
:func:`quiet_on_closed_output` wraps ``sys.stdout`` and ``sys.stderr`` once, at the
CLI's entry: the first write or flush that finds its reader gone points that file
descriptor at ``/dev/null`` and carries on, so every later ``print``, ``click.echo``,
progress line, C++ write to the same descriptor and Python's own flush at exit succeed
silently. The command finishes, writes its files and exits with its usual code. SIGPIPE
stays ignored (Python's default), so a write from native code gets EPIPE too rather
than killing the process.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_CLOSED_READER = (errno.EPIPE, errno.ECONNRESET)


def _reader_gone(exc: OSError) -> bool:
    return isinstance(exc, BrokenPipeError) or exc.errno in _CLOSED_READER


class QuietOnClosedOutput:
    """A text stream that goes quiet, for good, once its reader has gone away."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_reader = False

    def write(self, text: str) -> int:
        if self.closed_reader:
            return len(text)
        try:
            return self._stream.write(text)
        except OSError as exc:
            self._go_quiet(exc)
            return len(text)

    def flush(self) -> None:
        if self.closed_reader:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            self._go_quiet(exc)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def _go_quiet(self, exc: OSError) -> None:
        if not _reader_gone(exc):
            raise exc
        self.closed_reader = True
        try:  # what is still buffered, and every later write, goes to /dev/null
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())
            finally:
                os.close(devnull)
            self._stream.flush()
        except (OSError, ValueError):
            pass  # no descriptor to redirect (a test's StringIO): the flag alone keeps quiet

    def __getattr__(self, name: str) -> Any:  # encoding, errors, fileno, isatty, buffer ...
        return getattr(self._stream, name)


@contextmanager
def quiet_on_closed_output() -> Iterator[None]:
    """While inside: sys.stdout and sys.stderr go quiet when their reader has gone.

    On the way out both are flushed through the wrappers (so the interpreter's own flush
    at exit finds nothing left to fail on: no "Exception ignored ... BrokenPipeError",
    no exit 120) and the original streams are put back.
    """
    try:
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # Python's default; kept so
    except (AttributeError, ValueError):  # no SIGPIPE (Windows), or not the main thread
        pass
    saved = {name: getattr(sys, name) for name in ("stdout", "stderr")}
    for name, stream in saved.items():
        if stream is not None and not isinstance(stream, QuietOnClosedOutput):
            setattr(sys, name, QuietOnClosedOutput(stream))
    try:
        yield
    finally:
        for name, stream in saved.items():
            wrapper = getattr(sys, name)
            if isinstance(wrapper, QuietOnClosedOutput):
                wrapper.flush()
            setattr(sys, name, stream)
