"""The Windows installer script, compiled here with Debian's NSIS around a stand-in payload, and the layout
it describes read back from the compiler's own listing of every instruction (``makensis -V4``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from shipdesk import __version__
from shipdesk.core.settings.paths import CONFIG_ENV, DATA_DIR_ENV, SCOPE_ENV, Scope

from .conftest import load_packaging_module

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("makensis") is None,
                       reason="makensis is not installed (apt-get install nsis; .ci/run installs it)"),
]

build = load_packaging_module("build.py")
UNINST = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\shipdesk"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    """The installer built around a fake ``dist/shipdesk/`` and the compiler's listing, per section/function."""
    tmp = tmp_path_factory.mktemp("nsis")
    payload = tmp / "dist" / "shipdesk"
    (payload / "_internal" / "shipdesk" / "_resources").mkdir(parents=True)
    (payload / "shipdesk.exe").write_bytes(b"MZ app")
    (payload / "shipdesk-cli.exe").write_bytes(b"MZ cli")
    (payload / "_internal" / "python311.dll").write_bytes(b"MZ python")
    (payload / "_internal" / "shipdesk" / "_resources" / "LICENSE").write_text("MIT")
    installer = tmp / "dist" / f"shipdesk-{__version__}-setup.exe"

    result = subprocess.run(build.makensis_command(payload, installer, verbosity=4), cwd=build.NSI.parent,
                            capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    return installer, _blocks(result.stdout)


def _blocks(listing: str) -> dict[str, list[str]]:
    """Instructions grouped by the section or function they are in ('' for the script's top level)."""
    blocks: dict[str, list[str]] = {"": []}
    current = ""
    for line in listing.splitlines():
        start = re.match(r'(?:Section|Function): "([^"]+)"', line)
        if start:
            current = start.group(1)
            blocks[current] = []
        elif line in ("SectionEnd", "FunctionEnd"):
            current = ""
        elif not line.startswith("!insertmacro"):
            blocks[current].append(line)
    return blocks


def test_installer_compiles_to_a_windows_program_with_its_version(compiled):
    installer, _ = compiled
    data = installer.read_bytes()
    assert data[:2] == b"MZ"
    pefile = pytest.importorskip("pefile", reason="pefile is in the build extra: pip install -e .[build]")
    pe = pefile.PE(data=data)
    strings = {k.decode(): v.decode() for info in pe.FileInfo[0] if info.Key == b"StringFileInfo"
               for table in info.StringTable for k, v in table.entries.items()}
    assert strings["ProductVersion"] == __version__ and strings["ProductName"] == "shipdesk"


def test_program_files_start_menu_uninstaller_and_uninstall_entry(compiled):
    _, blocks = compiled
    top, main = blocks[""], blocks["$(SEC_MAIN)"]

    assert 'InstallDir: "$PROGRAMFILES64\\shipdesk"' in top
    assert 'SetOutPath: "$INSTDIR"' in main
    files = [line for line in main if line.startswith("File: ")]
    assert any('"shipdesk.exe"' in f for f in files) and any('"shipdesk-cli.exe"' in f for f in files)
    assert any('"python311.dll"' in f for f in files) and any('"LICENSE"' in f for f in files)
    assert 'WriteUninstaller: "$INSTDIR\\uninstall.exe"' in main
    start_menu = 'CreateShortcut: "$SMPROGRAMS\\shipdesk.lnk"->"$INSTDIR\\shipdesk.exe"'
    assert any(line.startswith(start_menu) for line in main)
    registry = dict(line.removeprefix(f"WriteRegStr: {UNINST}\\").split("=", 1)
                    for line in main if line.startswith(f"WriteRegStr: {UNINST}\\"))
    assert registry["DisplayName"] == "shipdesk"
    assert registry["DisplayVersion"] == __version__
    assert registry["Publisher"]
    assert registry["UninstallString"] == '"$INSTDIR\\uninstall.exe"'
    assert registry["QuietUninstallString"] == '"$INSTDIR\\uninstall.exe" /S'


def test_per_machine_install(compiled):
    _, blocks = compiled
    for function in (".onInit", "un.onInit"):
        assert "SetShellVarContext: all" in blocks[function]  # shortcuts for every user, ProgramData
        assert "SetRegView: 64" in blocks[function]
    assert not any("HKCU" in line for block in blocks.values() for line in block)


def test_desktop_shortcut_and_service_are_options(compiled):
    _, blocks = compiled

    desktop = blocks["$(SEC_DESKTOP)"]
    service = blocks["$(SEC_SERVICE)"]

    assert any(line.startswith('CreateShortcut: "$DESKTOP\\shipdesk.lnk"') for line in desktop)
    commands = [line.removeprefix("Plugin command: ExecToLog ") for line in service if "ExecToLog" in line]
    assert commands == [
        '"$INSTDIR\\shipdesk-cli.exe" --config "$ConfigFile" service install --data-dir "$DataDir"',
        '"$INSTDIR\\shipdesk-cli.exe" service install --data-dir "$DataDir"',
        '"$INSTDIR\\shipdesk-cli.exe" service start',
    ]


def test_uninstall_removes_the_program_and_keeps_the_data(compiled):
    _, blocks = compiled
    uninstall = blocks["un.$(UNSEC_MAIN)"]

    assert 'Plugin command: ExecToLog "$INSTDIR\\shipdesk-cli.exe" service remove' in uninstall
    for removed in ('Delete: "$SMPROGRAMS\\shipdesk.lnk"', 'Delete: "$DESKTOP\\shipdesk.lnk"',
                    'Delete: "$INSTDIR\\uninstall.exe"', f"DeleteRegKey: {UNINST}", 'RMDir: "$INSTDIR"'):
        assert removed in uninstall
    # nothing recursive outside what the installer wrote, and never the data folder
    recursive = [line for block in blocks.values() for line in block if line.startswith("RMDir: /r")]
    assert sorted(set(recursive)) == ['RMDir: /r "$DataDir"', 'RMDir: /r "$INSTDIR\\_internal"']
    data_removers = [name for name, block in blocks.items() if 'RMDir: /r "$DataDir"' in block]
    assert data_removers == ["un.$(UNSEC_DATA)"]


def test_switches_it_uses_are_read_and_data_removal_is_opt_in():
    """makensis does not list what a macro pushes nor a section's default state: read them in the script."""
    script = build.NSI.read_text(encoding="utf-8")

    for switch in ("/SCOPE=", "/DATADIR=", "/CONFIG=", "/SERVICE=", "/DESKTOP="):
        assert re.search(rf'^\s*\$\{{GetOptions\}} \$R0 "{re.escape(switch)}"', script, re.M), switch
    assert re.search(r'^Section /o "un\.\$\(UNSEC_DATA\)"', script, re.M)  # off unless chosen
    assert re.search(r'^Section /o "\$\(SEC_DESKTOP\)"', script, re.M)
    assert re.search(r'^Section /o "\$\(SEC_SERVICE\)', script, re.M)
    on_uninstall_init = script[script.index("Function un.onInit"):]
    assert '${GetOptions} $R0 "/REMOVEDATA" $R1' in on_uninstall_init
    assert "!insertmacro SelectSection ${UnSecData}" in on_uninstall_init


ENV = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment"


def test_machine_scope_sets_the_variables_shipdesk_reads_and_shares_the_folder(compiled):
    _, blocks = compiled
    main = blocks["$(SEC_MAIN)"]

    # the names and the value are the ones core/settings/paths.py reads
    assert f"WriteRegExpandStr: {ENV}\\{SCOPE_ENV}={Scope.MACHINE.value}" in main
    assert f"WriteRegExpandStr: {ENV}\\{DATA_DIR_ENV}=$DataDirGiven" in main
    assert f"WriteRegExpandStr: {ENV}\\{CONFIG_ENV}=$ConfigFile" in main
    assert "Plugin command: ExecToLog icacls \"$DataDir\" /grant *S-1-5-32-545:(OI)(CI)M /T /Q" in main
    assert main.index('CreateDirectory: "$DataDir"') < main.index(
        "Plugin command: ExecToLog icacls \"$DataDir\" /grant *S-1-5-32-545:(OI)(CI)M /T /Q")
    # with SetShellVarContext all, $APPDATA is %ProgramData%: platformdirs' machine folder on Windows
    assert 'StrCpy $DataDir "$APPDATA\\shipdesk" () ()' in blocks["ChooseDataDir"]
    uninstall = blocks["un.$(UNSEC_MAIN)"]
    for name in (SCOPE_ENV, DATA_DIR_ENV, CONFIG_ENV):
        assert f"DeleteRegValue: {ENV}\\{name}" in uninstall


def test_the_service_implies_machine_scope_and_an_update_keeps_what_was_chosen():
    script = build.NSI.read_text(encoding="utf-8")
    choose = script[script.index("Function ChooseDataDir"):]
    choose = choose[:choose.index("FunctionEnd")]
    on_init = script[script.index("Function .onInit"):]
    on_init = on_init[:on_init.index("FunctionEnd")]

    assert re.search(r'\$\{If\} \$ScopeGiven == "machine"\s+\$\{OrIf\} \$\{SectionIsSelected\} \$\{SecService\}\s+'
                     r'StrCpy \$Scope "machine"', choose)
    # an update run without switches (the app's update check starts it so) keeps the service and the folders
    for value in ("Scope", "DataDirGiven", "ConfigFile"):
        assert f'"${{SETTINGS_KEY}}" "{value}"' in on_init.split("GetOptions")[0], value
    assert re.search(r'ReadRegDWORD \$R1 HKLM "\$\{SETTINGS_KEY\}" "Service"\s+\$\{If\} \$R1 == "1"\s+'
                     r"!insertmacro SelectSection \$\{SecService\}", on_init)
    # switches read after the registry win over it
    assert on_init.index('"Scope"') < on_init.index('"/SCOPE="')


def test_the_installer_speaks_english_spanish_and_french(compiled):
    """Every text of the installer's own pages has its three languages: a missing one would show an empty label."""
    script = build.NSI.read_text(encoding="utf-8")
    for language in ("English", "Spanish", "French"):
        assert f'!insertmacro MUI_LANGUAGE "{language}"' in script
    names = set(re.findall(r"\$\((\w+)\)", script)) - {"^Name"}
    for name in names:
        given = re.findall(rf"^LangString {name} \$\{{LANG_(\w+)\}}", script, re.M)
        assert sorted(given) == ["ENGLISH", "FRENCH", "SPANISH"], name
