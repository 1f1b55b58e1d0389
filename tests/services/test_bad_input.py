"""Whatever a seller pastes, types or imports (numbers of thousands of digits, NUL and other
control characters, lone surrogates, files of any size): never an exception, and either a whole
change within 0-99,999 or a plain message and nothing at all (issue 17)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stock_cells import shop

from tiktok_desktop.services import stock_csv
from tiktok_desktop.services.stock_csv import read_import, read_import_file
from tiktok_desktop.services.stock_edits import Change, EditRefused, add, set_to, subtract
from tiktok_desktop.services.stock_import import MATCHED
from tiktok_desktop.services.stock_paste import paste
from tiktok_desktop.services.stock_values import MAX_QUANTITY, QuantityRefused, parse_quantity

CELLS = shop(4)
KEYS = {c.key for c in CELLS}
# Python refuses to convert more than 4,300 digits to a number (sys.get_int_max_str_digits).
LONG_NUMBERS = st.integers(4_290, 6_000).flatmap(lambda n: st.sampled_from([
    "9" * n, "-" + "9" * n, "+" + "9" * n, "0" * n + "7", "1" + "0" * n + ".0",
    "1" + ",000" * (n // 3), "3." + "5" * n, "\u0663" * n, "\uff11" * n]))
ODD_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)  # surrogates included
CONTROL = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\ufeff"])
ENTRIES = st.one_of(LONG_NUMBERS, ODD_TEXT, st.integers(-5, 120_000).map(str),
                    st.tuples(st.integers(0, 300).map(str), CONTROL).map("".join))
CELL_TEXT = ENTRIES | st.sampled_from(["TEE-001", "TEE-003", "Seller SKU", "Quantity",
                                       "Quantity in Main warehouse", "Main warehouse", ""])
BLOCKS = st.lists(st.lists(CELL_TEXT, min_size=1, max_size=4), min_size=1, max_size=6)
SKU_ROWS = st.lists(st.tuples(st.sampled_from(["TEE-001", "TEE-003", "NOPE"]) | CELL_TEXT,
                              ENTRIES).map(list), min_size=1, max_size=6)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def whole_changes(changes: list[Change]) -> None:
    """Changes of this shop's cells, one per cell, each within what TikTok Shop takes."""
    keys = [c.key for c in changes]
    assert len(keys) == len(set(keys)) and set(keys) <= KEYS
    assert all(c.new is not None and 0 <= c.new <= MAX_QUANTITY for c in changes)


def plain(message: str) -> None:
    """One message in the seller's words: no Python error text, no doubled punctuation."""
    assert message and "Exceeds the limit" not in message and "int(" not in message
    ours = re.sub(r"“[^”]*”", "“”", message)  # the seller's own text, quoted, may hold ".."
    assert ".." not in ours.replace("…", "") and "::" not in ours


@pytest.mark.parametrize("text", ["9" * 5_000, "-" + "9" * 5_000, "9" * 5_000 + ".0",
                                  "1" + ",000" * 2_000])
def test_a_number_of_thousands_of_digits_is_refused_in_plain_words(text: str) -> None:
    with pytest.raises(QuantityRefused, match=r"at most 99,999|can't be negative") as refused:
        parse_quantity(text)
    plain(str(refused.value))


def test_leading_zeros_do_not_make_a_number_too_long() -> None:
    assert parse_quantity("0" * 5_000 + "7") == 7


@SETTINGS
@given(ENTRIES, st.sampled_from([set_to, add, subtract]))
def test_bulk_dialog_text_changes_every_row_or_none(text: str, operation) -> None:
    try:
        changes = operation(CELLS, parse_quantity(text))
    except (QuantityRefused, EditRefused) as refused:
        plain(str(refused))
        return
    whole_changes(changes)


@SETTINGS
@given(BLOCKS, st.sampled_from(["\t", ","]), st.integers(0, len(CELLS)), st.integers(0, 3))
def test_any_pasted_block_applies_whole_or_not_at_all(rows: list[list[str]], separator: str,
                                                      first: int, selected: int) -> None:
    below = CELLS[first:]
    try:
        pasted = paste("\n".join(separator.join(r) for r in rows), below=below,
                       selected=below[:selected], shop=CELLS)
    except EditRefused as refused:
        plain(str(refused))
        return
    whole_changes(pasted.changes)


@SETTINGS
@given(SKU_ROWS | BLOCKS, st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_any_csv_bytes_give_a_report_that_only_changes_what_matched(
        rows: list[list[str]], encoding: str) -> None:
    text = "\r\n".join(",".join(r) for r in [["Seller SKU", "Quantity in East Coast"], *rows])
    report = read_import(text.encode(encoding, errors="replace"), CELLS)
    whole_changes(report.changes)
    assert len(report.changes) == report.count(MATCHED)
    for line in report.lines:
        assert (line.change is not None) == (line.status == MATCHED)
        if line.message:
            plain(line.message)
    plain(report.summary())


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "everything.csv"
    with huge.open("wb") as file:
        file.truncate(1024 ** 3)  # 1 GB, sparse: nothing to read but its size
    assert read_import_file(huge, CELLS).problem == (
        "This file is too large for a stock list (over 50 MB).")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs a file without a size")
def test_a_file_that_tells_no_size_is_read_no_further_than_the_limit(monkeypatch) -> None:
    monkeypatch.setattr(stock_csv, "MAX_FILE_BYTES", 1_000)
    assert "too large" in (read_import_file(Path("/dev/zero"), CELLS).problem or "")


def test_a_file_that_cannot_be_opened_says_so(tmp_path: Path) -> None:
    for path in (tmp_path / "gone.csv", tmp_path):
        problem = read_import_file(path, CELLS).problem or ""
        assert problem.startswith("This file can't be opened (")
        plain(problem)


def test_a_file_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "count.csv"
    path.write_bytes(b"Seller SKU,Quantity in Main warehouse\r\nTEE-002,7\r\n")
    assert [(c.sku_id, c.new) for c in read_import_file(path, CELLS).changes] == [
        (CELLS[2].sku_id, 7)]
