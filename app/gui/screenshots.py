"""Render every screen on the demo notebook to PNG (offscreen), for docs/screenshots.

    python -m app.gui.screenshots docs/screenshots

writes each screen at 1280×800 into the folder (the README's table shows these) and again at
1024×700 into its ``1024x700/`` sub-folder. The script finds its way as a user would: it
opens sections through the window's public API, tabs by their labels and lists by their
names, so the window's layout may change under it; whatever it cannot find stops it with a
message naming what is missing (``ScreenshotError``), rather than a wrong picture.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)

from app.core.demo import DEMO_PASSPHRASE, build_demo
from app.core.vault import Vault
from app.gui.app import make_application
from app.gui.workers import wait_for_workers

SIZES: tuple[tuple[int, int], ...] = ((1280, 800), (1024, 700))
W = TypeVar("W", bound=QWidget)


class ScreenshotError(RuntimeError):
    """Something a screen needs could not be found in the window: named in the message."""


def size_folder(outdir: Path, size: tuple[int, int]) -> Path:
    """Where the shots of one size go: the first size in the folder itself, others below."""
    return outdir if size == SIZES[0] else outdir / f"{size[0]}x{size[1]}"


def settle(app: QApplication, rounds: int = 5, ms: int = 300) -> None:
    """Let workers finish and short timers fire (the thread pane waits for the selection to
    settle before it reads), so a shot shows what a user sees a moment later."""
    for _ in range(rounds):
        wait_for_workers()
        app.processEvents()
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    wait_for_workers()
    app.processEvents()


# -- finding things as a user would ---------------------------------------------------------


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def open_section(window: QWidget, *names: str) -> None:
    """Bring a section or page into view: the window's ``open_section(key)`` or
    ``show_section(page)``, whichever knows one of ``names``."""
    tried: list[str] = []
    for method in ("open_section", "show_section"):
        fn = getattr(window, method, None)
        if not callable(fn):
            continue
        for name in names:
            tried.append(f"{method}({name!r})")
            try:
                fn(name)
            except (KeyError, LookupError, StopIteration, ValueError):
                continue
            app = QApplication.instance()
            if isinstance(app, QApplication):
                settle(app)  # sections may be built, and their rows loaded, on the way
            return
    raise ScreenshotError(f"no section {' / '.join(names)} in the window (tried {tried})")


def _tab_text(text: str) -> str:
    return text.replace("&", "").strip().casefold()


def open_tab(root: QWidget, *labels: str) -> None:
    """Switch the tab widget under ``root`` that has a tab labelled one of ``labels`` (visible
    tab widgets first), and every tab widget above it, to that tab."""
    wanted = [_tab_text(label) for label in labels]
    candidates = sorted(root.findChildren(QTabWidget), key=lambda t: not _visible(t))
    for tabs in candidates:
        for i in range(tabs.count()):
            if _tab_text(tabs.tabText(i)) in wanted:
                reveal(tabs)
                tabs.setCurrentIndex(i)
                app = QApplication.instance()
                if isinstance(app, QApplication):
                    settle(app)
                return
    raise ScreenshotError(f"no tab labelled {' / '.join(labels)!r} in {type(root).__name__}")


def reveal(widget: QWidget) -> None:
    """Make the tabs and stacks that hold ``widget`` show it."""
    child: QWidget = widget
    parent = child.parentWidget()
    while parent is not None:
        holder = parent.parentWidget()
        if isinstance(holder, QTabWidget):
            holder.setCurrentWidget(child)
        elif hasattr(parent, "setCurrentWidget") and parent.inherits("QStackedWidget"):
            parent.setCurrentWidget(child)
        child, parent = parent, holder


def find_widget(root: QWidget, cls: type[W], name: str = "", *, visible: bool = True) -> W:
    """The widget of class ``cls`` under ``root`` (objectName ``name`` if given; the largest
    visible one otherwise)."""
    found = [w for w in root.findChildren(cls) if not name or w.objectName() == name]
    if visible:
        found = [w for w in found if _visible(w)]
    if not found:
        what = f"{cls.__name__} {name!r}" if name else cls.__name__
        state = "visible " if visible else ""
        raise ScreenshotError(f"no {state}{what} in {type(root).__name__}")
    return max(found, key=lambda w: w.width() * w.height())


def find_by_class_name(root: QWidget, class_name: str) -> QWidget:
    for w in root.findChildren(QWidget):
        if type(w).__name__ == class_name:
            return w
    raise ScreenshotError(f"no {class_name} in {type(root).__name__}")


def record_table(root: QWidget, list_name: str) -> QTableView:
    """A record list's table (objectName ``table_<list>``), else the largest visible one."""
    try:
        return find_widget(root, QTableView, f"table_{list_name}")
    except ScreenshotError:
        return find_widget(root, QTableView)


