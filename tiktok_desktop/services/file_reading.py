"""Reading a file the seller picked, never more of it than a limit: its size is checked before
anything is read, and at most one byte over the limit is ever read (a file that grows meanwhile,
a device that tells no size), so a huge file never fills the memory."""

from __future__ import annotations

import os
from pathlib import Path


def read_at_most(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it has more than `limit` of them. OSError when it can't
    be opened (`cannot_open` says so in the seller's words)."""
    with path.open("rb") as file:
        if os.fstat(file.fileno()).st_size > limit:
            return None
        data = file.read(limit + 1)
    return None if len(data) > limit else data


def cannot_open(error: OSError) -> str:
    return (f"This file can't be opened ({error.strerror or error}). Check that it is still "
            "there and that you can open it.")
