"""Typed settings: defaults, bounds, remembered across opens, versioned, no secrets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QSettings

from tiktok_desktop.ui.settings import VERSION, Settings


def test_defaults_on_a_new_file(qapp, tmp_path):
    settings = Settings.open(tmp_path)
    assert settings.shop_choice is None
    assert settings.poll_interval_minutes == 5
    assert settings.low_stock_threshold == 5
    assert settings.notify_new_orders is True
    assert settings.version == VERSION


def test_choices_are_remembered_for_the_next_start(qapp, tmp_path):
    settings = Settings.open(tmp_path)
    settings.shop_choice = "demo"
    settings.poll_interval_minutes = 15
    settings.low_stock_threshold = 0
    settings.notify_new_orders = False
    settings.set_ui_state("main_window/geometry", QByteArray(b"\x01\x02"))
    settings.sync()
    again = Settings.open(tmp_path)
    assert again.shop_choice == "demo"
    assert again.poll_interval_minutes == 15
    assert again.low_stock_threshold == 0
    assert again.notify_new_orders is False
    assert again.ui_state("main_window/geometry") == QByteArray(b"\x01\x02")
    assert again.ui_state("orders/header") is None


def test_the_low_stock_line_is_kept_per_shop(qapp, tmp_path):
    settings = Settings.open(tmp_path)
    settings.low_stock_threshold = 8  # the line of shops never given their own
    settings.set_low_stock_threshold_for("7000000000000000001", 150)
    settings.set_low_stock_threshold_for("7000000000000000002", 0)
    settings.sync()
    again = Settings.open(tmp_path)
    assert again.low_stock_threshold_for("7000000000000000001") == 150
    assert again.low_stock_threshold_for("7000000000000000002") == 0
    assert again.low_stock_threshold_for("7000000000000000003") == 8
    assert again.low_stock_threshold == 8
    again.low_stock_threshold = 3  # moves only the shops never set
    assert again.low_stock_threshold_for("7000000000000000003") == 3
    assert again.low_stock_threshold_for("7000000000000000001") == 150
    with pytest.raises(ValueError):
        again.set_low_stock_threshold_for("7000000000000000001", -1)
    with pytest.raises(ValueError):
        again.set_low_stock_threshold_for("../general", 4)
    raw = QSettings(str(again.path), QSettings.Format.IniFormat)
    raw.setValue("stock/low_stock_threshold_by_shop/7000000000000000001", "many")
    raw.sync()
    assert Settings.open(tmp_path).low_stock_threshold_for("7000000000000000001") == 3


def test_bad_values_are_refused_and_bad_files_fall_back_to_defaults(qapp, tmp_path):
    settings = Settings.open(tmp_path)
    with pytest.raises(ValueError):
        settings.poll_interval_minutes = 0
    with pytest.raises(ValueError):
        settings.shop_choice = "someone else's"  # type: ignore[assignment]
    raw = QSettings(str(settings.path), QSettings.Format.IniFormat)
    raw.setValue("sync/poll_interval_minutes", "often")
    raw.setValue("stock/low_stock_threshold", -3)
    raw.setValue("shop/choice", "theirs")
    raw.sync()
    again = Settings.open(tmp_path)
    assert (again.poll_interval_minutes, again.low_stock_threshold, again.shop_choice) == (
        5, 5, None)


def test_a_file_from_a_newer_app_is_left_alone(qapp, tmp_path):
    raw = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    raw.setValue("settings_version", VERSION + 1)
    raw.sync()
    assert Settings.open(tmp_path).version == VERSION + 1


def test_the_file_holds_only_known_keys(qapp, tmp_path):
    settings = Settings.open(tmp_path)
    settings.shop_choice = "own"
    settings.poll_interval_minutes = 3
    settings.sync()
    text = settings.path.read_text()
    assert "token" not in text.lower() and "secret" not in text.lower()
    keys = set(QSettings(str(settings.path), QSettings.Format.IniFormat).allKeys())
    assert keys == {"settings_version", "shop/choice", "sync/poll_interval_minutes"}
