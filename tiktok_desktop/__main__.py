"""`tiktok-desktop` and `python -m tiktok_desktop`: read the command line, then start the app.

Only argparse and the package's version are imported here, so `--version` answers at once and
nothing slows the way to the first window; Qt is imported by `ui.app` when it is needed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tiktok_desktop import APP_NAME, __version__

LOG_LEVELS = ("debug", "info", "warning", "error")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="tiktok-desktop",
        description=f"{APP_NAME}: your TikTok Shop orders, labels and stock on your desktop.")
    parser.add_argument("--demo", action="store_true",
                        help="open the built-in demo shop (runs on this computer, no account)")
    parser.add_argument("--data-dir", type=Path, metavar="PATH",
                        help="keep the local copy, settings, logs and crash logs in PATH")
    parser.add_argument("--smoke", action="store_true",
                        help="start, check that everything works, then exit: 0 when it did, "
                             "1 with the reason when not (for CI and packaging; uses a "
                             "temporary data folder unless --data-dir is given)")
    parser.add_argument("--self-check", action="store_true",
                        help="print what this computer supports (PDF preview, printers, "
                             "keychain, data folder) and exit")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="info",
                        help="how much to log (default: info)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    launched_at = time.perf_counter()
    args = parse_args(argv)
    if args.version:
        if sys.stdout is not None:  # a windowed build on Windows has no console
            print(f"{APP_NAME} {__version__}")
        return 0
    from tiktok_desktop.ui.app import StartupOptions, print_self_check, run

    options = StartupOptions(demo=args.demo, smoke=args.smoke, data_dir=args.data_dir,
                             log_level=args.log_level, launched_at=launched_at)
    if args.self_check:
        return print_self_check(options)
    return run(options)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the bundle: the sync's own process starts here too
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
