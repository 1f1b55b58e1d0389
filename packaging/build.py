#!/usr/bin/env python3
"""Build the double-clickable app: a PyInstaller one-folder bundle and an archive of it.

    python3 packaging/build.py              build, archive, then start the bundle once (--smoke)
    python3 packaging/build.py --no-smoke   build and archive only (cross-checking elsewhere)
    python3 packaging/build.py --clean      start from a new virtualenv and an empty cache

1. `build/venv`: a clean virtualenv with the app's runtime dependencies (from pyproject.toml) and
   PyInstaller only - no pytest, no pygments, no Pillow. Reused while those requirements (and the
   Python version) are unchanged; the app's own code is read from the checkout, so editing it
   needs no reinstall.
2. `dist/tiktok-desktop/`: the bundle, from packaging/tiktok-desktop.spec. The executable is
   `dist/tiktok-desktop/tiktok-desktop` (`.exe` on Windows; `dist/TikTok Shop Desktop.app` on
   macOS). Skipped when nothing the bundle is made from has changed since the last build.
3. `dist/tiktok-desktop-<version>-<system>-<machine>.tar.gz` (.zip on Windows and macOS).
4. Starts the bundle with `--smoke` (offscreen on Linux) and prints the figures: build time,
   bundle size unpacked and archived, and the time from launch to the first painted window.

Standard library only: it runs before the build virtualenv exists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
VENV = BUILD / "venv"
STAMP = VENV / ".requirements"
DIST = ROOT / "dist"
SPEC = ROOT / "packaging" / "tiktok-desktop.spec"
NAME = "tiktok-desktop"
PYINSTALLER = "pyinstaller>=6.10,<7"


def say(message: str) -> None:
    print(f"[build] {message}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], PYINSTALLER]


def ensure_venv(clean: bool) -> None:
    wanted = requirements()
    stamp = hashlib.sha256("\n".join([sys.version, *wanted]).encode()).hexdigest()
    if not clean and STAMP.exists() and STAMP.read_text().strip() == stamp:
        say(f"reusing {VENV.relative_to(ROOT)} (requirements unchanged)")
        return
    say(f"creating a clean virtualenv in {VENV.relative_to(ROOT)}")
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-qq"]
    subprocess.run([*pip, *wanted], check=True)
    STAMP.write_text(stamp + "\n")


def app_version() -> str:
    text = (ROOT / "tiktok_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        sys.exit("no __version__ in tiktok_desktop/__init__.py")
    return match.group(1)


def bundle_dir() -> Path:
    return DIST / ("TikTok Shop Desktop.app" if sys.platform == "darwin" else NAME)


def executable() -> Path:
    if sys.platform == "darwin":
        return bundle_dir() / "Contents" / "MacOS" / NAME
    return bundle_dir() / (f"{NAME}.exe" if os.name == "nt" else NAME)


def inputs_digest() -> str:
    """A fingerprint of everything the bundle is made from: unchanged means nothing to rebuild."""
    digest = hashlib.sha256(STAMP.read_bytes())
    folders = ["tiktok_desktop", "resources", "packaging/linux"]
    files = [SPEC, ROOT / "pyproject.toml"]
    for folder in folders:
        files += [p for p in (ROOT / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_pyinstaller(clean: bool) -> None:
    log_file = BUILD / "pyinstaller.log"
    command = [str(venv_python()), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    say("running PyInstaller (log: build/pyinstaller.log)")
    with log_file.open("w", encoding="utf-8") as log:
        done = subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        print(log_file.read_text(encoding="utf-8")[-4000:], file=sys.stderr)
        sys.exit(f"PyInstaller failed (exit {done.returncode}); see {log_file}")


def archive() -> Path:
    system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
    stem = f"{NAME}-{app_version()}-{system}-{platform.machine().lower()}"
    for old in DIST.glob(f"{NAME}-*.*"):
        old.unlink()
    source = bundle_dir()
    if sys.platform.startswith("linux"):
        path = DIST / f"{stem}.tar.gz"
        with tarfile.open(path, "w:gz", compresslevel=6) as tar:
            tar.add(source, arcname=source.name)
        return path
    path = DIST / f"{stem}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for file in sorted(source.rglob("*")):
            zipped.write(file, Path(source.name) / file.relative_to(source))
    return path


def size_mb(folder: Path) -> float:
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 1e6


def smoke() -> dict[str, object]:
    """Start the bundle once with --smoke; its figures, with launch -> first paint."""
    env = dict(os.environ)
    if sys.platform.startswith("linux"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    launched = time.time()
    done = subprocess.run([str(executable()), "--smoke", "--log-level", "warning"], env=env,
                          capture_output=True, text=True, timeout=300)
    ended = time.time()
    if done.returncode != 0:
        print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
        sys.exit(f"the bundle failed its smoke run (exit {done.returncode})")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["launch_to_first_paint_s"] = round(figures.pop("painted_at") - launched, 3)
    figures["launch_to_exit_s"] = round(ended - launched, 3)
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clean", action="store_true",
                        help="new virtualenv and an empty PyInstaller cache")
    parser.add_argument("--no-smoke", action="store_true", help="don't start the built bundle")
    args = parser.parse_args(argv)
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under any python3, before the venv
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    started = time.perf_counter()
    BUILD.mkdir(exist_ok=True)
    ensure_venv(args.clean)
    venv_ready = time.perf_counter()
    digest, stamp = inputs_digest(), BUILD / "bundle.stamp"
    archives = list(DIST.glob(f"{NAME}-{app_version()}-*.*"))
    if not args.clean and executable().exists() and archives and stamp.exists() and (
            stamp.read_text().strip() == digest):
        say("bundle and archive are up to date (nothing they are made from has changed)")
        path = archives[0]
        built = time.perf_counter()
    else:
        stamp.unlink(missing_ok=True)
        run_pyinstaller(args.clean)
        built = time.perf_counter()
        path = archive()
        stamp.write_text(digest + "\n")
    figures: dict[str, object] = {
        "venv_s": round(venv_ready - started, 1),
        "pyinstaller_s": round(built - venv_ready, 1),
        "build_s": round(time.perf_counter() - started, 1),
        "bundle_mb": round(size_mb(bundle_dir()), 1),
        "archive_mb": round(path.stat().st_size / 1e6, 1),
    }
    say(f"bundle: {bundle_dir().relative_to(ROOT)} ({figures['bundle_mb']} MB)")
    say(f"archive: {path.relative_to(ROOT)} ({figures['archive_mb']} MB)")
    if not args.no_smoke:
        say("starting the bundle once (--smoke)")
        figures.update(smoke())
    say(f"done in {figures['build_s']} s")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
