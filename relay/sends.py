"""Sending on behalf of desktops: exactly-once per ``client_id``, visible to everyone.

The desktop's outbox retries until it hears an answer, so the same
``client_id`` can arrive many times (and concurrently). The row for a
``client_id`` is written *before* Graph is called; a repeat returns what the
first attempt got. A send whose outcome is unknown (the relay crashed while
Graph was answering, a timeout after the request went out) is reported as
``send_uncertain`` and never re-sent blindly; the status webhooks that Meta
echoes with our ``biz_opaque_callback_data`` settle it later.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, TypeGuard

import orjson
from sqlalchemy import Engine, select

from relay.db import sends
from relay.devices import Device
from relay.eventlog import EventLog
from relay.graph import GraphClient, GraphError, GraphResult
from relay.textcheck import ascii_digits, clean_text
from relay.webhook import NewEvent

CALLBACK_PREFIX = "crmw:"
STALE_SENDING = 120.0  # a 'sending' row older than this outlived its relay


MAX_CLIENT_ID = 200  # the sends table's key
MAX_MESSAGE_ID = 256  # a read's dedupe key is "read:" + message_id, within 300
# Meta's deepest message bodies (interactive lists, templates) nest under ten levels.
MAX_DEPTH = 20


def _is_key(value: Any, longest: int) -> TypeGuard[str]:
    """A string every backend stores as given: printable (no NUL, no lone surrogate), bounded."""
    return clean_text(value, longest, printable=True) is not None


def _too_deep(value: Any, limit: int) -> bool:
    """True when JSON containers nest more than ``limit`` levels (stops looking there)."""
    if not isinstance(value, dict | list):
        return False
    if limit == 0:
        return True
    children = value.values() if isinstance(value, dict) else value
    return any(_too_deep(child, limit - 1) for child in children)


MAX_WAMID = 200  # the sends table's wamid column


def _settling_pair(ev: NewEvent) -> tuple[str, str] | None:
    """The (client_id, wamid) a status proves accepted, or None.

    The status is Meta's item as received: any field may have another shape
    than documented (a number, a list, a NUL). Only keys every backend stores
    as given go on to the database, so one odd status cannot fail the
    transaction that settles the good ones beside it.
    """
    if ev.kind != "status":
        return None
    data = ev.body.get("data")
    if not isinstance(data, dict):
        return None
    tag, wamid = data.get("biz_opaque_callback_data"), data.get("id")
    if not isinstance(tag, str) or not tag.startswith(CALLBACK_PREFIX):
        return None
    client_id = tag[len(CALLBACK_PREFIX) :]
    if not _is_key(client_id, MAX_CLIENT_ID) or not _is_key(wamid, MAX_WAMID):
        return None
    return client_id, wamid


def _accepted_wamid(graph_body: Any) -> str | None:
    """The wamid in Graph's answer to an accepted send, or None when it is unusable.

    Meta already sent the message: an id the sends table cannot hold (not a
    string, a NUL, too long) is recorded as unknown rather than failing the
    record and leaving the send ``sending`` behind a 500.
    """
    messages = graph_body.get("messages") if isinstance(graph_body, dict) else None
    first = messages[0] if isinstance(messages, list) and messages else None
    wamid = first.get("id") if isinstance(first, dict) else None
    return wamid if _is_key(wamid, MAX_WAMID) else None


def _accepted_answer(graph_body: Any) -> dict[str, Any]:
    """Graph's answer with only what can be stored and passed on: ``contacts`` if plain."""
    contacts = graph_body.get("contacts") if isinstance(graph_body, dict) else None
    if not isinstance(contacts, list) or _too_deep(contacts, MAX_DEPTH):
        return {}
    return {"contacts": contacts}


class BadSend(Exception):
    """The desktop's request is malformed; the message is the reason."""


@dataclass
class SendOutcome:
    """A send request's answer: HTTP status and JSON body (what a repeat gets too)."""

    http_status: int
    body: dict[str, Any]


