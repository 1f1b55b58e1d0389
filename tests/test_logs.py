"""Logging: secrets never reach a line, the buffer stays bounded, libraries are routed in."""

from __future__ import annotations

import logging
import sys

import pytest

from tiktok_desktop import logs


@pytest.fixture
def buffer(tmp_path):
    root = logging.getLogger()
    before = (list(root.handlers), root.level, logging.getLogger(logs.ROOT_LOGGER).level)
    buffer = logs.install_logging("debug", tmp_path / "logs" / "app.log")
    yield buffer
    logs._attach(root, [], logging.Formatter())
    root.handlers[:] = before[0]
    root.setLevel(before[1])
    logging.getLogger(logs.ROOT_LOGGER).setLevel(before[2])


@pytest.mark.parametrize("line", [
    "GET /api/x?app_key=abc&access_token=ROW_secretvalue123&sign=9f8e7d",
    '{"access_token": "TTP_abcdef123456", "refresh_token": "TTP_zyxw98765"}',
    "x-tts-access-token: TTP_abc123def",
    "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9xyz",
    "redirect ?code=ROW_Xy12ab&state=s1",
    "TokenSet(access_token='ROW_Q1w2E3r4', refresh_token='ROW_a9s8d7')",
    "opaque ROWaaaaBBBBccccDDDD1111222233334444eeeeFFFF55 in text",
])
def test_secret_looking_values_are_masked(line):
    redacted = logs.redact(line)
    for secret in ("secretvalue123", "9f8e7d", "abcdef123456", "zyxw98765", "abc123def",
                   "eyJhbGci", "Xy12ab", "Q1w2E3r4", "a9s8d7", "ROWaaaaBBBB"):
        assert secret not in redacted
    assert logs.MASK in redacted


def test_redaction_keeps_what_helps_debugging():
    line = ('order 576461413038785752 failed: {"code": 105002, "message": "expired", '
            '"request_id": "2023030708111901018908102826C3F6E9"} app_key=6abc')
    assert logs.redact(line) == line


def test_redaction_is_idempotent():
    once = logs.redact("access_token=TTP_abc123def&x=1")
    assert logs.redact(once) == once == f"access_token={logs.MASK}&x=1"


def test_registered_secret_is_masked_anywhere(buffer, tmp_path):
    logs.register_secret("plain-words-secret")
    logs.get_logger("sync").info("token is %s (in a sentence)", "plain-words-secret")
    assert "plain-words-secret" not in "\n".join(buffer.lines())
    assert "token is [redacted] (in a sentence)" in buffer.lines()[-1]
    assert "plain-words-secret" not in (tmp_path / "logs" / "app.log").read_text()


def test_tracebacks_are_redacted(buffer):
    try:
        raise ValueError("refresh failed for refresh_token=TTP_leaky9876")
    except ValueError:
        logs.get_logger("api").exception("refresh failed")
    text = "\n".join(buffer.lines())
    assert "TTP_leaky9876" not in text
    assert "ValueError: refresh failed for refresh_token=[redacted]" in text


def test_library_warnings_reach_the_handlers_but_not_their_debug(buffer):
    logging.getLogger("httpx").debug("noise")
    logging.getLogger("httpx").warning("connection reset, sign=abcdef0123")
    lines = buffer.lines()
    assert not any("noise" in line for line in lines)
    assert any("connection reset, sign=[redacted]" in line for line in lines)


def test_buffer_is_bounded_and_can_be_followed():
    buffer = logs.LogBuffer(capacity=3)
    buffer.setFormatter(logging.Formatter("%(message)s"))
    for n in range(5):
        buffer.emit(logging.makeLogRecord({"msg": f"line {n}"}))
    assert buffer.lines() == ["line 2", "line 3", "line 4"]
    assert buffer.lines_since(3) == (["line 3", "line 4"], 5)
    assert buffer.lines_since(0) == (["line 2", "line 3", "line 4"], 5)
    assert buffer.lines_since(5) == ([], 5)


def test_install_without_stderr_still_logs(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)  # a windowed build on Windows
    buffer = logs.install_logging("info", None)
    try:
        logs.get_logger("ui").info("hello")
        assert buffer.lines()[-1].endswith("tiktok_desktop.ui: hello")
    finally:
        logs._attach(logging.getLogger(), [], logging.Formatter())


def test_paths_and_versions_in_tracebacks_stay_readable():
    line = ('File "/home/seller/.local/lib/python3.11/site-packages/PySide6_Essentials-6.12.0'
            '/tiktok_desktop/ui/orders_table_model_with_a_long_name2.py", line 12 '
            "Linux-6.8.0-1234-generic-x86_64-with-glibc2.36")
    assert logs.redact(line) == line
