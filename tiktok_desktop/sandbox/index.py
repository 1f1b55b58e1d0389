"""Rows kept sorted by time, so a page is found by bisection instead of a scan and a sort.

Each table keeps, per sort field, a list of `(time, id)` sorted ascending, once for all rows and
once per partition (e.g. per order status). A change goes through `changing(row)`, which takes the
row out of its lists and puts it back afterwards, so the lists stay exact while the shop lives.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Generic, TypeVar

R = TypeVar("R")
Key = tuple[int, str]


@dataclass
class Selection(Generic[R]):
    rows: list[R]
    last: Key | None  # sort key of the last row returned, when more rows follow
    total: int


class Table(Generic[R]):
    def __init__(
        self,
        sort_keys: Mapping[str, Callable[[R], int]],
        partition: Callable[[R], str] | None = None,
        row_id: Callable[[R], str] = attrgetter("id"),
    ) -> None:
        self.rows: dict[str, R] = {}
        self._sort_keys = dict(sort_keys)
        self._partition = partition
        self._row_id = row_id
        self._lists: dict[tuple[str, str | None], list[Key]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, row_id: object) -> bool:
        return row_id in self.rows

    def __iter__(self) -> Iterator[R]:
        return iter(self.rows.values())

    def __getitem__(self, row_id: str) -> R:
        return self.rows[row_id]

    def get(self, row_id: str) -> R | None:
        return self.rows.get(row_id)

    def load(self, rows: Iterable[R]) -> None:
        """Add many rows at once, sorting each list once instead of inserting one by one."""
        row_id = self._row_id
        for row in rows:
            self.rows[row_id(row)] = row
        for name, key in self._sort_keys.items():
            keys = sorted((key(row), id_) for id_, row in self.rows.items())
            self._lists[(name, None)] = keys
            if self._partition is not None:
                part = self._partition
                for item in keys:
                    self._lists.setdefault((name, part(self.rows[item[1]])), []).append(item)

    def add(self, row: R) -> None:
        self.rows[self._row_id(row)] = row
        self._place(row)

    @contextmanager
    def changing(self, row: R) -> Iterator[R]:
        """Re-sort `row` around a change of its sort fields or partition."""
        self._unplace(row)
        try:
            yield row
        finally:
            self._place(row)

    def select(
        self,
        field: str,
        *,
        partition: str | None = None,
        ge: int | None = None,
        lt: int | None = None,
        after: Key | None = None,
        descending: bool = False,
        limit: int = 20,
        where: Callable[[R], bool] | None = None,
        also: tuple[str, int | None, int | None] | None = None,
    ) -> Selection[R]:
        """Rows with `ge <= field < lt` in (field, id) order, resuming after the key `after`.

        `also` = (other field, ge, lt) narrows by a second time range; the total is then
        counted over whichever of the two ranges is smaller, so it stays cheap."""
        keys = self._lists.get((field, partition), [])
        low, high = self._bounds(keys, ge, lt)
        test = where
        if also is not None:
            other, other_ge, other_lt = also
            other_low = -(1 << 62) if other_ge is None else other_ge
            other_high = 1 << 62 if other_lt is None else other_lt
            read = self._sort_keys[other]

            def test(row: R) -> bool:
                return other_low <= read(row) < other_high and (where is None or where(row))

        total = self._count(keys, low, high, test, field, partition, ge, lt, also, where)
        if after is not None:
            if descending:
                high = min(high, bisect_left(keys, after))
            else:
                low = max(low, bisect_right(keys, after))
        positions = range(high - 1, low - 1, -1) if descending else range(low, high)
        rows = self.rows
        found: list[R] = []
        last: Key | None = None
        for i in positions:
            row = rows[keys[i][1]]
            if test is not None and not test(row):
                continue
            if len(found) == limit:
                return Selection(found, last, total)  # one more matches: there is a next page
            found.append(row)
            last = keys[i]
        return Selection(found, None, total)

    @staticmethod
    def _bounds(keys: list[Key], ge: int | None, lt: int | None) -> tuple[int, int]:
        low = 0 if ge is None else bisect_left(keys, (ge, ""))
        high = len(keys) if lt is None else bisect_left(keys, (lt, ""))
        return low, max(low, high)

    def _count(self, keys: list[Key], low: int, high: int, test: Callable[[R], bool] | None,
               field: str, partition: str | None, ge: int | None, lt: int | None,
               also: tuple[str, int | None, int | None] | None,
               where: Callable[[R], bool] | None) -> int:
        rows = self.rows
        if also is not None:
            other_keys = self._lists.get((also[0], partition), [])
            other_low, other_high = self._bounds(other_keys, also[1], also[2])
            if where is None and ge is None and lt is None:
                return other_high - other_low
            if other_high - other_low < high - low:  # count over the narrower range
                read = self._sort_keys[field]
                first = -(1 << 62) if ge is None else ge
                last = 1 << 62 if lt is None else lt
                return sum(1 for i in range(other_low, other_high)
                           if first <= read(row := rows[other_keys[i][1]]) < last
                           and (where is None or where(row)))
        if test is None:
            return high - low
        return sum(1 for i in range(low, high) if test(rows[keys[i][1]]))

    def _lists_of(self, row: R) -> Iterator[tuple[str, list[Key]]]:
        parts: tuple[str | None, ...] = (None,)
        if self._partition is not None:
            parts = (None, self._partition(row))
        for name in self._sort_keys:
            for part in parts:
                yield name, self._lists.setdefault((name, part), [])

    def _place(self, row: R) -> None:
        for name, list_ in self._lists_of(row):
            insort(list_, (self._sort_keys[name](row), self._row_id(row)))

    def _unplace(self, row: R) -> None:
        for name, list_ in self._lists_of(row):
            key = (self._sort_keys[name](row), self._row_id(row))
            i = bisect_left(list_, key)
            if i < len(list_) and list_[i] == key:
                del list_[i]
