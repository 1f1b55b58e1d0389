"""Pushing stock edits (sync/edit_push.py does the pushing; this says what stock is).

Check: Inventory Search (`check_batch` products a call) gives the shop's value of every SKU in
every warehouse, and refreshes the cache. Send: one Update Inventory call per product carries
every edited SKU with every warehouse of each SKU, the unedited warehouses at the value just
checked (the API requires them all). An amount ("+10") is made the number it gives of the
shop's value when it is claimed, so a sale meanwhile is kept and a lost answer can be told apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tiktok_desktop.api import ItemErrors
from tiktok_desktop.store import AuditEntry, Changes, OutboxItem, Store
from tiktok_desktop.store.outbox import STOCK
from tiktok_desktop.sync import stock_decisions
from tiktok_desktop.sync.edit_push import (
    EditPusher,
    Outcome,
    Send,
    push_interrupted,
)
from tiktok_desktop.sync.stock_decisions import Remote

PUSH_STATE = "stock_push"  # sync_state entry: {"up_to": outbox id} while a push is unfinished


def stock_push_interrupted(store: Store, shop_id: str) -> bool:
    return push_interrupted(store, shop_id, PUSH_STATE)


class StockPusher(EditPusher):
    kind = STOCK
    state_key = PUSH_STATE
    checking = "checking the shop's stock"
    sending = "sending stock"

    def check_batch_for(self, rate_limit: float) -> int:
        # Checks of a batch are followed by its sends within about a second at the rate limit,
        # so a value checked is rarely stale when it is sent back for an unedited warehouse.
        return max(10, min(100, int(rate_limit)))

    def check(self, product_ids: tuple[str, ...]) -> list:
        return list(self.products.inventory_search(product_ids=list(product_ids)))

    def checked(self, store: Store, answer: Any) -> tuple[Changes, Remote]:
        changes = store.save_page(self.shop_id, "inventory", answer, None)
        return changes, stock_decisions.remote_stock(answer)

    def decide(self, row: OutboxItem, remote: Remote) -> Outcome:
        return stock_decisions.decide(row, remote)

    def rebased(self, rows: Sequence[OutboxItem], remote: Remote) -> dict[int, tuple[Any, Any]]:
        return stock_decisions.rebased(rows, remote)

    def send(self, job: Send) -> ItemErrors:
        # retry_safe=False: a lost answer is settled by checking again, never by a blind resend.
        return self.products.update_inventory(
            job.product_id, stock_decisions.update_body(job.rows, job.remote), retry_safe=False)

    def answered(self, job: Send, errors: ItemErrors) -> list[Outcome]:
        request_id = errors.request_id or None
        return [Outcome(row, *stock_decisions.item_messages(row, errors, job.remote, request_id))
                for row in job.rows]

    def audit_entry(self, outcome: Outcome) -> AuditEntry:
        return stock_decisions.audit_entry(self.shop_id, outcome)

    def accepted(self, store: Store, outcomes: Sequence[Outcome]) -> Changes:
        return store.catalog.set_available(self.shop_id, [
            (*stock_decisions.cell_of(o.row), stock_decisions.quantity(o.row)) for o in outcomes])