def select_row(view: QAbstractItemView, row: int) -> None:
    model = view.model()
    while row >= model.rowCount() and model.canFetchMore(view.rootIndex()):
        model.fetchMore(view.rootIndex())
    if not 0 <= row < model.rowCount():
        raise ScreenshotError(f"{view.objectName() or type(view).__name__} has no row {row}")
    index = model.index(row, 0, view.rootIndex())
    view.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.scrollTo(index)


def row_with(view: QAbstractItemView, text: str) -> int:
    """The first row whose first column holds ``text``."""
    model = view.model()
    for row in range(model.rowCount()):
        if text in str(model.index(row, 0).data() or ""):
            return row
    raise ScreenshotError(f"{view.objectName() or type(view).__name__} has no row with {text!r}")


def scroll_to_end(root: QWidget) -> None:
    """Scroll the largest visible scroll area (a record's details) to its end."""
    area = find_widget(root, QScrollArea)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())


def load_class(name: str, *modules: str) -> Any:
    for module in modules:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    raise ScreenshotError(f"no {name} in {', '.join(modules)}")


def type_text(root: QWidget, text: str, name: str = "") -> None:
    """Put ``text`` in the editor named ``name`` (else the largest visible text editor)."""
    for cls in (QPlainTextEdit, QTextEdit, QLineEdit):
        try:
            editor = find_widget(root, cls, name)
        except ScreenshotError:
            continue
        if isinstance(editor, QLineEdit):
            editor.setText(text)
        elif isinstance(editor, (QPlainTextEdit, QTextEdit)):
            editor.setPlainText(text)
        return
    raise ScreenshotError(f"no text editor {name!r} in {type(root).__name__}")


def clear_typed_text(root: QWidget) -> None:
    """Empty what the script typed, so closing asks nothing about unsaved text."""
    for editor in root.findChildren(QPlainTextEdit):
        if not editor.isReadOnly():
            editor.setPlainText("")
    for line in root.findChildren(QLineEdit):
        if not line.isReadOnly():
            line.setText("")


def check_first_item(view: QAbstractItemView) -> None:
    model: QAbstractItemModel = view.model()
    if model.rowCount() == 0:
        raise ScreenshotError(f"{view.objectName() or type(view).__name__} is empty")
    model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)


# -- the screens ----------------------------------------------------------------------------


class Shooter:
    def __init__(self, app: QApplication, outdir: Path) -> None:
        self.app = app
        self.outdir = outdir
        self.written: list[Path] = []

    @contextmanager
    def screen(self, name: str) -> Iterator[None]:
        """Name the screen in any ScreenshotError raised while preparing it."""
        try:
            yield
        except ScreenshotError as exc:
            raise ScreenshotError(f"{self.outdir / name}.png: {exc}") from exc

    def shot(self, widget: QWidget, name: str) -> None:
        settle(self.app)
        self.outdir.mkdir(parents=True, exist_ok=True)
        path = self.outdir / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise ScreenshotError(f"could not write {path}")
        self.written.append(path)

    def dialog(
        self, dialog: QWidget, name: str, prepare: Callable[[], None] = lambda: None
    ) -> None:
        dialog.show()
        settle(self.app)
        with self.screen(name):
            prepare()
        self.shot(dialog, name)
        clear_typed_text(dialog)
        dialog.close()
        settle(self.app)


@contextmanager
def demo_vault() -> Iterator[tuple[Vault, QSettings, Path]]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        path = Path(tmp) / "demo.liaison"
        vault = Vault.create(path, DEMO_PASSPHRASE)
        build_demo(vault)
        settings.setValue("recent_vaults", [str(path)])
        try:
            yield vault, settings, path
        finally:
            if vault.is_unlocked:
                vault.lock()


