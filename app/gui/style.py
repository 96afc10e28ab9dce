"""Liaison's look, drawn by a QProxyStyle over Fusion instead of an application style sheet.

An application-wide style sheet makes Qt polish every widget through its style-sheet engine
(half the time of the first screen on the 100k-message vault), so the look the sheets gave is
drawn here: rounded inputs and buttons with a quiet border and a clear focus ring, a subtle
selection that keeps the text's own colour (a confidential message stays red when selected),
flat headers and tabs, and checkable buttons that are plainly on or off.

Colours come from the palette wherever they can; the fixed ones (borders, the accent, the
selection tint) have a light and a dark set, chosen from the palette's window colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QHeaderView,
    QPlainTextEdit,
    QProxyStyle,
    QStyle,
    QStyledItemDelegate,
    QStyleFactory,
    QStyleOption,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionComplex,
    QStyleOptionFrame,
    QStyleOptionSpinBox,
    QStyleOptionTab,
    QStyleOptionToolButton,
    QStyleOptionViewItem,
    QTabBar,
    QTextEdit,
    QWidget,
)

from app.gui.resources import icon, is_dark

PE = QStyle.PrimitiveElement
CE = QStyle.ControlElement
CC = QStyle.ComplexControl
SC = QStyle.SubControl
SP = QStyle.StandardPixmap
SH = QStyle.StyleHint
St = QStyle.StateFlag

# State flags as plain ints: Python's Flag arithmetic (state & flag) costs a call each, and
# a style answers thousands of calls per screen.
_ENABLED = St.State_Enabled.value
_HAS_FOCUS = St.State_HasFocus.value
_MOUSE_OVER = St.State_MouseOver.value
_ON = St.State_On.value
_SUNKEN = St.State_Sunken.value
_SELECTED = St.State_Selected.value
_ACTIVE = St.State_Active.value
_READ_ONLY = St.State_ReadOnly.value
_KEYBOARD_FOCUS = St.State_KeyboardFocusChange.value
_AUTO_RAISE = St.State_AutoRaise.value

# What this style draws itself; everything else goes straight to Fusion.
_PRIMITIVES = frozenset(
    {
        PE.PE_PanelLineEdit,
        PE.PE_FrameLineEdit,
        PE.PE_Frame,
        PE.PE_PanelButtonCommand,
        PE.PE_PanelButtonTool,
        PE.PE_FrameButtonTool,
        PE.PE_FrameFocusRect,
        PE.PE_FrameTabWidget,
        PE.PE_FrameGroupBox,
        PE.PE_PanelStatusBar,
    }
)
_CONTROLS = frozenset(
    {
        CE.CE_HeaderSection,
        CE.CE_TabBarTabShape,
        CE.CE_Splitter,
        CE.CE_ProgressBarContents,
        CE.CE_ProgressBarGroove,
        CE.CE_PushButtonLabel,
    }
)
_COMPLEX = frozenset({CC.CC_ComboBox, CC.CC_SpinBox, CC.CC_Slider})
_HINT_BUTTON_ICONS = SH.SH_DialogButtonBox_ButtonsHaveIcons
_HINT_GRID = SH.SH_Table_GridLineColor

RADIUS = 6.0
# Lists drawn as a sidebar (by objectName): the window's background, no frame, rounded
# selection, bold current row, and this padding (horizontal, vertical) around each row.
SIDEBARS: dict[str, tuple[int, int]] = {"sidebar": (10, 6), "navigation": (8, 3)}


@dataclass(frozen=True)
class Colours:
    border: QColor  # inputs and buttons
    border_hover: QColor
    soft: QColor  # lists, panes, group boxes, disabled inputs
    accent: QColor  # focus ring, default button, current tab, checked buttons
    selection: QColor  # selected rows, text selection, menu items
    selection_inactive: QColor
    hover: QColor  # a row or tool button under the mouse
    checked: QColor  # the fill of a checked button
    grid: QColor  # table grid, splitter handles, status bar line


LIGHT = Colours(
    border=QColor("#c4c7c5"),
    border_hover=QColor("#9aa0a6"),
    soft=QColor("#dadce0"),
    accent=QColor("#1a73e8"),
    selection=QColor("#d3e3fd"),
    selection_inactive=QColor("#e8eaed"),
    hover=QColor(60, 64, 67, 20),
    checked=QColor("#c2dbff"),
    grid=QColor("#e8eaed"),
)
DARK = Colours(
    border=QColor("#5f6368"),
    border_hover=QColor("#9aa0a6"),
    soft=QColor("#3c4043"),
    accent=QColor("#8ab4f8"),
    selection=QColor("#28406b"),
    selection_inactive=QColor("#303134"),
    hover=QColor(232, 234, 237, 26),
    checked=QColor("#2b4a80"),
    grid=QColor("#303134"),
)

# Qt's built-in dialog and message box pixmaps (a floppy disk for Save, green and red balls)
# -> the freedesktop theme icon, else the bundled one (see resources.icon).
_STANDARD_ICONS: dict[SP, str] = {
    SP.SP_DialogSaveButton: "export",
    SP.SP_DialogOpenButton: "case",
    SP.SP_DialogOkButton: "check",
    SP.SP_DialogApplyButton: "check",
    SP.SP_DialogYesButton: "check",
    SP.SP_DialogCancelButton: "close",
    SP.SP_DialogCloseButton: "close",
    SP.SP_DialogNoButton: "close",
    SP.SP_DialogDiscardButton: "delete",
    SP.SP_DialogResetButton: "undo",
    SP.SP_DialogHelpButton: "question",
    SP.SP_MessageBoxInformation: "information",
    SP.SP_MessageBoxWarning: "warning",
    SP.SP_MessageBoxCritical: "error",
    SP.SP_MessageBoxQuestion: "question",
    SP.SP_TrashIcon: "delete",
}


def _signed(colour: QColor) -> int:
    # styleHint() answers a C int: 0xAARRGGBB with alpha 255 does not fit without the sign.
    value = colour.rgba()
    return value - (1 << 32) if value >= 1 << 31 else value


def _is_sidebar(widget: QWidget | None) -> bool:
    return widget is not None and widget.objectName() in SIDEBARS


def _padding(widget: QWidget | None) -> tuple[int, int]:
    return SIDEBARS.get(widget.objectName(), (0, 0)) if widget is not None else (0, 0)


def _rounded(
    painter: QPainter,
    rect: QRect,
    *,
    pen: QColor | None,
    width: float = 1.0,
    fill: QColor | None = None,
    radius: float = RADIUS,
) -> None:
    """A rounded rectangle whose border lies inside ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    inset = width / 2 if pen is not None else 0.0
    area = QRectF(rect).adjusted(inset, inset, -inset, -inset)
    painter.setPen(QPen(pen, width) if pen is not None else Qt.PenStyle.NoPen)
    painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(area, radius, radius)
    painter.restore()


