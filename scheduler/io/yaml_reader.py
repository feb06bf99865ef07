"""Reading YAML safely: ``safe_load`` only, behind nesting, alias and duplicate-key guards.

Before anything is built, one pass over the parser's events (which needs no recursion and
stops at the first violation) rejects documents nested deeper than ``MAX_YAML_DEPTH``,
with more than ``MAX_YAML_ALIASES`` aliases, with recursive aliases, whose aliases
would expand to more than ``MAX_YAML_NODES`` nodes (the "billion laughs" bomb), or with a
list longer than ``MAX_TABLE_ROWS``. (libyaml's composer recurses in C: deep nesting
would crash the process, so the depth check must come first.) It also
reports keys given twice in one mapping, which YAML itself silently overwrites.

These limits are ours, whatever the parser underneath does: a flow collection (``[[[…``)
is read ahead by the parser's scanner before the first event comes out, so a cheap scan of
the raw text (``_check_flow_depth``) enforces the depth limit there before any parsing; and a
parser that stops on its own limit (PyYAML 6.0.4 refuses about 1,000 levels) still gets our
message, through ``_syntax_issue``. tests/test_yaml_limits.py holds both to account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import InputError, InputIssue
from ..words.messages import Msg, count
from .scenario_schema import (
    MAX_FILE_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_TABLE_ROWS,
    MAX_YAML_ALIASES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    short,
)

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

# What a value must be to fit the tag it has (``!!bool maybe``), in a coordinator's words.
_TAG_WORDS = {"bool": "yes/no (true or false)", "int": "a whole number", "float": "a number",
              "timestamp": "a date", "null": "empty", "binary": "base64 data"}


class _Loader(_SafeLoader):
    """``safe_load`` with two guards: integers too long for any field stay text (Python
    refuses to print an integer of more than 4,300 digits, so every message about one would
    fail), and a value that does not fit its tag (``!!bool maybe``, ``!!timestamp soon``,
    ``2027-13-45``) is a located YAML error instead of a KeyError/AttributeError/ValueError
    from inside PyYAML."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (KeyError, AttributeError, ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, _misfit(node, exc), node.start_mark) from None


def _long_int_as_text(loader: _Loader, node: yaml.ScalarNode) -> int | str:
    text = loader.construct_scalar(node)
    if len(text) > MAX_INTEGER_DIGITS:
        return text  # a field that wants a number says "must be ..., got '0x7f...'"
    return loader.construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _long_int_as_text)


def _misfit(node: yaml.Node, exc: Exception) -> str:
    tag = node.tag.rsplit(":", 1)[-1]
    value = short(node.value) if isinstance(node, yaml.ScalarNode) else "a list or mapping"
    wanted = _TAG_WORDS.get(tag)
    if wanted:
        return f"{value} cannot be read as {wanted} (tag !!{tag})"
    return f"{value} cannot be read with tag {short(node.tag)} ({type(exc).__name__})"


@dataclass
class _Frame:
    is_map: bool
    anchor: str | None
    size: int = 1
    index: int = 0
    keys: set[str] = field(default_factory=set)


