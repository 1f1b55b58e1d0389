"""Event webhooks registered for a shop (reference §7.8)."""

from __future__ import annotations

from typing import TypedDict

from tiktok_desktop.api._resource import ShopResource

PATH = "/event/202309/webhooks"


class Webhook(TypedDict, total=False):
    event_type: str  # e.g. ORDER_STATUS_CHANGE
    address: str
    create_time: int
    update_time: int


class Webhooks(ShopResource):
    """Where TikTok Shop posts a shop's events."""

    def list(self) -> list[Webhook]:
        data = self._call("GET", PATH)
        return list(data.get("webhooks") or [])

    def update(self, event_type: str, address: str) -> None:
        """Set the address for one event type (an upsert: safe to repeat)."""
        self._call(
            "PUT", PATH, body={"event_type": event_type, "address": address}, retry_safe=True
        )

    def delete(self, event_type: str) -> None:
        """Remove the address for one event type (succeeds even if none was set)."""
        self._call("DELETE", PATH, body={"event_type": event_type}, retry_safe=True)
