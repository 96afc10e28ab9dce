"""The main window lives in app.gui.shell; this name stays for its importers."""

from app.gui.shell.main_window import MainWindow, SectionEntry

__all__ = ["MainWindow", "SectionEntry"]
