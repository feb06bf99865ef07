"""The YAML reader's own limits hold whatever the parser underneath does.

PyYAML 6.0.4 began refusing deep nesting itself ("exceeded maximum nesting depth", about
1,000 levels) before our event guard saw the 65th level; two tests that asserted our wording
then failed on fresh installs. These tests pin the meaning: our message (file, line,
"nested"), never a traceback, whether our raw-text scan, our event guard or the parser's own
limit stops the document first. ``test_the_parser_s_own_depth_limit_is_the_one_we_know``
tells, when a new PyYAML changes how it reacts, exactly what changed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scheduler.errors import InputError
from scheduler.io import yaml_reader
from scheduler.io.scenario_schema import MAX_YAML_DEPTH
from scheduler.io.yaml_reader import load_yaml_text

FILE = "deep.yaml"


def _message(text: str) -> str:
    with pytest.raises(InputError) as caught:
        load_yaml_text(text, FILE)
    return str(caught.value)


@pytest.mark.parametrize("opener", ["[", "{a: ", "- ["])
def test_flow_nesting_past_our_limit_is_refused_before_parsing(
        opener: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parser(*_: object, **__: object) -> None:
        raise AssertionError("the parser ran before the raw-text scan refused the nesting")
    monkeypatch.setattr(yaml_reader.yaml, "parse", no_parser)
    message = _message("scenario: 1\nname: " + opener * (MAX_YAML_DEPTH + 1))
    assert message.startswith(f"{FILE}: line 2: ")
    assert f"nested more than {MAX_YAML_DEPTH} levels deep" in message


def test_nesting_at_our_limit_is_read() -> None:
    depth = MAX_YAML_DEPTH - 1  # the top-level mapping is one level
    doc = load_yaml_text("name: " + "[" * depth + "x" + "]" * depth + "\n", FILE)
    inner = doc["name"]
    for _ in range(depth - 1):
        inner = inner[0]
    assert inner == ["x"]


@pytest.mark.parametrize("text", [
    "name: '" + "[" * 500 + "'\n",                     # brackets inside quoted scalars
    'name: "' + "{" * 500 + '\\"' + "[" * 10 + '"\n',  # ... with an escaped quote
    "name: x  # " + "[" * 500 + "\n",                  # ... in a comment
    "name: a" + "[" * 500 + "\n",                      # ... inside a plain scalar
    "items:\n" + "- [a, b]\n" * 500,                   # many shallow flow lists
])
def test_brackets_that_do_not_nest_are_not_counted(text: str) -> None:
    assert isinstance(load_yaml_text(text, FILE), dict)


def test_block_nesting_is_refused_by_the_event_guard() -> None:
    text = "name:\n" + "".join(" " * i + "- \n" for i in range(1, MAX_YAML_DEPTH + 5))
    message = _message(text)
    assert message.startswith(f"{FILE}: line ")
    assert "nested more than" in message


def test_the_parser_s_own_depth_error_becomes_our_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With our raw-text scan and guard out of the way, the parser's own limit must still
    end in our message. Where the installed parser has no limit of its own, its error is
    raised by hand, worded as PyYAML 6.0.4 words it."""
    monkeypatch.setattr(yaml_reader, "_check_flow_depth", lambda text, file: None)
    monkeypatch.setattr(yaml_reader, "MAX_YAML_DEPTH", 10**9)
    text = DEEP
    if _parser_depth_error(text) is None:
        mark = yaml.Mark("<unicode string>", 0, 1, 1005, None, None)

        def parse(*_: object, **__: object) -> None:
            raise yaml.parser.ParserError(None, None, "exceeded maximum nesting depth", mark)
        monkeypatch.setattr(yaml_reader.yaml, "parse", parse)
    message = _message(text)
    assert message.startswith(f"{FILE}: line 2: lists and mappings are nested more than")
    assert "not valid YAML" not in message


# 5,000 nested flow lists, closed: valid YAML for a parser without a depth limit of its own
DEEP = "scenario: 1\nname: " + "[" * 5_000 + "]" * 5_000 + "\n"


def _parser_depth_error(text: str) -> yaml.MarkedYAMLError | None:
    try:
        for _ in yaml.parse(text, Loader=yaml_reader._Loader):
            pass
    except yaml.MarkedYAMLError as exc:
        return exc
    return None


def test_the_parser_s_own_depth_limit_is_the_one_we_know() -> None:
    """Records how the locked PyYAML reacts to 5,000 nested '[': it stops by itself, with
    words our reader recognises. When a release changes that, this test names the change;
    our limit still holds (the tests above), but check the message translation."""
    error = _parser_depth_error(DEEP)
    version = yaml.__version__
    assert error is not None, (
        f"PyYAML {version} no longer stops 5,000 nested flow lists itself; our raw-text "
        "scan still refuses them (test_flow_nesting_past_our_limit_is_refused_before_parsing)")
    assert yaml_reader._PARSER_DEPTH_WORDS.search(error.problem or ""), (
        f"PyYAML {version} words its nesting limit differently: {error.problem!r}; update "
        "_PARSER_DEPTH_WORDS in scheduler/io/yaml_reader.py so it still becomes our message")


def test_deep_nesting_through_the_cli_exits_1_with_our_message(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_text("scenario: 1\nname: " + "[" * 100_000, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "cli", "validate", "--lang", "en", str(path)],
                         capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parent.parent)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stdout + run.stderr
    assert FILE in run.stderr
    assert "nested more than" in run.stderr


def test_yaml_text_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_reader, "MAX_FILE_BYTES", 1024)
    assert "larger than the limit" in _message("name: " + "x" * 2000)
