"""Typed settings: defaults, bounds, remembered across opens, versioned, no secrets."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QByteArray, QSettings

from tiktok_desktop.ui.settings import VERSION, ConnectedShop, Settings


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


SHOP = ConnectedShop(shop_id="7495000000000000001", name="Maple & Co. — Home", region="US",
                     cipher="ROW_abcDEF123",
                     app_key="6abc123def456", service_id="7123456789012345678", market="US",
                     account="6abc123def456.open-id_1")


def test_connected_shops_are_kept_without_secrets(qapp, tmp_path):
    settings = Settings.open(tmp_path)
    other = replace(SHOP, shop_id="7495000000000000002", name="Another shop", market="ROW")
    settings.remember_shop(SHOP)
    settings.remember_shop(other)
    settings.current_shop_id = SHOP.shop_id
    settings.sync()
    again = Settings.open(tmp_path)
    assert again.connected_shops() == [other, SHOP]  # by name
    assert again.connected_shop(SHOP.shop_id) == SHOP and again.current_shop_id == SHOP.shop_id
    again.forget_shop(SHOP.shop_id)
    assert again.connected_shops() == [other] and again.current_shop_id is None
    for bad in (replace(SHOP, market="EU"), replace(SHOP, app_key="key with spaces"),
                replace(SHOP, name="line\nbreak"), replace(SHOP, shop_id="../x")):
        with pytest.raises(ValueError):
            again.remember_shop(bad)
    raw = QSettings(str(again.path), QSettings.Format.IniFormat)
    raw.setValue(f"shops/{other.shop_id}/market", "MARS")  # damaged by hand: skipped
    raw.sync()
    assert Settings.open(tmp_path).connected_shops() == []


def test_the_redirect_port_is_chosen_once_and_kept(qapp, tmp_path):
    port = Settings.open(tmp_path).redirect_port
    assert 50000 <= port <= 59999
    assert Settings.open(tmp_path).redirect_port == port
    settings = Settings.open(tmp_path)
    settings.redirect_port = 8000
    assert Settings.open(tmp_path).redirect_port == 8000
    with pytest.raises(ValueError):
        settings.redirect_port = 80  # a privileged port needs root


def test_a_version_1_file_keeps_its_values_and_syncs_at_least_hourly(qapp, tmp_path):
    raw = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    raw.setValue("settings_version", 1)
    raw.setValue("sync/poll_interval_minutes", 120)
    raw.setValue("shop/choice", "demo")
    raw.sync()
    settings = Settings.open(tmp_path)
    assert settings.version == VERSION == 2
    assert settings.poll_interval_minutes == 60 and settings.shop_choice == "demo"


def test_each_printer_keeps_its_label_size_and_calibration(qapp, tmp_path):
    settings = Settings.open(tmp_path)
    zebra, office = "Zebra ZD420 (203 dpi) / USB", "Office Laser"
    assert settings.label_size_for(zebra) == "4x6"
    assert settings.label_calibration_for(zebra) == (0.0, 0.0, 1.0)
    settings.set_label_size_for(zebra, "A6")
    settings.set_label_calibration_for(zebra, 1.5, -0.5, 0.98)
    settings.sync()
    again = Settings.open(tmp_path)
    assert again.label_size_for(zebra) == "A6"
    assert again.label_calibration_for(zebra) == (1.5, -0.5, 0.98)
    assert again.label_size_for(office) == "4x6"
    assert not again.label_landscape_for(zebra)
    again.set_label_landscape_for(zebra, True)
    assert Settings.open(tmp_path).label_landscape_for(zebra)
    with pytest.raises(ValueError):
        again.set_label_size_for(office, "Letter")
    with pytest.raises(ValueError):
        again.set_label_calibration_for(office, 30.0, 0.0, 1.0)
