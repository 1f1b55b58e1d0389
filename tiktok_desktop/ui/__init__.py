"""The desktop UI (the only layer that imports QtWidgets). Start-up lives in `app.py`."""

from __future__ import annotations

import sys
from pathlib import Path

from tiktok_desktop.ui.immortal import make_singletons_immortal

make_singletons_immortal()  # before any Qt call: see immortal.py


def resources_dir() -> Path:
    """The `resources/` folder: inside the bundle when frozen, else beside the package."""
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller's unpacked folder
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent.parent / "resources"
