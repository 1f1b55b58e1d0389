#!/usr/bin/env python3
"""Set up and run TikTok Shop Desktop from a source checkout.

    python3 packaging/dev.py demo [app options]   start the app on the built-in demo shop
    python3 packaging/dev.py test [pytest options] run the whole test suite (what CI runs)

Both create `.venv/` beside the checkout, install the package with its test extra, and (when run
as root on Debian/Ubuntu) the system libraries Qt needs. A second run only checks and starts: the
install is redone only when pyproject.toml changes. Standard library only: this runs before the
virtualenv exists.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"

# Shared libraries Qt loads, and the Debian package that ships each. The offscreen platform needs
# the first group; a real window on X11 needs the second as well.
OFFSCREEN_LIBS = {
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
}
WINDOW_LIBS = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_python() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under any python3, before the venv
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")


def ensure_venv() -> None:
    if not venv_python().exists():
        say(f"creating a virtualenv in {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("installing the app with its test tools (first run only)")
    pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted + "\n")


def missing_libraries(libraries: dict[str, str]) -> list[str]:
    """Debian packages for the libraries the dynamic loader cannot find."""
    try:
        known = subprocess.run(
            ["ldconfig", "-p"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted({package for lib, package in libraries.items() if lib not in known})


def ensure_system_packages(packages: list[str]) -> None:
    if not packages or not sys.platform.startswith("linux"):
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        say("missing system packages (install them with your package manager): "
            + " ".join(packages))
        return
    say("installing system packages: " + " ".join(packages))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    apt = ["apt-get", "-y", "-q", "-o", "Dpkg::Use-Pty=0"]
    subprocess.run([*apt, "update"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([*apt, "install", "--no-install-recommends", *packages],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(command: list[str]) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


def demo(args: list[str]) -> int:
    needed = dict(OFFSCREEN_LIBS)
    if sys.platform.startswith("linux"):
        needed.update(WINDOW_LIBS)
    packages = missing_libraries(needed)
    command = [str(venv_python()), "-m", "tiktok_desktop", "--demo", *args]
    if has_display() or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        ensure_system_packages(packages)
        return run(command)
    # No screen (a server, a container): run on a virtual one so the app still starts.
    if shutil.which("xvfb-run") is None:
        packages += ["xvfb", "xauth"]
    ensure_system_packages(packages)
    if shutil.which("xvfb-run") is None:
        say("no display and no xvfb-run: starting without a window (offscreen)")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return run(command)
    say("no display found: starting on a virtual screen (Xvfb)")
    return run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *command])


def test(args: list[str]) -> int:
    ensure_system_packages(missing_libraries(OFFSCREEN_LIBS))
    python = str(venv_python())
    say("ruff check")
    if run([python, "-m", "ruff", "check", "--quiet", "."]) != 0:
        return 1
    say("pytest")
    return run([python, "-m", "pytest", *args])


COMMANDS = {"demo": demo, "test": test}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    ensure_python()
    ensure_venv()
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
