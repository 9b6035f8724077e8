"""Why a send failed, in one Portuguese sentence an attendant can act on.

Meta answers with numeric error codes (synchronously, or later in a ``failed``
status), and the relay passes on a stable name when there is no code (see
``relay/graph.py``: ``ERROR_NAMES`` and ``error_name()``). Attendants need to
know what happened and what to do next, not the code: wait and retry, send an
approved template, check the file, or call the administrator. Codes win over
names because they are more precise; an unknown code keeps its number so the
administrator can look it up. Sentences are Portuguese source strings marked
for Qt's translation tools (see ``domain/i18n.py``).
"""

from __future__ import annotations

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP, Translate

_WINDOW = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Mais de 24 horas desde a última mensagem do cliente: "
    "envie um modelo aprovado para retomar a conversa.",
)
_UNDELIVERABLE = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Não foi possível entregar a mensagem: o número pode não ter WhatsApp, usar uma versão "
    "antiga do aplicativo ou ainda não ter aceitado os novos termos do WhatsApp.",
)
_MARKETING = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A Meta optou por não entregar esta mensagem de marketing para manter o engajamento "
    "do cliente saudável: aguarde pelo menos 24 horas antes de tentar de novo.",
)
_OPTED_OUT = QT_TRANSLATE_NOOP(
    "MetaErrors", "O cliente pediu para não receber mensagens de marketing desta empresa."
)
_THROUGHPUT = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "O número da empresa atingiu o limite de envios por segundo da Meta: "
    "aguarde alguns instantes e tente de novo.",
)
_PAIR = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Muitas mensagens seguidas para este cliente: aguarde alguns segundos e tente de novo.",
)
_MAINTENANCE = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "O número da empresa está em manutenção na Meta: tente de novo em alguns minutos.",
)
_API_LIMIT = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A empresa fez pedidos demais à Meta em pouco tempo: aguarde alguns minutos e tente de novo.",
)
_RATE_LIMITED = QT_TRANSLATE_NOOP(
    "MetaErrors", "Limite de envios da Meta atingido: aguarde alguns instantes e tente de novo."
)
_SPAM = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A Meta limitou os envios deste número porque muitas mensagens anteriores foram "
    "bloqueadas ou denunciadas como spam: evite reenviar e avise o administrador.",
)
_UNSUPPORTED = QT_TRANSLATE_NOOP(
    "MetaErrors", "O WhatsApp não aceita este tipo de mensagem: envie o conteúdo de outra forma."
)
_MEDIA_DOWNLOAD = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A Meta não conseguiu baixar o arquivo da mensagem: confira o arquivo e tente de novo.",
)
_MEDIA_UPLOAD = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A Meta não aceitou o arquivo anexado: confira o tipo e o tamanho do arquivo e tente de novo.",
)
_MEDIA = QT_TRANSLATE_NOOP(
    "MetaErrors", "A Meta não conseguiu processar o arquivo da mensagem: confira o arquivo."
)
_UNAVAILABLE = QT_TRANSLATE_NOOP(
    "MetaErrors", "O serviço da Meta está instável no momento: tente de novo em instantes."
)
_UNKNOWN_FAILURE = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A Meta teve uma falha desconhecida ao processar a mensagem: tente de novo em instantes.",
)
_MISSING = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Faltou uma informação obrigatória na mensagem: revise o conteúdo e tente de novo.",
)
_INVALID = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A Meta recusou uma informação da mensagem como inválida: revise o conteúdo e tente de novo.",
)
_SELF = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "O destinatário é o próprio número da empresa, que não pode enviar mensagens para si mesmo.",
)
_LOCKED = QT_TRANSLATE_NOOP(
    "MetaErrors", "A conta de WhatsApp Business da empresa foi bloqueada: avise o administrador."
)
_RESTRICTED = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A Meta bloqueou temporariamente os envios deste número por violação das suas políticas: "
    "avise o administrador.",
)
_PAYMENT = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Há um problema de pagamento na conta de WhatsApp Business da empresa: avise o administrador.",
)
_NOT_REGISTERED = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "O número da empresa não está registrado no WhatsApp Business: avise o administrador.",
)
_AUTH = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A autorização do servidor da empresa na Meta expirou ou foi revogada: "
    "avise o administrador para renová-la.",
)
_PERMISSION = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "O servidor da empresa não tem permissão da Meta para enviar por este número: "
    "avise o administrador.",
)
_RECIPIENT_NOT_ALLOWED = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Este tipo de modelo não pode ser enviado a um cliente identificado só pelo nome de "
    "usuário do WhatsApp.",
)
_TEMPLATE = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "A Meta recusou o modelo de mensagem: confira o modelo escolhido e as variáveis preenchidas.",
)
_UNCERTAIN = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Não houve confirmação de que a Meta recebeu a mensagem: verifique se o cliente a recebeu "
    "antes de reenviar, para não mandar duas vezes.",
)
_META_UNREACHABLE = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "O servidor da empresa não conseguiu se conectar à Meta: tente de novo em instantes.",
)
_RELAY_UNREACHABLE = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Sem conexão com o servidor da empresa: verifique a internet e tente de novo.",
)
_TIMEOUT = QT_TRANSLATE_NOOP(
    "MetaErrors", "O servidor demorou demais para responder: tente de novo em instantes."
)
_DEVICE = QT_TRANSLATE_NOOP(
    "MetaErrors",
    "Este computador não está mais autorizado no servidor da empresa: avise o administrador.",
)
_TOO_LARGE = QT_TRANSLATE_NOOP(
    "MetaErrors", "O arquivo é grande demais para ser enviado pelo WhatsApp."
)
_REFUSED = QT_TRANSLATE_NOOP("MetaErrors", "A Meta recusou a mensagem.")
_REFUSED_CODE = QT_TRANSLATE_NOOP("MetaErrors", "A Meta recusou a mensagem (código {code}).")

