"""The sorted index against a plain sort-and-filter model."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_desktop.sandbox.index import Table


@dataclass(eq=False)
class Row:
    id: str
    a: int
    b: int
    kind: str


rows_st = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.sampled_from("xy")),
                   max_size=40)
bound = st.none() | st.integers(0, 21)


@settings(max_examples=60, deadline=None, database=None)
@given(rows_st, bound, bound, bound, bound, st.booleans(), st.integers(1, 7),
       st.none() | st.sampled_from("xy"))
def test_paging_matches_a_plain_filter(data, ge, lt, b_ge, b_lt, descending, size, kind) -> None:
    table: Table[Row] = Table({"a": attrgetter("a"), "b": attrgetter("b")},
                              partition=attrgetter("kind"))
    rows = [Row(f"{i:04d}", a, b, k) for i, (a, b, k) in enumerate(data)]
    table.load(rows[: len(rows) // 2])
    for row in rows[len(rows) // 2:]:
        table.add(row)

    def wanted(r: Row) -> bool:
        return ((ge is None or r.a >= ge) and (lt is None or r.a < lt)
                and (b_ge is None or r.b >= b_ge) and (b_lt is None or r.b < b_lt)
                and (kind is None or r.kind == kind))

    expected = sorted((r for r in rows if wanted(r)), key=lambda r: (r.a, r.id),
                      reverse=descending)
    also = ("b", b_ge, b_lt) if (b_ge, b_lt) != (None, None) else None
    got, after = [], None
    while True:
        page = table.select("a", partition=kind, ge=ge, lt=lt, after=after,
                            descending=descending, limit=size, also=also)
        assert page.total == len(expected)
        got += page.rows
        if page.last is None:
            break
        after = page.last
    assert [r.id for r in got] == [r.id for r in expected]


def test_a_changed_row_moves_in_every_list() -> None:
    table: Table[Row] = Table({"a": attrgetter("a")}, partition=attrgetter("kind"))
    row = Row("0001", 5, 0, "x")
    table.load([row, Row("0002", 6, 0, "x")])
    with table.changing(row):
        row.a, row.kind = 9, "y"
    assert [r.id for r in table.select("a", partition="x").rows] == ["0002"]
    assert [r.id for r in table.select("a", partition="y").rows] == ["0001"]
    assert [r.id for r in table.select("a", ge=7).rows] == ["0001"]
