#!/usr/bin/env bash
# Find or start what the test suite needs from the machine. Idempotent and quiet.
set -uo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

# PostgreSQL at 127.0.0.1:5432 (the relay's PostgreSQL backend is tested for real).
if have pg_isready && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if have pg_ctlcluster && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
fi
if have pg_isready && pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "system-deps: PostgreSQL is up at 127.0.0.1:5432"
else
  echo "system-deps: PostgreSQL is not reachable at 127.0.0.1:5432; its tests will say so" >&2
fi

# ensure LABEL CHECK "PACKAGES" CONSEQUENCE: says LABEL is installed when CHECK (a
# function) holds; otherwise installs PACKAGES, only as root and with apt-get, and says
# CONSEQUENCE if that fails or cannot be tried.
ensure() {
  local label="$1" check="$2" packages="$3" consequence="$4"
  if "$check"; then
    echo "system-deps: $label installed"
  elif [ "$(id -u 2>/dev/null)" = 0 ] && have apt-get; then
    echo "system-deps: installing $packages (apt-get)"
    # shellcheck disable=SC2086
    if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
         $packages >/dev/null 2>&1 && "$check"; then
      echo "system-deps: $label installed"
    else
      echo "system-deps: could not install $packages with apt-get; $consequence" >&2
    fi
  else
    echo "system-deps: $label missing (as root: apt-get install $packages); $consequence" >&2
  fi
}

# A real Secret Service for the desktop's keyring tests: gnome-keyring on a
# private D-Bus session bus (tests/desktop/conftest.py starts both itself).
keyring_binaries_present() { have gnome-keyring-daemon && have dbus-daemon && have dbus-launch; }
ensure "gnome-keyring and D-Bus are" keyring_binaries_present "gnome-keyring dbus dbus-x11" \
  "the keyring tests will skip (fail under CI=true)"

# The inbox window under test: Qt's offscreen and xcb platforms need these
# shared libraries, fonts to lay out text (a colour emoji font: customers write
# 👍🙏, previews show 📍📄🎤), and Xvfb for the screenshot test.
qt_runtime_present() {
  have xvfb-run && have Xvfb && have xauth &&
    ldconfig -p 2>/dev/null | grep -q 'libEGL.so.1' &&
    ldconfig -p 2>/dev/null | grep -q 'libxkbcommon-x11.so.0' &&
    ldconfig -p 2>/dev/null | grep -q 'libxcb-cursor.so.0' &&
    ldconfig -p 2>/dev/null | grep -q 'libfontconfig.so.1' &&
    [ -n "$(fc-list 2>/dev/null | head -n1)" ] &&
    fc-list 2>/dev/null | grep -qi 'Noto Color Emoji'
}
QT_PACKAGES="xvfb xauth libegl1 libgl1 libopengl0 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 \
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxrender1 libxi6 libdbus-1-3 \
  libglib2.0-0 libnss3 libasound2 libpulse0 fonts-dejavu-core fonts-noto-color-emoji fontconfig"
ensure "Qt runtime libraries, fonts and Xvfb are" qt_runtime_present "$QT_PACKAGES" \
  "the window tests will fail"

# The desktop bundle and Linux package (make package/deb, tests/installer): strip trims the
# bundle, icupkg (with binutils' as/ld) trims Qt's ICU data (installer/bundle/trim_icu.py),
# dpkg-deb builds and unpacks the .deb, desktop-file-validate checks its entry.
deb_tools_present() {
  have strip && (have icupkg || [ -x /usr/sbin/icupkg ]) && have dpkg-deb && have desktop-file-validate
}
ensure "dpkg-deb, icu-devtools and desktop-file-utils are" deb_tools_present \
  "binutils icu-devtools dpkg desktop-file-utils" \
  "make package will fail and the .deb tests will skip (fail under CI=true)"

# The bundle's NumPy is built from source without BLAS (installer/bundle/build_env.py):
# a C/C++ compiler and the headers of the Python that builds it.
PY_FOR_BUILD="${PYTHON:-python3}"
numpy_build_tools_present() {
  have gcc && have g++ &&
    [ -f "$("$PY_FOR_BUILD" -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)/Python.h" ]
}
ensure "a C/C++ compiler and Python's headers are" numpy_build_tools_present \
  "gcc g++ python3-dev" "make package will fail"

# The relay's deployment files (tests/relay/test_deploy_files.py): `caddy validate`
# checks the Caddyfile, `systemd-analyze verify` the unit.
relay_deploy_tools_present() { have caddy && have systemd-analyze; }
ensure "caddy and systemd-analyze are" relay_deploy_tools_present "caddy systemd" \
  "the relay deployment tests will skip (fail under CI=true)"

# The Windows installers, built and signed on Linux (tests/installer/test_windows_*.py):
# makensis (nsis), wixl/wixl-heat (wixl), msiinfo/msiextract (msitools), osslsigncode,
# openssl for the throw-away test certificate, 7zz (7zip) to open the setup.exe, and
# SoftHSM with OpenSSL's PKCS#11 engine to sign with a key that never leaves a token.
windows_installer_tools_present() {
  have makensis && have wixl && have wixl-heat && have msiinfo && have msiextract &&
    have osslsigncode && have openssl && have 7zz && have softhsm2-util &&
    ls /usr/lib/*/engines-3/pkcs11.so >/dev/null 2>&1
}
ensure "nsis, wixl, msitools, osslsigncode and 7zip are" windows_installer_tools_present \
  "nsis wixl msitools osslsigncode openssl 7zip softhsm2 libengine-pkcs11-openssl" \
  "the Windows installer tests will skip (fail under CI=true)"
exit 0
