"""The first page a seller sees before any shop is connected.

It says what the app does and offers ways in as cards side by side: connecting the seller's own
TikTok Shop first, then the demo shop. More ways in are added with `WelcomePage.add_way_in(...)`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

WHAT_IT_DOES = (
    "Find any order instantly — by order number, buyer, product, SKU or tracking number, "
    "or with a USB barcode scanner.",
    "See what must ship today, with a countdown to every ship-by deadline.",
    "Keep working when TikTok or the internet is down: your shop is kept on this computer "
    "and refreshed in the background, with a notification when new orders arrive.",
)

POINTS_WIDTH = 660
BULLET_WIDTH = 22
CARD_STYLE = """
QFrame#wayIn {
    border: 1px solid palette(mid);
    border-radius: 8px;
    background: palette(base);
}
QFrame#wayIn QLabel { border: none; background: transparent; }
"""


class WayInCard(QFrame):
    """One way into the app: a title, two lines on what it means, and one button."""

    chosen = Signal()

    def __init__(self, title: str, explanation: str, button_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wayIn")
        self.setStyleSheet(CARD_STYLE)
        self.setFixedWidth(340)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(10)
        heading = QLabel(title)
        heading.setFont(_scaled_font(heading.font(), 1.25, bold=True))
        layout.addWidget(heading)
        text = QLabel(explanation)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addStretch(1)
        self._button_text = button_text
        self.button = QPushButton(button_text)
        self.button.setDefault(True)
        self.button.setMinimumHeight(34)
        self.button.clicked.connect(self.chosen)
        layout.addWidget(self.button)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        layout.addWidget(self.note)

    def set_busy(self, busy: bool, message: str = "") -> None:
        """While the way in is being opened: the button waits and says why."""
        self.button.setEnabled(not busy)
        self.button.setText(message if busy and message else self._button_text)

    def show_problem(self, message: str) -> None:
        """The way in failed: say why under the button and let the seller try again."""
        self.set_busy(False)
        self.note.setText(message)
        self.note.setStyleSheet("color: #b3261e;")
        self.note.setVisible(bool(message))


class WelcomePage(QWidget):
    """What the app does, then the ways in (cards in one centred row)."""

    demo_requested = Signal()
    connect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 40)
        outer.addStretch(2)

        column = QVBoxLayout()
        column.setSpacing(12)
        title = QLabel("Welcome to TikTok Shop Desktop")
        title.setFont(_scaled_font(title.font(), 1.9, bold=True))
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(title)
        lead = QLabel("Your TikTok Shop orders on your desktop — fast, and ready when you are.")
        lead.setFont(_scaled_font(lead.font(), 1.15))
        lead.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        lead.setWordWrap(True)
        column.addWidget(lead)
        column.addSpacing(8)
        # Wrapped labels in a stretchy layout get squeezed below their height: fix the width and
        # ask each label how tall it must be at that width.
        points = QWidget()
        points.setFixedWidth(POINTS_WIDTH)
        point_list = QVBoxLayout(points)
        point_list.setContentsMargins(0, 0, 0, 0)
        point_list.setSpacing(8)
        for point in WHAT_IT_DOES:
            row = QHBoxLayout()
            bullet = QLabel("✓")
            bullet.setAlignment(Qt.AlignmentFlag.AlignTop)
            bullet.setFixedWidth(BULLET_WIDTH)
            line = QLabel(point)
            line.setWordWrap(True)
            line.setMinimumHeight(line.heightForWidth(POINTS_WIDTH - BULLET_WIDTH))
            row.addWidget(bullet)
            row.addWidget(line, 1)
            point_list.addLayout(row)
        column.addWidget(points, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addLayout(column)
        outer.addSpacing(24)

        self._ways_in = QHBoxLayout()
        self._ways_in.setSpacing(24)
        self._ways_in.addStretch(1)
        self._ways_in.addStretch(1)
        outer.addLayout(self._ways_in)
        outer.addStretch(3)

        self.connect_card = WayInCard(
            "Connect your TikTok Shop",
            "Sign in through your browser with your Partner Center app. Your shop's orders, "
            "listings and stock come to this computer; your sign-in stays in the keychain.",
            "Connect your TikTok Shop",
        )
        self.connect_card.chosen.connect(self.connect_requested)
        self.add_way_in(self.connect_card)
        self.demo_card = WayInCard(
            "Explore the demo shop",
            "A practice shop that runs on this computer: orders in every state, new ones "
            "arriving while you watch. Nothing you do here reaches TikTok or a buyer.",
            "Explore the demo shop",
        )
        self.demo_card.chosen.connect(self._on_demo_chosen)
        self.add_way_in(self.demo_card)

    def add_way_in(self, card: WayInCard) -> None:
        """Add a card to the row, keeping the row centred (before the closing stretch)."""
        self._ways_in.insertWidget(self._ways_in.count() - 1, card)

    @Slot()
    def _on_demo_chosen(self) -> None:
        self.demo_card.set_busy(True, "Starting the demo shop…")
        self.demo_requested.emit()


def _scaled_font(font: QFont, factor: float, *, bold: bool = False) -> QFont:
    scaled = QFont(font)
    scaled.setPointSizeF(font.pointSizeF() * factor)
    scaled.setBold(bold)
    return scaled
