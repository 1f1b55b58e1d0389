"""The WSGI application: routing, envelopes, latency, rate limits, faults and idempotency
around the handlers. One instance serves the Open API, the auth host, the consent page and the
label links."""

from __future__ import annotations

import json
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule
from werkzeug.wrappers import Request, Response

from . import (
    errors,
    routes_finance,
    routes_fulfillment,
    routes_logistics,
    routes_orders,
    routes_products,
    routes_returns,
    token_host,
)
from .config import AppCredentials
from .consent import consent
from .endpoints import Call, Endpoint
from .errors import ApiFailure
from .faults import FaultPlan
from .gateway import Gateway
from .labels import document_pdf
from .limits import RateLimiter, Stats, endpoint_key
from .product_images import (
    FULL_SIZE,
    MAX_SIZE,
    MIN_SIZE,
    find_image,
    link_refusal,
    product_png,
)
from .world import World

log = logging.getLogger(__name__)
ENDPOINTS: list[Endpoint] = [
    *routes_orders.ENDPOINTS, *routes_products.ENDPOINTS, *routes_fulfillment.ENDPOINTS,
    *routes_logistics.ENDPOINTS, *routes_returns.ENDPOINTS, *routes_finance.ENDPOINTS,
]
# Built once: compiling the rules costs ~30 ms, and every shop serves the same paths.
ROUTES = Map([
    *(Rule(e.path, methods=[e.method], endpoint=e) for e in ENDPOINTS),
    Rule("/api/v2/token/get", methods=["GET"], endpoint="token_get"),
    Rule("/api/v2/token/refresh", methods=["GET"], endpoint="token_refresh"),
    Rule("/open/authorize", methods=["GET"], endpoint="consent"),
    Rule("/wsos/fulfillment_doc/<doc_id>.pdf", methods=["GET"], endpoint="document"),
    Rule("/wsos/product_img/<path:uri>.png", methods=["GET"], endpoint="product_image"),
], merge_slashes=False)
DOCUMENT_LIFETIME = 24 * 3600
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def request_id() -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + secrets.token_hex(10).upper()


def envelope(data: Any, code: int = 0, message: str = "Success", status: int = 200) -> Response:
    body = {"code": code, "message": message, "request_id": request_id(), "data": data}
    response = Response(json.dumps(body, separators=(",", ":"), check_circular=False), status,
                        mimetype="application/json")
    response.headers["x-tt-logid"] = body["request_id"]
    if status == 429:
        response.headers["Retry-After"] = "1"
    return response


def failure(f: ApiFailure) -> Response:
    return envelope(None, f.code, f.message, f.status)


