"""The Orders tab: find, filter and read orders from the local cache (see tab.OrdersTab)."""

from tiktok_desktop.ui.orders.tab import OrdersTab

__all__ = ["OrdersTab"]