def _ok_body(
    client_id: str, wamid: str | None, graph_body: dict[str, Any], replay: bool
) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "status": "accepted",
        "wamid": wamid,
        "contacts": graph_body.get("contacts", []),
        "replayed": replay,
    }


def _error_body(client_id: str, error: GraphError) -> dict[str, Any]:
    return {"client_id": client_id, "status": "failed", "error": error.as_json()}


def _status_for(error: GraphError) -> int:
    if error.name == "rate_limited":
        return 429
    if error.name in ("meta_unavailable", "meta_unreachable", "send_uncertain"):
        return 502
    if error.name in ("token_expired", "permission_denied"):
        return 502  # the relay's Meta credentials are wrong, not the desktop's
    return 422


class SendService:
    """Sends on behalf of desktops, exactly once per ``client_id`` (see the module)."""

    def __init__(self, engine: Engine, log: EventLog, graph: GraphClient, *, budget: float) -> None:
        self.engine = engine
        self.log = log
        self.graph = graph
        self.budget = budget
        self._inflight: dict[str, asyncio.Future[SendOutcome]] = {}

    # -- validation ------------------------------------------------------------

    @staticmethod
    def validate(payload: Any) -> tuple[str, str, dict[str, Any]]:
        """Refuse, before Graph is called, anything the relay could not record afterwards.

        ``client_id`` and a read's ``message_id`` become database keys, where
        PostgreSQL refuses NUL and bounds the length; a body nested deeper
        than any Meta message cannot be stored as JSON. Found after Graph
        answered, each would be a 500 for a message that did go out.
        """
        if not isinstance(payload, dict):
            raise BadSend("the body must be a JSON object")
        if _too_deep(payload, MAX_DEPTH):
            raise BadSend(f"the body must not be nested more than {MAX_DEPTH} levels deep")
        phone_number_id = ascii_digits(str(payload.get("phone_number_id") or ""))
        if phone_number_id is None:
            raise BadSend("phone_number_id must be the business number's id (digits)")
        body = {k: v for k, v in payload.items() if k not in ("phone_number_id", "client_id")}
        body.setdefault("messaging_product", "whatsapp")
        if body.get("status") == "read":
            if not _is_key(body.get("message_id"), MAX_MESSAGE_ID):
                raise BadSend(
                    f"a read receipt needs message_id: 1 to {MAX_MESSAGE_ID} printable characters"
                )
            return "", phone_number_id, body
        client_id = payload.get("client_id")
        if not _is_key(client_id, MAX_CLIENT_ID):
            raise BadSend(f"client_id must be 1 to {MAX_CLIENT_ID} printable characters")
        if not isinstance(body.get("to"), str) or not body["to"]:
            raise BadSend("to must be the customer's number or user id")
        if not isinstance(body.get("type"), str):
            raise BadSend("type must name the message type")
        return client_id, phone_number_id, body

    # -- the send ----------------------------------------------------------------

    async def send(self, device: Device, payload: Any) -> SendOutcome:
        """Send ``payload`` for ``device``; a read receipt (``status: read``) is passed on.

        A repeat of a ``client_id`` still being sent here waits for that attempt's
        outcome; a decided one gets the stored answer (a retryable failure is
        tried again). A malformed payload is :class:`BadSend` before anything is
        written.

        Cancelling after the claim leaves the row ``sending``: a repeat is told
        ``send_in_progress`` for two minutes, then ``send_uncertain``, unless a
        status webhook settles it first. The message is never sent twice.
        """
        client_id, phone_number_id, body = self.validate(payload)
        if not client_id:
            return await self._mark_read(device, phone_number_id, body)
        running = self._inflight.get(client_id)
        if running is not None:
            outcome = await asyncio.shield(running)
            if outcome.http_status == 200:
                return SendOutcome(200, {**outcome.body, "replayed": True})
            return outcome
        future: asyncio.Future[SendOutcome] = asyncio.get_running_loop().create_future()
        self._inflight[client_id] = future
        try:
            outcome = await self._send_once(device, client_id, phone_number_id, body)
            future.set_result(outcome)
            return outcome
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters get it through shield
            raise
        finally:
            self._inflight.pop(client_id, None)

    async def _send_once(
        self, device: Device, client_id: str, phone_number_id: str, body: dict[str, Any]
    ) -> SendOutcome:
        body.setdefault("biz_opaque_callback_data", CALLBACK_PREFIX + client_id)
        request_json = orjson.dumps({"phone_number_id": phone_number_id, "body": body}).decode()
        decision, stored = await self.log.run_in_writer(
            self._claim, client_id, device.id, request_json, time.time()
        )
        if decision == "stored":
            return stored
        started = time.perf_counter()
        result = await self.graph.post_message(phone_number_id, body, budget=self.budget)
        result.attempts = max(result.attempts, 1)
        outcome = await self._record(device, client_id, phone_number_id, body, result)
        outcome.body["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return outcome

    def _claim(
        self, client_id: str, device_id: str, request_json: str, now: float
    ) -> tuple[str, SendOutcome | None]:
        """Insert the 'sending' row, or say what an earlier attempt left."""
        with self.engine.begin() as conn:
            row = conn.execute(select(sends).where(sends.c.client_id == client_id)).first()
            if row is None:
                conn.execute(
                    sends.insert().values(
                        client_id=client_id,
                        device_id=device_id,
                        state="sending",
                        request=request_json,
                        attempts=1,
                        created_at=now,
                        updated_at=now,
                    )
                )
                return "new", None
            response = orjson.loads(row.response) if row.response else {}
            if row.state == "accepted":
                return "stored", SendOutcome(200, {**response, "replayed": True})
            if row.state == "failed":
                error = response.get("error", {})
                if not error.get("retryable"):
                    return "stored", SendOutcome(
                        _status_for(GraphError(error.get("name", "graph_error"), 422)), response
                    )
            elif row.state == "sending":
                if now - row.updated_at < STALE_SENDING:
                    err = GraphError(
                        "send_in_progress",
                        409,
                        retryable=True,
                        retry_after=2.0,
                        message="this client_id is being sent right now",
                    )
                    return "stored", SendOutcome(409, _error_body(client_id, err))
                conn.execute(
                    sends.update()
                    .where(sends.c.client_id == client_id)
                    .values(state="uncertain", error_name="send_uncertain", updated_at=now)
                )
                return "stored", SendOutcome(502, self._uncertain_body(client_id))
            elif row.state == "uncertain":
                return "stored", SendOutcome(502, self._uncertain_body(client_id))
            # A retryable failure: try again under the same client_id.
            conn.execute(
                sends.update()
                .where(sends.c.client_id == client_id)
                .values(state="sending", attempts=sends.c.attempts + 1, updated_at=now)
            )
            return "new", None

    @staticmethod
    def _uncertain_body(client_id: str) -> dict[str, Any]:
        err = GraphError(
            "send_uncertain",
            502,
            message="Meta may have accepted this message; it is not sent again automatically",
        )
        return _error_body(client_id, err)

    async def _record(
        self,
        device: Device,
        client_id: str,
        phone_number_id: str,
        body: dict[str, Any],
        result: GraphResult,
    ) -> SendOutcome:
        now = time.time()
        graph_body = _accepted_answer(result.body)
        if result.ok:
            wamid = _accepted_wamid(result.body)
            response = _ok_body(client_id, wamid, graph_body, replay=False)
            state, error_name, status = "accepted", None, 200
        elif result.uncertain:
            response = self._uncertain_body(client_id)
            state, error_name, status, wamid = "uncertain", "send_uncertain", 502, None
        else:
            assert result.error is not None
            response = _error_body(client_id, result.error)
            state, error_name, wamid = "failed", result.error.name, None
            status = _status_for(result.error)
        stored = {**response, "replayed": True} if result.ok else response

        def write() -> None:
            """Store Graph's outcome on the send's row, in one transaction."""
            with self.engine.begin() as conn:
                conn.execute(
                    sends.update()
                    .where(sends.c.client_id == client_id)
                    .values(
                        state=state,
                        response=orjson.dumps(stored).decode(),
                        wamid=wamid,
                        error_name=error_name,
                        updated_at=now,
                    )
                )

        await self.log.run_in_writer(write)
        if result.ok:
            await self.log.append(
                [
                    self.outbound_event(
                        device, client_id, phone_number_id, body, wamid, graph_body, now
                    )
                ]
            )
        return SendOutcome(status, response)

    @staticmethod
    def outbound_event(
        device: Device | None,
        client_id: str,
        phone_number_id: str,
        body: dict[str, Any],
        wamid: str | None,
        graph_body: dict[str, Any],
        now: float,
    ) -> NewEvent:
        """The ``outbound`` event every desktop sees for an accepted send.

        Keyed ``outbound:<client_id>``, so a send announced twice (answered, then
        settled from a status) is stored once. ``device`` is None when a status
        settled it: the event then names no sender.
        """
        contacts = graph_body.get("contacts") or []
        wa_id = contacts[0].get("wa_id") if contacts and isinstance(contacts[0], dict) else None
        wa_id = wa_id if isinstance(wa_id, str) else None
        data = {
            "client_id": client_id,
            "wamid": wamid,
            "to": body.get("to"),
            "wa_id": wa_id,
            "device_id": device.id if device else None,
            "device_name": device.name if device else None,
            "timestamp": int(now),
            "message": body,
        }
        return NewEvent(
            f"outbound:{client_id}",
            "outbound",
            {
                "kind": "outbound",
                "data": data,
                "phone_number_id": phone_number_id,
                "received_at": now,
            },
        )

    async def _mark_read(
        self, device: Device, phone_number_id: str, body: dict[str, Any]
    ) -> SendOutcome:
        result = await self.graph.post_message(phone_number_id, body, budget=self.budget)
        if not result.ok:
            error = result.error or GraphError("send_uncertain", 502)
            return SendOutcome(_status_for(error), {"status": "failed", "error": error.as_json()})
        now = time.time()
        await self.log.append(
            [
                NewEvent(
                    f"read:{body['message_id']}",
                    "read",
                    {
                        "kind": "read",
                        "data": {
                            "message_id": body["message_id"],
                            "device_id": device.id,
                            "timestamp": int(now),
                        },
                        "phone_number_id": phone_number_id,
                        "received_at": now,
                    },
                )
            ]
        )
        return SendOutcome(200, {"success": True})

    # -- settling uncertain sends from status webhooks ------------------------------

    async def settle_from_statuses(self, new_events: list[NewEvent]) -> None:
        """A status echoing our callback data proves Meta accepted an uncertain send."""
        candidates = [found for ev in new_events if (found := _settling_pair(ev)) is not None]
        if not candidates:
            return

        def settle() -> list[tuple[str, str, dict[str, Any], str]]:
            """Mark the sends these statuses prove accepted; returns what to announce.

            Uncertain sends, and ``sending`` ones no attempt here is still waiting on
            (that attempt's own answer settles those).
            """
            settled = []
            with self.engine.begin() as conn:
                for client_id, wamid in candidates:
                    row = conn.execute(select(sends).where(sends.c.client_id == client_id)).first()
                    if row is None or row.state not in ("uncertain", "sending"):
                        continue
                    if row.state == "sending" and client_id in self._inflight:
                        continue  # our own answer from Graph is about to settle it
                    request = orjson.loads(row.request)
                    response = _ok_body(client_id, wamid, {}, replay=True)
                    conn.execute(
                        sends.update()
                        .where(sends.c.client_id == client_id)
                        .values(
                            state="accepted",
                            wamid=wamid,
                            error_name=None,
                            response=orjson.dumps(response).decode(),
                            updated_at=time.time(),
                        )
                    )
                    settled.append((client_id, request["phone_number_id"], request["body"], wamid))
            return settled

        for client_id, pnid, body, wamid in await self.log.run_in_writer(settle):
            await self.log.append(
                [self.outbound_event(None, client_id, pnid, body, wamid, {}, time.time())]
            )
