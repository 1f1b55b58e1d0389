"""The sign-in redirect listener, with httpx (and raw sockets) playing the browser. No Qt."""

from __future__ import annotations

import errno
import pickle
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import httpx
import pytest

from tiktok_desktop.services import redirect_listener
from tiktok_desktop.services.redirect_listener import (
    ListenerCancelled,
    ListenerTimedOut,
    PortBusy,
    RedirectListener,
    port_holder,
    redirect_url,
)

STATE = "st4te-Xy9"
CODE = "TTP_c0de_secret_123"
WRONG_STATE_LINE = ("This sign-in answer is not for the request TikTok Shop Desktop is waiting "
                    "for; go back to the app and start again.")


def _has_ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


HAS_IPV6 = _has_ipv6_loopback()
needs_ipv6 = pytest.mark.skipif(not HAS_IPV6, reason="this machine has no IPv6 loopback")


def free_port() -> int:
    """A port free right now (the API takes no port 0: the redirect URL is fixed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def url_for(host: str, port: int, target: str) -> str:
    return f"http://{f'[{host}]' if ':' in host else host}:{port}{target}"


def browse(url: str) -> httpx.Response:
    # trust_env=False: a proxy from the environment must not take loopback requests elsewhere.
    with httpx.Client(trust_env=False, timeout=5) as client:
        return client.get(url)


def while_waiting(listener: RedirectListener, browser: Callable[[], object],
                  timeout_s: float = 5.0) -> tuple[str, object]:
    """Run `browser` in a thread while this thread waits; the answer and what `browser` returned."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        future: Future[object] = pool.submit(browser)
        try:
            answer = listener.wait(threading.Event(), timeout_s)
        finally:
            listener.close()
        return answer, future.result(timeout=5)


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def listener(port: int) -> Iterator[RedirectListener]:
    with RedirectListener(port, STATE) as started:
        yield started


def test_redirect_url_is_what_partner_center_registers():
    assert redirect_url(53682) == "http://localhost:53682/callback"


@pytest.mark.parametrize("host", ["127.0.0.1", pytest.param("::1", marks=needs_ipv6), "localhost"])
def test_the_right_state_is_accepted_and_its_url_returned(listener, port, host):
    query = f"code={CODE}&state={STATE}"
    answer, response = while_waiting(
        listener, lambda: browse(url_for(host, port, f"/callback?{query}")))

    assert answer == f"http://localhost:{port}/callback?{query}"
    assert isinstance(response, httpx.Response)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "You can go back to TikTok Shop Desktop" in response.text
    assert "Your shop is being connected; you can close this tab." in response.text
    assert CODE not in response.text
    assert len(response.content) < 2000


def test_the_query_comes_back_as_sent(listener, port):
    query = f"state={STATE}&code=a%2Fb%3D%3D&shop_region=GB"
    answer, _ = while_waiting(listener, lambda: browse(url_for("127.0.0.1", port,
                                                               f"/callback?{query}")))
    assert answer == f"http://localhost:{port}/callback?{query}"


@pytest.mark.parametrize("query", [
    f"code={CODE}&state=someone-else",
    f"code={CODE}&state={STATE}&state=other",
    f"code={CODE}&state={STATE}&state={STATE}",
    f"code={CODE}&state={STATE}&state=",
    f"code={CODE}&state={STATE}&state",
    f"code={CODE}",
    f"code={CODE}&state=",
])
def test_a_foreign_answer_is_refused_and_the_right_one_still_counts(listener, port, query):
    def browser() -> list[httpx.Response]:
        return [browse(url_for("127.0.0.1", port, f"/callback?{query}")),
                browse(url_for("127.0.0.1", port, f"/callback?code=good&state={STATE}"))]

    answer, responses = while_waiting(listener, browser)

    assert answer == f"http://localhost:{port}/callback?code=good&state={STATE}"
    refused, accepted = responses  # type: ignore[misc]
    assert refused.status_code == 400
    assert WRONG_STATE_LINE in refused.text
    assert CODE not in refused.text
    assert accepted.status_code == 200


