"""One data folder, named in one place, private to its user whoever creates it."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import platformdirs
import pytest

from tiktok_desktop.data_folder import DATA_DIR_NAME, default_data_dir, make_data_dir
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
