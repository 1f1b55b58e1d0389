"""Time windows of one resource's pull, and how each page moves them forward.

A pull covers [start, ∞) of a time field (update_time; statement_time for statements), split
into disjoint windows [lo, hi) that are paged at the same time. For a list the API sorts by that
field, a window moves by keyset: the next request asks for [last time seen, hi), so the window is
just two numbers, survives a restart, and can be split while it is being paged. The items of
that last second come again in the next page: upserts make that harmless. Where keysets cannot
work (a list the API does not sort, or more than a page of items in one second) the window
follows the API's page token instead, and the token is saved with it.

The saved state of a resource is `{"watermark", "run"}`: everything with a time below the
watermark is cached; `run` holds the windows of an unfinished pull, as of the last saved page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Raw = dict[str, Any]


@dataclass
class Window:
    lo: int  # inclusive; 0 = from the beginning
    hi: int | None = None  # exclusive; None = up to the shop's now
    token: str | None = None  # page token within [lo, hi)
    stop: int | None = None  # a token-paged window is finished once it reaches this time
    remaining: int | None = None  # items still in it, from the last total_count
    busy: bool = field(default=False, compare=False)  # a request for it is under way
    # The newest update time seen anywhere in the shop when its request went out: a lower
    # bound of the shop's clock at that moment (not saved: it belongs to that request).
    seen: int | None = field(default=None, compare=False)

    def to_json(self) -> Raw:
        return {k: v for k, v in (("lo", self.lo), ("hi", self.hi), ("token", self.token),
                                  ("stop", self.stop), ("remaining", self.remaining))
                if v is not None or k == "lo"}

    @classmethod
    def from_json(cls, data: Raw) -> Window:
        return cls(int(data["lo"]), data.get("hi"), data.get("token"), data.get("stop"),
                   data.get("remaining"))


@dataclass(frozen=True)
class Request:
    """What to ask the API for one page of a window."""

    lo: int
    hi: int | None
    token: str | None


class Pull:
    """The windows of one resource's pull and the largest time seen so far."""

    def __init__(self, windows: Sequence[Window], *, sortable: bool, page_size: int,
                 high: int | None = None) -> None:
        self.windows = list(windows)
        self.sortable = sortable
        self.page_size = page_size
        self.high = high

    @classmethod
    def start(cls, state: Raw | None, *, sortable: bool, page_size: int,
              overlap_s: int) -> Pull:
        """Resume an interrupted pull, or start one from the watermark less the overlap, or
        from the beginning.

        The watermark is a time up to which everything was read, as the shop's clock had it
        when the last request went out. Starting again `overlap_s` before it reads again the
        updates the shop indexed late or stamped with a slightly earlier clock, and those made
        in the same second as the last read."""
        state = state or {}
        run = state.get("run")
        if run is not None:
            return cls([Window.from_json(w) for w in run["windows"]], sortable=sortable,
                       page_size=page_size, high=run.get("high"))
        watermark = state.get("watermark")
        lo = max(0, watermark - overlap_s) if watermark is not None else 0
        return cls([Window(lo)], sortable=sortable, page_size=page_size)

    @property
    def done(self) -> bool:
        return not self.windows

    def state(self, watermark: int | None) -> Raw:
        """What to save with a page: the windows as they are now (every page processed so far
        is in the same transaction or an earlier one)."""
        if self.done:
            return {"watermark": _max(watermark, self.high), "run": None}
        return {"watermark": watermark,
                "run": {"windows": [w.to_json() for w in self.windows], "high": self.high}}

    def idle(self) -> list[Window]:
        return [w for w in self.windows if not w.busy]

    def request(self, window: Window, seen: int | None = None) -> Request:
        window.busy, window.seen = True, seen
        return Request(window.lo, window.hi, window.token)

    def remaining_pages(self) -> int:
        """A guess of the requests still needed (one per window whose size is unknown)."""
        return sum(1 if w.remaining is None else max(1, math.ceil(w.remaining / self.page_size))
                   for w in self.windows)

    # -- a page came back ----------------------------------------------------------------

    def advance(self, window: Window, request: Request, got: int, next_token: str,
                total: int | None, times: Sequence[int]) -> None:
        """Move `window` past the page `request` brought: `got` items, whose time values are
        `times`, `total` items in the request's range (None if the API does not say)."""
        window.busy = False
        last = max(times) if times else None
        self.high = _max(self.high, last)
        if not next_token:
            self.windows.remove(window)
            if (self.sortable and request.token is None and request.hi is None
                    and window.hi is None and window.stop is None):
                # Everything with a time from `lo` on, as the shop had it when this request
                # went out, has been read: the shop's clock then is a safe watermark, even
                # when this list's own newest item is older (see `Pull.start`).
                self.high = _max(self.high, window.seen)
        elif request.token is not None or not self.sortable:
            self._follow_token(window, next_token, got, total, last)
        elif last is None or last <= request.lo:
            self._crowded_second(window, request, next_token)
        else:
            window.lo = last
            # Items of the last second come again; count them as remaining.
            window.remaining = None if total is None else total - got + times.count(last)
            if window.hi is not None and window.lo >= window.hi:
                self.windows.remove(window)  # split while its page was under way

    def failed(self, window: Window) -> None:
        window.busy = False

    def restart(self, window: Window) -> None:
        """The API refused the saved page token: page the window again from its start."""
        window.busy, window.token, window.remaining = False, None, None

    def _follow_token(self, window: Window, token: str, got: int, total: int | None,
                      last: int | None) -> None:
        if window.stop is not None and last is not None and last >= window.stop:
            self.windows.remove(window)
            return
        if window.token is None:
            window.remaining = None if total is None else total - got
        elif window.remaining is not None:
            window.remaining = max(0, window.remaining - got)
        window.token = token

    def _crowded_second(self, window: Window, request: Request, token: str) -> None:
        """A full page, all in one second: page that second by token (the token belongs to
        the request's range, so the new window keeps it), the rest by keyset."""
        second = request.lo
        crowd = Window(request.lo, request.hi, token=token, stop=second + 1)
        self.windows.insert(self.windows.index(window), crowd)
        window.lo, window.remaining = second + 1, None
        if window.hi is not None and window.lo >= window.hi:
            self.windows.remove(window)

    # -- more windows to page at once ----------------------------------------------------

    def split(self, now: int) -> Window | None:
        """Halve the keyset window with the most items left (at least two pages), by time;
        `now` stands in for the end of an open window. Returns the new upper half."""
        candidates = [w for w in self.windows if self.sortable and w.token is None
                      and w.remaining is not None and w.remaining >= 2 * self.page_size]
        if not candidates:
            return None
        window = max(candidates, key=lambda w: w.remaining or 0)
        end = window.hi if window.hi is not None else max(now, (self.high or 0) + 1)
        middle = window.lo + (end - window.lo) // 2
        if not window.lo < middle < end:
            return None
        share = round((window.remaining or 0) * (end - middle) / (end - window.lo))
        upper = Window(middle, window.hi, remaining=share)
        window.hi, window.remaining = middle, (window.remaining or 0) - share
        self.windows.insert(self.windows.index(window) + 1, upper)
        return upper


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)
