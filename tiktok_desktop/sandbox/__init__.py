"""The demo shop: a local imitation of the TikTok Shop Partner Open API (202309) for the app's
demo mode, the tests and the benchmarks. No Qt; never imported by `tiktok_desktop.api`."""

from .config import DemoShopConfig
from .server import DemoShop

__all__ = ["DemoShop", "DemoShopConfig"]
