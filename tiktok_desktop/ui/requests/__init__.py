"""The Requests tab: buyers' cancellations and returns, answered in time (tab.py)."""

from tiktok_desktop.ui.requests.tab import RequestsTab

__all__ = ["RequestsTab"]
