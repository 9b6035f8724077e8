"""``crm-whatsapp-relay check``: is this configuration ready to serve?

An admin runs it after editing the environment, before (re)starting the relay,
and CI runs it after deploying. Each check prints one line; a failure is one
English sentence that names the fix, never a traceback or a secret. The exit
status is 0 only when every check holds: a check that cannot be made here
(Meta's Graph API unreachable from this host) is reported as skipped and does
not fail the run, since the relay itself retries Graph and this host may be
offline on purpose while it is set up.

Nothing is left changed: the SQLite file is not created, the schema is not
migrated (``crm-whatsapp-relay migrate`` does that), a folder's writability is
tried with a temporary file removed at once, and nothing is sent to Meta but
one read of the token's own identity.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from relay.config import Settings
from relay.db import normalise_url
from relay.migrate import alembic_config, current_revision, head_revision

OK = "ok"
FAIL = "FAIL"
SKIP = "skip"

GRAPH_TIMEOUT = 10.0
DB_CONNECT_TIMEOUT = 5


@dataclass(frozen=True)
class Result:
    """One line of the report: which check, its outcome, one sentence."""

    name: str
    outcome: str  # OK, FAIL or SKIP
    sentence: str

    def line(self) -> str:
        return f"{self.outcome:<5} {self.name}: {self.sentence}"


def check_secrets(settings: Settings) -> Result:
    """The three secrets ``serve`` refuses to start without."""
    missing = [
        name
        for name, value in (
            ("WHATSAPP_APP_SECRET", settings.app_secret),
            ("WHATSAPP_VERIFY_TOKEN", settings.verify_token),
            ("WHATSAPP_ACCESS_TOKEN", settings.access_token),
        )
        if not value
    ]
    if missing:
        names = ", ".join(missing)
        verb = "is" if len(missing) == 1 else "are"
        return Result(
            "secrets",
            FAIL,
            f"{names} {verb} not set: put the value from Meta's App Dashboard in the "
            "relay's environment file (or .env) and run check again.",
        )
    return Result(
        "secrets",
        OK,
        "WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN and WHATSAPP_ACCESS_TOKEN are set.",
    )


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    return Path(parsed.database or "")


def _describe(url: str) -> str:
    """The database as an admin recognises it, without its password."""
    path = _sqlite_path(url)
    if path is not None:
        return f"SQLite {path}"
    parsed = make_url(url)
    return f"PostgreSQL {parsed.database} on {parsed.host or 'localhost'}:{parsed.port or 5432}"


def _open(url: str) -> Engine:
    """A plain engine: no WAL switch, no migration, nothing written."""
    url = normalise_url(url)
    if url.startswith("postgresql"):
        return create_engine(url, connect_args={"connect_timeout": DB_CONNECT_TIMEOUT})
    return create_engine(url, connect_args={"timeout": DB_CONNECT_TIMEOUT})


def known_revisions() -> set[str]:
    """Every revision this release ships, to tell an old database from a newer one."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def check_database(settings: Settings) -> Result:
    """Reachable, and at this release's newest schema revision."""
    url = settings.resolved_database_url()
    where = _describe(url)
    path = _sqlite_path(url)
    if path is not None and not path.is_file():
        return Result(
            "database",
            FAIL,
            f"{where} does not exist yet: run `crm-whatsapp-relay migrate` (or start the "
            "relay once) to create it, then run check again.",
        )
    try:
        engine = _open(url)
    except (SQLAlchemyError, ValueError, ImportError):
        return Result(
            "database",
            FAIL,
            "RELAY_DATABASE_URL is not a database URL the relay understands: use "
            "postgresql://USER:PASSWORD@HOST:5432/NAME or sqlite:////path/to/relay.db.",
        )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            found = current_revision(connection)
    except SQLAlchemyError:
        if path is not None:
            return Result(
                "database",
                FAIL,
                f"{where} cannot be read as a database: restore it from a backup "
                "(`crm-whatsapp-relay restore`) or point RELAY_DATABASE_URL at the right file.",
            )
        return Result(
            "database",
            FAIL,
            f"{where} cannot be opened: check that the server runs and that the host, port, "
            "user, password and database name in RELAY_DATABASE_URL are right.",
        )
    finally:
        engine.dispose()
    head = head_revision()
    if found == head:
        return Result("database", OK, f"{where} is reachable and at schema revision {head}.")
    if found is None:
        return Result(
            "database",
            FAIL,
            f"{where} has no relay schema yet: run `crm-whatsapp-relay migrate` (or start the "
            "relay once) and run check again.",
        )
    if found not in known_revisions():
        return Result(
            "database",
            FAIL,
            f"{where} is at schema revision {found}, newer than this release knows: install "
            "the release that wrote it (or restore a backup taken before the upgrade).",
        )
    return Result(
        "database",
        FAIL,
        f"{where} is at schema revision {found}, older than this release's {head}: run "
        "`crm-whatsapp-relay migrate` (or start the relay, which migrates) after a backup.",
    )


