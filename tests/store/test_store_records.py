"""Turning API objects into cache columns."""

from __future__ import annotations

import pytest

from tiktok_desktop.store import Changes
from tiktok_desktop.store.records import item_summary, minor_units


@pytest.mark.parametrize(("amount", "currency", "minor"), [
    ("199.00", "GBP", 19900), ("0.5", "USD", 50), ("5000", "IDR", 5000), ("1200", "JPY", 1200),
    ("-3.25", "EUR", -325), (None, "GBP", None), ("", "GBP", None), ("n/a", "GBP", None),
    ("NaN", "GBP", None),
])
def test_minor_units(amount: str | None, currency: str, minor: int | None) -> None:
    assert minor_units(amount, currency) == minor


def test_item_summary_counts_units_per_sku_and_stays_short() -> None:
    items = [{"product_name": "Tee", "sku_name": "Black"}] * 3 + [{"product_name": "Mug"}]
    assert item_summary(items) == "3 × Tee (Black); 1 × Mug"
    long = [{"product_name": f"Product number {i}", "sku_name": "XL"} for i in range(20)]
    assert len(item_summary(long)) == 120 and item_summary(long).endswith("…")
    assert item_summary([]) == ""


def test_changes_merge_and_compare() -> None:
    a = Changes.of("s1", orders=2, order_line_items=0)
    b = Changes.of("s2", orders=1, packages=3)
    merged = a | b
    assert merged.count("orders") == 3 and merged.tables == {"orders", "packages"}
    assert merged.shop_ids == {"s1", "s2"}
    assert not Changes() and Changes.of("s1") == Changes()
    assert merged.touches("packages", "stock") and not merged.touches("stock")
