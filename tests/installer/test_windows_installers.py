"""The Windows installers, built here as the release job builds them, then opened up.

The Windows bundle cannot be built on Linux (PyInstaller is no cross-compiler), so
both installers are compiled against a synthetic tree laid out like it
(``crm-whatsapp.exe``, ``_internal/…``): what is proved is the installer logic, the
registry rows, what gets copied and the signatures, not the installer's size.
Every command here is one ``.github/workflows/windows.yml`` runs on the real bundle.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

from crm_whatsapp.cli import build_parser
from crm_whatsapp.profile import APP_NAME as PROFILE_FOLDER

CHECKOUT = Path(__file__).resolve().parents[2]
WINDOWS = CHECKOUT / "installer" / "windows"
BUILD = WINDOWS / "build.py"
SIGN = WINDOWS / "sign.sh"
ICON = CHECKOUT / "resources" / "icons" / "app.ico"
VERSION = "0.1.0"


def tool(name: str) -> str:
    """The tool's path; skips without it, fails under CI=true (tools/system-deps.sh installs it)."""
    found = shutil.which(name)
    if found:
        return found
    unavailable(name)


def unavailable(what: str) -> NoReturn:
    message = f"{what} is not installed: run tools/system-deps.sh (as root)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


# A tree laid out like PyInstaller's one-folder Windows build, with a name that needs
# quoting (a space, an accent) to catch path handling.
TREE = {
    "crm-whatsapp.exe": b"MZ\x90\x00 synthetic launcher " + bytes(range(256)),
    "_internal/base_library.zip": b"PK\x05\x06" + b"\x00" * 18,
    "_internal/python311.dll": b"MZ python " * 50,
    "_internal/PySide6/Qt6Core.dll": b"MZ qt core " * 50,
    "_internal/resources/translations/crm_whatsapp_en.qm": b"\x3c\xb8\x64\x18 qm",
    "_internal/resources/icons/ícone do app.png": b"\x89PNG\r\n\x1a\n",
}


@pytest.fixture(scope="module")
def windows_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("win-bundle") / "crm-whatsapp"
    for name, data in TREE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture(scope="module")
