"""What the product may not contain: test switches read from the environment, or the sandboxes in the core.

A stray ``SHIPDESK_TEST_...`` variable on a warehouse PC must never change what shipdesk does (the old crash
test hook could block a ship forever); tests reach into the product through what they inject
(``tests/support``). The core runs against real services: only ``shipdesk/demo`` wires the sandboxes in.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import shipdesk

PACKAGE = Path(shipdesk.__file__).parent
CORE = PACKAGE / "core"
TEST_PREFIX = "SHIPDESK_TEST"


def modules(folder: Path) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(folder.rglob("*.py")):
        yield str(path.relative_to(PACKAGE.parent)), ast.parse(path.read_text(encoding="utf-8"))


def docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes of the module, its classes and functions (prose, not code)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def imported(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def imports_under(folder: Path, forbidden: str) -> list[str]:
    return [f"{where} imports {name}" for where, tree in modules(folder) for name in imported(tree)
            if name == forbidden or name.startswith(forbidden + ".")]


def test_nothing_in_shipdesk_reads_a_test_environment_variable():
    found = []
    for where, tree in modules(PACKAGE):
        prose = docstrings(tree)
        found += [f"{where}:{node.lineno} {node.value!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and TEST_PREFIX in node.value
                  and id(node) not in prose]
    assert found == [], "product code names a test-only environment variable"


def test_the_check_for_test_variables_sees_one(tmp_path, monkeypatch):
    """The scan above finds a variable read the way the old hook read it (so it cannot pass by accident)."""
    module = tmp_path / "hook.py"
    module.write_text('"""A hook."""\nimport os\n\nPAUSE = os.environ.get("SHIPDESK_TEST_PAUSE_AT")\n',
                      encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    with pytest.raises(AssertionError, match="test-only environment variable"):
        test_nothing_in_shipdesk_reads_a_test_environment_variable()


def test_no_core_module_imports_the_sandboxes():
    assert imports_under(CORE, "shipdesk.sandbox") == []


def test_importing_the_whole_core_loads_no_sandbox():
    names = sorted("shipdesk." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
                   for p in CORE.rglob("*.py"))
    probe = ("import importlib, sys\n"
             f"for name in {names!r}: importlib.import_module(name)\n"
             "print(sorted(m for m in sys.modules if m.startswith('shipdesk.sandbox')))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert loaded.stdout.strip() == "[]"


@pytest.mark.xfail(strict=True, reason="core/tracking/sync.py still reads demo mode's clock from shipdesk.demo.clock "
                                       "(the sandboxes' simulated clock); that wiring moves out of the core in issue "
                                       "10's command-line and demo part, and the lead removes this xfail at merge")
def test_no_core_module_imports_the_demo_wiring():
    assert imports_under(CORE, "shipdesk.demo") == []
