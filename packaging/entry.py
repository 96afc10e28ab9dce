"""Entry point of the packaged app (PyInstaller): the same as `python -m app`."""

import sys

from app.cli import run

sys.exit(run())