def _chevron(painter: QPainter, rect: QRect, colour: QColor, *, up: bool = False) -> None:
    if rect.width() <= 0 or rect.height() <= 0:
        return
    size = min(8.0, rect.width() - 4.0, rect.height() - 2.0)
    if size < 3:
        return
    c = QRectF(rect).center()
    half, rise = size / 2, size / 4 if not up else -size / 4
    path = QPainterPath(QPointF(c.x() - half, c.y() - rise))
    path.lineTo(QPointF(c.x(), c.y() + rise))
    path.lineTo(QPointF(c.x() + half, c.y() - rise))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(colour, 1.6)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()


class SidebarDelegate(QStyledItemDelegate):
    """The rows of a sidebar list: padded, the current one rounded and bold, a hover tint.
    (A delegate, not the style, so that only these lists pay for drawing in Python.)"""

    def __init__(self, style: LiaisonStyle, padding: tuple[int, int], parent: QWidget) -> None:
        super().__init__(parent)
        self.colours = style.colours
        self.padding = padding

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        across, down = self.padding
        return super().sizeHint(option, index) + QSize(2 * across, 2 * down)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        state = option.state.value
        fill: QColor | None = None
        if state & _SELECTED:
            fill = self.colours.selection if state & _ACTIVE else self.colours.selection_inactive
        elif state & _MOUSE_OVER and state & _ENABLED:
            fill = self.colours.hover
        if fill is not None:
            _rounded(painter, option.rect.adjusted(2, 1, -2, -1), pen=None, fill=fill)
        inner = QStyleOptionViewItem(option)
        self.initStyleOption(inner, index)
        inner.rect = option.rect.adjusted(self.padding[0], 0, -self.padding[0], 0)
        inner.state &= ~(St.State_HasFocus | St.State_Selected | St.State_MouseOver)
        if state & _SELECTED:
            font = QFont(inner.font)
            font.setBold(True)
            inner.font = font
        inner.backgroundBrush = QBrush()
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(CE.CE_ItemViewItem, inner, painter, widget)


