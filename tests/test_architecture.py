"""The layers of docs/ARCHITECTURE.md hold: each app imports only the layers below it, core
imports no app, and no two apps import each other both ways.

The contracts are import-linter's, in pyproject.toml (`[tool.importlinter]`); `lint-imports`
checks the same from the command line. grimp reads every import, those inside functions too,
so an import moved into a function to dodge a cycle is still seen.
"""

from __future__ import annotations

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
