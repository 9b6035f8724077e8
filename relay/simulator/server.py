"""The Meta simulator: customers writing in, and the Graph API the relay calls.

It is a real HTTP server on loopback that plays Meta's documented behaviour,
so the relay and the desktop are tested against the protocol rather than
against mocks of our own code:

* webhooks are signed like Meta's (HMAC-SHA256 of the ``\\uXXXX``-escaped body)
  and retried until answered 200, as Meta does;
* a send answered 200 is only *accepted*: sent/delivered/read follow as status
  webhooks, sometimes out of order, repeated, or with ``delivered`` skipped;
* free-form messages to a customer whose last message is older than 24 h are
  accepted and then fail by a ``failed`` status with 131047;
* bursts get 130429 (number throughput) and 131056 (pair rate limit); an
  expired token gets 190.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import random
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from relay.simulator import customers as script
from relay.simulator import payloads as p
from relay.webhook import sign

log = logging.getLogger("relay.simulator")

WINDOW = 24 * 3600.0


@dataclass
class Chaos:
    """How unruly status webhooks are; all zero gives a tidy sent→delivered→read."""

    out_of_order: float = 0.2
    duplicate: float = 0.2
    skip_delivered: float = 0.1
    min_delay: float = 0.02
    max_delay: float = 0.25


@dataclass
class Media:
    """A file the simulator holds under a media id: uploaded, or a customer's."""

    data: bytes
    mime_type: str


