"""One object per signed-in shop that the UI drives (no Qt): see session.ShopSession."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiktok_desktop.services.credentials import Keychain, KeychainUnavailable, MemoryVault
from tiktok_desktop.services.session import ConnectionState, ShopIdentity, ShopSession

if TYPE_CHECKING:
    from tiktok_desktop.services.demo import open_demo_session

__all__ = [
    "ConnectionState",
    "Keychain",
    "KeychainUnavailable",
    "MemoryVault",
    "ShopIdentity",
    "ShopSession",
    "open_demo_session",
]


def __getattr__(name: str) -> Any:
    # The demo shop (its server and werkzeug) is loaded only when someone opens it: a start on
    # a real shop, and every module that only needs the stock-edit helpers, skip that cost.
    if name == "open_demo_session":
        from tiktok_desktop.services.demo import open_demo_session

        return open_demo_session
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
