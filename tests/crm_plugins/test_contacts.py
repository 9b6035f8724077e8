"""The "Contatos (CSV/vCard)" plugin: the card from a spreadsheet or a phone's contacts export.

No HTTP here: each test writes a real file in ``tmp_path`` the way Excel
(Brazilian ``;`` and cp1252, or UTF-8 with BOM), Google Contacts, Outlook or a
phone (vCard 2.1 QUOTED-PRINTABLE, 3.0 folded, 4.0 ``tel:`` URIs) writes it,
and asks the plugin for a customer as the inbox would. Formats: RFC 4180,
the vCard 2.1 specification, RFC 2426 and RFC 6350
(https://www.rfc-editor.org/rfc/rfc6350#section-3.2 for folding).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from crm_whatsapp.crm.host import Enabled, PluginHost
from crm_whatsapp.plugin_api import Card, Context, Customer, PluginError
from crm_whatsapp_crms.contacts import Contacts

ANA = Customer("5511987654321", "Ana")
ANA_OLD = Customer("551187654321", "Ana")  # Meta's id without the ninth digit


def lookup(file: str | Path, customer: Customer = ANA) -> Card | None:
    return asyncio.run(Contacts(Context(settings={"file": str(file)})).lookup(customer))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# -- CSV -----------------------------------------------------------------------------------

STORED_FORMATS = [
    "(11) 98765-4321",
    "+55 11 98765-4321",
    "+55 (11) 8765-4321",
    "5511987654321",
    "551187654321",
    "11987654321",
    "011 98765-4321",
    "11 8765 4321",
    "0xx11 98765-4321",
]


@pytest.mark.parametrize("stored", STORED_FORMATS)
@pytest.mark.parametrize("customer", [ANA, ANA_OLD])
def test_excel_semicolon_cp1252_matches_every_stored_format_never_the_decoy(
    tmp_path: Path, stored: str, customer: Customer
) -> None:
    sheet = (
        "Nome;Telefone;E-mail;Empresa;Observações\r\n"
        "João Decoy;(21) 98765-4321;joao@exemplo.com.br;Outra Ltda;área 21\r\n"
        f"Ana Conceição;{stored};ana@exemplo.com.br;Padaria São José;prefere à tarde\r\n"
    )
    card = lookup(write(tmp_path / "clientes.csv", sheet, "cp1252"), customer)
    assert card is not None
    assert card.name == "Ana Conceição"
    assert card.phones == (stored,)
    assert card.email == "ana@exemplo.com.br"
    assert card.company == "Padaria São José"
    assert card.fields == {"Observações": "prefere à tarde"}


def test_a_decoy_alone_in_another_area_code_is_nobody(tmp_path: Path) -> None:
    sheet = "Nome;Celular\nJoão;(21) 98765-4321\nPedro;(31) 8765-4321\nSem DDD;98765-4321\n"
    assert lookup(write(tmp_path / "c.csv", sheet)) is None


def test_utf8_with_bom_and_excels_sep_line(tmp_path: Path) -> None:
    sheet = "sep=;\nNome;Celular;Cidade\nAna Souza;+55 11 98765-4321;São Paulo\n"
    card = lookup(write(tmp_path / "c.csv", sheet, "utf-8-sig"))
    assert card is not None
    assert (card.name, card.fields) == ("Ana Souza", {"Cidade": "São Paulo"})


GOOGLE = (
    "Name,Given Name,Additional Name,Family Name,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,"
    "Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,"
    "Organization 1 - Type,Organization 1 - Name,Organization 1 - Title,Notes\n"
    "Carlos Decoy,Carlos,,Decoy,* myContacts,* Home,c@x.com,,,Mobile,+55 21 98765-4321,,,,,,\n"
    "Ana Souza,Ana,,Souza,* myContacts ::: Clientes,* Work,ana@empresa.com.br,Home,"
    "ana@gmail.com,Mobile,+55 11 3333-4444 ::: +55 11 98765-4321,Work,(11) 2222-1111,"
    ',Empresa X,Gerente,"Cliente desde 2019, pagamento em dia"\n'
)


def test_google_contacts_export(tmp_path: Path) -> None:
    card = lookup(write(tmp_path / "contacts.csv", GOOGLE))
    assert card is not None
    assert card.name == "Ana Souza"
    assert card.phones == ("+55 11 3333-4444", "+55 11 98765-4321", "(11) 2222-1111")
    assert card.email == "ana@empresa.com.br"
    assert card.company == "Empresa X"
    assert card.fields["E-mail 2"] == "ana@gmail.com"
    assert card.fields["Organization 1 - Title"] == "Gerente"
    assert card.fields["Notes"] == "Cliente desde 2019, pagamento em dia"
    assert card.fields["Group Membership"] == "* myContacts ::: Clientes"
    assert not any("Type" in label for label in card.fields)  # labels of values, not values
    assert "Given Name" not in card.fields


def test_outlook_export(tmp_path: Path) -> None:
    sheet = (
        "First Name,Middle Name,Last Name,Company,Job Title,Business Phone,Mobile Phone,"
        "E-mail Address,E-mail Display Name,Notes\n"
        "Ana,Maria,Souza,ACME Ltda,Compradora,(11) 3333-4444,(11) 98765-4321,"
        "ana@acme.com.br,Ana Souza (ana@acme.com.br),VIP\n"
    )
    card = lookup(write(tmp_path / "outlook.csv", sheet))
    assert card is not None
    assert card.name == "Ana Maria Souza"
    assert card.phones == ("(11) 3333-4444", "(11) 98765-4321")
    assert (card.email, card.company) == ("ana@acme.com.br", "ACME Ltda")
    assert card.fields == {"Job Title": "Compradora", "Notes": "VIP"}


def test_portuguese_outlook_first_and_last_name(tmp_path: Path) -> None:
    sheet = "Nome;Sobrenome;Telefone celular;Endereço de e-mail\nAna;Souza;11987654321;a@b.com\n"
    card = lookup(write(tmp_path / "c.csv", sheet, "cp1252"))
    assert card is not None
    assert (card.name, card.email) == ("Ana Souza", "a@b.com")


def test_area_code_in_its_own_column(tmp_path: Path) -> None:
    sheet = "Cliente;DDD;WhatsApp\nJoão;21;98765-4321\nAna;11;98765-4321\n"
    card = lookup(write(tmp_path / "c.csv", sheet))
    assert card is not None
    assert (card.name, card.phones) == ("Ana", ("(11) 98765-4321",))


def test_several_numbers_in_one_cell_and_several_columns(tmp_path: Path) -> None:
    sheet = 'Nome,Telefone 1,Telefone 2\nAna,"(11) 3333-4444 / (11) 2222-1111",11 98765-4321\n'
    card = lookup(write(tmp_path / "c.csv", sheet))
    assert card is not None
    assert card.phones == ("(11) 3333-4444", "(11) 2222-1111", "11 98765-4321")


def test_a_sheet_without_headers(tmp_path: Path) -> None:
    sheet = "João;(21) 98765-4321;joao@x.com\nAna Souza;(11) 98765-4321;ana@x.com;Centro\n"
    card = lookup(write(tmp_path / "lista.csv", sheet))
    assert card is not None
    assert (card.name, card.email, card.fields) == (
        "Ana Souza",
        "ana@x.com",
        {"Coluna 4": "Centro"},
    )


def test_tab_separated_utf16_with_bom(tmp_path: Path) -> None:
    sheet = "Nome\tCelular\tEmpresa\nAna Souza\t+5511987654321\tÓtica Sol\n"
    card = lookup(write(tmp_path / "c.csv", sheet, "utf-16"))
    assert card is not None
    assert (card.name, card.company) == ("Ana Souza", "Ótica Sol")


def test_malformed_rows_are_skipped(tmp_path: Path) -> None:
    huge = "x" * 200_000  # past the csv module's field limit
    sheet = (
        "Nome;Telefone;Obs\n"
        f'Grande;(11) 91111-1111;"{huge}"\n'
        "Sem colunas\n"
        "Nulo\x00;(11) 92222-2222\n"
        ";;;;;;;\n"
        '"aspas sem fim;(11) 93333-3333\n'
        "Ana Souza;(11) 98765-4321;ok;coluna extra\n"
    )
    path = write(tmp_path / "c.csv", sheet)
    card = lookup(path)
    assert card is not None
    assert card.name == "Ana Souza"
    assert card.fields["Obs"] == "ok"
    nul = lookup(path, Customer("5511922222222"))
    assert nul is not None and nul.name == "Nulo"
    assert lookup(path, Customer("5511933333333")) is None  # its quote swallowed the row


def test_a_quoted_cell_on_several_lines(tmp_path: Path) -> None:
    sheet = 'Nome,Celular,Notes\r\nAna,11987654321,"Primeira linha\r\n""citada"", segunda"\r\n'
    card = lookup(write(tmp_path / "c.csv", sheet))
    assert card is not None
    assert card.fields == {"Notes": 'Primeira linha\n"citada", segunda'}


def test_hostile_content_stays_plain_bounded_text(tmp_path: Path) -> None:
    sheet = (
        "Nome;Telefone;Obs;Site\n"
        "Ana \u202egnp.exe\u202c <b>Souza</b>\x07;(11) 98765-4321;"
        f'<script>alert(1)</script>;=HYPERLINK("http://x"){"a" * 5000}\n'
    )
    card = lookup(write(tmp_path / "c.csv", sheet))
    assert card is not None
    assert card.name == "Ana gnp.exe <b>Souza</b>"
    assert card.fields["Obs"] == "<script>alert(1)</script>"
    assert len(card.fields["Site"]) <= 2000
    assert card.fields["Site"].startswith('=HYPERLINK("http://x")')


# -- vCard ---------------------------------------------------------------------------------

VCARD21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N:Decoy;Carlos;;;\r\n"
    "TEL;CELL:+55 21 98765-4321\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Concei=C3=A7=C3=A3o;Ana;;;\r\n"
    "TEL;CELL;PREF:+5511987654321\r\n"
    "TEL;WORK;VOICE:(11) 3333-4444\r\n"
    "EMAIL;HOME:ana@exemplo.com.br\r\n"
    "EMAIL;WORK:ana@padaria.com.br\r\n"
    "ORG;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Padaria S=E3o Jos=E9\r\n"
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Prefere liga=C3=A7=C3=B5es =C3=A0 tarde;=\r\n"
    "=0A=C3=A9 cliente desde 2019\r\n"
    "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n"
    " /2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0\r\n"
    "\r\n"
    "END:VCARD\r\n"
)


def test_vcard_21_from_a_phone(tmp_path: Path) -> None:
    card = lookup(write(tmp_path / "contatos.vcf", VCARD21), ANA_OLD)
    assert card is not None
    assert card.name == "Ana Conceição"
    assert card.phones == ("+5511987654321", "(11) 3333-4444")
    assert card.email == "ana@exemplo.com.br"
    assert card.fields["E-mail 2"] == "ana@padaria.com.br"
    assert card.company == "Padaria São José"
    assert card.fields["Observações"] == "Prefere ligações à tarde;\né cliente desde 2019"


def test_vcard_21_in_cp1252_without_charset(tmp_path: Path) -> None:
    text = "BEGIN:VCARD\nVERSION:2.1\nFN:José Araújo\nTEL:(11) 98765-4321\nEND:VCARD\n"
    card = lookup(write(tmp_path / "c.vcf", text, "cp1252"))
    assert card is not None
    assert card.name == "José Araújo"


def test_vcard_30_folded_escaped_grouped(tmp_path: Path) -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Souza\r\nN:Souza;Ana;;;\r\n"
        "ORG:Empresa X\\, Filial;Vendas\r\n"
        "TITLE:Gerente\r\n"
        "item1.TEL;TYPE=CELL,VOICE:+55 (11) 9876\r\n 5-4321\r\n"
        "item1.X-ABLabel:WhatsApp\r\n"
        "EMAIL;TYPE=INTERNET,WORK:ana@x.com\r\n"
        "NOTE:Linha um\\nLinha dois\\, com vírgula e uma linha bem comprida que foi do\r\n"
        " brada\r\n"
        "END:VCARD\r\n"
    )
    card = lookup(write(tmp_path / "c.vcf", text))
    assert card is not None
    assert card.name == "Ana Souza"
    assert card.phones == ("+55 (11) 98765-4321",)
    assert card.company == "Empresa X, Filial, Vendas"
    assert card.fields == {
        "Cargo": "Gerente",
        "Observações": "Linha um\nLinha dois, com vírgula e uma linha bem comprida que foi dobrada",
    }


def test_vcard_40_tel_uris_and_no_fn(tmp_path: Path) -> None:
    text = (
        "BEGIN:VCARD\nVERSION:4.0\nN:Souza;Ana;Maria;Dra.;\n"
        'TEL;VALUE=uri;TYPE="cell,text":tel:+55-11-98765-4321\n'
        "TEL;VALUE=uri;TYPE=work:tel:+55-11-3333-4444;ext=21\n"
        "EMAIL:ana@x.com\nEND:VCARD\n"
    )
    card = lookup(write(tmp_path / "c.vcard", text))
    assert card is not None
    assert card.name == "Dra. Ana Maria Souza"
    assert card.phones == ("+55-11-98765-4321", "+55-11-3333-4444")


def test_broken_cards_are_skipped(tmp_path: Path) -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nsem dois pontos\nNOTE;ENCODING=b:%%%%\nTEL:+55 11 91111-1111\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\n:vazio\nTEL;CHARSET=nao-existe:(11) 98765-4321\n"
        "END:VCARD\nEND:VCARD\nlixo\n"
    )
    card = lookup(write(tmp_path / "c.vcf", text))
    assert card is not None
    assert card.name == "Ana"


def test_a_vcard_with_a_csv_extension_is_read_as_vcard(tmp_path: Path) -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL:11987654321\nEND:VCARD\n"
    card = lookup(write(tmp_path / "export.txt", text))
    assert card is not None
    assert card.name == "Ana"


# -- files ---------------------------------------------------------------------------------


def test_nobody_with_this_number_is_none(tmp_path: Path) -> None:
    assert lookup(write(tmp_path / "c.vcf", VCARD21), Customer("5511912345678")) is None
    assert lookup(write(tmp_path / "c.csv", GOOGLE), Customer("14155550100")) is None


def test_a_missing_file_names_only_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "Clientes da Ana"
    with pytest.raises(PluginError) as error:
        lookup(folder / "contatos.csv")
    sentence = str(error.value)
    assert "contatos.csv" in sentence
    assert "Clientes da Ana" not in sentence
    assert sentence.count(".") <= 2 and "\n" not in sentence  # one sentence (".csv" and the end)


def test_a_windows_path_names_only_the_file() -> None:
    with pytest.raises(PluginError) as error:
        lookup(r"C:\Users\ana\Documentos\clientes.csv")
    assert "clientes.csv" in str(error.value)
    assert "Users" not in str(error.value)


def test_an_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "pasta.csv"
    folder.mkdir()
    with pytest.raises(PluginError) as error:
        lookup(folder)
    assert "pasta.csv" in str(error.value)
    assert str(tmp_path) not in str(error.value)


def test_no_file_configured() -> None:
    with pytest.raises(PluginError) as error:
        lookup("  ")
    assert "arquivo de contatos" in str(error.value)


def test_an_excel_workbook_asks_for_csv(tmp_path: Path) -> None:
    path = tmp_path / "clientes.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(PluginError) as error:
        lookup(path)
    assert "clientes.xlsx" in str(error.value)
    assert "CSV" in str(error.value)


def test_several_files_and_quoted_paths(tmp_path: Path) -> None:
    first = write(tmp_path / "a.csv", "Nome;Celular\nJoão;(11) 91111-2222\n")
    second = write(tmp_path / "b.vcf", VCARD21)
    plugin = Contacts(Context(settings={"file": f'"{first}" ; {second}'}))
    card = asyncio.run(plugin.lookup(ANA))
    assert card is not None
    assert card.name == "Ana Conceição"
    joao = asyncio.run(plugin.lookup(Customer("5511911112222")))
    assert joao is not None and joao.name == "João"
    with pytest.raises(PluginError) as error:
        asyncio.run(Contacts(Context(settings={"file": f"{first};nao-existe.vcf"})).lookup(ANA))
    assert "nao-existe.vcf" in str(error.value)


def test_the_file_is_read_again_only_when_it_changes(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "Nome;Celular\nAna Souza;(11) 98765-4321\n")
    plugin = Contacts(Context(settings={"file": str(path)}))
    card = asyncio.run(plugin.lookup(ANA))
    assert card is not None and card.name == "Ana Souza"
    stat = path.stat()

    # Same size, same modification time: the cached index answers (the file is not parsed).
    write(path, "Nome;Celular\nBia Souza;(11) 98765-4321\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    card = asyncio.run(plugin.lookup(ANA))
    assert card is not None and card.name == "Ana Souza"

    # The office edits the sheet: the next lookup sees it.
    write(path, "Nome;Celular\nAna Souza Lima;(11) 98765-4321\n")
    card = asyncio.run(plugin.lookup(ANA))
    assert card is not None and card.name == "Ana Souza Lima"

    path.unlink()
    with pytest.raises(PluginError):
        asyncio.run(plugin.lookup(ANA))


def test_it_only_looks_up() -> None:
    assert Contacts.capabilities() == frozenset({"lookup"})
    assert [s.key for s in Contacts.settings] == ["file"]
    assert Contacts.settings[0].required
    assert (Contacts.name, Contacts.title) == ("contacts", "Contatos (CSV/vCard)")


def test_in_the_host(tmp_path: Path) -> None:
    path = write(tmp_path / "contatos.vcf", VCARD21)

    async def run() -> None:
        host = PluginHost([Enabled(Contacts, {"file": str(path)})])
        missing = PluginHost([Enabled(Contacts, {"file": str(tmp_path / "sumiu.csv")})])
        try:
            [found] = await host.lookup(ANA)
            assert found.error == "" and found.card is not None
            assert found.card.name == "Ana Conceição"
            [nobody] = await host.lookup(Customer("5511912345678"))
            assert nobody.card is None and nobody.error == ""
            [failed] = await missing.lookup(ANA)
            assert "sumiu.csv" in failed.error
        finally:
            await host.aclose()
            await missing.aclose()

    asyncio.run(run())
