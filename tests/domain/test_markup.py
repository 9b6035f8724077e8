"""Message text as the attendant sees it: WhatsApp's formatting, links, and nothing live."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from crm_whatsapp.domain.markup import plain_preview, to_html

ALLOWED_TAGS = {"b", "i", "s", "code", "a", "br", "ul", "ol", "li", "table", "tr", "td", "p"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(rich: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(rich)
    parser.close()
    return parser.tags


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<b>oi</b>", "&lt;b&gt;oi&lt;/b&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("&lt; já escapado", "&amp;lt; já escapado"),
        ("a > b", "a &gt; b"),
    ],
)
def test_html_typed_by_a_customer_shows_literally(text: str, shown: str) -> None:
    assert to_html(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        'https://x.com/"onmouseover="alert(1)',
        "https://x.com/<script>alert(1)</script>",
        "javascript:alert(1)",
        "*<i>negrito</i>* _<a href='javascript:alert(1)'>x</a>_",
        "> <table><tr><td>citação</td></tr></table>\n* <li>item</li>",
        "```<script>\nalert(1)</script>```",
        "`<b>`",
        'joao"onclick=alert(1)@x.com',
    ],
)
def test_no_markup_a_customer_types_becomes_live(text: str) -> None:
    for tag, attrs in tags_of(to_html(text)):
        assert tag in ALLOWED_TAGS
        if tag == "a":
            assert set(attrs) == {"href"}
            assert (attrs["href"] or "").startswith(("https://", "http://", "mailto:"))
        else:
            assert not {"href", "src", "onerror", "onclick", "onmouseover"} & set(attrs)


@pytest.mark.parametrize(
    ("text", "rich"),
    [
        ("*oi*", "<b>oi</b>"),
        ("_oi_", "<i>oi</i>"),
        ("~oi~", "<s>oi</s>"),
        ("Olá *João*!", "Olá <b>João</b>!"),
        ("*negrito*, depois", "<b>negrito</b>, depois"),
        ("(*entre parênteses*)", "(<b>entre parênteses</b>)"),
        ("*duas palavras*", "<b>duas palavras</b>"),
        ("*_ambos_*", "<b><i>ambos</i></b>"),
        ("_*ambos*_", "<i><b>ambos</b></i>"),
        ("~*_tudo_*~", "<s><b><i>tudo</i></b></s>"),
        ("*um* e *dois*", "<b>um</b> e <b>dois</b>"),
        ("*ação*", "<b>ação</b>"),
    ],
)
def test_whatsapp_formatting_is_applied(text: str, rich: str) -> None:
    assert to_html(text) == rich


@pytest.mark.parametrize(
    "text",
    [
        "2*3*4",
        "snake_case_name",
        "a~b~c",
        "ação*x*",
        "veja * espaço depois do marcador*",
        "*espaço antes do marcador *",
        "**",
        "*",
        "__init__",
        "**dois marcadores**",
        "R$ 10,00 * 3",
    ],
)
def test_markers_inside_words_or_alone_stay_literal(text: str) -> None:
    assert to_html(text) == text


@pytest.mark.parametrize(
    ("text", "rich"),
    [
        ("*começa\ntermina*", "*começa<br>termina*"),
        ("_a\nb_", "_a<br>b_"),
    ],
)
def test_formatting_does_not_span_lines(text: str, rich: str) -> None:
    assert to_html(text) == rich


def test_crossing_markers_still_give_well_formed_rich_text() -> None:
    assert to_html("*a _b* c_") == "<b>a _b</b> c_"


@pytest.mark.parametrize(
    ("text", "rich"),
    [
        ("```*não* _formata_```", "<code>*não* _formata_</code>"),
        (
            "```\nif x:\n    return 2*3\n```",
            "<code>if x:<br>&nbsp;&nbsp;&nbsp;&nbsp;return 2*3</code>",
        ),
        ("veja ```a``` aqui", "veja <code>a</code> aqui"),
        ("`*x*` e *y*", "<code>*x*</code> e <b>y</b>"),
        ("```<b>```", "<code>&lt;b&gt;</code>"),
        ("```https://x.com```", "<code>https://x.com</code>"),
    ],
)
def test_monospace_and_inline_code_show_their_text_as_typed(text: str, rich: str) -> None:
    assert to_html(text) == rich


@pytest.mark.parametrize(
    ("text", "href", "shown", "after"),
    [
        ("veja https://exemplo.com.br.", "https://exemplo.com.br", "https://exemplo.com.br", "."),
        ("https://x.com/a, b", "https://x.com/a", "https://x.com/a", ", b"),
        ("(www.site.com)", "https://www.site.com", "www.site.com", ")"),
        ("http://x.com/pagina?", "http://x.com/pagina", "http://x.com/pagina", "?"),
        ("HTTPS://X.COM/A", "HTTPS://X.COM/A", "HTTPS://X.COM/A", ""),
        (
            "https://pt.wikipedia.org/wiki/Foo_(bar).",
            "https://pt.wikipedia.org/wiki/Foo_(bar)",
            "https://pt.wikipedia.org/wiki/Foo_(bar)",
            ".",
        ),
        (
            "https://x.com/a_b_c/*d*",
            "https://x.com/a_b_c/*d",
            "https://x.com/a_b_c/*d",
            "*",
        ),
        ("https://x.com/?a=1&b=2", "https://x.com/?a=1&amp;b=2", "https://x.com/?a=1&amp;b=2", ""),
        (
            "escreva para joao_silva@empresa.com.br.",
            "mailto:joao_silva@empresa.com.br",
            "joao_silva@empresa.com.br",
            ".",
        ),
        ("contato@site.com", "mailto:contato@site.com", "contato@site.com", ""),
    ],
)
def test_links_open_without_trailing_punctuation(
    text: str, href: str, shown: str, after: str
) -> None:
    rich = to_html(text)
    assert f'<a href="{href}">{shown}</a>{after}' in rich
    assert rich.endswith(after)


@pytest.mark.parametrize(
    ("text", "rich"),
    [
        ("*veja https://x.com*", '<b>veja <a href="https://x.com">https://x.com</a></b>'),
        ("_https://x.com/a_b_", '<i><a href="https://x.com/a_b">https://x.com/a_b</a></i>'),
    ],
)
def test_formatting_around_a_link_keeps_the_link_whole(text: str, rich: str) -> None:
    assert to_html(text) == rich


@pytest.mark.parametrize(
    "text",
    ["arquivo.txt", "https://", "https://.", "www.", "xhttps://x.com", "awww.site.com", "a@b"],
)
def test_things_that_are_not_addresses_are_not_links(text: str) -> None:
    assert "<a " not in to_html(text)


def test_quote_lines_lose_their_marker_and_group_together() -> None:
    rich = to_html("> primeira *linha*\n> segunda\nresposta")
    assert rich.count("<table") == 1
    assert "&gt;" not in rich
    assert "primeira <b>linha</b><br>segunda</td></tr></table>resposta" in rich


@pytest.mark.parametrize(
    ("text", "rich"),
    [
        ("* um\n* dois", "<li>um</li><li>dois</li></ul>"),
        ("- um\n- *dois*", "<li>um</li><li><b>dois</b></li></ul>"),
        ("1. um\n2. dois", '<ol start="1" style="margin-top:0px; margin-bottom:0px"><li>um</li>'),
        ("3. três\n4. quatro", '<ol start="3"'),
    ],
)
def test_bullet_and_numbered_lines_become_lists(text: str, rich: str) -> None:
    assert rich in to_html(text)


@pytest.mark.parametrize("text", ["2024. Foi um bom ano", "*negrito* no início", "-1 grau", "-"])
def test_lines_that_only_look_like_lists_stay_text(text: str) -> None:
    assert "<li>" not in to_html(text)


@pytest.mark.parametrize(
    ("text", "rich"),
    [
        ("a\nb", "a<br>b"),
        ("a\n\nb", "a<br><br>b"),
        ("a\r\nb", "a<br>b"),
        ("a  b", "a&nbsp; b"),
        ("a   b", "a&nbsp;&nbsp; b"),
        ("  recuo", "&nbsp;&nbsp;recuo"),
        ("", ""),
    ],
)
def test_line_breaks_and_spaces_are_kept(text: str, rich: str) -> None:
    assert to_html(text) == rich


def test_blank_line_between_two_lists_is_kept() -> None:
    assert "</ul><p " in to_html("* a\n\n* b")


@pytest.mark.timeout(5)
def test_long_messages_full_of_unclosed_markers_render_quickly() -> None:
    text = ("*a _b ~c " * 500 + "\n") * 4
    assert to_html(text).count("<b>") == 0


@pytest.mark.parametrize(
    ("text", "preview"),
    [
        ("*Olá* _João_,\n\nveja ~isto~ `aqui`", "Olá João, veja isto aqui"),
        ("```\ncódigo\n   recuado\n```", "código recuado"),
        ("> citação\nresposta", "citação resposta"),
        ("* arroz\n* feijão", "• arroz • feijão"),
        ("1. um\n2. dois", "1. um 2. dois"),
        ("https://x.com/a_b_c e 2*3*4", "https://x.com/a_b_c e 2*3*4"),
        ("<b>não</b> é HTML", "<b>não</b> é HTML"),
        ("  muitos   espaços \t e\tabas  ", "muitos espaços e abas"),
        ("", ""),
    ],
)
def test_preview_drops_markers_and_fits_one_line(text: str, preview: str) -> None:
    assert plain_preview(text) == preview


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "veja file:///C:/Windows/System32/calc.exe",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "smb://servidor/pasta",
        "ftp://x.com/a",
        "<a href=file:///etc/passwd>senhas</a>",
        "<a href='javascript:alert(1)'>clique</a>",
    ],
)
def test_only_web_and_mail_addresses_become_links(text: str) -> None:
    assert [tag for tag, _ in tags_of(to_html(text))] == []


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("https://x.com/javascript:alert(1)", "https://x.com/javascript:alert(1)"),
        ("www.x.com/file:///etc/passwd", "https://www.x.com/file:///etc/passwd"),
        ("https://x.com/?q='a'&b=1", "https://x.com/?q='a'&b=1"),
        ("www.x.com/a?u=https://y.com", "https://www.x.com/a?u=https://y.com"),
    ],
)
def test_a_link_keeps_its_own_scheme_whatever_its_path_says(text: str, href: str) -> None:
    assert tags_of(to_html(text)) == [("a", {"href": href})]
