"""Where a shop's tokens live: the OS keychain, through `keyring`.

Tokens never go to SQLite, settings or logs. When the machine has no usable keychain (a Linux
box without a Secret Service, for instance) the keychain is reported unavailable with a plain
explanation; the demo shop then keeps its throwaway tokens in memory instead.
"""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "TikTok Shop Desktop"

NO_KEYCHAIN = (
    "This computer has no usable keychain, so the app cannot keep your shop's sign-in safely. "
    "The demo shop still works. To connect your own shop, install or unlock a keychain "
    "(on Linux, GNOME Keyring or KWallet)."
)


class KeychainUnavailable(Exception):
    """The OS keychain cannot be used; `str()` says so in the seller's words."""

    def __init__(self) -> None:
        super().__init__(NO_KEYCHAIN)


class Keychain:
    """Secrets stored under one service name, one entry per account (an app key + seller)."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def load(self, account: str) -> str | None:
        try:
            return keyring.get_password(self.service, account)
        except KeyringError as error:
            log.warning("keychain unavailable (%s)", type(error).__name__)
            raise KeychainUnavailable() from None

    def save(self, account: str, secret: str) -> None:
        try:
            keyring.set_password(self.service, account, secret)
        except KeyringError as error:
            log.warning("keychain unavailable (%s)", type(error).__name__)
            raise KeychainUnavailable() from None

    def forget(self, account: str) -> None:
        try:
            keyring.delete_password(self.service, account)
        except PasswordDeleteError:
            pass
        except KeyringError as error:
            log.warning("keychain unavailable (%s)", type(error).__name__)
            raise KeychainUnavailable() from None


class MemoryVault:
    """Same interface as Keychain, in memory: for the demo shop when there is no keychain."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def load(self, account: str) -> str | None:
        return self._secrets.get(account)

    def save(self, account: str, secret: str) -> None:
        self._secrets[account] = secret

    def forget(self, account: str) -> None:
        self._secrets.pop(account, None)
