"""What every command shares: the defaults the CLI shows and the functions take."""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_LANG = "nl"  # every command that writes for people: Dutch unless --lang en
LANGS = ("nl", "en")
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCENARIO = REPO_ROOT / "scenarios" / "twente.yaml"


def scenario_or_default(path: Path | str | None) -> Path:
    """SCENARIO as given, or the shipped default (``scenarios/twente.yaml``)."""
    return Path(path) if path else DEFAULT_SCENARIO


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
