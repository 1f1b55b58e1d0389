"""The one-shot loopback listener that catches TikTok's sign-in redirect (no Qt).

TikTok sends the seller's browser to the redirect URL registered in Partner Center,
`http://localhost:PORT/callback?code=…&state=…`. Browsers resolve `localhost` to 127.0.0.1 or ::1,
so the listener binds both, answers the first request that carries this sign-in's `state` with a
small page, and frees the port:

    with RedirectListener(port, state) as listener:   # start(): PortBusy if the port is taken
        open_in_browser(authorization_url)
        answer = listener.wait(cancel, timeout_s=300)  # the full redirect URL, for the caller

`wait()` serves in the calling thread (a selector over the listening and accepted sockets), so no
thread of ours outlives it; requests that reach the port before `wait()` queue in the backlog.
The query holds the auth code: nothing here logs a request or echoes it into a page.
"""

from __future__ import annotations

import errno
import hmac
import http.server
import logging
import os
import selectors
import socket
import sys
import threading
import time
from types import TracebackType
from typing import cast
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("tiktok_desktop.services.redirect")

CALLBACK_PATH = "/callback"
POLL_S = 0.1  # how soon wait() notices cancel, close() from another thread, or its deadline
REQUEST_TIMEOUT_S = 2.0  # a loopback request arrives at once; this only bounds a stalled client
DRAIN_S = 1.0  # how long to let browsers close their end first (see _shutdown)
BACKLOG = 16
PROC = "/proc"

# "In use" as POSIX and Windows spell it. EACCES too: Windows answers it for ports in a range the
# system reserved (Hyper-V, WSL), Linux for ports below 1024: either way another port is the fix.
_BUSY_ERRNOS = {
    code
    for name in ("EADDRINUSE", "WSAEADDRINUSE", "EACCES", "WSAEACCES")
    if (code := getattr(errno, name, None)) is not None
}


class PortBusy(Exception):
    """The redirect port is taken by another program (or reserved by the system)."""

    def __init__(self, port: int, holder: str | None = None) -> None:
        super().__init__(port, holder)  # args that rebuild it: it survives pickling
        self.port = port
        self.holder = holder
        who = f'"{holder}"' if holder else "another program"
        self.plain = (
            f"Port {port} is in use by {who}. Close that program, or pick another port in "
            "Preferences (then register the new redirect URL in Partner Center)."
        )

    def __str__(self) -> str:
        return self.plain


class ListenerTimedOut(Exception):
    plain = (
        "No answer came from the browser in time. If the browser shows an address starting with "
        "http://localhost, copy it and paste it into the dialog."
    )


class ListenerCancelled(Exception):
    plain = "Signing in was cancelled."