def dropped_connection(environ: dict, start_response: Callable) -> Iterable[bytes]:
    """Close the socket without an answer: the client sees the connection drop."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        sock.shutdown(socket.SHUT_RDWR)
    start_response("500 INTERNAL SERVER ERROR", [("Content-Length", "0")])
    return [b""]


class ShopApp:
    def __init__(self, world: World, app: AppCredentials, redirect_url: str,
                 faults: FaultPlan, limiter: RateLimiter, stopping: threading.Event,
                 latency_ms: float = 0.0, on_change: Callable[[], None] = lambda: None,
                 business_errors_as_200: bool = False) -> None:
        self.world, self.app, self.redirect_url = world, app, redirect_url
        self.business_errors_as_200 = business_errors_as_200
        self.faults, self.limiter, self.stopping = faults, limiter, stopping
        self.latency_ms = latency_ms
        self.on_change = on_change  # called after a request that may have changed the world
        self.stats = Stats()
        self.gateway = Gateway(world, app)
        # (app_key, method + path, idempotency_key) -> (body, status, headers) of the first answer
        self._answers: dict[tuple[str, str, str], tuple[bytes, int, list]] = {}
        self._answers_lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        adapter = ROUTES.bind_to_environ(environ)
        try:
            target, params = adapter.match()
        except MethodNotAllowed:
            response = failure(ApiFailure(errors.WRONG_METHOD, "Invalid method. The HTTP method "
                                          "used is not supported by this endpoint.", 405))
        except (NotFound, RequestRedirect):
            response = failure(ApiFailure(errors.UNKNOWN_PATH, "Invalid path. The specified path "
                                          "does not match any available endpoint.", 404))
        else:
            if self.latency_ms > 0:
                self.stopping.wait(self.latency_ms / 1000)  # never while holding a lock
            response = self._dispatch(request, target, params)
        return response(environ, start_response)

    def _dispatch(self, request: Request, target: Any, params: dict) -> WSGIApp:
        if isinstance(target, Endpoint):
            return self._open_api(request, target, params)
        if target == "document":
            self.stats.count("GET /wsos/fulfillment_doc/{doc_id}.pdf")
            return self._document(params["doc_id"])
        if target == "product_image":
            self.stats.count("GET /wsos/product_img/{uri}.png")
            return self._product_image(params["uri"], request)
        self.stats.count(f"{request.method} {request.path}")
        if target == "consent":
            return consent(request, self.world, self.app, self.redirect_url)
        handler = token_host.get_token if target == "token_get" else token_host.refresh_token
        try:
            return envelope(handler(request, self.world, self.app), message="success")
        except ApiFailure as f:
            return failure(f)

    def _open_api(self, request: Request, endpoint: Endpoint, params: dict) -> WSGIApp:
        key = endpoint_key(request.method, request.path)
        self.stats.count(key)
        try:
            app_key = self.gateway.check_app_key(request)
            if not self.limiter.allow((app_key, key)):
                self.stats.count(key, "throttled")
                raise ApiFailure(errors.TOO_MANY_REQUESTS, "Too many requests. You've made too "
                                 "many requests in a short period of time.", 429)
            body = self.gateway.check_request(request, endpoint)
        except ApiFailure as f:
            return failure(f)
        fault = self.faults.draw()
        if fault is not None:
            self.stats.count(key, "faults", fault.kind)
            if fault.kind == "error":
                return failure(ApiFailure(errors.INTERNAL_ERROR, "Internal error. Please try "
                                          "again. If the issue persists after multiple attempts, "
                                          "please contact platform support.", 500))
            if fault.kind == "throttle":
                return failure(ApiFailure(errors.TOO_MANY_REQUESTS, "Too many requests. You've "
                                          "made too many requests in a short period of time.",
                                          429))
            if not fault.after_effect:
                if fault.kind == "drop":
                    return dropped_connection
                self.stopping.wait(self.faults.timeout_s)
                return failure(ApiFailure(errors.REQUEST_TIMEOUT, "Request timeout. The request "
                                          "to the endpoint timed out.", 504))
        call = Call(self.world, request.args.to_dict(), body, params, request.host_url.rstrip("/"))
        response = self._answer(call, endpoint, app_key, request)
        if not (request.method == "POST" and request.path.endswith("/search")):
            self.on_change()  # searches change nothing; the rest may (a label link, a stock)
        if fault is not None:  # a timeout or a drop after the request took effect
            if fault.kind == "drop":
                return dropped_connection
            self.stopping.wait(self.faults.timeout_s)
        return response

    def _answer(self, call: Call, endpoint: Endpoint, app_key: str, request: Request) -> Response:
        """Run the handler; a repeated idempotency_key gets the first answer again."""
        idempotency_key = call.query.get("idempotency_key") or call.body.get("idempotency_key")
        counted = endpoint_key(request.method, request.path)
        if not idempotency_key:
            self.stats.count(counted, "handled")
            return self._run(call, endpoint)
        key = (app_key, f"{request.method} {request.path}", str(idempotency_key))
        with self._answers_lock:
            if key not in self._answers:
                self.stats.count(counted, "handled")
                first = self._run(call, endpoint)
                self._answers[key] = (first.get_data(), first.status_code, list(first.headers))
            else:
                self.stats.count(counted, "replayed")
            body, status, headers = self._answers[key]
        return Response(body, status, headers)

    def answers(self) -> dict[tuple[str, str, str], tuple[bytes, int, list]]:
        """The first answers to idempotent calls, kept with the world: a retry after a restart
        still gets the first answer."""
        with self._answers_lock:
            return dict(self._answers)

    def restore_answers(self, answers: dict[tuple[str, str, str], tuple[bytes, int, list]]) -> None:
        with self._answers_lock:
            self._answers.update(answers)

    def _run(self, call: Call, endpoint: Endpoint) -> Response:
        try:
            with self.world.lock:
                data = endpoint.handler(call)
        except ApiFailure as f:
            return envelope(None, f.code, f.message, 200 if self.business_errors_as_200
                            else f.status)
        except Exception:
            log.exception("demo shop handler failed: %s %s", endpoint.method, endpoint.path)
            return failure(ApiFailure(errors.INTERNAL_ERROR, "Internal error. Please try again.",
                                      500))
        return envelope(data)

    def _document(self, doc_id: str) -> Response:
        with self.world.lock:
            document = self.world.documents.get(doc_id)
            if document is None:
                return Response("document not found", 404, mimetype="text/plain")
            if self.world.now() > document.issued + DOCUMENT_LIFETIME:
                return Response("document link expired", 404, mimetype="text/plain")
            pdf = document_pdf(self.world, document)
        return Response(pdf, 200, mimetype="application/pdf")

    def _product_image(self, uri: str, request: Request) -> Response:
        """A product's picture, like a CDN link: no app signature, no token, no rate limit, but
        the link's own signature and expiry (a CDN answers a stale link with 403)."""
        size = request.args.get("size", "")
        pixels = int(size) if size.isdigit() else FULL_SIZE if size == "" else 0
        if not MIN_SIZE <= pixels <= MAX_SIZE:
            return Response("unsupported image size", 404, mimetype="text/plain")
        refused = link_refusal(self.world.image_key, uri, pixels,
                               request.args.get("x-expires", ""),
                               request.args.get("x-signature", ""), self.world.now())
        if refused:
            return Response(refused, 403, mimetype="text/plain")
        with self.world.lock:
            found = find_image(self.world.products.rows, uri)
        if found is None:
            return Response("image not found", 404, mimetype="text/plain")
        response = Response(product_png(*found, pixels), 200, mimetype="image/png")
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response
