"""The docs say what the code does: commands and options, rule names, links.

Everything is read at test time (the click app, the rule registries, the files), so a new
option or rule fails here until docs/commands.md, README.md and docs/rules.md name it.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from cli import cli
from scheduler.check import CHECKS
from scheduler.models import RuleId
from scheduler.models.objective import TERMS
from scheduler.models.policy import Weights

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
OPTION = re.compile(r"`(--[a-z][a-z0-9-]*)")


def _options(command: click.Command) -> set[str]:
    return {o for p in command.params if isinstance(p, click.Option) for o in p.opts}


def _commands_md_sections() -> dict[str, str]:
    """``## scheduler <cmd>`` sections of docs/commands.md: command name ('' = the group)."""
    text = (DOCS / "commands.md").read_text()
    parts = re.split(r"^## scheduler\b *(\S*) *$", text, flags=re.M)
    return {parts[i]: parts[i + 1].split("\n## ")[0] for i in range(1, len(parts), 2)}


def _table_options(section: str) -> set[str]:
    """Options named in the first column of the section's table rows."""
    return {m.group(1) for line in section.splitlines() if line.startswith("| `--")
            for m in [OPTION.match(line, 2)] if m}


def test_docs_commands_md_lists_every_command_and_option_and_no_other() -> None:
    sections = _commands_md_sections()
    assert set(sections) == set(cli.commands) | {""}
    assert _table_options(sections[""]) == _options(cli)
    for name, command in cli.commands.items():
        assert _table_options(sections[name]) == _options(command), name


def test_the_readme_commands_table_lists_every_command_and_option_and_no_other() -> None:
    # rows "| `scheduler solve [SCENARIO]` | does | `--out`, ... |"; "| `scheduler` |" is the group
    row = re.compile(r"^\| `scheduler(?: ([a-z]+))?(?: [^`]*)?` \|.* \| (.*) \|$")
    listed: dict[str, set[str]] = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        if m := row.match(line):
            assert (m.group(1) or "") not in listed, line
            listed[m.group(1) or ""] = set(OPTION.findall(m.group(2)))
    assert set(listed) == set(cli.commands) | {""}
    assert listed[""] == _options(cli)
    for name, command in cli.commands.items():
        assert listed[name] == _options(command), name


def _rule_anchors() -> list[str]:
    text = (DOCS / "rules.md").read_text()
    hard = text.split("## Hard rules", 1)[1].split("\n## ", 1)[0]
    return re.findall(r'<a id="([a-z_]+)"></a>', hard)


def _solver_rule_names() -> set[str]:
    # Read from the files, so that a move of the solver's modules changes nothing here.
    found = set()
    for path in (ROOT / "scheduler" / "solver").rglob("*.py"):
        found |= set(re.findall(r"^RULE = RuleId\.([A-Z_]+)", path.read_text(), re.M))
    return {RuleId[name].value for name in found}


def test_every_rule_in_docs_rules_md_is_a_rule_of_the_code_and_back() -> None:
    documented = _rule_anchors()
    assert len(documented) == len(set(documented))
    assert set(documented) == {r.value for r in RuleId}
    assert set(documented) == {rule.value for rule, _ in CHECKS}
    assert set(documented) == _solver_rule_names()


def test_every_objective_term_in_docs_rules_md_is_a_term_of_the_code_and_back() -> None:
    text = (DOCS / "rules.md").read_text()
    documented = re.findall(r'<a id="term-([a-z_]+)"></a>', text)
    assert sorted(documented) == sorted(TERMS) == sorted(Weights.model_fields)


def test_the_section_table_of_docs_rules_md_matches_the_rule_ids() -> None:
    text = (DOCS / "rules.md").read_text()
    table = text.split('<a id="contract-sections"></a>', 1)[1]
    mapped = {}
    for section, names in re.findall(r"^\| (3\.\d) \| (.*) \|$", table, re.M):
        for name in re.findall(r"`([a-z_]+)`", names):
            mapped[name] = section
    assert mapped == {r.value: r.spec_section for r in RuleId}


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(((?:docs|benchmarks)/[^)#\s]+)(?:#[^)]*)?\)", text)


def test_every_docs_link_in_the_readme_exists() -> None:
    links = _links((ROOT / "README.md").read_text())
    assert any(link.startswith("docs/") for link in links)
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing


def test_every_anchor_the_docs_link_to_exists() -> None:
    pages = [ROOT / "README.md", *DOCS.glob("*.md")]
    anchors = {p.name: set(re.findall(r'<a id="([^"]+)"></a>', p.read_text())) for p in pages}
    broken = []
    for page in pages:
        for target, anchor in re.findall(r"\]\((?:docs/)?([a-z-]+\.md)#([^)]+)\)",
                                         page.read_text()):
            if target in anchors and anchor not in anchors[target]:
                broken.append(f"{page.name}: {target}#{anchor}")
    assert not broken


def test_the_code_cites_our_docs_not_the_contract() -> None:
    # The contract's name, spelt in two parts so that this file does not contain it.
    needle = "SP" "EC"
    files = [ROOT / "cli.py"]
    for folder in ("scheduler", "tests", "benchmarks", "tools"):
        files += (ROOT / folder).rglob("*.py")
    citing = [str(f.relative_to(ROOT)) for f in files if needle in f.read_text()]
    assert not citing
