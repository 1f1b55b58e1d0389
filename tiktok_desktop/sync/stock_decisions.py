"""The pusher's rules, free of threads and I/O: what to do with an edit given the shop's value,
what one product's update carries, and what the shop's per-item errors mean for each row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tiktok_desktop.api import ItemError
from tiktok_desktop.api.errors import InvalidParameterError
from tiktok_desktop.api.products import MAX_STOCK, SkuStockUpdate
from tiktok_desktop.store import AuditEntry, OutboxItem
from tiktok_desktop.store.outbox import STOCK
from tiktok_desktop.sync.edit_push import Outcome

Remote = dict[str, dict[str, int]]  # sku id -> warehouse id -> the shop's available stock

_ITEM_PLAIN = {
    12019024: "TikTok Shop refused this number: stock must be a whole number from 0 to 99,999.",
    12019028: "TikTok Shop wants every warehouse of this SKU in one update; push again.",
    12052048: "This listing belongs to another seller.",
}


def cell_of(row: OutboxItem) -> tuple[str, str]:
    """(sku id, warehouse id) of a stock edit."""
    sku_id, _, warehouse_id = row.target.rpartition("@")
    return sku_id, warehouse_id


def quantity(row: OutboxItem) -> int:
    return int(row.payload["quantity"])


def remote_stock(entries: Iterable[Mapping[str, Any]]) -> Remote:
    """The shop's available stock per SKU and warehouse, from Inventory Search entries."""
    remote: Remote = {}
    for entry in entries:
        for sku in entry.get("skus") or []:
            remote[str(sku.get("id"))] = {
                str(w.get("warehouse_id") or ""): int(w.get("available_quantity") or 0)
                for w in sku.get("warehouse_inventory") or []
            }
    return remote


def decide(row: OutboxItem, remote: Remote) -> Outcome:
    """Done if the shop has the new value already, send if it still has the value the edit was
    based on, conflict if someone changed it elsewhere, failed if the cell is gone."""
    sku_id, _, warehouse_id = row.target.rpartition("@")
    now = remote.get(sku_id, {}).get(warehouse_id)
    new = int(row.payload["quantity"])
    delta = row.payload.get("delta")
    if now is None:
        return Outcome(row, "failed", "This SKU or warehouse is no longer in the shop.")
    if delta is not None and row.state != "sent":
        return _add_to(row, now, int(delta))
    if now == new:
        note = ("Confirmed: the shop has it (the answer had been lost)." if row.state == "sent"
                else "The shop already had this number.")
        return Outcome(row, "done", note, old=row.based_on if row.state == "sent" else now)
    if row.based_on is None or now == row.based_on:
        return Outcome(row, "send", old=now)
    if delta is not None:
        return Outcome(row, "conflict",
                       f"Not sure the {int(delta):+,} arrived: the answer was lost and the shop "
                       f"now has {now:,} (it had {row.based_on:,} when it was sent). Keep mine "
                       "adds it again.", old=now)
    return Outcome(row, "conflict",
                   f"Changed elsewhere: the shop now has {now:,} (it had {row.based_on:,} when "
                   "you edited it).", old=now)


def _add_to(row: OutboxItem, now: int, delta: int) -> Outcome:
    """An amount is added to the shop's value as just checked: sales meanwhile are kept."""
    if now + delta < 0:
        return Outcome(row, "failed",
                       f"Can't take off {-delta:,}: the shop has only {now:,} now (sold since "
                       "you edited it). Nothing was changed.", old=now)
    if now + delta > MAX_STOCK:
        return Outcome(row, "failed",
                       f"Adding {delta:,} to the {now:,} the shop has now would be more than "
                       "99,999. Nothing was changed.", old=now)
    return Outcome(row, "send", old=now)


def rebased(rows: Iterable[OutboxItem], remote: Remote) -> dict[int, tuple[Any, int]]:
    """The amounts among `rows` as the numbers they make of the shop's values just checked:
    row id → (payload, based_on), written when the rows are claimed for sending."""
    fixed = {}
    for row in rows:
        delta = row.payload.get("delta")
        sku_id, _, warehouse_id = row.target.rpartition("@")
        now = remote.get(sku_id, {}).get(warehouse_id)
        if delta is not None and now is not None:
            fixed[row.id] = ({**row.payload, "quantity": now + int(delta)}, now)
    return fixed


def update_body(rows: Sequence[OutboxItem], remote: Remote) -> list[SkuStockUpdate]:
    """One product's update: each edited SKU with every warehouse it has in the shop, the
    edited ones at their new value, the others at the value just checked."""
    edited: dict[str, dict[str, int]] = {}
    for row in rows:
        sku_id, _, warehouse_id = row.target.rpartition("@")
        edited.setdefault(sku_id, {})[warehouse_id] = int(row.payload["quantity"])
    return [
        {"id": sku_id, "inventory": [
            {"warehouse_id": warehouse_id, "quantity": new.get(warehouse_id, quantity)}
            for warehouse_id, quantity in remote.get(sku_id, new).items()
        ]}
        for sku_id, new in edited.items()
    ]


def item_message(error: ItemError) -> str:
    """An item error in the seller's words, with TikTok Shop's own text when ours is vague."""
    plain = _ITEM_PLAIN.get(error.code) or error.plain
    if plain == InvalidParameterError.plain and error.message:
        return f"{plain} TikTok Shop said: “{error.message}”."
    return plain


def item_messages(row: OutboxItem, errors: Sequence[ItemError], remote: Remote | None = None,
                  request_id: str | None = None) -> tuple[str, str | None, str | None, int | None]:
    """(result, message, request id, old value) of a row after its product's update answered
    (`request_id`: that answer's, kept whether the row was done or refused)."""
    sku_id, _, warehouse_id = row.target.rpartition("@")
    old = row.based_on if row.based_on is not None else (remote or {}).get(sku_id, {}).get(
        warehouse_id)
    mine = [e for e in errors if e.item_id == sku_id]
    if not mine:
        return "done", None, request_id, old
    for error in mine:
        for extra in error.extra_errors:
            if str(extra.get("warehouse_id") or "") == warehouse_id:
                return "failed", item_message(ItemError(
                    int(extra.get("code") or error.code), str(extra.get("message") or ""),
                    sku_id)), request_id, old
    if any(e.extra_errors for e in mine):
        return "failed", ("Not saved: another warehouse of this SKU was refused, so TikTok Shop "
                          "left the whole SKU as it was."), request_id, old
    return "failed", item_message(mine[0]), request_id, old


def audit_entry(shop_id: str, outcome: Outcome) -> AuditEntry:
    return AuditEntry(shop_id, STOCK, outcome.row.target, outcome.old, quantity(outcome.row),
                      outcome.result, outcome.request_id, outcome.message)
