"""The desktop's history: tables, and migrations keyed on ``PRAGMA user_version``.

Every table lives inside the encrypted database file, so metadata (who the
customers are, when they wrote) is as protected as message text. Meta items
are kept whole in ``payload`` (JSON) so nothing is lost when Meta adds fields;
the columns beside them are what the inbox sorts, filters and searches on.

Migrations are frozen SQL: a step, once shipped, never changes, so every
installed database walks the same path to the current version.
"""

from __future__ import annotations

from typing import Any

V1 = [
    """CREATE TABLE contacts (
        id INTEGER NOT NULL PRIMARY KEY,
        wa_id VARCHAR(32),  -- as Meta last sent it; empty for username-only users
        phone_key VARCHAR(32),  -- see store.phones.phone_key
        user_id VARCHAR(128),  -- Meta's business-scoped user id
        name TEXT,  -- what the office calls them (CRM), if set
        profile_name TEXT,  -- what they call themselves on WhatsApp
        created_at FLOAT NOT NULL,
        updated_at FLOAT NOT NULL)""",
    "CREATE INDEX ix_contacts_user_id ON contacts (user_id)",
    "CREATE INDEX ix_contacts_phone_key ON contacts (phone_key)",
    """CREATE TABLE status_history (
        wamid VARCHAR(200) NOT NULL,
        status VARCHAR(16) NOT NULL,
        timestamp FLOAT NOT NULL,
        payload TEXT NOT NULL,
        UNIQUE (wamid, status, timestamp))""",
    "CREATE INDEX ix_status_history_wamid ON status_history (wamid)",
    """CREATE TABLE reactions (
        wamid VARCHAR(200) NOT NULL,  -- the message reacted to
        author VARCHAR(200) NOT NULL,  -- customer wa_id/user_id or "me"
        emoji VARCHAR(32) NOT NULL,
        timestamp FLOAT NOT NULL,
        PRIMARY KEY (wamid, author))""",
    """CREATE TABLE other_events (
        seq INTEGER NOT NULL PRIMARY KEY,
        kind VARCHAR(64) NOT NULL,
        body TEXT NOT NULL)""",
    """CREATE TABLE sync_state (
        "key" VARCHAR(64) NOT NULL PRIMARY KEY,
        value TEXT NOT NULL)""",
    """CREATE TABLE conversations (
        id INTEGER NOT NULL PRIMARY KEY,
        phone_number_id VARCHAR(32) NOT NULL,
        contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        last_message_at FLOAT,
        last_inbound_at FLOAT,  -- opens the 24-hour customer service window
        last_preview TEXT,
        unread INTEGER NOT NULL,
        status VARCHAR(16) NOT NULL,
        assignee VARCHAR(64),
        UNIQUE (phone_number_id, contact_id))""",
    "CREATE INDEX ix_conversations_recent ON conversations (last_message_at)",
    """CREATE TABLE messages (
        id INTEGER NOT NULL PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        wamid VARCHAR(200) UNIQUE,
        client_id VARCHAR(200) UNIQUE,
        direction VARCHAR(3) NOT NULL,
        type VARCHAR(32) NOT NULL,
        timestamp FLOAT NOT NULL,
        text TEXT,
        payload TEXT NOT NULL,
        status VARCHAR(16),
        status_at FLOAT,
        error_code INTEGER,
        reply_to VARCHAR(200),
        media_id VARCHAR(64),
        author VARCHAR(200))""",
    "CREATE INDEX ix_messages_thread ON messages (conversation_id, timestamp, id)",
    """CREATE TABLE drafts (
        conversation_id INTEGER NOT NULL PRIMARY KEY
            REFERENCES conversations (id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        updated_at FLOAT NOT NULL)""",
    """CREATE TABLE outbox (
        client_id VARCHAR(200) NOT NULL PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        phone_number_id VARCHAR(32) NOT NULL,
        request TEXT NOT NULL,  -- the Graph body to send
        state VARCHAR(16) NOT NULL,  -- queued | sending | done | failed
        attempts INTEGER NOT NULL,
        next_attempt_at FLOAT NOT NULL,
        last_error TEXT,
        created_at FLOAT NOT NULL)""",
    # Full-text search inside the encrypted file. remove_diacritics folds
    # accents ("nao" finds "não"); prefix indexes make "apa*" cheap. The
    # message index is contentless (the text lives once, in messages) but
    # supports DELETE, which erasing a contact needs.
    "CREATE VIRTUAL TABLE messages_fts USING fts5(body, content = '', contentless_delete = 1, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '3')",
    "CREATE VIRTUAL TABLE contacts_fts USING fts5(names, phones, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
]

