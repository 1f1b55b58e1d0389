"""The app's data folder: one per user, named here only, readable by its user only.

Settings, logs and crash reports (ui/) and the cache (store/) all live in it, and both layers
ask this module for it, so they never disagree on its name. No Qt here.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_NAME = "tiktok-shop-desktop"


def default_data_dir() -> Path:
    """The platform's per-user app-data folder (`~/.local/share/tiktok-shop-desktop` on Linux);
    `--data-dir` replaces it."""
    import platformdirs  # here, not at import: most starts never need it

    return Path(platformdirs.user_data_dir(DATA_DIR_NAME, appauthor=False))


def make_data_dir(folder: str | os.PathLike[str]) -> None:
    """Create `folder` (0700: it holds the seller's orders and customers' addresses). The
    platform's folder is made private even when it already exists, e.g. left by an older version
    or made by another tool; a folder chosen with --data-dir keeps the permissions it has."""
    path = Path(folder)
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    elif path.resolve() == default_data_dir().resolve():
        path.chmod(0o700)
