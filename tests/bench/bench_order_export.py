"""Benchmark: the Orders tab's "Export orders…" over a big cache, with the window's event loop
watched.

    python tests/bench/bench_order_export.py --orders 20000 [--xlsx] [--in-thread]

1. A cache with N orders of the seeded demo shop (bench_ui.prepare_cache; `--cache PATH` keeps
   it for the next run).
2. The app's main window on that cache (offscreen); once the Orders tab has painted its rows,
   every order listed is exported (CSV, or .xlsx with `--xlsx`) while a 5 ms timer on the GUI
   thread beats. `--in-thread` writes in a worker thread of this process instead of a process
   of its own (how it was done before), for comparison.
3. The same export cancelled a third of the way (by rows written), as the Cancel button does.
Prints the figures, then ONE JSON line: export_s, rows, max_stall_ms, cancel_s, left_behind
(files left in the folder after the cancel: should be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_import import Watch, wait  # noqa: E402 - after the paths above
from bench_ui import CachedShop, main_window, orders_painted, prepare_cache  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, help="keep the prepared cache here (reused)")
    parser.add_argument("--xlsx", action="store_true")
    parser.add_argument("--in-thread", action="store_true",
                        help="write in a worker thread, as before the export had its process")
    return parser.parse_args()


def in_this_process(work: Any, *args: Any, stops_itself: bool = False, **kwargs: Any) -> Any:
    """run_in_own_process's stand-in for --in-thread: the work, called here."""
    return work(*args, **kwargs)


def run(args: argparse.Namespace, folder: Path, cache: Path, shop_id: str) -> dict[str, Any]:
    from tiktok_desktop.ui import messages
    from tiktok_desktop.ui.file_progress import FileProgress
    from tiktok_desktop.ui.orders import OrdersTab
    from tiktok_desktop.ui.orders import tab as orders_tab

    if args.in_thread:
        orders_tab.run_in_own_process = in_this_process
    app, window = main_window(lambda data_dir: CachedShop(shop_id, cache))
    painted: list[bool] = []
    orders_painted(window, lambda: painted.append(True))
    wait(app, lambda: bool(painted), 120)
    tab = window.tab(OrdersTab)
    said: list[str] = []
    messages.bus().posted.connect(lambda message: said.append(message.text))
    out = folder / "out"
    out.mkdir()
    path = out / ("orders.xlsx" if args.xlsx else "orders.csv")
    watch = Watch()

    watch.start()
    started = time.perf_counter()
    tab.export_to(path)
    wait(app, lambda: any(text.startswith("Exported") for text in said), 1800)
    seconds = time.perf_counter() - started
    stall = watch.stop("export")
    exported = next(text for text in said if text.startswith("Exported"))
    size = path.stat().st_size
    path.unlink()

    def written() -> int:
        progress = tab.findChild(FileProgress)
        return 0 if progress is None or progress.ended else progress.rows

    said.clear()
    watch.start()
    tab.export_to(path)
    rows = int(exported.split("(")[1].split()[0].replace(",", ""))
    wait(app, lambda: written() >= rows / 3, 1800)
    progress = tab.findChild(FileProgress)
    clicked = time.perf_counter()
    progress.canceled.emit()  # its Cancel button
    wait(app, lambda: progress.ended and not window.context.tasks.active_tasks, 60)
    cancel_s = time.perf_counter() - clicked
    cancel_stall = watch.stop("cancelled")
    left = sorted(p.name for p in out.iterdir())
    window.close_session()
    return {"export_s": seconds, "message": exported, "size_mb": size / 1e6, "rows": rows,
            "max_stall_ms": stall, "cancel_s": cancel_s, "cancel_stall_ms": cancel_stall,
            "left_behind": left}


def main() -> int:
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-order-export-"))
    cache = args.cache or folder / "cache.sqlite3"
    shop_id = prepare_cache(cache, args.orders, args.seed)
    found = run(args, folder, cache, shop_id)
    where = "a worker thread" if args.in_thread else "its own process"
    print(f"{found['message']} ({found['size_mb']:.1f} MB, written in {where}): "
          f"{found['export_s']:.1f} s; longest event-loop stall {found['max_stall_ms']:.0f} ms "
          "(goal ≤ 50)")
    print(f"cancelled a third of the way: gone {found['cancel_s'] * 1000:.0f} ms after the "
          f"click, longest stall {found['cancel_stall_ms']:.0f} ms; files left behind: "
          f"{found['left_behind'] or 'none'}")
    print(json.dumps({"export_s": round(found["export_s"], 2), "rows": found["rows"],
                      "max_stall_ms": round(found["max_stall_ms"], 1),
                      "cancel_s": round(found["cancel_s"], 3),
                      "left_behind": len(found["left_behind"])}))
    sys.stdout.flush()
    os._exit(0)  # skip Python's finalization (see bench_ui.py)


if __name__ == "__main__":
    sys.exit(main())
