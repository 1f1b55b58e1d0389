"""Prices as sellers type them, and the price operations: checked in the shop's currency,
refused in plain words, never half applied."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_desktop.services.cell_edits import CellEdit, EditRefused, undo_of
from tiktok_desktop.services.price_edits import (
    PriceCell,
    end_in_99,
    open_edits,
    raise_by,
    raise_by_percent,
    save_changes,
    set_to,
)
from tiktok_desktop.services.price_values import PriceRefused, parse_price
from tiktok_desktop.store import Store

SHOP = "7000000000000000001"


def cell(n: int, price: str | None = "10.00", *, currency: str = "USD",
         edit: CellEdit | None = None, status: str = "ACTIVATE") -> PriceCell:
    return PriceCell(f"{1729500000000000000 + n}", f"{1729000000000000000 + n // 10}",
                     f"Hoodie {n // 10}", f"Size {n}", f"HOOD-{n:03d}", status, currency,
                     None if price is None else Decimal(price), edit)


@pytest.mark.parametrize(("text", "currency", "price"), [
    ("12.99", "USD", "12.99"), ("$12.99", "USD", "12.99"), ("USD 12.99", "USD", "12.99"),
    ("12.99 USD", "USD", "12.99"), ("1,299.00", "USD", "1299.00"), ("12,99", "USD", "12.99"),
    ("12.5", "USD", "12.50"), (".99", "USD", "0.99"), (" 7 ", "USD", "7.00"),
    ("1,500", "JPY", "1500"), ("１２．９９", "USD", "12.99"), ("£4.50", "GBP", "4.50"),
    ("$12.99", "MXN", "12.99"), ("MX$12.99", "MXN", "12.99"),
])
def test_prices_are_read_as_sellers_write_them(text: str, currency: str, price: str) -> None:
    assert parse_price(text, currency) == Decimal(price)
    assert str(parse_price(text, currency)) == price  # the currency's decimals, always


@pytest.mark.parametrize(("text", "currency", "says"), [
    ("12.999", "USD", "USD prices have at most 2 decimals: “12.999” has more."),
    ("1500.5", "JPY", "JPY prices are whole amounts: “1500.5” has a fraction."),
    ("0", "USD", "A price must be more than 0 (“0”)."),
    ("-3", "USD", "A price can't be negative (“-3”)."),
    ("", "USD", "Enter a price, such as 12.99."),
    ("twelve", "USD", "“twelve” is not a price. Enter an amount such as 12.99."),
    ("9" * 5000, "USD", "is far more than any listing costs"),
    ("1e3", "USD", "is not a price"),
    ("NaN", "USD", "is not a price"),
])
def test_a_price_the_shop_would_not_take_is_refused_in_words(text: str, currency: str,
                                                              says: str) -> None:
    with pytest.raises(PriceRefused) as refused:
        parse_price(text, currency)
    assert says in str(refused.value)


@given(st.text(max_size=30))
def test_any_text_is_a_price_or_a_plain_refusal(text: str) -> None:
    try:
        price = parse_price(text, "USD")
    except PriceRefused as refused:
        assert str(refused) and "Decimal" not in str(refused) and "Invalid" not in str(refused)
    else:
        assert price > 0 and price == price.quantize(Decimal("0.01"))


def test_set_to_raise_and_lower_change_every_row_or_none() -> None:
    rows = [cell(1, "10.00"), cell(2, "4.00"), cell(3, "20.00")]
    assert [c.new for c in set_to(rows, Decimal("9.99"))] == [Decimal("9.99")] * 3
    assert [c.new for c in raise_by(rows, Decimal("1.50"))] == [
        Decimal("11.50"), Decimal("5.50"), Decimal("21.50")]
    with pytest.raises(EditRefused, match=r"Lowering by 5.00 would leave 1 row at 0 or less "
                                          r"\(HOOD-002\)\. Nothing was changed\."):
        raise_by(rows, Decimal("-5.00"))
    with pytest.raises(EditRefused, match="at most 2 decimals"):
        raise_by(rows, Decimal("0.001"))
    with pytest.raises(EditRefused, match="isn't known yet"):
        raise_by([cell(4, None)], Decimal(1))


def test_percent_rounds_to_the_cent_and_100_percent_down_is_refused() -> None:
    rows = [cell(1, "19.99"), cell(2, "0.05")]
    assert [c.new for c in raise_by_percent(rows, Decimal(10))] == [
        Decimal("21.99"), Decimal("0.06")]  # 21.989 → 21.99, 0.055 → 0.06 (half up)
    assert [c.new for c in raise_by_percent(rows, Decimal(-15))] == [
        Decimal("16.99"), Decimal("0.04")]
    with pytest.raises(EditRefused, match="Lowering by 100%"):
        raise_by_percent(rows, Decimal(-100))
    with pytest.raises(EditRefused, match="at 0 or less"):
        raise_by_percent([cell(3, "0.01")], Decimal(-60))  # 0.004 rounds to 0.00


def test_ending_in_99_goes_to_the_nearest_and_is_refused_without_cents() -> None:
    rows = [cell(1, "12.40"), cell(2, "13.10"), cell(3, "12.49"), cell(4, "12.99"),
            cell(5, "0.30")]  # 12.49: a tie, goes up; 0.30: nothing ends in .99 below it
    changes = {c.sku_id: c.new for c in end_in_99(rows)}
    assert [changes.get(c.sku_id) for c in rows] == [
        Decimal("11.99"), Decimal("12.99"), Decimal("12.99"), None, Decimal("0.99")]
    with pytest.raises(EditRefused, match=r"JPY prices have no cents"):
        end_in_99([cell(6, "1500", currency="JPY")])


def test_undo_puts_back_the_previous_edit_or_none() -> None:
    fresh = cell(1)
    edited = cell(2, edit=CellEdit(3, Decimal("25.00"), Decimal("10.00"), "pending"))
    changes = set_to([fresh, edited], Decimal("50.00"))
    assert [c.new for c in undo_of([fresh, edited], changes)] == [None, Decimal("25.00")]


def test_edits_are_kept_in_the_outbox_with_the_price_they_were_made_against(
        tmp_path: Path) -> None:
    a, b = cell(1, "10.00"), cell(2, "4.00")
    with Store.open(tmp_path / "cache.sqlite3") as store:
        save_changes(store, SHOP, [a.change(Decimal("12.50")), b.change(Decimal("3.99"))])
        edits = open_edits(store, SHOP)
        assert {k: (e.new, e.based_on, e.state) for k, e in edits.items()} == {
            a.key: (Decimal("12.50"), Decimal("10.00"), "pending"),
            b.key: (Decimal("3.99"), Decimal("4.00"), "pending")}
        [item] = [i for i in store.outbox.items(SHOP) if i.target == a.sku_id]
        assert item.payload == {"product_id": a.product_id, "price": "12.50", "currency": "USD"}
        save_changes(store, SHOP, [a.change(Decimal("10.00")), b.change(None)])  # back again
        assert open_edits(store, SHOP) == {}


def test_the_review_highlights_large_drops_slipped_decimals_and_listings_not_live() -> None:
    from tiktok_desktop.services.price_review import review

    def edited(n: int, old: str, new: str, **kw: object) -> PriceCell:
        return cell(n, old, edit=CellEdit(n, Decimal(new), Decimal(old), "pending"),
                    **kw)  # type: ignore[arg-type]

    checked = review([edited(1, "20.00", "13.00"), edited(2, "20.00", "14.00"),
                      edited(3, "12.99", "1299.00"), edited(4, "10.00", "11.00",
                                                            status="PENDING"),
                      cell(5), cell(6, edit=CellEdit(9, Decimal(1), Decimal(1), "conflict"))])
    warned = {line.cell.seller_sku: line.warnings for line in checked.lines}
    assert warned["HOOD-001"] == ("Large drop: down 35% from 20.00.",)
    assert warned["HOOD-002"] == ()  # down 30%: not more than 30
    assert warned["HOOD-003"] == ("Large rise: 100.0 times 12.99 (a decimal point missed?).",)
    assert warned["HOOD-004"] == ("Not live (In review): TikTok Shop will refuse it.",)
    assert checked.waiting_elsewhere == 1 and checked.needs_a_look
    assert checked.headline() == "4 prices will change: 4 SKUs in 1 product."


def test_a_pasted_column_fills_the_rows_below_or_is_refused_whole() -> None:
    from tiktok_desktop.services.price_edits import paste

    rows = [cell(1, "10.00"), cell(2, "4.00"), cell(3, "20.00")]
    changes = paste("12.99\t(ignored)\r\n\r\n$21.00\r\n", rows)
    assert [(c.sku_id, c.new) for c in changes] == [
        (rows[0].sku_id, Decimal("12.99")), (rows[2].sku_id, Decimal("21.00"))]
    with pytest.raises(EditRefused, match=r"row 2 \(HOOD-002\): USD prices have at most 2"):
        paste("1.00\n2.005\n3.00", rows)
    with pytest.raises(EditRefused, match="4 prices were copied but only 3 rows"):
        paste("1\n2\n3\n4", rows)
    with pytest.raises(EditRefused, match="holds no prices"):
        paste("\n\n", rows)