@pytest.mark.parametrize("target", [
    "/", "/favicon.ico", "/callback/", "/callbackx?state=" + STATE, "/other?code=1&state=" + STATE,
])
def test_other_paths_are_404_and_do_not_count(listener, port, target):
    def browser() -> list[httpx.Response]:
        return [browse(url_for("127.0.0.1", port, target)),
                browse(url_for("127.0.0.1", port, f"/callback?code=good&state={STATE}"))]

    answer, responses = while_waiting(listener, browser)

    assert answer.endswith("code=good&state=" + STATE)
    assert [r.status_code for r in responses] == [404, 200]  # type: ignore[attr-defined]


def test_other_methods_do_not_count(listener, port):
    def browser() -> list[int]:
        with httpx.Client(trust_env=False, timeout=5) as client:
            post = client.post(url_for("127.0.0.1", port, f"/callback?code=x&state={STATE}"))
        good = browse(url_for("127.0.0.1", port, f"/callback?code=good&state={STATE}"))
        return [post.status_code, good.status_code]

    answer, statuses = while_waiting(listener, browser)

    assert answer.endswith("code=good&state=" + STATE)
    assert statuses == [501, 200]


@pytest.mark.parametrize("query", [
    f"code=null&error=access_denied&state={STATE}",
    f"code=null&error=auth_denied&state={STATE}",
    f"error=access_denied&state={STATE}",
    f"code=null&state={STATE}",
])
def test_a_refusal_is_accepted_with_the_did_not_authorize_page(listener, port, query):
    answer, response = while_waiting(
        listener, lambda: browse(url_for("127.0.0.1", port, f"/callback?{query}")))

    assert answer == f"http://localhost:{port}/callback?{query}"
    assert isinstance(response, httpx.Response)
    assert response.status_code == 200
    assert "You did not authorize TikTok Shop Desktop" in response.text
    assert "Go back to the app to try again." in response.text


def test_the_port_is_free_once_the_answer_is_in(listener, port):
    while_waiting(listener, lambda: browse(url_for("127.0.0.1", port,
                                                   f"/callback?code=1&state={STATE}")))

    # A plain socket, without SO_REUSEADDR: nothing of ours is left on the port, not even in
    # TIME_WAIT, because the browser closed its end first.
    families = [(socket.AF_INET, "127.0.0.1")] + ([(socket.AF_INET6, "::1")] if HAS_IPV6 else [])
    for family, host in families:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((host, port))
            sock.listen()
    # And the next sign-in can listen there at once.
    with RedirectListener(port, "next") as again:
        again.close()


def test_a_spare_connection_does_not_hold_up_the_answer(listener, port):
    # Browsers open connections ahead of need and may never send on them.
    with socket.create_connection(("127.0.0.1", port)) as idle:
        start = time.monotonic()
        answer, _ = while_waiting(
            listener, lambda: browse(url_for("127.0.0.1", port, f"/callback?code=1&state={STATE}")))
        assert time.monotonic() - start < 1.5
        assert answer.endswith(f"state={STATE}")
        idle.settimeout(1)
        assert idle.recv(10) == b""  # closed by the listener


def test_cancel_wakes_wait_promptly(listener):
    cancel = threading.Event()
    set_at: list[float] = []

    def cancel_soon() -> None:
        time.sleep(0.2)
        set_at.append(time.monotonic())
        cancel.set()

    canceller = threading.Thread(target=cancel_soon)
    canceller.start()
    with pytest.raises(ListenerCancelled):
        listener.wait(cancel, 30)
    woke = time.monotonic()
    canceller.join()
    assert woke - set_at[0] < 1.0


def test_close_from_another_thread_ends_wait(listener):
    closer = threading.Timer(0.2, listener.close)
    closer.start()
    start = time.monotonic()
    with pytest.raises(ListenerCancelled):
        listener.wait(threading.Event(), 30)
    closer.join()
    assert time.monotonic() - start < 1.2


def test_a_cancel_already_set_raises_at_once(listener):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ListenerCancelled):
        listener.wait(cancel, 30)


def test_no_answer_in_time_raises_timed_out_and_frees_the_port(listener, port):
    start = time.monotonic()
    with pytest.raises(ListenerTimedOut) as raised:
        listener.wait(threading.Event(), 0.3)
    assert 0.25 < time.monotonic() - start < 1.5
    assert "paste it into the dialog" in raised.value.plain
    with RedirectListener(port, "next"):
        pass


