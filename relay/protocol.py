"""What the relay and a desktop agree on over the wire, with no behaviour attached.

Kept apart from the handlers so the state (:mod:`relay.state`), the stream
(:mod:`relay.stream`) and the HTTP routes (:mod:`relay.routes`) can share these
names without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping

# Websocket close codes a desktop branches on (docs/relay.md, "Stream").
CLOSE_SHUTDOWN = 1012  # the relay is restarting: reconnect
CLOSE_STUCK = 4008  # stopped reading or acknowledging: resume from the cursor
CLOSE_BAD_ACK = 4400  # an ack that cannot be true
CLOSE_UNAUTHORIZED = 4401  # unknown or revoked token, before the handshake (HTTP 403)
CLOSE_REVOKED = 4403  # the device was revoked while connected
CLOSE_REPLACED = 4409  # a newer stream of the same device took this one's place

# The largest seq either database can hold (a signed 64-bit integer).
MAX_SEQ = 2**63 - 1


def bearer_token(headers: Mapping[str, str]) -> str:
    """The token of an ``Authorization: Bearer …`` header, or ``""`` when there is none."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