def installers(windows_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``build.py`` exactly as the workflow runs it: both installers into one folder."""
    tool("makensis"), tool("wixl"), tool("wixl-heat")
    out = tmp_path_factory.mktemp("installers")
    built = subprocess.run(
        [sys.executable, str(BUILD), "--bundle", str(windows_tree), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    exe, msi = out / f"crm-whatsapp-{VERSION}-setup.exe", out / f"crm-whatsapp-{VERSION}.msi"
    assert exe.is_file() and msi.is_file(), built.stdout
    return {"exe": exe, "msi": msi}


def _tree_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# -- NSIS ------------------------------------------------------------------------------


def test_setup_exe_copies_the_whole_bundle_and_an_uninstaller(
    installers: dict[str, Path], tmp_path: Path
) -> None:
    exe = installers["exe"]
    assert exe.read_bytes()[:2] == b"MZ"
    listing = subprocess.run(
        [tool("7zz"), "l", str(exe)], capture_output=True, text=True, check=True
    ).stdout
    assert "NSIS-3 Unicode" in listing
    subprocess.run(
        [tool("7zz"), "x", "-y", f"-o{tmp_path}", str(exe)], capture_output=True, check=True
    )
    files = _tree_files(tmp_path)
    for name, data in TREE.items():
        assert files.get(name) == data, name
    assert files["uninstall.exe"][:2] == b"MZ"


def _preprocessed_script(bundle: Path) -> str:
    """The script with every !define and !include resolved: what makensis compiles."""
    result = subprocess.run(
        [
            tool("makensis"),
            "-PPO",
            f"-DVERSION={VERSION}",
            f"-DBUNDLE_DIR={bundle}",
            f"-DICON={ICON}",
            str(WINDOWS / "crm-whatsapp.nsi"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_nsis_installs_per_user_with_scheme_shortcuts_and_quiet_uninstall(
    windows_tree: Path,
) -> None:
    script = _preprocessed_script(windows_tree)
    lines = {line.strip() for line in script.splitlines()}
    assert "RequestExecutionLevel user" in lines  # no admin rights by default
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\CRM WhatsApp"' in lines
    # SHCTX is HKCU unless /ALLUSERS switched the shell context to all users.
    scheme = 'WriteRegStr SHCTX "Software\\Classes\\crm-whatsapp'
    assert f'{scheme}" "" "URL:CRM WhatsApp"' in lines
    assert f'{scheme}" "URL Protocol" ""' in lines
    assert f'{scheme}\\DefaultIcon" "" \'"$INSTDIR\\crm-whatsapp.exe",0\'' in lines
    assert f'{scheme}\\shell\\open\\command" "" \'"$INSTDIR\\crm-whatsapp.exe" "%1"\'' in lines
    uninstall = 'WriteRegStr SHCTX "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\'
    assert (
        f'{uninstall}CRMWhatsApp" "QuietUninstallString" \'"$INSTDIR\\uninstall.exe" /S\'' in lines
    )
    assert (
        'CreateShortcut "$SMPROGRAMS\\CRM WhatsApp\\CRM WhatsApp.lnk" "$INSTDIR\\crm-whatsapp.exe"'
        in lines
    )
    assert 'CreateShortcut "$DESKTOP\\CRM WhatsApp.lnk" "$INSTDIR\\crm-whatsapp.exe"' in lines
    assert (
        'WriteRegStr SHCTX "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "CRM WhatsApp" '
        "'\"$INSTDIR\\crm-whatsapp.exe\"'" in lines
    )


def _enroll_args(argv: list[str]) -> argparse.Namespace:
    """The installer's command line, as the installed app's own parser reads it."""
    args = build_parser().parse_args(argv)
    assert args.command == "enroll"
    return args


def test_nsis_silent_install_enrolls_and_uninstall_keeps_the_history(windows_tree: Path) -> None:
    script = _preprocessed_script(windows_tree)
    lines = [line.strip() for line in script.splitlines()]
    # The installed app's own enroll (crm_whatsapp/cli.py: enroll RELAY_URL CODE), with the
    # recovery key kept for the attendant's first start: nobody reads a silent install.
    command = '"$INSTDIR\\crm-whatsapp.exe" enroll "$Relay" "$Code" --defer-recovery-key'
    assert f"nsExec::ExecToLog '{command}'" in lines
    assert _enroll_args(shlex.split(command)[1:]).defer_recovery_key
    for switch in ("/RELAY=", "/CODE=", "/ALLUSERS", "/AUTOSTART", "/NODESKTOP"):
        assert re.search(rf"\bPush `?{re.escape(switch)}`?\s*$", script, re.M), switch
    # A per-machine install writes the address as machine policy (crm_whatsapp/policy.py).
    assert 'WriteRegStr HKLM "Software\\Policies\\CRM WhatsApp" "RelayUrl" "$Relay"' in lines

    uninstall = "\n".join(lines[lines.index('Section "Uninstall"') :])
    # The history is Profile.default() on Windows, %APPDATA%\crm-whatsapp: removed only
    # behind the purge flag, and the install folder is never removed recursively.
    purge = f'RMDir /r "$APPDATA\\{PROFILE_FOLDER}"'
    assert purge in uninstall
    source = (WINDOWS / "crm-whatsapp.nsi").read_text(encoding="utf-8")
    guarded = r"\$\{If\} \$Purge == 1\s+(;[^\n]*\n\s*)*SetShellVarContext current\s+"
    assert re.search(guarded + r'RMDir /r "\$APPDATA\\\$\{PROFILE_DIR_NAME\}"', source)
    assert 'RMDir /r "$INSTDIR"' not in uninstall
    assert re.search(r"\bPush `?/PURGE`?\s*$", script, re.M)


def test_nsis_refuses_to_compile_without_the_bundle(tmp_path: Path) -> None:
    (tmp_path / "_internal").mkdir()
    result = subprocess.run(
        [
            tool("makensis"),
            f"-DVERSION={VERSION}",
            f"-DBUNDLE_DIR={tmp_path}",
            f"-DOUT_FILE={tmp_path / 'setup.exe'}",
            str(WINDOWS / "crm-whatsapp.nsi"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "crm-whatsapp.exe is missing: build the Windows bundle first" in result.stderr
    assert not (tmp_path / "setup.exe").exists()


# -- MSI -------------------------------------------------------------------------------


def _table(msi: Path, name: str) -> list[list[str]]:
    """One MSI table as rows of columns (``msiinfo export``: 3 header lines, tab-separated)."""
    text = subprocess.run(
        [tool("msiinfo"), "export", str(msi), name], capture_output=True, text=True, check=True
    ).stdout
    return [line.split("\t") for line in text.splitlines()[3:]]


def test_msi_registers_the_scheme_per_user(installers: dict[str, Path]) -> None:
    msi = installers["msi"]
    registry = {(row[1], row[2], row[3]): row[4] for row in _table(msi, "Registry")}
    hkcu = "1"  # msidbRegistryRootCurrentUser
    assert registry[(hkcu, "Software\\Classes\\crm-whatsapp\\", "")] == "URL:CRM WhatsApp"
    assert registry[(hkcu, "Software\\Classes\\crm-whatsapp\\", "URL Protocol")] == ""
    assert (
        registry[(hkcu, "Software\\Classes\\crm-whatsapp\\DefaultIcon", "")]
        == '"[INSTALLDIR]crm-whatsapp.exe",0'
    )
    assert (
        registry[(hkcu, "Software\\Classes\\crm-whatsapp\\shell\\open\\command", "")]
        == '"[INSTALLDIR]crm-whatsapp.exe" "%1"'
    )
    run_key = (hkcu, "Software\\Microsoft\\Windows\\CurrentVersion\\Run", "CRM WhatsApp")
    assert registry[run_key] == '"[INSTALLDIR]crm-whatsapp.exe"'
    assert all(root == hkcu for root, _key, _name in registry)  # nothing needs admin rights

    directories = {row[0]: (row[1], row[2]) for row in _table(msi, "Directory")}
    assert directories["INSTALLDIR"] == ("ProgramsFolder", "CRM WhatsApp")
    assert directories["ProgramsFolder"] == ("LocalAppDataFolder", "Programs")
    properties = {row[0]: row[1] for row in _table(msi, "Property")}
    assert "ALLUSERS" not in properties  # per user
    assert properties["ProductVersion"] == VERSION
    shortcuts = {row[1] for row in _table(msi, "Shortcut")}
    assert shortcuts == {"AppMenuFolder", "DesktopFolder"}


def test_msi_enrolls_with_relayurl_and_enrollcode(installers: dict[str, Path]) -> None:
    msi = installers["msi"]
    actions = {row[0]: row for row in _table(msi, "CustomAction")}
    enroll = actions["EnrollThisPC"]
    assert int(enroll[1]) & 0x3F == 18  # an exe installed by this package (File table key)
    assert int(enroll[1]) & 0x400 == 0  # immediate: runs as the installing user
    assert enroll[2] == "AppExe"
    assert enroll[3] == 'enroll "[RELAYURL]" "[ENROLLCODE]" --defer-recovery-key'
    assert _enroll_args(shlex.split(enroll[3])).defer_recovery_key
    files = {row[0]: row[2] for row in _table(msi, "File")}
    assert files["AppExe"] == "crm-whatsapp.exe"

    sequence = {row[0]: (row[1], int(row[2])) for row in _table(msi, "InstallExecuteSequence")}
    condition, position = sequence["EnrollThisPC"]
    assert condition == "RELAYURL AND ENROLLCODE AND NOT Installed"
    assert position > sequence["InstallFinalize"][1]  # the files are in place by then
    # AUTOSTART=1 raises INSTALLLEVEL so the start-with-Windows feature is installed.
    assert actions["WantAutoStart"][2:4] == ["INSTALLLEVEL", "1000"]
    assert sequence["WantAutoStart"][0] == 'AUTOSTART = "1"'
    assert sequence["WantAutoStart"][1] < sequence["CostFinalize"][1]
    features = {row[0]: int(row[5]) for row in _table(msi, "Feature")}
    assert features == {"Main": 1, "AutoStart": 1000}


def test_both_installers_close_the_running_inbox_before_replacing_its_files(
    windows_tree: Path, installers: dict[str, Path]
) -> None:
    """The installed app's own `quit` (crm_whatsapp/cli.py), before files are touched."""
    lines = [line.strip() for line in _preprocessed_script(windows_tree).splitlines()]
    command = '"$INSTDIR\\crm-whatsapp.exe" quit --timeout 30'
    asked = [n for n, line in enumerate(lines) if line == f"nsExec::Exec '{command}'"]
    install, uninstall = (
        lines.index('Section "CRM WhatsApp" SecMain'),
        lines.index('Section "Uninstall"'),
    )
    removes = [n for n, line in enumerate(lines) if line.startswith('RMDir /r "$INSTDIR\\_')]
    assert len(asked) == 2 and install < asked[0] < removes[0] < uninstall < asked[1] < removes[1]
    assert build_parser().parse_args(shlex.split(command)[1:]).command == "quit"

    msi = installers["msi"]
    actions = {row[0]: row for row in _table(msi, "CustomAction")}
    close, find = actions["CloseRunningInbox"], actions["FindRunningInbox"]
    kind = int(close[1])
    assert kind & 0x3F == 50  # an exe named by a property: the one already installed
    assert kind & 0x40  # its result ignored: Windows Installer's files-in-use check follows
    assert kind & 0x400 == 0  # immediate: as the installing user, whose inbox it closes
    assert close[2:4] == ["INSTALLEDEXE", "quit --timeout 30"]
    assert int(find[1]) & 0x3F == 51  # sets the property to the installed exe's path
    assert find[2:4] == ["INSTALLEDEXE", "[INSTALLDIR]crm-whatsapp.exe"]
    sequence = {row[0]: (row[1], int(row[2])) for row in _table(msi, "InstallExecuteSequence")}
    for name in ("FindRunningInbox", "CloseRunningInbox"):
        assert sequence[name][0] == "WIX_UPGRADE_DETECTED OR Installed"
    order = [
        sequence[name][1]
        for name in (
            "FindRelatedProducts", "CostFinalize", "FindRunningInbox", "CloseRunningInbox",
            "InstallValidate", "InstallFiles",
        )
    ]  # fmt: skip
    assert order == sorted(order), order
    # The upgrade property is the one the package's own upgrade search sets.
    assert "WIX_UPGRADE_DETECTED" in {row[6] for row in _table(msi, "Upgrade")}  # ActionProperty


def test_msi_carries_the_whole_bundle(installers: dict[str, Path], tmp_path: Path) -> None:
    subprocess.run(
        [tool("msiextract"), "-C", str(tmp_path), str(installers["msi"])],
        capture_output=True,
        check=True,
    )
    (root,) = [p.parent for p in tmp_path.rglob("crm-whatsapp.exe")]
    assert root.name == "CRM WhatsApp"
    assert _tree_files(root) == TREE


# -- signing ---------------------------------------------------------------------------


def _test_certificate(folder: Path) -> tuple[Path, Path]:
    """A throw-away code-signing certificate: (PKCS#12 file, its certificate as PEM)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CRM WhatsApp test signer")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .sign(key, hashes.SHA256())
    )
    p12 = folder / "signer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, None, serialization.BestAvailableEncryption(b"s3nha de teste")
        )
    )
    pem = folder / "signer.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return p12, pem


def _verify(path: Path, ca: Path | None) -> subprocess.CompletedProcess[str]:
    command = [tool("osslsigncode"), "verify", "-in", str(path)]
    if ca is not None:
        command += ["-CAfile", str(ca)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_sign_script_signs_both_installers_and_the_signature_verifies(
    installers: dict[str, Path], tmp_path: Path
) -> None:
    tool("osslsigncode")
    p12, pem = _test_certificate(tmp_path)
    copies = [Path(shutil.copy(installers[kind], tmp_path)) for kind in ("exe", "msi")]
    env = {
        **os.environ,
        "SIGN_PKCS12": str(p12),
        "SIGN_PKCS12_PASSWORD": "s3nha de teste",
        "SIGN_CA_FILE": str(pem),
    }
    signed = subprocess.run(
        ["bash", str(SIGN), *map(str, copies)], env=env, capture_output=True, text=True, check=False
    )
    assert signed.returncode == 0, signed.stderr
    assert "s3nha" not in signed.stdout + signed.stderr
    for path in copies:
        result = _verify(path, pem)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Signature verification: ok" in result.stdout
        assert "CRM WhatsApp test signer" in result.stdout
        # Not trusted by a machine that does not trust this test certificate.
        assert _verify(path, None).returncode != 0

    # One byte changed after signing: the signature no longer holds.
    exe = copies[0]
    data = bytearray(exe.read_bytes())
    data[len(data) // 3] ^= 0xFF
    exe.write_bytes(bytes(data))
    tampered = _verify(exe, pem)
    assert tampered.returncode != 0
    assert "Signature verification: ok" not in tampered.stdout


def test_sign_script_test_certificate_mode_and_refusal_without_a_key(
    installers: dict[str, Path], tmp_path: Path
) -> None:
    tool("osslsigncode"), tool("openssl")
    exe = Path(shutil.copy(installers["exe"], tmp_path))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGN_")}
    refused = subprocess.run(
        ["bash", str(SIGN), str(exe)], env=env, capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0
    assert "no signing key" in refused.stderr
    assert _verify(exe, None).stdout.count("Signature verification: ok") == 0

    signed = subprocess.run(
        ["bash", str(SIGN), "--test-cert", str(exe)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert signed.returncode == 0, signed.stderr
    assert f"signed and verified: {exe}" in signed.stdout
    assert "TEST certificate" in signed.stderr
    assert "not for release" in _verify(exe, None).stdout  # the subject says what it is


def test_sign_script_signs_with_a_key_that_stays_in_a_pkcs11_token(
    installers: dict[str, Path], tmp_path: Path
) -> None:
    """The release path: the key lives in a token (SoftHSM here, a cloud HSM or USB token
    for the real certificate) and is used through its PKCS#11 module, never exported."""
    tool("osslsigncode"), tool("openssl"), tool("softhsm2-util")
    modules = [
        *Path("/usr/lib").glob("softhsm/libsofthsm2.so"),
        *Path("/usr/lib").glob("*/softhsm/libsofthsm2.so"),
    ]
    module = modules[0] if modules else None
    if module is None or not list(Path("/usr/lib").glob("*/engines-3/pkcs11.so")):
        unavailable("softhsm2 or libengine-pkcs11-openssl")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGN_")}
    env["SOFTHSM2_CONF"] = str(conf)

    def run(*command: str) -> None:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    run("softhsm2-util", "--init-token", "--free", "--label", "release", "--pin", "1234",
        "--so-pin", "4321")  # fmt: skip
    _p12, pem = _test_certificate(tmp_path)
    key = tmp_path / "key.pem"
    run("openssl", "pkcs12", "-in", str(_p12), "-nocerts", "-nodes", "-passin",
        "pass:s3nha de teste", "-out", str(key))  # fmt: skip
    run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", str(key), "-out", str(tmp_path / "k8"))
    run("softhsm2-util", "--import", str(tmp_path / "k8"), "--token", "release", "--label",
        "signer", "--id", "01", "--pin", "1234")  # fmt: skip
    key.unlink()
    (tmp_path / "k8").unlink()  # from here on the key exists only inside the token

    msi = Path(shutil.copy(installers["msi"], tmp_path))
    env.update(
        SIGN_PKCS11_MODULE=str(module),
        SIGN_KEY_URI="pkcs11:token=release;object=signer;type=private;pin-value=1234",
        SIGN_CERTS=str(pem),
        SIGN_CA_FILE=str(pem),
    )
    signed = subprocess.run(
        ["bash", str(SIGN), str(msi)], env=env, capture_output=True, text=True, check=False
    )
    assert signed.returncode == 0, signed.stderr
    result = _verify(msi, pem)
    assert "Signature verification: ok" in result.stdout, result.stdout + result.stderr
