"""The commands around the planning: ``generate`` (a synthetic region) and ``serve``
(the workbench in the browser)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal


def generate(
    *,
    learners: int,
    organisations: int,
    out: Path,
    seed: int = 0,
    utilisation: float = 0.85,
    region: str = "twente",
    fmt: Literal["yaml", "xlsx"] | None = None,
    months: int = 24,
    pinned_share: float = 0.0,
) -> int:
    """Write a synthetic, realistic region and print its realised figures."""
    from ..generate import run_generate

    return run_generate(learners=learners, organisations=organisations, seed=seed,
                        out=Path(out), utilisation=utilisation, region=region, fmt=fmt,
                        months=months, pinned_share=pinned_share)


def serve(
    workspace: Path = Path("workspace"),
    *,
    entry: Callable[[list[str]], None],
    host: str = "127.0.0.1",
    port: int = 8000,
) -> int:
    """The workbench until Ctrl-C. Its solves run ``entry``, the command line's main
    (``cli.main``), in child processes: the same commands as typed ones."""
    from ..web import serve as run_server

    return run_server(Path(workspace), entry, host=host, port=port)