# Messages clustered by conversation and time. The integer key is
# (conversation << 41) | (second << 9) | n (see store.keys), so one
# conversation's messages sit on neighbouring pages in time order: opening a
# thread reads a handful of pages (each page read from disk is a page
# decrypted) and no separate thread index has to be kept up to date. ``seq``
# keeps arrival order across the whole history; it is the search index's
# rowid, which is why the v1 ids become ``seq`` and the index stays valid.
V2 = [
    """CREATE TABLE messages_v2 (
        id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL,
        conversation_id INTEGER NOT NULL,
        wamid VARCHAR(200),
        client_id VARCHAR(200),
        direction VARCHAR(4) NOT NULL,  -- in | out | note
        type VARCHAR(32) NOT NULL,
        timestamp FLOAT NOT NULL,
        text TEXT,  -- what is shown and searched: body, caption, title…
        payload TEXT NOT NULL,  -- the Meta item (or our send body), JSON
        status VARCHAR(16),  -- pending | accepted | sent | delivered | read | failed
        status_at FLOAT,
        error_code INTEGER,
        reply_to VARCHAR(200),  -- the quoted wamid
        media_id VARCHAR(64),
        author VARCHAR(200))  -- device name of the attendant who sent it""",
    "INSERT INTO messages_v2 (id, seq, conversation_id, wamid, client_id, direction, type, "
    "timestamp, text, payload, status, status_at, error_code, reply_to, media_id, author) "
    "SELECT (conversation_id << 41) | (min(max(CAST(timestamp AS INTEGER), 0), 4294967295) << 9) "
    "| (row_number() OVER (PARTITION BY conversation_id, CAST(timestamp AS INTEGER) "
    "ORDER BY id) - 1), id, conversation_id, wamid, client_id, direction, type, timestamp, "
    "text, payload, status, status_at, error_code, reply_to, media_id, author FROM messages",
    "UPDATE outbox SET message_id = "
    "(SELECT m.id FROM messages_v2 m WHERE m.seq = outbox.message_id)",
    "DROP TABLE messages",
    "ALTER TABLE messages_v2 RENAME TO messages",
    "CREATE UNIQUE INDEX ux_messages_seq ON messages (seq)",
    "CREATE UNIQUE INDEX ux_messages_wamid ON messages (wamid)",
    # Partial: inbound messages have no client_id and must not each land on
    # a random page of this index.
    "CREATE UNIQUE INDEX ux_messages_client_id ON messages (client_id) WHERE client_id IS NOT NULL",
    # Prefix indexes for 3 to 6 letters: every typed word is looked up
    # lazily (newest first, stopping at the limit) instead of merging every
    # term that starts with it; longer words are narrowed by their first six
    # letters and checked against the text (see store.search).
    "DROP TABLE messages_fts",
    "CREATE VIRTUAL TABLE messages_fts USING fts5(body, content = '', contentless_delete = 1, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4 5 6')",
    "INSERT INTO messages_fts (rowid, body) SELECT seq, text FROM messages "
    "WHERE coalesce(text, '') != ''",
]

# Team work shared through the relay's ``team`` events: labels on a
# conversation, the office's quick replies. Private notes are messages with
# direction ``note``; assignment and status already have columns.
V3 = [
    "ALTER TABLE conversations ADD COLUMN labels TEXT",  # JSON list of strings
    """CREATE TABLE quick_replies (
        shortcut VARCHAR(40) NOT NULL PRIMARY KEY,
        text TEXT NOT NULL,
        updated_at FLOAT NOT NULL,
        author VARCHAR(200))""",
    "CREATE INDEX ix_conversations_assignee ON conversations (assignee)",
]

# Deleting a message (retention, erasing a contact) makes SQLite look for
# outbox rows pointing at it (ON DELETE CASCADE): without this index that is
# a scan of the whole outbox, which keeps a row for every message ever sent,
# per deleted message.
# The message index keeps no word positions (``detail = none``): searches are
# word-prefix ANDs that never need them, and without them each committed
# batch writes and merges a fifth less index (applying 10k events ~12%
# faster, the file ~19% smaller). Rebuilt from the text, as in V2.
V4 = [
    "CREATE INDEX ix_outbox_message ON outbox (message_id)",
    "DROP TABLE messages_fts",
    "CREATE VIRTUAL TABLE messages_fts USING fts5(body, content = '', contentless_delete = 1, "
    "detail = none, tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4 5 6')",
    "INSERT INTO messages_fts (rowid, body) SELECT seq, text FROM messages "
    "WHERE coalesce(text, '') != ''",
]

