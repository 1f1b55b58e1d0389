"""What a write touched, announced once so each tab refreshes only when it is affected."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    """Rows written per table by one write (immutable, safe to emit across threads).

    `Changes.of(orders=100, order_line_items=240)`; combine with `|`; `bool(changes)` is False
    when nothing was touched.
    """

    counts: tuple[tuple[str, int], ...] = ()
    shop_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, shop_id: str | None = None, **counts: int) -> Changes:
        return cls.from_counts(counts, () if shop_id is None else (shop_id,))

    @classmethod
    def from_counts(cls, counts: Mapping[str, int], shop_ids: Iterable[str] = ()) -> Changes:
        kept = tuple(sorted((table, n) for table, n in counts.items() if n > 0))
        return cls(kept, frozenset(shop_ids) if kept else frozenset())

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(table for table, _ in self.counts)

    def count(self, table: str) -> int:
        return dict(self.counts).get(table, 0)

    def touches(self, *tables: str) -> bool:
        return not self.tables.isdisjoint(tables)

    def __bool__(self) -> bool:
        return bool(self.counts)

    def __or__(self, other: Changes) -> Changes:
        merged = dict(self.counts)
        for table, n in other.counts:
            merged[table] = merged.get(table, 0) + n
        return Changes.from_counts(merged, self.shop_ids | other.shop_ids)
