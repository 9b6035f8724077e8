; CRM WhatsApp: the Windows installer (NSIS 3).
;
; Compiled on Linux or Windows against the PyInstaller one-folder bundle:
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=dist\crm-whatsapp -DICON=resources\icons\app.ico
;            -DOUT_FILE=dist\crm-whatsapp-0.1.0-setup.exe installer\windows\crm-whatsapp.nsi
; (installer/windows/build.py passes these; see README.md beside this file).
;
; Per user by default, no administrator rights: %LOCALAPPDATA%\Programs\CRM WhatsApp,
; the uninstall entry, the crm-whatsapp:// scheme and autostart under HKCU.
; Command line (switches are case-sensitive, /D= must be last, as NSIS wants):
;   /S                 silent
;   /ALLUSERS          per machine (Program Files, HKLM); needs an elevated prompt
;   /AUTOSTART         start with Windows
;   /NODESKTOP         no desktop shortcut
;   /RELAY=URL /CODE=C enroll this user's PC ("crm-whatsapp enroll URL C
;                      --defer-recovery-key") after copying; the recovery key waits in
;                      the user's keyring and the attendant's first start shows it
; Exit codes: 0 installed; 2 bad switches; 3 installed but enrollment failed (the
; attendant's first start then asks for a code); 1 cancelled or failed.
; The uninstaller keeps the encrypted history (%APPDATA%\crm-whatsapp, see
; crm_whatsapp/profile.py) unless /PURGE is given or its question is answered yes.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "Pass -DVERSION=x.y.z"
!endif
!ifndef BUNDLE_DIR
  !error "Pass -DBUNDLE_DIR=path\to\dist\crm-whatsapp (the one-folder bundle)"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "crm-whatsapp-${VERSION}-setup.exe"
!endif
!if /FileExists "${BUNDLE_DIR}/crm-whatsapp.exe"
!else
  !error "${BUNDLE_DIR}/crm-whatsapp.exe is missing: build the Windows bundle first (make package)"
!endif

!define APP_NAME "CRM WhatsApp"
!define APP_EXE "crm-whatsapp.exe"
!define PUBLISHER "CRM WhatsApp"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CRMWhatsApp"
!define SCHEME_KEY "Software\Classes\crm-whatsapp"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define POLICY_KEY "Software\Policies\CRM WhatsApp"
; The profile folder Profile.default() uses on Windows: %APPDATA%\crm-whatsapp.
!define PROFILE_DIR_NAME "crm-whatsapp"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "WordFunc.nsh"

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
BrandingText "${APP_NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1046 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1046 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1046 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1046 "FileDescription" "Instalador do ${APP_NAME}"
VIAddVersionKey /LANG=1046 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1046 "LegalCopyright" "${PUBLISHER}"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "PortugueseBR"

Var AllUsers
Var AutoStart
Var NoDesktop
Var Relay
Var Code
Var Purge

Function .onInit
  ${GetParameters} $R0
  StrCpy $AllUsers 0
  StrCpy $AutoStart 0
  StrCpy $NoDesktop 0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART" $R1
  ${IfNot} ${Errors}
    StrCpy $AutoStart 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NODESKTOP" $R1
  ${IfNot} ${Errors}
    StrCpy $NoDesktop 1
  ${EndIf}
  ${GetOptions} $R0 "/RELAY=" $Relay
  ${GetOptions} $R0 "/CODE=" $Code
  ; These values end up inside a quoted command line: refuse quotes.
  ClearErrors
  ${WordFind} '$Relay$Code' '"' "E#" $R2
  ${IfNot} ${Errors}
    MessageBox MB_ICONSTOP "Os valores de /RELAY e /CODE não podem ter aspas." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ${If} $Code != ""
  ${AndIf} $Relay == ""
    MessageBox MB_ICONSTOP "/CODE precisa de /RELAY=https://endereço-do-relay." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ${If} $Relay != ""
    StrCpy $R3 $Relay 8
    StrCpy $R4 $Relay 7
    ${If} $R3 != "https://"
    ${AndIf} $R4 != "http://"
      MessageBox MB_ICONSTOP "/RELAY deve começar com https://." /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
  ${EndIf}

  ${If} $AllUsers == 1
    UserInfo::GetAccountType
    Pop $R5
    ${If} $R5 != "Admin"
      MessageBox MB_ICONSTOP "/ALLUSERS instala para todos os usuários e precisa de um prompt de administrador." /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
    ; The code is single-use and enrolls one Windows user (the profile is in that
    ; user's %APPDATA%, the token in that user's Credential Manager): an elevated
    ; per-machine install runs as the administrator or SYSTEM, not the attendant.
    ${If} $Code != ""
      MessageBox MB_ICONSTOP "/CODE só vale na instalação por usuário; com /ALLUSERS use apenas /RELAY." /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
    SetShellVarContext all
    ; /D= given on the command line has already replaced $INSTDIR; keep it.
    ${If} $INSTDIR == "$LOCALAPPDATA\Programs\${APP_NAME}"
      StrCpy $INSTDIR "$PROGRAMFILES64\${APP_NAME}"
    ${EndIf}
  ${Else}
    SetShellVarContext current
    ${If} $Relay != ""
    ${AndIf} $Code == ""
      MessageBox MB_ICONSTOP "/RELAY na instalação por usuário precisa de /CODE (o código de ativação deste computador)." /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
  ${EndIf}
FunctionEnd

; An upgrade or uninstall replaces files the running inbox holds open: ask it to close as
; its "Sair" does and wait until its process has ended (crm-whatsapp quit, which does
; nothing when no inbox runs). It reaches the inbox of the user running this installer:
; per machine, other users' inboxes are asked by Windows' "files in use" prompt.
!macro CloseRunningInbox
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    DetailPrint "Fechando o CRM WhatsApp aberto…"
    nsExec::Exec '"$INSTDIR\${APP_EXE}" quit --timeout 30'
    Pop $R9
    ${If} $R9 != 0
      ; Silent: the deployment tool gets exit code 4 and the old version keeps running.
      ${IfNot} ${Cmd} `MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "O CRM WhatsApp continua aberto. Feche-o e clique em OK para continuar." /SD IDCANCEL IDOK`
        SetErrorLevel 4
        Quit
      ${EndIf}
    ${EndIf}
  ${EndIf}
!macroend

Section "CRM WhatsApp" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  !insertmacro CloseRunningInbox
  ; An update replaces the program; the history is in %APPDATA%, never here.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}"
  ${If} $NoDesktop == 0
    CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}"
  ${EndIf}

  ; SHCTX is HKCU per user and HKLM per machine (SetShellVarContext in .onInit).
  WriteRegStr SHCTX "${SCHEME_KEY}" "" "URL:${APP_NAME}"
  WriteRegStr SHCTX "${SCHEME_KEY}" "URL Protocol" ""
  WriteRegStr SHCTX "${SCHEME_KEY}\DefaultIcon" "" '"$INSTDIR\${APP_EXE}",0'
  WriteRegStr SHCTX "${SCHEME_KEY}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'

  ${If} $AutoStart == 1
    WriteRegStr SHCTX "${RUN_KEY}" "${APP_NAME}" '"$INSTDIR\${APP_EXE}"'
  ${Else}
    DeleteRegValue SHCTX "${RUN_KEY}" "${APP_NAME}"
  ${EndIf}

  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" '"$INSTDIR\${APP_EXE}",0'
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $R0 $R1 $R2
  IntFmt $R0 "0x%08X" $R0
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" "$R0"

  ${If} $AllUsers == 1
    ${If} $Relay != ""
      ; Machine policy: every user's set-up wizard starts with this address
      ; (crm_whatsapp/policy.py reads it; GPO may set the same value).
      WriteRegStr HKLM "${POLICY_KEY}" "RelayUrl" "$Relay"
    ${EndIf}
  ${ElseIf} $Code != ""
    DetailPrint "Conectando este computador ao relay $Relay…"
    ; The app's own command (its name on the relay: this computer's name); the
    ; profile and the keyring entry are this user's. Nobody reads a silent
    ; install's output: the recovery key is kept for the window to show.
    nsExec::ExecToLog '"$INSTDIR\${APP_EXE}" enroll "$Relay" "$Code" --defer-recovery-key'
    Pop $R0
    ${If} $R0 != 0
      DetailPrint "A ativação falhou ($R0); o CRM WhatsApp pedirá um código ao abrir."
      SetErrorLevel 3
    ${EndIf}
  ${EndIf}
