"""What a price push will change, before it goes out, and what deserves a second look.

The mistakes that cost sellers: a price cut by a typo or a percent applied twice (sold at a
loss before anyone notices — more than 30% down is highlighted), a price raised by a slip of
the decimal point (12.99 typed as 1299: more than doubled), a price someone changed elsewhere
since the edit (it will come back as a conflict), and a listing that isn't live (TikTok Shop
takes prices of live listings only: it will be refused).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from tiktok_desktop.api.money import money_text
from tiktok_desktop.services import edit_review
from tiktok_desktop.services.edit_review import Review
from tiktok_desktop.services.price_edits import PriceCell
from tiktok_desktop.store.listings import status_name

LARGE_DROP_SHARE = Decimal("0.30")  # down by more than this share of the price
LARGE_RISE_FACTOR = 2  # up to more than this many times the price
NOUN = ("price", "prices")


def warnings_for(cell: PriceCell, new: Decimal) -> tuple[str, ...]:
    found = []
    edit = cell.edit
    old = edit.based_on if edit is not None and edit.based_on is not None else cell.available
    if old:
        if old - new > old * LARGE_DROP_SHARE:
            found.append(f"Large drop: down {round(100 * (old - new) / old)}% from "
                         f"{money_text(old, cell.currency)}.")
        elif new > old * LARGE_RISE_FACTOR:
            found.append(f"Large rise: {new / old:.1f} times {money_text(old, cell.currency)} "
                         "(a decimal point missed?).")
    if (edit is not None and edit.based_on is not None and cell.available is not None
            and cell.available != edit.based_on):
        now, then = (money_text(v, cell.currency) for v in (cell.available, edit.based_on))
        found.append(f"Changed elsewhere: the shop now has {now} (it had {then} when you "
                     "edited it).")
    if not cell.live:
        found.append(f"Not live ({status_name(cell.status)}): TikTok Shop will refuse it.")
    return tuple(found)


def review(cells: Iterable[PriceCell]) -> Review:
    """The diff of every price edit a push would send (pending, or left in doubt by a crash)."""
    return edit_review.review(cells, warnings_for, NOUN)
