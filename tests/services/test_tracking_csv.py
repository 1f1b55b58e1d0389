"""Tracking numbers from a spreadsheet's CSV, with what spreadsheets do to files."""

from __future__ import annotations

from tiktok_desktop.services.tracking_csv import clean_id, read_tracking


def test_lines_are_read_whatever_the_column_order_and_spreadsheet_quirks() -> None:
    data = ("Today's shipments\r\n"
            "Carrier;Tracking Number;Order ID;Package ID\r\n"
            'UPS;1Z999AA10123456784;="576073588990780847";1152076956443819447.0\r\n'
            ";;;\r\n"
            "usps;9400111202555842761234;576073588990794913;\r\n").encode("utf-8-sig")
    read = read_tracking(data)
    assert read.problem is None and read.problems == ()
    first, second = read.lines
    assert (first.row, first.package_id, first.order_id, first.tracking_number,
            first.carrier) == (3, "1152076956443819447", "576073588990780847",
                               "1Z999AA10123456784", "UPS")
    assert (second.package_id, second.order_id, second.carrier) == (
        "", "576073588990794913", "usps")


def test_lines_a_spreadsheet_spoiled_are_refused_with_the_reason() -> None:
    data = ("order_id,tracking_id\n"
            "5.76074E+17,1Z999\n"
            "576073588990780847,\n"
            ",1Z888\n").encode("cp1252")
    read = read_tracking(data)
    assert read.lines == ()
    assert [p.split(":")[0] for p in read.problems] == ["Row 2", "Row 3", "Row 4"]
    assert "turned into a number" in read.problems[0]


def test_a_file_without_the_columns_says_what_it_needs() -> None:
    assert "tracking number column" in read_tracking(b"name,price\nTee,5\n").problem
    assert clean_id(' ="0012" ') == "0012" and clean_id("12.0") == "12"


def test_a_file_read_for_some_packages_keeps_their_lines_and_counts_the_rest(tmp_path) -> None:
    from tiktok_desktop.services.sheet_source import SHOWN_AT_MOST
    from tiktok_desktop.services.tracking_csv import read_tracking_for

    rows = ["Package ID,Order ID,Tracking ID,Shipping Provider Name",
            "1152000000000000001,,1Z999AA10123456784,UPS",  # ours, by package
            "999,576000000000000002,9400111202555842761234,USPS",  # ours, by order
            *(f"{1152000000000010000 + n},,TRK{n:08d},UPS" for n in range(3_000)),
            *(f"{1152000000000020000 + n},," for n in range(SHOWN_AT_MOST + 5))]  # no tracking
    path = tmp_path / "tracking.csv"
    path.write_text("\n".join(rows) + "\n")
    read = read_tracking_for(path, frozenset({"1152000000000000001"}),
                             frozenset({"576000000000000002"}))
    assert [(line.row, line.tracking_number) for line in read.lines] == [
        (2, "1Z999AA10123456784"), (3, "9400111202555842761234")]
    assert read.left_out == 3_000
    assert len(read.problems) == SHOWN_AT_MOST and read.problems[0].startswith("Row 3004: ")
