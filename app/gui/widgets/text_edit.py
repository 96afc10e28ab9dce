"""Multi-line plain text whose paragraphs each follow their own direction.

A QPlainTextEdit lays out every paragraph with the document's one text option, whose
direction is the widget's: an Arabic or Hebrew paragraph typed in a left-to-right window
stays left-aligned. Here the option's direction is "auto" (each paragraph takes the
direction of its first strong character) and its alignment is ``AlignJustify |
AlignAbsolute``: Qt aligns a right-to-left line of such an option to the right and a
left-to-right one to the left, and ``AlignAbsolute`` keeps it from stretching the words of
a left-to-right line the way justified text would.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QPlainTextEdit, QWidget

PARAGRAPH_ALIGNMENT = Qt.AlignmentFlag.AlignJustify | Qt.AlignmentFlag.AlignAbsolute


class ParagraphTextEdit(QPlainTextEdit):
    """A QPlainTextEdit (same API) whose paragraphs follow their own text direction."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, lines: int = 0) -> None:
        super().__init__(text, parent)
        self.lines = lines  # the height it asks for, in lines (0: Qt's own size hint)
        self._height = 0
        self.follow_paragraph_direction()
        self._measure()

    def _measure(self) -> None:
        # Measured here, not in sizeHint(): PySide6 6.12 miscounts references to None when
        # sizeHint(), called from C++, asks for the font metrics and margins (the
        # interpreter aborts at exit).
        frame = 2 * self.frameWidth()
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        doc = int(2 * self.document().documentMargin())
        self._height = self.lines * self.fontMetrics().lineSpacing() + frame + margins + doc

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.lines <= 0:
            return hint
        return QSize(hint.width(), self._height)

    def follow_paragraph_direction(self) -> None:
        doc = self.document()
        option = doc.defaultTextOption()
        if (
            option.textDirection() == Qt.LayoutDirection.LayoutDirectionAuto
            and option.alignment() == PARAGRAPH_ALIGNMENT
        ):
            return
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        option.setAlignment(PARAGRAPH_ALIGNMENT)
        doc.setDefaultTextOption(option)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Qt gives the document the widget's direction again when the layout direction
        # changes (a right-to-left translation loaded): each paragraph keeps its own.
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self.follow_paragraph_direction()
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._measure()
