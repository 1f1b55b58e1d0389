"""Seller authorizations: single-use auth codes, access tokens and refresh tokens.

All lifetimes run on the shop's clock (so `World.advance_clock` expires them) and every expiry
is an absolute Unix timestamp, as the token host returns them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

CODE_LIFETIME = 30 * 60
ACCESS_LIFETIME = 7 * 86400
AUTHORIZATION_PERIOD = 365 * 86400

# The scope ("API package") each endpoint group needs; tokens carry the ones the app was granted.
SCOPES = {
    "authorization": "seller.authorization.info",
    "seller": "seller.shop.info",
    "order": "seller.order.info",
    "product": "seller.product.basic",
    "fulfillment": "seller.fulfillment.basic",
    "logistics": "seller.logistics",
    "return_refund": "seller.return_refund.basic",
    "finance": "seller.finance.info",
    "event": "seller.event.basic",
}


@dataclass
class Authorization:
    """One seller consent: its tokens come and go, its end date stays."""

    expires: int
    open_id: str
    # Secrets: kept out of repr so they never reach a log or a test failure message.
    access: dict[str, int] = field(default_factory=dict, repr=False)  # token -> expiry
    refresh_token: str = field(default="", repr=False)


class AuthBook:
    def __init__(self, now: Callable[[], int]) -> None:
        self._now = now
        self._codes: dict[str, int] = {}  # code -> issued at
        self._by_access: dict[str, Authorization] = {}
        self._by_refresh: dict[str, Authorization] = {}
        self.seller_name = "Demo Seller"
        self.open_id = "7494" + secrets.token_hex(6)

    def new_code(self) -> str:
        code = "TTP_" + secrets.token_urlsafe(24)
        self._codes[code] = self._now()
        return code

    def redeem_code(self, code: str) -> Authorization | None:
        """The new authorization for a valid code; a code works once, for 30 minutes."""
        issued = self._codes.pop(code, None)
        if issued is None or self._now() > issued + CODE_LIFETIME:
            return None
        grant = Authorization(expires=self._now() + AUTHORIZATION_PERIOD, open_id=self.open_id)
        self._rotate(grant)
        return grant

    def refresh(self, refresh_token: str) -> Authorization | bool | None:
        """New tokens for a refresh token: the grant, None if unknown, False if expired.
        The old refresh token stops working; the old access token lives until its expiry."""
        grant = self._by_refresh.get(refresh_token)
        if grant is None:
            return None
        if self._now() >= grant.expires:
            return False
        del self._by_refresh[refresh_token]
        self._rotate(grant)
        return grant

    def _rotate(self, grant: Authorization) -> None:
        access = "TTP_" + secrets.token_urlsafe(32)
        grant.access[access] = min(self._now() + ACCESS_LIFETIME, grant.expires)
        grant.refresh_token = "TTP_" + secrets.token_urlsafe(32)
        self._by_access[access] = grant
        self._by_refresh[grant.refresh_token] = grant

    def latest_access(self, grant: Authorization) -> tuple[str, int]:
        token = next(reversed(grant.access))
        return token, grant.access[token]

    def check_access(self, token: str) -> str:
        """"ok", "expired" or "invalid" for an access token."""
        grant = self._by_access.get(token)
        if grant is None:
            return "invalid"
        return "ok" if self._now() < grant.access[token] else "expired"

    def token_data(self, grant: Authorization, scopes: list[str]) -> dict:
        access, access_expiry = self.latest_access(grant)
        return {
            "access_token": access,
            "access_token_expire_in": access_expiry,
            "refresh_token": grant.refresh_token,
            "refresh_token_expire_in": grant.expires,
            "open_id": grant.open_id,
            "seller_name": self.seller_name,
            "seller_base_region": "US",
            "user_type": 0,
            "granted_scopes": scopes,
        }
