"""Time windows: how pages move them, split them, and what is saved to resume them."""

from __future__ import annotations

import json

from tiktok_desktop.sync.windows import Pull, Request, Window


def answer(pull: Pull, window: Window, times: list[int], token: str = "next",
           total: int | None = None, seen: int | None = None) -> Request:
    request = pull.request(window, seen)
    pull.advance(window, request, len(times), token if token else "", total, times)
    return request


def test_a_keyset_window_starts_again_from_the_last_second_it_saw() -> None:
    pull = Pull.start(None, sortable=True, page_size=3, overlap_s=30)
    [window] = pull.windows
    assert (window.lo, window.hi) == (0, None)
    answer(pull, window, [100, 105, 110], total=10)
    # The items of second 110 come again (upserts), so none is skipped.
    assert (window.lo, window.remaining) == (110, 8)
    answer(pull, window, [110, 120], token="")
    assert pull.done and pull.high == 120


def test_a_crowded_second_is_paged_by_token_and_the_rest_by_keyset() -> None:
    pull = Pull.start(None, sortable=True, page_size=3, overlap_s=30)
    [window] = pull.windows
    answer(pull, window, [40, 50, 50])
    answer(pull, window, [50, 50, 50], token="t1")  # a full page, all in second 50
    crowd, rest = pull.windows
    assert (crowd.lo, crowd.token, crowd.stop) == (50, "t1", 51)  # the token's own range
    assert (rest.lo, rest.token) == (51, None)
    request = answer(pull, crowd, [50, 50, 50], token="t2")
    assert request.token == "t1" and crowd.token == "t2"
    answer(pull, crowd, [50, 51, 52], token="t3")  # reached its stop: second 50 is done
    assert pull.windows == [rest]


def test_the_biggest_window_is_split_in_time_for_more_requests_at_once() -> None:
    pull = Pull.start(None, sortable=True, page_size=10, overlap_s=30)
    [window] = pull.windows
    answer(pull, window, [1000] + [1001] * 9, total=1000)
    upper = pull.split(now=3000)
    assert upper is not None
    assert (window.lo, window.hi, upper.lo, upper.hi) == (1001, 2000, 2000, None)
    assert window.remaining + upper.remaining == 1000 - 10 + 9
    # A page asked before the split may run past the new bound: that window is then done.
    request = Request(1001, None, None)
    window.busy = True
    pull.advance(window, request, 10, "more", 500, [2500] * 10)
    assert pull.windows == [upper]


def test_small_windows_are_not_split() -> None:
    pull = Pull.start(None, sortable=True, page_size=10, overlap_s=30)
    [window] = pull.windows
    answer(pull, window, list(range(10)), total=25)
    assert pull.split(now=100) is None  # 15 left: less than two pages


def test_a_list_the_api_does_not_sort_follows_its_page_tokens() -> None:
    pull = Pull.start(None, sortable=False, page_size=2, overlap_s=30)
    [window] = pull.windows
    answer(pull, window, [500, 100], token="p2", total=5)
    assert (window.lo, window.token, window.remaining) == (0, "p2", 3)
    assert pull.split(now=1000) is None
    answer(pull, window, [300, 200], token="p3")
    assert (window.token, window.remaining) == ("p3", 1)
    pull.restart(window)  # the API refused the saved token: page the window again
    assert (window.token, window.remaining, window.busy) == (None, None, False)


def test_the_state_resumes_an_interrupted_pull_exactly() -> None:
    pull = Pull.start({"watermark": 1000}, sortable=True, page_size=3, overlap_s=30)
    [window] = pull.windows
    assert window.lo == 970  # the overlap before the watermark
    answer(pull, window, [980, 990, 995], total=9)
    pull.split(now=2000)
    state = json.loads(json.dumps(pull.state(1000)))  # saved as JSON
    assert state["watermark"] == 1000 and len(state["run"]["windows"]) == 2
    resumed = Pull.start(state, sortable=True, page_size=3, overlap_s=30)
    assert resumed.windows == pull.windows and resumed.high == 995


def test_a_finished_pull_moves_the_watermark_to_what_the_shop_had_when_it_was_read() -> None:
    pull = Pull.start({"watermark": 1000}, sortable=True, page_size=3, overlap_s=30)
    [window] = pull.windows
    # The list's newest item is older than the newest update seen in the shop (5000) before
    # the request went out: everything up to the shop's clock then has been read.
    answer(pull, window, [990], token="", seen=5000)
    assert pull.state(1000) == {"watermark": 5000, "run": None}
    again = Pull.start(pull.state(1000), sortable=True, page_size=3, overlap_s=30)
    assert again.windows[0].lo == 4970


def test_an_empty_list_keeps_its_watermark() -> None:
    pull = Pull.start({"watermark": 7}, sortable=True, page_size=3, overlap_s=30)
    answer(pull, pull.windows[0], [], token="")
    assert pull.state(7) == {"watermark": 7, "run": None}
