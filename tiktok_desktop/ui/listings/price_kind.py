"""Prices as the shared editing (ui/editing/) needs them: what is read and pushed, and how the
review, conflict and history dialogs show them (a SKU per row, amounts in the shop's
currency)."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Protocol

from tiktok_desktop.api.money import money_text
from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.edit_audit import AuditLine, audit_lines, when
from tiktok_desktop.services.edit_review import ReviewLine
from tiktok_desktop.services.price_edits import PriceCell, load_cells, open_edits, price_writer
from tiktok_desktop.services.price_review import NOUN, review
from tiktok_desktop.store.outbox import PRICE
from tiktok_desktop.sync.edit_push import PushResult
from tiktok_desktop.sync.price_push import price_push_interrupted
from tiktok_desktop.ui.editing.editor import Kind
from tiktok_desktop.ui.editing.rows_model import CONFLICT, FAILED, Columns, Row

CONFLICTS_EXPLAINED = (
    "These prices changed in the shop after you edited them (in Seller Center or another app), "
    "or TikTok Shop refused them. <b>Keep mine</b> sends your price anyway at the next push; "
    "<b>Take theirs</b> drops your edit and keeps the shop's price. A refused price (pink) "
    "needs the reason fixed first: a listing made live again, a promotion ended.")
_HISTORY_COLOURS = {"Refused": FAILED, "Conflict": CONFLICT}


def _amount(value: Decimal | None, cell: PriceCell) -> str:
    return money_text(value, cell.currency)


def _review_row(line: ReviewLine) -> Row:
    cell: PriceCell = line.cell
    change = ""
    if line.old:
        change = f"{100 * (line.new - line.old) / line.old:+.0f}%"
    return Row((cell.product, cell.variant, cell.seller_sku, _amount(line.old, cell),
                _amount(line.new, cell), change, " ".join(line.warnings)),
               CONFLICT if line.warnings else None, "\n".join(line.warnings), cell)


def _conflict_row(cell: PriceCell) -> Row:
    edit = cell.edit
    assert edit is not None
    return Row((cell.product, cell.variant, cell.seller_sku, _amount(edit.new, cell),
                _amount(cell.available, cell), _amount(edit.based_on, cell), edit.message or ""),
               CONFLICT if edit.state == "conflict" else FAILED, edit.message or "", cell)


def _history_row(line: AuditLine) -> Row:
    tip = f"SKU ID {line.sku_id}" + (f"\nRequest ID {line.request_id} (for TikTok Shop "
                                      "support)" if line.request_id else "")
    return Row((when(line.at), line.product, line.variant, line.seller_sku,
                "" if line.old is None else str(line.old),
                "" if line.new is None else str(line.new), line.result, line.message),
               _HISTORY_COLOURS.get(line.result), tip, line)


REVIEW = Columns("Review price changes",
                 ("Product", "Variant", "Seller SKU", "In the shop", "New", "Change", "Check"),
                 _review_row)
CONFLICTS = Columns("Price conflicts and refused prices",
                    ("Product", "Variant", "Seller SKU", "You set", "Shop has now", "Shop had",
                     "What happened"), _conflict_row)
HISTORY = Columns("Price history",
                  ("When", "Product", "Variant", "Seller SKU", "Old", "New", "Result", "Message"),
                  _history_row)


class PriceSession(Protocol):
    """What the price table needs of a ShopSession."""

    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes

    def push_prices(self, progress: object = None, cancel: threading.Event | None = None, *,
                    resume: bool = False) -> PushResult: ...


def price_kind(session: PriceSession) -> Kind:
    shop_id = session.shop_id
    return Kind(
        what="price", outbox_kind=PRICE, noun=NOUN, writer=price_writer(session.cache, shop_id),
        push=lambda *args, **kwargs: session.push_prices(*args, **kwargs),
        cells=lambda store: load_cells(store, shop_id)[0],
        edits=lambda store: open_edits(store, shop_id),  # type: ignore[arg-type,return-value]
        interrupted=lambda store: price_push_interrupted(store, shop_id),
        history=lambda store: audit_lines(store, shop_id, PRICE),
        review=review, review_columns=REVIEW, conflict_columns=CONFLICTS,
        history_columns=HISTORY, conflicts_explained=CONFLICTS_EXPLAINED)
