"""The desktop's history: tables, and migrations keyed on ``PRAGMA user_version``.

Every table lives inside the encrypted database file, so metadata (who the
customers are, when they wrote) is as protected as message text. Meta items
are kept whole in ``payload`` (JSON) so nothing is lost when Meta adds fields;
the columns beside them are what the inbox sorts, filters and searches on.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("wa_id", String(32)),  # as Meta last sent it; empty for username-only users
    Column("phone_key", String(32), index=True),  # see store.phones.phone_key
    Column("user_id", String(128), index=True),  # Meta's business-scoped user id
    Column("name", Text),  # what the office calls them (CRM), if set
    Column("profile_name", Text),  # what they call themselves on WhatsApp
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("phone_number_id", String(32), nullable=False),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("last_message_at", Float),
    Column("last_inbound_at", Float),  # opens the 24-hour customer service window
    Column("last_preview", Text),
    Column("unread", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False, default="open"),
    Column("assignee", String(64)),
    UniqueConstraint("phone_number_id", "contact_id"),
)
Index("ix_conversations_recent", conversations.c.last_message_at)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "conversation_id",
        Integer,
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("wamid", String(200), unique=True),
    Column("client_id", String(200), unique=True),
    Column("direction", String(3), nullable=False),  # "in" | "out"
    Column("type", String(32), nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("text", Text),  # what is shown and searched: body, caption, title…
    Column("payload", Text, nullable=False),  # the Meta item (or our send body), JSON
    Column("status", String(16)),  # pending | accepted | sent | delivered | read | failed
    Column("status_at", Float),
    Column("error_code", Integer),
    Column("reply_to", String(200)),  # the quoted wamid
    Column("media_id", String(64)),
    Column("author", String(200)),  # device name of the attendant who sent it
)
Index("ix_messages_thread", messages.c.conversation_id, messages.c.timestamp, messages.c.id)

status_history = Table(
    "status_history",
    metadata,
    Column("wamid", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("payload", Text, nullable=False),
    UniqueConstraint("wamid", "status", "timestamp"),
)
Index("ix_status_history_wamid", status_history.c.wamid)

reactions = Table(
    "reactions",
    metadata,
    Column("wamid", String(200), primary_key=True),  # the message reacted to
    Column("author", String(200), primary_key=True),  # customer wa_id/user_id or "me"
    Column("emoji", String(32), nullable=False),
    Column("timestamp", Float, nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    Column(
        "conversation_id",
        Integer,
        ForeignKey("conversations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("text", Text, nullable=False),
    Column("updated_at", Float, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("client_id", String(200), primary_key=True),
    Column("message_id", Integer, ForeignKey("messages.id", ondelete="CASCADE"), nullable=False),
    Column("phone_number_id", String(32), nullable=False),
    Column("request", Text, nullable=False),  # the Graph body to send
    Column("state", String(16), nullable=False),  # queued | sending | done | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", Float, nullable=False),
)

other_events = Table(
    "other_events",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("body", Text, nullable=False),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)
    # Full-text search inside the encrypted file. remove_diacritics folds
    # accents ("nao" finds "não"); prefix indexes make "apart*" cheap. The
    # index is contentless (the text lives once, in messages) but supports
    # DELETE, which erasing a contact needs.
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE messages_fts USING fts5("
            "body, content = '', contentless_delete = 1, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '3')"
        )
    )
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE contacts_fts USING fts5("
            "names, phones, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
        )
    )


# Each migration moves the schema from version N-1 to N, inside one transaction.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: Connection) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`; returns the version found."""
    found = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
    if found > SCHEMA_VERSION:
        raise RuntimeError("history database is newer than this version of the app")
    for version in range(found + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version - 1](conn)
        conn.exec_driver_sql(f"PRAGMA user_version = {version}")
    return found
