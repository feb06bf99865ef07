"""The project's own error types. The CLI maps them to exit codes (docs/commands.md#exit-codes)."""

from __future__ import annotations

from dataclasses import dataclass

from .words.messages import say_line, text_of

MAX_REPORTED_ISSUES = 50


@dataclass(frozen=True)
class InputIssue:
    """One problem in an input file, located so a coordinator can find and fix it."""

    file: str
    message: str
    table: str = ""  # organisations, departments, ..., or scenario/policy/calendar
    row: int | None = None  # 1-based data row in a CSV/sheet, or list position in YAML
    id: str = ""  # id of the record, when known
    field: str = ""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The issue for a person in ``lang``: file, table, row, id and field as they are,
        the words around them and the message (when it is a sentence of scheduler/words)
        in ``lang``; a message that is plain text stays as it is (English)."""
        where = [self.file]
        if self.table:
            where.append(self.table)
        if self.row is not None:
            where.append(say_line("at_row", lang, row=self.row))
        if self.id:
            where.append(say_line("at_id", lang, id=self.id))
        if self.field:
            where.append(say_line("at_field", lang, field=self.field))
        return f"{', '.join(where)}: {text_of(self.message, lang)}"


class SchedulerError(Exception):
    """Base of all errors the CLI reports without a traceback."""

    exit_code = 1


class InputError(SchedulerError):
    """Invalid input (scenario, variant, plan file, option): exit code 1."""

    def __init__(self, issues: list[InputIssue] | InputIssue | str, file: str = "") -> None:
        if isinstance(issues, str):
            issues = [InputIssue(file=file, message=issues)]
        elif isinstance(issues, InputIssue):
            issues = [issues]
        self.issues = list(issues)
        super().__init__(self.render())

    def render(self) -> str:
        """The issues in English (``str()``: what tools, logs and tests see)."""
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The issues for a person in ``lang`` (the CLI: the command's --lang, else Dutch)."""
        shown = self.issues[:MAX_REPORTED_ISSUES]
        lines = [issue.text(lang) for issue in shown]
        if len(self.issues) > len(shown):
            lines.append(say_line("more_problems", lang, n=len(self.issues) - len(shown)))
        return "\n".join(lines)


class NoPlanError(SchedulerError):
    """No plan satisfies the hard rules (exit code 2)."""

    exit_code = 2
