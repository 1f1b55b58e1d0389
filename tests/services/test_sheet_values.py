"""Ids, money and dates as spreadsheets leave them (issue 16): each written the ways Seller
Center and Excel write it reads back as itself; anything else is a plain refusal, never a
guess and never a Python error."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_desktop.services.sheet_values import (
    DateRefused,
    IdRefused,
    Money,
    MoneyRefused,
    parse_datetime,
    parse_datetimes,
    parse_id,
    parse_money,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["\t", " \t", "1.72906E+18", "12,99", "1.500 JPY", "$", "-", "00/00/0000", "13/13/2026",
     "02/30/2026", "1/2/26", "12:00 AM", "2026-01-27T18:03:56Z", "9" * 5_000, "NaN", "1e309"])


def plain(message: str) -> None:
    assert (message and message[0].isupper()) or message.startswith("“")
    for python_words in ("Decimal", "invalid literal", "InvalidOperation", "object", "int(",
                         "day is out of range", "NoneType", "Traceback"):
        assert python_words not in message


# -- ids ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "id_"), [
    ("576073588990780847", "576073588990780847"),
    ("576073588990780847\t", "576073588990780847"),  # Seller Center's trailing tab
    ("1729000000000000001.0", "1729000000000000001"),  # a spreadsheet's ".0"
    ('="1729000000000000001"', "1729000000000000001"),  # the Excel-safe export
    (" 0012 ", "0012"), ("１２３", "123"), ("", None), ("\t", None), (None, None),
    (1729000000000000001, "1729000000000000001"), (12345.0, "12345"),
])
def test_ids_are_read_as_spreadsheets_leave_them(text: object, id_: str | None) -> None:
    assert parse_id(text) == id_


@pytest.mark.parametrize("text", ["1.72906E+18", "1.72906e+18", "1,72906E+18", "1E+18",
                                  "5.76074E+17\t", 1.729e18])
def test_an_id_a_spreadsheet_shortened_is_refused_so_the_caller_can_fall_back(text) -> None:
    with pytest.raises(IdRefused) as refused:
        parse_id(text)
    assert refused.value.shortened
    assert "turned it into a rounded number" in str(refused.value)


@pytest.mark.parametrize("text", ["ABC-1", "12-34", "1729 0000", "-5", "9" * 40, True])
def test_text_that_is_no_id_is_refused_and_not_taken_for_a_shortened_one(text) -> None:
    with pytest.raises(IdRefused) as refused:
        parse_id(text)
    assert not refused.value.shortened
    plain(str(refused.value))


@SETTINGS
@given(st.integers(0, 10 ** 20), st.sampled_from(["{}", "{}\t", "{}.0", '="{}"', " {} ",
                                                    "\t{}\t"]))
def test_an_id_written_any_way_a_spreadsheet_writes_it_reads_back(number: int, form: str) -> None:
    assert parse_id(form.format(number)) == str(number)


@SETTINGS
@given(st.integers(10 ** 15, 10 ** 20), st.integers(0, 9))
def test_an_id_in_scientific_notation_is_always_refused_as_shortened(number: int,
                                                                     digits: int) -> None:
    with pytest.raises(IdRefused) as refused:
        parse_id(f"{number:.{digits}E}")
    assert refused.value.shortened


@SETTINGS
@given(ANY_TEXT)
def test_any_text_is_an_id_or_a_plain_refusal(text: str) -> None:
    try:
        value = parse_id(text)
    except IdRefused as refused:
        plain(str(refused))
    else:
        assert value is None or (value.isascii() and value.isdigit())


# -- money --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "currency", "amount", "written"), [
    ("12.99", None, "12.99", None), ("1,299.00", "USD", "1299.00", None),
    ("11,000 JPY", None, "11000", "JPY"), ("11,000 JPY", "JPY", "11000", "JPY"),
    ("0 JPY", "JPY", "0", "JPY"), ("$12.99", "USD", "12.99", "USD"),
    ("$12.99", None, "12.99", None),
    ("12,99", "EUR", "12.99", None), ("€1.299,00", None, "1299.00", "EUR"),
    ("USD 12.99", None, "12.99", "USD"), ("-$5.00", "USD", "-5.00", "USD"),
    ("\u22125.00", None, "-5.00", None), ("¥1,500", "JPY", "1500", "JPY"),
    ("Rp 15.000", "IDR", "15000", "IDR"), ("RM12.90", None, "12.90", "MYR"),
    ("1 299,00", None, "1299.00", None), ("12.99\t", None, "12.99", None),
])
def test_money_is_read_as_seller_center_and_spreadsheets_write_it(
        text: str, currency: str | None, amount: str, written: str | None) -> None:
    assert parse_money(text, currency) == Money(Decimal(amount), written)


@pytest.mark.parametrize(("text", "currency", "says"), [
    ("12.999", "USD", "USD amounts have at most 2 decimals"),
    ("12.99", "JPY", "JPY amounts are whole"),
    ("11,000 JPY", "USD", "is in JPY; this file's amounts are in USD"),
    ("$12.99", "JPY", "is not in JPY"),
    ("€5 USD", None, "names two currencies"),
    ("twelve", None, "is not an amount of money"), ("1,2,3", None, "is not an amount"),
    ("(5.00)", None, "is not an amount"), ("1e3", None, "is not an amount"),
    ("JPY", "JPY", "is not an amount"), ("9" * 5_000, None, "far more than any amount"),
    (12.99, "USD", "is not an amount"),  # a float has lost its cents already
])
def test_money_that_is_malformed_or_ambiguous_is_refused(text: object, currency: str | None,
                                                         says: str) -> None:
    with pytest.raises(MoneyRefused) as refused:
        parse_money(text, currency)
    assert says in str(refused.value)
    plain(str(refused.value))


def test_a_blank_money_cell_is_none() -> None:
    assert parse_money("") is None and parse_money("\t") is None and parse_money(None) is None


MONEY_FORMS = ["{plain}", "{grouped}", "${grouped}", "{grouped} USD", "USD {plain}",
               "{comma}", "{dots}", " {grouped}\t", "US${plain}"]


@SETTINGS
@given(st.decimals(min_value=0, max_value=10 ** 12, places=2, allow_nan=False),
       st.sampled_from(MONEY_FORMS), st.booleans())
def test_an_amount_written_any_way_reads_back(amount: Decimal, form: str, negative: bool) -> None:
    grouped = f"{amount:,.2f}"
    text = form.format(plain=f"{amount:.2f}", grouped=grouped,
                       comma=f"{amount:.2f}".replace(".", ","),
                       dots=grouped.replace(",", " ").replace(".", ",").replace(" ", "."))
    money = parse_money(("-" if negative else "") + text, "USD")
    assert money is not None and money.amount == (-amount if negative else amount)
    assert money.currency == ("USD" if "$" in form or "USD" in form else None)


@SETTINGS
@given(st.integers(0, 10 ** 12), st.sampled_from(["{:,} JPY", "¥{:,}", "{}", "JPY {:,}",
                                                   "{:,}"]))
def test_a_whole_currency_amount_reads_back(amount: int, form: str) -> None:
    money = parse_money(form.format(amount), "JPY")
    assert money is not None and money.amount == amount


@SETTINGS
@given(ANY_TEXT, st.sampled_from([None, "USD", "JPY", "EUR"]))
def test_any_text_is_money_or_a_plain_refusal(text: str, currency: str | None) -> None:
    try:
        money = parse_money(text, currency)
    except MoneyRefused as refused:
        plain(str(refused))
    else:
        assert money is None or money.amount.is_finite()


# -- dates and times ----------------------------------------------------------------------------

def test_seller_center_timestamps_are_read_in_both_orders() -> None:
    us = ["01/27/2026 6:03:56 PM\t", "\t", "02/03/2026 12:05:00 AM", "12/31/2026 11:59 PM"]
    assert parse_datetimes(us) == [datetime(2026, 1, 27, 18, 3, 56), None,
                                   datetime(2026, 2, 3, 0, 5), datetime(2026, 12, 31, 23, 59)]
    my = ["27/01/2026 18:03:56", "03/02/2026 00:05:00"]  # the 27 says: day first
    assert parse_datetimes(my) == [datetime(2026, 1, 27, 18, 3, 56), datetime(2026, 2, 3, 0, 5)]
    assert parse_datetimes(["2026-01-27T18:03:56", "2026-01-27", "2026/01/27 6:03 PM"]) == [
        datetime(2026, 1, 27, 18, 3, 56), datetime(2026, 1, 27), datetime(2026, 1, 27, 18, 3)]


def test_a_date_that_could_be_either_order_is_refused_unless_something_says() -> None:
    with pytest.raises(DateRefused) as refused:
        parse_datetimes(["\t", "03/04/2026 10:00:00"])
    assert refused.value.index == 1
    assert str(refused.value) == ("“03/04/2026 10:00:00” could be 3 April or 4 March, and no "
                                  "other date in the column says whether the day or the month "
                                  "comes first.")
    assert parse_datetime("03/04/2026", day_first=True) == datetime(2026, 4, 3)
    assert parse_datetime("03/04/2026", day_first=False) == datetime(2026, 3, 4)
    assert parse_datetime("04/04/2026") == datetime(2026, 4, 4)  # either order: one date
    assert parse_datetimes(["03/04/2026", "03/14/2026"]) == [datetime(2026, 3, 4),
                                                             datetime(2026, 3, 14)]


@pytest.mark.parametrize(("values", "index", "says"), [
    (["13/01/2026", "01/13/2026"], 1, "put the day and the month in different orders"),
    (["02/30/2026"], 0, "is not a date (read as month/day/year)"),
    (["13/01/2026 13:00 PM"], 0, "13 is not an hour on a 12-hour clock"),
    (["1/27/26"], 0, "has a two-digit year"),
    (["2026-01-27T18:03:56+09:00"], 0, "carries a time zone"),
    (["tomorrow"], 0, "is not a date"),
    (["01/27/2026 25:00"], 0, "is not a date"),
])
def test_dates_that_cant_be_read_without_a_guess_are_refused(values: list[str], index: int,
                                                             says: str) -> None:
    with pytest.raises(DateRefused) as refused:
        parse_datetimes(values)
    assert refused.value.index == index and says in str(refused.value)
    plain(str(refused.value))


DATES = st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0))
DATE_FORMS = [("%m/%d/%Y %I:%M:%S %p", False), ("%m/%d/%Y %I:%M %p", False),
              ("%d/%m/%Y %H:%M:%S", True), ("%d/%m/%Y", True), ("%Y-%m-%dT%H:%M:%S", None),
              ("%Y-%m-%d %H:%M:%S", None), ("%Y/%m/%d %H:%M", None), ("%d.%m.%Y %H:%M", True)]


def _round_to(form: str, when: datetime) -> datetime:
    if "%S" not in form:
        when = when.replace(second=0)
    return when if "%H" in form or "%I" in form else when.replace(hour=0, minute=0, second=0)


@SETTINGS
@given(st.lists(DATES, min_size=1, max_size=8), st.sampled_from(DATE_FORMS))
def test_dates_written_in_any_format_read_back(whens: list[datetime], form) -> None:
    pattern, day_first = form
    texts = [w.strftime(pattern) + "\t" for w in whens]
    assert parse_datetimes(texts, day_first=day_first) == [_round_to(pattern, w) for w in whens]
    # Without being told: one unambiguous date in the column settles the order.
    if day_first is not None:
        settler = datetime(2026, 1, 27, 12).strftime(pattern)  # 27: a day, never a month
        assert parse_datetimes([*texts, settler])[:-1] == [_round_to(pattern, w) for w in whens]


@SETTINGS
@given(st.lists(ANY_TEXT | st.sampled_from(["03/04/2026", "13/01/2026", "01/13/2026 1:00 PM"]),
                max_size=6), st.sampled_from([None, True, False]))
def test_any_column_is_dates_or_a_plain_refusal_naming_the_cell(texts: list[str],
                                                                day_first) -> None:
    try:
        values = parse_datetimes(texts, day_first=day_first)
    except DateRefused as refused:
        plain(str(refused))
        assert 0 <= refused.index < len(texts)
    else:
        assert len(values) == len(texts)