class MetaSimulator:
    """Plays Meta for one business number. Use :meth:`app` under any ASGI server."""

    def __init__(
        self,
        *,
        webhook_url: str,
        app_secret: str,
        access_token: str,
        phone_number_id: str = "106540352242922",
        display_phone_number: str = "5511930000000",
        waba_id: str = "102290129340398",
        chaos: Chaos | None = None,
        mps: int = 80,
        pair_burst: int = 45,
        pair_window: float = 6.0,
        auto_reply: bool = False,
        seed: int | None = None,
    ) -> None:
        self.webhook_url = webhook_url
        self.app_secret = app_secret
        self.access_token = access_token
        self.token_expired = False
        self.phone_number_id = phone_number_id
        self.display_phone_number = display_phone_number
        self.waba_id = waba_id
        self.chaos = chaos or Chaos()
        self.mps = mps
        self.pair_burst = pair_burst
        self.pair_window = pair_window
        self.auto_reply = auto_reply
        self.rng = random.Random(seed)
        self.customers: dict[str, script.Customer] = {}
        self.media: dict[str, Media] = {}
        self.accepted: list[dict[str, Any]] = []  # every send answered 200, in order
        self.read_receipts: list[str] = []
        self.base_url = ""  # set once serving, for media URLs
        self._number_window: collections.deque[float] = collections.deque()
        self._pair_windows: dict[str, collections.deque[float]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._http: httpx.AsyncClient | None = None
        self.deliveries = 0
        for name, wa_id in script.CUSTOMERS:
            self.customers[wa_id] = script.Customer(name, wa_id)

    # -- webhooks out -------------------------------------------------------------------

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=10.0)
        return self._http

    async def aclose(self) -> None:
        """Cancel pending webhooks (status echoes, replies) and close the HTTP client."""
        for task in list(self._tasks):
            task.cancel()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def deliver(self, payload: dict[str, Any], *, attempts: int = 8) -> int:
        """POST a signed webhook, retrying like Meta until 200 (bounded here)."""
        # Meta sends the escaped-unicode form of the JSON, and signs exactly that.
        body = json.dumps(payload, ensure_ascii=True).encode("ascii")
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": sign(body, self.app_secret),
        }
        status = 0
        delay = 0.2
        for _ in range(attempts):
            try:
                response = await self._client().post(
                    self.webhook_url, content=body, headers=headers
                )
                status = response.status_code
                if status == 200:
                    self.deliveries += 1
                    return status
            except httpx.HTTPError:
                status = 0
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
        return status

    def _wrap(self, value: dict[str, Any]) -> dict[str, Any]:
        return p.envelope(self.waba_id, self.phone_number_id, self.display_phone_number, value)

    # -- customers writing in ----------------------------------------------------------------

    def customer(self, wa_id: str, name: str | None = None) -> script.Customer:
        """The customer with this number, created (named ``Cliente NNNN``) if new."""
        found = self.customers.get(wa_id)
        if found is None:
            found = script.Customer(name or f"Cliente {wa_id[-4:]}", wa_id)
            self.customers[wa_id] = found
        return found

    def add_media(self, data: bytes, mime_type: str) -> str:
        """Keep ``data`` under a new media id, as an upload or a customer's media would be."""
        media_id = str(self.rng.randint(10**15, 10**16 - 1))
        self.media[media_id] = Media(data, mime_type)
        return media_id

    def build_inbound(
        self,
        wa_id: str,
        msg_type: str = "text",
        *,
        text: str | None = None,
        name: str | None = None,
        timestamp: float | None = None,
        context: dict[str, Any] | None = None,
        content: Any = None,
        username_only: bool = False,
        original: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """The webhook for one customer message; returns (wamid, payload).

        ``edit`` and ``revoke`` (a customer on the WhatsApp Business app's
        shared number changing a message) name the ``original`` wamid; an
        edit's new text is ``text``. ``unsupported`` takes the kind Meta
        names in ``unsupported.type`` as ``text`` ("poll" by default).
        """
        who = self.customer(wa_id, name)
        ts = time.time() if timestamp is None else timestamp
        if content is None:
            content = self._content_for(msg_type, text, original)
        user_id = who.user_id or ("BR." + str(abs(hash(wa_id)) % 10**12))
        who.user_id = user_id
        sender = "" if username_only else wa_id
        item = p.message(
            sender,
            msg_type,
            content,
            timestamp=int(ts),
            context=context,
            from_user_id=user_id if username_only else None,
        )
        if msg_type == "unsupported":
            item["errors"] = [p.UNSUPPORTED_TYPE]
        profile = p.contact(who.name, sender, user_id=user_id)
        return item["id"], self._wrap({"contacts": [profile], "messages": [item]})

    def _content_for(self, msg_type: str, text: str | None, original: str | None = None) -> Any:
        rng = self.rng
        if msg_type in ("edit", "revoke"):
            if not original:
                raise ValueError(f"a {msg_type} message names the original message's wamid")
            if msg_type == "revoke":
                return {"original_message_id": original}
            new = {
                "type": "text",
                "text": {"body": text or "Corrigindo: " + rng.choice(script.OPENERS)},
            }
            return {"original_message_id": original, "message": new}
        if msg_type == "unsupported":
            return {"type": text or "poll"}
        if msg_type == "text":
            return {"body": text or rng.choice(script.OPENERS)}
        if msg_type == "image":
            data = script.png_bytes(seed=rng.randint(0, 999))
            return {
                "caption": text or "Foto da fachada",
                "mime_type": "image/png",
                "sha256": p.media_sha256(data),
                "id": self.add_media(data, "image/png"),
            }
        if msg_type == "sticker":
            data = script.png_bytes(32, 32, seed=rng.randint(0, 999))
            return {
                "mime_type": "image/webp",
                "sha256": p.media_sha256(data),
                "id": self.add_media(data, "image/webp"),
                "animated": False,
            }
        if msg_type == "audio":
            data = script.voice_note_bytes()
            mime = "audio/ogg; codecs=opus"
            return {
                "mime_type": mime,
                "sha256": p.media_sha256(data),
                "id": self.add_media(data, mime),
                "voice": True,
            }
        if msg_type == "video":
            data = b"\x00\x00\x00\x18ftypmp42" + bytes(4000)
            return {
                "caption": text or "Vídeo do vazamento",
                "mime_type": "video/mp4",
                "sha256": p.media_sha256(data),
                "id": self.add_media(data, "video/mp4"),
            }
        if msg_type == "document":
            data = script.pdf_bytes(text or "Orçamento de reforma")
            return {
                "caption": text or "Segue o orçamento",
                "filename": "orcamento.pdf",
                "mime_type": "application/pdf",
                "sha256": p.media_sha256(data),
                "id": self.add_media(data, "application/pdf"),
            }
        if msg_type == "location":
            return script.location_content()
        if msg_type == "contacts":
            return script.contacts_content()
        if msg_type == "interactive":
            return rng.choice([script.button_reply_content(), script.list_reply_content()])
        if msg_type == "button":
            return {"payload": "CONFIRMAR", "text": "Confirmar"}
        if msg_type == "request_welcome":
            return None
        raise ValueError(f"the simulator does not play {msg_type!r} messages")

    async def customer_says(self, wa_id: str, msg_type: str = "text", **kwargs: Any) -> str:
        """A customer sends something; the webhook is delivered before this returns."""
        wamid, payload = self.build_inbound(wa_id, msg_type, **kwargs)
        ts = kwargs.get("timestamp")
        self.customer(wa_id).last_inbound = time.time() if ts is None else float(ts)
        await self.deliver(payload)
        return wamid

    async def customer_reacts(self, wa_id: str, message_id: str, emoji: str | None) -> str:
        """A customer reacts to ``message_id``; ``emoji=None`` removes the reaction."""
        content: dict[str, Any] = {"message_id": message_id}
        if emoji is not None:  # removing a reaction omits the emoji
            content["emoji"] = emoji
        return await self.customer_says(wa_id, "reaction", content=content)

    async def play(self, count: int, interval: float) -> None:
        """Customers write in one after another (the demo's background)."""
        kinds = ["text"] * 6 + [
            "image",
            "audio",
            "document",
            "location",
            "contacts",
            "interactive",
            "video",
            "sticker",
        ]
        for n in range(count):
            wa_id = self.rng.choice([c.wa_id for c in self.customers.values() if c.plays])
            kind = "text" if n < 3 else self.rng.choice(kinds)
            # A customer opens with a question and follows up afterwards, never the reverse.
            first = self.customers[wa_id].last_inbound is None
            text = (
                None
                if kind != "text"
                else self.rng.choice(script.OPENERS if first else script.FOLLOW_UPS)
            )
            await self.customer_says(wa_id, kind, text=text)
            await asyncio.sleep(interval * self.rng.uniform(0.5, 1.5))

    # -- the Graph API -----------------------------------------------------------------------

    def _auth_error(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        if header != f"Bearer {self.access_token}" or self.token_expired:
            return JSONResponse(
                p.graph_error(
                    190,
                    "Error validating access token: Session has expired",
                    "The access token has expired.",
                    subcode=463,
                ),
                status_code=401,
            )
        return None

    def _rate_limited(self, to: str) -> Response | None:
        now = time.monotonic()
        window = self._number_window
        while window and now - window[0] > 1.0:
            window.popleft()
        if len(window) >= self.mps:
            return JSONResponse(
                p.graph_error(
                    130429, "Rate limit hit", "Cloud API message throughput has been reached."
                ),
                status_code=400,
            )
        pair = self._pair_windows.setdefault(to, collections.deque())
        while pair and now - pair[0] > self.pair_window:
            pair.popleft()
        if len(pair) >= self.pair_burst:
            return JSONResponse(
                p.graph_error(
                    131056,
                    "(Business Account, Consumer Account) pair rate limit hit",
                    "Message failed to send because there were too many messages sent from this "
                    "phone number to the same phone number in a short period of time.",
                ),
                status_code=400,
            )
        window.append(now)
        pair.append(now)
        return None

    async def post_messages(self, request: Request) -> Response:
        """Graph's ``POST /{phone_number_id}/messages``, with Meta's refusals.

        A send answered 200 is only accepted: its statuses follow as webhooks
        (see :meth:`_after_accept`). Read receipts are recorded and answered
        ``{"success": true}``.
        """
        denied = self._auth_error(request)
        if denied is not None:
            return denied
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse(
                p.graph_error(100, "Invalid parameter", "Body is not JSON."), status_code=400
            )
        if request.path_params["pnid"] != self.phone_number_id:
            return JSONResponse(
                p.graph_error(
                    100,
                    "Unsupported post request",
                    "Unknown phone number id.",
                    error_type="GraphMethodException",
                    subcode=33,
                ),
                status_code=400,
            )
        if body.get("status") == "read":
            self.read_receipts.append(str(body.get("message_id")))
            return JSONResponse({"success": True})
        to = str(body.get("to", "")).lstrip("+")
        if not to or body.get("messaging_product") != "whatsapp" or "type" not in body:
            return JSONResponse(
                p.graph_error(
                    100, "Invalid parameter", "to, type and messaging_product are required."
                ),
                status_code=400,
            )
        if body.get("type") == "template":
            refused = template_problem(body, set(self.media))
            if refused is not None:
                return JSONResponse(refused, status_code=400)
        limited = self._rate_limited(to)
        if limited is not None:
            return limited
        wamid = p.new_wamid()
        self.accepted.append({"wamid": wamid, "to": to, "body": body, "at": time.time()})
        self._spawn(self._after_accept(wamid, to, body))
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body.get("to"), "wa_id": to}],
                "messages": [
                    {
                        "id": wamid,
                        **(
                            {"message_status": "accepted"} if body.get("type") == "template" else {}
                        ),
                    }
                ],
            }
        )

    async def _after_accept(self, wamid: str, to: str, body: dict[str, Any]) -> None:
        """What happens after a 200: Meta's status webhooks, in Meta's disorder."""
        who = self.customers.get(to)
        callback = body.get("biz_opaque_callback_data")
        now = time.time()
        in_window = (
            who is not None and who.last_inbound is not None and (now - who.last_inbound < WINDOW)
        )
        await asyncio.sleep(self.chaos.min_delay)
        failure = None
        if body.get("type") != "template" and not in_window:
            failure = p.REENGAGEMENT
        elif who is not None and who.unreachable:
            failure = p.UNDELIVERABLE
        if failure is not None:
            item = p.status(
                wamid,
                "failed",
                to,
                timestamp=int(time.time()),
                errors=[failure],
                callback_data=callback,
            )
            await self.deliver(self._wrap({"statuses": [item]}))
            return
        rng, chaos = self.rng, self.chaos
        states = ["sent", "delivered", "read"]
        if rng.random() < chaos.skip_delivered:
            states.remove("delivered")
        base = int(time.time())
        items = [
            p.status(
                wamid, s, to, timestamp=base + i, callback_data=callback, with_pricing=(s == "sent")
            )
            for i, s in enumerate(states)
        ]
        if rng.random() < chaos.out_of_order and len(items) > 1:
            i = rng.randrange(len(items) - 1)
            items[i], items[i + 1] = items[i + 1], items[i]
        if rng.random() < chaos.duplicate:
            items.append(rng.choice(items))
        for item in items:
            await asyncio.sleep(rng.uniform(chaos.min_delay, chaos.max_delay))
            await self.deliver(self._wrap({"statuses": [item]}))
        if self.auto_reply and who is not None and body.get("type") in ("text", "template"):
            await asyncio.sleep(rng.uniform(2.0, 6.0))
            await self.customer_says(to, "text", text=rng.choice(script.REPLIES_TO_ATTENDANT))

    async def get_me(self, request: Request) -> Response:
        """Graph's ``GET /me``: the token's own user (``crm-whatsapp-relay check`` asks it)."""
        denied = self._auth_error(request)
        if denied is not None:
            return denied
        return JSONResponse({"id": "100000000000001", "name": "CRM WhatsApp system user"})

    async def get_media_info(self, request: Request) -> Response:
        """Graph's ``GET /{media_id}``: the download URL, type, SHA-256 and size."""
        denied = self._auth_error(request)
        if denied is not None:
            return denied
        media_id = request.path_params["media_id"]
        media = self.media.get(media_id)
        if media is None:
            return JSONResponse(
                p.graph_error(
                    100,
                    "Invalid parameter",
                    "Unsupported get request: media id does not exist.",
                    error_type="GraphMethodException",
                    subcode=33,
                ),
                status_code=400,
            )
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.base_url}/lookaside/whatsapp_business/attachments/?mid={media_id}"
                f"&ext={secrets.token_hex(4)}",
                "mime_type": media.mime_type,
                "sha256": p.media_sha256(media.data),
                "file_size": len(media.data),
                "id": media_id,
            }
        )

    async def download_media(self, request: Request) -> Response:
        """The CDN download: the bytes, only with the same bearer token (else 404, as Meta)."""
        # Meta's CDN URL needs the same bearer token; without it, 404.
        if request.headers.get("authorization", "") != f"Bearer {self.access_token}":
            return Response(status_code=404)
        media = self.media.get(request.query_params.get("mid", ""))
        if media is None:
            return Response(status_code=404)
        return Response(media.data, media_type=media.mime_type)

    async def upload_media(self, request: Request) -> Response:
        """Graph's ``POST /{phone_number_id}/media``: keep the file, answer its new id."""
        denied = self._auth_error(request)
        if denied is not None:
            return denied
        async with request.form(max_part_size=110 * 1024 * 1024) as form:
            upload = form.get("file")
            if (
                form.get("messaging_product") != "whatsapp"
                or upload is None
                or isinstance(upload, str)
            ):
                return JSONResponse(
                    p.graph_error(
                        100, "Invalid parameter", "messaging_product and file are required."
                    ),
                    status_code=400,
                )
            data = await upload.read()
            mime = upload.content_type or str(form.get("type") or "application/octet-stream")
        return JSONResponse({"id": self.add_media(data, mime)})

    async def list_templates(self, request: Request) -> Response:
        """Graph's template list: the approved templates below, in one page."""
        denied = self._auth_error(request)
        if denied is not None:
            return denied
        return JSONResponse(
            {"data": TEMPLATES, "paging": {"cursors": {"before": "x", "after": "y"}}}
        )

    # -- control, for tests and the demo across processes ----------------------------------------

    async def control_inbound(self, request: Request) -> Response:
        """``POST /_sim/inbound``: make a customer write (for tests in another process).

        The body is ``{"wa_id", "type", ...}`` with :meth:`build_inbound`'s keywords
        (docs/meta-simulator.md lists them); anything else is a 400 saying what is wrong.
        """
        try:
            spec = await request.json()
        except ValueError:
            return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)
        if not isinstance(spec, dict):
            return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)
        wa_id, kind = spec.pop("wa_id", None), spec.pop("type", "text")
        if not isinstance(wa_id, str) or not wa_id.isdigit() or not isinstance(kind, str):
            return JSONResponse(
                {"error": "wa_id (digits) and type (a string) are required"}, status_code=400
            )
        unknown = sorted(set(spec) - INBOUND_KEYWORDS)
        if unknown:
            return JSONResponse({"error": f"unknown fields: {', '.join(unknown)}"}, status_code=400)
        try:
            wamid = await self.customer_says(wa_id, kind, **spec)
        except (TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"wamid": wamid})

    async def control_state(self, request: Request) -> Response:
        """``GET /_sim/state``: what was accepted, read and delivered so far."""
        return JSONResponse(
            {
                "accepted": self.accepted,
                "read_receipts": self.read_receipts,
                "deliveries": self.deliveries,
            }
        )

    def app(self) -> Starlette:
        """The Graph API and the control endpoints as a Starlette app."""
        return Starlette(
            routes=[
                Route("/{version}/{pnid}/messages", self.post_messages, methods=["POST"]),
                Route("/{version}/{pnid}/media", self.upload_media, methods=["POST"]),
                Route("/{version}/{waba}/message_templates", self.list_templates, methods=["GET"]),
                Route("/{version}/me", self.get_me, methods=["GET"]),
                Route("/{version}/{media_id}", self.get_media_info, methods=["GET"]),
                Route("/lookaside/whatsapp_business/attachments/", self.download_media),
                Route("/_sim/inbound", self.control_inbound, methods=["POST"]),
                Route("/_sim/state", self.control_state, methods=["GET"]),
            ]
        )


