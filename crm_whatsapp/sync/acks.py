"""When the desktop tells the relay what it has applied: paced, not per event.

Every ack costs the relay a read, a cursor update and a move of the
device's window. When live, the desktop applies each event as it arrives
(so the attendant sees it at once); acking each one too made a relay with a
thousand such desktops spend more on acks than on webhooks (47 webhooks/s
accepted with 1,000 desktops acking every frame, tests/benchmarks/
relay_fanout.py ``--ack-every 1``). An ack only lets the relay forget what
is already committed here, so it can wait: at most ``every`` seconds after
the first unacknowledged event, or sooner when enough has piled up that the
relay's window (1,000 frames or 4 MB by default, ``RELAY_STREAM_MAX_*``)
could fill before the timer. A replaying backlog acks each batch at once, as
the relay stops sending when its window is full. Nothing is at risk while an
ack waits: a crash replays from the stored cursor and applying is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACK_EVERY = 1.0  # seconds an applied event may wait for its ack while live
# A quarter of the relay's default window, so a relay configured with a smaller
# one still gets acks well before it would have to wait for the timer.
ACK_FRAMES = 250
ACK_BYTES = 1 << 20


@dataclass
class AckPacer:
    """Decides when the cursor applied so far goes back to the relay.

    Pure bookkeeping with the clock passed in, so the policy is tested
    without a socket; :class:`crm_whatsapp.sync.client.SyncClient` owns one
    per session.
    """

    every: float = ACK_EVERY
    max_frames: int = ACK_FRAMES
    max_bytes: int = ACK_BYTES
    cursor: int | None = field(default=None, init=False)  # applied, not yet acked
    frames: int = field(default=0, init=False)
    size: int = field(default=0, init=False)
    since: float = field(default=0.0, init=False)

    def applied(self, cursor: int, frames: int, size: int, now: float) -> None:
        """A batch up to ``cursor`` (``frames`` frames, ``size`` characters) is committed."""
        if self.cursor is None:
            self.since = now
        self.cursor = cursor
        self.frames += frames
        self.size += size

    def due(self, now: float, *, urgent: bool = False) -> bool:
        """Whether to send the ack now (``urgent``: replaying, or the backlog just ended)."""
        if self.cursor is None:
            return False
        return (
            urgent
            or self.frames >= self.max_frames
            or self.size >= self.max_bytes
            or now - self.since >= self.every
        )

    def wait(self, now: float) -> float | None:
        """Seconds until a waiting ack is due; None when nothing waits."""
        if self.cursor is None:
            return None
        return max(0.0, self.since + self.every - now)

    def take(self) -> int:
        """The cursor to acknowledge; the pacer starts over."""
        assert self.cursor is not None, "take() only after due()"
        cursor, self.cursor = self.cursor, None
        self.frames = self.size = 0
        return cursor
