"""The demo shop's world kept on disk between runs, in a folder of its own:

    <folder>/world.pickle   the world (orders, packages, listings and stock, returns,
                            cancellations, statements, labels, the id makers, the clock)
    <folder>/running.lock   held by the shop that uses the folder, so only one does

The file is two pickles, a small header (format, which shop) and then the world; it is replaced
whole (written to a temporary file, then `os.replace`), so a crash leaves the old world or the
new one, never half of each. The header is read first, so a world of another format or shop is
set aside without reading its records. It is read with a closed list of classes: a damaged or
foreign file starts a new world instead of running code or crashing.
The file is the demo shop's alone (the app's cache is SQLite, elsewhere), so plain file IO is fine.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .config import DemoShopConfig
from .world import World

log = logging.getLogger(__name__)

STATE_FILE = "world.pickle"
LOCK_FILE = "running.lock"
# Raise when the records change shape: an older world then starts over. A field added last,
# with a default World._restore fills in for an older world (Sku.in_promotion), needs none.
FORMAT = 2
_ALLOWED = {
    ("random", "Random"),
    ("tiktok_desktop.sandbox.generate", "ShopFactory"),
    ("tiktok_desktop.sandbox.world", "Document"),
    *(("tiktok_desktop.sandbox.records", name) for name in (
        "IdMaker", "Line", "Order", "Package", "Sku", "Product", "Return", "Cancellation",
        "Statement", "Brand")),
}


class WorldInUse(RuntimeError):
    """Another demo shop (another window of the app) runs on this folder."""

    plain = "The demo shop is already open in another window of the app."


def save(path: Path, world: World, extra: dict[str, Any] | None = None) -> None:
    """Write `world` (and `extra`, e.g. the shop's remembered answers) to `path`, atomically."""
    header = {"format": FORMAT, "made_by": made_by(world.config)}
    with world.lock:  # pickled while nothing changes; the disk is written after
        data = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(
            {"world": world.snapshot(), "extra": extra or {}}, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:  # mkstemp makes it 0600: buyers' addresses inside
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path, config: DemoShopConfig) -> tuple[World, dict[str, Any]] | None:
    """The world saved at `path` and its extras; None (logged) when there is none to carry on:
    no file, an unreadable or damaged one, or one made for another shop (seed or size)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("The demo shop's saved world could not be read (%s); it starts a new one.",
                    error)
        return None
    try:
        stream = io.BytesIO(raw)  # two pickles: each read by an unpickler of its own
        header = _Unpickler(stream).load()
        if not isinstance(header, dict) or "format" not in header:
            raise ValueError("no header")
        if header["format"] != FORMAT:
            log.info("The demo shop's saved world was made by another version of the app "
                     "(format %s); it starts a new one.", header["format"])
            return None
        if header["made_by"] != made_by(config):
            log.info("The demo shop's saved world was made for another shop %s; it starts a "
                     "new one.", header["made_by"])
            return None
        saved = _Unpickler(stream).load()
        return World(config, saved["world"]), dict(saved["extra"])
    except Exception as error:  # damaged in any way: the demo goes on with a new world
        log.warning("The demo shop's saved world %s is damaged (%s: %s); it starts a new one.",
                    path, type(error).__name__, error)
        return None


def made_by(config: DemoShopConfig) -> tuple[int, int, int]:
    """What decides which world a config generates (its behaviour knobs do not)."""
    return (config.seed, config.orders, config.products)


@contextmanager
def holding(folder: Path) -> Iterator[None]:
    """Hold `folder`'s lock for the block; WorldInUse when another process holds it. The OS
    drops the lock when its holder ends, however it ends."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle = _lock(folder / LOCK_FILE)
    try:
        yield
    finally:
        handle.close()


def forget(folder: Path) -> None:
    """Delete the saved world in `folder`: the next shop there starts a new one. Call it inside
    `holding(folder)`, so that no shop uses the folder meanwhile."""
    for leftover in folder.glob(STATE_FILE + "*"):  # with any temporary file of a crash
        leftover.unlink(missing_ok=True)


def _lock(path: Path) -> IO[bytes]:
    handle = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+b")
    try:
        if os.name == "nt":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            # flock, not fcntl: a lock of the open file, which no other descriptor's close drops
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise WorldInUse(f"{path} is held by another demo shop") from None
    return handle


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a demo world")
        return super().find_class(module, name)
