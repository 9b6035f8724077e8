"""``crm-whatsapp-relay``: serve, devices, check, migrate, backup and restore, the simulator.

Errors print one English sentence on stderr and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from relay.config import ConfigError, Settings


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    from relay.db import create_schema, make_engine

    engine = make_engine(settings.resolved_database_url())
    create_schema(engine)
    return engine


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """``serve``: run the relay in the foreground until interrupted.

    Refuses to start without Meta's secrets (:class:`ConfigError`, exit 2);
    ``--host`` and ``--port`` override the environment's.
    """
    from relay.logs import setup_logging
    from relay.server import serve

    settings.require_serving_secrets()
    if args.host or args.port:
        settings = Settings(
            **{
                **settings.__dict__,
                "host": args.host or settings.host,
                "port": args.port or settings.port,
            }
        )
    setup_logging(args.log_level)
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    serve(settings)
    return 0


# ``device add --count``: a big office at once, not a typo that fills the table.
MAX_DEVICES_AT_ONCE = 500


def cmd_device_add(args: argparse.Namespace, settings: Settings) -> int:
    """``device add NAME``: create a pending device and print its one-time code.

    The code is shown this once (only its hash is stored); a name with control
    characters exits 2. ``--count N`` makes N devices named "NAME 01".."NAME N"
    (one code per PC, for IT's silent installs) and ``--json`` then prints a list.
    """
    from relay.devices import BadDeviceName, add_device
    from relay.textcheck import for_terminal

    if args.count is not None and not 1 <= args.count <= MAX_DEVICES_AT_ONCE:
        print(f"--count must be between 1 and {MAX_DEVICES_AT_ONCE}.", file=sys.stderr)
        return 2
    if args.count is None:
        names = [args.name]
    else:
        width = len(str(args.count))
        names = [f"{args.name} {n:0{width}d}" for n in range(1, args.count + 1)]
    engine = _engine(settings)
    made = []
    for name in names:
        try:
            device, code, expires = add_device(engine, name)
        except BadDeviceName:
            print("A device name must be text without control characters.", file=sys.stderr)
            return 2
        made.append(
            {
                "device_id": device.id,
                "name": device.name,
                "code": code,
                "expires_at": dt.datetime.fromtimestamp(expires, dt.UTC).isoformat(),
            }
        )
        if not args.json:
            print(f"Device {device.id} ({for_terminal(device.name)}) created.")
            print(f"Enrollment code: {code}")
            print(f"Valid once, until {_when(expires)}.")
    if args.json:
        print(json.dumps(made if args.count is not None else made[0]))
    return 0


def cmd_device_list(args: argparse.Namespace, settings: Settings) -> int:
    """``device list``: a table, or JSON with ``--json``; names are made terminal-safe."""
    from relay.devices import list_devices
    from relay.textcheck import for_terminal

    rows = list_devices(_engine(settings))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "device_id": d.id,
                        "name": d.name,
                        "state": d.state,
                        "acked_seq": d.acked_seq,
                        "created_at": d.created_at,
                        "enrolled_at": d.enrolled_at,
                        "revoked_at": d.revoked_at,
                        "last_seen_at": d.last_seen_at,
                    }
                    for d in rows
                ]
            )
        )
        return 0
    if not rows:
        print("No devices. Add one with: crm-whatsapp-relay device add NAME")
        return 0
    print(f"{'ID':<10}{'STATE':<10}{'ACKED':>8}  {'LAST SEEN':<22}NAME")
    for d in rows:
        name = for_terminal(d.name)
        print(f"{d.id:<10}{d.state:<10}{d.acked_seq:>8}  {_when(d.last_seen_at):<22}{name}")
    return 0


def cmd_device_revoke(args: argparse.Namespace, settings: Settings) -> int:
    """``device revoke ID``: exit 1 when there is no such device.

    A running relay closes the device's streams within a second: it polls for
    revocations, so this works from another host or while it serves.
    """
    from relay.devices import revoke

    if not revoke(_engine(settings), args.device_id):
        print(f"No device with id {args.device_id}.", file=sys.stderr)
        return 1
    print(f"Device {args.device_id} revoked; its connections close within a second.")
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """``check``: one line per check of this configuration; exit 0 when all hold."""
    from relay.check import main as run_checks

    return run_checks(settings)


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """``migrate``: bring the database to this release's schema, as every start does."""
    from relay.migrate import head_revision

    _engine(settings).dispose()
    print(f"The relay database is at schema revision {head_revision()}.")
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """``backup PATH``: an online copy of the SQLite log; PostgreSQL is told to use pg_dump."""
    from relay.backup import BackupError, backup_sqlite, sqlite_file

    try:
        result = backup_sqlite(sqlite_file(settings.resolved_database_url()), Path(args.path))
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(
        f"Backed up the relay database to {result.path} "
        f"({result.size / 1e6:.1f} MB, events up to seq {result.head_seq}, integrity ok)."
    )
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """``restore [BACKUP]``: put a SQLite backup in place (the relay stopped).

    On PostgreSQL, after ``pg_restore``, it takes no path and only moves the
    seq counter past the events the backup lacks.
    """
    from relay.backup import (
        BackupError,
        restore_sqlite,
        skip_seqs_after_pg_restore,
        sqlite_file,
    )

    url = settings.resolved_database_url()
    try:
        if args.backup is None:
            if not url.startswith("postgres"):
                print(
                    "Give the backup file to restore: crm-whatsapp-relay restore PATH.",
                    file=sys.stderr,
                )
                return 2
            head = skip_seqs_after_pg_restore(url)
            print(
                f"The restored PostgreSQL log (events up to seq {head}) is ready; start the relay."
            )
            return 0
        if url.startswith("postgres"):
            print(
                "The relay's database is PostgreSQL: restore the dump with pg_restore, then run "
                "crm-whatsapp-relay restore with no path.",
                file=sys.stderr,
            )
            return 2
        result = restore_sqlite(Path(args.backup), sqlite_file(url))
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(
        f"Restored {args.backup} to {result.path} (events up to seq {result.head_seq}); "
        "start the relay: desktops resume, and replay if they had newer events."
    )
    return 0


def cmd_simulator(args: argparse.Namespace, settings: Settings) -> int:
    """``simulator``: run the Meta simulator in the foreground.

    It takes the relay's app secret and access token from the environment (demo
    values when unset), so a relay started with the same environment accepts
    its webhooks and is accepted by its Graph API.
    """
    from relay.simulator.server import run_simulator

    run_simulator(
        host=args.host,
        port=args.port,
        webhook_url=args.webhook_url,
        app_secret=settings.app_secret or "demo-app-secret",
        access_token=settings.access_token or "demo-access-token",
        customers_per_minute=args.customers_per_minute,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line; each subcommand sets ``func`` to its ``cmd_*`` handler."""
    parser = argparse.ArgumentParser(
        prog="crm-whatsapp-relay",
        description="Relay Meta's WhatsApp webhooks to the crm-whatsapp desktops.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the relay (HTTP and websocket)")
    serve.add_argument("--host", help="overrides RELAY_HOST")
    serve.add_argument("--port", type=int, help="overrides RELAY_PORT")
    serve.add_argument("--log-level", default="INFO")
    serve.set_defaults(func=cmd_serve)

    device = sub.add_parser("device", help="enroll, list and revoke desktops")
    dsub = device.add_subparsers(dest="device_command", required=True)
    add = dsub.add_parser("add", help="create a device and print its one-time code")
    add.add_argument("name")
    add.add_argument(
        "--json",
        action="store_true",
        help="print {code, expires_at, ...} (a list of them with --count)",
    )
    add.add_argument(
        "--count",
        type=int,
        metavar="N",
        help='create N devices, "NAME 01".."NAME N", one code each (for silent installs)',
    )
    add.set_defaults(func=cmd_device_add)
    lst = dsub.add_parser("list", help="list devices")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_device_list)
    rev = dsub.add_parser("revoke", help="revoke a device; its streams close at once")
    rev.add_argument("device_id")
    rev.set_defaults(func=cmd_device_revoke)

    check = sub.add_parser(
        "check", help="validate the configuration: secrets, database, Graph token, folders"
    )
    check.set_defaults(func=cmd_check)
    migrate = sub.add_parser("migrate", help="bring the database to this release's schema")
    migrate.set_defaults(func=cmd_migrate)
    backup = sub.add_parser(
        "backup", help="copy the SQLite database while the relay serves (PostgreSQL: pg_dump)"
    )
    backup.add_argument("path", help="the backup file (or a folder to put a dated one in)")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="put a SQLite backup in place (stop the relay first); PostgreSQL: after pg_restore",
    )
    restore.add_argument(
        "backup", nargs="?", help="a file written by `backup` (none on PostgreSQL)"
    )
    restore.set_defaults(func=cmd_restore)

    sim = sub.add_parser("simulator", help="run the Meta simulator (customers + Graph API)")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8900)
    sim.add_argument("--webhook-url", default="http://127.0.0.1:8000/webhook")
    sim.add_argument("--customers-per-minute", type=float, default=6.0)
    sim.set_defaults(func=cmd_simulator)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit status 0, 1 (failed), 2 (bad settings or input) or 130 (^C).

    Any failure prints one sentence naming its kind, never a traceback or data.
    """
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return int(args.func(args, settings))
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one sentence, never a traceback
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            print("The relay database cannot be opened; check RELAY_DATABASE_URL.", file=sys.stderr)
        else:
            print(f"The command failed: {type(exc).__name__}.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
