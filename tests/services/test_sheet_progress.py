"""A large file is read with progress and can be cancelled (issue 16): progress comes every few
thousand rows and ends at 1.0; a cancel is seen within a few thousand rows, and nothing of the
file is used. (The 200,000-row figures: tests/bench/bench_sheets.py.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tiktok_desktop.services.sheet_source import (
    CANCEL_EVERY,
    CHECK_EVERY,
    SheetCancelled,
    SheetProgress,
)
from tiktok_desktop.services.sheets import read_table, write_sheet

HEADER = ["Order ID", "Seller SKU", "Quantity", "Order Amount", "Created Time"]


def orders(count: int) -> list[list[object]]:
    return [[str(576073588990780847 + n), f"TEE-{n % 300:03d}", n % 5 + 1, f"{n % 97}.99",
             "01/27/2026 6:03:56 PM"] for n in range(count)]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("large")
    made = {"csv": folder / "orders.csv", "xlsx": folder / "orders.xlsx"}
    write_sheet(made["csv"], HEADER, orders(30_000), text_columns=["Order ID"])
    write_sheet(made["xlsx"], HEADER, orders(8_000), text_columns=["Order ID"])
    return made


@pytest.mark.parametrize(("kind", "count"), [("csv", 30_000), ("xlsx", 8_000)])
def test_a_large_file_reports_progress_up_to_the_end(files: dict[str, Path], kind: str,
                                                     count: int) -> None:
    seen: list[SheetProgress] = []
    table = read_table(files[kind], HEADER, progress=seen.append)
    assert len(table.rows) == count and table.rows[-1].number == count + 1
    assert len(seen) >= count // CHECK_EVERY
    assert [p.rows for p in seen] == sorted(p.rows for p in seen)
    fractions = [p.fraction for p in seen if p.fraction is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1] == SheetProgress(count + 1, 1.0)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cancel_stops_the_reading_within_a_few_thousand_rows(files: dict[str, Path],
                                                               kind: str) -> None:
    cancel = threading.Event()
    seen: list[SheetProgress] = []

    def progress(step: SheetProgress) -> None:
        seen.append(step)
        cancel.set()  # the seller cancels as soon as the first progress shows

    with pytest.raises(SheetCancelled):
        read_table(files[kind], HEADER, progress=progress, cancel=cancel)
    assert [p.rows for p in seen] == [CHECK_EVERY]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_cancelled_write_stops_within_a_hundred_rows_and_leaves_no_file(
        tmp_path: Path, suffix: str) -> None:
    cancel = threading.Event()
    given = [0]

    def rows() -> Iterator[list[object]]:
        for row in orders(10_000):
            given[0] += 1
            if given[0] == 150:
                cancel.set()  # the seller cancels while row 150 is written
            yield row

    with pytest.raises(SheetCancelled):
        write_sheet(tmp_path / f"orders{suffix}", HEADER, rows(), cancel=cancel)
    assert given[0] <= 150 + CANCEL_EVERY
    assert list(tmp_path.iterdir()) == []
