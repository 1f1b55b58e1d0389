"""The Listings tab: every product's state at a glance; activate and deactivate listings."""

from tiktok_desktop.ui.listings.tab import ListingsTab

__all__ = ["ListingsTab"]
