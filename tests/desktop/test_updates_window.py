"""The window offers a signed update and downloads it only when it verifies.

A real release server on loopback serves a manifest signed with a
throw-away key (the window is told to trust it, as a build trusts the
release key) and the installer; the attendant's window, connected to the
demo relay, shows the offer in its status bar, and "Baixar" keeps the file
only when its SHA-256 matches the signed manifest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from update_support import Release, ReleaseServer, running_server

from crm_whatsapp.updates import MANIFEST_URL_ENV

if TYPE_CHECKING:
    from qtsupport import Desk


@pytest.fixture
def server() -> Iterator[ReleaseServer]:
    yield from running_server()


def _trusting(desk: Desk, release: Release, folder: Path) -> Any:
    offer = desk.window.updates
    offer.keys = (release.public,)
    offer.folder = lambda: folder
    return offer


def test_the_offer_appears_and_the_download_is_verified(
    desk: Desk, qtbot: Any, server: ReleaseServer, tmp_path: Path, monkeypatch: Any
) -> None:
    release = Release()
    payload = os.urandom(3_000_000)
    url = release.publish(server, release.manifest(server, "0.2.0", installer=payload))
    monkeypatch.setenv(MANIFEST_URL_ENV, url)
    offer = _trusting(desk, release, tmp_path / "Downloads")
    bar = offer.bar
    assert not bar.isVisible()  # nothing offered before a check

    with qtbot.waitSignal(offer.checked, timeout=10_000):
        offer.check_now()
    assert bar.isVisible()
    assert bar.label.text() == "Versão 0.2.0 disponível —"
    assert bar.download_button.isVisible() and bar.download_button.text() == "Baixar"
    assert bar.label.toolTip()  # the release notes, as plain text

    with qtbot.waitSignal(offer.downloaded, timeout=30_000) as done:
        qtbot.mouseClick(bar.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(bar.progress.isVisible, timeout=5_000)
    path: Path = done.args[0]
    assert path.parent == tmp_path / "Downloads"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(payload).hexdigest()
    assert bar.label.text() == "Versão 0.2.0 baixada e conferida."
    assert bar.open_button.isVisible() and bar.open_button.text() == "Abrir instalador"
    assert not bar.download_button.isVisible() and not bar.progress.isVisible()
    # Offered, never installed: the window started nothing but the download.
    assert server.requests == ["/update.json", "/setup-0.2.0.exe"]


def test_a_required_update_says_so_and_a_bad_download_is_deleted(
    desk: Desk, qtbot: Any, server: ReleaseServer, tmp_path: Path, monkeypatch: Any
) -> None:
    release = Release()
    payload = os.urandom(500_000)
    body = release.manifest(server, "0.5.0", minimum_version="0.4.0", installer=payload)
    monkeypatch.setenv(MANIFEST_URL_ENV, release.publish(server, body))
    downloads = tmp_path / "Downloads"
    offer = _trusting(desk, release, downloads)
    with qtbot.waitSignal(offer.checked, timeout=10_000):
        offer.check_now()
    bar = offer.bar
    assert bar.label.text() == (
        "Atualização obrigatória: esta versão não é mais aceita; instale a versão 0.5.0."
    )
    assert "bold" in bar.label.styleSheet()

    server.files["/setup-0.5.0.exe"] = os.urandom(500_000)  # the mirror serves another file
    with qtbot.waitSignal(offer.download_failed, timeout=30_000) as failed:
        qtbot.mouseClick(bar.download_button, Qt.MouseButton.LeftButton)
    sentence = (
        "O instalador baixado não confere com a atualização assinada e foi apagado; "
        "nada foi instalado."
    )
    assert failed.args == [sentence]
    assert bar.label.text() == sentence
    assert list(downloads.iterdir()) == []  # nothing left to open by mistake
    assert not bar.open_button.isVisible()
    assert bar.download_button.text() == "Tentar de novo"


def test_a_refused_manifest_offers_nothing(
    desk: Desk, qtbot: Any, server: ReleaseServer, monkeypatch: Any
) -> None:
    impostor = Release()
    url = impostor.publish(server, impostor.manifest(server, "9.9.9"))
    monkeypatch.setenv(MANIFEST_URL_ENV, url)
    offer = desk.window.updates  # trusts only the shipped release key
    with qtbot.waitSignal(offer.checked, timeout=10_000) as checked:
        offer.check_now()
    assert checked.args == ["O aviso de atualização não tem uma assinatura válida e foi ignorado."]
    assert not offer.bar.isVisible()
    assert server.requests == ["/update.json"]


def test_an_address_typed_in_the_settings_is_checked_at_once(
    desk: Desk, qtbot: Any, server: ReleaseServer, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.delenv(MANIFEST_URL_ENV, raising=False)
    release = Release()
    url = release.publish(server, release.manifest(server, "0.3.0", minimum_version="0"))
    offer = _trusting(desk, release, tmp_path / "Downloads")
    desk.window.open_settings()
    dialog = desk.window.settings_dialog
    dialog.update_url_edit.setText("http://example.com/update.json")
    dialog.ok_button.click()
    assert dialog.isVisible()  # refused: plain http to another machine
    assert dialog.error_label.text() == "O endereço de atualizações deve começar com https://."
    dialog.update_url_edit.setText(url)
    with qtbot.waitSignal(offer.checked, timeout=10_000):
        dialog.ok_button.click()
    assert desk.window.preferences.update_url == url
    assert offer.bar.label.text() == "Versão 0.3.0 disponível —"
