"""Seller authorization and tokens (reference §2).

The token host takes the app secret in the query string of a GET, so its URLs are secrets:
they are never logged and never appear in an exception (see transport.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import httpx

from tiktok_desktop.api.errors import NO_ANSWER, AuthorizationDeniedError, ServerError
from tiktok_desktop.api.signing import encode_query
from tiktok_desktop.api.transport import DEFAULT_TIMEOUT, envelope_data, new_http_client, send

AUTH_HOST = "https://auth.tiktok-shops.com"
AUTHORIZE_URLS = {
    "US": "https://services.us.tiktokshop.com/open/authorize",
    "ROW": "https://services.tiktokshop.com/open/authorize",
}


def authorization_url(
    service_id: str,
    state: str,
    *,
    region: Literal["US", "ROW"] = "US",
    base_url: str | None = None,
) -> str:
    """The consent page a seller opens in the browser; `base_url` replaces the host (demo shop)."""
    page = f"{base_url.rstrip('/')}/open/authorize" if base_url else AUTHORIZE_URLS[region]
    query = {"service_id": service_id}
    if state:
        query["state"] = state
    return f"{page}?{encode_query(query)}"


NOT_OURS = "The sign-in answer did not come from this app's request; please sign in again."
DECLINED = ("You did not authorize TikTok Shop Desktop, so nothing was connected. Authorize it "
            "to connect your shop.")


def code_from_redirect(redirect_url: str, state: str) -> str:
    """The auth code from the URL the browser was sent back to, after checking `state` (given
    exactly once: a repeated one could smuggle a second answer past the check)."""
    params = _parameters(urlsplit(redirect_url).query)
    states = params.get("state", [])
    if len(states) > 1:
        raise AuthorizationDeniedError(NO_ANSWER, "The redirect has two states.", plain=NOT_OURS)
    if states != [state]:
        raise AuthorizationDeniedError(
            NO_ANSWER, "The redirect's state does not match this sign-in.", plain=NOT_OURS)
    return _code(params)


def code_from_pasted(text: str, state: str) -> tuple[str, bool]:
    """The auth code from what the seller pasted: the address the browser ended on, or the code
    alone. Returns (code, came with our state). An address with a state must carry ours; one
    without (an install from the Seller Center App Store) or a bare code is not verified, and
    the caller asks the seller before using it."""
    text = text.strip()
    query = urlsplit(text).query if "?" in text else text if "=" in text else ""
    if not query:
        if not text or any(c.isspace() for c in text) or "/" in text:
            raise AuthorizationDeniedError(
                NO_ANSWER, "Nothing usable was pasted.",
                plain="Paste the whole address your browser shows after you authorized the app.")
        return text, False
    params = _parameters(query)
    if "state" in params:
        return code_from_redirect("?" + query, state), True
    return _code(params), False


def _parameters(query: str) -> dict[str, list[str]]:
    """A query's values by name, blank ones too: `state=ours&state=` carries two states, and a
    parser that dropped the blank one would see ours alone."""
    return parse_qs(query, keep_blank_values=True)


def _code(params: dict[str, list[str]]) -> str:
    codes = params.get("code", [])
    if len(codes) > 1:
        raise AuthorizationDeniedError(NO_ANSWER, "The redirect has two codes.", plain=NOT_OURS)
    code = codes[0] if codes else ""
    if not code or code == "null" or "error" in params:
        raise AuthorizationDeniedError(NO_ANSWER, "The seller did not authorize the app.",
                                       plain=DECLINED)
    return code


@dataclass(frozen=True, repr=False)
class TokenSet:
    """A seller's tokens with absolute expiry times (Unix seconds, as the API sends them)."""

    access_token: str
    access_token_expires_at: int
    refresh_token: str
    refresh_token_expires_at: int
    open_id: str = ""
    seller_name: str = ""
    seller_base_region: str = ""
    user_type: int = 0
    granted_scopes: tuple[str, ...] = ()

    @classmethod
    def from_token_data(cls, data: dict[str, Any]) -> TokenSet:
        """From the `data` of /api/v2/token/get or /refresh: `*_expire_in` are absolute times."""
        try:
            return cls(
                access_token=str(data["access_token"]),
                access_token_expires_at=int(data["access_token_expire_in"]),
                refresh_token=str(data["refresh_token"]),
                refresh_token_expires_at=int(data["refresh_token_expire_in"]),
                open_id=str(data.get("open_id") or ""),
                seller_name=str(data.get("seller_name") or ""),
                seller_base_region=str(data.get("seller_base_region") or ""),
                user_type=int(data.get("user_type") or 0),
                granted_scopes=tuple(data.get("granted_scopes") or ()),
            )
        except (KeyError, TypeError, ValueError):
            raise ServerError(NO_ANSWER, "The token answer is missing a field.") from None

    def access_expires_in(self, now: float) -> float:
        """Seconds until the access token expires (negative once it has)."""
        return self.access_token_expires_at - now

    def refresh_expires_in(self, now: float) -> float:
        """Seconds until the authorization ends and the seller must sign in again."""
        return self.refresh_token_expires_at - now

    def needs_refresh(self, now: float, margin_s: float = 300.0) -> bool:
        """True when the access token expires within `margin_s` seconds (or already has)."""
        return self.access_expires_in(now) <= margin_s

    def to_json(self) -> str:
        """Compact JSON for the keychain; well under Windows' 2,560-byte (1,280 UTF-16 chars) cap.

        Granted scopes are left out: the list can be long, and the server enforces scopes anyway.
        """
        fields = {
            "a": self.access_token,
            "ae": self.access_token_expires_at,
            "r": self.refresh_token,
            "re": self.refresh_token_expires_at,
            "o": self.open_id,
            "n": self.seller_name,
            "g": self.seller_base_region,
            "u": self.user_type,
        }
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> TokenSet:
        fields = json.loads(text)
        return cls(
            access_token=fields["a"],
            access_token_expires_at=int(fields["ae"]),
            refresh_token=fields["r"],
            refresh_token_expires_at=int(fields["re"]),
            open_id=fields.get("o", ""),
            seller_name=fields.get("n", ""),
            seller_base_region=fields.get("g", ""),
            user_type=int(fields.get("u", 0)),
        )

    def __repr__(self) -> str:
        return (
            f"TokenSet(access_token='***', access_token_expires_at={self.access_token_expires_at}, "
            f"refresh_token='***', refresh_token_expires_at={self.refresh_token_expires_at}, "
            f"open_id={self.open_id!r}, seller_name={self.seller_name!r}, "
            f"seller_base_region={self.seller_base_region!r})"
        )


