"""Benchmark: a 200,000-row order export written and read back as CSV and as .xlsx.

    .venv/bin/python tests/bench/bench_sheets.py --rows 200000 --columns 58

Writes Seller Center's US order export shape (its first `--columns` columns, ids as text, money
and times as the export writes them) with sheets.write_sheet, then reads each file with
sheets.read_table (the header found by name, eight columns kept, progress on), each read in a
fresh process so its peak memory is its own. Then the same read cancelled at its first progress
report (how long until it stops), and the .xlsx with the `activePane` defect (repaired in
memory). Prints the figures, then ONE JSON line.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import resource
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tiktok_desktop.services.order_export import HEADER  # noqa: E402
from tiktok_desktop.services.sheets import SheetCancelled, read_table, write_sheet  # noqa: E402

US_HEADER = HEADER  # Seller Center's US order export, as the app writes it
READ = ["Order ID", "SKU ID", "Seller SKU", "Quantity", "Order Amount", "Created Time",
        "Tracking ID", "Package ID"]


def order_rows(count: int, columns: int):
    for n in range(count):
        order = str(576073588990780847 + n // 2)
        values = {
            "Order ID": order, "Order Status": "To ship",
            "SKU ID": str(1729500000000000001 + n % 3000),
            "Seller SKU": f"TEE-{n % 3000:04d}", "Product Name": f"Cotton tee, size {n % 5}",
            "Variation": "White, M", "Quantity": n % 3 + 1, "Order Amount": f"{n % 90 + 9}.99",
            "Created Time": f"{n % 12 + 1:02d}/{n % 28 + 1:02d}/2026 {n % 12 + 1}:03:56 PM\t",
            "Paid Time": "01/27/2026 6:03:59 PM\t", "Shipped Time": "\t",
            "Tracking ID": "", "Package ID": str(1152000000000000000 + n // 2),
            "Recipient": "Jane Doe", "Address Line 1": f"{n % 999} Main St",
            "Shipping Information": f"Jane Doe\n(+1)555{n % 10000:04d}\n{n % 999} Main St",
        }
        yield [values.get(name, "0.00" if "Fee" in name or "Discount" in name else "")
               for name in US_HEADER[:columns]]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_once(path: str, cancel_at_first: bool, out) -> None:  # in a fresh process
    baseline = peak_mb()
    cancel = threading.Event()
    stopped: list[float] = []
    reports = 0

    def progress(step) -> None:
        nonlocal reports
        reports += 1
        if cancel_at_first and not cancel.is_set():
            cancel.set()
            stopped.append(time.perf_counter())

    started = time.perf_counter()
    try:
        table = read_table(Path(path), READ, progress=progress, cancel=cancel)
        rows = len(table.rows)
        ids = sum(1 for row in table.rows if row["Order ID"])
    except SheetCancelled:
        rows = ids = -1
    except Exception as error:
        out.send({"error": repr(error)})
        raise
    seconds = time.perf_counter() - started
    out.send({"seconds": round(seconds, 2), "rows": rows, "ids": ids, "reports": reports,
              "baseline_mb": round(baseline), "peak_mb": round(peak_mb()),
              "cancel_ms": round((time.perf_counter() - stopped[0]) * 1000)
              if stopped else None})


def measure(path: Path, cancel_at_first: bool = False) -> dict:
    context = multiprocessing.get_context("spawn")
    mine, theirs = context.Pipe()
    child = context.Process(target=read_once, args=(str(path), cancel_at_first, theirs))
    child.start()
    figures = mine.recv()
    child.join()
    if "error" in figures:
        raise SystemExit(f"reading {path.name} failed: {figures['error']}")
    return figures


def with_defect(path: Path) -> Path:
    spoiled = path.with_name("defect-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(spoiled, "w",
                                                          zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            with source.open(info) as entry, copy.open(info.filename, "w") as out:
                head = entry.read(4096)
                if info.filename.startswith("xl/worksheets/"):
                    head = re.sub(rb'activePane="\w+"', b'activePane="bottom"', head)
                out.write(head)
                while chunk := entry.read(1 << 20):
                    out.write(chunk)
    return spoiled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--columns", type=int, default=len(US_HEADER))
    parser.add_argument("--folder", type=Path, default=Path(tempfile.mkdtemp(prefix="sheets-")))
    args = parser.parse_args(argv)
    columns = max(len(READ), min(args.columns, len(US_HEADER)))
    others = [name for name in US_HEADER if name not in READ][:columns - len(READ)]
    header = [name for name in US_HEADER if name in READ or name in others]
    ids = ["Order ID", "SKU ID", "Package ID"]
    figures: dict = {"rows": args.rows, "columns": columns}
    for kind in ("csv", "xlsx"):
        path = args.folder / f"orders.{kind}"
        started = time.perf_counter()
        rows = ([dict(zip(US_HEADER, r, strict=False)).get(h, "") for h in header]
                for r in order_rows(args.rows, len(US_HEADER)))
        write_sheet(path, header, rows, sheet="Orders", text_columns=ids)
        figures[f"{kind}_write_s"] = round(time.perf_counter() - started, 2)
        figures[f"{kind}_mb"] = round(path.stat().st_size / 1e6, 1)
        read = measure(path)
        figures[f"{kind}_read_s"], figures[f"{kind}_peak_mb"] = read["seconds"], read["peak_mb"]
        figures[f"{kind}_baseline_mb"] = read["baseline_mb"]
        assert read["rows"] == read["ids"] == args.rows, read
        figures[f"{kind}_progress_reports"] = read["reports"]
        figures[f"{kind}_cancel_ms"] = measure(path, cancel_at_first=True)["cancel_ms"]
        print(f"{kind}: {figures[f'{kind}_mb']} MB written in {figures[f'{kind}_write_s']} s; "
              f"read in {read['seconds']} s, peak {read['peak_mb']} MB (baseline "
              f"{read['baseline_mb']} MB), {read['reports']} progress reports; cancel seen "
              f"{figures[f'{kind}_cancel_ms']} ms after it was asked", flush=True)
    defect = measure(with_defect(args.folder / "orders.xlsx"))
    figures["xlsx_defect_read_s"], figures["xlsx_defect_peak_mb"] = (defect["seconds"],
                                                                     defect["peak_mb"])
    print(f"xlsx with the activePane defect: read in {defect['seconds']} s, peak "
          f"{defect['peak_mb']} MB")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