#: What ``POST /_sim/inbound`` passes on to :meth:`MetaSimulator.build_inbound`.
INBOUND_KEYWORDS = frozenset(
    {"text", "name", "timestamp", "context", "content", "username_only", "original"}
)

TEMPLATES: list[dict[str, Any]] = [
    {
        "name": "retomar_conversa",
        "language": "pt_BR",
        "status": "APPROVED",
        "category": "UTILITY",
        "id": "1200000000000001",
        "components": [
            {
                "type": "BODY",
                "text": "Olá {{1}}, podemos continuar nosso atendimento?",
                "example": {"body_text": [["Ana"]]},
            }
        ],
    },
    {
        "name": "lembrete_visita",
        "language": "pt_BR",
        "status": "APPROVED",
        "category": "UTILITY",
        "id": "1200000000000002",
        "parameter_format": "NAMED",
        "components": [
            {
                "type": "BODY",
                "text": "Oi {{nome}}, lembrando da sua visita em {{data}} às {{hora}}.",
                "example": {
                    "body_text_named_params": [
                        {"param_name": "nome", "example": "Ana"},
                        {"param_name": "data", "example": "12/12"},
                        {"param_name": "hora", "example": "15h"},
                    ]
                },
            }
        ],
    },
    {
        "name": "orcamento_pronto",
        "language": "pt_BR",
        "status": "APPROVED",
        "category": "UTILITY",
        "id": "1200000000000003",
        "components": [
            {
                "type": "BODY",
                "text": "Seu orçamento nº {{1}} está pronto. "
                "Responda esta mensagem para conversarmos.",
            }
        ],
    },
    {
        "name": "oferta_com_foto",
        "language": "pt_BR",
        "status": "APPROVED",
        "category": "MARKETING",
        "id": "1200000000000004",
        "components": [
            {"type": "HEADER", "format": "IMAGE"},
            {
                "type": "BODY",
                "text": "Olá {{1}}, separamos este imóvel para você. Quer agendar uma visita?",
                "example": {"body_text": [["Ana"]]},
            },
            {
                "type": "BUTTONS",
                "buttons": [
                    {"type": "QUICK_REPLY", "text": "Quero visitar"},
                    {"type": "URL", "text": "Ver fotos", "url": "https://imob.example/i/{{1}}"},
                ],
            },
        ],
    },
]


