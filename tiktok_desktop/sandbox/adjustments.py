"""Adjustments on some statements, as real statements carry them: a shipping fee corrected, a
parcel the carrier lost reimbursed, a deduction. Chosen and sized by hashing each statement's
id, not from the factory's random stream: the rest of the generated world stays as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .records import Statement

# (type, lowest and highest amount in cents); negative: taken from the seller.
KINDS = (
    ("SHIPPING_FEE_ADJUSTMENT", -900, -150),
    ("LOGISTICS_REIMBURSEMENT", 500, 4500),
    ("PLATFORM_COMPENSATION", 200, 1500),
    ("DEDUCTIONS_INCURRED_BY_SELLER", -2500, -300),
)
SHARE = 6  # about one statement in six has one


def _draw(statement_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"demo-adjustment:{statement_id}".encode()).digest()[:8],
                          "big")


def adjustment_kind(statement: Statement) -> str:
    """The adjustment's type (for a statement whose `adjustment` is not 0)."""
    return KINDS[(_draw(statement.id) // SHARE) % len(KINDS)][0]


def adjust(statements: Iterable[Statement]) -> list[Statement]:
    """Give about one statement in six an adjustment (settlement follows: it is a sum)."""
    made = list(statements)
    for statement in made:
        draw = _draw(statement.id)
        if draw % SHARE:
            continue
        _, low, high = KINDS[(draw // SHARE) % len(KINDS)]
        statement.adjustment = low + (draw >> 16) % (high - low + 1)
    return made
