"""The app's data folder: one per user, named here only, readable by its user only.

Settings, logs and crash reports (ui/) and the cache and labels (store/, services/) all live in
it, and every layer asks this module for it, so they never disagree on its name. Whatever the
app makes in it is private to the user (folders 0700, files 0600) whatever the umask, so a
`--data-dir` the seller made open to others still exposes no order, address or log line. No Qt
here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DATA_DIR_NAME = "tiktok-shop-desktop"
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


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
        private_folder(path)
    elif path.resolve() == default_data_dir().resolve():
        keep_private(path)


def private_folder(folder: str | os.PathLike[str]) -> Path:
    """`folder` (logs, crash logs, labels), made when missing and private whatever the umask,
    also when an older version made it readable by others. Missing parents are made as usual:
    call this for each of the app's own levels (labels/, then labels/<shop>/)."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    keep_private(path)
    return path


def private_opener(path: str, flags: int) -> int:
    """An `opener` for `open()` (and `os.close(private_opener(...))`): the file, new or not, is
    readable by its user only whatever the umask. Never on a cache file that exists: see
    `keep_private`."""
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        if os.name == "posix" and stat.S_IMODE(os.fstat(fd).st_mode) != PRIVATE_FILE:
            os.fchmod(fd, PRIVATE_FILE)
    except OSError:
        os.close(fd)
        raise
    return fd


def keep_private(path: str | os.PathLike[str]) -> None:
    """Make an existing file 0600 (a folder 0700) by name, without opening it: closing any
    descriptor of a file drops the POSIX locks this process holds on it (SQLite's, QLockFile's)."""
    path = Path(path)
    current = path.stat().st_mode
    wanted = PRIVATE_FOLDER if stat.S_ISDIR(current) else PRIVATE_FILE
    if stat.S_IMODE(current) != wanted:
        path.chmod(wanted)