def template_problem(body: dict[str, Any], media_ids: set[str]) -> dict[str, Any] | None:
    """Meta's refusal of a template send whose parameters do not match what was approved.

    Only the templates listed above are checked: bodies written for other
    accounts (Meta's documented samples) go through as before.
    """
    sent = body.get("template") or {}
    approved = next((t for t in TEMPLATES if t["name"] == sent.get("name")), None)
    if approved is None:
        return None
    given = {str(c.get("type")): c for c in sent.get("components") or []}
    for part in approved["components"]:
        kind = part["type"]
        if kind == "HEADER" and part.get("format") in ("IMAGE", "VIDEO", "DOCUMENT"):
            media = part["format"].lower()
            params = (given.get("header") or {}).get("parameters") or [{}]
            if str((params[0].get(media) or {}).get("id", "")) not in media_ids:
                return p.graph_error(
                    132012,
                    "Parameter format does not match format in the created template",
                    f"header: {media} with an uploaded media id expected",
                )
        if kind == "BODY":
            wanted = len(set(re.findall(r"\{\{\s*(\w+)\s*\}\}", part["text"])))
            got = len((given.get("body") or {}).get("parameters") or [])
            if wanted != got:
                return p.graph_error(
                    132000,
                    "Number of parameters does not match the expected number of params",
                    f"body: number of localizable_params ({got}) does not match the "
                    f"expected number of params ({wanted})",
                )
        if kind == "BUTTONS":
            for index, button in enumerate(part["buttons"]):
                if button["type"] == "URL" and "{{" in button["url"]:
                    found = [
                        c
                        for c in sent.get("components") or []
                        if c.get("type") == "button" and str(c.get("index")) == str(index)
                    ]
                    if not found or not (found[0].get("parameters") or [{}])[0].get("text"):
                        return p.graph_error(
                            132000,
                            "Number of parameters does not match the expected number of params",
                            f"button {index}: a URL suffix is expected",
                        )
    return None


def run_simulator(
    *,
    host: str,
    port: int,
    webhook_url: str,
    app_secret: str,
    access_token: str,
    customers_per_minute: float,
) -> None:
    """Standalone: serve the Graph API and keep customers writing in."""
    import uvicorn

    sim = MetaSimulator(
        webhook_url=webhook_url, app_secret=app_secret, access_token=access_token, auto_reply=True
    )
    sim.base_url = f"http://{host}:{port}"
    app = sim.app()

    async def main() -> None:
        """Serve until stopped while customers keep writing in; then stop them."""
        server = uvicorn.Server(
            uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
        )
        player = asyncio.create_task(sim.play(10_000, 60.0 / max(customers_per_minute, 0.1)))
        try:
            await server.serve()
        finally:
            player.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await player
            await sim.aclose()

    asyncio.run(main())
