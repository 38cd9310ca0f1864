"""The layers hold: checked on the source (imports parsed with ``ast``), not on what a test run loads."""

from __future__ import annotations

import ast
from pathlib import Path

import shipdesk

PACKAGE = Path(shipdesk.__file__).parent
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


def test_every_way_of_importing_is_seen():
    source = ("import shipdesk.sandbox.server\n"
              "from shipdesk.demo.clock import SandboxClock\n"
              "from ...demo import launcher\n"
              "def later():\n"
              "    from shipdesk import sandbox\n")
    found = {m for m in imported_modules(source, "shipdesk.core.tracking") if kept_out_of_core(m)}
    assert found == {"shipdesk.sandbox.server", "shipdesk.demo.clock", "shipdesk.demo.clock.SandboxClock",
                     "shipdesk.demo", "shipdesk.demo.launcher", "shipdesk.sandbox"}
