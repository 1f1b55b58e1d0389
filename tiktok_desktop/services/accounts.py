"""A seller's own shops: the Partner Center app's details, the sign-in that covers the shops, the
keychain entry that keeps its secrets, and opening a shop's session from them.

    details = AppDetails(app_key, app_secret, service_id, market)    # check_app_details() first
    tokens = exchange_code(details, code)                              # after the consent page
    shops = authorized_shops(details, tokens)                          # a sign-in may cover many
    account = save_account(vault, details, tokens)                     # the keychain entry's name
    session = open_shop_session(data_dir, shop, vault)                 # later, at every start

One keychain entry per sign-in (app key + the seller's open_id) holds the app secret and the
token pair as compact JSON, well inside Windows' 2,560-byte limit; nothing else of it is kept
anywhere. Every call blocks (network, keychain): the UI runs them in its task runner.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from tiktok_desktop.api import ApiClient, AuthClient, TokenSet, authorization_url
from tiktok_desktop.api.auth import AUTH_HOST
from tiktok_desktop.api.client import API_HOST
from tiktok_desktop.services.session import ShopIdentity, ShopSession, open_cache
from tiktok_desktop.store import default_path, delete_cache

Market = Literal["US", "ROW"]
MARKETS: dict[Market, str] = {"US": "United States", "ROW": "Rest of the world"}
# Windows Credential Manager keeps at most 2,560 bytes per secret (UTF-16: 1,280 characters).
KEYCHAIN_LIMIT_CHARS = 1280

_APP_KEY = re.compile(r"[0-9a-zA-Z]{6,64}")
_APP_SECRET = re.compile(r"[0-9a-zA-Z]{16,128}")
_SERVICE_ID = re.compile(r"[0-9]{6,32}")


class SecretStore(Protocol):
    """credentials.Keychain or credentials.MemoryVault."""

    def load(self, account: str) -> str | None: ...
    def save(self, account: str, secret: str) -> None: ...
    def forget(self, account: str) -> None: ...


@dataclass(frozen=True)
class Hosts:
    """Where a sign-in and a shop's calls go: TikTok's hosts, or one local demo shop for all
    three (the tests, which play the seller's browser against it)."""

    api: str = API_HOST
    auth: str = AUTH_HOST
    consent: str | None = None  # None: the market's consent page

    @classmethod
    def local(cls, base_url: str) -> Hosts:
        return cls(api=base_url, auth=base_url, consent=base_url)


TIKTOK = Hosts()


@dataclass(frozen=True)
class AppDetails:
    """The seller's Partner Center app, as typed into the connect dialog."""

    app_key: str
    app_secret: str
    service_id: str
    market: Market = "US"

    def __repr__(self) -> str:
        return (f"AppDetails(app_key={self.app_key!r}, app_secret='***', "
                f"service_id={self.service_id!r}, market={self.market!r})")

    def consent_url(self, state: str, hosts: Hosts = TIKTOK) -> str:
        """The page the seller authorizes the app on (TikTok fixes the redirect per app)."""
        return authorization_url(self.service_id, state, region=self.market,
                                 base_url=hosts.consent)


def check_app_details(app_key: str, app_secret: str, service_id: str) -> dict[str, str]:
    """What is wrong with each field, in the seller's words (an empty dict: nothing)."""
    problems: dict[str, str] = {}
    fields = (("app_key", app_key, _APP_KEY, "An app key is letters and digits, like "
               "6a1b2c3d4e5f6."),
              ("app_secret", app_secret, _APP_SECRET, "An app secret is a long run of letters "
               "and digits."),
              ("service_id", service_id, _SERVICE_ID, "A service ID is digits only, like "
               "7123456789012345678."))
    for name, value, shape, looks_like in fields:
        if not value.strip():
            problems[name] = "Required: copy it from your app's page in Partner Center."
        elif value != value.strip() or any(c.isspace() for c in value):
            problems[name] = "It contains spaces: copy it again without them."
        elif not shape.fullmatch(value):
            problems[name] = f"This does not look right. {looks_like}"
    return problems


def account_name(app_key: str, tokens: TokenSet) -> str:
    """The keychain entry of one sign-in: one app, one seller."""
    return f"{app_key}.{tokens.open_id or 'seller'}"


def cache_path(data_dir: Path | None, shop_id: str) -> Path:
    """Each connected shop has a cache of its own, beside the demo shop's."""
    if not shop_id.isalnum():
        raise ValueError(f"not a shop id: {shop_id!r}")
    return default_path(data_dir).with_name(f"shop-{shop_id}.sqlite3")


@dataclass(frozen=True, repr=False)
class Account:
    """What the keychain keeps for one sign-in."""

    app_secret: str
    tokens: TokenSet

    def to_json(self) -> str:
        text = json.dumps({"s": self.app_secret, "t": self.tokens.to_json()},
                          separators=(",", ":"), ensure_ascii=False)
        if len(text) > KEYCHAIN_LIMIT_CHARS:
            raise ValueError("the sign-in is too long for a keychain entry")
        return text

    @classmethod
    def from_json(cls, text: str) -> Account:
        fields = json.loads(text)
        return cls(str(fields["s"]), TokenSet.from_json(fields["t"]))

    def __repr__(self) -> str:
        return f"Account(app_secret='***', tokens={self.tokens!r})"


class NotSignedIn(Exception):
    """The keychain has no sign-in for this shop (removed, or another computer's keychain)."""

    plain = "This shop's sign-in is not on this computer any more: connect the shop again."


def exchange_code(details: AppDetails, code: str, hosts: Hosts = TIKTOK) -> TokenSet:
    """Tokens for the code the consent page sent back (single use, valid 30 minutes)."""
    with AuthClient(details.app_key, details.app_secret, hosts.auth) as auth:
        return auth.exchange_code(code)


def authorized_shops(details: AppDetails, tokens: TokenSet,
                     hosts: Hosts = TIKTOK) -> list[ShopIdentity]:
    """Every shop the sign-in covers (a seller may have several)."""
    with ApiClient(details.app_key, details.app_secret, tokens, base_url=hosts.api,
                   auth_base_url=hosts.auth) as api:
        return [ShopIdentity(id=str(s["id"]), name=str(s.get("name") or "TikTok Shop"),
                             cipher=str(s["cipher"]), region=str(s.get("region") or ""))
                for s in api.authorized_shops()]


def save_account(vault: SecretStore, details: AppDetails, tokens: TokenSet) -> str:
    """Keep the sign-in in the keychain; returns its entry's name."""
    account = account_name(details.app_key, tokens)
    vault.save(account, Account(details.app_secret, tokens).to_json())
    return account


def open_shop_session(data_dir: Path | None, shop: ShopIdentity, app_key: str, account: str,
                      vault: SecretStore, hosts: Hosts = TIKTOK) -> ShopSession:
    """A session for a connected shop, its secrets read from the keychain. Renewed tokens are
    written back to the same entry as they arrive. Raises NotSignedIn without an entry."""
    saved = vault.load(account)
    if saved is None:
        raise NotSignedIn(account)
    entry = Account.from_json(saved)

    def keep(tokens: TokenSet) -> None:
        vault.save(account, Account(entry.app_secret, tokens).to_json())

    api = ApiClient(app_key, entry.app_secret, entry.tokens, base_url=hosts.api,
                    auth_base_url=hosts.auth, on_tokens_refreshed=keep)
    path = cache_path(data_dir, shop.id)
    try:
        rescued = open_cache(path, shop)
    except BaseException:
        api.close()
        raise
    return ShopSession(api, shop, path, rescued=rescued)


def forget_shop_data(data_dir: Path | None, shop_id: str) -> None:
    """Delete a disconnected shop's cache (the seller confirmed twice). Only when no session of
    the shop is open: its files are deleted."""
    delete_cache(cache_path(data_dir, shop_id))
