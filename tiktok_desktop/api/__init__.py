"""TikTok Shop Partner Open API (202309) client: signing, auth, and the shop's resources.

No Qt, no SQLite, and never the demo shop: this package only speaks HTTP.
"""

from tiktok_desktop.api.auth import (
    AUTH_HOST,
    AuthClient,
    TokenSet,
    authorization_url,
    code_from_pasted,
    code_from_redirect,
)
from tiktok_desktop.api.client import (
    API_HOST,
    ApiClient,
    CancellableClient,
    ClientSettings,
    ClientShopApi,
    ClientStats,
    Renewer,
)
from tiktok_desktop.api.paging import ItemError, ItemErrors, Page, iter_pages
from tiktok_desktop.api.ratelimit import Limiter, RateLimiter
from tiktok_desktop.api.retry import RetryPolicy
from tiktok_desktop.api.shop import ShopApi
from tiktok_desktop.api.signing import sign
from tiktok_desktop.api.transport import Answer, RequestCancelled

__all__ = [
    "API_HOST",
    "AUTH_HOST",
    "Answer",
    "ApiClient",
    "AuthClient",
    "CancellableClient",
    "ClientSettings",
    "ClientShopApi",
    "ClientStats",
    "ItemError",
    "ItemErrors",
    "Limiter",
    "Page",
    "RateLimiter",
    "Renewer",
    "RequestCancelled",
    "RetryPolicy",
    "ShopApi",
    "TokenSet",
    "authorization_url",
    "code_from_pasted",
    "code_from_redirect",
    "iter_pages",
    "sign",
]
