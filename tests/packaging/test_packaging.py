"""Packaging: the desktop entry and metainfo validate; a built bundle passes its self-check.

The bundle is built by `make dist` (slow, not part of the default run); this test runs its
self-check whenever dist/liaison/ exists, and is skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
BUNDLE = ROOT / "dist" / "liaison" / "liaison"


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="desktop-file-validate is not installed"
)
def test_desktop_entry_validates() -> None:
    subprocess.run(
        ["desktop-file-validate", str(LINUX / "org.liaison.Liaison.desktop")], check=True
    )


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_metainfo_validates() -> None:
    subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / "org.liaison.Liaison.metainfo.xml")],
        check=True,
    )


def test_mime_type_and_desktop_entry_agree() -> None:
    desktop = (LINUX / "org.liaison.Liaison.desktop").read_text()
    mime = (LINUX / "liaison-mime.xml").read_text()
    assert "MimeType=application/x-liaison-vault;" in desktop
    assert 'type="application/x-liaison-vault"' in mime and '<glob pattern="*.liaison"/>' in mime
    assert "Exec=liaison %f" in desktop  # opening a vault starts Liaison on its unlock dialog


@pytest.mark.skipif(not BUNDLE.exists(), reason="no bundle: run `make dist` first")
@pytest.mark.timeout(300)
def test_built_bundle_passes_its_self_check() -> None:
    out = subprocess.run(
        [str(BUNDLE), "--self-check"],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Self-check passed." in out.stdout
