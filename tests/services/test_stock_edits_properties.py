"""Malformed files and pasted text: never an exception, never a change outside 0-99,999, never
two changes for one cell, nothing that doesn't exist in the shop."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stock_cells import shop

from tiktok_desktop.services.stock_csv import read_import
from tiktok_desktop.services.stock_edits import Change, EditRefused
from tiktok_desktop.services.stock_import import MATCHED
from tiktok_desktop.services.stock_paste import paste
from tiktok_desktop.services.stock_values import MAX_QUANTITY, QuantityRefused, parse_quantity

CELLS = shop(5)
KEYS = {c.key for c in CELLS}
HEADERS = ["Seller SKU", "SKU ID", "Warehouse", "Quantity", "Quantity in Main warehouse",
           "Quantity in East Coast", "Product ID", "Quantity in Nowhere", "Name", ""]
VALUES = st.one_of(
    st.sampled_from(["TEE-001", "TEE-002", "TEE-005", c.sku_id if (c := CELLS[0]) else "",
                     "Main warehouse", "East Coast", "1.7295E+18", "Mandatory", "", " "]),
    st.integers(-5, 120_000).map(str),
    st.sampled_from(["1,234", "12.0", "2.5", "-0", "99999", "100000", "0x10", "٣", '="7"']),
    st.text(max_size=12),
)
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _valid(changes: list[Change]) -> None:
    keys = [c.key for c in changes]
    assert len(keys) == len(set(keys)), "two changes for one cell"
    assert set(keys) <= KEYS
    assert all(c.new is not None and 0 <= c.new <= MAX_QUANTITY for c in changes)


@SETTINGS
@given(st.text(max_size=40) | st.integers() | st.floats())
def test_a_stock_number_is_read_or_refused_nothing_else(value: object) -> None:
    try:
        n = parse_quantity(value)
    except QuantityRefused as refused:
        assert str(refused)
    else:
        assert 0 <= n <= MAX_QUANTITY


@SETTINGS
@given(st.binary(max_size=600))
def test_any_bytes_give_a_report(data: bytes) -> None:
    report = read_import(data, CELLS)
    _valid(report.changes)
    assert report.summary()


@SETTINGS
@given(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
       st.lists(st.lists(VALUES, max_size=7), max_size=8),
       st.sampled_from([",", ";", "\t"]))
def test_malformed_stock_files_give_a_report_that_only_changes_what_matched(
        header: list[str], rows: list[list[str]], delimiter: str) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([header, *rows])
    report = read_import(out.getvalue().encode("utf-8"), CELLS)
    _valid(report.changes)
    assert len(report.changes) == report.count(MATCHED)
    for line in report.lines:
        assert (line.change is not None) == (line.status == MATCHED)


@SETTINGS
@given(st.lists(st.lists(VALUES, min_size=1, max_size=4), max_size=8) | st.text(max_size=80),
       st.integers(0, len(CELLS)), st.integers(0, 3))
def test_a_paste_is_all_or_nothing(block: list[list[str]] | str, first: int, selected: int) -> None:
    text = block if isinstance(block, str) else "\n".join("\t".join(r) for r in block)
    below = CELLS[first:]
    try:
        pasted = paste(text, below=below, selected=below[:selected], shop=CELLS)
    except EditRefused as refused:
        assert str(refused)
        return
    _valid(pasted.changes)