_BY_CODE: dict[int, str] = {
    131047: _WINDOW,
    470: _WINDOW,
    131026: _UNDELIVERABLE,
    131049: _MARKETING,
    131050: _OPTED_OUT,
    130429: _THROUGHPUT,
    131056: _PAIR,
    131057: _MAINTENANCE,
    80007: _API_LIMIT,
    4: _API_LIMIT,
    131048: _SPAM,
    131051: _UNSUPPORTED,
    131052: _MEDIA_DOWNLOAD,
    131053: _MEDIA_UPLOAD,
    1: _UNAVAILABLE,
    2: _UNAVAILABLE,
    131016: _UNAVAILABLE,
    131000: _UNKNOWN_FAILURE,
    131008: _MISSING,
    131009: _INVALID,
    100: _INVALID,
    131021: _SELF,
    131031: _LOCKED,
    368: _RESTRICTED,
    131042: _PAYMENT,
    133010: _NOT_REGISTERED,
    190: _AUTH,
    10: _PERMISSION,
    200: _PERMISSION,
    131062: _RECIPIENT_NOT_ALLOWED,
    132000: QT_TRANSLATE_NOOP(
        "MetaErrors",
        "A quantidade de variáveis preenchidas não corresponde à que o modelo espera.",
    ),
    132001: QT_TRANSLATE_NOOP(
        "MetaErrors", "O modelo não existe ou ainda não foi aprovado no idioma escolhido."
    ),
    132005: QT_TRANSLATE_NOOP(
        "MetaErrors", "O texto do modelo ficou longo demais depois de preenchidas as variáveis."
    ),
    132007: QT_TRANSLATE_NOOP(
        "MetaErrors", "O conteúdo do modelo viola as políticas do WhatsApp: escolha outro modelo."
    ),
    132012: QT_TRANSLATE_NOOP(
        "MetaErrors", "Uma variável do modelo está em um formato diferente do esperado."
    ),
    132015: QT_TRANSLATE_NOOP(
        "MetaErrors",
        "O modelo foi pausado pela Meta por baixa qualidade: escolha outro modelo por enquanto.",
    ),
    132016: QT_TRANSLATE_NOOP(
        "MetaErrors",
        "O modelo foi desativado pela Meta depois de várias pausas: escolha outro modelo.",
    ),
}

# Names the relay sends (relay/graph.py, relay/sends.py, relay/routes.py) and the
# desktop's own names for failures on its side of the relay.
_BY_NAME: dict[str, str] = {
    "outside_customer_window": _WINDOW,
    "rate_limited": _RATE_LIMITED,
    "undeliverable": _UNDELIVERABLE,
    "spam_rate_limited": _SPAM,
    "marketing_limited": _MARKETING,
    "user_opted_out": _OPTED_OUT,
    "unsupported_message_type": _UNSUPPORTED,
    "media_error": _MEDIA,
    "payment_issue": _PAYMENT,
    "account_locked": _LOCKED,
    "account_restricted": _RESTRICTED,
    "token_expired": _AUTH,
    "auth_failed": _AUTH,
    "permission_denied": _PERMISSION,
    "invalid_request": _INVALID,
    "bad_request": _INVALID,
    "invalid_recipient": _SELF,
    "number_not_registered": _NOT_REGISTERED,
    "recipient_not_allowed": _RECIPIENT_NOT_ALLOWED,
    "template_error": _TEMPLATE,
    "meta_unavailable": _UNAVAILABLE,
    "graph_unavailable": _UNAVAILABLE,
    "meta_unreachable": _META_UNREACHABLE,
    "send_uncertain": _UNCERTAIN,
    "relay_unreachable": _RELAY_UNREACHABLE,
    "timeout": _TIMEOUT,
    "unauthorized": _DEVICE,
    "too_large": _TOO_LARGE,
}

STATUS_LABELS: dict[str, str] = {
    "pending": QT_TRANSLATE_NOOP("Status", "Enviando…"),
    "accepted": QT_TRANSLATE_NOOP("Status", "Aceita pela Meta"),
    "sent": QT_TRANSLATE_NOOP("Status", "Enviada"),
    "delivered": QT_TRANSLATE_NOOP("Status", "Entregue"),
    "read": QT_TRANSLATE_NOOP("Status", "Lida"),
    "failed": QT_TRANSLATE_NOOP("Status", "Falhou"),
}


def explain(
    code: int | None, name: str | None = None, *, translate: Translate = QT_TRANSLATE_NOOP
) -> str:
    """One Portuguese sentence saying why a send failed and what the attendant can do.

    A known code wins; then a template code (132xxx); then the relay's name;
    an unknown code gives a generic sentence with its number; nothing known
    gives "A Meta recusou a mensagem.". Pass ``QCoreApplication.translate`` as
    ``translate`` to get the sentence in the UI's language.
    """
    if code is not None and code in _BY_CODE:
        sentence = _BY_CODE[code]
    elif code is not None and 132000 <= code < 133000:
        sentence = _TEMPLATE
    elif name in _BY_NAME:
        sentence = _BY_NAME[name]
    elif code is not None:
        return translate("MetaErrors", _REFUSED_CODE).format(code=code)
    else:
        sentence = _REFUSED
    return translate("MetaErrors", sentence)


def is_window_closed(code: int | None, name: str | None = None) -> bool:
    """True when only an approved template can reach the customer now (24-hour rule)."""
    return code in (131047, 470) or name == "outside_customer_window"