SectionEnd

Function un.onInit
  ; Per machine when the HKLM entry points here; otherwise this user's install.
  ReadRegStr $R0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $R0 == $INSTDIR
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
  ${GetParameters} $R1
  StrCpy $Purge 0
  ClearErrors
  ${un.GetOptions} $R1 "/PURGE" $R2
  ${IfNot} ${Errors}
    StrCpy $Purge 1
  ${ElseIfNot} ${Silent}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 \
      "Apagar também o histórico de conversas deste usuário (criptografado, em %APPDATA%\${PROFILE_DIR_NAME})? Sem ele, as conversas só voltam baixando de novo do relay." \
      /SD IDNO IDNO keep
    StrCpy $Purge 1
    keep:
  ${EndIf}
FunctionEnd

Section "Uninstall"
  !insertmacro CloseRunningInbox
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  DeleteRegKey SHCTX "${SCHEME_KEY}"
  DeleteRegValue SHCTX "${RUN_KEY}" "${APP_NAME}"
  DeleteRegKey SHCTX "${UNINST_KEY}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  ; Not /r: a folder chosen with /D= may hold the user's own files.
  RMDir "$INSTDIR"
  ${If} $Purge == 1
    ; The user's profile (Profile.default() on Windows), never the install folder.
    SetShellVarContext current
    RMDir /r "$APPDATA\${PROFILE_DIR_NAME}"
  ${EndIf}
SectionEnd
