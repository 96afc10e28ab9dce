"""Render the main views on the demo notebook to PNG (offscreen), for docs/screenshots.

python -m app.gui.screenshots docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.core.demo import DEMO_PASSPHRASE, build_demo
from app.core.vault import Vault
from app.gui.app import make_application
from app.gui.workers import wait_for_workers

SIZE = (1360, 840)


def _settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        wait_for_workers()
        app.processEvents()


def render(outdir: Path) -> list[Path]:
    from app.gui.dialogs.quick_capture import QuickCaptureDialog
    from app.gui.dialogs.search import SearchDialog
    from app.gui.dialogs.start import StartDialog
    from app.gui.main_window import MainWindow

    outdir.mkdir(parents=True, exist_ok=True)
    app = make_application()
    written: list[Path] = []

    def shot(widget: QWidget, name: str) -> None:
        _settle(app)
        path = outdir / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        path = Path(tmp) / "demo.liaison"
        vault = Vault.create(path, DEMO_PASSPHRASE)
        build_demo(vault)
        settings.setValue("recent_vaults", [str(path)])
        start = StartDialog(settings, open_demo=lambda: vault)
        start.show()
        shot(start, "01-start")
        start.close()

        window = MainWindow(vault, settings)
        window.resize(*SIZE)
        window.show()
        shot(window, "02-overview")
        window.show_section("messages")
        window.messages.list.view.selectRow(2)
        shot(window, "03-shuttle-log")
        window.sections.setCurrentWidget(window.people_tabs)
        window.parties.list.view.selectRow(1)
        shot(window, "04-parties")
        window.show_section("messages")
        window.shuttle_tabs.setCurrentWidget(window.knowledge)
        window.knowledge.tabs.setCurrentIndex(2)
        shot(window, "12-who-knows-what")
        window.knowledge.tabs.setCurrentIndex(0)
        shot(window, "13-pending-deliveries")
        window.show_section("sessions")
        window.sessions.list.view.selectRow(1)
        window.sessions.detail.scroll.verticalScrollBar().setValue(10_000)
        shot(window, "05-session")
        window.show_section("options")
        window.options.list.view.selectRow(0)
        window.options.detail.scroll.verticalScrollBar().setValue(10_000)
        shot(window, "06-options")
        window.sections.setCurrentWidget(window.options_matrix)
        shot(window, "14-options-matrix")
        window.sections.setCurrentWidget(window.timeline)
        shot(window, "07-timeline")

        def with_dialog(dialog: QWidget, name: str, prepare: Callable[[], None]) -> None:
            dialog.show()
            prepare()
            shot(dialog, name)
            dialog.close()

        from app.gui.dialogs.upcoming import UpcomingActionsDialog
        from app.gui.views.options import OptionHistoryDialog
        from app.gui.views.sessions import LiveNotesDialog

        records = window.ctx.records
        [package] = records.find(
            "option", title="Detainee package: lists first, then accompanied visits"
        )
        with_dialog(
            OptionHistoryDialog(window.ctx, package["id"], window),
            "15-option-history",
            lambda: None,
        )
        [road] = records.find("option", title="Joint demining survey of the upper pass road")
        with_dialog(
            OptionHistoryDialog(window.ctx, road["id"], window), "16-option-split", lambda: None
        )
        held = next(x for x in records.find("session") if x["status"].value == "held")
        live = LiveNotesDialog(window.ctx, held["id"], window)
        with_dialog(
            live,
            "17-live-notes",
            lambda: (
                live.notes.setCurrentRow(2),
                live.entry.setPlainText("The elders would accept observers from the Circle"),
            ),
        )
        live.entry.clear()
        live.save_draft()
        with_dialog(UpcomingActionsDialog(window.ctx, window), "18-upcoming-actions", lambda: None)
        from app.gui.views.sessions import PlanSessionDialog

        plan = PlanSessionDialog(window.ctx, window)
        with_dialog(
            plan,
            "19-plan-session",
            lambda: (
                plan.title.setText("Joint workshop III"),
                plan.people.item(0, 0).setCheckState(Qt.CheckState.Checked),
            ),
        )

        search = SearchDialog(window.ctx, window)
        with_dialog(
            search,
            "08-search",
            lambda: (
                search.query.setText("monitor"),
                QTimer.singleShot(0, search._run),
                _settle(app),
                search._run(),
            ),
        )
        window.show_section("messages")
        capture = QuickCaptureDialog(window.ctx, window)
        with_dialog(
            capture,
            "09-quick-capture",
            lambda: capture.content.setPlainText(
                "The council will send two elders to the pass on Thursday if the road is cleared."
            ),
        )
        QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        window.show_section("notes")
        _settle(app)
        window.notes.list.select(window.notes.list.model.record_id(1) or 0)
        shot(window, "10-right-to-left")
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        window.lock()
        shot(window, "11-locked")
        window.close()
    return written


def main() -> None:
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    for p in render(outdir):
        print(p)


if __name__ == "__main__":
    main()
