"""Messages keep a home: the list with times and actions, the newest at the left of the status
bar, never wiped by a menu's hint; the status bar's other parts stay state."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from tiktok_desktop.ui import message_list
from tiktok_desktop.ui.messages import Level, Message, MessageAction
from tiktok_desktop.ui.status import ShopStatusBar


@pytest.fixture
def bar(qtbot: QtBot) -> Iterator[ShopStatusBar]:
    window = QMainWindow()
    qtbot.addWidget(window)
    status = ShopStatusBar(window)
    window.setStatusBar(status)
    window.resize(900, 300)
    window.show()
    qtbot.waitExposed(window)
    yield status  # the window lives as long as the test


def test_messages_are_kept_newest_first_with_an_unread_count(bar: ShopStatusBar) -> None:
    bar.show_message(Message(Level.INFO, "7 new orders in Demo shop.", at=0))
    bar.show_message(Message(Level.INFO, "Stock saved for 12 SKUs."))
    assert bar.messages_button.text() == "Messages (2)"
    assert bar.latest.toolTip() == "Stock saved for 12 SKUs."
    bar.messages_button.click()
    panel = bar.messages_button.panel
    assert panel is not None and panel.isVisible()
    texts = [label.text() for label in panel.findChildren(QLabel)]
    assert texts.index("Stock saved for 12 SKUs.") < texts.index("7 new orders in Demo shop.")
    assert "Jan 1, 00:00" in texts or "Dec 31, " in " ".join(texts)  # the old one's day and time
    assert bar.messages_button.text() == "Messages"  # read
    panel.close()


def test_a_menu_hint_does_not_wipe_the_message(bar: ShopStatusBar) -> None:
    bar.show_message(Message(Level.WARNING, "2 numbers were changed elsewhere."))
    QCoreApplication.sendEvent(bar.window(), QStatusTipEvent("Open the shop's settings"))
    QCoreApplication.sendEvent(bar.window(), QStatusTipEvent(""))
    assert bar.latest.toolTip() == "2 numbers were changed elsewhere."
    assert bar.latest.text()


def test_information_fades_warnings_stay_until_read(bar: ShopStatusBar, qtbot: QtBot,
                                                   monkeypatch) -> None:
    monkeypatch.setattr(message_list, "INFO_SHOWN_MS", 50)
    bar.show_message(Message(Level.INFO, "Synced."))
    qtbot.waitUntil(lambda: bar.latest.text() == "")
    bar.show_message(Message(Level.ERROR, "Printing failed."))
    qtbot.wait(120)
    assert bar.latest.toolTip() == "Printing failed."
    assert "#c62828" in bar.messages_button.styleSheet()  # the button says: an error unread
    bar.messages_button.click()
    assert bar.latest.text() == ""
    bar.messages_button.panel.close()


def test_a_message_s_action_is_offered_next_to_it(bar: ShopStatusBar) -> None:
    done: list[str] = []
    bar.show_message(Message(Level.WARNING, "1 number was changed elsewhere.",
                             action=MessageAction("Resolve…", lambda: done.append("resolve"))))
    bar.latest.clicked.emit()  # clicking the message opens the list too
    panel = bar.messages_button.panel
    [button] = panel.action_buttons
    assert button.text() == "Resolve…"
    button.click()
    assert done == ["resolve"] and not panel.isVisible()


def test_the_list_keeps_the_last_few_hundred(bar: ShopStatusBar) -> None:
    for n in range(message_list.KEPT + 20):
        bar.show_message(Message(Level.INFO, f"message {n}"))
    assert len(bar.messages.messages) == message_list.KEPT
    assert bar.messages.messages[0].text == f"message {message_list.KEPT + 19}"
    bar.messages.clear()
    assert bar.messages_button.text() == "Messages"
