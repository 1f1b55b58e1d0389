"""A tracking upload as big as Seller Center's To-Ship export (up to 200,000 orders): read in a
process of its own from OWN_PROCESS_FROM with the same plan as read here, the refused lines
listed up to SHOWN_AT_MOST and counted in all, a cancel stopping it, no 5 MB limit any more."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tiktok_desktop.services import own_process
from tiktok_desktop.services.own_process import OWN_PROCESS_FROM, WorkCancelled
from tiktok_desktop.services.sheet_source import SHOWN_AT_MOST, SheetProgress
from tiktok_desktop.services.tracking_csv import MAX_FILE_BYTES, read_tracking_file
from tiktok_desktop.services.tracking_upload import (
    match_carriers,
    match_packages,
    plan_of,
    plan_upload,
    read_upload,
)
from tiktok_desktop.store.shipping import PackageItem, QueuedPackage

CARRIERS = {"71": (("66001", "USPS"), ("66002", "UPS"))}
HEADER = "Order ID,Tracking ID,Shipping Provider Name,Auto Combine Group ID"


def package(number: int) -> QueuedPackage:
    return QueuedPackage(f"1152000000000{number:05d}", f"5760000000000{number:05d}",
                         "AWAITING_SHIPMENT", "SELLER", "Shipped by seller", "71", None, None,
                         None, None, (f"57700{number}",),
                         (PackageItem(f"17290{number}", "TEE-BLK-M", "Cotton tee", "Black, M", 2),),
                         False, None)


PACKAGES = [package(n) for n in range(1, 4)]


def upload_file(path: Path, gone: int, *, padding: int = 0) -> Path:
    """Rows 2 and 3 ship packages 1 (UPS) and 2 (a carrier its option lacks); then `gone`
    orders that aren't awaiting shipment here; last an order id a spreadsheet shortened. Each
    row carries `padding` characters more (a column the import doesn't read)."""
    pad = "," + "x" * padding if padding else ""
    rows = [HEADER + (",Note" if padding else ""),
            f"{PACKAGES[0].order_id},1Z999AA10123456784,UPS,N/A{pad}",
            f"{PACKAGES[1].order_id},9400111202555842761234,Royal Mail,N/A{pad}"]
    rows += [f"5769{n:014d},9400111202555842{n % 1_000_000:06d},USPS,N/A{pad}"
             for n in range(gone)]
    rows.append(f"5.76074E+17,1Z999AA10123456785,UPS,N/A{pad}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def in_own_process(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the work run in a process of its own."""
    started: list[str] = []
    real = own_process.run_in_own_process

    def recording(work: Any, *args: Any, **kwargs: Any) -> Any:
        started.append(work.__name__)
        return real(work, *args, **kwargs)

    monkeypatch.setattr(own_process, "run_in_own_process", recording)
    return started


def test_a_big_file_read_in_its_own_process_plans_as_one_read_here(
        tmp_path: Path, in_own_process: list[str]) -> None:
    path = upload_file(tmp_path / "upload.csv", 3_000)
    assert path.stat().st_size > OWN_PROCESS_FROM
    seen: list[object] = []
    plan = plan_of(read_upload(path, PACKAGES, progress=seen.append), lambda ids: CARRIERS)
    assert in_own_process == ["match_file"]
    assert plan == plan_upload(read_tracking_file(path), PACKAGES, lambda ids: CARRIERS)
    assert [(m.package, m.carrier) for m in plan.matched] == [(PACKAGES[0], "UPS")]  # whole
    assert seen and all(isinstance(p, SheetProgress) for p in seen)


def test_a_small_file_is_read_here(tmp_path: Path, in_own_process: list[str]) -> None:
    path = upload_file(tmp_path / "upload.csv", 10)
    assert path.stat().st_size < OWN_PROCESS_FROM
    plan = plan_of(read_upload(path, PACKAGES), lambda ids: CARRIERS)
    assert in_own_process == []
    assert plan == plan_upload(read_tracking_file(path), PACKAGES, lambda ids: CARRIERS)


def test_refused_lines_are_listed_up_to_the_cap_in_order_and_counted_in_all(
        tmp_path: Path) -> None:
    gone = SHOWN_AT_MOST + 500
    path = upload_file(tmp_path / "upload.csv", gone)
    plan = plan_of(read_upload(path, PACKAGES), lambda ids: CARRIERS)
    assert plan.refused_total == gone + 2  # the carrier, the shortened id
    assert len(plan.refused) == SHOWN_AT_MOST and plan.unlisted == gone + 2 - SHOWN_AT_MOST
    read = read_tracking_file(path)
    every = match_carriers(*match_packages(read, PACKAGES), CARRIERS).refused
    assert len(every) == plan.refused_total and plan.refused == every[:SHOWN_AT_MOST]
    first, second, third = plan.refused[:3]
    assert first.row is None and "turned into a number" in first.text()  # the file's own
    assert (second.row, second.order_id) == (3, PACKAGES[1].order_id)  # the shop's carriers
    assert "Royal Mail is not one of" in second.reason
    assert third.row == 4 and "not an order awaiting shipment" in third.reason


def test_cancelling_a_big_read_stops_its_process(tmp_path: Path) -> None:
    path = upload_file(tmp_path / "upload.csv", 100_000)
    cancel = threading.Event()
    with pytest.raises(WorkCancelled):
        read_upload(path, PACKAGES, progress=lambda _p: cancel.set(), cancel=cancel)


def test_a_20_mb_file_is_read_whole(tmp_path: Path) -> None:
    """Over the old 5 MB limit, and over a 200,000-row export's 14 MB."""
    gone = 20_000
    path = upload_file(tmp_path / "upload.csv", gone, padding=1_000)
    assert 20 * 1024 * 1024 < path.stat().st_size < MAX_FILE_BYTES
    plan = plan_of(read_upload(path, PACKAGES), lambda ids: CARRIERS)
    assert plan.problem is None
    assert [m.package.id for m in plan.matched] == [PACKAGES[0].id]
    assert plan.refused_total == gone + 2 and len(plan.refused) == SHOWN_AT_MOST
