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
exit 0
