; shipdesk installer (NSIS 3): per-machine, into Program Files, for a clerk's double-click or IT's silent push.
;
; Built by packaging/build.py, which passes the version and the PyInstaller folder:
;   makensis /DVERSION=0.1.0 /DFILEVERSION=0.1.0.0 /DSOURCE_DIR=dist\shipdesk /DOUTFILE=dist\shipdesk-0.1.0-setup.exe
;            packaging\windows\shipdesk.nsi
;
; Switches (silent install for IT; see packaging/README.md):
;   /S                  silent
;   /SCOPE=machine      one config file and data folder for the whole PC (%ProgramData%\shipdesk): every user,
;                       the command line, a scheduled task and the service share one store (machine variable
;                       SHIPDESK_SCOPE=machine; Users may modify the folder). Without it each user keeps their own.
;   /DATADIR=<folder>   the data folder (database, labels, logs) for every user, the command line and the service
;                       instead (machine variable SHIPDESK_DATA_DIR)
;   /CONFIG=<file>      the config file every user and the service use (machine variable SHIPDESK_CONFIG)
;   /SERVICE=1          install and start the sync service ("shipdesk-cli service install", LocalSystem); implies
;                       /SCOPE=machine: the service and the clerks must share one store
; An update (the same installer run again, e.g. from the app's update check) keeps what the first install chose:
; the scope, the folders, the config file and the service (stopped while the files are replaced, then started).
;   /DESKTOP=1          a desktop shortcut for every user
;   /D=<folder>         install folder (NSIS's own switch; must be last; default %ProgramFiles%\shipdesk)
; Uninstaller (uninstall.exe, also in Apps & features): /S silent; /REMOVEDATA also deletes the machine data
; folder. Without /REMOVEDATA the data stays: labels already bought and the audit log are not lost.
; Exit code: 0 done; 2 installed, but the sync service could not be installed (the log says why).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Sections.nsh
!include WinMessages.nsh
!include x64.nsh

!ifndef VERSION
  !error "Pass the version: makensis /DVERSION=0.1.0 ... (packaging/build.py does)"
!endif
!ifndef FILEVERSION
  !define FILEVERSION "${VERSION}.0"
!endif
!ifndef PUBLISHER
  !define PUBLISHER "shipdesk"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "..\..\dist\shipdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\shipdesk-${VERSION}-setup.exe"
!endif

!define PRODUCT "shipdesk"
!define APP_EXE "shipdesk.exe"
!define CLI_EXE "shipdesk-cli.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT}"
!define SETTINGS_KEY "Software\${PRODUCT}"
!define ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
InstallDirRegKey HKLM "${SETTINGS_KEY}" "InstallDir"
RequestExecutionLevel admin
ShowInstDetails show

VIProductVersion "${FILEVERSION}"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${PRODUCT} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Proprietary software; all rights reserved."

Var Scope       ; /SCOPE= ("machine" or empty)
Var ScopeGiven  ; the /SCOPE= switch, or what an earlier install chose
Var DataDir     ; the folder made shared (Users may modify): /DATADIR=, else %ProgramData%\shipdesk in machine scope
Var ConfigFile  ; /CONFIG=
Var ServiceOk
Var DataDirGiven  ; the /DATADIR= switch, kept apart from the folder chosen for the machine scope

!define MUI_ICON "shipdesk.ico"
!define MUI_UNICON "shipdesk.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(RUN_TEXT)"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"  ; the first is the default: Windows in another language gets English
!insertmacro MUI_LANGUAGE "Spanish"
!insertmacro MUI_LANGUAGE "French"
; the installer speaks the language Windows is shown in (as the app does); silent installs show nothing
LangString RUN_TEXT ${LANG_ENGLISH} "Start shipdesk"
LangString RUN_TEXT ${LANG_SPANISH} "Iniciar shipdesk"
LangString RUN_TEXT ${LANG_FRENCH} "Démarrer shipdesk"
LangString SEC_MAIN ${LANG_ENGLISH} "shipdesk (required)"
LangString SEC_MAIN ${LANG_SPANISH} "shipdesk (obligatorio)"
LangString SEC_MAIN ${LANG_FRENCH} "shipdesk (obligatoire)"
LangString SEC_DESKTOP ${LANG_ENGLISH} "Desktop shortcut"
LangString SEC_DESKTOP ${LANG_SPANISH} "Acceso directo en el escritorio"
LangString SEC_DESKTOP ${LANG_FRENCH} "Raccourci sur le bureau"
LangString SEC_SERVICE ${LANG_ENGLISH} "Sync service (runs the sync without anyone signed in)"
LangString SEC_SERVICE ${LANG_SPANISH} "Servicio de sincronización (sincroniza sin nadie con la sesión iniciada)"
LangString SEC_SERVICE ${LANG_FRENCH} "Service de synchronisation (synchronise sans personne de connecté)"
LangString UNSEC_MAIN ${LANG_ENGLISH} "shipdesk (program files, shortcuts, service)"
LangString UNSEC_MAIN ${LANG_SPANISH} "shipdesk (archivos del programa, accesos directos, servicio)"
LangString UNSEC_MAIN ${LANG_FRENCH} "shipdesk (fichiers du programme, raccourcis, service)"
LangString UNSEC_DATA ${LANG_ENGLISH} "Delete the shipdesk data (database, labels, logs)"
LangString UNSEC_DATA ${LANG_SPANISH} "Borrar los datos de shipdesk (base de datos, etiquetas, registros)"
LangString UNSEC_DATA ${LANG_FRENCH} "Supprimer les données de shipdesk (base de données, étiquettes, journaux)"
LangString DESC_MAIN ${LANG_ENGLISH} "The shipdesk app and its command line (shipdesk-cli)."
LangString DESC_MAIN ${LANG_SPANISH} "La aplicación shipdesk y su línea de comandos (shipdesk-cli)."
LangString DESC_MAIN ${LANG_FRENCH} "L'application shipdesk et sa ligne de commande (shipdesk-cli)."
LangString DESC_DESKTOP ${LANG_ENGLISH} "A shipdesk shortcut on every user's desktop."
LangString DESC_DESKTOP ${LANG_SPANISH} "Un acceso directo a shipdesk en el escritorio de cada usuario."
LangString DESC_DESKTOP ${LANG_FRENCH} "Un raccourci vers shipdesk sur le bureau de chaque utilisateur."
LangString DESC_SERVICE ${LANG_ENGLISH} "Pulls, tracks and writes back around the clock as a Windows service, with one data folder for the machine."
LangString DESC_SERVICE ${LANG_SPANISH} "Descarga, sigue y registra los envíos día y noche como servicio de Windows, con una sola carpeta de datos para el equipo."
LangString DESC_SERVICE ${LANG_FRENCH} "Récupère, suit et reporte les expéditions jour et nuit comme service Windows, avec un seul dossier de données pour le poste."
LangString SERVICE_NOT_STARTED ${LANG_ENGLISH} "The sync service is installed but did not start: fill in the settings, then run $\"${CLI_EXE} service start$\"."
LangString SERVICE_NOT_STARTED ${LANG_SPANISH} "El servicio de sincronización está instalado pero no se inició: complete la configuración y ejecute $\"${CLI_EXE} service start$\"."
LangString SERVICE_NOT_STARTED ${LANG_FRENCH} "Le service de synchronisation est installé mais n'a pas démarré : remplissez les paramètres, puis lancez $\"${CLI_EXE} service start$\"."
LangString SERVICE_FAILED ${LANG_ENGLISH} "The sync service could not be installed (exit code $ServiceOk); the details are above."
LangString SERVICE_FAILED ${LANG_SPANISH} "No se pudo instalar el servicio de sincronización (código de salida $ServiceOk); los detalles están arriba."
LangString SERVICE_FAILED ${LANG_FRENCH} "Le service de synchronisation n'a pas pu être installé (code de sortie $ServiceOk) ; les détails sont ci-dessus."
LangString NEEDS_64BIT ${LANG_ENGLISH} "shipdesk needs 64-bit Windows."
LangString NEEDS_64BIT ${LANG_SPANISH} "shipdesk requiere Windows de 64 bits."
LangString NEEDS_64BIT ${LANG_FRENCH} "shipdesk nécessite Windows 64 bits."

; -- install --------------------------------------------------------------------------------------------------
Section "$(SEC_MAIN)" SecMain
  SectionIn RO
  ; an update: the running service holds the files open (the app must be closed by its user)
  ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
    nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" service stop'
    Pop $0
  ${EndIf}
  SetOutPath "$INSTDIR"
  RMDir /r "$INSTDIR\_internal"  ; no library of the previous version stays behind
  File /r "${SOURCE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
  WriteRegStr HKLM "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"

  ; one store for the machine: every user's app, the command line and the service read these variables
  ${If} $Scope == "machine"
    WriteRegExpandStr HKLM "${ENV_KEY}" "SHIPDESK_SCOPE" "machine"
    WriteRegStr HKLM "${SETTINGS_KEY}" "Scope" "machine"
  ${Else}
    ; /SCOPE=user over a machine install: each user's own folders again (the machine folder is kept)
    ReadRegStr $0 HKLM "${SETTINGS_KEY}" "Scope"
    ${If} $0 == "machine"
      DeleteRegValue HKLM "${ENV_KEY}" "SHIPDESK_SCOPE"
      DeleteRegValue HKLM "${SETTINGS_KEY}" "Scope"
    ${EndIf}
  ${EndIf}
  ${If} $DataDir != ""
    CreateDirectory "$DataDir"
    ; clerks write the database and labels there: Users (S-1-5-32-545) may modify, inherited by new files
    nsExec::ExecToLog 'icacls "$DataDir" /grant *S-1-5-32-545:(OI)(CI)M /T /Q'
    Pop $0
    WriteRegStr HKLM "${SETTINGS_KEY}" "DataDir" "$DataDir"
  ${EndIf}
  ${If} $DataDirGiven != ""
    WriteRegExpandStr HKLM "${ENV_KEY}" "SHIPDESK_DATA_DIR" "$DataDirGiven"
    WriteRegStr HKLM "${SETTINGS_KEY}" "DataDirGiven" "$DataDirGiven"
  ${EndIf}
  ${If} $ConfigFile != ""
    WriteRegExpandStr HKLM "${ENV_KEY}" "SHIPDESK_CONFIG" "$ConfigFile"
    WriteRegStr HKLM "${SETTINGS_KEY}" "ConfigFile" "$ConfigFile"
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
SectionEnd

Section /o "$(SEC_DESKTOP)" SecDesktop
  CreateShortcut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Section /o "$(SEC_SERVICE)" SecService
  ; the data folder and config file go into the service's own command line: a service does not see machine
  ; variables set after Windows started
  ${If} $ConfigFile != ""
    nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" --config "$ConfigFile" service install --data-dir "$DataDir"'
  ${Else}
    nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" service install --data-dir "$DataDir"'
  ${EndIf}
  Pop $ServiceOk
  ${If} $ServiceOk == "0"
    WriteRegDWORD HKLM "${SETTINGS_KEY}" "Service" 1
    nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" service start'
    Pop $0
    ${If} $0 != "0"
      DetailPrint "$(SERVICE_NOT_STARTED)"
    ${EndIf}
  ${Else}
    DetailPrint "$(SERVICE_FAILED)"
    SetErrorLevel 2
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecMain} "$(DESC_MAIN)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(DESC_DESKTOP)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecService} "$(DESC_SERVICE)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(NEEDS_64BIT)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  ${GetParameters} $R0
  ClearErrors
  ; an update: what the first install chose, unless a switch says otherwise
  ReadRegStr $ScopeGiven HKLM "${SETTINGS_KEY}" "Scope"
  ReadRegStr $DataDirGiven HKLM "${SETTINGS_KEY}" "DataDirGiven"
  ReadRegStr $ConfigFile HKLM "${SETTINGS_KEY}" "ConfigFile"
  ReadRegDWORD $R1 HKLM "${SETTINGS_KEY}" "Service"
  ${If} $R1 == "1"
    !insertmacro SelectSection ${SecService}
  ${EndIf}
  ClearErrors  ; a value an earlier install did not write sets the error flag GetOptions is read with
  ${GetOptions} $R0 "/SCOPE=" $R1
  ${IfNot} ${Errors}
    StrCpy $ScopeGiven $R1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/DATADIR=" $R1
  ${IfNot} ${Errors}
    StrCpy $DataDirGiven $R1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/CONFIG=" $R1
  ${IfNot} ${Errors}
    StrCpy $ConfigFile $R1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/SERVICE=" $R1
  ${If} $R1 == "1"
    !insertmacro SelectSection ${SecService}
  ${EndIf}
  ${GetOptions} $R0 "/DESKTOP=" $R1
  ${If} $R1 == "1"
    !insertmacro SelectSection ${SecDesktop}
  ${EndIf}
  Call ChooseDataDir
FunctionEnd

Function .onSelChange
  Call ChooseDataDir
FunctionEnd

Function ChooseDataDir
  ; the service and the clerks must share one store: choosing the service puts the PC in machine scope
  StrCpy $Scope ""
  ${If} $ScopeGiven == "machine"
  ${OrIf} ${SectionIsSelected} ${SecService}
    StrCpy $Scope "machine"
  ${EndIf}
  StrCpy $DataDir $DataDirGiven
  ${If} $Scope == "machine"
  ${AndIf} $DataDir == ""
    StrCpy $DataDir "$APPDATA\${PRODUCT}"  ; with SetShellVarContext all: %ProgramData%\shipdesk (platformdirs')
  ${EndIf}
FunctionEnd

; -- uninstall ------------------------------------------------------------------------------------------------
Section "un.$(UNSEC_MAIN)" UnSecMain
  SectionIn RO
  ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
    nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" service remove'
    Pop $0
  ${EndIf}
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  ; only what the installer put there: the install folder may have been chosen by hand
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"

  ; the machine variables, if they are still the ones this installer set
  ReadRegStr $0 HKLM "${SETTINGS_KEY}" "Scope"
  ReadRegStr $1 HKLM "${ENV_KEY}" "SHIPDESK_SCOPE"
  ${If} $0 != ""
  ${AndIf} $0 == $1
    DeleteRegValue HKLM "${ENV_KEY}" "SHIPDESK_SCOPE"
  ${EndIf}
  ReadRegStr $0 HKLM "${SETTINGS_KEY}" "DataDirGiven"
  ReadRegStr $1 HKLM "${ENV_KEY}" "SHIPDESK_DATA_DIR"
  ${If} $0 != ""
  ${AndIf} $0 == $1
    DeleteRegValue HKLM "${ENV_KEY}" "SHIPDESK_DATA_DIR"
  ${EndIf}
  ReadRegStr $0 HKLM "${SETTINGS_KEY}" "ConfigFile"
  ReadRegStr $1 HKLM "${ENV_KEY}" "SHIPDESK_CONFIG"
  ${If} $0 != ""
  ${AndIf} $0 == $1
    DeleteRegValue HKLM "${ENV_KEY}" "SHIPDESK_CONFIG"
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd

Section /o "un.$(UNSEC_DATA)" UnSecData
  ; chosen on the components page, or /REMOVEDATA; never by default
  ${If} $DataDir != ""
    RMDir /r "$DataDir"
  ${EndIf}
SectionEnd

Section "-un.forget settings"
  DeleteRegKey HKLM "${SETTINGS_KEY}"
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  ReadRegStr $DataDir HKLM "${SETTINGS_KEY}" "DataDir"
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd
