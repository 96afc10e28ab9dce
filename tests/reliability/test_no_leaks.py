"""No plaintext at rest, no network: fill a vault through the services and the GUI with
marker strings, exercise search, lock/unlock, backup and rekey, then scan every file Liaison
wrote (vault, -wal/-shm, backups, config/data/cache folders, the temporary folder) for the
markers in UTF-8 and UTF-16. Sockets are blocked for the whole run and must stay unused."""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from app.core.demo import build_demo
from app.core.export.jsonio import export_json
from app.core.services.records import Records
from app.core.services.search import search
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

MARKERS = [
    "ZEBRA-MARKER-7741 ceasefire lines",
    "МАРКЕР-ДОВЕРИЕ-5521",
    "მარკერი-ნდობა-3310",
    "علامة-سرية-8842",
]


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    dirs = {
        name: tmp_path / name for name in ("vaults", "tmp", "config", "data", "cache", "exports")
    }
    for d in dirs.values():
        d.mkdir()
    monkeypatch.setenv("TMPDIR", str(dirs["tmp"]))
    monkeypatch.setattr(tempfile, "tempdir", str(dirs["tmp"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["config"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs["data"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(dirs["cache"]))
    attempts: list[tuple[Any, ...]] = []

    class NoSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            attempts.append(args)
            raise OSError("network blocked by the test")

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(
        socket,
        "create_connection",
        lambda *a, **k: attempts.append(a) or (_ for _ in ()).throw(OSError()),
    )
    yield dirs
    assert attempts == [], f"Liaison tried to open a network connection: {attempts}"


def scan(root: Path, markers: list[str], exclude: Path) -> list[tuple[str, str, str]]:
    hits = []
    for path in root.rglob("*"):
        if not path.is_file() or exclude in path.parents:
            continue
        data = path.read_bytes()
        for marker in markers:
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                if marker.encode(enc) in data:
                    hits.append((str(path.relative_to(root)), marker, enc))
    return hits


def test_nothing_readable_outside_explicit_exports(
    sandbox: dict[str, Path], qtbot: Any, tmp_path: Path
) -> None:
    from app.gui.dialogs.quick_capture import QuickCaptureDialog
    from app.gui.main_window import MainWindow

    path = sandbox["vaults"] / "notebook.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    build_demo(vault)
    r = Records(vault)
    case = r.find("case", order_by="id")[0]["id"]
    party = r.find("party", case_id=case)[0]["id"]
    r.create(
        "message",
        case_id=case,
        sender_party_id=party,
        content=MARKERS[0],
        disclosure="confidential",
    )
    r.create("note", case_id=case, title=MARKERS[1], body=MARKERS[2])
    r.attach("case", case, "secret.txt", MARKERS[3].encode())
    assert search(vault, "ZEBRA-MARKER-7741")

    # The GUI: type a marker in quick capture, search for it, lock and unlock.
    settings = QSettings(str(sandbox["config"] / "Liaison.ini"), QSettings.Format.IniFormat)
    window = MainWindow(vault, settings)
    window.show()
    dialog = QuickCaptureDialog(window.ctx, window)
    qtbot.keyClicks(dialog.content, "GUI-MARKER-9902 typed in the field")
    dialog.from_party.setCurrentIndex(1)
    dialog.save()
    assert dialog.created_id is not None, dialog.error.text()
    window.lock()
    window.close()
    settings.sync()
    vault.unlock(PASSPHRASE)

    vault.backup_to(sandbox["vaults"] / "backup.liaison")
    vault.change_passphrase("a new passphrase for the test")
    export_json(vault, sandbox["exports"] / "explicit.json")  # the one allowed plaintext
    markers = [*MARKERS, "GUI-MARKER-9902"]
    assert scan(tmp_path, markers, exclude=sandbox["exports"]) == []  # while open (WAL)
    vault.lock()
    assert scan(tmp_path, markers, exclude=sandbox["exports"]) == []
    # The scan itself works: the explicit export does contain them (the attachment's
    # marker is there in base64, as the format says).
    found = {m for _, m, _ in scan(sandbox["exports"], markers, exclude=tmp_path / "x")}
    assert found == set(markers) - {MARKERS[3]}
