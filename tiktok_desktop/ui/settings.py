"""The seller's preferences, typed, with defaults, in `settings.ini` in the data folder.

    settings = Settings.open(data_dir)
    settings.poll_interval_minutes          # 5 until the seller changes it
    settings.shop_choice = "demo"           # remembered for the next start
    settings.set_low_stock_threshold_for(shop_id, 10)   # per shop; unset: the global line
    settings.remember_shop(ConnectedShop(...))  # a connected real shop (no secrets: keychain)
    settings.connected_shops(), settings.current_shop_id, settings.redirect_port

Preferences live in the data folder (not the registry or ~/.config) so that `--data-dir` gives a
fully separate app, e.g. for tests. Window geometry and column layouts are UI state, kept apart
under `ui/` with `ui_state` / `set_ui_state`. Secrets never come here: tokens and the app secret
belong in the OS keychain, and nothing in this class can store free text but a shop's name and
the folder of the last stock file.

The file carries a version; `_MIGRATIONS[n]` upgrades a version-n file to n+1 when the app reads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QByteArray, QSettings

from tiktok_desktop.data_folder import private_opener

ShopChoice = Literal["demo", "own"]
SHOP_CHOICES: tuple[ShopChoice, ...] = ("demo", "own")
VERSION = 2
POLL_MINUTES = (1, 60)
# The loopback port TikTok sends the browser back to after consent: chosen once (from a range
# few programs use) and registered by the seller in Partner Center, so it must not change.
PORT_RANGE = (1024, 65535)
PORT_DEFAULT_RANGE = (50000, 59999)
MARKETS = ("US", "ROW")  # the United States, or the rest of the world (other consent host)
LABEL_SIZES = ("4x6", "A6", "A5")


def _poll_at_most_an_hour(store: QSettings) -> None:
    """Version 1 allowed a sync every 120 minutes; new orders want at least one an hour."""
    try:
        minutes = int(store.value("sync/poll_interval_minutes", 5))
    except (TypeError, ValueError):
        return
    if minutes > POLL_MINUTES[1]:
        store.setValue("sync/poll_interval_minutes", POLL_MINUTES[1])


# Each entry upgrades the file from version n (its index + 1) to n + 1.
_MIGRATIONS: list[Callable[[QSettings], None]] = [_poll_at_most_an_hour]
# Shop ids are TikTok's digit strings; anything else could not be a plain settings key.
_SHOP_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_APP_KEY = re.compile(r"[0-9A-Za-z]{1,64}")
_SERVICE_ID = re.compile(r"[0-9]{1,32}")
_ACCOUNT = re.compile(r"[0-9A-Za-z_.:-]{1,200}")
_CIPHER = re.compile(r"[0-9A-Za-z_-]{1,200}")
_CHOICE = re.compile(r"[0-9A-Za-z_ ./()-]{1,64}")


@dataclass(frozen=True)
class ConnectedShop:
    """A real shop the seller connected: what it is and which Partner Center app reaches it.
    Its secrets (the app secret, the tokens) are in the keychain under `account`."""

    shop_id: str
    name: str
    region: str
    cipher: str  # how API calls name the shop (not a secret)
    app_key: str
    service_id: str
    market: str  # "US" or "ROW"
    account: str  # the keychain entry of the authorization that covers this shop

    def check(self) -> None:
        for value, shape, what in ((self.shop_id, _SHOP_ID, "shop id"),
                                   (self.cipher, _CIPHER, "shop cipher"),
                                   (self.app_key, _APP_KEY, "app key"),
                                   (self.service_id, _SERVICE_ID, "service ID"),
                                   (self.account, _ACCOUNT, "account")):
            if not shape.fullmatch(value):
                raise ValueError(f"not a {what}: {value!r}")
        if self.market not in MARKETS:
            raise ValueError(f"market must be one of {MARKETS}")
        if not self.name or len(self.name) > 200 or not self.name.isprintable():
            raise ValueError("a shop name is 1-200 printable characters")
        if not re.fullmatch(r"[A-Z]{0,3}", self.region):
            raise ValueError(f"not a region: {self.region!r}")


FIELDS = ("name", "region", "cipher", "app_key", "service_id", "market", "account")


class Settings:
    """Typed access to the preferences; every value falls back to its default when unset or bad."""

    def __init__(self, store: QSettings) -> None:
        self._store = store
        self._migrate()

    @classmethod
    def open(cls, data_dir: Path) -> Settings:
        path = data_dir / "settings.ini"
        # Made private before QSettings writes it: its saves keep an existing file's mode. An
        # unwritable folder is the self-check's to explain; QSettings then keeps them in memory.
        with contextlib.suppress(OSError):
            open(path, "a", opener=private_opener).close()
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

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
    def current_shop_id(self) -> str | None:
        """The connected shop open last (shop_choice "own"): it opens at the next start."""
        value = self._store.value("shop/current")
        return value if isinstance(value, str) and _SHOP_ID.fullmatch(value) else None

    @current_shop_id.setter
    def current_shop_id(self, value: str | None) -> None:
        if value is None:
            self._store.remove("shop/current")
        elif _SHOP_ID.fullmatch(value):
            self._store.setValue("shop/current", value)
        else:
            raise ValueError(f"not a shop id: {value!r}")

    def connected_shops(self) -> list[ConnectedShop]:
        """Every real shop connected on this computer, by name; a damaged entry is skipped."""
        self._store.beginGroup("shops")
        ids = self._store.childGroups()
        self._store.endGroup()
        shops = []
        for shop_id in ids:
            values = {name: self._store.value(f"shops/{shop_id}/{name}", "")
                      for name in FIELDS}
            try:
                shop = ConnectedShop(shop_id, **{k: str(v) for k, v in values.items()})
                shop.check()
            except (TypeError, ValueError):
                continue
            shops.append(shop)
        return sorted(shops, key=lambda s: (s.name.casefold(), s.shop_id))

    def connected_shop(self, shop_id: str) -> ConnectedShop | None:
        return next((s for s in self.connected_shops() if s.shop_id == shop_id), None)

    def remember_shop(self, shop: ConnectedShop) -> None:
        shop.check()
        for name in FIELDS:
            self._store.setValue(f"shops/{shop.shop_id}/{name}", getattr(shop, name))

    def forget_shop(self, shop_id: str) -> None:
        self._store.remove(_shop_key("shops", shop_id))
        if self.current_shop_id == shop_id:
            self.current_shop_id = None

    @property
    def redirect_port(self) -> int:
        """The loopback port of the sign-in's redirect URL: chosen once, then kept."""
        port = self._int("connect/redirect_port", 0, *PORT_RANGE)
        if not port:
            port = random.randint(*PORT_DEFAULT_RANGE)
            self._store.setValue("connect/redirect_port", port)
        return port

    @redirect_port.setter
    def redirect_port(self, value: int) -> None:
        self._store.setValue("connect/redirect_port", _bounded(value, *PORT_RANGE))

    def label_size_for(self, printer: str) -> str:
        """The label size last printed on `printer` ("4x6" until then)."""
        value = self._store.value(f"{_printer_key(printer)}/size", "4x6")
        return value if value in LABEL_SIZES else "4x6"

    def set_label_size_for(self, printer: str, size: str) -> None:
        if size not in LABEL_SIZES:
            raise ValueError(f"label size must be one of {LABEL_SIZES}")
        self._store.setValue(f"{_printer_key(printer)}/size", size)

    def label_landscape_for(self, printer: str) -> bool:
        """Whether `printer` feeds labels sideways (the page is turned to fit)."""
        return self._bool(f"{_printer_key(printer)}/landscape", False)

    def set_label_landscape_for(self, printer: str, landscape: bool) -> None:
        self._store.setValue(f"{_printer_key(printer)}/landscape", bool(landscape))

    def label_calibration_for(self, printer: str) -> tuple[float, float, float]:
        """(right mm, down mm, scale) that make `printer`'s labels land right."""
        key = _printer_key(printer)
        try:
            x = float(self._store.value(f"{key}/offset_x_mm", 0.0))
            y = float(self._store.value(f"{key}/offset_y_mm", 0.0))
            scale = float(self._store.value(f"{key}/scale", 1.0))
        except (TypeError, ValueError):
            return 0.0, 0.0, 1.0
        if not (-10 <= x <= 10 and -10 <= y <= 10 and 0.8 <= scale <= 1.2):
            return 0.0, 0.0, 1.0
        return x, y, scale

    def set_label_calibration_for(self, printer: str, x: float, y: float, scale: float) -> None:
        if not (-10 <= x <= 10 and -10 <= y <= 10 and 0.8 <= scale <= 1.2):
            raise ValueError("a calibration moves by at most 10 mm and scales by 0.8-1.2")
        key = _printer_key(printer)
        for name, value in (("offset_x_mm", x), ("offset_y_mm", y), ("scale", scale)):
            self._store.setValue(f"{key}/{name}", float(value))

    @property
    def poll_interval_minutes(self) -> int:
        """How often new orders are fetched in the background (1-60 minutes, default 5)."""
        return self._int("sync/poll_interval_minutes", 5, *POLL_MINUTES)

    @poll_interval_minutes.setter
    def poll_interval_minutes(self, value: int) -> None:
        self._store.setValue("sync/poll_interval_minutes", _bounded(value, *POLL_MINUTES))

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

    @property
    def stock_files_folder(self) -> Path | None:
        """The folder the seller last saved or opened a stock file in (None: not yet, or gone)."""
        value = self._store.value("files/stock_folder")
        return Path(value) if isinstance(value, str) and value and Path(value).is_dir() else None

    @stock_files_folder.setter
    def stock_files_folder(self, folder: Path) -> None:
        self._store.setValue("files/stock_folder", str(folder))

    def ui_choice(self, key: str) -> str | None:
        """A remembered choice of the interface ("orders/status" → "To ship"): a short word
        the app itself offered, never text the seller typed."""
        value = self._store.value(f"ui/choices/{key}")
        return value if isinstance(value, str) and _CHOICE.fullmatch(value) else None

    def set_ui_choice(self, key: str, value: str | None) -> None:
        if value is None:
            self._store.remove(f"ui/choices/{key}")
        elif _CHOICE.fullmatch(value):
            self._store.setValue(f"ui/choices/{key}", value)
        else:
            raise ValueError(f"not an interface choice: {value!r}")

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


def _printer_key(printer: str) -> str:
    """Printer names are free text (spaces, slashes): the settings key is a digest of it."""
    return "printers/" + hashlib.sha256(printer.encode()).hexdigest()[:16]


def _bounded(value: int, low: int, high: int) -> int:
    if not low <= int(value) <= high:
        raise ValueError(f"{value} is outside {low}-{high}")
    return int(value)
