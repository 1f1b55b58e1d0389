"""The history of stock and price changes: every change pushed to the shop and its outcome,
readable and exportable.

The audit log keeps targets as `sku@warehouse` (stock) or `sku` (prices); the history joins them
with the cached names (product, variant, seller SKU, warehouse) so the seller recognises each
line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tiktok_desktop.services.sheet_text import as_text, csv_bytes
from tiktok_desktop.store import Store
from tiktok_desktop.store.outbox import PRICE, STOCK
from tiktok_desktop.store.sql import id_list

RESULT_WORDS = {"done": "Saved", "failed": "Refused", "conflict": "Conflict"}
HEADER = ("When", "Product", "Variation", "Seller SKU", "SKU ID", "Warehouse", "Old", "New",
          "Result", "Message", "Request ID")


@dataclass(frozen=True)
class AuditLine:
    at: int
    product: str
    variant: str
    seller_sku: str
    sku_id: str
    warehouse: str
    old: int | Decimal | None  # units of stock, or a price
    new: int | Decimal | None
    result: str  # in words: Saved, Refused, Conflict
    message: str
    request_id: str


def _names(store: Store, sku_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    rows = store.conn.execute(
        "SELECT k.id, coalesce(p.title, ''), coalesce(k.variant, ''), coalesce(k.seller_sku, '') "
        "FROM skus k LEFT JOIN products p ON p.id = k.product_id "
        "WHERE k.id IN (SELECT value FROM json_each(?))", (id_list(list(sku_ids)),))
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _number(value: object, kind: str) -> int | Decimal | None:
    try:
        if value is None:
            return None
        return Decimal(str(value)) if kind == PRICE else int(value)  # type: ignore[call-overload]
    except (ArithmeticError, TypeError, ValueError):
        return None


def audit_lines(store: Store, shop_id: str, kind: str = STOCK, *,
                limit: int = 5000) -> list[AuditLine]:
    """The newest `limit` changes of this kind (stock, price) in the shop, newest first."""
    entries = store.audit.entries(shop_id, kind=kind, limit=limit)
    keys = [e.target.partition("@") for e in entries]
    names = _names(store, list({sku for sku, _, _ in keys}))
    warehouses = {w.id: w.name or w.id for w in store.catalog.warehouses(shop_id)}
    lines = []
    for entry, (sku_id, _, warehouse_id) in zip(entries, keys, strict=True):
        product, variant, seller_sku = names.get(sku_id, ("", "", ""))
        lines.append(AuditLine(
            entry.at, product, variant, seller_sku, sku_id,
            warehouses.get(warehouse_id, warehouse_id), _number(entry.old, kind),
            _number(entry.new, kind),
            RESULT_WORDS.get(entry.result, entry.result), entry.message or "",
            entry.request_id or ""))
    return lines


def when(at: int) -> str:
    return datetime.fromtimestamp(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def audit_csv(lines: Sequence[AuditLine], kind: str = STOCK) -> bytes:
    """The history as a CSV file (UTF-8 with a BOM for Excel, ids kept as text); prices have
    no Warehouse column."""
    stock = kind == STOCK
    return csv_bytes([h for h in HEADER if stock or h != "Warehouse"], (
        [when(line.at), line.product, line.variant, as_text(line.seller_sku),
         as_text(line.sku_id), *([line.warehouse] if stock else []), line.old, line.new,
         line.result, line.message, line.request_id] for line in lines))
