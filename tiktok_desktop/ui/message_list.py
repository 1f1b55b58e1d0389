"""Where messages live: a list with times and a way to act, reached from the status bar.

    …  7 new orders in Demo shop.            [Messages 2]   Demo shop │ ● Online │ Synced …

The newest message shows at the left of the status bar (information for a while, warnings and
errors until read) in a label of its own: a menu's hints or another message can't wipe it as
they did QStatusBar's own message, and what it said stays in the list. The button opens the list,
newest first, each with its time and, when it has one, its action ("Open the order",
"Resolve…"); opening it marks everything read. The rest of the status bar is state.
"""

from __future__ import annotations

import functools
import time
from collections import deque

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.ui.messages import Level, Message, MessageAction

KEPT = 200  # messages kept in the list (this run)
INFO_SHOWN_MS = 10_000  # information stays this long at the left of the status bar
COLOURS = {Level.ERROR: "#c62828", Level.WARNING: "#b26a00", Level.INFO: "#424242"}
_RANK = {Level.INFO: 0, Level.WARNING: 1, Level.ERROR: 2}


class MessageList(QObject):
    """The messages of this run, newest first, and how many the seller has not seen."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.messages: deque[Message] = deque(maxlen=KEPT)
        self.unread = 0

    def add(self, message: Message) -> None:
        self.messages.appendleft(message)
        self.unread = min(self.unread + 1, KEPT)
        self.changed.emit()

    def mark_read(self) -> None:
        if self.unread:
            self.unread = 0
            self.changed.emit()

    def clear(self) -> None:
        self.messages.clear()
        self.unread = 0
        self.changed.emit()

    @property
    def worst_unread(self) -> Level | None:
        unread = list(self.messages)[:self.unread]
        return max((m.level for m in unread), key=_RANK.__getitem__, default=None)


def _clock(at: float) -> str:
    """'14:32' today, 'Dec 5, 14:32' before."""
    shown = time.localtime(at)
    if time.strftime("%Y%m%d", shown) == time.strftime("%Y%m%d"):
        return time.strftime("%H:%M", shown)
    return time.strftime("%b %-d, %H:%M", shown)


class MessagePanel(QFrame):
    """The list, as a popup under the button: click outside or Esc closes it."""

    def __init__(self, log: MessageList, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.log = log
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(8, 8, 8, 8)
        body = QWidget()
        body.setLayout(self.rows)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.clear_button = QPushButton("Clear all")
        self.clear_button.clicked.connect(self._clear)
        title = QLabel("<b>Messages</b>")
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.action_buttons: list[QPushButton] = []
        self._fill()
        self.resize(460, 360)

    def _fill(self) -> None:
        self.action_buttons = []
        if not self.log.messages:
            self.rows.addWidget(QLabel("No messages yet."))
        for message in self.log.messages:
            self.rows.addWidget(self._row(message))
        self.rows.addStretch(1)
        self.clear_button.setEnabled(bool(self.log.messages))

    def _row(self, message: Message) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 2, 0, 2)
        when = QLabel(_clock(message.at))
        when.setStyleSheet("color: #757575;")
        when.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QLabel(message.text)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setStyleSheet(f"color: {COLOURS[message.level]};")
        line.addWidget(when, 0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(text, 1)
        if message.action is not None:
            button = QPushButton(message.action.label)
            button.clicked.connect(functools.partial(self._act, message.action))
            self.action_buttons.append(button)
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _act(self, action: MessageAction) -> None:
        self.close()
        action.run()

    @Slot()
    def _clear(self) -> None:
        self.log.clear()
        self.close()


class MessagesButton(QToolButton):
    """'Messages (2)' in the colour of the worst unread one; opens the list."""

    def __init__(self, log: MessageList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log = log
        self.panel: MessagePanel | None = None
        self.setAutoRaise(True)
        self.setToolTip("What the app told you, with the time and what you can do about it")
        self.clicked.connect(self.open_list)
        log.changed.connect(self._show_count)
        self._show_count()

    @Slot()
    def _show_count(self) -> None:
        unread, worst = self.log.unread, self.log.worst_unread
        self.setText(f"Messages ({unread:,})" if unread else "Messages")
        colour = COLOURS.get(worst) if worst in (Level.WARNING, Level.ERROR) else None
        self.setStyleSheet(f"QToolButton {{ color: {colour}; font-weight: bold; }}"
                           if colour else "")

    @Slot()
    def open_list(self) -> None:
        self.panel = MessagePanel(self.log, self)
        below = self.mapToGlobal(QPoint(self.width() - self.panel.width(), 0))
        self.panel.move(below.x(), below.y() - self.panel.height())  # the bar is at the bottom
        self.panel.show()
        self.log.mark_read()


class LatestMessage(QLabel):
    """The newest message, elided to the room it has (its whole text in the tooltip); clicking
    it opens the list. Information fades after a while; warnings and errors stay until read."""

    clicked = Signal()

    def __init__(self, log: MessageList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log = log
        self.message: Message | None = None
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.timeout.connect(self._clear)
        log.changed.connect(self._follow)

    @Slot()
    def _follow(self) -> None:
        newest = self.log.messages[0] if self.log.messages and self.log.unread else None
        if newest is None:
            if self.message is not None and self.message.level is not Level.INFO:
                self._clear()  # read: the list has it
            return
        if newest is self.message:
            return
        self.message = newest
        self.setStyleSheet(f"color: {COLOURS[newest.level]};")
        self.setToolTip(newest.text)
        self._elide()
        if newest.level is Level.INFO:
            self._fade.start(INFO_SHOWN_MS)
        else:
            self._fade.stop()

    @Slot()
    def _clear(self) -> None:
        self.message = None
        self.setText("")
        self.setToolTip("")

    def _elide(self) -> None:
        if self.message is not None:
            self.setText(self.fontMetrics().elidedText(
                self.message.text, Qt.TextElideMode.ElideRight, max(0, self.width() - 4)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self.clicked.emit()
