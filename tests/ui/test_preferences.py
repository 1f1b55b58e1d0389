"""Preferences: shows the settings, OK writes what changed, Cancel nothing; shop actions are asked
of the main window through signals."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from tiktok_desktop.ui.preferences import NO_SHOPS_TEXT, PreferencesDialog
from tiktok_desktop.ui.settings import ConnectedShop, Settings


def make_shop(shop_id: str, name: str, region: str) -> ConnectedShop:
    return ConnectedShop(shop_id=shop_id, name=name, region=region, cipher=f"ROW_{shop_id}",
                         app_key="6abc123", service_id="7123", market="US", account="6abc123.a")


MAPLE = make_shop("7001", "Maple & Co.", "US")
HARBOR = make_shop("7002", "Harbor Goods", "GB")


@pytest.fixture
def settings(qapp, tmp_path: Path) -> Settings:
    settings = Settings.open(tmp_path)
    settings.poll_interval_minutes = 10
    settings.notify_new_orders = True
    settings.low_stock_threshold = 7
    settings.redirect_port = 50123
    settings.sync()
    return settings


def make_dialog(qtbot, settings: Settings, tmp_path: Path, *,
                open_shop_id: str | None = None) -> PreferencesDialog:
    dialog = PreferencesDialog(settings, tmp_path / "data", tmp_path / "logs",
                               open_shop_id=open_shop_id)
    qtbot.addWidget(dialog)
    return dialog


def shop_texts(dialog: PreferencesDialog) -> list[str]:
    return [dialog.shop_list.item(row).text() for row in range(dialog.shop_list.count())]


def select(dialog: PreferencesDialog, row: int) -> None:
    dialog.shop_list.setCurrentRow(row)


def test_shows_the_current_values(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    assert dialog.windowTitle() == "Preferences"
    assert dialog.poll_spin.value() == 10
    assert dialog.notify_check.isChecked()
    assert dialog.low_stock_spin.value() == 7
    assert dialog.port_spin.value() == 50123
    assert dialog.redirect_edit.text() == "http://localhost:50123/callback"
    assert dialog.redirect_edit.isReadOnly()
    assert dialog.port_changed_note.isHidden()


def test_the_spin_boxes_allow_only_what_settings_accept(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    assert (dialog.poll_spin.minimum(), dialog.poll_spin.maximum()) == (1, 60)
    assert (dialog.low_stock_spin.minimum(), dialog.low_stock_spin.maximum()) == (0, 100_000)
    assert (dialog.port_spin.minimum(), dialog.port_spin.maximum()) == (1024, 65535)
    dialog.port_spin.setValue(80)
    assert dialog.port_spin.value() == 1024


def test_ok_saves_the_changed_values(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    dialog.poll_spin.setValue(30)
    dialog.notify_check.setChecked(False)
    dialog.low_stock_spin.setValue(0)
    dialog.port_spin.setValue(51000)
    with qtbot.waitSignal(dialog.applied, timeout=1000):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    again = Settings.open(tmp_path)
    assert again.poll_interval_minutes == 30
    assert again.notify_new_orders is False
    assert again.low_stock_threshold == 0
    assert again.redirect_port == 51000


def test_ok_leaves_alone_what_the_seller_did_not_change(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    settings.poll_interval_minutes = 45  # written elsewhere in the app while the dialog is open
    dialog.notify_check.setChecked(False)
    dialog.accept()
    again = Settings.open(tmp_path)
    assert again.poll_interval_minutes == 45
    assert again.notify_new_orders is False


def test_cancel_saves_nothing(qtbot, settings, tmp_path):
    before = Path(settings.path).read_bytes()
    dialog = make_dialog(qtbot, settings, tmp_path)
    dialog.poll_spin.setValue(30)
    dialog.notify_check.setChecked(False)
    dialog.low_stock_spin.setValue(99)
    dialog.port_spin.setValue(51000)
    with qtbot.assertNotEmitted(dialog.applied):
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    settings.sync()
    assert Path(settings.path).read_bytes() == before
    again = Settings.open(tmp_path)
    assert (again.poll_interval_minutes, again.notify_new_orders, again.low_stock_threshold,
            again.redirect_port) == (10, True, 7, 50123)


def test_escape_cancels(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    dialog.poll_spin.setValue(30)
    with qtbot.assertNotEmitted(dialog.applied):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert Settings.open(tmp_path).poll_interval_minutes == 10


def test_the_redirect_url_follows_the_port(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    dialog.port_spin.setValue(8765)
    assert dialog.redirect_edit.text() == "http://localhost:8765/callback"
    assert not dialog.port_changed_note.isHidden()
    dialog.port_spin.setValue(50123)
    assert dialog.port_changed_note.isHidden()


def test_typing_a_port_updates_the_url(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    dialog.port_spin.lineEdit().selectAll()
    qtbot.keyClicks(dialog.port_spin.lineEdit(), "4242")
    assert dialog.redirect_edit.text() == "http://localhost:4242/callback"


def test_copy_puts_the_url_on_the_clipboard(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    dialog.port_spin.setValue(52000)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "http://localhost:52000/callback"


def test_lists_the_connected_shops_and_marks_the_open_one(qtbot, settings, tmp_path):
    settings.remember_shop(MAPLE)
    settings.remember_shop(HARBOR)
    dialog = make_dialog(qtbot, settings, tmp_path, open_shop_id="7001")
    assert shop_texts(dialog) == ["Harbor Goods — United Kingdom",
                                  "Maple & Co. — United States (open now)"]
    assert not dialog.shop_list.isHidden()
    assert dialog.no_shops.isHidden()


def test_the_shop_buttons_need_a_selection(qtbot, settings, tmp_path):
    settings.remember_shop(MAPLE)
    dialog = make_dialog(qtbot, settings, tmp_path)
    assert dialog.connect_button.isEnabled()
    assert not dialog.reconnect_button.isEnabled()
    assert not dialog.disconnect_button.isEnabled()
    select(dialog, 0)
    assert dialog.reconnect_button.isEnabled()
    assert dialog.disconnect_button.isEnabled()
    dialog.shop_list.clearSelection()
    assert not dialog.reconnect_button.isEnabled()
    assert not dialog.disconnect_button.isEnabled()


def test_the_shop_buttons_ask_for_the_selected_shop(qtbot, settings, tmp_path):
    settings.remember_shop(MAPLE)
    settings.remember_shop(HARBOR)
    dialog = make_dialog(qtbot, settings, tmp_path)
    select(dialog, 1)  # Maple: the list is by name
    with qtbot.waitSignal(dialog.reconnect_requested, timeout=1000) as reconnect:
        qtbot.mouseClick(dialog.reconnect_button, Qt.MouseButton.LeftButton)
    assert reconnect.args == ["7001"]
    select(dialog, 0)
    with qtbot.waitSignal(dialog.disconnect_requested, timeout=1000) as disconnect:
        qtbot.mouseClick(dialog.disconnect_button, Qt.MouseButton.LeftButton)
    assert disconnect.args == ["7002"]
    with qtbot.waitSignal(dialog.connect_requested, timeout=1000):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0  # asking the window to act neither accepts nor rejects


def test_set_shops_refreshes_the_list_and_keeps_the_selection(qtbot, settings, tmp_path):
    settings.remember_shop(MAPLE)
    dialog = make_dialog(qtbot, settings, tmp_path)
    select(dialog, 0)
    dialog.set_shops([MAPLE, HARBOR], "7002")
    assert shop_texts(dialog) == ["Maple & Co. — United States",
                                  "Harbor Goods — United Kingdom (open now)"]
    assert dialog.selected_shop_id() == "7001"
    dialog.set_shops([HARBOR], None)  # the selected shop was disconnected
    assert shop_texts(dialog) == ["Harbor Goods — United Kingdom"]
    assert dialog.selected_shop_id() is None
    assert not dialog.disconnect_button.isEnabled()


def test_without_shops_it_says_so(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    assert dialog.no_shops.text() == NO_SHOPS_TEXT
    assert "No shop connected yet" in NO_SHOPS_TEXT
    assert not dialog.no_shops.isHidden()
    assert dialog.shop_list.isHidden()
    assert not dialog.reconnect_button.isEnabled()
    dialog.set_shops([MAPLE], None)
    assert dialog.no_shops.isHidden()
    dialog.set_shops([], None)
    assert not dialog.no_shops.isHidden()


def test_a_region_qt_does_not_know_shows_as_its_code(qtbot, settings, tmp_path):
    dialog = make_dialog(qtbot, settings, tmp_path)
    dialog.set_shops([make_shop("1", "Odd", "UK"), make_shop("2", "Nowhere", "")], None)
    assert shop_texts(dialog) == ["Odd — UK", "Nowhere"]


def test_open_folder_opens_the_data_and_log_folders(qtbot, settings, tmp_path, monkeypatch):
    dialog = make_dialog(qtbot, settings, tmp_path)
    opened: list[Path] = []
    monkeypatch.setattr(dialog, "open_folder", opened.append)
    assert dialog.data_label.text().endswith("data")
    assert dialog.log_label.text().endswith("logs")
    qtbot.mouseClick(dialog.open_data_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_log_button, Qt.MouseButton.LeftButton)
    assert opened == [tmp_path / "data", tmp_path / "logs"]


def test_fits_a_small_screen(qtbot, settings, tmp_path):
    for shop in (MAPLE, HARBOR):
        settings.remember_shop(shop)
    dialog = make_dialog(qtbot, settings, tmp_path, open_shop_id="7001")
    hint = dialog.sizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700 - 60  # room for a title bar and panel
