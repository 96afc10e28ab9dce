"""Every folder Liaison uses, resolved in one place (tests point XDG_* at temporary folders).

Liaison keeps no content outside vaults: the config folder holds window state and the list
of recent vault paths; the data folder holds the demo notebook.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "Liaison"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def demo_vault_path() -> Path:
    return data_dir() / "demo.liaison"


def resources_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "resources"
