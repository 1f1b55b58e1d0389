"""The seller's preferences, typed, with defaults, in `settings.ini` in the data folder.

    settings = Settings.open(data_dir)
    settings.poll_interval_minutes          # 5 until the seller changes it
    settings.shop_choice = "demo"           # remembered for the next start
    settings.set_low_stock_threshold_for(shop_id, 10)   # per shop; unset: the global line

Preferences live in the data folder (not the registry or ~/.config) so that `--data-dir` gives a
fully separate app, e.g. for tests. Window geometry and column layouts are UI state, kept apart
under `ui/` with `ui_state` / `set_ui_state`. Secrets never come here: tokens and the app secret
belong in the OS keychain, and nothing in this class can store free text.

The file carries a version; `_MIGRATIONS[n]` upgrades a version-n file to n+1 when the app reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QByteArray, QSettings

ShopChoice = Literal["demo", "own"]
SHOP_CHOICES: tuple[ShopChoice, ...] = ("demo", "own")
VERSION = 1
# Each entry upgrades the file from version n (its index + 1) to n + 1. None so far.
_MIGRATIONS: list[Callable[[QSettings], None]] = []
# Shop ids are TikTok's digit strings; anything else could not be a plain settings key.
_SHOP_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


class Settings:
    """Typed access to the preferences; every value falls back to its default when unset or bad."""

    def __init__(self, store: QSettings) -> None:
        self._store = store
        self._migrate()

    @classmethod
    def open(cls, data_dir: Path) -> Settings:
        return cls(QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat))

    @property
    def path(self) -> Path:
        return Path(self._store.fileName())

    def _migrate(self) -> None:
        version = self._int("settings_version", 0)
        if version == 0:  # a new file: nothing to upgrade
            self._store.setValue("settings_version", VERSION)
            return
        if version >= VERSION:  # current, or written by a newer app: leave it as it is
            return
        for step in _MIGRATIONS[version - 1:VERSION - 1]:
            step(self._store)
        self._store.setValue("settings_version", VERSION)

    def _int(self, key: str, default: int, low: int | None = None, high: int | None = None) -> int:
        try:
            value = int(self._store.value(key, default))
        except (TypeError, ValueError):
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            return default
        return value

    def _bool(self, key: str, default: bool) -> bool:
        value = self._store.value(key, default)
        if isinstance(value, str):  # INI files give strings back
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    @property
    def version(self) -> int:
        return self._int("settings_version", VERSION)

    @property
    def shop_choice(self) -> ShopChoice | None:
        """What the seller picked on the welcome page: "demo", "own", or None (not yet)."""
        value = self._store.value("shop/choice")
        return value if value in SHOP_CHOICES else None

    @shop_choice.setter
    def shop_choice(self, value: ShopChoice | None) -> None:
        if value is None:
            self._store.remove("shop/choice")
        elif value in SHOP_CHOICES:
            self._store.setValue("shop/choice", value)
        else:
            raise ValueError(f"shop choice must be one of {SHOP_CHOICES}, not {value!r}")

    @property
    def poll_interval_minutes(self) -> int:
        """How often new orders are fetched in the background (1-120 minutes, default 5)."""
        return self._int("sync/poll_interval_minutes", 5, 1, 120)

    @poll_interval_minutes.setter
    def poll_interval_minutes(self, value: int) -> None:
        self._store.setValue("sync/poll_interval_minutes", _bounded(value, 1, 120))

    @property
    def low_stock_threshold(self) -> int:
        """A SKU with this many or fewer units is shown as low on stock (0-100000, default 5):
        the line of every shop whose own line was never set."""
        return self._int("stock/low_stock_threshold", 5, 0, 100_000)

    @low_stock_threshold.setter
    def low_stock_threshold(self, value: int) -> None:
        self._store.setValue("stock/low_stock_threshold", _bounded(value, 0, 100_000))

    def low_stock_threshold_for(self, shop_id: str) -> int:
        """The low-stock line of one shop (a shop of a hundred units and one of ten thousand
        want different lines); the global `low_stock_threshold` until it is set."""
        return self._int(_shop_key("stock/low_stock_threshold_by_shop", shop_id),
                         self.low_stock_threshold, 0, 100_000)

    def set_low_stock_threshold_for(self, shop_id: str, value: int) -> None:
        self._store.setValue(_shop_key("stock/low_stock_threshold_by_shop", shop_id),
                             _bounded(value, 0, 100_000))

    @property
    def notify_new_orders(self) -> bool:
        """Show a desktop notification when new orders arrive (default on)."""
        return self._bool("sync/notify_new_orders", True)

    @notify_new_orders.setter
    def notify_new_orders(self, value: bool) -> None:
        self._store.setValue("sync/notify_new_orders", bool(value))

    def ui_state(self, key: str) -> QByteArray | None:
        """Saved window geometry / header state under `key` ("main_window/geometry")."""
        value = self._store.value(f"ui/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_ui_state(self, key: str, value: QByteArray) -> None:
        self._store.setValue(f"ui/{key}", value)

    def sync(self) -> None:
        """Write pending changes to disk now (QSettings also does it by itself, later)."""
        self._store.sync()


def _shop_key(group: str, shop_id: str) -> str:
    if not _SHOP_ID.fullmatch(shop_id):
        raise ValueError(f"not a shop id: {shop_id!r}")
    return f"{group}/{shop_id}"


def _bounded(value: int, low: int, high: int) -> int:
    if not low <= int(value) <= high:
        raise ValueError(f"{value} is outside {low}-{high}")
    return int(value)
