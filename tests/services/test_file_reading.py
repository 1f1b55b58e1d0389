"""Files the seller picks are read up to a limit, never further; a file that can't be opened
is explained. Both imports (stock, tracking numbers) read through here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tiktok_desktop.services.file_reading import cannot_open, read_at_most
from tiktok_desktop.services.tracking_csv import read_tracking_file


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_bytes(b"x" * 100)
    assert read_at_most(path, 100) == b"x" * 100
    assert read_at_most(path, 99) is None


def test_a_huge_file_is_refused_by_its_size(tmp_path: Path) -> None:
    huge = tmp_path / "everything.csv"
    with huge.open("wb") as file:
        file.truncate(1024 ** 3)  # 1 GB, sparse: nothing to read but its size
    assert read_at_most(huge, 5_000_000) is None
    assert read_tracking_file(huge).problem == (
        "This file is too large for a tracking list (over 50 MB).")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs a file without a size")
def test_a_file_that_tells_no_size_is_read_no_further_than_the_limit() -> None:
    assert read_at_most(Path("/dev/zero"), 1_000) is None


def test_a_file_that_cannot_be_opened_says_so(tmp_path: Path) -> None:
    with pytest.raises(OSError) as raised:
        read_at_most(tmp_path / "gone.csv", 100)
    assert cannot_open(raised.value).startswith("This file can't be opened (No such file")
    assert "can't be opened" in (read_tracking_file(tmp_path / "gone.csv").problem or "")


def test_a_tracking_file_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "tracking.csv"
    path.write_text("Package ID,Tracking number,Carrier\n1152000000000000001,1Z999,UPS\n")
    [line] = read_tracking_file(path).lines
    assert (line.package_id, line.tracking_number) == ("1152000000000000001", "1Z999")
