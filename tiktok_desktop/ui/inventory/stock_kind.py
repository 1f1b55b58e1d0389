"""Stock as the shared editing (ui/editing/) needs it: what is read and pushed, and how the
review, conflict and history dialogs show it (a SKU in a warehouse per row, units)."""

from __future__ import annotations

from typing import Protocol

from tiktok_desktop.services.cache_lanes import CacheLanes
from tiktok_desktop.services.edit_audit import AuditLine, audit_lines, when
from tiktok_desktop.services.edit_review import ReviewLine
from tiktok_desktop.services.stock_edits import StockCell, load_cells, open_edits, stock_writer
from tiktok_desktop.services.stock_review import review
from tiktok_desktop.store.outbox import STOCK
from tiktok_desktop.sync.edit_push import PushResult
from tiktok_desktop.sync.stock_push import stock_push_interrupted
from tiktok_desktop.ui.editing.editor import Kind
from tiktok_desktop.ui.editing.rows_model import CONFLICT, FAILED, Columns, Row

NOUN = ("stock number", "stock numbers")
CONFLICTS_EXPLAINED = (
    "These numbers changed in the shop after you edited them: in Seller Center, another app, or "
    "an order. <b>Keep mine</b> sends your number anyway at the next push; <b>Take theirs</b> "
    "drops your edit and keeps the shop's number. A number TikTok Shop refused (pink) needs a "
    "new number typed in the table, or Take theirs.")
_HISTORY_COLOURS = {"Refused": FAILED, "Conflict": CONFLICT}


def _review_row(line: ReviewLine) -> Row:
    cell = line.cell
    change = "" if line.old is None else f"{line.new - line.old:+,}"
    return Row((cell.product, cell.variant, cell.seller_sku, cell.warehouse, line.old, line.new,
                change, " ".join(line.warnings)),
               CONFLICT if line.warnings else None, "\n".join(line.warnings), cell)


def _conflict_row(cell: StockCell) -> Row:
    edit = cell.edit
    assert edit is not None
    yours = f"{cell.delta:+,}" if cell.delta is not None else edit.new  # an amount: "+10"
    return Row((cell.product, cell.variant, cell.seller_sku, cell.warehouse, yours,
                cell.available, edit.based_on, edit.message or ""),
               CONFLICT if edit.state == "conflict" else FAILED, edit.message or "", cell)


def _history_row(line: AuditLine) -> Row:
    tip = f"SKU ID {line.sku_id}" + (f"\nRequest ID {line.request_id} (for TikTok Shop "
                                      "support)" if line.request_id else "")
    return Row((when(line.at), line.product, line.variant, line.seller_sku, line.warehouse,
                line.old, line.new, line.result, line.message),
               _HISTORY_COLOURS.get(line.result), tip, line)


REVIEW = Columns("Review stock changes",
                 ("Product", "Variant", "Seller SKU", "Warehouse", "In the shop", "New",
                  "Change", "Check"), _review_row)
CONFLICTS = Columns("Conflicts and refused changes",
                    ("Product", "Variant", "Seller SKU", "Warehouse", "You set", "Shop has now",
                     "Shop had", "What happened"), _conflict_row)
HISTORY = Columns("Stock history",
                  ("When", "Product", "Variant", "Seller SKU", "Warehouse", "Old", "New",
                   "Result", "Message"), _history_row)


class StockSession(Protocol):
    """What the Inventory tab needs of a ShopSession."""

    @property
    def shop_id(self) -> str: ...

    cache: CacheLanes

    def push_stock(self, progress: object = None, cancel: object = None, *,
                   resume: bool = False) -> PushResult: ...


def stock_kind(session: StockSession) -> Kind:
    shop_id = session.shop_id
    return Kind(
        what="stock", outbox_kind=STOCK, noun=NOUN, writer=stock_writer(session.cache, shop_id),
        push=lambda *args, **kwargs: session.push_stock(*args, **kwargs),
        cells=lambda store: load_cells(store, shop_id)[0],
        edits=lambda store: open_edits(store, shop_id),
        interrupted=lambda store: stock_push_interrupted(store, shop_id),
        history=lambda store: audit_lines(store, shop_id),
        review=review, review_columns=REVIEW, conflict_columns=CONFLICTS,
        history_columns=HISTORY, conflicts_explained=CONFLICTS_EXPLAINED)
