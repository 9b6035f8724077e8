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

# A real Secret Service for the desktop's keyring tests: gnome-keyring on a
# private D-Bus session bus (tests/desktop/conftest.py starts both itself).
# Installed only when missing, only as root, with one quiet `apt-get update`.
keyring_binaries_present() { have gnome-keyring-daemon && have dbus-daemon && have dbus-launch; }
if keyring_binaries_present; then
  echo "system-deps: gnome-keyring and D-Bus are installed"
elif [ "$(id -u 2>/dev/null)" = 0 ] && have apt-get; then
  echo "system-deps: installing gnome-keyring, dbus and dbus-x11 (apt-get)"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       gnome-keyring dbus dbus-x11 >/dev/null 2>&1 && keyring_binaries_present; then
    echo "system-deps: gnome-keyring and D-Bus are installed"
  else
    echo "system-deps: could not install gnome-keyring/dbus-x11 with apt-get; the keyring tests will skip (fail under CI=true)" >&2
  fi
else
  echo "system-deps: gnome-keyring/dbus-x11 missing; install them (as root: apt-get install gnome-keyring dbus-x11) or the keyring tests will skip (fail under CI=true)" >&2
fi
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
if qt_runtime_present; then
  echo "system-deps: Qt runtime libraries, fonts and Xvfb are installed"
elif [ "$(id -u 2>/dev/null)" = 0 ] && have apt-get; then
  echo "system-deps: installing Qt runtime libraries, fonts and Xvfb (apt-get)"
  # shellcheck disable=SC2086
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       $QT_PACKAGES >/dev/null 2>&1; then
    echo "system-deps: Qt runtime libraries, fonts and Xvfb are installed"
  else
    echo "system-deps: could not install the Qt runtime with apt-get; the window tests will fail" >&2
  fi
else
  echo "system-deps: Qt runtime libraries or Xvfb missing; as root: apt-get install $QT_PACKAGES" >&2
fi
# The desktop bundle and Linux package (make package/deb, tests/installer): strip trims the
# bundle, icupkg (with binutils' as/ld) trims Qt's ICU data (installer/bundle/trim_icu.py),
# dpkg-deb builds and unpacks the .deb, desktop-file-validate checks its entry.
deb_tools_present() {
  have strip && (have icupkg || [ -x /usr/sbin/icupkg ]) && have dpkg-deb && have desktop-file-validate
}
if deb_tools_present; then
  echo "system-deps: dpkg-deb, icu-devtools and desktop-file-utils are installed"
elif [ "$(id -u 2>/dev/null)" = 0 ] && have apt-get; then
  echo "system-deps: installing icu-devtools and desktop-file-utils (apt-get)"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       binutils icu-devtools dpkg desktop-file-utils >/dev/null 2>&1 && deb_tools_present; then
    echo "system-deps: dpkg-deb, icu-devtools and desktop-file-utils are installed"
  else
    echo "system-deps: could not install icu-devtools/desktop-file-utils with apt-get; make package will fail and the .deb tests will skip (fail under CI=true)" >&2
  fi
else
  echo "system-deps: strip/icupkg/dpkg-deb/desktop-file-validate missing; as root: apt-get install binutils icu-devtools dpkg desktop-file-utils" >&2
fi
# The bundle's NumPy is built from source without BLAS (installer/bundle/build_env.py):
# a C/C++ compiler and the headers of the Python that builds it.
PY_FOR_BUILD="${PYTHON:-python3}"
numpy_build_tools_present() {
  have gcc && have g++ &&
    [ -f "$("$PY_FOR_BUILD" -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)/Python.h" ]
}
if numpy_build_tools_present; then
  echo "system-deps: a C/C++ compiler and Python's headers are installed"
elif [ "$(id -u 2>/dev/null)" = 0 ] && have apt-get; then
  echo "system-deps: installing gcc, g++ and python3-dev (apt-get)"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       gcc g++ python3-dev >/dev/null 2>&1 && numpy_build_tools_present; then
    echo "system-deps: a C/C++ compiler and Python's headers are installed"
  else
    echo "system-deps: could not install gcc/g++/python3-dev with apt-get; make package will fail" >&2
  fi
else
  echo "system-deps: gcc, g++ or Python's headers missing; as root: apt-get install gcc g++ python3-dev" >&2
fi
# The relay's deployment files (tests/relay/test_deploy_files.py): `caddy validate`
# checks the Caddyfile, `systemd-analyze verify` the unit.
relay_deploy_tools_present() { have caddy && have systemd-analyze; }
if relay_deploy_tools_present; then
  echo "system-deps: caddy and systemd-analyze are installed"
elif [ "$(id -u 2>/dev/null)" = 0 ] && have apt-get; then
  echo "system-deps: installing caddy and systemd (apt-get)"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       caddy systemd >/dev/null 2>&1 && relay_deploy_tools_present; then
    echo "system-deps: caddy and systemd-analyze are installed"
  else
    echo "system-deps: could not install caddy/systemd with apt-get; the relay deployment tests will skip (fail under CI=true)" >&2
  fi
else
  echo "system-deps: caddy/systemd-analyze missing; as root: apt-get install caddy systemd" >&2
fi
# The Windows installers, built and signed on Linux (tests/installer/test_windows_*.py):
# makensis (nsis), wixl/wixl-heat (wixl), msiinfo/msiextract (msitools), osslsigncode,
# openssl for the throw-away test certificate, 7zz (7zip) to open the setup.exe, and
# SoftHSM with OpenSSL's PKCS#11 engine to sign with a key that never leaves a token.
windows_installer_tools_present() {
  have makensis && have wixl && have wixl-heat && have msiinfo && have msiextract &&
    have osslsigncode && have openssl && have 7zz && have softhsm2-util &&
    ls /usr/lib/*/engines-3/pkcs11.so >/dev/null 2>&1
}
WINDOWS_INSTALLER_PACKAGES="nsis wixl msitools osslsigncode openssl 7zip softhsm2 libengine-pkcs11-openssl"
if windows_installer_tools_present; then
  echo "system-deps: nsis, wixl, msitools, osslsigncode and 7zip are installed"
elif [ "$(id -u 2>/dev/null)" = 0 ] && have apt-get; then
  echo "system-deps: installing $WINDOWS_INSTALLER_PACKAGES (apt-get)"
  # shellcheck disable=SC2086
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       $WINDOWS_INSTALLER_PACKAGES >/dev/null 2>&1 && windows_installer_tools_present; then
    echo "system-deps: nsis, wixl, msitools, osslsigncode and 7zip are installed"
  else
    echo "system-deps: could not install $WINDOWS_INSTALLER_PACKAGES with apt-get; the Windows installer tests will skip (fail under CI=true)" >&2
  fi
else
  echo "system-deps: Windows installer tools missing; as root: apt-get install $WINDOWS_INSTALLER_PACKAGES" >&2
fi
exit 0
