"""`python -m tiktok_desktop --smoke --demo`: the whole app, as CI and packaging run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_smoke_run_syncs_the_demo_shop_and_exits_0(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "tiktok_desktop", "--smoke", "--demo", "--data-dir",
         str(tmp_path), "--log-level", "info"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke: ok" in done.stdout
    assert "sync complete" in done.stderr  # the demo shop was really pulled into the cache
    assert (tmp_path / "demo-shop.sqlite3").exists()