def redirect_url(port: int) -> str:
    """The redirect URL the seller registers in Partner Center for this port."""
    return f"http://localhost:{port}{CALLBACK_PATH}"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>body{{font:16px/1.5 system-ui,sans-serif;color:#222;max-width:32em;margin:15vh auto;\
padding:0 1em}}h1{{font-size:1.4em;font-weight:600}}</style>
</head><body><h1>{title}</h1><p>{line}</p></body></html>
"""
CONNECTED_PAGE = _PAGE.format(title="You can go back to TikTok Shop Desktop",
                              line="Your shop is being connected; you can close this tab.")
DECLINED_PAGE = _PAGE.format(title="You did not authorize TikTok Shop Desktop",
                             line="Go back to the app to try again.")
WRONG_STATE_PAGE = _PAGE.format(
    title="This sign-in answer was not expected",
    line="This sign-in answer is not for the request TikTok Shop Desktop is waiting for; go back "
         "to the app and start again.")
NOT_FOUND_PAGE = _PAGE.format(title="Not found",
                              line="There is nothing here. Go back to TikTok Shop Desktop.")


class _CallbackHandler(http.server.BaseHTTPRequestHandler):
    """One request on one accepted connection; `accepted` is the answer if this one counts."""

    disable_nagle_algorithm = True
    timeout = REQUEST_TIMEOUT_S
    server_version = "TikTokShopDesktop"
    sys_version = ""
    # http.server's own error pages (bad request line, other methods) may quote the request line,
    # which holds the code: show the status alone.
    error_message_format = _PAGE.format(title="Error %(code)d", line="Go back to the app.")
    error_content_type = "text/html; charset=utf-8"
    accepted: str | None = None

    def do_GET(self) -> None:
        listener = cast(RedirectListener, self.server)
        status, page, answer = listener._route(self.path)
        body = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        # A length, so the browser knows the page is complete and closes its end first.
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.accepted = answer  # only once the page is sent

    def log_message(self, format: str, *args: object) -> None:
        pass  # request lines carry the auth code: never log them


_NEW, _DRAINING = "new", "draining"  # an accepted connection: before its request, after the reply


class RedirectListener:
    def __init__(self, port: int, state: str) -> None:
        if not 1 <= port <= 65535:
            raise ValueError(f"port must be 1-65535, not {port}")
        if not state:
            raise ValueError("state must not be empty")
        self.port = port
        self._state = state
        self._lock = threading.Lock()  # one of wait()'s turns, or the shutdown, at a time
        self._stop = threading.Event()
        self._started = False
        self._listeners: list[socket.socket] = []
        self._selector: selectors.BaseSelector | None = None

    def start(self) -> None:
        """Bind 127.0.0.1 and ::1 (IPv4 alone when the machine has no IPv6). Raises PortBusy."""
        if self._started:
            raise RuntimeError("a RedirectListener starts once")
        self._started = True
        try:
            self._listeners.append(_bind(socket.AF_INET, "127.0.0.1", self.port))
        except OSError as exc:
            if _busy(exc):
                raise PortBusy(self.port, port_holder(self.port)) from None
            raise
        try:
            self._listeners.append(_bind(socket.AF_INET6, "::1", self.port))
        except OSError as exc:
            if _busy(exc):
                self._close_listeners()
                raise PortBusy(self.port, port_holder(self.port)) from None
            # No IPv6 here (disabled, no ::1): browsers then resolve localhost to 127.0.0.1.
            log.info("Listening on 127.0.0.1 only; ::1 is not available (errno %s).", exc.errno)
        selector = selectors.DefaultSelector()
        for sock in self._listeners:
            selector.register(sock, selectors.EVENT_READ, None)
        self._selector = selector

    def wait(self, cancel: threading.Event, timeout_s: float) -> str:
        """Serve until a GET /callback carries this sign-in's state; return its URL as
        `http://localhost:PORT/callback?<query as sent>`. Raises ListenerCancelled (`cancel` set,
        or close() called) or ListenerTimedOut. The listener is closed when this returns."""
        if self._selector is None and not self._stop.is_set():
            raise RuntimeError("start() the listener before wait()")
        deadline = time.monotonic() + timeout_s
        try:
            while True:
                if cancel.is_set() or self._stop.is_set():
                    raise ListenerCancelled()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ListenerTimedOut()
                with self._lock:
                    if self._selector is None:  # closed from another thread
                        raise ListenerCancelled()
                    answer = self._serve_once(min(POLL_S, remaining))
                if answer is not None:
                    self._shutdown(drain=True)
                    return answer
        finally:
            self._stop.set()
            self._shutdown(drain=False)

    def close(self) -> None:
        """Free the port; safe to call twice, and from another thread while wait() runs."""
        self._stop.set()
        self._shutdown(drain=False)

    def __enter__(self) -> RedirectListener:
        if not self._started:
            self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- serving ---------------------------------------------------------------------------

    def _route(self, target: str) -> tuple[int, str, str | None]:
        """The status and page for a GET of `target`, and the answer when it is the one."""
        parts = urlsplit(target)
        if parts.path != CALLBACK_PATH:
            return 404, NOT_FOUND_PAGE, None
        params = parse_qs(parts.query, keep_blank_values=True)
        states = params.get("state", [])
        # Repeated state is refused: which copy a later parser picks would be anyone's guess.
        if len(states) != 1 or not hmac.compare_digest(states[0].encode(), self._state.encode()):
            return 400, WRONG_STATE_PAGE, None
        codes = params.get("code", [])
        granted = "error" not in params and len(codes) == 1 and codes[0] not in ("", "null")
        page = CONNECTED_PAGE if granted else DECLINED_PAGE
        return 200, page, f"{redirect_url(self.port)}?{parts.query}"

    def _serve_once(self, timeout_s: float) -> str | None:
        assert self._selector is not None
        for key, _ in self._selector.select(timeout_s):
            sock = cast(socket.socket, key.fileobj)
            if key.data is None:
                self._accept(sock)
            elif key.data == _NEW:
                answer = self._handle(sock)
                if answer is not None:
                    return answer
            else:
                _drain_one(self._selector, sock)
        return None

    def _accept(self, listener: socket.socket) -> None:
        assert self._selector is not None
        while True:  # everything queued: a browser may open several connections at once
            try:
                conn, _ = listener.accept()
            except OSError:  # none left (BlockingIOError), or one reset before we took it
                return
            # Registered until it sends its request: browsers open spare connections they may
            # never use, and waiting on one in a blocking read would hold up the real answer.
            conn.setblocking(False)
            self._selector.register(conn, selectors.EVENT_READ, _NEW)

    def _handle(self, conn: socket.socket) -> str | None:
        assert self._selector is not None
        conn.setblocking(True)  # the handler reads with its own timeout
        try:
            handler = _CallbackHandler(conn, conn.getpeername(), self)  # type: ignore[arg-type]
        except OSError:  # the browser hung up mid-request
            self._selector.unregister(conn)
            conn.close()
            return None
        conn.setblocking(False)
        self._selector.modify(conn, selectors.EVENT_READ, _DRAINING)
        return handler.accepted

    # -- shutting down ---------------------------------------------------------------------

    def _shutdown(self, drain: bool) -> None:
        """Close the listening sockets, then the accepted ones.

        With `drain`, connections that were answered get up to DRAIN_S for the browser to close
        its end first (it does on `Connection: close`): the side that closes first keeps the
        address in TIME_WAIT, and on the browser's side that is its own port, not ours. Without
        it, on Windows, where SO_EXCLUSIVEADDRUSE replaces SO_REUSEADDR, a TIME_WAIT on our port
        could block the next sign-in's bind."""
        with self._lock:
            selector, self._selector = self._selector, None
            if selector is None:
                self._close_listeners()
                return
            for sock in self._listeners:
                selector.unregister(sock)
            self._close_listeners()
            for key in list(selector.get_map().values()):
                if not drain or key.data == _NEW:
                    selector.unregister(key.fileobj)
                    cast(socket.socket, key.fileobj).close()
            try:
                deadline = time.monotonic() + DRAIN_S
                while selector.get_map() and (left := deadline - time.monotonic()) > 0:
                    for key, _ in selector.select(left):
                        _drain_one(selector, cast(socket.socket, key.fileobj))
                for key in list(selector.get_map().values()):
                    selector.unregister(key.fileobj)
                    cast(socket.socket, key.fileobj).close()
            finally:
                selector.close()

    def _close_listeners(self) -> None:
        for sock in self._listeners:
            sock.close()
        self._listeners.clear()


