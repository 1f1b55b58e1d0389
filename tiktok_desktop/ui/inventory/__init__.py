"""The Inventory tab: bulk stock edits in a table, pushed safely (see tab.InventoryTab)."""

from tiktok_desktop.ui.inventory.tab import InventoryTab

__all__ = ["InventoryTab"]