class AuthClient:
    """Exchanges auth codes for tokens and refreshes them on the token host (unsigned GETs)."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        base_url: str = AUTH_HOST,
        *,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.app_key = app_key
        self._app_secret = app_secret
        self.base_url = base_url.rstrip("/")
        self._owns_http = http is None
        self._http = http or new_http_client(timeout=timeout, transport=transport)

    def exchange_code(self, code: str) -> TokenSet:
        """Tokens for the `code` the seller's browser brought back (single use, 30 minutes)."""
        return self._token_call(
            "/api/v2/token/get", {"auth_code": code, "grant_type": "authorized_code"}, code
        )

    def refresh(self, refresh_token: str) -> TokenSet:
        """A fresh token pair; persist the returned pair as one (the refresh token may rotate)."""
        return self._token_call(
            "/api/v2/token/refresh",
            {"refresh_token": refresh_token, "grant_type": "refresh_token"},
            refresh_token,
        )

    def _token_call(self, path: str, params: dict[str, str], secret: str) -> TokenSet:
        query = {"app_key": self.app_key, "app_secret": self._app_secret, **params}
        request = self._http.build_request("GET", f"{self.base_url}{path}?{encode_query(query)}")
        response = send(self._http, request)
        return TokenSet.from_token_data(envelope_data(response, (self._app_secret, secret)))

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> AuthClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AuthClient(app_key={self.app_key!r}, base_url={self.base_url!r})"
