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
exit 0