def render_window_screens(s: Shooter, window: Any) -> None:
    """Every screen of the main window, in the README's order of names."""
    app = s.app
    with s.screen("02-overview"):
        open_section(window, "overview")
    s.shot(window, "02-overview")

    with s.screen("03-shuttle-log"):
        open_section(window, "messages", "shuttle")
        select_row(record_table(window, "message"), 2)
    s.shot(window, "03-shuttle-log")

    with s.screen("04-parties"):
        open_section(window, "parties", "people")
        try:
            open_tab(window, "Parties")
        except ScreenshotError:
            pass  # parties may have a page of their own, without tabs
        settle(app)
        select_row(record_table(window, "party"), 1)
    s.shot(window, "04-parties")

    with s.screen("12-who-knows-what"):
        open_section(window, "messages", "shuttle")
        open_tab(window, "Who knows what")
    s.shot(window, "12-who-knows-what")
    with s.screen("13-pending-deliveries"):
        open_tab(window, "Pending", "Pending deliveries")
    s.shot(window, "13-pending-deliveries")

    with s.screen("05-session"):
        open_section(window, "sessions")
        select_row(record_table(window, "session"), 1)
        settle(app)
        scroll_to_end(window)
    s.shot(window, "05-session")

    with s.screen("06-options"):
        open_section(window, "options")
        select_row(record_table(window, "option"), 0)
        settle(app)
        scroll_to_end(window)
    s.shot(window, "06-options")

    with s.screen("14-options-matrix"):
        try:
            open_tab(window, "Options matrix", "Matrix")
        except ScreenshotError:
            open_section(window, "options_matrix", "matrix")
    s.shot(window, "14-options-matrix")

    with s.screen("20-texts"):
        open_section(window, "texts")
        open_tab(window, "Draft")
        select_row(find_widget(window, QTreeView, "drafts_list"), 1)  # draft 2 of the demo
        select_row(find_widget(window, QTreeView, "clause_outline"), 4)  # a clause with brackets
        settle(app)
    s.shot(window, "20-texts")
    with s.screen("21-texts-critique"):
        open_tab(window, "Critique")
        settle(app)
    s.shot(window, "21-texts-critique")
    with s.screen("22-texts-compare"):
        open_tab(window, "Compare")
        settle(app)
    s.shot(window, "22-texts-compare")

    with s.screen("23-commitments"):
        open_section(window, "commitments")
        # A commitment with a condition and a course of its own (the demo's third).
        select_row(find_widget(window, QTableView, "commitments_register"), 2)
        settle(app)
    s.shot(window, "23-commitments")

    with s.screen("24-handovers"):
        open_section(window, "messages", "shuttle")
        open_tab(window, "Handovers")
        select_row(find_widget(window, QTableView, "handovers"), 0)
        settle(app)
    s.shot(window, "24-handovers")

    with s.screen("25-party-record"):
        open_section(window, "parties", "people")
        try:
            open_tab(window, "Parties")
        except ScreenshotError:
            pass  # parties may have a page of their own, without tabs
        select_row(record_table(window, "party"), row_with(record_table(window, "party"), "KHM"))
        settle(app)
        find_widget(window, QLabel, "party_record_line")  # the party's record, shown
    s.shot(window, "25-party-record")

    with s.screen("07-timeline"):
        open_section(window, "timeline")
    s.shot(window, "07-timeline")


