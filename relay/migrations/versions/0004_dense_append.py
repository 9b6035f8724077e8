"""PostgreSQL: one server-side function appends a group of events.

``relay_append`` takes the appends' advisory lock, drops the keys already
stored (Meta's retries), numbers the new events densely after the log's
high-water mark (the ``events.seq`` sequence, which a restore moves past its
gap), inserts them, advances the sequence and notifies the other instances,
all in the one statement the relay sends per group. The notification carries
the group's events when they are small, so the other instances need not read
them back. Before it, a group cost
five round trips through the connection pool, and every deduplicated retry
burnt a sequence number, leaving gaps a desktop could not tell from loss.

SQLite needs no function: its single writer does the same in Python
(:mod:`relay.eventlog`).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

# The numbers the function uses are the relay's; they are spelled out here so a later
# change of relay/eventlog.py cannot silently change what this script created.
APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION relay_append(p_group json)
RETURNS TABLE (out_seq bigint, out_key text)
LANGUAGE plpgsql
-- Every lookup here is an index probe (seq, dedupe_key) for the few rows of one group.
-- Planned from a young table's statistics, or generically for "seq > base", they became
-- scans or hash joins over the whole log under the lock: 0.5 ms at 1,600 rows, 2.8 ms at
-- 8,000, growing with the log.
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $fn$
DECLARE
    counter regclass := pg_get_serial_sequence('events', 'seq')::regclass;
    base bigint;
    head bigint;
    size bigint;
    short text;
    announcement text;
    locked_at timestamptz;
BEGIN
    -- Held until commit: sequence order is commit order across instances.
    PERFORM pg_advisory_xact_lock(1668443511);
    locked_at := clock_timestamp();
    base := greatest(
        coalesce(pg_sequence_last_value(counter), 0),
        coalesce((SELECT max(seq) FROM events), 0)
    );
    -- The first row answers the head before this group (out_key NULL).
    out_seq := base;
    out_key := NULL;
    RETURN NEXT;
    RETURN QUERY
    WITH incoming AS (
        SELECT u.k, u.kind, u.at::double precision AS at, u.body, u.ord
        FROM ROWS FROM (
            json_array_elements_text(p_group -> 0),
            json_array_elements_text(p_group -> 1),
            json_array_elements_text(p_group -> 2),
            json_array_elements_text(p_group -> 3)
        ) WITH ORDINALITY AS u(k, kind, at, body, ord)
        WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.dedupe_key = u.k)
    ), inserted AS (
        INSERT INTO events (seq, dedupe_key, kind, received_at, body)
        SELECT base + row_number() OVER (ORDER BY i.ord), i.k, i.kind, i.at, i.body
        FROM incoming i
        RETURNING events.seq, events.dedupe_key
    )
    SELECT inserted.seq, inserted.dedupe_key::text FROM inserted;
    SELECT coalesce(max(seq), base), coalesce(sum(octet_length(body)), 0) INTO head, size
    FROM events WHERE seq > base;
    IF head > base THEN
        PERFORM setval(counter, head);
        -- "PID BASE HEAD [[seq, body], ...]": the other instances take the frames from the
        -- announcement instead of reading them back; large groups announce the range only.
        short := pg_backend_pid() || ' ' || base || ' ' || head;
        announcement := short;
        IF size <= 7000 THEN
            SELECT short || ' ' || json_agg(json_build_array(seq, body) ORDER BY seq)
            INTO announcement FROM events WHERE seq > base;
            IF octet_length(announcement) > 7900 THEN  -- PostgreSQL refuses 8000 bytes
                announcement := short;
            END IF;
        END IF;
        PERFORM pg_notify('crm_whatsapp_relay_frames', announcement);
        -- The head alone, for relays from before this migration during a rolling upgrade.
        -- Sent second: a listener has the frames already when it hears this one.
        PERFORM pg_notify('crm_whatsapp_relay_events', head::text);
    END IF;
    -- The last row: how long this group has held the lock so far, in microseconds (the
    -- serial part of N instances; the commit's WAL flush, still under the lock, follows).
    out_seq := (extract(epoch FROM clock_timestamp() - locked_at) * 1000000)::bigint;
    out_key := '#held_us';
    RETURN NEXT;
END
$fn$;
"""


# The group arrives as one JSON text, [keys, kinds, received_at, bodies]: encoded by orjson
# in C, where four text[] parameters were dumped element by element in Python.


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS relay_append(json)")