class LiaisonStyle(QProxyStyle):
    """Fusion, with Liaison's frames, buttons, selection, headers and tabs."""

    def __init__(self, dark: bool = False) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.dark = dark
        self.colours = DARK if dark else LIGHT
        self._grid = _signed(self.colours.grid)

    # -- palette and widgets --------------------------------------------------------------

    def polish(self, arg: Any) -> Any:  # QWidget | QApplication | QPalette
        result = super().polish(arg)
        if isinstance(arg, QPalette):
            self._polish_palette(arg)
        elif isinstance(arg, QWidget):
            self._polish_widget(arg)
        return result

    def _polish_palette(self, palette: QPalette) -> None:
        c = self.colours
        groups = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
        for group in groups:
            # A subtle selection that keeps the text's own colour.
            palette.setColor(
                group,
                QPalette.ColorRole.HighlightedText,
                palette.color(group, QPalette.ColorRole.Text),
            )
        palette.setColor(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight, c.selection)
        palette.setColor(
            QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, c.selection_inactive
        )
        palette.setColor(QPalette.ColorRole.Link, c.accent)

    def _polish_widget(self, widget: QWidget) -> None:
        if isinstance(widget, QAbstractItemView) and _is_sidebar(widget):
            widget.setFrameShape(QAbstractItemView.Shape.NoFrame)
            widget.viewport().setBackgroundRole(QPalette.ColorRole.Window)
            widget.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover, True)
            if type(widget.itemDelegate()) is QStyledItemDelegate:  # not one of the view's own
                widget.setItemDelegate(SidebarDelegate(self, _padding(widget), widget))
        if isinstance(widget, QHeaderView):
            bold = QFont()  # only the weight is set: family and size still follow the app
            bold.setBold(True)
            widget.setFont(bold)
        if isinstance(widget, QTabBar):
            widget.setAttribute(Qt.WidgetAttribute.WA_Hover, True)

    # -- hints, sizes, icons --------------------------------------------------------------

    def styleHint(
        self,
        hint: SH,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returnData: Any = None,
    ) -> int:
        if hint is _HINT_GRID:
            return self._grid
        if hint is _HINT_BUTTON_ICONS:
            return 0  # no icons on OK / Save / Cancel (Qt's were a floppy disk, green balls)
        return int(super().styleHint(hint, option, widget, returnData))

    def standardIcon(
        self, standardIcon: SP, option: QStyleOption | None = None, widget: QWidget | None = None
    ) -> QIcon:
        name = _STANDARD_ICONS.get(standardIcon)
        if name is not None:
            found = icon(name)
            if not found.isNull():
                return found
        return super().standardIcon(standardIcon, option, widget)

    # -- drawing --------------------------------------------------------------------------

    def drawPrimitive(
        self,
        element: PE,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element not in _PRIMITIVES:
            super().drawPrimitive(element, option, painter, widget)
            return
        if element in (PE.PE_PanelLineEdit, PE.PE_FrameLineEdit):
            if isinstance(option, QStyleOptionFrame) and option.lineWidth > 0:
                self._input_frame(option, painter, fill=element == PE.PE_PanelLineEdit)
                return
        elif element == PE.PE_Frame and isinstance(widget, (QPlainTextEdit, QTextEdit)):
            self._input_frame(option, painter, fill=False)
            return
        elif element == PE.PE_Frame and isinstance(widget, QAbstractItemView):
            focus = bool(option.state.value & _HAS_FOCUS)
            colour = self.colours.accent if focus else self.colours.soft
            _rounded(painter, option.rect, pen=colour)
            return
        elif element == PE.PE_PanelButtonCommand:
            self._button_panel(option, painter)
            return
        elif element == PE.PE_PanelButtonTool:
            self._tool_panel(option, painter)
            return
        elif element == PE.PE_FrameButtonTool:
            return  # the panel draws its own border
        elif element == PE.PE_FrameFocusRect:
            # Buttons and item views show focus by their border; no dotted rectangle.
            owner = widget.parentWidget() if widget is not None else None
            if isinstance(widget, (QAbstractButton, QAbstractItemView)) or isinstance(
                owner, QAbstractItemView
            ):
                return
        elif element == PE.PE_FrameTabWidget:
            _rounded(painter, option.rect, pen=self.colours.soft)
            return
        elif element == PE.PE_FrameGroupBox:
            _rounded(painter, option.rect, pen=self.colours.soft, radius=8.0)
            return
        elif element == PE.PE_PanelStatusBar:
            painter.save()
            painter.setPen(self.colours.grid)
            painter.drawLine(option.rect.topLeft(), option.rect.topRight())
            painter.restore()
            return
        super().drawPrimitive(element, option, painter, widget)

    def drawControl(
        self,
        element: CE,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element not in _CONTROLS:
            super().drawControl(element, option, painter, widget)
            return
        if element == CE.CE_HeaderSection:
            painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Window))
            painter.save()
            painter.setPen(self.colours.soft)
            r = option.rect
            painter.drawLine(r.bottomLeft(), r.bottomRight())
            painter.restore()
            return
        if (
            element == CE.CE_TabBarTabShape
            and isinstance(option, QStyleOptionTab)
            and option.shape in (QTabBar.Shape.RoundedNorth, QTabBar.Shape.TriangularNorth)
        ):
            self._tab_shape(option, painter)
            return
        if element == CE.CE_Splitter:
            painter.fillRect(option.rect, self.colours.grid)
            return
        if element in (CE.CE_ProgressBarContents, CE.CE_ProgressBarGroove):
            option = self._with_accent(option)
        if (
            element == CE.CE_PushButtonLabel
            and isinstance(option, QStyleOptionButton)
            and option.state.value & _ON
        ):
            # The checked button's text in a darker (lighter) shade of the accent.
            option = QStyleOptionButton(option)
            palette = QPalette(option.palette)
            text = self.colours.accent.darker(140) if not self.dark else self.colours.accent
            palette.setColor(QPalette.ColorRole.ButtonText, text)
            option.palette = palette
        super().drawControl(element, option, painter, widget)

    def drawComplexControl(
        self,
        control: CC,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if control not in _COMPLEX:
            super().drawComplexControl(control, option, painter, widget)
            return
        if control == CC.CC_ComboBox and isinstance(option, QStyleOptionComboBox) and option.frame:
            self._input_frame(option, painter, fill=True)
            arrow = self.subControlRect(control, option, SC.SC_ComboBoxArrow, widget)  # type: ignore[arg-type]
            _chevron(painter, arrow, self._arrow_colour(option))
            return
        if control == CC.CC_SpinBox and isinstance(option, QStyleOptionSpinBox) and option.frame:
            self._input_frame(option, painter, fill=True)
            if option.buttonSymbols != QAbstractSpinBox.ButtonSymbols.NoButtons:
                for sub, up in ((SC.SC_SpinBoxUp, True), (SC.SC_SpinBoxDown, False)):
                    rect = self.subControlRect(control, option, sub, widget)  # type: ignore[arg-type]
                    _chevron(painter, rect, self._arrow_colour(option), up=up)
            return
        if control == CC.CC_Slider:
            accented = self._with_accent(option)
            assert isinstance(accented, QStyleOptionComplex)
            option = accented
        super().drawComplexControl(control, option, painter, widget)

    # -- the parts ------------------------------------------------------------------------

    def _with_accent(self, option: QStyleOption) -> QStyleOption:
        copy = type(option)(option)
        palette = QPalette(option.palette)
        palette.setColor(QPalette.ColorRole.Highlight, self.colours.accent)
        copy.palette = palette
        return copy

    def _arrow_colour(self, option: QStyleOption) -> QColor:
        colour = option.palette.color(QPalette.ColorRole.Text)
        if not option.state.value & _ENABLED:
            colour = option.palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return colour

    def _input_frame(self, option: QStyleOption, painter: QPainter, *, fill: bool) -> None:
        c = self.colours
        state = option.state.value
        enabled = bool(state & _ENABLED)
        read_only = bool(state & _READ_ONLY)
        background = option.palette.color(
            QPalette.ColorRole.Base if enabled and not read_only else QPalette.ColorRole.Window
        )
        if not enabled:
            pen, width = c.soft, 1.0
        elif state & _HAS_FOCUS:
            pen, width = c.accent, 2.0
        elif state & _MOUSE_OVER:
            pen, width = c.border_hover, 1.0
        else:
            pen, width = c.border, 1.0
        _rounded(painter, option.rect, pen=pen, width=width, fill=background if fill else None)

    def _button_panel(self, option: QStyleOption, painter: QPainter) -> None:
        c = self.colours
        state = option.state.value
        pal = option.palette
        fill = pal.color(QPalette.ColorRole.Button)
        pen, width = c.border, 1.0
        checked = bool(state & _ON)
        if checked:
            fill, pen, width = c.checked, c.accent, 1.5
        elif state & _SUNKEN:
            fill = pal.color(
                QPalette.ColorRole.Midlight if not self.dark else QPalette.ColorRole.Mid
            )
        if not state & _ENABLED:
            pen, width = c.soft, 1.0
        elif state & _HAS_FOCUS and state & _KEYBOARD_FOCUS:
            pen, width = c.accent, 2.0
        elif state & _HAS_FOCUS:
            pen, width = c.accent, max(width, 1.5)
        elif (
            isinstance(option, QStyleOptionButton)
            and option.features & QStyleOptionButton.ButtonFeature.DefaultButton
        ):
            pen = c.accent
        elif state & _MOUSE_OVER and not checked:
            pen = c.border_hover
        _rounded(painter, option.rect, pen=pen, width=width, fill=fill)

    def _tool_panel(self, option: QStyleOption, painter: QPainter) -> None:
        c = self.colours
        state = option.state.value
        if not state & _ENABLED:
            return
        checked = bool(state & _ON)
        pressed = bool(state & _SUNKEN)
        hover = bool(state & _MOUSE_OVER)
        if checked:
            _rounded(painter, option.rect, pen=c.accent, fill=c.checked)
        elif pressed:
            _rounded(painter, option.rect, pen=c.soft, fill=c.checked)
        elif hover:
            _rounded(painter, option.rect, pen=c.soft, fill=c.hover)
        elif state & _HAS_FOCUS:
            _rounded(painter, option.rect, pen=c.accent)
        elif isinstance(option, QStyleOptionToolButton) and not state & _AUTO_RAISE:
            return  # a plain tool button: flat until hovered, like the autoraised ones

    def _tab_shape(self, option: QStyleOptionTab, painter: QPainter) -> None:
        c = self.colours
        rect = option.rect
        if option.state.value & _SELECTED:
            painter.fillRect(rect.x(), rect.bottom() - 1, rect.width(), 2, c.accent)
        elif option.state.value & _MOUSE_OVER and option.state.value & _ENABLED:
            painter.fillRect(rect, c.hover)


def install(app: QApplication, dark: bool) -> LiaisonStyle:
    """Make LiaisonStyle the application's style (and no style sheet)."""
    style = LiaisonStyle(dark)
    if app.styleSheet():
        app.setStyleSheet("")
    app.setStyle(style)  # the application owns it from here
    return style


def apply_style(app: QApplication) -> str:
    """Give the application Liaison's style (app.gui.style.LiaisonStyle, a QProxyStyle: no
    style sheet, which would slow every widget's polish) in its light or dark colours to match
    the palette; return which ("light" or "dark")."""
    dark = is_dark(app.palette())
    install(app, dark)
    return "dark" if dark else "light"