def check_graph(settings: Settings) -> Result:
    """Meta accepts the access token: one ``GET /me``, the cheapest authenticated read.

    Only Meta's explicit refusal fails the check; a network failure skips it.
    """
    if not settings.access_token:
        return Result("graph", SKIP, "No access token to try (see the secrets check).")
    url = f"{settings.graph_url}/{settings.api_version}/me"
    try:
        with httpx.Client(timeout=GRAPH_TIMEOUT) as client:
            response = client.get(
                url,
                params={"fields": "id"},
                headers={"Authorization": f"Bearer {settings.access_token}"},
            )
    except httpx.HTTPError:
        return Result(
            "graph",
            SKIP,
            f"{settings.graph_url} cannot be reached from this host, so the access token "
            "was not tried; allow outbound HTTPS to it before going live.",
        )
    if response.status_code == 200:
        return Result("graph", OK, f"{settings.graph_url} accepts WHATSAPP_ACCESS_TOKEN.")
    code = _graph_code(response)
    if response.status_code == 401 or code == 190:
        return Result(
            "graph",
            FAIL,
            "Meta refused WHATSAPP_ACCESS_TOKEN as invalid or expired (code 190): generate a "
            "system-user token in Meta Business Settings (never the 24-hour one) and set it.",
        )
    if response.status_code == 403 or code in (10, 200):
        return Result(
            "graph",
            FAIL,
            "Meta says WHATSAPP_ACCESS_TOKEN lacks a permission: give the system user the "
            "whatsapp_business_messaging and whatsapp_business_management permissions.",
        )
    return Result(
        "graph",
        FAIL,
        f"{settings.graph_url} answered HTTP {response.status_code} to the token check: "
        "check WHATSAPP_GRAPH_URL and WHATSAPP_API_VERSION.",
    )


def _graph_code(response: httpx.Response) -> int | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = body["error"].get("code")
        return code if isinstance(code, int) else None
    return None


def _writable(folder: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".relay-check-"):
            return True
    except OSError:
        return False


def check_data_dir(settings: Settings) -> Result:
    """The folder that holds the SQLite file (and its WAL files) can be written."""
    path = _sqlite_path(settings.resolved_database_url())
    if path is None:
        return Result(
            "data folder",
            SKIP,
            "The database is PostgreSQL; the relay keeps no files of its own.",
        )
    folder = path.parent
    if not folder.is_dir():
        return Result(
            "data folder",
            FAIL,
            f"{folder} does not exist: create it, owned by the user the relay runs as "
            "(or set RELAY_DATA_DIR to a folder that exists).",
        )
    if not _writable(folder):
        return Result(
            "data folder",
            FAIL,
            f"{folder} is not writable by this user: give the relay's user write access to it "
            "(under systemd, list it in ReadWritePaths=).",
        )
    return Result("data folder", OK, f"{folder} is writable.")


def check_temp_dir(_settings: Settings) -> Result:
    """Media uploads are spooled to the temporary folder before going to Meta."""
    folder = Path(tempfile.gettempdir())
    if not _writable(folder):
        return Result(
            "temp folder",
            FAIL,
            f"{folder} is not writable: media uploads spool there, so set TMPDIR to a "
            "writable folder (under systemd, use PrivateTmp=yes).",
        )
    return Result("temp folder", OK, f"{folder} is writable.")


def check_metrics(settings: Settings) -> Result:
    """Not a failure either way; an admin should know /metrics is open."""
    if settings.metrics_token:
        return Result("metrics", OK, "/metrics needs the bearer token in RELAY_METRICS_TOKEN.")
    return Result(
        "metrics",
        OK,
        "/metrics is open to anyone who reaches the relay; set RELAY_METRICS_TOKEN to require "
        "a bearer token.",
    )


CHECKS: tuple[Callable[[Settings], Result], ...] = (
    check_secrets,
    check_database,
    check_graph,
    check_data_dir,
    check_temp_dir,
    check_metrics,
)


def run_checks(settings: Settings) -> Iterator[Result]:
    """Every check in order; each one stands alone, so one failure does not hide the next."""
    for check in CHECKS:
        yield check(settings)


def main(settings: Settings, out: Callable[[str], None] = print) -> int:
    """Print one line per check; 0 when none failed, 1 otherwise."""
    failed = 0
    for result in run_checks(settings):
        out(result.line())
        failed += result.outcome == FAIL
    if failed:
        out(f"{failed} check{'s' if failed > 1 else ''} failed.")
        return 1
    out("The relay's configuration is ready to serve.")
    return 0


__all__ = ["Result", "main", "run_checks"]