def _drain_one(selector: selectors.BaseSelector, conn: socket.socket) -> None:
    """Read what an answered connection sends; close it once the browser has closed its end."""
    try:
        if conn.recv(4096):
            return  # nothing we asked for: ignore it and keep waiting for the close
    except (BlockingIOError, InterruptedError):
        return
    except OSError:
        pass
    selector.unregister(conn)
    conn.close()


def _bind(family: socket.AddressFamily, host: str, port: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if sys.platform == "win32":
            # Windows' SO_REUSEADDR would let us bind over another program's listener.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:
            # Lets the next sign-in bind while the last one's connections sit in TIME_WAIT; on
            # POSIX it still refuses a port another socket is listening on.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def _busy(exc: OSError) -> bool:
    return exc.errno in _BUSY_ERRNOS or getattr(exc, "winerror", None) in _BUSY_ERRNOS


# -- who holds the port -------------------------------------------------------------------------

_TCP_LISTEN = "0A"  # the state column of /proc/net/tcp


def port_holder(port: int) -> str | None:
    """The name of the program listening on `port` (Linux, best effort), else None. Never raises:
    it only makes PortBusy's message more helpful. A program of another user is not visible."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        sockets = _listening_sockets(port)
        return _process_holding(sockets) if sockets else None
    except Exception:  # e.g. an unexpected /proc layout: the message just names no one
        return None


def _listening_sockets(port: int) -> set[str]:
    """`socket:[inode]` link targets of the sockets listening on `port`, IPv4 and IPv6."""
    found = set()
    for table in ("tcp", "tcp6"):
        try:
            with open(os.path.join(PROC, "net", table), encoding="ascii") as lines:
                next(lines, None)  # the header
                for line in lines:
                    fields = line.split()
                    if len(fields) < 10 or fields[3] != _TCP_LISTEN:
                        continue
                    if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[9] != "0":
                        found.add(f"socket:[{fields[9]}]")
        except OSError:
            continue
    return found


def _process_holding(sockets: set[str]) -> str | None:
    for pid in os.listdir(PROC):
        if not pid.isdigit():
            continue
        fd_dir = os.path.join(PROC, pid, "fd")
        try:
            fds = os.listdir(fd_dir)
        except OSError:  # another user's process, or gone
            continue
        for fd in fds:
            try:
                if os.readlink(os.path.join(fd_dir, fd)) not in sockets:
                    continue
                with open(os.path.join(PROC, pid, "comm"), encoding="utf-8",
                          errors="replace") as comm:
                    return comm.read().strip() or None
            except OSError:
                continue
    return None
