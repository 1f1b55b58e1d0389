"""The Money tab: payouts (statements and their orders) and sales (today, 7 and 30 days)."""

from tiktok_desktop.ui.money.tab import MoneyTab

__all__ = ["MoneyTab"]