class _Guard:
    """Walks the event stream once; raises InputError on a hostile document."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.frames: list[_Frame] = []
        self.sizes: dict[str, int] = {}
        self.open_anchors: set[str] = set()
        self.total = 0
        self.aliases = 0
        self.documents = 0
        self.duplicates: list[InputIssue] = []

    def fail(self, event: yaml.Event, message: str) -> InputError:
        line = event.start_mark.line + 1 if event.start_mark else None
        return InputError(InputIssue(self.file, Msg("at_line", line=line, message=message)
                                     if line else message))

    def add(self, event: yaml.Event, size: int) -> None:
        self.total += size
        if self.total > MAX_YAML_NODES:
            raise self.fail(event, Msg("yaml_too_many_nodes", n=count(MAX_YAML_NODES)))
        if self.frames:
            top = self.frames[-1]
            top.size += size
            top.index += 1
            if not top.is_map and top.index > MAX_TABLE_ROWS:
                raise self.fail(event, Msg("yaml_list_too_long", n=count(MAX_TABLE_ROWS)))

    def key(self, event: yaml.ScalarEvent) -> None:
        if not self.frames or not self.frames[-1].is_map or self.frames[-1].index % 2:
            return
        keys = self.frames[-1].keys
        if event.value in keys:
            line = event.start_mark.line + 1 if event.start_mark else "?"
            self.duplicates.append(InputIssue(self.file, Msg(
                "at_line", line=line, message=Msg("yaml_key_twice", name=event.value))))
        keys.add(event.value)

    def event(self, ev: yaml.Event) -> None:
        if isinstance(ev, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(ev, Msg("yaml_two_documents"))
        elif isinstance(ev, yaml.ScalarEvent):
            self.key(ev)
            self.add(ev, 1)
            if ev.anchor:
                self.sizes[ev.anchor] = 1
        elif isinstance(ev, yaml.AliasEvent):
            self.alias(ev)
        elif isinstance(ev, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self.total += 1
            self.frames.append(_Frame(isinstance(ev, yaml.MappingStartEvent), ev.anchor))
            if ev.anchor:
                self.open_anchors.add(ev.anchor)
            if len(self.frames) > MAX_YAML_DEPTH:
                raise self.fail(ev, TOO_DEEP)
        elif isinstance(ev, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            frame = self.frames.pop()
            if frame.anchor:
                self.open_anchors.discard(frame.anchor)
                self.sizes[frame.anchor] = frame.size
            if self.frames:
                self.frames[-1].size += frame.size
                self.frames[-1].index += 1
                if not self.frames[-1].is_map and self.frames[-1].index > MAX_TABLE_ROWS:
                    raise self.fail(ev, Msg("yaml_list_too_long", n=count(MAX_TABLE_ROWS)))

    def alias(self, ev: yaml.AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > MAX_YAML_ALIASES:
            raise self.fail(ev, Msg("yaml_too_many_aliases", n=MAX_YAML_ALIASES))
        anchor = ev.anchor or ""
        if anchor in self.open_anchors:
            raise self.fail(ev, Msg("yaml_alias_loop", anchor=anchor))
        if anchor not in self.sizes:
            raise self.fail(ev, Msg("yaml_alias_unknown", anchor=anchor))
        self.add(ev, self.sizes[anchor])


TOO_DEEP = Msg("yaml_too_deep", n=MAX_YAML_DEPTH)
# Characters that matter to flow nesting: brackets, quotes, comments, line ends.
_FLOW_MARKS = re.compile(r"[\[\]{}'\"#\n]")
_SINGLE_QUOTED_REST = re.compile(r"(?:[^']|'')*'")
_DOUBLE_QUOTED_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)
# How a parser words its own nesting limit (PyYAML 6.0.4: "exceeded maximum nesting depth").
_PARSER_DEPTH_WORDS = re.compile(r"nest|depth", re.IGNORECASE)


def _previous_mark(text: str, i: int, line_start: int) -> str:
    """The last non-blank character before ``i`` on its line ('' at the line's start)."""
    j = i - 1
    while j >= line_start and text[j] in " \t":
        j -= 1
    return text[j] if j >= line_start else ""


def _check_flow_depth(text: str, file: str) -> None:
    """Refuse flow collections (``[`` / ``{``) nested deeper than MAX_YAML_DEPTH.

    A scan of the raw text, before the parser sees it: quoted scalars and comments are
    skipped; in block context a bracket opens a collection only where a value starts
    (after ``key:``, ``-`` or ``?``, or first on its line), inside a collection every
    bracket does. Literal block scalars (``|``) are not told apart: their text would need
    more than MAX_YAML_DEPTH unclosed brackets to be refused.
    """
    if text.count("[") + text.count("{") <= MAX_YAML_DEPTH:
        return
    depth, line, line_start, pos = 0, 1, 0, 0
    while (match := _FLOW_MARKS.search(text, pos)) is not None:
        i, char = match.start(), match.group()
        pos = i + 1
        if char == "\n":
            line, line_start = line + 1, pos
        elif char == "#":
            if i == line_start or text[i - 1] in " \t":
                end = text.find("\n", i)
                pos = len(text) if end < 0 else end
        elif char in "'\"":
            if _previous_mark(text, i, line_start) not in ("", "[", "{", ",", ":", "?", "-"):
                continue
            rest = (_SINGLE_QUOTED_REST if char == "'" else _DOUBLE_QUOTED_REST).match(text, pos)
            if rest is None:
                return  # unterminated: the parser reports it
            line += text.count("\n", pos, rest.end())
            line_start = max(line_start, text.rfind("\n", pos, rest.end()) + 1)
            pos = rest.end()
        elif char in "[{":
            if depth or (_previous_mark(text, i, line_start) in ("", "-", ":", "?")
                         and (i == line_start or text[i - 1] in " \t")):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise InputError(InputIssue(file, Msg("at_line", line=line,
                                                          message=TOO_DEEP)))
        elif depth:  # a closing bracket inside a flow collection
            depth -= 1


def _syntax_issue(file: str, exc: yaml.YAMLError) -> InputIssue:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        problem = exc.problem or "syntax error"
        if _PARSER_DEPTH_WORDS.search(problem):  # the parser's own limit came first
            return InputIssue(file, Msg("at_line", line=mark.line + 1, message=Msg(
                "yaml_parser_depth", message=TOO_DEEP, column=mark.column + 1)))
        return InputIssue(file, Msg("yaml_invalid_at", line=mark.line + 1,
                                    column=mark.column + 1, problem=problem))
    return InputIssue(file, Msg("yaml_invalid",
                                problem=str(exc).splitlines()[0] if str(exc) else ""))


def load_yaml_text(text: str, file: str) -> Any:
    """Parse YAML text into plain Python data; every failure is an InputError."""
    if len(text) > MAX_FILE_BYTES:
        raise InputError(InputIssue(file, Msg("yaml_too_large",
                                              mb=MAX_FILE_BYTES // (1024 * 1024))))
    _check_flow_depth(text, file)
    guard = _Guard(file)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            guard.event(event)
        if guard.duplicates:
            raise InputError(guard.duplicates)
        return yaml.load(text, Loader=_Loader)  # CSafeLoader/SafeLoader: safe
    except yaml.YAMLError as exc:
        raise InputError(_syntax_issue(file, exc)) from None
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:
        raise InputError(InputIssue(file, Msg("yaml_unreadable", reason=type(exc).__name__))) \
            from None
