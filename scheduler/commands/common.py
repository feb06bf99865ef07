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


def error_text(exc: BaseException, lang: str = DEFAULT_LANG) -> str:
    """An error as the CLI prints it, in the command's language (Dutch unless --lang en):
    an InputError's issues keep their file, row, id and field and quote values as they are,
    the words around them and the messages scheduler/words knows follow ``lang``; exit code
    1 errors start with ``fout:`` / ``error:``."""
    from ..errors import InputError
    from ..words.messages import say_line

    text = exc.text(lang) if isinstance(exc, InputError) else str(exc)
    return say_line("error_line", lang, text=text) if getattr(exc, "exit_code", 1) == 1 else text


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
