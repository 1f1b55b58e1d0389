"""A request answerer that dies mid-answer, for the tests of answers resumed after a crash."""

from __future__ import annotations

from tiktok_desktop.services.request_answers import RequestAnswerer


class Crash(BaseException):
    """The process dying: nothing after it runs."""


class CrashingAnswerer(RequestAnswerer):
    """Dies on its first answer, before it leaves or right after the shop acted on it."""

    def __init__(self, *args, after_effect: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.after_effect = after_effect

    def _call(self, request_id, payload):  # type: ignore[no-untyped-def]
        if self.after_effect:
            super()._call(request_id, payload)
        raise Crash