# New messages from the stream land in ``messages_recent`` first, keyed by
# arrival (``seq``), so a batch appends to the last pages instead of writing
# into one random page per conversation of the clustered table (where page
# splits also rewrite the neighbours: ~2.5 pages written per message at 1M
# messages). A message keeps the clustered ``id`` it will have for good; the
# history folds these rows into ``messages`` in key order when the sync is
# idle (see History.fold). Its indexes only ever hold the unfolded rows, so
# they stay small and cached. ``all_messages`` reads both, for queries that
# name a message (SQLite pushes their WHERE into each arm).
_MESSAGE_COLUMNS = (
    "id, seq, conversation_id, wamid, client_id, direction, type, timestamp, text, payload, "
    "status, status_at, error_code, reply_to, media_id, author"
)
V5 = [
    """CREATE TABLE messages_recent (
        seq INTEGER PRIMARY KEY,
        id INTEGER NOT NULL,
        conversation_id INTEGER NOT NULL,
        wamid VARCHAR(200),
        client_id VARCHAR(200),
        direction VARCHAR(4) NOT NULL,
        type VARCHAR(32) NOT NULL,
        timestamp FLOAT NOT NULL,
        text TEXT,
        payload TEXT NOT NULL,
        status VARCHAR(16),
        status_at FLOAT,
        error_code INTEGER,
        reply_to VARCHAR(200),
        media_id VARCHAR(64),
        author VARCHAR(200))""",
    "CREATE UNIQUE INDEX ux_recent_id ON messages_recent (id)",
    "CREATE UNIQUE INDEX ux_recent_wamid ON messages_recent (wamid)",
    "CREATE UNIQUE INDEX ux_recent_client_id ON messages_recent (client_id) "
    "WHERE client_id IS NOT NULL",
    f"CREATE VIEW all_messages AS SELECT {_MESSAGE_COLUMNS} FROM messages "
    f"UNION ALL SELECT {_MESSAGE_COLUMNS} FROM messages_recent",
]

# Each conversation keeps the highest message key it has given out
# (``last_key``), so a new message finds its place without descending the
# clustered table to the conversation's last page: a desktop back online
# otherwise read (and decrypted) one such page per conversation in its
# backlog, ~15% of applying 10,000 events. Triggers keep it at least the
# highest key of every row ever inserted, whatever code inserts it, so it
# can only be too high (after a deletion), which store.history handles.
_KEY_SPAN = (1 << 41) - 1  # store.keys: the keys of one conversation
V6 = [
    "ALTER TABLE conversations ADD COLUMN last_key INTEGER",
    f"UPDATE conversations SET last_key = max("
    f"(SELECT coalesce(max(id), -1) FROM messages "
    f"WHERE id BETWEEN conversations.id << 41 AND (conversations.id << 41) + {_KEY_SPAN}), "
    f"(SELECT coalesce(max(id), -1) FROM messages_recent "
    f"WHERE id BETWEEN conversations.id << 41 AND (conversations.id << 41) + {_KEY_SPAN}))",
    *(
        f"""CREATE TRIGGER tr_{table}_last_key AFTER INSERT ON {table}
        WHEN NEW.id > coalesce(
            (SELECT last_key FROM conversations WHERE id = NEW.conversation_id), -1)
        BEGIN
            UPDATE conversations SET last_key = NEW.id WHERE id = NEW.conversation_id;
        END"""
        for table in ("messages", "messages_recent")
    ),
]

# The conversation list keeps what its last message is (type, direction,
# text) instead of a sentence composed in Portuguese ("Você: 📷 Foto: …"),
# so the interface words it in its own language. Existing rows are refilled
# from their last message (notes never were a preview). The contact name
# index loses its ``phones`` column, written for every contact and never
# read: numbers are matched on ``contacts`` by one rule (store.phones).
_LAST_OF = (
    "SELECT {column} FROM all_messages WHERE id = max("
    "coalesce((SELECT id FROM messages WHERE id BETWEEN conversations.id << 41 "
    f"AND (conversations.id << 41) + {_KEY_SPAN} AND direction != 'note' "
    "ORDER BY id DESC LIMIT 1), -1), "
    "coalesce((SELECT id FROM messages_recent WHERE id BETWEEN conversations.id << 41 "
    f"AND (conversations.id << 41) + {_KEY_SPAN} AND direction != 'note' "
    "ORDER BY id DESC LIMIT 1), -1))"
)
_PREVIEW_TEXT = "substr(coalesce(text, ''), 1, 200)"
V7 = [
    "ALTER TABLE conversations ADD COLUMN last_type VARCHAR(32)",
    "ALTER TABLE conversations ADD COLUMN last_direction VARCHAR(4)",
    "UPDATE conversations SET "
    f"last_type = ({_LAST_OF.format(column='type')}), "
    f"last_direction = ({_LAST_OF.format(column='direction')}), "
    f"last_preview = ({_LAST_OF.format(column=_PREVIEW_TEXT)})",
    "DROP TABLE contacts_fts",
    "CREATE VIRTUAL TABLE contacts_fts USING fts5(names, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
    "INSERT INTO contacts_fts (rowid, names) SELECT id, CASE "
    "WHEN coalesce(name, '') != '' AND coalesce(profile_name, '') != '' "
    "THEN name || ' ' || profile_name "
    "ELSE coalesce(nullif(name, ''), nullif(profile_name, ''), '') END FROM contacts",
]

