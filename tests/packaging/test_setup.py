"""The README's two commands: `make run` installs only what running needs, `make test` adds
the test tools; the system libraries Qt's platform plugin links to are named by Debian's rule.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(target: str, venv: Path) -> str:
    """The commands `make TARGET` would run on a machine with no venv yet (nothing is run)."""
    out = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target, f"VENV={venv}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_make_run_installs_the_app_without_the_test_tools(tmp_path: Path) -> None:
    commands = _dry_run("run", tmp_path / "venv")
    assert "pip install --quiet -e ." in commands
    assert "[test]" not in commands
    assert "liaison --demo" in commands


def test_make_test_adds_the_test_tools(tmp_path: Path) -> None:
    commands = _dry_run("test", tmp_path / "venv")
    assert 'pip install --quiet -e ".[test]"' in commands
    assert "pytest" in commands and "ruff check" in commands and "mypy" in commands


@pytest.mark.parametrize(
    ("library", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libEGL.so.1", "libegl1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
    ],
)
def test_system_deps_names_the_debian_package_of_a_missing_library(
    library: str, package: str
) -> None:
    script = ROOT / "packaging" / "system-deps.sh"
    out = subprocess.run(
        [
            "bash",
            "-c",
            f"eval \"$(sed -n '/^package_of()/,/^}}/p' {script})\"; package_of {library}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == package
