"""The house as the data flows: which package may import which (README, «Which package may import which»).

Every module of our packages is parsed with `ast` (nothing is imported or run); an import that runs
against the arrows fails the test, naming the file, the line and the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Who may import whom. Nothing imports `dashboard`: `dothixanh serve` starts it by its path.
ALLOWED: dict[str, set[str]] = {
    "kernel": set(),
    "expectations": {"kernel"},
    "warehouse": {"kernel"},
    "pipelines": {"kernel", "expectations", "warehouse"},
    "services": {"kernel", "expectations", "warehouse", "pipelines"},
    "dashboard": {"services", "warehouse", "kernel"},
}
# Modules outside kernel/ that count as kernel (none: the feed declarations are in kernel/ now).
FUTURE_KERNEL: set[str] = set()


def _package_of(module: str) -> str | None:
    """The layer a dotted module belongs to (kernel for the future kernel), None if not ours."""
    if module in FUTURE_KERNEL or any(module.startswith(m + ".") for m in FUTURE_KERNEL):
        return "kernel"
    top = module.split(".")[0]
    return top if top in ALLOWED else None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in a file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = _module_name(path).split(".")
                if path.name != "__init__.py":
                    here = here[:-1]  # the package a relative import starts from
                anchor = here[: len(here) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from kernel import contracts` imports the module kernel.contracts
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _modules() -> list[Path]:
    return sorted(p for package in ALLOWED for p in (ROOT / package).rglob("*.py"))


def _edges() -> list[tuple[str, str, Path, int, str]]:
    edges = []
    for path in _modules():
        importer = _package_of(_module_name(path))
        for line, module in _imports(path):
            imported = _package_of(module)
            if imported is not None and imported != importer:
                edges.append((importer, imported, path, line, module))
    return edges


def test_every_layer_is_parsed():
    assert {p.relative_to(ROOT).parts[0] for p in _modules()} == set(ALLOWED)


def test_imports_run_with_the_flow():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {module} ({importer} → {imported} is not allowed; "
        f"{importer} may import {', '.join(sorted(ALLOWED[importer])) or 'nothing of ours'})"
        for importer, imported, path, line, module in _edges()
        if imported not in ALLOWED[importer]
    ]
    assert not wrong, "Imports against the arrows:\n" + "\n".join(wrong)


def test_no_cycle_between_packages():
    graph: dict[str, set[str]] = {package: set() for package in ALLOWED}
    for importer, imported, *_ in _edges():
        graph[importer].add(imported)
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            pytest.fail(
                "Packages import each other in a circle: " + " → ".join([*path[path.index(node) :], node])
            )
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, [*path, node])
        done.add(node)

    for package in graph:
        visit(package, [])


def test_the_check_sees_a_wrong_import(tmp_path):
    """The parser is not blind: a warehouse module importing the pipelines would be named."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from pipelines.messages import Reference\nimport dashboard.data\nfrom kernel import contracts\n"
    )
    found = [(line, _package_of(module)) for line, module in _imports(bad)]
    assert found == [(1, "pipelines"), (2, "dashboard"), (3, "kernel")]