# What the Copilot keeps: each suggestion shown and what the attendant did
# with it (the local engine learns from it, the settings page shows the
# acceptance rate), and the office's knowledge notes it may quote to a
# model. Both are in the encrypted file for the same reason as the
# messages: a suggestion is a reply's text, a note can name prices.
V8 = [
    """CREATE TABLE copilot_outcomes (
        id INTEGER NOT NULL PRIMARY KEY,
        conversation_id INTEGER REFERENCES conversations (id) ON DELETE CASCADE,
        shown_at FLOAT NOT NULL,
        engine VARCHAR(8) NOT NULL,  -- local | model
        source VARCHAR(16) NOT NULL,  -- quick_reply | history | template | model
        suggestion_key TEXT NOT NULL,  -- what the engine learns by (see copilot.local)
        outcome VARCHAR(8) NOT NULL)  -- used | edited | ignored""",
    "CREATE INDEX ix_copilot_outcomes_shown ON copilot_outcomes (shown_at)",
    "CREATE INDEX ix_copilot_outcomes_conversation ON copilot_outcomes (conversation_id)",
    """CREATE TABLE copilot_knowledge (
        id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        text TEXT NOT NULL,
        updated_at FLOAT NOT NULL)""",
]

# Where a message can be: unfolded first (the likelier place for a new one).
MESSAGE_TABLES = ("messages_recent", "messages")

# Each step moves the schema from version N-1 to N.
# The audit trail (store.audit): exports, erasures, recovery keys, plugin
# connections and assignments, who and when; never message text.
V_AUDIT = [
    """CREATE TABLE audit_log (
        event_key TEXT NOT NULL PRIMARY KEY,  -- the team event's id (or assign:<device>:<id>)
        at FLOAT NOT NULL,
        kind VARCHAR(32) NOT NULL,
        who TEXT NOT NULL DEFAULT '',  -- the device's name as colleagues see it
        subject TEXT NOT NULL DEFAULT '',  -- a masked phone, a plugin's name; never message text
        detail TEXT NOT NULL DEFAULT '',
        pending INTEGER NOT NULL DEFAULT 0)  -- recorded here, not yet taken by the relay""",
    "CREATE INDEX ix_audit_log_at ON audit_log (at)",
]

# Team work, round two (store.team_view, store.personal): the label palette
# shared as team events, snoozing (a team status with its time), and this
# attendant's own pins and "mark as unread" (local, never sent).
V_TEAM = [
    """CREATE TABLE label_palette (
        name TEXT NOT NULL PRIMARY KEY,
        color VARCHAR(7) NOT NULL,  -- #RRGGBB
        position INTEGER NOT NULL)""",
    "ALTER TABLE conversations ADD COLUMN snoozed_until FLOAT",
    "ALTER TABLE conversations ADD COLUMN pinned_at FLOAT",
    "ALTER TABLE conversations ADD COLUMN marked_unread INTEGER NOT NULL DEFAULT 0",
]

MIGRATIONS: list[list[str]] = [V1, V2, V3, V4, V5, V6, V7, V8, V_AUDIT, V_TEAM]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The file was written by a newer version of the app."""


def migrate(conn: Any) -> int:
    """Bring the database (a DB-API connection, autocommit) to :data:`SCHEMA_VERSION`.

    Runs SQLite's documented table-rebuild procedure: foreign keys off
    outside the transaction (so rebuilding a parent table cascades nothing),
    all steps in one transaction, ``foreign_key_check`` before committing.
    Returns the version found.
    """
    found = int(conn.execute("PRAGMA user_version").fetchone()[0] or 0)
    if found > SCHEMA_VERSION:
        raise SchemaTooNew("history database is newer than this version of the app")
    if found == SCHEMA_VERSION:
        return found
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated.
            found = int(conn.execute("PRAGMA user_version").fetchone()[0] or 0)
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise RuntimeError("history migration left dangling references")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return found
