"""The layers hold: checked on the source (imports parsed with ``ast``), not on what a test run loads.

The product also reads no test switch from the environment: a stray ``SHIPDESK_TEST_...`` variable on a
warehouse PC must never change what shipdesk does (the old crash-test hook could block a ship forever);
tests reach into the product through what they inject (``tests/support``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import shipdesk

PACKAGE = Path(shipdesk.__file__).parent
TEST_PREFIX = "SHIPDESK_TEST"
#: the core runs the product; the sandboxes and the demo that starts them are wired in from outside
KEPT_OUT_OF_CORE = (("shipdesk", "sandbox"), ("shipdesk", "demo"))


def imported_modules(source: str, package: str) -> set[str]:
    """Every module ``source`` (a module of ``package``) imports, as absolute names: also imports inside
    functions or under ``TYPE_CHECKING``, relative ones, and names imported from a package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: one package up per dot after the first
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def kept_out_of_core(module: str) -> bool:
    return tuple(module.split(".")[:2]) in KEPT_OUT_OF_CORE


def test_the_core_imports_neither_the_sandboxes_nor_the_demo():
    offenders = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        package = ".".join(path.relative_to(PACKAGE.parent).parts[:-1])
        modules = imported_modules(path.read_text(encoding="utf-8"), package)
        offenders += [f"{path.relative_to(PACKAGE.parent)} imports {m}" for m in sorted(modules) if kept_out_of_core(m)]
    assert not offenders, "core/ gets sandbox or demo behaviour handed in, never imports it:\n" + "\n".join(offenders)


#: the tree of docs/architecture.md, top to bottom: a part may import the parts below it, never above
LAYERS = ("__main__", "entry_points", "cli", "service", "ui", "demo", "core", "reports", "devices", "labels",
          "acumatica", "ups", "updates", "net", "stopping", "sandbox", "specs", "ship_rules", "errors", "i18n",
          "resources")


def test_imports_point_down_the_layers():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if part == "__init__":
            continue
        assert part in LAYERS, f"{part} is not in the layer list of docs/architecture.md"
        package = ".".join(path.relative_to(PACKAGE.parent).parts[:-1])
        for module in sorted(imported_modules(path.read_text(encoding="utf-8"), package)):
            names = module.split(".")
            if names[0] != "shipdesk" or len(names) < 2 or names[1] not in LAYERS or names[1] == part:
                continue
            if LAYERS.index(names[1]) < LAYERS.index(part):
                upward.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    assert not upward, "imports point down the tree of docs/architecture.md:\n" + "\n".join(upward)


def test_only_the_demo_imports_the_sandboxes():
    """The sandboxes are a stand-in for the real services: one door (``shipdesk/demo``) wires them in."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        inside = path.relative_to(PACKAGE).parts[0]
        if inside in ("sandbox", "demo"):
            continue
        package = ".".join(path.relative_to(PACKAGE.parent).parts[:-1])
        modules = imported_modules(path.read_text(encoding="utf-8"), package)
        offenders += [f"{path.relative_to(PACKAGE.parent)} imports {m}" for m in sorted(modules)
                      if tuple(m.split(".")[:2]) == ("shipdesk", "sandbox")]
    assert not offenders, "only shipdesk/demo imports shipdesk.sandbox:\n" + "\n".join(offenders)


def test_every_way_of_importing_is_seen():
    source = ("import shipdesk.sandbox.server\n"
              "from shipdesk.demo.clock import SandboxClock\n"
              "from ...demo import launcher\n"
              "def later():\n"
              "    from shipdesk import sandbox\n")
    found = {m for m in imported_modules(source, "shipdesk.core.tracking") if kept_out_of_core(m)}
    assert found == {"shipdesk.sandbox.server", "shipdesk.demo.clock", "shipdesk.demo.clock.SandboxClock",
                     "shipdesk.demo", "shipdesk.demo.launcher", "shipdesk.sandbox"}


def test_importing_the_whole_core_loads_no_sandbox():
    """Not even through another module: the import graph, as Python follows it."""
    names = sorted("shipdesk." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
                   for p in (PACKAGE / "core").rglob("*.py"))
    probe = ("import importlib, sys\n"
             f"for name in {names!r}: importlib.import_module(name)\n"
             "print(sorted(m for m in sys.modules if m.startswith(('shipdesk.sandbox', 'shipdesk.demo'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert loaded.stdout.strip() == "[]"


def docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes of the module, its classes and functions (prose, not code)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_nothing_in_shipdesk_reads_a_test_environment_variable():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prose = docstrings(tree)
        found += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.value!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and TEST_PREFIX in node.value
                  and id(node) not in prose]
    assert found == [], "product code names a test-only environment variable"


def test_the_check_for_test_variables_sees_one(tmp_path, monkeypatch):
    """The scan above finds a variable read the way the old hook read it (so it cannot pass by accident)."""
    (tmp_path / "hook.py").write_text('"""A hook."""\nimport os\n\nPAUSE = os.environ.get("SHIPDESK_TEST_PAUSE_AT")\n',
                                      encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    with pytest.raises(AssertionError, match="test-only environment variable"):
        test_nothing_in_shipdesk_reads_a_test_environment_variable()
