"""Message keys that cluster a conversation's messages by time.

A message's integer key is ``(conversation << 41) | (second << 9) | n``:
SQLite stores a table in key order, so one conversation's messages share
neighbouring pages in time order, and "the latest 50" or "the 50 before
this one" is a range scan of a few pages. ``n`` tells apart up to 512
messages of one conversation within the same second; a 513th borrows the
next second's slots, which only nudges its place by a second.
"""

from __future__ import annotations

CONVERSATION_SHIFT = 41
SECOND_SHIFT = 9
PER_SECOND = 1 << SECOND_SHIFT
MAX_SECOND = (1 << 32) - 1
MAX_CONVERSATION = (1 << 22) - 1


def conversation_range(conversation_id: int) -> tuple[int, int]:
    """The first and last key a conversation's messages can have."""
    if not 0 < conversation_id <= MAX_CONVERSATION:
        raise ValueError("conversation id out of range for message keys")
    low = conversation_id << CONVERSATION_SHIFT
    return low, low + (1 << CONVERSATION_SHIFT) - 1


def conversation_of(message_id: int) -> int:
    """The conversation a message key belongs to (its high bits)."""
    return message_id >> CONVERSATION_SHIFT


def second_base(conversation_id: int, timestamp: float) -> int:
    """The first key of the slots for ``timestamp``'s second in a conversation."""
    low, _ = conversation_range(conversation_id)
    second = min(max(int(timestamp), 0), MAX_SECOND)
    return low | (second << SECOND_SHIFT)
