"""A seller's shipping round on the demo shop: the queue, arranging shipment for a selection
(TikTok shipping and their own carrier), the labels saved as one PDF in pick order and marked
printed, the pick list, and scan-to-find."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo_app import running_app

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.services.shipping import ShipChoice
from tiktok_desktop.ui.fulfillment.printing import (
    LabelPrintDialog,
    PickListDialog,
    in_pick_order,
)
from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab

CONFIG = DemoShopConfig(seed=11, orders=150, products=10)
WAIT_MS = 30_000
POINTS_4X6 = (288.0, 432.0)


def how_to_ship(chosen, options):  # type: ignore[no-untyped-def]
    """What a seller picks in the arrange dialog: drop-off, or their own tracking numbers."""
    made = []
    for number, package in enumerate(chosen):
        if package.shipping_type == "SELLER":
            carrier = options.carriers[package.delivery_option_id][0][0]
            made.append(ShipChoice(package.id, tracking_number=f"1Z999AA1{number:010d}",
                                   shipping_provider_id=carrier))
        else:
            made.append(ShipChoice(package.id, "DROP_OFF"))
    return made


def test_a_day_of_shipping(qtbot: QtBot, qapp, tmp_path: Path) -> None:
    with running_app(qtbot, qapp, tmp_path / "data", CONFIG) as app:
        window, tab = app.window, app.tab(FulfillmentTab)
        window.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: any(not p.arranged and not p.on_hold for p in tab.all),
                        timeout=WAIT_MS)
        assert "to arrange" in tab.counts.text()
        texts = [tab.model.data(tab.model.index(r, 0)) for r in range(tab.model.rowCount())]
        held = [p for p in tab.model.packages if p.on_hold]
        assert all(texts[tab.model.row_of(p.id)].startswith("Shippable at") for p in held
                   if p.shippable_at and p.shippable_at > 0)

        # Arrange shipment for eight packages, TikTok-shipped and seller-shipped.
        to_arrange = [p for p in tab.model.packages if not p.arranged and not p.on_hold]
        chosen = ([p for p in to_arrange if p.shipping_type == "TIKTOK"][:6]
                  + [p for p in to_arrange if p.shipping_type == "SELLER"][:2])
        tab.state.setCurrentIndex(tab.state.findData("to_arrange"))
        tab.select([p.id for p in chosen])
        assert tab.arrange_button.isEnabled()
        tab.ask_how_to_ship = how_to_ship  # type: ignore[method-assign]
        with qtbot.waitSignal(tab.arranged, timeout=WAIT_MS) as arranged:
            tab.arrange()
        result = arranged.args[0]
        assert result.count("done") == len(chosen), result
        tiktok = [p for p in chosen if p.shipping_type == "TIKTOK"]
        assert result.labels == len(tiktok)
        qtbot.waitUntil(lambda: {p.id for p in tab.all if p.arranged} >= {p.id for p in tiktok},
                        timeout=WAIT_MS)
        # Arranged, they left the "To arrange" list, and the selection and items pane with it.
        assert tab.model.row_of(tiktok[0].id) is None and tab.selected_ids() == []
        assert tiktok[0].id not in tab.items.text()
        tab.state.setCurrentIndex(tab.state.findData("open"))
        assert tab.model.data(tab.model.index(tab.model.row_of(tiktok[0].id), 8)) \
            == "Shipment arranged"

        assert f"{len(chosen)}</b> shipped today" in tab.counts.text()

        # Their labels as one PDF, by SKU: one 4x6 page per label, in pick order.
        ready = [p for p in tab.all if p.id in {t.id for t in tiktok}]
        dialog = LabelPrintDialog(tab, ready)
        assert not dialog.print_button.isEnabled()  # no printer installed here: say so
        assert dialog.note.isVisibleTo(dialog) and "No printer" in dialog.note.text()
        out = tmp_path / "labels.pdf"
        dialog.ask_where_to_save = lambda: out  # type: ignore[method-assign]
        dialog.save()
        qtbot.waitUntil(lambda: any("labels saved" in m.text for m in app.heard),
                        timeout=WAIT_MS)
        document = QPdfDocument()
        document.load(str(out))
        assert document.pageCount() == len(ready)
        for page in range(document.pageCount()):
            size = document.pagePointSize(page)
            assert (round(size.width()), round(size.height())) == POINTS_4X6
        order = [p.id for p in in_pick_order(ready, "sku")]
        qtbot.waitUntil(lambda: all(p.printed_at for p in tab.all if p.id in set(order)),
                        timeout=WAIT_MS)
        with tab.session.cache.using("serial") as store:
            [job] = store.shipping.print_jobs(tab.session.shop_id)
        assert list(job.package_ids) == order and job.pages == len(order)

        # The pick list of the same packages: units totalled by SKU.
        picks = PickListDialog(tab, ready)
        csv_path = tmp_path / "pick.csv"
        picks.ask_where_to_save = lambda *args: csv_path  # type: ignore[method-assign]
        picks.save_csv()
        rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
        units = sum(i.quantity for p in ready for i in p.items)
        assert rows[-1][0] == "Total units" and int(rows[-1][3]) == units

        # A scanned order number selects its package; the next scan replaces the text.
        target = tab.all[-1]
        tab.search.setText(target.order_id)
        tab._scanned()
        assert tab.selected_ids() == [target.id]
        assert tab.search.selectedText() == target.order_id

        # Offline: a reprint from the history reads the saved labels, in the same order.
        tab.session.api.close()
        tab.print_history()
        tab.history_dialog.reprint()
        again = tab.label_dialog
        reprinted = tmp_path / "again.pdf"
        again.ask_where_to_save = lambda: reprinted  # type: ignore[method-assign]
        again.save()
        qtbot.waitUntil(reprinted.exists, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: len(tab.session.cache.gui().shipping.print_jobs(
            tab.session.shop_id)) == 2, timeout=WAIT_MS)
        newest = tab.session.cache.gui().shipping.print_jobs(tab.session.shop_id)[0]
        assert list(newest.package_ids) == order and newest.pages == len(order)
        assert app.crash_reports() == []


def test_the_arrange_dialog_fills_tracking_numbers_from_a_csv(qtbot: QtBot) -> None:
    from tiktok_desktop.services.shipping import ShipOptions
    from tiktok_desktop.services.tracking_csv import read_tracking
    from tiktok_desktop.store.shipping import QueuedPackage
    from tiktok_desktop.ui.fulfillment.arrange_dialog import ArrangeDialog

    def package(number: int) -> QueuedPackage:
        return QueuedPackage(f"11520000000000000{number}", f"57600000000000000{number}",
                             "AWAITING_SHIPMENT", "SELLER", "Shipped by seller", "71",
                             None, None, None, None, (), (), False, None)

    options = ShipOptions(carriers={"71": (("66001", "USPS"), ("66002", "UPS"))})
    dialog = ArrangeDialog([package(1), package(2)], options)
    qtbot.addWidget(dialog)
    assert dialog.choices() is None and "tracking number" in dialog.problem.text()
    dialog.fill_tracking(read_tracking(
        b"Package ID,Tracking number,Carrier\n"
        b"115200000000000001,1Z999AA10123456784,ups\n"
        b"999,9400111202555842761234,USPS\n"
        b"115200000000000002,9400111202555842761234,DHL\n"))
    assert "Filled 2 of 2" in dialog.import_note.text()
    assert "1 line matched none" in dialog.import_note.text()
    assert "DHL" in dialog.import_note.text()  # not a carrier of this delivery option
    choices = dialog.choices()
    assert [(c.tracking_number, c.shipping_provider_id) for c in choices] == [
        ("1Z999AA10123456784", "66002"), ("9400111202555842761234", "66001")]



def test_tracking_numbers_fill_from_seller_centers_workbook_read_in_the_background(
        qtbot: QtBot, tmp_path: Path) -> None:
    from tiktok_desktop.services.sheets import write_sheet
    from tiktok_desktop.services.shipping import ShipOptions
    from tiktok_desktop.store.shipping import QueuedPackage
    from tiktok_desktop.ui.fulfillment.arrange_dialog import ArrangeDialog
    from tiktok_desktop.ui.tasks import TaskRunner

    package = QueuedPackage("115200000000000001", "576000000000000001", "AWAITING_SHIPMENT",
                            "SELLER", "Shipped by seller", "71", None, None, None, None, (), (),
                            False, None)
    workbook = tmp_path / "tracking.xlsx"
    write_sheet(workbook, ["Order ID", "Tracking ID", "Shipping Provider Name",
                           "Auto Combine Group ID"],
                [["576000000000000001", "1Z999AA10123456784", "UPS", "N/A"]],
                sheet="Shipping info", text_columns={"Order ID", "Tracking ID"})
    tasks = TaskRunner()
    try:
        options = ShipOptions(carriers={"71": (("66001", "USPS"), ("66002", "UPS"))})
        dialog = ArrangeDialog([package], options, None, tasks)
        qtbot.addWidget(dialog)
        dialog.ask_for_csv = lambda: workbook  # type: ignore[method-assign]
        dialog.import_tracking()
        assert not dialog.import_button.isEnabled()  # reading: the window stays responsive
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
        assert "Filled 1 of 1" in dialog.import_note.text()
        [choice] = dialog.choices()
        assert (choice.tracking_number, choice.shipping_provider_id) == ("1Z999AA10123456784",
                                                                        "66002")
    finally:
        tasks.shutdown()


def test_a_big_tracking_file_fills_the_dialog_from_a_process_of_its_own(
        qtbot: QtBot, tmp_path: Path) -> None:
    from tiktok_desktop.services.own_process import OWN_PROCESS_FROM
    from tiktok_desktop.services.shipping import ShipOptions
    from tiktok_desktop.store.shipping import QueuedPackage
    from tiktok_desktop.ui.fulfillment.arrange_dialog import ArrangeDialog
    from tiktok_desktop.ui.tasks import TaskRunner

    package = QueuedPackage("115200000000000001", "576000000000000001", "AWAITING_SHIPMENT",
                            "SELLER", "Shipped by seller", "71", None, None, None, None, (), (),
                            False, None)
    big = tmp_path / "tracking.csv"
    big.write_text("Order ID,Tracking ID,Shipping Provider Name\n"
                   + "".join(f"{577000000000000000 + n},TRK{n:08d},UPS\n" for n in range(5_000))
                   + "576000000000000001,1Z999AA10123456784,UPS\n")
    assert big.stat().st_size > OWN_PROCESS_FROM
    tasks = TaskRunner()
    try:
        options = ShipOptions(carriers={"71": (("66001", "USPS"), ("66002", "UPS"))})
        dialog = ArrangeDialog([package], options, None, tasks)
        qtbot.addWidget(dialog)
        dialog.ask_for_csv = lambda: big  # type: ignore[method-assign]
        dialog.import_tracking()
        assert not dialog.import_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=30_000)
        assert dialog.import_note.text() == (
            "Filled 1 of 1 packages from the file. 5,000 lines matched none of these packages.")
        [choice] = dialog.choices()
        assert choice.tracking_number == "1Z999AA10123456784"
    finally:
        tasks.shutdown()
