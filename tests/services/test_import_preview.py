"""The import preview: small whatever the file, the same whether read here or in a process of
its own."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from stock_cells import shop

from tiktok_desktop.services.import_preview import preview_of, read_preview
from tiktok_desktop.services.own_process import OWN_PROCESS_FROM, WorkCancelled
from tiktok_desktop.services.sheet_source import SheetProgress
from tiktok_desktop.services.stock_csv import read_import_file
from tiktok_desktop.services.stock_import import (
    AMBIGUOUS,
    MATCHED,
    UNCHANGED,
    UNKNOWN,
    ImportLine,
    ImportReport,
)

HEADER = "Seller SKU,Quantity in Main warehouse,Quantity in East Coast\n"


def stock_file(path: Path, rows: int) -> Path:
    """Rows for the six SKUs of stock_cells.shop() (each named once) and then SKUs it lacks."""
    lines = [f"TEE-{n:03d},{10 * n + (n == 2)},{n}" for n in range(1, 7)]
    lines += [f"GONE-{n},{n % 90},1" for n in range(rows - len(lines))]
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_preview_counts_every_line_and_lists_the_first_problems_first() -> None:
    lines = (ImportLine(2, "A", "Main", UNCHANGED), ImportLine(3, "B", "Main", MATCHED),
             *(ImportLine(4 + n, f"X{n}", "Main", UNKNOWN, "Not here") for n in range(5)),
             ImportLine(9, "C", "Main", AMBIGUOUS, "Named twice"))
    preview = preview_of(ImportReport(lines), most=4)
    assert preview.summary.startswith("2 stock numbers matched: 1 will change, 1 unchanged.")
    assert preview.has_problems and preview.unchanged == 1
    listed = preview.listing(unchanged_too=False)
    assert [line.row for line in listed.stock] == [4, 5, 6, 7]
    assert listed.total == 7 and listed.cut
    assert preview.listing(unchanged_too=True).total == 8
    whole = preview_of(ImportReport(lines))
    assert [line.row for line in whole.listing(unchanged_too=False).stock] == [
        4, 5, 6, 7, 8, 9, 3]
    assert [line.row for line in whole.listing(unchanged_too=True).stock][-2:] == [2, 3]
    assert not whole.listing(unchanged_too=True).cut


def test_a_big_file_read_in_its_own_process_previews_as_one_read_here(tmp_path: Path) -> None:
    path = stock_file(tmp_path / "stock.csv", 6_000)
    assert path.stat().st_size > OWN_PROCESS_FROM
    seen: list[object] = []
    preview = read_preview(path, shop(), progress=seen.append)
    assert preview == preview_of(read_import_file(path, shop(), refuse_prices=True))
    assert [(c.sku_id, c.warehouse_id, c.new) for c in preview.changes] == [
        (shop()[2].sku_id, shop()[2].warehouse_id, 21)]
    assert "11,988 not found in this shop" in preview.summary  # two numbers a row
    assert seen and all(isinstance(p, SheetProgress) for p in seen)
    assert [p.rows for p in seen] == sorted(p.rows for p in seen)  # type: ignore[attr-defined]


def test_a_small_file_is_read_here_and_previews_the_same(tmp_path: Path) -> None:
    path = stock_file(tmp_path / "stock.csv", 20)
    assert path.stat().st_size < OWN_PROCESS_FROM
    assert read_preview(path, shop()) == preview_of(read_import_file(path, shop()))


def test_cancelling_a_big_read_stops_it(tmp_path: Path) -> None:
    path = stock_file(tmp_path / "stock.csv", 200_000)
    cancel = threading.Event()
    with pytest.raises(WorkCancelled):
        read_preview(path, shop(), progress=lambda _p: cancel.set(), cancel=cancel)


def test_a_file_that_is_gone_gets_the_usual_words(tmp_path: Path) -> None:
    preview = read_preview(tmp_path / "gone.csv", shop())
    assert preview.problem and not preview.changes
