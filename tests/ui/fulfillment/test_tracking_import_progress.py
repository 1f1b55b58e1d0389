"""A tracking upload as big as Seller Center's To-Ship export, imported into the Fulfillment tab
on the demo shop with the real task runner: read in a process of its own with a progress dialog
whose Cancel stops it with nothing opened; read to the end, the preview lists the first
SHOWN_AT_MOST refused lines and counts them all."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo_app import running_app

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.services.own_process import OWN_PROCESS_FROM
from tiktok_desktop.services.sheet_source import SHOWN_AT_MOST
from tiktok_desktop.services.tracking_upload import UploadPlan
from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab
from tiktok_desktop.ui.fulfillment.tracking_files import UploadPreview

CONFIG = DemoShopConfig(seed=11, orders=150, products=10)
WAIT_MS = 30_000
GONE = 200_000  # orders that aren't awaiting shipment here


def upload_file(path: Path, order_id: str) -> Path:
    """One order of the tab shipped with UPS, then GONE orders the tab doesn't have."""
    rows = ["Order ID,Tracking ID,Shipping Provider Name,Auto Combine Group ID",
            f"{order_id},1Z999AA10123456784,UPS,N/A"]
    rows += [f"5769{n:014d},9400111202555842{n % 1_000_000:06d},USPS,N/A"
             for n in range(GONE)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def readers() -> list[str]:
    """The processes reading a tracking file now."""
    return [p.name for p in multiprocessing.active_children() if "match_file" in p.name]


def test_a_big_upload_is_read_with_progress_and_a_cancel(qtbot: QtBot, qapp,
                                                         tmp_path: Path) -> None:
    with running_app(qtbot, qapp, tmp_path / "data", CONFIG) as app:
        window, tab = app.window, app.tab(FulfillmentTab)
        window.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: any(p.shipping_type == "SELLER" and p.shippable
                                    for p in tab.all), timeout=WAIT_MS)
        first = next(p for p in tab.all if p.shipping_type == "SELLER" and p.shippable)
        path = upload_file(tmp_path / "upload.csv", first.order_id)
        assert path.stat().st_size > OWN_PROCESS_FROM
        plans: list[UploadPlan] = []
        previews: list[UploadPreview] = []

        def preview(plan: UploadPlan) -> bool:
            plans.append(plan)
            previews.append(UploadPreview(plan, tab))
            return False  # the seller looks, and goes no further

        tab.ask_for_upload = lambda: path  # type: ignore[method-assign]
        tab.preview_upload = preview  # type: ignore[method-assign]

        # Cancelled while reading: the dialog closes, the reading process is gone, nothing
        # opens, and the button is back.
        tab.import_upload()
        progress = tab.findChild(QProgressDialog)
        assert progress is not None and not tab.import_upload_button.isEnabled()
        qtbot.waitUntil(lambda: progress.isVisible() and progress.value() > 0,
                        timeout=WAIT_MS)
        assert readers()
        progress.canceled.emit()  # its Cancel button
        qtbot.waitUntil(lambda: tab.findChild(QProgressDialog) is None, timeout=5_000)
        assert tab.import_upload_button.isEnabled()
        assert readers() == [] and plans == []

        # Read to the end: the preview lists what it can and counts every line.
        tab.import_upload()
        qtbot.waitUntil(lambda: bool(previews), timeout=WAIT_MS)
        [shown] = previews
        assert shown.table.rowCount() == 1
        assert [shown.table.item(0, c).text() for c in (1, 2, 3, 4)] == [
            first.order_id, first.id, "1Z999AA10123456784", "UPS"]
        assert f"<b>{GONE:,}</b> lines refused" in shown.summary.text()
        listed = shown.refused.toPlainText().splitlines()
        assert len(listed) == SHOWN_AT_MOST + 1
        assert listed[0].startswith(f"Row 3, order 5769{0:014d}: not an order awaiting")
        assert listed[-1] == (f"… and {GONE - SHOWN_AT_MOST:,} more lines refused (the first "
                              f"{SHOWN_AT_MOST:,} are listed).")
        qtbot.waitUntil(lambda: tab.findChild(QProgressDialog) is None, timeout=5_000)
        assert tab.import_upload_button.isEnabled()
        assert app.problems == [] and app.crash_reports() == []