def render_dialogs(s: Shooter, window: Any) -> None:
    ctx = window.ctx
    records = ctx.records
    option_history = load_class(
        "OptionHistoryDialog", "app.gui.sections.options", "app.gui.dialogs.option_history"
    )
    [package] = records.find(
        "option", title="Detainee package: lists first, then accompanied visits"
    )
    s.dialog(option_history(ctx, package["id"], window), "15-option-history")
    [road] = records.find("option", title="Joint demining survey of the upper pass road")
    s.dialog(option_history(ctx, road["id"], window), "16-option-split")

    live_notes = load_class(
        "LiveNotesDialog", "app.gui.sections.sessions", "app.gui.dialogs.live_notes"
    )
    held = next(x for x in records.find("session") if x["status"].value == "held")
    live = live_notes(ctx, held["id"], window)

    def notes() -> None:
        view = find_widget(live, QAbstractItemView, "live_notes")
        select_row(view, min(2, view.model().rowCount() - 1))
        type_text(live, "The elders would accept observers from the Circle", "live_entry")

    s.dialog(live, "17-live-notes", notes)

    upcoming = load_class("UpcomingActionsDialog", "app.gui.dialogs.upcoming")
    s.dialog(upcoming(ctx, window), "18-upcoming-actions")

    plan_session = load_class(
        "PlanSessionDialog", "app.gui.sections.sessions", "app.gui.dialogs.plan_session"
    )
    plan = plan_session(ctx, window)

    def planned() -> None:
        type_text(plan, "Joint workshop III", "plan_title")
        check_first_item(find_widget(plan, QAbstractItemView, "plan_participants"))

    s.dialog(plan, "19-plan-session", planned)

    search_dialog = load_class("SearchDialog", "app.gui.dialogs.search")
    search = search_dialog(ctx, window)

    def searched() -> None:
        find_widget(search, QLineEdit).setText("monitor")
        results = find_widget(search, QAbstractItemView)
        deadline = time.monotonic() + 5
        while results.model().rowCount() == 0 and time.monotonic() < deadline:
            settle(s.app)
            time.sleep(0.02)
        if results.model().rowCount() == 0:
            raise ScreenshotError("the search dialog found nothing for 'monitor'")

    s.dialog(search, "08-search", searched)

    new_handover = load_class("NewHandoverDialog", "app.gui.sections.handover_dialogs")
    handover = new_handover(ctx, window)

    def refused() -> None:
        # An option that may go, then a draft of the working paper: it rests on a workshop
        # at whose table no outsider sat, so the rule refuses it, in red, beside it.
        for kind, combo in (("option", "handover_option"), ("draft", "handover_draft")):
            picker = find_widget(handover, QComboBox, "handover_add_kind", visible=False)
            picker.setCurrentIndex(picker.findData(kind))
            if find_widget(handover, QComboBox, combo).count() == 0:
                raise ScreenshotError(f"the New handover dialog offers no {kind}")
            find_widget(handover, QPushButton, "handover_add").click()
        if not find_widget(handover, QLabel, "handover_refused").text():
            raise ScreenshotError("the New handover dialog refused nothing")

    s.dialog(handover, "26-new-handover", refused)

    open_section(window, "messages", "shuttle")
    quick_capture = load_class("QuickCaptureDialog", "app.gui.dialogs.quick_capture")
    capture = quick_capture(ctx, window)
    s.dialog(
        capture,
        "09-quick-capture",
        lambda: type_text(
            capture,
            "The council will send two elders to the pass on Thursday if the road is cleared.",
        ),
    )


def render_size(
    app: QApplication, outdir: Path, size: tuple[int, int], with_start: bool
) -> list[Path]:
    from app.gui.main_window import MainWindow

    start_dialog = load_class("StartDialog", "app.gui.dialogs.start")
    s = Shooter(app, outdir)
    with demo_vault() as (vault, settings, _path):
        if with_start:
            start = start_dialog(settings, open_demo=lambda: vault)
            s.dialog(start, "01-start")
        window = MainWindow(vault, settings)
        window.resize(*size)
        window.show()
        settle(app)
        render_window_screens(s, window)
        render_dialogs(s, window)

        QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        try:
            with s.screen("10-right-to-left"):
                open_section(window, "notes")
                settle(app)
                select_row(record_table(window, "note"), 1)
            s.shot(window, "10-right-to-left")
        finally:
            QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        window.lock()
        s.shot(window, "11-locked")
        window.close()
        settle(app)
    return s.written


def render(outdir: Path, sizes: tuple[tuple[int, int], ...] = SIZES) -> list[Path]:
    app = make_application()
    written: list[Path] = []
    for size in sizes:
        written += render_size(app, size_folder(outdir, size), size, with_start=True)
    return written


def main() -> None:
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    try:
        paths = render(outdir)
    except ScreenshotError as exc:
        sys.exit(f"screenshots: {exc}")
    for p in paths:
        print(p)


if __name__ == "__main__":
    main()
