"""The Listings tab: every product's state at a glance (read-only)."""

from tiktok_desktop.ui.listings.tab import ListingsTab

__all__ = ["ListingsTab"]
