"""The house's shape (issue 24): no import circles inside ``scheduler/`` (late imports inside
functions and type-only imports count too: they are circles all the same), and OR-Tools
and HiGHS only inside the solver package."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scheduler"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path, tree: ast.AST) -> set[str]:
    """Modules of ``scheduler`` that this file imports, anywhere in it."""
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            out.add(module)
            out |= {f"{module}.{a.name}" for a in node.names}  # `from . import rules`
    return {m for m in out if m == "scheduler" or m.startswith("scheduler.")}


def _graph() -> nx.DiGraph:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        for target in _imported(path, ast.parse(path.read_text(encoding="utf-8"))):
            if target in files and target != name:
                graph.add_edge(name, target)
    return graph


def _package_of(module: str) -> str:
    return module.rsplit(".", 1)[0]


def test_no_import_circles_inside_scheduler():
    graph = _graph()
    # a package's __init__ that hands names on is entered by its own modules' imports of
    # siblings through it; those arrows are the package itself, not a circle of modules
    for a, b in list(graph.edges):
        if b == _package_of(a) or (a.startswith(b + ".")):
            graph.remove_edge(a, b)
    circles = sorted(sorted(c) for c in nx.simple_cycles(graph))
    assert circles == [], "\n".join(" -> ".join(c) for c in circles)


def test_the_graph_sees_imports():
    # the test above could pass by reading nothing: it must see known arrows
    graph = _graph()
    assert graph.has_edge("scheduler.solver.buddies.naming", "scheduler.solver.buddies.naming_cp")
    assert graph.has_edge("scheduler.web.app", "scheduler.web.routes_plan")  # `from . import`
    assert graph.has_edge("scheduler.explain", "scheduler.explain_variants")


def test_only_the_solver_package_imports_ortools_or_highspy():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "solver":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n.split(".")[0] in ("ortools", "highspy") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_words_package_imports_nothing_else_of_scheduler():
    # scheduler/words/ sits below everything (issue 24): every other package takes its
    # sentences from it, so it may import only itself
    graph = _graph()
    words = [m for m in graph if m == "scheduler.words" or m.startswith("scheduler.words.")]
    assert "scheduler.words.report" in words and "scheduler.words.explain" in words
    outside = sorted(f"{a} -> {b}" for a in words for b in graph.successors(a)
                     if b != "scheduler.words" and not b.startswith("scheduler.words."))
    assert outside == [], "\n".join(outside)
    # and it is used from below and above: the models, the plots, the report, the web
    for user in ("scheduler.models.result", "scheduler.plot._common", "scheduler.report.context",
                 "scheduler.web.bench", "scheduler.solver.reasons"):
        assert any(b.startswith("scheduler.words") for b in graph.successors(user)), user


def test_no_sentence_tables_outside_the_words_package():
    # the old tables are gone, not handed on
    for old in ("explain_strings.py", "report/strings.py", "web/strings.py",
                "io/export_notes.py"):
        assert not (PACKAGE / old).exists(), old
