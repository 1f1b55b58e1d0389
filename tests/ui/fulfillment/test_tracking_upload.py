"""Seller Center's tracking upload from the Fulfillment tab, on the demo shop: export the orders
shipped with the seller's carrier, fill the workbook in as a seller would, import it back — a
preview, then the Arrange shipment dialog with each package's tracking number and carrier — and
ship. A split order and a carrier the delivery option doesn't offer are refused with reasons."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo_app import running_app

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.services.tracking_upload import SPLIT
from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab
from tiktok_desktop.ui.fulfillment.tracking_files import UploadPreview

CONFIG = DemoShopConfig(seed=11, orders=150, products=10)
WAIT_MS = 30_000


def test_tracking_upload_round_trip(qtbot: QtBot, qapp, tmp_path: Path) -> None:
    with running_app(qtbot, qapp, tmp_path / "data", CONFIG) as app:
        window, tab = app.window, app.tab(FulfillmentTab)
        window.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: sum(p.shipping_type == "SELLER" and p.shippable
                                    for p in tab.all) >= 3, timeout=WAIT_MS)
        seller = [p for p in tab.all if p.shipping_type == "SELLER" and p.shippable]
        # One order split in two packages (the demo shop makes none: the queue is given one).
        split = seller[2]
        tab.all = [*tab.all, replace(split, id=split.id[:-3] + "999")]
        tab._apply_filters()
        tab.shipping.setCurrentIndex(tab.shipping.findData("SELLER"))
        tab.select([])

        # Export: every shown order of the seller's carrier, but the split one.
        path = tmp_path / "tracking upload.xlsx"
        tab.ask_where_to_save_upload = lambda: path  # type: ignore[method-assign]
        tab.export_upload()
        qtbot.waitUntil(path.exists, timeout=WAIT_MS)
        assert any(SPLIT in m.text and split.order_id in m.text for m in app.heard)
        book = openpyxl.load_workbook(path)
        sheet = book["Shipping info"]
        assert sheet["A1"].value.startswith("Review the examples")
        assert [c.value for c in sheet[2]] == ["Order ID", "Tracking ID",
                                                "Shipping Provider Name", "Auto Combine Group ID"]
        orders = [row[0].value for row in sheet.iter_rows(min_row=3)]
        assert split.order_id not in orders
        assert set(orders) == {p.order_id for p in seller if p is not split}
        assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=3))

        # The seller fills in two orders, one with a carrier the option doesn't offer, and
        # adds the split order by hand.
        first, second = (next(p for p in seller if p.order_id == o) for o in orders[:2])
        sheet["B3"], sheet["C3"] = "1Z999AA10123456784", "UPS"
        sheet["B4"], sheet["C4"] = "9400111202555842761234", "Royal Mail"
        sheet.append([split.order_id, "9400111202555842769999", "USPS", "N/A"])
        sheet.append(["576000000000000123", None, None, "N/A"])  # left blank: not refused
        book.save(path)

        previews: list[UploadPreview] = []

        def preview(plan):  # type: ignore[no-untyped-def]
            previews.append(UploadPreview(plan, tab))
            return True

        seen: dict[str, tuple[str, str]] = {}

        def arrange(chosen, options, tracking=None):  # type: ignore[no-untyped-def]
            dialog = tab.arrange_dialog(chosen, options, tracking)
            for row, package in enumerate(dialog.seller):
                seen[package.id] = (dialog.tracking_input(row).text(),
                                    dialog.carrier_input(row).currentText())
            choices = dialog.choices()
            dialog.deleteLater()
            return choices

        tab.ask_for_upload = lambda: path  # type: ignore[method-assign]
        tab.preview_upload = preview  # type: ignore[method-assign]
        tab.ask_how_to_ship = arrange  # type: ignore[method-assign]
        with qtbot.waitSignal(tab.arranged, timeout=WAIT_MS) as arranged:
            tab.import_upload()
            assert not tab.import_upload_button.isEnabled()  # read in the background
        [shown] = previews
        assert shown.table.rowCount() == 1
        assert [shown.table.item(0, c).text() for c in (1, 2, 3, 4)] == [
            first.order_id, first.id, "1Z999AA10123456784", "UPS"]
        refused = shown.refused.toPlainText()
        assert f"order {second.order_id}: carrier Royal Mail is not one of" in refused
        assert f"order {split.order_id}: {SPLIT}." in refused
        assert "<b>2</b> lines refused; 1 left without a tracking number" \
            in shown.summary.text()
        assert seen == {first.id: ("1Z999AA10123456784", "UPS")}
        result = arranged.args[0]
        assert result.count("done") == 1, result
        qtbot.waitUntil(lambda: any(p.id == first.id and p.arranged for p in tab.all),
                        timeout=WAIT_MS)
        assert tab.import_upload_button.isEnabled()
        assert app.crash_reports() == []
