"""Rich text built from someone else's data shows that data as typed; links only where safe."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from crm_whatsapp.domain.richtext import (
    escape_rich,
    is_safe_scheme,
    map_url,
    plain_as_rich,
    rich,
)

HOSTILE = [
    "<img src=/dev/zero>",
    "<a href=file:///etc/passwd>x</a>",
    "\"' onclick=alert(1) '\"",
    "&lt;b&gt; &amp;",
    "",
]


class _Reader(HTMLParser):
    """What a browser-like reader makes of rich text: its tags and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


def read(markup: str) -> _Reader:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader


@pytest.mark.parametrize("data", HOSTILE)
def test_escaped_data_reads_back_as_typed_with_no_tag(data: str) -> None:
    reader = read(escape_rich(data))
    assert reader.tags == [] and reader.text == data


@pytest.mark.parametrize("data", HOSTILE)
def test_rich_keeps_our_markup_and_escapes_every_argument(data: str) -> None:
    reader = read(rich('<b title="{0}">{0}</b> {who}', data, who=data))
    assert reader.tags == [("b", [("title", data)])]
    assert reader.text == f"{data} {data}"


@pytest.mark.parametrize("data", [*HOSTILE[:-1], "linha 1\n  linha 2"])
def test_plain_text_for_a_guessing_widget_is_one_paragraph_of_the_same_text(data: str) -> None:
    markup = plain_as_rich(data)
    assert markup.startswith("<p ")  # a tag first: Qt takes it as rich text, not as plain
    reader = read(markup)
    assert [tag for tag, _ in reader.tags] == ["p"] and reader.text == data


def test_no_text_gives_no_tooltip() -> None:
    assert plain_as_rich("") == ""


@pytest.mark.parametrize("scheme", ["http", "https", "HTTPS", "mailto", "tel", "crm-whatsapp"])
def test_web_mail_phone_and_the_app_are_safe_schemes(scheme: str) -> None:
    assert is_safe_scheme(scheme)


@pytest.mark.parametrize("scheme", ["file", "javascript", "data", "smb", "ftp", "vbscript", ""])
def test_other_schemes_are_not(scheme: str) -> None:
    assert not is_safe_scheme(scheme)


@pytest.mark.parametrize(
    ("lat", "lon", "shown"),
    [
        (-23.5874, -46.6576, "mlat=-23.587400&mlon=-46.657600#map=17/-23.587400/-46.657600"),
        (0, 0, "mlat=0.000000&mlon=0.000000#map=17/0.000000/0.000000"),
        ("-22.9", "-43.2", "mlat=-22.900000&mlon=-43.200000#map=17/-22.900000/-43.200000"),
        (90, -180, "mlat=90.000000&mlon=-180.000000"),
    ],
)
def test_a_valid_position_gets_a_map_address_made_of_numbers(
    lat: object, lon: object, shown: str
) -> None:
    url = map_url(lat, lon)
    assert url is not None
    assert url.startswith("https://www.openstreetmap.org/?") and shown in url


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        ("0' onclick='x", 0),
        (0, "<img src=/dev/zero>"),
        ("javascript:alert(1)", 0),
        (91, 0),
        (0, 180.5),
        (-90.0001, 0),
        (float("nan"), 0),
        (0, float("inf")),
        ("1e999", 0),
        (True, 0),
        (None, 0),
        ([1], 0),
        ({"x": 1}, 0),
    ],
)
def test_anything_else_gets_no_map_at_all(lat: object, lon: object) -> None:
    assert map_url(lat, lon) is None
