"""The "You earned" part of the order's detail pane: what TikTok Shop settled for the order (its
revenue, less fees and the shipping the seller pays, with any adjustment), from the cached
statement transactions (store/finance.py), and whether it was paid out; or, plainly, that it
is not paid out yet."""

from __future__ import annotations

from html import escape

from tiktok_desktop.services.payouts import payment_words, statement_date
from tiktok_desktop.store import OrderDetail, OrderEarnings
from tiktok_desktop.ui.formatting import money

# (amount, label) in the order a settlement adds up; a zero line is left out but the revenue.
LINES = (("revenue", "Revenue"), ("fees", "TikTok Shop fees"),
         ("shipping_cost", "Shipping you paid"), ("adjustments", "Adjustments"))
NOT_SOLD = frozenset({"UNPAID", "CANCELLED"})


def _day(timestamp: int) -> str:
    day = statement_date(timestamp)
    return f"{day.day} {day:%b %Y}"


def _paid(earnings: OrderEarnings) -> str:
    parts = []
    for statement in earnings.statements:
        on = _day(statement.payment_time) if statement.payment_time else ""
        parts.append(f"{payment_words(statement.payment_status, statement.payment_time, on)} "
                     f"(statement of {_day(statement.statement_time)})")
    return "<br>".join(escape(p) for p in parts)


def earned_html(detail: OrderDetail) -> str:
    """The section for this order ("" for an order that never sold: unpaid or cancelled
    before any settlement)."""
    earnings = detail.earnings
    status = detail.order.status
    if earnings is None or (not earnings.settled and status in NOT_SOLD):
        return ""
    if not earnings.settled:
        note = "Not paid out yet."
        if earnings.unread_statements:
            count = earnings.unread_statements
            note += (f" ({count} statement{'' if count == 1 else 's'} since this order "
                     f"{'is' if count == 1 else 'are'} still to be read: see Money → "
                     "Payouts.)")
        else:
            note += " TikTok Shop pays an order out some days after it is delivered."
        return f'<h3>You earned</h3><p class="muted">{escape(note)}</p>'
    currency = earnings.currency
    rows = [
        f'<tr><td>{label}</td><td align="right" class="amount">'
        f"{escape(money(earnings.total(name), currency))}</td></tr>"
        for name, label in LINES if name == "revenue" or earnings.total(name)
    ]
    rows.append('<tr><td><b>You earned</b></td><td align="right" class="amount"><b>'
                f"{escape(money(earnings.total('settlement'), currency))}</b></td></tr>")
    return (f'<h3>You earned</h3><table width="100%">{"".join(rows)}</table>'
            f'<p class="muted">{_paid(earnings)}</p>')
