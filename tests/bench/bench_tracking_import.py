"""Benchmark: a 200,000-row tracking upload imported into the Fulfillment tab while a heartbeat
watches the window's event loop.

    python tests/bench/bench_tracking_import.py --rows 200000 --packages 300 [--xlsx]

1. The demo shop (in a process of its own, as the Fulfillment UI tests run it) with enough
   orders for about N seller-shipped packages awaiting shipment, synced into a new cache.
2. Seller Center's tracking upload file of R rows (CSV, or its workbook with `--xlsx`): first
   one row for each of those packages (a valid tracking number, a carrier of its delivery
   option), then orders that aren't there (refused: not awaiting shipment here).
3. The Fulfillment tab (offscreen, the real task runner) imports it as a seller does: the file
   chosen, read with progress, the shop asked for the carriers, the preview opened. Measured:
   from choosing the file to the preview shown, and the longest gap between beats of a 5 ms
   timer on the GUI thread while the file is read and while the preview opens.
4. The same import cancelled when the progress passes a third, as the Cancel button does:
   from the click to the progress gone and the button back, and the longest gap meanwhile.
Prints the figures, then ONE JSON line: import_s, max_stall_ms, reading_stall_ms,
preview_stall_ms, cancel_s, cancel_max_stall_ms, matched, refused.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_import import CANCEL_AT, Watch, report, settle, wait  # noqa: E402

# About one order in 55 of a generated shop is shipped by the seller and awaits shipment.
ORDERS_PER_PACKAGE = 55


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--packages", type=int, default=300,
                        help="about this many seller-shipped packages awaiting shipment")
    parser.add_argument("--xlsx", action="store_true", help="a workbook, not a CSV")
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


def open_shop(folder: Path, args: argparse.Namespace) -> Any:
    """The demo shop's session, its cache synced once."""
    from tiktok_desktop.sandbox import DemoShopConfig
    from tiktok_desktop.services import open_demo_session

    config = DemoShopConfig(seed=args.seed, orders=max(600, args.packages * ORDERS_PER_PACKAGE),
                            products=40, rate_limit=1000.0)
    started = time.perf_counter()
    session = open_demo_session(folder, config)
    if not session.sync().complete:
        raise RuntimeError("the demo shop's sync did not complete")
    print(f"demo shop of {config.orders:,} orders synced in "
          f"{time.perf_counter() - started:.1f} s")
    return session


def upload_rows(packages: list[Any], carriers: Any, rows: int) -> list[list[str]]:
    """A row for each package (its order, a tracking number, its option's first carrier), then
    orders that aren't there."""
    body = [[p.order_id, f"1Z999AA1{n:010d}", carriers[p.delivery_option_id][0][1], "N/A"]
            for n, p in enumerate(packages)]
    body += [[f"5769{n:014d}", f"94001112025558{n:08d}", "USPS", "N/A"]
             for n in range(rows - len(body))]
    return body


def write_file(folder: Path, rows: list[list[str]], xlsx: bool) -> Path:
    from tiktok_desktop.services.sheets import write_sheet
    from tiktok_desktop.services.tracking_upload import HEADER, SHEET

    path = folder / ("tracking upload.xlsx" if xlsx else "tracking upload.csv")
    started = time.perf_counter()
    write_sheet(path, HEADER, rows, sheet=SHEET, text_columns={"Order ID", "Tracking ID"})
    print(f"{path.name}: {len(rows):,} rows, {path.stat().st_size / 1e6:.1f} MB, written in "
          f"{time.perf_counter() - started:.1f} s")
    return path


def past_a_third(progress: Any, rows: int) -> bool:
    """The progress passed CANCEL_AT: by its bar or, as a workbook's reading tells no fraction
    until the end, by the rows its label counts."""
    if progress.value() >= CANCEL_AT * progress.maximum():
        return True
    counted = re.search(r"([\d,]+) rows", progress.labelText())
    return counted is not None and int(counted[1].replace(",", "")) >= CANCEL_AT * rows


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication, QProgressDialog
    from shiboken6 import Shiboken

    from tiktok_desktop.services.tracking_upload import awaiting_upload, split_orders
    from tiktok_desktop.ui.fulfillment.tab import FulfillmentTab
    from tiktok_desktop.ui.fulfillment.tracking_files import UploadPreview
    from tiktok_desktop.ui.settings import Settings
    from tiktok_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    session = open_shop(folder / "data", args)
    tasks = TaskRunner()
    tab = FulfillmentTab(session, tasks, Settings.open(folder))
    try:
        tab.resize(1200, 700)
        tab.show()
        wait(app, lambda: bool(tab.all), 60)
        settle(app)
        split = split_orders(tab.all)
        packages = [p for p in tab.all if awaiting_upload(p) and p.order_id not in split]
        carriers = session.ship_options(
            None, sorted({p.delivery_option_id for p in packages})).carriers
        path = write_file(folder, upload_rows(packages, carriers, args.rows), args.xlsx)
        print(f"the tab has {len(tab.all):,} packages to ship, {len(packages):,} of them "
              "shipped by the seller and awaiting shipment")

        previews: list[UploadPreview] = []
        plans: list[Any] = []

        def preview(plan: Any) -> bool:
            dialog = UploadPreview(plan, tab)
            plans.append(plan)
            previews.append(dialog)
            dialog.show()
            return False  # looked at, not confirmed: nothing ships

        tab.ask_for_upload = lambda: path  # type: ignore[method-assign]
        tab.preview_upload = preview  # type: ignore[method-assign]
        watch = Watch()

        # The import, to the preview.
        watch.start()
        started = time.perf_counter()
        tab.import_upload()
        wait(app, lambda: bool(previews))
        seconds = time.perf_counter() - started
        reading_stall = watch.stop("reading")
        [dialog] = previews
        watch.start()
        shown = time.perf_counter()
        wait(app, lambda: time.perf_counter() - shown > 0.5, 10)  # its first paints
        preview_stall = watch.stop("preview")
        summary = dialog.summary.text()
        listed = dialog.refused.blockCount()
        dialog.close()
        wait(app, lambda: tab.import_upload_button.isEnabled(), 10)

        # The same import, cancelled a third of the way.
        watch.start()
        tab.import_upload()
        progress = tab.findChild(QProgressDialog)
        wait(app, lambda: not Shiboken.isValid(progress) or past_a_third(progress, args.rows))
        if not Shiboken.isValid(progress):
            raise RuntimeError("the import ended before its progress was seen at a third")
        clicked = time.perf_counter()
        progress.canceled.emit()  # what its Cancel button does
        wait(app, lambda: tab.import_upload_button.isEnabled(), 60)
        cancel_s = time.perf_counter() - clicked
        cancel_stall = watch.stop("cancelled")
        if len(previews) != 1:
            raise RuntimeError("a preview opened after the cancel")
    finally:
        tab.shop_closing()
        tasks.shutdown()
        session.close()
    return {"import_s": seconds, "reading_stall_ms": reading_stall,
            "preview_stall_ms": preview_stall, "cancel_s": cancel_s,
            "cancel_stall_ms": cancel_stall, "summary": summary,
            "matched": len(plans[0].matched), "refused": plans[0].refused_total,
            "refused_listed": listed}


def main() -> int:
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-tracking-import-"))
    try:
        found = run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"preview: {found['matched']:,} packages matched, {found['refused']:,} lines refused, "
          f"{found['refused_listed']:,} lines under Refused")
    report(found, matched=found["matched"], refused=found["refused"])
    # Skip Python's finalization (see bench_ui.py: PySide6 6.12 may abort while tearing down).
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
