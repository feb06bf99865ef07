"""The project's own error types. The CLI maps them to exit codes (docs/commands.md#exit-codes)."""

from __future__ import annotations

from dataclasses import dataclass

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
        where = [self.file]
        if self.table:
            where.append(self.table)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.id:
            where.append(f"id '{self.id}'")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


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
        shown = self.issues[:MAX_REPORTED_ISSUES]
        lines = [str(issue) for issue in shown]
        if len(self.issues) > len(shown):
            lines.append(f"... and {len(self.issues) - len(shown)} more problems")
        return "\n".join(lines)


class NoPlanError(SchedulerError):
    """No plan satisfies the hard rules (exit code 2)."""

    exit_code = 2
