"""Every sentence a person reads can be translated: checked on the source with ``ast``.

A text reaches a person through a Qt widget (a label, a button, a title, a tooltip...), an error
(``raise ...Error("...")`` and its ``hint``), the command line's output and help, or a note shipdesk writes
in Acumatica. Each of those places must get ``_("...")`` / ``ngettext(...)`` (or a variable holding one),
never a bare literal or an f-string, which no catalogue can hold. ``_()`` itself takes a literal (or a
name holding one marked ``N_()``): a catalogue cannot look up an f-string's result. A line may opt out
with ``# i18n: <why>`` (a code, a file name, a format for machines). ``test_screens_translated.py`` checks
what is shown at run time.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import shipdesk

PACKAGE = Path(shipdesk.__file__).parent
#: Qt calls whose string arguments a person reads
QT_SINKS = frozenset({
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton", "QMenu",
    "QCommandLinkButton", "QTableWidgetItem", "QListWidgetItem", "setText", "setWindowTitle", "setToolTip",
    "setStatusTip", "setTitle", "setPlaceholderText", "setHorizontalHeaderLabels", "setVerticalHeaderLabels",
    "addAction", "addMenu", "addTab", "setTabText", "setWhatsThis", "addRow", "setLabelText",
    "setInformativeText", "setDetailedText", "setSuffix", "setPrefix", "setSpecialValueText", "setButtonText",
    "showMessage", "information", "warning", "critical", "question", "getText", "getItem", "getInt",
    "getDouble", "getSaveFileName", "getOpenFileName", "getExistingDirectory", "setHtml", "setPlainText",
    "setMarkdown", "addButton", "setNameFilter", "setNameFilters",
})
#: the command line's output and help
CLI_SINKS = frozenset({"print", "line", "emit", "to_stderr", "add_argument", "add_parser", "ArgumentParser",
                       "add_argument_group", "add_mutually_exclusive_group"})
CLI_TEXT_ARGUMENTS = frozenset({"print", "line", "emit", "to_stderr"})
CLI_TEXT_KEYWORDS = frozenset({"help", "description", "epilog", "title"})
#: attributes a parser is given after it is built
CLI_TEXT_ATTRIBUTES = frozenset({"description", "epilog"})
TRANSLATING = frozenset({"_", "ngettext"})
OPT_OUT = "# i18n:"
#: not shipdesk's words: the sandboxes speak for UPS and Acumatica; the catalogue tool speaks to developers
SKIPPED = ("shipdesk/sandbox/", "shipdesk/core/catalogue.py", "shipdesk/core/settings/docs.py", "shipdesk/i18n/")
#: log lines stay in English (whoever supports the site reads them)
LOGGERS = frozenset({"log", "logger", "logging", "_log", "LOG"})


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id in LOGGERS:
            return ""
        return func.attr
    return ""


def _bare_text(node: ast.expr) -> bool:
    """A literal with words in it, an f-string, or text glued together: what no catalogue can translate."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and any(ch.isalpha() for ch in str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _bare_text(node.left) or _bare_text(node.right)
    if isinstance(node, ast.IfExp):
        return _bare_text(node.body) or _bare_text(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):  # lines shown one under the other
        return any(_bare_text(item) for item in node.elts)
    if isinstance(node, ast.ListComp):
        return _bare_text(node.elt)
    return False


def _lines_opted_out(source: str) -> set[int]:
    return {number for number, line in enumerate(source.splitlines(), 1) if OPT_OUT in line}


def _problems(path: Path) -> Iterator[str]:
    source = path.read_text(encoding="utf-8")
    where = path.relative_to(PACKAGE.parent).as_posix()
    opted_out = _lines_opted_out(source)
    in_ui = where.startswith("shipdesk/ui/")
    in_cli = where.startswith(("shipdesk/cli/", "shipdesk/entry_points.py", "shipdesk/__main__.py"))

    def report(node: ast.AST, what: str) -> Iterator[str]:
        line = getattr(node, "lineno", 0)
        if line not in opted_out and getattr(node, "end_lineno", line) not in opted_out:
            yield f"{where}:{line}: {what}"

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in TRANSLATING:
                for arg in node.args[:2 if name == "ngettext" else 1]:
                    # a literal, or a name holding one marked with N_(); never text built at run time
                    if (_bare_text(arg) and not isinstance(arg, ast.Constant)) or isinstance(arg, ast.Call):
                        yield from report(node, f"{name}() needs a plain string literal (a catalogue looks it up)")
                continue
            texts: list[ast.expr] = []
            if in_ui and name in QT_SINKS:
                texts = [*node.args, *(k.value for k in node.keywords)]
            elif name in ("record", "Entry") and where.startswith("shipdesk/core/"):  # the History shows them
                texts = [k.value for k in node.keywords if k.arg == "detail"] + node.args[3:4]
            elif in_cli and name in CLI_SINKS:
                texts = [*(node.args if name in CLI_TEXT_ARGUMENTS else []),
                         *(k.value for k in node.keywords if k.arg in CLI_TEXT_KEYWORDS)]
            for text in texts:
                if _bare_text(text):
                    yield from report(text, f"{name}(...) shows text that is not translatable")
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = _name(node.exc.func)
            if name.endswith("Error") and name[:1].isupper():
                texts = [*node.exc.args[:1], *(k.value for k in node.exc.keywords if k.arg == "hint")]
                for text in texts:
                    if _bare_text(text):
                        yield from report(text, f"raise {name}(...) with a sentence that is not translatable")
        elif in_cli and isinstance(node, ast.Assign) and _bare_text(node.value) and any(
                isinstance(t, ast.Attribute) and t.attr in CLI_TEXT_ATTRIBUTES for t in node.targets):
            yield from report(node.value, "a parser's help text that is not translatable")


def untranslatable(*under: str) -> list[str]:
    """What cannot be translated, in the whole package or in the files whose path starts with one of ``under``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE.parent).as_posix()
        if not any(where.startswith(s) for s in SKIPPED) and (not under or where.startswith(under)):
            found += _problems(path)
    return found


if __name__ == "__main__":  # python tests/i18n/test_translatable.py shipdesk/ui/window: one area's list
    print("\n".join(untranslatable(*sys.argv[1:])))


def test_every_shown_sentence_goes_through_the_catalogue():
    problems = untranslatable()
    assert not problems, (f"{len(problems)} texts a person reads cannot be translated: wrap them in _() "
                          "(an f-string becomes _(\"... {name}\").format(name=...)), or mark the line "
                          "`# i18n: why` when it is not a sentence:\n" + "\n".join(problems))


def test_the_check_finds_an_untranslatable_label(tmp_path, monkeypatch):
    """The check above would fail on the kind of line it exists for."""
    ui = tmp_path / "shipdesk" / "ui"
    ui.mkdir(parents=True)
    (ui / "bad.py").write_text('from x import QLabel, _\nQLabel("Ready to ship")\nQLabel(_("Ready"))\n'
                               'raise ConfigError(f"No {x}")\nraise ConfigError(_("No {x}").format(x=1))\n'
                               'QLabel("1Z")  # i18n: a carrier code\n')
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "shipdesk")
    assert sorted(p.split(": ", 1)[0] for p in untranslatable()) == ["shipdesk/ui/bad.py:2", "shipdesk/ui/bad.py:4"]
