"""The Orders tab's "Export orders…": the orders listed, as Seller Center's order export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from orders_samples import order_id
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tiktok_desktop.services.order_export import HEADER
from tiktok_desktop.services.sheet_values import parse_money
from tiktok_desktop.services.sheets import read_table
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.file_choice import CSV_FILTER, XLSX_FILTER
from tiktok_desktop.ui.orders import OrdersTab


@pytest.mark.parametrize(("chosen_filter", "suffix"), [(XLSX_FILTER, ".xlsx"),
                                                       (CSV_FILTER, ".csv")])
def test_export_writes_the_orders_listed(qtbot: QtBot, tab: OrdersTab, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, chosen_filter: str,
                                         suffix: str):
    with qtbot.waitSignal(tab.listed, timeout=2000):
        tab.filters.set_status("To ship")
    listed = list(tab.model.order_ids)
    assert listed == [order_id(1), order_id(2), order_id(7)]
    asked: list[tuple[str, str]] = []

    def answer(parent: object, title: str, start: str, filters: str) -> tuple[str, str]:
        asked.append((start, filters))
        return str(tmp_path / "to-ship"), chosen_filter  # no suffix typed: the filter's

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    heard: list[messages.Message] = []
    messages.bus().posted.connect(heard.append)
    try:
        tab.export_action.trigger()
    finally:
        messages.bus().posted.disconnect(heard.append)

    assert XLSX_FILTER in asked[0][1] and asked[0][0].endswith(".csv")
    path = tmp_path / f"to-ship{suffix}"
    table = read_table(path, list(HEADER), required=["Order ID", "SKU ID"])
    assert list(table.names) == list(HEADER)
    # Order 1 has two SKUs (a tee twice, socks once): two rows; orders 2 and 7 one each.
    assert [(r["Order ID"], r["Seller SKU"], r["Quantity"]) for r in table.rows] == [
        (order_id(1), "TEE-BLK-M", "2"), (order_id(1), "SOCK-GRY", "1"),
        (order_id(2), "SOCK-GRY", "1"), (order_id(7), "SOCK-GRY", "1")]
    assert {r["Order Status"] for r in table.rows} == {"To ship"}
    assert list(dict.fromkeys(r["Order ID"] for r in table.rows)) == listed
    amounts = [parse_money(r["Order Amount"]).amount for r in table.rows]
    assert amounts[0] == amounts[1] == Decimal("31.00")  # the order's amount on each SKU row
    assert table.rows[0]["Buyer Username"] == "maria_k"
    assert [m.text for m in heard] == [f"Exported 3 orders (4 rows) to to-ship{suffix}."]


def test_export_cancelled_in_the_dialog_writes_nothing(tab: OrdersTab, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    tab.export_action.trigger()
    assert list(tmp_path.glob("*.csv")) == list(tmp_path.glob("*.xlsx")) == []