def test_a_port_held_by_another_listener_is_busy(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        with pytest.raises(PortBusy) as raised:
            RedirectListener(port, STATE).start()

    busy = raised.value
    assert busy.port == port
    if sys.platform.startswith("linux"):
        with open("/proc/self/comm", encoding="utf-8") as comm:
            me = comm.read().strip()
        assert busy.holder == me
        assert busy.plain.startswith(f'Port {port} is in use by "{me}". Close that program')
    assert "pick another port in Preferences" in busy.plain
    assert str(busy) == busy.plain


def test_a_port_held_with_so_reuseaddr_is_still_busy(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        if sys.platform != "win32":
            holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", port))
        holder.listen()
        with pytest.raises(PortBusy):
            RedirectListener(port, STATE).start()


@needs_ipv6
def test_a_port_held_on_ipv6_only_is_busy_and_ipv4_is_let_go(port):
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as holder:
        holder.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        holder.bind(("::1", port))
        holder.listen()
        with pytest.raises(PortBusy) as raised:
            RedirectListener(port, STATE).start()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as v4:
            v4.bind(("127.0.0.1", port))  # the listener let its IPv4 socket go
    if sys.platform.startswith("linux"):
        assert raised.value.holder is not None


def test_without_ipv6_the_listener_serves_ipv4_alone(port, monkeypatch):
    real_bind = redirect_listener._bind

    def bind(family: socket.AddressFamily, host: str, port: int) -> socket.socket:
        if family == socket.AF_INET6:
            raise OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")
        return real_bind(family, host, port)

    monkeypatch.setattr(redirect_listener, "_bind", bind)
    with RedirectListener(port, STATE) as listener:
        answer, _ = while_waiting(
            listener, lambda: browse(url_for("127.0.0.1", port, f"/callback?code=1&state={STATE}")))
    assert answer.endswith(f"state={STATE}")


def test_a_port_the_system_refuses_is_busy_too(port, monkeypatch):
    # Windows' reserved port ranges, or a port below 1024 on Linux: another port is the fix.
    def bind(family: socket.AddressFamily, host: str, port: int) -> socket.socket:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(redirect_listener, "_bind", bind)
    with pytest.raises(PortBusy) as raised:
        RedirectListener(port, STATE).start()
    assert raised.value.holder is None


def test_port_busy_without_a_holder_and_after_pickling():
    busy = PortBusy(53682)
    assert busy.plain == (
        "Port 53682 is in use by another program. Close that program, or pick another port in "
        "Preferences (then register the new redirect URL in Partner Center).")
    copy = pickle.loads(pickle.dumps(PortBusy(53682, "python3")))
    assert (copy.port, copy.holder) == (53682, "python3")
    assert 'in use by "python3"' in copy.plain


def test_port_holder_is_none_for_a_free_port_elsewhere_or_without_proc(port, monkeypatch):
    assert port_holder(port) is None
    monkeypatch.setattr(redirect_listener, "PROC", "/nonexistent/proc")
    assert port_holder(port) is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert port_holder(port) is None


def test_nothing_is_logged_or_printed_about_the_request(listener, port, caplog, capsys):
    caplog.set_level("DEBUG")
    while_waiting(listener, lambda: browse(url_for("127.0.0.1", port,
                                                   f"/callback?code={CODE}&state={STATE}")))
    out, err = capsys.readouterr()
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert CODE not in out + err + "".join(ours)  # (httpx, the browser here, logs its own URL)


def test_close_twice_is_fine_and_no_thread_is_left():
    before = set(threading.enumerate())
    port = free_port()
    listener = RedirectListener(port, STATE)
    listener.start()
    while_waiting(listener, lambda: browse(url_for("127.0.0.1", port,
                                                   f"/callback?code=1&state={STATE}")))
    listener.close()
    listener.close()
    unused = RedirectListener(free_port(), STATE)
    unused.close()  # never started: also fine
    assert set(threading.enumerate()) - before == set()


def test_misuse_is_refused():
    with pytest.raises(ValueError):
        RedirectListener(0, STATE)
    with pytest.raises(ValueError):
        RedirectListener(53682, "")
    listener = RedirectListener(free_port(), STATE)
    with pytest.raises(RuntimeError):
        listener.wait(threading.Event(), 1)
    listener.start()
    try:
        with pytest.raises(RuntimeError):
            listener.start()
    finally:
        listener.close()
