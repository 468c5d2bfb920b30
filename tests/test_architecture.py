"""The layers of docs/ARCHITECTURE.md hold: each app imports only the layers below it, core
imports no app, and no two apps import each other both ways.

The contracts are import-linter's, in pyproject.toml (`[tool.importlinter]`); `lint-imports`
checks the same from the command line. grimp reads every import, those inside functions too,
so an import moved into a function to dodge a cycle is still seen.
"""

from __future__ import annotations

import ast
import importlib
import pathlib
import subprocess
import sys
import tomllib
from collections import defaultdict

import grimp

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _lint_imports() -> pathlib.Path:
    return pathlib.Path(sys.executable).with_name("lint-imports")


def _ignored_imports() -> list[tuple[str, str]]:
    """The imports the layers contract lets pass for now (each, one app importing another)."""
    layers = next(contract for contract in CONFIG["contracts"] if contract["id"] == "layers")
    return [
        tuple(part.strip() for part in line.split("->"))
        for line in layers.get("ignore_imports", [])
    ]


def _app(module: str) -> str:
    """`aftercare.cases.models.survivor` -> `cases`; the project's own modules count as one."""
    parts = module.split(".")
    if len(parts) == 1:
        return "(project)"
    return parts[1] if (ROOT / "aftercare" / parts[1] / "__init__.py").exists() else "(project)"


def test_import_contracts_are_kept():
    result = subprocess.run(
        [str(_lint_imports()), "--config", "pyproject.toml", "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_two_apps_import_each_other_both_ways():
    graph = grimp.build_graph("aftercare", cache_dir=None)
    for importer, imported in _ignored_imports():
        if {importer, imported} <= graph.modules and graph.direct_import_exists(
            importer=importer, imported=imported
        ):
            graph.remove_import(importer=importer, imported=imported)
    imports: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if _app(module) != _app(imported):
                imports[_app(module)].add(_app(imported))
    both_ways = sorted(
        (a, b) for a in imports for b in imports[a] if a < b and a in imports.get(b, ())
    )
    assert both_ways == [], f"apps that import each other both ways: {both_ways}"


def test_the_contract_names_every_app():
    """A new app must take its place in a layer (or it could import anything unseen)."""
    layers = next(contract for contract in CONFIG["contracts"] if contract["id"] == "layers")
    named = {
        name.strip().strip("()")
        for layer in layers["layers"]
        for name in layer.replace("|", ":").split(":")
    }
    apps = {path.parent.name for path in (ROOT / "aftercare").glob("*/__init__.py")} - {"formats"}
    assert apps - named == set()


def _aftercare_imports(path: pathlib.Path):
    """Every `from aftercare... import name` and `import aftercare...` in a script, by line."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aftercare"):
            for alias in node.names:
                yield node.lineno, node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("aftercare"):
                    yield node.lineno, alias.name, None


def _resolves(module: str, name: str | None) -> bool:
    try:
        imported = importlib.import_module(module)
    except ImportError:
        return False
    if name is None or hasattr(imported, name):
        return True
    try:
        importlib.import_module(f"{module}.{name}")
    except ImportError:
        return False
    return True


def test_the_benchmarks_and_deploy_scripts_import_only_what_exists(db):
    """bench/ and deploy/ live outside the package, so no import check sees them: a module moved
    by a refactor must not leave a benchmark that fails at its first line."""
    broken = [
        f"{path.relative_to(ROOT)}:{line} {module} {name or ''}".strip()
        for folder in ("bench", "deploy")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, module, name in _aftercare_imports(path)
        if not _resolves(module, name)
    ]
    assert broken == []
