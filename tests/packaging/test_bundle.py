"""The built bundle starts, carries what it must, and installs into the applications menu.

The bundle tests need `dist/tiktok-desktop/tiktok-desktop` (made by `python3 packaging/build.py`)
and are skipped without it; the build itself is not run from here (it takes ~25 s).
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "tiktok-desktop"
EXECUTABLE = BUNDLE / "tiktok-desktop"
INTERNAL = BUNDLE / "_internal"

needs_bundle = pytest.mark.skipif(
    not EXECUTABLE.exists(),
    reason="no built bundle at dist/tiktok-desktop/tiktok-desktop: "
           "run `python3 packaging/build.py` first")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle")


def run_bundle(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(EXECUTABLE), *args, "--data-dir", str(data_dir)], env=env,
                          capture_output=True, text=True, timeout=300)


@linux_only
@needs_bundle
def test_the_bundle_passes_its_smoke_run(tmp_path):
    done = run_bundle("--smoke", "--demo", "--log-level", "warning", data_dir=tmp_path)
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["smoke"] == "ok"
    assert figures["self_check"]["Label preview"] is True  # QtPdf is in the bundle


@linux_only
@needs_bundle
def test_the_bundle_finds_keyring_backends_and_knows_its_version(tmp_path):
    done = run_bundle("--self-check", "--log-level", "info", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    backends = next(line for line in done.stderr.splitlines()
                    if "keyring backends installed" in line)
    for name in ("SecretService", "KWallet", "chainer"):  # entry points came with the metadata
        assert name in backends
    version = subprocess.run([str(EXECUTABLE), "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("TikTok Shop Desktop ")


@linux_only
@needs_bundle
def test_the_bundle_carries_what_it_needs_and_not_the_test_tools():
    files = {p.relative_to(INTERNAL).as_posix() for p in INTERNAL.rglob("*")}
    must = ["PySide6/Qt/lib/libQt6Pdf.so.6",
            "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
            "PySide6/Qt/plugins/platforms/libqxcb.so",
            "certifi/cacert.pem",
            "resources/icons/tiktok-desktop-256.png",
            "resources/licenses/LGPL-3.0.txt"]
    assert [path for path in must if path not in files] == []
    assert any(f.startswith("keyring-") and f.endswith(".dist-info/entry_points.txt")
               for f in files)
    # Seller Center's .xlsx files: openpyxl is imported only when a workbook is opened, so only
    # the spec's hiddenimports brings its modules into the app's archive (module names are
    # stored as plain text there).
    archive = EXECUTABLE.read_bytes()
    assert b"openpyxl.reader.excel" in archive and b"et_xmlfile" in archive
    assert any(f.startswith("openpyxl-") and f.endswith(".dist-info/METADATA") for f in files)
    for unwanted in ("pytest", "_pytest", "pygments", "PIL", "hypothesis", "tkinter"):
        assert not any(f.split("/")[0] == unwanted for f in files), unwanted
    assert not any("libQt6Quick" in f or "libQt6Qml" in f for f in files)
    assert (BUNDLE / "install.sh").exists() and (BUNDLE / "tiktok-desktop.desktop").exists()


@linux_only
def test_install_script_adds_the_menu_entry_and_icons(tmp_path):
    bundle = tmp_path / "My Apps" / "tiktok-desktop"  # a space, as a seller's folder may have
    icons = bundle / "_internal" / "resources" / "icons"
    shutil.copytree(ROOT / "resources" / "icons", icons)
    shutil.copy2(ROOT / "packaging" / "linux" / "install.sh", bundle / "install.sh")
    shutil.copy2(ROOT / "packaging" / "linux" / "tiktok-desktop.desktop", bundle)
    executable = bundle / "tiktok-desktop"
    executable.write_text("#!/bin/sh\n")
    executable.chmod(0o755)
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}

    done = subprocess.run(["sh", str(bundle / "install.sh")], env=env, capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = home / ".local" / "share"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(data / "applications" / "tiktok-desktop.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == f'"{executable}"'
    assert desktop["TryExec"] == str(executable)
    assert (desktop["Name"], desktop["Icon"], desktop["Type"]) == (
        "TikTok Shop Desktop", "tiktok-desktop", "Application")
    for size in (16, 48, 256, 512):
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" /
                "tiktok-desktop.png").exists()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "tiktok-desktop.svg").exists()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate",
                                str(data / "applications" / "tiktok-desktop.desktop")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr

    done = subprocess.run(["sh", str(bundle / "install.sh"), "--uninstall"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not (data / "applications" / "tiktok-desktop.desktop").exists()
    assert not list((data / "icons").rglob("tiktok-desktop.*"))


@linux_only
def test_install_script_refuses_a_folder_without_the_app(tmp_path):
    done = subprocess.run(["sh", str(ROOT / "packaging" / "linux" / "install.sh"),
                           str(tmp_path)], env={"HOME": str(tmp_path), "PATH": os.environ["PATH"]},
                          capture_output=True, text=True)
    assert done.returncode == 1 and "No TikTok Shop Desktop app" in done.stderr


def test_icons_match_the_generator():
    """The committed PNG/ICO/ICNS files are what packaging/make_icons.py writes."""
    icons = ROOT / "resources" / "icons"
    ico = (icons / "tiktok-desktop.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0" and int.from_bytes(ico[4:6], "little") == 7
    icns = (icons / "tiktok-desktop.icns").read_bytes()
    assert icns[:4] == b"icns" and int.from_bytes(icns[4:8], "big") == len(icns)
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        png = (icons / f"tiktok-desktop-{size}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == size  # IHDR width
