"""One data folder, named in one place, private to its user whoever creates it."""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs
import pytest

from tiktok_desktop.data_folder import (
    DATA_DIR_NAME,
    default_data_dir,
    make_data_dir,
    private_folder,
    private_opener,
)
from tiktok_desktop.logs import ROOT_LOGGER, _attach, install_logging
from tiktok_desktop.services.shipping import Shipper
from tiktok_desktop.store import Store, default_path

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def platform_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The platform's app-data folders, under tmp_path (keyed by the name asked for)."""
    monkeypatch.setattr(platformdirs, "user_data_dir",
                        lambda name, appauthor=None: str(tmp_path / "share" / name))
    return tmp_path / "share" / DATA_DIR_NAME


def test_the_app_and_the_cache_use_one_folder(platform_folder: Path) -> None:
    assert default_data_dir() == platform_folder
    assert default_path() == platform_folder / "cache.sqlite3"


@posix_only
def test_the_default_folder_is_made_private_even_when_it_exists(platform_folder: Path) -> None:
    platform_folder.mkdir(parents=True, mode=0o755)
    platform_folder.chmod(0o755)
    with Store.open(default_path(default_data_dir())):  # as the app opens its cache
        pass
    assert mode(platform_folder) == 0o700
    platform_folder.chmod(0o755)
    make_data_dir(platform_folder)  # as start-up makes it, for settings and logs
    assert mode(platform_folder) == 0o700


@posix_only
def test_a_new_folder_is_private_and_a_chosen_one_keeps_its_permissions(
        platform_folder: Path, tmp_path: Path) -> None:
    make_data_dir(platform_folder)
    assert mode(platform_folder) == 0o700
    chosen = tmp_path / "chosen"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    make_data_dir(chosen)
    assert mode(chosen) == 0o755


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which a plain mkdir or open() makes what others can read."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def chosen(tmp_path: Path, umask_022: None) -> Path:
    """A --data-dir the seller made open to others, with a log folder an older version left
    readable."""
    folder = tmp_path / "chosen"
    folder.mkdir(mode=0o755)
    (folder / "logs").mkdir(mode=0o755)
    return folder


def modes_inside(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): mode(path) for path in folder.rglob("*")}


def private(modes: dict[str, int], folder: Path) -> bool:
    return all(m == (0o700 if (folder / name).is_dir() else 0o600) for name, m in modes.items())


@posix_only
@pytest.mark.parametrize("umask", [0o022, 0o277])  # usual, and one that would lock the user out
def test_private_folders_and_files_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    older = tmp_path / "logs"
    older.mkdir(mode=0o755)
    previous = os.umask(umask)
    try:
        made = private_folder(tmp_path / "crash-logs" / "archive")
        private_folder(older)
        with open(made / "new.log", "w", opener=private_opener) as file:
            file.write("line")
        kept = tmp_path / "settings.ini"
        kept.touch(mode=0o644)
        open(kept, "a", opener=private_opener).close()
    finally:
        os.umask(previous)
    assert (mode(made), mode(older)) == (0o700, 0o700)
    assert (mode(made / "new.log"), mode(kept)) == (0o600, 0o600)


@posix_only
def test_the_log_files_are_private_in_an_open_folder(chosen: Path) -> None:
    root, ours = logging.getLogger(), logging.getLogger(ROOT_LOGGER)
    handlers, levels = list(root.handlers), (root.level, ours.level)
    try:
        install_logging("info", chosen / "logs" / "app.log")
        handler = next(h for h in root.handlers if isinstance(h, RotatingFileHandler))
        ours.warning("order 576461413 for Jane Buyer")
        handler.doRollover()  # a rotation starts a new file
        ours.warning("after the rotation")
    finally:
        _attach(root, [], logging.Formatter())
        root.handlers[:] = handlers
        root.setLevel(levels[0])
        ours.setLevel(levels[1])
        logging.captureWarnings(False)
    assert modes_inside(chosen / "logs") == {"app.log": 0o600, "app.log.1": 0o600}
    assert mode(chosen / "logs") == 0o700


@posix_only
def test_the_cache_and_the_labels_are_private_in_an_open_folder(chosen: Path) -> None:
    cache = default_path(chosen)
    with Store.open(cache) as store:
        fetched, problems = Shipper(LabelShop(), "7493", store, cache).fetch_labels(["1152"])
    assert (fetched, problems) == (1, [])
    made = {name: m for name, m in modes_inside(chosen).items()
            if name.startswith(("cache", "labels"))}
    assert made.keys() >= {"cache.sqlite3", "labels", "labels/7493",
                           "labels/7493/1152-shipping_label-A6.pdf"}
    assert private(made, chosen), made
    assert mode(chosen) == 0o755  # the seller's own folder keeps the permissions it has


class LabelShop:
    """Just enough of a shop for fetching one label."""

    def __init__(self) -> None:
        self.fulfillment = self

    def shipping_document(self, package_id: str, **options: str) -> dict[str, str]:
        return {"doc_url": f"https://files.test/{package_id}.pdf", "tracking_number": "TT1"}

    def download_document(self, url: str) -> bytes:
        return b"%PDF-1.4 Jane Buyer, 1 Main St"
