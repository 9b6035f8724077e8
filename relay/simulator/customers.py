"""Brazilian customers for the simulator: who they are and what they write.

The offices we serve are real-estate agencies, clinics, salons and repair
shops, so the scripted conversations are theirs. Media bytes are generated
here (a real PNG, a real PDF) so the relay's media path moves actual files.
"""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Customer:
    """One simulated customer and what the simulator tracks about them.

    ``last_inbound`` opens the 24-hour window free-form replies need;
    ``unreachable`` makes every send to them fail with 131026; a customer who
    does not ``play`` writes only when told to (the demo's closed-window one).
    """

    name: str
    wa_id: str
    user_id: str | None = None
    last_inbound: float | None = None  # opens the 24-hour window
    unreachable: bool = False
    plays: bool = True
    sent_wamids: list[str] = field(default_factory=list)


CUSTOMERS: list[tuple[str, str]] = [
    ("Ana Souza", "5511987654321"),
    ("João Pereira", "5521998761234"),
    ("Mariana Costa", "5531991234567"),
    ("Carlos Oliveira", "551188887777"),  # registered without the ninth digit
    ("Fernanda Lima", "5541996543210"),
    ("Rafael Santos", "5551993334444"),
    ("Juliana Rocha", "5561992221111"),
    ("Pedro Almeida", "5571995556666"),
    ("Beatriz Gonçalves", "5581997778888"),
    ("Lucas Araújo", "5585994445555"),
]

OPENERS: list[str] = [
    "Olá! Vi o anúncio do apartamento na Vila Mariana, ainda está disponível?",
    "Bom dia, gostaria de agendar uma consulta para quinta-feira à tarde.",
    "Oi, vocês fazem escova progressiva? Quanto custa?",
    "Boa tarde! Meu notebook não liga mais, vocês consertam? É um Dell de 2021.",
    "Olá, qual o valor do condomínio daquele imóvel de 2 quartos?",
    "Preciso remarcar minha sessão de amanhã, é possível?",
    "Vocês aceitam Pix ou só cartão?",
    "Oi! Queria saber se o orçamento da troca de tela já ficou pronto.",
    "Bom dia! Tem horário pra corte e barba no sábado de manhã?",
    "Olá, a visita ao imóvel pode ser às 18h? Só consigo depois do trabalho.",
]

FOLLOW_UPS: list[str] = [
    "Perfeito, muito obrigada!",
    "Certo, vou pensar e te aviso.",
    "Pode ser às 15h então?",
    "Qual o endereço de vocês?",
    "Consegue me mandar por aqui mesmo?",
    "Ótimo! 😊",
    "Não entendi, pode explicar de novo?",
    "Combinado, até lá!",
]

REPLIES_TO_ATTENDANT: list[str] = [
    "Obrigado pelo retorno!",
    "Entendi, pode ser sim.",
    "Vou ver com meu marido e te confirmo.",
    "Fechado! 👍",
    "Hmm, tem algum desconto à vista?",
]


def png_bytes(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A real (if plain) PNG: stripes in the WhatsApp greens."""
    rng = random.Random(seed)
    base = (37 + rng.randint(0, 40), 160 + rng.randint(0, 60), 90 + rng.randint(0, 60))
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            shade = 30 if ((x + y) // 8) % 2 else 0
            row.extend((min(255, base[0] + shade), min(255, base[1] + shade), base[2]))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(tag: bytes, data: bytes) -> bytes:
        """One PNG chunk: length, tag, data and the CRC over tag and data."""
        return (
            struct.pack(">I", len(data))
            + tag
            + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def pdf_bytes(title: str) -> bytes:
    """A one-page PDF with a line of text; enough for viewers to open."""
    safe = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 40 760 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def voice_note_bytes() -> bytes:
    """A real voice note: about two seconds of Portuguese speech, Ogg/Opus like WhatsApp's.

    Made once with ``espeak-ng -v pt-br`` and ``opusenc --bitrate 12``; a
    player can decode it, so the inbox's playback is tested for real.
    """
    return (Path(__file__).parent / "media" / "voice-note.ogg").read_bytes()


# What each scripted inbound type carries besides media (Meta's per-type fields).
def location_content() -> dict[str, Any]:
    """A ``location`` message's fields: a park in São Paulo."""
    return {
        "latitude": -23.5874,
        "longitude": -46.6576,
        "name": "Parque Ibirapuera",
        "address": "Av. Pedro Álvares Cabral - Vila Mariana, São Paulo - SP",
        "url": "https://maps.google.com/?q=-23.5874,-46.6576",
    }


def contacts_content() -> list[dict[str, Any]]:
    """A ``contacts`` message's list: one shared contact card."""
    return [
        {
            "name": {
                "formatted_name": "Roberto Nunes",
                "first_name": "Roberto",
                "last_name": "Nunes",
            },
            "phones": [{"phone": "+55 11 97777-1234", "wa_id": "5511977771234", "type": "CELL"}],
            "emails": [{"email": "roberto.nunes@example.com.br", "type": "WORK"}],
            "org": {"company": "Nunes Imóveis", "title": "Corretor"},
        }
    ]


def button_reply_content() -> dict[str, Any]:
    """An ``interactive`` message answering a reply button."""
    return {
        "type": "button_reply",
        "button_reply": {"id": "confirmar", "title": "Confirmar visita"},
    }


def list_reply_content() -> dict[str, Any]:
    """An ``interactive`` message answering a list."""
    return {
        "type": "list_reply",
        "list_reply": {
            "id": "horario_manha",
            "title": "Manhã (9h–12h)",
            "description": "Sábado de manhã",
        },
    }
