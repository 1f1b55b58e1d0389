"""One object per signed-in shop that the UI drives (no Qt): see session.ShopSession."""

from tiktok_desktop.services.credentials import Keychain, KeychainUnavailable, MemoryVault
from tiktok_desktop.services.demo import open_demo_session
from tiktok_desktop.services.session import ConnectionState, ShopIdentity, ShopSession

__all__ = [
    "ConnectionState",
    "Keychain",
    "KeychainUnavailable",
    "MemoryVault",
    "ShopIdentity",
    "ShopSession",
    "open_demo_session",
]
